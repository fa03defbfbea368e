"""The SOP catalogue against the reference, and every SOP walked through a case."""

import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLES, pdf_text, squash
from sopdocs.errors import RecordError
from sopdocs.registry import open_register
from sopdocs.sop.cases import progress
from sopdocs.sop.catalogue import CatalogueError, builtin_sops, catalogue, first_step_making
from sopdocs.sop.model import Waktu
from sopdocs.sop.steps import open_case, run_step

REFERENCE = ROOT.parent / "shared" / "reference" / "sops.md"
SOPS = builtin_sops()


def reference_tables() -> dict[str, list[list[str]]]:
    """The step tables of ../shared/reference/sops.md, by SOP key."""
    if not REFERENCE.exists():
        if os.environ.get("CI"):  # CI clones with shared/ beside the checkout
            pytest.fail(f"{REFERENCE} is missing")
        pytest.skip("the steering's reference (../shared) is not beside this checkout")
    tables: dict[str, list[list[str]]] = {}
    key = None
    for line in REFERENCE.read_text().splitlines():
        if m := re.match(r"## (\S+) — ", line):
            key = m[1]
        elif key and re.match(r"\| \d+ \|", line):
            tables.setdefault(key, []).append([c.strip() for c in line.strip("|").split("|")])
    return tables


def test_the_catalogue_has_the_five_sops():
    assert sorted(SOPS) == ["darurat-layanan", "gangguan-website", "hosting",
                            "monitoring-website", "ppid"]
    assert SOPS["hosting"].nomor == "555 / 129 / Dikominfotik-2021"
    assert SOPS["darurat-layanan"].nomor == "500 / 126 / Dikominfotik-2021"
    assert SOPS["hosting"].tanggal_pembuatan == "2 Januari 2022"
    for sop in SOPS.values():  # every identity block is carried over
        assert sop.identitas.dasar_hukum and sop.identitas.peringatan, sop.kunci


def _time(text: str) -> str:
    if text.startswith("unreadable"):
        return "sesuai kebutuhan"
    return "-" if text == "(none given)" else text


#: Where sopdocs makes another document than the reference's column, and why (see README).
DEVIATIONS = {
    ("hosting", 1): [],  # the OPD's own letter: registered with `case new`, not written by us
    ("hosting", 4): ["surat"],  # YES makes no new sheet; NO makes the surat asking the OPD
    ("ppid", 2): [],  # the paraf goes on the konsep of step 1; the step is recorded in the case
    # the nota dinas goes to the Sekretariat and the Bidang: one tanda terima per recipient
    ("ppid", 4): ["tanda-terima", "tanda-terima"],
    ("hosting", 8): ["berita-acara", "tanda-terima", "laporan"],  # + the handover receipt
    ("monitoring-website", 1): ["surat-tugas"],  # "surat (surat tugas) or nota dinas"
}
_KIND_WORDS = [("nota dinas", "nota-dinas"), ("disposisi", "disposisi"),
               ("berita acara", "berita-acara"), ("laporan", "laporan"), ("surat", "surat")]


def _kinds(cell: str) -> list[str]:
    if cell.startswith("—"):
        return []
    if "(forwarded)" in cell:
        return ["nota-dinas"]  # a report passed up the chain goes with a nota dinas pengantar
    found = []
    for part in cell.split("+"):  # "… + the same table as Excel" is the recap's job, not a kind
        found += [k for w, k in _KIND_WORDS if part.strip().startswith(w)][:1]
    return found


@pytest.mark.parametrize("key", sorted(SOPS))
def test_every_step_matches_the_reference(key):
    table = reference_tables()[key]
    sop = SOPS[key]
    assert len(sop.langkah) == len(table), "steps"
    for row, step in zip(table, sop.langkah, strict=True):
        no, _activity, actors, _input, time, _output, document = row[:7]
        assert int(no) == step.no
        assert step.waktu.teks == _time(time), f"step {no} time"
        first_actor = re.split(r"→|,", actors)[0].strip()
        assert first_actor in [*step.pelaksana, *step.penerima], f"step {no} actor"
        expected = DEVIATIONS.get((key, step.no), _kinds(document))
        made = [d.jenis for d in step.dokumen]
        if step.keputusan and not made:  # documents on the branches of a decision
            made = sorted({d.jenis for b in (step.keputusan.ya, step.keputusan.tidak)
                           for d in b.dokumen or []})
        assert made == expected, f"step {no} document"
        assert ("decision" in document or "NO →" in _activity) == bool(step.keputusan), no


@pytest.mark.parametrize(("text", "minutes", "words"), [
    ("3 menit", 3, "3 (tiga) menit"), ("120 menit", 120, "120 (seratus dua puluh) menit"),
    ("1 hari", 1440, "1 (satu) hari"), ("7 hari", 10080, "7 (tujuh) hari"),
    ("2 hari / sesuai kebutuhan", 2880, "2 (dua) hari"), ("tentatif", None, "tentatif"),
    ("sesuai kebutuhan", None, "sesuai kebutuhan"),
])
def test_standard_times_are_durations(text, minutes, words):
    waktu = Waktu.model_validate(text)
    assert waktu.menit == minutes
    assert waktu.kata() == words


def test_a_bad_standard_time_is_refused():
    with pytest.raises(ValueError, match="is not a standard time"):
        Waktu.model_validate("sebentar")


def test_an_office_adds_and_overrides_sops(workspace):
    own = workspace.folder / "sop"
    own.mkdir()
    text = (ROOT / "sopdocs" / "sop" / "data" / "ppid.yaml").read_text()
    (own / "ppid.yaml").write_text(text.replace("nama: Pengelolaan Website",
                                                "nama: Pengelolaan Laman"))
    (own / "baru.yaml").write_text(text.replace("kunci: ppid", "kunci: ppid-kabupaten"))
    sops = catalogue(workspace)
    assert sops["ppid"].nama.startswith("Pengelolaan Laman")
    assert "ppid-kabupaten" in sops and len(sops) == 6
    (own / "rusak.yaml").write_text(text.replace("  - no: 3\n", "  - no: 9\n"))
    with pytest.raises(RecordError) as info:
        catalogue(workspace)
    assert "steps must be numbered 1, 2, 3" in str(info.value)


def test_first_step_making_a_kind():
    assert first_step_making(SOPS["ppid"], "nota-dinas") == (1, None)
    assert first_step_making(SOPS["hosting"], "surat") == (4, "tidak")
    with pytest.raises(CatalogueError, match=r"SOP ppid makes no surat \(it makes: nota-dinas, "
                                             r"tanda-terima, laporan\)"):
        first_step_making(SOPS["ppid"], "surat")


# ---------------------------------------------------------------- walking cases, step by step

HOSTING_FACTS = yaml.safe_load((SAMPLES / "kasus-hosting.yaml").read_text())
WALKS = {
    "ppid": ({"jumlah_informasi": "12"}, {}),
    "hosting": (HOSTING_FACTS, {}),
    "darurat-layanan": ({
        "opd": "Badan Pendapatan Daerah", "pic_nama": "ANDRI", "pic_nip": "19900817 201503 1 002",
        "layanan": "jaringan internet",
        "uraian": "Koneksi internet kantor terputus sejak pukul 08.00.",
        "laporan_tanggal": "23 November 2026",
        "analisis": "Kabel serat optik menuju gedung putus akibat galian.",
        "penanganan": "Kabel serat optik disambung ulang dan koneksi diuji."}, {}),
    "gangguan-website": ({
        "masalah": "Halaman berita menampilkan galat 500.", "tautan": "https://sumbarprov.go.id",
        "analisa": "Kueri basis data gagal setelah pembaruan modul berita.",
        "hasil_perbaikan": "Modul berita dikembalikan ke versi sebelumnya.",
        "hasil_infrastruktur": "Kapasitas disk server basis data ditambah."}, {}),
    "monitoring-website": ({
        "periode": "Minggu Ke-4 November 2026", "tanggal_monitoring": "23 November 2026",
        "rekap": [["1", "Dinas Pendidikan", "20 November 2026", "15 November 2026",
                   "19 November 2026", "Mutakhir"]],
        "simpulan": "Seluruh website yang dimonitor mutakhir."}, {}),
}


def walk(workspace, tmp_path, key, facts, minutes=2, late_step=None):
    """Open a case of ``key`` and do every step in order (YA at decisions); return the case
    and the text of each document made, by step."""
    sop = SOPS[key]
    start = datetime(2026, 11, 23, 8, 0)
    case = open_case(workspace, sop, facts, now=start)
    texts: dict[int, list[str]] = {}
    now = start
    while case.next_step:
        no = case.next_step
        now += timedelta(minutes=60 * 24 * 3 if no == late_step else minutes)
        decision = "ya" if sop.step(no).keputusan else None
        result = run_step(workspace, sop, no, decision=decision, case_id=case.id,
                          out_dir=tmp_path / "out", now=now)
        texts[no] = [squash(pdf_text(p)) for m in result.made for p in m.paths
                     if p.suffix == ".pdf"]
        case = result.case
    return case, texts


@pytest.mark.parametrize("key", sorted(WALKS))
def test_a_case_walks_every_step_and_makes_every_document(workspace, tmp_path, key):
    sop = SOPS[key]
    case, texts = walk(workspace, tmp_path, key, WALKS[key][0])
    assert case.status == "selesai" and case.next_step is None
    assert [s.step for s in case.steps] == [s.no for s in sop.langkah]
    for step in sop.langkah:
        expected = len(step.keputusan.ya.dokumen or step.dokumen) if step.keputusan and \
            step.keputusan.ya.dokumen is not None else len(step.dokumen)
        assert len(texts[step.no]) == expected, f"step {step.no}"
    for done in case.steps:  # a final document's number is recorded with its step
        final = [d for d in sop.step(done.step).dokumen if not d.konsep]
        assert len(done.numbers) == len(final) or sop.step(done.step).keputusan


#: For every step that makes documents: a text each of its documents must show.
CONTENT = {
    "darurat-layanan": {
        1: ["TENTANG DARURAT LAYANAN JARINGAN INTERNET PADA BADAN PENDAPATAN DAERAH",
            "Koneksi internet kantor terputus sejak pukul 08.00.", "ANDI PRATAMA, A.Md."],
        2: ["Kabel serat optik menuju gedung putus akibat galian."],
        3: ["Yth. : Koordinator Pengelolaan Domain dan Aplikasi",
            "Tembusan : Kepala Bidang Aplikasi Informatika",
            "Hal : Penyampaian Analisis Darurat Layanan jaringan internet pada Badan"],
        4: ["LEMBAR DISPOSISI", "■ Sangat Segera", "Surat dari : Badan Pendapatan Daerah",
            "■ Koordinator Pengelolaan Domain dan Aplikasi", "RINA MARLINA"],
        5: ["BERITA ACARA", "Penanganan yang dilakukan: Kabel serat optik disambung ulang",
            "ANDRI", "PIHAK PERTAMA,", "HASIL PENANGANAN DARURAT LAYANAN"],
        6: ["Hal : Penyampaian Laporan Penanganan Darurat Layanan jaringan internet"],
        7: ["Yth. : Kepala Bidang Aplikasi Informatika",
            "Tembusan : Kepala Dinas Komunikasi, Informatika dan Statistik",
            "DEDI KURNIAWAN, S.T."],
    },
    "gangguan-website": {
        1: ["GANGGUAN PADA WEBSITE SUMBARPROV.GO.ID", "Halaman berita menampilkan galat 500.",
            "Tangkapan layar / tautan: https://sumbarprov.go.id", "SITI RAHMAH"],
        2: ["Kueri basis data gagal", "RIZKI ANANDA"],
        3: ["Yth. : Pranata Komputer Ahli Pertama (Programmer)",
            "Hal : Perbaikan Gangguan Website Sumbarprov.go.id dari Sisi Coding",
            "paling lambat 15 (lima belas) menit"],
        5: ["Modul berita dikembalikan ke versi sebelumnya.", "YOGI SAPUTRA"],
        6: ["Yth. : Pranata Komputer Ahli Muda (Infrastruktur)", "paling lambat 2 (dua) hari"],
        7: ["BERITA ACARA", "Perbaikan: Kapasitas disk server basis data ditambah.",
            "HARDI WIJAYA", "RIZKI ANANDA"],
        8: ["Kapasitas disk server basis data ditambah.", "HARDI WIJAYA"],
        9: ["PENYELESAIAN GANGGUAN WEBSITE SUMBARPROV.GO.ID", "RIZKI ANANDA"],
    },
    "monitoring-website": {
        1: ["SURAT TUGAS", "Kepada : Nama : MEGA SARI, S.Kom.",
            "Untuk : 1. Melaksanakan monitoring isi konten (berita, artikel dan agenda) website "
            "perangkat daerah Minggu Ke-4 November 2026",
            "paling lambat 120 (seratus dua puluh) menit", "RINA MARLINA"],
        2: ["REKAPITULASI HASIL MONITORING WEBSITE PERANGKAT DAERAH MINGGU KE-4",
            "Dinas Pendidikan 20 November 2026", "MEGA SARI"],
        3: ["LEMBAR DISPOSISI", "Surat dari : Tim Pengelola Website",
            "No. Surat : 500.12/2/Diskominfotik-2026", "■ Arsipkan", "Laporan disetujui."],
    },
}


@pytest.mark.parametrize("key", sorted(CONTENT))
def test_case_documents_say_what_the_step_is_about(workspace, tmp_path, key):
    _, texts = walk(workspace, tmp_path, key, WALKS[key][0])
    for no, snippets in CONTENT[key].items():
        joined = " ".join(t.replace(" :", " :") for t in texts[no])
        for snippet in snippets:
            assert snippet in joined, f"{key} step {no}: {snippet!r}"


def test_ppid_case_nota_dinas_content(workspace, tmp_path):
    case, texts = walk(workspace, tmp_path, "ppid", {"jumlah_informasi": "12"})
    konsep, = texts[1]
    assert "KONSEP" in konsep and "Paraf Hierarki:" in konsep
    assert "NOMOR 400.14/ /Diskominfotik-2026" in konsep
    final, = texts[3]
    for needed in ("NOMOR 400.14/1/Diskominfotik-2026", "Yth. : 1. Sekretaris",
                   "2. Kepala Bidang Aplikasi Informatika",
                   "Dari : Kepala Dinas Komunikasi, Informatika dan Statistik",
                   "Hal : Permintaan Daftar Informasi Publik (DIP) Tahun 2026",
                   "paling lambat 7 (tujuh) hari", "Drs. JASMAN, MM"):
        assert needed in final
    assert "KONSEP" not in final
    assert "Sebanyak 12 dokumen informasi publik" in texts[6][0]
    assert case.steps[2].numbers == ("400.14/1/Diskominfotik-2026",)


def test_hosting_case_carries_its_facts_and_one_agenda_number(workspace, tmp_path):
    case, texts = walk(workspace, tmp_path, "hosting", HOSTING_FACTS)
    for no, oleh, kepada in ((2, "Drs. JASMAN, MM", "■ Kepala Bidang Aplikasi Informatika"),
                             (3, "RINA MARLINA", "■ Koordinator Pengelolaan Domain"),
                             (5, "DEDI KURNIAWAN", "■ Petugas Helpdesk")):
        sheet, = texts[no]
        assert "No. Agenda : 1" in sheet  # the same letter keeps one agenda number
        assert "Surat dari : Dinas Pendidikan Provinsi Sumatera Barat" in sheet
        assert "421/1873/Disdik-2026" in sheet and oleh in sheet and kepada in sheet
    assert "Aplikasi PPDB berbasis PHP 8.2" in texts[6][0]
    decision, = texts[7]
    assert "Persetujuan Hosting Aplikasi PPDB" in decision
    assert "paling lambat 1 (satu) hari" in decision
    ba, receipt, report = texts[8]
    assert "TANDA TERIMA" in receipt and "ppdb.sumbarprov.go.id" in receipt
    assert "BERITA ACARA" in ba and "BUDI SANTOSO, S.Kom." in ba
    assert "ppdb.sumbarprov.go.id" in ba and "Mengetahui," in ba
    assert "LAPORAN" in report
    assert [s.decision for s in case.steps if s.decision] == ["ya", "ya"]
    agenda = [e.nomor for e in open_register(workspace.register_path).entries()
              if e.series == "agenda"]
    assert agenda == ["1", "1", "1"]


def test_hosting_decisions_follow_the_branches(workspace, tmp_path):
    sop = SOPS["hosting"]
    case = open_case(workspace, sop, {**HOSTING_FACTS, "kekurangan": "surat kuasa PIC",
                                      "alasan": "kapasitas pusat data penuh"})
    for no in (1, 2, 3):  # in the SOP's order (a step out of order is refused)
        case = run_step(workspace, sop, no, case_id=case.id, out_dir=tmp_path).case
    result = run_step(workspace, sop, 4, decision="tidak", case_id=case.id, out_dir=tmp_path)
    letter, = result.made
    text = squash(pdf_text(letter.paths[1]))
    assert "Permintaan Kelengkapan Dokumen dan Persyaratan Hosting Aplikasi PPDB" in text
    assert "Kepala Dinas Pendidikan Provinsi Sumatera Barat" in text and "surat kuasa PIC" in text
    assert result.case.next_step == 4  # asks the OPD, then verifies again
    result = run_step(workspace, sop, 4, decision="ya", case_id=case.id, out_dir=tmp_path)
    assert result.made == () and result.case.next_step == 5
    for no in (5, 6):
        run_step(workspace, sop, no, case_id=case.id, out_dir=tmp_path)
    result = run_step(workspace, sop, 7, decision="tidak", case_id=case.id, out_dir=tmp_path)
    assert "kapasitas pusat data penuh" in squash(pdf_text(result.made[0].paths[1]))
    assert result.case.status == "selesai" and result.case.next_step is None
    with pytest.raises(CatalogueError, match="is closed"):
        run_step(workspace, sop, 8, case_id=case.id, out_dir=tmp_path)


def test_darurat_layanan_no_at_step_2_closes_the_case(workspace, tmp_path):
    sop = SOPS["darurat-layanan"]
    case = open_case(workspace, sop, WALKS["darurat-layanan"][0])
    run_step(workspace, sop, 1, case_id=case.id, out_dir=tmp_path)
    result = run_step(workspace, sop, 2, decision="tidak", case_id=case.id, out_dir=tmp_path)
    assert result.case.status == "selesai"


def test_late_steps_and_overdue_next_step(workspace, tmp_path):
    """Times are working time (tests/test_kalender.py): Monday 23 November 2026, 08:00."""
    sop = SOPS["hosting"]
    start = datetime(2026, 11, 23, 8, 0)
    case = open_case(workspace, sop, HOSTING_FACTS, now=start)
    case = run_step(workspace, sop, 1, case_id=case.id, now=start + timedelta(minutes=2),
                    out_dir=tmp_path).case
    case = run_step(workspace, sop, 2, case_id=case.id, now=start + timedelta(minutes=40),
                    out_dir=tmp_path).case
    office = workspace.office
    state = progress(sop, case, now=start + timedelta(minutes=41), office=office)
    assert [(d.step.no, d.late, str(d.took)) for d in state.done] == [
        (1, False, "2 menit kerja"), (2, True, "38 menit kerja")]
    assert state.next_step.no == 3 and not state.overdue
    later = progress(sop, case, now=start + timedelta(hours=2), office=office)
    assert later.overdue and str(later.waiting) == "1 jam 20 menit kerja"
    overnight = progress(sop, case, now=datetime(2026, 11, 24, 7, 31), office=office)
    assert str(overnight.waiting) == "7 jam 21 menit kerja"  # 08:40–16:00, then 07:30–07:31


@pytest.mark.parametrize(("args", "message"), [
    (("tidak-ada", 1), "unknown SOP 'tidak-ada' (known: darurat-layanan, gangguan-website, "
                       "hosting, monitoring-website, ppid)"),
    (("hosting", 13), "SOP hosting has steps 1 to 12, not 13"),
    (("hosting", 12), "step 12 of hosting makes no document (Kadis menerima hasil hosting "
                      "website atau aplikasi); it can only be recorded as done in a case (--case)"),
    (("hosting", 3, "--decision", "ya"), "step 3 of hosting has no decision "
                                         "(decision steps: 4, 7)"),
    (("hosting", 7), "step 7 of hosting is a decision: answer ya or tidak (--decision)"),
])
def test_step_errors_are_one_clear_line(tmp_path, monkeypatch, args, message):
    from click.testing import CliRunner

    from sopdocs.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    result = CliRunner().invoke(cli, ["step", *map(str, args)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert not (tmp_path / "output").exists()


def test_missing_facts_are_listed_before_anything_is_made(workspace, tmp_path):
    with pytest.raises(RecordError) as info:
        run_step(workspace, SOPS["hosting"], 8, out_dir=tmp_path)
    problems = dict(info.value.problems)
    assert set(problems) == {"fakta.aplikasi", "fakta.domain", "fakta.opd", "fakta.pic_nama",
                             "fakta.pic_nip", "fakta.surat_nomor", "fakta.surat_tanggal"}
    assert problems["fakta.aplikasi"] == (
        "missing: Nama website atau aplikasi; needed for Berita acara hosting and Laporan hasil "
        "hosting (Tim Teknis); give it in the case or under fakta: in the data")
    assert list(tmp_path.iterdir()) == []


def test_data_overrides_fields_and_supplies_facts(workspace, tmp_path):
    result = run_step(workspace, SOPS["hosting"], 8, out_dir=tmp_path, data={
        "fakta": HOSTING_FACTS, "tanggal": "30 November 2026",
        "judul": "Serah Terima Hosting PPDB Tahap I"})
    ba, _receipt, report = result.made
    ba_text = squash(pdf_text(ba.paths[1]))
    assert "SERAH TERIMA HOSTING PPDB TAHAP I" in ba_text
    assert "Tiga Puluh bulan November" in ba_text
    assert "SERAH TERIMA HOSTING PPDB TAHAP I" in squash(pdf_text(report.paths[1]))
    with pytest.raises(RecordError, match="perihal: is not a field of this step's documents"):
        run_step(workspace, SOPS["hosting"], 8, out_dir=tmp_path,
                 data={"fakta": HOSTING_FACTS, "perihal": "x"})


def test_a_case_refuses_unknown_facts(workspace):
    with pytest.raises(RecordError) as info:
        open_case(workspace, SOPS["hosting"], {"opd": "X", "domian": "x.go.id"})
    assert dict(info.value.problems)["domian"].startswith("is not a fact of SOP hosting")


def test_case_ids_count_per_sop_per_year(workspace):
    first = open_case(workspace, SOPS["hosting"], {}, now=datetime(2026, 1, 5))
    second = open_case(workspace, SOPS["hosting"], {}, now=datetime(2026, 2, 5))
    other = open_case(workspace, SOPS["darurat-layanan"], {}, now=datetime(2026, 2, 5))
    assert (first.id, second.id, other.id) == ("HOSTING-2026-0001", "HOSTING-2026-0002",
                                               "DARURAT-LAYANAN-2026-0001")
    register = open_register(workspace.register_path)
    assert [c.id for c in register.cases(sop="hosting")] == [first.id, second.id]
    assert register.case("hosting-2026-0002").id == second.id


def test_cli_nota_dinas_sop_ppid_then_step_3(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sopdocs.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    konsep = CliRunner().invoke(cli, ["nota-dinas", "--sop", "ppid"])
    assert konsep.exit_code == 0, konsep.output
    paths = konsep.stdout.splitlines()
    assert [Path(p).name.startswith("KONSEP_nota-dinas_") for p in paths] == [True, True]
    text = squash(pdf_text(tmp_path / paths[1]))
    assert "KONSEP" in text and "Paraf Hierarki:" in text and "paling lambat 7 (tujuh) hari" in text
    final = CliRunner().invoke(cli, ["step", "ppid", "3"])
    assert final.exit_code == 0, final.output
    assert final.stdout.splitlines()[1].endswith("nota-dinas_400.14_1_Diskominfotik-2026.pdf")


def test_cli_case_new_step_show_list(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sopdocs.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    runner = CliRunner()
    opened = runner.invoke(cli, ["case", "new", "hosting", "--data",
                                 str(SAMPLES / "kasus-hosting.yaml")])
    assert opened.exit_code == 0, opened.output
    case_id = opened.stdout.strip()
    assert re.fullmatch(r"HOSTING-\d{4}-0001", case_id)
    done = runner.invoke(cli, ["step", "hosting", "1", "--case", case_id])
    assert done.exit_code == 0 and done.stdout == ""
    assert f"{case_id}: step 1 recorded; next: step 2" in done.stderr
    made = runner.invoke(cli, ["step", "hosting", "2", "--case", case_id])
    assert made.exit_code == 0 and len(made.stdout.splitlines()) == 2
    shown = runner.invoke(cli, ["case", "show", case_id])
    lines = shown.stdout.splitlines()
    assert lines[0] == f"{case_id}\tHosting Website / Aplikasi\topen"
    assert "  aplikasi: Aplikasi PPDB" in lines
    assert any(line.startswith("2\t") and "\t1\t" in line for line in lines)
    assert lines[-1].startswith("next: step 3: Kabid mendisposisikan surat permintaan")
    listed = runner.invoke(cli, ["case", "list", "--open", "--sop", "hosting"])
    assert listed.stdout.split("\t")[0] == case_id and "open, next step 3" in listed.stdout
    unknown = runner.invoke(cli, ["case", "show", "HOSTING-1999-0001"])
    assert unknown.exit_code == 1 and "no case 'HOSTING-1999-0001'" in unknown.stderr


@pytest.mark.parametrize("key", sorted(SOPS))
def test_the_sop_form_is_rendered_from_the_catalogue(key, workspace):
    """The form's texts are the catalogue's (tests/test_sop_form.py reads the drawing)."""
    from sopdocs.sop.form import render_sop_form

    def unslash(value: str) -> str:  # a long word may break after a slash
        return re.sub(r"/ ", "/", squash(value))

    sop = SOPS[key]
    text = unslash(pdf_text(render_sop_form(sop, workspace)))
    assert f"SOP {unslash(sop.nama)}" in text  # as written: a URL is never upper-cased
    if sop.nomor:
        assert unslash(sop.nomor) in text
    for item in (*sop.identitas.dasar_hukum, *sop.identitas.peralatan):
        assert unslash(item) in text
    for step in sop.langkah:
        assert unslash(step.kegiatan) in text and unslash(step.waktu.teks) in text
    for role in sop.peran:
        assert unslash(role.nama) in text
    signer = workspace.office.pejabat["kepala-dinas"]
    assert f"{signer.nama} NIP {signer.nip}" in text


def test_cli_sop_form(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sopdocs.cli import cli
    from sopdocs.office import data_path

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    result = CliRunner().invoke(cli, ["sop", "form", "hosting"])
    assert result.exit_code == 0
    assert result.stdout == "output/SOP_hosting.docx\noutput/SOP_hosting.pdf\n"
    profile = tmp_path / "lain" / "sopdocs.yaml"
    profile.parent.mkdir()
    profile.write_text(data_path("office-sample.yaml").read_text().replace(
        "Drs. JASMAN, MM", "Ir. SITI AMINAH, M.Si."))
    other = CliRunner().invoke(cli, ["sop", "form", "hosting", "--format", "pdf",
                                     "--office", str(profile), "--out", "lain"])
    assert other.exit_code == 0 and other.stdout == "lain/SOP_hosting.pdf\n"
    text = pdf_text(tmp_path / "lain" / "SOP_hosting.pdf")
    assert "Ir. SITI AMINAH, M.Si." in text and "JASMAN" not in text
    unknown = CliRunner().invoke(cli, ["sop", "form", "cuti"])
    assert unknown.exit_code == 1 and "unknown SOP 'cuti'" in unknown.stderr
