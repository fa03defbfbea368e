"""The nomor of a document as a value object: parts plus the office's pattern; formats, parses."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, replace

from . import idn
from .errors import NumberError

DEFAULT_POLA = "{kode}/{urut}/{unit}-{tahun}"
#: What each part of a pattern may look like when a number is read back.
_PART_RE = {
    "kode": r"\d{3}(?:\.\d+)*",
    "urut": r"\d+",
    "unit": r"[^/]+?",
    "tahun": r"\d{4}",
    "bulan": r"[IVX]+",
}
#: What stands in the place of ``urut`` on a konsep, before the number is taken.
KONSEP_URUT = "\u00a0" * 7


def check_pola(pola: str) -> str:
    """Return ``pola`` if it is a usable number pattern; raise ValueError saying what is wrong.

    A pattern uses only ``{kode}``, ``{urut}`` (required, optionally ``{urut:03d}``), ``{unit}``,
    ``{tahun}`` and ``{bulan}`` (the month in Roman numerals).
    """
    fields = [(f, spec) for _, f, spec, _ in string.Formatter().parse(pola) if f is not None]
    names = [f for f, _ in fields]
    unknown = sorted(set(names) - set(_PART_RE))
    if unknown:
        raise ValueError(f"unknown part(s) {', '.join(unknown)} in {pola!r} "
                         f"(use {', '.join('{' + p + '}' for p in _PART_RE)})")
    if "urut" not in names:
        raise ValueError(f"{pola!r} has no {{urut}}: numbers would not be unique")
    if len(names) != len(set(names)):
        raise ValueError(f"{pola!r} uses a part twice")
    for name, spec in fields:
        if spec and (name != "urut" or not re.fullmatch(r"0?\d+d", spec)):
            raise ValueError(f"{pola!r}: only {{urut}} takes a width, like {{urut:03d}}")
    return pola


@dataclass(frozen=True, order=True)
class Nomor:
    """A document number: ``str()`` gives ``000.8.3.3/1/Diskominfotik-2026`` for the default
    pattern; ``Nomor.parse`` reads such a text back into its parts."""

    kode: str
    urut: int
    unit: str
    tahun: int
    bulan: int = 1
    pola: str = DEFAULT_POLA

    def format(self, urut: str | None = None) -> str:
        """Return the number as text; ``urut`` replaces the sequence number (for a konsep)."""
        parts: dict[str, object] = {
            "kode": self.kode, "unit": self.unit, "tahun": self.tahun,
            "bulan": idn.romawi(self.bulan), "urut": self.urut,
        }
        if urut is not None:
            pola = re.sub(r"\{urut(:[^}]*)?\}", "{urut}", self.pola)
            return pola.format(**{**parts, "urut": urut})
        return self.pola.format(**parts)

    def __str__(self) -> str:
        return self.format()

    def konsep(self) -> str:
        """Return the number with a blank where the sequence will go, as a konsep shows it."""
        return self.format(urut=KONSEP_URUT)

    def with_urut(self, urut: int) -> Nomor:
        return replace(self, urut=urut)

    @classmethod
    def parse(cls, text: str, pola: str = DEFAULT_POLA) -> Nomor:
        """Return the number written in ``text`` under ``pola``; raise NumberError if it does
        not fit. Parts the pattern lacks default to empty or 1."""
        regex = ""
        for literal, name, _spec, _conv in string.Formatter().parse(pola):
            regex += re.escape(literal)
            if name is not None:
                regex += f"(?P<{name}>{_PART_RE[name]})"
        m = re.fullmatch(regex, text.strip())
        if not m:
            raise NumberError(f"{text!r} is not a number of the form {pola!r}")
        g = m.groupdict()
        bulan = _ROMAN_MONTHS.get(g["bulan"], 0) if "bulan" in g else 1
        if not bulan:
            raise NumberError(f"{text!r}: {g['bulan']!r} is not a month in Roman numerals")
        return cls(kode=g.get("kode", ""), urut=int(g["urut"]), unit=g.get("unit", ""),
                   tahun=int(g.get("tahun") or 0), bulan=bulan, pola=pola)


_ROMAN_MONTHS = {idn.romawi(m): m for m in range(1, 13)}


def counter(mode: str, series: str, kode: str, unit: str) -> tuple[str, str]:
    """The (series, unit) of the counter an outgoing number is taken from, by the office's
    numbering mode: ``seri`` one per series and unit (every outgoing kind shares it),
    ``klasifikasi`` one per kode klasifikasi, ``tunggal`` one for every unit of the
    register (an office whose desks share one register and one sequence)."""
    if mode == "klasifikasi":
        return f"{series}:{kode}", unit
    if mode == "tunggal":
        return series, "*"
    return series, unit
