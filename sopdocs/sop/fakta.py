"""A case's facts as an official writes them in a document's text: never a Python value."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .. import idn


def as_text(value: Any) -> str:
    """Return ``value`` as it is written in a sentence of a naskah dinas.

    A text is itself; a date is written ``18 November 2026`` (a datetime, its date; and a
    text that is an ISO date, ``2026-11-18``, as a case keeps a date in the register); a whole
    number as its digits (``12``, ``2026``), a fraction with a decimal comma (``2,5``);
    yes/no as ``ya`` / ``tidak``; a list as an Indonesian enumeration: ``a``, ``a dan b``,
    ``a, b, dan c`` (its items written the same way, empty ones left out); nothing (None)
    as an empty text, which a caller treats as a missing fact.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return _iso_date(value) or value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, datetime):
        return idn.tanggal(value.date())
    if isinstance(value, date):
        return idn.tanggal(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        text = f"{value:f}"  # never 1e+20; at most 6 decimals for a float
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if isinstance(value, list | tuple):
        return enumeration([as_text(item) for item in value])
    return str(value)


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def _iso_date(text: str) -> str | None:
    """``18 November 2026`` for ``2026-11-18`` (or ``2026-11-18 09:30:00``), else None."""
    if (m := _ISO.fullmatch(text.strip())) is None:
        return None
    try:
        return idn.tanggal(date(int(m[1]), int(m[2]), int(m[3])))
    except ValueError:  # 2026-02-30 is no date: printed as it was given
        return None


def enumeration(items: list[str]) -> str:
    """Join texts as Indonesian lists them: ``a``, ``a dan b``, ``a, b, dan c``."""
    items = [item for item in items if item.strip()]
    if len(items) <= 2:
        return " dan ".join(items)
    return f"{', '.join(items[:-1])}, dan {items[-1]}"
