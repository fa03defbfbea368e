"""Website monitoring (issue 15) against real HTTP: fixture sites on 127.0.0.1 (one port
each, see tests/sites/server.py), one run over all of them, its XLSX and laporan read back."""

from __future__ import annotations

import gzip
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from sites import server as S

from conftest import docx_text, need, squash
from sopdocs.cli import cli
from sopdocs.monitor.fetch import AGENT
from sopdocs.monitor.run import Outcome, Settings, check_sites, run_monitoring
from sopdocs.monitor.sites import Site
from sopdocs.office import Workspace, data_path, load_office
from sopdocs.service import register_of
from sopdocs.sop.catalogue import catalogue, sop_of
from sopdocs.sop.steps import open_case, run_step

TODAY = date.today()
#: Seconds per site in these tests: the hanging site ends after this.
TIMEOUT = 1.0


def sample_workspace(folder: Path) -> Workspace:
    return Workspace(load_office(data_path("office-sample.yaml")).office, folder, None)


def serve(server: S.Server, kinds: dict[str, Any]) -> dict[str, S.Site]:
    """Start one fixture site per entry (a routes map, or a function of the site's url)."""
    sites = {}
    for name, routes in kinds.items():
        site = server.add({})
        site.routes.update(routes(site.url) if callable(routes) else routes)
        sites[name] = site
    return sites


def fixture_sites() -> dict[str, Any]:
    return {
        "Dinas Komunikasi dan Informatika": S.wordpress(TODAY),
        "Dinas Kesehatan": S.rss_only(TODAY),
        "Badan Pendapatan Daerah": lambda url: S.sitemap_only(TODAY, url),
        "Dinas Pariwisata": S.html_only(TODAY),
        "Dinas Perhubungan": lambda url: S.broken_feed(TODAY, url),
        "Dinas Lamban": S.always(S.HANG),
        "Dinas Galat": S.always(S.Reply(500, "Internal Server Error")),
        "Dinas Hilang": S.always(S.NOT_FOUND),
        "Dinas Berputar": S.redirect_loop(),
        "Dinas Raksasa": {"/": S.ENDLESS},
    }


def write_sites(path: Path, sites: dict[str, S.Site]) -> Path:
    path.write_text(yaml.safe_dump({"situs": [{"opd": n, "url": s.url}
                                              for n, s in sites.items()]}))
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One monitoring run over the ten fixture sites."""
    folder = tmp_path_factory.mktemp("monitor")
    ws = sample_workspace(folder)
    with S.Server() as server:
        sites = serve(server, fixture_sites())
        outcome = run_monitoring(ws, write_sites(folder / "situs.yaml", sites),
                                 settings=Settings(timeout=TIMEOUT), out_dir=folder / "out")
    return ws, sites, outcome


def file_of(made: Any, suffix: str) -> Path:
    return next(p for p in made.paths if p.suffix == suffix)


def pdf_plain(path: Path) -> str:
    with pdfplumber.open(path) as document:
        return squash(" ".join(page.extract_text() or "" for page in document.pages))


def by_name(outcome: Outcome) -> dict[str, Any]:
    return {r.opd: r for r in outcome.results}


EXPECTED = {  # status, {kategori: (days ago, method)}, reason
    "Dinas Komunikasi dan Informatika": ("mutakhir", {
        "berita": (1, "Feed RSS"), "artikel": (4, "Feed RSS"),
        "agenda": (30, "WordPress REST API")}, None),
    "Dinas Kesehatan": ("mutakhir", {"berita": (2, "Feed RSS"), "agenda": (5, "Feed RSS")},
                        None),
    "Badan Pendapatan Daerah": ("tidak mutakhir", {"berita": (15, "Sitemap berita"),
                                                   "artikel": (20, "Sitemap")}, None),
    "Dinas Pariwisata": ("mutakhir", {"berita": (3, "Halaman (tanggal)"),
                                      "agenda": (6, "Halaman (tanggal)")}, None),
    "Dinas Perhubungan": ("mutakhir", {"berita": (1, "Sitemap")}, None),
    "Dinas Lamban": ("tidak dapat diakses", {}, "waktu habis (tidak selesai dalam 1 detik)"),
    "Dinas Galat": ("tidak dapat diakses", {}, "galat server (HTTP 500)"),
    "Dinas Hilang": ("tidak dapat diakses", {}, "halaman tidak ditemukan (HTTP 404)"),
    "Dinas Berputar": ("tidak dapat diakses", {}, "pengalihan berulang (redirect loop)"),
    "Dinas Raksasa": ("tidak dapat diakses", {}, "respons lebih dari 5 MB"),
}


@pytest.mark.parametrize("opd", EXPECTED)
def test_each_fixture_site_gets_its_dates_methods_and_status(run: Any, opd: str) -> None:
    _, _, outcome = run
    result = by_name(outcome)[opd]
    status, items, alasan = EXPECTED[opd]
    assert result.status == status
    assert result.alasan == alasan
    assert {k: ((TODAY - i.tanggal).days, i.metode) for k, i in result.items.items()} == items
    if items:
        assert result.hari == min(days for days, _ in items.values())


def test_titles_and_links_come_with_the_dates(run: Any) -> None:
    _, sites, outcome = run
    results = by_name(outcome)
    wp = results["Dinas Komunikasi dan Informatika"]
    assert wp.items["agenda"].judul == "Rapat Koordinasi"
    assert wp.items["agenda"].tautan == sites["Dinas Komunikasi dan Informatika"].url \
        + "agenda/rakor/"
    html = results["Dinas Pariwisata"]
    assert html.items["berita"].judul == "Pasar Murah Digelar di Samarinda"
    assert html.items["agenda"].tautan.endswith("/agenda/rapat")
    assert results["Badan Pendapatan Daerah"].items["berita"].judul == "Berita jalan-baru"


def test_a_broken_feed_is_noted_and_the_sitemap_used(run: Any) -> None:
    result = by_name(run[2])["Dinas Perhubungan"]
    assert any("feed" in note and "rusak" in note for note in result.catatan)


def test_requests_are_polite(run: Any) -> None:
    """robots.txt first, a User-Agent naming the office, no comment feed, page sitemaps and
    category archives left alone; a site that answers 500 is not asked again."""
    _, sites, _ = run
    for site in sites.values():
        assert site.requests[0][0] == "/robots.txt"
        agent = site.requests[0][1]["user-agent"]
        assert agent.startswith(f"{AGENT}/") and "DINAS KOMUNIKASI" in agent
    asked = [path for path, _ in sites["Dinas Komunikasi dan Informatika"].requests]
    assert "/comments/feed/" not in asked
    assert "/page-sitemap.xml" not in [p for p, _ in sites["Badan Pendapatan Daerah"].requests]
    assert len(sites["Dinas Galat"].requests) == 1
    assert len(sites["Dinas Raksasa"].requests) == 2  # robots.txt, then the page cut off


def test_the_xlsx_has_a_sheet_per_week_coloured_status_and_a_chart(run: Any) -> None:
    outcome = run[2]
    book = load_workbook(outcome.workbook)
    week = f"Minggu {TODAY:%d-%m-%Y}"
    assert outcome.workbook.name == f"monitoring-{TODAY.isoformat()}.xlsx"
    assert book.sheetnames == ["Ringkasan", "Tren", week]
    ws = book[week]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["No.", "Perangkat Daerah", "URL", "Berita Terakhir"]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    assert len(rows) == 10
    column = {name: i for i, name in enumerate(header)}
    wp = rows["Dinas Komunikasi dan Informatika"]
    assert wp[column["Berita Terakhir"]].value.date() == TODAY - timedelta(days=1)
    assert wp[column["Berita Terakhir"]].number_format == "DD/MM/YYYY"
    assert wp[column["Judul Berita"]].value == "Gubernur Resmikan Jembatan"
    assert wp[column["Tautan Agenda"]].hyperlink.target.endswith("/agenda/rakor/")
    assert wp[column["Metode"]].value == "Feed RSS; WordPress REST API"
    colours = {r[column["Status"]].value: r[column["Status"]].fill.fgColor.rgb[-6:]
               for r in rows.values()}
    assert colours == {"mutakhir": "C6EFCE", "tidak mutakhir": "FFEB9C",
                       "tidak dapat diakses": "FFC7CE"}
    assert rows["Dinas Lamban"][column["Catatan"]].value.startswith("waktu habis")
    summary = book["Ringkasan"]
    assert [c.value for c in summary[2]][2:6] == [10, 4, 1, 5]
    assert len(summary._charts) == 1


def test_the_laporan_is_numbered_and_reads_from_the_figures(run: Any) -> None:
    ws, _, outcome = run
    (made,) = outcome.made
    assert made.nomor == f"500.12/1/Diskominfotik-{TODAY.year}"
    text, docx = pdf_plain(file_of(made, ".pdf")), file_of(made, ".docx")
    summary = ("Dari 10 (sepuluh) website OPD yang dimonitor, 4 (empat) mutakhir, 1 (satu) "
               "tidak mutakhir, dan 5 (lima) tidak dapat diakses.")
    for where in (text, docx_text(docx)):
        assert summary in where
        assert "REKAPITULASI HASIL MONITORING WEBSITE PERANGKAT DAERAH" in where
        assert f"{TODAY - timedelta(days=15):%d-%m-%Y}" in where  # Badan Pendapatan's berita
        assert "Tidak dapat diakses: pengalihan berulang (redirect loop)" in where
        assert "Badan Pendapatan Daerah" in where
    assert [e.nomor for e in register_of(ws).entries(TODAY.year)] == [made.nomor]


def test_the_run_is_kept_in_the_register(run: Any) -> None:
    ws, _, outcome = run
    kept = register_of(ws).monitoring()
    assert [(o.opd, o.status) for o in kept] == [(r.opd, r.status) for r in outcome.results]
    assert kept[0].latest == TODAY - timedelta(days=1)


def test_an_independent_reader_accepts_the_laporan(run: Any) -> None:
    qpdf = need("qpdf")
    (made,) = run[2].made
    check = subprocess.run([qpdf, "--check", str(file_of(made, ".pdf"))], capture_output=True)
    assert check.returncode == 0, check.stdout


@pytest.mark.slow
def test_libreoffice_opens_the_workbook(run: Any, tmp_path: Path) -> None:
    """Every sheet, exported by LibreOffice (import filter forced; sheet -1: all sheets)."""
    soffice = need("soffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--infilter=Calc MS Excel 2007 XML", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,"
                    "false,-1", "--outdir", str(tmp_path), str(run[2].workbook)],
                   check=True, capture_output=True, timeout=240)
    sheets = {p.stem.rsplit("-", 1)[-1]: p.read_text() for p in tmp_path.glob("*.csv")}
    assert len(sheets) == 3, sorted(sheets)
    text = "\n".join(sheets.values())
    assert "Jumlah Website" in text and ",10,4,1,5," in text
    assert "Gubernur Resmikan Jembatan" in text and "pengalihan berulang" in text


def test_history_says_how_many_weeks_in_a_row(tmp_path: Path) -> None:
    """Three Monday runs of a site that stays stale: the third laporan says so, the XLSX has
    a sheet per week and the trend."""
    ws = sample_workspace(tmp_path)
    with S.Server() as server:
        sites = serve(server, {"Dinas Lama": S.stale(TODAY), "Dinas Baru": S.rss_only(TODAY)})
        path = write_sites(tmp_path / "situs.yaml", sites)
        for weeks_ago in (2, 1, 0):
            now = datetime.combine(TODAY - timedelta(weeks=weeks_ago), datetime.min.time())
            outcome = run_monitoring(ws, path, settings=Settings(timeout=5),
                                     out_dir=tmp_path / "out", now=now.replace(hour=9))
    assert outcome.streaks == {sites["Dinas Lama"].url: 3}
    text = pdf_plain(file_of(outcome.made[0], ".pdf"))
    assert "Perlu perhatian khusus, tidak mutakhir 3 minggu berturut-turut: Dinas Lama." in text
    assert "Tidak mutakhir (60 hari), 3 minggu berturut-turut" in text
    book = load_workbook(outcome.workbook)
    assert len([n for n in book.sheetnames if n.startswith("Minggu ")]) == 3
    trend = {r[0]: r[2:] for r in book["Tren"].iter_rows(min_row=2, values_only=True)}
    assert trend["Dinas Lama"] == ("tidak mutakhir",) * 3 + (3,)
    assert [r[2] for r in book["Ringkasan"].iter_rows(min_row=2, values_only=True)] == [2, 2, 2]


def test_with_a_case_the_laporan_is_step_2_and_step_3_makes_the_disposisi(
        tmp_path: Path) -> None:
    profile = office_file(tmp_path)
    ws = load_office(profile)
    sop = sop_of(catalogue(ws), "monitoring-website")
    case = open_case(ws, sop, {"periode": "Minggu Ke-1 Desember 2026",
                               "tanggal_monitoring": TODAY.isoformat()})
    with S.Server() as server:
        sites = serve(server, {"Dinas Kesehatan": S.rss_only(TODAY)})
        path = write_sites(tmp_path / "situs.yaml", sites)
        runner = CliRunner()
        early = runner.invoke(cli, ["monitor", str(path), "--case", case.id,
                                    "--out", str(tmp_path / "out"), "--office", str(profile)])
        assert early.exit_code == 1 and "is at step 1" in early.output
        assert f"sopdocs step monitoring-website 1 --case {case.id}" in early.output
        assert "--force" not in early.output  # monitor has no such option to suggest
        assert sites["Dinas Kesehatan"].requests == []  # refused before anything was fetched
        run_step(ws, sop, 1, case_id=case.id, out_dir=tmp_path / "out")
        outcome = run_monitoring(ws, path, case_id=case.id, out_dir=tmp_path / "out",
                                 settings=Settings(timeout=5))
    assert outcome.case is not None and outcome.case.next_step == 3
    laporan = outcome.made[0].nomor
    step3 = run_step(ws, sop, 3, case_id=case.id, out_dir=tmp_path / "out")
    text = pdf_plain(file_of(step3.made[0], ".pdf"))
    assert laporan in text and "Minggu Ke-1 Desember 2026" in text


def test_the_command_prints_its_files_and_the_figures(tmp_path: Path) -> None:
    with S.Server() as server:
        sites = serve(server, {"Dinas Kesehatan": S.rss_only(TODAY),
                               "Dinas Galat": S.always(S.Reply(503, ""))})
        path = write_sites(tmp_path / "situs.yaml", sites)
        result = CliRunner().invoke(cli, ["monitor", str(path), "--out", str(tmp_path / "out"),
                                          "--office", str(office_file(tmp_path))])
    assert result.exit_code == 0, result.output
    printed = result.stdout.splitlines()
    assert [Path(p).suffix for p in printed] == [".xlsx", ".docx", ".pdf"]
    assert all(Path(p).is_file() for p in printed)
    assert "2 websites in" in result.stderr and "tidak dapat diakses 1" in result.stderr
    assert len(sites["Dinas Galat"].requests) == 2  # 503 is tried once more


def office_file(folder: Path) -> Path:
    profile = folder / "sopdocs.yaml"
    profile.write_text(data_path("office-sample.yaml").read_text())
    return profile


@pytest.mark.parametrize("content, expected", [
    ("situs:\n  - {opd: Dinas A, url: https://a.go.id}\n  - {opd: Dinas B}\n",
     "situs[2].url: missing"),
    ("situs:\n  - {opd: Dinas A, url: 'ftp://a.go.id'}\n", "situs[1].url: 'ftp://a.go.id' is"),
    ("situs:\n  - {opd: Dinas A, url: https://a.go.id\n", "line"),
    ("situs:\n  - {opd: Dinas A, url: a.go.id}\n  - {opd: Dinas B, url: 'https://A.go.id/'}\n",
     "situs[2].url: https://a.go.id/ is listed already (situs[1])"),
    ("situs:\n  - {opd: Dinas A, url: a.go.id, rss: x}\n", "situs[1].rss: unknown field"),
    ("situs:\n  - {opd: Dinas A, url: 'file:///etc/passwd'}\n",
     "situs[1].url: 'file:///etc/passwd' is not a web address"),
    ("situs:\n  - {opd: Dinas A, url: 'https://admin:rahasia@a.go.id/'}\n",
     "situs[1].url: must not hold a user name or password"),
    ("situs:\n  - {opd: Dinas A, url: 'https://a.go.id'}\n  - {opd: Dinas B, url: "
     "'http://a.go.id/'}\n", "situs[2].url: http://a.go.id/ is listed already (situs[1])"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, "
     "*c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nsitus: [*e]\n", "billion-laughs"),
    ("situs:\n" + "".join(f"  - {{opd: Dinas {i}, url: d{i}.go.id}}\n" for i in range(10_000)),
     "more than 500 sites"),
])
def test_a_bad_sites_file_is_refused_before_anything(tmp_path: Path, content: str,
                                                     expected: str) -> None:
    sites = tmp_path / "situs.yaml"
    sites.write_text(content)
    result = CliRunner().invoke(cli, ["monitor", str(sites), "--out", str(tmp_path / "out"),
                                      "--office", str(office_file(tmp_path))])
    assert result.exit_code == 1
    assert expected in result.stderr and "Traceback" not in result.output
    assert "rahasia" not in result.output
    assert not (tmp_path / "out").exists()
    assert register_of(sample_workspace(tmp_path)).entries(TODAY.year) == []


def test_a_bad_xlsx_row_is_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Daftar Website OPD"])
    sheet.append(["No", "Nama OPD", "Alamat Website", "Feed"])
    sheet.append([1, "Dinas A", "https://a.kaltimprov.go.id", None])
    sheet.append([2, "Dinas B", None, "https://b.kaltimprov.go.id/feed"])
    sheet.append([3, "Dinas C", "bukan alamat", None])
    book.save(tmp_path / "situs.xlsx")
    result = CliRunner().invoke(cli, ["monitor", str(tmp_path / "situs.xlsx"), "--out",
                                      str(tmp_path / "out"), "--office",
                                      str(office_file(tmp_path))])
    assert result.exit_code == 1
    assert "row 4: url: missing" in result.stderr
    assert "row 5: url: 'https://bukan alamat' is not a web address" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_good_xlsx_is_read_with_its_optional_columns(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from sopdocs.monitor.sites import read_sites

    book = Workbook()
    book.active.append(["Perangkat Daerah", "URL", "Sitemap"])
    book.active.append(["Dinas A", "a.kaltimprov.go.id", "https://a.kaltimprov.go.id/s.xml"])
    book.save(tmp_path / "situs.xlsx")
    assert read_sites(tmp_path / "situs.xlsx") == [
        Site("Dinas A", "https://a.kaltimprov.go.id/", sitemap="https://a.kaltimprov.go.id/s.xml")]


def test_the_sample_list_is_read(tmp_path: Path) -> None:
    from conftest import SAMPLES
    from sopdocs.monitor.sites import read_sites

    sites = read_sites(SAMPLES / "situs-opd.yaml")
    assert len(sites) > 30
    assert all(s.url.startswith("https://") and "kaltimprov.go.id" in s.url for s in sites)


def test_robots_txt_is_honoured(tmp_path: Path) -> None:
    with S.Server() as server:
        closed = serve(server, {"x": {"/robots.txt": S.Reply(
            body="User-agent: sopdocs\nDisallow: /\n", content_type="text/plain"),
            "/": S.page("<p>23 November 2026</p>")}})["x"]
        partly = serve(server, {"y": {**S.wordpress(TODAY), "/robots.txt": S.Reply(
            body="User-agent: *\nDisallow: /wp-json/\n", content_type="text/plain")}})["y"]
        results = check_sites([Site("X", closed.url), Site("Y", partly.url)],
                              Settings(timeout=5), "sopdocs/test", TODAY)
    assert results[0].status == "tidak dapat diakses"
    assert results[0].alasan == "dilarang oleh robots.txt"
    assert [p for p, _ in closed.requests] == ["/robots.txt"]
    assert not any(p.startswith("/wp-json/") for p, _ in partly.requests)
    assert "agenda" not in results[1].items and results[1].status == "mutakhir"


def test_ten_hanging_sites_cost_one_timeout_not_ten() -> None:
    """100 sites of which 10 hang: the hanging ones wait side by side (the server sees all
    ten waiting at once), so the run takes about one timeout, not ten, and every other site
    is read. (A behaviour check with a generous bound; speed is measured in bench/.)"""
    import time

    with S.Server() as server:
        sites = [Site(f"Lamban {i}", server.add(S.always(S.HANG)).url) if i % 10 == 0
                 else Site(f"Dinas {i}", server.add(S.rss_only(TODAY)).url) for i in range(100)]
        start = time.monotonic()
        results = check_sites(sites, Settings(timeout=TIMEOUT, concurrency=16), "sopdocs/test",
                              TODAY)
        took = time.monotonic() - start
        most_waiting = server.most_hanging
    assert [r.status for r in results].count("tidak dapat diakses") == 10
    assert [r.status for r in results].count("mutakhir") == 90
    assert most_waiting == 10
    assert took < 3 * TIMEOUT, f"{took:.1f} s"


def test_an_office_that_cannot_sign_the_laporan_is_refused_before_fetching(
        tmp_path: Path) -> None:
    profile = yaml.safe_load(data_path("office-sample.yaml").read_text())
    del profile["pejabat"]["tim-pengelola"]
    (tmp_path / "sopdocs.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True))
    with S.Server() as server:
        sites = serve(server, {"Dinas Kesehatan": S.rss_only(TODAY)})
        result = CliRunner().invoke(cli, ["monitor", str(write_sites(tmp_path / "s.yaml", sites)),
                                          "--out", str(tmp_path / "out"), "--office",
                                          str(tmp_path / "sopdocs.yaml")])
    assert result.exit_code == 1 and "tim-pengelola" in result.stderr, result.output
    assert sites["Dinas Kesehatan"].requests == []
    assert not (tmp_path / "out").exists()


def test_a_cp1252_csv_with_semicolons_is_read(tmp_path: Path) -> None:
    from sopdocs.monitor.sites import read_sites

    path = tmp_path / "situs.csv"
    path.write_bytes("Nama OPD;Alamat Website\nDinas Pekerjaan Umum – Bina Marga;pu.go.id\n"
                     "Badan ‘Keuangan’ Daerah;https://bpkad.go.id\n".encode("cp1252"))
    assert read_sites(path) == [Site("Dinas Pekerjaan Umum – Bina Marga", "https://pu.go.id/"),
                                Site("Badan ‘Keuangan’ Daerah", "https://bpkad.go.id/")]


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">'
                    for i in range(1, 10))
          + "]>")


def feed_page(path: str = "/feed") -> S.Reply:
    return S.page("", f'<link rel="alternate" type="application/rss+xml" href="{path}">')


def hostile_sites() -> dict[str, Any]:
    future = S.rss([("Agenda Tahun 2099", date(2099, 1, 1), "/agenda/2099", "Agenda"),
                    ("Berita Lama", TODAY - timedelta(days=40), "/berita/lama", "Berita")])
    only_future = S.rss([("Agenda Tahun 2099", date(2099, 1, 1), "/agenda/2099", "Agenda")])
    laughs_feed = LAUGHS + (
        '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
        f"<link>/berita/1</link><pubDate>{TODAY:%a, %d %b %Y} 08:00:00 +0800</pubDate>"
        "</item></channel></rss>")
    laughs_sitemap = LAUGHS + (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/berita/&lol9;'
        f"</loc><lastmod>{TODAY.isoformat()}</lastmod></url></urlset>")
    bomb = gzip.compress(b'<?xml version="1.0"?><urlset>' + b" " * 6_000_000 + b"</urlset>")

    def mirror(base: str) -> dict[str, S.Route]:
        return {"/": S.page("<h1>Dinas</h1>"), "/sitemap.xml": S.Reply(
            body='<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                 f'sitemap/0.9"><sitemap><loc>{base}sitemap.xml</loc></sitemap><sitemap><loc>'
                 f"{base}post-sitemap.xml</loc></sitemap></sitemapindex>",
            content_type="application/xml"),
            "/post-sitemap.xml": S.urlset([(f"{base}berita/satu/", TODAY - timedelta(days=2))])}

    def crowd(base: str) -> dict[str, S.Route]:
        children = "".join(f"<sitemap><loc>{base}post-sitemap{i}.xml</loc></sitemap>"
                           for i in range(60_000))
        return {"/": S.page(""), "/sitemap.xml": S.Reply(
            body=f'<?xml version="1.0"?><sitemapindex>{children}</sitemapindex>',
            content_type="application/xml")}

    return {
        "Dinas Masa Depan": {"/": feed_page(), "/feed": future},
        "Dinas Hanya Masa Depan": {"/": feed_page(), "/feed": only_future},
        "Dinas Tawa": {"/": feed_page(), "/feed": S.Reply(
            body=laughs_feed, content_type="application/rss+xml"),
            "/sitemap.xml": S.Reply(body=laughs_sitemap, content_type="application/xml")},
        "Dinas Cermin": mirror,
        "Dinas Ramai": crowd,
        "Dinas Robots HTML": {"/robots.txt": S.page("<pre>User-agent: *\nDisallow: /\n</pre>"),
                              "/": S.page(f'<p><a href="/berita/pasar-murah">Pasar Murah Digelar'
                                          f"</a> {TODAY:%d/%m/%Y}</p>")},
        "Dinas Bom": {"/": S.page(""), "/sitemap.xml": S.Reply(
            body=bomb, content_type="application/x-gzip")},
    }


@pytest.fixture(scope="module")
def hostile() -> Any:
    """One check of the hostile fixture sites: {name: (result, the paths it was asked)}.
    (Their parsing takes seconds of CPU on a busy machine: the timeout leaves room.)"""
    with S.Server() as server:
        sites = serve(server, hostile_sites())
        results = check_sites([Site(n, s.url) for n, s in sites.items()],
                              Settings(timeout=30), "sopdocs/test", TODAY)
        asked = {n: [p for p, _ in s.requests] for n, s in sites.items()}
    return {r.opd: (r, asked[r.opd]) for r in results}


def test_items_dated_after_the_run_are_not_counted_and_a_note_says_so(hostile: Any) -> None:
    result, _ = hostile["Dinas Masa Depan"]
    assert result.status == "tidak mutakhir" and result.hari == 40
    assert "agenda" not in result.items
    assert result.catatan[0] == ("1 item bertanggal sesudah hari monitoring tidak dihitung "
                                 "(01-01-2099, Feed RSS)")
    only, _ = hostile["Dinas Hanya Masa Depan"]
    assert only.status == "tidak dapat diakses"
    assert only.alasan == ("tanggal berita, artikel atau agenda yang terbaca semuanya sesudah "
                           "hari monitoring")


def test_entities_are_never_expanded(hostile: Any) -> None:
    result, _ = hostile["Dinas Tawa"]
    assert result.status == "mutakhir"
    assert "lollol" not in str(result.items) and "lollol" not in " ".join(result.catatan)


def test_a_sitemap_index_listing_itself_is_read_once(hostile: Any) -> None:
    result, asked = hostile["Dinas Cermin"]
    assert asked.count("/sitemap.xml") == 1 and asked.count("/post-sitemap.xml") == 1
    assert result.items["berita"].metode == "Sitemap"


def test_a_huge_sitemap_index_costs_a_few_requests(hostile: Any) -> None:
    result, asked = hostile["Dinas Ramai"]
    assert len([p for p in asked if "sitemap" in p]) <= 4
    assert result.status == "tidak dapat diakses"


def test_the_body_of_a_redirect_is_never_read() -> None:
    """A redirect whose body never ends: the next address is read at once (httpx itself
    would read the whole body first, until the site's time or the memory ran out)."""
    with S.Server() as server:
        site = server.add({"/": S.ENDLESS_REDIRECT, "/home": S.page(
            f'<p><a href="/berita/pasar-murah">Pasar Murah Digelar</a> {TODAY:%d/%m/%Y}</p>')})
        (result,) = check_sites([Site("Dinas Pengalih", site.url)], Settings(timeout=20),
                                "sopdocs/test", TODAY)
    assert result.status == "mutakhir", result
    assert result.items["berita"].tautan == f"{site.url}berita/pasar-murah"


def test_a_page_sent_a_byte_a_second_is_cut_by_the_site_timeout() -> None:
    with S.Server() as server:
        (result,) = check_sites([Site("Dinas Tetes", server.add({"/": S.DRIP}).url)],
                                Settings(timeout=TIMEOUT), "sopdocs/test", TODAY)
    assert result.alasan == "waktu habis (tidak selesai dalam 1 detik)"


def test_a_web_page_in_place_of_robots_txt_forbids_nothing(hostile: Any) -> None:
    result, asked = hostile["Dinas Robots HTML"]
    assert result.status == "mutakhir" and "/" in asked
    assert result.items["berita"].judul == "Pasar Murah Digelar"


def test_a_gzip_bomb_sitemap_is_cut_and_noted(hostile: Any) -> None:
    result, _ = hostile["Dinas Bom"]
    assert any("sitemap" in note and "rusak" in note for note in result.catatan)


def test_a_site_on_the_internet_never_leads_to_an_internal_address(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Here 127.0.0.1 plays a public address: its sites' redirects and feed links to the
    machine itself or to the metadata address are refused before any connection; a site
    the SITES file names at an internal address is read (every other test does so)."""
    from sopdocs.monitor import fetch

    real = fetch.reach
    monkeypatch.setattr(fetch, "reach",
                        lambda address: fetch.PUBLIC if address == "127.0.0.1" else real(address))
    with S.Server() as server:
        port = server.add(S.rss_only(TODAY)).url.rsplit(":", 1)[1].strip("/")
        sites = serve(server, {
            "Ke Metadata": S.always(S.Reply(302, "", headers=(
                ("Location", "http://169.254.169.254/latest/meta-data/"),))),
            "Ke Mesin Ini": {"/": S.Reply(302, "", headers=(
                ("Location", f"http://[::1]:{port}/"),))},
            "Feed Di Mesin Ini": {"/": feed_page(f"http://[::1]:{port}/rss.xml")},
        })
        results = check_sites([Site(n, s.url) for n, s in sites.items()],
                              Settings(timeout=5), "sopdocs/test", TODAY)
    refused = "mengarah ke alamat jaringan internal"
    metadata, machine, feed = results
    assert metadata.alasan == f"{refused} (169.254.169.254); tidak dibaca"
    assert machine.alasan == f"{refused} (::1); tidak dibaca"
    assert any(refused in note for note in feed.catatan)
