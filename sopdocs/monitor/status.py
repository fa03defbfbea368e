"""A site's status from what its check found: mutakhir (its newest item is at most
``fresh_days`` old), tidak mutakhir, or tidak dapat diakses with the reason in words; and the
result as the register keeps it (an ``Observation``) and reads it back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from .. import idn
from ..registry import Observation
from .explore import Findings
from .finders import KATEGORI, Item
from .sites import Site

MUTAKHIR, TIDAK_MUTAKHIR, TIDAK_DAPAT_DIAKSES = "mutakhir", "tidak mutakhir", "tidak dapat diakses"
STATUSES = (MUTAKHIR, TIDAK_MUTAKHIR, TIDAK_DAPAT_DIAKSES)
TIDAK_ADA_TANGGAL = "tidak ada tanggal berita, artikel atau agenda yang dapat dibaca"
HANYA_TANGGAL_MENDATANG = ("tanggal berita, artikel atau agenda yang terbaca semuanya sesudah "
                           "hari monitoring")


@dataclass(frozen=True)
class Result:
    """One site as a run found it: the newest item of each category, the status, the days
    since the newest item, why it could not be read, and notes on what failed."""

    opd: str
    url: str
    status: str
    items: dict[str, Item]
    hari: int | None = None
    alasan: str | None = None
    catatan: tuple[str, ...] = ()

    @property
    def latest(self) -> date | None:
        return max((i.tanggal for i in self.items.values()), default=None)

    @property
    def metode(self) -> list[str]:
        """The ways the dates were found, in the order of the categories."""
        return list(dict.fromkeys(self.items[k].metode for k in KATEGORI if k in self.items))


def judge(site: Site, found: Findings, today: date, fresh_days: int) -> Result:
    """The status of ``site`` from what was found: by the age of its newest item when it has
    one (a site that failed part-way keeps what it gave, with a note), else tidak dapat
    diakses with the reason, or that no date could be read. Items dated after the run were
    not counted; a note says how many."""
    notes = tuple(found.notes)
    if found.future:
        first = min(found.future, key=lambda i: i.tanggal)
        notes = (f"{len(found.future)} item bertanggal sesudah hari monitoring tidak dihitung "
                 f"({idn.tanggal_angka(first.tanggal)}, {first.metode})", *notes)
    if found.items:
        if found.alasan:
            notes = (f"halaman utama: {found.alasan}", *notes)
        latest = max(i.tanggal for i in found.items.values())
        hari = max(0, (today - latest).days)
        status = MUTAKHIR if hari <= fresh_days else TIDAK_MUTAKHIR
        return Result(site.opd, site.url, status, dict(found.items), hari, None, notes)
    alasan = found.alasan or (HANYA_TANGGAL_MENDATANG if found.future else TIDAK_ADA_TANGGAL)
    return Result(site.opd, site.url, TIDAK_DAPAT_DIAKSES, {}, None, alasan, notes)


def failed(site: Site, found: Findings, alasan: str, today: date, fresh_days: int) -> Result:
    """The result of a site whose check was cut off (its time ran out): what it found before,
    else tidak dapat diakses for ``alasan``."""
    if found.items:
        found.note(f"sebagian: {alasan}")
    elif found.alasan is None:
        found.alasan = alasan
    return judge(site, found, today, fresh_days)


def keterangan(result: Result, streak: int = 1) -> str:
    """The status as the laporan's Keterangan column says it: ``Mutakhir``, ``Tidak
    mutakhir (12 hari), 3 minggu berturut-turut``, ``Tidak dapat diakses: waktu habis …``."""
    if result.status == TIDAK_DAPAT_DIAKSES:
        text = f"Tidak dapat diakses: {result.alasan}"
    elif result.status == TIDAK_MUTAKHIR:
        text = f"Tidak mutakhir ({result.hari} hari)"
    else:
        text = "Mutakhir"
    if streak > 1 and result.status != MUTAKHIR:
        text += f", {streak} minggu berturut-turut"
    return text


def observation(result: Result, run_at: datetime) -> Observation:
    """What the register keeps of a result."""
    detail = {
        "hari": result.hari, "alasan": result.alasan, "catatan": list(result.catatan),
        "item": {k: {"tanggal": i.tanggal.isoformat(), "judul": i.judul, "tautan": i.tautan,
                     "metode": i.metode} for k, i in result.items.items()},
    }
    return Observation(run_at, result.opd, result.url, result.status, result.latest,
                       json.dumps(detail, ensure_ascii=False))


def from_observation(obs: Observation) -> Result:
    """A result of an earlier run, as the register kept it (unreadable details are left out,
    never a reason to fail)."""
    try:
        detail = json.loads(obs.detail_json)
    except ValueError:
        detail = {}
    detail = detail if isinstance(detail, dict) else {}
    items = {}
    for kategori, raw in (detail.get("item") or {}).items():
        try:
            items[kategori] = Item(kategori, date.fromisoformat(raw["tanggal"]), raw.get("judul"),
                                   raw.get("tautan"), raw.get("metode") or "")
        except (KeyError, TypeError, ValueError):
            continue
    hari = detail.get("hari")
    return Result(obs.opd, obs.url, obs.status if obs.status in STATUSES else TIDAK_DAPAT_DIAKSES,
                  items, hari if isinstance(hari, int) else None, detail.get("alasan"),
                  tuple(str(c) for c in detail.get("catatan") or ()))


def counts(results: list[Result]) -> dict[str, int]:
    """How many sites have each status."""
    return {s: sum(1 for r in results if r.status == s) for s in STATUSES}


def ringkasan(results: list[Result]) -> str:
    """The figures in one sentence: ``Dari 42 (empat puluh dua) website OPD yang dimonitor,
    30 (tiga puluh) mutakhir, 9 (sembilan) tidak mutakhir, dan 3 (tiga) tidak dapat
    diakses.``"""
    n = counts(results)
    parts = [idn.jumlah(n[s], s) for s in STATUSES]
    return (f"Dari {idn.jumlah(len(results), 'website OPD')} yang dimonitor, {parts[0]}, "
            f"{parts[1]}, dan {parts[2]}.")
