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
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from pydantic import BeforeValidator, Field
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfdoc import xObjectName
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


SIZE, LEAD = 9, 10.5
PAD = 2
LABEL = 19 * mm  # the labels' column: "Diterima Tgl." is 18 mm wide at 9 pt
INDENT = LABEL + 2.5 * mm  # where a field's value starts, after the colon
MARGIN = {"top": 5 * mm, "bottom": 4.5 * mm, "left": 20 * mm, "right": 10 * mm}
#: The sheet's kop: font sizes of the pemerintah, instansi and address lines, and the logo:
#: smaller than a letter's compact kop, so that the form fits ½ A4 as well as ½ folio.
KOP_SIZES, KOP_LOGO = (8.0, 9.5, 6.0), 13 * mm
TITLE = 12  # the title line above the grid
#: The catatan box, written in by hand: its least height, its first ruled line below the
#: box's top, the distance between ruled lines (the typed catatan sits on them) and the
#: least room under the last one.
CATATAN_MIN, FIRST_RULE, PITCH, RULE_FOOT = 50 * mm, 10 * mm, 7 * mm, 2.5 * mm
RULE_GREY = 0.6
GAP = 2 * mm  # between the grid and the signature block (or a konsep's paraf boxes)
#: From the jabatan's line to the name's: where the one who disposes initials, over a dotted
#: "Paraf" line of PARAF_LINE. At least SIGNING_SPACE; up to SIGNING_ROOM when the ½ page
#: has room to spare (the catatan box takes the rest).
SIGNING_SPACE, SIGNING_ROOM, PARAF_LINE = 12 * mm, 16 * mm, 40 * mm
#: Room kept free under the grid's left half, from the paper's bottom edge: the seal of a
#: final sheet sits there (its QR code, up to SEAL_SIDE, the office's ``segel.jarak_mm``
#: from the edges, its caption beside it), and a konsep's paraf boxes.
FOOT_ROOM, SEAL_SIDE = 31 * mm, 16 * mm
#: The date a batch sheet's signature leaves for the hand (see ``leave_date_to_hand``).
BLANK_DATE = "." * 40
#: The free line under the instructions: an instruction the list lacks, written by hand.
FREE_LINE = "□ " + "." * 44


def leave_date_to_hand(view: View) -> View:
    """Leave the date of the sheet's signature blank ("Padang, ......") for the one who
    disposes to write on the day of the disposisi: a batch is printed the day the letters
    arrive, and they are disposed on later days. Only the printed view changes: the record,
    and so the register, keeps the day the letter was received; "Diterima Tgl." prints it."""
    view["tanggal"] = BLANK_DATE
    return view


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


@lru_cache(maxsize=256)
def _pack(options: tuple[str, ...], width: float) -> tuple[str, ...]:
    """Put tick options on lines without breaking an option across two lines (the same
    few options on every sheet, so results are kept)."""
    lines: list[str] = []
    for option in options:
        candidate = f"{lines[-1]}   {option}" if lines else option
        if lines and stringWidth(candidate, FONT, SIZE) <= width:
            lines[-1] = candidate
        else:
            lines.append(option)
    return tuple(lines)


def _kop(view: View, logo: Path, width: float) -> Kop:
    """The sheet's kop: the letters' kop drawing, with the sheet's smaller sizes."""
    k = view["kop"]
    sizes = KOP_SIZES
    parts = [(FONT, sizes[0], k["pemerintah"]), (BOLD, sizes[1], k["instansi"])]
    parts += [(FONT, sizes[2], a) for a in k["alamat"]]
    lines = tuple((font, size, line) for font, size, text in parts
                  for line in simpleSplit(text, font, size, width - KOP_LOGO) or [""])
    return Kop(lines, logo, KOP_LOGO, width)


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

Signature = tuple[tuple[str, str], ...]


class Layout(NamedTuple):
    """One sheet laid out: the letter's fields by row and the rows' heights; the bottom row's
    tick lists (left) and typed catatan lines (right, one on each ruled line) and its least
    height; the signature block's lines and height; the room under the grid (``foot``) and
    the height the whole sheet needs."""

    rows: list[list[Cell]]
    heights: list[float]
    kepada: Cell
    harap: Cell
    catatan: tuple[str, ...]
    box: float
    signature: Signature
    signature_height: float
    foot: float
    needed: float


@dataclass(frozen=True)
class Misfit:
    """Why a sheet does not fit ½ page; ``letter``: the letter's own texts are too long
    (else the office's lists and kop are, and no letter would fit)."""

    message: str
    letter: bool


#: A konsep's paraf boxes (bottom left, where a final sheet has its seal): column widths, font.
PARAF_WIDTHS, PARAF_SIZE = (8 * mm, 62 * mm, 18 * mm), 7.5


def _signature_height(lines: Signature) -> float:
    """From the top of the block to below its last line's descenders."""
    texts = sum(1 for font, _ in lines if font != "space")
    return SIZE + (texts - 2) * LEAD + SIGNING_SPACE + 0.3 * SIZE


def _paraf_rows(paraf: list[dict[str, str]]) -> list[tuple[str, list[list[str]], float]]:
    """A konsep's paraf boxes: each row's font, wrapped cells and height."""
    rows = []
    for i, cells in enumerate([("No.", "Jabatan", "Paraf")]
                              + [(p["no"], p["jabatan"], "") for p in paraf]):
        font = BOLD if i == 0 else FONT
        wrapped = [simpleSplit(t, font, PARAF_SIZE, wd - 3) or [""]
                   for t, wd in zip(cells, PARAF_WIDTHS, strict=True)]
        rows.append((font, wrapped,
                     max(len(lines) for lines in wrapped) * (PARAF_SIZE + 1.5) + 3 * mm))
    return rows



class DisposisiSheets:
    """Draws lembar disposisi onto one canvas.

    Everything that repeats between sheets (kop, form frame with its labels and ruled
    lines, tick lists, signature block) becomes a form XObject drawn once and placed again,
    so a sheet of a batch costs about a millisecond: only the letter's own values are drawn
    each time.

    The sheet, top to bottom: kop, title, the letter's fields in two columns (Hal across),
    then the bottom row: the tick lists left, the catatan box right (ruled, to be written
    in; it takes whatever height the ½ page leaves), and under the grid the signature block
    right, the seal (or a konsep's paraf boxes) left."""

    def __init__(self, canvas: Canvas, view: View, logo: Path, sheet_width: float,
                 seal_edge: float = 10 * mm):
        self.canvas = canvas
        self.foot_room = max(FOOT_ROOM, seal_edge + SEAL_SIDE + 3 * mm)
        self.width = sheet_width - MARGIN["left"] - MARGIN["right"]
        self.forms: dict[tuple[object, ...], str] = {}
        self.kop = _kop(view, logo, self.width)  # drawn as a form by the first sheet drawn
        self.kop_height = self.kop.height

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
        """Draw form ``name`` with its lower left corner at (x, bottom): what saveState,
        translate, doForm and restoreState write, in one step (a sheet places a dozen
        forms; the canvas's own calls cost a fifth of drawing it)."""
        c = self.canvas
        c._code.append(f"q\n1 0 0 1 {fp_str(x, bottom)} cm\n/{xObjectName(name)} Do\nQ")
        c._formsinuse.append(name)

    def _field(self, label: str, value: str, width: float) -> Cell:
        return Cell(tuple(_split(value, width - INDENT - 2 * PAD)), label=label)

    def _ticks(self, heading: str, values: list[dict[str, str]], width: float,
               free: bool = False) -> Cell:
        lines = tuple(line for v in values
                      for line in _split(f"{v['tanda']} {v['teks']}", width - 2 * PAD))
        return Cell(lines + ((FREE_LINE,) if free else ()), heading=heading, shared=True)

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
        self._text(cell.lines, PAD + (INDENT if cell.label else 0), y + PAD + SIZE)
        if cell.label:
            c.drawString(PAD, top - PAD - SIZE, cell.label)
            c.drawString(PAD + LABEL, top - PAD - SIZE, ":")

    def _label(self, label: str | None, heading: str | None = None) -> str:
        """A cell's label (``Surat dari :``) or heading, drawn once; placed before the value
        so that text extracted from the PDF reads label, then value."""
        def draw() -> None:
            c = self.canvas
            if label:
                c.setFont(FONT, SIZE)
                c.drawString(0, PAD, label)
                c.drawString(LABEL, PAD, ":")
            else:
                c.setFont(BOLD, SIZE)
                c.drawString(0, PAD, heading or "")

        return self._form(("label", label, heading), INDENT, SIZE + PAD, draw)

    def _shared(self, cell: Cell, width: float) -> str:
        """A cell that repeats between sheets (tick list, sifat), drawn once per content."""
        return self._form(("cell", cell), width, cell.height,
                          lambda: self._draw_whole_cell(cell, cell.height))

    @staticmethod
    def _rules(box: float) -> list[float]:
        """The heights of the catatan box's ruled lines above its bottom edge."""
        rules = []
        y = box - FIRST_RULE
        while y >= RULE_FOOT:
            rules.append(y)
            y -= PITCH
        return rules

    def _frame(self, rows: list[list[Cell]], heights: list[float], kepada: float,
               box: float) -> str:
        """The title, the grid and the catatan box's ruled lines: the same for every sheet
        whose rows have these heights."""
        width, half = self.width, self.width / 2
        grid = sum(heights) + box
        key = ("frame", tuple(heights), kepada, box)

        def draw() -> None:
            c = self.canvas
            c.setFont(BOLD, 11)
            c.drawCentredString(width / 2, grid + 3, "LEMBAR DISPOSISI")
            c.setLineWidth(0.5)
            c.rect(0, 0, width, grid)
            top = grid
            for row, h in zip(rows, heights, strict=True):
                if len(row) == 2:
                    c.line(half, top, half, top - h)
                top -= h
                c.line(0, top, width, top)
            c.line(half, top, half, 0)
            c.line(0, top - kepada, half, top - kepada)
            c.saveState()
            c.setStrokeGray(RULE_GREY)
            c.setLineWidth(0.4)
            for y in self._rules(box):
                c.line(half + PAD, y, width - PAD, y)
            c.restoreState()

        return self._form(key, width, grid + TITLE, draw)

    def _signature_lines(self, view: View, width: float) -> Signature:
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
        sifat = _pack(tuple(f"{v['tanda']}\u00a0{v['teks']}".replace(" ", "\u00a0")
                            for v in view["sifat"]), half - INDENT - 2 * PAD)
        rows: list[list[Cell]] = [
            [self._field("Surat dari", view["surat_dari"], half),
             self._field("Diterima Tgl.", view["diterima_tanggal"], half)],
            [self._field("No. Surat", view["nomor_surat"], half),
             self._field("No. Agenda", view["nomor_agenda"], half)],
            [self._field("Tgl. Surat", view["tanggal_surat"], half),
             Cell(sifat, label="Sifat", shared=True)],
            [self._field("Hal", view["hal"], w)],
        ]
        heights = [max(cell.height for cell in row) for row in rows]
        kepada = self._ticks("Diteruskan kepada Sdr.:", view["diteruskan_kepada"], half)
        harap = self._ticks("Dengan hormat harap:", view["harap"], half, free=True)
        catatan = tuple(_split(view["catatan"], half - 2 * PAD)) if view["catatan"] else ()
        box = max(CATATAN_MIN, kepada.height + harap.height,
                  FIRST_RULE + (len(catatan) - 1) * PITCH + RULE_FOOT)
        signature = self._signature_lines(view, half - 2 * PAD)
        signature_height = _signature_height(signature)
        under = signature_height
        if view["konsep"] and view["paraf"]:
            under = max(under, 11 + sum(h for _, _, h in _paraf_rows(view["paraf"])))
        foot = max(GAP + under + MARGIN["bottom"], self.foot_room)
        needed = MARGIN["top"] + self.kop_height + TITLE + sum(heights) + box + foot
        return Layout(rows, heights, kepada, harap, catatan, box, signature,
                      signature_height, foot, needed)

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
            seal = ", seal (segel.jarak_mm)" if self.foot_room > FOOT_ROOM else ""
            return Misfit(f"{start}: the office's kop, tick lists (disposisi.penerima, "
                          f"disposisi.harap){seal} and signature leave no room for a letter; "
                          "shorten them in the office profile", letter=False)
        half = self.width / 2
        lines = {key: len(self._field("", view[key], self.width if key == "hal" else half)
                          .lines) for key in OWN}
        lines["catatan"] = len(_split(view["catatan"], half - 2 * PAD))
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
        """Draw one sheet whose top edge is at ``top`` and which may use ``height``; the
        catatan box takes the height the rest leaves.

        Raises RenderError when the sheet's text does not fit (the form has fixed boxes).
        """
        c, w, x0 = self.canvas, self.width, MARGIN["left"]
        half = w / 2
        (rows, heights, kepada, harap, catatan, box, signature, signature_height, _,
         needed) = self.layout(view)
        misfit = self.misfit(view, height) if needed > height else None
        if misfit is not None:
            raise RenderError(misfit.message)
        kop = self._form(("kop",), w, self.kop_height, lambda: self.kop.draw(c, 0, 0))
        slack = height - needed
        space = SIGNING_SPACE + min(slack, SIGNING_ROOM - SIGNING_SPACE)
        box += slack - (space - SIGNING_SPACE)
        signature_height += space - SIGNING_SPACE
        y = top - MARGIN["top"]
        if view["konsep"]:
            c.setFont(BOLD, 11)
            c.rect(x0 + w - 24 * mm, y - 6 * mm, 24 * mm, 6.5 * mm)
            c.drawCentredString(x0 + w - 12 * mm, y - 4.5 * mm, "KONSEP")
        self._place(kop, x0, y - self.kop_height)
        y -= self.kop_height + TITLE
        grid_bottom = y - sum(heights) - box
        self._place(self._frame(rows, heights, kepada.height, box), x0, grid_bottom)
        for row, h in zip(rows, heights, strict=True):
            for i, cell in enumerate(row):
                x = x0 + i * half
                if cell.shared:
                    self._place(self._shared(cell, half), x, y - cell.height)
                else:
                    self._place(self._label(cell.label), x + PAD, y - PAD - SIZE - PAD)
                    self._text(cell.lines, x + PAD + INDENT, y)
            y -= h
        self._place(self._shared(kepada, half), x0, y - kepada.height)
        self._place(self._shared(harap, half), x0, y - kepada.height - harap.height)
        self._place(self._label(None, "Catatan:"), x0 + half + PAD, y - PAD - SIZE - PAD)
        if catatan:
            c.setFont(FONT, SIZE)
            for line, rule in zip(catatan, self._rules(box), strict=False):
                c.drawString(x0 + half + PAD, grid_bottom + rule + 2.5, line)
        name = self._form(("signature", signature, space), half, signature_height,
                          lambda: self._draw_signature(signature, signature_height, space))
        self._place(name, x0 + half + PAD, grid_bottom - GAP - signature_height)
        if view["konsep"] and view["paraf"]:
            self._draw_paraf(view["paraf"], x0, grid_bottom - GAP)

    def _draw_signature(self, lines: Signature, top: float, space: float) -> None:
        c = self.canvas
        y = top - SIZE
        for font, text in lines:
            if font == "space":
                y -= space - LEAD
                self._draw_paraf_line(y + SIZE + 3)
                continue
            c.setFont(font, SIZE)
            c.drawString(0, y, text)
            if font == BOLD:  # the name is underlined
                c.line(0, y - 1.5, stringWidth(text, BOLD, SIZE), y - 1.5)
            y -= LEAD

    def _draw_paraf_line(self, y: float) -> None:
        """The dotted line, captioned "Paraf", where the one who disposes initials."""
        c = self.canvas
        c.saveState()
        c.setFillGray(0.35)
        c.setFont(FONT, 7)
        c.drawString(0, y, "Paraf")
        start = stringWidth("Paraf ", FONT, 7)
        c.setStrokeGray(0.35)
        c.setLineWidth(0.6)
        c.setDash(0.6, 1.6)
        c.line(start, y, start + PARAF_LINE, y)
        c.restoreState()

    def _draw_paraf(self, paraf: list[dict[str, str]], x: float, top: float) -> None:
        c = self.canvas
        c.setFont(BOLD, 8)
        c.drawString(x, top - 8, "Paraf Hierarki:")
        y = top - 11
        for font, wrapped, row in _paraf_rows(paraf):
            left = x
            c.setFont(font, PARAF_SIZE)
            for width, lines in zip(PARAF_WIDTHS, wrapped, strict=True):
                c.rect(left, y - row, width, row)
                for n, line in enumerate(lines):
                    c.drawString(left + 1.5, y - 1.5 * mm - PARAF_SIZE
                                 - n * (PARAF_SIZE + 1.5), line)
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
    edge = (seal.jarak_mm if seal else 10) * mm
    DisposisiSheets(canvas, view, logo, width, edge).draw(view, height, height)
    if seal is not None:
        draw_seal(canvas, seal, width)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), 1


def draw_seal(canvas: Canvas, seal: Seal, width: float, bottom: float = 0) -> None:
    """A final sheet's seal: bottom left under the grid (where a konsep has its paraf
    boxes) whatever corner the office's ``segel.posisi`` names, since the signature takes
    the bottom right; its caption stays clear of the signature column. ``width`` is the
    sheet's, ``bottom`` its lower edge on the page (two sheets share a page)."""
    from ..render import seal as drawn

    signature_x = MARGIN["left"] + (width - MARGIN["left"] - MARGIN["right"]) / 2 + PAD
    room = signature_x - GAP - (seal.jarak_mm * mm + drawn.SIZE + drawn.GAP)
    drawn.draw_seal(canvas, replace(seal, posisi="kiri-bawah"), width, bottom, room)


def describe(canvas: Canvas, title: str, view: View) -> None:
    """Set the PDF's document information (title, author, subject, creator)."""
    canvas.setTitle(title)
    canvas.setAuthor(view["kop"]["instansi"])
    canvas.setSubject(view.get("hal", ""))
    canvas.setCreator("sopdocs")
    canvas.setProducer("sopdocs")


#: ½ folio or ½ A4: the form is 18 cm wide (A4 is 21 cm wide, margins 2 cm left, 1 cm right).
DISPOSISI_WIDTH = 18.0
#: The catatan box of the DOCX: ruled rows (the typed catatan in the first) and their height.
DOCX_RULES, DOCX_RULE_CM = 7, 0.66
#: The compact kop's sizes in the shared DOCX block (``T.kop``), made the sheet's own.
_LETTER_KOP = (10.0, 11.0, 7.5)


def _borders(element: Any, tag: str, **sides: str) -> None:
    """Append ``<w:tag>`` holding each side's border: ``nil``, ``single`` (black) or
    ``dotted`` (a grey rule)."""
    looks = {"single": 'w:sz="4" w:space="0" w:color="000000"',
             "dotted": 'w:sz="6" w:space="0" w:color="8C8C8C"'}
    inner = "".join(f'<w:{side} w:val="{how}" {looks.get(how, "")}/>'
                    for side, how in sides.items())
    element.append(T.parse_xml(f"<w:{tag} {T.nsdecls('w')}>{inner}</w:{tag}>"))


def _form_cell(cell: Any, label: str, value: str, label_cm: float = 2.0) -> None:
    """``Label : value`` inside a form cell, the value hanging at a tab stop."""
    p = T.tight(T.first_paragraph(cell))
    p.add_run(f"{label}\t: {value}")
    p.paragraph_format.left_indent = T.Cm(label_cm + 0.3)
    p.paragraph_format.first_line_indent = T.Cm(-(label_cm + 0.3))
    p.paragraph_format.tab_stops.add_tab_stop(T.Cm(label_cm))


def _ticks(cell: Any, heading_text: str, var: str, free: bool = False) -> None:
    cell._tc.remove(cell.paragraphs[0]._p)
    T.para(cell, heading_text, bold=True)
    T.loop(cell, var, "{{ item.tanda }} {{ item.teks }}")
    if free:
        T.para(cell, FREE_LINE)


def _catatan(cell: Any, var: str) -> None:
    """The catatan box: its heading, then ruled rows to write on, the typed catatan in the
    first (a nested table whose rows' bottom borders are the dotted rules)."""
    cell._tc.remove(cell.paragraphs[0]._p)
    T.para(cell, "Catatan:", bold=True)
    rules = cell.add_table(rows=DOCX_RULES, cols=1)
    _borders(rules._tbl.tblPr, "tblBorders", top="nil", left="nil", right="nil",
             bottom="dotted", insideH="dotted", insideV="nil")
    T.set_widths(rules, [DISPOSISI_WIDTH / 2 - 0.4])
    for row in rules.rows:
        row.height = T.Cm(DOCX_RULE_CM)
        T.tight(T.first_paragraph(row.cells[0]))
    rules.rows[0].cells[0].paragraphs[0].add_run(var)
    T.tight(cell.paragraphs[-1]).paragraph_format.line_spacing = T.Pt(2)  # closes the cell


def _signature(doc: Any, v: str) -> None:
    """The signature block right; left, a konsep's paraf boxes (a final PDF's seal)."""
    T.para(doc, "").paragraph_format.line_spacing = T.Pt(4)
    table = doc.add_table(rows=1, cols=2)
    T.no_borders(table)
    T.set_widths(table, [DISPOSISI_WIDTH / 2] * 2)
    T.unsplittable_row(table)
    left, right = table.rows[0].cells
    var = v + "oleh"
    right._tc.remove(right.paragraphs[0]._p)
    T.para(right, "{{ " + v + "tempat }}, {{ " + v + "tanggal }}")
    T.loop(right, var + ".jabatan", "{{ item }}")
    from docx.shared import RGBColor

    paraf = T.para(right, "Paraf " + "." * 36, size=7)
    paraf.paragraph_format.space_before = T.Pt(24)  # the signing space
    paraf.runs[0].font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    run = T.para(right, "").add_run("{{ " + var + ".nama }}")
    run.bold = True
    run.underline = True
    for key in ("pangkat", "nip"):
        T.tag(right, "{%p if " + var + "." + key + " %}")
        T.para(right, "{{ " + var + "." + key + " }}")
        T.tag(right, "{%p endif %}")
    if not v:  # a konsep is a single sheet
        _paraf_boxes(left)


def _paraf_boxes(cell: Any) -> None:
    """The paraf boxes of a konsep, as the PDF has them: bottom left, beside the signature."""
    T.tag(cell, "{%p if konsep and paraf %}")
    T.para(cell, "Paraf Hierarki:", size=8, bold=True)
    table = cell.add_table(rows=1, cols=3)
    _borders(table._tbl.tblPr, "tblBorders", **dict.fromkeys(
        ("top", "left", "bottom", "right", "insideH", "insideV"), "single"))
    for c, text in zip(table.rows[0].cells, ("No.", "Jabatan", "Paraf"), strict=True):
        T.tight(T.first_paragraph(c)).add_run(text).bold = True
    T.row_tag(table, "{%tr for item in paraf %}")
    row = table.add_row()
    for c, text in zip(row.cells, ("{{ item.no }}", "{{ item.jabatan }}", ""), strict=True):
        T.tight(T.first_paragraph(c)).add_run(text)
    row.height = T.Cm(0.8)
    T.row_tag(table, "{%tr endfor %}")
    T.set_widths(table, [1.0, 6.0, 1.8])
    for paragraph in (p for c in table._cells for p in c.paragraphs):
        for r in paragraph.runs:
            r.font.size = T.Pt(7.5)
    T.tag(cell, "{%p endif %}")
    T.tight(cell.paragraphs[-1])


def _small_kop(doc: Any) -> None:
    """The shared compact kop, in the sheet's smaller sizes (as the PDF draws it)."""
    T.kop(doc, DISPOSISI_WIDTH, compact=True)
    doc.paragraphs[-1].paragraph_format.space_after = T.Pt(1)  # the kop's closing rule
    sizes = dict(zip(_LETTER_KOP, KOP_SIZES, strict=True))
    kop = doc.tables[-1]
    for paragraph in kop.rows[0].cells[1].paragraphs:
        for run in paragraph.runs:
            if run.font.size is not None:
                run.font.size = T.Pt(sizes.get(run.font.size.pt, run.font.size.pt))


def _sheet_template(doc: Any, v: str = "") -> None:
    """The lembar disposisi form; ``v`` prefixes its variables (``sheet.`` in a batch)."""
    _small_kop(doc)
    T.para(doc, "LEMBAR DISPOSISI", size=11, bold=True, align=T.WD_ALIGN_PARAGRAPH.CENTER,
           space_after=2)
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
    _ticks(rows[5].cells[0], "Dengan hormat harap:", v + "harap", free=True)
    _catatan(rows[4].cells[1].merge(rows[5].cells[1]), var("catatan"))
    _signature(doc, v)


def _document(title_text: str, page_numbers: bool = True) -> Any:
    return T.new_document(title_text, height_cm=16.5, margins_cm=(0.5, 0.45, 2.0, 1.0),
                          size=9, page_numbers=page_numbers)


def template() -> Any:
    doc = _document("Lembar Disposisi")
    _sheet_template(doc)
    T.para(doc, "").paragraph_format.line_spacing = T.Pt(1)  # a body ends with a paragraph
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
