"""Figure 4 of issue 16 in detail: the recap of a register against openpyxl write-only
writing the same cells (``bench/run.py``'s baseline), and where the recap's time goes.

    python bench/recap.py [--rows 10000] [--runs 7] [--phases]

Both are fresh processes, run interleaved on bench/run.py's cached register; the ratio of
their CPU times is shown beside the wall-time ratio, since a machine shared with other work
slows the wall time of both, and unevenly. ``--phases`` times, in one fresh process, the
steps of a recap in turn (imports, profile, kinds, register query, summaries, the rest).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import run as bench  # bench/run.py: its cached registers, its baseline, its sopdocs command

YEAR = bench.YEAR


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Run a fresh process; return (wall seconds, CPU seconds: user + system)."""
    wall, used = bench.usage(argv, cwd)
    return wall, used.ru_utime + used.ru_stime


def compare(work: Path, rows: int, runs: int) -> None:
    shutil.copy(bench.recap_register(rows), work / "sopdocs.db")
    recap = [*bench.sopdocs(), "recap", "-o", "rekap.xlsx", "--year", str(YEAR)]
    timed(recap, work)
    bench.dump_cells(work / "rekap.xlsx", work / "cells.pickle")
    floor = [sys.executable, str(bench.BENCH / "run.py"), "--openpyxl-floor",
             str(work / "cells.pickle"), str(work / "floor.xlsx")]
    times: dict[str, list[tuple[float, float]]] = {"recap": [], "openpyxl": []}
    for _ in range(runs):
        (work / "rekap.xlsx").unlink()
        times["recap"].append(timed(recap, work))
        times["openpyxl"].append(timed(floor, work))
    wall = {k: statistics.median(w for w, _ in v) for k, v in times.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
    print(f"recap of {rows:,} rows: {wall['recap']:.2f} s (CPU {cpu['recap']:.2f} s); "
          f"openpyxl write-only, same cells: {wall['openpyxl']:.2f} s "
          f"(CPU {cpu['openpyxl']:.2f} s)")
    print(f"ratio: wall {wall['recap'] / wall['openpyxl']:.2f}x, "
          f"CPU {cpu['recap'] / cpu['openpyxl']:.2f}x (target <= 1.5x; medians of {runs})")


def phases(folder: Path) -> None:
    """The steps of a recap in one process (run in a fresh one by ``--phases``)."""
    clock = time.process_time
    marks = [("start", clock())]

    def mark(name: str) -> None:
        marks.append((name, clock()))

    import sopdocs.cli  # noqa: F401
    mark("click + sopdocs.cli")
    import openpyxl  # noqa: F401
    mark("openpyxl")
    from sopdocs.recap import build_recap
    mark("sopdocs.recap's imports (office profile models, register)")
    from sopdocs.office import find_office
    from sopdocs.service import register_of
    from sopdocs.summary import listing
    os.chdir(folder)
    workspace = find_office(None)[0]
    mark("office profile")
    from sopdocs.kinds import titles
    titles()
    mark("every kind (their judul)")
    entries = register_of(workspace).entries(YEAR, with_files=False, with_record=False)
    mark("register query (entries)")
    for e in entries:
        listing(e.summary_json)
    mark("summaries (listing)")
    del entries
    build_recap(workspace, YEAR)
    mark("whole recap again, warm (query, summaries, cells, save)")
    for (_, before), (name, at) in itertools.pairwise(marks):
        print(f"{(at - before) * 1000:7.0f} ms CPU  {name}")


def main() -> None:
    if sys.argv[1:2] == ["--phases-of"]:
        return phases(Path(sys.argv[2]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--phases", action="store_true", help="where the recap's time goes")
    args = parser.parse_args()
    bench.bytecode()
    work = Path(tempfile.mkdtemp(prefix="sopdocs-recap-"))
    try:
        compare(work, args.rows, args.runs)
        if args.phases:
            subprocess.run([sys.executable, __file__, "--phases-of", str(work)], check=True)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
