"""Column widths of a data table (``kolom`` and ``baris``), shared by the PDF and the DOCX so
that both print the same columns: "No.", a number or a date never breaks, a name gets room."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from ..view import View
from .fonts import BOLD, FONT, register_fonts

#: The font size of a data table's cells, in points.
TABLE_FONT_SIZE = 10
#: The padding of a grid table's cell, left and right together (reportlab's 6 pt each;
#: Word's default cell margins are 0.19 cm each side, about the same).
GRID_PADDING = 12


def column_widths(tabel: View, width: float) -> list[float]:
    """Share ``width`` (points) among the columns: each first gets the printed width of its
    longest word (the header's in bold; at most a quarter of the table, a longer word is
    split), so that "No.", a number or a date never breaks; the rest goes by the length of
    each column's typical text (at most 30 characters), so that a name column gets room."""
    register_fonts()
    floors: list[float] = []
    weights: list[int] = []
    for header, *cells in zip(tabel["kolom"], *tabel["baris"], strict=True):
        words = [stringWidth(w, BOLD, TABLE_FONT_SIZE) for w in str(header).split()]
        words += [stringWidth(w, FONT, TABLE_FONT_SIZE) for cell in cells for w in cell.split()]
        floors.append(min(max(words, default=0.0) + GRID_PADDING + 1, width / 4))
        typical = sorted(len(c) for c in cells)[len(cells) // 2] if cells else len(header)
        weights.append(min(typical, 30))
    if sum(floors) >= width:
        return [width * f / sum(floors) for f in floors]
    spare, total = width - sum(floors), sum(weights) or 1
    return [f + spare * w / total for f, w in zip(floors, weights, strict=True)]
