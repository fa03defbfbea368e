"""Batch-print lembar disposisi: the agenda of incoming letters (XLSX or CSV) in, one
print-ready PDF (and optionally one DOCX) out, every letter numbered in the agenda.

Rows are read and checked first; then agenda numbers are taken in committed chunks (a letter
already in the agenda keeps its number, so a rerun after a crash numbers nothing twice); then
the sheets are drawn straight onto one canvas, each with its own seal, and the files are
written in the same register transaction that records every sheet as a document (with its
summary and the page of the batch file that holds it), as ``make_document`` does.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import idn
from .errors import InputError, RecordError
from .kinds import kind_of
from .office import PAPER, Workspace
from .records import Naskah, validate
from .registry import Entry
from .seal import Seal
from .service import (
    Format,
    agenda_number,
    entry_of,
    record_hash,
    register_of,
    seal_label,
    summarize,
    write_files,
)
from .store import file_group, safe_name
from .summary import Summary
from .view import View, build_view

#: Accepted column headers, compared without case, spaces or punctuation.
COLUMNS: dict[str, tuple[str, ...]] = {
    "surat_dari": ("Surat dari", "Asal Surat", "Pengirim", "Dari", "Instansi Pengirim"),
    "nomor_surat": ("Nomor Surat", "No. Surat", "No Surat"),
    "tanggal_surat": ("Tanggal Surat", "Tgl. Surat", "Tgl Surat"),
    "diterima_tanggal": ("Diterima Tanggal", "Tanggal Diterima", "Tgl. Diterima",
                         "Diterima Tgl.", "Tanggal Terima", "Diterima"),
    "hal": ("Hal", "Perihal"),
    "sifat": ("Sifat", "Sifat Surat"),
    "nomor_agenda": ("Nomor Agenda", "No. Agenda", "No Agenda", "Agenda"),
    "diteruskan_kepada": ("Diteruskan kepada", "Diteruskan", "Disposisi kepada"),
    "catatan": ("Catatan", "Isi Disposisi"),
}
REQUIRED = ("surat_dari", "nomor_surat", "tanggal_surat", "diterima_tanggal", "hal")
CHUNK = 500  # rows numbered per committed transaction (each commit waits for the disk)


def _key(header: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(header or "").casefold())


_ALIASES = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class Sheet:
    """A numbered sheet of a batch: what it prints, its seal, and what the register keeps
    of it (the entry gets its files and the summary its page when the batch is written)."""

    view: View
    seal: Seal
    entry: Entry
    summary: Summary


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


def _cell(value: object) -> object:
    """Excel dates come as datetimes, numbers as floats; keep what a person typed."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def _rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[object]]]:
    """Yield (spreadsheet row number, cell values) from an XLSX or CSV agenda."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel  # one column, or ambiguous: plain commas
        for number, values in enumerate(csv.reader(io.StringIO(text), dialect), 1):
            yield number, [_cell(v) for v in values]
        return
    if suffix not in (".xlsx", ".xlsm"):
        raise InputError(f"{path}: an agenda is an .xlsx or .csv file")
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise InputError(f"{path}: not a readable XLSX workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet else book.active
        for number, values in enumerate(ws.iter_rows(values_only=True), 1):
            yield number, [_cell(v) for v in values]
    finally:
        book.close()


def read_agenda(path: Path, sheet: str | None = None
                ) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Return the agenda's letters as (row number, fields) and the ignored headers.

    The header row is the first of the first ten rows that names at least three known
    columns. Blank rows are skipped. Raises InputError naming the missing columns.
    """
    rows = _rows(path, sheet)
    header: list[str | None] | None = None
    ignored: list[str] = []
    for _number, values in rows:
        names = [_ALIASES.get(_key(v)) for v in values]
        if len({n for n in names if n}) >= 3:
            header = names
            ignored = [str(v) for v, n in zip(values, names, strict=True) if v and not n]
            break
        if _number >= 10:
            break
    if header is None:
        raise InputError(f"{path}: no header row found (expected columns such as "
                         f"{', '.join(COLUMNS[n][0] for n in REQUIRED)})")
    missing = [n for n in REQUIRED if n not in header]
    if missing:
        raise InputError(f"{path}: missing column(s) " + "; ".join(
            f"{n.replace('_', ' ')} (accepted: {', '.join(COLUMNS[n])})" for n in missing))
    letters = []
    for number, values in rows:
        if all(v in (None, "") for v in values):
            continue
        fields = {n: v for n, v in zip(header, values, strict=False) if n and v not in (None, "")}
        if "diteruskan_kepada" in fields:
            fields["diteruskan_kepada"] = [
                part.strip() for part in re.split(r"[;\n,]", str(fields["diteruskan_kepada"]))
                if part.strip()]
        letters.append((number, fields))
    return letters, ignored


Row = tuple[int, Naskah, View]  # row number, record, view of its sheet
#: View parts that are mostly the same on every sheet of a batch.
_SHAREABLE = ("kop", "oleh", "sifat", "diteruskan_kepada", "harap", "paraf")


def _share(view: View, pool: dict[str, object]) -> View:
    """Let equal parts of many sheets' views be one object (10,000 sheets fit in memory)."""
    for key in _SHAREABLE:
        value = view[key]
        view[key] = pool.setdefault(f"{key}:{value!r}", value)
    return view



def prepare(path: Path, workspace: Workspace, *, sheet: str | None = None,
            oleh: str = "kepala-dinas") -> tuple[Batch, list[Row]]:
    """Read and check every row; return the batch so far and the valid rows.

    ``oleh`` is who will dispose the letters (the sheets go to them); the date of each sheet
    is the day the letter was received.
    """
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
            view = _share(build_view(kind, record, workspace, konsep=False,
                                     source=f"row {number}"), pool)
        except RecordError as exc:
            batch.reject(number, exc)
            continue
        records.append((number, record, view))
    return batch, records


Progress = Callable[[int], None]


def number_letters(batch: Batch, records: list[Row], workspace: Workspace,
                   progress: Progress = lambda n: None) -> None:
    """Give every letter its agenda number, in committed chunks, and add its sheet.

    A letter already in the agenda keeps its number; a row whose given number belongs to
    another letter is rejected and reported.
    """
    kind = kind_of("disposisi")
    register = register_of(workspace)
    for start in range(0, len(records), CHUNK):
        chunk = records[start:start + CHUNK]
        with register.transaction() as tx:
            for number, record, view in chunk:
                try:
                    nomor = agenda_number(tx, record, workspace, f"row {number}")
                except RecordError as exc:
                    batch.reject(number, exc)
                    continue
                view["nomor_agenda"] = str(nomor)
                sidik = record_hash(record)[:16]
                summary = summarize(kind, record, view, str(nomor), workspace, sidik, 1)
                batch.sheets.append(Sheet(
                    view, Seal(seal_label(kind, nomor), record.tanggal.isoformat(), sidik),
                    entry_of(kind, record, nomor, summary), summary))
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
    drawer = DisposisiSheets(canvas, sheets[0].view, workspace.logo_path, width)
    for i, sheet in enumerate(sheets):
        slot = i % per_page
        top = page_height - slot * height / 2
        drawer.draw(sheet.view, top, height / 2)
        draw_seal(canvas, sheet.seal, top - height / 2)
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
    number_letters(batch, records, workspace, advance)
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
        written = write_files(files, out_dir, stem, blobs)
        for i, made in enumerate(batch.sheets):
            pages = {"pdf": page_of(i, per_page, duplex), "docx": i + 1}
            summary = made.summary.model_copy(update={"halaman_awal": pages["pdf"]})
            tx.add(replace(made.entry, summary_json=summary.model_dump_json(), files=tuple(
                replace(f, page=pages[ext]) for ext, f in written.items())))
    batch.paths = files.paths
    return batch
