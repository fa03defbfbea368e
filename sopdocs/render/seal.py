"""Draw a final PDF's seal (see ``sopdocs.seal``): a small QR code and its caption."""

from __future__ import annotations

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..seal import Seal

#: The QR code's side: with its caption beside it, the seal stays in the bottom margin
#: (25 mm) at 10 mm from the edge, never over text.
SIZE = 14 * mm
GAP = 2 * mm
CAPTION_FONT = ("LiberationSans", 6)
#: The QR mask pattern every seal uses (see ``draw_seal``).
MASK = 4


def draw_seal(canvas: Canvas, seal: Seal, width: float, bottom: float = 0) -> None:
    """Draw the seal in a bottom corner of a page (or of a ½ sheet whose lower edge is at
    ``bottom``) ``width`` wide: the QR code ``seal.jarak_mm`` from the side and bottom edges,
    its one-line caption beside it on the inner side.

    The modules are drawn as one filled path straight from ReportLab's QR encoder (the
    graphics widget route costs more to import than the whole seal is worth), a run of dark
    modules in a row as one rectangle. The mask pattern is fixed: choosing the best of the
    eight takes eight encodings (11 ms a code, 11 s for a batch of 1,000 sheets), and every
    mask makes a valid code (the tests decode each sheet's seal with zbarimg).
    """
    edge = seal.jarak_mm * mm
    left = seal.posisi == "kiri-bawah"
    x = edge if left else width - edge - SIZE
    y = bottom + edge
    draw_qr(canvas, seal.data, x, y, SIZE)
    canvas.saveState()
    canvas.setFont(*CAPTION_FONT)
    if left:
        canvas.drawString(x + SIZE + GAP, y, seal.caption)
    else:
        canvas.drawRightString(x - GAP, y, seal.caption)
    canvas.restoreState()


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw ``data`` as a QR code ``size`` square with its lower left corner at (x, y)."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(data)
    code.version = code.calculate_version()
    code.makeImpl(False, MASK)
    count = code.getModuleCount()
    module = size / count
    path = canvas.beginPath()
    for row, modules in enumerate(code.modules):
        top = y + (count - 1 - row) * module
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
    canvas.restoreState()
