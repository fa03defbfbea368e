"""The history of monitoring runs, week by week: the latest run of each week (the SOP's
Monday check; a rerun in the same week replaces it), and how many weeks in a row a site has
had its present status."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..registry import Observation
from .status import MUTAKHIR, Result, from_observation

#: The weeks the XLSX shows (a sheet each) and the laporan looks back on.
WEEKS = 12


@dataclass(frozen=True)
class Week:
    """The run that stands for one week: the Monday of the week, when it ran, its results."""

    monday: date
    run_at: datetime
    results: list[Result]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def since(run_at: datetime, weeks: int = WEEKS) -> datetime:
    """The earliest run the history needs for ``weeks`` weeks up to ``run_at``'s week."""
    start = monday_of(run_at.date()) - timedelta(weeks=weeks - 1)
    return datetime.combine(start, datetime.min.time())


def weeks_of(history: list[Observation], current: list[Result], run_at: datetime,
             most: int = WEEKS) -> list[Week]:
    """The weeks of the history, oldest first, ending with this run's week (this run
    standing for it): at most ``most`` weeks."""
    runs: dict[datetime, list[Observation]] = defaultdict(list)
    for obs in history:
        runs[obs.run_at].append(obs)
    latest: dict[date, datetime] = {}
    for when in sorted(runs):
        latest[monday_of(when.date())] = when
    this_week = monday_of(run_at.date())
    out = [Week(monday, when, [from_observation(o) for o in runs[when]])
           for monday, when in sorted(latest.items()) if monday < this_week]
    out.append(Week(this_week, run_at, current))
    return out[-most:]


def streaks(weeks: list[Week]) -> dict[str, int]:
    """For each site of the last week that is not mutakhir, the number of weeks in a row up
    to it (a week without a run, or without the site, ends the row) with that same status."""
    if not weeks:
        return {}
    status_by_week = {w.monday: {r.url: r.status for r in w.results} for w in weeks}
    out = {}
    last = weeks[-1]
    for result in last.results:
        if result.status == MUTAKHIR:
            continue
        count, monday = 0, last.monday
        while status_by_week.get(monday, {}).get(result.url) == result.status:
            count += 1
            monday -= timedelta(weeks=1)
        out[result.url] = count
    return out
