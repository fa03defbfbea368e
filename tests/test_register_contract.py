"""One contract for every register backend: the same behaviours proven on SQLite and on a
real PostgreSQL server (numbers, void, letters, cases, archive rows and chain, summaries,
signed files, monitoring rows, the audit)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from sopdocs.errors import RegisterError
from sopdocs.registry import (
    AGENDA,
    KELUAR,
    SCHEMA_VERSION,
    Archived,
    CaseStep,
    Entry,
    FileEntry,
    Letter,
    Observation,
    Register,
    chain_link,
    letter_key,
    open_register,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def register(request: pytest.FixtureRequest, tmp_path: Path) -> Register:
    """An empty register of each backend, its operator named ``meja-1``."""
    if request.param == "sqlite":
        return open_register(tmp_path / "sopdocs.db", who="meja-1")
    reg = open_register(request.getfixturevalue("pg_url"), who="meja-1")
    reg.init()
    return reg


def take(register: Register, unit: str = "Diskominfotik", tahun: int = 2026,
         kind: str = "nota-dinas", files: tuple[FileEntry, ...] = ()) -> str:
    with register.transaction() as tx:
        urut = tx.next_urut(KELUAR, unit, tahun)
        nomor = f"000/{urut}/{unit}-{tahun}"
        tx.add(Entry(nomor, kind, "hal", date(tahun, 1, 2), urut, tahun, unit, files=files))
    return nomor


def test_numbers_run_per_series_unit_and_year(register):
    assert [take(register) for _ in range(3)] == [f"000/{i}/Diskominfotik-2026"
                                                  for i in (1, 2, 3)]
    assert take(register, tahun=2027) == "000/1/Diskominfotik-2027"
    assert take(register, unit="Setda") == "000/1/Setda-2026"
    assert take(register, kind="surat") == "000/4/Diskominfotik-2026"
    with register.transaction() as tx:
        assert tx.next_urut(AGENDA, "Diskominfotik", 2026) == 1  # its own series
        tx.claim(AGENDA, "Diskominfotik", 2026, 9)
        tx.claim(AGENDA, "Diskominfotik", 2026, 4)  # a lower claim never goes back
        assert tx.next_urut(AGENDA, "Diskominfotik", 2026) == 10
        assert tx.last_date(KELUAR, "Diskominfotik", 2026) == date(2026, 1, 2)
        assert tx.last_date(KELUAR, "Bappeda", 2026) is None


def test_a_failed_transaction_leaves_nothing(register):
    take(register)
    with pytest.raises(RuntimeError), register.transaction() as tx:
        tx.next_urut(KELUAR, "Diskominfotik", 2026)
        tx.add(Entry("x", "surat", "hal", date(2026, 1, 2), 2, 2026, "Diskominfotik"))
        raise RuntimeError("render failed")
    assert take(register) == "000/2/Diskominfotik-2026"
    assert [e.urut for e in register.entries()] == [1, 2]


def test_an_outgoing_number_is_registered_once(register):
    take(register)
    with pytest.raises(RegisterError, match="already in the register"), \
            register.transaction() as tx:
        tx.add(Entry("000/1/Diskominfotik-2026", "surat", "hal", date(2026, 1, 2), 1, 2026,
                     "Diskominfotik"))
    assert len(register.entries()) == 1


def test_void_keeps_the_number_and_says_why(register):
    first = take(register)
    entry = register.void(first, "salah alamat")
    assert (entry.status, entry.void_reason) == ("batal", "salah alamat")
    assert take(register) == "000/2/Diskominfotik-2026"
    with pytest.raises(RegisterError, match="already void"):
        register.void(first, "lagi")
    with pytest.raises(RegisterError, match="not an outgoing number"):
        register.void("000/99/Diskominfotik-2026", "x")
    with pytest.raises(RegisterError, match="needs a reason"):
        register.void("000/2/Diskominfotik-2026", " ")


def test_the_audit_says_who_did_what(register):
    nomor = take(register)
    register.void(nomor, "salah alamat")
    rows = register.audit(nomor)
    assert [(r.who, r.action, r.tahun) for r in rows] == [("meja-1", "took", 2026),
                                                          ("meja-1", "voided", 2026)]
    assert rows[1].detail == "salah alamat" and rows[0].at <= rows[1].at
    assert register.audit("000/9/X") == []


LETTER = Letter(letter_key("Dinas Pendidikan", "400/12/Disdik", date(2026, 3, 2)), "1", 1,
                2026, "Dinas Pendidikan", "400/12/Disdik", date(2026, 3, 2), date(2026, 3, 3),
                "Undangan rapat")


def test_letters_are_found_by_key_number_and_agenda(register):
    with register.transaction() as tx:
        tx.add_letter(LETTER)
    with register.transaction() as tx:
        assert tx.letter(LETTER.kunci) == LETTER
        assert tx.letters_numbered("400/12/DISDIK", date(2026, 3, 2)) == [LETTER]
        assert tx.letters_numbered("400/12/Disdik", date(2026, 3, 1)) == []
        assert tx.letter_with_agenda(2026, "1") == LETTER
        assert tx.letter_with_agenda(2025, "1") is None
    assert register.letters(2026) == [LETTER] and register.letters(2025) == []
    with pytest.raises(RegisterError), register.transaction() as tx:
        tx.add_letter(LETTER)  # one letter, one agenda number


def test_cases_record_their_steps(register):
    opened = datetime(2026, 3, 2, 9, 0)
    case = register.open_case("hosting", {"opd": "Dinas Pendidikan"}, opened)
    assert case.id == "HOSTING-2026-0001"
    assert register.open_case("hosting", {}, opened).id == "HOSTING-2026-0002"
    nomor = take(register)
    with register.transaction() as tx:
        tx.record_step(case.id, CaseStep(1, datetime(2026, 3, 2, 10), None, (nomor,), ("a",)),
                       2)
    done = register.record_step(case.id, CaseStep(2, datetime(2026, 3, 3, 11), "ya",
                                                  force_reason="kepala dinas hadir"), None)
    assert done.status == "selesai" and done.closed_at == datetime(2026, 3, 3, 11)
    assert [(s.step, s.numbers, s.forced) for s in done.steps] == [(1, (nomor,), False),
                                                                  (2, (), True)]
    assert register.case("hosting-2026-0001") == done
    assert [c.id for c in register.cases(open_only=True)] == ["HOSTING-2026-0002"]
    assert [c.id for c in register.cases("ppid")] == []
    assert register.case("HOSTING-2026-0009") is None


def test_archive_rows_are_chained(register):
    pdf = FileEntry("/out/a.pdf", "a" * 64)
    take(register, files=(pdf,))
    take(register)
    one, two = register.entries()
    items = [Archived(e.id, e.nomor, e.kind, e.hal, e.tanggal, "000",
                      datetime(2026, 1, 3, 8), (FileEntry(f"2026/{e.urut}.pdf", "b" * 64),))
             for e in (one, two)]
    with register.transaction() as tx:
        tx.archive(items[:1])
    with register.transaction() as tx:
        tx.archive(items[1:])
        tx.archive_more(items[:1], (FileEntry("2026/1.docx", "c" * 64),))
        assert tx.archived_files() == {"2026/1.pdf": "b" * 64, "2026/2.pdf": "b" * 64,
                                       "2026/1.docx": "c" * 64}
        assert tx.registered_sha256("/out/a.pdf") == "a" * 64
        assert tx.registered_sha256("/out/b.pdf") is None
    with pytest.raises(RegisterError, match="archived already"), register.transaction() as tx:
        tx.archive(items[:1])
    chain = register.archive_chain()
    assert [(d, p) for d, p, _, _ in chain] == [(one.id, "2026/1.pdf"), (two.id, "2026/2.pdf"),
                                                (one.id, "2026/1.docx")]
    previous = ""
    for doc_id, path, sha, link in chain:
        previous = chain_link(previous, doc_id, path, sha)
        assert link == previous
    archived = register.archived()
    assert [a.nomor for a in archived] == [one.nomor, two.nomor]
    assert [f.path for f in archived[0].files] == ["2026/1.docx", "2026/1.pdf"]
    assert register.audit(one.nomor)[-1].action == "archived"


def test_summaries_are_kept_and_never_replaced(register):
    with register.transaction() as tx:
        tx.add(Entry("000/1/U-2026", "surat", "hal", date(2026, 1, 2), 1, 2026, "U",
                     summary_json='{"hal": "hal"}'))
        tx.add(Entry("000/2/U-2026", "surat", "hal", date(2026, 1, 2), 2, 2026, "U"))
    first, second = register.entries()
    assert first.summary_json == '{"hal": "hal"}' and second.summary_json == ""
    register.set_summaries({first.id: "{}", second.id: '{"x": 1}'})
    assert [e.summary_json for e in register.entries()] == ['{"hal": "hal"}', ""]
    assert register.without_summary() == []  # only registers older than summaries lack one


def test_a_signed_copy_is_registered_beside_the_unsigned_file(register):
    take(register, files=(FileEntry("/out/a.pdf", "a" * 64, 2),))
    (entry,) = register.entries()
    with register.transaction() as tx:
        tx.add_files(entry.id, (FileEntry("/out/a.signed.pdf", "d" * 64, None,
                                          signed_from="a" * 64),))
    (found,) = register.documents_with_file("d" * 64)
    assert found.files == (FileEntry("/out/a.pdf", "a" * 64, 2),
                           FileEntry("/out/a.signed.pdf", "d" * 64, None, "a" * 64))
    assert register.documents_with_file("e" * 64) == []
    assert register.entries(with_files=False)[0].files == ()


def test_monitoring_results_are_kept(register):
    runs = [Observation(datetime(2026, 3, d, 8), "Dinas Pendidikan", "https://disdik.go.id",
                        "mutakhir", date(2026, 3, d - 1), '{"items": 3}') for d in (2, 9)]
    register.record_monitoring(runs)
    register.record_monitoring([Observation(datetime(2026, 3, 9, 8), "Bappeda",
                                            "https://bappeda.go.id", "tidak dapat diakses")])
    assert register.monitoring()[:2] == runs
    assert [o.opd for o in register.monitoring(datetime(2026, 3, 5))] == [
        "Dinas Pendidikan", "Bappeda"]


def test_info_and_counts(register):
    take(register)
    assert register.schema_version() == SCHEMA_VERSION == 8
    counts = register.counts()
    assert counts["documents"] == 1 and counts["counters"] == 1 and counts["audit"] == 1
    assert sum(counts.values()) == 3


def location(register: Register) -> str:
    return str(getattr(register, "url", None) or register.path)  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode, units, kodes, expected", [
    ("seri", ("Diskominfotik", "Diskominfotik", "Setda"), ("000.8", "500.12", "000.8"),
     ["000.8/1/Diskominfotik-2026", "500.12/2/Diskominfotik-2026", "000.8/1/Setda-2026"]),
    ("klasifikasi", ("Diskominfotik", "Diskominfotik", "Diskominfotik"),
     ("000.8", "500.12", "000.8"),
     ["000.8/1/Diskominfotik-2026", "500.12/1/Diskominfotik-2026",
      "000.8/2/Diskominfotik-2026"]),
    ("tunggal", ("Diskominfotik", "Setda", "Diskominfotik"), ("000.8", "000.8", "500.12"),
     ["000.8/1/Diskominfotik-2026", "000.8/2/Setda-2026", "500.12/3/Diskominfotik-2026"]),
])
def test_numbering_modes(register, workspace, monkeypatch, tmp_path, mode, units, kodes,
                         expected):
    import yaml

    from conftest import SAMPLES
    from sopdocs.office import Workspace
    from sopdocs.service import make_document

    monkeypatch.setenv("SOPDOCS_REGISTER", location(register))
    data = yaml.safe_load((SAMPLES / "nota-dinas.yaml").read_text())
    made = []
    for unit, kode in zip(units, kodes, strict=True):
        nomor = workspace.office.nomor.model_copy(update={"penomoran": mode})
        office = workspace.office.model_copy(update={"unit": unit, "nomor": nomor})
        desk = Workspace(office, tmp_path, None)
        made.append(make_document("nota-dinas", {**data, "kode_klasifikasi": kode}, desk,
                                  out_dir=tmp_path / "out", fmt="pdf").nomor)
    assert made == expected
    assert len({(e.unit, e.counter, e.urut) for e in register.entries()}) == 3


def test_number_log_names_who_took_and_voided(register, workspace, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from sopdocs.cli import cli

    monkeypatch.setenv("SOPDOCS_REGISTER", location(register))
    monkeypatch.chdir(tmp_path)
    nomor = take(register)
    register.void(nomor, "salah alamat")
    result = CliRunner().invoke(cli, ["number", "log", nomor])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(w, a, n) for _, w, a, n, _, _ in lines] == [("meja-1", "took", nomor),
                                                        ("meja-1", "voided", nomor)]
    assert lines[1][5] == "salah alamat"
    missing = CliRunner().invoke(cli, ["number", "log", "000/99/X"])
    assert missing.exit_code == 1 and "no audit lines" in missing.output


def test_the_audit_is_append_only(register):
    take(register)
    for statement in ("UPDATE audit SET who = 'orang lain'", "DELETE FROM audit"):
        with pytest.raises(RegisterError, match="append-only"), \
                register._transaction() as tx:  # type: ignore[attr-defined]
            tx.execute(statement)
    assert [r.who for r in register.audit()] == ["meja-1"]


#: Values a clerk, a spreadsheet or an attacker may put where the register stores text: SQL
#: quotes and comments, driver placeholders, the dialect's own tokens, backslashes, non-ASCII.
HOSTILE = ("x'); DROP TABLE documents; --", "%s %(nomor)s ? ?? {id} {rowid}", "a\\'b\"c",
           "Ŝurat — ÄÖÜ ﷺ 😀", "' OR '1'='1")


def test_hostile_text_is_stored_as_given_and_runs_nothing(register):
    for i, text in enumerate(HOSTILE, start=1):
        register.who = text  # the operator's name
        with register.transaction() as tx:
            urut = tx.next_urut(KELUAR, text, 2026)
            tx.add(Entry(f"{text}/{urut}", "surat", text, date(2026, 1, 2), urut, 2026, text,
                         files=(FileEntry(f"/out/{text}.pdf", f"{i:064x}"),), counter=text,
                         record_json=f'{{"hal": "{i}"}}', summary_json=text))
            tx.add_letter(Letter(letter_key(text, text, date(2026, 1, i)), str(i), i, 2026,
                                 text, text, date(2026, 1, i), date(2026, 1, i), text))
        register.void(f"{text}/{urut}", text)
        case = register.open_case(text, {"opd": text}, datetime(2026, 2, i, 9))
        register.record_step(case.id, CaseStep(1, datetime(2026, 2, i, 10), text, (text,),
                                               (text,)), 2)
        register.record_monitoring([Observation(datetime(2026, 3, i, 8), text, text, text)])
        with register.transaction() as tx:
            doc = next(e for e in register.entries() if e.hal == text)
            tx.archive([Archived(doc.id, doc.nomor, "surat", text, date(2026, 1, 2), text,
                                 datetime(2026, 4, i, 8), (FileEntry(f"{text}/{i}.pdf",
                                                                     f"{i:064x}"),))])
    entries = register.entries()
    assert [(e.nomor, e.hal, e.unit, e.void_reason, e.counter, e.summary_json, e.files[0].path)
            for e in entries] == sorted(
        [(f"{t}/1", t, t, t, t, t, f"/out/{t}.pdf") for t in HOSTILE],
        key=lambda row: row[2])
    assert [(r.who, r.action, r.detail) for r in register.audit(f"{HOSTILE[0]}/1")] == [
        (HOSTILE[0], "took", f"keluar surat: {HOSTILE[0]}"),
        (HOSTILE[0], "voided", HOSTILE[0]), (HOSTILE[0], "archived", HOSTILE[0])]
    assert {c.sop for c in register.cases()} == set(HOSTILE)
    assert all(register.case(c.id) == c for c in register.cases())
    assert [o.opd for o in register.monitoring()] == list(HOSTILE)
    assert [a.kode for a in register.archived()] == list(HOSTILE)
    assert {(x.surat_dari, x.hal) for x in register.letters()} == {(t, t) for t in HOSTILE}
    with register.transaction() as tx:
        (found,) = tx.letters_numbered(HOSTILE[0].upper(), date(2026, 1, 1))
        assert found.hal == HOSTILE[0] and tx.registered_sha256(f"/out/{HOSTILE[1]}.pdf")
    assert register.counts()["documents"] == len(HOSTILE)


def test_a_number_printed_twice_in_a_year_is_refused(register, workspace, monkeypatch,
                                                     tmp_path):
    """The numbering mode changed mid-year (seri, then klasifikasi, then tunggal): each new
    counter starts at 1 and would print a number the year already has."""
    import yaml

    from conftest import SAMPLES
    from sopdocs.office import Workspace
    from sopdocs.service import make_document

    monkeypatch.setenv("SOPDOCS_REGISTER", location(register))
    data = yaml.safe_load((SAMPLES / "nota-dinas.yaml").read_text())

    def make(mode: str) -> str:
        nomor = workspace.office.nomor.model_copy(update={"penomoran": mode})
        desk = Workspace(workspace.office.model_copy(update={"nomor": nomor}), tmp_path, None)
        return make_document("nota-dinas", data, desk, out_dir=tmp_path / "out",
                             fmt="pdf").nomor or ""

    first = make("seri")
    assert first == "000.8.3.3/1/Diskominfotik-2026"
    for mode in ("klasifikasi", "tunggal"):
        with pytest.raises(RegisterError, match=r"numbering mode .* change it back"):
            make(mode)
    assert [e.nomor for e in register.entries()] == [first]
    assert len(list((tmp_path / "out").iterdir())) == 1  # nothing written, nothing taken
    assert make("seri") == "000.8.3.3/2/Diskominfotik-2026"
    register.void(first, "salah kirim")  # a void number is never printed again either
    with pytest.raises(RegisterError, match="already in the register"):
        make("klasifikasi")
