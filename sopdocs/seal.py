"""The integrity seal of a final document: its number, its date and a short hash of its source
record, printed on the PDF as a small QR code with a one-line caption.

It lets anyone holding a printout find the archived original; it is *not* an electronic
signature (that is SRIKANDI's TTE, through BSrE).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seal:
    """What a final document's QR code says, and where the office wants it: a bottom corner
    of page 1 (``posisi``), ``jarak_mm`` from the paper's edges (printers cut 3–5 mm)."""

    nomor: str
    tanggal: str  # ISO date
    sidik: str  # the first 16 hex digits of the SHA-256 of the source record
    posisi: str = "kiri-bawah"
    jarak_mm: float = 10

    @property
    def data(self) -> str:
        return f"SOPDOCS|{self.nomor}|{self.tanggal}|{self.sidik}"

    @property
    def caption(self) -> str:
        return (f"{self.nomor} | {self.tanggal} | sidik {self.sidik} | "
                "segel dokumen, bukan tanda tangan")

