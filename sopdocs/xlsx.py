"""What every table sopdocs writes to a workbook shares (the recap, the monitoring results):
widths, a frozen header row printed on every page, landscape fitted to the page's width, a
filter over the data rows, and text that never becomes a formula."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter


def table_layout(ws: Any, widths: Sequence[float]) -> None:
    """Column widths; the header row frozen and repeated on every printed page; landscape,
    as wide as the page and as many pages long as it takes."""
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def filter_rows(ws: Any, columns: int, rows: int) -> None:
    """A filter over the header and ``rows`` data rows (none for an empty table)."""
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


def formula_like(value: Any) -> bool:
    """Whether openpyxl would store text ``value`` as other than text: a formula (a text
    starting with ``=``) or an error value such as ``#N/A``."""
    return isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES)


def keep_text(cell: Any) -> Any:
    """``cell``, a string cell when its text looks like a formula or an error value: a hal or
    a website's title such as ``=HYPERLINK(…)`` or ``#REF!`` must stay the text typed."""
    if formula_like(cell.value):
        cell.data_type = "s"
    return cell
