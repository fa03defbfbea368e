"""The lembar disposisi is a form an official writes on: a ruled catatan box at least 50 mm
high, a place to initial and date, every typed word inside its cell, on ½ folio and ½ A4;
a batch leaves the date of the disposisi to the hand. Measured on the PDF with pdfplumber."""

from __future__ import annotations

import io
import itertools
import re
import subprocess

import pdfplumber
import pytest
import yaml

from conftest import SAMPLES, need, pdf_text
from sopdocs.batch import run_batch
from sopdocs.idn import BULAN, tanggal
from sopdocs.office import Workspace
from sopdocs.service import make_document
from sopdocs.summary import load

MM = 72 / 25.4
PAPERS = ("F4", "A4")
LONG = {
    "nomor_surat": "800.1.11.1/1873/SEKRETARIAT-DAERAH/BAG.ORGANISASI/TATALAKSANA/XI/2026",
    "hal": "Permohonan Hosting Aplikasi Penerimaan Peserta Didik Baru (PPDB) Tahun Ajaran "
           "2027/2028 beserta Subdomain dan Sertifikat SSL untuk Seluruh Satuan Pendidikan",
    "surat_dari": "Sekretariat Daerah Provinsi Sumatera Barat, Biro Organisasi dan Tata "
                  "Laksana",
}


def sample() -> dict:
    return yaml.safe_load((SAMPLES / "disposisi.yaml").read_text())


def on(workspace: Workspace, paper: str) -> Workspace:
    return Workspace(workspace.office.model_copy(update={"kertas": paper}), workspace.folder,
                     None)


def single(workspace: Workspace, paper: str, tmp_path, **changes) -> bytes:
    """The PDF of one sheet made with ``sopdocs disposisi --data`` on ``paper``."""
    made = make_document("disposisi", {**sample(), **changes}, on(workspace, paper),
                         out_dir=tmp_path / paper, fmt="pdf")
    return made.paths[0].read_bytes()


def page_of(pdf: bytes, index: int = 0):
    document = pdfplumber.open(io.BytesIO(pdf))
    return document, document.pages[index]


def word(page, text: str) -> dict:
    (found,) = [w for w in page.extract_words() if w["text"] == text]
    return found


def verticals(page) -> list[tuple[float, float, float]]:
    """(x, top, bottom) of every vertical edge of the grid: its lines and its rectangles'
    sides (the QR seal's modules are rectangles too, but lie outside the grid)."""
    edges = [(line["x0"], line["top"], line["bottom"]) for line in page.lines
             if abs(line["x0"] - line["x1"]) < 0.1]
    for rect in page.rects:
        if rect["height"] > 20 * MM:
            edges += [(rect["x0"], rect["top"], rect["bottom"]),
                      (rect["x1"], rect["top"], rect["bottom"])]
    return edges


def catatan_box(page) -> tuple[float, float, float, float]:
    """The catatan box (x0, top, x1, bottom): the vertical edge left of "Catatan:" that
    spans it, to the page's right edge of the grid."""
    label = word(page, "Catatan:")
    middle = (label["top"] + label["bottom"]) / 2
    edges = verticals(page)
    left = max((e for e in edges if e[0] <= label["x0"] and e[1] <= middle <= e[2]),
               key=lambda e: e[0])
    right = min((e for e in edges if e[0] >= label["x1"] and e[1] <= middle <= e[2]),
                key=lambda e: e[0])
    return left[0], left[1], right[0], left[2]


def rules_in(page, box) -> list[dict]:
    x0, top, x1, bottom = box
    return [line for line in page.lines
            if abs(line["top"] - line["bottom"]) < 0.1 and top + 1 < line["top"] < bottom - 1
            and line["x0"] >= x0 - 0.5 and line["x1"] <= x1 + 0.5
            and line["x1"] - line["x0"] > (x1 - x0) * 0.8]


@pytest.mark.parametrize("paper", PAPERS)
def test_the_catatan_box_is_ruled_and_at_least_50_mm_high(workspace, tmp_path, paper):
    for pdf in (single(workspace, paper, tmp_path),
                single(workspace, paper, tmp_path / "long", **LONG)):
        document, page = page_of(pdf)
        with document:
            box = catatan_box(page)
            assert (box[3] - box[1]) / MM >= 50, box
            rules = rules_in(page, box)
            assert len(rules) >= 5
            gaps = [b["top"] - a["top"] for a, b in itertools.pairwise(rules)]
            assert all(6.5 * MM <= g <= 8 * MM for g in gaps), gaps
            # the typed catatan sits on the rules, inside the box
            typed = [w for w in page.extract_words() if w["text"] in ("Mohon", "hari")]
            assert len(typed) == 2
            for w in typed:
                assert box[0] < w["x0"] and w["x1"] < box[2] and box[1] < w["top"]
                assert any(0 <= r["top"] - w["bottom"] <= 2 for r in rules), w


@pytest.mark.parametrize("paper", PAPERS)
def test_every_word_lies_in_the_page_and_in_its_cell(workspace, tmp_path, paper):
    pdf = single(workspace, paper, tmp_path, **LONG)
    text = pdf_text(pdf).replace(" ", "")
    for value in LONG.values():
        assert value.replace(" ", "") in text  # every character printed, in order
    document, page = page_of(pdf)
    with document:
        edges = verticals(page)
        grid_top = min(e[1] for e in edges)
        grid_bottom = max(e[2] for e in edges)
        words = page.extract_words()
        for w in words:
            assert w["x0"] >= 0 and w["x1"] <= page.width, w
            assert w["top"] >= 0 and w["bottom"] <= page.height, w
            middle = (w["top"] + w["bottom"]) / 2
            if not grid_top < middle < grid_bottom:
                continue
            around = [e[0] for e in edges if e[1] <= middle <= e[2]]
            left = max(x for x in around if x <= w["x0"] + 0.01)
            right = min(x for x in around if x > left)
            assert w["x1"] <= right - 0.5, (w["text"], w["x1"] / MM, right / MM)
            assert w["x0"] >= left + 0.5, (w["text"], w["x0"] / MM, left / MM)
        # the signature and the seal stay clear of the grid, 4 mm and more from the edges
        below = [w for w in words if w["top"] > grid_bottom]
        assert below and all(w["bottom"] <= page.height - 4 * MM for w in below)
        # the long nomor surat wrapped inside the left half, at its slashes or dots
        nomor = [w["text"] for w in words if len(w["text"]) > 8
                 and w["text"] in LONG["nomor_surat"]]
        assert len(nomor) >= 2 and "".join(nomor) == LONG["nomor_surat"]
        assert all(part[-1] in "/.-" for part in nomor[:-1]), nomor


def signature_line(page) -> str:
    """The line of the signature block that names the place: "Padang, …"."""
    place = word(page, "Padang,")
    return " ".join(w["text"] for w in page.extract_words()
                    if abs(w["top"] - place["top"]) < 2 and w["x0"] >= place["x0"])


def test_a_batch_leaves_the_date_of_the_disposisi_to_the_hand(workspace, tmp_path):
    result = run_batch(SAMPLES / "agenda.xlsx", workspace, out_dir=tmp_path / "out",
                       per_page=2)
    months = "|".join(BULAN[1:])
    document = pdfplumber.open(result.paths[0])
    with document:
        for page in document.pages[:3]:
            places = [w for w in page.extract_words() if w["text"] == "Padang,"]
            assert len(places) == 2  # two sheets a page
            for place in places:
                line = " ".join(w["text"] for w in page.extract_words()
                                if abs(w["top"] - place["top"]) < 2)
                assert re.fullmatch(r"Padang, \.{20,}", line), line
            # the day the letter was received is printed where the form asks for it
            received = re.findall(rf"Diterima Tgl\. ?: \d+ (?:{months}) 2026",
                                  page.extract_text())
            assert len(received) == 2
    # the register still dates every sheet the day its letter was received
    assert all(tanggal(load(s.entry.summary_json).tanggal) == s.view["diterima_tanggal"]
               for s in result.sheets)


def test_a_single_sheet_prints_the_date_it_is_given(workspace, tmp_path):
    document, page = page_of(single(workspace, "F4", tmp_path))
    with document:
        assert signature_line(page) == "Padang, 20 November 2026"


@pytest.mark.parametrize("paper", PAPERS)
def test_there_is_room_to_initial_and_to_date(workspace, tmp_path, paper):
    document, page = page_of(single(workspace, paper, tmp_path))
    with document:
        label = word(page, "Paraf")
        name = word(page, "JASMAN,")
        jabatan = [w for w in page.extract_words() if w["text"] == "Statistik,"][-1]
        line = [ln for ln in page.lines if abs(ln["top"] - label["bottom"]) < 3
                and ln["x0"] >= label["x0"]]
        assert line and (line[0]["x1"] - line[0]["x0"]) / MM >= 25
        assert jabatan["bottom"] < label["top"] < name["top"]
        assert (label["top"] - jabatan["bottom"]) / MM >= 5  # room above the line to initial
    # the date's place on a batch sheet: a dotted blank of 25 mm and more after "Padang,"
    result = run_batch(SAMPLES / "agenda.xlsx", on(workspace, paper), out_dir=tmp_path / "b")
    document = pdfplumber.open(result.paths[0])
    with document:
        page = document.pages[0]
        place = word(page, "Padang,")
        (dots,) = [w for w in page.extract_words()
                   if abs(w["top"] - place["top"]) < 2 and w["x0"] > place["x1"]]
        assert set(dots["text"]) == {"."} and (dots["x1"] - dots["x0"]) / MM >= 25


@pytest.mark.parametrize("paper", PAPERS)
def test_the_whole_sample_agenda_fits_half_a_sheet(workspace, tmp_path, paper):
    result = run_batch(SAMPLES / "agenda.xlsx", on(workspace, paper), out_dir=tmp_path)
    assert (len(result.sheets), result.errors) == (25, [])


def test_the_sheet_keeps_room_for_the_seal_bottom_left(workspace, tmp_path):
    """The seal: its QR code the office's distance (10 mm) from the paper's left and bottom
    edges, its caption beside it, clear of the grid and of the signature, on both papers
    and whatever corner the office names (the signature takes the bottom right)."""
    segel = workspace.office.segel.model_copy(update={"posisi": "kanan-bawah"})
    right = Workspace(workspace.office.model_copy(update={"segel": segel}), workspace.folder,
                      None)
    for paper in PAPERS:
        for ws in (workspace, right):
            document, page = page_of(single(ws, paper, tmp_path / paper / segel.posisi))
            with document:
                modules = [r for r in page.rects if r["height"] < 5 * MM]
                assert modules
                left = min(r["x0"] for r in modules)
                top = min(r["top"] for r in modules)
                bottom = max(r["bottom"] for r in modules)
                assert abs(left / MM - 10) < 0.5 and abs((page.height - bottom) / MM - 10) < 0.5
                grid_bottom = max(e[2] for e in verticals(page))
                assert top > grid_bottom + 1 * MM
                assert_caption_clear_of_the_signature(page)
    result = run_batch(SAMPLES / "agenda.xlsx", workspace, out_dir=tmp_path / "b", per_page=2)
    document = pdfplumber.open(result.paths[0])
    with document:
        for page in document.pages[:2]:
            assert_caption_clear_of_the_signature(page)


def assert_caption_clear_of_the_signature(page) -> None:
    """Every character of every seal caption (6 pt) ends before the signature column (its
    "Padang," and the lines under it) starts, by 1 mm at least."""
    places = [w for w in page.extract_words() if w["text"] == "Padang,"]
    lines: dict[int, list[dict]] = {}
    for c in page.chars:
        if c["size"] < 6.5:
            lines.setdefault(round(c["top"]), []).append(c)
    caption = [line for line in lines.values()
               if re.search("sidik|segel", "".join(c["text"] for c in line))]
    text = " ".join("".join(c["text"] for c in line) for line in caption)
    assert text.count("segel dokumen, bukan tanda tangan") == len(places), text
    assert max(c["x1"] for line in caption for c in line) \
        < min(w["x0"] for w in places) - 1 * MM


# ------------------------------------------------------------------- the DOCX templates

@pytest.mark.slow
def test_libreoffice_opens_the_disposisi_docx_single_and_batch(workspace, tmp_path):
    soffice = need("soffice")
    single_docx = make_document("disposisi", sample(), workspace, out_dir=tmp_path / "one",
                                fmt="docx").paths[0]
    batch = run_batch(SAMPLES / "agenda.xlsx", workspace, out_dir=tmp_path / "batch",
                      docx=True)
    docs = [single_docx, batch.paths[1]]
    converted = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir", str(converted),
         *map(str, docs)],
        check=True, capture_output=True, timeout=300)
    one, many = (converted / d.with_suffix(".pdf").name for d in docs)
    with pdfplumber.open(one) as document:
        assert len(document.pages) == 1  # ½ folio: one sheet
        page = document.pages[0]
        text = page.extract_text()
        for expected in ("LEMBAR DISPOSISI", "Catatan:", "Paraf", "Padang, 20 November 2026",
                         "Drs. JASMAN, MM"):
            assert expected in text
        box = catatan_box(page)
        assert (box[3] - box[1]) / MM >= 48  # Word's and LibreOffice's rows differ a little
        dotted = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.1
                  and box[1] < ln["top"] < box[3] and box[0] <= ln["x0"] < ln["x1"] <= box[2]]
        dotted += [r for r in page.rects if r["height"] < 1 and box[1] < r["top"] < box[3]
                   and box[0] <= r["x0"] and r["x1"] <= box[2] and r["width"] > 20 * MM]
        assert len({round(d["top"]) for d in dotted}) >= 5
    with pdfplumber.open(many) as document:
        assert len(document.pages) == len(batch.sheets)
        text = document.pages[0].extract_text()
        assert "LEMBAR DISPOSISI" in text
        assert re.search(r"Padang, \.{20,}", text) and "Padang, 20 November" not in text
