"""Check one site: the ways of finding its latest berita, artikel and agenda, tried in order
(feeds, the WordPress REST API, sitemaps, the pages themselves), each only while a category
is still missing; a category found by one way is not replaced by a later one. What was found
is kept as it is found, so that a site whose time runs out still reports it. Pages, feeds
and sitemaps are parsed in a worker thread: a big one takes seconds of CPU, and the other
sites' requests and every site's timeout go on meanwhile."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from . import finders
from .fetch import Fetcher, Page, Unreachable
from .finders import KATEGORI, Item
from .sites import Site

#: The most feeds, sitemaps and section pages read of one site: a polite visit.
MAX_FEEDS, MAX_SITEMAPS, MAX_SECTIONS = 2, 4, 3


#: Days after the run an item's date may be and still count (a site in another time zone
#: may already be a day ahead); a later date is left out, so that one item dated 2099 does
#: not make a site mutakhir for ever.
AHEAD_DAYS = 1


@dataclass
class Findings:
    """What a site's check on ``today`` found so far: the newest item of each category (from
    the first way that found one), the items dated after the run (left out), notes on what
    failed, and why the site could not be read."""

    today: date
    items: dict[str, Item] = field(default_factory=dict)
    future: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Why the site as a whole could not be read (its home page failed), or None.
    alasan: str | None = None

    def missing(self) -> list[str]:
        return [k for k in KATEGORI if k not in self.items]

    def add(self, items: list[Item]) -> None:
        """Keep the newest item of each category still missing; an item dated more than
        ``AHEAD_DAYS`` after the run is set aside in ``future`` instead."""
        latest = self.today + timedelta(days=AHEAD_DAYS)
        self.future += [i for i in items if i.tanggal > latest][:100 - len(self.future)]
        items = [i for i in items if i.tanggal <= latest]
        for kategori in self.missing():
            mine = [i for i in items if i.kategori == kategori]
            if mine:
                self.items[kategori] = max(mine, key=lambda i: i.tanggal)

    def note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < 10:
            self.notes.append(text)


async def explore(site: Site, fetcher: Fetcher, found: Findings) -> None:
    """Fill ``found`` with what ``site`` publishes. The first request (robots.txt) tells
    whether the site answers at all; when its home page fails, only the feed, sitemap or news
    page the SITES file names are still tried."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site.url))
    try:
        await fetcher.load_robots(origin)
        home: Page | None = await fetcher.get(site.url)
    except Unreachable as exc:
        found.alasan = exc.alasan
        home = None
    tree = await asyncio.to_thread(finders.html_tree, home.body) if home is not None else None
    if home is None and not (site.feed or site.sitemap or site.halaman_berita):
        return
    await _feeds(site, fetcher, found, home, tree)
    if found.missing() and tree is not None and home is not None:
        await _wordpress(fetcher, found, home, tree)
    if found.missing():
        await _sitemaps(site, fetcher, found, home)
    if found.missing():
        await _pages(site, fetcher, found, home, tree)


async def _feeds(site: Site, fetcher: Fetcher, found: Findings,
                 home: Page | None, tree: Any) -> None:
    feeds = [site.feed] if site.feed else (
        finders.feed_links(tree, home.url)[:MAX_FEEDS] if tree is not None and home else [])
    for url in feeds:
        if not found.missing():
            return
        try:
            page = await fetcher.get(url)
        except Unreachable as exc:
            found.note(f"feed {url}: {exc.alasan}")
            continue
        items = await asyncio.to_thread(finders.feed_items, page.body, page.url)
        if items is None:
            found.note(f"feed {url} rusak (bukan RSS/Atom yang dapat dibaca)")
        else:
            found.add(items)


async def _wordpress(fetcher: Fetcher, found: Findings, home: Page,
                     tree: Any) -> None:
    root = finders.wordpress_root(tree, home.url)
    if root is None:
        return
    try:
        categories = finders.wordpress_categories((await fetcher.get(
            finders.wordpress_endpoint(root, "wp/v2/categories", finders.CATEGORIES_QUERY))).body)
    except Unreachable:
        categories = {}
    try:
        page = await fetcher.get(finders.wordpress_endpoint(root, "wp/v2/posts",
                                                            finders.POSTS_QUERY))
    except Unreachable as exc:
        found.note(f"WordPress REST API: {exc.alasan}")
        return
    items = finders.wordpress_items(page.body, home.url, categories)
    if items is None:
        found.note("WordPress REST API tidak menjawab dengan daftar pos")
        return
    found.add(items)
    for kategori in found.missing():  # older posts of a category the newest did not reach
        ids = ",".join(str(i) for i, k in categories.items() if k == kategori)
        if not ids:
            continue
        query = f"categories={ids}&per_page=1&orderby=date&_fields=date,link,title,categories"
        try:
            page = await fetcher.get(finders.wordpress_endpoint(root, "wp/v2/posts", query))
        except Unreachable:
            continue
        found.add([i for i in finders.wordpress_items(page.body, home.url, categories)
                   or () if i.kategori == kategori])


async def _sitemaps(site: Site, fetcher: Fetcher, found: Findings,
                    home: Page | None) -> None:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(home.url if home else site.url))
    named = [site.sitemap] if site.sitemap else fetcher.sitemaps(origin)[:MAX_SITEMAPS]
    queue = named or [urljoin(origin, "/sitemap.xml")]
    read: list[str] = []  # an index that lists itself (or its parent) is not read again
    while queue and len(read) < MAX_SITEMAPS and found.missing():
        url = queue.pop(0)
        read.append(url)
        try:
            page = await fetcher.get(url)
        except Unreachable as exc:
            if named:
                found.note(f"sitemap {url}: {exc.alasan}")
            continue
        sitemap = await asyncio.to_thread(finders.parse_sitemap, page.body, page.url)
        if sitemap is None:
            found.note(f"sitemap {url} rusak (bukan XML sitemap)")
            continue
        queue += [u for u in finders.newest_sitemaps(sitemap.children)
                  if u not in queue and u not in read]
        found.add(sitemap.items)


async def _pages(site: Site, fetcher: Fetcher, found: Findings,
                 home: Page | None, tree: Any) -> None:
    """The news page the SITES file names, the site's section pages for the categories still
    missing, then the home page: dates written beside items, else htmldate's date of the
    page (as berita)."""
    pages: list[tuple[str, str | None]] = []
    if site.halaman_berita:
        pages.append((site.halaman_berita, "berita"))
    if tree is not None and home is not None:
        sections = finders.section_links(tree, home.url)
        pages += [(sections[k], k) for k in found.missing() if k in sections][:MAX_SECTIONS]
    for url, kategori in pages:
        if kategori not in found.missing():
            continue
        try:
            page = await fetcher.get(url)
        except Unreachable as exc:
            found.note(f"halaman {url}: {exc.alasan}")
            continue
        found.add(await asyncio.to_thread(_page_items, page.body, page.url, found.today,
                                             kategori))
    if home is not None and tree is not None and found.missing():
        found.add(await asyncio.to_thread(_page_items, home.body, home.url, found.today, None,
                                             tree))


def _page_items(body: bytes, url: str, today: date, kategori: str | None,
                tree: Any = None) -> list[Item]:
    """The dated items of a page (parsed from ``body`` unless ``tree`` is given): the dates
    written beside its items, else htmldate's date of the page."""
    tree = finders.html_tree(body) if tree is None else tree
    if tree is None:
        return []
    items = finders.page_items(tree, url, kategori)
    if not items:
        dated = finders.htmldate_item(body, url, today, kategori or "berita")
        items = [dated] if dated else []
    return items
