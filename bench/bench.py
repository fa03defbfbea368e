"""Start-up and single-document benchmarks, reported as ratios of medians from one run.

    python bench/bench.py [--runs N]

Targets (issue 2): ``sopdocs --help`` within 1.5x of ``python -c "import click"``; one final
nota dinas (DOCX + PDF) from the command line within 1.5x of importing the libraries it cannot
avoid (docxtpl, reportlab.platypus, pydantic, click). Each command runs as a fresh process, as
a person would run it; runs are interleaved so machine noise hits all commands alike.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sopdocs_command() -> list[str]:
    exe = shutil.which("sopdocs")
    return [exe] if exe else [sys.executable, "-m", "sopdocs"]


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="sopdocs-bench-"))
    subprocess.run([*sopdocs_command(), "init", "--dir", str(work)], check=True,
                   stdout=subprocess.DEVNULL)
    sample = ROOT / "samples" / "nota-dinas.yaml"
    commands = {
        "import click": [sys.executable, "-c", "import click"],
        "sopdocs --help": [*sopdocs_command(), "--help"],
        "import docxtpl, reportlab.platypus, pydantic, click": [
            sys.executable, "-c", "import docxtpl, reportlab.platypus, pydantic, click"],
        # The same libraries as a document command really loads them: pydantic defers most of
        # itself until the first model class, docxtpl's Jinja until the first template.
        "... + a pydantic model + a Jinja template": [
            sys.executable, "-c", "import docxtpl, reportlab.platypus, pydantic, click, jinja2;"
            "type('M', (pydantic.BaseModel,), {'__annotations__': {'a': int}});"
            "jinja2.Environment().from_string('{{ a }}').render(a=1)"],
        "sopdocs nota-dinas (final, DOCX + PDF)": [
            *sopdocs_command(), "nota-dinas", "--data", str(sample), "--out", str(work / "out")],
    }
    for argv in commands.values():  # warm the file cache once
        timed(argv, work)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(timed(argv, work))
    median = {name: statistics.median(t) for name, t in times.items()}
    for name, value in median.items():
        print(f"{value * 1000:8.1f} ms  {name}")
    help_ratio = median["sopdocs --help"] / median["import click"]
    doc_ratio = (median["sopdocs nota-dinas (final, DOCX + PDF)"]
                 / median["import docxtpl, reportlab.platypus, pydantic, click"])
    print(f"sopdocs --help / import click:              {help_ratio:.2f}x (target <= 1.5x)")
    used_ratio = (median["sopdocs nota-dinas (final, DOCX + PDF)"]
                  / median["... + a pydantic model + a Jinja template"])
    print(f"nota dinas / import of unavoidable libs:    {doc_ratio:.2f}x (target <= 1.5x)")
    print(f"nota dinas / the same libs, once used:      {used_ratio:.2f}x")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
