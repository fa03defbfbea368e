"""The archive: final documents kept where they cannot silently change.

Each archived document keeps, under ``arsip/<tahun>/<kode klasifikasi>/`` in the workspace,
its PDF and DOCX, its source record (JSON) and a SRIKANDI sidecar (JSON), named from its
number; the register holds the SHA-256 of each. ``verify`` re-hashes everything; ``check``
says whether a file someone hands in is an archived original.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import ArchiveError
from .office import Workspace
from .registry import Archived, Entry, FileEntry
from .service import register_of
from .store import file_group, safe_name
from .summary import Summary, load

ARCHIVE = "arsip"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_root(workspace: Workspace) -> Path:
    return workspace.folder / ARCHIVE


def srikandi_sidecar(summary: Summary) -> dict[str, Any]:
    """The fields an office needs to register the same document in SRIKANDI later, from
    the summary taken when it was made (never from today's office profile)."""
    signer = summary.signer
    sidecar: dict[str, Any] = {
        "jenis_naskah": summary.jenis_naskah,
        "nomor": summary.nomor,
        "tanggal": summary.tanggal.isoformat(),
        "hal": summary.hal,
        "sifat": summary.sifat,
        "kode_klasifikasi": summary.kode_klasifikasi,
        "tujuan": summary.kepada,
        "penandatangan": signer.model_dump() if signer else None,
    }
    if summary.surat_masuk is not None:
        sidecar["surat_masuk"] = summary.surat_masuk.model_dump(mode="json")
    if summary.dipulihkan:
        sidecar["catatan"] = ("ringkasan dipulihkan dari rekaman sumber saat register "
                              "diperbarui, dengan profil kantor yang berlaku saat itu")
    return sidecar


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def archive_entries(workspace: Workspace, entries: list[Entry], sources: list[Path],
                    now: datetime | None = None) -> list[Archived]:
    """Copy the files of registered documents, their source records and SRIKANDI sidecars
    into the archive and register them. ``entries`` share ``sources`` (one document, or the
    sheets of one batch): the files are copied once, and the record and sidecar files hold
    one item per document (a list for a batch). Raises ArchiveError when a file differs
    from the register or a document is archived already."""
    register = register_of(workspace)
    done = {a.document_id for a in register.archived()}
    for entry in entries:
        if entry.id in done:
            raise ArchiveError(f"{entry.nomor} is archived already (sopdocs archive list)")
    registered = {Path(f.path).resolve(): f.sha256 for e in entries for f in e.files}
    contents: list[tuple[str, bytes]] = []
    for source in sources:
        data = source.read_bytes()
        if registered.get(source.resolve()) != hashlib.sha256(data).hexdigest():
            raise ArchiveError(f"{source} is not the file registered for {entries[0].nomor} "
                               "(changed since it was made?)")
        contents.append((source.suffix.lower(), data))
    summaries = [load(e.summary_json) for e in entries]
    records = [json.loads(e.record_json) for e in entries]
    first, last = entries[0], entries[-1]
    kode = summaries[0].kode_klasifikasi or "agenda"
    folder = Path(str(first.tahun)) / safe_name(kode)
    number = first.nomor if len(entries) == 1 else f"{first.nomor}-{last.nomor}"
    stem = safe_name(f"{first.kind}_{number}".replace("/", "_"), 80)
    sidecars = [srikandi_sidecar(s) for s in summaries]
    single = len(entries) == 1
    contents += [(".record.json", _json(records[0] if single else records)),
                 (".srikandi.json", _json(sidecars[0] if single else sidecars))]
    root = archive_root(workspace)
    files = []
    with file_group() as group:
        for suffix, data in contents:
            path = group.write_exact(root / folder / f"{stem}{suffix}", data)
            files.append(FileEntry(str(path.relative_to(root)),
                                   hashlib.sha256(data).hexdigest()))
        when = now or datetime.now().replace(microsecond=0)
        items = [Archived(e.id, e.nomor, e.kind, e.hal, e.tanggal, kode, when, tuple(files),
                          e.summary_json) for e in entries]
        register.archive(items)
    return items


def archive_files(workspace: Workspace, paths: list[Path]) -> list[Archived]:
    """Archive the documents these files belong to (a PDF or DOCX sopdocs made and
    registered); every registered file of a document that is given is archived together,
    and a batch file archives every sheet it holds."""
    by_hash: dict[str, list[Entry]] = {}
    for e in register_of(workspace).entries():
        for f in e.files:
            by_hash.setdefault(f.sha256, []).append(e)
    groups: dict[tuple[int, ...], tuple[list[Entry], list[Path]]] = {}
    for path in paths:
        if not path.is_file():
            raise ArchiveError(f"{path}: no such file")
        found = by_hash.get(sha256_of(path))
        if not found:
            raise ArchiveError(f"{path} is not a final document in the register "
                               "(only numbered documents sopdocs made can be archived)")
        key = tuple(e.id for e in found)
        groups.setdefault(key, (found, []))[1].append(path)
    return [item for entries, files in groups.values()
            for item in archive_entries(workspace, entries, files)]


def archive_made(workspace: Workspace, paths: tuple[Path, ...]) -> Archived:
    """Archive a document just made (``make_document``'s files)."""
    return archive_files(workspace, list(paths))[0]


def listing(workspace: Workspace, kind: str | None = None, year: int | None = None,
            search: str | None = None) -> list[Archived]:
    """The archived documents, filtered by kind, year and a text in number or hal."""
    wanted = (search or "").casefold()
    return [a for a in register_of(workspace).archived()
            if (kind is None or a.kind == kind) and (year is None or a.tanggal.year == year)
            and wanted in f"{a.nomor} {a.hal}".casefold()]


def listing_lines(workspace: Workspace, kind: str | None = None, year: int | None = None,
                  search: str | None = None) -> list[str]:
    """``archive list``: number, date, kind, hal, the signer as the summary taken at make
    time names them, and the count of files."""
    from .idn import tanggal

    lines = []
    for a in listing(workspace, kind, year, search):
        signer = load(a.summary_json).signer
        lines.append(f"{a.nomor}\t{tanggal(a.tanggal)}\t{a.kind}\t{a.hal}\t"
                     f"{signer.nama if signer else '-'}\t{len(a.files)} files")
    return lines


@dataclass(frozen=True)
class Finding:
    """Something ``verify`` found wrong: ``modified``, ``missing`` or ``unregistered``."""

    problem: str
    path: str
    nomor: str | None = None

    def __str__(self) -> str:
        return f"{self.problem}: {self.path}" + (f" ({self.nomor})" if self.nomor else "")


def verify(workspace: Workspace) -> list[Finding]:
    """Re-hash every archived file; report modified, missing and unregistered files."""
    root = archive_root(workspace)
    known: set[str] = set()
    findings = []
    for item in register_of(workspace).archived():
        for f in item.files:
            known.add(f.path)
            path = root / f.path
            if not path.is_file():
                findings.append(Finding("missing", f.path, item.nomor))
            elif sha256_of(path) != f.sha256:
                findings.append(Finding("modified", f.path, item.nomor))
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            relative = str(path.relative_to(root))
            if path.is_file() and relative not in known and not path.name.startswith("."):
                findings.append(Finding("unregistered", relative))
    return findings


def check(workspace: Workspace, path: Path) -> Archived | None:
    """Return the archived document ``path`` is an original file of, or None."""
    if not path.is_file():
        raise ArchiveError(f"{path}: no such file")
    digest = sha256_of(path)
    for item in register_of(workspace).archived():
        if any(f.sha256 == digest for f in item.files):
            return item
    return None
