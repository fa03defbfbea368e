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


class Postgres:
    """A throw-away PostgreSQL server: initdb + pg_ctl in a temp folder, listening on a
    socket in that folder and on 127.0.0.1 (password needed there), run as the unprivileged
    ``postgres`` user when we are root (initdb refuses root)."""

    PASSWORD = "rahasia-uji"

    def __init__(self, fsync: bool = False):
        import pwd
        import socket
        import tempfile

        self.bin = _pg_bin()
        # in /tmp itself: the postgres user cannot enter root's pytest folders
        self.folder = Path(tempfile.mkdtemp(prefix="sopdocs-pg-"))
        self.data = self.folder / "data"
        self._user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._user = ["runuser", "-u", "postgres", "--"]
        (self.folder / "pw").write_text(self.PASSWORD)
        if self._user:
            os.chown(self.folder / "pw", owner.pw_uid, owner.pw_gid)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--locale=C", "-E", "UTF8",
                 "--auth-local=trust", "--auth-host=scram-sha-256",
                 f"--pwfile={self.folder / 'pw'}")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   f"-c max_connections=60 -c fsync={'on' if fsync else 'off'}")
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                 str(self.folder / "log"), "-w", "start")
        self.count = 0

    def run(self, program: str, *args: str) -> None:
        import subprocess

        subprocess.run([*self._user, str(self.bin / program), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def url(self, database: str = "postgres", host: str | None = None) -> str:
        """A URL of ``database``: through the socket (trust), or ``host`` 127.0.0.1."""
        if host:
            return f"postgresql://postgres@{host}:{self.port}/{database}"
        return f"postgresql://postgres@/{database}?host={self.folder}&port={self.port}"

    def new_database(self) -> str:
        """Create an empty database; return its URL."""
        import psycopg

        self.count += 1
        name = f"register{self.count}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-w", "start", "-l", str(self.folder / "log"))

    def close(self) -> None:
        import contextlib

        with contextlib.suppress(Exception):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def _pg_bin() -> Path:
    """The folder of initdb and pg_ctl (Debian puts them under /usr/lib/postgresql/N/bin)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: float(p.parts[-3]) if p.parts[-3].replace(".", "").isdigit()
                      else 0.0)
    if versions:
        return versions[-1].parent
    need("initdb")
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def postgres() -> Any:
    """One PostgreSQL server for the test session (skipped locally without the binaries;
    in CI a missing server is a failure)."""
    pytest.importorskip("psycopg")
    _pg_bin()
    server = Postgres()
    yield server
    server.close()


@pytest.fixture
def pg_url(postgres: Postgres) -> str:
    """The URL of a fresh, empty database on the session's server (no schema yet)."""
    return postgres.new_database()
