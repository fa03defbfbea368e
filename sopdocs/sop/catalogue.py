"""Load the SOP catalogue: the built-in SOP files, then the office's own (``sop/*.yaml`` in the
workspace), which add SOPs or replace built-in ones with the same ``kunci``."""

from __future__ import annotations

from importlib import resources
from typing import Any

from ..errors import CatalogueError
from ..inputs import parse_yaml, read_text
from ..office import Workspace
from ..records import validate
from .model import SOP


def _without_anchors(data: Any) -> Any:
    """Drop top-level keys starting with ``_``: they only hold YAML anchors for reuse."""
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not str(k).startswith("_")}
    return data


def load_sop(text: str, source: str) -> SOP:
    """Return the SOP in a YAML text; raise InputError or RecordError naming the bad field."""
    return validate(SOP, _without_anchors(parse_yaml(text, source)), f"SOP file {source}")


def builtin_sops() -> dict[str, SOP]:
    """The five SOPs shipped with sopdocs, by key."""
    folder = resources.files("sopdocs.sop") / "data"
    sops = [load_sop(f.read_text(encoding="utf-8"), f.name)
            for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".yaml")]
    return {s.kunci: s for s in sops}


def catalogue(workspace: Workspace) -> dict[str, SOP]:
    """Return every SOP the office can use: built-in ones, then its own ``sop/*.yaml``."""
    sops = builtin_sops()
    own = workspace.folder / "sop"
    if own.is_dir():
        for path in sorted(own.glob("*.yaml")):
            sop = load_sop(read_text(path), str(path))
            sops[sop.kunci] = sop
    return sops


def sop_of(sops: dict[str, SOP], key: str) -> SOP:
    """Return the SOP called ``key``; raise CatalogueError listing the keys there are."""
    if key not in sops:
        raise CatalogueError(f"unknown SOP {key!r} (known: {', '.join(sorted(sops))})")
    return sops[key]


def first_step_making(sop: SOP, kind: str) -> tuple[int, str | None]:
    """Return the first step of ``sop`` that makes a ``kind`` document, with the decision
    (``ya``/``tidak``) that leads to it when only a branch makes it. Raises CatalogueError
    listing the kinds the SOP makes."""
    for step in sop.langkah:
        if any(d.jenis == kind for d in step.dokumen):
            return step.no, None
        if step.keputusan:
            for decision, branch in (("ya", step.keputusan.ya), ("tidak", step.keputusan.tidak)):
                if any(d.jenis == kind for d in branch.dokumen or []):
                    return step.no, decision
    raise CatalogueError(f"SOP {sop.kunci} makes no {kind} (it makes: {', '.join(sop.kinds())})")



def sop_lines(sop: SOP) -> list[str]:
    """``sop show``: one line per step: actors → recipients, time, output, documents and
    decisions."""
    lines = [sop.nama + (f" (nomor {sop.nomor})" if sop.nomor else ""),
             "no\tpelaksana -> penerima\twaktu\toutput\tdokumen"]
    for step in sop.langkah:
        who = ", ".join(step.pelaksana) + (" -> " + ", ".join(step.penerima)
                                           if step.penerima else "")
        docs = ", ".join(d.jenis + (" (konsep)" if d.konsep else "") for d in step.dokumen)
        if step.keputusan:
            k = step.keputusan
            branches = []
            for word, branch in (("YA", k.ya), ("TIDAK", k.tidak)):
                extra = "+" + ",".join(d.jenis for d in branch.dokumen) if branch.dokumen else ""
                branches.append(f"{word}{extra} -> {branch.lanjut}")
            docs = (docs + "; " if docs else "") + "keputusan: " + ", ".join(branches)
        lines.append(f"{step.no}\t{who}\t{step.waktu.teks}\t{step.output}\t{docs or '-'}")
    return lines
