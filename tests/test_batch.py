"""Batch-printing dispositions: the agenda in, one print-ready PDF out, numbers kept."""

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from conftest import SAMPLES, docx_paragraphs, need, pdf_pages, squash
from sopdocs.agenda import read_agenda
from sopdocs.batch import run_batch
from sopdocs.cli import cli
from sopdocs.errors import InputError, RecordError
from sopdocs.registry import FileEntry, open_register
from sopdocs.summary import load

AGENDA = SAMPLES / "agenda.xlsx"


def sample_rows():
    sheet = load_workbook(AGENDA).active
    return [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]


def test_sample_agenda_gives_one_sheet_per_row_in_order(workspace, tmp_path):
    result = run_batch(AGENDA, workspace, out_dir=tmp_path)
    rows = sample_rows()
    assert (result.rows_read, len(result.sheets), result.errors) == (25, 25, [])
    (pdf,) = result.paths
    pages = [squash(p) for p in pdf_pages(pdf)]
    assert len(pages) == 25
    for agenda, (page, row) in enumerate(zip(pages, rows, strict=True), 1):
        assert f"No. Agenda : {agenda}" in page
        assert f"Surat dari : {row[1]}" in page or row[1] in page
        for text in (row[2], row[5], f"Tgl. Surat : {row[3].day} "):
            assert text in page, (agenda, text)
        assert "LEMBAR DISPOSISI" in page and "Drs. JASMAN, MM" in page
    # every sheet is a registered document whose file is the batch PDF, on its own page
    entries = open_register(workspace.register_path).entries()
    assert [(e.kind, e.nomor) for e in entries] == [("disposisi", str(i)) for i in range(1, 26)]
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert [e.files for e in entries] == [(FileEntry(str(pdf.resolve()), digest, page),)
                                          for page in range(1, 26)]
    summaries = [load(e.summary_json) for e in entries]
    assert [s.halaman_awal for s in summaries] == list(range(1, 26))
    assert summaries[0].surat_masuk.nomor == rows[0][2]
    assert summaries[0].signer.nama == "Drs. JASMAN, MM"


def test_two_per_page_halves_the_pages_and_qpdf_accepts_it(workspace, tmp_path):
    result = run_batch(AGENDA, workspace, out_dir=tmp_path, per_page=2)
    pages = pdf_pages(result.paths[0])
    assert len(pages) == 13
    assert "No. Agenda : 1" in squash(pages[0]) and "No. Agenda : 2" in squash(pages[0])
    assert "No. Agenda : 25" in squash(pages[12])
    if shutil.which("qpdf") or os.environ.get("CI"):
        done = subprocess.run(["qpdf", "--check", str(result.paths[0])], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stdout


def test_duplex_adds_a_blank_back_to_every_page(workspace, tmp_path):
    result = run_batch(AGENDA, workspace, out_dir=tmp_path, per_page=2, duplex=True)
    pages = pdf_pages(result.paths[0])
    assert len(pages) == 26
    assert all(not squash(p) for p in pages[1::2])


def test_csv_twin_gives_the_same_letters_the_same_numbers(workspace, tmp_path):
    first = run_batch(AGENDA, workspace, out_dir=tmp_path)
    second = run_batch(SAMPLES / "agenda.csv", workspace, out_dir=tmp_path)
    assert [s.view["nomor_agenda"] for s in second.sheets] == [s.view["nomor_agenda"] for s in
                                                                first.sheets]
    assert [s.view["nomor_agenda"] for s in first.sheets] == [str(i) for i in range(1, 26)]


def test_merged_docx_has_one_sheet_per_page(workspace, tmp_path):
    result = run_batch(AGENDA, workspace, out_dir=tmp_path, docx=True)
    _, docx = result.paths
    paragraphs = docx_paragraphs(docx)
    assert paragraphs.count("LEMBAR DISPOSISI") == 25
    rows = sample_rows()
    assert rows[0][2] in " ".join(paragraphs) and rows[24][2] in " ".join(paragraphs)
    from docx import Document

    xml = Document(str(docx)).element.body.xml
    assert xml.count('w:type="page"') == 24


def _write(path, rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


MESSY = [
    ["Agenda Surat Masuk Bulan November 2026"],
    [],
    ["  NO ", " asal  surat ", "No. Surat", "TGL SURAT", "Tgl. Diterima", "PERIHAL ", "sifat",
     "Diteruskan kepada"],
    [1, "  Dinas Pendidikan ", "421/1/Disdik-2026", datetime(2026, 11, 18), "20/11/2026",
     "Permohonan Hosting", "segera", "kabid-aptika; Sekretaris"],
    [],
    [2, "Dinas Kesehatan", "440/2/Dinkes-2026", "18-11-2026", "20 November 2026",
     "Permintaan Data", "BIASA", None],
    [3, "Bapenda", "973/3/Bapenda-2026", "31/02/2026", "20/11/2026", "Subdomain", "Biasa", None],
    [4, "Dinas Sosial", "460/4/Dinsos-2026", "19 Nov 2026", "2026-11-20", None, "Biasa", None],
    [None, None, None, None, None, None, None, None],
    [5, "BPBD", "360/5/BPBD-2026", date(2026, 11, 20), date(2026, 11, 21), "Jaringan Darurat",
     "Sangat segera", None],
]


def test_messy_workbook_gives_the_right_sheets_and_exactly_two_row_errors(workspace, tmp_path):
    path = _write(tmp_path / "messy.xlsx", MESSY)
    result = run_batch(path, workspace, out_dir=tmp_path / "out")
    assert result.rows_read == 5
    assert result.errors == [
        "row 7: tanggal surat: '31/02/2026' is not a date (write e.g. 22 November 2026, "
        "22/11/2026, 22-11-2026 or 2026-11-22)",
        "row 8: hal: is required",
    ]
    assert result.rejected == {7, 8}
    pages = [squash(p) for p in pdf_pages(result.paths[0])]
    assert len(pages) == 3
    first, second, third = pages
    assert "Surat dari : Dinas Pendidikan" in first and "Tgl. Surat : 18 November 2026" in first
    assert "■ Segera" in first and "■ Kepala Bidang Aplikasi Informatika" in first
    assert "■ Sekretaris" in first
    assert "Tgl. Surat : 18 November 2026" in second and "■ Biasa" in second
    assert "Diterima Tgl. : 21 November 2026" in third and "■ Sangat Segera" in third
    assert [s.view["nomor_agenda"] for s in result.sheets] == ["1", "2", "3"]


def test_strict_stops_before_anything_is_numbered_or_written(workspace, tmp_path):
    path = _write(tmp_path / "messy.xlsx", MESSY)
    with pytest.raises(RecordError) as info:
        run_batch(path, workspace, out_dir=tmp_path / "out", strict=True)
    assert len(info.value.problems) == 2
    assert not (tmp_path / "out").exists()
    assert not workspace.register_path.exists()


def test_cli_reports_rejected_rows_and_exits_3(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    path = _write(tmp_path / "messy.xlsx", MESSY)
    result = CliRunner().invoke(cli, ["disposisi", "--batch", str(path), "--per-page", "2"])
    assert result.exit_code == 3
    assert result.stdout == "output/disposisi_messy.pdf\n"
    lines = result.stderr.splitlines()
    assert lines[-1] == "rows read: 5, sheets made: 3, rows rejected: 2"
    assert lines[-3].startswith("row 7: tanggal surat: '31/02/2026' is not a date")
    assert lines[-2] == "row 8: hal: is required"
    good = CliRunner().invoke(cli, ["disposisi", "--batch", str(AGENDA)])
    assert good.exit_code == 0
    assert good.stderr.splitlines()[-1] == "rows read: 25, sheets made: 25, rows rejected: 0"


def test_batch_refuses_options_it_cannot_honour(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["disposisi", "--batch", str(AGENDA), "--konsep",
                                      "--archive"])
    assert result.exit_code == 2
    assert "--batch cannot be combined with --konsep, --archive" in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(("rows", "message"), [
    ([["Asal Surat", "Perihal", "Sifat"], ["A", "B", "Biasa"]],
     "missing column(s) nomor surat (accepted: Nomor Surat, No. Surat, Nomor Surat Masuk, "
     "No. Surat Masuk); tanggal surat"),
    ([["a", "b"], [1, 2]], "no header row found"),
])
def test_unusable_agenda_files(workspace, tmp_path, rows, message):
    path = _write(tmp_path / "agenda.xlsx", rows)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_agenda(path)


def test_unknown_sheet_and_wrong_file_type(workspace, tmp_path):
    with pytest.raises(InputError, match=r"no sheet 'Desember' \(sheets: Agenda November\)"):
        read_agenda(AGENDA, "Desember")
    text = tmp_path / "agenda.txt"
    text.write_text("x")
    with pytest.raises(InputError, match=r"an agenda is an \.xlsx or \.csv file"):
        read_agenda(text)


def test_csv_with_commas_and_bom(workspace, tmp_path):
    path = tmp_path / "agenda.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Surat dari", "Nomor Surat", "Tanggal Surat", "Diterima", "Hal"])
        writer.writerow(["Dinas A, Bidang B", "1/A/2026", "01/11/2026", "02/11/2026", "Uji"])
    letters, ignored = read_agenda(path)
    assert letters == [(2, {"surat_dari": "Dinas A, Bidang B", "nomor_surat": "1/A/2026",
                            "tanggal_surat": "01/11/2026", "diterima_tanggal": "02/11/2026",
                            "hal": "Uji"})]
    assert ignored == []


@pytest.mark.slow
def test_a_killed_batch_reruns_without_numbering_any_letter_twice(tmp_path):
    rows = sample_rows()
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Asal Surat", "No. Surat", "Tgl Surat", "Tanggal Diterima", "Perihal"])
    total = 3000
    for i in range(total):
        r = rows[i % len(rows)]
        sheet.append([r[1], f"{r[2]}/{i}", r[3], r[4], r[5]])
    agenda = tmp_path / "besar.xlsx"
    book.save(agenda)
    command = [sys.executable, "-m", "sopdocs", "disposisi", "--batch", str(agenda)]
    env = {**os.environ, "SOPDOCS_OFFICE": ""}
    env.pop("SOPDOCS_OFFICE")
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    register = tmp_path / "sopdocs.db"
    deadline = time.monotonic() + 60
    numbered = 0
    while time.monotonic() < deadline and process.poll() is None:
        if register.exists():
            try:
                with sqlite3.connect(register) as db:
                    numbered = db.execute("SELECT count(*) FROM letters").fetchone()[0]
            except sqlite3.Error:
                numbered = 0
            if numbered:
                break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    killed = process.wait() == -signal.SIGKILL
    assert numbered, "the batch was killed before it numbered anything"
    if killed:  # killed before the PDF was written: nothing half-written is left
        assert not (tmp_path / "output").exists() or not list((tmp_path / "output").iterdir())
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(register) as db:
        letters = db.execute("SELECT kunci, nomor FROM letters").fetchall()
        sheets = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert len(letters) == total  # every letter once
    if killed:  # the killed run registered no sheet: its files never existed
        assert sheets == total
    assert sorted(int(n) for _, n in letters) == list(range(1, total + 1))  # no number twice
    pdf = tmp_path / done.stdout.strip()
    from pypdf import PdfReader

    assert len(PdfReader(str(pdf)).pages) == total


def test_a_batch_is_in_the_register_the_archive_and_the_recap(workspace, tmp_path, monkeypatch):
    from sopdocs.archive import archive_files, verify
    from sopdocs.recap import build_recap

    result = run_batch(AGENDA, workspace, out_dir=tmp_path, docx=True)
    pdf, docx = result.paths
    (item, *others) = archive_files(workspace, [pdf, docx])
    assert len(others) == 24 and {len(a.files) for a in (item, *others)} == {4}
    assert {a.files for a in others} == {item.files}  # one copy of the batch, 25 sheets
    root = workspace.folder / "arsip"
    sidecars = json.loads((root / next(f.path for f in item.files
                                       if f.path.endswith(".srikandi.json"))).read_text())
    assert [s["nomor"] for s in sidecars] == [str(i) for i in range(1, 26)]
    assert verify(workspace) == []
    book = load_workbook(io.BytesIO(build_recap(workspace, 2026)))
    monthly = {r[0].value: r for r in book["Rekap Bulanan"].iter_rows(min_row=2)}
    assert monthly["Lembar Disposisi"][13].value == 25
    agenda = [[c.value for c in r] for r in book["Agenda Surat Masuk"].iter_rows(min_row=2)]
    assert [r[7] for r in agenda] == [1] * 25  # each letter has its sheet
    monkeypatch.chdir(workspace.folder)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    listed = CliRunner().invoke(cli, ["number", "list"]).stdout.splitlines()
    rows = [line for line in listed if not line.startswith("\t")]
    assert len(rows) == 25 and rows[2].startswith("3\t") and "\tdisposisi\t" in rows[2]
    assert listed[listed.index(rows[2]) + 1].endswith("\thalaman 3")


def test_each_sheet_of_a_batch_carries_its_own_seal(workspace, tmp_path):
    for program in ("zbarimg", "pdftoppm"):
        need(program)
    result = run_batch(AGENDA, workspace, out_dir=tmp_path, per_page=2)
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "2", "-l", "2",
                    str(result.paths[0]), str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    done = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True,
                          check=True)
    seals = sorted(done.stdout.splitlines())  # page 2 holds sheets 3 and 4
    assert [seal.split("|")[1] for seal in seals] == ["agenda 3/2026", "agenda 4/2026"]
    assert seals == [sheet.seal.data for sheet in result.sheets[2:4]]
