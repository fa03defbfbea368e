"""The register: numbers taken, documents made, their files and hashes (SQLite by default).

The storage sits behind the small ``Register`` interface so that a PostgreSQL backend can be
added beside ``SqliteRegister`` without touching its callers.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .errors import RegisterError
from .series import AGENDA, KELUAR

__all__ = ["AGENDA", "KELUAR"]  # the series, as the register's callers name them


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


class Transaction(ABC):
    """One unit of work on the register: everything in it is kept, or nothing."""

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

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Transaction]:
        """Yield a transaction that commits when the block ends and rolls back if it raises.
        Concurrent transactions are serialised, so numbers are distinct and gap-free."""

    @abstractmethod
    def entries(self, tahun: int | None = None, with_files: bool = True) -> list[Entry]:
        """Return the registered documents, oldest number first (without their files when
        ``with_files`` is false: a recap of 10,000 documents does not need them)."""

    @abstractmethod
    def letters(self, tahun: int | None = None) -> list[Letter]:
        """Return the agenda of incoming letters, by year and agenda number."""

    @abstractmethod
    def archive_chain(self) -> list[tuple[int, str, str, str]]:
        """Every archived file's row (document id, path, SHA-256, chain link), in order."""

    @abstractmethod
    def archived(self) -> list[Archived]:
        """Return everything in the archive, by date and number."""

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


_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    series TEXT NOT NULL, unit TEXT NOT NULL, tahun INTEGER NOT NULL, last INTEGER NOT NULL,
    PRIMARY KEY (series, unit, tahun));
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY, nomor TEXT NOT NULL, series TEXT NOT NULL,
    kind TEXT NOT NULL, hal TEXT NOT NULL, tanggal TEXT NOT NULL, urut INTEGER NOT NULL,
    tahun INTEGER NOT NULL, unit TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'final',
    void_reason TEXT, voided_at TEXT, created_at TEXT NOT NULL, record_json TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS outgoing_numbers ON documents (tahun, nomor)
    WHERE series = 'keluar';
CREATE TABLE IF NOT EXISTS archive (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id), nomor TEXT NOT NULL,
    kind TEXT NOT NULL, hal TEXT NOT NULL, tanggal TEXT NOT NULL, kode TEXT NOT NULL,
    archived_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS archive_files (
    document_id INTEGER NOT NULL REFERENCES archive(document_id), path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY, sop TEXT NOT NULL, facts TEXT NOT NULL, opened_at TEXT NOT NULL,
    next_step INTEGER, status TEXT NOT NULL DEFAULT 'buka', closed_at TEXT);
CREATE TABLE IF NOT EXISTS case_steps (
    id INTEGER PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), step INTEGER NOT NULL,
    done_at TEXT NOT NULL, decision TEXT, numbers TEXT NOT NULL, paths TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS letters (
    kunci TEXT PRIMARY KEY, nomor TEXT NOT NULL, urut INTEGER NOT NULL, tahun INTEGER NOT NULL,
    surat_dari TEXT NOT NULL, nomor_surat TEXT NOT NULL, tanggal_surat TEXT NOT NULL,
    diterima_tanggal TEXT NOT NULL, hal TEXT NOT NULL, UNIQUE (tahun, nomor));
CREATE TABLE IF NOT EXISTS files (
    document_id INTEGER NOT NULL REFERENCES documents(id), path TEXT NOT NULL,
    sha256 TEXT NOT NULL);
"""

#: Ordered migrations: ``MIGRATIONS[i]`` takes a register from schema version i to i + 1
#: (``PRAGMA user_version``). A new register gets the first schema, then every migration,
#: so that old and new registers always end with the same tables.
Migration = str | Callable[[sqlite3.Connection], object]
MIGRATIONS: tuple[tuple[Migration, ...], ...] = (
    (  # 1: summaries taken at make time; files shared by several documents (batches)
        "ALTER TABLE documents ADD COLUMN summary_json TEXT",
        "ALTER TABLE files ADD COLUMN page INTEGER",
        "CREATE INDEX files_document ON files (document_id)",
        "CREATE INDEX files_sha256 ON files (sha256)",
        "CREATE INDEX documents_year ON documents (tahun, series)",
        "CREATE INDEX documents_without_summary ON documents (id) WHERE summary_json IS NULL",
        "CREATE TABLE archive_files_v1 (document_id INTEGER NOT NULL "
        "REFERENCES archive(document_id), path TEXT NOT NULL, sha256 TEXT NOT NULL, "
        "UNIQUE (document_id, path))",
        "INSERT INTO archive_files_v1 SELECT document_id, path, sha256 FROM archive_files",
        "DROP TABLE archive_files",
        "ALTER TABLE archive_files_v1 RENAME TO archive_files",
    ),
    (  # 2: one outgoing number per (unit, year, urut), whatever its text; file lookups; the
       # archive register's hash chain
        "DROP INDEX outgoing_numbers",
        "CREATE UNIQUE INDEX outgoing_urut ON documents (series, unit, tahun, urut) "
        "WHERE series = 'keluar'",
        "CREATE INDEX files_path ON files (path)",
        "ALTER TABLE archive_files ADD COLUMN chain TEXT",
        lambda db: _chain_archive_files(db, ""),
    ),
    (  # 3: a case step done out of order records why it was forced (NULL: in order)
        "ALTER TABLE case_steps ADD COLUMN force_reason TEXT",
    ),
    (  # 4: incoming letters found by number and date (one letter under two spellings)
        "CREATE INDEX letters_tanggal ON letters (tanggal_surat, nomor_surat COLLATE NOCASE)",
    ),
    (  # 5: signed copies of files; the results of website monitoring runs
        "ALTER TABLE files ADD COLUMN signed_from TEXT",
        "CREATE TABLE monitoring (id INTEGER PRIMARY KEY, run_at TEXT NOT NULL, "
        "opd TEXT NOT NULL, url TEXT NOT NULL, status TEXT NOT NULL, latest TEXT, "
        "detail_json TEXT NOT NULL)",
        "CREATE INDEX monitoring_run ON monitoring (run_at)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def chain_link(previous: str, document_id: int, path: str, sha256: str) -> str:
    """The next link of the archive's hash chain: every archived file's row is chained to
    the one before, so a row whose hash or path was edited breaks the chain from there on."""
    return hashlib.sha256(f"{previous}|{document_id}|{path}|{sha256}".encode()).hexdigest()


def _chain_archive_files(db: sqlite3.Connection, previous: str) -> str:
    """Chain the archive's file rows that have no link yet, in the order they were added."""
    rows = db.execute("SELECT rowid, document_id, path, sha256 FROM archive_files "
                      "WHERE chain IS NULL ORDER BY rowid").fetchall()
    for rowid, doc_id, path, sha in rows:
        previous = chain_link(previous, doc_id, path, sha)
        db.execute("UPDATE archive_files SET chain = ? WHERE rowid = ?", (previous, rowid))
    return previous


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the register to ``SCHEMA_VERSION`` in one transaction (a second process waits,
    then finds nothing left to do); refuse a register made by a newer sopdocs."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise RegisterError(f"the register {path} has schema version {version}; this sopdocs "
                            f"knows up to {SCHEMA_VERSION}: upgrade sopdocs")
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for steps in MIGRATIONS[version:]:
            for statement in steps:
                if callable(statement):
                    statement(db)
                else:
                    db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class _SqliteTransaction(Transaction):
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def next_urut(self, series: str, unit: str, tahun: int) -> int:
        row = self.db.execute(
            "INSERT INTO counters (series, unit, tahun, last) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (series, unit, tahun) DO UPDATE SET last = last + 1 RETURNING last",
            (series, unit, tahun),
        ).fetchone()
        return int(row[0])

    def claim(self, series: str, unit: str, tahun: int, urut: int) -> None:
        self.db.execute(
            "INSERT INTO counters (series, unit, tahun, last) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (series, unit, tahun) DO UPDATE SET last = max(last, excluded.last)",
            (series, unit, tahun, urut),
        )

    def add(self, entry: Entry) -> int:
        try:
            cur = self.db.execute(
                "INSERT INTO documents (nomor, series, kind, hal, tanggal, urut, tahun, unit, "
                "status, created_at, record_json, summary_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.nomor, entry.series, entry.kind, entry.hal, entry.tanggal.isoformat(),
                 entry.urut, entry.tahun, entry.unit, entry.status,
                 datetime.now(UTC).isoformat(timespec="seconds"), entry.record_json,
                 entry.summary_json),
            )
        except sqlite3.IntegrityError:
            raise RegisterError(
                f"number {entry.nomor} ({entry.series} {entry.tahun}, urut {entry.urut}) is "
                "already in the register") from None
        doc_id = int(cur.lastrowid or 0)
        self.add_files(doc_id, entry.files)
        return doc_id

    def add_files(self, document_id: int, files: tuple[FileEntry, ...]) -> None:
        self.db.executemany(
            "INSERT INTO files (document_id, path, sha256, page, signed_from) "
            "VALUES (?, ?, ?, ?, ?)",
            [(document_id, f.path, f.sha256, f.page, f.signed_from) for f in files],
        )

    def record_step(self, case_id: str, done: CaseStep, next_step: int | None) -> None:
        self.db.execute(
            "INSERT INTO case_steps (case_id, step, done_at, decision, numbers, paths, "
            "force_reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (case_id, done.step, done.done_at.isoformat(timespec="seconds"), done.decision,
             json.dumps(done.numbers), json.dumps(done.paths), done.force_reason))
        closed = None if next_step else done.done_at.isoformat(timespec="seconds")
        self.db.execute(
            "UPDATE cases SET next_step = ?, status = ?, closed_at = ? WHERE id = ?",
            (next_step, "buka" if next_step else "selesai", closed, case_id))

    def archive(self, items: list[Archived]) -> None:
        head = self._chain_head()
        for item in items:
            try:
                self.db.execute(
                    "INSERT INTO archive (document_id, nomor, kind, hal, tanggal, kode, "
                    "archived_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (item.document_id, item.nomor, item.kind, item.hal, item.tanggal.isoformat(),
                     item.kode, item.archived_at.isoformat(timespec="seconds")))
            except sqlite3.IntegrityError:
                raise RegisterError(f"{item.nomor} is archived already") from None
            self.db.executemany(
                "INSERT INTO archive_files (document_id, path, sha256) VALUES (?, ?, ?)",
                [(item.document_id, f.path, f.sha256) for f in item.files])
        _chain_archive_files(self.db, head)

    def archive_more(self, items: list[Archived], files: tuple[FileEntry, ...]) -> None:
        head = self._chain_head()
        self.db.executemany(
            "INSERT INTO archive_files (document_id, path, sha256) VALUES (?, ?, ?)",
            [(item.document_id, f.path, f.sha256) for item in items for f in files])
        _chain_archive_files(self.db, head)

    def _chain_head(self) -> str:
        row = self.db.execute("SELECT chain FROM archive_files WHERE chain IS NOT NULL "
                              "ORDER BY rowid DESC LIMIT 1").fetchone()
        return str(row[0]) if row else ""

    def archived_files(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT path, sha256 FROM archive_files").fetchall())

    def registered_sha256(self, path: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM files WHERE path = ?", (path,)).fetchone()
        return str(row[0]) if row else None

    def last_date(self, series: str, unit: str, tahun: int) -> date | None:
        row = self.db.execute(
            "SELECT max(tanggal) FROM documents WHERE series = ? AND unit = ? AND tahun = ?",
            (series, unit, tahun)).fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def letter(self, kunci: str) -> Letter | None:
        return _letter(self.db.execute(
            f"SELECT {_LETTER_COLUMNS} FROM letters WHERE kunci = ?", (kunci,)).fetchone())

    def letters_numbered(self, nomor_surat: str, tanggal_surat: date) -> list[Letter]:
        rows = self.db.execute(
            f"SELECT {_LETTER_COLUMNS} FROM letters WHERE tanggal_surat = ? "
            "AND nomor_surat = ? COLLATE NOCASE",
            (tanggal_surat.isoformat(), nomor_surat)).fetchall()
        return [letter for row in rows if (letter := _letter(row)) is not None]

    def letter_with_agenda(self, tahun: int, nomor: str) -> Letter | None:
        return _letter(self.db.execute(
            f"SELECT {_LETTER_COLUMNS} FROM letters WHERE tahun = ? AND nomor = ?",
            (tahun, nomor)).fetchone())

    def add_letter(self, letter: Letter) -> None:
        self.db.execute(
            f"INSERT INTO letters ({_LETTER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (letter.kunci, letter.nomor, letter.urut, letter.tahun, letter.surat_dari,
             letter.nomor_surat, letter.tanggal_surat.isoformat(),
             letter.diterima_tanggal.isoformat(), letter.hal))


_LETTER_COLUMNS = ("kunci, nomor, urut, tahun, surat_dari, nomor_surat, tanggal_surat, "
                   "diterima_tanggal, hal")


def _letter(row: tuple[object, ...] | None) -> Letter | None:
    if row is None:
        return None
    k, nomor, urut, tahun, dari, nomor_surat, tgl, diterima, hal = row
    return Letter(str(k), str(nomor), int(str(urut)), int(str(tahun)), str(dari),
                  str(nomor_surat), date.fromisoformat(str(tgl)),
                  date.fromisoformat(str(diterima)), str(hal))


class SqliteRegister(Register):
    """The register in one SQLite file of the workspace (created on first use)."""

    def __init__(self, path: Path, timeout: float = 60.0):
        self.path = path
        self.timeout = timeout

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                db.executescript(_SCHEMA)
                migrate(db, self.path)
        except sqlite3.Error as exc:
            raise RegisterError(f"cannot open the register {self.path}: {exc}") from None
        return db

    def transaction(self) -> AbstractContextManager[Transaction]:
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[_SqliteTransaction]:
        db = self._connect()
        try:
            # IMMEDIATE takes the write lock now: a second process waits here, so two
            # processes can never read the same counter value.
            db.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTransaction(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise RegisterError(f"register {self.path}: {exc}") from None
        finally:
            db.close()

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query; no rows when the register has not been created yet."""
        if not self.path.exists():
            return []
        db = self._connect()
        try:
            return db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise RegisterError(f"register {self.path}: {exc}") from None
        finally:
            db.close()

    def entries(self, tahun: int | None = None, with_files: bool = True) -> list[Entry]:
        return self._entries("tahun = coalesce(?, tahun)", (tahun,), with_files)

    def without_summary(self) -> list[Entry]:
        return self._entries("summary_json IS NULL", (), with_files=False)

    def _entries(self, where: str, args: tuple[Any, ...], with_files: bool) -> list[Entry]:
        rows = self._rows(
            "SELECT id, nomor, kind, hal, tanggal, urut, tahun, unit, status, void_reason, "
            f"series, record_json, coalesce(summary_json, '') FROM documents WHERE {where} "
            "ORDER BY series DESC, tahun, unit, urut, id", args)
        files: dict[int, list[FileEntry]] = {}
        if with_files:
            for doc_id, path, sha, page, signed_from in self._rows(
                    "SELECT document_id, path, sha256, page, signed_from FROM files "
                    f"WHERE document_id IN (SELECT id FROM documents WHERE {where})", args):
                files.setdefault(doc_id, []).append(FileEntry(path, sha, page, signed_from))
        return [
            Entry(nomor=r[1], kind=r[2], hal=r[3], tanggal=date.fromisoformat(r[4]), urut=r[5],
                  tahun=r[6], unit=r[7], status=r[8], void_reason=r[9],
                  files=tuple(files.get(r[0], ())), series=r[10], id=r[0], record_json=r[11],
                  summary_json=r[12])
            for r in rows
        ]

    def documents_with_file(self, sha256: str) -> list[Entry]:
        return self._entries("id IN (SELECT document_id FROM files WHERE sha256 = ?)",
                             (sha256,), with_files=True)

    def record_monitoring(self, observations: list[Observation]) -> None:
        with self._transaction() as tx:
            tx.db.executemany(
                "INSERT INTO monitoring (run_at, opd, url, status, latest, detail_json) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(o.run_at.isoformat(timespec="seconds"), o.opd, o.url, o.status,
                  o.latest.isoformat() if o.latest else None, o.detail_json)
                 for o in observations])

    def monitoring(self, since: datetime | None = None) -> list[Observation]:
        rows = self._rows(
            "SELECT run_at, opd, url, status, latest, detail_json FROM monitoring "
            "WHERE run_at >= coalesce(?, run_at) ORDER BY run_at, id",
            (since.isoformat(timespec="seconds") if since else None,))
        return [Observation(datetime.fromisoformat(r[0]), r[1], r[2], r[3],
                            date.fromisoformat(r[4]) if r[4] else None, r[5]) for r in rows]

    def set_summaries(self, summaries: dict[int, str]) -> None:
        with self._transaction() as tx:
            tx.db.executemany(
                "UPDATE documents SET summary_json = ? WHERE id = ? AND summary_json IS NULL",
                [(text, doc_id) for doc_id, text in summaries.items()])

    def letters(self, tahun: int | None = None) -> list[Letter]:
        rows = self._rows(f"SELECT {_LETTER_COLUMNS} FROM letters WHERE tahun = "
                          "coalesce(?, tahun) ORDER BY tahun, urut", (tahun,))
        return [letter for row in rows if (letter := _letter(row)) is not None]

    def archive_chain(self) -> list[tuple[int, str, str, str]]:
        return [(int(d), str(p), str(s), str(c or "")) for d, p, s, c in self._rows(
            "SELECT document_id, path, sha256, chain FROM archive_files ORDER BY rowid")]

    def archived(self) -> list[Archived]:
        files: dict[int, list[FileEntry]] = {}
        for doc_id, path, sha in self._rows(
                "SELECT document_id, path, sha256 FROM archive_files ORDER BY path"):
            files.setdefault(doc_id, []).append(FileEntry(path, sha))
        rows = self._rows("SELECT a.document_id, a.nomor, a.kind, a.hal, a.tanggal, a.kode, "
                          "a.archived_at, coalesce(d.summary_json, '') FROM archive a "
                          "JOIN documents d ON d.id = a.document_id "
                          "ORDER BY a.tanggal, a.document_id")
        return [Archived(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]), r[5],
                         datetime.fromisoformat(r[6]), tuple(files.get(r[0], ())), r[7])
                for r in rows]

    def open_case(self, sop: str, facts: dict[str, object], opened_at: datetime) -> Case:
        with self._transaction() as tx:
            seq = tx.next_urut(f"kasus:{sop}", "", opened_at.year)
            case_id = f"{sop.upper()}-{opened_at.year}-{seq:04d}"
            tx.db.execute(
                f"INSERT INTO cases ({_CASE_COLUMNS}) VALUES (?, ?, ?, ?, 1, 'buka', NULL)",
                (case_id, sop, json.dumps(facts, ensure_ascii=False, default=str),
                 opened_at.isoformat(timespec="seconds")))
        return Case(case_id, sop, facts, opened_at, 1)

    def case(self, case_id: str) -> Case | None:
        found = self._cases("id = ?", (case_id.strip().upper(),))
        return found[0] if found else None

    def cases(self, sop: str | None = None, open_only: bool = False) -> list[Case]:
        return self._cases("sop = coalesce(?, sop) AND (? = 0 OR status = 'buka')",
                           (sop, int(open_only)))

    def _cases(self, where: str, args: tuple[Any, ...]) -> list[Case]:
        rows = self._rows(f"SELECT {_CASE_COLUMNS} FROM cases WHERE {where} "
                          "ORDER BY opened_at, id", args)
        steps: dict[str, list[CaseStep]] = {}
        for case_id, step, done_at, decision, numbers, paths, force_reason in self._rows(
                "SELECT case_id, step, done_at, decision, numbers, paths, force_reason "
                "FROM case_steps ORDER BY id"):
            steps.setdefault(case_id, []).append(CaseStep(
                step, datetime.fromisoformat(done_at), decision, tuple(json.loads(numbers)),
                tuple(json.loads(paths)), force_reason))
        return [Case(case_id, sop, json.loads(facts), datetime.fromisoformat(opened_at),
                     next_step, status, datetime.fromisoformat(closed_at) if closed_at else None,
                     tuple(steps.get(case_id, ())))
                for case_id, sop, facts, opened_at, next_step, status, closed_at in rows]

    def record_step(self, case_id: str, done: CaseStep, next_step: int | None) -> Case:
        with self._transaction() as tx:
            tx.record_step(case_id, done, next_step)
        found = self.case(case_id)
        assert found is not None
        return found

    def void(self, nomor: str, reason: str, tahun: int | None = None) -> Entry:
        if not reason.strip():
            raise RegisterError("a void needs a reason", option="reason")
        with self._transaction() as tx:
            rows = tx.db.execute(
                "SELECT id, status, tahun FROM documents WHERE series = 'keluar' AND nomor = ? "
                "AND tahun = coalesce(?, tahun)", (nomor, tahun)).fetchall()
            if not rows:
                raise RegisterError(f"number {nomor!r} is not an outgoing number in the register")
            if len(rows) > 1:
                years = ", ".join(str(r[2]) for r in rows)
                raise RegisterError(f"number {nomor!r} is in the register for {years}; "
                                    "give the year", option="year")
            doc_id, status, year = rows[0]
            if status == "batal":
                raise RegisterError(f"number {nomor} is already void")
            tx.db.execute(
                "UPDATE documents SET status = 'batal', void_reason = ?, voided_at = ? "
                "WHERE id = ?",
                (reason.strip(), datetime.now(UTC).isoformat(timespec="seconds"), doc_id),
            )
        return next(e for e in self.entries(year) if e.nomor == nomor)


_CASE_COLUMNS = "id, sop, facts, opened_at, next_step, status, closed_at"


def open_register(path: Path) -> Register:
    """Return the register stored at ``path`` (SQLite today; a URL will select PostgreSQL)."""
    return SqliteRegister(path)
