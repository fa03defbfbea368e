"""Read the list of OPD websites to monitor (``SITES.yaml`` or ``.xlsx``/``.csv``): one entry
per OPD with its name and address, and optionally the feed, sitemap or news page to use.
Every bad entry is one problem naming its row (or item) and field, all found before anything
is fetched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import InputError, RecordError
from ..idn import kutip
from ..inputs import read_data
from ..records import item_path, one_line

#: The most sites one run monitors: the rows the laporan's table may hold.
MAX_SITES = 500
#: The longest address taken (browsers and Excel links stop near 2,000 characters).
MAX_URL = 2_000
#: A scheme other than a web one: ``name:`` not followed by a port number or ``//``.
_OTHER_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:(?!\d|//)", re.IGNORECASE)
FIELDS = ("opd", "url", "feed", "sitemap", "halaman_berita")
#: Column headers of a SITES workbook, compared without case, spaces or punctuation.
HEADERS: dict[str, tuple[str, ...]] = {
    "opd": ("OPD", "Nama OPD", "Perangkat Daerah", "Nama Perangkat Daerah", "Nama", "Instansi"),
    "url": ("URL", "Alamat", "Alamat Website", "Website", "Situs", "Laman", "Domain"),
    "feed": ("Feed", "RSS", "Feed RSS", "URL Feed"),
    "sitemap": ("Sitemap", "Peta Situs", "URL Sitemap"),
    "halaman_berita": ("Halaman Berita", "Berita", "URL Berita"),
}


@dataclass(frozen=True)
class Site:
    """One OPD website: its name, its home page, and the feed, sitemap or news page to use
    instead of finding them."""

    opd: str
    url: str
    feed: str | None = None
    sitemap: str | None = None
    halaman_berita: str | None = None

    def hosts(self) -> frozenset[str]:
        """The hosts this entry names (as httpx spells them: lower case, IPv6 without
        brackets)."""
        urls = (self.url, self.feed, self.sitemap, self.halaman_berita)
        return frozenset(urlsplit(u).hostname or "" for u in urls if u)


def web_address(value: Any) -> str:
    """Return ``value`` as an http(s) address (``https://`` is added to a bare domain, a
    default port dropped); raise ValueError saying what is wrong: another scheme (file://,
    ftp://, mailto:), a user name or password (never echoed back), no host, a bad port. An
    address on the office network or this machine (10.x, 192.168.x, 127.0.0.1:8080) is taken:
    an OPD site may be on the intranet (what such a site may lead to: ``fetch.Fetcher.guard``)."""
    text = " ".join(str(value).split())
    if not text:
        raise ValueError("is empty")
    if len(text) > MAX_URL:
        raise ValueError(f"is longer than {MAX_URL:,} characters")
    if _OTHER_SCHEME.match(text):  # mailto:, javascript:, file:/x (a host:port is kept)
        raise ValueError(f"{kutip(text)} is not a web address (http:// or https://)")
    if "://" not in text:
        text = f"https://{text.removeprefix('//')}"
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"{kutip(text)} is not a web address (http:// or https://)")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not hold a user name or password (user@…); monitoring reads "
                         "public pages only")
    if not parts.hostname or " " in text:
        raise ValueError(f"{kutip(text)} is not a web address (write e.g. "
                         "https://diskominfo.kaltimprov.go.id)")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{kutip(text)} has a bad port") from None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    scheme = parts.scheme.lower()
    host += f":{port}" if port and port != {"http": 80, "https": 443}[scheme] else ""
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def _field(where: str, name: str) -> str:
    """A field's path as the person reads it: ``situs[3].url`` or ``row 7: url``."""
    return f"{where}: {name}" if where.startswith("row ") else f"{where}.{name}"


def _site(fields: dict[str, Any], where: str) -> tuple[Site | None, list[tuple[str, str]]]:
    """One site from its fields, or the problems of its fields."""
    problems = [(_field(where, str(name)), f"unknown field (fields: {', '.join(FIELDS)})")
                for name in sorted(set(fields) - set(FIELDS), key=str)]
    values: dict[str, str | None] = {}
    for name in FIELDS:
        raw = fields.get(name)
        if raw is None or str(raw).strip() == "":
            if name in ("opd", "url"):
                problems.append((_field(where, name), "missing"))
            values[name] = None
            continue
        if not isinstance(raw, str | int | float):
            problems.append((_field(where, name), f"must be a text, not {type(raw).__name__}"))
            continue
        try:
            values[name] = one_line(str(raw)) if name == "opd" else web_address(raw)
        except ValueError as exc:
            problems.append((_field(where, name), str(exc)))
    if problems:
        return None, problems
    assert values["opd"] is not None and values["url"] is not None
    return Site(values["opd"], values["url"], values.get("feed"), values.get("sitemap"),
                values.get("halaman_berita")), []


def _yaml_entries(path: Path) -> list[tuple[str, Any]]:
    data = read_data(path)
    if isinstance(data, dict) and set(data) == {"situs"}:
        data = data["situs"]
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a list of sites under 'situs:' (each with opd "
                         "and url)")
    return [(item_path("situs", i), entry) for i, entry in enumerate(data)]


def _sheet_entries(path: Path) -> list[tuple[str, Any]]:
    from ..agenda import _key, _rows

    aliases = {_key(a): name for name, names in HEADERS.items() for a in names}
    rows = _rows(path, None)
    head = list(islice(rows, 10))
    headers = [[aliases.get(_key(v)) for v in values] for _number, values in head]
    index = next((i for i, h in enumerate(headers) if {"opd", "url"} <= set(h)), None)
    if index is None:
        raise InputError(f"{path}: no header row with the columns OPD and URL (accepted: "
                         f"{', '.join(HEADERS['opd'])}; {', '.join(HEADERS['url'])})")
    entries: list[tuple[str, Any]] = []
    for number, values in chain(head[index + 1:], rows):
        if all(v in (None, "") for v in values):
            continue
        entries.append((f"row {number}", {n: v for n, v in zip(headers[index], values,
                                                                   strict=False)
                                          if n and v not in (None, "")}))
        if len(entries) > MAX_SITES:
            break  # refused by the caller; the rest is not read
    return entries


def read_sites(path: Path) -> list[Site]:
    """Return the sites listed in ``path`` (YAML/JSON, or an XLSX/CSV with a header row).

    Raises InputError for a file that cannot be read, and RecordError with one line per bad
    entry (``situs[3].url: missing``, ``row 7.url: …``) and per address given twice.
    """
    if path.suffix.lower() in (".xlsx", ".xlsm", ".csv"):
        entries = _sheet_entries(path)
    else:
        entries = _yaml_entries(path)
    if not entries:
        raise InputError(f"{path}: no sites listed")
    if len(entries) > MAX_SITES:
        raise InputError(f"{path}: more than {MAX_SITES} sites; one run monitors at most "
                         f"{MAX_SITES}")
    sites: list[Site] = []
    problems: list[tuple[str, str]] = []
    first: dict[str, str] = {}
    for where, entry in entries:
        if not isinstance(entry, dict):
            problems.append((where, "expected a mapping with opd and url"))
            continue
        site, found = _site(entry, where)
        problems += found
        if site is None:
            continue
        same = site.url.split("://", 1)[1].rstrip("/")  # http:// and https:// are one site
        if same in first:
            problems.append((_field(where, "url"),
                             f"{site.url} is listed already ({first[same]})"))
            continue
        first[same] = where
        sites.append(site)
    if problems:
        raise RecordError(str(path), problems)
    return sites
