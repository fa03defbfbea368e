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
                     "NIP 19680101 198809 1 001", "Tanda tangan elektronik tidak tersertifikasi"):
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
    assert any("bytes were added after the registered file" in line for line in lines)
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
    signer = tmp_path / "pihak-pertama.p12"  # the box of the certificate's holder is used
    signer.write_bytes(new_p12(summary.signer.nama, PASSPHRASE.encode(), key_size=2048))
    signed = sign(workspace, pdf, signer)
    assert summary.signer.nama in text_in(signed, box)
    assert words_outside(signed, box) == words_outside(pdf, box)
    # one party of two (and the witness) signed: verify is OK for the file and says so
    verdict = verify_file(signed, register_of(workspace), [])
    assert verdict.ok
    others = [b.nama for b in summary.kotak_ttd if b.nama != summary.signer.nama]
    assert verdict.register[-1] == "not signed by: " + ", ".join(others) and len(others) == 2


def test_a_summary_of_version_1_still_loads_without_a_box():
    old = ('{"hal": "Uji", "versi": 1, "jenis": "nota-dinas", "jenis_naskah": "Nota Dinas", '
           '"nomor": "000/1/X-2026", "tanggal": "2026-11-23", "instansi": "DINAS", '
           '"unit": "X"}')
    summary = load(old)
    assert (summary.versi, summary.kotak_ttd, summary.tte) == (1, [], False)


# --- as an adversary: what verify and sign must withstand ------------------------------

def p12_of(tmp_path: Path, cn: str, *, nip: str = "", valid_days: tuple[int, int] = (-1, 30)
           ) -> Path:
    """A self-signed key for any name (keys new refuses odd names) and validity period."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if nip:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, nip))
    name = x509.Name(attributes)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7)
            .not_valid_before(now + timedelta(days=valid_days[0]))
            .not_valid_after(now + timedelta(days=valid_days[1]))
            .sign(key, hashes.SHA256()))
    path = tmp_path / f"key-{abs(hash((cn, nip, valid_days)))}.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"k", key, cert, None, serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    return path


def sign_outside_sopdocs(source: Path, target: Path, key: Path) -> Path:
    """Sign with pyHanko directly, as someone without sopdocs (or against it) would."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from sopdocs.signing.credentials import signer_of

    with signer_of(P12(key, PASSPHRASE.encode())) as signer, source.open("rb") as handle:
        out = io.BytesIO()
        signers.PdfSigner(signers.PdfSignatureMetadata(
            field_name="Lain", subfilter=fields.SigSeedSubFilter.PADES), signer).sign_pdf(
            IncrementalPdfFileWriter(handle, strict=False), output=out)
    target.write_bytes(out.getvalue())
    return target


def changed_page(source: Path, target: Path) -> Path:
    """``source`` with an incremental update that replaces page 1's text."""
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(str(source), incremental=True)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 30 Tf 100 400 Td (PALSU) Tj ET")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    writer.write(target)
    return target


def test_an_update_appended_to_an_unsigned_registered_file_is_named_and_not_ok(workspace,
                                                                                 made, tmp_path):
    verdict = verify_file(changed_page(made, tmp_path / "x.pdf"), register_of(workspace), [])
    assert not verdict.ok
    assert any(line.startswith("file of Nota Dinas") for line in verdict.register)
    assert any("bytes were added after the registered file" in p for p in verdict.problems)


def test_a_second_signature_over_an_altered_revision_is_not_ok(workspace, made, p12, tmp_path):
    signed = sign(workspace, made, p12)
    other = p12_of(tmp_path, "Drs. JASMAN, MM", nip="196801011988091001")
    forged = sign_outside_sopdocs(changed_page(signed, tmp_path / "changed.pdf"),
                                  tmp_path / "forged.pdf", other)
    verdict = verify_file(forged, register_of(workspace), [])
    lines = verdict.lines()
    assert not verdict.ok and lines[-1] == "result: NOT OK"
    first, second = verdict.signatures
    assert not first.whole_file and second.intact  # the forger's own signature is intact
    assert any("signed copy of Nota Dinas" in line for line in verdict.register)
    assert any("bytes were added after the registered file" in p for p in verdict.problems)


def test_a_file_signed_by_another_key_is_not_ok(workspace, made, tmp_path):
    other = p12_of(tmp_path, "Drs. JASMAN, MM", nip="196801011988091001")
    verdict = verify_file(sign_outside_sopdocs(made, tmp_path / "other.pdf", other),
                          register_of(workspace), [])
    assert not verdict.ok and verdict.signatures[0].intact
    assert any("file of Nota Dinas" in line for line in verdict.register)  # what it was


def test_a_signed_file_rewritten_whole_is_not_ok(workspace, made, p12, tmp_path):
    signed = sign(workspace, made, p12)
    rewritten = tmp_path / "linear.pdf"
    subprocess.run([need("qpdf"), "--linearize", signed, rewritten], check=True)
    verdict = verify_file(rewritten, register_of(workspace), [])
    lines = verdict.lines()
    assert not verdict.ok and lines[-1] == "result: NOT OK"
    assert "  modified after signing: YES: the file was rewritten after signing (the signed " \
        "bytes are not where the signature says)" in lines


@pytest.mark.parametrize("kind", ["zip", "truncated", "encrypted", "prepended", "too large",
                                  "forged block"])
def test_verify_answers_a_hostile_file_in_one_line_and_exit_1(run, cli_made, p12, tmp_path,
                                                              kind):
    import zipfile

    assert run("sign", cli_made, "--p12", p12).exit_code == 0
    signed = signed_path(cli_made).read_bytes()
    target = tmp_path / "hostile.pdf"
    if kind == "zip":
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("a.txt", "x")
    elif kind == "truncated":
        target.write_bytes(signed[:-10])
    elif kind == "encrypted":
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(signed)))
        writer.encrypt("", "pemilik")
        writer.write(target)
    elif kind == "prepended":
        target.write_bytes(b"%PDF-1.7\n%x\n" + signed)
    elif kind == "too large":
        target.write_bytes(b"%PDF-1.7\n")
        os.truncate(target, 51 * 2**20)  # sparse: no 51 MB written
    else:  # the signed page with the signature taken away, block and all kept
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(signed)))
        del writer._root_object["/AcroForm"]
        for page in writer.pages:
            page.pop("/Annots", None)
        writer.write(target)
    result = run("verify", target)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert (len(errors) == 1 and not result.stdout) or \
        (not errors and result.stdout.splitlines()[-1] == "result: NOT OK")


def test_a_hostile_signer_name_is_printed_on_one_line(workspace, made, tmp_path):
    key = p12_of(tmp_path, "Budi\nresult: OK\x1b[1A\u202eKM")
    verdict = verify_file(sign_outside_sopdocs(made, tmp_path / "x.pdf", key),
                          register_of(workspace), [])
    lines = verdict.lines()
    assert [line for line in lines if line.startswith("result:")] == ["result: NOT OK"]
    assert all(c.isprintable() for line in lines for c in line)
    assert "  signer: Budi\\u000aresult: OK\\u001b[1A\\u202eKM" in lines


@pytest.mark.parametrize("cn", ["Budi\nSantoso", "Budi \u202eSantoso", "B" * 65])
def test_keys_new_refuses_a_name_that_is_not_one_plain_line(run, tmp_path, cn):
    result = run("keys", "new", "--cn", cn, "--out", tmp_path / "k.p12")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[-1].startswith("Error: ") and "(--cn)" in result.stderr
    assert not (tmp_path / "k.p12").exists()


def test_a_long_instansi_is_cut_to_fit_the_certificate():
    from cryptography.hazmat.primitives.serialization import pkcs12

    data = new_p12("Budi", b"pw", organization="DINAS " * 20, key_size=2048)
    cert = pkcs12.load_key_and_certificates(data, b"pw")[1]
    assert cert is not None
    (org,) = [a.value for a in cert.subject if a.oid.dotted_string == "2.5.4.10"]
    assert org.startswith("DINAS DINAS") and len(org) <= 64


def test_the_signed_copy_is_never_written_through_a_symbolic_link(run, cli_made, p12,
                                                                   tmp_path):
    elsewhere = tmp_path / "elsewhere.pdf"
    signed_path(cli_made).symlink_to(elsewhere)  # dangling: exists() says no
    rows = file_rows(tmp_path)
    result = run("sign", cli_made, "--p12", p12)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "already exists" in result.stderr.splitlines()[-1]
    assert not elsewhere.exists() and signed_path(cli_made).is_symlink()
    assert file_rows(tmp_path) == rows and not list(tmp_path.rglob("*.part"))


def test_a_document_has_one_signed_copy(run, cli_made, p12, tmp_path):
    assert run("sign", cli_made, "--p12", p12).exit_code == 0
    copy = tmp_path / "salinan" / cli_made.name
    copy.parent.mkdir()
    copy.write_bytes(cli_made.read_bytes())
    rows = file_rows(tmp_path)
    result = run("sign", copy, "--p12", p12)
    assert result.exit_code == 1 and "is signed already" in result.stderr
    assert not signed_path(copy).exists() and file_rows(tmp_path) == rows


def test_two_processes_signing_one_file_leave_one_signed_copy(run, cli_made, p12, tmp_path):
    import sys

    env = {**os.environ, "SOPDOCS_P12_PASSPHRASE": PASSPHRASE}
    command = [sys.executable, "-m", "sopdocs", "sign", str(cli_made), "--p12", str(p12)]
    procs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(p.wait(), p.communicate()) for p in procs]
    assert sorted(code for code, _ in results) == [0, 1, 1]
    assert all("Traceback" not in err for _, (_, err) in results)
    from sopdocs.registry import open_register

    (entry,) = open_register(tmp_path / "sopdocs.db").entries()
    assert [Path(f.path).name for f in entry.files if f.signed_from] == \
        [signed_path(cli_made).name]
    assert not list(tmp_path.rglob("*.part"))


def test_a_certificate_of_someone_who_does_not_sign_the_document_is_refused(workspace,
                                                                           tmp_path, p12):
    from sopdocs.signing import SigningError

    data = yaml.safe_load((SAMPLES / "berita-acara.yaml").read_text())
    pdf = make_document("berita-acara", data, workspace, out_dir=tmp_path / "output",
                        fmt="pdf").paths[0]
    with pytest.raises(SigningError, match="not among the document's signers"):
        sign(workspace, pdf, p12)  # Drs. JASMAN's key: he is no party to this berita acara
    assert not signed_path(pdf).exists()


def test_the_box_is_the_certificate_holders_by_nip_or_name_without_gelar(workspace, made):
    from sopdocs.signing.pades import bare_name, box_of_holder

    summary = summary_of(workspace, made)

    def cert(cn: str, serial: str = ""):
        from asn1crypto import x509

        name = {"common_name": cn, **({"serial_number": serial} if serial else {})}
        return x509.Certificate({"tbs_certificate": {"subject": x509.Name.build(name)}})

    assert bare_name("Drs. JASMAN, MM") == bare_name("JASMAN") == "jasman"
    assert box_of_holder(summary, cert("JASMAN")).nama == "Drs. JASMAN, MM"
    assert box_of_holder(summary, cert("Jasman S.", "196801011988091001")) is not None


def test_a_box_that_is_not_on_a_page_of_the_file_is_refused(workspace, made, p12):
    from datetime import datetime

    from sopdocs.signing import SigningError
    from sopdocs.signing.credentials import signer_of
    from sopdocs.signing.pades import sign_bytes

    summary = summary_of(workspace, made)
    (box,) = summary.kotak_ttd
    for wrong in (box.model_copy(update={"halaman": 3}), box.model_copy(update={"x": 9000})):
        with signer_of(P12(p12, PASSPHRASE.encode())) as signer, \
                pytest.raises(SigningError, match="not on a page of this file"):
            sign_bytes(made.read_bytes(), signer, summary, workspace, None, wrong, tsa=None,
                       when=datetime.now().astimezone())


@pytest.mark.parametrize("valid_days", [(-30, -1), (1, 30)])
def test_a_certificate_out_of_its_validity_does_not_sign(workspace, made, tmp_path,
                                                         valid_days):
    from sopdocs.signing import SigningError

    key = p12_of(tmp_path, "Drs. JASMAN, MM", valid_days=valid_days)
    with pytest.raises(SigningError, match="not now: it cannot sign"):
        sign(workspace, made, key)
    assert not signed_path(made).exists()


def test_an_expired_certificate_at_make_time_takes_no_number(run, tmp_path):
    key = p12_of(tmp_path, "Drs. JASMAN, MM", valid_days=(-30, -1))
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--sign", key)
    assert result.exit_code == 1 and "not now: it cannot sign" in result.stderr
    assert "Traceback" not in result.output and file_rows(tmp_path) == 0


def test_a_key_of_someone_who_does_not_sign_takes_no_number_at_make_time(run, tmp_path):
    key = p12_of(tmp_path, "FAJAR HIDAYAT, S.T.")  # the nota dinas is signed by Drs. JASMAN
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--sign", key)
    assert result.exit_code == 1 and "FAJAR HIDAYAT, S.T.'s, who is not among" in result.stderr
    assert "Traceback" not in result.output and file_rows(tmp_path) == 0
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").iterdir())
    good = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--sign",
               p12_of(tmp_path, "Drs. JASMAN, MM"))
    assert good.exit_code == 0 and "_1_Diskominfotik-2026.ttd.pdf" in good.stdout  # 1 was free


def test_a_missing_key_file_is_named_before_any_passphrase_is_asked(run, cli_made, tmp_path,
                                                                   monkeypatch):
    monkeypatch.delenv("SOPDOCS_P12_PASSPHRASE", raising=False)
    result = run("sign", cli_made, "--p12", tmp_path / "tidak-ada.p12")
    assert result.exit_code == 1 and "tidak-ada.p12: no such file (--p12)" in result.stderr
    assert "Passphrase" not in result.output


def test_the_time_of_signing_names_its_zone():
    from datetime import datetime, timedelta, timezone

    from sopdocs.signing.appearance import zone

    at = datetime(2026, 12, 1, 9, 0)
    assert [zone(at.replace(tzinfo=timezone(timedelta(hours=h)))) for h in (7, 8, 9, 0, 2)] \
        == ["WIB", "WITA", "WIT", "UTC", "UTC+2"]


def test_one_document_given_twice_in_one_call_is_refused(run, cli_made, p12, tmp_path):
    copy = tmp_path / "salinan.pdf"
    copy.write_bytes(cli_made.read_bytes())
    result = run("sign", cli_made, copy, "--p12", p12)
    assert result.exit_code == 1 and "are the same document" in result.stderr
    assert not signed_path(cli_made).exists() and not signed_path(copy).exists()
    assert file_rows(tmp_path) == 1
