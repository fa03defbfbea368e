"""The archive: final documents kept where they cannot silently change.

Each archived document keeps, under ``arsip/<tahun>/<kode klasifikasi>/`` in the workspace,
its PDF and DOCX, its source record (JSON) and a SRIKANDI sidecar (JSON), named from its
number; the register holds the SHA-256 of each. ``verify`` re-hashes everything; ``check``
says whether a file someone hands in is an archived original.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import ArchiveError
from .office import Workspace
from .registry import Archived, Entry, FileEntry, Register, Transaction, chain_link
from .series import KELUAR
from .service import register_of
from .store import (
    PENDING,
    FileGroup,
    file_group,
    final_path,
    pending_files,
    safe_name,
    settle,
    sha256_file,
)
from .summary import Summary, load

ARCHIVE = "arsip"


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
    if summary.kotak_ttd:  # where an external signer (BSrE: page and coordinates) signs
        sidecar["kotak_ttd"] = [box.model_dump() for box in summary.kotak_ttd]
        sidecar["tte"] = summary.tte
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
    one item per document (a list for a batch). A document archived already gets the files
    it lacks (its DOCX after its PDF). Raises ArchiveError when a file differs from the
    register, a number is void, or every file given is archived already."""
    register = register_of(workspace)
    root = archive_root(workspace)
    for entry in entries:
        if entry.status == "batal":
            raise ArchiveError(f"{entry.nomor} is void (batal: {entry.void_reason}); a "
                               "cancelled number is not archived")
    registered = {Path(f.path).resolve(): f.sha256 for e in entries for f in e.files}
    contents: list[tuple[str, bytes]] = []
    for source in sources:
        data = source.read_bytes()
        if registered.get(source.resolve()) != hashlib.sha256(data).hexdigest():
            raise ArchiveError(f"{source} is not the file registered for {entries[0].nomor} "
                               "(changed since it was made?)")
        contents.append((source.suffix.lower(), data))
    before = {a.document_id: a for a in register.archived()}
    if entries[0].id in before:
        return _archive_more(workspace, [before[e.id] for e in entries], contents, register)
    summaries = [load(e.summary_json) for e in entries]
    records = [json.loads(e.record_json) for e in entries]
    kode = summaries[0].kode_klasifikasi or "agenda"
    folder = root / str(entries[0].tahun) / safe_name(kode)
    single = len(entries) == 1
    sidecars = [srikandi_sidecar(s) for s in summaries]
    contents += [(".record.json", _json(records[0] if single else records)),
                 (".srikandi.json", _json(sidecars[0] if single else sidecars))]
    with file_group() as group, register.transaction() as tx:
        sweep_archive(tx, root)
        files = _write(group, root, folder / _stem(entries), contents)
        when = now or datetime.now().replace(microsecond=0)
        items = [Archived(e.id, e.nomor, e.kind, e.hal, e.tanggal, kode, when, files,
                          e.summary_json) for e in entries]
        tx.archive(items)
    return items


def _stem(entries: list[Entry]) -> str:
    """An archive name from the number only (never from hal): the outgoing number, or for
    lembar disposisi the agenda number, year and document id (a letter collects several
    sheets under one agenda number)."""
    first, last = entries[0], entries[-1]
    if first.series == KELUAR:
        return safe_name(f"{first.kind}_{first.nomor}".replace("/", "_"), 80)
    span = f"{first.id}" if len(entries) == 1 else f"{first.id}-{last.id}"
    return safe_name(f"{first.kind}_agenda-{first.nomor}-{first.tahun}_d{span}"
                     .replace("/", "_"), 80)


def _write(group: FileGroup, root: Path, stem: Path,
           contents: list[tuple[str, bytes]]) -> tuple[FileEntry, ...]:
    """Write the archive's copies (pending until the register commits)."""
    return tuple(FileEntry(str(group.write_exact(stem.with_name(stem.name + suffix), data)
                               .relative_to(root)), hashlib.sha256(data).hexdigest())
                 for suffix, data in contents)


def _archive_more(workspace: Workspace, items: list[Archived],
                  contents: list[tuple[str, bytes]], register: Register) -> list[Archived]:
    """Add to archived documents the files they lack; refuse when they lack none."""
    have = {f.sha256 for item in items for f in item.files}
    new = [(suffix, data) for suffix, data in contents
           if hashlib.sha256(data).hexdigest() not in have]
    if not new:
        raise ArchiveError(f"{items[0].nomor} is archived already (sopdocs archive list)")
    root = archive_root(workspace)
    record = next(Path(f.path) for f in items[0].files if f.path.endswith(".record.json"))
    stem = root / record.with_name(record.name.removesuffix(".record.json"))
    with file_group() as group, register.transaction() as tx:
        sweep_archive(tx, root)
        files = _write(group, root, stem, new)
        tx.archive_more(items, files)
    return [replace(item, files=(*item.files, *files)) for item in items]


def archive_files(workspace: Workspace, paths: list[Path]) -> list[Archived]:
    """Archive the documents these files belong to (a PDF or DOCX sopdocs made and
    registered); every registered file of a document that is given is archived together,
    and a batch file archives every sheet it holds. A PDF with a signed copy
    (``sopdocs sign``) is archived as that copy: the signed file is the original."""
    by_hash: dict[str, list[Entry]] = {}
    signed: dict[str, FileEntry] = {}  # unsigned file's SHA-256 → its signed copy
    for e in register_of(workspace).entries():
        for f in e.files:
            by_hash.setdefault(f.sha256, []).append(e)
            if f.signed_from:
                signed[f.signed_from] = f
    groups: dict[tuple[int, ...], tuple[list[Entry], list[Path]]] = {}
    for path in paths:
        if not path.is_file():
            raise ArchiveError(f"{path}: no such file")
        digest = sha256_file(path)
        found = by_hash.get(digest)
        if not found:
            raise ArchiveError(f"{path} is not a final document in the register "
                               "(only numbered documents sopdocs made can be archived)")
        path = _signed_copy(signed.get(digest)) or path  # the original, when there is one
        key = tuple(e.id for e in found)
        files = groups.setdefault(key, (found, []))[1]
        if path not in files:
            files.append(path)
    return [item for entries, files in groups.values()
            for item in archive_entries(workspace, entries, files)]


def _signed_copy(entry: FileEntry | None) -> Path | None:
    """The signed copy of a file (``sopdocs sign``), when it is there unchanged."""
    if entry is None:
        return None
    path = Path(entry.path)
    return path if path.is_file() and sha256_file(path) == entry.sha256 else None


def archive_made(workspace: Workspace, paths: tuple[Path, ...]) -> Archived:
    """Archive a document just made (``make_document``'s files)."""
    return archive_files(workspace, list(paths))[0]


def listing(workspace: Workspace, kind: str | None = None, year: int | None = None,
            search: str | None = None) -> list[Archived]:
    """The archived documents, filtered by kind, year and a text in number or hal."""
    wanted = (search or "").casefold()
    return [a for a in register_of(workspace).archived(year)
            if (kind is None or a.kind == kind)
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
    """Something ``verify`` found wrong: ``modified``, ``missing``, ``unregistered``,
    ``symlink`` or ``tampered`` (a register row whose hash chain link does not hold)."""

    problem: str
    path: str
    nomor: str | None = None

    def __str__(self) -> str:
        return f"{self.problem}: {self.path}" + (f" ({self.nomor})" if self.nomor else "")


def sweep_archive(tx: Transaction, root: Path) -> None:
    """Finish an ``archive add`` that was stopped (called holding the register's lock, so no
    other add is between writing and committing): a pending copy the register holds is
    published; one it does not hold belonged to an add that never committed and goes."""
    if not root.is_dir():
        return
    held = {root / path: sha for path, sha in tx.archived_files().items()}
    for folder in sorted({p.parent for p in root.rglob(f"*{PENDING}")}):
        for pending in pending_files(folder):
            settle(pending, held.get(final_path(pending)))


def verify(workspace: Workspace) -> list[Finding]:
    """Re-hash every archived file and check the register's hash chain; report modified,
    missing, unregistered (hidden ones too) and symlinked files, and register rows that were
    edited. An ``archive add`` that was stopped is finished first."""
    return _verified(workspace)[0]


def _verified(workspace: Workspace) -> tuple[list[Finding], str]:
    """``verify``'s findings, and the last link of the archive's hash chain: written down (in
    the buku arsip, say), it shows later whether the archive register was rewritten as a
    whole."""
    root = archive_root(workspace)
    register = register_of(workspace)
    with register.transaction() as tx:
        sweep_archive(tx, root)
    nomor = {a.document_id: a.nomor for a in register.archived()}
    chain = register.archive_chain()
    findings = []
    previous = ""
    for doc_id, relative, sha, link in chain:
        previous = chain_link(previous, doc_id, relative, sha)
        if link != previous:
            findings.append(Finding("tampered", relative, nomor.get(doc_id)))
            previous = link  # report each edited row once, not every row after it
    known: set[str] = set()
    for doc_id, relative, sha, _ in chain:
        if relative in known:
            continue  # a batch file is listed once per sheet
        known.add(relative)
        path = root / relative
        if _linked(root, path):
            findings.append(Finding("symlink", relative, nomor.get(doc_id)))
        elif not path.is_file():
            findings.append(Finding("missing", relative, nomor.get(doc_id)))
        elif sha256_file(path) != sha:
            findings.append(Finding("modified", relative, nomor.get(doc_id)))
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            relative = str(path.relative_to(root))
            if path.is_symlink():  # a link nothing registered lies under
                if relative not in known and not any(k.startswith(f"{relative}/")
                                                     for k in known):
                    findings.append(Finding("symlink", relative))
            elif path.is_file() and relative not in known:
                findings.append(Finding("unregistered", relative))
    return findings, (chain[-1][3] if chain else "")


def verify_report(workspace: Workspace) -> tuple[list[str], bool]:
    """``archive verify``: one line per finding, then a summary line (with the chain head
    when all is well); and whether all is well."""
    findings, head = _verified(workspace)
    items = listing(workspace)
    files = len({f.path for a in items for f in a.files})
    documents = f"{len(items)} document{'s' if len(items) != 1 else ''}"
    if findings:
        count = f"{len(findings)} problem{'s' if len(findings) != 1 else ''}"
        return [*map(str, findings), f"{count} in the archive ({files} files registered)"], False
    return [f"ok: {documents}, {files} files, every hash matches"
            + (f"; chain head {head[:16]}" if head else "")], True


def _linked(root: Path, path: Path) -> bool:
    """Whether the file, or a folder between the archive root and it, is a symbolic link."""
    here = path
    while here != root and here != here.parent:
        if here.is_symlink():
            return True
        here = here.parent
    return False


def check(workspace: Workspace, path: Path) -> Archived | None:
    """Return the archived document ``path`` is an original file of, or None."""
    if not path.is_file():
        raise ArchiveError(f"{path}: no such file")
    found = register_of(workspace).archived_with_file(sha256_file(path))
    return found[0] if found else None
