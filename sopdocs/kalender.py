"""Working time: the office's jam kerja, without weekends, Indonesia's national holidays and
the profile's cuti bersama. SOP standard times are counted in it.

Two measures, as officials use them:

* **minutes and hours** (``3 menit``, ``120 menit``, ``1 jam``) are working minutes: the clock
  runs only within the jam kerja of working days;
* **days** (``1 hari``, ``7 hari``) are *hari kerja*: a step started at some moment of a
  working day is due at **the same clock time on the next working day** (``1 hari``), or on
  the N-th next working day (``N hari``). A step started outside working hours starts at the
  next working moment (a letter received on Saturday or at 17:00 starts the next working
  morning at 07:30); a clock time after the due day's closing (Friday 16:15 → Monday, which
  closes at 16:00) is that day's closing time.

A step is late when more working time passed than its standard allows: work finished after
closing time on the day it was due, or over the weekend after, took no more working time, and
is on time.

Values in, values out; no register. National holidays come from the ``holidays`` package
(Indonesia, the public holidays, with Indonesian names), kept per year in the user's cache
folder (importing the package and computing a year costs about 100 ms, a tenth of making a
document); cuti bersama from the profile, since each year's SKB sets them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import idn
from .cache import folder as cache_folder
from .errors import OfficeError
from .office import HARI_KERJA

if TYPE_CHECKING:
    from .office import Office

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: How far to look for the next working day before deciding that the profile has none.
_SEARCH_DAYS = 400


@cache
def _national(year: int) -> dict[date, str]:
    kept = _kept_holidays(year)
    if kept is not None and (found := _read_holidays(kept)) is not None:
        return found
    import holidays  # imported on first use: it loads every country's calendar module

    found = dict(holidays.country_holidays("ID", years=year, language="id"))
    if kept is not None:
        _keep_holidays(kept, found)
    return found


def _kept_holidays(year: int) -> Path | None:
    """Where a year's holidays are kept: the cache folder (``sopdocs.cache.folder``), under
    a name that changes when the holidays package is installed anew (its files' times), so an
    update is never missed. (Plain JSON of dates and names, read as data: it needs none of
    the checks that ``sopdocs.cache.Store`` makes for entries that are code.)"""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    try:
        stamp = "-".join(str((package / name).stat().st_mtime_ns)
                         for name in ("__init__.py", "countries/indonesia.py"))
    except OSError:
        return None
    return cache_folder() / f"libur-nasional-{year}-{stamp}.json"


def _read_holidays(path: Path) -> dict[date, str] | None:
    """The holidays kept in ``path``, or None when there are none or they are unreadable."""
    try:
        return {date.fromisoformat(day): str(name)
                for day, name in json.loads(path.read_text("utf-8")).items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def _keep_holidays(path: Path, found: dict[date, str]) -> None:
    """Keep a year's holidays for the next run (written whole or not at all; a folder that
    cannot be written only costs the next run the computation)."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps({d.isoformat(): n for d, n in sorted(found.items())},
                                      ensure_ascii=False), "utf-8")
        os.replace(partial, path)


def national_holiday(day: date) -> str | None:
    """The name of the national holiday on ``day`` (``Hari Kemerdekaan Republik Indonesia``),
    or None. Dates of Islamic and lunar holidays of later years are estimates (the name then
    ends in ``(perkiraan)``)."""
    return _national(day.year).get(day)


def hours(day: date, office: Office) -> tuple[datetime, datetime] | None:
    """When the office works on ``day``: from its opening to its closing, or None on a day
    off (a day the profile's jam kerja does not list, a national holiday, cuti bersama)."""
    jam = office.jam_kerja.get(HARI_KERJA[day.weekday()])
    if jam is None or day in office.cuti_bersama or national_holiday(day) is not None:
        return None
    return datetime.combine(day, jam.mulai), datetime.combine(day, jam.selesai)


def is_working_day(day: date, office: Office) -> bool:
    """Whether the office works on ``day``."""
    return hours(day, office) is not None


def date_warning(day: date, office: Office) -> str | None:
    """Why ``day`` is not a working day (``22 November 2026 is a Sunday``, ``17 Agustus
    2026 is a national holiday: Hari Kemerdekaan Republik Indonesia``, ``24 Desember 2026
    is cuti bersama``), or None for a working day."""
    when = idn.tanggal(day)
    if name := national_holiday(day):
        return f"{when} is a national holiday: {name}"
    if day in office.cuti_bersama:
        return f"{when} is cuti bersama"
    weekday = day.weekday()
    if HARI_KERJA[weekday] not in office.jam_kerja:
        off = "" if weekday >= 5 else ", not a working day of the office (jam_kerja)"
        return f"{when} is a {_DAY_NAMES[weekday]}{off}"
    return None


def working_time(start: datetime, end: datetime, office: Office) -> timedelta:
    """The working time between ``start`` and ``end`` (zero when ``end`` is not later)."""
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if (open_ := hours(day, office)) is not None:
            lo, hi = max(open_[0], start), min(open_[1], end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


def working_minutes(start: datetime, end: datetime, office: Office) -> int:
    """The whole working minutes between ``start`` and ``end`` (see ``working_time``)."""
    return int(working_time(start, end, office).total_seconds() // 60)


def _working_days(day: date, office: Office) -> Iterator[tuple[datetime, datetime]]:
    """The opening hours of each working day from ``day`` on, in order; OfficeError when the
    profile leaves no working day in a year and more."""
    idle = 0
    while True:
        if (open_ := hours(day, office)) is not None:
            idle = 0
            yield open_
        else:
            idle += 1
            if idle > _SEARCH_DAYS:
                raise OfficeError(f"the office has no working day in the {_SEARCH_DAYS} days "
                                  f"before {idn.tanggal(day)}: check jam_kerja and "
                                  "cuti_bersama in the office profile")
        day += timedelta(days=1)


def next_working_moment(moment: datetime, office: Office) -> datetime:
    """``moment`` itself within working hours, else the next opening (Saturday 10:00 and
    Friday 17:00 → Monday 07:30); a moment at a closing time is the next opening too."""
    for opening, closing in _working_days(moment.date(), office):
        if moment < closing:
            return max(moment, opening)
    raise AssertionError("unreachable: _working_days never ends")  # pragma: no cover


def _due_days(start: datetime, office: Office) -> Iterator[tuple[datetime, timedelta]]:
    """For n = 0, 1, 2 …: when n working days from ``start`` end (the same clock time on the
    n-th next working day, as the module says), with the working time from ``start`` to it."""
    days = _working_days(start.date(), office)
    opening, closing = next(days)
    while start >= closing:  # after hours: the next working day
        opening, closing = next(days)
    first = max(start, opening)
    clock, passed = first.time(), timedelta()
    previous, previous_closing = first, closing
    yield first, passed
    for opening, closing in days:
        due = min(max(datetime.combine(opening.date(), clock), opening), closing)
        passed += (previous_closing - previous) + (due - opening)
        yield due, passed
        previous, previous_closing = due, closing


def add_working(start: datetime, office: Office, *, minutes: int | None = None,
                days: int | None = None) -> datetime:
    """When ``minutes`` working minutes, or ``days`` working days (the same clock time on the
    ``days``-th next working day), have passed since ``start``. Give one of the two."""
    if (minutes is None) == (days is None):
        raise ValueError("give minutes or days")
    if days is not None:
        if days < 0:
            raise ValueError("days must not be negative")
        for n, (due, _) in enumerate(_due_days(start, office)):
            if n == days:
                return due
    else:
        if minutes is None or minutes < 0:
            raise ValueError("minutes must not be negative")
        left = timedelta(minutes=minutes)
        for opening, closing in _working_days(start.date(), office):
            lo = max(opening, start)
            if lo >= closing:
                continue
            if left <= closing - lo:
                return lo + left
            left -= closing - lo
    raise AssertionError("unreachable: _working_days never ends")  # pragma: no cover


@dataclass(frozen=True)
class Lama:
    """A working time as officials write it: whole working days (as ``add_working`` counts
    them from the start) and the working time after them; ``total`` is all of it."""

    total: timedelta
    days: int = 0
    rest: timedelta = timedelta()

    @property
    def minutes(self) -> int:
        """The whole working minutes in all."""
        return int(self.total.total_seconds() // 60)

    def __str__(self) -> str:
        """``1 hari kerja 2 jam``, ``2 jam 15 menit kerja``, ``45 menit kerja`` (the two
        largest parts)."""
        hours_, mins = divmod(int(self.rest.total_seconds() // 60), 60)
        parts = [f"{n} {unit}" for n, unit in
                 ((self.days, "hari kerja"), (hours_, "jam"), (mins, "menit")) if n][:2]
        if not parts:
            return "0 menit kerja"
        if not self.days:
            parts[-1] += " kerja"
        return " ".join(parts)


def lama(start: datetime, end: datetime, office: Office) -> Lama:
    """The working time from ``start`` to ``end`` in working days and the rest."""
    total = working_time(start, end, office)
    days, reached = 0, timedelta()
    if total:
        for n, (due, passed) in enumerate(_due_days(start, office)):
            if passed > total:
                break
            days, reached = n, passed
            if due >= end:
                break
    return Lama(total, days, total - reached)
