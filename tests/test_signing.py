"""Signed PDFs: the reserved box, PAdES signatures checked by pyHanko and by poppler's pdfsig,
changes after signing found, the register and the archive, and every error path."""

from __future__ import annotations

import io
import os
import stat
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from conftest import SAMPLES, need, pdf_text, squash
from sopdocs.cli import cli
from sopdocs.render.ttd import TTE_SPACE, electronic
from sopdocs.service import make_document, register_of
from sopdocs.signing.credentials import P12
from sopdocs.signing.keys import new_p12
from sopdocs.signing.pades import sign_files, signed_path
from sopdocs.signing.verify import verify_file
from sopdocs.summary import load

PASSPHRASE = "rahasia kantor"


@pytest.fixture(scope="module")
def p12_bytes() -> bytes:
    """A self-signed office key made here (2048 bits: fast enough for a test)."""
    return new_p12("Drs. JASMAN, MM", PASSPHRASE.encode(), organization="Diskominfotik",
                   nip="196801011988091001", key_size=2048)


@pytest.fixture
def p12(tmp_path, p12_bytes) -> Path:
    path = tmp_path / "office.p12"
    path.write_bytes(p12_bytes)
    return path


@pytest.fixture
def made(workspace, nota_dinas_data, tmp_path) -> Path:
    """A final nota dinas (PDF only) in the workspace's register."""
    result = make_document("nota-dinas", nota_dinas_data, workspace, out_dir=tmp_path / "output",
                           fmt="pdf")
    return result.paths[0]


def sign(workspace, path: Path, p12: Path) -> Path:
    signed = sign_files([path], P12(p12, PASSPHRASE.encode()), register_of(workspace),
                        workspace)
    return signed[0].path


def summary_of(workspace, path: Path):
    from sopdocs.store import sha256_file

    (entry,) = register_of(workspace).documents_with_file(sha256_file(path))
    return load(entry.summary_json)


def text_in(path: Path, box) -> str:
    """The text pdfplumber finds inside ``box`` (PDF points, origin bottom left)."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[box.halaman - 1]
        top = page.height - (box.y + box.tinggi)
        inside = page.within_bbox((box.x, top, box.x + box.lebar, top + box.tinggi))
        return squash(inside.extract_text())


def test_every_final_pdf_reserves_the_signature_box_and_keeps_it_in_the_summary(workspace,
                                                                                  made):
    (box,) = summary_of(workspace, made).kotak_ttd
    assert box.halaman == 1 and box.nama == "Drs. JASMAN, MM"
    assert box.tinggi == pytest.approx(20 / 25.4 * 72, abs=0.1)  # the 20 mm to sign by hand
    assert text_in(made, box) == ""  # blank: nothing of the text is in the box
    with pdfplumber.open(made) as pdf:
        words = pdf.pages[0].extract_words()
        top = pdf.pages[0].height - (box.y + box.tinggi)
    name = next(w for w in words if w["text"] == "Drs.")
    assert top + box.tinggi <= name["top"] < top + box.tinggi + 5  # the name right under it
    assert name["x0"] == pytest.approx(box.x, abs=0.5)  # the column of the block


def test_a_signed_pdf_is_valid_for_pyhanko_pdfsig_and_qpdf(workspace, made, p12):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    signed = sign(workspace, made, p12)
    assert signed == made.with_name(made.stem + ".ttd.pdf")
    with signed.open("rb") as handle:
        (sig,) = PdfFileReader(handle).embedded_signatures
        # the office's own certificate as the trust anchor: valid and trusted
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[sig.signer_cert]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    out = subprocess.run([need("pdfsig"), signed], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out
    assert "ETSI.CAdES.detached" in out  # PAdES
    check = subprocess.run([need("qpdf"), "--check", signed], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert made.is_file()  # the unsigned file stays as it was


def test_the_register_keeps_the_signed_file_beside_the_unsigned_one(workspace, made, p12):
    from sopdocs.store import sha256_file

    signed = sign(workspace, made, p12)
    (entry,) = register_of(workspace).documents_with_file(sha256_file(signed))
    files = {Path(f.path).name: f for f in entry.files}
    assert files[signed.name].signed_from == sha256_file(made) == files[made.name].sha256
    assert files[made.name].signed_from is None


def test_the_visible_block_is_read_back_inside_the_reserved_box(workspace, made, p12):
    signed = sign(workspace, made, p12)
    (box,) = summary_of(workspace, made).kotak_ttd
    found = text_in(signed, box)
    for expected in ("Ditandatangani secara elektronik oleh:",
                     "Kepala Dinas Komunikasi, Informatika dan Statistik", "Drs. JASMAN, MM",
                     "NIP 19680101 198809 1 001", "tidak tersertifikasi"):
        assert expected in found
    assert "pada " in found and any(zone in found for zone in ("WIB", "WITA", "WIT", "UTC"))
    # outside the box the page is word for word as it was: the block covers no text
    assert words_outside(signed, box) == words_outside(made, box)


def words_outside(path: Path, box) -> list[tuple[str, float, float]]:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[box.halaman - 1]
        top = page.height - (box.y + box.tinggi)
        return [(w["text"], round(w["x0"], 1), round(w["top"], 1)) for w in page.extract_words()
                if not (box.x <= w["x0"] <= box.x + box.lebar
                        and top <= w["top"] <= top + box.tinggi)]


def test_verify_an_intact_signed_file(workspace, made, p12):
    signed = sign(workspace, made, p12)
    verdict = verify_file(signed, register_of(workspace), [])
    text = "\n".join(verdict.lines())
    assert verdict.ok, text
    assert "signer: Drs. JASMAN, MM, NIP 196801011988091001" in text
    assert "intact: yes" in text and "modified after signing: no" in text
    assert "trust: tidak tersertifikasi" in text
    assert "signed copy of Nota Dinas 000.8.3.3/1/Diskominfotik-2026" in text
    assert "not archived" in text and text.endswith("result: OK")


def test_one_byte_changed_after_signing_is_found(workspace, made, p12):
    signed = sign(workspace, made, p12)
    data = bytearray(signed.read_bytes())
    at = data.index(b"ReportLab Generated")  # a comment: the file still parses
    data[at] = ord("r")
    signed.write_bytes(bytes(data))
    verdict = verify_file(signed, register_of(workspace), [])
    assert not verdict.ok
    assert "  intact: NO" in verdict.lines()
    out = subprocess.run([need("pdfsig"), signed], capture_output=True, text=True).stdout
    assert "Signature is Valid" not in out and "Digest Mismatch" in out


def test_an_incremental_update_after_signing_is_found(workspace, made, p12):
    signed = sign(workspace, made, p12)
    writer = PdfWriter(str(signed), incremental=True)
    writer.add_metadata({"/Title": "diubah setelah ditandatangani"})
    appended = io.BytesIO()
    writer.write(appended)
    signed.write_bytes(appended.getvalue())
    verdict = verify_file(signed, register_of(workspace), [])
    lines = verdict.lines()
    assert not verdict.ok
    assert any(line.startswith("  modified after signing: YES") for line in lines)
    assert any("signed copy of Nota Dinas" in line for line in lines)  # the signed revision
    assert any("bytes were added after the signed revision" in line for line in lines)
    out = subprocess.run([need("pdfsig"), signed], capture_output=True, text=True).stdout
    assert "Not total document signed" in out


def test_an_unsigned_pdf_is_checked_against_the_register(workspace, made, tmp_path):
    verdict = verify_file(made, register_of(workspace), [])
    assert verdict.ok and "signatures: none" in verdict.lines()
    other = tmp_path / "other.pdf"
    writer = PdfWriter(clone_from=str(made))
    writer.add_metadata({"/Title": "salinan"})
    writer.write(other)
    verdict = verify_file(other, register_of(workspace), [])
    assert not verdict.ok
    assert any("no document of the register has this file" in line for line in verdict.lines())


def test_a_void_number_is_neither_signed_nor_ok(workspace, made, p12):
    from sopdocs.signing import SigningError

    register_of(workspace).void("000.8.3.3/1/Diskominfotik-2026", "salah ketik")
    verdict = verify_file(made, register_of(workspace), [])
    assert not verdict.ok and any("void" in line for line in verdict.lines())
    with pytest.raises(SigningError, match="void"):
        sign(workspace, made, p12)
    assert not signed_path(made).exists()


# --- the commands, and every error path: one line, exit 1, nothing written --------------

@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    monkeypatch.setenv("SOPDOCS_P12_PASSPHRASE", PASSPHRASE)

    def invoke(*args, **env):
        return CliRunner().invoke(cli, [str(a) for a in args], env=env or None)

    return invoke


@pytest.fixture
def cli_made(run) -> Path:
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--format", "pdf")
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def file_rows(tmp_path: Path) -> int:
    from sopdocs.registry import open_register

    return sum(len(e.files) for e in open_register(tmp_path / "sopdocs.db").entries())


def test_sign_and_verify_commands(run, cli_made, p12, tmp_path):
    result = run("sign", cli_made, "--p12", p12)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(signed_path(cli_made))]
    assert "tidak tersertifikasi" in result.stderr
    assert PASSPHRASE not in result.output + result.stderr
    checked = run("verify", signed_path(cli_made))
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.splitlines()[-1] == "result: OK"
    again = run("sign", cli_made, "--p12", p12)  # the signed copy exists
    assert again.exit_code == 1
    assert again.stderr.splitlines()[-1].startswith("Error: ") and "already exists" in \
        again.stderr
    assert file_rows(tmp_path) == 2


@pytest.mark.parametrize("problem", ["wrong passphrase", "missing p12", "corrupt p12",
                                     "not a pdf", "unregistered pdf"])
def test_sign_errors_are_one_line_and_change_nothing(run, cli_made, p12, tmp_path, problem):
    env = {}
    target, key = cli_made, p12
    if problem == "wrong passphrase":
        env = {"SOPDOCS_P12_PASSPHRASE": "salah"}
    elif problem == "missing p12":
        key = tmp_path / "nowhere.p12"
    elif problem == "corrupt p12":
        key.write_bytes(key.read_bytes()[:200])
    elif problem == "not a pdf":
        target = tmp_path / "surat.pdf"
        target.write_text("bukan PDF")
    else:
        target = tmp_path / "copy.pdf"
        target.write_bytes(cli_made.read_bytes() + b"\n% changed\n")
    rows = file_rows(tmp_path)
    result = run("sign", target, "--p12", key, **env)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if not line.startswith("note:")]
    assert len(errors) == 1 and errors[0].startswith("Error: ")
    assert "Traceback" not in result.output
    assert not signed_path(target).exists()
    assert not list(tmp_path.rglob("*.part"))
    assert file_rows(tmp_path) == rows


def test_verify_refuses_a_file_that_is_not_a_pdf(run, tmp_path):
    (tmp_path / "x.pdf").write_text("hello")
    result = run("verify", tmp_path / "x.pdf")
    assert result.exit_code == 1 and result.stderr.splitlines()[-1] == \
        f"Error: {tmp_path / 'x.pdf'} is not a PDF file"


def test_a_wrong_passphrase_at_make_time_takes_no_number(run, p12, tmp_path):
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--sign", p12,
                 SOPDOCS_P12_PASSPHRASE="salah")
    assert result.exit_code == 1 and "wrong passphrase" in result.stderr
    assert not (tmp_path / "output").exists() or not list((tmp_path / "output").iterdir())
    assert file_rows(tmp_path) == 0


def test_make_sign_and_archive_keep_the_signed_file_as_the_original(run, p12, tmp_path):
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--sign", p12,
                 "--archive")
    assert result.exit_code == 0, result.output
    paths = result.stdout.splitlines()
    signed = tmp_path / "output/nota-dinas_000.8.3.3_1_Diskominfotik-2026.ttd.pdf"
    assert str(signed.relative_to(tmp_path)) in paths
    archived = [Path(p) for p in paths if "arsip" in p]
    assert sorted(p.suffix for p in archived) == [".docx", ".json", ".json", ".pdf"]
    (pdf,) = [p for p in archived if p.suffix == ".pdf"]
    assert pdf.read_bytes() == signed.read_bytes()
    sidecar = yaml.safe_load(next(p for p in archived if p.name.endswith(".srikandi.json"))
                             .read_text())
    assert sidecar["kotak_ttd"][0]["halaman"] == 1
    check = run("archive", "check", signed)
    assert check.exit_code == 0 and "archived original" in check.stdout
    assert "archived" in run("verify", signed).stdout


def test_keys_new_writes_a_private_key_file_once_with_the_warning(run, tmp_path):
    result = run("keys", "new", "--cn", "Sekretariat Diskominfotik", "--out",
                 tmp_path / "k.p12")
    assert result.exit_code == 0, result.output
    assert "tidak tersertifikasi" in result.stderr and "PP 71/2019" in result.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "k.p12").st_mode) == 0o600
    again = run("keys", "new", "--cn", "x", "--out", tmp_path / "k.p12")
    assert again.exit_code != 0 and "already exists" in again.stderr


# --- the electronic variant and certified roots -----------------------------------------

def test_the_tte_variant_has_the_box_for_the_visible_signature_and_the_footer(
        workspace, nota_dinas_data, tmp_path):
    footer = workspace.office.tte.footer
    with electronic(footer):
        result = make_document("nota-dinas", nota_dinas_data, workspace,
                               out_dir=tmp_path / "output", fmt="pdf")
    summary = summary_of(workspace, result.paths[0])
    assert summary.tte and summary.kotak_ttd[0].tinggi == pytest.approx(TTE_SPACE, abs=0.1)
    text = pdf_text(result.paths[0])
    assert squash(footer) in text
    assert "BSrE" not in text and "tersertifikasi" not in text  # claims no certification
    verdict = verify_file(result.paths[0], register_of(workspace), [])
    assert not verdict.ok  # a file laid out for a signature is not finished unsigned
    assert "problem: laid out for an electronic signature (--tte), and its footer says so, " \
        "but not signed" in verdict.lines()


def _ca_and_leaf(tmp_path: Path) -> tuple[Path, Path]:
    """A root CA (as BSrE's would be) and a key issued by it, as a PKCS#12 file."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Root CA Uji")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(1)
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Drs. JASMAN, MM"),
                                     x509.NameAttribute(NameOID.SERIAL_NUMBER,
                                                        "196801011988091001")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    root = tmp_path / "root.pem"
    root.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    p12 = tmp_path / "certified.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"leaf", key, leaf, [ca], serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    return root, p12


def test_a_certificate_chaining_to_a_configured_root_is_certified(tmp_path, nota_dinas_data):
    from sopdocs.office import data_path, load_office

    root, p12 = _ca_and_leaf(tmp_path)
    profile = yaml.safe_load(data_path("office-sample.yaml").read_text())
    profile["tte"] = {"akar_tersertifikasi": [root.name]}
    (tmp_path / "sopdocs.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True))
    ws = load_office(tmp_path / "sopdocs.yaml")
    pdf = make_document("nota-dinas", nota_dinas_data, ws, out_dir=tmp_path / "output",
                        fmt="pdf").paths[0]
    signed = sign(ws, pdf, p12)
    (box,) = summary_of(ws, pdf).kotak_ttd
    assert "tersertifikasi (Root CA Uji)" in text_in(signed, box)
    assert "tidak tersertifikasi" not in text_in(signed, box)
    assert "Balai Besar Sertifikasi Elektronik (BSrE)" in pdf_text(signed)  # every page
    verdict = verify_file(signed, register_of(ws), ws.certified_roots)
    assert verdict.ok and "  trust: tersertifikasi" in "\n".join(verdict.lines())
    # without the root configured the same signature is not called certified
    unknown = verify_file(signed, register_of(ws), [])
    assert any("trust: tidak diketahui" in line for line in unknown.lines())


def test_a_profile_root_that_is_not_a_certificate_is_refused(tmp_path):
    from sopdocs.errors import RecordError
    from sopdocs.office import data_path, load_office

    profile = yaml.safe_load(data_path("office-sample.yaml").read_text())
    profile["tte"] = {"akar_tersertifikasi": ["root.pem"]}
    (tmp_path / "root.pem").write_text("not a certificate")
    (tmp_path / "sopdocs.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True))
    with pytest.raises(RecordError, match=r"tte\.akar_tersertifikasi\.1: root\.pem is not a "):
        load_office(tmp_path / "sopdocs.yaml")


def test_signing_adds_no_page(workspace, made, p12):
    signed = sign(workspace, made, p12)
    assert len(PdfReader(signed).pages) == len(PdfReader(made).pages)


@pytest.mark.parametrize("kind", ["berita-acara", "laporan", "nota-dinas", "surat",
                                  "surat-tugas", "tanda-terima"])
def test_every_kind_reserves_a_blank_box_per_signer(workspace, tmp_path, kind):
    data = yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text())
    pdf = make_document(kind, data, workspace, out_dir=tmp_path / "output", fmt="pdf").paths[0]
    summary = summary_of(workspace, pdf)
    assert summary.kotak_ttd and all(text_in(pdf, box) == "" for box in summary.kotak_ttd)
    # every signer the summary names has a box (a berita acara's witness has one too)
    assert {s.nama for s in summary.penandatangan} <= {box.nama for box in summary.kotak_ttd}


def test_a_signature_on_page_two_goes_into_its_box(workspace, tmp_path, p12):
    data = yaml.safe_load((SAMPLES / "berita-acara.yaml").read_text())
    pdf = make_document("berita-acara", data, workspace, out_dir=tmp_path / "output",
                        fmt="pdf").paths[0]
    summary = summary_of(workspace, pdf)
    box = next(b for b in summary.kotak_ttd if b.nama == summary.signer.nama)
    assert box.halaman == 2  # the sample's signatures are on page 2
    signed = sign(workspace, pdf, p12)
    assert summary.signer.nama in text_in(signed, box)
    assert words_outside(signed, box) == words_outside(pdf, box)


def test_a_summary_of_version_1_still_loads_without_a_box():
    old = ('{"hal": "Uji", "versi": 1, "jenis": "nota-dinas", "jenis_naskah": "Nota Dinas", '
           '"nomor": "000/1/X-2026", "tanggal": "2026-11-23", "instansi": "DINAS", '
           '"unit": "X"}')
    summary = load(old)
    assert (summary.versi, summary.kotak_ttd, summary.tte) == (1, [], False)
