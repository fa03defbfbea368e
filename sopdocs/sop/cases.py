"""Compare a case with its SOP: how long each step took against its standard time, counted in
working time (``sopdocs.kalender``), whether the next step is overdue; and whether a step may
be done now (the SOP's order, unless forced with a reason)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..errors import CatalogueError, RegisterError
from ..kalender import Lama, add_working, lama
from ..office import Office, Workspace
from ..records import one_line
from ..registry import Case, CaseStep
from .model import SOP, Langkah, Waktu

_BAKU = re.compile(r"(\d+)\s*(menit|jam|hari|minggu)", re.IGNORECASE)


def due(waktu: Waktu, since: datetime, office: Office) -> datetime | None:
    """When a step with the standard time ``waktu``, started at ``since``, is due, in working
    time: ``N menit`` and ``N jam`` after N minutes (N × 60) of working time; ``N hari`` the
    same clock time on the N-th next working day (``1 hari`` is one *hari kerja*);
    ``N minggu`` N weeks of the office's working days (5 hari kerja with the usual jam
    kerja). None for ``tentatif`` and ``sesuai kebutuhan``: such a step is never late."""
    if waktu.menit is None:
        return None
    m = _BAKU.search(waktu.teks)
    if m is None:  # a Waktu made in code with minutes only
        return add_working(since, office, minutes=waktu.menit)
    n, unit = int(m[1]), m[2].lower()
    if unit == "hari":
        return add_working(since, office, days=n)
    if unit == "minggu":
        return add_working(since, office, days=n * len(office.jam_kerja))
    return add_working(since, office, minutes=n * 60 if unit == "jam" else n)


@dataclass(frozen=True)
class Done:
    """A step as done in a case: the working time it took since the previous step (or the
    opening), the working time its standard allowed from then and when it was due (None: no
    fixed time), and whether it was late."""

    step: Langkah
    record: CaseStep
    took: Lama
    allowed: Lama | None
    due: datetime | None
    late: bool


@dataclass(frozen=True)
class Progress:
    """Where a case stands: the steps done and the next step, its waiting time (working
    time), when it is due, overdue or not."""

    done: tuple[Done, ...]
    next_step: Langkah | None
    waiting: Lama
    due: datetime | None
    overdue: bool


def progress(sop: SOP, case: Case, now: datetime, office: Office) -> Progress:
    """Return the progress of ``case``: each step's working time against the SOP's standard
    time (steps marked tentatif or sesuai kebutuhan are never late), and the next step."""
    done = []
    previous = case.opened_at
    for record in case.steps:
        step = sop.step(record.step)
        deadline = due(step.waktu, previous, office)
        allowed = None if deadline is None else lama(previous, deadline, office)
        took = lama(previous, record.done_at, office)
        late = allowed is not None and took.total > allowed.total
        done.append(Done(step, record, took, allowed, deadline, late))
        previous = record.done_at
    nxt = sop.step(case.next_step) if case.next_step else None
    deadline = due(nxt.waktu, previous, office) if nxt else None
    waiting = lama(previous, now, office)
    overdue = deadline is not None and waiting.total > lama(previous, deadline, office).total
    return Progress(tuple(done), nxt, waiting, deadline, overdue)


def check_order(sop: SOP, case: Case | None, no: int, force: bool = False,
                reason: str | None = None) -> str | None:
    """Check that step ``no`` may be done now: in a case, only the case's next step may (a
    decision may lead back to a step: hosting step 4 "tidak" → step 4 again). Another step
    is refused unless ``force`` is given with a ``reason``; return that reason (to record
    with the step) when the step is forced out of order, None when it is in order.

    Raises CatalogueError: out of order without force, force without a reason (or a reason
    without force), force outside a case."""
    text = None
    if reason is not None and reason.strip():
        try:
            text = one_line(reason)
        except ValueError as exc:
            raise CatalogueError(f"the reason {exc}", option="reason") from None
    if force and text is None:
        raise CatalogueError("a forced step needs a reason: say why it is done out of order",
                             option="reason")
    if text is not None and not force:
        raise CatalogueError("a reason is recorded only for a step forced out of order",
                             option="force")
    if case is None:
        if force:
            raise CatalogueError("only a step recorded in a case can be forced out of order",
                                 option="case")
        return None
    if case.next_step is None:
        raise CatalogueError(f"case {case.id} is closed")
    if no == case.next_step:
        return None
    if not force:
        nxt = sop.step(case.next_step)
        raise CatalogueError(
            f"case {case.id} is at step {nxt.no} ({nxt.kegiatan}), not step {no}; do step "
            f"{nxt.no} first, or force step {no} with a reason", option="force")
    return text


def case_lines(workspace: Workspace, case_id: str, now: datetime | None = None) -> list[str]:
    """``case show``: the case, its facts, each step done (when, working time taken against
    the standard, numbers, LATE, forced out of order and why) and the next step (when it is
    due, OVERDUE)."""
    from ..service import register_of
    from .catalogue import catalogue, sop_of

    found = register_of(workspace).case(case_id)
    if found is None:
        raise RegisterError(f"no case {case_id!r} in the register ({workspace.register_path})")
    item = sop_of(catalogue(workspace), found.sop)
    state = progress(item, found, now or datetime.now(), workspace.office)
    lines = [f"{found.id}\t{item.nama}\t{'open' if found.status == 'buka' else 'closed'}"]
    lines += [f"  {name}: {value}" for name, value in found.facts.items()]
    lines.append("step\tdone at\ttook\tstandard\tnumbers\tlate")
    for d in state.done:
        decision = f" ({d.record.decision.upper()})" if d.record.decision else ""
        lines.append(f"{d.step.no}{decision}\t{d.record.done_at:%Y-%m-%d %H:%M}\t"
                     f"{d.took}\t{d.step.waktu.teks}\t"
                     f"{', '.join(d.record.numbers) or '-'}\t{'LATE' if d.late else 'ok'}")
        if d.record.force_reason is not None:
            lines.append(f"  forced out of order: {d.record.force_reason}")
    if state.next_step:
        flag = " OVERDUE" if state.overdue else ""
        when = f", due {state.due:%Y-%m-%d %H:%M}" if state.due else ""
        lines.append(f"next: step {state.next_step.no}: {state.next_step.kegiatan} (waiting "
                     f"{state.waiting}, standard {state.next_step.waktu.teks}{when}){flag}")
    else:
        lines.append("next: none (closed)")
    return lines
