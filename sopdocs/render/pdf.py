"""Render a view into PDF bytes with reportlab, in the same layout as the DOCX templates.

Liberation Sans (metric-compatible with Arial, shipped in the package) is embedded, so a PDF
looks the same on every machine. ``invariant`` fixes dates and ids: same input, same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..office import PAPER, data_path
from ..view import View

FONT = "LiberationSans"
MARGIN = {"top": 20 * mm, "bottom": 25 * mm, "left": 30 * mm, "right": 20 * mm}
LOGO_HEIGHT = 24 * mm
LOGO_WIDTH = 24 * mm  # the kop's logo column; the kop lines are centred in the rest
LABEL_WIDTH, COLON_WIDTH = 30 * mm, 5 * mm
SIGNATURE_SPACE = 20 * mm


@cache
def _register_fonts() -> None:
    # Only the faces the layouts use: parsing a TrueType file costs ~7 ms each.
    pdfmetrics.registerFont(TTFont(FONT, str(data_path("fonts/LiberationSans-Regular.ttf"))))
    pdfmetrics.registerFont(TTFont(f"{FONT}-Bold", str(data_path("fonts/LiberationSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold", italic=FONT,
                                  boldItalic=f"{FONT}-Bold")


def _style(name: str, size: float = 12, align: int = TA_LEFT, bold: bool = False,
           **kw: Any) -> ParagraphStyle:
    kw.setdefault("leading", size * 1.18)
    return ParagraphStyle(name, fontName=f"{FONT}-Bold" if bold else FONT, fontSize=size,
                          alignment=align, **kw)


class Styles:
    """The paragraph styles every layout shares."""

    text = _style("text")
    center = _style("center", align=TA_CENTER)
    small = _style("small", 10)
    small_bold = _style("small_bold", 10, bold=True)
    kop_pemerintah = _style("kop1", 13, TA_CENTER)
    kop_instansi = _style("kop2", 15, TA_CENTER, bold=True)
    kop_alamat = _style("kop3", 10, TA_CENTER)
    title = _style("title", 14, TA_CENTER, bold=True)
    body = _style("body", align=TA_JUSTIFY, firstLineIndent=12.5 * mm, spaceAfter=6,
                  leading=16)
    item = _style("item", leftIndent=6 * mm, bulletIndent=0, bulletFontName=FONT,
                  bulletFontSize=12)


def text(value: str) -> str:
    """Escape a value for reportlab's paragraph markup (``&``, ``<`` and ``>`` stay literal)."""
    return escape(value)


def p(value: str, style: ParagraphStyle = Styles.text) -> Paragraph:
    return Paragraph(text(value), style)


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


def plain_table(rows: list[list[object]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def kop(view: View, logo: Path, width: float) -> list[Flowable]:
    """The letterhead: logo left, kop lines centred beside it, closing double rule."""
    k = view["kop"]
    lines = [p(k["pemerintah"], Styles.kop_pemerintah), p(k["instansi"], Styles.kop_instansi)]
    lines += [p(a, Styles.kop_alamat) for a in k["alamat"]]
    image = Image(str(logo), height=LOGO_HEIGHT, width=LOGO_HEIGHT, kind="proportional")
    table = plain_table([[image, lines]], [LOGO_WIDTH, width - LOGO_WIDTH])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [table, Spacer(1, 2), Rule(double=True)]


def items(values: list[dict[str, str]]) -> list[Paragraph]:
    """A recipient list: numbered items hang under their number, a single item does not."""
    return [Paragraph(text(v["teks"]), Styles.item, bulletText=v["no"]) if v["no"]
            else p(v["teks"]) for v in values]


def fields(rows: list[tuple[str, object]], width: float) -> Table:
    """The label block: ``Label : value`` rows; a value is a text or a recipient list."""
    data = [[label, ":", items(value) if isinstance(value, list) else p(str(value))]
            for label, value in rows]
    table = plain_table(data, [LABEL_WIDTH, COLON_WIDTH, width - LABEL_WIDTH - COLON_WIDTH])
    table.setStyle(TableStyle([("FONT", (0, 0), (1, -1), FONT, 12)]))
    return table


def signature(view: View, width: float, place_date: str | None = None) -> Table:
    """The signature block in the right half of the page."""
    ttd = view["penandatangan"]
    block: list[Flowable] = [p(place_date)] if place_date else []
    block += [p(line) for line in ttd["jabatan"]]
    block.append(Spacer(1, SIGNATURE_SPACE))
    block.append(Paragraph(f"<b><u>{text(ttd['nama'])}</u></b>", Styles.text))
    block += [p(ttd[key]) for key in ("pangkat", "nip") if ttd[key]]
    return plain_table([["", block]], [width / 2, width / 2])


def body_with_signature(paragraphs: list[str], closing: list[Flowable]) -> list[Flowable]:
    """Body paragraphs, the last one kept on the same page as what closes the document."""
    story: list[Flowable] = [p(t, Styles.body) for t in paragraphs[:-1]]
    story.append(KeepTogether([p(paragraphs[-1], Styles.body), Spacer(1, 10), *closing]))
    return story


def tembusan(view: View) -> list[Flowable]:
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
    table = Table(rows, colWidths=[10 * mm, 60 * mm, 30 * mm],
                  rowHeights=[None] + [10 * mm] * len(view["paraf"]), hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [Spacer(1, 14), KeepTogether([p("Paraf Hierarki:", Styles.small_bold),
                                         Spacer(1, 2), table])]


def nota_dinas(view: View, logo: Path, width: float) -> list[Flowable]:
    layout = view["tata_letak"]
    story = kop(view, logo, width)
    story += [Spacer(1, 8), p("NOTA DINAS", Styles.title)]
    if layout["nomor_nota_dinas"] == "judul":
        story.append(p(f"NOMOR {view['nomor']}", Styles.center))
    story.append(Spacer(1, 12))
    rows: list[tuple[str, object]] = [("Yth.", view["kepada"]), ("Dari", view["dari"])]
    if view["tembusan"] and layout["tembusan_nota_dinas"] == "kepala":
        rows.append(("Tembusan", view["tembusan"]))
    rows.append(("Tanggal", view["tanggal"]))
    if layout["nomor_nota_dinas"] == "label":
        rows.append(("Nomor", view["nomor"]))
    rows += [("Sifat", view["sifat"]), ("Lampiran", view["lampiran"]), ("Hal", view["hal"])]
    story += [fields(rows, width), Spacer(1, 4), Rule(), Spacer(1, 6)]
    story += body_with_signature(view["isi"], [signature(view, width)])
    if layout["tembusan_nota_dinas"] == "kaki":
        story += tembusan(view)
    return story + paraf(view)


LAYOUTS: dict[str, Callable[[View, Path, float], list[Flowable]]] = {"nota-dinas": nota_dinas}


def _page_decorations(konsep: bool, numbered: bool) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Draw what every page carries outside the frame: page number (from page 2), KONSEP mark."""

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        if numbered:
            canvas.setFont(FONT, 12)
            canvas.drawCentredString(width / 2, height - 12 * mm, f"- {doc.page} -")
        if konsep:
            canvas.setFont(f"{FONT}-Bold", 12)
            x, y = width - MARGIN["right"] - 25 * mm, height - 14 * mm
            canvas.rect(x, y - 2 * mm, 25 * mm, 7 * mm)
            canvas.drawCentredString(x + 12.5 * mm, y, "KONSEP")
        canvas.restoreState()

    return draw


def render_pdf(kind: str, view: View, *, logo: Path, paper: str, title: str) -> bytes:
    """Return the PDF of ``view`` for ``kind`` on ``paper`` (``F4``/``A4``)."""
    _register_fonts()
    pagesize = (PAPER[paper][0] * mm, PAPER[paper][1] * mm)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, invariant=1, title=title, subject=view.get("hal", ""),
        author=view["kop"]["instansi"], creator="sopdocs", producer="sopdocs",
        leftMargin=MARGIN["left"], rightMargin=MARGIN["right"],
        topMargin=MARGIN["top"], bottomMargin=MARGIN["bottom"],
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate("first", [frame], onPage=_page_decorations(view["konsep"], False)),
        PageTemplate("later", [frame], onPage=_page_decorations(view["konsep"], True)),
    ])
    story: list[Flowable] = [NextPageTemplate("later")]
    story += LAYOUTS[kind](view, logo, doc.width)
    doc.build(story)
    return buffer.getvalue()
