"""Draw a final PDF's seal (see ``sopdocs.seal``): a small QR code and its caption."""

from __future__ import annotations

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..seal import Seal

SIZE = 16 * mm
CAPTION_FONT = ("LiberationSans", 6)


def draw_seal(canvas: Canvas, seal: Seal, x: float, y: float) -> None:
    """Draw the QR code above (x, y) and its one-line caption at (x, y).

    The modules are drawn as one filled path straight from ReportLab's QR encoder: the
    graphics widget route costs more to import than the whole seal is worth.
    """
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(seal.data)
    code.make()
    count = code.getModuleCount()
    module = SIZE / count
    bottom = y + 3 * mm
    path = canvas.beginPath()
    for row in range(count):
        for col in range(count):
            if code.isDark(row, col):
                path.rect(x + col * module, bottom + (count - 1 - row) * module, module, module)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFont(*CAPTION_FONT)
    canvas.drawString(x, y, seal.caption)
    canvas.restoreState()
