"""Write files atomically and without overwriting; every file sopdocs writes goes through here.

Files that belong to a register transaction are written first under a hidden *pending* name
(``.name.part``) and given their final name only after the transaction commits: a kill before
the commit leaves no file under a final name (the pending file is swept away by the next run,
and its number, never registered, is given out again), a kill after it leaves a registered
pending file that the next run publishes. In no order of kills do two visible files carry one
number.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError

PENDING = ".part"


def safe_name(text: str, limit: int = 80) -> str:
    """Return ``text`` as a file-name part: letters, digits, ``.``, ``_`` and ``-`` only, so that
    nothing a person types (``/``, ``..``, spaces) can steer where a file goes. A name cut to
    ``limit`` ends with a short hash of the whole text, so two long names never collide."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    if len(name) > limit:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        name = f"{name[:limit - 9].rstrip('-.')}-{digest}"
    return name or "dokumen"


def pending_path(path: Path) -> Path:
    """The hidden name a file has until its transaction commits."""
    return path.with_name(f".{path.name}{PENDING}")


def final_path(pending: Path) -> Path:
    """The name a pending file gets once published."""
    return pending.with_name(pending.name[1:-len(PENDING)])


def publish(pending: Path) -> Path:
    """Give a pending file its final name (a hard link, which never replaces a file, then the
    pending name goes). Publishing twice, or after another process did, is harmless."""
    final = final_path(pending)
    try:
        os.link(pending, final)
    except FileExistsError:
        if final.is_symlink() or final.read_bytes() != pending.read_bytes():
            raise OutputError(f"{final} already exists; sopdocs never overwrites a file") from None
    except FileNotFoundError:
        if final.exists():  # another process published it first
            return final
        raise
    with contextlib.suppress(FileNotFoundError):
        pending.unlink()
    return final


def settle(pending: Path, registered: str | None) -> None:
    """Finish a pending file a stopped run left: publish it when the register holds these
    bytes at its final name (``registered``: the SHA-256 there), else remove it (its run
    never committed)."""
    if registered is not None and registered == sha256_file(pending):
        publish(pending)
    else:
        pending.unlink(missing_ok=True)


def _file_mode() -> int:
    """The mode a new file gets under the user's umask (mkstemp would give 0600, which an
    office's shared folder cannot read)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, data: bytes | IO[bytes]) -> Path:
    """Write ``data`` (bytes, or a file too large to hold in memory: a batch of 100,000
    sheets) to ``path`` through a temporary file in the same folder, so that a reader
    sees the whole file or none of it. Raises OutputError if ``path`` already exists (checked
    atomically: the final name is created by a hard link, which never replaces a file)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        os.fchmod(fd, _file_mode())
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                data.seek(0)
                shutil.copyfileobj(data, handle, 1 << 20)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)
    except FileExistsError:
        raise OutputError(f"{path} already exists; sopdocs never overwrites a file") from None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


def free_path(folder: Path, stem: str, suffix: str) -> Path:
    """Return ``folder/stem+suffix``, or ``stem-2``, ``stem-3`` … if that name is taken (by a
    file, or by a file still pending)."""
    candidate, n = folder / f"{stem}{suffix}", 1
    while candidate.exists() or pending_path(candidate).exists():
        n += 1
        candidate = folder / f"{stem}-{n}{suffix}"
    return candidate


class FileGroup:
    """Files written together, under their pending names: if anything fails, every one is
    removed again, so that no half set is left behind; when all went well they are published
    together (``file_group`` does both)."""

    def __init__(self) -> None:
        #: The final paths, in the order written.
        self.paths: list[Path] = []

    def write(self, folder: Path, stem: str, suffix: str, data: bytes | IO[bytes]) -> Path:
        """Write ``data`` under a free name built from ``stem``; return its final path."""
        while True:
            path = free_path(folder, stem, suffix)
            try:
                atomic_write(pending_path(path), data)
                break
            except OutputError:
                if not pending_path(path).exists():
                    raise
                # another process took the name between the check and the link: try the next
        self.paths.append(path)
        return path

    def write_exact(self, path: Path, data: bytes) -> Path:
        """Write ``data`` to exactly ``path``; raise OutputError if it exists already."""
        if os.path.lexists(path):
            raise OutputError(f"{path} already exists; sopdocs never overwrites a file")
        atomic_write(pending_path(path), data)
        self.paths.append(path)
        return path

    def publish(self) -> None:
        """Give every file its final name."""
        for path in self.paths:
            publish(pending_path(path))

    def discard(self) -> None:
        """Remove every file written so far."""
        for path in self.paths:
            with contextlib.suppress(FileNotFoundError):
                pending_path(path).unlink()
        self.paths.clear()


@contextlib.contextmanager
def file_group() -> Iterator[FileGroup]:
    """Yield a FileGroup whose files are removed again if the block raises, and published
    when it ends well. Open it before the register transaction (``with file_group() as
    files, register.transaction() as tx``): the transaction commits first, then the files
    get their names."""
    group = FileGroup()
    try:
        yield group
    except BaseException:
        group.discard()
        raise
    group.publish()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    with path.open("rb") as handle:
        return sha256_of(handle)


def sha256_of(blob: bytes | IO[bytes]) -> str:
    """The SHA-256 of bytes, or of a whole open file read in blocks from its start."""
    if isinstance(blob, bytes):
        return hashlib.sha256(blob).hexdigest()
    digest = hashlib.sha256()
    blob.seek(0)
    for block in iter(lambda: blob.read(1 << 16), b""):
        digest.update(block)
    return digest.hexdigest()


def pending_files(folder: Path) -> list[Path]:
    """The pending files left in ``folder`` by runs that were stopped."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f".*{PENDING}") if p.is_file())
