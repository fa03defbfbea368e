"""The register's queries, written once for SQLite and PostgreSQL (``schema.Dialect`` fills in
where they differ). A backend says how to connect, begin and commit; everything else is here."""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime
from typing import Any

from ..errors import RegisterError
from . import (
    KELUAR,
    Archived,
    AuditRow,
    Case,
    CaseStep,
    Entry,
    FileEntry,
    Letter,
    Observation,
    Register,
    Transaction,
)
from .schema import KEYS, TABLES, Dialect, chain_archive_files

Row = tuple[Any, ...]
#: Rows a stream (``table_rows``) fetches at a time, and a copy inserts at a time.
STREAM_ROWS = 5000
#: Documents ``add_many`` sends together (ids taken at once, then one statement per table).
MANY = 1000
DOCUMENT_COLUMNS = ("nomor, series, kind, hal, tanggal, urut, tahun, unit, status, "
                    "void_reason, created_at, record_json, summary_json, counter")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SqlTransaction(Transaction):
    """A transaction on an open DB-API connection (sqlite3 or psycopg)."""

    def __init__(self, conn: Any, dialect: Dialect, integrity: tuple[type[Exception], ...],
                 who: str):
        self.conn = conn
        self.dialect = dialect
        self.integrity = integrity
        self.who = who
        #: Number only from reserved blocks (``Register.offline``).
        self.offline = False

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
        cur = self.conn.execute(self.dialect.sql(sql), args)
        return list(cur.fetchall()) if cur.description else []

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.conn.cursor().executemany(self.dialect.sql(sql), rows)

    def send(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        """Run a statement whose result nobody reads: a backend may send it with the next
        statement that needs an answer, and raise its error there (same transaction)."""
        self.execute(sql, args)

    def violates(self, exc: Exception, table: str) -> bool:
        """Whether an integrity error is a row of ``table`` refused (not that of a statement
        sent before, when ``send`` defers), so that its message may name the cause."""
        return True

    def log(self, action: str, nomor: str, tahun: int, detail: str = "") -> None:
        """Append a line to the audit: this process's operator did ``action`` to ``nomor``."""
        self.send("INSERT INTO audit (at, who, action, nomor, tahun, detail) "
                  "VALUES (?, ?, ?, ?, ?, ?)", (now(), self.who, action, nomor, tahun, detail))

    def next_urut(self, series: str, unit: str, tahun: int) -> int:
        if self.dialect.name != "sqlite":  # blocks are reserved into a desk's own SQLite
            return self._advance(series, unit, tahun)  # file only: one round trip less
        (free, reserved), = self.execute(
            "SELECT min(CASE WHEN series = ? AND unit = ? AND tahun = ? AND taken = 0 "
            "THEN urut END), count(*) FROM reserved", (series, unit, tahun))
        if free is not None:  # a desk offline: the next number of its reserved block
            self.execute("UPDATE reserved SET taken = 1 WHERE series = ? AND unit = ? "
                         "AND tahun = ? AND urut = ?", (series, unit, tahun, free))
            return int(free)
        if reserved or self.offline:
            raise RegisterError(
                f"this desk's register numbers only from blocks reserved from the shared "
                f"register, and none is left for {series} {unit} {tahun}: connect, "
                "'sopdocs register sync', then 'sopdocs number reserve' again")
        return self._advance(series, unit, tahun)

    def _advance(self, series: str, unit: str, tahun: int) -> int:
        """Take the next number of a counter (created at 1), in this transaction."""
        (row,) = self.execute(
            "INSERT INTO counters (series, unit, tahun, last) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (series, unit, tahun) DO UPDATE SET last = counters.last + 1 "
            "RETURNING last", (series, unit, tahun))
        return int(row[0])

    def claim(self, series: str, unit: str, tahun: int, urut: int) -> None:
        self.send(
            "INSERT INTO counters (series, unit, tahun, last) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (series, unit, tahun) DO UPDATE SET last = CASE WHEN "
            "excluded.last > counters.last THEN excluded.last ELSE counters.last END",
            (series, unit, tahun, urut))

    def add(self, entry: Entry) -> int:
        if entry.series == KELUAR:
            self._refuse_printed_twice(entry)
        try:
            (row,) = self.execute(
                f"INSERT INTO documents ({DOCUMENT_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                _document_row(entry, now()))
        except self.integrity as exc:
            if not self.violates(exc, "documents"):
                raise
            raise RegisterError(
                f"number {entry.nomor} ({entry.series} {entry.tahun}, urut {entry.urut}) is "
                "already in the register") from None
        doc_id = int(row[0])
        self.add_files(doc_id, entry.files)
        self.log(*_audit_line(entry))
        return doc_id

    def add_many(self, entries: Iterable[Entry]) -> None:
        """Outgoing numbers one by one (``add`` checks each against the year's), the others
        MANY at a time: their ids taken at once, then documents, files and audit lines
        each one ``executemany`` (sent with the next answer on PostgreSQL)."""
        pending: list[Entry] = []
        for entry in entries:
            if entry.series == KELUAR:
                self._add_pending(pending)
                self.add(entry)
            else:
                pending.append(entry)
                if len(pending) == MANY:
                    self._add_pending(pending)
        self._add_pending(pending)

    def _add_pending(self, entries: list[Entry]) -> None:
        """Register ``entries`` (none outgoing: no unique number to refuse), then forget them."""
        if not entries:
            return
        numbered = list(zip(self.new_ids(len(entries)), entries, strict=True))
        stamp = now()
        self.executemany(
            f"INSERT INTO documents (id, {DOCUMENT_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, *_document_row(e, stamp)) for doc_id, e in numbered])
        self.executemany(
            "INSERT INTO files (document_id, path, sha256, page, signed_from) "
            "VALUES (?, ?, ?, ?, ?)",
            [(doc_id, f.path, f.sha256, f.page, f.signed_from)
             for doc_id, e in numbered for f in e.files])
        self.executemany(
            "INSERT INTO audit (at, who, action, nomor, tahun, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(stamp, self.who, *_audit_line(e)) for e in entries])
        entries.clear()

    def new_ids(self, count: int) -> list[int]:
        """``count`` ids for new documents, ascending, as the database would give them (on
        SQLite, after the largest: its transactions are serialised)."""
        (first,), = self.execute("SELECT coalesce(max(id), 0) + 1 FROM documents")
        return list(range(int(first), int(first) + count))

    def _refuse_printed_twice(self, entry: Entry) -> None:
        """Refuse an outgoing number whose text the year already has from another counter
        (the numbering mode changed mid-year: ``800/1/…`` per series, then again per kode;
        or units sharing a register whose pattern has no unit). The lock on the text makes
        two desks taking it at once wait for each other, so the second sees the first."""
        self.lock(f"sopdocs:nomor:{entry.tahun}:{entry.nomor}")
        if self.execute("SELECT 1 FROM documents WHERE series = ? AND tahun = ? AND nomor = ?",
                        (KELUAR, entry.tahun, entry.nomor)):
            raise RegisterError(
                f"number {entry.nomor} ({entry.series} {entry.tahun}, urut {entry.urut}) is "
                "already in the register; if the numbering mode (nomor.penomoran) changed this "
                "year, change it back: a mode may change only with the year")

    def add_files(self, document_id: int, files: tuple[FileEntry, ...]) -> None:
        self.executemany(
            "INSERT INTO files (document_id, path, sha256, page, signed_from) "
            "VALUES (?, ?, ?, ?, ?)",
            [(document_id, f.path, f.sha256, f.page, f.signed_from) for f in files])

    def record_step(self, case_id: str, done: CaseStep, next_step: int | None) -> None:
        self.execute(
            "INSERT INTO case_steps (case_id, step, done_at, decision, numbers, paths, "
            "force_reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (case_id, done.step, done.done_at.isoformat(timespec="seconds"), done.decision,
             json.dumps(done.numbers), json.dumps(done.paths), done.force_reason))
        closed = None if next_step else done.done_at.isoformat(timespec="seconds")
        self.execute(
            "UPDATE cases SET next_step = ?, status = ?, closed_at = ? WHERE id = ?",
            (next_step, "buka" if next_step else "selesai", closed, case_id))

    def identity_follows(self, table: str) -> None:
        """After rows were copied in with their ids, let the database's next id follow
        them (SQLite does so by itself)."""

    def archive_lock(self) -> None:
        """Serialise appends to the archive's hash chain (a no-op where all transactions
        are serialised)."""

    def archive(self, items: list[Archived]) -> None:
        head = self._chain_head()
        for item in items:
            try:
                self.execute(
                    "INSERT INTO archive (document_id, nomor, kind, hal, tanggal, kode, "
                    "archived_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (item.document_id, item.nomor, item.kind, item.hal,
                     item.tanggal.isoformat(), item.kode,
                     item.archived_at.isoformat(timespec="seconds")))
            except self.integrity as exc:
                if not self.violates(exc, "archive"):
                    raise
                raise RegisterError(f"{item.nomor} is archived already") from None
            self.executemany(
                "INSERT INTO archive_files (document_id, path, sha256) VALUES (?, ?, ?)",
                [(item.document_id, f.path, f.sha256) for f in item.files])
            self.log("archived", item.nomor, item.tanggal.year, item.kode)
        chain_archive_files(self, head)

    def archive_more(self, items: list[Archived], files: tuple[FileEntry, ...]) -> None:
        head = self._chain_head()
        self.executemany(
            "INSERT INTO archive_files (document_id, path, sha256) VALUES (?, ?, ?)",
            [(item.document_id, f.path, f.sha256) for item in items for f in files])
        chain_archive_files(self, head)

    def _chain_head(self) -> str:
        self.archive_lock()
        rows = self.execute("SELECT chain FROM archive_files WHERE chain IS NOT NULL "
                            "ORDER BY {rowid} DESC LIMIT 1")
        return str(rows[0][0]) if rows else ""

    def archived_files(self) -> dict[str, str]:
        self.archive_lock()
        return {str(p): str(s) for p, s in self.execute("SELECT path, sha256 FROM archive_files")}

    def registered_sha256(self, path: str) -> str | None:
        rows = self.execute("SELECT sha256 FROM files WHERE path = ?", (path,))
        return str(rows[0][0]) if rows else None

    def last_date(self, series: str, unit: str, tahun: int) -> date | None:
        rows = self.execute(
            "SELECT max(tanggal) FROM documents WHERE series = ? AND unit = ? AND tahun = ?",
            (series, unit, tahun))
        return date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    def letter(self, kunci: str) -> Letter | None:
        return _first_letter(self.execute(
            f"SELECT {LETTER_COLUMNS} FROM letters WHERE kunci = ?", (kunci,)))

    def letters_numbered(self, nomor_surat: str, tanggal_surat: date) -> list[Letter]:
        return [_letter(row) for row in self.execute(
            f"SELECT {LETTER_COLUMNS} FROM letters WHERE tanggal_surat = ? "
            "AND {nocase_match}", (tanggal_surat.isoformat(), nomor_surat))]

    def letter_with_agenda(self, tahun: int, nomor: str) -> Letter | None:
        return _first_letter(self.execute(
            f"SELECT {LETTER_COLUMNS} FROM letters WHERE tahun = ? AND nomor = ?",
            (tahun, nomor)))

    def add_letter(self, letter: Letter) -> None:
        self.send(
            f"INSERT INTO letters ({LETTER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (letter.kunci, letter.nomor, letter.urut, letter.tahun, letter.surat_dari,
             letter.nomor_surat, letter.tanggal_surat.isoformat(),
             letter.diterima_tanggal.isoformat(), letter.hal))


def _document_row(entry: Entry, created_at: str) -> Row:
    """The values of ``DOCUMENT_COLUMNS`` for a new document."""
    return (entry.nomor, entry.series, entry.kind, entry.hal, entry.tanggal.isoformat(),
            entry.urut, entry.tahun, entry.unit, entry.status, entry.void_reason, created_at,
            entry.record_json, entry.summary_json, entry.counter)


def _audit_line(entry: Entry) -> tuple[str, str, int, str]:
    """The audit's action, number, year and detail for a document registered."""
    if entry.status == "batal":
        return "voided", entry.nomor, entry.tahun, entry.void_reason or ""
    return "took", entry.nomor, entry.tahun, f"{entry.series} {entry.kind}: {entry.hal}"[:200]


LETTER_COLUMNS = ("kunci, nomor, urut, tahun, surat_dari, nomor_surat, tanggal_surat, "
                  "diterima_tanggal, hal")
CASE_COLUMNS = "id, sop, facts, opened_at, next_step, status, closed_at"


def _letter(row: Row) -> Letter:
    k, nomor, urut, tahun, dari, nomor_surat, tgl, diterima, hal = row
    return Letter(str(k), str(nomor), int(urut), int(tahun), str(dari), str(nomor_surat),
                  date.fromisoformat(str(tgl)), date.fromisoformat(str(diterima)), str(hal))


def _first_letter(rows: list[Row]) -> Letter | None:
    return _letter(rows[0]) if rows else None


class SqlRegister(Register):
    """Everything a register does, over a backend's connections."""

    dialect: Dialect

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[SqlTransaction]:
        """A transaction that commits when the block ends, rolls back if it raises, and
        turns the driver's errors into RegisterError naming the register."""

    @abstractmethod
    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
        """Run a read-only query (dialect tokens filled in here)."""

    def transaction(self) -> AbstractContextManager[Transaction]:
        return self._work()

    @contextmanager
    def _work(self) -> Iterator[SqlTransaction]:
        """A transaction that takes numbers as this register may (``offline``)."""
        with self._transaction() as tx:
            tx.offline = self.offline
            yield tx

    def entries(self, tahun: int | None = None, with_files: bool = True,
                with_record: bool = True) -> list[Entry]:
        # "tahun = ?" can use the index documents_listing; "tahun = coalesce(?, tahun)" makes
        # the database read every row of every year (a million rows for one year's list)
        if tahun is None:
            return self._entries("1 = 1", (), with_files, with_record)
        return self._entries("tahun = ?", (tahun,), with_files, with_record)

    def without_summary(self) -> list[Entry]:
        return self._entries("summary_json IS NULL", (), with_files=False)

    def _entries(self, where: str, args: tuple[Any, ...], with_files: bool,
                 with_record: bool = True) -> list[Entry]:
        record = "record_json" if with_record else "''"
        rows = self._rows(
            "SELECT id, nomor, kind, hal, tanggal, urut, tahun, unit, status, void_reason, "
            f"series, {record}, coalesce(summary_json, ''), counter FROM documents "
            f"WHERE {where} "
            "ORDER BY series DESC, tahun, unit, urut, id", args)
        files: dict[int, list[FileEntry]] = {}
        if with_files and rows:
            for doc_id, path, sha, page, signed_from in self._rows(
                    "SELECT document_id, path, sha256, page, signed_from FROM files "
                    f"WHERE document_id IN (SELECT id FROM documents WHERE {where})", args):
                files.setdefault(doc_id, []).append(FileEntry(path, sha, page, signed_from))
        return [
            Entry(nomor=r[1], kind=r[2], hal=r[3], tanggal=date.fromisoformat(r[4]), urut=r[5],
                  tahun=r[6], unit=r[7], status=r[8], void_reason=r[9],
                  files=tuple(files.get(r[0], ())), series=r[10], id=r[0], record_json=r[11],
                  summary_json=r[12], counter=r[13])
            for r in rows
        ]

    def documents_with_file(self, sha256: str) -> list[Entry]:
        return self._entries("id IN (SELECT document_id FROM files WHERE sha256 = ?)",
                             (sha256,), with_files=True)

    def record_monitoring(self, observations: list[Observation]) -> None:
        with self._transaction() as tx:
            tx.executemany(
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
            tx.executemany(
                "UPDATE documents SET summary_json = ? WHERE id = ? AND summary_json IS NULL",
                [(text, doc_id) for doc_id, text in summaries.items()])

    def letters(self, tahun: int | None = None) -> list[Letter]:
        return [_letter(row) for row in self._rows(
            f"SELECT {LETTER_COLUMNS} FROM letters "
            f"WHERE {'1 = 1' if tahun is None else 'tahun = ?'} ORDER BY tahun, urut",
            () if tahun is None else (tahun,))]

    def archive_chain(self) -> list[tuple[int, str, str, str]]:
        return [(int(d), str(p), str(s), str(c or "")) for d, p, s, c in self._rows(
            "SELECT document_id, path, sha256, chain FROM archive_files ORDER BY {rowid}")]

    def archived(self, tahun: int | None = None) -> list[Archived]:
        if tahun is None:
            return self._archived("1 = 1", ())
        return self._archived("a.tanggal >= ? AND a.tanggal < ?",
                              (f"{tahun:04d}", f"{tahun + 1:04d}"))

    def archived_with_file(self, sha256: str) -> list[Archived]:
        return self._archived("a.document_id IN (SELECT document_id FROM archive_files "
                              "WHERE sha256 = ?)", (sha256,))

    def _archived(self, where: str, args: tuple[Any, ...]) -> list[Archived]:
        files: dict[int, list[FileEntry]] = {}
        for doc_id, path, sha in self._rows(
                "SELECT document_id, path, sha256 FROM archive_files WHERE document_id IN "
                f"(SELECT a.document_id FROM archive a WHERE {where}) ORDER BY path", args):
            files.setdefault(doc_id, []).append(FileEntry(path, sha))
        rows = self._rows("SELECT a.document_id, a.nomor, a.kind, a.hal, a.tanggal, a.kode, "
                          "a.archived_at, coalesce(d.summary_json, '') FROM archive a "
                          f"JOIN documents d ON d.id = a.document_id WHERE {where} "
                          "ORDER BY a.tanggal, a.document_id", args)
        return [Archived(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]), r[5],
                         datetime.fromisoformat(r[6]), tuple(files.get(r[0], ())), r[7])
                for r in rows]

    def open_case(self, sop: str, facts: dict[str, object], opened_at: datetime) -> Case:
        with self._work() as tx:
            seq = tx.next_urut(f"kasus:{sop}", "", opened_at.year)
            case_id = f"{sop.upper()}-{opened_at.year}-{seq:04d}"
            tx.execute(
                f"INSERT INTO cases ({CASE_COLUMNS}) VALUES (?, ?, ?, ?, 1, 'buka', NULL)",
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
        rows = self._rows(f"SELECT {CASE_COLUMNS} FROM cases WHERE {where} "
                          "ORDER BY opened_at, id", args)
        steps: dict[str, list[CaseStep]] = {}
        for case_id, step, done_at, decision, numbers, paths, force_reason in self._rows(
                "SELECT case_id, step, done_at, decision, numbers, paths, force_reason "
                f"FROM case_steps WHERE case_id IN (SELECT id FROM cases WHERE {where}) "
                "ORDER BY id", args):
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
            rows = tx.execute(
                "SELECT id, status, tahun FROM documents WHERE series = 'keluar' AND nomor = ? "
                "AND tahun = coalesce(?, tahun) {for_update}", (nomor, tahun))
            if not rows:
                raise RegisterError(f"number {nomor!r} is not an outgoing number in the register")
            if len(rows) > 1:
                years = ", ".join(str(r[2]) for r in rows)
                raise RegisterError(f"number {nomor!r} is in the register for {years}; "
                                    "give the year", option="year")
            doc_id, status, year = rows[0]
            if status == "batal":
                raise RegisterError(f"number {nomor} is already void")
            tx.execute("UPDATE documents SET status = 'batal', void_reason = ?, voided_at = ? "
                       "WHERE id = ?", (reason.strip(), now(), doc_id))
            tx.log("voided", nomor, year, reason.strip())
        return self._entries("id = ?", (doc_id,), with_files=True)[0]

    def counts(self) -> dict[str, int]:
        return {table: int(self._rows(f"SELECT count(*) FROM {table}")[0][0])
                for table in TABLES}

    def table_rows(self, table: str) -> Iterator[Row]:
        order = "{rowid}" if table == "archive_files" else ", ".join(KEYS[table])
        return self._stream(f"SELECT {', '.join(TABLES[table])} FROM {table} ORDER BY {order}")

    @abstractmethod
    def _stream(self, sql: str) -> Iterator[Row]:
        """The rows of a read-only query, fetched a batch at a time as the caller goes."""

    def audit(self, nomor: str | None = None) -> list[AuditRow]:
        return [AuditRow(datetime.fromisoformat(at), who, action, n, tahun, detail)
                for at, who, action, n, tahun, detail in self._rows(
                    "SELECT at, who, action, nomor, tahun, detail FROM audit "
                    "WHERE nomor = coalesce(?, nomor) ORDER BY id", (nomor,))]
