"""Shared-register benchmark: PostgreSQL against SQLite, as ratios measured in one run.

    python bench/register.py [--numbers 500] [--rows 1000] [--runs 3]

- taking a number and recording a document (one transaction each, as ``make_document``
  does), ``--numbers`` times: PostgreSQL within 2x of SQLite;
- ``sopdocs disposisi --batch`` on the ``--rows``-row agenda generated as bench/batch.py does:
  PostgreSQL within 1.5x of SQLite (median of --runs batches on each, interleaved).

It starts its own PostgreSQL server (initdb + pg_ctl in a temp folder, fsync on, as a real
server runs) with the class the tests use, and stops it at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from batch import agenda  # noqa: E402  (bench/batch.py)

from conftest import Postgres  # noqa: E402  (tests/conftest.py: the tests' server)
from sopdocs.registry import KELUAR, Entry, Register, open_register  # noqa: E402


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
    subprocess.run([sys.executable, "-m", "sopdocs", "disposisi", "--batch", str(source),
                    "--out", str(folder / "out")], cwd=folder, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=500)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="Batches on each, interleaved.")
    args = parser.parse_args()
    server = Postgres(fsync=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            rows = []
            local = open_register(work / "numbers.db")
            shared = open_register(server.new_database())
            shared.init()
            numbers(local, 20)  # warm both (files, connection, prepared statements)
            numbers(shared, 20)
            rows.append(("number + document (ms)", numbers(local, args.numbers) * 1000,
                         numbers(shared, args.numbers) * 1000, 2.0))
            source = agenda(work / "agenda.xlsx", args.rows)
            times: dict[str, list[float]] = {"sqlite": [], "pg": []}
            for run in range(args.runs):  # interleaved, each on a fresh register
                for name in times:
                    folder = work / f"{name}-{run}"
                    folder.mkdir()
                    location = str(folder / "sopdocs.db")
                    if name == "pg":
                        location = server.new_database()
                        open_register(location).init()
                    times[name].append(batch(folder, source, location))
            rows.append((f"{args.rows}-row batch (s)", statistics.median(times["sqlite"]),
                         statistics.median(times["pg"]), 1.5))
    finally:
        server.close()
    print(f"{'measure':<26}{'SQLite':>10}{'PostgreSQL':>12}{'ratio':>8}{'target':>8}  result")
    failed = False
    for name, lite, pg, target in rows:
        ratio = pg / lite
        failed |= ratio > target
        print(f"{name:<26}{lite:>10.3f}{pg:>12.3f}{ratio:>8.2f}{target:>7.1f}x  "
              f"{'PASS' if ratio <= target else 'FAIL'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
