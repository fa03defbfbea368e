"""Every performance figure of issue 16 in one run, printed as one table of ratios.

    python bench/run.py [--quick] [--only 1,2,...] [--runs N] [--tree SOURCE_TREE]

Each figure is measured against its baseline in the same run, on the same machine, every
command as a fresh process (as a person runs it) and runs interleaved so that noise hits
measure and baseline alike:

1. one nota dinas (DOCX + PDF) from the CLI / importing docxtpl, reportlab.platypus,
   pydantic and click (<= 1.5x); ``-X importtime`` names what the command imports beyond them;
   and, not judged, the floor: the least program making the same two files with the same
   libraries (``bench/nota_floor.py``) against the same imports, and the nota dinas against it;
2. 1,000 dispositions -> one PDF / the canvas floor: the same sheets drawn straight on a
   reportlab canvas by a minimal script (forms for what repeats, one QR seal each) (<= 1.3x);
3. 100,000-row agenda -> one PDF: peak memory (<= 250 MB) and time linear in rows (10x the
   rows in <= 11x the time, 10,000 against 100,000 rows);
4. recap of 10,000 register rows / openpyxl write-only writing the same cells (<= 1.5x), and
   the recap of 100,000 rows: peak memory (<= 250 MB);
5. a register of 1,000,000 numbers (ten past years, every document with its two files and
   archived) against an "empty" one holding only this year's working set: taking the next
   number, ``number list --year``, ``archive check`` and the recap of one month (<= 2x each).

``--quick`` is a smoke run (smaller sizes, one run each; figures 3 and 5 are then not the
issue's sizes). Generated agendas and registers are kept in $SOPDOCS_BENCH_CACHE (default:
the temp folder's ``sopdocs-bench``) so that a second run skips generating them. Other
scripts of bench/ (sign, monitor, register) add their rows through ``figures(quick)``.
The measured sopdocs package is compiled to bytecode first, as an installed copy is.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("SOPDOCS_BENCH_CACHE",
                            Path(tempfile.gettempdir()) / "sopdocs-bench"))
SAMPLE = ROOT / "samples" / "nota-dinas.yaml"
YEAR = 2026  # the working year of the registers and agendas (the samples' year)
#: The other benchmarks of bench/ (issues 13-15), run after the figures of issue 16: each may
#: define ``figures(quick: bool)`` returning rows, else its own table is shown as a note;
#: with ``--quick`` each of the latter gets the arguments of its smoke size.
OTHERS = {"sign": ["--docs", "20", "--runs", "1"], "monitor": ["--runs", "1"],
          "register": []}  # register.py's figures(quick) holds its own smoke sizes


@dataclass
class Figure:
    """One row of the table."""

    name: str
    measured: str
    baseline: str
    ratio: float | None
    target: str
    ok: bool | None  # None: not judged (a smoke run's sizes, or skipped)


def bytecode() -> None:
    """Compile the measured sopdocs package to .pyc once, as ``pip install`` does.

    An editable install (or ``--tree``) run with PYTHONDONTWRITEBYTECODE set would otherwise
    compile every sopdocs module from source in every measured process, a cost no user's
    installed copy pays.
    """
    import compileall

    spec = importlib.util.find_spec("sopdocs")
    if spec is None or spec.origin is None:
        raise SystemExit("sopdocs is not importable: install it or pass --tree")
    compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def sopdocs() -> list[str]:
    exe = shutil.which("sopdocs")
    return [exe] if exe and "PYTHONPATH" not in os.environ else [sys.executable, "-m", "sopdocs"]


def usage(argv: list[str], cwd: Path) -> tuple[float, resource.struct_rusage]:
    """Run a fresh process; return (wall seconds, its resource usage). Raises on failure."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, used = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{' '.join(map(str, argv))} failed ({status}):\n{err.decode()}")
    return wall, used


def run(argv: list[str], cwd: Path) -> tuple[float, int]:
    """Run a fresh process; return (wall seconds, peak RSS in MB). Raises on failure."""
    wall, used = usage(argv, cwd)
    return wall, used.ru_maxrss // 1024


def interleaved(commands: dict[str, Callable[[], tuple[float, int]]], runs: int,
                warm: bool = True) -> dict[str, tuple[float, int]]:
    """Median wall time and the largest peak RSS of each command, runs interleaved."""
    if warm:
        for command in commands.values():
            command()
    times: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(runs):
        for name, command in commands.items():
            wall, peak = command()
            times[name].append(wall)
            rss[name] = max(rss[name], peak)
    return {name: (statistics.median(t), rss[name]) for name, t in times.items()}


def ratio_row(name: str, measured: float, baseline: float, limit: float,
              judged: bool = True) -> Figure:
    ratio = measured / baseline
    return Figure(name, seconds(measured), seconds(baseline), ratio, f"<= {limit}x",
                  ratio <= limit if judged else None)


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def fresh(work: Path, *names: str) -> None:
    for name in names or ("output", "sopdocs.db"):
        target = work / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


# 1. One nota dinas against the imports it cannot avoid ------------------------------------

UNAVOIDABLE = "import docxtpl, reportlab.platypus, pydantic, click"


def importtime(argv: list[str], cwd: Path) -> dict[str, int]:
    """Self import time (µs) of every module a command imports (``-X importtime``)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *argv], cwd=cwd,
                          capture_output=True, text=True, check=True)
    out = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|( *)(\S+)", line)
        if match:
            out[match[3]] = int(match[1])
    return out


def figure_nota_dinas(work: Path, runs: int, notes: list[str]) -> list[Figure]:
    subprocess.run([*sopdocs(), "init", "--dir", str(work)], check=True,
                   stdout=subprocess.DEVNULL)
    out = work / "out"
    command = [*sopdocs(), "nota-dinas", "--data", str(SAMPLE), "--out", str(out)]
    floor = work / "floor"
    floor.mkdir()
    result = interleaved({
        "imports": lambda: run([sys.executable, "-c", UNAVOIDABLE], work),
        "nota": lambda: run(command, work),
        "floor": lambda: run([sys.executable, str(BENCH / "nota_floor.py"), str(floor)], work),
    }, runs)
    extra_argv = ["-m", "sopdocs", "nota-dinas", "--data", str(SAMPLE), "--out", str(out)]
    base = importtime(["-c", UNAVOIDABLE], work)
    used = importtime(extra_argv, work)
    extra: dict[str, int] = {}
    for module, micro in used.items():
        if module not in base:
            top = module if module.startswith("sopdocs") else module.split(".")[0]
            extra[top] = extra.get(top, 0) + micro
    total = sum(extra.values()) / 1000
    heaviest = sorted(extra.items(), key=lambda kv: -kv[1])[:10]
    notes.append(f"1: the nota dinas imports {total:.0f} ms of modules beyond the unavoidable "
                 "ones; heaviest: " + ", ".join(f"{m} {us / 1000:.0f} ms" for m, us in heaviest))
    return [ratio_row("1 nota dinas (CLI, DOCX+PDF) / unavoidable imports",
                      result["nota"][0], result["imports"][0], 1.5),
            Figure("1 floor: the same made by bench/nota_floor.py (no sopdocs) / imports",
                   seconds(result["floor"][0]), seconds(result["imports"][0]),
                   result["floor"][0] / result["imports"][0], "(not judged)", None),
            Figure("1 nota dinas (CLI) / that floor", seconds(result["nota"][0]),
                   seconds(result["floor"][0]), result["nota"][0] / result["floor"][0],
                   "(not judged)", None)]


# 2. 1,000 dispositions against the canvas floor ------------------------------------------

def agenda(rows: int) -> Path:
    """An agenda of ``rows`` distinct letters (the sample agenda's, cycled), cached."""
    path = CACHE / f"agenda-{rows}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook, load_workbook

    CACHE.mkdir(parents=True, exist_ok=True)
    sample = [r for r in load_workbook(ROOT / "samples" / "agenda.xlsx").active.iter_rows(
        min_row=4, values_only=True) if r[1]]
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Asal Surat", "No. Surat", "Tgl Surat", "Tanggal Diterima", "Perihal",
                  "Sifat"])
    for i in range(rows):
        r = sample[i % len(sample)]
        sheet.append([r[1], f"{r[2]}/{i}", r[3], r[4], r[5], r[6]])
    partial = path.with_suffix(".part")
    book.save(partial)
    partial.rename(path)
    return path


def canvas_floor(source: Path, target: Path) -> None:
    """The floor of figure 2, run as its own process: the same sheets drawn straight on a
    reportlab canvas, by the least code that still draws them: the agenda read with openpyxl,
    the kop, grid, labels, tick lists and signature as forms drawn once, per sheet the
    letter's six values and a QR seal of the same size of data, drawn as sopdocs draws it."""
    from openpyxl import load_workbook
    from reportlab import rl_config
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from sopdocs.render.seal import draw_qr

    rl_config.useA85 = 0
    fonts = ROOT / "sopdocs" / "data" / "fonts"
    pdfmetrics.registerFont(TTFont("F", str(fonts / "LiberationSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("B", str(fonts / "LiberationSans-Bold.ttf")))
    width, height = 215 * mm, 330 * mm / 2
    c = Canvas(str(target), pagesize=(width, height), invariant=1, pageCompression=1)
    logo = ROOT / "sopdocs" / "data" / "logo.png"
    c.beginForm("static", 0, 0, width, height)
    c.drawImage(str(logo), 20 * mm, height - 20 * mm, 13 * mm, 13 * mm, mask="auto")
    c.setFont("F", 8)
    c.drawCentredString(width / 2, height - 9 * mm, "PEMERINTAH PROVINSI SUMATERA BARAT")
    c.setFont("B", 9.5)
    c.drawCentredString(width / 2, height - 13 * mm, "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK")
    c.setFont("F", 6)
    c.drawCentredString(width / 2, height - 16 * mm, "Jalan Jenderal Sudirman No. 51 Padang")
    c.line(20 * mm, height - 21 * mm, width - 10 * mm, height - 21 * mm)
    c.setFont("B", 11)
    c.drawCentredString(width / 2, height - 26 * mm, "LEMBAR DISPOSISI")
    c.rect(20 * mm, 35 * mm, width - 30 * mm, height - 63 * mm)
    for y in (height - 36 * mm, height - 44 * mm, height - 52 * mm, height - 60 * mm):
        c.line(20 * mm, y, width - 10 * mm, y)
    c.line(width / 2 + 5 * mm, 35 * mm, width / 2 + 5 * mm, height - 28 * mm)
    c.setFont("F", 9)
    for i, label in enumerate(("Surat dari", "No. Surat", "Tgl. Surat", "Hal")):
        c.drawString(21 * mm, height - 32 * mm - i * 8 * mm, f"{label}")
    for i, label in enumerate(("Diterima Tgl.", "No. Agenda", "Sifat")):
        c.drawString(width / 2 + 6 * mm, height - 32 * mm - i * 8 * mm, f"{label}")
    for i in range(8):
        c.drawString(21 * mm, height - 66 * mm - i * 4 * mm, f"\u25a1 Kepala Bidang {i + 1}")
    c.drawString(width / 2 + 6 * mm, 30 * mm, "Kepala Dinas")
    c.drawString(width / 2 + 6 * mm, 16 * mm, "Nama Kepala Dinas, S.Kom., M.T.")
    c.endForm()
    sheets = load_workbook(source, read_only=True).active.iter_rows(min_row=2, values_only=True)
    for n, (dari, nomor, tanggal, diterima, hal, sifat) in enumerate(sheets, 1):
        c.doForm("static")
        c.setFont("F", 9)
        for i, text in enumerate((dari, nomor, f"{tanggal:%d %B %Y}", hal)):
            c.drawString(45 * mm, height - 32 * mm - i * 8 * mm, str(text))
        for i, text in enumerate((f"{diterima:%d %B %Y}", f"{n}/{YEAR}", sifat)):
            c.drawString(width / 2 + 30 * mm, height - 32 * mm - i * 8 * mm, str(text))
        # the seal's QR, drawn by the same function the sheets use: the floor differs from
        # a sheet in everything around the drawing, not in how a QR code is encoded
        draw_qr(c, f"sopdocs:agenda {n}/{YEAR}|{diterima:%Y-%m-%d}|0123456789abcdef",
                10 * mm, 10 * mm, 14 * mm)
        c.showPage()
    c.save()


def figure_batch(work: Path, rows: int, runs: int, judged: bool) -> list[Figure]:
    source = agenda(rows)

    def ours() -> tuple[float, int]:
        fresh(work)
        return run([*sopdocs(), "disposisi", "--batch", str(source)], work)

    result = interleaved({
        "floor": lambda: run([sys.executable, str(BENCH / "run.py"), "--canvas-floor",
                              str(source), str(work / "floor.pdf")], work),
        "ours": ours}, runs)
    return [ratio_row(f"2 {rows:,} dispositions -> one PDF / canvas floor",
                      result["ours"][0], result["floor"][0], 1.3, judged)]


# 3. A big agenda: memory and linear time --------------------------------------------------

def figure_agenda(work: Path, small: int, big: int, judged: bool) -> list[Figure]:
    times = {}
    peak = 0
    for rows in (small, big):
        source = agenda(rows)
        fresh(work)
        times[rows], peak = run([*sopdocs(), "disposisi", "--batch", str(source)], work)
    fresh(work)
    ratio = times[big] / times[small]
    limit = 1.1 * big / small
    return [
        Figure(f"3 {big:,}-row agenda -> one PDF: peak memory", f"{peak} MB", "", None,
               "<= 250 MB", peak <= 250 if judged else None),
        Figure(f"3 agenda time, {big:,} / {small:,} rows", seconds(times[big]),
               seconds(times[small]), ratio, f"<= {limit:g}x",
               ratio <= limit if judged else None),
    ]


# 4. The recap against openpyxl write-only -------------------------------------------------

def sample_entry() -> tuple[str, str, str]:
    """(nomor pattern's record JSON, summary JSON, hal) of the sample nota dinas."""
    import yaml

    from sopdocs.kinds import kind_of
    from sopdocs.office import data_path, load_office
    from sopdocs.records import validate
    from sopdocs.service import summarize
    from sopdocs.view import build_view

    kind = kind_of("nota-dinas")
    workspace = load_office(data_path("office-sample.yaml"))
    record = validate(kind.model, yaml.safe_load(SAMPLE.read_text()), "sample")
    view = build_view(kind, record, workspace, konsep=False, source="sample")
    summary = summarize(kind, record, view, "", workspace, "0" * 16, 1)
    return record.model_dump_json(), summary.model_dump_json(), record.hal


def empty_register(path: Path) -> sqlite3.Connection:
    """A new register file with the current schema, opened for bulk inserts."""
    from sopdocs.registry import SqliteRegister

    SqliteRegister(path)._connect().close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    return db


def fill_documents(db: sqlite3.Connection, years: Iterable[int], per_year: int,
                   files: int = 0, archived: int = 0, digest: str = "") -> None:
    """Insert ``per_year`` outgoing documents into each year (dates spread over the year),
    each with ``files`` file rows; archive the first ``archived`` of each year (one file each;
    the first archived document's file has SHA-256 ``digest``)."""
    record_json, summary_json, hal = sample_entry()
    unit = "Diskominfotik"
    db.execute("BEGIN")
    for year in years:
        start = (db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0])
        db.executemany(
            "INSERT INTO documents (id, nomor, series, kind, hal, tanggal, urut, tahun, unit, "
            "created_at, record_json, summary_json) VALUES "
            "(?, ?, 'keluar', 'nota-dinas', ?, ?, ?, ?, ?, ?, ?, ?)",
            ((start + i, f"000.8.3.3/{i}/{unit}-{year}", f"{hal} ({i})",
              f"{year}-{1 + (i - 1) * 12 // per_year:02d}-{1 + i % 28:02d}", i, year, unit,
              f"{year}-12-31T00:00:00", record_json, summary_json)
             for i in range(1, per_year + 1)))
        db.execute("INSERT OR REPLACE INTO counters (series, unit, tahun, last) "
                   "VALUES ('keluar', ?, ?, ?)", (unit, year, per_year))
        for ext in ("pdf", "docx")[:files]:
            db.executemany(
                "INSERT INTO files (document_id, path, sha256) VALUES (?, ?, ?)",
                ((start + i, f"output/{year}/ND_{i}.{ext}", f"{year:04d}{i:060d}")
                 for i in range(1, per_year + 1)))
        db.executemany(
            "INSERT INTO archive (document_id, nomor, kind, hal, tanggal, kode, archived_at) "
            "SELECT id, nomor, kind, hal, tanggal, '000.8.3.3', created_at FROM documents "
            "WHERE id = ?", ((start + i,) for i in range(1, archived + 1)))
        db.executemany(
            "INSERT INTO archive_files (document_id, path, sha256, chain) VALUES (?, ?, ?, '')",
            ((start + i, f"{year}/ND_{i}.pdf",
              digest if (i == 1 and digest) else f"a{year:04d}{i:059d}")
             for i in range(1, archived + 1)))
    db.execute("COMMIT")


def recap_register(rows: int) -> Path:
    """A register of ``rows`` outgoing documents of YEAR, cached."""
    path = CACHE / f"recap-{rows}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.unlink(missing_ok=True)
        db = empty_register(partial)
        fill_documents(db, [YEAR], rows)
        db.close()
        partial.rename(path)
    return path


def dump_cells(xlsx: Path, target: Path) -> None:
    """Every sheet's cell values of a workbook, pickled for the openpyxl baseline."""
    import pickle

    from openpyxl import load_workbook

    book = load_workbook(xlsx, read_only=True)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book]
    target.write_bytes(pickle.dumps(sheets))


def openpyxl_floor(source: Path, target: Path) -> None:
    """The baseline of figure 4, run as its own process: openpyxl write-only writing the
    cells of the recap (loaded from a pickle), dates with a number format as the recap has."""
    import pickle
    from datetime import date, datetime

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for title, rows in pickle.loads(source.read_bytes()):
        ws = book.create_sheet(title)
        for row in rows:
            cells: list[Any] = []
            for value in row:
                if isinstance(value, (date, datetime)):
                    value = WriteOnlyCell(ws, value=value)
                    value.number_format = "DD/MM/YYYY"
                cells.append(value)
            ws.append(cells)
    book.save(target)


def figure_recap(work: Path, rows: int, big: int, runs: int, judged: bool) -> list[Figure]:
    shutil.copy(recap_register(rows), work / "sopdocs.db")
    counter = iter(range(10 ** 6))

    def ours() -> tuple[float, int]:
        return run([*sopdocs(), "recap", "-o", f"rekap-{next(counter)}.xlsx", "--year",
                    str(YEAR)], work)

    ours()
    dump_cells(work / "rekap-0.xlsx", work / "cells.pickle")
    result = interleaved({
        "floor": lambda: run([sys.executable, str(BENCH / "run.py"), "--openpyxl-floor",
                              str(work / "cells.pickle"), str(work / "floor.xlsx")], work),
        "ours": ours}, runs, warm=False)
    figures = [ratio_row(f"4 recap of {rows:,} rows / openpyxl write-only, same cells",
                         result["ours"][0], result["floor"][0], 1.5, judged)]
    shutil.copy(recap_register(big), work / "sopdocs.db")
    _, peak = run([*sopdocs(), "recap", "-o", "rekap-big.xlsx", "--year", str(YEAR)], work)
    figures.append(Figure(f"4 recap of {big:,} rows: peak memory", f"{peak} MB", "", None,
                          "<= 250 MB", peak <= 250 if judged else None))
    fresh(work, "sopdocs.db")
    return figures


# 5. A register of a million numbers -------------------------------------------------------

ARCHIVED_FILE = b"%PDF-1.4 an archived original of the benchmark\n"


def million_registers(past: int, current: int) -> tuple[Path, Path]:
    """(the working set alone, the working set plus ``past`` numbers over ten past years),
    cached. The working set: ``current`` documents of YEAR, two files each, a tenth archived
    (one of them holds ARCHIVED_FILE)."""
    import hashlib

    digest = hashlib.sha256(ARCHIVED_FILE).hexdigest()
    small, large = CACHE / f"working-{current}.db", CACHE / f"million-{past}-{current}.db"
    CACHE.mkdir(parents=True, exist_ok=True)
    if not small.exists():
        partial = small.with_suffix(".part")
        partial.unlink(missing_ok=True)
        db = empty_register(partial)
        fill_documents(db, [YEAR], current, files=2, archived=current // 10, digest=digest)
        db.close()
        partial.rename(small)
    if not large.exists():
        partial = large.with_suffix(".part")
        partial.unlink(missing_ok=True)
        db = empty_register(partial)
        fill_documents(db, range(YEAR - 10, YEAR), past // 10, files=2, archived=past // 10)
        fill_documents(db, [YEAR], current, files=2, archived=current // 10, digest=digest)
        db.close()
        partial.rename(large)
    return small, large


def million_operations(work: Path) -> dict[str, Callable[[], list[str]]]:
    """Figure 5's four commands (each call gives the next run's arguments); the archived file
    that ``archive check`` looks for is written into ``work``."""
    (work / "archived.pdf").write_bytes(ARCHIVED_FILE)
    counter = iter(range(10 ** 6))
    return {
        "taking the next number (nota dinas)": lambda: [
            "nota-dinas", "--data", str(SAMPLE), "--out", f"out-{next(counter)}"],
        "number list --year": lambda: ["number", "list", "--year", str(YEAR)],
        "archive check": lambda: ["archive", "check", str(work / "archived.pdf")],
        "recap of one month": lambda: ["recap", "-o", f"rekap-{next(counter)}.xlsx",
                                       "--year", str(YEAR), "--month", "11"],
    }


def figure_million(work: Path, past: int, current: int, runs: int,
                   judged: bool) -> list[Figure]:
    small, large = million_registers(past, current)
    spaces = {"empty": work / "empty", "million": work / "million"}
    for name, register in (("empty", small), ("million", large)):
        spaces[name].mkdir(exist_ok=True)
        shutil.copy(register, spaces[name] / "sopdocs.db")
    operations = million_operations(work)
    figures = []
    for label, argv in operations.items():
        result = interleaved({name: (lambda folder=folder, argv=argv:
                                     run([*sopdocs(), *argv()], folder))
                              for name, folder in spaces.items()}, runs)
        figures.append(ratio_row(f"5 {label}: {past:,} numbers / working set alone",
                                 result["million"][0], result["empty"][0], 2.0, judged))
    for folder in spaces.values():
        shutil.rmtree(folder)
    return figures


# Other helpers' benchmarks ------------------------------------------------------------------

def other_figures(quick: bool, notes: list[str]) -> list[Figure]:
    """Rows of bench/sign.py, monitor.py, register.py: their ``figures(quick)`` (Figure or
    6-tuples, dicts with Figure's keys), else their output as notes; absent ones are noted."""
    figures: list[Figure] = []
    for name, smoke in OTHERS.items():
        path = BENCH / f"{name}.py"
        if not path.exists():
            notes.append(f"bench/{name}.py: absent, skipped")
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
            if hasattr(module, "figures"):
                for row in module.figures(quick):
                    if isinstance(row, dict):
                        row = Figure(**row)
                    elif not isinstance(row, Figure):
                        row = Figure(*row)
                    figures.append(row)
                continue
            done = subprocess.run([sys.executable, str(path), *(smoke if quick else [])],
                                  capture_output=True, text=True, timeout=900)
            said = done.stdout.strip().splitlines() or done.stderr.strip().splitlines()[-3:]
            notes.append(f"bench/{name}.py (exit {done.returncode}):\n  " + "\n  ".join(said))
        except Exception as exc:  # another helper's script must not stop this run
            notes.append(f"bench/{name}.py failed: {exc!r}")
    return figures


# The table -------------------------------------------------------------------------------

def machine() -> str:
    import importlib.metadata as meta

    versions = ", ".join(f"{p} {meta.version(p)}" for p in ("reportlab", "openpyxl",
                                                            "docxtpl", "pydantic"))
    return (f"{time.strftime('%Y-%m-%d')}: {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, {platform.platform()}; {versions}")


def table(figures: list[Figure]) -> str:
    lines = ["| figure | measured | baseline | ratio | target | result |",
             "|---|---|---|---|---|---|"]
    for f in figures:
        result = {True: "PASS", False: "FAIL", None: "-"}[f.ok]
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else ""
        lines.append(f"| {f.name} | {f.measured} | {f.baseline} | {ratio} | {f.target} "
                     f"| {result} |")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["--canvas-floor"]:
        return canvas_floor(Path(sys.argv[2]), Path(sys.argv[3]))
    if sys.argv[1:2] == ["--openpyxl-floor"]:
        return openpyxl_floor(Path(sys.argv[2]), Path(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller smoke run")
    parser.add_argument("--only", default="1,2,3,4,5,others",
                        help="figures to run, comma-separated (1-5, others)")
    parser.add_argument("--runs", type=int, default=None, help="runs per measure")
    parser.add_argument("--tree", type=Path, default=None,
                        help="measure the sopdocs of this source tree (e.g. an older commit's)")
    args = parser.parse_args()
    if args.tree:
        os.environ["PYTHONPATH"] = str(args.tree.resolve())
        sys.path.insert(0, str(args.tree.resolve()))
    quick = args.quick
    runs = args.runs or (1 if quick else 5)
    only = set(args.only.split(","))
    judged = not quick
    bytecode()
    work = Path(tempfile.mkdtemp(prefix="sopdocs-run-"))
    notes: list[str] = []
    figures: list[Figure] = []
    steps: list[tuple[str, Callable[[], list[Figure]]]] = [
        ("1", lambda: figure_nota_dinas(work / "1", 3 if quick else 2 * runs + 1, notes)),
        ("2", lambda: figure_batch(work / "2", 1000, runs, True)),
        ("3", lambda: figure_agenda(work / "3", *((1000, 10000) if quick else (10000, 100000)),
                                    judged)),
        ("4", lambda: figure_recap(work / "4", *((2000, 10000) if quick else (10000, 100000)),
                                   runs, judged)),
        ("5", lambda: figure_million(work / "5", *((100000, 1000) if quick
                                                   else (1000000, 1000)), runs, judged)),
        ("others", lambda: other_figures(quick, notes)),
    ]
    try:
        for key, step in steps:
            if key not in only:
                continue
            if key != "others":
                (work / key).mkdir()
            started = time.perf_counter()
            rows = step()
            figures += rows
            print(f"[{key}: {time.perf_counter() - started:.0f} s]", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Machine: {machine()}")
    print(f"Run: python bench/run.py{' --quick' if quick else ''}"
          f"{'' if args.only == parser.get_default('only') else ' --only ' + args.only}\n")
    print(table(figures))
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
