"""Make what an SOP step requires: its documents, pre-filled from the SOP, the office and the
facts of the case, and record the step in the case."""

from __future__ import annotations

import json
import math
import re
import string
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import idn
from ..errors import CatalogueError, RecordError
from ..kinds import kind_of
from ..office import Workspace
from ..registry import Case, CaseStep, Transaction
from ..service import Made, Order, make_documents, register_of
from .cases import check_order
from .fakta import as_text
from .model import SOP, Dokumen, Langkah

_WHOLE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Planned:
    """A document a step will make: what it is, and its record filled in."""

    dokumen: Dokumen
    data: dict[str, Any]


@dataclass(frozen=True)
class StepResult:
    """What running a step did: the documents made, and the case as it now stands."""

    made: tuple[Made, ...]
    case: Case | None


def facts_for(sop: SOP, case: Case | None, given: dict[str, Any], today: datetime) -> dict:
    """Return every fact a step's defaults may use: the SOP's defaults, then the case's facts,
    then the facts given with ``--data``; plus ``tahun``, ``waktu_N`` (step N's standard time
    in words, e.g. ``7 (tujuh) hari``) and, from the case, ``nomor_langkah_N`` and
    ``tanggal_langkah_N`` (the number and date of step N's document)."""
    facts: dict[str, Any] = {k: f.bawaan for k, f in sop.fakta.items() if f.bawaan is not None}
    facts["tahun"] = today.year
    for step in sop.langkah:
        if step.waktu.menit is not None:
            facts[f"waktu_{step.no}"] = step.waktu.kata()
    if case is not None:
        facts["kasus"] = case.id
        facts["diterima_tanggal"] = idn.tanggal(case.opened_at.date())
        facts.update(case.facts)
        for done in case.steps:
            if done.numbers:
                facts[f"nomor_langkah_{done.step}"] = done.numbers[0]
                facts[f"tanggal_langkah_{done.step}"] = idn.tanggal(done.done_at.date())
    facts.update(given)
    return facts


def _fill(value: Any, facts: dict[str, Any], missing: set[str]) -> Any:
    """Fill ``{fact}`` placeholders in a default, noting the facts nobody supplied."""
    if isinstance(value, dict):
        return {k: _fill(v, facts, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, facts, missing) for v in value]
    if not isinstance(value, str):
        return value
    if (m := _WHOLE.fullmatch(value)) and m[1] in facts:
        return facts[m[1]]  # a whole fact, kept as it is (table rows, a date field)
    names = {f for _, f, _, _ in string.Formatter().parse(value) if f}
    # inside a text, a fact is written as an official writes it: never a Python value
    texts = {n: as_text(facts.get(n)) for n in names}
    absent = {n for n in names if not texts[n].strip()}
    missing |= absent
    if absent:
        return value
    return value.format_map(texts)


def documents_of(step: Langkah, decision: str | None) -> list[Dokumen]:
    """The documents a step makes on the chosen branch of its decision."""
    if step.keputusan and decision:
        branch = step.keputusan.ya if decision == "ya" else step.keputusan.tidak
        if branch.dokumen is not None:
            return list(branch.dokumen)
    return list(step.dokumen)


def check_decision(sop: SOP, step: Langkah, decision: str | None) -> None:
    """Refuse a decision on a step that has none, and a decision step without one."""
    deciding = [s.no for s in sop.langkah if s.keputusan]
    if decision and not step.keputusan:
        listed = ", ".join(map(str, deciding)) or "none"
        raise CatalogueError(f"step {step.no} of {sop.kunci} has no decision "
                             f"(decision steps: {listed})")
    if step.keputusan and not decision:
        raise CatalogueError(f"step {step.no} of {sop.kunci} is a decision: answer ya or tidak",
                             option="decision")


def plan(sop: SOP, step: Langkah, decision: str | None, facts: dict[str, Any],
         fields: dict[str, Any]) -> list[Planned]:
    """Return the step's documents with their records filled in: defaults with facts, then
    ``fields`` (from ``--data``) over them. Raises RecordError listing every fact nobody
    supplied and every field no document of the step has."""
    documents = documents_of(step, decision)
    unused = set(fields)
    needed_by: dict[str, list[str]] = {}
    planned = []
    for doc in documents:
        model_fields = kind_of(doc.jenis).model.model_fields
        mine = {k: v for k, v in fields.items() if k in model_fields}
        unused -= set(mine)
        missing: set[str] = set()
        defaults = {k: _fill(v, facts, missing) for k, v in doc.bawaan.items() if k not in mine}
        for name in missing:
            needed_by.setdefault(name, []).append(doc.label)
        planned.append(Planned(doc, {**defaults, **mine}))
    problems = []
    for name, labels in sorted(needed_by.items()):
        about = sop.fakta[name].keterangan if name in sop.fakta else "a fact of the case"
        problems.append((f"fakta.{name}", f"missing: {about}; needed for "
                                          f"{' and '.join(labels)}; give it in the case or "
                                          "under fakta: in the data"))
    for name in sorted(unused):
        kinds = ", ".join(d.jenis for d in documents) or "no document"
        problems.append((name, f"is not a field of this step's documents ({kinds})"))
    if problems:
        raise RecordError(f"step {step.no} of {sop.kunci}", problems, option="data")
    return planned


def _next_step(sop: SOP, step: Langkah, decision: str | None) -> int | None:
    if step.keputusan and decision:
        branch = step.keputusan.ya if decision == "ya" else step.keputusan.tidak
        return None if branch.lanjut == "selesai" else branch.lanjut
    return step.no + 1 if step.no < len(sop.langkah) else None


def run_step(workspace: Workspace, sop: SOP, no: int, *, decision: str | None = None,
             data: dict[str, Any] | None = None, case_id: str | None = None,
             out_dir: Path = Path("output"), fmt: str = "both",
             now: datetime | None = None, force: bool = False,
             reason: str | None = None) -> StepResult:
    """Make what step ``no`` of ``sop`` requires and, with a case, record it there.

    Every document of the step is validated before the first is made, so a missing fact
    leaves nothing behind. A step that makes no document can only be recorded in a case.
    In a case, only the case's next step may be done, unless ``force`` is given with a
    ``reason``, which the case records with the step.
    """
    try:
        step = sop.step(no)
    except ValueError as exc:
        raise CatalogueError(str(exc)) from None
    check_decision(sop, step, decision)
    now = now or datetime.now()
    register = register_of(workspace)
    case = None
    if case_id is not None:
        case = register.case(case_id)
        if case is None:
            raise CatalogueError(f"no case {case_id!r} in the register ({workspace.register_path})")
        if case.sop != sop.kunci:
            raise CatalogueError(f"case {case.id} follows SOP {case.sop}, not {sop.kunci}")
        if case.status != "buka":
            raise CatalogueError(f"case {case.id} is closed")
    force_reason = check_order(sop, case, no, force, reason)
    documents = documents_of(step, decision)
    if not documents and case is None:
        raise CatalogueError(
            f"step {no} of {sop.kunci} makes no document ({step.kegiatan}); "
            "it can only be recorded as done in a case", option="case")
    data = dict(data or {})
    given_facts = data.pop("fakta", None) or {}
    if isinstance(given_facts, dict):
        check_facts(sop, given_facts, f"step {no} of {sop.kunci}")
    else:
        raise RecordError(f"step {no} of {sop.kunci}", [("fakta", "expected a mapping of facts")])
    planned = plan(sop, step, decision, facts_for(sop, case, given_facts, now), data)
    following = _next_step(sop, step, decision)

    def record(tx: Transaction, made: tuple[Made, ...]) -> None:
        """The step is recorded in the same transaction as its documents."""
        if case is not None:
            tx.record_step(case.id, CaseStep(no, now, decision,
                                             tuple(m.nomor for m in made if m.nomor),
                                             tuple(str(p) for m in made for p in m.paths),
                                             force_reason),
                           following)

    orders = [Order(item.dokumen.jenis, item.data, item.dokumen.konsep) for item in planned]
    made = make_documents(orders, workspace, out_dir=out_dir, fmt=fmt,
                          source=f"step {no} of {sop.kunci}",
                          then=record if case is not None else None)
    return StepResult(made, register.case(case.id) if case is not None else None)


def run_first_step_making(workspace: Workspace, sop_key: str, kind: str,
                          data: dict[str, Any], *, out_dir: Path = Path("output"),
                          fmt: str = "both") -> StepResult:
    """``<kind> --sop KEY``: run the first step of the SOP that makes a ``kind`` document
    (on the branch of its decision that makes it)."""
    from .catalogue import catalogue, first_step_making, sop_of

    chosen = sop_of(catalogue(workspace), sop_key)
    no, decision = first_step_making(chosen, kind)
    return run_step(workspace, chosen, no, decision=decision, data=data, out_dir=out_dir,
                    fmt=fmt)


#: Bounds of a fact: a text, a list (of texts or of table rows), the whole set as JSON.
FACT_TEXT, FACT_ITEMS, FACTS_SIZE = 5_000, 500, 200_000
Scalar = str | int | float | bool | date


def check_facts(sop: SOP, facts: dict[str, Any], source: str, prefix: str = "fakta.") -> None:
    """Refuse facts the SOP does not know, and values a document cannot print: a fact is a
    text, number, yes/no or date, or a list of these, or a list of table rows of these;
    texts and lists are bounded, so a case never stores a bomb. Raises RecordError."""
    known = ", ".join(sop.fakta) or "none"
    problems = [(f"{prefix}{name}", f"is not a fact of SOP {sop.kunci} (its facts: {known})")
                for name in sorted(set(facts) - set(sop.fakta), key=str)]
    for name, value in facts.items():
        if name in sop.fakta and (problem := _fact_problem(value)):
            problems.append((f"{prefix}{name}", problem))
    if not problems and len(json.dumps(facts, default=str)) > FACTS_SIZE:
        problems.append(("fakta", f"the facts are larger than {FACTS_SIZE:,} characters"))
    if problems:
        raise RecordError(source, problems, option="data")


def _fact_problem(value: Any, depth: int = 0) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    if isinstance(value, str) and len(value) > FACT_TEXT:
        return f"is longer than {FACT_TEXT:,} characters"
    if isinstance(value, Scalar):
        return None
    if isinstance(value, list) and depth < 2:
        if len(value) > FACT_ITEMS:
            return f"has more than {FACT_ITEMS} items"
        return next((f"item {i}: {p}" for i, v in enumerate(value, 1)
                     if (p := _fact_problem(v, depth + 1))), None)
    return ("must be a text, a number, yes/no, a date, or a list of these (or of table rows), "
            f"not {type(value).__name__}")


def open_case(workspace: Workspace, sop: SOP, facts: dict[str, Any],
              now: datetime | None = None) -> Case:
    """Open a case of ``sop`` holding ``facts``; raise RecordError for facts the SOP does not
    know (a typo would otherwise go unnoticed until a step needs it) or cannot hold."""
    check_facts(sop, facts, f"case of {sop.kunci}", prefix="")
    return register_of(workspace).open_case(
        sop.kunci, facts, now or datetime.now().replace(microsecond=0))
