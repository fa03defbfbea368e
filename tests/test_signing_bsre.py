"""``sopdocs sign --bsre``: against a small local service that follows BSrE's esign-client
API v2 (``POST /api/v2/sign/pdf``, Basic auth, JSON with nik, passphrase,
signatureProperties and the file in base64; the signed file back in base64). It fails
closed and never shows the passphrase."""

from __future__ import annotations

import base64
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_signing import PASSPHRASE, _ca_and_leaf, file_rows

from conftest import SAMPLES
from sopdocs.cli import cli

NIK = "1371010101800001"
BSRE_PASSPHRASE = "rahasia-bsre"


class _Bsre(BaseHTTPRequestHandler):
    """esign-client v2 as documented: checks the request, signs with a key issued by a test
    root (standing in for BSrE's), answers {"file": [base64]} or {"error", "status_code"}."""

    p12: Path
    mode = "ok"
    requests: list[dict]

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        assert self.path == "/api/v2/sign/pdf"
        assert self.headers["Authorization"] == "Basic " + base64.b64encode(
            b"esign:klien").decode()
        (props,) = body["signatureProperties"]
        if body["nik"] != NIK or body["passphrase"] != BSRE_PASSPHRASE:
            return self._answer(400, {"status_code": 2031, "error": "Passphrase anda salah"})
        pdf = base64.b64decode(body["file"][0])
        if self.mode == "unsigned":
            return self._answer(200, {"file": [base64.b64encode(pdf).decode()]})
        return self._answer(200, {"file": [base64.b64encode(self._sign(pdf, props)).decode()]})

    def _sign(self, pdf: bytes, props: dict) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign import fields, signers

        from sopdocs.signing.credentials import P12, signer_of

        page = props["page"] - 1
        height = float(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Kids"][page]
                       .get_object()["/MediaBox"][3])
        y = height - props["originY"] - props["height"]  # BSrE: from the top
        box = (int(props["originX"]), int(y), int(props["originX"] + props["width"]),
               int(y + props["height"]))
        with signer_of(P12(self.p12, PASSPHRASE.encode())) as signer:
            out = io.BytesIO()
            signers.PdfSigner(signers.PdfSignatureMetadata(field_name="BSrE"), signer,
                              new_field_spec=fields.SigFieldSpec("BSrE", on_page=page, box=box)
                              ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
        return out.getvalue()

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def office(tmp_path, monkeypatch):
    """A workspace whose profile lists the test root as certified, and the service."""
    from sopdocs.office import data_path

    root, p12 = _ca_and_leaf(tmp_path)
    profile = yaml.safe_load(data_path("office-sample.yaml").read_text())
    profile["tte"] = {"akar_tersertifikasi": [root.name]}
    (tmp_path / "sopdocs.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    monkeypatch.setenv("SOPDOCS_BSRE_USER", "esign")
    monkeypatch.setenv("SOPDOCS_BSRE_PASSWORD", "klien")
    _Bsre.p12, _Bsre.mode, _Bsre.requests = p12, "ok", []
    server = HTTPServer(("127.0.0.1", 0), _Bsre)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def run(*args, **env):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def made() -> Path:
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--format", "pdf")
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def test_bsre_signs_in_the_reserved_box_and_the_register_keeps_it(office, tmp_path):
    pdf = made()
    result = run("sign", pdf, "--bsre", office, "--nik", NIK,
                 SOPDOCS_BSRE_PASSPHRASE=BSRE_PASSPHRASE)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(pdf.with_name(pdf.stem + ".ttd.pdf"))]
    (request,) = _Bsre.requests
    (props,) = request["signatureProperties"]
    assert props["tampilan"] == "VISIBLE" and props["page"] == 1
    assert props["width"] == pytest.approx(231.86, abs=0.5)
    assert base64.b64decode(request["file"][0]) == pdf.read_bytes()
    checked = run("verify", pdf.with_name(pdf.stem + ".ttd.pdf"))
    assert checked.exit_code == 0, checked.output
    assert "  trust: tersertifikasi" in checked.stdout
    assert file_rows(tmp_path) == 2


@pytest.mark.parametrize("mode", ["wrong passphrase", "unsigned answer", "no service"])
def test_bsre_fails_closed(office, tmp_path, mode):
    pdf = made()
    passphrase, url = BSRE_PASSPHRASE, office
    if mode == "wrong passphrase":
        passphrase = "salah-sekali"
    elif mode == "unsigned answer":
        _Bsre.mode = "unsigned"
    else:
        url = "http://127.0.0.1:9"
    result = run("sign", pdf, "--bsre", url, "--nik", NIK, SOPDOCS_BSRE_PASSPHRASE=passphrase)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1].startswith("Error: BSrE")
    assert passphrase not in result.output + result.stderr
    assert not pdf.with_name(pdf.stem + ".ttd.pdf").exists()
    assert file_rows(tmp_path) == 1
