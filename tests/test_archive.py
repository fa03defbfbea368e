"""The archive: copies with hashes, verify, check, the seal on final PDFs, the SRIKANDI sidecar."""

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap

import pytest
import yaml
from click.testing import CliRunner

from conftest import SAMPLES, need, pdf_pages, squash
from sopdocs.archive import ArchiveError, archive_files, archive_made, check, listing, verify
from sopdocs.cli import cli
from sopdocs.kinds import kind_of
from sopdocs.kinds.berita_acara import BeritaAcara
from sopdocs.records import validate
from sopdocs.service import make_document, record_hash


def sample(kind):
    return yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text())


@pytest.fixture
def archived(workspace, tmp_path):
    made = make_document("berita-acara", sample("berita-acara"), workspace,
                         out_dir=tmp_path / "out")
    return made, archive_made(workspace, made.paths)


def test_archive_keeps_files_record_and_srikandi_sidecar(workspace, archived):
    made, item = archived
    root = workspace.folder / "arsip"
    names = sorted(f.path for f in item.files)
    stem = "2026/500.12/berita-acara_500.12_1_Diskominfotik-2026"
    assert names == [f"{stem}.docx", f"{stem}.pdf", f"{stem}.record.json",
                     f"{stem}.srikandi.json"]
    for f in item.files:
        assert hashlib.sha256((root / f.path).read_bytes()).hexdigest() == f.sha256
    assert (root / f"{stem}.pdf").read_bytes() == made.paths[1].read_bytes()
    record = json.loads((root / f"{stem}.record.json").read_text())
    assert validate(BeritaAcara, record, "x") == validate(BeritaAcara, sample("berita-acara"), "x")
    sidecar = json.loads((root / f"{stem}.srikandi.json").read_text())
    boxes = sidecar.pop("kotak_ttd")  # where each party signs, for an external signer
    assert sidecar.pop("tte") is False
    assert {b["nama"] for b in boxes} >= {"FAJAR HIDAYAT, S.T.", "Ir. BUDI SANTOSO, M.Kom."}
    assert all(b["halaman"] >= 1 and b["lebar"] > 100 and b["tinggi"] > 40 for b in boxes)
    assert sidecar == {
        "jenis_naskah": "Berita Acara", "nomor": "500.12/1/Diskominfotik-2026",
        "tanggal": "2026-11-27", "hal": "Serah Terima Hosting Aplikasi PPDB Dinas Pendidikan",
        "sifat": "Biasa", "kode_klasifikasi": "500.12", "tujuan": ["Ir. BUDI SANTOSO, M.Kom."],
        "penandatangan": {"jabatan": "Pranata Komputer Ahli Pertama", "kapasitas": "PIHAK PERTAMA",
                          "nama": "FAJAR HIDAYAT, S.T.", "nip": "199306302019031007"}}


def test_verify_names_exactly_the_tampered_missing_and_stray_files(workspace, archived):
    _, item = archived
    root = workspace.folder / "arsip"
    assert verify(workspace) == []
    pdf = root / next(f.path for f in item.files if f.path.endswith(".pdf"))
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 1
    pdf.write_bytes(bytes(data))
    docx = next(f.path for f in item.files if f.path.endswith(".docx"))
    (root / docx).unlink()
    (root / "2026" / "lain.pdf").write_bytes(b"%PDF-1.4 bukan arsip")
    assert sorted(str(f) for f in verify(workspace)) == [
        "missing: 2026/500.12/berita-acara_500.12_1_Diskominfotik-2026.docx "
        "(500.12/1/Diskominfotik-2026)",
        "modified: 2026/500.12/berita-acara_500.12_1_Diskominfotik-2026.pdf "
        "(500.12/1/Diskominfotik-2026)",
        "unregistered: 2026/lain.pdf",
    ]


def test_check_recognises_an_original_and_rejects_a_modified_copy(workspace, archived, tmp_path):
    made, _ = archived
    copy = tmp_path / "salinan.pdf"
    shutil.copyfile(made.paths[1], copy)
    assert check(workspace, copy).nomor == "500.12/1/Diskominfotik-2026"
    copy.write_bytes(copy.read_bytes() + b"\n")
    assert check(workspace, copy) is None


def test_only_registered_unchanged_documents_are_archived_once(workspace, archived, tmp_path):
    made, _ = archived
    stray = tmp_path / "lain.pdf"
    stray.write_bytes(b"%PDF-1.4")
    with pytest.raises(ArchiveError, match="is not a final document in the register"):
        archive_files(workspace, [stray])
    with pytest.raises(ArchiveError, match=r"500\.12/1/Diskominfotik-2026 is archived already"):
        archive_files(workspace, [made.paths[0]])
    konsep = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path,
                           konsep=True)
    with pytest.raises(ArchiveError, match="not a final document"):
        archive_files(workspace, [konsep.paths[1]])


def test_names_come_from_the_number_never_from_hal(workspace, tmp_path):
    data = {**sample("nota-dinas"), "hal": "../../../etc/passwd & <script>"}
    made = make_document("nota-dinas", data, workspace, out_dir=tmp_path / "out")
    item = archive_made(workspace, made.paths)
    root = (workspace.folder / "arsip").resolve()
    for f in item.files:
        assert (root / f.path).resolve().is_relative_to(root)
        assert ".." not in f.path and "passwd" not in f.path
    assert listing(workspace, search="passwd")[0].hal == data["hal"]


def test_final_pdf_carries_its_seal_and_a_konsep_does_not(workspace, tmp_path):
    made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    record = validate(kind_of("nota-dinas").model, sample("nota-dinas"), "x")
    sidik = record_hash(record)[:16]
    first = squash(pdf_pages(made.paths[1])[0])
    assert (f"000.8.3.3/1/Diskominfotik-2026 | 2026-11-23 | sidik {sidik} | "
            "segel dokumen, bukan tanda tangan") in first
    konsep = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path,
                           konsep=True)
    assert "sidik" not in squash(pdf_pages(konsep.paths[1])[0])


@pytest.mark.slow
def test_the_qr_code_decodes_with_an_independent_reader(workspace, tmp_path):

    for program in ("zbarimg", "pdftoppm"):
        need(program)
    made = make_document("disposisi", sample("disposisi"), workspace, out_dir=tmp_path,
                         fmt="pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-singlefile", str(made.paths[0]),
                    str(tmp_path / "page")], check=True)
    done = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "page.png")],
                          capture_output=True, text=True, check=True)
    record = validate(kind_of("disposisi").model, sample("disposisi"), "x")
    assert done.stdout.strip() == (f"SOPDOCS|agenda 1/2026|2026-11-20|"
                                   f"{record_hash(record)[:16]}")


WORKER = textwrap.dedent("""
    import sys, yaml
    from pathlib import Path
    from sopdocs.archive import archive_made
    from sopdocs.office import find_office
    from sopdocs.service import make_document
    ws, _ = find_office(Path(sys.argv[1]))
    data = yaml.safe_load(Path(sys.argv[2]).read_text())
    for i in range(int(sys.argv[3])):
        made = make_document("nota-dinas", data, ws, out_dir=Path(sys.argv[4]))
        archive_made(ws, made.paths)
""")


@pytest.mark.slow
def test_two_processes_archiving_at_once_lose_nothing(tmp_path):
    from sopdocs.office import find_office, init_profile

    init_profile(tmp_path)
    profile = tmp_path / "sopdocs.yaml"
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(profile),
                               str(SAMPLES / "nota-dinas.yaml"), "5", str(tmp_path / f"o{i}")],
                              cwd=tmp_path)  # the installed package, not the source tree
             for i in range(2)]
    assert [p.wait(timeout=180) for p in procs] == [0, 0]
    ws, _ = find_office(profile)
    items = listing(ws)
    assert sorted(int(a.nomor.split("/")[1]) for a in items) == list(range(1, 11))
    assert all(len(a.files) == 4 for a in items)
    assert verify(ws) == []


def test_cli_archive_commands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    runner = CliRunner()
    made = runner.invoke(cli, ["berita-acara", "--data", str(SAMPLES / "berita-acara.yaml"),
                               "--archive"])
    assert made.exit_code == 0, made.output
    lines = made.stdout.splitlines()
    assert len(lines) == 6 and lines[2].endswith(".docx") and "/arsip/2026/500.12/" in lines[2]
    konsep = runner.invoke(cli, ["nota-dinas", "--data", str(SAMPLES / "nota-dinas.yaml"),
                                 "--konsep", "--archive"])
    assert konsep.exit_code == 2 and "only a final document can be archived" in konsep.stderr
    listed = runner.invoke(cli, ["archive", "list", "--kind", "berita-acara", "--year", "2026"])
    assert listed.stdout.startswith("500.12/1/Diskominfotik-2026\t27 November 2026\t")
    ok = runner.invoke(cli, ["archive", "verify"])
    assert ok.exit_code == 0 and "every hash matches" in ok.stderr
    original = runner.invoke(cli, ["archive", "check", lines[1]])
    assert original.exit_code == 0 and "archived original of berita-acara 500.12/1/" in \
        original.stdout
    (tmp_path / "arsip" / "tambahan.txt").write_text("x")
    bad = runner.invoke(cli, ["archive", "verify"])
    assert bad.exit_code == 1 and bad.stdout == "unregistered: tambahan.txt\n"
    other = tmp_path / "lain.pdf"
    other.write_bytes(b"x")
    assert runner.invoke(cli, ["archive", "check", str(other)]).exit_code == 1
