"""Shared-register benchmark: PostgreSQL against SQLite, and figure 5 of issue 16 on
PostgreSQL, as ratios measured in one run.

    python bench/register.py [--quick] [--numbers 500] [--rows 1000] [--runs 5]
                             [--past 1000000] [--current 1000] [--million-runs 5]

- figure 5 on PostgreSQL: the registers of bench/run.py's figure 5 (``--current`` numbers of
  this year alone, and the same plus ``--past`` numbers of ten past years, two files each,
  archived) copied into two databases; taking the next number, ``number list --year``,
  ``archive check`` and the recap of one month, each a fresh process with ``--register
  postgresql://…``, interleaved: the large register within 2x of the small one. One more row
  counts the plans (``auto_explain``) of those commands that read a whole table of more than
  10,000 rows: none is the target;
- taking a number and recording a document (one transaction each, as ``make_document``
  does), ``--numbers`` times: PostgreSQL within 2x of SQLite;
- ``sopdocs disposisi --batch`` on the ``--rows``-row agenda generated as bench/batch.py does:
  PostgreSQL within 1.5x of SQLite (median of --runs batches on each, interleaved).

It starts its own PostgreSQL server (initdb + pg_ctl in a temp folder, fsync on, as a real
server runs) with the class the tests use, and stops it at the end. The server's data folder
holding figure 5's two registers is kept in $SOPDOCS_BENCH_CACHE (4 GB for a million numbers;
built from bench/run.py's cached SQLite registers with COPY in about a minute and a half) and
copied for each run, so that what a run adds never reaches the cache.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from batch import agenda  # noqa: E402  (bench/batch.py)
from run import (  # noqa: E402  (bench/run.py: figure 5's registers and how it times)
    CACHE,
    Figure,
    bytecode,
    interleaved,
    million_operations,
    million_registers,
    ratio_row,
    run,
    sopdocs,
    table,
)

from conftest import Postgres  # noqa: E402  (tests/conftest.py: the tests' server)
from sopdocs.registry import KELUAR, Entry, Register, SqliteRegister, open_register  # noqa: E402
from sopdocs.registry.schema import IDENTITY, SCHEMA_VERSION, TABLES  # noqa: E402

#: A table this large read whole (a sequential scan) is a query without its index.
LARGE = 10_000


def numbers(register: Register, count: int) -> float:
    """Seconds per number taken and document recorded, each in its own transaction."""
    start = time.perf_counter()
    for _ in range(count):
        with register.transaction() as tx:
            urut = tx.next_urut(KELUAR, "Diskominfotik", 2026)
            tx.add(Entry(f"000.8.3.3/{urut}/Diskominfotik-2026", "nota-dinas", "Undangan",
                         date(2026, 3, 2), urut, 2026, "Diskominfotik", record_json="{}",
                         summary_json="{}"))
    return (time.perf_counter() - start) / count


def batch(folder: Path, source: Path, location: str) -> float:
    """Wall seconds of the whole ``disposisi --batch`` command on a register."""
    env = {**os.environ, "SOPDOCS_REGISTER": location}
    env.pop("SOPDOCS_OFFICE", None)
    start = time.perf_counter()
    subprocess.run([*sopdocs(), "disposisi", "--batch", str(source), "--out",
                    str(folder / "out")], cwd=folder, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


# Figure 5 on PostgreSQL -------------------------------------------------------------------

def current_sqlite(path: Path, work: Path) -> Path:
    """``path``, or a copy of it migrated to this sopdocs' schema when the cached register
    is older (bench/run.py's cache is migrated only in the copies it times)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return path
    copy = work / path.name
    shutil.copy(path, copy)
    SqliteRegister(copy).init()
    return copy


def load(source: Path, url: str) -> None:
    """Fill the empty PostgreSQL register at ``url`` with every row of a SQLite register by
    COPY (secondary indexes dropped while loading and built after, foreign keys not checked
    row by row: the rows come from a register that kept them), then VACUUM ANALYZE it as a
    register that grew over the years would be."""
    import psycopg

    open_register(url).init()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    with psycopg.connect(url) as conn:
        conn.execute("SET session_replication_role = replica")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)").fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        for name, columns in TABLES.items():
            names = ", ".join(columns)
            with conn.cursor().copy(f"COPY {name} ({names}) FROM STDIN") as copy:
                for row in src.execute(f"SELECT {names} FROM {name} ORDER BY rowid"):
                    copy.write_row(row)
        for _, definition in indexes:
            conn.execute(definition)
        for name in IDENTITY:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                         f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)")
    src.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def start(server: Postgres) -> None:
    """Start the server on its data folder as the tests' class does (fsync on)."""
    server.run("pg_ctl", "-D", str(server.data), "-o",
               f"-p {server.port} -k {server.folder} -c listen_addresses=127.0.0.1 "
               "-c max_connections=60 -c fsync=on", "-l", str(server.folder / "log"),
               "-w", "start")


def million_databases(server: Postgres, past: int, current: int, work: Path) -> None:
    """Give ``server`` the databases ``working`` and ``million`` (figure 5's registers): its
    data folder becomes a copy of the one kept in the cache, which is built the first time
    (the server stopped, so that the folder is consistent)."""
    major = (server.data / "PG_VERSION").read_text().strip()
    kept = CACHE / f"pg{major}-million-{past}-{current}-v{SCHEMA_VERSION}"
    if not kept.exists():
        import psycopg

        small, large = million_registers(past, current)
        for name, path in (("working", small), ("million", large)):
            with psycopg.connect(server.url(), autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {name}")
            load(current_sqlite(path, work), server.url(name))
        server.stop()
        partial = kept.with_suffix(".part")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(["cp", "-a", str(server.data), str(partial)], check=True)
        partial.rename(kept)
    else:
        server.stop()
        shutil.rmtree(server.data)
        subprocess.run(["cp", "-a", str(kept), str(server.data)], check=True)
    start(server)


def whole_table_reads(server: Postgres, commands: dict[str, list[str]], work: Path) -> list[str]:
    """The queries of ``commands`` (run once each on the large register, with auto_explain
    logging every plan) that read a whole table of more than LARGE rows: 'table: query'."""
    import psycopg

    with psycopg.connect(server.url("million")) as conn:
        large = {name for (name,) in conn.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", (LARGE,))}
    log = server.folder / "log"
    offset = log.stat().st_size
    env = {**os.environ, "PGOPTIONS": "-c session_preload_libraries=auto_explain "
                                      "-c auto_explain.log_min_duration=0"}
    for argv in commands.values():
        subprocess.run([*sopdocs(), "--register", server.url("million"), *argv], cwd=work,
                       env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    with log.open(errors="replace") as text:
        text.seek(offset)
        plans = text.read().split("LOG:  duration:")
    found = []
    for plan in plans:
        query = re.search(r"Query Text: (.*)", plan)
        for name in re.findall(r"Seq Scan on (\w+)", plan):
            if name in large and query:
                found.append(f"{name}: {query[1][:100]}")
    return sorted(set(found))


def figure_million(server: Postgres, work: Path, past: int, current: int, runs: int,
                   judged: bool) -> list[Figure]:
    """Figure 5 of bench/run.py on PostgreSQL: the same four commands on the two registers."""
    million_databases(server, past, current, work)
    operations = million_operations(work)
    spaces = {name: work / name for name in ("working", "million")}
    for folder in spaces.values():
        folder.mkdir()
    reads = whole_table_reads(server, {k: argv() for k, argv in operations.items()},
                              spaces["million"])

    def command(name: str, argv: Callable[[], list[str]]) -> Callable[[], tuple[float, int]]:
        return lambda: run([*sopdocs(), "--register", server.url(name), *argv()], spaces[name])

    figures = []
    for label, argv in operations.items():
        result = interleaved({name: command(name, argv) for name in spaces}, runs)
        figures.append(ratio_row(f"PG 5 {label}: {past:,} numbers / working set alone",
                                 result["million"][0], result["working"][0], 2.0, judged))
    figures.append(Figure(f"PG 5 plans reading a whole table of > {LARGE:,} rows",
                          "; ".join(reads) or "none", "", None, "none",
                          not reads if judged else None))
    return figures


# PostgreSQL against SQLite ----------------------------------------------------------------

def against_sqlite(server: Postgres, work: Path, count: int, rows: int, runs: int,
                   judged: bool) -> list[Figure]:
    """Taking numbers in-process, and the agenda batch as a command, on both backends."""
    local = open_register(work / "numbers.db")
    shared = open_register(server.new_database())
    shared.init()
    numbers(local, 20)  # warm both (files, connection, prepared statements)
    numbers(shared, 20)
    lite, pg = numbers(local, count), numbers(shared, count)
    figures = [Figure("PG / SQLite: taking a number and recording a document",
                      f"{pg * 1000:.2f} ms", f"{lite * 1000:.2f} ms", pg / lite, "<= 2.0x",
                      pg / lite <= 2.0 if judged else None)]
    source = agenda(work / "agenda.xlsx", rows)
    times: dict[str, list[float]] = {"sqlite": [], "pg": []}
    for run_ in range(runs):  # interleaved, each on a fresh register
        for name in times:
            folder = work / f"{name}-{run_}"
            folder.mkdir()
            location = str(folder / "sopdocs.db")
            if name == "pg":
                location = server.new_database()
                open_register(location).init()
            times[name].append(batch(folder, source, location))
    lite, pg = statistics.median(times["sqlite"]), statistics.median(times["pg"])
    figures.append(Figure(f"PG / SQLite: the {rows:,}-row agenda batch (median of {runs})",
                          f"{pg:.2f} s", f"{lite:.2f} s", pg / lite, "<= 1.5x",
                          pg / lite <= 1.5 if judged else None))
    return figures


def measure(count: int, rows: int, runs: int, past: int, current: int,
            million_runs: int, judged: bool) -> list[Figure]:
    """Every row of this benchmark, on one server started here and stopped at the end."""
    server = Postgres(fsync=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "5").mkdir()
            (work / "vs").mkdir()
            figures = figure_million(server, work / "5", past, current, million_runs, judged)
            return figures + against_sqlite(server, work / "vs", count, rows, runs, judged)
    finally:
        server.close()


#: ``measure``'s arguments for bench/run.py's smoke run and full run.
SIZES = {True: (100, 200, 1, 100_000, 1000, 1, False), False: (500, 1000, 5, 1_000_000, 1000,
                                                              5, True)}


def figures(quick: bool) -> list[dict[str, object]]:
    """The rows bench/run.py adds to its table (``--quick``: smoke sizes, not judged), as
    dicts: run.py runs as ``__main__``, whose Figure is not the one imported here."""
    return [asdict(row) for row in measure(*SIZES[quick])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="bench/run.py's smoke sizes")
    parser.add_argument("--numbers", type=int, default=500)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="Batches on each, interleaved.")
    parser.add_argument("--past", type=int, default=1_000_000,
                        help="Figure 5: numbers of ten past years.")
    parser.add_argument("--current", type=int, default=1000,
                        help="Figure 5: this year's numbers (the working set).")
    parser.add_argument("--million-runs", type=int, default=5,
                        help="Figure 5: runs of each command on each register, interleaved.")
    args = parser.parse_args()
    bytecode()
    rows = measure(*SIZES[True]) if args.quick else measure(
        args.numbers, args.rows, args.runs, args.past, args.current, args.million_runs, True)
    print(table(rows))
    sys.exit(1 if any(row.ok is False for row in rows) else 0)


if __name__ == "__main__":
    main()
