"""Render a view into PDF bytes with reportlab, in the same layout as the DOCX templates.

Liberation Sans (metric-compatible with Arial, shipped in the package) is embedded, so a PDF
looks the same on every machine. ``invariant`` fixes dates and ids: same input, same bytes.

Texts of any length are laid out: a word longer than its column is split (reportlab's
``splitLongWords``, on in every style), and when a table row is taller than a page (a hal of
5,000 characters in the label block) the document is laid out once more with rows allowed to
split across pages. Only what cannot split at all (a kop taller than a page) ends in a
RenderError naming the kind and the longest text to shorten.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from html import escape
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT  # noqa: F401 (kinds)
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..errors import RenderError
from ..office import PAPER
from ..records import texts_of
from ..seal import Seal
from ..view import View
from .fonts import FONT, register_fonts
from .kop import Kop
from .seal import draw_seal
from .ttd import FOOTER_Y, SignatureBox, draw_footer, restart, tte_footer
from .ttd import space as ttd_space
from .widths import column_widths

MARGIN = {"top": 20 * mm, "bottom": 25 * mm, "left": 30 * mm, "right": 20 * mm}
LABEL_WIDTH, COLON_WIDTH = 30 * mm, 5 * mm
SIGNATURE_SPACE = 20 * mm

#: Set while a document that did not fit is laid out again: table rows may split.
_SPLIT_ROWS: ContextVar[bool] = ContextVar("split_rows", default=False)


def _table(rows: list[list[Any]], widths: list[float], **kw: Any) -> Table:
    """A reportlab table; rows split across pages when the document is laid out again."""
    if _SPLIT_ROWS.get():
        kw.setdefault("splitInRow", 1)
    return Table(rows, colWidths=widths, **kw)


def paragraph_style(name: str, size: float = 12, align: int = TA_LEFT, bold: bool = False,
                    **kw: Any) -> ParagraphStyle:
    """A paragraph style in the embedded font; leading 1.18 × size unless given."""
    kw.setdefault("leading", size * 1.18)
    return ParagraphStyle(name, fontName=f"{FONT}-Bold" if bold else FONT, fontSize=size,
                          alignment=align, **kw)


class Styles:
    """The paragraph styles every layout shares (``small*`` for tables and paraf boxes)."""

    text = paragraph_style("text")
    center = paragraph_style("center", align=TA_CENTER)
    justify = paragraph_style("justify", align=TA_JUSTIFY, spaceAfter=6, leading=16)
    small = paragraph_style("small", 10)
    small_bold = paragraph_style("small_bold", 10, bold=True)
    title = paragraph_style("title", 14, TA_CENTER, bold=True)
    bold = paragraph_style("bold", bold=True)
    bold_center = paragraph_style("bold_center", align=TA_CENTER, bold=True)
    body = paragraph_style("body", align=TA_JUSTIFY, firstLineIndent=12.5 * mm, spaceAfter=6,
                  leading=16)
    item = paragraph_style("item", leftIndent=6 * mm, bulletIndent=0, bulletFontName=FONT,
                  bulletFontSize=12)
    point = paragraph_style("point", align=TA_JUSTIFY, leftIndent=6 * mm, bulletIndent=0,
                   bulletFontName=FONT, bulletFontSize=12, spaceAfter=4, leading=16)


def text(value: str) -> str:
    """Escape a value for reportlab's paragraph markup (``&``, ``<`` and ``>`` stay literal;
    ``html`` rather than ``xml.sax.saxutils``, which imports urllib, http and ssl)."""
    return escape(value, quote=False)


def p(value: str, style: ParagraphStyle = Styles.text) -> Paragraph:
    return Paragraph(text(value), style)


def indented(style: ParagraphStyle, left: float) -> ParagraphStyle:
    """``style`` moved right by ``left`` (laporan sections); cached by reportlab's name."""
    return ParagraphStyle(f"{style.name}+{left:.0f}", parent=style, leftIndent=left,
                          firstLineIndent=0)


class Rule(Flowable):
    """A horizontal rule: ``double`` is the kop's closing line (thick over thin)."""

    def __init__(self, double: bool = False):
        super().__init__()
        self.double = double

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, (5 if self.double else 3) + 4

    def draw(self) -> None:
        c = self.canv
        if self.double:
            c.setLineWidth(2.2)
            c.line(0, 8, self.width, 8)
            c.setLineWidth(0.7)
            c.line(0, 5, self.width, 5)
        else:
            c.setLineWidth(0.7)
            c.line(0, 4, self.width, 4)


def plain_table(rows: list[list[Any]], widths: list[float], **kw: Any) -> Table:
    """A borderless table with no padding: the skeleton of label blocks and signatures."""
    table = _table(rows, widths, **kw)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def grid_table(rows: list[list[Any]], widths: list[float], **kw: Any) -> Table:
    """A table with ruled cells (forms, data tables, paraf boxes)."""
    table = _table(rows, widths, **kw)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


class KopFlowable(Flowable):
    """The kop (``render.kop``) as a flowable at the top of a document."""

    def __init__(self, view: View, logo: Path):
        super().__init__()
        self.view, self.logo = view, logo

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.kop = Kop.layout(self.view, self.logo, avail_width)
        return avail_width, self.kop.height

    def draw(self) -> None:
        self.kop.draw(self.canv, 0, 0)


def kop(view: View, logo: Path) -> list[Flowable]:
    """The letterhead of page 1."""
    return [KopFlowable(view, logo)]


def title(lines: list[str], nomor: str | None = None) -> list[Flowable]:
    """Centred title lines: the name of the naskah (larger), ``NOMOR …`` directly under it,
    then ``TENTANG`` and the subject (bold), as a berita acara or laporan is headed."""
    out: list[Flowable] = [Spacer(1, 8), p(lines[0], Styles.title)]
    if nomor is not None:
        out.append(p(f"NOMOR {nomor}", Styles.center))
    out += [p(line, Styles.center if i == 0 else Styles.bold_center)
            for i, line in enumerate(lines[1:])]
    return [*out, Spacer(1, 12)]


def items(values: list[dict[str, str]], style: ParagraphStyle = Styles.item,
          plain: ParagraphStyle = Styles.text) -> list[Paragraph]:
    """A list: numbered items hang under their number, an unnumbered item does not. When a
    number is wider than the hang (``10.`` of a long list), every item hangs further, so
    that the first line and the next start at one x."""
    widest = max((text_width(v["no"] + " ", style.bulletFontSize) for v in values if v["no"]),
                 default=0.0)
    room = style.leftIndent - style.bulletIndent
    if widest > room:
        style = ParagraphStyle(f"{style.name}+{widest:.0f}", parent=style,
                               leftIndent=style.bulletIndent + widest)
    return [Paragraph(text(v["teks"]), style, bulletText=v["no"]) if v["no"]
            else p(v["teks"], plain) for v in values]


def fields(rows: list[tuple[str, Any]], width: float, label_width: float = LABEL_WIDTH,
           style: ParagraphStyle = Styles.text) -> Table:
    """The label block: ``Label : value`` rows; a value is a text or a numbered list."""
    data = [[p(label, style), p(":", style),
             items(value) if isinstance(value, list) else p(str(value), style)]
            for label, value in rows]
    return plain_table(data, [label_width, COLON_WIDTH, width - label_width - COLON_WIDTH])


def text_width(value: str, size: float = 12, bold: bool = False) -> float:
    """The width of ``value`` on one line, in points, in the embedded font (metric-compatible
    with Arial, so Word lays it out alike)."""
    register_fonts()
    return float(stringWidth(value, f"{FONT}-Bold" if bold else FONT, size))


def fitting_size(value: str, width: float, sizes: tuple[float, ...] = (12, 11, 10, 9, 8),
                 bold: bool = False) -> float | None:
    """The largest of ``sizes`` at which ``value`` fits on one line of ``width`` points, or
    None."""
    return next((size for size in sizes if text_width(value, size, bold) <= width), None)


def one_line(value: str, size: float, align: int = TA_LEFT) -> Paragraph:
    """A line that must not wrap (the place and date), at ``size`` points."""
    return p(value, paragraph_style(f"line{size:g}-{align}", size, align))


def signature_block(ttd: View, place_line: str | None = None,
                    style: ParagraphStyle = Styles.text,
                    space: float = SIGNATURE_SPACE, place_size: float = 12) -> list[Flowable]:
    """A signature block's lines: the place and date (at ``place_size``, so that it stays on
    one line), capacity lines, the reserved signature box (room to sign by hand, or the
    visible electronic signature: ``render.ttd``), nama, pangkat, NIP."""
    block: list[Flowable] = ([one_line(place_line, place_size, style.alignment)]
                             if place_line else [])
    block += [p(line, style) for line in ttd["jabatan"]]
    jabatan = ", ".join(line.rstrip(",") for line in ttd["jabatan"])
    block.append(SignatureBox(ttd_space(space), ttd["nama"], jabatan))
    block.append(Paragraph(f"<b><u>{text(ttd['nama'])}</u></b>", style))
    return block + [p(ttd[key], style) for key in ("pangkat", "nip") if ttd[key]]


def signature(ttd: View, width: float, place_line: str | None = None, **kw: Any) -> Table:
    """The signature block in the right half of the page."""
    return plain_table([["", signature_block(ttd, place_line, **kw)]], [width / 2, width / 2])


def parties(left: View, right: View, witness: View | None, width: float) -> list[Flowable]:
    """Two signature columns and, when given, "Mengetahui," centred below them over two
    thirds of the width (a long jabatan stays on one line); callers keep them together."""
    out: list[Flowable] = [plain_table([[signature_block(left), signature_block(right)]],
                                       [width / 2, width / 2])]
    if witness:
        block = signature_block(witness, "Mengetahui,", Styles.center)
        out += [Spacer(1, 14), plain_table([["", block, ""]], [width / 6, 2 * width / 3,
                                                               width / 6])]
    return out


def paragraphs_then(paragraphs: list[Flowable], closing: list[Flowable],
                    heading: Sequence[Flowable] = (), keep: int = 1) -> list[Flowable]:
    """Paragraphs, the last ``keep`` of them kept on the same page as what closes the
    document, so a signature block is never orphaned; a ``heading`` over the paragraphs (a
    laporan's "E. Penutup") stays with the first of them. (reportlab's keepWithNext does
    not reach into a KeepTogether, so the heading is put inside.)"""
    kept = min(keep, len(paragraphs))
    if heading and len(paragraphs) > kept:
        return [*with_heading(heading, paragraphs[:-kept]),
                KeepTogether([*paragraphs[-kept:], Spacer(1, 10), *closing])]
    return [*paragraphs[:-kept],
            KeepTogether([*heading, *paragraphs[-kept:], Spacer(1, 10), *closing])]


def with_heading(heading: Sequence[Flowable], following: list[Flowable]) -> list[Flowable]:
    """A heading kept on the same page as the first flowable under it: a heading is never
    the last line of a page."""
    if not following:
        return list(heading)
    return [KeepTogether([*heading, following[0]]), *following[1:]]


def tembusan(view: View) -> list[Flowable]:
    """Tembusan at the foot: numbered only when there is more than one."""
    if not view["tembusan"]:
        return []
    return [Spacer(1, 12), p("Tembusan:"), *items(view["tembusan"])]


def paraf(view: View) -> list[Flowable]:
    """The paraf boxes of a konsep: one row per official who initials it."""
    if not (view["konsep"] and view["paraf"]):
        return []
    rows = [[p("No.", Styles.small_bold), p("Jabatan", Styles.small_bold),
             p("Paraf", Styles.small_bold)]]
    rows += [[p(x["no"], Styles.small), p(x["jabatan"], Styles.small), ""] for x in view["paraf"]]
    table = grid_table(rows, [10 * mm, 60 * mm, 30 * mm],
                       rowHeights=[None] + [10 * mm] * len(view["paraf"]), hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [Spacer(1, 14), KeepTogether([p("Paraf Hierarki:", Styles.small_bold),
                                         Spacer(1, 2), table])]


def data_table(tabel: View, width: float) -> list[Flowable]:
    """A grid table of any number of columns whose header row repeats on every page; its
    title and header row never end a page without a row of the table under them."""
    rows = [[p(k, Styles.small_bold) for k in tabel["kolom"]]]
    rows += [[p(c, Styles.small) for c in row] for row in tabel["baris"]]
    table = grid_table(rows, column_widths(tabel, width), repeatRows=1)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), "#e6e6e6")]))
    head = [p(tabel["judul"], Styles.bold_center), Spacer(1, 3)] if tabel["judul"] else []
    return [HeadedTable(head, table), Spacer(1, 8)]


class HeadedTable(Flowable):
    """A table with the flowables over it (its title): split only where the first part
    holds the title, the header row and at least one row of data, else moved whole to the
    next page, so that neither the title nor the header is stranded at a page foot."""

    def __init__(self, head: list[Flowable], table: Table):
        super().__init__()
        self.head, self.table = head, table

    def _head_height(self, width: float) -> float:
        return sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                   for f in self.head)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        _, table_height = self.table.wrap(avail_width, avail_height)
        self.height = self._head_height(avail_width) + table_height
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        head = self._head_height(avail_width)
        parts = self.table.split(avail_width, avail_height - head)
        if len(parts) < 2 or len(parts[0]._cellvalues) <= self.table.repeatRows:
            return []  # not even one row of data fits here: the whole goes to the next page
        return [*self.head, *parts]

    def draw(self) -> None:  # drawn only when it fits whole: its parts draw themselves
        y = self.height
        for flowable in [*self.head, self.table]:
            _, h = flowable.wrap(self.width, 10_000)
            y -= h + flowable.getSpaceBefore()
            flowable.drawOn(self.canv, 0, y)
            y -= flowable.getSpaceAfter()


def _page_decorations(konsep: bool, numbered: bool, seal: Seal | None = None
                      ) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Draw what a page carries outside the frame: page number (from page 2), KONSEP mark,
    on page 1 of a final document its seal (QR code) in the bottom margin, and on every
    page of the electronic variant the office's footer for electronically signed
    documents."""
    footer = tte_footer()

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        if seal is not None:
            draw_seal(canvas, seal, width)
        if footer:
            draw_footer(canvas, footer, width, FOOTER_Y)
        canvas.saveState()
        top = min(doc.topMargin, 20 * mm)
        if numbered:
            canvas.setFont(FONT, 12)
            canvas.drawCentredString(width / 2, height - top * 0.6, f"- {doc.page} -")
        if konsep:
            canvas.setFont(f"{FONT}-Bold", 12)
            x, y = width - doc.rightMargin - 25 * mm, height - top * 0.7
            canvas.rect(x, y - 2 * mm, 25 * mm, 7 * mm)
            canvas.drawCentredString(x + 12.5 * mm, y, "KONSEP")
        canvas.restoreState()

    return draw


def render_pdf(story: Callable[[View, Path, float], list[Flowable]], view: View, *, logo: Path,
               paper: str, title: str, seal: Seal | None = None) -> tuple[bytes, int]:
    """Return the PDF of ``view`` on ``paper`` (``F4``/``A4``), the kind's ``story`` flowed
    over pages, and its page count. A final document carries its ``seal``.

    A story with a table row taller than a page is laid out again with rows split across
    pages; raises RenderError, naming the kind and the longest text, when even that fails."""
    try:
        return _build(story, view, logo=logo, paper=paper, title=title, seal=seal)
    except LayoutError:
        pass
    token = _SPLIT_ROWS.set(True)
    try:
        return _build(story, view, logo=logo, paper=paper, title=title, seal=seal)
    except LayoutError:
        kind = story.__module__.rpartition(".")[2].replace("_", "-")
        raise RenderError(_too_tall(kind, view, paper)) from None
    finally:
        _SPLIT_ROWS.reset(token)


def _too_tall(kind: str, view: View, paper: str) -> str:
    """The message of a document that cannot be laid out: what to shorten."""
    path, longest = max(texts_of(view), key=lambda t: len(t[1]), default=("", ""))
    where = " in the office profile" if path.startswith("kop.") else ""
    return (f"{kind}: cannot be laid out on {paper} paper: a block is taller than a page "
            f"and cannot be split. Shorten the longest text, {path}{where} "
            f"({len(longest):,} characters), or break it into several shorter ones")


def _build(story: Callable[[View, Path, float], list[Flowable]], view: View, *, logo: Path,
           paper: str, title: str, seal: Seal | None) -> tuple[bytes, int]:
    """Lay out the story once (see render_pdf)."""
    register_fonts()
    restart()  # boxes of a layout that failed are not the document's
    width, height = PAPER[paper]
    pagesize = (width * mm, height * mm)
    margin = MARGIN
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, invariant=1, title=title,
        subject=view.get("hal", view.get("judul", "")),
        author=view["kop"]["instansi"], creator="sopdocs", producer="sopdocs",
        leftMargin=margin["left"], rightMargin=margin["right"],
        topMargin=margin["top"], bottomMargin=margin["bottom"],
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate("first", [frame], onPage=_page_decorations(view["konsep"], False, seal)),
        PageTemplate("later", [frame], onPage=_page_decorations(view["konsep"], True)),
    ])
    flowables = story(view, logo, doc.width)
    if _SPLIT_ROWS.get():  # tables a kind made itself (the daftar of a tanda terima)
        for flowable in flowables:
            if isinstance(flowable, Table):
                flowable.splitInRow = 1
    doc.build([NextPageTemplate("later"), *flowables])
    return buffer.getvalue(), doc.page
