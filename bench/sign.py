"""Signing benchmark (issue 14): signing 100 nota dinas with a P12, per document, as a
ratio of making the document.

    python bench/sign.py [--docs 100] [--runs 5] [--tsa URL]

Both sides run in one process on a fresh workspace: making is ``make_document`` (PDF only,
numbered, registered, sealed); signing is ``sign_files`` over the 100 PDFs at once, as
``sopdocs sign output/*.pdf --p12 office.p12`` does (the key file is opened once; each
document gets its visible block, its PAdES signature and its register row). The key is a
3072-bit RSA key as ``sopdocs keys new`` makes. Then the two commands as a clerk runs
them, each a fresh process (median of --runs): ``sopdocs nota-dinas --format pdf`` and
``sopdocs sign FILE --p12 KEY`` of one document. Target: signing < making.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = b"bench"


def commands(folder: Path, key: Path, runs: int, docs: int
             ) -> list[tuple[str, float, float | None]]:
    """The whole commands, fresh processes: making one document (median of ``runs``);
    signing one file; signing ``docs`` files in one command, per file."""
    from sopdocs.office import Workspace, data_path, load_office
    from sopdocs.service import make_document

    folder.mkdir()
    env = {**os.environ, "SOPDOCS_P12_PASSPHRASE": PASSPHRASE.decode()}
    env.pop("SOPDOCS_OFFICE", None)
    sample = str(ROOT / "samples" / "nota-dinas.yaml")
    make, paths = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(["sopdocs", "nota-dinas", "--data", sample, "--format", "pdf"],
                             cwd=folder, env=env, capture_output=True, text=True, check=True)
        make.append(time.perf_counter() - start)
        paths.append(folder / out.stdout.strip())
    ws = Workspace(load_office(data_path("office-sample.yaml")).office, folder, None)
    data = yaml.safe_load(Path(sample).read_text())
    paths += [p for _ in range(docs - 1)
              for p in make_document("nota-dinas", copy.deepcopy(data), ws,
                                     out_dir=folder / "output", fmt="pdf").paths]

    def sign(files: list[Path]) -> float:
        start = time.perf_counter()
        subprocess.run(["sopdocs", "sign", *map(str, files), "--p12", str(key)], cwd=folder,
                       env=env, capture_output=True, check=True)
        return time.perf_counter() - start

    making = statistics.median(make)
    one = sign(paths[:1])
    many = sign(paths[1:docs]) / (docs - 1)
    return [("`sopdocs nota-dinas --format pdf` (whole command, one document)", making, None),
            ("`sopdocs sign FILE --p12 KEY` (whole command, one file)", one, one / making),
            (f"`sopdocs sign` of {docs - 1} files in one command, per file", many,
             many / making)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tsa", default=None, help="Also time B-T with this TSA.")
    args = parser.parse_args()

    from sopdocs.office import Workspace, data_path, load_office
    from sopdocs.service import make_document, register_of
    from sopdocs.signing.credentials import P12
    from sopdocs.signing.keys import new_p12
    from sopdocs.signing.pades import sign_files

    data = yaml.safe_load((ROOT / "samples" / "nota-dinas.yaml").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = Workspace(load_office(data_path("office-sample.yaml")).office, folder, None)
        key = folder / "office.p12"
        key.write_bytes(new_p12("Drs. JASMAN, MM", PASSPHRASE, nip="196801011988091001"))
        make_document("nota-dinas", copy.deepcopy(data), ws, out_dir=folder / "warm", fmt="pdf")
        paths, making = [], []
        for _ in range(args.docs):
            start = time.perf_counter()
            made = make_document("nota-dinas", copy.deepcopy(data), ws,
                                 out_dir=folder / "output", fmt="pdf")
            making.append(time.perf_counter() - start)
            paths += made.paths
        register = register_of(ws)
        rows = [("making one nota dinas (PDF, numbered, registered)", statistics.median(making),
                 None)]
        start = time.perf_counter()
        sign_files(paths, P12(key, PASSPHRASE), register, ws)
        signing = (time.perf_counter() - start) / len(paths)
        rows.append((f"signing one (B-B; {len(paths)} in one call)", signing, signing / rows[0][1]))
        if args.tsa:
            for path in paths:
                path.with_name(path.stem + ".ttd.pdf").unlink()
            start = time.perf_counter()
            try:
                sign_files(paths, P12(key, PASSPHRASE), register, ws, tsa=args.tsa)
            except Exception as exc:  # the measure is optional; say why it is missing
                print(f"B-T not measured: {exc}", file=sys.stderr)
            else:
                stamped = (time.perf_counter() - start) / len(paths)
                rows.append(("signing one (B-T, with the TSA)", stamped, stamped / rows[0][1]))
        rows += commands(folder / "cli", key, args.runs, args.docs)
    print("| measure | per document | ratio to making | target |")
    print("|---|---|---|---|")
    for name, seconds, ratio in rows:
        verdict = "" if ratio is None else f"signing < making {'✔' if ratio < 1 else '✘'}"
        print(f"| {name} | {seconds * 1000:.0f} ms | "
              f"{'' if ratio is None else f'{ratio:.2f}×'} | {verdict} |")


if __name__ == "__main__":
    main()
