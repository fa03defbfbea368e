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


@pytest.mark.parametrize("location, shown", [
    ("postgresql://u:p@h/db", "postgresql://u:***@h/db"),
    ("postgresql://u:p@h:5432/db?sslmode=require",
     "postgresql://u:***@h:5432/db?sslmode=require"),
    ("postgres://u:p@h/db", "postgres://u:***@h/db"),
    ("postgresql://u:p%40s%3As%2F%25@h/db", "postgresql://u:***@h/db"),
    ("postgresql://u:p@s:s/w?d#x@h/db", "postgresql://u:***@h/db"),  # raw, as clerks type it
    ("postgresql://u@h/db?sslmode=require&password=p%40ss",
     "postgresql://u@h/db?sslmode=require&password=***"),
    ("host=h port=5432 password=p@s:s/ dbname=db", "host=h port=5432 password=*** dbname=db"),
    ("host=h password = 'p q\\' r' dbname=db", "host=h password = *** dbname=db"),
    ("postgresql://u@h/db", "postgresql://u@h/db"),
    ("postgresql://h:5432/db", "postgresql://h:5432/db"),
])
def test_every_password_form_is_masked(location, shown):
    from sopdocs.registry import is_url, masked

    assert is_url(location) and masked(location) == shown


def test_a_key_value_string_is_a_server_never_a_file(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sopdocs.cli import cli
    from sopdocs.registry import open_register

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOPDOCS_REGISTER", "")
    dsn = "host=127.0.0.1 port=1 user=clerk password=rahasia-kantor connect_timeout=2"
    assert type(open_register(dsn)).__name__ == "PostgresRegister"
    result = CliRunner().invoke(cli, ["--register", dsn, "register", "info"])
    assert result.exit_code == 1 and "rahasia" not in result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("Error: register host=127.0.0.1") and "password=***" in line
    assert list(tmp_path.iterdir()) == []  # no SQLite file named after the string


def test_a_raw_at_in_a_url_password_is_refused_before_connecting():
    from sopdocs.registry import open_register

    reg = open_register("postgresql://clerk:rah@sia@127.0.0.1:1/db")
    with pytest.raises(RegisterError) as refused:
        reg.schema_version()
    assert "%40" in str(refused.value) and "sia" not in str(refused.value)


def test_a_driver_message_quoting_part_of_the_password_is_scrubbed():
    import psycopg

    from sopdocs.registry.postgres import PostgresRegister

    reg = PostgresRegister("postgresql://clerk:Rahasia2026%40kantor@db/x")
    text = str(reg._error(psycopg.OperationalError(
        "failed to resolve host 'kantor@db' for Rahasia2026@kantor")))
    assert "Rahasia2026" not in text and "kantor@db" not in text
    assert text.startswith("register postgresql://clerk:***@db/x: ")


def test_another_programs_sqlite_file_is_never_migrated(tmp_path):
    import sqlite3

    other = tmp_path / "inventaris.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, judul TEXT)")
        db.execute("INSERT INTO documents (judul) VALUES ('laptop')")
    with pytest.raises(RegisterError, match="tables named documents that are not a sopdocs"):
        take(SqliteRegister(other))
    with sqlite3.connect(other) as db:
        assert db.execute("SELECT * FROM documents").fetchall() == [(1, "laptop")]
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["documents"]
        assert db.execute("PRAGMA user_version").fetchone() == (0,)


def test_copy_refuses_wrong_sources_and_targets(tmp_path):
    import sqlite3

    from sopdocs.registry.copy import copy_register

    source = SqliteRegister(tmp_path / "sopdocs.db")
    with pytest.raises(RegisterError, match="no register to copy"):
        copy_register(source, SqliteRegister(tmp_path / "baru.db"))
    take(source)
    with pytest.raises(RegisterError, match="is the register in use"):
        copy_register(source, SqliteRegister(tmp_path / "sopdocs.db"))
    other = tmp_path / "lain.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(RegisterError, match="exists and is not a sopdocs register"):
        copy_register(source, SqliteRegister(other))
    assert sqlite3.connect(other).execute("SELECT name FROM sqlite_master").fetchall() == [
        ("t",)]
    (tmp_path / "sama.db").symlink_to(tmp_path / "sopdocs.db")  # itself, named otherwise
    with pytest.raises(RegisterError, match="is not empty"):
        copy_register(source, SqliteRegister(tmp_path / "sama.db"))
    with source._transaction() as tx:  # a desk's register holding a reserved block
        tx.execute("INSERT INTO reserved (series, unit, tahun, urut, shared, reserved_at) "
                   "VALUES ('keluar', 'U', 2026, 9, 'postgresql://x', '2026-01-01')")
    with pytest.raises(RegisterError, match="'sopdocs register sync' it instead"):
        copy_register(source, SqliteRegister(tmp_path / "baru.db"))
    assert not (tmp_path / "baru.db").exists()


def test_an_offline_desk_without_a_block_never_numbers_on_its_own(workspace, monkeypatch,
                                                                  nota_dinas_data, tmp_path):
    from datetime import datetime

    from sopdocs.office import Workspace
    from sopdocs.service import make_document, register_of

    office = workspace.office.model_copy(update={"register_at": "postgresql://x@127.0.0.1:1/k"})
    desk = Workspace(office, tmp_path, None)
    monkeypatch.setenv("SOPDOCS_REGISTER", str(tmp_path / "sopdocs.db"))  # --register
    with pytest.raises(RegisterError, match="numbers only from blocks reserved"):
        make_document("nota-dinas", nota_dinas_data, desk, out_dir=tmp_path / "out")
    with pytest.raises(RegisterError, match="numbers only from blocks reserved"):
        register_of(desk).open_case("hosting", {}, datetime(2026, 3, 2, 9))
    assert register_of(desk).entries() == [] and not (tmp_path / "out").exists()
    monkeypatch.setenv("SOPDOCS_REGISTER", "")
    plain = Workspace(workspace.office, tmp_path, None)  # an office without a shared one
    assert make_document("nota-dinas", nota_dinas_data, plain,
                         out_dir=tmp_path / "out").nomor.split("/")[1] == "1"
