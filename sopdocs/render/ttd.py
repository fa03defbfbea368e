"""The reserved signature box of a final PDF: where the wet signature goes, or, in the
electronic variant (``--tte``), the visible electronic signature.

The box is a flowable of the signature block; when it is drawn it records its page and its
rectangle in PDF points (origin bottom left), so that a signer (``sopdocs sign``, or an
external one such as BSrE's API, which takes a page and coordinates) places the visible
signature there without guessing. ``recording()`` collects the boxes of one rendering;
``electronic()`` selects the variant. Both are context variables, so that rendering keeps
returning bytes and the kinds' layouts stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..summary import Kotak
from .fonts import FONT

#: The height of the visible electronic signature's box (QR code and six short lines).
TTE_SPACE = 24 * mm

#: The boxes drawn by the rendering under way (None: nobody is recording).
_DRAWN: ContextVar[list[Kotak] | None] = ContextVar("signature_boxes", default=None)
#: The footer of an electronically signed document, when the electronic variant is asked.
_TTE: ContextVar[str | None] = ContextVar("tte_footer", default=None)


@contextmanager
def recording() -> Iterator[list[Kotak]]:
    """Collect the signature boxes drawn while the block runs (one rendering)."""
    boxes: list[Kotak] = []
    token = _DRAWN.set(boxes)
    try:
        yield boxes
    finally:
        _DRAWN.reset(token)


def restart() -> None:
    """Forget the boxes recorded so far (a document laid out again after a LayoutError)."""
    boxes = _DRAWN.get()
    if boxes is not None:
        boxes.clear()


@contextmanager
def electronic(footer: str) -> Iterator[None]:
    """Render the electronic-signature variant: the box holds the visible signature (no
    room for a wet one) and every page carries ``footer`` (may be empty)."""
    token = _TTE.set(footer)
    try:
        yield
    finally:
        _TTE.reset(token)


def tte_footer() -> str | None:
    """The footer of the electronic variant, or None when the usual variant is rendered."""
    return _TTE.get()


def space(wet: float) -> float:
    """The height of the box: ``wet`` for a wet signature, ``TTE_SPACE`` electronically."""
    return TTE_SPACE if _TTE.get() is not None else wet


class SignatureBox(Flowable):
    """Blank room of a signature block, ``height`` high and the column wide, that records
    where it was drawn (page and rectangle) for the signer ``ttd`` (nama, jabatan lines)."""

    def __init__(self, height: float, nama: str, jabatan: str):
        super().__init__()
        self.height, self.nama, self.jabatan = height, nama, jabatan

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        record(self.canv, self.width, self.height, self.nama, self.jabatan)


def record(canvas: Canvas, width: float, height: float, nama: str, jabatan: str) -> None:
    """Record a signature box ``width`` × ``height`` whose lower left corner is the
    canvas's current origin (a flowable's, or a fixed form's after ``translate``), on the
    current page, for the signer ``nama`` / ``jabatan``."""
    boxes = _DRAWN.get()
    if boxes is None:
        return
    x0, y0 = canvas.absolutePosition(0, 0)
    x1, y1 = canvas.absolutePosition(width, height)
    boxes.append(Kotak(halaman=canvas.getPageNumber(), x=round(x0, 2), y=round(y0, 2),
                       lebar=round(x1 - x0, 2), tinggi=round(y1 - y0, 2), nama=nama,
                       jabatan=jabatan))


def draw_footer(canvas: Canvas, footer: str, width: float, bottom: float) -> None:
    """The electronic variant's footer line, small and grey, centred ``bottom`` above the
    page's lower edge (inside the bottom margin, above the seal's caption line)."""
    if not footer:
        return
    from reportlab.pdfbase.pdfmetrics import stringWidth

    size = min(7.0, 7.0 * (width - 20 * mm) / max(stringWidth(footer, FONT, 7), 1))
    canvas.saveState()
    canvas.setFont(FONT, size)
    canvas.setFillGray(0.35)
    canvas.drawCentredString(width / 2, bottom, footer)
    canvas.restoreState()


#: Where the footers sit above the page's lower edge: the electronic variant's (printed
#: when made) and a certified signature's (stamped when signed), both under the seal.
FOOTER_Y = 7.5 * mm
CERTIFIED_FOOTER_Y = 5 * mm
