"""The Excel recap read back with openpyxl: sheets, types, totals, frozen panes, filters."""

import os
import shutil
import subprocess
import zipfile
from datetime import datetime, timedelta

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES
from sopdocs.archive import archive_made
from sopdocs.cli import cli
from sopdocs.recap import build_recap
from sopdocs.registry import open_register
from sopdocs.service import make_document
from sopdocs.sop.catalogue import builtin_sops
from sopdocs.sop.steps import open_case, run_step

SHEETS = ["Register Naskah Keluar", "Agenda Surat Masuk", "Rekap Bulanan", "Kepatuhan SOP",
          "Daftar Arsip"]


def sample(kind, **changes):
    return {**yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text()), **changes}


@pytest.fixture
def office_year(workspace, tmp_path):
    """A small year of work: outgoing documents (one void), two letters, a case, an archive."""
    out = tmp_path / "out"
    make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=out)
    make_document("nota-dinas", sample("nota-dinas", tanggal="3 Maret 2026"), workspace,
                  out_dir=out)
    open_register(workspace.register_path).void("000.8.3.3/2/Diskominfotik-2026", "salah hal")
    made = make_document("berita-acara", sample("berita-acara"), workspace, out_dir=out)
    archive_made(workspace, made.paths)
    make_document("disposisi", sample("disposisi"), workspace, out_dir=out)
    make_document("disposisi", sample("disposisi", oleh="kabid-aptika",
                                      diteruskan_kepada=["koordinator"]), workspace, out_dir=out)
    make_document("disposisi", sample("disposisi", nomor_surat="421/2000/Disdik-2026"),
                  workspace, out_dir=out)
    sop = builtin_sops()["ppid"]
    start = datetime(2026, 11, 23, 8, 0)
    case = open_case(workspace, sop, {"jumlah_informasi": "3"}, now=start)
    run_step(workspace, sop, 1, case_id=case.id, out_dir=out, now=start + timedelta(minutes=30))
    run_step(workspace, sop, 2, case_id=case.id, out_dir=out, now=start + timedelta(minutes=90))
    run_step(workspace, sop, 3, case_id=case.id, out_dir=out, now=start + timedelta(minutes=95),
             data={"tanggal": "23 November 2026"})  # not today's date: the test is about November
    return workspace


def test_recap_has_every_sheet_typed_and_laid_out(office_year, tmp_path):
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(build_recap(office_year, 2026, now=datetime(2026, 11, 23, 12)))
    book = load_workbook(path)
    assert book.sheetnames == SHEETS
    for ws in book:
        header = ws[1]
        assert all(c.font.bold for c in header if c.value), ws.title
        assert ws.freeze_panes == "A2", ws.title
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows == "$1:$1"

    register = book["Register Naskah Keluar"]
    rows = [[c.value for c in r] for r in register.iter_rows(min_row=2)]
    assert register.auto_filter.ref == "A1:K5"
    assert [r[1] for r in rows] == ["000.8.3.3/1/Diskominfotik-2026",
                                    "000.8.3.3/2/Diskominfotik-2026",
                                    "500.12/3/Diskominfotik-2026", "400.14/4/Diskominfotik-2026"]
    first = rows[0]
    assert isinstance(first[0], int) and first[2] == datetime(2026, 11, 23)
    assert register.cell(row=2, column=3).number_format == "DD/MM/YYYY"
    assert first[3:7] == ["Nota Dinas", "Permintaan Daftar Informasi Publik (DIP) Tahun 2026",
                          "Sekretaris; Kepala Bidang Aplikasi Informatika", "Drs. JASMAN, MM"]
    assert rows[1][9:] == ["Batal", "salah hal"]
    assert rows[3][7:9] == ["ppid", 3]  # made by step 3 of a PPID case
    assert rows[0][7:9] == [None, None]

    agenda = [[c.value for c in r] for r in book["Agenda Surat Masuk"].iter_rows(min_row=2)]
    assert [(r[0], r[3], r[7]) for r in agenda] == [(1, "421/1873/Disdik-2026", 2),
                                                    (2, "421/2000/Disdik-2026", 1)]
    assert agenda[0][1] == datetime(2026, 11, 20)
    assert agenda[0][6] == ("Kepala Bidang Aplikasi Informatika; "
                            "Koordinator Pengelolaan Domain dan Aplikasi")

    monthly = [[c.value for c in r] for r in book["Rekap Bulanan"].iter_rows(min_row=2)]
    by_kind = {r[0]: r for r in monthly}
    assert by_kind["Nota Dinas"][3] == 1 and by_kind["Nota Dinas"][11] == 2  # Mar, Nov
    assert by_kind["Nota Dinas"][13] == 3
    assert by_kind["Lembar Disposisi"][13] == 3 and by_kind["Berita Acara"][13] == 1
    totals = by_kind["Jumlah"]
    assert totals[11] == 6 and totals[13] == 7  # November, and the year
    assert totals[1:13] == [sum(r[m] for r in monthly[:-1]) for m in range(1, 13)]
    assert book["Rekap Bulanan"]["B1"].value == "Jan"

    compliance = book["Kepatuhan SOP"]
    assert [c.value for c in compliance[1]][5:7] == ["Baku (menit kerja)", "Lama (menit kerja)"]
    steps = [[c.value for c in r] for r in compliance.iter_rows(min_row=2, max_row=4)]
    assert [s[2] for s in steps] == [1, 2, 3]
    assert [s[5:8] for s in steps] == [[60, 30, "Ya"], [10, 60, "Tidak"], [10, 5, "Ya"]]
    assert compliance.cell(row=3, column=1).fill.fgColor.rgb.endswith("F4CCCC")
    assert compliance.cell(row=2, column=1).fill.fgColor.rgb in (None, "00000000")
    summary = [[c.value for c in r] for r in compliance.iter_rows(min_row=6, max_row=7)]
    assert summary[0][:4] == ["SOP", "Langkah dinilai", "Tepat waktu", "Persentase"]
    assert summary[1][:3] == ["ppid", 3, 2] and summary[1][3] == pytest.approx(2 / 3)

    archive = [[c.value for c in r] for r in book["Daftar Arsip"].iter_rows(min_row=2)]
    assert archive == [[1, "500.12", "Berita Acara Nomor 500.12/3/Diskominfotik-2026 tentang "
                        "Serah Terima Hosting Aplikasi PPDB Dinas Pendidikan", 2026, "Asli", 1,
                        archive[0][6]]]
    with zipfile.ZipFile(path) as z:  # openpyxl does not read charts back: look in the file
        chart = next(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert b"Naskah per bulan 2026" in z.read(chart)


def test_compliance_counts_working_time_and_marks_a_forced_step(workspace, tmp_path):
    """PPID step 1 (60 menit) of a case opened on Friday 20 November 2026 at 16:00 and done
    on Monday at 08:00: 64 hours by the calendar, 60 working minutes, on time. Step 3 is
    forced before step 2, with its reason."""
    from io import BytesIO

    sop, out = builtin_sops()["ppid"], tmp_path / "out"
    case = open_case(workspace, sop, {"jumlah_informasi": "3"}, now=datetime(2026, 11, 20, 16))
    run_step(workspace, sop, 1, case_id=case.id, out_dir=out, now=datetime(2026, 11, 23, 8))
    run_step(workspace, sop, 3, case_id=case.id, out_dir=out, now=datetime(2026, 11, 23, 8, 5),
             data={"tanggal": "23 November 2026"}, force=True,
             reason="nota dinas diminta Kadis hari ini")
    book = load_workbook(BytesIO(build_recap(workspace, 2026, now=datetime(2026, 11, 23, 12))))
    rows = list(book["Kepatuhan SOP"].iter_rows(min_row=2, max_row=3, values_only=True))
    assert [(r[2], *r[5:8], r[9]) for r in rows] == [
        (1, 60, 60, "Ya", None),
        (3, 10, 5, "Ya", "Di luar urutan: nota dinas diminta Kadis hari ini")]


def test_month_and_sop_filters(office_year):
    from io import BytesIO

    book = load_workbook(BytesIO(build_recap(office_year, 2026, month=3)))
    rows = list(book["Register Naskah Keluar"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["000.8.3.3/2/Diskominfotik-2026"]
    book = load_workbook(BytesIO(build_recap(office_year, 2026, sop="ppid")))
    rows = list(book["Register Naskah Keluar"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["400.14/4/Diskominfotik-2026"]


@pytest.mark.slow
def test_libreoffice_opens_the_recap(office_year, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed; .ci/run installs it")
        pytest.skip("soffice is not installed")
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(build_recap(office_year, 2026))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--infilter=Calc MS Excel 2007 XML", "--convert-to", "csv",
                    "--outdir", str(tmp_path / "csv"), str(path)],
                   check=True, capture_output=True, timeout=240)
    text = (tmp_path / "csv" / "rekap.csv").read_text()
    assert "000.8.3.3/1/Diskominfotik-2026" in text and "Berlaku" in text


def test_cli_recap_writes_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    runner = CliRunner()
    runner.invoke(cli, ["nota-dinas", "--data", str(SAMPLES / "nota-dinas.yaml")])
    result = runner.invoke(cli, ["recap", "-o", "rekap-2026.xlsx", "--year", "2026"])
    assert result.exit_code == 0 and result.stdout == "rekap-2026.xlsx\n"
    assert load_workbook(tmp_path / "rekap-2026.xlsx").sheetnames == SHEETS
    again = runner.invoke(cli, ["recap", "-o", "rekap-2026.xlsx"])
    assert again.exit_code == 1 and "already exists" in again.stderr
