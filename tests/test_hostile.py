"""What sopdocs refuses or defuses, read as a list: each test is one hostile or careless input
and what happens to it. (Templates, record inputs and agendas have their own files:
test_hostile_templates.py, test_hostile_inputs.py, test_hostile_agenda.py.)"""

import hashlib
import io
import os
import stat

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import SAMPLES
from sopdocs.recap import build_recap
from sopdocs.registry import open_register
from sopdocs.service import make_document

FORMULAS = ["=HYPERLINK(\"http://x\",\"klik\")", "=1+1", "+1+1", "-1+1", "@SUM(A1)",
            "\tTab", "\rCR"]


def sample(kind: str, **changes) -> dict:
    return {**yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text()), **changes}


def test_no_text_of_a_user_becomes_a_formula_in_the_recap(workspace, tmp_path):
    for i, text in enumerate(FORMULAS):
        make_document("nota-dinas", sample("nota-dinas", hal=f"{text} {i}".strip()
                                           if text[0] in "\t\r" else text),
                      workspace, out_dir=tmp_path)
    make_document("disposisi", sample("disposisi", surat_dari="=cmd|' /C calc'!A0",
                                      hal="=HYPERLINK(\"http://x\")"), workspace,
                  out_dir=tmp_path)
    make_document("nota-dinas", sample("nota-dinas", hal="#N/A"), workspace, out_dir=tmp_path)
    open_register(workspace.register_path).void("000.8.3.3/1/Diskominfotik-2026", "=1+2")
    book = load_workbook(io.BytesIO(build_recap(workspace, 2026)))
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type in ("f", "e")] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {"=HYPERLINK(\"http://x\",\"klik\")", "=1+2", "=cmd|' /C calc'!A0",
            "#N/A"} <= texts


def test_files_are_created_with_the_users_umask(workspace, tmp_path):
    old = os.umask(0o022)
    try:
        made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    finally:
        os.umask(old)
    for path in made.paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


# ------------------------------------------------------------ integrity: numbers and files

def test_an_sop_step_is_all_or_nothing(workspace, tmp_path, monkeypatch):
    """Hosting step 8 makes three documents; the third fails: the first two leave no number,
    no file, and the case step is not recorded."""
    import sopdocs.service
    from sopdocs.errors import RenderError
    from sopdocs.sop.catalogue import builtin_sops
    from sopdocs.sop.steps import open_case, run_step

    sop = builtin_sops()["hosting"]
    facts = yaml.safe_load((SAMPLES / "kasus-hosting.yaml").read_text())
    case = open_case(workspace, sop, facts)
    real, calls = sopdocs.service.render, []

    def third_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RenderError("the laporan does not fit")
        return real(*args, **kwargs)

    monkeypatch.setattr(sopdocs.service, "render", third_fails)
    with pytest.raises(RenderError):
        run_step(workspace, sop, 8, case_id=case.id, out_dir=tmp_path / "out", force=True,
                 reason="steps 1 to 7 were done on paper")
    assert len(calls) == 3
    register = open_register(workspace.register_path)
    assert register.entries() == []
    assert register.case(case.id).steps == ()
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    monkeypatch.setattr(sopdocs.service, "render", real)
    made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    assert made.nomor == "000.8.3.3/1/Diskominfotik-2026"  # nothing was consumed


def test_one_outgoing_number_per_unit_year_and_urut(workspace):
    from datetime import date

    from sopdocs.errors import RegisterError
    from sopdocs.registry import KELUAR, Entry

    register = open_register(workspace.register_path)
    with register.transaction() as tx:
        tx.add(Entry("000/1/U-2026", "nota-dinas", "a", date(2026, 1, 2), 1, 2026, "U"))
    with pytest.raises(RegisterError, match="urut 1"), register.transaction() as tx:
        tx.add(Entry("555/1/U-2026", "surat", "b", date(2026, 1, 3), 1, 2026, "U",
                     series=KELUAR))


def test_a_date_before_the_last_number_is_warned(workspace, tmp_path):
    make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    later = make_document("nota-dinas", sample("nota-dinas", tanggal="3 Maret 2026"), workspace,
                          out_dir=tmp_path)
    assert later.nomor == "000.8.3.3/2/Diskominfotik-2026"
    (warning,) = later.warnings
    assert "2026-03-03 is earlier than the last numbered document (2026-11-23)" in warning


KILLER = '''
import os, signal, sys
import sopdocs.registry.sql, sopdocs.store
where, nth = sys.argv[1], int(sys.argv[2])
owner, name = {"register": (sopdocs.registry.sql.SqlTransaction, "add"),
               "register_many": (sopdocs.registry.sql.SqlTransaction, "_add_pending"),
               "publish": (sopdocs.store, "publish"),
               "archive": (sopdocs.registry.sql.SqlTransaction, "archive")}[where]
original, calls = getattr(owner, name), []
def stop_here(*args, **kwargs):
    calls.append(1)
    if len(calls) == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*args, **kwargs)
setattr(owner, name, stop_here)
from sopdocs.cli import main
sys.argv = ["sopdocs", *sys.argv[3:]]
main()
'''


def _sopdocs(folder, *args, kill=None):
    """Run the CLI in ``folder`` as a real process, killed (SIGKILL) at ``kill``:
    (point, nth call) with point ``register`` (a document is about to be registered: its
    files are written, not committed), ``register_many`` (the same for a batch's sheets),
    ``publish`` (committed, a file not yet named) or
    ``archive`` (archive copies written, not committed)."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SOPDOCS_OFFICE"}
    if kill is None:
        command = [sys.executable, "-m", "sopdocs", *map(str, args)]
    else:
        command = [sys.executable, "-c", KILLER, kill[0], str(kill[1]), *map(str, args)]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)


def _every_visible_file_is_registered_once(folder):
    """Every document file under a final name is the registered file of its number, once;
    nothing is left pending."""
    import hashlib

    from sopdocs.store import PENDING

    register = open_register(folder / "sopdocs.db")
    registered = {f.path: f.sha256 for e in register.entries() for f in e.files}
    visible = sorted((folder / "output").glob("*.pdf")) + sorted((folder / "output")
                                                                 .glob("*.docx"))
    for path in visible:
        assert registered.get(str(path.resolve())) == \
            hashlib.sha256(path.read_bytes()).hexdigest(), f"{path.name} is not registered"
    assert list((folder / "output").glob(f".*{PENDING}")) == []
    numbers = [e.nomor for e in register.entries() if e.series == "keluar"]
    assert len(numbers) == len(set(numbers))
    return register


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kill=st.sampled_from([("register", 1), ("publish", 1), ("publish", 2)]),
       hal=st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=40)
       .filter(str.strip))
def test_a_kill_at_any_point_never_puts_one_number_on_two_papers(tmp_path_factory, kill, hal):
    folder = tmp_path_factory.mktemp("kill")
    record = folder / "nd.yaml"
    record.write_text(yaml.safe_dump(sample("nota-dinas", hal=hal), allow_unicode=True))
    killed = _sopdocs(folder, "nota-dinas", "--data", record, kill=kill)
    assert killed.returncode == -9
    again = _sopdocs(folder, "nota-dinas", "--data", record)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    register = _every_visible_file_is_registered_once(folder)
    numbers = [e.nomor for e in register.entries()]
    if kill[0] == "register":  # killed before the commit: the number was given again
        assert numbers == ["000.8.3.3/1/Diskominfotik-2026"]
    else:  # killed after it: the first document is whole, the second took the next number
        assert numbers == ["000.8.3.3/1/Diskominfotik-2026", "000.8.3.3/2/Diskominfotik-2026"]
        assert len(list((folder / "output").glob("*.pdf"))) == 2


@pytest.mark.parametrize("kill", [("archive", 1), ("publish", 1), ("publish", 3)])
def test_a_killed_archive_add_resumes_and_verify_is_clean(tmp_path, kill):
    made = _sopdocs(tmp_path, "berita-acara", "--data", SAMPLES / "berita-acara.yaml")
    pdf, docx = made.stdout.split()
    assert _sopdocs(tmp_path, "archive", "add", pdf, docx, kill=kill).returncode == -9
    resumed = _sopdocs(tmp_path, "archive", "add", pdf, docx)
    assert "Traceback" not in resumed.stderr
    if kill[0] == "archive":  # nothing was committed: the add runs again
        assert resumed.returncode == 0, resumed.stderr
    else:  # committed: the stopped add is finished, and said to be done
        assert resumed.returncode == 1 and "is archived already" in resumed.stderr
    verify = _sopdocs(tmp_path, "archive", "verify")
    assert verify.returncode == 0 and verify.stdout == "", verify.stdout + verify.stderr
    assert len([p for p in (tmp_path / "arsip").rglob("*") if p.is_file()]) == 4


# ------------------------------------------------------------------------------ the archive

def test_archive_takes_the_pdf_then_the_docx(workspace, tmp_path):
    from sopdocs.archive import archive_files, verify

    made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    (first,) = archive_files(workspace, [made.paths[1]])
    (second,) = archive_files(workspace, [made.paths[0]])
    assert {f.path.rsplit(".", 1)[-1] for f in second.files} == {"pdf", "json", "docx"}
    assert len(second.files) == len(first.files) + 1 == 4
    assert verify(workspace) == []


def test_every_sheet_of_one_letter_is_archived(workspace, tmp_path):
    from sopdocs.archive import archive_made, verify

    kadis = make_document("disposisi", sample("disposisi"), workspace, out_dir=tmp_path)
    kabid = make_document("disposisi", sample("disposisi", oleh="kabid-aptika"), workspace,
                          out_dir=tmp_path)
    assert kadis.nomor == kabid.nomor == "1"  # one letter, one agenda number, two sheets
    names = {f.path for made in (kadis, kabid) for f in archive_made(workspace,
                                                                      made.paths).files}
    assert len(names) == 8 and verify(workspace) == []


def test_a_void_number_is_not_archived(workspace, tmp_path):
    from sopdocs.archive import archive_made
    from sopdocs.errors import ArchiveError

    made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    open_register(workspace.register_path).void(made.nomor, "salah alamat")
    with pytest.raises(ArchiveError, match="is void"):
        archive_made(workspace, made.paths)


def test_long_names_are_cut_without_colliding():
    from sopdocs.store import safe_name

    a, b = (safe_name(f"nota-dinas_{'1.2.3.4.5.6.7.8.9.' * 6}{n}/Diskominfotik-2026", 80)
            for n in (1, 2))
    assert len(a) <= 80 and len(b) <= 80 and a != b


@pytest.fixture
def archived(workspace, tmp_path):
    from sopdocs.archive import archive_made

    made = make_document("berita-acara", sample("berita-acara"), workspace, out_dir=tmp_path)
    return archive_made(workspace, made.paths)


def test_verify_finds_a_file_replaced_by_a_symlink(workspace, archived, tmp_path):
    from sopdocs.archive import verify

    root = workspace.folder / "arsip"
    pdf = root / next(f.path for f in archived.files if f.path.endswith(".pdf"))
    copy = tmp_path / "elsewhere.pdf"
    copy.write_bytes(pdf.read_bytes())
    pdf.unlink()
    pdf.symlink_to(copy)
    assert [(f.problem, f.path) for f in verify(workspace)] == [
        ("symlink", str(pdf.relative_to(root)))]


def test_verify_finds_a_symlinked_folder(workspace, archived, tmp_path):
    from sopdocs.archive import verify

    folder = workspace.folder / "arsip" / "2026"
    moved = tmp_path / "moved"
    folder.rename(moved)
    folder.symlink_to(moved)
    assert {f.problem for f in verify(workspace)} == {"symlink"}


def test_verify_finds_hidden_stray_files(workspace, archived):
    from sopdocs.archive import verify

    (workspace.folder / "arsip" / "2026" / ".sisipan.pdf").write_bytes(b"%PDF")
    assert [str(f) for f in verify(workspace)] == ["unregistered: 2026/.sisipan.pdf"]


def test_verify_finds_an_edited_register_row(workspace, archived):
    import sqlite3

    from sopdocs.archive import verify

    root = workspace.folder / "arsip"
    pdf = next(f.path for f in archived.files if f.path.endswith(".pdf"))
    (root / pdf).write_bytes(b"%PDF-1.4 forged")  # the file and its row, both changed
    with sqlite3.connect(workspace.register_path) as db:
        db.execute("UPDATE archive_files SET sha256 = ? WHERE path = ?",
                   (hashlib.sha256(b"%PDF-1.4 forged").hexdigest(), pdf))
    assert [(f.problem, f.path) for f in verify(workspace)] == [("tampered", pdf)]


# ---------------------------------------------------------------------------------- the CLI

def test_sopdocs_alone_prints_its_help(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sopdocs.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0 and "Usage: " in result.stdout and "nota-dinas" in result.stdout


def test_the_recap_is_never_written_under_another_format_s_name(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sopdocs.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["recap", "-o", "rekap.csv"])
    assert result.exit_code == 2 and "ending in .xlsx" in result.stderr
    assert not (tmp_path / "rekap.csv").exists()


# ------------------------------------------------------------------------------- case facts

@pytest.mark.parametrize(("facts", "path", "message"), [
    ({"opd": {"nested": "mapping"}}, "opd", "must be a text, a number, yes/no, a date"),
    ({"opd": "x" * 5001}, "opd", "is longer than 5,000 characters"),
    ({"opd": ["a"] * 501}, "opd", "has more than 500 items"),
    ({"opd": [[["three", "levels"]]]}, "opd", "item 1: item 1: must be a text"),
    ({"opd": float("nan")}, "opd", "must be a finite number"),
    ({"domian": "x"}, "domian", "is not a fact of SOP hosting"),
])
def test_a_case_holds_only_facts_a_document_can_print(workspace, facts, path, message):
    from sopdocs.errors import RecordError
    from sopdocs.sop.catalogue import builtin_sops
    from sopdocs.sop.steps import open_case

    with pytest.raises(RecordError) as info:
        open_case(workspace, builtin_sops()["hosting"], facts)
    assert message in dict(info.value.problems)[path]
    assert not workspace.register_path.exists() or \
        open_register(workspace.register_path).cases() == []


def test_facts_given_to_a_step_are_checked_too(workspace, tmp_path):
    from sopdocs.errors import RecordError
    from sopdocs.sop.catalogue import builtin_sops
    from sopdocs.sop.steps import run_step

    with pytest.raises(RecordError) as info:
        run_step(workspace, builtin_sops()["monitoring-website"], 1, out_dir=tmp_path,
                 data={"fakta": {"periode": {"a": 1}, "tanggal_monitoring": "7 Desember 2026"}})
    assert "fakta.periode" in dict(info.value.problems)
    assert list(tmp_path.iterdir()) == []


def test_an_agenda_number_written_with_a_leading_zero_is_the_same_number(workspace, tmp_path):
    from sopdocs.errors import RecordError

    make_document("disposisi", sample("disposisi", nomor_agenda="7"), workspace,
                  out_dir=tmp_path)
    with pytest.raises(RecordError, match=r"agenda number 7 \(2026\) is already the letter"):
        make_document("disposisi", sample("disposisi", nomor_agenda="07",
                                          nomor_surat="421/9/Disdik-2026"), workspace,
                      out_dir=tmp_path)


@pytest.mark.parametrize("kill", [("register_many", 1), ("publish", 1)])
def test_a_killed_batch_leaves_no_sheet_unregistered(tmp_path, kill):
    agenda = SAMPLES / "agenda.xlsx"
    killed = _sopdocs(tmp_path, "disposisi", "--batch", agenda, kill=kill)
    assert killed.returncode == -9
    again = _sopdocs(tmp_path, "disposisi", "--batch", agenda)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    register = _every_visible_file_is_registered_once(tmp_path)
    sheets = [e for e in register.entries() if e.kind == "disposisi"]
    printed = 2 if kill[0] == "publish" else 1  # a committed batch stays, and is printed again
    assert len(sheets) == 25 * printed
    assert sorted({e.nomor for e in sheets}, key=int) == [str(i) for i in range(1, 26)]
    assert len(list((tmp_path / "output").glob("*.pdf"))) == printed


# ---------------------------------------------------------------------------- the calendar

def _office(workspace, **changes):
    from sopdocs.office import Workspace

    office = workspace.office.model_validate({**workspace.office.model_dump(), **changes})
    return Workspace(office, workspace.folder, workspace.source)


def test_a_pattern_without_the_year_needs_a_counter_that_never_restarts(workspace, tmp_path):
    from sopdocs.errors import RecordError
    from sopdocs.records import validate

    plain = {**workspace.office.model_dump(), "nomor": {"pola": "{kode}/{urut}/{unit}"}}
    with pytest.raises(RecordError) as info:
        validate(type(workspace.office), plain, "office")
    assert "has no {tahun}" in dict(info.value.problems)["nomor"]
    endless = _office(workspace, nomor={"pola": "{kode}/{urut}/{unit}",
                                        "ulang_tiap_tahun": False})
    made = [make_document("nota-dinas", sample("nota-dinas", tanggal=day), endless,
                          out_dir=tmp_path).nomor for day in ("30 Desember 2025", "2 Januari 2026")]
    assert made == ["000.8.3.3/1/Diskominfotik", "000.8.3.3/2/Diskominfotik"]


def test_a_date_far_ahead_is_refused_before_a_number_is_taken(workspace, tmp_path):
    from datetime import date, timedelta

    from sopdocs.errors import RecordError

    ahead = (date.today() + timedelta(days=31)).isoformat()
    with pytest.raises(RecordError) as info:
        make_document("nota-dinas", sample("nota-dinas", tanggal=ahead), workspace,
                      out_dir=tmp_path)
    assert "is more than 30 days ahead of today" in dict(info.value.problems)["tanggal"]
    assert not workspace.register_path.exists()
    soon = (date.today() + timedelta(days=3)).isoformat()
    assert make_document("nota-dinas", sample("nota-dinas", tanggal=soon), workspace,
                         out_dir=tmp_path).nomor
    konsep = make_document("nota-dinas", sample("nota-dinas", tanggal=ahead), workspace,
                           out_dir=tmp_path, konsep=True)  # a draft may be dated ahead
    assert konsep.nomor is None


def test_characters_the_pdf_font_cannot_draw_are_warned_with_their_field(workspace, tmp_path):
    made = make_document("nota-dinas", sample("nota-dinas", hal="Kerja sama 中文 Tahun 2026"),
                         workspace, out_dir=tmp_path)
    (warning,) = made.warnings
    assert warning.startswith("hal: 中文 cannot be drawn by the PDF's font")
    docx_only = make_document("nota-dinas", sample("nota-dinas", hal="Kerja sama 中文"),
                              workspace, out_dir=tmp_path, fmt="docx")
    assert docx_only.warnings == ()


def test_a_document_dated_on_a_day_off_is_warned(workspace, tmp_path):
    sunday = make_document("nota-dinas", sample("nota-dinas", tanggal="22 November 2026"),
                           workspace, out_dir=tmp_path)
    assert "tanggal: 22 November 2026 is a Sunday" in sunday.warnings
    tuesday = make_document("nota-dinas", sample("nota-dinas", tanggal="24 November 2026"),
                            workspace, out_dir=tmp_path)
    assert not any(w.startswith("tanggal:") for w in tuesday.warnings)


@pytest.mark.parametrize("posisi", ["kiri-bawah", "kanan-bawah"])
def test_the_seal_keeps_10_mm_from_the_edges_and_clear_of_text(workspace, tmp_path, posisi):
    import pdfplumber

    office = _office(workspace, segel={"posisi": posisi, "jarak_mm": 10})
    made = make_document("laporan", sample("laporan"), office, out_dir=tmp_path, fmt="pdf")
    mm = 72 / 25.4
    with pdfplumber.open(made.paths[0]) as pdf:
        page = pdf.pages[0]
        modules = [r for r in page.rects if r["non_stroking_color"] in ((0,), (0, 0, 0), [0])]
        x0 = min(r["x0"] for r in modules)
        x1 = max(r["x1"] for r in modules)
        bottom = max(r["bottom"] for r in modules)  # from the top of the page
        top = min(r["top"] for r in modules)
        assert x0 >= 10 * mm - 0.5 and page.width - x1 >= 10 * mm - 0.5
        assert page.height - bottom >= 10 * mm - 0.5
        words = [w for w in page.extract_words() if "sidik" not in w["text"]
                 and not (w["top"] > page.height - 12 * mm)]  # the seal's own caption line
        overlaps = [w["text"] for w in words if w["x1"] > x0 and w["x0"] < x1
                    and w["bottom"] > top and w["top"] < bottom]
        assert overlaps == []


def test_an_office_may_print_no_seal(workspace, tmp_path):
    from pypdf import PdfReader

    office = _office(workspace, segel={"cetak": False})
    made = make_document("nota-dinas", sample("nota-dinas"), office, out_dir=tmp_path, fmt="pdf")
    assert "sidik" not in PdfReader(made.paths[0]).pages[0].extract_text()


def test_one_letter_with_two_spellings_of_its_sender_is_flagged(workspace, tmp_path):
    from sopdocs.errors import RecordError

    first = make_document("disposisi", sample("disposisi"), workspace, out_dir=tmp_path)
    with pytest.raises(RecordError) as info:
        make_document("disposisi", sample("disposisi", surat_dari="Dinas Pendidikan"),
                      workspace, out_dir=tmp_path)
    assert "is in the agenda already, from 'Kepala Dinas Pendidikan Provinsi Sumatera Barat' " \
           "(agenda 1/2026)" in dict(info.value.problems)["surat_dari"]
    other = make_document("disposisi", sample("disposisi", surat_dari="Dinas Pendidikan",
                                              nomor_agenda="2"), workspace, out_dir=tmp_path)
    assert (first.nomor, other.nomor) == ("1", "2")  # a truly other letter says its number
