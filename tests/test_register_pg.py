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
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from sopdocs.cli import cli
from sopdocs.errors import RegisterError
from sopdocs.office import Workspace
from sopdocs.registry import AGENDA, KELUAR, open_register
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
    assert "schema version 6 (created)" in first.stdout
    assert postgres.PASSWORD not in first.output and "postgres:***@" in first.stdout
    info = CliRunner().invoke(cli, ["--register", url, "register", "info"])
    assert info.exit_code == 0, info.output
    assert "schema\t6" in info.stdout and "documents\t0" in info.stdout
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
