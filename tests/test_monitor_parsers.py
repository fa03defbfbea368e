"""Website monitoring, piece by piece: the date finders on hostile and odd inputs, the
reasons in words, the status and its sentences, the workbook's safety, TLS and gzip bombs
against a local server."""

from __future__ import annotations

import gzip
import ipaddress
import json
import socket
import ssl
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sites import server as S

from sopdocs.monitor import finders
from sopdocs.monitor.fetch import LOCAL, PRIVATE, PUBLIC, reach, reason, user_agent
from sopdocs.monitor.finders import Item
from sopdocs.monitor.history import Week
from sopdocs.monitor.report import simpulan
from sopdocs.monitor.run import Settings, check_sites
from sopdocs.monitor.sites import Site, web_address
from sopdocs.monitor.status import Result, keterangan, ringkasan
from sopdocs.monitor.workbook import build_workbook

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize("text, day", [
    ("Diposting Senin, 23 November 2026 pukul 10.00 WITA", date(2026, 11, 23)),
    ("23 Nov 2026", date(2026, 11, 23)),
    ("23 Nov. 2026", date(2026, 11, 23)),
    ("tanggal 5 Agt 2026", date(2026, 8, 5)),
    ("23/11/2026", date(2026, 11, 23)),
    ("23-11-2026", date(2026, 11, 23)),
    ("2026-11-23", date(2026, 11, 23)),
    ("7 Nopember 2026", date(2026, 11, 7)),
])
def test_indonesian_dates_in_a_text(text: str, day: date) -> None:
    assert list(finders.dates_in(text)) == [day]


@pytest.mark.parametrize("text", ["31/02/2026", "123/11/2026", "23 Foo 2026", "Tel. 0541-736852",
                                  "1/2/20261"])
def test_what_is_no_date_is_skipped(text: str) -> None:
    assert list(finders.dates_in(text)) == []


def test_an_atom_feed_keeps_the_sites_own_date_and_categories() -> None:
    body = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
    <entry><title>Rapat &lt;b&gt;Evaluasi&lt;/b&gt;</title><link href="/agenda/1"/>
    <published>2026-11-23T23:30:00+08:00</published><category term="Agenda"/></entry>
    <entry><title>Opini</title><link href="https://x.go.id/artikel/2"/>
    <updated>2026-11-20T08:00:00Z</updated></entry></feed>"""
    items = finders.feed_items(body, "https://x.go.id/feed")
    assert items == [
        Item("agenda", date(2026, 11, 23), "Rapat Evaluasi", "https://x.go.id/agenda/1",
             "Feed Atom"),
        Item("artikel", date(2026, 11, 20), "Opini", "https://x.go.id/artikel/2", "Feed Atom")]


def test_a_page_that_is_no_feed_is_none() -> None:
    assert finders.feed_items(b"<html><body>Fatal error</body></html>", "https://x/") \
        is None


def test_wordpress_categories_map_to_berita_artikel_agenda() -> None:
    categories = finders.wordpress_categories(json.dumps([
        {"id": 1, "name": "Uncategorized"}, {"id": 5, "name": "Artikel Kesehatan"},
        {"id": 7, "name": "Jadwal", "slug": "jadwal-kegiatan"}, {"id": "x"}]).encode())
    assert categories == {5: "artikel", 7: "agenda"}
    posts = json.dumps([
        {"date": "2026-11-29T07:00:00", "link": "/a", "title": {"rendered": "A &amp; B"},
         "categories": [1, 5]},
        {"date": "2026-11-28T07:00:00", "link": "javascript:alert(1)", "title": "C",
         "categories": [7]},
        {"date": "bukan tanggal"}, "sampah"]).encode()
    assert finders.wordpress_items(posts, "https://x.go.id/", categories) == [
        Item("artikel", date(2026, 11, 29), "A & B", "https://x.go.id/a", "WordPress REST API"),
        Item("agenda", date(2026, 11, 28), "C", None, "WordPress REST API")]
    assert finders.wordpress_items(b'{"code": "rest_no_route"}', "https://x/", {}) \
        is None


def test_wordpress_endpoints_with_and_without_pretty_links() -> None:
    assert finders.wordpress_endpoint("https://x.go.id/wp-json/", "wp/v2/posts", "a=1") \
        == "https://x.go.id/wp-json/wp/v2/posts?a=1"
    assert finders.wordpress_endpoint("https://x.go.id/?rest_route=/", "wp/v2/posts", "a=1") \
        == "https://x.go.id/?rest_route=/wp/v2/posts&a=1"


def test_a_gzipped_sitemap_and_one_with_entities_are_read_safely() -> None:
    urlset = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
              b'sitemap/0.9"><url><loc>https://x.go.id/berita/a</loc>'
              b"<lastmod>2026-11-28T10:00:00+08:00</lastmod></url>"
              b"<url><loc>https://x.go.id/profil</loc><lastmod>2026-11-29</lastmod></url>"
              b"</urlset>")
    read = finders.parse_sitemap(gzip.compress(urlset), "https://x.go.id/sitemap.xml.gz")
    assert read is not None
    assert read.items == [Item("berita", date(2026, 11, 28), None, "https://x.go.id/berita/a",
                               "Sitemap")]
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              b"<urlset><url><loc>&lol2;</loc></url></urlset>")
    assert finders.parse_sitemap(laughs, "https://x.go.id/s.xml") in (
        None, finders.Sitemap([], []))
    assert finders.parse_sitemap(b"not xml", "https://x/") is None


def test_newest_post_sitemaps_first_pages_never() -> None:
    children = [("https://x/page-sitemap.xml", date(2026, 11, 29)),
                ("https://x/post-sitemap1.xml", None), ("https://x/post-sitemap2.xml", None),
                ("https://x/category-sitemap.xml", date(2026, 11, 29)),
                ("https://x/news-sitemap.xml", date(2026, 11, 28))]
    assert finders.newest_sitemaps(children) == [
        "https://x/news-sitemap.xml", "https://x/post-sitemap2.xml",
        "https://x/post-sitemap1.xml"]


def test_texts_from_websites_are_cleaned_and_bounded() -> None:
    assert finders.clean("  <b>Judul</b>\x00\u202e baru\n&amp; lain ") == "Judul baru & lain"
    assert len(finders.clean("x" * 10_000) or "") == finders.MAX_TITLE
    assert finders.link("javascript:alert(1)", "https://x/") is None
    assert finders.link("/a b", "https://x/") == "https://x/a b"


def test_reasons_in_words() -> None:
    def chained(outer: Exception, inner: BaseException) -> Exception:
        outer.__cause__ = inner
        return outer

    dns = chained(httpx.ConnectError("x"), socket.gaierror(-2, "Name or service not known"))
    tls = chained(httpx.ConnectError("x"), ssl.SSLCertVerificationError("bad"))
    assert reason(dns, 20) == "nama domain tidak ditemukan (DNS)"
    assert reason(tls, 20) == "sertifikat TLS/SSL tidak sah"
    assert reason(httpx.ReadTimeout("x"), 20) == "waktu habis (tidak selesai dalam 20 detik)"
    assert reason(httpx.TooManyRedirects("x"), 20) == "pengalihan berulang (redirect loop)"
    assert reason(httpx.RemoteProtocolError("x"), 20) == "koneksi terputus"


def test_the_user_agent_names_the_office_in_ascii() -> None:
    agent = user_agent("DINAS KOMUNIKASI (DISKOMINFO) PROVINSI KALIMANTAN TIMUR — Samarinda")
    assert agent.isascii() and "DINAS KOMUNIKASI DISKOMINFO PROVINSI" in agent
    agent.encode("latin-1")


def test_web_addresses_are_normalised_or_refused() -> None:
    assert web_address("Diskominfo.KaltimProv.go.id") == "https://diskominfo.kaltimprov.go.id/"
    assert web_address("http://x.go.id:8080/berita?a=1#top") == "http://x.go.id:8080/berita?a=1"
    assert web_address("x.go.id:443") == web_address("https://x.go.id") == "https://x.go.id/"
    assert web_address("//x.go.id/a") == "https://x.go.id/a"
    assert web_address("http://[::1]:8080/") == "http://[::1]:8080/"
    assert web_address("http://127.0.0.1:5432/") == "http://127.0.0.1:5432/"  # an intranet
    assert web_address("localhost:8080") == "https://localhost:8080/"
    for bad in ("mailto:a@b", "https://", "https://x.go.id:99999", "file:///etc/passwd",
                "file:/etc/passwd", "ftp://x.go.id", "javascript:alert(1)", "C:\\situs"):
        with pytest.raises(ValueError, match=r"not a web address|bad port"):
            web_address(bad)
    for secret in ("https://user:rahasia@x.go.id", "https://user@x.go.id/"):
        with pytest.raises(ValueError, match="user name or password") as refused:
            web_address(secret)
        assert "rahasia" not in str(refused.value)


def test_how_internal_an_address_is() -> None:
    for public in ("8.8.8.8", "36.66.1.2", "2001:4860:4860::8888"):
        assert reach(public) == PUBLIC, public
    for private in ("10.1.2.3", "172.16.0.1", "192.168.1.10", "100.64.0.1", "fd00::1"):
        assert reach(private) == PRIVATE, private
    for local in ("127.0.0.1", "::1", "169.254.169.254", "fe80::1%eth0", "0.0.0.0",
                  "::ffff:127.0.0.1", "224.0.0.1", "not an address"):
        assert reach(local) == LOCAL, local


def result(opd: str, status: str, hari: int | None = None, alasan: str | None = None,
           judul: str | None = None) -> Result:
    items = {} if hari is None else {"berita": Item(
        "berita", TODAY - timedelta(days=hari), judul, "https://x.go.id/b", "Feed RSS")}
    return Result(opd, f"https://{opd.lower().replace(' ', '')}.go.id/", status, items, hari,
                  alasan)


def test_the_sentences_of_the_laporan() -> None:
    results = [result("A", "mutakhir", 1), result("B", "tidak mutakhir", 40),
               result("C", "tidak dapat diakses", alasan="waktu habis")]
    assert ringkasan(results) == ("Dari 3 (tiga) website OPD yang dimonitor, 1 (satu) mutakhir, "
                                  "1 (satu) tidak mutakhir, dan 1 (satu) tidak dapat diakses.")
    assert keterangan(results[1], 3) == "Tidak mutakhir (40 hari), 3 minggu berturut-turut"
    assert keterangan(results[2]) == "Tidak dapat diakses: waktu habis"
    assert keterangan(results[0], 5) == "Mutakhir"


def test_the_conclusion_groups_weeks_in_a_row_and_keeps_names_with_commas_apart() -> None:
    long_name = "Dinas Kependudukan, Pemberdayaan Perempuan dan Perlindungan Anak"
    results = [result("A", "mutakhir", 1), result(long_name, "tidak mutakhir", 40),
               result("B", "tidak mutakhir", 20), result("C", "tidak dapat diakses",
                                                         alasan="waktu habis"),
               result("D", "tidak dapat diakses", alasan="DNS")]
    streaks = {results[1].url: 3, results[2].url: 2, results[3].url: 3, results[4].url: 3}
    assert simpulan(results, streaks, 7) == (
        "Website yang tidak mutakhir (tanpa berita, artikel atau agenda baru lebih dari 7 "
        f"hari): {long_name}; dan B. Perangkat daerah tersebut agar diingatkan untuk "
        "memperbarui isi websitenya. "
        "Perlu perhatian khusus, tidak dapat diakses 3 minggu berturut-turut: C dan D. "
        f"Perlu perhatian khusus, tidak mutakhir 3 minggu berturut-turut: {long_name}. "
        "Perlu perhatian khusus, tidak mutakhir 2 minggu berturut-turut: B. "
        "Website yang tidak dapat diakses: C dan D. Agar diperiksa bersama pengelola website "
        "dan Tim Infrastruktur.")
    many = [result(f"Dinas {i}", "tidak mutakhir", 30) for i in range(12)]
    assert "12 (dua belas) website (lihat tabel)" in simpulan(many, {}, 7)


def test_no_text_from_a_website_becomes_a_formula(tmp_path: Path) -> None:
    hostile = result("=1+1", "mutakhir", 1, judul='=HYPERLINK("http://evil","klik")')
    data = build_workbook([Week(TODAY, datetime(2026, 11, 30, 9), [hostile])], {},
                          datetime(2026, 11, 30, 9))
    (tmp_path / "m.xlsx").write_bytes(data)
    sheet = load_workbook(tmp_path / "m.xlsx")["Minggu 30-11-2026"]
    cells = {c.value: c for c in sheet[2] if isinstance(c.value, str)}
    for text in ("=1+1", '=HYPERLINK("http://evil","klik")'):
        assert cells[text].data_type == "s"


def self_signed(folder: Path, alpn: tuple[str, ...] = ()) -> ssl.SSLContext:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    if alpn:
        context.set_alpn_protocols(list(alpn))
    return context


def test_a_bad_certificate_and_a_gzip_bomb_are_reasons_not_crashes(tmp_path: Path) -> None:
    bomb = S.Reply(body=gzip.compress(b"\0" * 30_000_000), headers=(
        ("Content-Encoding", "gzip"),))
    with S.Server() as server:
        tls = server.add(S.rss_only(date.today()), tls=self_signed(tmp_path))
        packed = server.add({"/": bomb})
        results = check_sites([Site("TLS", tls.url), Site("Bom", packed.url)],
                              Settings(timeout=5), "sopdocs/test", date.today())
    assert [r.alasan for r in results] == ["sertifikat TLS/SSL tidak sah",
                                           "respons lebih dari 5 MB"]


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode),
                 st.sampled_from([b"<rss>", b"<?xml version='1.0'?><urlset><url><loc>",
                                  b"<html><a href='x'>23/11/2026", b"[{\"date\": 5}]",
                                  b"\x1f\x8b\x08\x00garbage"])))
def test_no_bytes_a_website_sends_make_a_parser_raise(body: bytes) -> None:
    finders.feed_items(body, "https://x.go.id/feed")
    finders.parse_sitemap(body, "https://x.go.id/sitemap.xml")
    finders.wordpress_items(body, "https://x.go.id/", {1: "berita"})
    finders.wordpress_categories(body)
    tree = finders.html_tree(body)
    if tree is not None:
        finders.feed_links(tree, "https://x.go.id/")
        finders.section_links(tree, "https://x.go.id/")
        finders.wordpress_root(tree, "https://x.go.id/")
        finders.page_items(tree, "https://x.go.id/", None)
    finders.htmldate_item(body, "https://x.go.id/", TODAY, "berita")


def test_http2_is_spoken_where_the_server_offers_it(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Over TLS with ALPN the client and a server that offers h2 speak HTTP/2 (the fixture's
    self-signed certificate trusted through SSL_CERT_FILE, as an office trusts its own CA)."""
    context = self_signed(tmp_path, alpn=("h2", "http/1.1"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))
    with S.Server() as server:
        site = server.add(S.rss_only(date.today()), tls=context)
        (found,) = check_sites([Site("H2", site.url)], Settings(timeout=5), "sopdocs/test",
                               date.today())
    assert found.status == "mutakhir" and found.items["berita"].metode == "Feed RSS"
    assert {h.get("protocol") for _, h in site.requests} == {"h2"}
    assert [p for p, _ in site.requests] == ["/robots.txt", "/", "/rss.xml", "/sitemap.xml"]


def test_a_page_of_many_links_and_dates_is_read_at_once() -> None:
    """60,000 short links in one list and 5,000 dates beside them: each element's links
    are looked at once and at most ``MAX_ANCHORS`` of them (this took minutes, with every
    other site of the run waiting)."""
    body = ("<html><body><div>" + "<a href='/b'>x</a>" * 60_000
            + "<span>27/11/2026</span>" * 5_000 + "</div></body></html>").encode()
    items = finders.page_items(finders.html_tree(body), "https://x.go.id/", None)
    assert len(items) > 2_000
    assert items[0] == Item("berita", date(2026, 11, 27), None, None, "Halaman (tanggal)")


def test_sites_are_parsed_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Feeds, sitemaps and pages are parsed in a worker thread, so that a big one (seconds of
    CPU) never holds up the other sites' requests and timeouts."""
    import asyncio

    on_loop: dict[str, bool] = {}

    def watched(name: str) -> None:
        real = getattr(finders, name)

        def wrapper(*args: object) -> object:
            try:
                asyncio.get_running_loop()
                on_loop[name] = True
            except RuntimeError:
                on_loop.setdefault(name, False)
            return real(*args)

        monkeypatch.setattr(finders, name, wrapper)

    for name in ("html_tree", "feed_items", "parse_sitemap", "page_items"):
        watched(name)
    with S.Server() as server:
        mapped = server.add({})
        mapped.routes.update(S.sitemap_only(TODAY, mapped.url))
        sites = [Site("A", server.add(S.rss_only(TODAY)).url),
                 Site("B", server.add(S.html_only(TODAY)).url), Site("C", mapped.url)]
        check_sites(sites, Settings(timeout=5), "sopdocs/test", TODAY)
    assert on_loop == {"html_tree": False, "feed_items": False, "parse_sitemap": False,
                       "page_items": False}
