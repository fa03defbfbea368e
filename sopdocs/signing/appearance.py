"""The visible electronic signature: what the reserved box shows once a document is signed.

Drawn with reportlab as a one-page PDF exactly the box's size (embedded Liberation Sans, so
names with any Latin letter print), then placed onto the page by ``pades``: the document's
QR code, "Ditandatangani secara elektronik oleh:", jabatan, nama, NIP, date and time, and
whether the certificate is certified. An uncertified one says "tidak tersertifikasi" in
plain words: nothing on the page claims a certified signature that is not there.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import idn
from ..nip import NIP
from ..summary import Kotak
from . import TIDAK_TERSERTIFIKASI, SigningError

#: Indonesia's three time zones by their offset from UTC.
ZONES = {7: "WIB", 8: "WITA", 9: "WIT"}
SIZES = (7.0, 6.5, 6.0, 5.5, 5.0)


@dataclass(frozen=True)
class Block:
    """The texts of the visible signature."""

    jabatan: str
    nama: str
    nip: str  # digits, or empty
    when: datetime  # aware
    qr: str  # what the QR code says (the document's seal)
    certified_by: str | None  # the certified root's name, or None: tidak tersertifikasi

    def lines(self) -> list[tuple[str, bool]]:
        """(text, bold) lines, top to bottom."""
        out = [("Ditandatangani secara elektronik oleh:", False), (self.jabatan, False),
               (self.nama, True)]
        if self.nip:
            out.append((f"NIP {NIP.parse(self.nip)}", False))
        out.append((f"pada {idn.tanggal(self.when.date())} {self.when:%H:%M} "
                    f"{zone(self.when)}", False))
        out.append((f"Tanda tangan elektronik tersertifikasi ({self.certified_by})"
                    if self.certified_by else
                    f"Tanda tangan elektronik {TIDAK_TERSERTIFIKASI} (sertifikat kantor)",
                    False))
        return out


def zone(when: datetime) -> str:
    """WIB / WITA / WIT, or the offset from UTC elsewhere."""
    offset = when.utcoffset() or timedelta(0)
    hours = offset.total_seconds() / 3600
    if not hours:
        return "UTC"
    return ZONES.get(int(hours), f"UTC{hours:+.0f}") if hours.is_integer() else f"UTC{offset}"


def render_block(block: Block, box: Kotak) -> bytes:
    """A one-page PDF the size of ``box`` showing ``block``: the QR code left, the lines
    beside it at the largest size (7 pt down to 5 pt) at which they fit; raise SigningError
    when even 5 pt does not fit (a box too small for a visible signature)."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame, Paragraph

    from ..render.fonts import register_fonts
    from ..render.pdf import paragraph_style, text
    from ..render.seal import draw_qr

    register_fonts()
    pad = 1 * mm
    qr = min(box.tinggi - 2 * pad, 22 * mm)
    width = box.lebar - qr - 3 * pad
    if qr < 12 * mm or width < 30 * mm:
        raise SigningError(f"the signature box on page {box.halaman} ({box.lebar / mm:.0f} × "
                           f"{box.tinggi / mm:.0f} mm) is too small for a visible signature")
    for size in SIZES:
        style = paragraph_style(f"ttd{size:g}", size, leading=size * 1.2)
        bold = paragraph_style(f"ttd{size:g}b", size, bold=True, leading=size * 1.2)
        paras = [Paragraph(text(line), bold if strong else style)
                 for line, strong in block.lines()]
        height = sum(para.wrap(width, box.tinggi)[1] for para in paras)
        if height <= box.tinggi - 2 * pad:
            break
    else:
        raise SigningError(f"the signature box on page {box.halaman} is too small for the "
                           "signer's jabatan and name at 5 pt")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(box.lebar, box.tinggi), invariant=1)
    canvas.setTitle("tanda tangan elektronik")
    draw_qr(canvas, block.qr, pad, (box.tinggi - qr) / 2, qr)
    frame = Frame(qr + 2 * pad, (box.tinggi - height) / 2, width, height, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0)
    frame.addFromList(paras, canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
