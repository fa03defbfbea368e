"""Copy a whole register into an empty one (a desk's SQLite file into the office's
PostgreSQL register) and prove the copy: the same rows in every table, by count and hash.
Rows are streamed (``Register.table_rows``) and inserted a batch at a time, so a register of
a million numbers is copied in constant memory."""

from __future__ import annotations

import hashlib
from itertools import islice

from ..errors import RegisterError
from . import Register, SqliteRegister
from .schema import IDENTITY, SCHEMA_VERSION, TABLES
from .sql import STREAM_ROWS, SqlRegister


def table_digest(register: Register, table: str) -> str:
    """A hash of a table's rows that does not depend on the order a backend gives them in:
    the sum of every row's SHA-256 (modulo 2**256), computed as the rows stream by."""
    total = 0
    for row in register.table_rows(table):
        total += int.from_bytes(hashlib.sha256(repr(row).encode()).digest(), "big")
    return f"{total % 2 ** 256:064x}"


def copy_register(source: Register, target: Register) -> dict[str, int]:
    """Copy every row of ``source`` into ``target`` (its schema created if missing) in one
    transaction, then check counts and hashes of every table; return the counts. Refuses a
    target that holds anything, so nothing is ever merged into another office's numbers."""
    if not isinstance(target, SqlRegister):
        raise RegisterError(f"cannot copy into {target.location}")
    if target.location == source.location:
        raise RegisterError(f"{source.location} is the register in use: copy it into another")
    if isinstance(target, SqliteRegister) and target.path.exists() \
            and not target.schema_version():
        raise RegisterError(f"{target.location} exists and is not a sopdocs register: copy "
                            "into a new file")
    if source.schema_version() is None:
        raise RegisterError(f"{source.location} has no register to copy")
    counts = source.counts()
    if counts["reserved"]:
        raise RegisterError(f"{source.location} is a desk's register with numbers reserved "
                            "from a shared one: 'sopdocs register sync' it instead")
    if (version := target.schema_version()) not in (None, SCHEMA_VERSION):
        raise RegisterError(f"{target.location} holds a register of schema version {version}: "
                            "copy only into a new register")
    target.init()
    if held := {t: n for t, n in target.counts().items() if n}:
        raise RegisterError(f"register {target.location} is not empty ("
                            + ", ".join(f"{n} {t}" for t, n in held.items())
                            + "): copy only into a new register")
    with target._transaction() as tx:
        for table, columns in TABLES.items():
            marks = ", ".join("?" * len(columns))
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            stream = source.table_rows(table)
            while rows := list(islice(stream, STREAM_ROWS)):
                tx.executemany(insert, rows)
            if table in IDENTITY:
                tx.identity_follows(table)
    copied = target.counts()
    problems = [t for t in TABLES if copied[t] != counts[t]
                or table_digest(target, t) != table_digest(source, t)]
    if problems:
        raise RegisterError(f"the copy in {target.location} differs from {source.location} in "
                            f"{', '.join(problems)}; empty the target and copy again")
    return counts
