"""Draw a final PDF's seal (see ``sopdocs.seal``): a small QR code and its caption."""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..seal import Seal

SIZE = 16 * mm
CAPTION_FONT = ("LiberationSans", 6)


def draw_seal(canvas: Canvas, seal: Seal, x: float, y: float) -> None:
    """Draw the QR code with its lower-left corner at (x, y + caption) and the caption at y."""
    widget = QrCodeWidget(seal.data, barLevel="M", barBorder=0)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(SIZE, SIZE, transform=[SIZE / (right - left), 0, 0,
                                             SIZE / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y + 3 * mm)
    canvas.saveState()
    canvas.setFont(*CAPTION_FONT)
    canvas.drawString(x, y, seal.caption)
    canvas.restoreState()
