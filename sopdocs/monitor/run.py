"""One monitoring run (``sopdocs monitor``): read the SITES file, check every site at once
within the limits, judge each, then make the laporan (step 2 of monitoring-website, in the
case when there is one), write the XLSX, and keep the results in the register's history."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..office import Workspace
from ..registry import Case
from ..service import Made, register_of
from ..sop.catalogue import catalogue, sop_of
from ..sop.steps import run_step
from ..store import atomic_write, free_path
from . import report
from .explore import Findings, explore
from .fetch import MAX_BYTES, Fetcher, Job, run_jobs, user_agent
from .history import since, streaks, weeks_of
from .sites import Site, read_sites
from .status import Result, failed, judge, observation
from .workbook import build_workbook, file_stem

#: ``progress(total)`` returns the function that advances a progress bar by n.
Progress = Callable[[int], Callable[[int], None]]


@dataclass(frozen=True)
class Settings:
    """How a run checks sites: days an item stays fresh, seconds per site, sites at once,
    the most bytes read of one response."""

    fresh_days: int = 7
    timeout: float = 20.0
    concurrency: int = 8
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True)
class Outcome:
    """What a run did: each site's result, weeks in a row of those not mutakhir, the laporan
    made, the XLSX written, the case as it now stands, and how long the checks took."""

    results: list[Result]
    streaks: dict[str, int]
    made: tuple[Made, ...]
    workbook: Path
    case: Case | None
    seconds: float


def office_name(workspace: Workspace) -> str:
    """The office as the User-Agent names it: the agency and its government."""
    kop = workspace.office.kop
    return f"{kop.instansi} {kop.pemerintah.removeprefix('PEMERINTAH ')}"


def check_sites(sites: list[Site], settings: Settings, agent: str, today: date,
                advance: Callable[[int], None] = lambda n: None) -> list[Result]:
    """Check every site (at most ``settings.concurrency`` at once, each within
    ``settings.timeout`` seconds in all) and return their results in the order given."""

    def job(site: Site) -> Job[Result]:
        found = Findings(today)

        async def check(fetcher: Fetcher) -> Result:
            await explore(site, fetcher, found)
            return judge(site, found, today, settings.fresh_days)

        return Job(check, lambda alasan: failed(site, found, alasan, today, settings.fresh_days),
                   site.hosts())

    return asyncio.run(run_jobs([job(s) for s in sites], agent=agent, timeout=settings.timeout,
                                concurrency=settings.concurrency, done=advance,
                                max_bytes=settings.max_bytes))


def run_monitoring(workspace: Workspace, sites_file: Path, *, case_id: str | None = None,
                   settings: Settings = Settings(), out_dir: Path = Path("output"),
                   now: datetime | None = None, progress: Progress | None = None) -> Outcome:
    """Monitor the sites of ``sites_file`` and make the laporan and the XLSX.

    Everything that could stop the laporan (a bad SITES file, a case not at step 2, an
    official missing from the profile) is refused before any site is fetched: no number
    taken, no file written. A site that cannot be read is a result, never an error.
    """
    sites = read_sites(sites_file)
    now = now or datetime.now().replace(microsecond=0)
    sop = sop_of(catalogue(workspace), report.SOP_KEY)
    register = register_of(workspace)
    case = report.check_ready(workspace, register, sop, case_id, now)
    advance = progress(len(sites)) if progress else (lambda n: None)
    start = time.monotonic()
    results = check_sites(sites, settings, user_agent(office_name(workspace)), now.date(),
                          advance)
    seconds = time.monotonic() - start
    weeks = weeks_of(register.monitoring(since(now)), results, now)
    streak = streaks(weeks)
    workbook = build_workbook(weeks, streak, now)
    step = run_step(workspace, sop, report.STEP,
                    data=report.step_data(results, streak, settings.fresh_days, now, case),
                    case_id=case_id, out_dir=out_dir, now=now)
    path = atomic_write(free_path(out_dir, file_stem(now.date()), ".xlsx"), workbook)
    register.record_monitoring([observation(r, now) for r in results])
    return Outcome(results, streak, step.made, path, step.case, seconds)
