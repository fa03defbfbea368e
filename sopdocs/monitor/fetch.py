"""Fetching websites politely and safely: one httpx client (HTTP/1.1 and HTTP/2) for a run, a
limit on the sites checked at once, a deadline for each whole site, one retry on a transient
error, a User-Agent naming the office, robots.txt honoured, every response read by streaming
and cut off at a size limit, redirects followed one by one so that a site on the internet
never leads to an address of this machine or the office network. A site that fails never
raises out of here: its failure is a reason in Indonesian words."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .. import __version__

#: The most bytes read of one response (after decompression, so a gzip bomb is cut too).
MAX_BYTES = 5_000_000
#: The most bytes of a robots.txt read; the rest is ignored (as the big search engines do).
ROBOTS_BYTES = 500_000
#: The product token robots.txt rules name to speak to sopdocs.
AGENT = "sopdocs"
#: How long to wait before the one retry of a transient failure.
RETRY_PAUSE = 0.5
#: Redirects followed before a chain counts as a loop.
MAX_REDIRECTS = 10
#: HTTP statuses worth one more try: busy or briefly broken servers.
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,application/json;q=0.9,*/*;q=0.5")


class Unreachable(Exception):
    """A web address could not be read; ``alasan`` says why, in Indonesian, for the laporan.
    ``status`` is the HTTP status when the server answered with an error."""

    def __init__(self, alasan: str, status: int | None = None):
        super().__init__(alasan)
        self.alasan = alasan
        self.status = status


@dataclass(frozen=True)
class Page:
    """A response read in full (within the size limit): where it ended up, and its bytes."""

    url: str
    content_type: str
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def user_agent(office_name: str) -> str:
    """The User-Agent of every request: sopdocs, what it does and for which office (in ASCII,
    as HTTP headers must be)."""
    name = unicodedata.normalize("NFKD", " ".join(office_name.split()))
    name = "".join(ch for ch in name if " " <= ch <= "~" and ch not in "()")[:120]
    return f"{AGENT}/{__version__} (monitoring website OPD; {name})"


def http_reason(status: int) -> str:
    """An HTTP error status in words."""
    if status == 404:
        return "halaman tidak ditemukan (HTTP 404)"
    if status == 410:
        return "halaman sudah dihapus (HTTP 410)"
    if status in (401, 403):
        return f"akses ditolak (HTTP {status})"
    if status == 429:
        return "terlalu banyak permintaan (HTTP 429)"
    if status >= 500:
        return f"galat server (HTTP {status})"
    return f"tidak dapat dibaca (HTTP {status})"


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 20:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def reason(exc: BaseException, timeout: float) -> str:
    """What went wrong with a request, in the words of the laporan: DNS, timeout, TLS,
    refused, cut off, redirect loop."""
    chain = _causes(exc)
    if isinstance(exc, httpx.TooManyRedirects):
        return "pengalihan berulang (redirect loop)"
    if any(isinstance(e, httpx.TimeoutException | TimeoutError) for e in chain):
        return f"waktu habis (tidak selesai dalam {timeout:g} detik)"
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "nama domain tidak ditemukan (DNS)"
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain):
        return "sertifikat TLS/SSL tidak sah"
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return "koneksi TLS/SSL gagal"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "koneksi ditolak"
    if isinstance(exc, httpx.ConnectError):
        return "tidak dapat terhubung"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "dialihkan ke alamat yang tidak sah"
    if isinstance(exc, httpx.TransportError):
        return "koneksi terputus"
    return "galat tak terduga"


def _transient(exc: Exception) -> bool:
    """A failure that may pass in a moment: the connection dropped or was refused (not DNS,
    TLS or a timeout: those would fail again, or already used the site's time)."""
    if isinstance(exc, httpx.TimeoutException | httpx.TooManyRedirects):
        return False
    if any(isinstance(e, socket.gaierror | ssl.SSLError) for e in _causes(exc)):
        return False
    return isinstance(exc, httpx.TransportError)


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


@dataclass
class Fetcher:
    """The requests of one site: robots.txt is read once per host and honoured, every
    response is capped, a transient failure is tried once more, no address more internal
    than the site's own is asked."""

    client: httpx.AsyncClient
    timeout: float
    max_bytes: int = MAX_BYTES
    #: The hosts the SITES entry names (none: no address is refused), see ``guard``.
    home: frozenset[str] = frozenset()
    robots: dict[str, RobotFileParser | None] = field(default_factory=dict)
    level: int | None = None
    reaches: dict[str, int] = field(default_factory=dict)

    async def get(self, url: str) -> Page:
        """Return the page at ``url``; raise Unreachable saying why not (robots.txt forbids
        it, an HTTP error, DNS, timeout, TLS, a redirect loop, more than the size limit)."""
        if not await self.allowed(url):
            raise Unreachable("dilarang oleh robots.txt")
        return await self._read(url, self.max_bytes)

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt of the host lets sopdocs read ``url`` (no robots.txt, or one
        answered with a 4xx status: everything is allowed, as RFC 9309 says)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            with contextlib.suppress(Unreachable):  # the request itself will say what is wrong
                await self.load_robots(origin)
        rules = self.robots[origin]
        return rules is None or rules.can_fetch(AGENT, url)

    async def load_robots(self, origin: str) -> None:
        """Read ``origin``'s robots.txt; raise Unreachable when the host cannot be reached
        or answers with a server error (then RFC 9309 forbids crawling it at all). A 4xx
        status or an HTML page in its place means no rules."""
        self.robots[origin] = None
        try:
            page = await self._read(urljoin(origin, "/robots.txt"), ROBOTS_BYTES, cut=True)
        except Unreachable as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return
            raise
        if "html" in page.content_type.lower() or page.body.lstrip()[:1] == b"<":
            return  # a web page (a CMS's "not found" answered 200) is no robots.txt
        rules = RobotFileParser()
        rules.parse(page.text().splitlines())
        self.robots[origin] = rules

    def sitemaps(self, origin: str) -> list[str]:
        """The sitemaps robots.txt names for ``origin``."""
        rules = self.robots.get(origin)
        named = (rules.site_maps() if rules is not None else None) or []
        return [u for u in (urljoin(origin, n) for n in named)
                if u.startswith(("http://", "https://"))]

    async def _read(self, url: str, limit: int, cut: bool = False) -> Page:
        """Read ``url``; a transient failure (see ``_transient``, ``TRANSIENT_STATUS``) is
        tried once more after a pause. Every failure ends as Unreachable."""
        try:
            return await self._once(url, limit, cut)
        except Unreachable as exc:
            if exc.status not in TRANSIENT_STATUS:
                raise
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            if not _transient(exc):
                raise Unreachable(reason(exc, self.timeout)) from None
        await asyncio.sleep(RETRY_PAUSE)
        try:
            return await self._once(url, limit, cut)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise Unreachable(reason(exc, self.timeout)) from None

    async def _once(self, url: str, limit: int, cut: bool) -> Page:
        """One request, its redirects followed here (not by httpx, which reads a redirect's
        body whole): every address on the way passes ``guard`` first."""
        request = self.client.build_request("GET", url)
        for _ in range(MAX_REDIRECTS + 1):
            await self.guard(request.url.host)
            response = await self.client.send(request, stream=True, follow_redirects=False)
            try:
                if response.next_request is None:
                    return await self._body(response, limit, cut)
            finally:
                await response.aclose()
            request = response.next_request
        raise Unreachable(reason(httpx.TooManyRedirects(url), self.timeout))

    async def _body(self, response: httpx.Response, limit: int, cut: bool) -> Page:
        if response.status_code >= 400:
            raise Unreachable(http_reason(response.status_code), response.status_code)
        declared = response.headers.get("content-length", "")
        if not cut and declared.isdigit() and int(declared) > limit:
            raise Unreachable(f"respons lebih dari {_megabytes(limit)}")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                if cut:
                    del body[limit:]
                    break
                raise Unreachable(f"respons lebih dari {_megabytes(limit)}")
        return Page(str(response.url), response.headers.get("content-type", ""), bytes(body))

    async def guard(self, host: str) -> None:
        """Refuse a host on a more internal network than the site's own (see ``reach``): a
        website on the internet never leads sopdocs, by a redirect, a feed or a sitemap, to
        this machine, the office network or a cloud's metadata address. The hosts the SITES
        entry names are never refused: an OPD site may be on the office network."""
        if not self.home or host in self.home:
            return
        if self.level is None:
            self.level = max([await self._reach(h) for h in self.home])
        if await self._reach(host) > self.level:
            raise Unreachable(f"mengarah ke alamat jaringan internal ({host}); tidak dibaca")

    async def _reach(self, host: str) -> int:
        """How internal ``host`` is: the most internal of its addresses (looked up once)."""
        if host not in self.reaches:
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(host.strip("[]"), None, type=socket.SOCK_STREAM)
                found = [str(info[4][0]) for info in infos]
            except (OSError, UnicodeError):
                found = []  # the request itself will say that the name is unknown
            self.reaches[host] = max((reach(a) for a in found), default=PUBLIC)
        return self.reaches[host]


PUBLIC, PRIVATE, LOCAL = 0, 1, 2


def reach(address: str) -> int:
    """How internal an IP address is: PUBLIC (the internet), PRIVATE (an office or
    provider network: 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) or LOCAL (this
    machine, link-local such as the 169.254.169.254 metadata address, or not routable)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return LOCAL
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast \
            or ip.is_reserved:
        return LOCAL
    return PUBLIC if ip.is_global else PRIVATE


def client(agent: str, timeout: float, concurrency: int) -> httpx.AsyncClient:
    """The one client of a run: HTTP/2 where the server offers it, every wait bounded by
    ``timeout`` (redirects are followed by ``Fetcher``)."""
    return httpx.AsyncClient(
        http2=True,
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(max_connections=2 * concurrency,
                            max_keepalive_connections=2 * concurrency),
        headers={"User-Agent": agent, "Accept": ACCEPT, "Accept-Language": "id, en;q=0.5"})


T = TypeVar("T")


@dataclass(frozen=True)
class Job(Generic[T]):
    """One site's check: what to run with the site's Fetcher, and what to make of a timeout
    or an unexpected failure (given the reason in words), so that one bad site never stops
    the others."""

    check: Callable[[Fetcher], Awaitable[T]]
    failed: Callable[[str], T]
    #: The hosts the site's entry names (``Fetcher.home``).
    home: frozenset[str] = frozenset()


async def run_jobs(jobs: Sequence[Job[T]], *, agent: str, timeout: float, concurrency: int,
                   done: Callable[[int], None] = lambda n: None,
                   max_bytes: int = MAX_BYTES) -> list[T]:
    """Run every job, at most ``concurrency`` at once, each within ``timeout`` seconds for
    the whole site; return their results in order. ``done(1)`` is called as each ends."""
    gate = asyncio.Semaphore(concurrency)
    async with client(agent, timeout, concurrency) as http:

        async def one(job: Job[T]) -> T:
            async with gate:
                fetcher = Fetcher(http, timeout, max_bytes, job.home)
                try:
                    async with asyncio.timeout(timeout):
                        result = await job.check(fetcher)
                except TimeoutError:
                    result = job.failed(f"waktu habis (tidak selesai dalam {timeout:g} detik)")
                except Exception as exc:  # one site's bug never stops the run
                    result = job.failed(f"galat tak terduga ({type(exc).__name__})")
            done(1)
            return result

        return list(await asyncio.gather(*(one(job) for job in jobs)))
