"""Make a document: validate the record, take the number, render, write, register — one
transaction. Every way of making a document (kind commands, SOP steps, batches) calls this;
nothing else takes numbers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from .kinds import Kind, kind_of
from .numbering import Nomor
from .office import Workspace
from .records import validate
from .registry import KELUAR, Entry, FileEntry, open_register
from .store import file_group, safe_name
from .view import View, build_view

Format = Literal["docx", "pdf"]
FORMATS: dict[str, tuple[Format, ...]] = {"docx": ("docx",), "pdf": ("pdf",),
                                          "both": ("docx", "pdf")}


@dataclass(frozen=True)
class Made:
    """What ``make_document`` produced: the number (None for a konsep) and the files."""

    nomor: str | None
    paths: tuple[Path, ...]


def render(kind: Kind, view: View, workspace: Workspace, formats: tuple[Format, ...],
           when: datetime) -> dict[Format, bytes]:
    """Return the bytes of each requested format (nothing is written here)."""
    office = workspace.office
    out: dict[Format, bytes] = {}
    if "docx" in formats:
        from .render.docx import render_docx

        out["docx"] = render_docx(kind.name, view, logo=workspace.logo_path, paper=office.kertas,
                                  when=when)
    if "pdf" in formats:
        from .render.pdf import render_pdf

        out["pdf"] = render_pdf(kind.name, view, logo=workspace.logo_path, paper=office.kertas,
                                title=f"{kind.judul.title()} {view['nomor']}".strip())
    return out


def make_document(kind_name: str, data: dict[str, Any], workspace: Workspace, *,
                  out_dir: Path = Path("output"), fmt: str = "both", konsep: bool = False,
                  source: str = "record") -> Made:
    """Make one document of ``kind_name`` from ``data`` and return what was written.

    A konsep gets no number and is not registered. A final document takes the next number of
    the office's outgoing series; the number, files and their SHA-256 are registered in the
    same transaction that writes the files, so a failure anywhere leaves no file behind and
    consumes no number. Raises RecordError (bad fields, unknown roles), RenderError,
    OutputError or RegisterError.
    """
    kind = kind_of(kind_name)
    formats = FORMATS[fmt]
    record = validate(kind.model, data, source)
    view = build_view(record, workspace, konsep=konsep, source=source)
    when = datetime.combine(record.tanggal, datetime.min.time())
    stem = safe_name(f"{kind.name}_{record.tanggal.isoformat()}_{record.hal}", 60)
    if konsep:
        blobs = render(kind, view, workspace, formats, when)
        with file_group() as files:
            for ext, blob in blobs.items():
                files.write(out_dir, f"KONSEP_{stem}", f".{ext}", blob)
        return Made(None, tuple(files.paths))

    office = workspace.office
    register = open_register(workspace.register_path)
    with file_group() as files, register.transaction() as tx:
        urut = tx.next_urut(KELUAR, office.unit, record.tanggal.year)
        nomor = Nomor(record.kode_klasifikasi, urut, office.unit, record.tanggal.year,
                      record.tanggal.month, office.nomor.pola)
        view["nomor"] = str(nomor)
        blobs = render(kind, view, workspace, formats, when)
        name = safe_name(f"{kind.name}_{nomor}".replace("/", "_"), 80)
        for ext, blob in blobs.items():
            files.write(out_dir, name, f".{ext}", blob)
        tx.add(Entry(
            nomor=str(nomor), kind=kind.name, hal=record.hal, tanggal=record.tanggal, urut=urut,
            tahun=record.tanggal.year, unit=office.unit,
            files=tuple(FileEntry(str(path.resolve()), hashlib.sha256(blob).hexdigest())
                        for path, blob in zip(files.paths, blobs.values(), strict=True)),
        ), record_json=record.model_dump_json())
    return Made(str(nomor), tuple(files.paths))
