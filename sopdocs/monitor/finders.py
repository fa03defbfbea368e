"""Read the dates of a site's latest berita, artikel and agenda from what it publishes: RSS
and Atom feeds, the WordPress REST API, sitemaps (indexes and news sitemaps too) and the
page itself (Indonesian date forms, then htmldate). Each parser takes bytes and returns
items; nothing here fetches. Every text taken from a site is cleaned and bounded before it
goes anywhere."""

from __future__ import annotations

import email.utils
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

from .. import idn

KATEGORI = ("berita", "artikel", "agenda")
#: Words of a category name, tag, or address path that say what an item is (checked in this
#: order: an "agenda-berita" is an agenda).
WORDS = {
    "agenda": ("agenda", "agendas", "event", "events", "jadwal", "kalender"),
    "artikel": ("artikel", "article", "articles", "opini", "tulisan", "blog", "feature"),
    "berita": ("berita", "news", "warta", "kabar", "rilis", "pers"),
}
#: Longest title kept (a title is a line of the XLSX, not the article).
MAX_TITLE = 300
#: Dates before this are no news date (htmldate's own lower bound).
EARLIEST = date(1995, 1, 1)

METODE_RSS, METODE_ATOM = "Feed RSS", "Feed Atom"
METODE_WP = "WordPress REST API"
METODE_SITEMAP, METODE_NEWS_SITEMAP = "Sitemap", "Sitemap berita"
METODE_HALAMAN, METODE_HTMLDATE = "Halaman (tanggal)", "Halaman (htmldate)"


@dataclass(frozen=True)
class Item:
    """One dated item of a site: what it is, when, its title and link, and how it was found."""

    kategori: str
    tanggal: date
    judul: str | None
    tautan: str | None
    metode: str


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_TAGS = re.compile(r"<[^>]*>")


def clean(text: Any, limit: int = MAX_TITLE) -> str | None:
    """A site's text as one safe line: tags and entities resolved, control and direction
    characters dropped, white space collapsed, cut to ``limit`` characters."""
    if not isinstance(text, str):
        return None
    text = html.unescape(_TAGS.sub(" ", text[:20 * limit]))
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
    return text or None


def link(value: Any, base: str) -> str | None:
    """An item's link, made absolute; only http(s) links are kept."""
    if not isinstance(value, str) or not value.strip() or len(value) > 2_000:
        return None
    absolute = urljoin(base, value.strip())
    if urlsplit(absolute).scheme not in ("http", "https") or _CONTROL.search(absolute):
        return None
    return absolute


def kategori_of(*texts: str | None) -> str | None:
    """The category the words of category names, tags or a link's path point to, if any."""
    words = {w for t in texts if t for w in re.split(r"[^a-z]+", t.casefold()) if w}
    return next((k for k, ws in WORDS.items() if words & set(ws)), None)


def path_of(url: str | None) -> str | None:
    return urlsplit(url).path if url else None


def plausible(day: date | None) -> date | None:
    """``day`` if it can be a publication date: not before 1995. (A date after the run is
    kept here: the run leaves it out and says so, see ``explore.Findings``.)"""
    if day is None or day < EARLIEST:
        return None
    return day


# --- feeds ---------------------------------------------------------------------------------

def _feed_date(entry: Any) -> date | None:
    """The date an entry was published as the site wrote it (its own time zone), else when
    it was updated."""
    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed")):
        raw = entry.get(raw_key)
        if isinstance(raw, str) and raw.strip():
            try:
                return email.utils.parsedate_to_datetime(raw.strip()).date()
            except (TypeError, ValueError, IndexError):
                pass
            try:
                return datetime.fromisoformat(raw.strip()).date()
            except ValueError:
                pass
        parsed = entry.get(parsed_key)
        if parsed:
            try:
                return date(*parsed[:3])
            except (TypeError, ValueError):
                pass
    return None


def feed_items(body: bytes, url: str) -> list[Item] | None:
    """The dated entries of an RSS or Atom feed, or None when it is no feed at all. An entry
    is an agenda or artikel when its tags or link say so, else berita."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    version = str(parsed.get("version") or "")
    if not parsed.get("entries") and (parsed.get("bozo") or not version):
        return None
    metode = METODE_ATOM if version.startswith("atom") else METODE_RSS
    items = []
    for entry in parsed.entries[:500]:
        day = plausible(_feed_date(entry))
        if day is None:
            continue
        tautan = link(entry.get("link"), url)
        tags = [t.get("term") for t in entry.get("tags", []) if isinstance(t, dict)]
        kategori = kategori_of(*[t for t in tags if isinstance(t, str)]) \
            or kategori_of(path_of(tautan)) or "berita"
        items.append(Item(kategori, day, clean(entry.get("title")), tautan, metode))
    return items


def feed_links(tree: Any, base: str) -> list[str]:
    """The feeds a page announces (``<link rel="alternate" type="application/rss+xml">``),
    comment feeds left out."""
    found = []
    for element in tree.iter("link"):
        rel = (element.get("rel") or "").casefold().split()
        kind = (element.get("type") or "").casefold()
        if "alternate" not in rel or kind not in ("application/rss+xml", "application/atom+xml"):
            continue
        title, href = (element.get("title") or "").casefold(), link(element.get("href"), base)
        if href and "comment" not in title and "komentar" not in title \
                and "/comments/" not in href and href not in found:
            found.append(href)
    return found


# --- WordPress -------------------------------------------------------------------------------

def wordpress_root(tree: Any, page: str) -> str | None:
    """The REST API root a WordPress page announces (``<link rel="https://api.w.org/">``),
    or ``/wp-json/`` when the page is WordPress's (wp-content) without announcing it."""
    for element in tree.iter("link"):
        if (element.get("rel") or "").strip() == "https://api.w.org/":
            return link(element.get("href"), page)
    text = " ".join(str(e.get("src") or e.get("href") or "") for e in tree.iter("script", "link"))
    return urljoin(page, "/wp-json/") if "/wp-content/" in text else None


def wordpress_endpoint(root: str, route: str, query: str) -> str:
    """The address of ``route`` (``wp/v2/posts``) under a REST root, also in the
    ``?rest_route=`` form sites without pretty links use."""
    if "rest_route=" in root:
        return f"{root.split('?')[0]}?rest_route=/{route}&{query}"
    return f"{urljoin(root if root.endswith('/') else root + '/', route)}?{query}"


POSTS_QUERY = "per_page=20&orderby=date&_fields=date,link,title,categories"
CATEGORIES_QUERY = "per_page=100&_fields=id,name,slug"


def wordpress_categories(body: bytes) -> dict[int, str]:
    """Category id → the category it stands for (berita, artikel or agenda), by its name and
    slug; categories that say neither are left out."""
    data = _json(body)
    mapped = {}
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("id"), int):
            kategori = kategori_of(str(entry.get("name") or ""), str(entry.get("slug") or ""))
            if kategori:
                mapped[entry["id"]] = kategori
    return mapped


def wordpress_items(body: bytes, base: str, categories: dict[int, str]) -> list[Item] | None:
    """The posts of ``/wp/v2/posts`` as items, each in the category its WordPress categories
    map to (else by its link, else berita); None when the answer is no list of posts."""
    data = _json(body)
    if not isinstance(data, list):
        return None
    items = []
    for post in data[:100]:
        if not isinstance(post, dict) or not isinstance(post.get("date"), str):
            continue
        try:
            day = plausible(datetime.fromisoformat(post["date"][:19]).date())
        except ValueError:
            continue
        if day is None:
            continue
        ids = post.get("categories")
        ids = ids if isinstance(ids, list) else []
        tautan = link(post.get("link"), base)
        mapped = [categories[i] for i in ids if isinstance(i, int) and i in categories]
        kategori = next((k for k in KATEGORI if k in mapped), None) \
            or kategori_of(path_of(tautan)) or "berita"
        title = post.get("title")
        title = title.get("rendered") if isinstance(title, dict) else title
        items.append(Item(kategori, day, clean(title), tautan, METODE_WP))
    return items


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


# --- sitemaps --------------------------------------------------------------------------------

#: Sitemaps of things that are no news: pages, categories, tags, authors.
_NOT_POSTS = re.compile(r"page|categor|tag|author|user|taxonom|attachment|product", re.I)
_POSTS = re.compile(r"post|news|berita|artikel|article|agenda|event", re.I)
_DATED_PATH = re.compile(r"/(19|20)\d\d/(0?[1-9]|1[0-2])/")
_W3C_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Sitemap:
    """A sitemap read: the sitemaps an index lists (address, lastmod) or the dated items of
    a list of pages."""

    children: list[tuple[str, date | None]]
    items: list[Item]


def _w3c_date(text: str | None) -> date | None:
    if text and (m := _W3C_DATE.match(text)):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def parse_sitemap(body: bytes, url: str) -> Sitemap | None:
    """Read a sitemap, a sitemap index or a news sitemap (gzip too); None when it is not one.

    A page counts as an item when a news sitemap dates it (publication date), its path says
    berita/artikel/agenda or holds a year and month, or the sitemap is one of posts; pages,
    categories and tags (``page-sitemap.xml``) are left out."""
    from lxml import etree

    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None

    def local(element: Any) -> str:
        tag = element.tag
        return etree.QName(tag).localname if isinstance(tag, str) else ""

    def child_text(element: Any, name: str) -> str | None:
        for sub in element.iter():
            if local(sub) == name and sub.text:
                return str(sub.text).strip()
        return None

    kind = local(root)
    if kind == "sitemapindex":
        children = []
        for entry in root:
            if local(entry) == "sitemap" and (loc := link(child_text(entry, "loc"), url)):
                children.append((loc, _w3c_date(child_text(entry, "lastmod"))))
        return Sitemap(children[:50_000], [])
    if kind != "urlset":
        return None
    of_posts = bool(_POSTS.search(path_of(url) or "")) and not _NOT_POSTS.search(
        path_of(url) or "")
    items = []
    for entry in root:
        if local(entry) != "url" or not (loc := link(child_text(entry, "loc"), url)):
            continue
        news = next((sub for sub in entry.iter() if local(sub) == "news"), None)
        published = _w3c_date(child_text(news, "publication_date")) if news is not None else None
        path = path_of(loc) or ""
        kategori = kategori_of(path)
        if kategori is None and (published or of_posts or _DATED_PATH.search(path)):
            kategori = "berita"
        day = plausible(published or _w3c_date(child_text(entry, "lastmod")))
        if kategori is None or day is None:
            continue
        metode = METODE_NEWS_SITEMAP if published else METODE_SITEMAP
        title = clean(child_text(news, "title")) if news is not None else None
        items.append(Item(kategori, day, title, loc, metode))
    return Sitemap([], items)


#: The most bytes a gzipped sitemap is unpacked to: what the fetcher reads of any response
#: (a sitemap may be 50 MB by the protocol, but a tree of 50 MB of tiny entries takes
#: gigabytes; a cut sitemap is no XML and is reported as unreadable).
MAX_SITEMAP_BYTES = 5_000_000


def _gunzip(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """A gzipped sitemap, unpacked to at most ``limit`` bytes."""
    import gzip
    import io
    import zlib

    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as packed:
            return packed.read(limit)
    except (OSError, EOFError, zlib.error):
        return b""


def newest_sitemaps(children: list[tuple[str, date | None]], most: int = 3) -> list[str]:
    """The child sitemaps most likely to hold the newest posts: sitemaps of posts or news
    before others, pages and categories never, the latest lastmod first, then the highest
    numbered (``post-sitemap7.xml``: WordPress puts the newest posts in the last one)."""

    def number(url: str) -> int:
        digits = re.findall(r"\d+", path_of(url) or "")
        return int(digits[-1]) if digits else 0

    candidates = [(u, d) for u, d in children if not _NOT_POSTS.search(path_of(u) or "")]
    candidates.sort(key=lambda c: (bool(_POSTS.search(path_of(c[0]) or "")),
                                   c[1] or date.min, number(c[0])), reverse=True)
    return [u for u, _ in candidates[:most]]


# --- pages -----------------------------------------------------------------------------------

_MONTHS = [*idn.BULAN, *(b[:3] for b in idn.BULAN), "Agt", "Okt", "Des", "Peb", "Nop",
           "Pebruari", "Nopember"]
_DATE_IN_TEXT = re.compile(
    r"(?<![\d/.-])(?:(\d{1,2})\s+(" + "|".join(sorted(set(_MONTHS), key=len, reverse=True))
    + r")\.?,?\s+(\d{4})|(\d{1,2})([/.-])(\d{1,2})\5(\d{4})|(\d{4})-(\d{2})-(\d{2}))(?![\d/])",
    re.IGNORECASE)
_SKIP = ("script", "style", "noscript", "template", "svg")


def html_tree(body: bytes) -> Any:
    """A page as an lxml tree (the encoding found from its bytes and meta), or None."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return lxml_html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return None


def dates_in(text: str) -> Iterable[date]:
    """The dates written in a text: ``Senin, 23 November 2026``, ``23 Nov 2026``,
    ``23/11/2026``, ``23-11-2026``, ``2026-11-23`` (as ``idn.parse_tanggal`` reads them)."""
    for m in _DATE_IN_TEXT.finditer(text):
        if m[1]:
            written = f"{m[1]} {m[2]} {m[3]}"
        elif m[4]:
            written = f"{m[4]}/{m[6]}/{m[7]}"
        else:
            written = f"{m[8]}-{m[9]}-{m[10]}"
        try:
            yield idn.parse_tanggal(written)
        except ValueError:
            continue


#: The most links of one element looked at for a date's title: a page of 60,000 links and
#: thousands of dates must not cost minutes (the check of every site waits for it).
MAX_ANCHORS = 200


def _title_near(element: Any, base: str, seen: dict[Any, tuple[str, str] | None]
                ) -> tuple[str | None, str | None]:
    """The title and link of the item a date belongs to: the longest link text in the
    nearest enclosing element (up to five levels up) that has a link. ``seen`` keeps each
    element's answer, so that the dates of one list look at its links once."""
    for _ in range(5):
        if element is None:
            break
        if element not in seen:
            anchors = [(clean(a.text_content()), link(a.get("href"), base))
                       for a in islice(element.iter("a"), MAX_ANCHORS) if a.get("href")]
            found = [(t, u) for t, u in anchors
                     if t and u and len(t) >= 10 and not re.search(r"/(tag|category)/", u)]
            seen[element] = max(found, key=lambda a: len(a[0])) if found else None
        if (best := seen[element]) is not None:
            return best
        element = element.getparent()
    return None, None


def page_items(tree: Any, url: str, kategori: str | None) -> list[Item]:
    """The items a page shows with a date beside them (a news list, a home page): each date
    written in its text or in a ``<time datetime>``, with the title and link near it. The
    category is ``kategori`` (a page of agenda) or else what the link's path says, else
    berita. Scripts and styles are taken out of ``tree`` first."""
    from lxml import etree

    etree.strip_elements(tree, *_SKIP, with_tail=False)
    items = []
    seen: dict[Any, tuple[str, str] | None] = {}
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        found: list[tuple[date, Any]] = []
        if tag == "time" and (stamp := _w3c_date(element.get("datetime"))):
            found.append((stamp, element))
        for text, holder in ((element.text, element), (element.tail, element.getparent())):
            if text and holder is not None and tag:
                found += [(d, holder) for d in dates_in(text)]
        for day, holder in found:
            if plausible(day) is None:
                continue
            title, tautan = _title_near(holder, url, seen)
            items.append(Item(kategori or kategori_of(path_of(tautan)) or "berita", day,
                              title, tautan, METODE_HALAMAN))
        if len(items) > 2_000:
            break
    return items


def htmldate_item(body: bytes, url: str, today: date, kategori: str) -> Item | None:
    """The date htmldate reads from a page's markup (meta tags, ``<time>``, the address),
    without its guesses from free text: a copyright year is no news date."""
    from htmldate import find_date

    tree = html_tree(body)
    if tree is None:
        return None
    try:
        found = find_date(tree, url=url, extensive_search=False, original_date=False,
                          outputformat="%Y-%m-%d", max_date=today.isoformat())
    except (ValueError, TypeError):
        return None
    day = plausible(_w3c_date(found)) if found else None
    return Item(kategori, day, None, url, METODE_HTMLDATE) if day else None


def section_links(tree: Any, base: str) -> dict[str, str]:
    """The pages a site's menu links for each category (``/berita``, a link "Agenda"), on
    the same host."""
    host = urlsplit(base).netloc
    found: dict[str, str] = {}
    for anchor in tree.iter("a"):
        href = link(anchor.get("href"), base)
        if not href or urlsplit(href).netloc != host:
            continue
        segments = [s for s in (path_of(href) or "").split("/") if s]
        text = clean(anchor.text_content(), 40) or ""
        if len(segments) > 2 or len(text.split()) > 3:
            continue  # an article, not a section
        kategori = kategori_of(segments[-1] if segments else None) or kategori_of(text)
        if kategori and kategori not in found:
            found[kategori] = href
    return found
