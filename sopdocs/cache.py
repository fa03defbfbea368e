"""What sopdocs keeps between runs in the user's cache folder: work derived from files that
rarely change (a DOCX template's parts as Jinja code), so that the next run skips it.

The folder is ``$SOPDOCS_CACHE``, else ``$XDG_CACHE_HOME/sopdocs`` or ``~/.cache/sopdocs``.
An entry is found by a key that hashes everything its content depends on (the input and the
versions of the code that made it), so a stale entry is never found, only left behind.

Some entries are code (compiled templates), and loading code from a file is running it. So
a ``Store`` trusts only a folder that is its user's alone: it opens the folder without
following a link and checks, on the open folder, that it is a directory owned by the user
(``geteuid``) that no one else may write; then each entry, opened without following a link
in that folder, must be a regular file of the user's that no one else may write, and carry
the checksum of its content. Anything else is no entry: the caller does the work again (and
writes a fresh entry when the folder is trusted). On a system without these checks (no
``geteuid``, no ``dir_fd``) the store keeps nothing. Entries are written whole or not at all
(a temporary file, then ``os.replace``); a folder that cannot be written only costs the next
run the work.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
from pathlib import Path

#: The first line of every entry (a later format changes it, and old entries are misses).
MAGIC = b"sopdocs-cache 1\n"
#: The largest entry read back; anything larger is not something sopdocs wrote.
MAX_ENTRY = 32 * 1024 * 1024
_SUPPORTED = (hasattr(os, "geteuid") and hasattr(os, "O_NOFOLLOW")
              and hasattr(os, "O_DIRECTORY") and os.open in os.supports_dir_fd)


def folder() -> Path:
    """The user's cache folder for sopdocs (it may not exist yet)."""
    if given := os.environ.get("SOPDOCS_CACHE"):
        return Path(given)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sopdocs"


def key(*parts: str | bytes) -> str:
    """The key of an entry made from ``parts`` (inputs, versions): a SHA-256, as hex."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _private(st: os.stat_result, kind: int) -> bool:
    """Whether ``st`` is a ``kind`` (directory, regular file) of this user that no one else
    may write."""
    return (stat.S_IFMT(st.st_mode) == kind and st.st_uid == os.geteuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _read(file: int) -> bytes:
    """What the open file holds, up to one byte more than ``MAX_ENTRY``."""
    chunks = []
    size = 0
    while size <= MAX_ENTRY and (chunk := os.read(file, MAX_ENTRY + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _check(entry: str) -> None:
    """An entry's name is a ``key``: never a path that could lead out of the folder."""
    if len(entry) != 64 or entry.strip("0123456789abcdef"):
        raise ValueError(f"{entry!r} is not a cache key")


class Store:
    """The entries of one subfolder of the cache folder (``name``), by key."""

    def __init__(self, name: str):
        self.name = name

    def _open_folder(self, create: bool) -> int | None:
        """A descriptor of the store's folder when it is trusted (see the module), else
        None; with ``create``, the folder is made first (0700) when it is missing."""
        if not _SUPPORTED:
            return None
        path = folder() / self.name
        if create:
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.mkdir(mode=0o700)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            if _private(os.fstat(fd), stat.S_IFDIR):
                return fd
        except OSError:
            pass
        os.close(fd)
        return None

    def get(self, entry: str) -> bytes | None:
        """The content kept under ``entry`` (a ``key``), or None when there is none that
        can be trusted."""
        _check(entry)
        fd = self._open_folder(create=False)
        if fd is None:
            return None
        try:  # non-blocking: a FIFO planted as an entry cannot hang the run
            file = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        except OSError:
            return None
        finally:
            os.close(fd)
        try:
            if not _private(os.fstat(file), stat.S_IFREG):
                return None
            data = _read(file)
        except OSError:
            return None
        finally:
            os.close(file)
        head, _, rest = data.partition(b"\n")
        checksum, _, content = rest.partition(b"\n")
        if head + b"\n" != MAGIC or len(data) > MAX_ENTRY or \
                checksum != hashlib.sha256(content).hexdigest().encode("ascii"):
            return None
        return content

    def put(self, entry: str, content: bytes) -> None:
        """Keep ``content`` under ``entry`` for later runs (best effort: nothing happens
        when the folder cannot be trusted or written)."""
        _check(entry)
        fd = self._open_folder(create=True)
        if fd is None:
            return
        partial = f".{entry}.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            file = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                           0o600, dir_fd=fd)
            with os.fdopen(file, "wb") as handle:
                handle.write(MAGIC + hashlib.sha256(content).hexdigest().encode("ascii")
                             + b"\n" + content)
            os.replace(partial, entry, src_dir_fd=fd, dst_dir_fd=fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(partial, dir_fd=fd)
        finally:
            os.close(fd)
