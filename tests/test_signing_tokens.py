"""Signing with a key on a PKCS#11 token (SoftHSM2), and PAdES B-T with a timestamp
authority (a small local RFC 3161 service)."""

from __future__ import annotations

import subprocess
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from conftest import SAMPLES, need
from sopdocs.cli import cli
from sopdocs.signing.keys import new_p12

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "1234"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)

    def invoke(*args, **env):
        return CliRunner().invoke(cli, [str(a) for a in args], env=env)

    return invoke


def made(run) -> Path:
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--format", "pdf")
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


@pytest.fixture
def token(tmp_path, monkeypatch) -> str:
    """A SoftHSM2 token holding the office's key and certificate under the label "ttd"."""
    import pkcs11
    from asn1crypto import x509 as asn1_x509
    from pkcs11 import Attribute, CertificateType, ObjectClass

    util = need("softhsm2-util")
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run([util, "--init-token", "--free", "--label", "sopdocs", "--pin", PIN,
                    "--so-pin", "5678"], check=True, capture_output=True)
    p12 = new_p12("Drs. JASMAN, MM", b"x", nip="196801011988091001", key_size=2048)
    key, cert, _ = pkcs12.load_key_and_certificates(p12, b"x")
    assert key is not None and cert is not None
    pem = tmp_path / "key.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    subprocess.run([util, "--import", pem, "--token", "sopdocs", "--label", "ttd", "--id", "01",
                    "--pin", PIN], check=True, capture_output=True)
    pem.unlink()
    der = cert.public_bytes(serialization.Encoding.DER)
    lib = pkcs11.lib(str(SOFTHSM))
    with lib.get_token(token_label="sopdocs").open(rw=True, user_pin=PIN) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.VALUE: der,
            Attribute.LABEL: "ttd", Attribute.ID: b"\x01", Attribute.TOKEN: True,
            Attribute.SUBJECT: asn1_x509.Certificate.load(der).subject.dump()})
    return "ttd"


def test_a_key_on_a_pkcs11_token_signs(run, token, tmp_path):
    pdf = made(run)
    result = run("sign", pdf, "--pkcs11", SOFTHSM, "--key-label", token,
                 SOPDOCS_PKCS11_PIN=PIN)
    assert result.exit_code == 0, result.output
    signed = Path(result.stdout.strip())
    out = subprocess.run([need("pdfsig"), signed], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Drs. JASMAN, MM" in out
    checked = run("verify", signed)
    assert checked.exit_code == 0, checked.output
    assert "NIP 196801011988091001" in checked.stdout


def test_a_wrong_pin_or_label_is_one_error_and_writes_nothing(run, token, tmp_path):
    pdf = made(run)
    for args, env in (((token,), {"SOPDOCS_PKCS11_PIN": "0000"}),
                      (("nope",), {"SOPDOCS_PKCS11_PIN": PIN})):
        result = run("sign", pdf, "--pkcs11", SOFTHSM, "--key-label", *args, **env)
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines()[-1].startswith("Error: ")
        assert PIN not in result.stderr
        assert not pdf.with_name(pdf.stem + ".ttd.pdf").exists()


class _Tsa(BaseHTTPRequestHandler):
    """An RFC 3161 service: DER TimeStampReq in, DER TimeStampResp out."""

    stamper: object

    def do_POST(self) -> None:
        from asn1crypto import tsp

        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        response = self.stamper.request_tsa_response(request)  # type: ignore[attr-defined]
        body = response.dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tsa_url():
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps import DummyTimeStamper

    now = datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA Uji")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7)
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                           critical=True)
            .sign(key, hashes.SHA256()))
    _Tsa.stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())))
    server = HTTPServer(("127.0.0.1", 0), _Tsa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_b_t_with_a_timestamp_authority(run, tsa_url, tmp_path):
    (tmp_path / "office.p12").write_bytes(new_p12("Drs. JASMAN, MM", b"pw", key_size=2048))
    pdf = made(run)
    result = run("sign", pdf, "--p12", "office.p12", "--tsa", tsa_url,
                 SOPDOCS_P12_PASSPHRASE="pw")
    assert result.exit_code == 0, result.output
    signed = Path(result.stdout.strip())
    checked = run("verify", signed)
    assert checked.exit_code == 0, checked.output
    assert "  timestamp: " in checked.stdout
    out = subprocess.run([need("pdfsig"), signed], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out


def test_an_unreachable_timestamp_authority_fails_closed(run, tmp_path):
    (tmp_path / "office.p12").write_bytes(new_p12("Drs. JASMAN, MM", b"pw", key_size=2048))
    pdf = made(run)
    result = run("sign", pdf, "--p12", "office.p12", "--tsa", "http://127.0.0.1:9/",
                 SOPDOCS_P12_PASSPHRASE="pw")
    assert result.exit_code == 1
    assert "timestamp authority http://127.0.0.1:9/" in result.stderr.splitlines()[-1]
    assert not pdf.with_name(pdf.stem + ".ttd.pdf").exists()
