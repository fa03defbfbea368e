"""Make a lembar disposisi (½ folio) for an incoming letter.

The head's decision about an incoming letter, and for whom. Its number is the letter's agenda
number (one per letter, however many sheets it collects). The sheet is a fixed form printed by
the hundred, so it is drawn straight onto a reportlab canvas: the kop once, as a reusable form
XObject, about a millisecond a sheet, where laying it out as a story takes fifteen. Single
documents and batches use this same drawing.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from pydantic import BeforeValidator, Field
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .. import idn
from ..errors import RenderError
from ..office import PAPER
from ..records import Jabatan, Line, Naskah, Paragraph, Penandatangan, Sifat, Tanggal, one_or_many
from ..render.fonts import BOLD, FONT, register_fonts
from ..render.kop import Kop
from ..seal import Seal
from ..series import AGENDA
from ..summary import Facts, SuratMasuk, signer_of
from ..view import Resolver, View, signature, ticks
from . import Kind, T


class Disposisi(Naskah):
    """Lembar disposisi: what the head decides about an incoming letter, and for whom.

    ``nomor_agenda`` is taken from the register's agenda series when it is not given.
    ``diteruskan_kepada`` and ``harap`` are ticked on the office's printed lists; an entry
    the list lacks is added to it, ticked.
    """

    surat_dari: Line
    nomor_surat: Line
    tanggal_surat: Tanggal
    diterima_tanggal: Tanggal
    nomor_agenda: Line | None = None
    sifat: Annotated[list[Sifat], BeforeValidator(one_or_many), Field(min_length=1)] = \
        [Sifat.BIASA]
    hal: Line
    diteruskan_kepada: list[Jabatan] = []  # empty: the boxes are ticked by hand
    harap: list[Line] = []
    catatan: Paragraph | None = None
    oleh: Penandatangan


def view(rec: Disposisi, r: Resolver) -> View:
    settings = r.office.disposisi
    penerima = settings.penerima or list(r.office.pejabat)[1:]
    return {
        "surat_dari": rec.surat_dari,
        "nomor_surat": rec.nomor_surat,
        "tanggal_surat": idn.tanggal(rec.tanggal_surat),
        "diterima_tanggal": idn.tanggal(rec.diterima_tanggal),
        "nomor_agenda": rec.nomor_agenda or "",
        "sifat": ticks([s.value for s in settings.sifat], [s.value for s in rec.sifat]),
        "hal": rec.hal,
        "diteruskan_kepada": ticks(r.jabatan_list("disposisi.penerima", penerima),
                                   r.jabatan_list("diteruskan_kepada", rec.diteruskan_kepada)),
        "harap": ticks(list(settings.harap), list(rec.harap)),
        "catatan": rec.catatan or "",
        "oleh": signature(r, rec.oleh, r.office.tata_letak.label_nip, "oleh"),
        "tempat": r.office.tempat,
        "tanggal": idn.tanggal(rec.tanggal),
    }


def summary(rec: Disposisi, v: View) -> Facts:
    """The recipients are those ticked; the signer is who disposes."""
    return Facts(hal=rec.hal,
                 kepada=[t["teks"] for t in v["diteruskan_kepada"] if t["tanda"] == "■"],
                 dari=v["oleh"]["jabatan"][-1].rstrip(","), penandatangan=[signer_of(v["oleh"])],
                 sifat=", ".join(s.value for s in rec.sifat),
                 surat_masuk=SuratMasuk(dari=rec.surat_dari, nomor=rec.nomor_surat,
                                        tanggal=rec.tanggal_surat))


SIZE, LEAD = 9.5, 11.5
PAD = 2.5
LABEL = 22 * mm
MARGIN = {"top": 8 * mm, "bottom": 6 * mm, "left": 20 * mm, "right": 10 * mm}
SIGNING_SPACE = 9 * mm


#: Where a word too long for its cell may break: after a slash, hyphen, dot, comma, colon,
#: semicolon, underscore or closing bracket (``421/1873/Disdik-2026`` breaks after a ``/``).
_BREAKS = re.compile(r"(?<=[/\\\-.,:;_)\]])")


def _fits(text: str, width: float, font: str) -> bool:
    return stringWidth(text, font, SIZE) <= width


def _break_word(word: str, room: float, width: float, font: str) -> tuple[str, str]:
    """Split ``word`` into a head that fits ``room`` and the rest: at the last break point
    that fits, else (a word with no break point, or none early enough, on an empty line)
    at the last character that fits. The head is empty when only a fresh line will do."""
    pieces = [p for p in _BREAKS.split(word) if p]
    head = ""
    for piece in pieces:
        if not _fits(head + piece, room, font):
            break
        head += piece
    if head or room < width:
        return head, word[len(head):]
    cut = 1
    while cut < len(word) and _fits(word[:cut + 1], room, font):
        cut += 1
    return word[:cut], word[cut:]


@lru_cache(maxsize=4096)
def _split(text: str, width: float, font: str = FONT) -> list[str]:
    """Wrap ``text`` to ``width`` at spaces; a word wider than the cell (a nomor surat such as
    ``800/1234/SEKRETARIAT-DAERAH/…`` has no spaces) is broken at its slashes, hyphens or
    dots, or failing those between characters, so that no line leaves its cell. Tick options
    and signatures repeat, so results are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            if not word:
                continue
            candidate = f"{line} {word}" if line else word
            if _fits(candidate, width, font):
                line = candidate
                continue
            if _fits(word, width, font):  # the word fits a line of its own
                lines.append(line)
                line = word
                continue
            prefix = f"{line} " if line else ""
            while not _fits(prefix + word, width, font):
                head, word = _break_word(word, width - stringWidth(prefix, font, SIZE),
                                         width, font)
                lines.append(prefix + head if head else line)
                prefix, line = "", ""
            line = prefix + word
        lines.append(line)
    return lines or [""]


def _pack(options: list[str], width: float) -> list[str]:
    """Put tick options on lines without breaking an option across two lines."""
    lines: list[str] = []
    for option in options:
        candidate = f"{lines[-1]}   {option}" if lines else option
        if lines and stringWidth(candidate, FONT, SIZE) <= width:
            lines[-1] = candidate
        else:
            lines.append(option)
    return lines


@dataclass(frozen=True)
class Cell:
    """One form cell: a label (``Label : …``) or a bold heading, and its lines of text.

    A ``shared`` cell (tick lists, sifat) tends to repeat from sheet to sheet, so it is drawn
    once per distinct content and reused; the other cells' lines are the letter's own."""

    lines: tuple[str, ...]
    label: str | None = None
    heading: str | None = None
    shared: bool = False

    @property
    def height(self) -> float:
        return (len(self.lines) + (1 if self.heading else 0)) * LEAD + 2 * PAD


#: The letter's own texts on a sheet (the rest comes from the office profile).
OWN = ("surat_dari", "nomor_surat", "hal", "diterima_tanggal", "tanggal_surat")


class Layout(NamedTuple):
    """One sheet laid out: its cells by row, the rows' heights, the signature block's lines
    and height, and the height the whole sheet needs."""

    rows: list[list[Cell]]
    heights: list[float]
    signature: tuple[tuple[str, str], ...]
    signature_height: float
    needed: float


@dataclass(frozen=True)
class Misfit:
    """Why a sheet does not fit ½ page; ``letter``: the letter's own texts are too long
    (else the office's lists and kop are, and no letter would fit)."""

    message: str
    letter: bool


class DisposisiSheets:
    """Draws lembar disposisi onto one canvas.

    Everything that repeats between sheets (kop, form frame with its labels, tick lists,
    signature block) becomes a form XObject drawn once and placed again, so a sheet of a
    batch costs about a millisecond: only the letter's own values are drawn each time."""

    def __init__(self, canvas: Canvas, view: View, logo: Path, sheet_width: float):
        self.canvas = canvas
        self.width = sheet_width - MARGIN["left"] - MARGIN["right"]
        self.forms: dict[tuple[object, ...], str] = {}
        kop = Kop.layout(view, logo, self.width, compact=True)
        self.kop_height = kop.height
        self.kop = self._form(("kop",), self.width, kop.height, lambda: kop.draw(canvas, 0, 0))

    def _form(self, key: tuple[object, ...], width: float, height: float,
              draw: Callable[[], None]) -> str:
        """Return the name of the form XObject for ``key``, drawing it the first time."""
        if key not in self.forms:
            name = f"Sheet{len(self.forms)}"
            self.canvas.beginForm(name, 0, 0, width, height)
            draw()
            self.canvas.endForm()
            self.forms[key] = name
        return self.forms[key]

    def _place(self, name: str, x: float, bottom: float) -> None:
        self.canvas.saveState()
        self.canvas.translate(x, bottom)
        self.canvas.doForm(name)
        self.canvas.restoreState()

    def _field(self, label: str, value: str, width: float) -> Cell:
        return Cell(tuple(_split(value, width - LABEL - 2 * PAD - 3 * mm)), label=label)

    def _ticks(self, heading: str, values: list[dict[str, str]], width: float) -> Cell:
        lines = tuple(line for v in values
                      for line in _split(f"{v['tanda']} {v['teks']}", width - 2 * PAD))
        return Cell(lines, heading=heading, shared=True)

    def _text(self, lines: tuple[str, ...], x: float, top: float) -> None:
        c = self.canvas
        c.setFont(FONT, SIZE)
        y = top - PAD - SIZE
        for line in lines:
            c.drawString(x, y, line)
            y -= LEAD

    def _draw_whole_cell(self, cell: Cell, top: float) -> None:
        c = self.canvas
        y = top - PAD - SIZE
        if cell.heading:
            c.setFont(BOLD, SIZE)
            c.drawString(PAD, y, cell.heading)
            y -= LEAD
        self._text(cell.lines, PAD + (LABEL + 3 * mm if cell.label else 0), y + PAD + SIZE)
        if cell.label:
            c.drawString(PAD, top - PAD - SIZE, cell.label)
            c.drawString(PAD + LABEL, top - PAD - SIZE, ":")

    def _label(self, cell: Cell) -> str:
        """A cell's label (``Surat dari :``) or heading, drawn once; placed before the value
        so that text extracted from the PDF reads label, then value."""
        def draw() -> None:
            c = self.canvas
            if cell.label:
                c.setFont(FONT, SIZE)
                c.drawString(0, PAD, cell.label)
                c.drawString(LABEL, PAD, ":")
            else:
                c.setFont(BOLD, SIZE)
                c.drawString(0, PAD, cell.heading or "")

        return self._form(("label", cell.label, cell.heading), LABEL + 3 * mm, SIZE + PAD,
                          draw)

    def _shared(self, cell: Cell, width: float) -> str:
        """A cell that repeats between sheets (tick list, sifat), drawn once per content."""
        return self._form(("cell", cell), width, cell.height,
                          lambda: self._draw_whole_cell(cell, cell.height))

    def _frame(self, rows: list[list[Cell]], heights: list[float], width: float) -> str:
        """The title and the grid: the same for every sheet whose rows have these heights."""
        total = sum(heights) + 16
        key = ("frame", tuple(heights))

        def draw() -> None:
            c = self.canvas
            c.setFont(BOLD, 12)
            c.drawCentredString(width / 2, total - 12, "LEMBAR DISPOSISI")
            c.setLineWidth(0.5)
            c.rect(0, 0, width, sum(heights))
            top = sum(heights)
            for row, h in zip(rows, heights, strict=True):
                if len(row) == 2:
                    c.line(width / 2, top, width / 2, top - h)
                top -= h
                if top > 0:
                    c.line(0, top, width, top)

        return self._form(key, width, total, draw)

    def _signature_lines(self, view: View, width: float) -> tuple[tuple[str, str], ...]:
        ttd = view["oleh"]
        lines = [(FONT, f"{view['tempat']}, {view['tanggal']}")]
        lines += [(FONT, part) for line in ttd["jabatan"] for part in _split(line, width)]
        lines.append(("space", ""))
        lines.append((BOLD, ttd["nama"]))
        lines += [(FONT, ttd[key]) for key in ("pangkat", "nip") if ttd[key]]
        return tuple(lines)

    def layout(self, view: View) -> Layout:
        """Lay one sheet out without drawing it: its cells, row heights and signature."""
        w = self.width
        half = w / 2
        sifat = _pack([f"{v['tanda']}\u00a0{v['teks']}".replace(" ", "\u00a0")
                       for v in view["sifat"]], half - LABEL - 2 * PAD - 3 * mm)
        rows: list[list[Cell]] = [
            [self._field("Surat dari", view["surat_dari"], half),
             self._field("Diterima Tgl.", view["diterima_tanggal"], half)],
            [self._field("No. Surat", view["nomor_surat"], half),
             self._field("No. Agenda", view["nomor_agenda"], half)],
            [self._field("Tgl. Surat", view["tanggal_surat"], half),
             Cell(tuple(sifat), label="Sifat", shared=True)],
            [self._field("Hal", view["hal"], w)],
            [self._ticks("Diteruskan kepada Sdr.:", view["diteruskan_kepada"], half),
             self._ticks("Dengan hormat harap:", view["harap"], half)],
            [Cell(tuple(_split(view["catatan"], w - 2 * PAD)), heading="Catatan:")],
        ]
        heights = [max(cell.height for cell in row) for row in rows]
        heights[-1] = max(heights[-1], 16 * mm)
        signature = self._signature_lines(view, half)
        signature_height = (len(signature) - 1) * LEAD + SIGNING_SPACE
        needed = (MARGIN["top"] + self.kop_height + 16 + sum(heights) + 4 * mm
                  + signature_height + MARGIN["bottom"])
        return Layout(rows, heights, signature, signature_height, needed)

    def misfit(self, view: View, height: float) -> Misfit | None:
        """Why the sheet of ``view`` does not fit ``height``, or None when it fits.

        The form has fixed boxes, so a letter's long texts make it taller; the message names
        the letter's texts that take several lines (what to shorten), or, when the sheet would
        not fit even with one line each, the office's lists and kop."""
        needed = self.layout(view).needed
        if needed <= height:
            return None
        start = (f"the lembar disposisi needs {needed / mm:.0f} mm but ½ sheet has "
                 f"{height / mm:.0f} mm")
        unticked = [t for t in view["diteruskan_kepada"] if t["tanda"] != "■"]
        bare = {**view, **dict.fromkeys(OWN, "-"), "catatan": "", "diteruskan_kepada": unticked}
        if self.layout(bare).needed > height:
            return Misfit(f"{start}: the office's kop, tick lists (disposisi.penerima, "
                          "disposisi.harap) and signature leave no room for a letter; "
                          "shorten them in the office profile", letter=False)
        half = self.width / 2
        lines = {key: len(self._field("", view[key], self.width if key == "hal" else half)
                          .lines) for key in OWN}
        lines["catatan"] = len(_split(view["catatan"], self.width - 2 * PAD))
        long = [f"{key.replace('_', ' ')} ({n} lines)"
                for n, key in sorted(((n, key) for key, n in lines.items() if n > 1),
                                     reverse=True)]
        ticked = len(view["diteruskan_kepada"]) - len(unticked)
        if ticked and self.layout({**view, "diteruskan_kepada": unticked}).needed < needed:
            long.append(f"diteruskan kepada ({ticked} recipients)")
        cut = math.ceil((needed - height) / LEAD)
        return Misfit(f"{start}: shorten {' or '.join(long) or 'the letter'} by about {cut} "
                      f"line{'s' if cut > 1 else ''}", letter=True)

    def draw(self, view: View, top: float, height: float) -> None:
        """Draw one sheet whose top edge is at ``top`` and which may use ``height``.

        Raises RenderError when the sheet's text does not fit (the form has fixed boxes).
        """
        c, w, x0 = self.canvas, self.width, MARGIN["left"]
        half = w / 2
        rows, heights, signature, signature_height, needed = self.layout(view)
        misfit = self.misfit(view, height) if needed > height else None
        if misfit is not None:
            raise RenderError(misfit.message)
        y = top - MARGIN["top"]
        if view["konsep"]:
            c.setFont(BOLD, 11)
            c.rect(x0 + w - 24 * mm, y - 6 * mm, 24 * mm, 6.5 * mm)
            c.drawCentredString(x0 + w - 12 * mm, y - 4.5 * mm, "KONSEP")
        self._place(self.kop, x0, y - self.kop_height)
        y -= self.kop_height
        grid_bottom = y - 16 - sum(heights)
        self._place(self._frame(rows, heights, w), x0, grid_bottom)
        y -= 16
        for row, h in zip(rows, heights, strict=True):
            for i, cell in enumerate(row):
                x = x0 + i * half
                if cell.shared:
                    self._place(self._shared(cell, half), x, y - cell.height)
                else:
                    self._place(self._label(cell), x + PAD, y - PAD - SIZE - PAD)
                    indent = LABEL + 3 * mm if cell.label else 0
                    self._text(cell.lines, x + PAD + indent, y - (LEAD if cell.heading else 0))
            y -= h
        sig_height = signature_height + SIZE
        name = self._form(("signature", signature), half, sig_height,
                          lambda: self._draw_signature(signature, 0, sig_height))
        self._place(name, x0 + half + PAD, y - 4 * mm - sig_height)
        if view["konsep"] and view["paraf"]:
            self._draw_paraf(view["paraf"], x0, y - 4 * mm)

    def _draw_signature(self, lines: tuple[tuple[str, str], ...], x: float, top: float) -> None:
        c = self.canvas
        y = top - SIZE
        for font, text in lines:
            if font == "space":
                y -= SIGNING_SPACE - LEAD
                continue
            c.setFont(font, SIZE)
            c.drawString(x, y, text)
            if font == BOLD:  # the name is underlined
                c.line(x, y - 1.5, x + stringWidth(text, BOLD, SIZE), y - 1.5)
            y -= LEAD

    def _draw_paraf(self, paraf: list[dict[str, str]], x: float, top: float) -> None:
        c = self.canvas
        c.setFont(BOLD, 8)
        c.drawString(x, top - 8, "Paraf Hierarki:")
        widths, size = (8 * mm, 62 * mm, 18 * mm), 7.5
        y = top - 11
        for i, cells in enumerate([("No.", "Jabatan", "Paraf")]
                                  + [(p["no"], p["jabatan"], "") for p in paraf]):
            font = BOLD if i == 0 else FONT
            wrapped = [simpleSplit(t, font, size, wd - 3) or [""]
                       for t, wd in zip(cells, widths, strict=True)]
            row = max(len(lines) for lines in wrapped) * (size + 1.5) + 3 * mm
            left = x
            c.setFont(font, size)
            for width, lines in zip(widths, wrapped, strict=True):
                c.rect(left, y - row, width, row)
                for n, line in enumerate(lines):
                    c.drawString(left + 1.5, y - 1.5 * mm - size - n * (size + 1.5), line)
                left += width
            y -= row


def drawing(view: View, *, logo: Path, paper: str, title: str,
            seal: Seal | None = None) -> tuple[bytes, int]:
    """Return the PDF of one lembar disposisi on ½ of a sheet of ``paper`` (F4/A4): one page."""
    register_fonts()
    width, height = PAPER[paper][0] * mm, PAPER[paper][1] * mm / 2
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1)
    describe(canvas, title, view)
    DisposisiSheets(canvas, view, logo, width).draw(view, height, height)
    if seal is not None:
        draw_seal(canvas, seal)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), 1


def draw_seal(canvas: Canvas, seal: Seal, bottom: float = 0) -> None:
    """A final sheet's seal, bottom left (where a konsep has its paraf boxes); ``bottom`` is
    the lower edge of the sheet on the page (two sheets share an F4 page)."""
    from ..render.seal import draw_seal as draw

    draw(canvas, seal, MARGIN["left"], bottom + MARGIN["bottom"])


def describe(canvas: Canvas, title: str, view: View) -> None:
    """Set the PDF's document information (title, author, subject, creator)."""
    canvas.setTitle(title)
    canvas.setAuthor(view["kop"]["instansi"])
    canvas.setSubject(view.get("hal", ""))
    canvas.setCreator("sopdocs")
    canvas.setProducer("sopdocs")


DISPOSISI_WIDTH = 18.5  # ½ folio: 21.5 cm wide, margins 2 cm left and 1 cm right


def _form_cell(cell: Any, label: str, value: str, label_cm: float = 2.6) -> None:
    """``Label : value`` inside a form cell, the value hanging at a tab stop."""
    p = T.tight(T.first_paragraph(cell))
    p.add_run(f"{label}\t: {value}")
    p.paragraph_format.left_indent = T.Cm(label_cm + 0.3)
    p.paragraph_format.first_line_indent = T.Cm(-(label_cm + 0.3))
    p.paragraph_format.tab_stops.add_tab_stop(T.Cm(label_cm))


def _ticks(cell: Any, heading_text: str, var: str) -> None:
    cell._tc.remove(cell.paragraphs[0]._p)
    T.para(cell, heading_text, bold=True)
    T.loop(cell, var, "{{ item.tanda }} {{ item.teks }}")


def _sheet_template(doc: Any, v: str = "") -> None:
    """The lembar disposisi form; ``v`` prefixes its variables (``sheet.`` in a batch)."""
    T.kop(doc, DISPOSISI_WIDTH, compact=True)
    T.para(doc, "LEMBAR DISPOSISI", size=12, bold=True, align=T.WD_ALIGN_PARAGRAPH.CENTER,
         space_after=4)
    table = doc.add_table(rows=6, cols=2)
    table.style = doc.styles["Table Grid"]
    T.set_widths(table, [DISPOSISI_WIDTH / 2] * 2)
    rows = table.rows

    def var(name: str) -> str:
        return "{{ " + v + name + " }}"

    _form_cell(rows[0].cells[0], "Surat dari", var("surat_dari"))
    _form_cell(rows[0].cells[1], "Diterima Tgl.", var("diterima_tanggal"))
    _form_cell(rows[1].cells[0], "No. Surat", var("nomor_surat"))
    _form_cell(rows[1].cells[1], "No. Agenda", var("nomor_agenda"))
    _form_cell(rows[2].cells[0], "Tgl. Surat", var("tanggal_surat"))
    _form_cell(rows[2].cells[1], "Sifat",
               "{% for item in " + v + "sifat %}"
               "{{ (item.tanda ~ ' ' ~ item.teks)|replace(' ', '\u00a0') }}   {% endfor %}")
    _form_cell(rows[3].cells[0].merge(rows[3].cells[1]), "Hal", var("hal"))
    _ticks(rows[4].cells[0], "Diteruskan kepada Sdr.:", v + "diteruskan_kepada")
    _ticks(rows[4].cells[1], "Dengan hormat harap:", v + "harap")
    notes = rows[5].cells[0].merge(rows[5].cells[1])
    notes._tc.remove(notes.paragraphs[0]._p)
    T.para(notes, "Catatan:", bold=True)
    T.para(notes, var("catatan"))
    rows[5].height = T.Cm(1.8)
    T.signature(doc, v + "oleh", "{{ " + v + "tempat }}, {{ " + v + "tanggal }}",
              width=DISPOSISI_WIDTH, space=2)


def _document(title_text: str, page_numbers: bool = True) -> Any:
    return T.new_document(title_text, height_cm=16.5, margins_cm=(1.0, 1.0, 2.0, 1.0), size=10,
                        page_numbers=page_numbers)


def template() -> Any:
    doc = _document("Lembar Disposisi")
    _sheet_template(doc)
    T.paraf(doc)
    return doc


def batch_template() -> Any:
    """Every sheet of a batch in one document, one sheet per page, rendered in one pass."""
    from docx.enum.text import WD_BREAK

    doc = _document("Lembar Disposisi", page_numbers=False)
    T.tag(doc, "{%p for sheet in sheets %}")
    _sheet_template(doc, "sheet.")
    T.tag(doc, "{%p if not loop.last %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    T.tag(doc, "{%p endif %}")
    T.tag(doc, "{%p endfor %}")
    return doc


KIND = Kind("disposisi", "Lembar Disposisi", Disposisi, view=view, summary=summary,
            template=template, drawing=drawing, series=AGENDA, date_field="diterima_tanggal",
            half_page=True, extra_templates={"disposisi-batch": batch_template})
