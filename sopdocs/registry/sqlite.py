"""The register in one SQLite file of the workspace (created on first use; the default).

The schema version is ``PRAGMA user_version``; ``BEGIN IMMEDIATE`` serialises transactions
across processes, so two processes never read the same counter value.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from ..errors import RegisterError
from .schema import SCHEMA_VERSION, SQLITE, run_migrations
from .sql import STREAM_ROWS, Row, SqlRegister, SqlTransaction


class SqliteRegister(SqlRegister):
    """The register in one SQLite file of the workspace (created on first use)."""

    dialect = SQLITE

    def __init__(self, path: Path, timeout: float = 60.0, who: str = ""):
        self.path = path
        self.timeout = timeout
        self.location = str(path)
        self.who = who

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise RegisterError(f"cannot open the register {self.path}: {exc}") from None
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                migrate(db, self.path)
        except sqlite3.Error as exc:
            db.close()
            raise RegisterError(f"cannot open the register {self.path}: {exc}") from None
        except BaseException:  # a newer schema, another program's tables
            db.close()
            raise
        return db

    def _tx(self, db: sqlite3.Connection) -> SqlTransaction:
        return SqlTransaction(db, SQLITE, (sqlite3.IntegrityError,), self.who)

    def _transaction(self) -> AbstractContextManager[SqlTransaction]:
        return self._immediate()

    @contextmanager
    def _immediate(self) -> Iterator[SqlTransaction]:
        db = self._connect()
        try:
            # IMMEDIATE takes the write lock now: a second process waits here, so two
            # processes can never read the same counter value.
            db.execute("BEGIN IMMEDIATE")
            try:
                yield self._tx(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise RegisterError(f"register {self.path}: {exc}") from None
        finally:
            db.close()

    def _stream(self, sql: str) -> Iterator[Row]:
        if not self.path.exists():
            return
        db = self._connect()
        try:
            cursor = db.execute(SQLITE.sql(sql))
            while rows := cursor.fetchmany(STREAM_ROWS):
                yield from rows
        except sqlite3.Error as exc:
            raise RegisterError(f"register {self.path}: {exc}") from None
        finally:
            db.close()

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
        """Run a read-only query; no rows when the register has not been created yet."""
        if not self.path.exists():
            return []
        db = self._connect()
        try:
            return db.execute(SQLITE.sql(sql), args).fetchall()
        except sqlite3.Error as exc:
            raise RegisterError(f"register {self.path}: {exc}") from None
        finally:
            db.close()

    def init(self) -> int:
        version = self.schema_version() or 0
        self._connect().close()
        return version

    def schema_version(self) -> int | None:
        if not self.path.exists():
            return None
        try:
            db = sqlite3.connect(self.path)
            try:
                return int(db.execute("PRAGMA user_version").fetchone()[0])
            finally:
                db.close()
        except sqlite3.Error as exc:
            raise RegisterError(f"cannot open the register {self.path}: {exc}") from None


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
        run_migrations(SqlTransaction(db, SQLITE, (), ""), version, f"the register {path}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
