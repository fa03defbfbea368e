"""Recap benchmark (issue 6): 10,000 register rows exported to XLSX.

    python bench/recap.py [--rows 10000]

Fills a fresh register with outgoing documents (realistic records), then times
``sopdocs recap`` as a fresh process, start-up included; target: at most 2 s.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fill(folder: Path, rows: int) -> None:
    import yaml

    from sopdocs.kinds import kind_of
    from sopdocs.office import data_path, load_office
    from sopdocs.records import validate
    from sopdocs.registry import KELUAR, Entry, SqliteRegister
    from sopdocs.service import summarize
    from sopdocs.view import build_view

    kind = kind_of("nota-dinas")
    workspace = load_office(data_path("office-sample.yaml"))
    record = validate(kind.model, yaml.safe_load((ROOT / "samples" / "nota-dinas.yaml")
                                                 .read_text()), "sample")
    view = build_view(kind, record, workspace, konsep=False, source="sample")
    summary = summarize(kind, record, view, "", workspace, "0" * 16, 1)
    register = SqliteRegister(folder / "sopdocs.db")
    with register.transaction() as tx:
        for i in range(rows):
            day = date(2026, 1, 1) + timedelta(days=i * 365 // rows)
            urut = tx.next_urut(KELUAR, "Diskominfotik", 2026)
            nomor = f"000.8.3.3/{urut}/Diskominfotik-2026"
            hal = f"{record.hal} ({i})"
            tx.add(Entry(nomor, "nota-dinas", hal, day, urut, 2026, "Diskominfotik",
                         record_json=record.model_copy(update={"tanggal": day})
                         .model_dump_json(),
                         summary_json=summary.model_copy(update={
                             "nomor": nomor, "hal": hal, "tanggal": day}).model_dump_json()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sopdocs-recap-"))
    fill(work, args.rows)
    exe = shutil.which("sopdocs")
    command = [exe] if exe else [sys.executable, "-m", "sopdocs"]
    times = []
    for i in range(3):
        start = time.perf_counter()
        subprocess.run([*command, "recap", "-o", f"rekap-{i}.xlsx", "--year", "2026"],
                       cwd=work, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    print(f"{args.rows} register rows -> XLSX: {sorted(times)[1]:.2f} s "
          "(median of 3, whole command; target <= 2 s)")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
