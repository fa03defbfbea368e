import subprocess
import sys
import textwrap
from datetime import date

import pytest

from sopdocs.errors import RegisterError
from sopdocs.registry import KELUAR, Entry, SqliteRegister


def take(register, unit="Diskominfotik", tahun=2026, kind="nota-dinas"):
    with register.transaction() as tx:
        urut = tx.next_urut(KELUAR, unit, tahun)
        nomor = f"000/{urut}/{unit}-{tahun}"
        tx.add(Entry(nomor, kind, "hal", date(tahun, 1, 2), urut, tahun, unit))
    return nomor


def test_one_series_per_unit_per_year(tmp_path):
    reg = SqliteRegister(tmp_path / "r.db")
    assert [take(reg) for _ in range(3)] == [f"000/{i}/Diskominfotik-2026" for i in (1, 2, 3)]
    assert take(reg, tahun=2027) == "000/1/Diskominfotik-2027"  # reset in January
    assert take(reg, unit="Setda") == "000/1/Setda-2026"
    assert take(reg, kind="surat") == "000/4/Diskominfotik-2026"  # shared by all kinds


def test_failed_transaction_consumes_no_number(tmp_path):
    reg = SqliteRegister(tmp_path / "r.db")
    take(reg)
    with pytest.raises(RuntimeError), reg.transaction() as tx:
        tx.next_urut(KELUAR, "Diskominfotik", 2026)
        raise RuntimeError("render failed")
    assert take(reg) == "000/2/Diskominfotik-2026"


def test_void_keeps_the_number_taken(tmp_path):
    reg = SqliteRegister(tmp_path / "r.db")
    first = take(reg)
    entry = reg.void(first, "salah alamat")
    assert (entry.status, entry.void_reason) == ("batal", "salah alamat")
    assert take(reg) == "000/2/Diskominfotik-2026"
    with pytest.raises(RegisterError, match="already void"):
        reg.void(first, "lagi")
    with pytest.raises(RegisterError, match="not an outgoing number in the register"):
        reg.void("000/99/Diskominfotik-2026", "x")
    with pytest.raises(RegisterError, match="needs a reason"):
        reg.void("000/2/Diskominfotik-2026", " ")


WORKER = textwrap.dedent("""
    import sys
    from datetime import date
    from pathlib import Path
    from sopdocs.registry import KELUAR, Entry, SqliteRegister
    reg = SqliteRegister(Path(sys.argv[1]))
    for _ in range(int(sys.argv[2])):
        with reg.transaction() as tx:
            urut = tx.next_urut(KELUAR, "U", 2026)
            tx.add(Entry(f"000/{urut}/U-2026", "nota-dinas", sys.argv[3], date(2026, 1, 1),
                         urut, 2026, "U"))
""")


@pytest.mark.slow
def test_concurrent_processes_get_distinct_gap_free_numbers(tmp_path):
    db = tmp_path / "r.db"
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(db), "25", f"p{i}"])
             for i in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    entries = SqliteRegister(db).entries()
    assert sorted(e.urut for e in entries) == list(range(1, 101))
    assert {e.hal for e in entries} == {"p0", "p1", "p2", "p3"}


def test_a_signed_copy_is_registered_beside_the_unsigned_file(tmp_path):
    from sopdocs.registry import FileEntry

    reg = SqliteRegister(tmp_path / "r.db")
    take(reg)
    doc = reg.entries()[0]
    with reg.transaction() as tx:
        tx.add_files(doc.id, (FileEntry("a.ttd.pdf", "b" * 64, None, signed_from="a" * 64),))
    [found] = reg.documents_with_file("b" * 64)
    assert found.nomor == doc.nomor
    assert found.files[-1].signed_from == "a" * 64
    assert reg.documents_with_file("c" * 64) == []


def test_monitoring_runs_are_kept_in_order(tmp_path):
    from datetime import datetime

    from sopdocs.registry import Observation

    reg = SqliteRegister(tmp_path / "r.db")
    week1, week2 = datetime(2026, 11, 23, 8), datetime(2026, 11, 30, 8)
    reg.record_monitoring([Observation(week2, "Dinas A", "https://a.example", "mutakhir",
                                       date(2026, 11, 29))])
    reg.record_monitoring([Observation(week1, "Dinas A", "https://a.example",
                                       "tidak dapat diakses", None, '{"alasan": "timeout"}')])
    assert [o.run_at for o in reg.monitoring()] == [week1, week2]
    [late] = reg.monitoring(since=week2)
    assert late.status == "mutakhir" and late.latest == date(2026, 11, 29)
