"""The archive: final documents kept where they cannot silently change.

Each archived document keeps, under ``arsip/<tahun>/<kode klasifikasi>/`` in the workspace,
its PDF and DOCX, its source record (JSON) and a SRIKANDI sidecar (JSON), named from its
number; the register holds the SHA-256 of each. ``verify`` re-hashes everything; ``check``
says whether a file someone hands in is an archived original.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import SopdocsError
from .kinds import KINDS
from .office import Workspace
from .records import validate
from .registry import Archived, Entry, FileEntry, open_register
from .store import file_group, safe_name
from .view import build_view

ARCHIVE = "arsip"


class ArchiveError(SopdocsError):
    """Raised when a file cannot be archived (not a registered document, changed, archived)."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_root(workspace: Workspace) -> Path:
    return workspace.folder / ARCHIVE


def srikandi_sidecar(entry: Entry, workspace: Workspace) -> dict[str, Any]:
    """The fields an office needs to register the same document in SRIKANDI later."""
    kind = KINDS[entry.kind]
    record = validate(kind.model, json.loads(entry.record_json), entry.nomor)
    view = build_view(record, workspace, konsep=False, source=entry.nomor)
    tujuan = {
        "nota-dinas": lambda: [k["teks"] for k in view["kepada"]],
        "surat": lambda: [k["teks"] for k in view["kepada"]],
        "disposisi": lambda: [d["teks"] for d in view["diteruskan_kepada"] if d["tanda"] == "■"],
        "berita-acara": lambda: [view["pihak_kedua"]["rincian"][0]["nilai"]],
        "laporan": lambda: [],
    }[entry.kind]()
    signer = (view.get("penandatangan") or view.get("oleh")
              or view["pihak_pertama"]["ttd"])
    sifat = getattr(record, "sifat", None)
    return {
        "jenis_naskah": kind.judul,
        "nomor": entry.nomor,
        "tanggal": entry.tanggal.isoformat(),
        "hal": entry.hal,
        "sifat": ", ".join(s.value for s in sifat) if isinstance(sifat, list)
        else (sifat.value if sifat else "Biasa"),
        "kode_klasifikasi": getattr(record, "kode_klasifikasi", ""),
        "tujuan": tujuan,
        "penandatangan": {
            "jabatan": signer["jabatan"][-1].rstrip(","),
            "kapasitas": " ".join(line for line in signer["jabatan"][:-1]
                                  if not line.startswith("PIHAK")).rstrip(","),
            "nama": signer["nama"],
            "nip": re.sub(r"^\D*", "", signer["nip"]),
        },
    }


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def archive_entry(workspace: Workspace, entry: Entry, sources: list[Path],
                  now: datetime | None = None) -> Archived:
    """Copy a registered document's files, source record and SRIKANDI sidecar into the
    archive and register them; raise ArchiveError when a file differs from the register or
    the document is archived already."""
    register = open_register(workspace.register_path)
    if any(a.document_id == entry.id for a in register.archived()):
        raise ArchiveError(f"{entry.nomor} is archived already (sopdocs archive list)")
    registered = {Path(f.path).resolve(): f.sha256 for f in entry.files}
    contents: list[tuple[str, bytes]] = []
    for source in sources:
        data = source.read_bytes()
        if registered.get(source.resolve()) != hashlib.sha256(data).hexdigest():
            raise ArchiveError(f"{source} is not the file registered for {entry.nomor} "
                               "(changed since it was made?)")
        contents.append((source.suffix.lower(), data))
    record = json.loads(entry.record_json)
    kode = record.get("kode_klasifikasi") or "agenda"
    folder = Path(str(entry.tahun)) / safe_name(kode)
    stem = safe_name(f"{entry.kind}_{entry.nomor}".replace("/", "_"), 80)
    contents += [(".record.json", _json(record)),
                 (".srikandi.json", _json(srikandi_sidecar(entry, workspace)))]
    root = archive_root(workspace)
    files = []
    with file_group() as group:
        for suffix, data in contents:
            path = group.write_exact(root / folder / f"{stem}{suffix}", data)
            files.append(FileEntry(str(path.relative_to(root)),
                                   hashlib.sha256(data).hexdigest()))
        item = Archived(entry.id, entry.nomor, entry.kind, entry.hal, entry.tanggal, kode,
                        now or datetime.now().replace(microsecond=0), tuple(files))
        register.archive(item)
    return item


def archive_files(workspace: Workspace, paths: list[Path]) -> list[Archived]:
    """Archive the documents these files belong to (a PDF or DOCX sopdocs made and
    registered); every registered file of a document that is given is archived together."""
    register = open_register(workspace.register_path)
    by_hash = {f.sha256: e for e in register.entries() for f in e.files}
    chosen: dict[int, tuple[Entry, list[Path]]] = {}
    for path in paths:
        if not path.is_file():
            raise ArchiveError(f"{path}: no such file")
        entry = by_hash.get(sha256_of(path))
        if entry is None:
            raise ArchiveError(f"{path} is not a final document in the register "
                               "(only numbered documents sopdocs made can be archived)")
        chosen.setdefault(entry.id, (entry, []))[1].append(path)
    return [archive_entry(workspace, entry, files) for entry, files in chosen.values()]


def archive_made(workspace: Workspace, paths: tuple[Path, ...]) -> Archived:
    """Archive a document just made (``make_document``'s files)."""
    return archive_files(workspace, list(paths))[0]


def listing(workspace: Workspace, kind: str | None = None, year: int | None = None,
            search: str | None = None) -> list[Archived]:
    """The archived documents, filtered by kind, year and a text in number or hal."""
    wanted = (search or "").casefold()
    return [a for a in open_register(workspace.register_path).archived()
            if (kind is None or a.kind == kind) and (year is None or a.tanggal.year == year)
            and wanted in f"{a.nomor} {a.hal}".casefold()]


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
    for item in open_register(workspace.register_path).archived():
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
    for item in open_register(workspace.register_path).archived():
        if any(f.sha256 == digest for f in item.files):
            return item
    return None
