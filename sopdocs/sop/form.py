"""The SOP form as a landscape PDF (PermenPANRB 35/2012): the identity page (logo and office,
Nomor SOP, dates, pengesahan, Nama SOP, then Dasar Hukum … Pencatatan dan Pendataan), then the
flowchart pages: No | Kegiatan | one Pelaksana column per role | Mutu Baku (Kelengkapan, Waktu,
Output) | Keterangan, each step drawn in its actor's column with the five standard symbols.

What the form says comes from ``form_content`` (shared with the DOCX); this module only lays
it out and draws it. The flowchart is drawn with canvas shapes: capsule (``roundRect``) for
the first and last step, rectangle (``rect``) for a process, diamond (a closed path) for a
decision, orthogonal connector lines (one open path per connection) with a filled arrowhead,
and the off-page connector (a pentagon pointing down, lettered A, B …) at the foot of a page
and the head of the next where the flow crosses a page.

Routing: between consecutive steps a line leaves the symbol at its foot (same column) or at
the side facing the next actor, runs across to that column and enters the next symbol from
the top. A decision's two exits carry "Ya" and "Tidak"; an exit to a step that is not the
next one runs in a *lane* (a band kept free of symbols along each side of every actor
column) up or down to just above the target, then across and down into it, so that it never
crosses a symbol; a jump to another page goes through a pair of lettered pentagons (in the
head strip of the later page, the foot strip of the earlier). An exit to ``selesai`` ends in
its own small "Selesai" capsule in the neighbouring column of the same row (when both
neighbours are taken, it runs to the last step's capsule instead). Rows break only between
steps; every flowchart page repeats the column header and says "Halaman x dari y".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    LayoutError,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..errors import RenderError
from ..office import PAPER, Workspace
from ..render.fonts import BOLD, FONT, register_fonts
from ..render.pdf import paragraph_style, text
from . import form_content as C
from .model import SOP

MARGIN = {"left": 12 * mm, "right": 12 * mm, "top": 10 * mm, "bottom": 12 * mm}
#: Text of the flowchart cells; a cell whose longest word does not fit shrinks to MIN_SIZE.
SIZE, MIN_SIZE = 7.0, 5.0
PAD = 1.4 * mm
#: Free band at each side of an actor column: lines run there past the symbols.
LANE = 2.6 * mm
#: Free space above and below a symbol in its row (entries, loops, Ya/Tidak labels).
VMARGIN = 4.2 * mm
#: Height of the band at the foot / head of a page holding off-page connectors.
STRIP = 10 * mm
TITLE = 8 * mm
NUMBER_ROW = 3.6 * mm
GRID, LINE, OUTLINE = 0.5, 0.6, 0.8
ARROW_LENGTH, ARROW_WIDTH = 1.7 * mm, 1.3 * mm
PENTAGON_W, PENTAGON_BOX, PENTAGON_POINT = 5.4 * mm, 3.0 * mm, 2.4 * mm
HEADER_FILL = "#e8e8e8"

IDENT = paragraph_style("sop_ident", 9)
IDENT_BOLD = paragraph_style("sop_ident_bold", 9, bold=True)
IDENT_ITEM = paragraph_style("sop_ident_item", 9, leftIndent=5 * mm, bulletIndent=0,
                             bulletFontName=FONT, bulletFontSize=9)
OFFICE = paragraph_style("sop_office", 11, TA_CENTER, bold=True, leading=13.5)
GOVERNMENT = paragraph_style("sop_government", 10, TA_CENTER, leading=12.5)
UNIT = paragraph_style("sop_unit", 9.5, TA_CENTER, bold=True)
SIGNING_SPACE = 18 * mm
LOGO = 24 * mm


# --- text -------------------------------------------------------------------------------


def _pieces(word: str) -> list[str]:
    """Where a word may break when it is wider than its cell: after a slash only
    (``Analisa/`` ``kesimpulan``, ``https://`` ``ppid.sumbarprov.go.id``)."""
    return re.findall(r"[^/]*/+|[^/]+", word) or [word]


def fit(value: str, font: str, size: float, width: float) -> tuple[list[str], float]:
    """Wrap ``value`` into lines no wider than ``width`` at word boundaries, and return them
    with the font size used. A word wider than the cell breaks after a slash; a piece that
    still does not fit makes the whole cell smaller (down to ``MIN_SIZE``); only a piece too
    wide even then is cut, as the last resort."""
    words = value.split()
    if not words:
        return [], size

    def too_wide(s: float) -> bool:
        return any(stringWidth(piece, font, s) > width
                   for w in words if stringWidth(w, font, s) > width for piece in _pieces(w))

    while size > MIN_SIZE and too_wide(size):
        size = max(MIN_SIZE, size - 0.25)
    tokens: list[tuple[str, bool]] = []  # (text, a space before it)
    for w in words:
        if stringWidth(w, font, size) <= width:
            tokens.append((w, True))
        else:
            tokens += [(piece, i == 0) for i, piece in enumerate(_pieces(w))]
    lines: list[str] = []
    current = ""
    for token, spaced in tokens:
        candidate = current + (" " if spaced and current else "") + token
        if not current or stringWidth(candidate, font, size) <= width:
            current = candidate
        else:
            lines.append(current)
            current = token
        while stringWidth(current, font, size) > width and len(current) > 1:  # last resort
            cut = len(current)
            while cut > 1 and stringWidth(current[:cut], font, size) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines, size


@dataclass(frozen=True)
class Cell:
    """Wrapped text of one cell."""

    lines: tuple[str, ...]
    font: str
    size: float

    @classmethod
    def of(cls, value: str, width: float, bold: bool = False, size: float = SIZE) -> Cell:
        font = BOLD if bold else FONT
        lines, used = fit(value, font, size, width - 2 * PAD)
        return cls(tuple(lines), font, used)

    @property
    def leading(self) -> float:
        return self.size * 1.2

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading + 2 * PAD

    def draw(self, c: Canvas, x0: float, x1: float, top: float, bottom: float,
             align: str = "left") -> None:
        """Draw the lines centred vertically between ``top`` and ``bottom``."""
        block = len(self.lines) * self.leading
        y = (top + bottom) / 2 + block / 2 - self.size
        c.setFont(self.font, self.size)
        for line in self.lines:
            if align == "center":
                c.drawCentredString((x0 + x1) / 2, y, line)
            else:
                c.drawString(x0 + PAD, y, line)
            y -= self.leading


# --- layout of the flowchart ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    x0: float
    x1: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Shape:
    """A symbol placed on a page."""

    kind: str
    cx: float
    cy: float
    w: float
    h: float
    page: int
    col: int
    step: int
    label: str = ""

    @property
    def top(self) -> float:
        return self.cy + self.h / 2

    @property
    def bottom(self) -> float:
        return self.cy - self.h / 2

    @property
    def left(self) -> float:
        return self.cx - self.w / 2

    @property
    def right(self) -> float:
        return self.cx + self.w / 2

    def port(self, side: str) -> tuple[float, float]:
        return {"top": (self.cx, self.top), "bottom": (self.cx, self.bottom),
                "left": (self.left, self.cy), "right": (self.right, self.cy)}[side]


@dataclass
class Pentagon:
    """An off-page connector: a pentagon pointing down, its letter inside."""

    cx: float
    top: float
    letter: str

    @property
    def bottom(self) -> float:
        return self.top - PENTAGON_BOX - PENTAGON_POINT


@dataclass
class Path_:
    """A connector: an open orthogonal polyline with an arrowhead at its end (none on the
    line that joins the actors of one step), and the label (Ya / Tidak) of a decision's exit
    at its start."""

    points: list[tuple[float, float]]
    label: str | None = None
    side: str = ""
    arrow: bool = True


@dataclass
class Page:
    """One flowchart page: its rows (step numbers with top and bottom), strips, and what is
    drawn on it."""

    rows: list[int]
    top_strip: bool
    bottom_strip: bool
    y: dict[int, tuple[float, float]] = field(default_factory=dict)
    shapes: list[Shape] = field(default_factory=list)
    paths: list[Path_] = field(default_factory=list)
    pentagons: list[Pentagon] = field(default_factory=list)
    table_top: float = 0.0
    body_top: float = 0.0
    table_bottom: float = 0.0


def symbol_size(kind: str, col_width: float) -> tuple[float, float]:
    room = col_width - 2 * LANE
    if kind == C.DECISION:
        return min(9.5 * mm, room), 8 * mm
    if kind == C.TERMINATOR:
        return min(14 * mm, room), 6 * mm
    return min(14 * mm, room), 6.5 * mm


class Flowchart:
    """The flowchart of an SOP laid out on pages of a given frame (width × height)."""

    def __init__(self, sop: SOP, width: float, height: float):
        self.sop = sop
        self.width, self.height = width, height
        self.roles, self.rows = C.rows(sop)
        x = 0.0
        widths = [w * mm for w in C.column_widths(width / mm, len(self.roles))]
        self.columns = []
        for w in widths:
            self.columns.append(Column(x, x + w))
            x += w
        self.actor = self.columns[2:2 + len(self.roles)]
        self.text_columns = [self.columns[0], self.columns[1], *self.columns[-4:]]
        self.header = self._header()
        self.cells = [self._cells(b) for b in self.rows]
        self.heights = [self._row_height(b, cells) for b, cells in
                        zip(self.rows, self.cells, strict=True)]
        self.letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        self.lanes: dict[tuple[int, int, str], int] = {}
        self.pages = self._paginate()
        self._place()
        self._route()

    # header: No | Kegiatan | Pelaksana (roles) | Mutu Baku (3) | Keterangan, column numbers
    def _header(self) -> dict[str, Any]:
        cols = self.columns
        n = len(self.roles)
        group = {C.NO: Cell.of(C.NO, cols[0].width, True),
                 C.KEGIATAN: Cell.of(C.KEGIATAN, cols[1].width, True),
                 C.PELAKSANA: Cell.of(C.PELAKSANA, cols[2 + n - 1].x1 - cols[2].x0, True),
                 C.MUTU_BAKU: Cell.of(C.MUTU_BAKU, cols[-2].x1 - cols[-4].x0, True),
                 C.KETERANGAN: Cell.of(C.KETERANGAN, cols[-1].width, True)}
        names = [Cell.of(r, c.width, True) for r, c in zip(self.roles, self.actor, strict=True)]
        names += [Cell.of(m, c.width, True) for m, c in zip(C.MUTU, cols[-4:-1], strict=True)]
        first = max(group[C.PELAKSANA].height, group[C.MUTU_BAKU].height)
        second = max(c.height for c in names)
        spanning = max(group[t].height for t in (C.NO, C.KEGIATAN, C.KETERANGAN))
        first = max(first, spanning - second)  # No, Kegiatan, Keterangan span both rows
        return {"group": group, "names": names, "first": first, "second": second,
                "height": first + second + NUMBER_ROW}

    def _cells(self, b: C.Baris) -> list[Cell]:
        cols = self.text_columns
        values = [str(b.no), b.langkah.kegiatan, *b.mutu, b.keterangan]
        return [Cell.of(v, c.width) for v, c in zip(values, cols, strict=True)]

    def _row_height(self, b: C.Baris, cells: list[Cell]) -> float:
        tallest = max(symbol_size(s.jenis, self.actor[s.kolom].width)[1] for s in b.simbol)
        return max(max(c.height for c in cells), tallest + 2 * VMARGIN)

    def _paginate(self) -> list[Page]:
        """Rows break only between steps; every page but the first has a strip at its head
        and every page but the last one at its foot, for the off-page connectors."""
        pages: list[Page] = []
        i, n = 0, len(self.rows)
        while i < n:
            first = not pages
            room = self.height - TITLE - self.header["height"] - (0 if first else STRIP)
            rest = sum(self.heights[i:])
            if rest <= room + 1e-6:
                pages.append(Page([b.no for b in self.rows[i:]], not first, False))
                break
            room -= STRIP
            j = i
            while j < n and sum(self.heights[i:j + 1]) <= room + 1e-6:
                j += 1
            if j == i:
                step = self.rows[i]
                raise RenderError(
                    f"SOP {self.sop.kunci}: step {step.no} is taller than a page of the SOP "
                    f"form; shorten its texts (kegiatan, keterangan, kelengkapan, output)")
            pages.append(Page([b.no for b in self.rows[i:j]], not first, True))
            i = j
        return pages

    def row(self, no: int) -> C.Baris:
        return self.rows[no - 1]

    def _place(self) -> None:
        """Give every page its rows' y and every step its symbols."""
        self.shapes: dict[int, list[Shape]] = {}
        for k, page in enumerate(self.pages):
            y = self.height - TITLE
            page.table_top = y
            y -= self.header["height"]
            page.body_top = y
            if page.top_strip:
                y -= STRIP
            for no in page.rows:
                h = self.heights[no - 1]
                page.y[no] = (y, y - h)
                b = self.row(no)
                placed = []
                for i, s in enumerate(b.simbol):
                    col = self.actor[s.kolom]
                    w, hh = symbol_size(s.jenis, col.width)
                    shape = Shape(s.jenis, col.center, y - h / 2, w, hh, k, s.kolom, no,
                                  C.symbol_label(self.sop, b, i))
                    placed.append(shape)
                    page.shapes.append(shape)
                self.shapes[no] = placed
                y -= h
            if page.bottom_strip:
                y -= STRIP
            page.table_bottom = y

    # --- routing ------------------------------------------------------------------------

    def lane(self, page: int, col: int, side: str) -> float:
        """The x of a free lane along the ``side`` of actor column ``col``; each new user of
        the same lane on a page runs a little further in."""
        key = (page, col, side)
        used = self.lanes.get(key, 0)
        self.lanes[key] = used + 1
        c = self.actor[col]
        offset = LANE / 2 + used * 0.8 * mm
        return c.x0 + offset if side == "left" else c.x1 - offset

    def entry_y(self, target: Shape) -> float:
        """The height at which a line turns down into ``target``'s top."""
        top = self.pages[target.page].y[target.step][0]
        return target.top + min(2.2 * mm, (top - target.top) / 2)

    def pentagon(self, page: int, strip: str, col: int, letter: str | None = None) -> Pentagon:
        """A new off-page connector in the foot (``bottom``) or head (``top``) strip of
        ``page``, in actor column ``col`` (moved sideways when its place is taken), with the
        next letter unless it is the other end of a pair (``letter``)."""
        p = self.pages[page]
        top = p.table_bottom + STRIP - 3.2 * mm if strip == "bottom" else p.body_top - 1.4 * mm
        c = self.actor[col]
        taken = [q.cx for q in p.pentagons if abs(q.top - top) < 1]
        step = PENTAGON_W + 1.2 * mm
        for k in range(12):
            cx = c.center + (k + 1) // 2 * step * (1 if k % 2 else -1)
            if all(abs(cx - t) >= step - 0.1 for t in taken):
                break
        pentagon = Pentagon(cx, top, letter or next(self.letters, "?"))
        p.pentagons.append(pentagon)
        return pentagon

    def _route(self) -> None:
        n = len(self.rows)
        for b in self.rows:
            shapes = self.shapes[b.no]
            # several actors do the step together: their symbols are joined left to right
            for a, z in pairwise(sorted(shapes, key=lambda shape: shape.cx)):
                self.pages[a.page].paths.append(Path_([a.port("right"), z.port("left")],
                                                      arrow=False))
            exit_ = shapes[-1]
            k = b.langkah.keputusan
            if k is not None:
                self._decision(exit_, k.ya.lanjut, k.tidak.lanjut)
            elif b.no < n:
                self._connect(exit_, self._natural(exit_, b.no + 1), b.no + 1)

    def _natural(self, s: Shape, target: int) -> str:
        """The side a line to step ``target`` leaves ``s`` by."""
        t = self.shapes[target][0]
        if target == s.step + 1 and (t.page != s.page or t.col == s.col):
            return "bottom"
        if t.col != s.col:
            return "left" if t.col < s.col else "right"
        return "left" if target <= s.step else "right"

    def _free_beside(self, s: Shape, side: str) -> bool:
        col = s.col + (1 if side == "right" else -1)
        return 0 <= col < len(self.actor) and all(
            o.col != col for o in self.pages[s.page].shapes
            if abs(o.cy - s.cy) < 1 and o.step == s.step)

    def _decision(self, s: Shape, ya: int | str, tidak: int | str) -> None:
        """The two exits of a decision: each on its own side of the diamond."""
        sides: dict[str, str] = {}
        ends: dict[str, int | str] = {"Ya": ya, "Tidak": tidak}
        last = len(self.rows)
        for word, target in ends.items():
            if target != "selesai":
                sides[word] = self._natural(s, int(target))
        for word, target in ends.items():
            other = sides.get("Tidak" if word == "Ya" else "Ya")
            if target == "selesai":
                free = [d for d in ("right", "left") if d != other and self._free_beside(s, d)]
                if free:
                    sides[word] = free[0]
                    continue
                ends[word] = target = last  # no room beside: to the final terminator
                sides[word] = self._natural(s, last)
            if sides[word] == other and word == "Tidak":
                t = self.shapes[int(target)][0]
                options = [d for d in ("left", "right") if d != other]
                toward = "left" if t.col < s.col else "right"
                sides[word] = toward if toward in options else options[0]
        for word, target in ends.items():
            if target == "selesai":
                self._end(s, sides[word], word)
            else:
                self._connect(s, sides[word], int(target), word)

    def _end(self, s: Shape, side: str, word: str) -> None:
        """A "selesai" exit: a small capsule in the next column of the same row."""
        page = self.pages[s.page]
        col = s.col + (1 if side == "right" else -1)
        c = self.actor[col]
        w = min(12 * mm, c.width - 2 * LANE)
        end = Shape(C.TERMINATOR, c.center, s.cy, w, 5.5 * mm, s.page, col, s.step, "Selesai")
        page.shapes.append(end)
        opposite = "left" if side == "right" else "right"
        page.paths.append(Path_([s.port(side), end.port(opposite)], word, side))

    def _connect(self, s: Shape, side: str, target: int, word: str | None = None) -> None:
        t = self.shapes[target][0]
        page = self.pages[s.page]
        if t.page == s.page:
            page.paths.append(Path_(self._same_page(s, side, t), word, side))
            return
        forward = t.page > s.page
        # out of this page
        if side == "bottom" and forward:  # s is the last row here: straight down
            out = self.pentagon(s.page, "bottom", s.col)
            points = [s.port("bottom"), (out.cx, out.top)] if out.cx == s.cx else \
                [s.port("bottom"), (s.cx, out.top + 1.6 * mm), (out.cx, out.top + 1.6 * mm),
                 (out.cx, out.top)]
        else:
            lane_side = side if side != "bottom" else "left"
            out = self.pentagon(s.page, "bottom" if forward else "top", s.col)
            lane = self.lane(s.page, s.col, lane_side)
            start = s.port(side)
            level = out.top + 1.6 * mm if forward else out.bottom - 1.6 * mm
            points = [start, (lane, start[1]), (lane, level), (out.cx, level),
                      (out.cx, out.top if forward else out.bottom)]
        page.paths.append(Path_(points, word, side))
        # into the target's page
        into = self.pages[t.page]
        first = into.rows[0] == t.step and forward
        inp = self.pentagon(t.page, "top" if forward else "bottom", t.col, out.letter)
        if first and abs(inp.cx - t.cx) < 0.01:
            points = [(inp.cx, inp.bottom), t.port("top")]
        else:
            lane = self.lane(t.page, t.col, "left")
            y = self.entry_y(t)
            level = inp.bottom - 1.6 * mm if forward else inp.top + 1.6 * mm
            start = (inp.cx, inp.bottom if forward else inp.top)
            points = [start, (inp.cx, level), (lane, level), (lane, y), (t.cx, y), t.port("top")]
        into.paths.append(Path_(points))

    def _same_page(self, s: Shape, side: str, t: Shape) -> list[tuple[float, float]]:
        start = s.port(side)
        consecutive = t.step == s.step + 1
        if side == "bottom":
            if t.col == s.col and consecutive:
                return [start, t.port("top")]
            y = self.entry_y(t)
            return [start, (s.cx, y), (t.cx, y), t.port("top")]
        toward = (t.cx < s.cx) if side == "left" else (t.cx > s.cx)
        if consecutive and toward and not self._blocked(s, start[0], t.cx):
            return [start, (t.cx, s.cy), t.port("top")]
        lane = self.lane(s.page, s.col, side)
        y = self.entry_y(t)
        return [start, (lane, s.cy), (lane, y), (t.cx, y), t.port("top")]

    def _blocked(self, s: Shape, x0: float, x1: float) -> bool:
        low, high = min(x0, x1), max(x0, x1)
        return any(o is not s and o.page == s.page and abs(o.cy - s.cy) < 1
                   and o.right > low + 0.1 and o.left < high - 0.1
                   for o in self.pages[s.page].shapes)

    # --- drawing ------------------------------------------------------------------------

    def draw(self, c: Canvas, k: int) -> None:
        page = self.pages[k]
        c.saveState()
        title = f"SOP {self.sop.nama}"
        size = 10.0
        while size > MIN_SIZE and stringWidth(title, BOLD, size) > self.width:
            size -= 0.25
        c.setFont(BOLD, size)
        c.drawCentredString(self.width / 2, self.height - TITLE + 2.6 * mm, title)
        self._draw_header(c, page)
        self._draw_body(c, page)
        for shape in page.shapes:
            self._draw_shape(c, shape)
        for pentagon in page.pentagons:
            self._draw_pentagon(c, pentagon)
        for path in page.paths:
            self._draw_path(c, path)
        c.restoreState()

    def _draw_header(self, c: Canvas, page: Page) -> None:
        h = self.header
        top = page.table_top
        mid = top - h["first"]
        low = mid - h["second"]
        bottom = low - NUMBER_ROW
        cols = self.columns
        n = len(self.roles)
        c.setFillColor(HEADER_FILL)
        c.rect(0, low, self.width, top - low, stroke=0, fill=1)
        c.setFillColor("black")
        c.setLineWidth(GRID)
        group = h["group"]
        group[C.NO].draw(c, cols[0].x0, cols[0].x1, top, low, "center")
        group[C.KEGIATAN].draw(c, cols[1].x0, cols[1].x1, top, low, "center")
        group[C.PELAKSANA].draw(c, cols[2].x0, cols[1 + n].x1, top, mid, "center")
        group[C.MUTU_BAKU].draw(c, cols[-4].x0, cols[-2].x1, top, mid, "center")
        group[C.KETERANGAN].draw(c, cols[-1].x0, cols[-1].x1, top, low, "center")
        for cell, col in zip(h["names"], [*self.actor, *cols[-4:-1]], strict=True):
            cell.draw(c, col.x0, col.x1, mid, low, "center")
        c.setFont(FONT, 5.5)
        for i, col in enumerate(cols, 1):
            c.drawCentredString(col.center, bottom + 1.1 * mm, str(i))
        c.line(0, top, self.width, top)
        c.line(cols[2].x0, mid, cols[1 + n].x1, mid)
        c.line(cols[-4].x0, mid, cols[-2].x1, mid)
        c.line(0, low, self.width, low)
        c.line(0, bottom, self.width, bottom)
        c.line(0, top, 0, bottom)
        between_groups = {0, 1, 1 + n, len(cols) - 2, len(cols) - 1}
        for i, col in enumerate(cols):
            c.line(col.x1, top if i in between_groups else mid, col.x1, bottom)

    def _draw_body(self, c: Canvas, page: Page) -> None:
        c.setLineWidth(GRID)
        top, bottom = page.body_top, page.table_bottom
        for col in self.columns:
            c.line(col.x1, top, col.x1, bottom)
        c.line(0, top, 0, bottom)
        c.line(0, bottom, self.width, bottom)
        if page.top_strip:
            c.line(0, top - STRIP, self.width, top - STRIP)
        for no in page.rows:
            y0, y1 = page.y[no]
            c.line(0, y1, self.width, y1)
            cells = self.cells[no - 1]
            for i, (cell, col) in enumerate(zip(cells, self.text_columns, strict=True)):
                cell.draw(c, col.x0, col.x1, y0, y1, "center" if i in (0, 3) else "left")

    def _draw_shape(self, c: Canvas, s: Shape) -> None:
        c.setLineWidth(OUTLINE)
        c.setStrokeColor("black")
        if s.kind == C.TERMINATOR:
            c.roundRect(s.left, s.bottom, s.w, s.h, s.h / 2, stroke=1, fill=0)
        elif s.kind == C.DECISION:
            p = c.beginPath()
            p.moveTo(s.cx, s.top)
            p.lineTo(s.right, s.cy)
            p.lineTo(s.cx, s.bottom)
            p.lineTo(s.left, s.cy)
            p.close()
            c.drawPath(p, stroke=1, fill=0)
        else:
            c.rect(s.left, s.bottom, s.w, s.h, stroke=1, fill=0)
        if s.label:
            lines, size = fit(s.label, FONT, 6, s.w - 2 * mm)
            c.setFont(FONT, size)
            c.drawCentredString(s.cx, s.cy - size * 0.35, lines[0])

    def _draw_pentagon(self, c: Canvas, q: Pentagon) -> None:
        half = PENTAGON_W / 2
        c.setLineWidth(OUTLINE)
        p = c.beginPath()
        p.moveTo(q.cx - half, q.top)
        p.lineTo(q.cx + half, q.top)
        p.lineTo(q.cx + half, q.top - PENTAGON_BOX)
        p.lineTo(q.cx, q.bottom)
        p.lineTo(q.cx - half, q.top - PENTAGON_BOX)
        p.close()
        c.drawPath(p, stroke=1, fill=0)
        c.setFont(BOLD, 6.5)
        c.drawCentredString(q.cx, q.top - PENTAGON_BOX + 0.2 * mm, q.letter)

    def _draw_path(self, c: Canvas, path: Path_) -> None:
        points = [pt for i, pt in enumerate(path.points)
                  if i == 0 or abs(pt[0] - path.points[i - 1][0]) + abs(pt[1] -
                                                                          path.points[i - 1][1])
                  > 0.01]
        c.setLineWidth(LINE)
        p = c.beginPath()
        p.moveTo(*points[0])
        for pt in points[1:]:
            p.lineTo(*pt)
        c.drawPath(p, stroke=1, fill=0)
        if not path.arrow:
            return
        (x0, y0), (x1, y1) = points[-2], points[-1]
        dx, dy = x1 - x0, y1 - y0
        length = (dx * dx + dy * dy) ** 0.5 or 1.0
        ux, uy = dx / length, dy / length
        bx, by = x1 - ux * ARROW_LENGTH, y1 - uy * ARROW_LENGTH
        head = c.beginPath()
        head.moveTo(x1, y1)
        head.lineTo(bx - uy * ARROW_WIDTH / 2, by + ux * ARROW_WIDTH / 2)
        head.lineTo(bx + uy * ARROW_WIDTH / 2, by - ux * ARROW_WIDTH / 2)
        head.close()
        c.setFillColor("black")
        c.drawPath(head, stroke=0, fill=1)
        if path.label:
            self._draw_label(c, path.label, path.side, points)

    def _draw_label(self, c: Canvas, label: str, side: str,
                    points: list[tuple[float, float]]) -> None:
        """Ya / Tidak beside the first leg of a decision's exit: above a side exit (below it
        when the line turns up at once, as a loop back does), right of a foot exit."""
        c.setFont(FONT, 5.5)
        x, y = points[0]
        up = len(points) > 2 and points[2][1] > points[1][1] + 0.01
        dy = -2.6 * mm if up else 0.8 * mm
        if side == "left":
            c.drawRightString(x - 0.8 * mm, y + dy, label)
        elif side == "right":
            c.drawString(x + 0.8 * mm, y + dy, label)
        else:
            c.drawString(x + 1.0 * mm, y - 2.6 * mm, label)


class FlowchartPage(Flowable):
    """One flowchart page, filling the frame."""

    def __init__(self, chart: Flowchart, index: int):
        super().__init__()
        self.chart, self.index = chart, index

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.chart.width, min(self.chart.height, avail_height)

    def draw(self) -> None:
        self.chart.draw(self.canv, self.index)


# --- the identity page ----------------------------------------------------------------------


def _para(value: str, style: Any = IDENT) -> Paragraph:
    return Paragraph(text(value), style)


def _items(values: list[str]) -> list[Paragraph]:
    if not values:
        return [_para("-")]
    if len(values) == 1:
        return [_para(values[0])]
    return [Paragraph(text(v), IDENT_ITEM, bulletText=f"{i}.") for i, v in enumerate(values, 1)]


def identity(sop: SOP, workspace: Workspace, width: float) -> list[Flowable]:
    """The identity table: logo and office at left; Nomor SOP, the dates, Disahkan oleh and
    Nama SOP at right; then the six blocks in two columns."""
    office = workspace.office
    signer = C.pengesah(sop, workspace)
    left_w, label_w = width * 0.44, width * 0.2
    value_w = width - left_w - label_w
    logo = Image(str(workspace.logo_path), LOGO, LOGO, kind="proportional")
    office_cell: list[Flowable] = [logo, Spacer(1, 3 * mm),
                                   _para(office.kop.pemerintah, GOVERNMENT),
                                   _para(office.kop.instansi, OFFICE)]
    if sop.bidang:
        office_cell += [Spacer(1, 4 * mm), _para(sop.bidang, UNIT)]
    sign: list[Flowable] = [_para(f"{signer.jabatan},"), Spacer(1, SIGNING_SPACE),
                            Paragraph(f"<b><u>{text(signer.nama)}</u></b>", IDENT)]
    if signer.nip:
        sign.append(_para(signer.nip))
    data: list[list[Any]] = []
    for i, (label, value) in enumerate(C.identity_rows(sop)):
        data.append([office_cell if i == 0 else "", _para(label, IDENT_BOLD), _para(value)])
    data.append(["", _para(C.DISAHKAN, IDENT_BOLD), sign])
    data.append(["", _para(C.NAMA, IDENT_BOLD), _para(sop.nama, IDENT_BOLD)])
    top_rows = len(data)
    blocks = C.identity_blocks(sop)
    for (left, left_items), (right, right_items) in zip(blocks[::2], blocks[1::2],
                                                          strict=True):
        data.append([_para(left.upper() + ":", IDENT_BOLD), _para(right.upper() + ":",
                                                                 IDENT_BOLD), ""])
        data.append([_items(left_items), _items(right_items), ""])
    table = Table(data, colWidths=[left_w, label_w, value_w])
    style = [("GRID", (0, 0), (-1, -1), 0.6, "black"),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("VALIGN", (0, 0), (0, top_rows - 1), "MIDDLE"),
             ("ALIGN", (0, 0), (0, top_rows - 1), "CENTER"),
             ("SPAN", (0, 0), (0, top_rows - 1)),
             ("LEFTPADDING", (0, 0), (-1, -1), 4),
             ("RIGHTPADDING", (0, 0), (-1, -1), 4),
             ("TOPPADDING", (0, 0), (-1, -1), 3),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    for r in range(top_rows, len(data)):
        style.append(("SPAN", (1, r), (2, r)))
    for r in range(top_rows, len(data), 2):
        style += [("BACKGROUND", (0, r), (-1, r), HEADER_FILL),
                  ("LINEBELOW", (0, r), (-1, r), 0.3, "black")]
    table.setStyle(TableStyle(style))
    return [table]


# --- the document ---------------------------------------------------------------------------


def _page_number(total: int | None) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width = doc.pagesize[0]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(width / 2, 6 * mm,
                                 f"Halaman {doc.page} dari {total or doc.page}")
        canvas.restoreState()

    return draw


def _build(sop: SOP, workspace: Workspace, total: int | None) -> tuple[bytes, int]:
    register_fonts()
    paper = workspace.office.kertas
    short, long = (x * mm for x in PAPER[paper])
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=(long, short), invariant=1,
                          leftMargin=MARGIN["left"], rightMargin=MARGIN["right"],
                          topMargin=MARGIN["top"], bottomMargin=MARGIN["bottom"],
                          title=f"SOP {sop.nama}", author=workspace.office.kop.instansi,
                          subject=sop.nomor or sop.nama, creator="sopdocs", producer="sopdocs")
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_page_number(total))])
    chart = Flowchart(sop, doc.width, doc.height)
    story: list[Flowable] = identity(sop, workspace, doc.width)
    for k in range(len(chart.pages)):
        story += [PageBreak(), FlowchartPage(chart, k)]
    try:
        doc.build(story)
    except LayoutError:
        raise RenderError(f"SOP {sop.kunci}: a block of the identity table is taller than a "
                          f"page of the SOP form; shorten the longest list (dasar hukum, "
                          f"kualifikasi pelaksana, peralatan …)") from None
    return buffer.getvalue(), doc.page


def render_sop_form(sop: SOP, workspace: Workspace) -> bytes:
    """Return the SOP form of ``sop`` as a landscape PDF on the office's paper (F4/A4), with
    the office's kop, logo and the official who ratifies it (``form_content.pengesah``).

    Raises OfficeError when the profile lacks that official, RenderError when a step or a
    block cannot be laid out on a page."""
    _, pages = _build(sop, workspace, None)
    data, _ = _build(sop, workspace, pages)
    return data

