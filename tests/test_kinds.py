"""Every document kind, from its sample: every field read back from DOCX and PDF, konsep vs
final, the template <-> view check, typed text, identical bytes, long content."""

from datetime import datetime

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, docx_paragraphs, docx_text, pdf_pages, pdf_text, squash
from sopdocs.errors import RecordError
from sopdocs.kinds import all_kinds, titles
from sopdocs.records import ROLE_KEY, validate
from sopdocs.registry import AGENDA, open_register
from sopdocs.render.docx import template_path, template_variables
from sopdocs.service import make_document, render
from sopdocs.view import build_view

KINDS = all_kinds()


def sample(kind: str) -> dict:
    return yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text())


KADIS = ["Drs. JASMAN, MM", "Pembina Utama Muda (IV/c)", "NIP 19680101 198809 1 001"]
KOP = ["PEMERINTAH PROVINSI SUMATERA BARAT", "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK"]

#: What each sample must show, in both formats, as an official reads it.
EXPECTED = {
    "disposisi": [
        "LEMBAR DISPOSISI", "Surat dari", "Kepala Dinas Pendidikan Provinsi Sumatera Barat",
        "No. Surat", "421/1873/Disdik-2026", "Tgl. Surat", "18 November 2026",
        "Diterima Tgl.", "20 November 2026", "No. Agenda : 1", "■ Segera", "□ Biasa",
        "□ Sangat Segera", "□ Rahasia",
        "Permohonan Hosting Aplikasi Penerimaan Peserta Didik Baru (PPDB) 2027",
        "Diteruskan kepada Sdr.:", "■ Kepala Bidang Aplikasi Informatika", "□ Sekretaris",
        "Dengan hormat harap:", "■ Proses lebih lanjut", "■ Koordinasi/konfirmasikan",
        "□ Tanggapan dan Saran", "Catatan:", "Laporkan hasilnya paling lambat 3 (tiga) hari kerja.",
        "Padang, 20 November 2026", *KADIS],
    "berita-acara": [
        "BERITA ACARA", "TENTANG", "SERAH TERIMA HOSTING APLIKASI PPDB DINAS PENDIDIKAN",
        "NOMOR 500.12/1/Diskominfotik-2026",
        "Pada hari ini Jumat tanggal Dua Puluh Tujuh bulan November tahun Dua Ribu Dua Puluh "
        "Enam (27-11-2026), bertempat di Padang",
        "FAJAR HIDAYAT, S.T.", "19930630 201903 1 007", "Penata Muda Tingkat I (III/b)",
        "Pranata Komputer Ahli Pertama", "Dinas Komunikasi, Informatika dan Statistik",
        "selanjutnya disebut PIHAK PERTAMA.", "Ir. BUDI SANTOSO, M.Kom.",
        "Dinas Pendidikan Provinsi Sumatera Barat", "selanjutnya disebut PIHAK KEDUA.",
        "1. Aplikasi PPDB telah dipasang", "4. Pemeliharaan isi dan keamanan aplikasi",
        "Demikian Berita Acara ini dibuat", "Dibuat di Padang", "pada tanggal 27 November 2026",
        "PIHAK KEDUA,", "PIHAK PERTAMA,", "Mengetahui,", "Kepala Bidang Aplikasi Informatika,",
        "RINA MARLINA, S.Kom., M.T.", "NIP 19780315 200312 2 004"],
    "laporan": [
        "LAPORAN", "TENTANG", "REKAPITULASI HASIL MONITORING WEBSITE PERANGKAT DAERAH",
        "NOMOR 500.12/1/Diskominfotik-2026", "A. Pendahuluan", "1. Umum",
        "2. Maksud dan Tujuan", "3. Ruang Lingkup", "4. Dasar",
        "a. Undang-Undang Nomor 14 Tahun 2008", "B. Kegiatan yang Dilaksanakan",
        "C. Hasil yang Dicapai", "Rekapitulasi Hasil Monitoring", "Perangkat Daerah",
        "Badan Kepegawaian Daerah", "Belum mutakhir", "D. Simpulan dan Saran", "E. Penutup",
        "Padang, 23 November 2026", "Koordinator Pengelolaan Domain dan Aplikasi,",
        "DEDI KURNIAWAN, S.T.", "Penata Tingkat I (III/d)", "NIP 19820707 200604 1 003",
        "Lampiran:", "Tangkapan layar halaman depan website"],
    "surat": [
        "Nomor", "500.12/1/Diskominfotik-2026", "Padang, 24 November 2026", "Sifat", "Biasa",
        "Lampiran", "1 (satu) berkas", "Hal", "Kelengkapan Dokumen Permohonan",
        "Yth.", "Kepala Dinas Pendidikan Provinsi Sumatera Barat", "di Padang",
        "Menindaklanjuti surat Saudara Nomor 421/1873/Disdik-2026",
        "a.n. Kepala Dinas Komunikasi, Informatika dan Statistik", "Sekretaris,",
        "HENDRA SAPUTRA, S.E., M.M.", "NIP 19700512 199503 1 002", "Tembusan:",
        "1. Kepala Dinas Komunikasi, Informatika dan Statistik",
        "2. Kepala Bidang Aplikasi Informatika"],
    "surat-tugas": [
        "SURAT TUGAS", "NOMOR 800.1.11.1/1/Diskominfotik-2026",
        "Menimbang : a. bahwa berita, artikel dan agenda pada website perangkat daerah",
        "b. bahwa untuk itu perlu menugaskan Tim Pengelola Website",
        "Dasar : 1. Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik;",
        "3. Keputusan Kepala Dinas Komunikasi, Informatika dan Statistik Provinsi Sumatera "
        "Barat Nomor 100.3.3/12/Diskominfotik-2026", "MEMBERI TUGAS",
        "Kepada : 1. Nama : MEGA SARI, S.Kom. NIP : 19910713 201803 2 012 Pangkat/Gol. : "
        "Penata Muda Tingkat I (III/b) Jabatan : Ketua Tim Pengelola Website",
        "2. Nama : ARIF RAHMAN HAKIM, S.Kom. NIP : 19900822 201503 1 004 Pangkat/Gol. : "
        "Penata (III/c) Jabatan : Pranata Komputer Ahli Muda",
        "Untuk : 1. Melaksanakan monitoring isi konten (berita, artikel dan agenda) website "
        "perangkat daerah Minggu Ke-4 November 2026 pada hari Senin, 23 November 2026;",
        "3. Melaksanakan tugas ini dengan penuh tanggung jawab. Padang, 23 November 2026",
        "a.n. Kepala Dinas Komunikasi, Informatika dan Statistik",
        "Kepala Bidang Aplikasi Informatika,", "RINA MARLINA, S.Kom., M.T.", "Pembina (IV/a)",
        "NIP 19780315 200312 2 004",
        "Tembusan: Kepala Dinas Komunikasi, Informatika dan Statistik"],
    "tanda-terima": [
        "TANDA TERIMA", "NOMOR 500.12/1/Diskominfotik-2026",
        "Telah diterima dari : Pranata Komputer Ahli Pertama",
        "Oleh : Tenaga Ahli Pengelola Aplikasi PPDB, Dinas Pendidikan Provinsi Sumatera Barat",
        "Pada hari/tanggal : Jumat, 27 November 2026",
        "Hal : Penyerahan Dokumen Akun Hosting Aplikasi PPDB",
        "dengan rincian sebagai berikut:", "No.", "Uraian", "Jumlah", "Keterangan",
        "Dokumen akun pengelola Aplikasi PPDB", "1 (satu) berkas", "1 (satu) eksemplar",
        "Dalam amplop tertutup",
        "Demikian Tanda Terima ini dibuat untuk dipergunakan sebagaimana mestinya.",
        "Padang, 27 November 2026", "Yang Menerima,", "Yang Menyerahkan,",
        "ARIF RAHMAN, S.Kom.", "NIK 1371021505900003", "FAJAR HIDAYAT, S.T.",
        "Penata Muda Tingkat I (III/b)", "NIP 19930630 201903 1 007", "Mengetahui,",
        "Koordinator Pengelolaan Domain dan Aplikasi,", "DEDI KURNIAWAN, S.T.",
        "NIP 19820707 200604 1 003"],
}


def normal(text: str) -> str:
    return squash(text.replace("\t", " ").replace(" :", " :"))


def test_every_kind_has_its_expectations_here():
    """A new kind module is tested by the checks of this file once it is listed here."""
    # the nota dinas has its own file, tests/test_nota_dinas.py
    assert set(EXPECTED) | {"nota-dinas"} == set(FREE_TEXT) == set(KINDS)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_final_shows_every_field_in_docx_and_pdf(workspace, tmp_path, kind):
    made = make_document(kind, sample(kind), workspace, out_dir=tmp_path)
    docx, pdf = made.paths
    for found in (normal(docx_text(docx)), normal(pdf_text(pdf))):
        for needed in [*KOP, *EXPECTED[kind]]:
            assert needed in found, f"{kind}: {needed!r}"
        assert "KONSEP" not in found


@pytest.mark.parametrize("kind", list(KINDS))
def test_konsep_has_no_number_and_paraf_boxes(workspace, tmp_path, kind):
    data = {**sample(kind), "paraf": ["sekretaris"]}
    made = make_document(kind, data, workspace, out_dir=tmp_path, konsep=True)
    assert made.nomor is None
    assert not workspace.register_path.exists()
    for found in (docx_text(made.paths[0]), pdf_text(made.paths[1])):
        assert "KONSEP" in found and "Paraf Hierarki:" in found
        assert "Diskominfotik-2026" not in found or "/ /Diskominfotik-2026" in found


@pytest.mark.parametrize("kind", list(KINDS))
def test_template_variables_match_the_view_both_ways(workspace, kind):
    spec = KINDS[kind]
    record = validate(spec.model, sample(kind), "sample")
    view = build_view(spec, record, workspace, konsep=False, source="sample")
    used = template_variables(template_path(kind))
    assert used == set(view)  # no blank placeholder, no view key the template forgets
    printed = set(spec.model.model_fields) - set(spec.printed_as)
    assert printed <= used, printed - used
    assert set(spec.printed_as.values()) <= used


@pytest.mark.parametrize("kind", list(KINDS))
def test_same_input_gives_identical_bytes(workspace, tmp_path, kind):
    a = make_document(kind, sample(kind), workspace, out_dir=tmp_path / "a", konsep=True)
    b = make_document(kind, sample(kind), workspace, out_dir=tmp_path / "b", konsep=True)
    for x, y in zip(a.paths, b.paths, strict=True):
        assert x.read_bytes() == y.read_bytes()


def letter(n: int, **changes) -> dict:
    """The sample disposisi about the n-th letter of the same sender."""
    return {**sample("disposisi"), "nomor_surat": f"421/{n}/Disdik-2026", **changes}


def test_disposisi_takes_agenda_numbers_apart_from_outgoing_numbers(workspace, tmp_path):
    make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    first = make_document("disposisi", letter(1), workspace, out_dir=tmp_path)
    second = make_document("disposisi", letter(2), workspace, out_dir=tmp_path)
    assert (first.nomor, second.nomor) == ("1", "2")
    given = make_document("disposisi", letter(3, nomor_agenda="17"), workspace,
                          out_dir=tmp_path)
    assert given.nomor == "17"
    assert "No. Agenda : 17" in normal(pdf_text(given.paths[1]))
    after = make_document("disposisi", letter(4), workspace, out_dir=tmp_path)
    assert after.nomor == "18"  # a number given by hand is never given out again
    agenda = [e for e in open_register(workspace.register_path).entries()
              if e.series == AGENDA]
    assert [e.nomor for e in agenda] == ["1", "2", "17", "18"]
    assert agenda[0].tanggal.isoformat() == "2026-11-20"  # the day the letter arrived


def test_one_letter_keeps_its_agenda_number_through_every_disposisi(workspace, tmp_path):
    kadis = make_document("disposisi", letter(1), workspace, out_dir=tmp_path)
    kabid = make_document("disposisi", letter(1, oleh="kabid-aptika",
                                              diteruskan_kepada=["koordinator"],
                                              nomor_surat=" 421/1/disdik-2026 "),
                          workspace, out_dir=tmp_path)
    assert kadis.nomor == kabid.nomor == "1"
    assert make_document("disposisi", letter(2), workspace, out_dir=tmp_path).nomor == "2"


def test_agenda_numbers_given_by_hand_are_checked(workspace, tmp_path):
    make_document("disposisi", letter(1, nomor_agenda="5"), workspace, out_dir=tmp_path)
    cases = [
        (letter(2, nomor_agenda="5"), "agenda number 5 (2026) is already the letter "
                                      "421/1/Disdik-2026 from Kepala Dinas Pendidikan"),
        (letter(1, nomor_agenda="6"), "this letter already has agenda number 5 (2026)"),
        (letter(3, nomor_agenda="lima"), "'lima' does not fit the office's agenda pattern"),
    ]
    for data, message in cases:
        with pytest.raises(RecordError) as info:
            make_document("disposisi", data, workspace, out_dir=tmp_path / "no")
        assert message in dict(info.value.problems)["nomor_agenda"]
    assert not (tmp_path / "no").exists()
    assert make_document("disposisi", letter(4), workspace, out_dir=tmp_path).nomor == "6"


def test_disposisi_is_half_folio(workspace, tmp_path):
    from pypdf import PdfReader

    made = make_document("disposisi", sample("disposisi"), workspace, out_dir=tmp_path)
    section = Document(str(made.paths[0])).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (215, 165)
    reader = PdfReader(str(made.paths[1]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == \
        (215, 165)


def test_disposisi_adds_unlisted_choices_ticked(workspace, tmp_path):
    data = {**sample("disposisi"), "diteruskan_kepada": ["Kepala UPTD Jaringan"],
            "harap": ["Segera dilaksanakan"], "sifat": ["Segera", "Rahasia"]}
    made = make_document("disposisi", data, workspace, out_dir=tmp_path, konsep=True)
    for found in (normal(docx_text(made.paths[0])), normal(pdf_text(made.paths[1]))):
        assert "■ Kepala UPTD Jaringan" in found and "■ Segera dilaksanakan" in found
        assert "■ Segera" in found and "■ Rahasia" in found and "□ Biasa" in found


def test_berita_acara_with_40_points_keeps_signatures_with_the_last_lines(workspace, tmp_path):
    data = {**sample("berita-acara"),
            "isi": [f"Butir ke-{i} serah terima. " + "Rincian pekerjaan. " * 10
                    for i in range(1, 41)]}
    made = make_document("berita-acara", data, workspace, out_dir=tmp_path, fmt="pdf")
    pages = [squash(t) for t in pdf_pages(made.paths[0])]
    assert len(pages) >= 3
    for i in range(1, 41):
        assert f"{i}. Butir ke-{i} serah terima." in " ".join(pages)
    last = pages[-1]
    assert "Demikian Berita Acara ini dibuat" in last
    assert "PIHAK KEDUA," in last and "PIHAK PERTAMA," in last and "Mengetahui," in last
    for number, page in enumerate(pages[1:], 2):
        assert f"- {number} -" in page


def test_laporan_table_of_200_rows_repeats_its_header(workspace, tmp_path):
    data = sample("laporan")
    data["tabel"]["baris"] = [[str(i), f"Perangkat Daerah {i}", "1 November 2026",
                               "2 November 2026", "3 November 2026", "Mutakhir"]
                              for i in range(1, 201)]
    made = make_document("laporan", data, workspace, out_dir=tmp_path)
    pages = [squash(t) for t in pdf_pages(made.paths[1])]
    table_pages = [p for p in pages if "Perangkat Daerah 1" in p or "Perangkat Daerah 2" in p]
    assert len(table_pages) >= 4
    for page in table_pages:
        assert "Perangkat Daerah Berita Terakhir Artikel Terakhir" in page  # the header row
    assert "Perangkat Daerah 200" in " ".join(pages)
    assert "DEDI KURNIAWAN, S.T." in pages[-1] or "DEDI KURNIAWAN, S.T." in pages[-2]
    rows = Document(str(made.paths[0])).tables
    data_table = next(t for t in rows if len(t.rows) > 200)
    assert data_table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in data_table.rows[0].cells][:2] == ["No.", "Perangkat Daerah"]
    assert [c.text for c in data_table.rows[200].cells][:2] == ["200", "Perangkat Daerah 200"]


@pytest.mark.parametrize(("kind", "change", "field", "message"), [
    ("disposisi", {"tanggal_surat": "31/02/2026"}, "tanggal_surat", "is not a date"),
    ("disposisi", {"sifat": ["Kilat"]}, "sifat[1]", "is not allowed"),
    ("disposisi", {"oleh": "kadis"}, "oleh.pejabat", "unknown role 'kadis'"),
    ("berita-acara", {"pihak_kedua": {"nama": "X"}}, "pihak_kedua.jabatan", "is required"),
    ("berita-acara", {"isi": []}, "isi", "must not be empty"),
    ("laporan", {"tabel": {"kolom": ["A", "B"], "baris": [["1"]]}}, "tabel",
     "baris[1] has 1 cell; the table has 2 columns"),
    ("laporan", {"pendahuluan": {"umum": "x"}}, "pendahuluan.dasar", "is required"),
    ("surat", {"kepada": []}, "kepada", "must not be empty"),
    ("surat", {"penandatangan": {"pejabat": "sekretaris", "an": "kadis"}},
     "penandatangan.an", "unknown role 'kadis'"),
    ("surat-tugas", {"kepada": ["tim-pengelola", "kadis"]}, "kepada[2]", "unknown role 'kadis'"),
    ("surat-tugas", {"untuk": []}, "untuk", "must not be empty"),
])
def test_bad_fields_are_named(workspace, tmp_path, kind, change, field, message):
    with pytest.raises(RecordError) as info:
        make_document(kind, {**sample(kind), **change}, workspace, out_dir=tmp_path)
    problems = dict(info.value.problems)
    assert field in problems, problems
    assert message in problems[field]
    assert list(tmp_path.iterdir()) == []
    assert not workspace.register_path.exists()


#: The free-text fields of each kind, as paths into the record.
FREE_TEXT = {
    "nota-dinas": ["hal", "isi.0", "kepada.0"],
    "disposisi": ["surat_dari", "nomor_surat", "hal", "catatan", "harap.0",
                  "diteruskan_kepada.0"],
    "berita-acara": ["judul", "isi.0", "pengantar", "penutup", "pihak_kedua.nama",
                     "pihak_kedua.instansi"],
    "laporan": ["judul", "pendahuluan.umum", "kegiatan", "hasil", "simpulan_saran",
                "tabel.baris.0.1", "lampiran.0"],
    "surat": ["hal", "isi.0", "kepada.0", "di", "tembusan.0"],
    "surat-tugas": ["menimbang.0", "dasar.0", "untuk.0", "kepada.1.nama", "kepada.1.jabatan",
                    "tempat", "tembusan.0"],
    "tanda-terima": ["hal", "daftar.0.uraian", "daftar.0.keterangan", "daftar.2.satuan",
                     "yang_menerima.nama", "yang_menerima.jabatan", "yang_menerima.identitas",
                     "yang_menerima.instansi", "tempat"],
}
TYPED = st.text(
    st.sampled_from(list("aZéñÇøşĞ'’\"“”&<>{}%#/\\-.,;:()[]!? ") + list("αΩДжЯ")
                    + [chr(c) for c in range(0x41, 0x5B)]),
    min_size=1, max_size=30,
).map(lambda s: " ".join(s.split())).filter(lambda s: s and not ROLE_KEY.fullmatch(s))


def _set(data: dict, path: str, value: str) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    if last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value


@pytest.mark.parametrize("kind", list(FREE_TEXT))
def test_any_typed_text_survives_both_formats(workspace, kind):
    spec = KINDS[kind]

    @settings(max_examples=8, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values=st.lists(TYPED, min_size=len(FREE_TEXT[kind]),
                           max_size=len(FREE_TEXT[kind])))
    def check(values):
        data = sample(kind)
        for path, value in zip(FREE_TEXT[kind], values, strict=True):
            _set(data, path, value)
        record = validate(spec.model, data, "x")
        view = build_view(spec, record, workspace, konsep=True, source="x")
        blobs = render(spec, view, workspace, ("docx", "pdf"), datetime(2026, 11, 22)).blobs
        docx = " ".join(docx_paragraphs(blobs["docx"]))
        pdf = pdf_text(blobs["pdf"]).replace(" ", "")
        for value in values:
            shown = value.upper() if value in (data.get("judul"),) else value
            assert shown in docx, (kind, value)
            assert shown.replace(" ", "") in pdf, (kind, value)

    check()


def test_titles_read_from_source_are_the_kinds_judul():
    """The recap names every kind by ``titles()``, read without importing the modules."""
    assert titles() == {name: kind.judul for name, kind in all_kinds().items()}
