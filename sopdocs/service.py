"""Make a document: validate the record, take the number, render, write, register — one
transaction. Every way of making a document (kind commands, SOP steps, batches) calls this;
nothing else takes numbers."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, Literal

from . import idn
from .errors import InputError, NumberError, RecordError, RegisterError, SopdocsError
from .kalender import date_warning
from .kinds import Kind, kind_of
from .numbering import Nomor, counter
from .office import Workspace
from .records import Naskah, texts_of, validate
from .registry import (
    AGENDA,
    KELUAR,
    Entry,
    FileEntry,
    Letter,
    Register,
    Transaction,
    is_url,
    letter_key,
    masked,
    open_register,
    sqlite_path,
)
from .seal import Seal
from .store import (
    FileGroup,
    file_group,
    final_path,
    pending_files,
    safe_name,
    settle,
    sha256_of,
)
from .summary import Facts, Summary
from .view import View, build_view

Format = Literal["docx", "pdf"]
FORMATS: dict[str, tuple[Format, ...]] = {"docx": ("docx",), "pdf": ("pdf",),
                                          "both": ("docx", "pdf")}


@dataclass(frozen=True)
class Made:
    """What ``make_document`` produced: the number (None for a konsep) and the files."""

    nomor: str | None
    paths: tuple[Path, ...]
    #: What an official should look at before signing (a date earlier than the last
    #: number's): said on stderr, never a reason to refuse.
    warnings: tuple[str, ...] = ()


@dataclass
class Rendered:
    """The bytes of each format of one document, and the PDF's page count."""

    blobs: dict[Format, bytes] = field(default_factory=dict)
    pages: int | None = None
    #: What the PDF's layout recorded: the signature boxes, and whether the electronic
    #: variant (``--tte``) was drawn.
    layout: dict[str, Any] = field(default_factory=dict)


def font_warnings(record: Any) -> tuple[str, ...]:
    """One warning per field holding characters the PDF's font cannot draw, naming the field
    and the characters (the DOCX keeps them; the PDF would show empty boxes)."""
    from .render.fonts import undrawable

    found = []
    for path, text in texts_of(record.model_dump(mode="json")):
        if missing := undrawable(text):
            found.append(f"{path}: {missing[:20]} cannot be drawn by the PDF's font (Liberation "
                         "Sans) and will show as empty boxes there; the DOCX keeps them")
    return tuple(found)


def render(kind: Kind, view: View, workspace: Workspace, formats: tuple[Format, ...],
           when: datetime, seal: Seal | None = None) -> Rendered:
    """Return the bytes of each requested format (nothing is written here); the PDF of a
    final document carries its ``seal``."""
    from .render.ttd import tte_footer

    office = workspace.office
    out = Rendered()
    if "docx" in formats:
        from .render.docx import render_docx

        out.blobs["docx"] = render_docx(kind.name, {**view, "tte": tte_footer()},
                                        logo=workspace.logo_path, paper=office.kertas,
                                        half_page=kind.half_page, when=when,
                                        templates=workspace.templates_path)
    if "pdf" in formats:
        title = f"{kind.judul} {view.get(kind.nomor_key, '')}".strip()
        out.blobs["pdf"], out.pages, boxes = kind.render_pdf(
            view, logo=workspace.logo_path, paper=office.kertas, title=title, seal=seal)
        out.layout = {"kotak_ttd": boxes, "tte": tte_footer() is not None}
    return out


def summarize(kind: Kind, record: Any, view: View, nomor: str, workspace: Workspace,
              sidik: str, pages: int | None, start: int = 1, rebuilt: bool = False,
              layout: dict[str, Any] | None = None) -> Summary:
    """The summary the register keeps of a made document: the kind's facts plus number,
    date, office, pages (``start``: the page of a shared file where it begins) and what its
    PDF's ``layout`` recorded (signature boxes)."""
    return Summary(**dict(kind.summary(record, view)), **(layout or {}), jenis=kind.name,
                   jenis_naskah=kind.judul,
                   nomor=nomor, tanggal=record.tanggal, instansi=workspace.office.kop.instansi,
                   unit=workspace.office.unit, halaman=pages, halaman_awal=start, sidik=sidik,
                   dipulihkan=rebuilt)


#: The environment variable naming the register (``--register`` sets it).
REGISTER_VAR = "SOPDOCS_REGISTER"


def register_location(workspace: Workspace) -> str:
    """Where the workspace's register is: ``$SOPDOCS_REGISTER`` (``--register``), else the
    profile's ``register:``, else ``sopdocs.db`` next to the profile. A SQLite path is
    relative to the profile (the environment's to the current folder)."""
    if given := os.environ.get(REGISTER_VAR, "").strip():
        return given if is_url(given) else str(sqlite_path(given).resolve())
    if written := workspace.office.register_at:
        return written if is_url(written) else str(workspace.folder / sqlite_path(written))
    return str(workspace.register_path)


def desk_location(workspace: Workspace) -> str:
    """The desk's own SQLite register (where reserved blocks go): the profile's
    ``register:`` when it is a file, else ``sopdocs.db`` next to the profile."""
    written = workspace.office.register_at
    if written and not is_url(written):
        return str(workspace.folder / sqlite_path(written))
    return str(workspace.register_path)


def _shared_and_desk(workspace: Workspace) -> tuple[Any, Any]:
    """The shared (PostgreSQL) register and the desk's own, for reserve and sync."""
    from .registry.sql import SqlRegister

    shared_at, desk_at = register_location(workspace), desk_location(workspace)
    if not is_url(shared_at):
        raise RegisterError("reserving and syncing need the shared register: set register: "
                            "postgresql://… in the profile, or SOPDOCS_REGISTER")
    shared = open_register(shared_at, operator(workspace))
    desk = open_register(desk_at, operator(workspace))
    assert isinstance(shared, SqlRegister) and isinstance(desk, SqlRegister)
    return shared, desk


def reserve_numbers(workspace: Workspace, count: int, year: int | None = None,
                    kode: str | None = None) -> list[str]:
    """``number reserve``: take ``count`` outgoing numbers of ``year`` from the shared
    register into this desk's own register, for documents made offline (``--register`` the
    desk's sopdocs.db); return the numbers as the placeholders show them."""
    from .registry.desk import RESERVED, Counter, reserve

    office = workspace.office
    if office.nomor.penomoran == "klasifikasi" and not kode:
        raise InputError("numbers run per kode klasifikasi here: give the kode", option="kode")
    today = date.today()
    tahun = year or today.year
    series, unit = counter(office.nomor.penomoran, KELUAR, kode or "", office.unit)
    key = "" if (series, unit) == (KELUAR, office.unit) else f"{series}|{unit}"
    shared, desk = _shared_and_desk(workspace)

    def placeholder(urut: int) -> Entry:
        nomor = str(Nomor(kode or "…", urut, office.unit, tahun, today.month, office.nomor.pola))
        hal = f"Nomor cadangan untuk {desk.who}"
        summary = Summary(hal=hal, jenis=RESERVED, jenis_naskah="Nomor cadangan", nomor=nomor,
                          tanggal=today, instansi=office.kop.instansi, unit=office.unit)
        return Entry(nomor, RESERVED, hal, today, urut, tahun, office.unit, status=RESERVED,
                     record_json="{}", summary_json=summary.model_dump_json(), counter=key)

    counter_year = tahun if office.nomor.ulang_tiap_tahun else 0
    taken = reserve(shared, desk, Counter(series, unit, counter_year), count, placeholder)
    return [placeholder(urut).nomor for urut in taken]


def sync_desk(workspace: Workspace) -> tuple[list[str], list[str]]:
    """``register sync``: send what this desk made offline to the shared register and void
    its unused reserved numbers; return (numbers sent, numbers voided)."""
    from .registry.desk import sync

    shared, desk = _shared_and_desk(workspace)
    reason = f"nomor cadangan {desk.who} tidak dipakai (sinkron {date.today().isoformat()})"
    return sync(desk, shared, reason)


def register_notice(workspace: Workspace) -> str | None:
    """A warning when the profile writes a password into the register's URL (anyone who
    reads the profile reads it): it belongs in PGPASSFILE or the service file."""
    location = workspace.office.register_at or ""
    if is_url(location) and masked(location) != location:
        return (f"warning: the office profile writes a password in register: "
                f"{masked(location)}; put it in ~/.pgpass (PGPASSFILE) or a service file")
    return None


def operator(workspace: Workspace) -> str:
    """Who the audit names: the profile's operator, else the OS user (and the machine)."""
    if workspace.office.operator:
        return workspace.office.operator
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "?"
    return f"{user}@{socket.gethostname()}"


def open_workspace_register(workspace: Workspace) -> Register:
    """The workspace's register at ``register_location``, as it is (``register init``,
    ``info`` and ``copy`` look at it before anything is migrated or rebuilt)."""
    return open_register(register_location(workspace), operator(workspace))


def register_of(workspace: Workspace) -> Register:
    """Open the workspace's register (``register_location``); documents registered before
    summaries existed get one now, rebuilt from their stored record with the office profile
    in use (marked ``dipulihkan``). Every reader of summaries opens the register through
    here."""
    register = open_workspace_register(workspace)
    # the office numbers on a shared register and this run on a desk's own file: offline,
    # numbers come only from reserved blocks, never from the file's own counters
    register.offline = (is_url(workspace.office.register_at or "")
                        and not is_url(register.location))
    pending = register.without_summary()
    if pending:
        register.set_summaries({e.id: _rebuilt_summary(workspace, e).model_dump_json()
                                for e in pending})
    return register


def _rebuilt_summary(workspace: Workspace, entry: Entry) -> Summary:
    """A summary for a document registered before summaries existed; when its stored record
    no longer fits (a kind or role since removed), the register's own columns."""
    try:
        kind = kind_of(entry.kind)
        record = validate(kind.model, json.loads(entry.record_json), entry.nomor)
        view = build_view(kind, record, workspace, konsep=False, source=entry.nomor)
        return summarize(kind, record, view, entry.nomor, workspace, record_hash(record)[:16],
                         None, rebuilt=True)
    except SopdocsError:
        return Summary(hal=entry.hal, jenis=entry.kind, jenis_naskah=entry.kind,
                       nomor=entry.nomor, tanggal=entry.tanggal,
                       instansi=workspace.office.kop.instansi, unit=workspace.office.unit,
                       dipulihkan=True)


def _take_number(tx: Transaction, kind: Kind, record: Any, workspace: Workspace,
                 source: str) -> Nomor:
    """Take the next outgoing number, or the agenda number of the incoming letter a
    disposisi is about (see ``agenda_number``)."""
    office = workspace.office
    day: date = getattr(record, kind.date_field)
    if kind.series == KELUAR:
        # one counter for ever (year 0) when the office's numbers never restart
        series, unit = counter(office.nomor.penomoran, kind.series, record.kode_klasifikasi,
                               office.unit)
        urut = tx.next_urut(series, unit, day.year if office.nomor.ulang_tiap_tahun else 0)
        return Nomor(record.kode_klasifikasi, urut, office.unit, day.year, day.month,
                     office.nomor.pola)
    return agenda_number(tx, record, workspace, source)


def counter_of(kind: Kind, record: Any, workspace: Workspace) -> str:
    """What the register keeps of the counter an outgoing number came from: nothing for the
    series' own counter of the unit, else ``series|unit`` of the mode's counter."""
    office = workspace.office
    if kind.series != KELUAR:
        return ""
    key = counter(office.nomor.penomoran, kind.series, record.kode_klasifikasi, office.unit)
    return "" if key == (kind.series, office.unit) else "|".join(key)


def agenda_number(tx: Transaction, record: Any, workspace: Workspace, source: str) -> Nomor:
    """Return the agenda number of the letter a disposisi is about.

    A letter already in the agenda (same sender, number and date) keeps its number, however
    many lembar disposisi it collects; a new letter takes the next number of the year it was
    received, or the number the record gives (claimed, so the series never repeats it).
    """
    office = workspace.office
    pola, day = office.nomor.pola_agenda, record.diterima_tanggal
    claimed = (None if record.nomor_agenda is None
               else given_agenda(record.nomor_agenda, workspace, day, source))
    given = None if claimed is None else str(claimed)
    tx.lock("sopdocs:agenda")  # on a shared register, one desk at a time reads and adds
    known = tx.letter(letter_key(record.surat_dari, record.nomor_surat, record.tanggal_surat))
    if known is None and given is None and (twin := _same_letter(tx, record)) is not None:
        raise RecordError(source, [("surat_dari", (
            f"a letter {twin.nomor_surat} of {idn.tanggal(twin.tanggal_surat)} is in the agenda "
            f"already, from {idn.kutip(twin.surat_dari)} (agenda {twin.nomor}/{twin.tahun}): if it "
            "is the same letter, write its sender the same way; if it is another letter, give "
            "its nomor_agenda"))])
    if known is not None:
        if given is not None and given != known.nomor:
            raise RecordError(source, [("nomor_agenda", (
                f"this letter already has agenda number {known.nomor} ({known.tahun}); "
                f"leave nomor_agenda out or write {known.nomor}"))])
        return Nomor("", known.urut, office.unit, known.tahun, day.month, pola)
    if claimed is None:
        urut = tx.next_urut(AGENDA, office.unit, day.year)
    else:
        urut = claimed.urut
        holder = tx.letter_with_agenda(day.year, str(claimed))
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


def given_agenda(given: str, workspace: Workspace, day: date, source: str) -> Nomor:
    """The agenda number a record gives, as the register writes it ("07" is agenda number
    7); RecordError when it does not fit the office's agenda pattern."""
    office = workspace.office
    pola = office.nomor.pola_agenda
    try:
        urut = Nomor.parse(given, pola).urut
    except NumberError:
        raise RecordError(source, [("nomor_agenda", f"{given!r} does not fit the office's "
                                                    f"agenda pattern {pola!r}")]) from None
    return Nomor("", urut, office.unit, day.year, day.month, pola)


def _same_letter(tx: Transaction, record: Any) -> Letter | None:
    """An agenda letter with the same nomor (whatever its capitals) and date as this one but
    another spelling of its sender ("Kepala Dinas Pendidikan" / "Dinas Pendidikan"): most
    likely the same letter. Found through an index, so a batch of thousands stays linear."""
    found = tx.letters_numbered(record.nomor_surat, record.tanggal_surat)
    return found[0] if found else None


def record_hash(record: Naskah) -> str:
    """The SHA-256 of a record's canonical JSON: what the seal and the archive identify."""
    return hashlib.sha256(record.model_dump_json().encode("utf-8")).hexdigest()


def _stem(kind: Kind, record: Any, nomor: Nomor | None, subject: str) -> str:
    """The file name of a document: from its number, or for a konsep from date and subject."""
    if nomor is None:
        return safe_name(f"KONSEP_{kind.name}_{record.tanggal.isoformat()}_{subject}", 70)
    if kind.series == KELUAR:
        return safe_name(f"{kind.name}_{nomor}".replace("/", "_"), 80)
    return safe_name(f"{kind.name}_agenda-{nomor}_{nomor.tahun}".replace("/", "_"), 80)


@dataclass(frozen=True)
class Order:
    """One document to make: its kind, its record data, konsep or final."""

    kind: str
    data: dict[str, Any]
    konsep: bool = False


#: What a caller may add to the transaction of its documents (an SOP step records itself).
Then = Callable[[Transaction, tuple[Made, ...]], None]


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
    return make_documents([Order(kind_name, data, konsep)], workspace, out_dir=out_dir,
                          fmt=fmt, source=source)[0]


def facts_of(kind_name: str, data: dict[str, Any], workspace: Workspace,
             source: str = "record") -> Facts:
    """What a document of ``data`` would say (hal, kepada, its signers), without making or
    numbering it: checks that must pass before a number is taken (``--sign``: is the key's
    holder a signer?) ask this. Raises RecordError as ``make_document`` would."""
    kind = kind_of(kind_name)
    record: Naskah = validate(kind.model, data, source)
    return kind.summary(record, build_view(kind, record, workspace, konsep=False,
                                           source=source))


def make_documents(orders: list[Order], workspace: Workspace, *,
                   out_dir: Path = Path("output"), fmt: str = "both", source: str = "record",
                   then: Then | None = None) -> tuple[Made, ...]:
    """Make several documents as one: every record is checked before a number is taken,
    and all numbers, files and registrations (and ``then``, e.g. recording an SOP step) are
    one transaction, so a failure on the last document leaves nothing of the first. Files get
    their final names only after the commit (``store``)."""
    if fmt not in FORMATS:
        raise InputError(f"format {fmt!r} is not one of {', '.join(FORMATS)}", option="format")
    formats = FORMATS[fmt]
    prepared = []
    for order in orders:
        kind = kind_of(order.kind)
        record: Naskah = validate(kind.model, order.data, source)
        view = build_view(kind, record, workspace, konsep=order.konsep, source=source)
        if not order.konsep and (problem := date_problem(kind, record, workspace)):
            raise RecordError(source, [problem])
        prepared.append((kind, record, view, order.konsep))
    if all(konsep for *_, konsep in prepared) and then is None:
        with file_group() as files:
            made = tuple(_make_konsep(files, kind, record, view, workspace, formats, out_dir)
                         for kind, record, view, _ in prepared)
        return made
    register = register_of(workspace)
    with file_group() as files, register.transaction() as tx:
        sweep(tx, out_dir)
        made = tuple(
            _make_konsep(files, kind, record, view, workspace, formats, out_dir) if konsep
            else _make_final(tx, files, kind, record, view, workspace, formats, out_dir, source)
            for kind, record, view, konsep in prepared)
        if then is not None:
            then(tx, made)
    return made


def _make_konsep(files: FileGroup, kind: Kind, record: Any, view: View, workspace: Workspace,
                 formats: tuple[Format, ...], out_dir: Path) -> Made:
    when = datetime.combine(record.tanggal, datetime.min.time())
    blobs = render(kind, view, workspace, formats, when).blobs
    start = len(files.paths)
    write_files(files, out_dir, _stem(kind, record, None, kind.summary(record, view).hal), blobs)
    return Made(None, tuple(files.paths[start:]),
                font_warnings(record) if "pdf" in formats else ())


def _make_final(tx: Transaction, files: FileGroup, kind: Kind, record: Any, view: View,
                workspace: Workspace, formats: tuple[Format, ...], out_dir: Path,
                source: str) -> Made:
    warnings = _date_order(tx, kind, record, workspace)
    if holiday := date_warning(record.tanggal, workspace.office):  # signed on a day off?
        warnings += (f"tanggal: {holiday}",)
    if "pdf" in formats:
        warnings += font_warnings(record)
    nomor = _take_number(tx, kind, record, workspace, source)
    view[kind.nomor_key] = str(nomor)
    sidik = record_hash(record)[:16]
    when = datetime.combine(record.tanggal, datetime.min.time())
    made = render(kind, view, workspace, formats, when,
                  seal_of(kind, nomor, record, workspace, sidik))
    start = len(files.paths)
    written = write_files(files, out_dir, _stem(kind, record, nomor, ""), made.blobs)
    summary = summarize(kind, record, view, str(nomor), workspace, sidik, made.pages,
                        layout=made.layout)
    tx.add(replace(entry_of(kind, record, nomor, summary), files=tuple(written.values()),
                   counter=counter_of(kind, record, workspace)))
    return Made(str(nomor), tuple(files.paths[start:]), warnings)  # as the caller named them


def date_problem(kind: Kind, record: Any, workspace: Workspace) -> tuple[str, str] | None:
    """A final document dated more than the office's ``tanggal_maju_hari`` ahead of today
    is a typing mistake (2062 for 2026), refused before a number is taken: (field, why)."""
    ahead = workspace.office.tanggal_maju_hari
    for field_name in dict.fromkeys(("tanggal", kind.date_field)):
        day: date = getattr(record, field_name)
        if day > date.today() + timedelta(days=ahead):
            return field_name, (f"{day.isoformat()} is more than {ahead} days ahead of today; "
                                "a final document is not dated that far ahead (the office "
                                "profile's tanggal_maju_hari)")
    return None


def _date_order(tx: Transaction, kind: Kind, record: Any, workspace: Workspace
                ) -> tuple[str, ...]:
    """A warning when an outgoing document is dated before the last one numbered in its
    series: numbers then no longer follow dates, which an auditor will ask about."""
    day: date = getattr(record, kind.date_field)
    if kind.series != KELUAR:
        return ()
    last = tx.last_date(kind.series, workspace.office.unit, day.year)
    if last is None or day >= last:
        return ()
    return (f"tanggal {day.isoformat()} is earlier than the last numbered document "
            f"({last.isoformat()}): its number will follow a later-dated one",)


def sweep(tx: Transaction, folder: Path) -> None:
    """Finish what stopped runs left in ``folder`` (called holding the register's lock, so
    no other run is between writing and committing): a pending file the register holds is
    published; one it does not hold belonged to a transaction that never committed, and its
    number was never given, so it is removed. On a shared register other desks' runs go
    on meanwhile: the folder's lock keeps a run on this machine from sweeping another's."""
    tx.lock(f"sopdocs:output:{socket.gethostname()}:{folder.resolve()}")
    for pending in pending_files(folder):
        settle(pending, tx.registered_sha256(str(final_path(pending).resolve())))


def write_files(files: FileGroup, out_dir: Path, stem: str,
                blobs: Mapping[Format, bytes | IO[bytes]]) -> dict[Format, FileEntry]:
    """Write each format's bytes (or file) under a free name from ``stem``; return what the
    register keeps of each file (its path and SHA-256)."""
    return {ext: FileEntry(str(files.write(out_dir, stem, f".{ext}", blob).resolve()),
                           sha256_of(blob)) for ext, blob in blobs.items()}


def entry_of(kind: Kind, record: Any, nomor: Nomor, summary: Summary) -> Entry:
    """The register's row of a numbered document (its files are added when written)."""
    return Entry(nomor=str(nomor), kind=kind.name, hal=summary.hal,
                 tanggal=getattr(record, kind.date_field), urut=nomor.urut, tahun=nomor.tahun,
                 unit=nomor.unit, series=kind.series, record_json=record.model_dump_json(),
                 summary_json=summary.model_dump_json())


def seal_of(kind: Kind, nomor: Nomor, record: Any, workspace: Workspace,
            sidik: str) -> Seal | None:
    """The seal a final document's PDF carries (``sidik``: the start of its record's hash),
    placed as the office's profile says, or None when the office prints no seal
    (``segel.cetak: false``)."""
    segel = workspace.office.segel
    if not segel.cetak:
        return None
    return Seal(seal_label(kind, nomor), record.tanggal.isoformat(), sidik, segel.posisi,
                segel.jarak_mm)


def seal_label(kind: Kind, nomor: Nomor) -> str:
    """What a seal names: the outgoing number, or ``agenda N/YEAR`` for a lembar disposisi."""
    return str(nomor) if kind.series == KELUAR else f"agenda {nomor}/{nomor.tahun}"


def number_lines(workspace: Workspace, year: int | None = None) -> list[str]:
    """``number list``: every number taken, from the register and the summaries taken at
    make time: nomor, date, kind, hal, signer, status; then each file with its SHA-256 (and
    the page that holds the document when a batch file holds several)."""
    from .idn import tanggal
    from .summary import load

    lines = []
    for e in register_of(workspace).entries(year):
        signer = load(e.summary_json).signer
        status = f"batal: {e.void_reason}" if e.status == "batal" else e.status
        lines.append(f"{e.nomor}\t{tanggal(e.tanggal)}\t{e.kind}\t{e.hal}\t"
                     f"{signer.nama if signer else '-'}\t{status}")
        lines += [f"\t{f.path}\tsha256:{f.sha256}" + (f"\thalaman {f.page}" if f.page else "")
                  for f in e.files]
    return lines
