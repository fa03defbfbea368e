"""Blocks of numbers for a desk that goes offline (a field visit, an outage).

``reserve`` takes a block from the shared register, where each number is held by a
placeholder document (status ``cadangan``), and writes the block into the desk's own SQLite
register, which then numbers only from it. ``sync`` sends every document the desk made
from the block (record, summary, files and hashes) onto its placeholder and voids the
placeholders the desk never used, with a reason. Each number belongs to one desk's block,
so desks may sync in any order; a sync stopped half-way is simply run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import RegisterError
from . import KELUAR, Entry
from .sql import SqlRegister, now

#: The placeholders' status in the shared register until the desk syncs.
RESERVED = "cadangan"


@dataclass(frozen=True)
class Counter:
    """The counter a block comes from (``Transaction.next_urut``'s arguments)."""

    series: str
    unit: str
    tahun: int


def reserve(shared: SqlRegister, desk: SqlRegister, counter: Counter, count: int,
            placeholder: Callable[[int], Entry]) -> list[int]:
    """Take ``count`` numbers from ``shared`` into ``desk``; return them. The desk's
    transaction is open around the shared one, so a block is in both or in neither (unless
    the desk's own disk fails in the instant between the two commits)."""
    if not 1 <= count <= 1000:
        raise RegisterError("reserve between 1 and 1000 numbers", option="count")
    if desk.dialect.name != "sqlite" or desk.location == shared.location:
        raise RegisterError(f"a desk's offline register is its own SQLite file, not "
                            f"{desk.location}: reserve into the desk's sopdocs.db")
    with desk._transaction() as local, shared._transaction() as tx:
        numbers = [tx.next_urut(counter.series, counter.unit, counter.tahun)
                   for _ in range(count)]
        for urut in numbers:
            entry = placeholder(urut)
            tx.add(entry)
            tx.log("reserved", entry.nomor, entry.tahun, f"for {desk.who or '?'}")
        local.executemany(
            "INSERT INTO reserved (series, unit, tahun, urut, shared, reserved_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(counter.series, counter.unit, counter.tahun, urut, shared.location, now())
             for urut in numbers])
    return numbers


def sync(desk: SqlRegister, shared: SqlRegister, reason: str) -> tuple[list[str], list[str]]:
    """Send the documents the desk made from its reserved blocks to ``shared`` and void the
    numbers it did not use with ``reason``; return (numbers sent, numbers voided)."""
    pending = desk._rows("SELECT series, unit, tahun, urut, taken FROM reserved "
                         "WHERE synced = 0 ORDER BY series, unit, tahun, urut")
    made: dict[tuple[str, int], list[Entry]] = {}
    for e in desk.entries():  # newest last: a number taken offline after older local ones
        if e.series == KELUAR:
            made.setdefault((e.counter or f"{e.series}|{e.unit}", e.urut), []).append(e)
    sent: list[str] = []
    voided: list[str] = []
    clashes: list[str] = []
    with shared._transaction() as tx:
        for series, unit, tahun, urut, taken in pending:
            doc = max((e for e in made.get((f"{series}|{unit}", urut), [])
                       if tahun in (0, e.tahun)), key=lambda e: e.id,
                      default=None) if taken else None
            where = ("series = 'keluar' AND urut = ? AND (tahun = ? OR ? = 0) AND "
                     "(CASE WHEN counter = '' THEN series || '|' || unit ELSE counter END) = ?")
            args = (urut, tahun, tahun, f"{series}|{unit}")
            if doc is None:
                rows = tx.execute(
                    f"UPDATE documents SET status = 'batal', void_reason = ?, voided_at = ? "
                    f"WHERE {where} AND status = ? RETURNING id, nomor, tahun",
                    (reason, now(), *args, RESERVED))
                for _, nomor, year in rows:
                    tx.log("voided", nomor, year, reason)
                    voided.append(nomor)
                continue
            rows = tx.execute(
                "UPDATE documents SET nomor = ?, kind = ?, hal = ?, tanggal = ?, status = ?, "
                f"void_reason = ?, record_json = ?, summary_json = ? WHERE {where} "
                "AND status = ? RETURNING id",
                (doc.nomor, doc.kind, doc.hal, doc.tanggal.isoformat(), doc.status,
                 doc.void_reason, doc.record_json, doc.summary_json, *args, RESERVED))
            if rows:
                tx.add_files(int(rows[0][0]), doc.files)
                tx.log("synced", doc.nomor, doc.tahun, f"made offline by {desk.who or '?'}")
                sent.append(doc.nomor)
                continue
            held = tx.execute(f"SELECT nomor, status, void_reason FROM documents WHERE {where}",
                              args)
            if not held:
                raise RegisterError(f"{shared.location} holds no reserved number {urut} for "
                                    f"{doc.nomor}; was the block reserved from another "
                                    "register?")
            nomor, status, why = held[0]
            if nomor != doc.nomor and status == "batal" and doc.status != "batal":
                clashes.append(f"{doc.nomor} ({why})")  # voided by hand on the server
    if clashes:
        raise RegisterError(
            f"{shared.location} voided numbers this desk used offline: {'; '.join(clashes)} "
            f"(the rest is sent). Void them on this desk too (sopdocs --register "
            f"{desk.location} number void NOMOR --reason …), make those documents again "
            "with new numbers, then sync again")
    with desk._transaction() as local:
        local.executemany("UPDATE reserved SET synced = 1 WHERE series = ? AND unit = ? AND "
                          "tahun = ? AND urut = ?", [row[:4] for row in pending])
    return sent, voided
