"""Write files atomically and without overwriting; every file sopdocs writes goes through here."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError


def safe_name(text: str, limit: int = 80) -> str:
    """Return ``text`` as a file-name part: letters, digits, ``.``, ``_`` and ``-`` only, so that
    nothing a person types (``/``, ``..``, spaces) can steer where a file goes."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return name[:limit].rstrip("-.") or "dokumen"


def _file_mode() -> int:
    """The mode a new file gets under the user's umask (mkstemp would give 0600, which an
    office's shared folder cannot read)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, so that a reader
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
            handle.write(data)
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
    """Return ``folder/stem+suffix``, or ``stem-2``, ``stem-3`` … if that name is taken."""
    candidate, n = folder / f"{stem}{suffix}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}{suffix}"
    return candidate


class FileGroup:
    """Files written together: if anything fails before ``commit``, every file already
    written is removed again, so that no half set is left behind."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def write(self, folder: Path, stem: str, suffix: str, data: bytes) -> Path:
        """Write ``data`` under a free name built from ``stem``; return the path."""
        while True:
            try:
                path = atomic_write(free_path(folder, stem, suffix), data)
                break
            except OutputError:
                if not free_path(folder, stem, suffix).exists():
                    raise
                # another process took the name between the check and the link: try the next
        self.paths.append(path)
        return path

    def write_exact(self, path: Path, data: bytes) -> Path:
        """Write ``data`` to exactly ``path``; raise OutputError if it exists already."""
        self.paths.append(atomic_write(path, data))
        return path

    def discard(self) -> None:
        """Remove every file written so far."""
        for path in self.paths:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self.paths.clear()


@contextlib.contextmanager
def file_group() -> Iterator[FileGroup]:
    """Yield a FileGroup whose files are removed again if the block raises."""
    group = FileGroup()
    try:
        yield group
    except BaseException:
        group.discard()
        raise
