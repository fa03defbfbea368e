"""Batch-print lembar disposisi: the agenda of incoming letters (XLSX or CSV) in, one
print-ready PDF (and optionally one DOCX) out, every letter numbered in the agenda.

The agenda is read by ``agenda.read_agenda``. Rows are checked first: fields, the agenda
numbers the agenda itself gives, and that each sheet fits its ½ page, so that no number is
taken for a sheet that cannot be printed. Then agenda numbers are taken in committed chunks
(a letter already in the agenda keeps its number, so a rerun after a crash numbers nothing
twice; with ``strict``, in one transaction that any bad row undoes); then the sheets are
drawn straight onto one canvas, each with its own seal, and the files are written in the
same register transaction that records every sheet as a document (with its summary and the
page of the batch file that holds it), as ``make_document`` does.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from . import idn
from .agenda import read_agenda
from .errors import InputError, NumberError, RecordError, RenderError
from .kinds import kind_of
from .numbering import Nomor
from .office import PAPER, Workspace
from .records import Naskah, validate
from .registry import Entry, letter_key
from .seal import Seal
from .service import (
    Format,
    agenda_number,
    date_problem,
    entry_of,
    record_hash,
    register_of,
    seal_of,
    summarize,
    sweep,
    write_files,
)
from .store import file_group, safe_name
from .view import Resolver, View, build_view

CHUNK = 500  # rows numbered per committed transaction (each commit waits for the disk)


@dataclass(frozen=True)
class Sheet:
    """A numbered sheet of a batch: what it prints, its seal, and what the register keeps
    of it (its record and summary, with the page of the batch PDF that will hold it; the
    entry gets its files when the batch is written). The summary is kept as JSON only: a
    batch of 10,000 sheets holds no summary objects."""

    view: View
    seal: Seal | None  # None: the office prints no seal (segel.cetak: false)
    entry: Entry


@dataclass
class Batch:
    """The outcome of reading and numbering an agenda."""

    rows_read: int = 0
    sheets: list[Sheet] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    ignored_columns: list[str] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)

    def report(self) -> list[str]:
        """Every rejected row's problems, then ``rows read: …, sheets made: …, …``."""
        return [*self.errors, f"rows read: {self.rows_read}, sheets made: {len(self.sheets)}, "
                              f"rows rejected: {len(self.rejected)}"]

    def reject(self, row: int, error: RecordError) -> None:
        """Note a bad row: one line per problem, ``row 17: tanggal surat: …``."""
        self.rejected.add(row)
        for path, message in error.problems:
            label = path.split("[")[0].replace("_", " ")
            self.errors.append(f"row {row}: {label}: {message}" if path
                               else f"row {row}: {message}")


Row = tuple[int, Naskah, View]  # row number, record, view of its sheet
#: View parts that are mostly the same on every sheet of a batch.
_SHAREABLE = ("kop", "oleh", "sifat", "diteruskan_kepada", "harap", "paraf")


def _share(view: View, pool: dict[str, object]) -> View:
    """Let equal parts of many sheets' views be one object (10,000 sheets fit in memory)."""
    for key in _SHAREABLE:
        value = view[key]
        view[key] = pool.setdefault(f"{key}:{value!r}", value)
    return view



def check_oleh(workspace: Workspace, oleh: str) -> None:
    """Raise InputError, once for the whole agenda, if ``oleh`` is no role of the office."""
    resolver = Resolver(workspace)
    resolver.pejabat("oleh", oleh)
    if resolver.problems:
        raise InputError(f"oleh: {resolver.problems[0][1]}", option="oleh")


def prepare(path: Path, workspace: Workspace, *, sheet: str | None = None,
            oleh: str = "kepala-dinas") -> tuple[Batch, list[Row]]:
    """Read and check every row; return the batch so far and the valid rows.

    ``oleh`` is who will dispose the letters (the sheets go to them); each sheet is
    registered under the day its letter was received, and its signature's date is left
    blank for the hand (``leave_date_to_hand``: "Padang, ......"). Rows are checked as far
    as can be without the register: fields, the agenda numbers the agenda itself gives (the
    office's pattern, no number claimed by two letters) and that each sheet fits its ½ page.
    Raises InputError when ``oleh`` is not a role of the office, RenderError when the
    office's own lists leave no room for any letter on ½ page.
    """
    from .kinds.disposisi import leave_date_to_hand

    check_oleh(workspace, oleh)
    letters, ignored = read_agenda(path, sheet)
    batch = Batch(rows_read=len(letters), ignored_columns=ignored)
    kind = kind_of("disposisi")
    records = []
    pool: dict[str, object] = {}
    for number, fields in letters:
        data: dict[str, Any] = {"oleh": oleh, **fields}
        received = fields.get("diterima_tanggal")
        with contextlib.suppress(ValueError):  # a bad date is reported once, as diterima
            data["tanggal"] = received if isinstance(received, date) else \
                idn.parse_tanggal(str(received))
        try:
            record = validate(kind.model, data, f"row {number}")
            if problem := date_problem(kind, record, workspace):
                raise RecordError(f"row {number}", [problem])
            view = _share(leave_date_to_hand(build_view(
                kind, record, workspace, konsep=False, source=f"row {number}")), pool)
        except RecordError as exc:
            batch.reject(number, exc)
            continue
        records.append((number, record, view))
    records = _check_claims(batch, records, workspace)
    _check_fit(path, batch, records, workspace)
    return batch, [row for row in records if row[0] not in batch.rejected]


def _check_claims(batch: Batch, records: list[Row], workspace: Workspace) -> list[Row]:
    """Check the agenda numbers the agenda gives: each fits the office's pattern and is
    written as the register writes it ("07" is 7), and no number is given to two letters,
    nor two numbers to one letter. The register's own letters are checked when numbering."""
    pola = workspace.office.nomor.pola_agenda
    unit = workspace.office.unit
    claimed: dict[tuple[int, str], tuple[int, str, Any]] = {}
    letters: dict[str, tuple[int, str]] = {}
    out: list[Row] = []
    for number, record, view in records:
        letter: Any = record  # a Disposisi
        given = letter.nomor_agenda
        if given is None:
            out.append((number, record, view))
            continue
        day = letter.diterima_tanggal
        try:
            urut = Nomor.parse(given, pola).urut
        except NumberError:
            batch.reject(number, RecordError(f"row {number}", [("nomor_agenda", (
                f"{given!r} does not fit the office's agenda pattern {pola!r}"))]))
            continue
        nomor = str(Nomor("", urut, unit, day.year, day.month, pola))
        kunci = letter_key(letter.surat_dari, letter.nomor_surat, letter.tanggal_surat)
        problem = None
        if kunci in letters and letters[kunci][1] != nomor:
            problem = (f"row {letters[kunci][0]} is the same letter with agenda number "
                       f"{letters[kunci][1]}; give one number, or leave nomor agenda out")
        elif (day.year, nomor) in claimed and claimed[day.year, nomor][1] != kunci:
            other, _, holder = claimed[day.year, nomor]
            problem = (f"agenda number {nomor} ({day.year}) is also given in row {other}, to "
                       f"the letter {holder.nomor_surat} from {holder.surat_dari}")
        if problem:
            batch.reject(number, RecordError(f"row {number}", [("nomor_agenda", problem)]))
            continue
        claimed.setdefault((day.year, nomor), (number, kunci, record))
        letters.setdefault(kunci, (number, nomor))
        out.append((number, record.model_copy(update={"nomor_agenda": nomor}), view))
    return out


def _check_fit(path: Path, batch: Batch, records: list[Row], workspace: Workspace) -> None:
    """Lay every sheet out, without drawing, on ½ page: a row whose texts do not fit is
    rejected, naming what to shorten, before any number is taken. Raises RenderError when
    even a letter of one-line texts would not fit (the office profile is at fault)."""
    if not records:
        return
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from .kinds.disposisi import DisposisiSheets
    from .render.fonts import register_fonts

    register_fonts()
    office = workspace.office
    width, height = (x * mm for x in PAPER[office.kertas])
    drawer = DisposisiSheets(Canvas(io.BytesIO()), records[0][2], workspace.logo_path, width,
                             office.segel.jarak_mm * mm)
    for number, record, view in records:
        letter: Any = record  # a Disposisi
        day = letter.diterima_tanggal
        widest = letter.nomor_agenda or str(
            Nomor("", 99999, office.unit, day.year, day.month, office.nomor.pola_agenda))
        misfit = drawer.misfit({**view, "nomor_agenda": widest}, height / 2)
        if misfit is None:
            continue
        if not misfit.letter:
            raise RenderError(f"{path}: {misfit.message}")
        batch.reject(number, RecordError(f"row {number}", [("", misfit.message)]))


Progress = Callable[[int], None]


def number_letters(batch: Batch, records: list[Row], workspace: Workspace,
                   progress: Progress = lambda n: None, *, strict: bool = False,
                   source: str = "agenda", per_page: int = 1, duplex: bool = False) -> None:
    """Give every letter its agenda number, in committed chunks, and add its sheet.

    A letter already in the agenda keeps its number; a row whose given number belongs to
    another letter is rejected and reported. With ``strict``, all rows are numbered in one
    transaction and any such row undoes it (RecordError from ``source`` listing every row):
    nothing is numbered.
    """
    kind = kind_of("disposisi")
    register = register_of(workspace)
    size = len(records) if strict else CHUNK
    errors = len(batch.errors)
    for start in range(0, len(records), size):
        chunk = records[start:start + size]
        with register.transaction() as tx:
            for number, record, view in chunk:
                try:
                    nomor = agenda_number(tx, record, workspace, f"row {number}")
                except RecordError as exc:
                    batch.reject(number, exc)
                    continue
                view["nomor_agenda"] = str(nomor)
                sidik = record_hash(record)[:16]
                page = page_of(len(batch.sheets), per_page, duplex)
                summary = summarize(kind, record, view, str(nomor), workspace, sidik, 1, page)
                batch.sheets.append(Sheet(view, seal_of(kind, nomor, record, workspace),
                                          entry_of(kind, record, nomor, summary)))
            if strict and len(batch.errors) > errors:  # raised inside: rolled back
                batch.sheets.clear()
                raise RecordError(source, [("", e) for e in batch.errors])
        progress(len(chunk))


def page_of(index: int, per_page: int, duplex: bool) -> int:
    """The page of the batch PDF that holds sheet ``index`` (from 0)."""
    return index // per_page * (2 if duplex else 1) + 1


def draw_pdf(sheets: list[Sheet], workspace: Workspace, per_page: int, duplex: bool,
             progress: Progress = lambda n: None) -> bytes:
    """Return one PDF of the sheets, one per ½-folio page or two per page with a cut line,
    each with its own seal; ``duplex`` adds a blank back to every page so that each sheet is
    its own paper."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from .kinds.disposisi import DisposisiSheets, describe, draw_seal
    from .render.fonts import register_fonts

    register_fonts()
    width, height = (x * mm for x in PAPER[workspace.office.kertas])
    page_height = height if per_page == 2 else height / 2
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, page_height), invariant=1, pageCompression=1)
    if not sheets:
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()
    describe(canvas, "Lembar Disposisi", {**sheets[0].view, "hal": f"{len(sheets)} lembar"})
    drawer = DisposisiSheets(canvas, sheets[0].view, workspace.logo_path, width,
                             workspace.office.segel.jarak_mm * mm)
    for i, sheet in enumerate(sheets):
        slot = i % per_page
        top = page_height - slot * height / 2
        drawer.draw(sheet.view, top, height / 2)
        if sheet.seal is not None:
            draw_seal(canvas, sheet.seal, width, top - height / 2)
        if per_page == 2 and slot == 0:  # the cut line between the two halves
            canvas.saveState()
            canvas.setDash(4, 3)
            canvas.setLineWidth(0.4)
            canvas.line(5 * mm, height / 2, width - 5 * mm, height / 2)
            canvas.restoreState()
        if slot == per_page - 1 or i == len(sheets) - 1:
            canvas.showPage()
            if duplex:
                canvas.showPage()
        progress(1)
    canvas.save()
    return buffer.getvalue()


def run_batch(path: Path, workspace: Workspace, *, out_dir: Path = Path("output"),
              sheet: str | None = None, per_page: int = 1, docx: bool = False,
              duplex: bool = False, strict: bool = False, oleh: str = "kepala-dinas",
              progress: Callable[[int], Progress] = lambda total: lambda n: None) -> Batch:
    """Read an agenda, number its letters and write the sheets; return what happened.

    With ``strict``, any bad row stops everything before a number is taken or a file written
    (RecordError listing every bad row). Otherwise good rows are still produced and the bad
    ones listed in ``Batch.errors``. ``progress(total)`` returns the function told of each
    row numbered and each sheet drawn (for a progress bar).
    """
    batch, records = prepare(path, workspace, sheet=sheet, oleh=oleh)
    if strict and batch.errors:
        raise RecordError(str(path), [("", e) for e in batch.errors])
    advance = progress(2 * len(records))
    number_letters(batch, records, workspace, advance, strict=strict, source=str(path),
                   per_page=per_page, duplex=duplex)
    del records  # the sheets are all that drawing needs: free 10,000 records
    if not batch.sheets:
        return batch
    stem = safe_name(f"disposisi_{path.stem}", 60)
    blobs: dict[Format, bytes] = {
        "pdf": draw_pdf(batch.sheets, workspace, per_page, duplex, advance)}
    if docx:
        from .render.docx import render_docx_batch

        blobs["docx"] = render_docx_batch([s.view for s in batch.sheets], workspace)
    with file_group() as files, register_of(workspace).transaction() as tx:
        sweep(tx, out_dir)  # what a stopped batch or document left in the folder
        written = write_files(files, out_dir, stem, blobs)
        for i, made in enumerate(batch.sheets):
            pages = {"pdf": page_of(i, per_page, duplex), "docx": i + 1}
            tx.add(replace(made.entry, files=tuple(replace(f, page=pages[ext])
                                                   for ext, f in written.items())))
    batch.paths = files.paths
    return batch
