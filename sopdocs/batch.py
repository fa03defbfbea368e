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
import pickle
import tempfile
import weakref
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, Any, Generic, TypeVar, overload

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from . import idn
from .agenda import iter_agenda
from .errors import InputError, RecordError, RenderError
from .kinds import kind_of
from .numbering import Nomor
from .office import PAPER, Workspace
from .records import Naskah, validate
from .registry import Entry, FileEntry, letter_key
from .seal import Seal
from .service import (
    Format,
    agenda_number,
    date_problem,
    entry_of,
    given_agenda,
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
T = TypeVar("T")


class Spool(Sequence[T], Generic[T]):
    """A list that moves to a temporary file once it holds more than ``memory`` items:
    from then on items are pickled as they are appended and read back in order (or by
    index), so that 100,000 sheets wait on disk, not in memory, while a batch of a thousand
    pays nothing. Items are not to be changed once appended."""

    def __init__(self, memory: int = 2000) -> None:
        self._items: list[T] | None = []
        self._memory = memory
        self._file: IO[bytes] | None = None
        self._offsets = array("q")
        self._end = 0

    def append(self, item: T) -> None:
        if self._items is None:
            self._dump(item)
            return
        self._items.append(item)
        if len(self._items) > self._memory:
            items, self._items = self._items, None
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the spool)
            weakref.finalize(self, self._file.close)
            for held in items:
                self._dump(held)

    def _dump(self, item: T) -> None:
        assert self._file is not None
        self._file.seek(self._end)
        pickle.dump(item, self._file, pickle.HIGHEST_PROTOCOL)
        self._offsets.append(self._end)
        self._end = self._file.tell()

    def _load(self, offset: int) -> T:
        assert self._file is not None
        self._file.seek(offset)
        item: T = pickle.load(self._file)
        return item

    def clear(self) -> None:
        if self._file is not None:
            self._file.truncate(0)
        self._items = [] if self._file is None else None
        self._offsets = array("q")
        self._end = 0

    def __len__(self) -> int:
        return len(self._offsets) if self._items is None else len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if self._items is not None:
            return self._items[index]
        return self._load(self._offsets[index])

    def __iter__(self) -> Iterator[T]:
        if self._items is not None:
            yield from self._items
            return
        for offset in self._offsets:
            yield self._load(offset)


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
    sheets: Spool[Sheet] = field(default_factory=Spool)
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

def check_oleh(workspace: Workspace, oleh: str) -> None:
    """Raise InputError, once for the whole agenda, if ``oleh`` is no role of the office."""
    resolver = Resolver(workspace)
    resolver.pejabat("oleh", oleh)
    if resolver.problems:
        raise InputError(f"oleh: {resolver.problems[0][1]}", option="oleh")


def prepare(path: Path, workspace: Workspace, *, sheet: str | None = None,
            oleh: str = "kepala-dinas") -> tuple[Batch, Spool[Row]]:
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
    letters, ignored = iter_agenda(path, sheet)
    batch = Batch(ignored_columns=ignored)
    kind = kind_of("disposisi")
    claims = _Claims(batch, workspace)
    fit = _Fit(path, batch, workspace)
    rows: Spool[Row] = Spool()
    for number, fields in letters:
        batch.rows_read += 1
        data: dict[str, Any] = {"oleh": oleh, **fields}
        received = fields.get("diterima_tanggal")
        with contextlib.suppress(ValueError):  # a bad date is reported once, as diterima
            data["tanggal"] = received if isinstance(received, date) else \
                idn.parse_tanggal(str(received))
        try:
            record = validate(kind.model, data, f"row {number}")
            if problem := date_problem(kind, record, workspace):
                raise RecordError(f"row {number}", [problem])
            view = leave_date_to_hand(build_view(
                kind, record, workspace, konsep=False, source=f"row {number}"))
        except RecordError as exc:
            batch.reject(number, exc)
            continue
        row = claims.check((number, record, view))
        if row is not None and fit.check(row):
            rows.append(row)
    return batch, rows


class _Claims:
    """Check the agenda numbers the agenda gives: each fits the office's pattern and is
    written as the register writes it ("07" is 7), and no number is given to two letters,
    nor two numbers to one letter. The register's own letters are checked when numbering."""

    def __init__(self, batch: Batch, workspace: Workspace):
        self.batch = batch
        self.workspace = workspace
        self.claimed: dict[tuple[int, str], tuple[int, str, Any]] = {}
        self.letters: dict[str, tuple[int, str]] = {}

    def check(self, row: Row) -> Row | None:
        """The row, its number written as the register writes it; None if it is rejected."""
        number, record, view = row
        letter: Any = record  # a Disposisi
        given = letter.nomor_agenda
        if given is None:
            return row
        day = letter.diterima_tanggal
        try:
            nomor = str(given_agenda(given, self.workspace, day, f"row {number}"))
        except RecordError as exc:
            self.batch.reject(number, exc)
            return None
        kunci = letter_key(letter.surat_dari, letter.nomor_surat, letter.tanggal_surat)
        claimed, letters = self.claimed, self.letters
        problem = None
        if kunci in letters and letters[kunci][1] != nomor:
            problem = (f"row {letters[kunci][0]} is the same letter with agenda number "
                       f"{letters[kunci][1]}; give one number, or leave nomor agenda out")
        elif (day.year, nomor) in claimed and claimed[day.year, nomor][1] != kunci:
            other, _, holder = claimed[day.year, nomor]
            problem = (f"agenda number {nomor} ({day.year}) is also given in row {other}, to "
                       f"the letter {holder.nomor_surat} from {holder.surat_dari}")
        if problem:
            self.batch.reject(number, RecordError(f"row {number}", [("nomor_agenda", problem)]))
            return None
        claimed.setdefault((day.year, nomor), (number, kunci, record))
        letters.setdefault(kunci, (number, nomor))
        return number, record.model_copy(update={"nomor_agenda": nomor}), view


class _Fit:
    """Lay every sheet out, without drawing, on ½ page: a row whose texts do not fit is
    rejected, naming what to shorten, before any number is taken. Raises RenderError when
    even a letter of one-line texts would not fit (the office profile is at fault)."""

    def __init__(self, path: Path, batch: Batch, workspace: Workspace):
        from reportlab.lib.units import mm

        self.path, self.batch, self.office = path, batch, workspace.office
        self.logo = workspace.logo_path
        self.width, self.height = (x * mm for x in PAPER[self.office.kertas])
        self.edge = self.office.segel.jarak_mm * mm
        self.drawer: Any = None
        self.widest: dict[tuple[int, int], str] = {}  # the widest number of each month

    def check(self, row: Row) -> bool:
        """Whether the row's sheet fits; if not, the row is rejected (or RenderError)."""
        number, record, view = row
        if self.drawer is None:
            from .kinds.disposisi import DisposisiSheets
            from .render.fonts import register_fonts

            register_fonts()
            self.drawer = DisposisiSheets(Canvas(io.BytesIO()), view, self.logo, self.width,
                                          self.edge)
        office = self.office
        letter: Any = record  # a Disposisi
        day = letter.diterima_tanggal
        widest = letter.nomor_agenda or self.widest.get((day.year, day.month))
        if widest is None:
            widest = self.widest[day.year, day.month] = str(
                Nomor("", 99999, office.unit, day.year, day.month, office.nomor.pola_agenda))
        misfit = self.drawer.misfit({**view, "nomor_agenda": widest}, self.height / 2)
        if misfit is None:
            return True
        if not misfit.letter:
            raise RenderError(f"{self.path}: {misfit.message}")
        self.batch.reject(number, RecordError(f"row {number}", [("", misfit.message)]))
        return False


Progress = Callable[[int], None]


def number_letters(batch: Batch, records: Sequence[Row], workspace: Workspace,
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
    errors = len(batch.errors)
    rows = iter(records)
    left = len(records)
    while left:
        size = left if strict else min(CHUNK, left)
        left -= size
        with register.transaction() as tx:
            for _ in range(size):
                number, record, view = next(rows)
                try:
                    nomor = agenda_number(tx, record, workspace, f"row {number}")
                except RecordError as exc:
                    batch.reject(number, exc)
                    continue
                view["nomor_agenda"] = text = str(nomor)
                sidik = record_hash(record)[:16]
                page = page_of(len(batch.sheets), per_page, duplex)
                summary = summarize(kind, record, view, text, workspace, sidik, 1, page)
                batch.sheets.append(Sheet(view, seal_of(kind, nomor, record, workspace, sidik),
                                          entry_of(kind, record, nomor, summary)))
            if strict and len(batch.errors) > errors:  # raised inside: rolled back
                batch.sheets.clear()
                raise RecordError(source, [("", e) for e in batch.errors])
        progress(size)


def page_of(index: int, per_page: int, duplex: bool) -> int:
    """The page of the batch PDF that holds sheet ``index`` (from 0)."""
    return index // per_page * (2 if duplex else 1) + 1


class PageSpool:
    """Moves each finished page's content out of a reportlab canvas: compressed at once
    into a temporary file, read back only when the PDF is written (``save``), and that
    writes each PDF object to the output as it is formatted. ReportLab itself keeps every
    page's content uncompressed until the end and builds the whole file in memory: 12 kB a
    sheet, over a gigabyte for an agenda of 100,000 letters."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by save)
        weakref.finalize(self, self.file.close)
        self.end = 0  # where the next page's content goes in the file
        # One dictionary of the forms (kop, grid, tick lists …) for every page, where
        # reportlab makes each page its own: 5 kB a page.
        self.forms = pdfdoc.PDFDictionary()
        self.forms_ref = canvas._doc.Reference(self.forms)
        self._form_dict = canvas._setXObjects
        canvas._setXObjects = self._xobjects
        canvas.setPageCallBack(self._spool)

    def _xobjects(self, thing: Any) -> None:
        """A page's forms go in the one dictionary (a form's own stay its own)."""
        forms = self.canvas._formsinuse
        if not isinstance(thing, pdfdoc.PDFPage) or not forms:
            self._form_dict(thing)
            return
        known = self.forms.dict
        for name in set(forms):
            internal = pdfdoc.xObjectName(name)
            if internal not in known:
                known[internal] = pdfdoc.PDFObjectReference(internal)
        thing.XObjects = self.forms_ref

    def _spool(self, page_number: int) -> None:
        page = self.canvas._doc.Pages.pages[-1]
        content = zlib.compress(page.stream.encode("utf8"))
        self.file.write(content)
        page.Contents = _SpooledStream(self.file, self.end, len(content))
        self.end += len(content)
        page.stream = None
        state = page.__dict__
        if state.get("Trans") is not None and not state["Trans"].dict:  # no transition
            state["Trans"] = None
        page.__class__ = _SpooledPage
        page.__dict__ = {k: v for k, v in state.items() if k not in _PAGE_DEFAULTS
                         or (v is not None and v != {} and v != [])}

    def save(self, out: IO[bytes]) -> None:
        """Write the PDF to ``out``, object by object."""
        whole = pdfdoc.PDFFile

        class Streamed(whole):  # type: ignore[misc,valid-type]
            def __init__(self, version: Any) -> None:
                super().__init__(version)  # collects the header in self.strings
                state = self.__dict__
                out.write(b"".join(state["strings"]))
                state["strings"] = []
                self.write = out.write

        pdfdoc.PDFFile = Streamed  # the document makes its PDFFile while saving
        try:
            self.canvas.save()
        finally:
            pdfdoc.PDFFile = whole
            self.file.close()


class _SpooledPage(pdfdoc.PDFPage):
    """A page whose content waits in the spool: what reportlab sets empty on every page
    (two dozen entries) is the class's, not each page's (2 kB a page less)."""

    ExtGState = None
    _shadingUsed: dict[str, Any] = {}

    def format(self, document: Any) -> bytes:
        """The page's PDF object; then the page forgets what formatting it attached to it
        (its resource dictionary, media box …: 2 kB a page, that reportlab would keep until
        the whole file is written). A page is written once.

        The pages of a batch differ only in their content stream: the first page of each
        look is formatted by reportlab, the others are its bytes with their own stream's
        reference (a tenth of a millisecond a page)."""
        try:
            state = self.__dict__
            looks = document.__dict__.setdefault("_sopdocs_looks", {})
            look = None
            forms = state.get("XObjects")  # the spool's one reference, or none
            if state.keys() <= _PLAIN_PAGE and isinstance(forms, (type(None),
                                                                  pdfdoc.PDFObjectReference)):
                look = (state.get("pagewidth"), state.get("pageheight"), state.get("Rotate"),
                        state.get("hasImages"), state.get("compression"),
                        forms and forms.name)
                if look in looks:
                    head, tail = looks[look]
                    return bytes(head + document.Reference(self.Contents).format(document)
                                 + tail)
            made = bytes(super().format(document))
            if look is not None:
                ref = b"/Contents " + document.Reference(self.Contents).format(document)
                if made.count(ref) == 1:
                    head, tail = made.split(ref)
                    looks[look] = (head + b"/Contents ", tail)
            return made
        finally:
            _forget(self)


for _name in pdfdoc.PDFPage.__NoDefault__:
    setattr(_SpooledPage, _name, None)
#: What a spooled page holds of its own only when it is not empty.
_PAGE_DEFAULTS = frozenset(dir(_SpooledPage))
#: What a page of a batch holds: it looks like every other page with the same values.
_PLAIN_PAGE = frozenset({"Contents", "Rotate", "pagewidth", "pageheight", "hasImages",
                         "compression", "XObjects", "__InternalName__"})
#: The dictionary of every spooled content stream (reportlab copies it to write it).
_FLATE = pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])})


class _SpooledStream(pdfdoc.PDFStream):
    """A page's content stream, compressed already, read from the spool only while it is
    written out."""

    def __init__(self, file: IO[bytes], offset: int, length: int):
        super().__init__(_FLATE, b"")
        self.file, self.offset, self.length = file, offset, length

    def format(self, document: Any) -> bytes:
        """The stream's PDF object: reportlab formats the first; the others are its
        dictionary with their own length, then their bytes."""
        self.file.seek(self.offset)
        content = self.file.read(self.length)
        try:
            shape = document.__dict__.get("_sopdocs_stream")
            if shape is not None:
                head, tail = shape
                return b"%s%d%s%s%s" % (head, len(content), tail, content, _END)
            self.content = content
            made = bytes(super().format(document))
            length = b"/Length %d" % len(content)
            start = made[:len(made) - len(content) - len(_END)]
            if made == start + content + _END and start.count(length) == 1:
                head, tail = start.split(length)
                document.__dict__["_sopdocs_stream"] = (head + b"/Length ", tail)
            return made
        finally:
            _forget(self)


_END = b"endstream\n"


def _forget(written: Any) -> None:
    """Drop what a written PDF object holds, keeping only its name in the document (a
    later reference to it must find it registered, not register it anew)."""
    state = written.__dict__
    name = state.get("__InternalName__")
    state.clear()
    if name is not None:
        state["__InternalName__"] = name


def draw_pdf(sheets: Sequence[Sheet], workspace: Workspace, out: IO[bytes], per_page: int,
             duplex: bool, progress: Progress = lambda n: None) -> None:
    """Write to ``out`` one PDF of the sheets, one per ½-folio page or two per page with a
    cut line, each with its own seal; ``duplex`` adds a blank back to every page so that
    each sheet is its own paper. Pages leave memory as they are drawn (``PageSpool``)."""
    from reportlab.lib.units import mm

    from .kinds.disposisi import DisposisiSheets, describe, draw_seal
    from .render.fonts import register_fonts

    register_fonts()
    width, height = (x * mm for x in PAPER[workspace.office.kertas])
    page_height = height if per_page == 2 else height / 2
    canvas = Canvas(io.BytesIO(), pagesize=(width, page_height), invariant=1,
                    pageCompression=1)
    pages = PageSpool(canvas)
    drawer = None
    count = len(sheets)
    for i, sheet in enumerate(sheets):
        if drawer is None:
            describe(canvas, "Lembar Disposisi", {**sheet.view, "hal": f"{count} lembar"})
            drawer = DisposisiSheets(canvas, sheet.view, workspace.logo_path, width,
                                     workspace.office.segel.jarak_mm * mm)
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
        if slot == per_page - 1 or i == count - 1:
            canvas.showPage()
            if duplex:
                canvas.showPage()
        progress(1)
    if not count:
        canvas.showPage()
    pages.save(out)


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
    del records  # the sheets are all that drawing needs
    if not batch.sheets:
        return batch
    stem = safe_name(f"disposisi_{path.stem}", 60)
    with tempfile.TemporaryFile() as pdf:
        draw_pdf(batch.sheets, workspace, pdf, per_page, duplex, advance)
        pdf.seek(0)
        blobs: dict[Format, bytes | IO[bytes]] = {"pdf": pdf}
        if docx:
            from .render.docx import render_docx_batch

            blobs["docx"] = render_docx_batch([s.view for s in batch.sheets], workspace)
        with file_group() as files, register_of(workspace).transaction() as tx:
            sweep(tx, out_dir)  # what a stopped batch or document left in the folder
            written = write_files(files, out_dir, stem, blobs)
            tx.add_many(replace(made.entry, files=tuple(
                FileEntry(f.path, f.sha256, page_of(i, per_page, duplex) if ext == "pdf"
                          else i + 1) for ext, f in written.items()))
                for i, made in enumerate(batch.sheets))
    batch.paths = files.paths
    return batch
