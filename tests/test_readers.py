"""Independent readers accept what we write: LibreOffice opens the DOCX, qpdf checks the PDF."""

import subprocess

import pytest

from conftest import need, pdf_text
from sopdocs.service import make_document

pytestmark = pytest.mark.slow


KINDS = ("nota-dinas", "disposisi", "berita-acara", "laporan", "surat", "surat-tugas",
         "tanda-terima")


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Every kind from its sample, final and konsep, both formats."""
    import yaml

    from conftest import SAMPLES
    from sopdocs.office import Workspace, data_path, load_office

    folder = tmp_path_factory.mktemp("readers")
    sample = load_office(data_path("office-sample.yaml"))
    ws = Workspace(sample.office, folder, None)
    paths = []
    for kind in KINDS:
        data = yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text())
        for konsep in (False, True):
            paths += make_document(kind, data, ws, out_dir=folder / "out", konsep=konsep).paths
    return folder, paths


def test_libreoffice_opens_every_docx(documents):
    soffice = need("soffice")
    folder, paths = documents
    docx = [p for p in paths if p.suffix == ".docx"]
    converted = folder / "lo"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
         "--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir", str(converted),
         *map(str, docx)],
        check=True, capture_output=True, timeout=300)
    assert len(list(converted.glob("*.pdf"))) == len(docx)  # soffice exits 0 when it skips one
    texts = {d.name: pdf_text(converted / d.with_suffix(".pdf").name) for d in docx}
    final = {name: t for name, t in texts.items() if not name.startswith("KONSEP")}
    assert len(final) == len(KINDS)
    for name, text in final.items():
        assert "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK" in text, name
        assert "KONSEP" not in text, name
    assert "NOMOR 000.8.3.3/1/Diskominfotik-2026" in texts[
        "nota-dinas_000.8.3.3_1_Diskominfotik-2026.docx"]
    assert "LEMBAR DISPOSISI" in texts["disposisi_agenda-1_2026.docx"]
    for name, text in texts.items():
        if name.startswith("KONSEP"):
            assert "KONSEP" in text, name


def test_qpdf_accepts_every_pdf(documents):
    qpdf = need("qpdf")
    _, paths = documents
    pdfs = [p for p in paths if p.suffix == ".pdf"]
    assert len(pdfs) == 2 * len(KINDS)
    for pdf in pdfs:
        done = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "No syntax or stream encoding errors found" in done.stdout
