"""Draw a final PDF's seal (see ``sopdocs.seal``): a small QR code and its caption."""

from __future__ import annotations

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..seal import Seal

SIZE = 16 * mm
CAPTION_FONT = ("LiberationSans", 6)
#: The QR mask pattern every seal uses (see ``draw_seal``).
MASK = 4


def draw_seal(canvas: Canvas, seal: Seal, x: float, y: float) -> None:
    """Draw the QR code above (x, y) and its one-line caption at (x, y).

    The modules are drawn as one filled path straight from ReportLab's QR encoder (the
    graphics widget route costs more to import than the whole seal is worth), a run of dark
    modules in a row as one rectangle. The mask pattern is fixed: choosing the best of the
    eight takes eight encodings (11 ms a code, 11 s for a batch of 1,000 sheets), and every
    mask makes a valid code (the tests decode each sheet's seal with zbarimg).
    """
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(seal.data)
    code.version = code.calculate_version()
    code.makeImpl(False, MASK)
    count = code.getModuleCount()
    module = SIZE / count
    bottom = y + 3 * mm
    path = canvas.beginPath()
    for row, modules in enumerate(code.modules):
        top = bottom + (count - 1 - row) * module
        col = 0
        while col < count:
            if modules[col]:
                start = col
                while col < count and modules[col]:
                    col += 1
                path.rect(x + start * module, top, (col - start) * module, module)
            else:
                col += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFont(*CAPTION_FONT)
    canvas.drawString(x, y, seal.caption)
    canvas.restoreState()
