"""The tanda terima read back from DOCX and PDF: parties and their columns, the list over
pages with its header, the closing kept with the signatures, the register, CLI and SOP steps."""

import re

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from conftest import SAMPLES, docx_text, pdf_pages, pdf_text, squash
from sopdocs.cli import cli
from sopdocs.errors import RecordError
from sopdocs.registry import open_register
from sopdocs.service import make_document
from sopdocs.sop.catalogue import builtin_sops
from sopdocs.sop.steps import open_case, run_step
from sopdocs.summary import load

SIGNATURES = ("Padang, 27 November 2026", "Yang Menerima,", "Yang Menyerahkan,", "Mengetahui,")


def sample(**changes) -> dict:
    data = yaml.safe_load((SAMPLES / "tanda-terima.yaml").read_text())
    return {**data, **changes}


def normal(text: str) -> str:
    return squash(text.replace("\t", " "))


def test_round_trip_reads_back_every_part_in_order(workspace, tmp_path):
    made = make_document("tanda-terima", sample(), workspace, out_dir=tmp_path)
    assert made.nomor == "500.12/1/Diskominfotik-2026"
    docx, pdf = made.paths
    in_order = ["TANDA TERIMA", "NOMOR 500.12/1/Diskominfotik-2026",
                "Telah diterima dari : Pranata Komputer Ahli Pertama",
                "Oleh : Tenaga Ahli Pengelola Aplikasi PPDB, Dinas Pendidikan Provinsi",
                "Pada hari/tanggal : Jumat, 27 November 2026",
                "Hal : Penyerahan Dokumen Akun Hosting Aplikasi PPDB",
                "dengan rincian sebagai berikut:", "No. Uraian Jumlah Keterangan",
                "1 Dokumen akun administrator server", "2 Dokumen akun pengelola Aplikasi PPDB",
                "3 Berita Acara Serah Terima Hosting",
                "Demikian Tanda Terima ini dibuat untuk dipergunakan sebagaimana mestinya.",
                "Padang, 27 November 2026",
                # the receiver's column on the left, then the giver's; the witness below
                "Yang Menerima, Tenaga Ahli Pengelola Aplikasi PPDB", "ARIF RAHMAN, S.Kom.",
                "NIK 1371021505900003", "Yang Menyerahkan, Pranata Komputer Ahli Pertama",
                "FAJAR HIDAYAT, S.T.", "Penata Muda Tingkat I (III/b)",
                "NIP 19930630 201903 1 007", "Mengetahui, Koordinator Pengelolaan Domain dan",
                "DEDI KURNIAWAN, S.T.", "Penata Tingkat I (III/d)", "NIP 19820707 200604 1 003"]
    for found in (normal(docx_text(docx)), normal(pdf_text(pdf))):
        at = 0
        for needed in in_order:
            where = found.find(needed, at)
            assert where >= 0, (needed, found[at:at + 200])
            at = where + len(needed)
        assert "1 (satu) berkas Dalam amplop tertutup" in found
        assert "1 (satu) eksemplar" in found
    table = next(t for t in Document(str(docx)).tables if t.rows[0].cells[0].text == "No.")
    assert [[c.text for c in row.cells] for row in table.rows][1:] == [
        ["1", sample()["daftar"][0]["uraian"], "1 (satu) berkas", "Dalam amplop tertutup"],
        ["2", "Dokumen akun pengelola Aplikasi PPDB dan panel kendali hosting",
         "1 (satu) berkas", "Dalam amplop tertutup"],
        ["3", "Berita Acara Serah Terima Hosting Aplikasi PPDB Dinas Pendidikan",
         "1 (satu) eksemplar", ""]]


def test_counts_are_written_out_with_their_unit(workspace, tmp_path):
    daftar = [{"uraian": "Map berkas", "jumlah": "12"},
              {"uraian": "Laptop", "jumlah": 2, "satuan": "unit", "keterangan": "Merek & tipe <A>"}]
    made = make_document("tanda-terima", sample(daftar=daftar, mengetahui=None), workspace,
                         out_dir=tmp_path)
    for found in (normal(docx_text(made.paths[0])), normal(pdf_text(made.paths[1]))):
        assert "1 Map berkas 12 (dua belas) berkas" in found
        assert "2 Laptop 2 (dua) unit Merek & tipe <A>" in found
        assert "Mengetahui" not in found


def test_a_long_list_repeats_its_header_and_ends_with_rows_closing_and_signatures(
        workspace, tmp_path):
    daftar = [{"uraian": f"Berkas permohonan informasi publik ke-{i}", "jumlah": i,
               "satuan": "lembar"} for i in range(1, 61)]
    made = make_document("tanda-terima", sample(daftar=daftar), workspace, out_dir=tmp_path)
    pages = [squash(t) for t in pdf_pages(made.paths[1])]
    assert len(pages) >= 2
    for number, page in enumerate(pages[1:], 2):
        assert page.startswith(f"- {number} - No. Uraian Jumlah Keterangan ")  # header again
    joined = " ".join(pages)
    for i in range(1, 61):
        assert f"{i} Berkas permohonan informasi publik ke-{i} " in joined
    last = pages[-1]
    assert "ke-60" in last  # at least a row of the list goes over with the closing
    assert "Demikian Tanda Terima ini dibuat" in last
    for needed in SIGNATURES:
        assert needed in last and all(needed not in page for page in pages[:-1])
    doc = Document(str(made.paths[0]))
    table = next(t for t in doc.tables if len(t.rows) == 61)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    keeps = [row.cells[1].paragraphs[0].paragraph_format.keep_with_next for row in table.rows]
    assert keeps[-1] and not any(keeps[1:-1])  # only the last row keeps with the closing
    body = doc.paragraphs
    closing = next(i for i, p in enumerate(body) if p.text.startswith("Demikian"))
    assert body[closing].text.endswith("sebagaimana mestinya.")
    for p in body[closing - 1:closing + 3]:  # blank, closing, place and date, blank
        assert p.paragraph_format.keep_with_next, p.text
    assert body[closing + 1].text == "Padang, 27 November 2026"
    signatures = next(t for t in doc.tables if "Yang Menerima," in t.rows[0].cells[0].text)
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in signatures.rows)


@pytest.mark.parametrize("rows", range(8, 24))
def test_no_page_starts_with_the_closing_or_a_signature(workspace, tmp_path, rows):
    """Around the first page break the closing block must move, with a row of the list."""
    daftar = [{"uraian": f"Dokumen ke-{i}", "jumlah": 1} for i in range(1, rows + 1)]
    made = make_document("tanda-terima", sample(daftar=daftar), workspace, out_dir=tmp_path,
                         fmt="pdf")
    pages = [squash(t) for t in pdf_pages(made.paths[0])]
    for page in pages[1:]:
        assert re.match(r"- \d+ - No\. Uraian Jumlah Keterangan \d+ Dokumen ke-", page), page
    assert "Demikian" in pages[-1] and all(s in pages[-1] for s in SIGNATURES)


def test_parties_without_nip_print_their_identitas_and_no_nip(workspace, tmp_path):
    vendor = {"nama": "Ir. BUDI O'NEIL", "jabatan": "Direktur",
              "instansi": "PT Awan Nusantara Teknologi", "identitas": "NIK 1371010101800001"}
    pic = {"nama": "SARI DEWI", "jabatan": "PIC Aplikasi"}  # neither NIP nor identitas
    made = make_document("tanda-terima", sample(yang_menyerahkan=vendor, yang_menerima=pic,
                                                mengetahui=None), workspace, out_dir=tmp_path)
    for found in (normal(docx_text(made.paths[0])), normal(pdf_text(made.paths[1]))):
        assert "Telah diterima dari : Direktur, PT Awan Nusantara Teknologi" in found
        assert "Oleh : PIC Aplikasi Pada hari/tanggal" in found
        assert "Yang Menyerahkan, Direktur Ir. BUDI O'NEIL NIK 1371010101800001" in found
        assert "Yang Menerima, PIC Aplikasi SARI DEWI" in found
        assert "NIP" not in found


def test_the_register_names_giver_and_receiver(workspace, tmp_path):
    make_document("tanda-terima", sample(), workspace, out_dir=tmp_path)
    (entry,) = open_register(workspace.register_path).entries()
    summary = load(entry.summary_json)
    assert (summary.jenis, summary.jenis_naskah) == ("tanda-terima", "Tanda Terima")
    assert summary.hal == entry.hal == "Penyerahan Dokumen Akun Hosting Aplikasi PPDB"
    assert summary.nomor == "500.12/1/Diskominfotik-2026"
    assert (summary.dari, summary.kepada) == ("FAJAR HIDAYAT, S.T.", ["ARIF RAHMAN, S.Kom."])
    assert [s.model_dump() for s in summary.penandatangan] == [
        {"jabatan": "Pranata Komputer Ahli Pertama", "nama": "FAJAR HIDAYAT, S.T.",
         "nip": "199306302019031007", "kapasitas": "Yang Menyerahkan"},
        {"jabatan": "Tenaga Ahli Pengelola Aplikasi PPDB", "nama": "ARIF RAHMAN, S.Kom.",
         "nip": "", "kapasitas": "Yang Menerima"},
        {"jabatan": "Koordinator Pengelolaan Domain dan Aplikasi",
         "nama": "DEDI KURNIAWAN, S.T.", "nip": "198207072006041003", "kapasitas": ""}]
    assert summary.halaman == 1 and summary.kode_klasifikasi == "500.12"


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"daftar": []}, "daftar", "must not be empty"),
    ({"daftar": [{"uraian": "Map", "jumlah": 0}]}, "daftar[1].jumlah",
     "greater than or equal to 1"),
    ({"daftar": [{"uraian": "Map", "jumlah": "satu"}]}, "daftar[1].jumlah", "valid integer"),
    ({"daftar": [{"jumlah": 1}]}, "daftar[1].uraian", "is required"),
    ({"yang_menerima": "kadis"}, "yang_menerima", "unknown role 'kadis'"),
    ({"mengetahui": {"pejabat": "kabid"}}, "mengetahui.pejabat", "unknown role 'kabid'"),
    ({"yang_menyerahkan": {"nama": "X"}}, "yang_menyerahkan.jabatan", "is required"),
])
def test_bad_fields_are_named(workspace, tmp_path, change, field, message):
    with pytest.raises(RecordError) as info:
        make_document("tanda-terima", sample(**change), workspace, out_dir=tmp_path)
    problems = dict(info.value.problems)
    assert field in problems, problems
    assert message in problems[field]
    assert list(tmp_path.iterdir()) == []
    assert not workspace.register_path.exists()


def test_cli_makes_a_numbered_docx_and_pdf(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    result = CliRunner().invoke(cli, ["tanda-terima", "--data",
                                      str(SAMPLES / "tanda-terima.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "output/tanda-terima_500.12_1_Diskominfotik-2026.docx",
        "output/tanda-terima_500.12_1_Diskominfotik-2026.pdf"]
    for path in result.stdout.split():
        text = docx_text(tmp_path / path) if path.endswith(".docx") else \
            pdf_text(tmp_path / path)
        assert "NOMOR 500.12/1/Diskominfotik-2026" in text and "ARIF RAHMAN, S.Kom." in text
    helped = CliRunner().invoke(cli, ["tanda-terima", "--help"])
    assert "Make a tanda terima (receipt)" in helped.stdout


SOPS = builtin_sops()
NOTA_DINAS = {"nomor_langkah_3": "400.14/7/Diskominfotik-2026",
              "tanggal_langkah_3": "23 November 2026"}


def test_ppid_step_4_makes_a_receipt_for_each_recipient(workspace, tmp_path):
    result = run_step(workspace, SOPS["ppid"], 4, out_dir=tmp_path, data={"fakta": NOTA_DINAS})
    assert [m.nomor for m in result.made] == ["400.14/1/Diskominfotik-2026",
                                              "400.14/2/Diskominfotik-2026"]
    texts = [normal(pdf_text(m.paths[1])) for m in result.made]
    for text, receiver in zip(texts, ("Sekretaris", "Kepala Bidang Aplikasi Informatika"),
                              strict=True):
        assert "Telah diterima dari : Sub Koordinator Layanan Informasi Publik" in text
        assert f"Oleh : {receiver} Pada hari/tanggal" in text
        assert ("Hal : Penyerahan Nota Dinas Permintaan Daftar Informasi Publik (DIP) Tahun "
                in text)
        assert ("1 Nota Dinas Kepala Dinas Nomor 400.14/7/Diskominfotik-2026 tanggal 23 "
                "November 2026 hal Permintaan Daftar Informasi Publik (DIP)") in text
        assert "1 (satu) berkas" in text and "SITI RAHMAH, S.Kom." in text
    assert "HENDRA SAPUTRA, S.E., M.M." in texts[0] and "RINA MARLINA" in texts[1]


def test_ppid_step_4_names_the_nota_dinas_it_needs(workspace, tmp_path):
    with pytest.raises(RecordError) as info:
        run_step(workspace, SOPS["ppid"], 4, out_dir=tmp_path)
    problems = dict(info.value.problems)
    assert set(problems) == {"fakta.nomor_langkah_3", "fakta.tanggal_langkah_3"}
    assert problems["fakta.nomor_langkah_3"].startswith(
        "missing: Nomor nota dinas permintaan DIP (dalam kasus: diisi dari langkah 3); needed "
        "for Tanda terima nota dinas oleh Sekretaris and Tanda terima nota dinas oleh Kabid; "
        "give it in the case")
    assert list(tmp_path.iterdir()) == []


def test_ppid_case_fills_the_receipt_from_step_3(workspace, tmp_path):
    sop = SOPS["ppid"]
    case = open_case(workspace, sop, {})
    made = {}
    for no in (1, 2, 3, 4):
        made[no] = run_step(workspace, sop, no, case_id=case.id, out_dir=tmp_path).made
    (nota,) = made[3]
    for receipt in made[4]:
        assert f"Nota Dinas Kepala Dinas Nomor {nota.nomor} tanggal" in normal(
            pdf_text(receipt.paths[1]))


def test_hosting_step_8_hands_the_account_documents_to_the_opd(workspace, tmp_path):
    facts = yaml.safe_load((SAMPLES / "kasus-hosting.yaml").read_text())
    result = run_step(workspace, SOPS["hosting"], 8, out_dir=tmp_path, data={"fakta": facts})
    kinds = [m.paths[0].name.split("_")[0] for m in result.made]
    assert kinds == ["berita-acara", "tanda-terima", "laporan"]
    text = normal(pdf_text(result.made[1].paths[1]))
    for needed in ("TANDA TERIMA", "NOMOR 555/2/Diskominfotik-2026",
                   "Oleh : Pranata Komputer Dinas Pendidikan, Dinas Pendidikan Provinsi",
                   "Hal : Penyerahan Dokumen Akun Hosting ppdb.sumbarprov.go.id",
                   "Dokumen akun administrator server virtual (VPS) pusat data Pemerintah",
                   "Dalam amplop tertutup", "Yang Menerima, Pranata Komputer Dinas Pendidikan",
                   "BUDI SANTOSO, S.Kom.", "FAJAR HIDAYAT, S.T.", "Mengetahui,",
                   "DEDI KURNIAWAN, S.T."):
        assert needed in text, needed
