"""Make a document: validate the record, take the number, render, write, register — one
transaction. Every way of making a document (kind commands, SOP steps, batches) calls this;
nothing else takes numbers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from .errors import NumberError, RecordError
from .kinds import Kind, kind_of
from .numbering import Nomor
from .office import Workspace
from .records import Naskah, validate
from .registry import (
    AGENDA,
    KELUAR,
    Entry,
    FileEntry,
    Letter,
    Transaction,
    letter_key,
    open_register,
)
from .seal import Seal
from .store import file_group, safe_name
from .view import View, build_view

Format = Literal["docx", "pdf"]
FORMATS: dict[str, tuple[Format, ...]] = {"docx": ("docx",), "pdf": ("pdf",),
                                          "both": ("docx", "pdf")}


@dataclass(frozen=True)
class Made:
    """What ``make_document`` produced: the number (None for a konsep) and the files."""

    nomor: str | None
    paths: tuple[Path, ...]


def render(kind: Kind, view: View, workspace: Workspace, formats: tuple[Format, ...],
           when: datetime, seal: Seal | None = None) -> dict[Format, bytes]:
    """Return the bytes of each requested format (nothing is written here); the PDF of a
    final document carries its ``seal``."""
    office = workspace.office
    out: dict[Format, bytes] = {}
    if "docx" in formats:
        from .render.docx import render_docx

        out["docx"] = render_docx(kind.name, view, logo=workspace.logo_path, paper=office.kertas,
                                  half_page=kind.half_page, when=when)
    if "pdf" in formats:
        title = f"{kind.judul} {view.get(kind.nomor_key, '')}".strip()
        if kind.half_page:  # a fixed ½ folio form, drawn straight onto the canvas
            from .render.sheet import render_sheet

            out["pdf"] = render_sheet(view, logo=workspace.logo_path, paper=office.kertas,
                                      title=title, seal=seal)
        else:
            from .render.pdf import render_pdf

            out["pdf"] = render_pdf(kind.name, view, logo=workspace.logo_path,
                                    paper=office.kertas, title=title, seal=seal)
    return out


def _take_number(tx: Transaction, kind: Kind, record: Any, workspace: Workspace,
                 source: str) -> Nomor:
    """Take the next outgoing number, or the agenda number of the incoming letter a
    disposisi is about (see ``agenda_number``)."""
    office = workspace.office
    day: date = getattr(record, kind.date_field)
    if kind.series == KELUAR:
        urut = tx.next_urut(kind.series, office.unit, day.year)
        return Nomor(record.kode_klasifikasi, urut, office.unit, day.year, day.month,
                     office.nomor.pola)
    return agenda_number(tx, record, workspace, source)


def agenda_number(tx: Transaction, record: Any, workspace: Workspace, source: str) -> Nomor:
    """Return the agenda number of the letter a disposisi is about.

    A letter already in the agenda (same sender, number and date) keeps its number, however
    many lembar disposisi it collects; a new letter takes the next number of the year it was
    received, or the number the record gives (claimed, so the series never repeats it).
    """
    office = workspace.office
    pola, day = office.nomor.pola_agenda, record.diterima_tanggal
    given = record.nomor_agenda
    known = tx.letter(letter_key(record.surat_dari, record.nomor_surat, record.tanggal_surat))
    if known is not None:
        if given is not None and given != known.nomor:
            raise RecordError(source, [("nomor_agenda", (
                f"this letter already has agenda number {known.nomor} ({known.tahun}); "
                f"leave nomor_agenda out or write {known.nomor}"))])
        return Nomor("", known.urut, office.unit, known.tahun, day.month, pola)
    if given is None:
        urut = tx.next_urut(AGENDA, office.unit, day.year)
    else:
        try:
            urut = Nomor.parse(given, pola).urut
        except NumberError:
            raise RecordError(source, [("nomor_agenda", f"{given!r} does not fit the office's "
                                                        f"agenda pattern {pola!r}")]) from None
        holder = tx.letter_with_agenda(day.year, given)
        if holder is not None:
            raise RecordError(source, [("nomor_agenda", (
                f"agenda number {given} ({day.year}) is already the letter "
                f"{holder.nomor_surat} from {holder.surat_dari}"))])
        tx.claim(AGENDA, office.unit, day.year, urut)
    nomor = Nomor("", urut, office.unit, day.year, day.month, pola)
    tx.add_letter(Letter(
        letter_key(record.surat_dari, record.nomor_surat, record.tanggal_surat), str(nomor),
        urut, day.year, record.surat_dari, record.nomor_surat, record.tanggal_surat, day,
        record.hal))
    return nomor


def record_hash(record: Naskah) -> str:
    """The SHA-256 of a record's canonical JSON: what the seal and the archive identify."""
    return hashlib.sha256(record.model_dump_json().encode("utf-8")).hexdigest()


def _stem(kind: Kind, record: Any, nomor: Nomor | None) -> str:
    """The file name of a document: from its number, or for a konsep from date and subject."""
    if nomor is None:
        subject = getattr(record, kind.hal_field)
        return safe_name(f"KONSEP_{kind.name}_{record.tanggal.isoformat()}_{subject}", 70)
    if kind.series == KELUAR:
        return safe_name(f"{kind.name}_{nomor}".replace("/", "_"), 80)
    return safe_name(f"{kind.name}_agenda-{nomor}_{nomor.tahun}".replace("/", "_"), 80)


def make_document(kind_name: str, data: dict[str, Any], workspace: Workspace, *,
                  out_dir: Path = Path("output"), fmt: str = "both", konsep: bool = False,
                  source: str = "record") -> Made:
    """Make one document of ``kind_name`` from ``data`` and return what was written.

    A konsep gets no number and is not registered. A final document takes the next number of
    its kind's series (outgoing documents share one; lembar disposisi take agenda numbers);
    the number, files and their SHA-256 are registered in the same transaction that writes the
    files, so a failure anywhere leaves no file behind and consumes no number. Raises
    RecordError (bad fields, unknown roles), RenderError, OutputError or RegisterError.
    """
    kind = kind_of(kind_name)
    formats = FORMATS[fmt]
    record: Naskah = validate(kind.model, data, source)
    view = build_view(record, workspace, konsep=konsep, source=source)
    when = datetime.combine(record.tanggal, datetime.min.time())
    if konsep:
        blobs = render(kind, view, workspace, formats, when)
        with file_group() as files:
            for ext, blob in blobs.items():
                files.write(out_dir, _stem(kind, record, None), f".{ext}", blob)
        return Made(None, tuple(files.paths))

    register = open_register(workspace.register_path)
    with file_group() as files, register.transaction() as tx:
        nomor = _take_number(tx, kind, record, workspace, source)
        view[kind.nomor_key] = str(nomor)
        label = str(nomor) if kind.series == KELUAR else f"agenda {nomor}/{nomor.tahun}"
        seal = Seal(label, record.tanggal.isoformat(), record_hash(record)[:16])
        blobs = render(kind, view, workspace, formats, when, seal)
        for ext, blob in blobs.items():
            files.write(out_dir, _stem(kind, record, nomor), f".{ext}", blob)
        tx.add(Entry(
            nomor=str(nomor), kind=kind.name, hal=getattr(record, kind.hal_field),
            tanggal=getattr(record, kind.date_field), urut=nomor.urut, tahun=nomor.tahun,
            unit=nomor.unit, series=kind.series,
            files=tuple(FileEntry(str(path.resolve()), hashlib.sha256(blob).hexdigest())
                        for path, blob in zip(files.paths, blobs.values(), strict=True)),
        ), record_json=record.model_dump_json())
    return Made(str(nomor), tuple(files.paths))
