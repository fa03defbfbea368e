"""One register for the whole office on a PostgreSQL server (psycopg 3).

Credentials come from libpq's usual places (``PGPASSFILE``, ``PGPASSWORD``, the service
file), never from sopdocs. Numbers are taken by ``INSERT … ON CONFLICT … DO UPDATE …
RETURNING`` on one counter row per series in the transaction that records the document, so
concurrent desks wait only for the counter they share, never for a table. The schema version
is the one row of ``sopdocs_schema``; ``register init`` creates or migrates the schema (the
same migrations as SQLite) and nothing else ever changes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg

from ..errors import RegisterError
from . import masked, secrets, url_password
from .schema import POSTGRES, SCHEMA_VERSION, run_migrations
from .sql import STREAM_ROWS, Row, SqlRegister, SqlTransaction

#: How long to wait for the server before saying it is down.
CONNECT_TIMEOUT = 10


class PgTransaction(SqlTransaction):
    """A PostgreSQL transaction: advisory locks stand in for SQLite's one write lock where
    work must not interleave (the archive's hash chain, sweeping an output folder).

    It runs in pipeline mode: a statement whose result nobody reads (``send``, and
    ``executemany``: the audit line, a document's files, a letter) goes to the server with
    the next one that needs an answer, so that a letter of a batch whose sheets come through
    ``add_many`` waits for three answers, not seven. Everything stays in the one
    transaction; a statement that fails makes the next answer (or the commit) raise, and
    the transaction rolls back."""

    def __init__(self, conn: psycopg.Connection[Any], who: str,
                 pipeline: psycopg.Pipeline):
        super().__init__(conn, POSTGRES, (psycopg.errors.IntegrityError,), who)
        self.pipeline = pipeline
        self.held: set[str] = set()

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
        cur = self.conn.execute(self.dialect.sql(sql), args)
        self.pipeline.sync()  # this answer, and the results of whatever was sent before
        return list(cur.fetchall()) if cur.description else []

    def send(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        self.conn.execute(self.dialect.sql(sql), args)

    def violates(self, exc: Exception, table: str) -> bool:
        return getattr(getattr(exc, "diag", None), "table_name", None) == table

    def new_ids(self, count: int) -> list[int]:
        return sorted(int(i) for (i,) in self.execute(
            "SELECT nextval(pg_get_serial_sequence('documents', 'id')) "
            "FROM generate_series(1, ?)", (count,)))

    def lock(self, key: str) -> None:
        if key not in self.held:
            self.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (key,))
            self.held.add(key)

    def archive_lock(self) -> None:
        self.lock("sopdocs:archive")

    def identity_follows(self, table: str) -> None:
        self.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")


class PostgresRegister(SqlRegister):
    """The register on a PostgreSQL server, one connection per process, kept open."""

    dialect = POSTGRES

    def __init__(self, url: str, who: str = ""):
        self.url = url
        self.location = masked(url)
        self.who = who
        self._conn: psycopg.Connection[Any] | None = None

    def _error(self, exc: psycopg.Error, doing: str = "") -> RegisterError:
        """One line naming the register (password masked); a broken connection is dropped
        so that the next use connects again."""
        if self._conn is not None and (self._conn.broken or self._conn.closed):
            self._conn = None
        text = " ".join(str(exc).split()).replace(self.url, self.location)
        for secret in secrets(self.url):  # a driver's message may quote part of it
            text = text.replace(secret, "***")
        return RegisterError(f"register {self.location}: {doing}{text}")

    def _connect(self, check: bool = True) -> psycopg.Connection[Any]:
        if self._conn is not None and not (self._conn.broken or self._conn.closed):
            return self._conn
        if any(c in url_password(self.url) for c in "@/?#"):  # libpq would cut it there
            raise RegisterError(f"register {self.location}: write @ / ? # in the URL's "
                                "password as %40 %2F %3F %23, or keep the password in "
                                "~/.pgpass")
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        except psycopg.Error as exc:
            raise self._error(exc, "cannot connect: ") from None
        if check:
            try:
                version = _version(conn)
            except psycopg.Error as exc:
                conn.close()
                raise self._error(exc) from None
            if version != SCHEMA_VERSION:
                conn.close()
                raise RegisterError(self._version_problem(version))
        self._conn = conn
        return conn

    def _version_problem(self, version: int | None) -> str:
        if version is None:
            return (f"register {self.location} has no sopdocs schema: run 'sopdocs register "
                    "init' (once, for the whole office)")
        if version > SCHEMA_VERSION:
            return (f"register {self.location} has schema version {version}; this sopdocs "
                    f"knows up to {SCHEMA_VERSION}: upgrade sopdocs")
        return (f"register {self.location} has schema version {version}; run 'sopdocs "
                f"register init' to migrate it to {SCHEMA_VERSION}")

    def _transaction(self) -> AbstractContextManager[SqlTransaction]:
        return self._begin()

    @contextmanager
    def _begin(self, check: bool = True) -> Iterator[PgTransaction]:
        conn = self._connect(check)
        try:
            with conn.pipeline() as pipeline, conn.transaction():
                yield PgTransaction(conn, self.who, pipeline)
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def _stream(self, sql: str) -> Iterator[Row]:
        # a named (server-side) cursor: the server sends STREAM_ROWS rows at a time
        conn = self._connect()
        try:
            with conn.transaction(), conn.cursor(name="sopdocs_stream") as cursor:
                cursor.itersize = STREAM_ROWS
                cursor.execute(POSTGRES.sql(sql))
                yield from cursor
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
        conn = self._connect()
        try:
            return list(conn.execute(POSTGRES.sql(sql), args).fetchall())
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def init(self) -> int:
        with self._begin(check=False) as tx:
            tx.lock("sopdocs:migrate")  # two desks running init at once: one waits
            try:
                tx.execute("CREATE TABLE IF NOT EXISTS sopdocs_schema (one INTEGER PRIMARY KEY "
                           "CHECK (one = 1), version INTEGER NOT NULL)")
                rows = tx.execute("SELECT version FROM sopdocs_schema")
                before = int(rows[0][0]) if rows else 0
                if before > SCHEMA_VERSION:
                    raise RegisterError(self._version_problem(before))
                run_migrations(tx, before, f"register {self.location}")
                tx.execute("INSERT INTO sopdocs_schema (one, version) VALUES (1, ?) ON CONFLICT "
                           "(one) DO UPDATE SET version = excluded.version", (SCHEMA_VERSION,))
            except psycopg.errors.InsufficientPrivilege as exc:
                raise self._error(exc, "'register init' creates and alters tables: run it as "
                                       "the database's owner; ") from None
        return before

    def schema_version(self) -> int | None:
        conn = self._connect(check=False)
        try:
            return _version(conn)
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def close(self) -> None:
        """Close the connection (the next use opens another)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __del__(self) -> None:
        self.close()


def _version(conn: psycopg.Connection[Any]) -> int | None:
    """The schema version recorded on the server; None when there is no sopdocs schema."""
    (exists,) = conn.execute("SELECT to_regclass('sopdocs_schema') IS NOT NULL").fetchone() \
        or (False,)
    if not exists:
        return None
    row = conn.execute("SELECT version FROM sopdocs_schema").fetchone()
    return int(row[0]) if row else None
