"""Indonesian formatting: dates, day names, numbers in words, counts, Roman months, pangkat;
and ``kutip``, the short quotation of a typed value that every error message uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import cache
from itertools import islice

from .alone import module_alone

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

#: Pangkat of a civil servant (PNS) by golongan/ruang, per PP 15/1994.
PANGKAT = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
_GOLONGAN_BY_PANGKAT = {p.casefold(): g for g, p in PANGKAT.items()}
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


#: How many characters of a bad value an error message quotes.
KUTIP_MAX = 60


def kutip(value: object, limit: int = KUTIP_MAX) -> str:
    """Return a value as an error message quotes it: its ``repr``, cut after about ``limit``
    characters with ``…`` (``'Permintaan Data…'``).

    Never the whole value: a 10 MB text shows as its first characters, a list nested 10,000
    deep as ``[[[[…]]]]``, a 5,000-digit number as its number of digits, any other object as
    its type, so a message stays one short line and building it cannot fail.
    """
    text = _kutip(value, limit, 0)
    if isinstance(value, str) or len(text) <= limit:
        return text
    return text[:limit] + "…"


def _kutip(value: object, budget: int, depth: int) -> str:
    if isinstance(value, str):
        if len(value) <= budget:
            return repr(value)
        shown = repr(value[:max(budget, 1)])
        return f"{shown[:-1]}…{shown[-1]}"
    if value is None or isinstance(value, bool | float):
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 128:  # str() of a huge int is slow, and refused past 4300 digits
            return f"<a number of about {int(value.bit_length() * 0.30103) + 1} digits>"
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset | dict):
        opening, closing = ("{", "}") if isinstance(value, dict | set | frozenset) else \
            ("(", ")") if isinstance(value, tuple) else ("[", "]")
        if not value:
            return opening + closing
        if depth >= 4 or budget <= 0:
            return f"{opening}…{closing}"
        parts: list[str] = []
        used = 0
        items = value.items() if isinstance(value, dict) else value
        for item in islice(items, budget):
            if used >= budget:
                parts.append("…")
                break
            if isinstance(value, dict):
                key, val = item
                part = f"{_kutip(key, budget - used, depth + 1)}: " \
                       f"{_kutip(val, budget - used, depth + 1)}"
            else:
                part = _kutip(item, budget - used, depth + 1)
            parts.append(part)
            used += len(part) + 2
        else:
            if len(value) > len(parts):
                parts.append("…")
        if isinstance(value, tuple) and len(value) == 1:
            parts.append("")
        return opening + ", ".join(parts).rstrip() + closing
    return f"<{type(value).__name__}>"


_KATA_KECIL = {"dan", "atau", "di", "ke", "dari", "untuk", "pada", "yang", "serta", "dengan",
               "tentang", "oleh", "bagi"}


def kapital_judul(text: str) -> str:
    """Return ``text`` with initial capitals, conjunctions and prepositions in lower case:
    ``DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK`` → ``Dinas Komunikasi, Informatika dan
    Statistik``."""
    words = text.lower().split()
    return " ".join(w if i and w in _KATA_KECIL else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def tanggal_angka(d: date) -> str:
    """Return ``22-11-2026``, the numeric date a berita acara adds in brackets."""
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def tanggal(d: date) -> str:
    """Return a date as officials write it: ``22 November 2026`` (no leading zero)."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def hari(d: date) -> str:
    """Return the Indonesian day name of a date (``Minggu`` for 22 November 2026)."""
    return HARI[d.weekday()]


@cache
def _num2words_id() -> Callable[[int], str]:
    """num2words' Indonesian converter, loaded on first use and without the package's other
    ~50 languages (``alone``), or through the package when its module does not stand alone."""
    try:
        module = module_alone("num2words", "lang_ID")
    except ImportError:
        from num2words import num2words

        return lambda n: str(num2words(n, lang="id"))
    converter: Callable[[int], str] = module.Num2Word_ID().to_cardinal
    return converter


def terbilang(n: int) -> str:
    """Return a whole number in Indonesian words, lower case (``2026`` → ``dua ribu dua puluh
    enam``). Raises ValueError for negative numbers, which no form needs."""
    if n < 0:
        raise ValueError(f"terbilang needs a number of 0 or more, got {n}")
    return _num2words_id()(n)


def _kapital(words: str) -> str:
    return " ".join(w.capitalize() for w in words.split())


def tanggal_terbilang(d: date) -> str:
    """Return a date fully in words, as a berita acara opens: ``Minggu tanggal Dua Puluh Dua
    bulan November tahun Dua Ribu Dua Puluh Enam``."""
    return (
        f"{hari(d)} tanggal {_kapital(terbilang(d.day))} bulan {BULAN[d.month - 1]} "
        f"tahun {_kapital(terbilang(d.year))}"
    )


def jumlah(n: int, satuan: str) -> str:
    """Return a count with its words in brackets: ``1 (satu) berkas``."""
    return f"{n} ({terbilang(n)}) {satuan}"


@cache  # every sheet of a batch writes its month so, four times
def romawi(n: int) -> str:
    """Return ``n`` (1–3999) in Roman numerals; months in numbers use it (11 → ``XI``)."""
    if not 1 <= n <= 3999:
        raise ValueError(f"Roman numerals cover 1 to 3999, got {n}")
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


_BULAN_BY_NAME = {b.casefold(): i + 1 for i, b in enumerate(BULAN)}
_BULAN_BY_NAME.update({b[:3].casefold(): i + 1 for i, b in enumerate(BULAN)})
_BULAN_BY_NAME.update({"agt": 8, "okt": 10, "des": 12, "peb": 2, "nop": 11, "pebruari": 2,
                       "nopember": 11})
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})")
DATE_FORMS = "22 November 2026, 22/11/2026, 22-11-2026 or 2026-11-22"


def parse_tanggal(text: str) -> date:
    """Read a date in the forms Indonesian offices type: ``22 November 2026``, ``22 Nov 2026``,
    ``22/11/2026``, ``22-11-2026``, ``22.11.2026`` or ISO ``2026-11-22``.

    Raises ValueError naming the text when it is not a real date (``31/02/2026`` included).
    """
    s = " ".join(str(text).split())
    parts: tuple[int, int, int] | None = None
    if m := _ISO.fullmatch(s):
        parts = int(m[1]), int(m[2]), int(m[3])
    elif m := _NUMERIC.fullmatch(s):
        parts = int(m[3]), int(m[2]), int(m[1])
    elif (m := _WORDS.fullmatch(s)) and m[2].casefold() in _BULAN_BY_NAME:
        parts = int(m[3]), _BULAN_BY_NAME[m[2].casefold()], int(m[1])
    if parts is not None:
        try:
            return date(*parts)
        except ValueError:
            pass
    raise ValueError(f"{kutip(text)} is not a date (write e.g. {DATE_FORMS})")


def normalise_golongan(text: str) -> str:
    """Return a golongan/ruang in its printed form (``iv c``, ``IV/C`` → ``IV/c``).

    Raises ValueError when it is not one of I/a … IV/e.
    """
    m = re.fullmatch(r"\s*(IV|III|II|I)\s*[/\-. ]?\s*([a-e])\s*", str(text), re.IGNORECASE)
    golongan = f"{m[1].upper()}/{m[2].lower()}" if m else ""
    if golongan not in PANGKAT:
        raise ValueError(f"{kutip(text)} is not a golongan (expected I/a … IV/e, e.g. IV/c)")
    return golongan


def golongan_of(pangkat: str) -> str:
    """Return the golongan of a pangkat (``Pembina Utama Muda`` → ``IV/c``).

    Raises ValueError when the pangkat is not in the PNS table.
    """
    key = " ".join(str(pangkat).split()).casefold()
    if key not in _GOLONGAN_BY_PANGKAT:
        raise ValueError(f"{kutip(pangkat)} is not a PNS pangkat (e.g. Pembina Utama Muda)")
    return _GOLONGAN_BY_PANGKAT[key]
