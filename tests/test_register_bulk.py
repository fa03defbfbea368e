"""Registering many documents at once (a batch's sheets, ``Transaction.add_many``) keeps the
same rows as registering each with ``add``, on SQLite and on a real PostgreSQL server, and
PostgreSQL's deferred statements (pipeline mode) still fail the whole transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from sopdocs.errors import RegisterError
from sopdocs.registry import AGENDA, KELUAR, Entry, FileEntry, Letter, Register, open_register


def new_register(backend: str, request: pytest.FixtureRequest, tmp_path: Path,
                 name: str) -> Register:
    if backend == "sqlite":
        return open_register(tmp_path / f"{name}.db", who="meja-1")
    reg = open_register(request.getfixturevalue("postgres").new_database(), who="meja-1")
    reg.init()
    return reg


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def sheets() -> list[Entry]:
    """Agenda sheets sharing one PDF (a page each), an outgoing number among them, a void."""
    made = [Entry(f"{i}/2026", "disposisi", f"hal {i}", date(2026, 3, i), i, 2026,
                  "Diskominfotik", series=AGENDA, record_json="{}", summary_json=f'{{"n":{i}}}',
                  files=(FileEntry("out/batch.pdf", "a" * 64, page=i),
                         FileEntry("out/batch.docx", "b" * 64, page=i)))
            for i in range(1, 6)]
    made.insert(2, Entry("000/1/Diskominfotik-2026", "nota-dinas", "keluar", date(2026, 3, 2),
                         1, 2026, "Diskominfotik", files=(FileEntry("out/nd.pdf", "c" * 64),)))
    made.append(Entry("6/2026", "disposisi", "batal", date(2026, 3, 6), 6, 2026,
                      "Diskominfotik", series=AGENDA, status="batal", void_reason="salah"))
    return made


def rows(register: Register) -> list[object]:
    """What the register holds, without the times it was written."""
    return [[(e.id, e.nomor, e.series, e.hal, e.status, e.void_reason, e.summary_json,
              e.files) for e in register.entries()],
            [(a.who, a.action, a.nomor, a.tahun, a.detail) for a in register.audit()],
            list(register.table_rows("files"))]


def test_many_at_once_are_registered_as_one_by_one(backend, request, tmp_path, monkeypatch):
    one_by_one = new_register(backend, request, tmp_path, "satu")
    at_once = new_register(backend, request, tmp_path, "sekaligus")
    for register in (one_by_one, at_once):  # a document before, so ids do not start at 1
        with register.transaction() as tx:
            tx.add(Entry("000/9/X-2025", "surat", "lama", date(2025, 1, 2), 9, 2025, "X"))
    with one_by_one.transaction() as tx:
        for entry in sheets():
            tx.add(entry)
    monkeypatch.setattr("sopdocs.registry.sql.MANY", 2)  # several chunks
    with at_once.transaction() as tx:
        tx.add_many(iter(sheets()))
    assert rows(at_once) == rows(one_by_one)  # ids too: in the order given, after the last


def test_an_outgoing_number_twice_among_many_undoes_them_all(backend, request, tmp_path):
    register = new_register(backend, request, tmp_path, "r")
    twice = [*sheets(), sheets()[2]]
    with pytest.raises(RegisterError, match=r"000/1/Diskominfotik-2026 .* already in the"), \
            register.transaction() as tx:
        tx.add_many(twice)
    assert register.entries() == [] and register.audit() == []


def test_a_deferred_statement_that_fails_undoes_the_transaction(backend, request, tmp_path):
    """A letter is sent without waiting for its answer on PostgreSQL: its refusal (the same
    agenda number twice) comes with the next answer, and nothing of the transaction stays;
    the document added after it is not blamed for it."""
    register = new_register(backend, request, tmp_path, "r")
    letter = Letter("k1", "1/2026", 1, 2026, "Dinas A", "005/1", date(2026, 3, 1),
                    date(2026, 3, 2), "hal")
    with pytest.raises(RegisterError) as caught, register.transaction() as tx:
        tx.add_letter(letter)
        tx.add_letter(replace(letter, kunci="k2"))  # the same agenda number again
        tx.add(Entry("000/1/X-2026", "surat", "hal", date(2026, 3, 2), 1, 2026, "X",
                     series=KELUAR))
    assert "already in the register" not in str(caught.value)
    assert register.letters() == [] and register.entries() == [] and register.audit() == []


def test_a_deferred_statement_that_fails_at_the_commit_undoes_the_transaction(
        backend, request, tmp_path):
    register = new_register(backend, request, tmp_path, "r")
    letter = Letter("k1", "1/2026", 1, 2026, "Dinas A", "005/1", date(2026, 3, 1),
                    date(2026, 3, 2), "hal")
    with pytest.raises(RegisterError), register.transaction() as tx:
        tx.claim(AGENDA, "Diskominfotik", 2026, 1)
        tx.add_letter(letter)
        tx.add_letter(replace(letter, kunci="k2"))  # nothing after it but the commit
    assert register.letters() == []
    with register.transaction() as tx:  # the claim went with the rest, and the register works
        assert tx.next_urut(AGENDA, "Diskominfotik", 2026) == 1


def test_a_register_larger_than_a_stream_batch_is_copied_whole(backend, request, tmp_path,
                                                                monkeypatch):
    """``register copy`` streams rows a batch at a time (``STREAM_ROWS``, made small here):
    every row of every batch arrives, in both directions, and the check sees one row
    changed."""
    import sopdocs.registry.copy as copying
    import sopdocs.registry.postgres as postgres
    import sopdocs.registry.sqlite as sqlite

    for reader in (copying, sqlite, postgres):  # each module that reads rows in batches
        monkeypatch.setattr(reader, "STREAM_ROWS", 7)
    source = open_register(tmp_path / "meja.db", who="meja-1")
    with source.transaction() as tx:
        tx.add_many(replace(e, nomor=f"{i}/2026", urut=i, hal=f"hal {i}") for i, e in
                    enumerate(sheets() * 10, 1) if e.series == AGENDA)
    target = new_register(backend, request, tmp_path, "kantor")
    back = open_register(tmp_path / "kembali.db")
    counts = copying.copy_register(source, target)
    assert counts["documents"] == 60 and counts["files"] == 100 and counts["audit"] == 60
    assert copying.copy_register(target, back) == counts
    for table in ("documents", "files", "audit"):
        assert list(back.table_rows(table)) == list(source.table_rows(table))
        assert copying.table_digest(target, table) == copying.table_digest(source, table)
    with back._transaction() as tx:
        tx.execute("UPDATE documents SET hal = 'diubah' WHERE id = 33")
    assert copying.table_digest(back, "documents") != copying.table_digest(source, "documents")
