"""NIP, the 18-digit civil-servant number: parse, validate and print it as officials do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class NIP:
    """A validated PNS NIP: birth date (8), TMT CPNS (6), sex (1), sequence (3).

    ``str()`` prints the grouped form ``19680101 198809 1 001``; ``NIP.parse`` accepts it with
    or without spaces.
    """

    digits: str

    @classmethod
    def parse(cls, text: str | int) -> NIP:
        """Return the NIP in ``text``; raise ValueError saying which part is wrong."""
        raw = str(text).strip()
        digits = re.sub(r"[\s.]", "", raw)
        if not digits.isdigit() or len(digits) != 18:
            raise ValueError(f"NIP must have 18 digits, got {raw!r}")
        nip = cls(digits)
        try:
            born = nip.tanggal_lahir
        except ValueError:
            raise ValueError(f"NIP {raw!r}: digits 1-8 are not a real birth date") from None
        try:
            tmt = nip.tmt
        except ValueError:
            raise ValueError(f"NIP {raw!r}: digits 9-14 are not a real TMT (yyyymm)") from None
        if tmt <= born:
            raise ValueError(f"NIP {raw!r}: TMT {tmt:%Y-%m} is not after birth date {born}")
        if digits[14] not in "12":
            raise ValueError(f"NIP {raw!r}: digit 15 must be 1 (male) or 2 (female)")
        if digits[15:] == "000":
            raise ValueError(f"NIP {raw!r}: the last 3 digits (sequence) start at 001")
        return nip

    @property
    def tanggal_lahir(self) -> date:
        d = self.digits
        return date(int(d[0:4]), int(d[4:6]), int(d[6:8]))

    @property
    def tmt(self) -> date:
        d = self.digits
        return date(int(d[8:12]), int(d[12:14]), 1)

    @property
    def jenis_kelamin(self) -> str:
        """``L`` (laki-laki) or ``P`` (perempuan)."""
        return "L" if self.digits[14] == "1" else "P"

    def __str__(self) -> str:
        d = self.digits
        return f"{d[0:8]} {d[8:14]} {d[14]} {d[15:18]}"
