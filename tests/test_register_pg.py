"""The shared register on a real PostgreSQL server: desks taking numbers at once, batches
side by side, clients killed mid-way, copying a desk's SQLite register in, and the errors a
clerk meets (server down, wrong password, no schema, newer schema, connection lost)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from sopdocs.cli import cli
from sopdocs.errors import RegisterError
from sopdocs.office import Workspace
from sopdocs.registry import (
    AGENDA,
    KELUAR,
    SCHEMA_VERSION,
    Archived,
    Entry,
    FileEntry,
    open_register,
)
from sopdocs.service import Order, make_documents, register_of

LEGACY = ROOT / "tests" / "data" / "sopdocs-v0.db"

#: A desk taking numbers: ``url count desk-folder tag``; a rerun takes only what is missing.
WORKER = textwrap.dedent("""
    import sys
    from datetime import date
    from pathlib import Path
    from sopdocs.office import Workspace, data_path, load_office
    from sopdocs.registry import KELUAR, Entry
    from sopdocs.service import register_of
    count, folder, tag = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    reg = register_of(Workspace(load_office(data_path("office-sample.yaml")).office, folder,
                                None))
    done = sum(1 for e in reg.entries(2026, with_files=False) if e.hal == tag)
    for _ in range(count - done):
        with reg.transaction() as tx:
            urut = tx.next_urut(KELUAR, "U", 2026)
            tx.add(Entry(f"000/{urut}/U-2026", "nota-dinas", tag, date(2026, 1, 1), urut, 2026,
                         "U"))
""")


@pytest.fixture
def shared(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A shared register with its schema, named by $SOPDOCS_REGISTER for this test."""
    reg = open_register(pg_url)
    reg.init()
    monkeypatch.setenv("SOPDOCS_REGISTER", pg_url)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    return pg_url


def desks(tmp_path: Path) -> list[Path]:
    folders = [tmp_path / "meja-agenda", tmp_path / "meja-sekretaris"]
    for folder in folders:
        folder.mkdir()
    return folders


def workers(count: int, folders: list[Path], per: int) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", WORKER, str(per),
                              str(folders[i % len(folders)]), f"p{i}"]) for i in range(count)]


def numbers(url: str) -> list[int]:
    return sorted(e.urut for e in open_register(url).entries(with_files=False)
                  if e.series == KELUAR)


@pytest.mark.slow
def test_eight_clients_on_two_desks_get_2000_distinct_gap_free_numbers(shared, tmp_path):
    procs = workers(8, desks(tmp_path), 250)
    assert [p.wait(timeout=600) for p in procs] == [0] * 8
    assert numbers(shared) == list(range(1, 2001))
    entries = open_register(shared).entries(with_files=False)
    assert {e.hal for e in entries} == {f"p{i}" for i in range(8)}
    who = {row.who for row in open_register(shared).audit()}
    assert len(who) == 1 and "@" in next(iter(who))  # the OS user at this machine


@pytest.mark.slow
def test_clients_killed_at_random_points_leave_no_gap_and_reruns_complete(shared, tmp_path):
    folders = desks(tmp_path)
    rng = random.Random(13)
    procs = workers(4, folders, 150)
    for victim in rng.sample(procs, 2):
        time.sleep(rng.uniform(0.3, 1.5))
        victim.send_signal(signal.SIGKILL)
    for p in procs:
        p.wait(timeout=600)
    taken = numbers(shared)
    assert taken == list(range(1, len(taken) + 1))  # whatever was killed: no gap
    reruns = [subprocess.Popen([sys.executable, "-c", WORKER, "150", str(folders[i % 2]),
                                f"p{i}"]) for i in range(4)]
    assert [p.wait(timeout=600) for p in reruns] == [0] * 4
    assert numbers(shared) == list(range(1, 601))


def run_batch(folder: Path, url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOPDOCS_REGISTER": url}
    env.pop("SOPDOCS_OFFICE", None)
    return subprocess.Popen([sys.executable, "-m", "sopdocs", "disposisi", "--batch",
                             str(SAMPLES / "agenda.xlsx"), "--out", "out"], cwd=folder,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_batches_of_the_sample_agenda_side_by_side(shared, tmp_path):
    folders = desks(tmp_path)
    procs = [run_batch(folder, shared) for folder in folders]
    results = [p.communicate(timeout=600)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    reg = open_register(shared)
    letters = reg.letters()
    agenda = sorted(int(letter.nomor) for letter in letters)
    assert agenda == list(range(1, len(letters) + 1)) and len(letters) > 10
    sheets = [e for e in reg.entries(with_files=False) if e.series == AGENDA]
    assert len(sheets) == 2 * len(letters)  # each desk printed every letter's lembar
    for folder in folders:
        (pdf,) = (folder / "out").glob("*.pdf")
        assert pdf.stat().st_size > 10_000


@pytest.mark.slow
def test_a_batch_killed_mid_way_resumes_on_rerun(shared, tmp_path):
    (folder, _) = desks(tmp_path)
    victim = run_batch(folder, shared)
    time.sleep(random.Random(5).uniform(1.5, 3.0))
    victim.send_signal(signal.SIGKILL)
    victim.communicate()
    rerun = run_batch(folder, shared)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    reg = open_register(shared)
    agenda = sorted(int(letter.nomor) for letter in reg.letters())
    assert agenda == list(range(1, len(agenda) + 1))
    sheets = {e.nomor for e in reg.entries(with_files=False) if e.series == AGENDA}
    assert sheets == {str(n) for n in agenda}  # every letter has its lembar
    assert [p.name for p in (folder / "out").iterdir() if not p.name.endswith(".pdf")] == []


def test_a_desk_register_is_copied_in_and_checked(shared, tmp_path, monkeypatch):
    desk = tmp_path / "desk"
    desk.mkdir()
    shutil.copy(LEGACY, desk / "sopdocs.db")
    target = shared
    monkeypatch.delenv("SOPDOCS_REGISTER")
    monkeypatch.chdir(desk)
    source = open_register(desk / "sopdocs.db")
    before = source.entries()
    fresh = open_register(target)
    result = CliRunner().invoke(cli, ["register", "copy", "--to", target])
    assert result.exit_code == 0, result.output
    assert "counts and hashes match" in result.stdout
    assert fresh.entries() == before
    assert fresh.letters() == source.letters() and fresh.archived() == source.archived()
    assert fresh.case("HOSTING-2026-0001") == source.case("HOSTING-2026-0001")
    assert fresh.archive_chain() == source.archive_chain()
    again = CliRunner().invoke(cli, ["register", "copy", "--to", target])
    assert again.exit_code == 1 and "is not empty" in again.output
    # the office goes on where the desk stopped, on the server
    monkeypatch.setenv("SOPDOCS_REGISTER", target)
    made = make_documents([Order("nota-dinas", sample("nota-dinas"))], sample_workspace(desk),
                          out_dir=desk / "out")
    assert made[0].nomor == "000.8.3.3/5/Diskominfotik-2026"
    assert len(open_register(target).entries()) == len(before) + 1


def sample(name: str) -> dict:
    return yaml.safe_load((SAMPLES / f"{name}.yaml").read_text())


def sample_workspace(folder: Path) -> Workspace:
    from sopdocs.office import data_path, load_office

    return Workspace(load_office(data_path("office-sample.yaml")).office, folder, None)


def dbname(url: str) -> str:
    return url.split("@/", 1)[1].split("?", 1)[0]


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("Error: register postgresql://")
    return line


def test_init_then_info_name_the_register_with_its_password_masked(pg_url, postgres,
                                                                    monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOPDOCS_REGISTER", "")  # --register sets it: restored after
    monkeypatch.setenv("PGPASSWORD", postgres.PASSWORD)
    url = postgres.url(dbname(pg_url), host="127.0.0.1")
    with_password = url.replace("postgres@", f"postgres:{postgres.PASSWORD}@")
    first = CliRunner().invoke(cli, ["--register", with_password, "register", "init"])
    assert first.exit_code == 0, first.output
    assert f"schema version {SCHEMA_VERSION} (created)" in first.stdout
    assert postgres.PASSWORD not in first.output and "postgres:***@" in first.stdout
    info = CliRunner().invoke(cli, ["--register", url, "register", "info"])
    assert info.exit_code == 0, info.output
    assert f"schema\t{SCHEMA_VERSION}" in info.stdout and "documents\t0" in info.stdout
    assert "backend\tpostgres" in info.stdout
    again = CliRunner().invoke(cli, ["--register", url, "register", "init"])
    assert "(up to date)" in again.stdout


def test_server_down_wrong_password_no_schema_newer_schema(pg_url, postgres, monkeypatch,
                                                           tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOPDOCS_REGISTER", "")  # --register sets it: restored after
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    runner = CliRunner()
    database = dbname(pg_url)
    down = runner.invoke(cli, ["--register", "postgresql://clerk:rahasia@127.0.0.1:1/x",
                               "number", "list"])
    line = one_line_error(down)
    assert "clerk:***@127.0.0.1:1/x" in line and "rahasia" not in line
    assert "cannot connect" in line
    wrong = postgres.url(database, host="127.0.0.1").replace("postgres@", "postgres:salah@")
    line = one_line_error(runner.invoke(cli, ["--register", wrong, "number", "list"]))
    assert "password authentication failed" in line and "salah" not in line
    line = one_line_error(runner.invoke(cli, ["--register", pg_url, "number", "list"]))
    assert "no sopdocs schema: run 'sopdocs register init'" in line
    reg = open_register(pg_url)
    reg.init()
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE sopdocs_schema SET version = 99")
    line = one_line_error(runner.invoke(cli, ["--register", pg_url, "number", "list"]))
    assert "schema version 99" in line and "upgrade sopdocs" in line
    assert "(--" not in line and len(line) < 300


def test_a_lost_connection_mid_batch_leaves_nothing_and_a_rerun_resumes(shared, tmp_path,
                                                                         monkeypatch):
    import psycopg

    import sopdocs.service as service

    ws = sample_workspace(tmp_path)
    out = tmp_path / "out"
    orders = [Order("nota-dinas", sample("nota-dinas")) for _ in range(4)]
    make_documents(orders[:1], ws, out_dir=out, fmt="pdf")
    real, calls = service.render, []

    def render_then_lose_the_server(*args, **kwargs):  # the third document: cable pulled
        calls.append(1)
        if len(calls) == 3:
            with psycopg.connect(shared, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                              "datname = current_database() AND pid <> pg_backend_pid()")
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "render", render_then_lose_the_server)
    with pytest.raises(RegisterError) as lost:
        make_documents(orders, ws, out_dir=out, fmt="pdf")
    message = str(lost.value)
    assert message.startswith("register postgresql://") and "\n" not in message
    assert len(register_of(ws).entries()) == 1 and len(list(out.iterdir())) == 1
    monkeypatch.setattr(service, "render", real)
    made = make_documents(orders, ws, out_dir=out, fmt="pdf")  # the server is back
    assert [m.nomor for m in made] == [f"000.8.3.3/{i}/Diskominfotik-2026" for i in (2, 3, 4,
                                                                                      5)]
    assert numbers(shared) == [1, 2, 3, 4, 5] and len(list(out.iterdir())) == 5


def test_location_precedence(shared, tmp_path, monkeypatch):
    from sopdocs.service import register_location

    profile = tmp_path / "sopdocs.yaml"
    text = (ROOT / "sopdocs" / "data" / "office-sample.yaml").read_text()
    profile.write_text(text + "\nregister: kantor.db\n")
    from sopdocs.office import load_office

    ws = load_office(profile)
    assert register_location(ws) == shared  # the environment first
    monkeypatch.delenv("SOPDOCS_REGISTER")
    assert register_location(ws) == str(tmp_path / "kantor.db")
    plain = sample_workspace(tmp_path)
    assert register_location(plain) == str(tmp_path / "sopdocs.db")
    monkeypatch.setenv("SOPDOCS_REGISTER", "sqlite:///lain.db")
    monkeypatch.chdir(tmp_path)
    assert register_location(ws) == str(tmp_path / "lain.db")
    profile.write_text(text + "\nregister: postgresql://clerk:rahasia@db.kantor/register\n")
    monkeypatch.delenv("SOPDOCS_REGISTER")
    result = CliRunner().invoke(cli, ["register", "info", "--office", str(profile)])
    assert "warning: the office profile writes a password" in result.stderr
    assert "rahasia" not in result.output


def desk_workspace(folder: Path, name: str) -> Workspace:
    ws = sample_workspace(folder)
    return Workspace(ws.office.model_copy(update={"operator": name}), folder, None)


@pytest.mark.parametrize("first", [0, 1])
def test_offline_desks_sync_in_either_order(shared, tmp_path, monkeypatch, first):
    from sopdocs.service import reserve_numbers, sync_desk

    a, b = (desk_workspace(f, n) for f, n in zip(desks(tmp_path), ("meja-a", "meja-b"),
                                                 strict=True))
    assert [n.split("/")[1] for n in reserve_numbers(a, 5)] == ["1", "2", "3", "4", "5"]
    assert len(reserve_numbers(b, 5)) == 5
    from sopdocs.service import number_lines

    listed = number_lines(a)
    assert len(listed) == 10 and all("\tcadangan\tNomor cadangan untuk meja-" in line
                                     for line in listed)
    online = make_documents([Order("nota-dinas", sample("nota-dinas"))], a,
                            out_dir=tmp_path / "online", fmt="pdf")
    assert online[0].nomor == "000.8.3.3/11/Diskominfotik-2026"

    def offline(ws: Workspace, count: int) -> list[str]:
        monkeypatch.setenv("SOPDOCS_REGISTER", str(ws.register_path))
        made = make_documents([Order("nota-dinas", sample("nota-dinas"))] * count, ws,
                              out_dir=ws.folder / "out", fmt="pdf")
        return [m.nomor or "" for m in made]

    assert [n.split("/")[1] for n in offline(a, 5)] == ["1", "2", "3", "4", "5"]
    with pytest.raises(RegisterError, match="none is left"):
        offline(a, 1)
    assert [n.split("/")[1] for n in offline(b, 2)] == ["6", "7"]
    open_register(a.register_path).void("000.8.3.3/2/Diskominfotik-2026", "salah tanggal")
    monkeypatch.setenv("SOPDOCS_REGISTER", shared)
    results = {}
    for ws in ((a, b) if first == 0 else (b, a)):
        results[ws.office.operator] = sync_desk(ws)
    assert len(results["meja-a"][0]) == 5 and results["meja-a"][1] == []
    assert len(results["meja-b"][0]) == 2 and len(results["meja-b"][1]) == 3
    entries = open_register(shared).entries()
    assert sorted(e.urut for e in entries) == list(range(1, 12))  # each number once
    by_urut = {e.urut: e for e in entries}
    assert {e.status for e in entries} == {"final", "batal"}
    assert by_urut[2].void_reason == "salah tanggal"
    assert all("tidak dipakai" in (by_urut[u].void_reason or "") for u in (8, 9, 10))
    assert all(by_urut[u].kind == "nota-dinas" and by_urut[u].files for u in (1, 3, 4, 6))
    assert by_urut[6].files[0].path.startswith(str(b.folder))
    assert sync_desk(a) == ([], [])  # nothing twice
    assert make_documents([Order("nota-dinas", sample("nota-dinas"))], b,
                          out_dir=tmp_path / "online", fmt="pdf")[0].nomor.split("/")[1] == "12"
    log = [(r.who, r.action) for r in open_register(shared).audit(by_urut[6].nomor)]
    assert ("meja-b", "synced") in log


def as_role(url: str, role: str) -> str:
    """``url`` (through the socket, trust) connecting as ``role``."""
    return url.replace("postgresql://postgres@", f"postgresql://{role}@")


def admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def test_init_never_adopts_another_programs_tables(pg_url, monkeypatch):
    import psycopg

    monkeypatch.setenv("SOPDOCS_REGISTER", "")  # --register sets it: restored after

    admin(pg_url, "CREATE TABLE documents (id SERIAL PRIMARY KEY, judul TEXT)",
          "INSERT INTO documents (judul) VALUES ('laptop')", "CREATE TABLE audit (x INTEGER)")
    result = CliRunner().invoke(cli, ["--register", pg_url, "register", "init"])
    line = one_line_error(result)
    assert "tables named audit, documents that are not a sopdocs register's" in line
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT * FROM documents").fetchall() == [(1, "laptop")]
        assert conn.execute("SELECT to_regclass('sopdocs_schema'), to_regclass('counters')"
                            ).fetchone() == (None, None)


def test_init_without_the_right_to_create_tables_says_so(pg_url, postgres, tmp_path,
                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOPDOCS_REGISTER", "")
    admin(postgres.url(), "DROP ROLE IF EXISTS juru", "CREATE ROLE juru LOGIN")
    result = CliRunner().invoke(cli, ["--register", as_role(pg_url, "juru"), "register",
                                      "init"])
    line = one_line_error(result)
    assert "run it as the database's owner" in line and "permission denied" in line


def test_a_clerk_role_without_ownership_numbers_but_cannot_touch_the_audit(pg_url, postgres):
    """The README's two roles: the owner runs ``register init``; the desks' role may read,
    add and update what sopdocs updates, and only add to the audit. The owner (and so a
    desk connecting as the owner) can still switch the audit's trigger off: a limit."""
    import psycopg

    open_register(pg_url).init()
    admin(postgres.url(), "DROP ROLE IF EXISTS meja", "CREATE ROLE meja LOGIN")
    admin(pg_url, "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO meja",
          "REVOKE INSERT, UPDATE ON sopdocs_schema FROM meja",
          "REVOKE UPDATE ON audit FROM meja",
          "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO meja")
    clerk = open_register(as_role(pg_url, "meja"), who="meja-2")
    with clerk.transaction() as tx:
        urut = tx.next_urut(KELUAR, "U", 2026)
        tx.add(Entry(f"000/{urut}/U-2026", "surat", "hal", date(2026, 1, 2), urut, 2026, "U"))
    clerk.void("000/1/U-2026", "salah alamat")
    clerk.open_case("hosting", {}, datetime(2026, 2, 2, 9))
    with clerk.transaction() as tx:
        tx.archive([Archived(1, "000/1/U-2026", "surat", "hal", date(2026, 1, 2), "000",
                             datetime(2026, 2, 3, 8), (FileEntry("a.pdf", "0" * 64),))])
    assert [r.action for r in clerk.audit()] == ["took", "voided", "archived"]
    for statement in ("DELETE FROM audit", "TRUNCATE audit", "UPDATE audit SET who = 'x'",
                      "ALTER TABLE audit DISABLE TRIGGER audit_append_only",
                      "DROP TRIGGER audit_append_only ON audit", "DROP TABLE audit"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), \
                psycopg.connect(as_role(pg_url, "meja"), autocommit=True) as conn:
            conn.execute(statement)
    admin(pg_url, "ALTER TABLE audit DISABLE TRIGGER audit_append_only",  # the owner can
          "DELETE FROM audit WHERE action = 'voided'")
    assert [r.action for r in clerk.audit()] == ["took", "archived"]


def test_copy_refuses_a_target_of_another_schema_version_or_itself(pg_url, tmp_path,
                                                                    monkeypatch):
    from sopdocs.registry.copy import copy_register

    monkeypatch.setenv("SOPDOCS_REGISTER", "")

    source = open_register(tmp_path / "sopdocs.db")
    with source.transaction() as tx:
        tx.add(Entry("000/1/U-2026", "surat", "hal", date(2026, 1, 2),
                     tx.next_urut(KELUAR, "U", 2026), 2026, "U"))
    open_register(pg_url).init()
    admin(pg_url, "UPDATE sopdocs_schema SET version = 99")
    result = CliRunner().invoke(cli, ["--register", str(tmp_path / "sopdocs.db"), "register",
                                      "copy", "--to", pg_url])
    assert result.exit_code == 1 and "schema version 99" in result.output
    admin(pg_url, f"UPDATE sopdocs_schema SET version = {SCHEMA_VERSION}")
    shared = open_register(pg_url)
    copy_register(source, shared)
    with pytest.raises(RegisterError, match="is the register in use"):
        copy_register(shared, open_register(pg_url))
    with pytest.raises(RegisterError, match="is not empty"):
        copy_register(shared, open_register(pg_url + "&application_name=lagi"))


def test_a_real_server_masks_encoded_and_query_passwords(pg_url, postgres, monkeypatch,
                                                         tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOPDOCS_REGISTER", "")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    url = postgres.url(dbname(pg_url), host="127.0.0.1")
    for wrong in (url.replace("postgres@", "postgres:s%40l%3Aa%2Fh%25@") + "?sslmode=disable",
                  url + "?sslmode=disable&password=salah%40kantor",
                  f"host=127.0.0.1 port={postgres.port} dbname={dbname(pg_url)} "
                  "user=postgres password='salah kantor'"):
        line = one_line_error(runner_invoke(wrong)) if wrong.startswith("postgresql") \
            else runner_invoke(wrong).stderr.strip().splitlines()[-1]
        assert "password authentication failed" in line and "***" in line
        assert "salah" not in line and "s%40l" not in line and "kantor" not in line


def runner_invoke(location: str):
    return CliRunner().invoke(cli, ["--register", location, "number", "list"])


def test_a_nul_in_a_text_is_one_line_and_leaves_nothing(shared):
    reg = open_register(shared)
    with pytest.raises(RegisterError) as refused, reg.transaction() as tx:
        urut = tx.next_urut(KELUAR, "U", 2026)
        tx.add(Entry(f"000/{urut}/U-2026", "surat", "hal\x00", date(2026, 1, 2), urut, 2026,
                     "U"))
    assert "\n" not in str(refused.value) and str(refused.value).startswith("register ")
    assert reg.entries() == [] and reg.counts()["counters"] == 0


def test_a_desk_reserves_only_into_its_own_sqlite_file(shared, pg_url):
    from sopdocs.registry.desk import Counter, reserve

    open_register(pg_url).init()

    def placeholder(urut: int) -> Entry:
        return Entry(f"…/{urut}/U-2026", "cadangan", "cadangan", date(2026, 1, 2), urut, 2026,
                     "U", status="cadangan")

    for desk in (pg_url, shared):
        with pytest.raises(RegisterError, match="its own SQLite file"):
            reserve(open_register(shared), open_register(desk), Counter(KELUAR, "U", 2026), 2,
                    placeholder)
    assert open_register(shared).entries() == [] and open_register(pg_url).entries() == []


def test_sync_after_the_server_voided_a_reserved_number_by_hand(shared, tmp_path, monkeypatch):
    from sopdocs.service import reserve_numbers, sync_desk

    desk = desk_workspace(tmp_path, "meja-c")
    first, second = reserve_numbers(desk, 3), reserve_numbers(desk, 2)  # reserved twice
    assert [n.split("/")[1] for n in first + second] == ["1", "2", "3", "4", "5"]
    open_register(shared).void(first[1], "dibatalkan sekretaris")
    monkeypatch.setenv("SOPDOCS_REGISTER", str(desk.register_path))  # offline
    made = make_documents([Order("nota-dinas", sample("nota-dinas"))] * 4, desk,
                          out_dir=tmp_path / "out", fmt="pdf")
    assert [m.nomor.split("/")[1] for m in made] == ["1", "2", "3", "4"]  # across both blocks
    monkeypatch.setenv("SOPDOCS_REGISTER", shared)
    with pytest.raises(RegisterError) as clash:
        sync_desk(desk)
    message = str(clash.value)
    assert f"{made[1].nomor} (dibatalkan sekretaris)" in message and "rest is sent" in message
    by_urut = {e.urut: e for e in open_register(shared).entries()}
    assert {u: e.status for u, e in by_urut.items()} == {1: "final", 2: "batal", 3: "final",
                                                          4: "final", 5: "batal"}
    open_register(desk.register_path).void(made[1].nomor, "nomor dibatalkan di server")
    assert sync_desk(desk) == ([], [])  # now consistent: nothing twice
    entries = open_register(shared).entries()
    assert sorted(e.urut for e in entries) == [1, 2, 3, 4, 5]
    assert by_urut[2].void_reason == "dibatalkan sekretaris"


def test_two_desks_printing_one_number_at_once_the_second_is_refused(shared):
    """Two counters (desks whose profiles number in different modes) giving the same text at
    the same moment: the second waits for the first and is refused once it commits."""
    import threading

    from sopdocs.registry.postgres import PostgresRegister

    def entry(counter: str) -> Entry:
        return Entry("000/1/U-2026", "surat", "hal", date(2026, 1, 2), 1, 2026, "U",
                     counter=counter)

    first, second = open_register(shared), open_register(shared)
    assert isinstance(second, PostgresRegister)
    holding, outcome = threading.Event(), []

    def other_desk() -> None:
        holding.wait()
        try:
            with second.transaction() as tx:
                tx.add(entry("keluar:000|U"))
        except RegisterError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=other_desk)
    thread.start()
    with first.transaction() as tx:
        tx.add(entry(""))
        holding.set()  # the other desk now tries the same text while this one is open
        waiting = 0
        while not waiting and thread.is_alive():  # until it waits on this desk's lock
            waiting = admin_count(shared, "SELECT count(*) FROM pg_locks WHERE NOT granted "
                                          "AND locktype = 'advisory'")
    thread.join()
    assert len(outcome) == 1 and "already in the register" in outcome[0]
    assert [e.counter for e in open_register(shared).entries()] == [""]


def admin_count(url: str, query: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0
