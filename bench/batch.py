"""Batch-printing benchmark: figures for issue 5, as ratios measured in one run.

    python bench/batch.py [--rows 1000] [--big 10000] [--lo-sheets 30]

- 1,000 rows -> one PDF, wall time of the whole command (start-up, XLSX, numbering, PDF);
- the same sheets as an office would otherwise make them: each rendered with docxtpl, then
  converted by LibreOffice headless in one soffice call (measured on --lo-sheets sheets and
  given per sheet; soffice stops silently after ~247 files, so keep it small);
- 10,000 rows -> one PDF: peak memory (max RSS) of the command;
- 1,000 rows with --docx: wall time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def agenda(path: Path, rows: int) -> Path:
    from openpyxl import Workbook, load_workbook

    sample = [r for r in load_workbook(ROOT / "samples" / "agenda.xlsx").active.iter_rows(
        min_row=4, values_only=True) if r[1]]
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Asal Surat", "No. Surat", "Tgl Surat", "Tanggal Diterima", "Perihal", "Sifat"])
    for i in range(rows):
        r = sample[i % len(sample)]
        sheet.append([r[1], f"{r[2]}/{i}", r[3], r[4], r[5], r[6]])
    book.save(path)
    return path


def run(argv: list[str], cwd: Path) -> tuple[float, int]:
    """Return (wall seconds, peak RSS in MB) of a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{argv} failed ({status})")
    return wall, usage.ru_maxrss // 1024


def fresh(work: Path) -> None:
    for name in ("output", "sopdocs.db"):
        target = work / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def libreoffice_per_sheet(work: Path, sheets: int) -> float:
    """Seconds per sheet the docxtpl + LibreOffice route costs (render, then one soffice)."""
    from datetime import datetime

    from sopdocs.batch import number_letters, prepare
    from sopdocs.office import find_office
    from sopdocs.render.docx import render_docx

    workspace, _ = find_office(None, cwd=work)
    fresh(work)
    source = agenda(work / "lo.xlsx", sheets)
    folder = work / "lo-docx"
    folder.mkdir(exist_ok=True)
    start = time.perf_counter()
    batch, letters = prepare(source, workspace)
    number_letters(batch, letters, workspace)
    for i, sheet in enumerate(batch.sheets):
        (folder / f"{i:04d}.docx").write_bytes(render_docx(
            "disposisi", sheet.view, logo=workspace.logo_path, paper="F4", half_page=True,
            when=datetime(2026, 11, 22)))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo-profile",
                    "--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir",
                    str(work / "lo-pdf"), *sorted(map(str, folder.glob("*.docx")))],
                   check=True, capture_output=True)
    made = len(list((work / "lo-pdf").glob("*.pdf")))
    if made != sheets:
        raise SystemExit(f"soffice converted {made} of {sheets} files")
    return (time.perf_counter() - start) / sheets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--big", type=int, default=10000)
    parser.add_argument("--lo-sheets", type=int, default=30)
    args = parser.parse_args()
    exe = shutil.which("sopdocs")
    command = [exe] if exe else [sys.executable, "-m", "sopdocs"]
    work = Path(tempfile.mkdtemp(prefix="sopdocs-batch-"))
    rows = agenda(work / "rows.xlsx", args.rows)
    big = agenda(work / "big.xlsx", args.big)
    pdf_times = []
    for _ in range(3):
        fresh(work)
        pdf_times.append(run([*command, "disposisi", "--batch", str(rows)], work)[0])
    pdf_time = sorted(pdf_times)[1]
    fresh(work)
    docx_time, _ = run([*command, "disposisi", "--batch", str(rows), "--docx"], work)
    fresh(work)
    big_time, big_rss = run([*command, "disposisi", "--batch", str(big)], work)
    print(f"{args.rows} rows -> PDF: {pdf_time:.2f} s (median of 3; target <= 1.5 s)")
    print(f"{args.rows} rows -> PDF + DOCX: {docx_time:.2f} s (target <= 3 s)")
    print(f"{args.big} rows -> PDF: {big_time:.2f} s, peak memory {big_rss} MB "
          "(target < 200 MB)")
    if shutil.which("soffice"):
        per_sheet = libreoffice_per_sheet(work, args.lo_sheets)
        ours = pdf_time / args.rows
        print(f"docxtpl + LibreOffice: {per_sheet * 1000:.0f} ms per sheet "
              f"({args.lo_sheets} sheets, one soffice call); sopdocs: {ours * 1000:.2f} ms "
              f"per sheet including start-up -> {per_sheet / ours:.0f}x faster (target >= 25x)")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
