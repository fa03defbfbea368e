"""Website-monitoring benchmark (issue 15): 100 local fixture sites, default settings.

    python bench/monitor.py [--sites 100] [--runs 3]

The sites are the fixtures of the tests (tests/sites/server.py: WordPress with feed and REST
API, RSS only, sitemaps only, HTML pages with Indonesian dates, a broken feed with a working
sitemap), in turn, each on its own port of 127.0.0.1. Measured: the checks alone, and the
whole run (checks, history, XLSX, the numbered laporan with its table of 100 rows), median
of ``--runs``. Target: the whole run under 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sites import server as S  # noqa: E402

from sopdocs.monitor.run import Settings, check_sites, run_monitoring  # noqa: E402
from sopdocs.monitor.sites import Site  # noqa: E402
from sopdocs.office import Workspace, data_path, load_office  # noqa: E402

TARGET = 5.0


def serve(server: S.Server, count: int) -> list[Site]:
    today = date.today()
    kinds = [lambda url: S.wordpress(today), lambda url: S.rss_only(today),
             lambda url: S.sitemap_only(today, url), lambda url: S.html_only(today),
             lambda url: S.broken_feed(today, url)]
    sites = []
    for i in range(count):
        site = server.add({})
        site.routes.update(kinds[i % len(kinds)](site.url))
        sites.append(Site(f"Perangkat Daerah {i + 1}", site.url))
    return sites


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    office = load_office(data_path("office-sample.yaml")).office
    checks, wholes = [], []
    with S.Server() as server, tempfile.TemporaryDirectory() as tmp:
        sites = serve(server, args.sites)
        listing = Path(tmp) / "situs.yaml"
        listing.write_text("situs:\n" + "".join(
            f"  - {{opd: {s.opd}, url: '{s.url}'}}\n" for s in sites))
        for run in range(args.runs):
            start = time.perf_counter()
            results = check_sites(sites, Settings(), "sopdocs/bench", date.today())
            checks.append(time.perf_counter() - start)
            assert all(r.status != "tidak dapat diakses" for r in results), results
            folder = Path(tmp) / f"run{run}"
            folder.mkdir()
            start = time.perf_counter()
            run_monitoring(Workspace(office, folder, None), listing, out_dir=folder / "out")
            wholes.append(time.perf_counter() - start)
    check, whole = statistics.median(checks), statistics.median(wholes)
    print(f"{args.sites} sites, default settings (concurrency 8, timeout 20 s), "
          f"median of {args.runs}:")
    print(f"  checks only: {check:.2f} s ({args.sites / check:.0f} sites/s)")
    print(f"  whole run (checks, XLSX, laporan): {whole:.2f} s "
          f"({args.sites / whole:.0f} sites/s); target < {TARGET:g} s: "
          f"{'PASS' if whole < TARGET else 'FAIL'}")


if __name__ == "__main__":
    main()
