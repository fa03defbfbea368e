"""The SOP form (issue 12): identity page with the profile's office and signer, flowchart
pages with the five symbols in each actor's column, read back from the PDF with pdfplumber;
the editable DOCX; independent readers accept both."""

from __future__ import annotations

import io
import re
import subprocess
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from conftest import docx_text, need, pdf_pages, squash
from sopdocs.errors import OfficeError
from sopdocs.office import Workspace, data_path, load_office
from sopdocs.render.fonts import BOLD, FONT, register_fonts
from sopdocs.sop.catalogue import builtin_sops, load_sop
from sopdocs.sop.form import LINE, fit, render_sop_form
from sopdocs.sop.form_docx import render_sop_form_docx
from sopdocs.sop.model import SOP

SOPS = builtin_sops()
SAMPLE = load_office(data_path("office-sample.yaml"))


def jumps() -> SOP:
    """An SOP that jumps: back on its page (5 → 2), forward over a step (8 → 10), back across
    a page (12 → 3), to "selesai" (8); three actors do step 10 together; long texts."""
    roles = ["Pemohon", "Petugas Loket", "Verifikator", "Kepala Seksi"]
    langkah = []
    for no in range(1, 15):
        langkah.append({
            "no": no, "kegiatan": f"Kegiatan nomor {no} " + "dengan uraian panjang " * (no % 3 * 6),
            "pelaksana": [roles[no * 3 % 4]], "kelengkapan": "Berkas permohonan",
            "waktu": "5 menit", "output": "Hasil"})
    langkah[4]["keputusan"] = {"ya": {"lanjut": 6}, "tidak": {"lanjut": 2}}
    langkah[7]["pelaksana"] = ["Verifikator"]
    langkah[7]["keputusan"] = {"ya": {"lanjut": 10}, "tidak": {"lanjut": "selesai"}}
    langkah[11]["keputusan"] = {"ya": {"lanjut": 13}, "tidak": {"lanjut": 3}}
    langkah[9]["pelaksana"] = [roles[0], roles[3], roles[1]]
    data = {"kunci": "lompatan", "nama": "Uji Lompatan", "instansi": "Dinas Uji",
            "peran": [{"nama": r} for r in roles], "langkah": langkah}
    return load_sop(yaml.safe_dump(data), "lompatan.yaml")


#: The five SOPs and one that jumps about, for the checks of the drawing.
CHARTS = {**SOPS, "lompatan": jumps()}
SIGNER = SAMPLE.office.pejabat["kepala-dinas"]
#: How far (pt) a drawn point may be from where a test expects it.
TOL = 0.6


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {key: render_sop_form(sop, SAMPLE) for key, sop in CHARTS.items()}


def second_office(tmp_path: Path, kertas: str = "F4") -> Workspace:
    """A copy of the sample profile with another instansi and another Kepala Dinas."""
    text = data_path("office-sample.yaml").read_text(encoding="utf-8")
    text = text.replace("instansi: DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK",
                        "instansi: DINAS KOMUNIKASI DAN INFORMATIKA", 1)
    text = text.replace("pemerintah: PEMERINTAH PROVINSI SUMATERA BARAT",
                        "pemerintah: PEMERINTAH KABUPATEN TANAH DATAR", 1)
    text = text.replace("nama: Drs. JASMAN, MM", "nama: Ir. SITI AMINAH, M.Si.", 1)
    text = text.replace("nip: 19680101 198809 1 001", "nip: 19750505 200003 2 002", 1)
    text = text.replace("kertas: F4", f"kertas: {kertas}", 1)
    path = tmp_path / "sopdocs.yaml"
    path.write_text(text, encoding="utf-8")
    return load_office(path)


# --- reading the flowchart back -------------------------------------------------------------


def expected_columns(sop: SOP, no: int) -> list[str]:
    """The roles a step is drawn under: its pelaksana that are roles, else its penerima."""
    roles = [r.nama for r in sop.peran]
    step = sop.step(no)
    return [a for a in step.pelaksana if a in roles] or [a for a in step.penerima
                                                          if a in roles]


def kind_of(shape: dict) -> str | None:
    """The symbol a closed, stroked, unfilled shape is, by its path: a rect is a process, a
    path with curves a capsule, four corners a diamond, five a pentagon."""
    if shape.get("fill") or not shape.get("stroke"):
        return None
    ops = [op[0] for op in shape["path"]]
    if ops[-1] != "h":
        return None
    if shape["object_type"] == "rect":
        return "process"
    if "c" in ops:
        return "terminator"
    corners = len(ops) - 1
    return {4: "decision", 5: "pentagon"}.get(corners)


class Chart:
    """One flowchart page read back: its actor columns (from the header's words and rules),
    its step rows, its symbols and its connectors."""

    def __init__(self, page: pdfplumber.page.Page, sop: SOP):
        self.page, self.sop = page, sop
        words = page.extract_words()
        self.words = words
        head = next(w for w in words if w["text"] == "Pelaksana")
        kegiatan = next(w for w in words if w["text"] == "Kegiatan")
        kelengkapan = next(w for w in words if w["text"] == "Kelengkapan")
        self.header_bottom = kelengkapan["bottom"]
        verticals = sorted({round(ln["x0"], 1) for ln in page.lines
                            if abs(ln["x0"] - ln["x1"]) < 0.01
                            and ln["top"] <= kelengkapan["top"] and ln["bottom"] >=
                            kelengkapan["bottom"]})
        inside = [x for x in verticals if kegiatan["x1"] < x < kelengkapan["x0"]]
        roles = [r.nama for r in sop.peran]
        assert len(inside) == len(roles) + 1, (inside, roles)
        self.columns = {role: (inside[i], inside[i + 1]) for i, role in enumerate(roles)}
        for role, (x0, x1) in self.columns.items():  # each role is named over its column
            first = role.split()[0]
            assert any(w["text"] == first and x0 <= (w["x0"] + w["x1"]) / 2 <= x1
                       and head["bottom"] < w["top"] < self.header_bottom + 1 for w in words), \
                f"{role} is not over its column"
        self.left, self.right = min(verticals), max(verticals)
        table_rules = sorted({round(ln["top"], 1) for ln in page.lines
                              if abs(ln["top"] - ln["bottom"]) < 0.01
                              and ln["x0"] <= self.left + 0.1 and ln["x1"] >= self.right - 0.1
                              and ln["top"] > self.header_bottom})
        no_column = verticals[1]  # the rule between No and Kegiatan
        self.rows: dict[int, tuple[float, float]] = {}
        for w in words:
            if w["text"].isdigit() and w["x1"] < no_column and w["top"] > \
                    self.header_bottom + 8:
                mid = (w["top"] + w["bottom"]) / 2
                above = max(y for y in table_rules if y < mid)
                below = min(y for y in table_rules if y > mid)
                self.rows[int(w["text"])] = (above, below)
        self.shapes = []
        for obj in [*page.rects, *page.curves]:
            kind = kind_of(obj)
            if kind and obj["top"] > self.header_bottom:
                self.shapes.append({**obj, "kind": kind,
                                    "cx": (obj["x0"] + obj["x1"]) / 2,
                                    "cy": (obj["top"] + obj["bottom"]) / 2})
        self.connectors = [obj for obj in [*page.lines, *page.curves]
                           if obj.get("stroke") and abs(obj.get("linewidth", 0) - LINE) < 0.01
                           and obj["path"][-1][0] != "h"]
        self.heads = [obj for obj in page.curves if obj.get("fill") and not obj.get("stroke")]

    def column_of(self, x: float) -> str | None:
        return next((r for r, (x0, x1) in self.columns.items() if x0 < x < x1), None)

    def symbols_in_row(self, no: int) -> list[dict]:
        top, bottom = self.rows[no]
        return [s for s in self.shapes if top < s["cy"] < bottom and s["kind"] != "pentagon"]

    def text_in(self, shape: dict) -> str:
        return " ".join(w["text"] for w in self.words
                        if shape["x0"] <= w["x0"] and w["x1"] <= shape["x1"]
                        and shape["top"] <= w["top"] and w["bottom"] <= shape["bottom"])

    def pentagons(self) -> list[dict]:
        return [s for s in self.shapes if s["kind"] == "pentagon"]

    def links(self, a: dict, b: dict) -> bool:
        """A connector starts on ``a``'s outline and ends, under an arrowhead, on ``b``'s."""
        for path in self.connectors:
            pts = [(x, y) for op in path["path"] for x, y in op[1:]]
            if on_outline(pts[0], a) and on_outline(pts[-1], b) and any(
                    h["x0"] - TOL <= pts[-1][0] <= h["x1"] + TOL
                    and h["top"] - TOL <= pts[-1][1] <= h["bottom"] + TOL for h in self.heads):
                return True
        return False


def on_outline(point: tuple[float, float], shape: dict) -> bool:
    x, y = point
    inside = shape["x0"] - TOL <= x <= shape["x1"] + TOL and \
        shape["top"] - TOL <= y <= shape["bottom"] + TOL
    edge = min(abs(x - shape["x0"]), abs(x - shape["x1"]), abs(y - shape["top"]),
               abs(y - shape["bottom"]))
    return inside and edge <= TOL


def segments(path: dict) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    pts = [(x, y) for op in path["path"] for x, y in op[1:]]
    return list(pairwise(pts))


def crosses(seg: tuple[tuple[float, float], tuple[float, float]], shape: dict) -> bool:
    """An axis-parallel segment runs through the inside of the shape's box."""
    (x0, y0), (x1, y1) = seg
    left, right = shape["x0"] + TOL, shape["x1"] - TOL
    top, bottom = shape["top"] + TOL, shape["bottom"] - TOL
    return min(x0, x1) < right and max(x0, x1) > left and min(y0, y1) < bottom and \
        max(y0, y1) > top


def charts(data: bytes, sop: SOP) -> list[Chart]:
    pdf = pdfplumber.open(io.BytesIO(data))
    return [Chart(page, sop) for page in pdf.pages[1:]]


# --- the flowchart --------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_every_step_has_its_symbol_in_its_actors_column(key, pdfs):
    sop = CHARTS[key]
    last = len(sop.langkah)
    seen = set()
    for chart in charts(pdfs[key], sop):
        for no in chart.rows:
            seen.add(no)
            step = sop.step(no)
            symbols = chart.symbols_in_row(no)
            ends = [s for s in symbols if s["kind"] == "terminator"
                    and chart.text_in(s) == "Selesai" and no != last]
            drawn = [s for s in symbols if s not in ends]
            columns = [chart.column_of(s["cx"]) for s in sorted(drawn, key=lambda s: s["cx"])]
            assert sorted(columns) == sorted(expected_columns(sop, no)), (no, columns)
            kinds = {s["kind"] for s in drawn}
            if step.keputusan:
                assert "decision" in kinds, no
                selesai = [b for b in (step.keputusan.ya, step.keputusan.tidak)
                           if b.lanjut == "selesai"]
                assert len(ends) == len(selesai), no  # "selesai" ends in its own capsule
            elif no in (1, last):
                assert "terminator" in kinds, no
                label = "Mulai" if no == 1 else "Selesai"
                assert any(chart.text_in(s) == label for s in drawn), no
            else:
                assert kinds == {"process"}, no
                assert ends == []
    assert seen == set(range(1, last + 1))  # every step drawn once, on some page


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_consecutive_steps_are_joined_by_arrows_across_pages_too(key, pdfs):
    sop = CHARTS[key]
    pages = charts(pdfs[key], sop)
    where = {no: k for k, chart in enumerate(pages) for no in chart.rows}
    for step in sop.langkah[:-1]:
        k = step.keputusan
        if k is not None and step.no + 1 not in (k.ya.lanjut, k.tidak.lanjut):
            continue
        a, b = step.no, step.no + 1
        here, there = pages[where[a]], pages[where[b]]
        if where[a] == where[b]:
            assert any(here.links(s, t) for s in here.symbols_in_row(a)
                       for t in there.symbols_in_row(b)), f"no arrow from {a} to {b}"
            continue
        assert where[b] == where[a] + 1
        out = [p for p in here.pentagons() if any(here.links(s, p)
                                                   for s in here.symbols_in_row(a))]
        into = [p for p in there.pentagons() if any(there.links(p, t)
                                                     for t in there.symbols_in_row(b))]
        assert len(out) == len(into) == 1, f"no off-page connector from {a} to {b}"
        assert here.text_in(out[0]) == there.text_in(into[0]) != ""  # the same letter


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_no_connector_runs_through_a_symbol(key, pdfs):
    for chart in charts(pdfs[key], CHARTS[key]):
        for path in chart.connectors:
            for seg in segments(path):
                hit = [s["kind"] for s in chart.shapes if crosses(seg, s)]
                assert hit == [], f"a line crosses {hit} on a page of {key}"
        for path in chart.connectors:  # orthogonal lines only
            for (x0, y0), (x1, y1) in segments(path):
                assert abs(x0 - x1) < 0.01 or abs(y0 - y1) < 0.01


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_off_page_connectors_come_in_pairs_on_two_pages(key, pdfs):
    pages = charts(pdfs[key], CHARTS[key])
    letters: dict[str, list[int]] = {}
    for k, chart in enumerate(pages):
        for pentagon in chart.pentagons():
            letters.setdefault(chart.text_in(pentagon), []).append(k)
    assert all(len(on) == 2 and on[0] != on[1] for on in letters.values()), letters
    if len(pages) > 1:
        assert letters


def test_jumps_are_drawn_back_and_forward_and_across_pages(pdfs):
    sop = CHARTS["lompatan"]
    pages = charts(pdfs["lompatan"], sop)
    where = {no: chart for chart in pages for no in chart.rows}
    assert len(pages) >= 2 and where[12] is not where[3]

    def diamond(no: int) -> dict:
        return next(s for s in where[no].symbols_in_row(no) if s["kind"] == "decision")

    five, two = diamond(5), where[2].symbols_in_row(2)[0]
    assert where[5] is where[2] and where[5].links(five, two)  # back on the page
    eight = diamond(8)
    ten = [s for s in where[10].symbols_in_row(10) if where[10].column_of(s["cx"]) == "Pemohon"]
    assert where[8] is where[10] and where[8].links(eight, ten[0])  # over step 9
    assert len(where[10].symbols_in_row(10)) == 3  # three actors, one symbol each
    twelve = diamond(12)
    out = [p for p in where[12].pentagons() if where[12].links(twelve, p)]
    three = where[3].symbols_in_row(3)[0]
    back = [p for p in where[3].pentagons() if where[3].links(p, three)]
    assert out and back and {where[12].text_in(p) for p in out} & {where[3].text_in(p)
                                                                   for p in back}


def test_hosting_decisions_jump_as_the_catalogue_says(pdfs):
    """Step 4 Tidak goes back into step 4; step 7 Tidak ends in a Selesai capsule; the Ya
    exits go on to steps 5 and 8; each exit is labelled."""
    sop = SOPS["hosting"]
    pages = charts(pdfs["hosting"], sop)
    chart = next(c for c in pages if 4 in c.rows and 7 in c.rows)
    four = next(s for s in chart.symbols_in_row(4) if s["kind"] == "decision")
    five = chart.symbols_in_row(5)[0]
    assert chart.links(four, four), "step 4 Tidak does not loop back to step 4"
    assert chart.links(four, five)
    seven = next(s for s in chart.symbols_in_row(7) if s["kind"] == "decision")
    end = next(s for s in chart.symbols_in_row(7) if s["kind"] == "terminator")
    assert chart.text_in(end) == "Selesai" and chart.links(seven, end)
    eight = chart.symbols_in_row(8)[0] if 8 in chart.rows else None
    if eight is not None:
        assert chart.links(seven, eight)
    for diamond in (four, seven):
        near = [w["text"] for w in chart.words
                if abs((w["top"] + w["bottom"]) / 2 - diamond["cy"]) < 25
                and abs((w["x0"] + w["x1"]) / 2 - diamond["cx"]) < 30]
        assert "Ya" in near and "Tidak" in near


@pytest.mark.parametrize("key", sorted(SOPS))
def test_every_page_is_numbered_and_the_flowchart_header_repeats(key, pdfs):
    sop = SOPS[key]
    pages = pdf_pages(pdfs[key])
    assert len(pages) >= 2
    for i, text in enumerate(pages, 1):
        assert f"Halaman {i} dari {len(pages)}" in text
    for text in pages[1:]:
        flat = squash(text)
        for title in ("No", "Kegiatan", "Pelaksana", "Mutu Baku", "Kelengkapan", "Waktu",
                      "Output", "Keterangan"):
            assert title in flat
        assert f"SOP {sop.nama}" in flat


def _unslash(text: str) -> str:
    """A cell may break a long word after a slash (``Analisa/`` ``kesimpulan``)."""
    return re.sub(r"/ ", "/", squash(text))


@pytest.mark.parametrize("key", sorted(SOPS))
def test_texts_are_printed_as_the_catalogue_writes_them(key, pdfs):
    sop = SOPS[key]
    pages = pdf_pages(pdfs[key])
    identity, flow = _unslash(pages[0]), _unslash(" ".join(pages[1:]))
    nama = _unslash(sop.nama)
    assert nama in identity and f"SOP {nama}" in flow  # never upper-cased
    for item in (*sop.identitas.dasar_hukum, *sop.identitas.peralatan,
                 *sop.identitas.kualifikasi_pelaksana, *sop.identitas.pencatatan):
        assert _unslash(item) in identity
    if sop.bidang:
        assert _unslash(sop.bidang) in identity
    for step in sop.langkah:
        for value in (step.kegiatan, step.kelengkapan, step.output, step.waktu.teks):
            assert _unslash(value) in flow, value
        if step.keterangan:
            assert _unslash(step.keterangan) in flow
    with pdfplumber.open(io.BytesIO(pdfs[key])) as pdf:  # role names never broken in a word
        for page in pdf.pages[1:]:
            words = {w["text"] for w in page.extract_words()}
            for role in sop.peran:
                assert all(part in words for part in role.nama.split()), role.nama


def test_a_url_keeps_its_case():
    pages = pdf_pages(render_sop_form(SOPS["ppid"], SAMPLE))
    text = squash(" ".join(pages))
    assert "https://ppid.sumbarprov.go.id" in text.replace("https:// ", "https://")
    assert "HTTPS://" not in text


def test_long_words_shrink_or_break_after_a_slash_never_inside():
    register_fonts()
    lines, size = fit("Koordinator", BOLD, 7, 30)  # a cell narrower than the word
    assert lines == ["Koordinator"] and size < 7
    lines, size = fit("Analisa/kesimpulan permasalahan", FONT, 7, 50)
    assert lines[0] == "Analisa/" and "kesimpulan" in lines[1] and size == 7
    lines, _ = fit("Sekretaris / Koordinator", BOLD, 7, 60)
    assert lines == ["Sekretaris /", "Koordinator"]


# --- the identity page and the office profile ------------------------------------------------


@pytest.mark.parametrize("key", sorted(SOPS))
def test_the_identity_page_has_the_pengesahan_of_the_profile(key, pdfs):
    sop = SOPS[key]
    page = squash(pdf_pages(pdfs[key])[0])
    for label in ("Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif",
                  "Disahkan oleh", "Nama SOP", "DASAR HUKUM", "KUALIFIKASI PELAKSANA",
                  "KETERKAITAN", "PERALATAN/PERLENGKAPAN", "PERINGATAN",
                  "PENCATATAN DAN PENDATAAN"):
        assert label in page
    assert f"{SIGNER.jabatan}, {SIGNER.nama} NIP {SIGNER.nip}" in page
    assert SAMPLE.office.kop.instansi in page and SAMPLE.office.kop.pemerintah in page
    if sop.nomor:
        assert sop.nomor in page
    with pdfplumber.open(io.BytesIO(pdfs[key])) as pdf:
        assert len(pdf.pages[0].images) == 1  # the logo
        width, height = pdf.pages[0].width, pdf.pages[0].height
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (330, 215)


def test_another_profile_gives_its_own_office_signer_and_paper(tmp_path):
    ws = second_office(tmp_path, kertas="A4")
    sop = SOPS["hosting"]
    data = render_sop_form(sop, ws)
    pages = pdf_pages(data)
    first = squash(pages[0])
    assert "PEMERINTAH KABUPATEN TANAH DATAR" in first
    assert "DINAS KOMUNIKASI DAN INFORMATIKA" in first
    assert "Ir. SITI AMINAH, M.Si." in first and "NIP 19750505 200003 2 002" in first
    everything = squash(" ".join(pages))
    assert "JASMAN" not in everything and "SUMATERA BARAT" not in everything.upper().replace(
        "PROVINSI SUMATERA BARAT NOMOR", "")  # only the dasar hukum may name the province
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        size = (round(pdf.pages[0].width / 72 * 25.4), round(pdf.pages[0].height / 72 * 25.4))
        assert size == (297, 210)
    for chart in charts(data, sop):  # six roles fit on A4 too
        assert len(chart.columns) == 6
    text = docx_text(render_sop_form_docx(sop, ws))
    assert "Ir. SITI AMINAH, M.Si." in text and "DINAS KOMUNIKASI DAN INFORMATIKA" in text
    assert "JASMAN" not in text


def test_disahkan_oleh_may_name_a_role_and_a_missing_signer_is_an_office_error(tmp_path):
    sop = SOPS["hosting"].model_copy(update={"disahkan_oleh": "sekretaris"})
    sekretaris = SAMPLE.office.pejabat["sekretaris"]
    page = squash(pdf_pages(render_sop_form(sop, SAMPLE))[0])
    assert sekretaris.nama in page and SIGNER.nama not in page
    headless = SAMPLE.office.model_copy(update={"pejabat": {
        k: v for k, v in SAMPLE.office.pejabat.items() if k != "kepala-dinas"}})
    ws = Workspace(headless, tmp_path, None)
    with pytest.raises(OfficeError, match="kepala-dinas"):
        render_sop_form(SOPS["hosting"], ws)
    with pytest.raises(OfficeError, match="kepala-dinas"):
        render_sop_form_docx(SOPS["hosting"], ws)


# --- the DOCX -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(SOPS))
def test_the_docx_has_the_identity_and_a_symbol_in_each_actors_cell(key):
    sop = SOPS[key]
    data = render_sop_form_docx(sop, SAMPLE)
    text = docx_text(data)
    assert SIGNER.nama in text and f"NIP {SIGNER.nip}" in text and sop.nama in text
    doc = Document(io.BytesIO(data))
    _, flow = doc.tables
    roles = [r.nama for r in sop.peran]
    header = [c.text for c in flow.rows[1].cells]
    assert header[2:2 + len(roles)] == roles
    for r in range(3):  # the header rows repeat on every page
        assert flow.rows[r]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    for step, row in zip(sop.langkah, flow.rows[3:], strict=True):
        cells = row.cells
        assert cells[0].text == str(step.no) and cells[1].text == step.kegiatan
        with_symbol = [roles[i] for i, cell in enumerate(cells[2:2 + len(roles)])
                       if cell._tc.findall(f".//{qn('w:drawing')}")]
        assert sorted(with_symbol) == sorted(expected_columns(sop, step.no))
        if step.keputusan:
            assert "Ya:" in " ".join(c.text for c in cells[2:2 + len(roles)])


def test_same_sop_and_office_give_the_same_bytes():
    sop = SOPS["hosting"]
    assert render_sop_form(sop, SAMPLE) == render_sop_form(sop, SAMPLE)
    assert render_sop_form_docx(sop, SAMPLE) == render_sop_form_docx(sop, SAMPLE)


# --- independent readers ---------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_opens_every_sop_form_docx(tmp_path):
    soffice = need("soffice")
    paths = []
    for key, sop in SOPS.items():
        path = tmp_path / f"SOP_{key}.docx"
        path.write_bytes(render_sop_form_docx(sop, SAMPLE))
        paths.append(path)
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir", str(out),
                    *map(str, paths)], check=True, capture_output=True, timeout=300)
    assert len(list(out.glob("*.pdf"))) == len(paths)  # soffice exits 0 when it skips one
    for path in paths:
        pages = pdf_pages(out / path.with_suffix(".pdf").name)
        assert SIGNER.nama in squash(pages[0])
        assert f"Halaman 1 dari {len(pages)}" in squash(pages[0])


@pytest.mark.slow
def test_qpdf_accepts_every_sop_form_pdf(tmp_path, pdfs):
    qpdf = need("qpdf")
    for key, data in pdfs.items():
        path = tmp_path / f"SOP_{key}.pdf"
        path.write_bytes(data)
        done = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
