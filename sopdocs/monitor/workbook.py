"""The monitoring workbook (``monitoring-YYYY-MM-DD.xlsx``): a summary sheet with the counts
of each week and a chart of them, the trend of each site week by week, and one sheet per
week with every site's latest berita, artikel and agenda (date, title, link), days since,
status (coloured), method and notes. Text from websites and SITES files is always a string
cell, never a formula."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..xlsx import filter_rows, keep_text, table_layout
from .finders import KATEGORI
from .history import Week
from .status import MUTAKHIR, STATUSES, TIDAK_DAPAT_DIAKSES, TIDAK_MUTAKHIR, Result, counts

HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
STATUS_FILL = {MUTAKHIR: PatternFill("solid", fgColor="C6EFCE"),
               TIDAK_MUTAKHIR: PatternFill("solid", fgColor="FFEB9C"),
               TIDAK_DAPAT_DIAKSES: PatternFill("solid", fgColor="FFC7CE")}
STATUS_COLOUR = {MUTAKHIR: "63BE7B", TIDAK_MUTAKHIR: "FFC000", TIDAK_DAPAT_DIAKSES: "E06666"}
DATE_FORMAT = "DD/MM/YYYY"
JUDUL = {"berita": "Berita", "artikel": "Artikel", "agenda": "Agenda"}


def put(ws: Worksheet, row: int, column: int, value: Any, *, fill: PatternFill | None = None,
        bold: bool = False, number_format: str | None = None) -> Any:
    """Write one cell; a text is always a string cell (``xlsx.keep_text``)."""
    cell = keep_text(ws.cell(row=row, column=column, value=value))
    if fill is not None:
        cell.fill = fill
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    return cell


def _link(ws: Worksheet, row: int, column: int, url: str | None) -> None:
    """An address as text, clickable when it is http(s) (the link's target escaped, so that
    a space or quote in an address a site gives never makes a malformed workbook)."""
    cell = put(ws, row, column, url or "")
    if url and url.startswith(("http://", "https://")):
        cell.hyperlink = quote(url, safe=":/?#[]@!$&'()*+,;=%~")
        cell.style = "Hyperlink"


def _table(ws: Worksheet, headers: Sequence[tuple[str, float]], rows: int) -> None:
    """Header row (bold, grey, wrapped, frozen), widths, filter over ``rows`` data rows,
    landscape print fitted to the width with the header repeated."""
    for i, (title, _) in enumerate(headers, 1):
        cell = put(ws, 1, i, title, fill=HEADER_FILL, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    table_layout(ws, [width for _, width in headers])
    filter_rows(ws, len(headers), rows)


def week_title(week: Week) -> str:
    return f"Minggu {week.run_at:%d-%m-%Y}"


def _week_sheet(book: Workbook, week: Week, streaks: dict[str, int]) -> None:
    ws = book.create_sheet(week_title(week))
    headers: list[tuple[str, float]] = [("No.", 5), ("Perangkat Daerah", 34), ("URL", 30)]
    for kategori in KATEGORI:
        headers += [(f"{JUDUL[kategori]} Terakhir", 12), (f"Judul {JUDUL[kategori]}", 40),
                    (f"Tautan {JUDUL[kategori]}", 30)]
    headers += [("Hari Sejak Terakhir", 10), ("Status", 18), ("Metode", 24), ("Catatan", 50)]
    _table(ws, headers, len(week.results))
    for row, result in enumerate(week.results, 2):
        put(ws, row, 1, row - 1)
        put(ws, row, 2, result.opd)
        _link(ws, row, 3, result.url)
        column = 4
        for kategori in KATEGORI:
            item = result.items.get(kategori)
            put(ws, row, column, item.tanggal if item else None, number_format=DATE_FORMAT)
            put(ws, row, column + 1, (item.judul or "") if item else "")
            _link(ws, row, column + 2, item.tautan if item else None)
            column += 3
        put(ws, row, column, result.hari)
        put(ws, row, column + 1, result.status, fill=STATUS_FILL[result.status])
        put(ws, row, column + 2, "; ".join(result.metode))
        put(ws, row, column + 3, note(result, streaks.get(result.url, 0)))


def note(result: Result, streak: int) -> str:
    """The Catatan column: why a site could not be read, how many weeks in a row it has been
    so, and what failed along the way."""
    parts = [result.alasan] if result.alasan else []
    if streak > 1:
        parts.append(f"{result.status} {streak} minggu berturut-turut")
    parts += result.catatan
    return "; ".join(parts)


def _summary_sheet(book: Workbook, weeks: list[Week]) -> None:
    ws = book.create_sheet("Ringkasan")
    headers = [("Minggu", 14), ("Tanggal Monitoring", 14), ("Jumlah Website", 10),
               ("Mutakhir", 10), ("Tidak Mutakhir", 10), ("Tidak Dapat Diakses", 10),
               ("Persentase Mutakhir", 11)]
    _table(ws, headers, len(weeks))
    for row, week in enumerate(weeks, 2):
        n = counts(week.results)
        total = len(week.results)
        put(ws, row, 1, week.monday, number_format=DATE_FORMAT)
        put(ws, row, 2, week.run_at.date(), number_format=DATE_FORMAT)
        put(ws, row, 3, total)
        for column, status in enumerate(STATUSES, 4):
            put(ws, row, column, n[status])
        put(ws, row, 7, n[MUTAKHIR] / total if total else 0, number_format="0%")
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = "Status website OPD per minggu"
    chart.y_axis.title, chart.x_axis.title = "Jumlah website", "Tanggal monitoring"
    chart.add_data(Reference(ws, min_col=4, max_col=6, min_row=1, max_row=len(weeks) + 1),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=len(weeks) + 1))
    for series, status in zip(chart.series, STATUSES, strict=True):
        series.graphicalProperties.solidFill = STATUS_COLOUR[status]
        series.graphicalProperties.line.solidFill = STATUS_COLOUR[status]
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"A{len(weeks) + 4}")


def _trend_sheet(book: Workbook, weeks: list[Week], streaks: dict[str, int]) -> None:
    """One row per site of the last run, one column per week: its status that week."""
    ws = book.create_sheet("Tren")
    headers = [("Perangkat Daerah", 34), ("URL", 30)]
    headers += [(f"{w.run_at:%d-%m-%Y}", 14) for w in weeks]
    headers += [("Minggu Berturut-turut", 12)]
    sites = weeks[-1].results
    _table(ws, headers, len(sites))
    by_week = [{r.url: r.status for r in w.results} for w in weeks]
    for row, result in enumerate(sites, 2):
        put(ws, row, 1, result.opd)
        _link(ws, row, 2, result.url)
        for column, statuses in enumerate(by_week, 3):
            status = statuses.get(result.url)
            put(ws, row, column, status or "-", fill=STATUS_FILL.get(status or ""))
        put(ws, row, len(weeks) + 3, streaks.get(result.url) or None)


def build_workbook(weeks: list[Week], streaks: dict[str, int], made_at: datetime) -> bytes:
    """Return the XLSX of ``weeks`` (oldest first, the present run last): Ringkasan, Tren,
    then a sheet per week, newest first."""
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    _summary_sheet(book, weeks)
    _trend_sheet(book, weeks, streaks)
    for week in reversed(weeks):
        _week_sheet(book, week, streaks if week is weeks[-1] else {})
    book.properties.creator = "sopdocs"
    book.properties.created = book.properties.modified = made_at
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def file_stem(day: date) -> str:
    return f"monitoring-{day.isoformat()}"
