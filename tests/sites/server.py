"""Fixture websites for the monitoring tests and bench: real sockets on 127.0.0.1, one port
per site (so that each has its own robots.txt, /wp-json and /sitemap.xml at its root), all
served by one asyncio loop in a background thread. A site is a map of paths to replies;
``HANG`` never answers, ``ENDLESS`` sends a body that never ends (``ENDLESS_REDIRECT`` with
a redirect), ``DRIP`` one that never ends either, a byte a second.

Builders at the end make the kinds of OPD website the tests need, dated relative to a day.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

from sopdocs import idn


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


HANG = "hang"
ENDLESS = "endless"
#: A page sent one byte a second, never finished: each read returns before a read timeout.
DRIP = "drip"
#: A redirect to /home whose body never ends.
ENDLESS_REDIRECT = "endless-redirect"
Route = Reply | str | Callable[[str], Reply]
NOT_FOUND = Reply(404, "<h1>Not Found</h1>")


@dataclass
class Site:
    """A fixture site: its routes (``*`` answers any other path), and what it was asked."""

    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""


class Server:
    """Serve fixture sites until closed; use as a context manager."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.servers: list[asyncio.AbstractServer] = []
        self.tasks: set[asyncio.Task[Any]] = set()
        #: Requests left hanging right now, and the most at one time.
        self.hanging = self.most_hanging = 0

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, routes: dict[str, Route], tls: ssl.SSLContext | None = None) -> Site:
        """Start serving ``routes`` on a port of its own; return the site with its url."""
        site = Site(routes)

        async def start() -> asyncio.AbstractServer:
            return await asyncio.start_server(
                lambda r, w: self._track(self._serve(site, r, w)), "127.0.0.1", 0, ssl=tls)

        server = asyncio.run_coroutine_threadsafe(start(), self.loop).result(10)
        self.servers.append(server)
        port = server.sockets[0].getsockname()[1]
        site.url = f"{'https' if tls else 'http'}://127.0.0.1:{port}/"
        return site

    def _track(self, coro: Any) -> None:
        task = self.loop.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _serve(self, site: Site, reader: asyncio.StreamReader,
                     writer: asyncio.StreamWriter) -> None:
        tls = writer.get_extra_info("ssl_object")
        if tls is not None and tls.selected_alpn_protocol() == "h2":
            await self._serve_h2(site, reader, writer)
            return
        try:
            while True:
                line = await reader.readline()
                if not line.strip():
                    return
                target = line.decode("latin-1").split(" ")[1]
                headers = {}
                while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                site.requests.append((target, headers))
                path = target.split("?")[0]
                route = site.routes.get(path, site.routes.get("*", NOT_FOUND))
                if route == HANG:
                    self.hanging += 1
                    self.most_hanging = max(self.most_hanging, self.hanging)
                    try:
                        await asyncio.sleep(3600)
                    finally:
                        self.hanging -= 1
                if route in (ENDLESS, ENDLESS_REDIRECT):
                    writer.write(b"HTTP/1.1 302 Found\r\nLocation: /home\r\n"
                                 if route == ENDLESS_REDIRECT else b"HTTP/1.1 200 OK\r\n")
                    writer.write(b"Content-Type: text/html\r\nConnection: close\r\n\r\n"
                                 b"<html><body>")
                    chunk = b"<p>" + b"x" * 65_000 + b"</p>"
                    while True:
                        writer.write(chunk)
                        await writer.drain()
                if route == DRIP:
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                 b"Content-Length: 100000\r\n\r\n<html>")
                    while True:
                        await writer.drain()
                        await asyncio.sleep(1)
                        writer.write(b" ")
                reply = route(target) if callable(route) else route
                assert isinstance(reply, Reply)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                head = [f"HTTP/1.1 {reply.status} X", f"Content-Type: {reply.content_type}",
                        f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in reply.headers)]
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError, IndexError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def _serve_h2(self, site: Site, reader: asyncio.StreamReader,
                        writer: asyncio.StreamWriter) -> None:
        """HTTP/2 (negotiated by ALPN over TLS): plain replies of less than 64 KB only."""
        import h2.config
        import h2.connection
        import h2.events

        connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        connection.initiate_connection()
        writer.write(connection.data_to_send())
        try:
            while data := await reader.read(65_536):
                for event in connection.receive_data(data):
                    if not isinstance(event, h2.events.RequestReceived):
                        continue
                    headers = {k.decode(): v.decode() for k, v in event.headers}
                    site.requests.append((headers[":path"], {**headers, "protocol": "h2"}))
                    route = site.routes.get(headers[":path"].split("?")[0],
                                            site.routes.get("*", NOT_FOUND))
                    reply = route(headers[":path"]) if callable(route) else route
                    assert isinstance(reply, Reply)
                    body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                    connection.send_headers(event.stream_id, [
                        (":status", str(reply.status)), ("content-type", reply.content_type),
                        ("content-length", str(len(body))), *reply.headers])
                    connection.send_data(event.stream_id, body, end_stream=True)
                writer.write(connection.data_to_send())
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    def close(self) -> None:
        async def stop() -> None:
            for server in self.servers:
                server.close()
            for task in list(self.tasks):
                task.cancel()
            await asyncio.sleep(0)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


# --- the kinds of site ----------------------------------------------------------------------

def page(body: str, head: str = "") -> Reply:
    return Reply(body=f"<!DOCTYPE html><html><head><title>OPD</title>{head}</head>"
                      f"<body>{body}<footer>&copy; {date.today().year} Pemprov</footer>"
                      "</body></html>")


def rss(items: list[tuple[str, date, str, str]]) -> Reply:
    """An RSS feed of (title, date, link, category) items."""
    wita = timezone(timedelta(hours=8))
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><category>{c}</category><pubDate>"
        f"{format_datetime(datetime(d.year, d.month, d.day, 9, tzinfo=wita))}</pubDate></item>"
        for t, d, link, c in items)
    return Reply(body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>OPD</title>'
                      f"<link>http://x/</link>{entries}</channel></rss>",
                 content_type="application/rss+xml; charset=utf-8")


def urlset(entries: list[tuple[str, date]], news: bool = False) -> Reply:
    urls = "".join(
        f"<url><loc>{loc}</loc>" + (
            f"<news:news><news:publication_date>{d.isoformat()}</news:publication_date>"
            f"<news:title>Berita {loc.rsplit('/', 2)[-2]}</news:title></news:news>"
            if news else f"<lastmod>{d.isoformat()}T08:00:00+08:00</lastmod>") + "</url>"
        for loc, d in entries)
    return Reply(body='<?xml version="1.0" encoding="UTF-8"?>'
                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                      'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                      f"{urls}</urlset>", content_type="application/xml")


def wordpress(today: date) -> dict[str, Route]:
    """WordPress: a feed of berita and artikel; the REST API has an agenda beyond the
    newest posts (found through its category)."""
    feed = rss([("Gubernur Resmikan Jembatan", today - timedelta(days=1), "/berita/jembatan/",
                 "Berita"),
                ("Tips Aman Bermedia Sosial", today - timedelta(days=4), "/artikel/tips/",
                 "Artikel")])
    posts = [{"date": f"{(today - timedelta(days=n)).isoformat()}T10:00:00", "link": f"/p{n}/",
              "title": {"rendered": f"Pos &amp; berita {n}"}, "categories": [2 if n % 2 else 3]}
             for n in range(1, 21)]
    agenda = [{"date": f"{(today - timedelta(days=30)).isoformat()}T10:00:00",
               "link": "/agenda/rakor/", "title": {"rendered": "Rapat Koordinasi"},
               "categories": [4]}]

    def rest_posts(target: str) -> Reply:
        body = agenda if "categories=4" in target else posts
        return Reply(body=json.dumps(body), content_type="application/json")

    return {
        "/": page("<p>Selamat datang</p>",
                  '<link rel="https://api.w.org/" href="/wp-json/">'
                  '<link rel="alternate" type="application/rss+xml" title="Feed" href="/feed/">'
                  '<link rel="alternate" type="application/rss+xml" title="Comments Feed" '
                  'href="/comments/feed/">'),
        "/feed/": feed,
        "/wp-json/wp/v2/categories": Reply(body=json.dumps(
            [{"id": 2, "name": "Berita", "slug": "berita"},
             {"id": 3, "name": "Uncategorized", "slug": "uncategorized"},
             {"id": 4, "name": "Agenda Kegiatan", "slug": "agenda-kegiatan"}]),
            content_type="application/json"),
        "/wp-json/wp/v2/posts": rest_posts,
    }


def rss_only(today: date, age: int = 2) -> dict[str, Route]:
    """A site with an RSS feed (announced in its page) and nothing else."""
    return {
        "/": page("<h1>Dinas</h1>", '<link rel="alternate" type="application/rss+xml" '
                                    'href="/rss.xml">'),
        "/rss.xml": rss([("Berita terbaru", today - timedelta(days=age), "/baca/1", "Umum"),
                         ("Jadwal Pelayanan", today - timedelta(days=age + 3), "/baca/2",
                          "Agenda")]),
    }


def sitemap_only(today: date, base: str) -> dict[str, Route]:
    """Sitemaps only, named in robots.txt: an index over a news sitemap, a post sitemap and a
    page sitemap; its newest berita is 15 days old."""
    return {
        "/": page("<h1>Badan</h1>"),
        "/robots.txt": Reply(body=f"User-agent: *\nDisallow: /wp-admin/\n\n"
                                  f"Sitemap: {base}sitemap_index.xml\n",
                             content_type="text/plain"),
        "/sitemap_index.xml": Reply(
            body='<?xml version="1.0"?><sitemapindex '
                 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 f"<sitemap><loc>{base}page-sitemap.xml</loc>"
                 f"<lastmod>{today.isoformat()}</lastmod></sitemap>"
                 f"<sitemap><loc>{base}post-sitemap.xml</loc>"
                 f"<lastmod>{(today - timedelta(days=20)).isoformat()}</lastmod></sitemap>"
                 f"<sitemap><loc>{base}news-sitemap.xml</loc>"
                 f"<lastmod>{(today - timedelta(days=15)).isoformat()}</lastmod></sitemap>"
                 "</sitemapindex>", content_type="application/xml"),
        "/page-sitemap.xml": urlset([(f"{base}profil/", today)]),
        "/news-sitemap.xml": urlset([(f"{base}2026/11/jalan-baru/", today - timedelta(days=15))],
                                    news=True),
        "/post-sitemap.xml": urlset([(f"{base}artikel/sejarah/", today - timedelta(days=20)),
                                     (f"{base}berita/lama/", today - timedelta(days=40))]),
    }


def html_only(today: date) -> dict[str, Route]:
    """No feed, no sitemap: a menu to /berita and /agenda pages with dates written in
    Indonesian beside each item."""
    berita_day = today - timedelta(days=3)
    agenda_day = today - timedelta(days=6)
    older = today - timedelta(days=9)
    return {
        "/": page('<nav><a href="/">Beranda</a> <a href="/berita">Berita</a> '
                  '<a href="/agenda">Agenda</a> <a href="/profil">Profil</a></nav>'),
        "/berita": page(
            f'<div class="post"><h2><a href="/berita/pasar-murah">Pasar Murah Digelar di '
            f'Samarinda</a></h2><span>{idn.hari(berita_day)}, {idn.tanggal(berita_day)}'
            f'</span></div><div class="post"><h2><a href="/berita/lama">Berita Sebelumnya '
            f'Tentang Banjir</a></h2><span>{older.day} {idn.BULAN[older.month - 1][:3]} '
            f'{older.year}</span></div>'),
        "/agenda": page(
            f'<ul><li><a href="/agenda/rapat">Rapat Evaluasi Website OPD</a> '
            f'<em>{agenda_day:%d/%m/%Y}</em></li></ul>'),
    }


def broken_feed(today: date, base: str) -> dict[str, Route]:
    """A feed that is no feed (an error page), and a sitemap that works."""
    return {
        "/": page("<h1>Dinas</h1>", '<link rel="alternate" type="application/rss+xml" '
                                    'href="/feed.xml">'),
        "/feed.xml": Reply(body="<html><body>Fatal error: database</body", status=200,
                           content_type="application/rss+xml"),
        "/sitemap.xml": urlset([(f"{base}berita/hari-ini/", today - timedelta(days=1))]),
    }


def stale(today: date, age: int = 60) -> dict[str, Route]:
    return rss_only(today, age)


def always(route: Route) -> dict[str, Route]:
    """Every path gets ``route`` (robots.txt too)."""
    return {"*": route}


def redirect_loop() -> dict[str, Route]:
    return {"*": lambda target: Reply(302, "", headers=(("Location", target),))}
