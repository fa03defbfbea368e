"""NIP, the 18-digit civil-servant number: parse, validate and print it as officials do."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .idn import kutip

#: The longest text read as a NIP: 18 digits with spaces or dots between the groups, and
#: some slack. Anything longer is refused before it is looked at.
NIP_MAX = 40


@dataclass(frozen=True)
class NIP:
    """A validated PNS NIP: birth date (8), TMT CPNS (6), sex (1), sequence (3).

    ``str()`` prints the grouped form ``19680101 198809 1 001``; ``NIP.parse`` accepts it with
    or without spaces. Compatibility forms are read as the digits they stand for (NFKC:
    fullwidth ``１９６８…`` typed with an Asian keyboard is ``1968…``); digits of other scripts
    are refused, so a NIP is always printed in the digits 0-9.
    """

    digits: str

    @classmethod
    def parse(cls, text: str | int) -> NIP:
        """Return the NIP in ``text``; raise ValueError saying which part is wrong."""
        if isinstance(text, bool) or not isinstance(text, str | int):
            raise ValueError(f"NIP must be 18 digits, got {kutip(text)}")
        if isinstance(text, int) and not 0 < text < 10**18:
            raise ValueError(f"NIP must have 18 digits, got {kutip(text)}")
        if isinstance(text, str) and len(text) > NIP_MAX:
            raise ValueError(f"NIP must have 18 digits, got {len(text):,} characters "
                             f"({kutip(text, 30)})")
        raw = unicodedata.normalize("NFKC", str(text)).strip()
        digits = re.sub(r"[\s.]", "", raw)
        if re.search(r"(?![0-9])\d", digits):
            raise ValueError(f"NIP must be written with the digits 0-9, got {kutip(raw)}")
        if not re.fullmatch(r"[0-9]{18}", digits):
            raise ValueError(f"NIP must have 18 digits, got {kutip(raw)}")
        nip = cls(digits)
        try:
            born = nip.tanggal_lahir
        except ValueError:
            raise ValueError(f"NIP {kutip(raw)}: digits 1-8 are not a real birth date") from None
        try:
            tmt = nip.tmt
        except ValueError:
            raise ValueError(f"NIP {kutip(raw)}: digits 9-14 are not a real TMT (yyyymm)") from None
        if tmt <= born:
            raise ValueError(f"NIP {kutip(raw)}: TMT {tmt:%Y-%m} is not after birth date {born}")
        if digits[14] not in "12":
            raise ValueError(f"NIP {kutip(raw)}: digit 15 must be 1 (male) or 2 (female)")
        if digits[15:] == "000":
            raise ValueError(f"NIP {kutip(raw)}: the last 3 digits (sequence) start at 001")
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
