"""``sopdocs sign --bsre URL``: a certified signature through the office's BSrE esign-client
service (BSSN's certification authority), instead of a key sopdocs holds.

The request follows esign-client API v2, ``POST {URL}/api/v2/sign/pdf`` with the client's
Basic credentials and JSON ``{nik, passphrase, signatureProperties: [{tampilan, page,
originX, originY, width, height, location, reason}], file: [base64 PDF]}``; the answer is
``{file: [base64 signed PDF]}``, an error ``{error, status_code}``. The visible signature
goes into the box the layout reserved (BSrE draws its own mark there); a document without
one is signed invisibly. The adapter fails closed: any error, or an answer that is not a
signed PDF, leaves no file and no register row, and the passphrase is never part of a
message.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..office import Workspace
from ..registry import Register
from ..summary import Kotak
from . import SigningError, printable
from .pades import Signed, Unsigned, box_for, check_unsigned, exclusive, store_signed

SIGN_PATH = "/api/v2/sign/pdf"
#: What a BSrE answer may weigh (base64 of a signed naskah is well under this).
MAX_ANSWER_BYTES = 80 * 1024 * 1024


@dataclass(frozen=True)
class Bsre:
    """The office's esign-client service and the signer's NIK and passphrase."""

    url: str
    nik: str
    passphrase: str = field(repr=False)  # never in a message or a log
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 60


def properties(box: Kotak | None, page_height: float, location: str, reason: str
               ) -> dict[str, Any]:
    """One ``signatureProperties`` item: VISIBLE in the reserved box, else INVISIBLE.
    BSrE measures ``originY`` from the top of the page (as its clients place a QR at the
    bottom with ``height - qr``), sopdocs' boxes from the bottom: converted here."""
    if box is None:
        return {"tampilan": "INVISIBLE", "location": location, "reason": reason}
    return {"tampilan": "VISIBLE", "page": box.halaman, "originX": round(box.x, 2),
            "originY": round(page_height - box.y - box.tinggi, 2),
            "width": round(box.lebar, 2), "height": round(box.tinggi, 2),
            "location": location, "reason": reason}


def sign_with_bsre(paths: list[Path], bsre: Bsre, register: Register,
                   workspace: Workspace) -> list[Signed]:
    """Sign each file through BSrE and register the signed copies (all or nothing)."""
    import httpx

    checked = check_unsigned(paths, register)
    results: list[tuple[Unsigned, bytes, str | None, list[str]]] = []
    with httpx.Client(timeout=bsre.timeout) as client, exclusive(checked, register):
        for item in checked:
            signed = _signed_by_bsre(client, bsre, item, workspace)
            results.append((item, signed, *_trust(signed, item, workspace)))
        return store_signed(register, results)


def _trust(signed: bytes, item: Unsigned, workspace: Workspace) -> tuple[str | None, list[str]]:
    """Check the returned file's signature as ``verify`` does: it must be intact, valid and
    cover the whole file (else SigningError); certified only when it chains to a root the
    profile lists, else a warning."""
    from .verify import TERSERTIFIKASI, signatures_of

    checks = signatures_of(signed, workspace.certified_roots)
    if not checks or not all(check.ok for check, _ in checks):
        raise SigningError(f"BSrE answered for {item.path.name} with a signature that does "
                           "not check out")
    if all(check.trust == TERSERTIFIKASI for check, _ in checks):
        return "BSrE", []
    return None, [f"{item.target.name}: the certificate BSrE used does not chain to a root "
                  "listed in the profile (tte.akar_tersertifikasi): not called certified"]


def _signed_by_bsre(client: Any, bsre: Bsre, item: Unsigned, workspace: Workspace) -> bytes:
    """The signed PDF BSrE returns for ``item``; SigningError on any failure."""
    import httpx

    summary = item.summary
    box = box_for(summary)
    payload = {
        "nik": bsre.nik, "passphrase": bsre.passphrase,
        "signatureProperties": [properties(
            box, _page_height(item.data, box), workspace.office.tempat,
            f"Penandatanganan {summary.jenis_naskah} {summary.nomor}")],
        "file": [base64.b64encode(item.data).decode("ascii")],
    }
    auth = (bsre.user, bsre.password) if bsre.user else None
    where = bsre.url.rstrip("/") + SIGN_PATH
    try:
        answer = client.post(where, json=payload, auth=auth)
    except httpx.HTTPError as exc:
        raise SigningError(f"BSrE {where}: no answer ({type(exc).__name__})") from None
    if len(answer.content) > MAX_ANSWER_BYTES:
        raise SigningError(f"BSrE {where}: the answer is too large")
    try:
        body = answer.json()
    except ValueError:
        body = None
    if answer.status_code != 200 or not isinstance(body, dict) or not body.get("file"):
        said = body.get("error") or body.get("message") if isinstance(body, dict) else None
        said = printable(str(said or answer.reason_phrase or "").replace(
            bsre.passphrase or "\0", "***"))[:200]
        raise SigningError(f"BSrE refused {item.path.name} (HTTP {answer.status_code}"
                           + (f": {said}" if said else "") + ")")
    try:
        signed = base64.b64decode(body["file"][0], validate=True)
    except (ValueError, TypeError, IndexError, KeyError):
        raise SigningError(f"BSrE answered for {item.path.name} with a file that is not "
                           "base64") from None
    if not signed.startswith(b"%PDF-") or b"/ByteRange" not in signed:
        raise SigningError(f"BSrE answered for {item.path.name} with a file that is not a "
                           "signed PDF")
    return signed


def _page_height(data: bytes, box: Kotak | None) -> float:
    """The height of the box's page, in points (from its MediaBox)."""
    if box is None:
        return 0.0
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    page = PdfFileReader(io.BytesIO(data), strict=False).find_page_for_modification(
        box.halaman - 1)[0].get_object()
    bottom, top = float(page["/MediaBox"][1]), float(page["/MediaBox"][3])
    return top - bottom
