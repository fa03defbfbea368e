"""The nota dinas read back from DOCX and PDF: every field, konsep vs final, capacities."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import docx_paragraphs, docx_text, pdf_pages, pdf_text, squash
from sopdocs.errors import OutputError, RecordError
from sopdocs.kinds import kind_of
from sopdocs.records import ROLE_KEY, validate
from sopdocs.registry import open_register
from sopdocs.service import make_document, render
from sopdocs.view import build_view

KADIS = ["Kepala Dinas Komunikasi, Informatika dan Statistik,", "Drs. JASMAN, MM",
         "Pembina Utama Muda (IV/c)", "NIP 19680101 198809 1 001"]


def expected_fields(nomor):
    return ["NOTA DINAS", f"NOMOR {nomor}", "Yth.", "1. Sekretaris",
            "2. Kepala Bidang Aplikasi Informatika", "Dari",
            "Kepala Dinas Komunikasi, Informatika dan Statistik", "Tanggal", "23 November 2026",
            "Sifat", "Segera", "Lampiran", "1 (satu) berkas", "Hal",
            "Permintaan Daftar Informasi Publik (DIP) Tahun 2026",
            "paling lambat 7 (tujuh) hari", "PEMERINTAH PROVINSI SUMATERA BARAT",
            "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK", *KADIS]


def test_final_has_every_field_in_docx_and_pdf(workspace, nota_dinas_data, tmp_path):
    made = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path / "out")
    assert made.nomor == "000.8.3.3/1/Diskominfotik-2026"
    docx, pdf = made.paths
    assert (docx.suffix, pdf.suffix) == (".docx", ".pdf")
    for found in (docx_text(docx), pdf_text(pdf)):
        for needed in expected_fields(made.nomor):
            assert needed in found.replace("\t", " "), needed
        assert "KONSEP" not in found
        assert "Paraf" not in found
    for paragraph in nota_dinas_data["isi"]:
        assert squash(paragraph) in pdf_text(pdf)
        assert squash(paragraph) in docx_text(docx)


def test_register_holds_number_hal_files_and_hashes(workspace, nota_dinas_data, tmp_path):
    import hashlib

    made = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path / "out")
    (entry,) = open_register(workspace.register_path).entries()
    assert (entry.nomor, entry.kind, entry.hal) == (made.nomor, "nota-dinas",
                                                    nota_dinas_data["hal"])
    assert [Path(f.path) for f in entry.files] == [p.resolve() for p in made.paths]
    for f in entry.files:
        assert f.sha256 == hashlib.sha256(Path(f.path).read_bytes()).hexdigest()


def test_konsep_has_no_number_a_mark_and_paraf_boxes(workspace, nota_dinas_data, tmp_path):
    made = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path, konsep=True)
    assert made.nomor is None
    assert not workspace.register_path.exists()
    docx, pdf = made.paths
    assert docx.name.startswith("KONSEP_")
    for found in (docx_text(docx), pdf_text(pdf)):
        assert "KONSEP" in found
        assert "NOMOR 000.8.3.3/ /Diskominfotik-2026" in found
        assert "Paraf Hierarki:" in found
        assert "Sekretaris" in found and "Sub Koordinator Layanan Informasi Publik" in found


def test_numbers_follow_on_and_files_are_never_overwritten(workspace, nota_dinas_data, tmp_path):
    first = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path)
    second = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path)
    assert (first.nomor, second.nomor) == ("000.8.3.3/1/Diskominfotik-2026",
                                           "000.8.3.3/2/Diskominfotik-2026")
    konsep1 = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path,
                            konsep=True, fmt="pdf")
    konsep2 = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path,
                            konsep=True, fmt="pdf")
    assert konsep2.paths[0] != konsep1.paths[0]
    assert konsep2.paths[0].name.endswith("-2.pdf")


def test_failure_while_writing_leaves_no_file_and_no_number(workspace, nota_dinas_data,
                                                            tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    with pytest.raises(OutputError):
        make_document("nota-dinas", nota_dinas_data, workspace, out_dir=blocker / "sub")
    assert open_register(workspace.register_path).entries() == []
    made = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path / "ok")
    assert made.nomor == "000.8.3.3/1/Diskominfotik-2026"


def test_unknown_roles_are_all_reported_before_a_number_is_taken(workspace, nota_dinas_data,
                                                                 tmp_path):
    nota_dinas_data["kepada"] = ["sekretaris", "kabid-keuangan"]
    nota_dinas_data["penandatangan"] = "kadis"
    with pytest.raises(RecordError) as info:
        make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path)
    problems = dict(info.value.problems)
    assert set(problems) == {"kepada[2]", "penandatangan.pejabat"}
    assert "unknown role 'kabid-keuangan'" in problems["kepada[2]"]
    assert "kepala-dinas" in problems["penandatangan.pejabat"]  # lists the known roles
    assert list(tmp_path.iterdir()) == []
    assert not workspace.register_path.exists()


@pytest.mark.parametrize(("ttd", "lines"), [
    ({"pejabat": "sekretaris", "an": "kepala-dinas"},
     ["a.n. Kepala Dinas Komunikasi, Informatika dan Statistik", "Sekretaris,",
      "HENDRA SAPUTRA, S.E., M.M.", "Pembina Tingkat I (IV/b)", "NIP 19700512 199503 1 002"]),
    ({"pejabat": "kabid-aptika", "an": "kepala-dinas", "ub": "sekretaris"},
     ["a.n. Kepala Dinas Komunikasi, Informatika dan Statistik", "Sekretaris", "u.b.",
      "Kepala Bidang Aplikasi Informatika,", "RINA MARLINA, S.Kom., M.T."]),
    ({"pejabat": "sekretaris", "plt": "kepala-dinas"},
     ["Plt. Kepala Dinas Komunikasi, Informatika dan Statistik", "Sekretaris,"]),
    ({"pejabat": "sekretaris", "plh": "Kepala Dinas"}, ["Plh. Kepala Dinas", "Sekretaris,"]),
    ({"pejabat": {"nama": "Ir. BUDI O'NEIL", "jabatan": "Konsultan"}},
     ["Konsultan,", "Ir. BUDI O'NEIL"]),
])
def test_signature_capacities(workspace, nota_dinas_data, tmp_path, ttd, lines):
    nota_dinas_data["penandatangan"] = ttd
    made = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path, konsep=True)
    paragraphs = [p for p in docx_paragraphs(made.paths[0]) if p]  # drop the signing space
    start = len(paragraphs) - 1 - paragraphs[::-1].index(lines[0])  # the signature, not Dari
    assert paragraphs[start:start + len(lines)] == lines
    assert " ".join(lines) in pdf_text(made.paths[1])


def test_long_body_flows_onto_numbered_pages(workspace, nota_dinas_data, tmp_path):
    nota_dinas_data["isi"] = [f"Paragraf ke-{i}. " + "Isi nota dinas yang panjang. " * 12
                              for i in range(1, 41)]
    made = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path, fmt="pdf")
    pages = pdf_pages(made.paths[0])
    assert len(pages) >= 3
    assert "PEMERINTAH PROVINSI SUMATERA BARAT" in pages[0]
    assert "- 1 -" not in pages[0]
    for number, page in enumerate(pages[1:], 2):
        assert f"- {number} -" in page
        assert "PEMERINTAH PROVINSI" not in page
    last = squash(pages[-1])
    assert "Paragraf ke-40." in last and "Drs. JASMAN, MM" in last  # signature kept with it


def test_same_input_gives_identical_bytes(workspace, nota_dinas_data, tmp_path):
    a = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path / "a",
                      konsep=True)
    b = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path / "b",
                      konsep=True)
    for x, y in zip(a.paths, b.paths, strict=True):
        assert x.read_bytes() == y.read_bytes()


def test_a4_paper(workspace, nota_dinas_data, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    a4 = type(workspace)(workspace.office.model_copy(update={"kertas": "A4"}), tmp_path, None)
    made = make_document("nota-dinas", nota_dinas_data, a4, out_dir=tmp_path, konsep=True)
    section = Document(str(made.paths[0])).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    box = PdfReader(str(made.paths[1])).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


@pytest.mark.parametrize(("layout", "check"), [
    ({"nomor_nota_dinas": "label"}, lambda t: "Nomor : 000.8.3.3/" in t and "NOMOR" not in t),
    ({"tembusan_nota_dinas": "kaki"}, lambda t: "Tembusan: Kepala Dinas" in t),
    ({"label_nip": "Nip."}, lambda t: "Nip. 19680101 198809 1 001" in t),
])
def test_layout_choices_of_the_profile(workspace, nota_dinas_data, tmp_path, layout, check):
    office = workspace.office
    office = office.model_copy(update={
        "tata_letak": office.tata_letak.model_copy(update=layout)})
    ws = type(workspace)(office, tmp_path, None)
    nota_dinas_data["tembusan"] = ["kepala-dinas"]
    made = make_document("nota-dinas", nota_dinas_data, ws, out_dir=tmp_path, konsep=True)
    assert check(docx_text(made.paths[0]).replace("\t", " ").replace(" :", " :"))
    assert check(pdf_text(made.paths[1]))


# Text a person may type: letters of Latin scripts with accents, Greek, Cyrillic, the
# characters XML and Jinja care about, quotes and apostrophes.
TYPED = st.text(
    st.sampled_from(list("AaZzÉéñÑçÇøØåÅşŞğĞ'’\"“”&<>{}%#/\\-.,;:()[]!? ")
                    + list("αβγΩДжЯ") + [chr(c) for c in range(0x41, 0x5B)]),
    min_size=1, max_size=40,
).map(lambda s: " ".join(s.split())).filter(bool)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hal=TYPED, paragraph=TYPED, nama=TYPED,
       # lower-case words with hyphens are role keys by design, not jabatan text
       jabatan=TYPED.filter(lambda s: not ROLE_KEY.fullmatch(s)))
def test_any_typed_text_survives_docx_and_pdf(workspace, nota_dinas_data, hal, paragraph,
                                              nama, jabatan):
    nota_dinas_data.update(hal=hal, isi=[paragraph], kepada=[jabatan],
                           penandatangan={"pejabat": {"nama": nama, "jabatan": "Kepala"}})
    kind = kind_of("nota-dinas")
    record = validate(kind.model, nota_dinas_data, "x")
    view = build_view(kind, record, workspace, konsep=True, source="x")
    from datetime import datetime

    blobs = render(kind, view, workspace, ("docx", "pdf"), datetime(2026, 11, 22)).blobs
    docx = docx_paragraphs(blobs["docx"])
    pdf = pdf_text(blobs["pdf"]).replace(" ", "")
    for value in (hal, paragraph, nama, jabatan):
        assert any(value in p for p in docx), value
        assert value.replace(" ", "") in pdf, value
