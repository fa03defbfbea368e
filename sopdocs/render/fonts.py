"""The embedded font (Liberation Sans, metric-compatible with Arial) and PDF settings."""

from __future__ import annotations

from functools import cache

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..office import data_path

FONT = "LiberationSans"
BOLD = f"{FONT}-Bold"


@cache
def register_fonts() -> None:
    """Register the two faces the layouts use (parsing a TrueType file costs ~7 ms each)."""
    # Compressed streams stay binary: ASCII85 only makes files larger and slower to write.
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(FONT, str(data_path("fonts/LiberationSans-Regular.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(data_path("fonts/LiberationSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def undrawable(text: str) -> str:
    """The characters of ``text`` the embedded font has no glyph for (CJK, Arabic script,
    emoji): the PDF would show them as empty boxes. White space is never reported."""
    register_fonts()
    glyphs = pdfmetrics.getFont(FONT).face.charToGlyph
    return "".join(dict.fromkeys(c for c in text if ord(c) not in glyphs and not c.isspace()))
