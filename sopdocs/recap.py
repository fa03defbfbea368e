"""The Excel recap an office reports: registers, agenda, monthly counts, SOP compliance and
the archive list, as one real XLSX (openpyxl, write-only so that large registers stay fast)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from . import idn
from .kinds import titles
from .office import Workspace
from .registry import AGENDA, KELUAR, Case
from .service import register_of
from .summary import Listing, listing
from .xlsx import filter_rows, keep_text, table_layout

HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
LATE_FILL = PatternFill("solid", fgColor="F4CCCC")
DATE_FORMAT = "DD/MM/YYYY"
BULAN_PENDEK = [b[:3] for b in idn.BULAN]


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    kind: str = "text"  # text, date, int, percent


_FORMATS = {"date": DATE_FORMAT, "percent": "0%"}


def _cell(ws: Worksheet, value: Any, column: Column, fill: PatternFill | None = None,
          bold: bool = False) -> Any:
    """A value as a styled cell (its column's format, ``fill``, ``bold``); text is always a
    string cell (``xlsx.keep_text``)."""
    cell = keep_text(WriteOnlyCell(ws, value=value))
    if column.kind in _FORMATS:
        cell.number_format = _FORMATS[column.kind]
    if fill is not None:
        cell.fill = fill
    if bold:
        cell.font = Font(bold=True)
    return cell


def _text(ws: Worksheet, value: str) -> Any:
    """An unstyled text that openpyxl would not take as it is (empty, or starting with
    ``=`` or ``#``): one that looks like a formula or an error value as a string cell
    (``xlsx.keep_text``), an empty one as no cell at all (as it reads back)."""
    return keep_text(WriteOnlyCell(ws, value=value)) if value else None


class _Cells:
    """The cells of a sheet's data rows. A write-only sheet writes each row out as it is
    appended, so one styled cell per column (date, percent, late fill) is given each row's
    value in turn instead of a new cell styled anew for each value; the other values go to
    openpyxl as they are, but for some texts (``_text``)."""

    def __init__(self, ws: Worksheet, columns: Sequence[Column]):
        self.ws, self.columns = ws, columns
        self.styled: dict[bool, list[tuple[int, Any]]] = {}

    def _styled(self, late: bool) -> list[tuple[int, Any]]:
        """The reused styled cells of a row (late or not), each with its column's index."""
        cells = self.styled.get(late)
        if cells is None:
            fill = LATE_FILL if late else None
            cells = self.styled[late] = [
                (i, _cell(self.ws, None, column, fill)) for i, column in enumerate(self.columns)
                if fill is not None or column.kind in _FORMATS]
        return cells

    def row(self, values: Sequence[Any], late: bool = False) -> list[Any]:
        if len(values) != len(self.columns):
            raise ValueError(f"a row of {len(values)} values for {len(self.columns)} columns")
        ws = self.ws
        # the common case (no text, or one not empty nor like a formula) is checked inline
        out = [_text(ws, v) if isinstance(v, str) and (not v or v[0] in "=#") else v
               for v in values]
        for i, cell in self._styled(late):
            cell.value = values[i]
            out[i] = keep_text(cell)
        return out


def _sheet(book: Workbook, title: str, columns: Sequence[Column],
           rows: Iterable[Sequence[Any]], late: Sequence[bool] = (),
           totals: Sequence[Any] | None = None) -> tuple[Worksheet, int]:
    """Write one sheet: bold frozen header, filter over the data, widths, landscape print
    fitting the width with the header repeated; return the sheet and its data row count."""
    ws = book.create_sheet(title)
    table_layout(ws, [column.width for column in columns])
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    ws.append(header)
    count = 0
    cells = _Cells(ws, columns)
    for count, row in enumerate(rows, 1):
        ws.append(cells.row(row, count <= len(late) and late[count - 1]))
    filter_rows(ws, len(columns), count)
    if totals is not None:
        ws.append([_cell(ws, v, c, bold=True) for v, c in zip(totals, columns, strict=True)])
    return ws, count


def _signer(summary: Listing) -> str:
    """The first signer's name (``Summary.signer``), or nothing."""
    signers = summary.get("penandatangan")
    return signers[0]["nama"] if signers else ""


def _compliance(workspace: Workspace, cases: list[Case], year: int, clock: datetime
                ) -> tuple[list[list[Any]], list[bool], dict[str, tuple[int, int]]]:
    """The SOP sheet: a row for each step done in a case opened in ``year`` (standard and
    actual working minutes), whether each was late, and per SOP (steps judged, on time)."""
    rows: list[list[Any]] = []
    late: list[bool] = []
    summary: dict[str, tuple[int, int]] = {}
    if not cases:  # a register without cases does not import the SOP modules
        return rows, late, summary
    from .sop.cases import progress
    from .sop.catalogue import catalogue

    sops = catalogue(workspace)
    for case in cases:
        if case.opened_at.year != year or case.sop not in sops:
            continue
        state = progress(sops[case.sop], case, clock, workspace.office)
        for d in state.done:
            standard = None if d.allowed is None else d.allowed.minutes
            forced = d.record.force_reason
            rows.append([case.id, case.sop, d.step.no, d.step.kegiatan, d.step.waktu.teks,
                         standard, d.took.minutes,
                         "-" if standard is None else ("Tidak" if d.late else "Ya"),
                         d.record.done_at,
                         None if forced is None else f"Di luar urutan: {forced}"])
            late.append(d.late)
            if standard is not None:
                judged, on_time = summary.get(case.sop, (0, 0))
                summary[case.sop] = (judged + 1, on_time + (not d.late))
    return rows, late, summary


def build_recap(workspace: Workspace, year: int, month: int | None = None,
                sop: str | None = None, now: datetime | None = None) -> bytes:
    """Return the recap workbook of ``year`` (and ``month``; ``sop`` narrows the SOP sheets)."""
    register = register_of(workspace)
    kinds = titles()
    entries = [e for e in register.entries(year, with_files=False, with_record=False)
               if month is None or e.tanggal.month == month]
    cases = register.cases(sop)
    step_of = {nomor: (c.sop, s.step) for c in cases for s in c.steps for nomor in s.numbers}
    if sop is not None:
        entries = [e for e in entries if e.series != KELUAR or e.nomor in step_of]
    book = Workbook(write_only=True)

    def outgoing() -> Iterator[list[Any]]:
        """The register's rows, each summary read as its row is written (100,000 rows
        never hold 100,000 summaries)."""
        for i, e in enumerate((e for e in entries if e.series == KELUAR), 1):
            summary = listing(e.summary_json)
            sop_name, step_no = step_of.get(e.nomor, ("", None))
            yield [i, e.nomor, e.tanggal, summary["jenis_naskah"], e.hal,
                   "; ".join(summary.get("kepada", ())), _signer(summary), sop_name, step_no,
                   "Batal" if e.status == "batal" else "Berlaku", e.void_reason or ""]

    _sheet(book, "Register Naskah Keluar", [
        Column("No.", 5, "int"), Column("Nomor", 32), Column("Tanggal", 12, "date"),
        Column("Jenis", 14), Column("Hal", 50), Column("Kepada", 40),
        Column("Penandatangan", 28), Column("SOP", 18), Column("Langkah", 9, "int"),
        Column("Status", 9), Column("Keterangan", 30)], outgoing())

    recipients: dict[tuple[int, str], dict[str, None]] = {}  # of a letter's sheets, in order
    sheets: dict[tuple[int, str], int] = {}
    for e in entries:
        if e.series == AGENDA:
            letter = (e.tahun, e.nomor)
            recipients.setdefault(letter, {}).update(
                dict.fromkeys(listing(e.summary_json).get("kepada", ())))
            sheets[letter] = sheets.get(letter, 0) + 1
    letters = [x for x in register.letters(year)
               if month is None or x.diterima_tanggal.month == month]

    _sheet(book, "Agenda Surat Masuk", [
        Column("No. Agenda", 10, "int"), Column("Diterima", 12, "date"),
        Column("Surat dari", 40), Column("Nomor Surat", 28), Column("Tanggal Surat", 13, "date"),
        Column("Hal", 50), Column("Diteruskan kepada", 40), Column("Lembar Disposisi", 10, "int")],
        ([int(x.nomor) if x.nomor.isdigit() else x.nomor, x.diterima_tanggal, x.surat_dari,
          x.nomor_surat, x.tanggal_surat, x.hal, "; ".join(recipients.get((x.tahun, x.nomor), {})),
          sheets.get((x.tahun, x.nomor), 0)] for x in letters))

    counts = {name: [0] * 12 for name in kinds}
    for e in entries:
        if e.kind not in kinds:  # a kind no longer made: named as its documents were
            kinds[e.kind] = listing(e.summary_json)["jenis_naskah"]
        counts.setdefault(e.kind, [0] * 12)[e.tanggal.month - 1] += 1
    monthly: list[list[Any]] = [[kinds[name], *row, sum(row)] for name, row in counts.items()]
    columns = [Column("Jenis Naskah", 18), *[Column(b, 7, "int") for b in BULAN_PENDEK],
               Column("Jumlah", 9, "int")]
    by_month = [*zip(*counts.values(), strict=True)]
    totals = ["Jumlah", *[sum(m) for m in by_month], sum(map(sum, by_month))]
    ws, n = _sheet(book, "Rekap Bulanan", columns, monthly, totals=totals)
    chart = BarChart()
    chart.title = f"Naskah per bulan {year}"
    chart.y_axis.title = "Jumlah naskah"
    chart.add_data(Reference(ws, min_col=2, max_col=13, min_row=n + 2, max_row=n + 2),
                   from_rows=True, titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=2, max_col=13, min_row=1, max_row=1))
    chart.legend = None
    chart.width, chart.height = 22, 9
    ws.add_chart(chart, f"A{n + 5}")

    rows, late, summary = _compliance(workspace, cases, year, now or datetime.now())
    ws, n = _sheet(book, "Kepatuhan SOP", [
        Column("Kasus", 24), Column("SOP", 18), Column("Langkah", 8, "int"),
        Column("Kegiatan", 50), Column("Waktu Baku", 16),
        Column("Baku (menit kerja)", 11, "int"), Column("Lama (menit kerja)", 11, "int"),
        Column("Tepat Waktu", 11), Column("Selesai", 12, "date"),
        Column("Keterangan", 40)], rows, late=late)
    ws.append([])
    ws.append([WriteOnlyCell(ws, value=v) for v in
               ("SOP", "Langkah dinilai", "Tepat waktu", "Persentase")])
    for key, (judged, on_time) in sorted(summary.items()):
        share = WriteOnlyCell(ws, value=on_time / judged)
        share.number_format = "0%"
        ws.append([keep_text(WriteOnlyCell(ws, value=key)), judged, on_time, share])

    archived = [a for a in register.archived(year) if month is None or a.tanggal.month == month]
    _sheet(book, "Daftar Arsip", [
        Column("No.", 5, "int"), Column("Kode Klasifikasi", 16),
        Column("Uraian Informasi", 60), Column("Kurun Waktu", 12, "int"),
        Column("Tingkat Perkembangan", 14), Column("Jumlah (berkas)", 10, "int"),
        Column("Keterangan", 40)],
        ([i, a.kode, f"{kinds.get(a.kind, a.kind)} Nomor {a.nomor} tentang {a.hal}",
          a.tanggal.year, "Asli", 1,
          f"{len(a.files)} file (PDF, DOCX, rekaman sumber, sidecar SRIKANDI); "
          f"diarsipkan {a.archived_at:%d/%m/%Y}"] for i, a in enumerate(archived, 1)))

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

