"""Independent readers accept what we write: LibreOffice opens the DOCX, qpdf checks the PDF."""

import os
import shutil
import subprocess

import pytest

from conftest import pdf_text
from sopdocs.service import make_document

pytestmark = pytest.mark.slow


def need(program: str) -> str:
    """Return the program's path; in CI a missing reader is a failure, elsewhere a skip."""
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed; .ci/run installs it")
        pytest.skip(f"{program} is not installed")
    return path


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """A final and a konsep nota dinas, both formats."""
    import yaml

    from conftest import SAMPLES
    from sopdocs.office import Workspace, data_path, load_office

    folder = tmp_path_factory.mktemp("readers")
    sample = load_office(data_path("office-sample.yaml"))
    ws = Workspace(sample.office, folder, None)
    data = yaml.safe_load((SAMPLES / "nota-dinas.yaml").read_text())
    final = make_document("nota-dinas", data, ws, out_dir=folder / "out")
    konsep = make_document("nota-dinas", data, ws, out_dir=folder / "out", konsep=True)
    return folder, final.paths + konsep.paths


def test_libreoffice_opens_the_docx(documents):
    soffice = need("soffice")
    folder, paths = documents
    docx = [p for p in paths if p.suffix == ".docx"]
    converted = folder / "lo"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
         "--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir", str(converted),
         *map(str, docx)],
        check=True, capture_output=True, timeout=240)
    outputs = sorted(converted.glob("*.pdf"))
    assert len(outputs) == len(docx)  # soffice exits 0 even when it skips a file
    final_text = pdf_text(converted / docx[0].with_suffix(".pdf").name)
    for needed in ("NOTA DINAS", "NOMOR 000.8.3.3/1/Diskominfotik-2026", "Drs. JASMAN, MM",
                   "NIP 19680101 198809 1 001", "Permintaan Daftar Informasi Publik"):
        assert needed in final_text
    assert "KONSEP" in pdf_text(converted / docx[1].with_suffix(".pdf").name)


def test_qpdf_accepts_the_pdf(documents):
    qpdf = need("qpdf")
    _, paths = documents
    for pdf in (p for p in paths if p.suffix == ".pdf"):
        done = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "No syntax or stream encoding errors found" in done.stdout
