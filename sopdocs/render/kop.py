"""The kop (letterhead), drawn on a canvas: logo left, the kop lines centred beside it, and
the closing double rule. Documents place it as a flowable, lembar disposisi as a form; this is
the one drawing of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from ..errors import RenderError
from ..view import View
from .fonts import BOLD, FONT

LOGO = 24 * mm
#: Font sizes of the pemerintah, instansi and address lines; a ½ folio sheet uses the small set.
SIZES: dict[bool, tuple[float, float, float]] = {False: (13, 15, 10), True: (10, 11, 7.5)}
LEADING = 1.18
RULE = 2 + 9  # gap above the double rule, and the rule itself


@dataclass(frozen=True)
class Kop:
    """A kop laid out for a width: its lines (font, size, text) and its height."""

    lines: tuple[tuple[str, float, str], ...]
    logo: Path
    logo_size: float
    width: float

    @classmethod
    def layout(cls, view: View, logo: Path, width: float, compact: bool = False) -> Kop:
        k = view["kop"]
        logo_size = LOGO / 2 if compact else LOGO
        text_width = width - logo_size
        sizes = SIZES[compact]
        parts: list[tuple[str, float, str]] = [(FONT, sizes[0], k["pemerintah"]),
                                               (BOLD, sizes[1], k["instansi"])]
        parts += [(FONT, sizes[2], a) for a in k["alamat"]]
        lines = tuple((font, size, line) for font, size, text in parts
                      for line in simpleSplit(text, font, size, text_width) or [""])
        return cls(lines, logo, logo_size, width)

    @property
    def text_height(self) -> float:
        return sum(size * LEADING for _, size, _ in self.lines)

    @property
    def height(self) -> float:
        return max(self.logo_size, self.text_height) + RULE

    def draw(self, canvas: Canvas, x: float, y: float) -> None:
        """Draw the kop with its lower-left corner at (x, y)."""
        row = self.height - RULE
        top = y + self.height
        try:
            canvas.drawImage(str(self.logo), x, top - (row + self.logo_size) / 2,
                             width=self.logo_size, height=self.logo_size,
                             preserveAspectRatio=True, mask="auto")
        except Exception as exc:  # the profile's check (office.logo_problem) missed something
            raise RenderError(f"logo {self.logo}: cannot be drawn in the PDF "
                              f"({type(exc).__name__}: {exc}); use a PNG or JPEG file") from None
        centre = x + self.logo_size + (self.width - self.logo_size) / 2
        line_top = top - (row - self.text_height) / 2
        for font, size, text in self.lines:
            line_top -= size * LEADING
            canvas.setFont(font, size)
            canvas.drawCentredString(centre, line_top + size * (LEADING - 1) + size * 0.2, text)
        canvas.setLineWidth(2.2)
        canvas.line(x, y + 8, x + self.width, y + 8)
        canvas.setLineWidth(0.7)
        canvas.line(x, y + 5, x + self.width, y + 5)
