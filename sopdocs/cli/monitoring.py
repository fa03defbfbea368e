"""``sopdocs monitor``: the weekly check of the OPD websites (SOP monitoring-website, step 2)."""

from __future__ import annotations

from pathlib import Path

import click

from . import _file, cli, echo_paths, office_option, progress_bar, reports_errors, workspace


@cli.command()
@click.argument("sites", type=_file)
@click.option("--case", "case_id", default=None, metavar="ID",
              help="Record the laporan as step 2 of this monitoring-website case.")
@click.option("--fresh-days", type=click.IntRange(1, 366), default=7, show_default=True,
              help="A site is mutakhir when its newest item is at most this many days old.")
@click.option("--timeout", type=click.FloatRange(1, 600), default=20, show_default=True,
              help="Seconds for each whole site.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Sites checked at once.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, help="Folder for the files.")
@office_option
@reports_errors
def monitor(sites: Path, case_id: str | None, fresh_days: int, timeout: float,
            concurrency: int, out_dir: Path, office: Path | None) -> None:
    """Check the OPD websites in SITES (YAML, XLSX or CSV); write the XLSX and the laporan."""
    from ..monitor.run import Settings, run_monitoring
    from ..monitor.status import counts

    ws = workspace(office)
    # every site may take seconds, so even a short list gets a bar
    with progress_bar("website", least=1) as progress:
        outcome = run_monitoring(ws, sites, case_id=case_id, out_dir=out_dir,
                                 settings=Settings(fresh_days, timeout, concurrency),
                                 progress=progress)
    click.echo(outcome.workbook)
    echo_paths(outcome.made)
    n = counts(outcome.results)
    total = len(outcome.results)
    click.echo(f"{total} website{'' if total == 1 else 's'} in {outcome.seconds:.1f} s: "
               + ", ".join(f"{k} {v}" for k, v in n.items()), err=True)
    if outcome.case is not None:
        where = (f"next: step {outcome.case.next_step}" if outcome.case.next_step
                 else "the case is closed")
        click.echo(f"{outcome.case.id}: step 2 recorded; {where}", err=True)

