"""Where things stand on the page, read back from the PDF (pdfplumber: words with x0/top) and,
for the DOCX, from LibreOffice's PDF of it: the title and NOMOR, signatures on the page of the
text they close, no Python value printed, hanging jabatan, the place-and-date line, laporan
headings; and the rules that keep a document from being signed wrong (NIP, Dari)."""

from __future__ import annotations

import contextlib
import copy
import itertools
import os
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest
import yaml

from conftest import SAMPLES, docx_paragraphs, pdf_text, squash
from sopdocs.errors import RecordError
from sopdocs.registry import open_register
from sopdocs.service import make_document
from sopdocs.sop.catalogue import catalogue
from sopdocs.sop.fakta import as_text, enumeration
from sopdocs.sop.steps import open_case, run_step

MM = 72 / 25.4
#: The text frame of every page: 20 mm from the top, 25 mm from the bottom (the seal and its
#: caption sit below it, the page number "- 2 -" above it).
TOP, BOTTOM = 20 * MM, 25 * MM
MINE = ("nota-dinas", "berita-acara", "laporan", "surat")


def sample(kind: str) -> dict:
    return yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text())


@dataclass(frozen=True)
class Line:
    """A printed line: its page (from 1), its top, the x of its first word, its text."""

    page: int
    top: float
    x0: float
    text: str
    words: tuple[dict, ...]


def lines_of(pdf: Path, body_only: bool = True) -> list[Line]:
    """Every line of text in the PDF, page by page, top to bottom; words whose tops are
    within 2 pt are one line. ``body_only`` keeps the text frame (no page number, no seal)."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
            if body_only:
                words = [w for w in words
                         if w["top"] >= TOP - 2 and w["bottom"] <= page.height - BOTTOM + 2]
            words.sort(key=lambda w: (round(w["top"]), w["x0"]))
            current: list[dict] = []
            for word in words:
                if current and abs(word["top"] - current[0]["top"]) > 2:
                    out.append(_line(number, current))
                    current = []
                current.append(word)
            if current:
                out.append(_line(number, current))
    return out


def _line(page: int, words: list[dict]) -> Line:
    words = sorted(words, key=lambda w: w["x0"])
    return Line(page, words[0]["top"], words[0]["x0"], " ".join(w["text"] for w in words),
                tuple(words))


def page_of(lines: list[Line], text: str, last: bool = False) -> int:
    """The page of the (first or last) line holding ``text``."""
    found = [line.page for line in lines if text in line.text]
    assert found, f"{text!r} is not printed"
    return found[-1] if last else found[0]


def make(workspace, tmp_path, kind, data, name="doc", fmt="pdf"):
    return make_document(kind, data, workspace, out_dir=tmp_path / name, fmt=fmt)


# ------------------------------------------------------------------------------ the title

TITLES = {"nota-dinas": "NOTA DINAS", "berita-acara": "BERITA ACARA", "laporan": "LAPORAN"}


@pytest.mark.parametrize("kind", list(TITLES))
def test_nomor_stands_directly_under_the_title(workspace, tmp_path, kind):
    made = make(workspace, tmp_path, kind, sample(kind), fmt="both")
    docx, pdf = made.paths
    lines = lines_of(pdf)
    at = next(i for i, line in enumerate(lines) if line.text == TITLES[kind])
    assert lines[at + 1].text == f"NOMOR {made.nomor}"
    assert lines[at + 1].top - lines[at].top < 20  # the next line, no gap
    paragraphs = [p for p in docx_paragraphs(docx) if p.strip()]
    at = paragraphs.index(TITLES[kind])
    assert paragraphs[at + 1] == f"NOMOR {made.nomor}"
    if kind != "nota-dinas":  # then TENTANG and the subject
        assert [line.text for line in lines_of(pdf)[:12]].index("TENTANG") > 0
        assert paragraphs[at + 2] == "TENTANG"


# ------------------------------------------------------- signatures stay with what they close

def _longer(kind: str, n: int) -> dict:
    """The sample with ``n`` more lines of body, so that page breaks fall everywhere."""
    data = copy.deepcopy(sample(kind))
    extra = [f"Uraian tambahan ke-{i} tentang pelaksanaan kegiatan yang perlu dicatat dengan "
             "lengkap dalam naskah ini." for i in range(1, n + 1)]
    if kind == "berita-acara":
        data["isi"] = [*data["isi"][:-1], *extra, data["isi"][-1]]
    elif kind == "laporan":
        data["hasil"] = [*data["hasil"], *extra]
    else:
        data["isi"] = [*extra, *data["isi"]]
    return data


#: What closes each kind (the last words of its closing text) and who signs it.
CLOSES = {
    "nota-dinas": ("diucapkan terima", ["Drs. JASMAN, MM"]),
    "surat": ("diucapkan terima", ["HENDRA SAPUTRA, S.E., M.M."]),
    "laporan": ("menjadi bahan pertimbangan.", ["DEDI KURNIAWAN, S.T."]),
    "berita-acara": ("mestinya.", ["Ir. BUDI SANTOSO, M.Kom.", "FAJAR HIDAYAT, S.T.",
                                   "Mengetahui,", "RINA MARLINA, S.Kom., M.T."]),
}


@pytest.mark.parametrize("kind", MINE)
def test_signatures_stand_on_the_page_of_the_text_they_close(workspace, tmp_path, kind):
    closing, signers = CLOSES[kind]
    pages = set()
    for n in range(0, 36, 3):
        lines = lines_of(make(workspace, tmp_path, kind, _longer(kind, n), f"n{n}").paths[0])
        page = page_of(lines, closing, last=True)
        for signer in signers:
            assert page_of(lines, signer, last=True) == page, (kind, n, signer)
        if kind == "berita-acara":  # and a point of what is signed, not the formula alone
            assert page_of(lines, "Pemeliharaan isi dan keamanan") == page, n
        pages.add(lines[-1].page)
    assert len(pages) > 1  # the cases did break across pages


# ------------------------------------------------------------------ no Python value printed

def _no_repr(pdf: Path) -> None:
    """No line of the text starts as a Python value does, and no date is written ISO-style
    (the seal's caption under the frame is machine-readable on purpose: not checked)."""
    lines = lines_of(pdf)
    for line in lines:
        assert not line.text.startswith(("[", "'", '"', "{")), line.text
    text = " ".join(line.text for line in lines)
    for mark in ("['", "']", "datetime.", "2026-11-", "None", "True", "False"):
        assert mark not in text, mark


@pytest.mark.parametrize("kind", MINE)
def test_no_line_prints_a_python_value(workspace, tmp_path, kind):
    _no_repr(make(workspace, tmp_path, kind, sample(kind)).paths[0])


# ------------------------------------------------------ a long jabatan hangs under its text

LONG = ("Kepala Bidang Pengelolaan Aplikasi Informatika, Persandian dan Statistik Sektoral "
        "pada Dinas Komunikasi, Informatika dan Statistik")


def _hangs(lines: list[Line], first_word: str, label: str) -> None:
    """The line that starts the value ``first_word`` … and the next line start at the same x,
    right of the colon of ``label``."""
    at = next(i for i, line in enumerate(lines)
              if any(w["text"] == first_word for w in line.words) and
              line.words[0]["text"] in (label, "2.", "1."))
    line = lines[at]
    colon = next(w for w in line.words if w["text"] == ":") if line.words[0]["text"] == label \
        else None
    text_x = next(w["x0"] for w in line.words if w["text"] == first_word)
    following = lines[at + 1]
    assert abs(following.x0 - text_x) < 1.5, (line.text, following.text)
    if colon is not None:
        assert following.x0 > colon["x1"] + 2


@pytest.mark.parametrize("kepada", [[LONG], ["sekretaris", LONG]])
def test_a_long_jabatan_wraps_under_its_own_text(workspace, tmp_path, kepada):
    data = {**sample("nota-dinas"), "kepada": kepada, "dari": "kepala-dinas",
            "penandatangan": {"pejabat": "kabid-aptika", "an": "kepala-dinas"}}
    lines = lines_of(make(workspace, tmp_path, "nota-dinas", data).paths[0])
    if len(kepada) == 1:
        _hangs(lines, "Kepala", "Yth.")
    else:
        second = next(i for i, line in enumerate(lines) if line.text.startswith("2. Kepala"))
        number_x, text_x = lines[second].words[0]["x0"], lines[second].words[1]["x0"]
        assert abs(lines[second + 1].x0 - text_x) < 1.5 and lines[second + 1].x0 > number_x


# --------------------------------------------------------- the place-and-date line is one line

@pytest.mark.parametrize("kind", ["surat", "laporan"])
@pytest.mark.parametrize("tempat", ["Padang", "Padang Panjang", "Lubuk Sikaping",
                                    "Kepulauan Mentawai"])
def test_the_place_and_date_line_never_wraps(workspace, tmp_path, kind, tempat):
    data = {**sample(kind), "tempat": tempat, "tanggal": "31 Agustus 2026"}
    lines = lines_of(make(workspace, tmp_path, kind, data).paths[0])
    dated = [line for line in lines if "Agustus" in line.text]
    assert len(dated) == 1 and f"{tempat}, 31 Agustus 2026" in dated[0].text, dated
    right = max(w["x1"] for w in dated[0].words)
    assert right <= (215 - 20) * MM + 1  # within the right margin
    if kind == "surat":  # on the Nomor line, its right end at the margin
        assert dated[0].text.startswith("Nomor") and right > (215 - 20) * MM - 3


def test_a_place_too_long_for_one_line_is_refused(workspace, tmp_path):
    data = {**sample("surat"), "tempat": "Jalan Jenderal Sudirman Nomor 51, Kota Padang"}
    with pytest.raises(RecordError) as info:
        make(workspace, tmp_path, "surat", data)
    problems = dict(info.value.problems)
    assert problems["tempat"].startswith("'Jalan Jenderal Sudirman Nomor 51, Kota Padang, ")
    assert "does not fit on one line even at 8 pt: write the place only" in problems["tempat"]


# ----------------------------------------------------------- laporan: headings are never last

HEADINGS = ("A. Pendahuluan", "1. Umum", "2. Maksud dan Tujuan", "3. Ruang Lingkup", "4. Dasar",
            "B. Kegiatan yang Dilaksanakan", "C. Hasil yang Dicapai", "D. Simpulan dan Saran",
            "E. Penutup", "Rekapitulasi Hasil Monitoring", "No. Perangkat")


def _laporan(n: int) -> dict:
    """The sample laporan with its first sections ``n`` sentences longer: the page break
    moves down the document line by line."""
    data = copy.deepcopy(sample("laporan"))
    sentence = "Kalimat tambahan ini memperpanjang uraian agar batas halaman bergeser. "
    data["pendahuluan"]["umum"] += " " + sentence * n
    return data


def _headings_are_never_last(pdf: Path) -> list[int]:
    lines = lines_of(pdf)
    last = {}
    for line in lines:
        last[line.page] = line
    for page, line in last.items():
        if page < max(last):
            assert not line.text.startswith(HEADINGS), (page, line.text)
    return sorted(last)


def test_laporan_headings_are_never_the_last_line_of_a_page(workspace, tmp_path):
    for n in range(0, 44, 2):
        pdf = make(workspace, tmp_path, "laporan", _laporan(n), f"n{n}").paths[0]
        _headings_are_never_last(pdf)
        lines = lines_of(pdf)
        # the lettered sections' points: 1. … under A., the dasar a., b. under 4.
        assert any(line.text.startswith("a. Undang-Undang Nomor 14") for line in lines)
        assert any(line.text.startswith("b. Peraturan Gubernur") for line in lines)


def test_list_levels_follow_the_tata_naskah():
    from sopdocs.view import marker, numbered

    assert [marker(level, 3) for level in (1, 2, 3, 4)] == ["3.", "c.", "3)", "c)"]
    assert marker(2, 27) == "aa."
    assert numbered(["x", "y"], level=2) == [{"no": "a.", "teks": "x"}, {"no": "b.", "teks": "y"}]
    assert numbered(["x"], level=2) == [{"no": "", "teks": "x"}]


# ------------------------------------------------------------------------ DOCX, through LO

@pytest.fixture(scope="module")
def libreoffice_pdfs(tmp_path_factory):
    """DOCX of the title, long-jabatan, place and laporan cases, as LibreOffice prints them."""
    from test_readers import need

    from sopdocs.office import Workspace, data_path, load_office

    soffice = need("soffice")
    folder = tmp_path_factory.mktemp("layout-lo")
    ws = Workspace(load_office(data_path("office-sample.yaml")).office, folder, None)
    cases = {f"{kind}-sample": (kind, sample(kind)) for kind in TITLES}
    cases["nota-dinas-long"] = ("nota-dinas", {**sample("nota-dinas"), "kepada": [LONG]})
    cases["surat-mentawai"] = ("surat", {**sample("surat"), "tempat": "Kepulauan Mentawai",
                                         "tanggal": "31 Agustus 2026"})
    for n in range(0, 44, 6):
        cases[f"laporan-{n}"] = ("laporan", _laporan(n))
    docx = {}
    for name, (kind, data) in cases.items():
        made = make_document(kind, data, ws, out_dir=folder / name, fmt="docx", konsep=True)
        docx[name] = made.paths[0]
    # Word prints Arial; LibreOffice finds Arial's metric twin, Liberation Sans (the font the
    # PDF embeds), when fontconfig knows it: give it the package's copy, whatever is installed.
    fonts = folder / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{data_path('fonts')}</dir><cachedir>{folder}/fc-cache</cachedir></fontconfig>")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(folder / "lo"),
                    *map(str, docx.values())], check=True, capture_output=True, timeout=300,
                   env={**os.environ, "FONTCONFIG_FILE": str(fonts)})
    return {name: folder / "lo" / path.with_suffix(".pdf").name for name, path in docx.items()}


@pytest.mark.slow
def test_docx_layout_as_libreoffice_prints_it(libreoffice_pdfs):
    for kind, title in TITLES.items():
        lines = lines_of(libreoffice_pdfs[f"{kind}-sample"])
        at = next(i for i, line in enumerate(lines) if line.text == title)
        assert lines[at + 1].text.startswith("NOMOR "), kind
    _hangs(lines_of(libreoffice_pdfs["nota-dinas-long"]), "Kepala", "Yth.")
    mentawai = lines_of(libreoffice_pdfs["surat-mentawai"])
    dated = [line for line in mentawai if "Agustus" in line.text]
    assert len(dated) == 1 and "Kepulauan Mentawai, 31 Agustus 2026" in dated[0].text
    for name, pdf in libreoffice_pdfs.items():
        if name.startswith("laporan-"):
            _headings_are_never_last(pdf)
            lines = lines_of(pdf)
            assert page_of(lines, "DEDI KURNIAWAN", last=True) == page_of(
                lines, "menjadi bahan pertimbangan.", last=True), name


# ------------------------------------------------------------------------- the NIP of a party

def test_a_pns_party_written_out_needs_a_nip(workspace, tmp_path):
    data = sample("berita-acara")
    party = {k: v for k, v in data["pihak_kedua"].items() if k not in ("nip", "golongan")}
    with pytest.raises(RecordError) as info:
        make(workspace, tmp_path, "berita-acara", {**data, "pihak_kedua": party})
    assert dict(info.value.problems) == {"pihak_kedua.nip": (
        "a PNS party needs a NIP; for a party outside the civil service give identitas "
        "(NIK …) instead")}
    with pytest.raises(RecordError) as info:  # a golongan is a PNS's
        make(workspace, tmp_path, "berita-acara",
             {**data, "pihak_pertama": {**party, "golongan": "III/a", "identitas": "NIK 1"},
              "pihak_kedua": party})
    assert dict(info.value.problems)["pihak_pertama.nip"] == (
        "golongan III/a is a PNS golongan: give the NIP of a PNS party")
    assert not workspace.register_path.exists()  # refused before a number is taken
    vendor = {**party, "identitas": "NIK 1371021505900003"}
    made = make(workspace, tmp_path, "berita-acara", {**data, "pihak_kedua": vendor}, "ok")
    text = squash(pdf_text(made.paths[0]))
    assert "Identitas : NIK 1371021505900003" in text.replace(" :", " :")
    assert "NIK 1371021505900003" in text.split("PIHAK KEDUA,")[-1]  # under the signature


# ------------------------------------------------------------------------- Dari and the signer

def test_dari_names_the_signer_or_whom_the_signer_signs_for(workspace, tmp_path):
    data = sample("nota-dinas")
    with pytest.raises(RecordError) as info:
        make(workspace, tmp_path, "nota-dinas", {**data, "dari": "sekretaris"})
    assert dict(info.value.problems) == {"dari": (
        "'Sekretaris' is another official than the signer, Drs. JASMAN, MM (Kepala Dinas "
        "Komunikasi, Informatika dan Statistik): leave dari out, or let the signer sign a.n., "
        "Plt. or Plh. Sekretaris (penandatangan: an / plt / plh)")}
    plt = {"pejabat": "sekretaris", "plt": "kepala-dinas"}
    with pytest.raises(RecordError) as info:  # a Plt. signs for the position, not as himself
        make(workspace, tmp_path, "nota-dinas", {**data, "dari": "sekretaris",
                                                 "penandatangan": plt})
    assert "signs for as Plt. Kepala Dinas Komunikasi" in dict(info.value.problems)["dari"]
    an = {"pejabat": "sekretaris", "an": "kepala-dinas"}
    for n, (dari, ttd, printed) in enumerate([
            ("kepala-dinas", an, "Dari : Kepala Dinas Komunikasi, Informatika dan Statistik"),
            (None, an, "Dari : Sekretaris"),
            ("Sekretaris", an, "Dari : Sekretaris"),
            ("kepala-dinas", plt, "Dari : Plt. Kepala Dinas Komunikasi, Informatika dan"),
            (None, plt, "Dari : Plt. Kepala Dinas Komunikasi, Informatika dan"),
            ("Plt. Kepala Dinas Komunikasi, Informatika dan Statistik", plt,
             "Dari : Plt. Kepala Dinas Komunikasi, Informatika dan")]):
        record = {**data, "penandatangan": ttd} | ({"dari": dari} if dari else {})
        made = make(workspace, tmp_path, "nota-dinas", record, f"ok{n}", fmt="both")
        docx, pdf = made.paths
        assert printed in squash(pdf_text(pdf)).replace(" :", " :"), (dari, ttd)
        if ttd is plt:  # "Plt. …" alike in Dari and in the signature, in both formats
            paragraphs = [p for p in docx_paragraphs(docx) if p.strip()]
            acting = "Plt. Kepala Dinas Komunikasi, Informatika dan Statistik"
            assert paragraphs.count(acting) == 2, paragraphs


# ----------------------------------------------------------------------- facts written as text

@pytest.mark.parametrize(("value", "text"), [
    ("surat kuasa PIC", "surat kuasa PIC"),
    (["surat kuasa PIC"], "surat kuasa PIC"),
    (["surat kuasa PIC", "formulir"], "surat kuasa PIC dan formulir"),
    (["a", "b", "c"], "a, b, dan c"),
    (date(2026, 11, 18), "18 November 2026"),
    ("2026-11-18", "18 November 2026"),  # a date as the register keeps a case's facts
    ("2026-02-30", "2026-02-30"),  # no date: as given
    (datetime(2026, 11, 18, 9, 30), "18 November 2026"),
    ([date(2026, 11, 18), date(2026, 11, 20)], "18 November 2026 dan 20 November 2026"),
    (12, "12"), (2026, "2026"), (2.5, "2,5"), (4.0, "4"), (True, "ya"), (False, "tidak"),
    (None, ""), ([], ""), (["", "a"], "a"),
])
def test_as_text_writes_a_fact_as_an_official_would(value, text):
    assert as_text(value) == text


def test_enumeration_is_indonesian():
    assert enumeration(["Sekretaris", "Kabid", "Koordinator", "Helpdesk"]) == \
        "Sekretaris, Kabid, Koordinator, dan Helpdesk"


# ------------------------------------------------------------ hosting step 4 (decision: tidak)

def test_hosting_step_4_asks_the_opd_for_what_is_missing_in_words(workspace, tmp_path):
    sop = catalogue(workspace)["hosting"]
    facts = yaml.safe_load((SAMPLES / "kasus-hosting.yaml").read_text())
    facts["surat_tanggal"] = date(2026, 11, 18)  # a YAML date, as a clerk may type it
    case = open_case(workspace, sop, facts, now=datetime(2026, 11, 23, 8, 0))
    for no in (1, 2, 3):
        case = run_step(workspace, sop, no, case_id=case.id, out_dir=tmp_path,
                        now=datetime(2026, 11, 23, 8, no)).case
    missing = ["surat kuasa PIC", "formulir permintaan hosting",
               "dokumen spesifikasi teknis aplikasi"]
    result = run_step(workspace, sop, 4, decision="tidak", case_id=case.id, out_dir=tmp_path,
                      data={"fakta": {"kekurangan": missing}},
                      now=datetime(2026, 11, 23, 8, 10))
    letter, = result.made
    docx, pdf = letter.paths
    for text in (squash(pdf_text(pdf)).replace(" :", " :"),
                 squash(" ".join(docx_paragraphs(docx)))):
        assert "Hal : Permintaan Kelengkapan Dokumen dan Persyaratan Hosting Aplikasi PPDB" \
            in text.replace("\t", " ")
        assert ("Menindaklanjuti surat Saudara Nomor 421/1873/Disdik-2026 tanggal 18 November "
                "2026 hal Permintaan Hosting Aplikasi PPDB") in text
        assert ("belum lengkap, yaitu surat kuasa PIC, formulir permintaan hosting, dan "
                "dokumen spesifikasi teknis aplikasi.") in text
        assert "Yth. Kepala Dinas Pendidikan Provinsi Sumatera Barat" in text.replace("\t", " ")
    _no_repr(pdf)
    entry, = [e for e in open_register(workspace.register_path).entries()
              if e.nomor == letter.nomor]
    assert (entry.kind, entry.hal) == (
        "surat", "Permintaan Kelengkapan Dokumen dan Persyaratan Hosting Aplikasi PPDB")
    assert letter.nomor == "555/1/Diskominfotik-2026"
    assert result.case.next_step == 4


def test_the_laporan_table_has_the_same_columns_in_docx_and_pdf(workspace, tmp_path):
    """Word would print the template's looped columns equally wide ("No." as wide as the
    names); the DOCX gets the PDF's widths, and no row breaks across pages."""
    import docx

    made = make_document("laporan", sample("laporan"), workspace, out_dir=tmp_path)
    document = docx.Document(str(made.paths[0]))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "No.")
    docx_widths = [round(c.width.pt) for c in table.rows[0].cells]
    assert len(table._tbl.tblGrid.gridCol_lst) == 6
    assert docx_widths[0] < 40 < docx_widths[1]  # "No." narrow, the names get room
    with pdfplumber.open(made.paths[1]) as pdf:
        page = next(pg for pg in pdf.pages if "Rekapitulasi Hasil Monitoring" in pg.extract_text())
        table = page.find_tables()[0]
        edges = sorted({round(x, 1) for cell in table.cells for x in (cell[0], cell[2])})
    pdf_widths = [b - a for a, b in itertools.pairwise(edges)]
    assert pdf_widths == pytest.approx(docx_widths, abs=1)
    rows = next(t for t in document.tables if t.rows[0].cells[0].text == "No.").rows
    assert all(r._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None
        for r in rows[1:])


def test_the_tte_variant_of_the_docx_is_ready_for_srikandi(workspace, tmp_path):
    """With --tte the DOCX says "Ditandatangani secara elektronik oleh:" over the jabatan and
    holds SRIKANDI's ${ttd_pengirim} tag where the mark goes, with the profile's footer on
    every page; without it, the blank lines of a wet signature and no footer."""
    import docx

    from sopdocs.render.ttd import electronic

    def signature_and_footer(folder, tte):
        with electronic(workspace.office.tte.footer) if tte else contextlib.nullcontext():
            made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=folder)
        document = docx.Document(str(made.paths[0]))
        cell = document.tables[-1].rows[0].cells[1]
        footers = {p.text for s in document.sections
                   for f in (s.footer, s.first_page_footer) for p in f.paragraphs}
        return [p.text for p in cell.paragraphs], footers

    lines, footers = signature_and_footer(tmp_path / "tte", tte=True)
    jabatan = lines.index("Kepala Dinas Komunikasi, Informatika dan Statistik,")
    assert lines[jabatan - 1] == "Ditandatangani secara elektronik oleh:"
    assert lines[jabatan + 1:jabatan + 5] == ["", "${ttd_pengirim}", "", "Drs. JASMAN, MM"]
    assert footers == {workspace.office.tte.footer}

    lines, footers = signature_and_footer(tmp_path / "basah", tte=False)
    assert "Ditandatangani secara elektronik oleh:" not in lines
    assert "${ttd_pengirim}" not in lines
    jabatan = lines.index("Kepala Dinas Komunikasi, Informatika dan Statistik,")
    assert lines[jabatan + 1:jabatan + 6] == ["", "", "", "", "Drs. JASMAN, MM"]
    assert footers == {""}
