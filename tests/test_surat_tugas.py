"""The surat tugas read back from DOCX and PDF: its label blocks, the persons assigned, the
signature kept with the last task, its summary, the CLI and SOP Monitoring Website step 1."""

import copy
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from conftest import SAMPLES, docx_paragraphs, docx_text, pdf_pages, pdf_text, squash
from sopdocs.cli import cli
from sopdocs.errors import RecordError
from sopdocs.kinds.surat_tugas import HAL_MAX, hal_of
from sopdocs.registry import open_register
from sopdocs.service import make_document
from sopdocs.summary import load

SIGNER = ["Padang, 23 November 2026", "a.n. Kepala Dinas Komunikasi, Informatika dan Statistik",
          "Kepala Bidang Aplikasi Informatika,", "RINA MARLINA, S.Kom., M.T.", "Pembina (IV/a)",
          "NIP 19780315 200312 2 004"]
LAST_TASK = "3. Melaksanakan tugas ini dengan penuh tanggung jawab."


@pytest.fixture
def data() -> dict:
    """The sample surat tugas as plain data (a fresh copy per test)."""
    return copy.deepcopy(yaml.safe_load((SAMPLES / "surat-tugas.yaml").read_text()))


def normal(text: str) -> str:
    return squash(text.replace("\t", " "))


def both(made) -> list[str]:
    docx, pdf = made.paths
    return [normal(docx_text(docx)), normal(pdf_text(pdf))]


def staff(n: int) -> list[dict]:
    """``n`` persons written out in full."""
    return [{"nama": f"PEGAWAI KE-{i}, S.Kom.", "nip": f"199001{i:02d} 201503 1 001",
             "golongan": "III/a", "jabatan": "Pranata Komputer Ahli Pertama"}
            for i in range(1, n + 1)]


def test_round_trip_prints_every_block_in_order(workspace, data, tmp_path):
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path)
    assert made.nomor == "800.1.11.1/1/Diskominfotik-2026"
    order = ["SURAT TUGAS", "NOMOR 800.1.11.1/1/Diskominfotik-2026", "Menimbang : a. bahwa",
             "b. bahwa untuk itu", "Dasar : 1. Undang-Undang", "2. Peraturan Gubernur",
             "3. Keputusan Kepala Dinas", "MEMBERI TUGAS", "Kepada : 1. Nama : MEGA SARI, S.Kom.",
             "NIP : 19910713 201803 2 012", "Pangkat/Gol. : Penata Muda Tingkat I (III/b)",
             "Jabatan : Ketua Tim Pengelola Website", "2. Nama : ARIF RAHMAN HAKIM, S.Kom.",
             "Untuk : 1. Melaksanakan monitoring", "2. Melaporkan hasil monitoring", LAST_TASK,
             *SIGNER, "Tembusan: Kepala Dinas Komunikasi, Informatika dan Statistik"]
    for found in both(made):
        at = [found.find(text) for text in order]
        assert -1 not in at, [t for t, i in zip(order, at, strict=True) if i < 0]
        assert at == sorted(at)
        assert "KONSEP" not in found and "Paraf" not in found
    for paragraph in data["untuk"] + data["dasar"] + data["menimbang"]:
        for found in both(made):
            assert squash(paragraph) in found


def test_konsep_leaves_the_number_blank(workspace, data, tmp_path):
    made = make_document("surat-tugas", {**data, "paraf": ["sekretaris", "koordinator"]},
                         workspace, out_dir=tmp_path, konsep=True)
    assert made.paths[0].name.startswith("KONSEP_surat-tugas_2026-11-23_Melaksanakan")
    for found in both(made):
        assert "NOMOR 800.1.11.1/ /Diskominfotik-2026" in found
        assert "Paraf Hierarki:" in found and "Koordinator Pengelolaan Domain dan Aplikasi" in found


@pytest.mark.parametrize("menimbang", [None, [], "absent"])
def test_without_menimbang_there_is_no_menimbang_line(workspace, data, tmp_path, menimbang):
    if menimbang == "absent":
        del data["menimbang"]
    else:
        data["menimbang"] = menimbang
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path)
    for found in both(made):
        assert "Menimbang" not in found and "bahwa" not in found
        assert "NOMOR 800.1.11.1/1/Diskominfotik-2026 Dasar : 1. Undang-Undang" in found


def test_one_item_or_person_alone_is_not_numbered(workspace, data, tmp_path):
    data.update(menimbang="bahwa monitoring perlu dilaksanakan;", dasar=data["dasar"][:1],
                kepada="tim-pengelola", untuk=["Melaksanakan monitoring website."])
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path)
    for found in both(made):
        assert "Menimbang : bahwa monitoring perlu dilaksanakan;" in found
        assert "Dasar : Undang-Undang Nomor 14 Tahun 2008" in found
        assert "Kepada : Nama : MEGA SARI, S.Kom. NIP : 19910713 201803 2 012" in found
        assert "Untuk : Melaksanakan monitoring website. Padang," in found
        assert "1." not in found.split("MEMBERI TUGAS")[1].split("Padang,")[0]


def test_a_menimbang_text_splits_at_blank_lines(workspace, data, tmp_path):
    data["menimbang"] = "bahwa pertama;\n\nbahwa kedua;"
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path, fmt="pdf")
    assert "Menimbang : a. bahwa pertama; b. bahwa kedua;" in normal(pdf_text(made.paths[0]))


def test_a_person_without_nip_or_pangkat_shows_a_dash(workspace, data, tmp_path):
    data["kepada"] = [{"nama": "DINA LESTARI, S.Kom.", "jabatan": "Tenaga Ahli Website"},
                      {"nama": "Ir. BUDI O'NEIL", "jabatan": "Konsultan",
                       "identitas": "NIK 1371010101900001", "instansi": "PT Web & <Data>"}]
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path)
    for found in both(made):
        assert ("1. Nama : DINA LESTARI, S.Kom. NIP : - Pangkat/Gol. : - "
                "Jabatan : Tenaga Ahli Website") in found
        assert ("2. Nama : Ir. BUDI O'NEIL Identitas : NIK 1371010101900001 Pangkat/Gol. : - "
                "Jabatan : Konsultan Instansi : PT Web & <Data>") in found


def test_plt_signature(workspace, data, tmp_path):
    data["penandatangan"] = {"pejabat": "sekretaris", "plt": "kepala-dinas"}
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path)
    for found in both(made):
        assert ("Padang, 23 November 2026 Plt. Kepala Dinas Komunikasi, Informatika dan "
                "Statistik Sekretaris, HENDRA SAPUTRA, S.E., M.M.") in found


def test_unknown_roles_are_named_before_a_number_is_taken(workspace, data, tmp_path):
    data["kepada"] = ["tim-pengelola", "kadis", {"nama": "X"}]
    with pytest.raises(RecordError) as info:
        make_document("surat-tugas", data, workspace, out_dir=tmp_path)
    assert dict(info.value.problems) == {"kepada[3].jabatan": "is required"}
    data["kepada"] = ["tim-pengelola", "kadis"]
    with pytest.raises(RecordError) as info:
        make_document("surat-tugas", data, workspace, out_dir=tmp_path)
    assert "unknown role 'kadis'" in dict(info.value.problems)["kepada[2]"]
    assert list(tmp_path.iterdir()) == []
    assert not workspace.register_path.exists()


def test_eight_persons_run_over_two_pages_signature_with_the_last_task(workspace, data,
                                                                      tmp_path):
    data["kepada"] = staff(8)
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path, fmt="pdf")
    pages = [squash(t) for t in pdf_pages(made.paths[0])]
    assert len(pages) == 2
    assert "- 2 -" in pages[1] and "PEMERINTAH PROVINSI" not in pages[1]
    text = " ".join(pages)
    for i in range(1, 9):
        assert f"{i}. Nama : PEGAWAI KE-{i}, S.Kom." in text
    assert LAST_TASK in pages[-1]
    for line in SIGNER:
        assert line in pages[-1]


@pytest.mark.parametrize("persons", range(2, 13))
def test_no_page_starts_with_the_signature_alone(workspace, data, tmp_path, persons):
    """Wherever the page breaks (after a person, a task, or before the signature), the
    signature stays on the page of the last task, and a person's block is never split."""
    data["kepada"] = staff(persons)
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path, fmt="pdf")
    pages = [squash(t) for t in pdf_pages(made.paths[0])]
    signed = [p for p in pages if "RINA MARLINA" in p]
    assert len(signed) == 1 and LAST_TASK in signed[0]
    for number, page in enumerate(pages[1:], 2):
        body = page.removeprefix(f"- {number} -").strip()
        assert not body.startswith(("Padang,", "NIP :", "Pangkat/Gol. :", "Jabatan :")), body


def test_docx_keeps_the_last_task_with_the_signature(workspace, data, tmp_path):
    """In the DOCX the last task keeps with the blank line and that line with the signature,
    whose row cannot split; a person's lines keep together."""
    data["kepada"] = staff(8)
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path, fmt="docx")
    body = Document(str(made.paths[0])).element.body
    blocks = list(body.iterchildren(qn("w:p"), qn("w:tbl")))

    def text(p):
        return "".join(t.text or "" for t in p.iter(qn("w:t")))

    def keeps(p):
        found = p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
        return found is not None and found.get(qn("w:val")) not in ("0", "false")

    last = next(i for i, b in enumerate(blocks) if text(b).endswith("penuh tanggung jawab."))
    assert keeps(blocks[last]) and text(blocks[last + 1]) == "" and keeps(blocks[last + 1])
    signature = blocks[last + 2]
    assert signature.tag == qn("w:tbl") and "RINA MARLINA" in text(signature)
    assert signature.find(f".//{qn('w:cantSplit')}") is not None
    persons = [b for b in blocks if "PEGAWAI KE-3" in text(b)]
    start = blocks.index(persons[0])
    assert [keeps(b) for b in blocks[start:start + 4]] == [True, True, True, False]
    assert not keeps(blocks[last - 1])  # only the last task keeps with what follows


@pytest.mark.slow
def test_libreoffice_keeps_the_signature_with_the_last_task(workspace, data, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed; .ci/run installs it")
        pytest.skip("soffice is not installed")
    paths = []
    for persons in (2, 4, 6, 8):
        data["kepada"] = staff(persons)
        paths += make_document("surat-tugas", data, workspace, out_dir=tmp_path / "out",
                               fmt="docx").paths
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), *map(str, paths)],
                   check=True, capture_output=True, timeout=300)
    for path in paths:
        pages = [squash(t) for t in pdf_pages(tmp_path / "lo" / path.with_suffix(".pdf").name)]
        signed = [p for p in pages if "RINA MARLINA" in p]
        assert len(signed) == 1 and LAST_TASK in signed[0], path.name


def test_summary_in_the_register_names_persons_and_signer(workspace, data, tmp_path):
    made = make_document("surat-tugas", data, workspace, out_dir=tmp_path)
    entry, = open_register(workspace.register_path).entries()
    summary = load(entry.summary_json)
    assert (summary.jenis, summary.jenis_naskah, summary.nomor) == (
        "surat-tugas", "Surat Tugas", made.nomor)
    assert summary.kepada == ["MEGA SARI, S.Kom.", "ARIF RAHMAN HAKIM, S.Kom."]
    assert summary.dari == "Kepala Bidang Aplikasi Informatika"
    signer, = summary.penandatangan
    assert (signer.nama, signer.nip, signer.kapasitas) == (
        "RINA MARLINA, S.Kom., M.T.", "197803152003122004",
        "a.n. Kepala Dinas Komunikasi, Informatika dan Statistik")
    assert summary.kode_klasifikasi == "800.1.11.1" and summary.halaman == 1
    assert summary.hal == hal_of(data["untuk"][0]) == entry.hal
    assert summary.hal.startswith("Melaksanakan monitoring isi konten (berita, artikel dan "
                                  "agenda) website perangkat daerah")


@pytest.mark.parametrize(("untuk", "hal"), [
    ("melaksanakan monitoring website;", "Melaksanakan monitoring website"),
    ("Mengikuti rapat koordinasi. ", "Mengikuti rapat koordinasi"),
    ("Menghadiri bimbingan teknis di Jakarta; dan biaya dibebankan pada DPA.",
     "Menghadiri bimbingan teknis di Jakarta"),
    ("Memeriksa " + "website perangkat daerah " * 8 + "x;",
     "Memeriksa " + "website perangkat daerah " * 3 + "website…"),
])
def test_hal_is_the_first_task_up_to_its_semicolon(untuk, hal):
    assert hal_of(untuk) == hal
    assert len(hal_of(untuk)) <= HAL_MAX + 1


def test_cli_makes_a_numbered_docx_and_pdf(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    result = CliRunner().invoke(cli, ["surat-tugas", "--data", str(SAMPLES / "surat-tugas.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "output/surat-tugas_800.1.11.1_1_Diskominfotik-2026.docx",
        "output/surat-tugas_800.1.11.1_1_Diskominfotik-2026.pdf",
    ]
    for path in result.stdout.splitlines():
        found = normal(docx_text(path) if path.endswith(".docx") else pdf_text(path))
        assert "SURAT TUGAS NOMOR 800.1.11.1/1/Diskominfotik-2026" in found
    listing = CliRunner().invoke(cli, ["number", "list"]).stdout.splitlines()
    assert listing[0].startswith("800.1.11.1/1/Diskominfotik-2026\t23 November 2026\t"
                                 "surat-tugas\tMelaksanakan monitoring")


FACTS = {"periode": "Minggu Ke-4 November 2026", "tanggal_monitoring": "23 November 2026"}


def test_sop_monitoring_website_step_1_makes_the_surat_tugas(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    (tmp_path / "fakta.yaml").write_text(yaml.safe_dump(
        {"fakta": FACTS, "tanggal": "23 November 2026"}))
    result = CliRunner().invoke(cli, ["step", "monitoring-website", "1",
                                      "--data", "fakta.yaml"])
    assert result.exit_code == 0, result.output
    docx, pdf = result.stdout.splitlines()
    assert pdf == "output/surat-tugas_800.1.11.1_1_Diskominfotik-2026.pdf"
    for found in (normal(docx_text(docx)), normal(pdf_text(pdf))):
        for needed in ["SURAT TUGAS", "NOMOR 800.1.11.1/1/Diskominfotik-2026",
                       "website perangkat daerah Minggu Ke-4 November 2026;",
                       "Dasar : 1. Undang-Undang Nomor 14 Tahun 2008",
                       "3. Keputusan Kepala Diskominfo Prov. Kaltim Nomor "
                       "489/076/III/Diskominfo/2018",
                       "Kepada : Nama : MEGA SARI, S.Kom.",
                       "Untuk : 1. Melaksanakan monitoring isi konten (berita, artikel dan "
                       "agenda) website perangkat daerah Minggu Ke-4 November 2026 pada hari "
                       "Senin, 23 November 2026;",
                       "paling lambat 120 (seratus dua puluh) menit setelah monitoring dimulai;",
                       "Padang, 23 November 2026 Kepala Bidang Aplikasi Informatika, "
                       "RINA MARLINA, S.Kom., M.T."]:
            assert needed in found, needed
    assert [p for p in docx_paragraphs(docx) if "Tempat" in p] == []


def test_sop_step_1_names_the_facts_it_lacks(workspace, tmp_path):
    from sopdocs.sop.catalogue import builtin_sops
    from sopdocs.sop.steps import run_step

    sop = builtin_sops()["monitoring-website"]
    with pytest.raises(RecordError) as info:
        run_step(workspace, sop, 1, out_dir=tmp_path)
    assert set(dict(info.value.problems)) == {"fakta.periode", "fakta.tanggal_monitoring"}
    assert list(tmp_path.iterdir()) == []
    made, = run_step(workspace, sop, 1, out_dir=tmp_path,
                     data={"fakta": {**FACTS, "sk_tim": "Keputusan Kepala Dinas Nomor 1"}}).made
    assert "3. Keputusan Kepala Dinas Nomor 1." in normal(pdf_text(made.paths[1]))
    assert Path(made.paths[1]).name.startswith("surat-tugas_800.1.11.1_1_")
