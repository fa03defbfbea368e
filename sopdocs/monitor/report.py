"""The laporan rekapitulasi of a monitoring run: step 2 of the SOP monitoring-website, made
through the step (so it is numbered and registered as any document, and recorded in the case
when there is one). The run fills the step's facts: the table (one row per site), the
summary of the figures, the conclusion with the sites not mutakhir for weeks in a row."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .. import idn
from ..errors import CatalogueError
from ..kinds import kind_of
from ..office import Workspace
from ..records import validate
from ..registry import Case, Register
from ..sop.cases import check_order
from ..sop.fakta import enumeration
from ..sop.model import SOP
from ..sop.steps import facts_for, plan
from ..view import build_view
from .finders import KATEGORI
from .status import MUTAKHIR, TIDAK_DAPAT_DIAKSES, TIDAK_MUTAKHIR, Result, keterangan, ringkasan

SOP_KEY = "monitoring-website"
#: The step whose laporan a run makes.
STEP = 2
#: The most site names a sentence of the conclusion lists; more are referred to the table.
MOST_NAMED = 10


def periode(day: date) -> str:
    """``Minggu Ke-4 November 2026``: the week of the month a run falls in."""
    return f"Minggu Ke-{(day.day - 1) // 7 + 1} {idn.BULAN[day.month - 1]} {day.year}"


def rows(results: list[Result], streaks: dict[str, int]) -> list[list[str]]:
    """The laporan's table: No., Perangkat Daerah, the dates of the latest berita, artikel
    and agenda (``30-11-2026``: short, so that the names get the room), Keterangan (status,
    days, weeks in a row, the reason)."""
    out = []
    for no, result in enumerate(results, 1):
        dates = [idn.tanggal_angka(result.items[k].tanggal) if k in result.items else "-"
                 for k in KATEGORI]
        out.append([str(no), result.opd, *dates,
                    keterangan(result, streaks.get(result.url, 1))])
    return out


def _named(results: list[Result]) -> str:
    """The OPD of ``results`` as a list in a sentence (joined by semicolons when a name has a
    comma of its own: "Dinas Kependudukan, Pemberdayaan Perempuan dan Perlindungan Anak"), or
    their number when there are more than ``MOST_NAMED``."""
    names = [r.opd for r in results]
    if len(names) > MOST_NAMED:
        return f"{idn.jumlah(len(names), 'website')} (lihat tabel)"
    if len(names) > 1 and any("," in n for n in names):
        return f"{'; '.join(names[:-1])}; dan {names[-1]}"
    return enumeration(names)


def simpulan(results: list[Result], streaks: dict[str, int], fresh_days: int) -> str:
    """The conclusion and advice, written from the results: the sites not mutakhir, those
    not mutakhir or not reachable for weeks in a row (longest first, one sentence for each
    status and number of weeks), those not reachable."""
    stale = [r for r in results if r.status == TIDAK_MUTAKHIR]
    down = [r for r in results if r.status == TIDAK_DAPAT_DIAKSES]
    if not stale and not down:
        return (f"Seluruh website OPD mutakhir: berita, artikel atau agenda terakhirnya tidak "
                f"lebih dari {fresh_days} hari.")
    sentences = []
    if stale:
        sentences.append(f"Website yang tidak mutakhir (tanpa berita, artikel atau agenda baru "
                         f"lebih dari {fresh_days} hari): {_named(stale)}. Perangkat daerah "
                         "tersebut agar diingatkan untuk memperbarui isi websitenya.")
    groups: dict[tuple[int, str], list[Result]] = {}
    for r in results:
        if r.status != MUTAKHIR and streaks.get(r.url, 1) > 1:
            groups.setdefault((streaks[r.url], r.status), []).append(r)
    for (weeks, status), group in sorted(groups.items(), key=lambda g: (-g[0][0], g[0][1])):
        sentences.append(f"Perlu perhatian khusus, {status} {weeks} minggu berturut-turut: "
                         f"{_named(group)}.")
    if down:
        sentences.append(f"Website yang tidak dapat diakses: {_named(down)}. Agar diperiksa "
                         "bersama pengelola website dan Tim Infrastruktur.")
    return " ".join(sentences)


def step_data(results: list[Result], streaks: dict[str, int], fresh_days: int,
              run_at: datetime, case: Case | None) -> dict[str, Any]:
    """What the run gives step 2: its facts (periode and tanggal_monitoring only when the
    case does not hold them already), the date, and the Hasil with the figures."""
    facts: dict[str, Any] = {"rekap": rows(results, streaks),
                             "simpulan": simpulan(results, streaks, fresh_days)}
    known = case.facts if case is not None else {}
    if "periode" not in known:
        facts["periode"] = periode(run_at.date())
    if "tanggal_monitoring" not in known:
        facts["tanggal_monitoring"] = run_at.date()
    return {"fakta": facts, "tanggal": run_at.date(),
            "hasil": [ringkasan(results),
                      "Rincian hasil monitoring setiap website disajikan dalam tabel berikut."]}


def check_ready(workspace: Workspace, register: Register, sop: SOP, case_id: str | None,
                run_at: datetime) -> Case | None:
    """Refuse, before any site is fetched, what would stop the laporan afterwards: a case
    that is not an open monitoring-website case at step 2, or a laporan the office cannot
    sign (an official missing from its profile). Return the case."""
    case = None
    if case_id is not None:
        case = register.case(case_id)
        if case is None:
            raise CatalogueError(f"no case {case_id!r} in the register "
                                 f"({workspace.register_path})", option="case")
        if case.sop != sop.kunci:
            raise CatalogueError(f"case {case.id} follows SOP {case.sop}, not {sop.kunci}",
                                 option="case")
        if case.next_step not in (None, STEP):  # monitor has no --force: say what to do
            raise CatalogueError(
                f"case {case.id} is at step {case.next_step}, not step {STEP}: do step "
                f"{case.next_step} first (sopdocs step {sop.kunci} {case.next_step} --case "
                f"{case.id})", option="case")
        check_order(sop, case, STEP)
    sample = step_data([], {}, 7, run_at, case)
    sample["fakta"]["rekap"] = [["1", "-", "-", "-", "-", "-"]]
    fields = {k: v for k, v in sample.items() if k != "fakta"}
    source = f"step {STEP} of {sop.kunci}"
    for planned in plan(sop, sop.step(STEP), None, facts_for(sop, case, sample["fakta"], run_at),
                        fields):
        kind = kind_of(planned.dokumen.jenis)
        record = validate(kind.model, planned.data, source)
        build_view(kind, record, workspace, konsep=planned.dokumen.konsep, source=source)
    return case
