"""The register: numbers taken, documents made, their files and hashes.

The storage sits behind the small ``Register`` interface: ``SqliteRegister`` (one file in
the workspace, the default) and ``PostgresRegister`` (one register shared by the desks of an
office) share their SQL (``registry.sql``) and their ordered migrations (``registry.schema``).
``open_register(location)`` picks the backend from a path or URL.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote

from ..series import AGENDA, KELUAR
from .schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["AGENDA", "KELUAR", "MIGRATIONS", "SCHEMA_VERSION"]


@dataclass(frozen=True)
class FileEntry:
    """A file of a document with its SHA-256; ``page`` is the page of the file on which the
    document starts when several documents share one file (the sheets of a batch)."""

    path: str
    sha256: str
    page: int | None = None
    #: For a signed copy: the SHA-256 of the unsigned file it was signed from.
    signed_from: str | None = None


@dataclass(frozen=True)
class Entry:
    """One numbered document as the register holds it."""

    nomor: str
    kind: str
    hal: str
    tanggal: date
    urut: int
    tahun: int
    unit: str
    status: str = "final"
    void_reason: str | None = None
    files: tuple[FileEntry, ...] = field(default=())
    series: str = KELUAR
    id: int = 0
    record_json: str = ""
    #: The document's summary (``sopdocs.summary.Summary``) as JSON, taken when it was made.
    summary_json: str = ""
    #: The counter the number came from when it is not the series' own for the unit
    #: (numbering modes ``klasifikasi``, ``tunggal``): ``series|unit`` of that counter.
    counter: str = ""


@dataclass(frozen=True)
class Archived:
    """A document in the archive: its register entry, when it was archived, and its files
    (paths relative to the archive folder) with their SHA-256."""

    document_id: int
    nomor: str
    kind: str
    hal: str
    tanggal: date
    kode: str
    archived_at: datetime
    files: tuple[FileEntry, ...]
    summary_json: str = ""


@dataclass(frozen=True)
class Letter:
    """An incoming letter in the agenda: one agenda number per letter, however many lembar
    disposisi it collects. ``kunci`` identifies it by sender, number and date."""

    kunci: str
    nomor: str
    urut: int
    tahun: int
    surat_dari: str
    nomor_surat: str
    tanggal_surat: date
    diterima_tanggal: date
    hal: str


def letter_key(surat_dari: str, nomor_surat: str, tanggal_surat: date) -> str:
    """Return the key that identifies an incoming letter: the same sender, number and date
    written with other spacing or capitals is the same letter."""
    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    return f"{norm(surat_dari)}|{norm(nomor_surat)}|{tanggal_surat.isoformat()}"


@dataclass(frozen=True)
class CaseStep:
    """A step of a case as it was done: when, with which decision, which numbers and files;
    ``force_reason`` says why it was done out of the SOP's order (None: it was in order)."""

    step: int
    done_at: datetime
    decision: str | None = None
    numbers: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    force_reason: str | None = None

    @property
    def forced(self) -> bool:
        """Whether the step was done out of order (forced, with a reason)."""
        return self.force_reason is not None


@dataclass(frozen=True)
class Case:
    """One run of an SOP: its facts, the steps done so far, the next step, open or closed."""

    id: str
    sop: str
    facts: dict[str, object]
    opened_at: datetime
    next_step: int | None
    status: str = "buka"
    closed_at: datetime | None = None
    steps: tuple[CaseStep, ...] = ()


@dataclass(frozen=True)
class Observation:
    """One OPD website as a monitoring run found it (SOP monitoring-website, step 2):
    ``status`` is mutakhir, tidak mutakhir or tidak dapat diakses; ``latest`` the date of its
    newest item; ``detail_json`` what was found (items, methods, reason) as JSON."""

    run_at: datetime
    opd: str
    url: str
    status: str
    latest: date | None = None
    detail_json: str = "{}"


@dataclass(frozen=True)
class AuditRow:
    """One line of the append-only audit: who took, voided, archived … which number, when."""

    at: datetime
    who: str
    action: str
    nomor: str
    tahun: int
    detail: str = ""


class Transaction(ABC):
    """One unit of work on the register: everything in it is kept, or nothing."""

    def lock(self, key: str) -> None:  # noqa: B027  (most backends need nothing)
        """Wait until no other transaction holds ``key``, and hold it until this one ends
        (a register whose transactions are all serialised, as SQLite's are, has nothing to
        do). What the caller does under it (sweeping an output folder) is never done by two
        transactions at once."""

    @abstractmethod
    def next_urut(self, series: str, unit: str, tahun: int) -> int:
        """Take the next sequence number of a series; it is kept only if the transaction is."""

    @abstractmethod
    def claim(self, series: str, unit: str, tahun: int, urut: int) -> None:
        """Record that ``urut`` was given by hand, so the series never gives it out again."""

    @abstractmethod
    def add(self, entry: Entry) -> int:
        """Register a numbered document with its record, summary and files; return its id.
        Raise RegisterError if an outgoing number is already registered."""

    def add_many(self, entries: Iterable[Entry]) -> None:
        """Register documents in order as ``add`` does each (a batch's sheets); a backend
        may send many of them at once."""
        for entry in entries:
            self.add(entry)

    @abstractmethod
    def add_files(self, document_id: int, files: tuple[FileEntry, ...]) -> None:
        """Add files to a registered document (a signed copy beside the unsigned file)."""

    @abstractmethod
    def record_step(self, case_id: str, done: CaseStep, next_step: int | None) -> None:
        """Record a step of a case as done, and where the case goes next (``None``: closed)."""

    @abstractmethod
    def archive(self, items: list[Archived]) -> None:
        """Register archived documents (several when they share files, as the sheets of a
        batch do); raise RegisterError if one is archived already."""

    @abstractmethod
    def archive_more(self, items: list[Archived], files: tuple[FileEntry, ...]) -> None:
        """Add files to documents archived already (the DOCX after the PDF)."""

    @abstractmethod
    def archived_files(self) -> dict[str, str]:
        """The archive's files (paths relative to the archive folder) and their SHA-256."""

    @abstractmethod
    def registered_sha256(self, path: str) -> str | None:
        """The SHA-256 the register holds for a document file at ``path``, if any."""

    @abstractmethod
    def last_date(self, series: str, unit: str, tahun: int) -> date | None:
        """The latest date of a document numbered in a series this year."""

    @abstractmethod
    def letter(self, kunci: str) -> Letter | None:
        """Return the incoming letter registered under ``kunci`` (sender, number, date)."""

    @abstractmethod
    def letters_numbered(self, nomor_surat: str, tanggal_surat: date) -> list[Letter]:
        """Return the incoming letters with this number (whatever its capitals) and date,
        from any sender."""

    @abstractmethod
    def letter_with_agenda(self, tahun: int, nomor: str) -> Letter | None:
        """Return the incoming letter that holds agenda number ``nomor`` in ``tahun``."""

    @abstractmethod
    def add_letter(self, letter: Letter) -> None:
        """Register an incoming letter under its agenda number."""


class Register(ABC):
    """Where numbers and documents are recorded."""

    #: Where the register is, as messages name it (a password in a URL masked).
    location: str = ""
    #: Who the audit names for what this process does (operator name, else the OS user).
    who: str = ""
    #: This is a desk's own register used while the office's is a shared one (offline):
    #: outgoing numbers come only from blocks reserved from the shared register.
    offline: bool = False

    @abstractmethod
    def init(self) -> int:
        """Create the register or migrate it to ``SCHEMA_VERSION``; return the version it
        had before (0: new)."""

    @abstractmethod
    def schema_version(self) -> int | None:
        """The register's schema version; None when it has no schema yet."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """The number of rows of each table (``register info``, checking a copy)."""

    @abstractmethod
    def table_rows(self, table: str) -> Iterator[tuple[object, ...]]:
        """Every row of ``table`` (all its columns, in key order), for copying: read as the
        caller goes, so that a register of a million numbers is never held in memory."""

    @abstractmethod
    def audit(self, nomor: str | None = None) -> list[AuditRow]:
        """The audit lines (of one number), oldest first."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Transaction]:
        """Yield a transaction that commits when the block ends and rolls back if it raises.
        Numbers are distinct and gap-free: SQLite serialises whole transactions; PostgreSQL
        holds a counter's row from the number taken to the commit."""

    @abstractmethod
    def entries(self, tahun: int | None = None, with_files: bool = True,
                with_record: bool = True) -> list[Entry]:
        """Return the registered documents, oldest number first (without their files, or
        their source records, when ``with_files`` or ``with_record`` is false: a recap of
        100,000 documents needs neither)."""

    @abstractmethod
    def letters(self, tahun: int | None = None) -> list[Letter]:
        """Return the agenda of incoming letters, by year and agenda number."""

    @abstractmethod
    def archive_chain(self) -> list[tuple[int, str, str, str]]:
        """Every archived file's row (document id, path, SHA-256, chain link), in order."""

    @abstractmethod
    def archived(self, tahun: int | None = None) -> list[Archived]:
        """Return everything in the archive (of year ``tahun``: documents dated then), by
        date and number."""

    @abstractmethod
    def archived_with_file(self, sha256: str) -> list[Archived]:
        """Return the archived documents one of whose files has that SHA-256."""

    @abstractmethod
    def open_case(self, sop: str, facts: dict[str, object], opened_at: datetime) -> Case:
        """Open a case of ``sop``; its id is ``SOP-YEAR-NNNN`` (``HOSTING-2026-0001``)."""

    @abstractmethod
    def case(self, case_id: str) -> Case | None:
        """Return the case with that id, with its steps in the order they were done."""

    @abstractmethod
    def cases(self, sop: str | None = None, open_only: bool = False) -> list[Case]:
        """Return the cases, oldest first."""

    @abstractmethod
    def record_step(self, case_id: str, done: CaseStep, next_step: int | None) -> Case:
        """Record that a step that made no document was done (a step that makes documents
        is recorded in their transaction: ``Transaction.record_step``)."""

    @abstractmethod
    def documents_with_file(self, sha256: str) -> list[Entry]:
        """Return the documents that have a file with this SHA-256 (several for a batch)."""

    @abstractmethod
    def record_monitoring(self, observations: list[Observation]) -> None:
        """Keep the results of a website monitoring run."""

    @abstractmethod
    def monitoring(self, since: datetime | None = None) -> list[Observation]:
        """Return the monitoring results (from ``since`` on), oldest run first."""

    @abstractmethod
    def without_summary(self) -> list[Entry]:
        """Return the documents registered before summaries existed (without their files)."""

    @abstractmethod
    def set_summaries(self, summaries: dict[int, str]) -> None:
        """Store summaries (JSON) of documents that have none; never replace one."""

    @abstractmethod
    def void(self, nomor: str, reason: str, tahun: int | None = None) -> Entry:
        """Mark a number void (*batal*) with a reason; it is never given out again.
        ``tahun`` picks the year when a pattern without the year repeats a number."""



def chain_link(previous: str, document_id: int, path: str, sha256: str) -> str:
    """The next link of the archive's hash chain: every archived file's row is chained to
    the one before, so a row whose hash or path was edited breaks the chain from there on."""
    return hashlib.sha256(f"{previous}|{document_id}|{path}|{sha256}".encode()).hexdigest()


#: A libpq key=value connection string (``host=db.kantor dbname=register``).
_CONNINFO = re.compile(r"\s*(host|hostaddr|port|dbname|user|password|passfile|service|"
                       r"sslmode|options|application_name|connect_timeout)\s*=", re.I)
#: A password given as a keyword (key=value strings, or ``?password=`` in a URL), quoted or
#: not.
_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&#]*)", re.I)
_SCHEMES = ("postgresql://", "postgres://")


def is_url(location: str) -> bool:
    """Whether a register location names a PostgreSQL server (a ``postgresql://`` URL or a
    libpq ``key=value`` string) rather than a SQLite file."""
    return location.startswith(_SCHEMES) or bool(_CONNINFO.match(location))


def _userinfo(location: str) -> tuple[int, int] | None:
    """Where the password written in a URL's ``user:password@`` is (start, end)."""
    if not location.startswith(_SCHEMES):
        return None
    start = location.index("://") + 3
    end = location.rfind("@", start)  # a raw @ ? / in the password: mask up to the last @
    colon = location.find(":", start, end)
    return (colon + 1, end) if end > 0 and colon >= 0 else None


def url_password(location: str) -> str:
    """The password written in a URL's ``user:password@`` as written (percent-encoded)."""
    span = _userinfo(location)
    return location[span[0]:span[1]] if span else ""


def masked(location: str) -> str:
    """The location as messages show it: every password written in it becomes ``***``
    (``user:password@`` of a URL, ``password=`` of a URL's query or of a key=value string)."""
    if (span := _userinfo(location)) is not None:
        location = f"{location[:span[0]]}***{location[span[1]:]}"
    return _PASSWORD.sub(r"\1***", location)


def secrets(location: str) -> list[str]:
    """The passwords written in a location, and their parts split where a driver's message
    may cut them (so that a message quoting part of one can be scrubbed)."""
    found = [url_password(location)]
    found += [m.group(2) for m in _PASSWORD.finditer(location)]
    found += [unquote(f) for f in found]
    parts = {p for s in found for p in re.split(r"[@/:?#&'\s]", s) if len(p) >= 4}
    return sorted({s for s in found if s} | parts, key=len, reverse=True)


def open_register(location: Path | str, who: str = "") -> Register:
    """Return the register at ``location``: a path or ``sqlite:///path`` is a SQLite file
    (created on first use), ``postgresql://…`` a PostgreSQL server (``register init``
    creates its schema). ``who`` is the name the audit gives for this process."""
    text = str(location)
    if is_url(text):
        from .postgres import PostgresRegister

        return PostgresRegister(text, who=who)
    return SqliteRegister(sqlite_path(text), who=who)


def sqlite_path(location: str) -> Path:
    """The file of a SQLite location: a path, or ``sqlite:///relative.db`` /
    ``sqlite:////absolute.db`` as SQLAlchemy writes them."""
    return Path(location.removeprefix("sqlite:///") if location.startswith("sqlite:///")
                else location)


from .sqlite import SqliteRegister  # noqa: E402  (it builds on the classes above)

__all__ += ["SqliteRegister"]
