"""Compare a case with its SOP: how long each step took against its standard time, and whether
the next step is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import RegisterError
from ..office import Workspace
from ..registry import Case, CaseStep
from .model import SOP, Langkah


@dataclass(frozen=True)
class Done:
    """A step as done in a case, with the time it took since the previous one."""

    step: Langkah
    record: CaseStep
    took: timedelta
    late: bool


@dataclass(frozen=True)
class Progress:
    """Where a case stands: the steps done and the next step, overdue or not."""

    done: tuple[Done, ...]
    next_step: Langkah | None
    waiting: timedelta
    overdue: bool


def lama(delta: timedelta) -> str:
    """A duration as Indonesian officials write it: ``1 hari 2 jam``, ``15 menit``."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "hari"), (hours, "jam"), (mins, "menit")) if n]
    return " ".join(parts[:2]) or "0 menit"


def progress(sop: SOP, case: Case, now: datetime) -> Progress:
    """Return the progress of ``case``: each step's time against the SOP's standard time
    (steps marked tentatif or sesuai kebutuhan are never late), and the next step."""
    done = []
    previous = case.opened_at
    for record in case.steps:
        step = sop.step(record.step)
        took = record.done_at - previous
        standard = step.waktu.durasi
        done.append(Done(step, record, took, standard is not None and took > standard))
        previous = record.done_at
    nxt = sop.step(case.next_step) if case.next_step else None
    waiting = now - previous
    standard = nxt.waktu.durasi if nxt else None
    return Progress(tuple(done), nxt, waiting, standard is not None and waiting > standard)


def case_lines(workspace: Workspace, case_id: str, now: datetime | None = None) -> list[str]:
    """``case show``: the case, its facts, each step done (when, time taken against the
    standard, numbers, LATE) and the next step (OVERDUE)."""
    from ..service import register_of
    from .catalogue import catalogue, sop_of

    found = register_of(workspace).case(case_id)
    if found is None:
        raise RegisterError(f"no case {case_id!r} in the register ({workspace.register_path})")
    item = sop_of(catalogue(workspace), found.sop)
    state = progress(item, found, now or datetime.now())
    lines = [f"{found.id}\t{item.nama}\t{'open' if found.status == 'buka' else 'closed'}"]
    lines += [f"  {name}: {value}" for name, value in found.facts.items()]
    lines.append("step\tdone at\ttook\tstandard\tnumbers\tlate")
    for d in state.done:
        decision = f" ({d.record.decision.upper()})" if d.record.decision else ""
        lines.append(f"{d.step.no}{decision}\t{d.record.done_at:%Y-%m-%d %H:%M}\t"
                     f"{lama(d.took)}\t{d.step.waktu.teks}\t"
                     f"{', '.join(d.record.numbers) or '-'}\t{'LATE' if d.late else 'ok'}")
    if state.next_step:
        flag = " OVERDUE" if state.overdue else ""
        lines.append(f"next: step {state.next_step.no}: {state.next_step.kegiatan} (waiting "
                     f"{lama(state.waiting)}, standard {state.next_step.waktu.teks}){flag}")
    else:
        lines.append("next: none (closed)")
    return lines
