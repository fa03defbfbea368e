"""The lembar disposisi drawn straight onto a reportlab canvas.

A disposisi is a fixed form on ½ folio, printed by the hundred: drawing it directly (the kop
once, as a reusable form XObject) takes about a millisecond a sheet, where laying it out as a
story takes fifteen. Single documents and batches use this same drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..errors import RenderError
from ..view import View
from .pdf import FONT, kop

BOLD = f"{FONT}-Bold"
SIZE, LEAD = 9.5, 11.5
PAD = 2.5
LABEL = 22 * mm
MARGIN = {"top": 8 * mm, "bottom": 6 * mm, "left": 20 * mm, "right": 10 * mm}
SIGNING_SPACE = 9 * mm


def _split(text: str, width: float, font: str = FONT) -> list[str]:
    return simpleSplit(text, font, SIZE, width) or [""]


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
    """The lines of one form cell: an optional label (``Label : …``) or a bold heading."""

    lines: list[str]
    label: str | None = None
    heading: str | None = None

    @property
    def height(self) -> float:
        return (len(self.lines) + (1 if self.heading else 0)) * LEAD + 2 * PAD


class DisposisiSheets:
    """Draws lembar disposisi onto one canvas; the kop is drawn once and reused."""

    def __init__(self, canvas: Canvas, view: View, logo: Path, sheet_width: float):
        self.canvas = canvas
        self.width = sheet_width - MARGIN["left"] - MARGIN["right"]
        flowables = kop(view, logo, self.width, compact=True)
        heights = [f.wrap(self.width, 200 * mm)[1] for f in flowables]
        self.kop_height = sum(heights)
        canvas.beginForm("kop", 0, 0, self.width, self.kop_height)
        y = self.kop_height
        for flowable, h in zip(flowables, heights, strict=True):
            y -= h
            flowable.drawOn(canvas, 0, y)
        canvas.endForm()

    def _field(self, label: str, value: str, width: float) -> Cell:
        return Cell(_split(value, width - LABEL - 2 * PAD - 3 * mm), label=label)

    def _ticks(self, heading: str, values: list[dict[str, str]], width: float) -> Cell:
        lines = [line for v in values
                 for line in _split(f"{v['tanda']} {v['teks']}", width - 2 * PAD)]
        return Cell(lines, heading=heading)

    def _draw_cell(self, cell: Cell, x: float, top: float) -> None:
        c = self.canvas
        y = top - PAD - SIZE
        if cell.heading:
            c.setFont(BOLD, SIZE)
            c.drawString(x + PAD, y, cell.heading)
            y -= LEAD
        c.setFont(FONT, SIZE)
        if cell.label:
            c.drawString(x + PAD, y, cell.label)
            c.drawString(x + PAD + LABEL, y, ":")
        indent = LABEL + 3 * mm if cell.label else 0
        for line in cell.lines:
            c.drawString(x + PAD + indent, y, line)
            y -= LEAD

    def _signature(self, view: View, width: float) -> list[tuple[str, str]]:
        ttd = view["oleh"]
        lines = [(FONT, f"{view['tempat']}, {view['tanggal']}")]
        lines += [(FONT, part) for line in ttd["jabatan"] for part in _split(line, width)]
        lines.append(("space", ""))
        lines.append((BOLD, ttd["nama"]))
        lines += [(FONT, ttd[key]) for key in ("pangkat", "nip") if ttd[key]]
        return lines

    def draw(self, view: View, top: float, height: float) -> None:
        """Draw one sheet whose top edge is at ``top`` and which may use ``height``.

        Raises RenderError when the sheet's text does not fit (the form has fixed boxes).
        """
        c, w, x0 = self.canvas, self.width, MARGIN["left"]
        half = w / 2
        sifat = _pack([f"{v['tanda']}\u00a0{v['teks']}".replace(" ", "\u00a0")
                       for v in view["sifat"]], half - LABEL - 2 * PAD - 3 * mm)
        rows: list[list[Cell]] = [
            [self._field("Surat dari", view["surat_dari"], half),
             self._field("Diterima Tgl.", view["diterima_tanggal"], half)],
            [self._field("No. Surat", view["nomor_surat"], half),
             self._field("No. Agenda", view["nomor_agenda"], half)],
            [self._field("Tgl. Surat", view["tanggal_surat"], half),
             Cell(sifat, label="Sifat")],
            [self._field("Hal", view["hal"], w)],
            [self._ticks("Diteruskan kepada Sdr.:", view["diteruskan_kepada"], half),
             self._ticks("Dengan hormat harap:", view["harap"], half)],
            [Cell(_split(view["catatan"], w - 2 * PAD), heading="Catatan:")],
        ]
        heights = [max(cell.height for cell in row) for row in rows]
        heights[-1] = max(heights[-1], 16 * mm)
        signature = self._signature(view, half)
        signature_height = (len(signature) - 1) * LEAD + SIGNING_SPACE
        needed = (MARGIN["top"] + self.kop_height + 16 + sum(heights) + 4 * mm
                  + signature_height + MARGIN["bottom"])
        if needed > height:
            raise RenderError(
                f"the lembar disposisi needs {needed / mm:.0f} mm but ½ sheet has "
                f"{height / mm:.0f} mm: shorten hal or catatan, or the office's lists")
        y = top - MARGIN["top"]
        if view["konsep"]:
            c.setFont(BOLD, 11)
            c.rect(x0 + w - 24 * mm, y - 6 * mm, 24 * mm, 6.5 * mm)
            c.drawCentredString(x0 + w - 12 * mm, y - 4.5 * mm, "KONSEP")
        c.saveState()
        c.translate(x0, y - self.kop_height)
        c.doForm("kop")
        c.restoreState()
        y -= self.kop_height + 12
        c.setFont(BOLD, 12)
        c.drawCentredString(x0 + half, y, "LEMBAR DISPOSISI")
        y -= 4
        c.setLineWidth(0.5)
        c.rect(x0, y - sum(heights), w, sum(heights))
        for row, h in zip(rows, heights, strict=True):
            for i, cell in enumerate(row):
                self._draw_cell(cell, x0 + i * half, y)
            if len(row) == 2:
                c.line(x0 + half, y, x0 + half, y - h)
            y -= h
            c.line(x0, y, x0 + w, y)
        self._draw_signature(signature, x0 + half + PAD, y - 4 * mm)
        if view["konsep"] and view["paraf"]:
            self._draw_paraf(view["paraf"], x0, y - 4 * mm)

    def _draw_signature(self, lines: list[tuple[str, str]], x: float, top: float) -> None:
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


def render_sheet(view: View, *, logo: Path, paper_size: tuple[float, float],
                 title: str) -> bytes:
    """Return the PDF of one lembar disposisi on ½ of a sheet of ``paper_size`` (points)."""
    import io

    width, height = paper_size[0], paper_size[1] / 2
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1)
    describe(canvas, title, view)
    DisposisiSheets(canvas, view, logo, width).draw(view, height, height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def describe(canvas: Canvas, title: str, view: View) -> None:
    """Set the PDF's document information (title, author, subject, creator)."""
    canvas.setTitle(title)
    canvas.setAuthor(view["kop"]["instansi"])
    canvas.setSubject(view.get("hal", ""))
    canvas.setCreator("sopdocs")
    canvas.setProducer("sopdocs")
