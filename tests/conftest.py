"""Shared fixtures: a sample workspace in a temp folder, readers for DOCX and PDF output."""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from sopdocs.office import Workspace, data_path, load_office

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """The built-in sample office with its register in a fresh temp folder."""
    sample = load_office(data_path("office-sample.yaml"))
    return Workspace(sample.office, tmp_path, None)


@pytest.fixture
def nota_dinas_data() -> dict[str, Any]:
    """The sample nota dinas record as plain data (a fresh copy per test)."""
    return copy.deepcopy(yaml.safe_load((SAMPLES / "nota-dinas.yaml").read_text()))


def need(program: str) -> str:
    """Return the program's path; in CI a missing reader is a failure, elsewhere a skip."""
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed; .ci/run installs it")
        pytest.skip(f"{program} is not installed")
    return path


def docx_paragraphs(data: bytes | Path) -> list[str]:
    """Every paragraph of a DOCX (body, table cells, headers) as text, in document order."""
    doc = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.first_page_header._element, section.header._element]
    text_of = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n"}
    out = []
    for part in parts:
        for p in part.iter(qn("w:p")):
            out.append("".join(
                (e.text or "") if text_of[e.tag] is None else text_of[e.tag]
                for e in p.iter(*text_of)))
    return out


def docx_text(data: bytes | Path) -> str:
    return squash("\n".join(docx_paragraphs(data)))


def pdf_pages(data: bytes | Path) -> list[str]:
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    return [page.extract_text() for page in reader.pages]


def pdf_text(data: bytes | Path) -> str:
    return squash("\n".join(pdf_pages(data)))


def squash(text: str) -> str:
    """Fold all white space (line breaks from wrapping included) into single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
