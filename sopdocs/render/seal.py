"""Draw a final PDF's seal (see ``sopdocs.seal``): a small QR code and its caption."""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..alone import module_alone
from ..seal import Seal


def _qrencoder() -> ModuleType:
    """ReportLab's QR encoder, without the barcode package's ``__init__`` (which imports
    every barcode widget, shapes and charts: 10 ms, a twentieth of making a document)."""
    try:
        return module_alone("reportlab.graphics.barcode", "qrencoder")
    except ImportError:
        from reportlab.graphics.barcode import qrencoder

        return qrencoder


_QR = _qrencoder()

#: The QR code's side: with its caption beside it, the seal stays in the bottom margin
#: (25 mm) at 10 mm from the edge, never over text.
SIZE = 14 * mm
GAP = 2 * mm
CAPTION_FONT = ("LiberationSans", 6)
CAPTION_LEAD = 7.5
#: The QR mask pattern every seal uses (see ``draw_seal``).
MASK = 4

# ReportLab rebuilds the Reed-Solomon generator polynomial of a code's error-correction length
# for every code (a third of a seal's encoding time); it depends on that length only, and its
# callers never change it (``QRPolynomial.mod`` builds new polynomials).
_QR.QRUtil.getErrorCorrectPolynomial = staticmethod(lru_cache(maxsize=None)(
    _QR.QRUtil.getErrorCorrectPolynomial))


def draw_seal(canvas: Canvas, seal: Seal, width: float, bottom: float = 0,
              room: float | None = None) -> None:
    """Draw the seal in a bottom corner of a page (or of a ½ sheet whose lower edge is at
    ``bottom``) ``width`` wide: the QR code ``seal.jarak_mm`` from the side and bottom edges,
    its caption beside it on the inner side, on one line or, where one line would be wider
    than ``room`` (a ½ sheet's signature column beside it), on two (``caption_lines``).

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
    lines = caption_lines(seal.caption, room)
    for n, line in enumerate(lines):
        baseline = y + (len(lines) - 1 - n) * CAPTION_LEAD
        if left:
            canvas.drawString(x + SIZE + GAP, baseline, line)
        else:
            canvas.drawRightString(x - GAP, baseline, line)
    canvas.restoreState()


def caption_lines(caption: str, room: float | None) -> list[str]:
    """The caption as one line, or as two when one is wider than ``room``: what identifies
    the document (number, date, sidik), then what the seal is."""
    if room is None or stringWidth(caption, *CAPTION_FONT) <= room:
        return [caption]
    head, _, tail = caption.rpartition(" | ")
    return [head, tail]


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw ``data`` as a QR code ``size`` square with its lower left corner at (x, y)."""
    code = _QR.QRCode(None, _QR.QRErrorCorrectLevel.M)
    code.addData(data)
    code.version = code.calculate_version()
    code.makeImpl(False, MASK)
    count = code.getModuleCount()
    runs = []  # each row's runs of dark modules, in modules from the lower left corner
    for row, modules in enumerate(code.modules):
        col = 0
        while col < count:
            if modules[col]:
                start = col
                while col < count and modules[col]:
                    col += 1
                runs.append(f"{start} {count - 1 - row} {col - start} 1 re")
            else:
                col += 1
    # In module units (one "cm" for the code), each run is a short rectangle of integers:
    # a fifth of the page content that rectangles in points take (12 kB a sheet of a batch).
    module = size / count
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(f"{module:.4f} 0 0 {module:.4f} {x:.3f} {y:.3f} cm {' '.join(runs)} f")
    canvas.restoreState()
