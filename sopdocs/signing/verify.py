"""``sopdocs verify FILE.pdf``: who signed, when, whether the file is intact, whether anything
was added after signing, whether the certificate is certified, and what the register says.

Works on any PDF: a signed one is checked with pyHanko's validator (the signature, the
document's coverage, the changes in later incremental updates); an unsigned one, and a
signed one too, is looked up in the register by its SHA-256 (a file with bytes added after
signing, by the SHA-256 of the revision that was signed). The file is OK only when every
signature is intact and covers the whole file, and the file is a registered, valid
(not void) document's file.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import idn
from ..registry import Entry, Register
from ..summary import Summary, load
from . import TERSERTIFIKASI, TIDAK_TERSERTIFIKASI, SigningError, printable
from .pades import bare_name, holder, load_certificate, read_pdf

UNKNOWN = "tidak diketahui"
#: How many of the latest revisions are looked up in the register.
MAX_REVISIONS = 64
_TRUST_NOTE = {
    TERSERTIFIKASI: "chains to a root the office profile lists as certified",
    TIDAK_TERSERTIFIKASI: ("self-signed (an office certificate): internal integrity only, not "
                           "a certified electronic signature under PP 71/2019"),
    UNKNOWN: ("issued by a CA the office profile does not list as certified "
              "(tte.akar_tersertifikasi)"),
}


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of the file, as the validator found it."""

    field: str
    signer: str
    nip: str
    signed_at: datetime | None
    timestamp: datetime | None
    intact: bool
    valid: bool
    whole_file: bool
    #: bytes after the signed revision; -1 when the signed range is not a revision of this
    #: file (it ends past the file, or not at an end-of-file marker): rewritten since
    added_after: int
    trust: str
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.whole_file and not self.problem


@dataclass
class Verdict:
    """Everything ``verify`` says about one file, and whether it is OK."""

    path: Path
    sha256: str
    signatures: list[SignatureCheck] = field(default_factory=list)
    register: list[str] = field(default_factory=list)
    matched: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.matched and not self.problems and all(s.ok for s in self.signatures)

    def lines(self) -> list[str]:
        """The report, one fact a line."""
        out = [f"file: {self.path}", f"sha256: {self.sha256}"]
        if not self.signatures:
            out.append("signatures: none")
        for n, s in enumerate(self.signatures, 1):
            out += [f"signature {n} ({s.field}):",
                    f"  signer: {s.signer}" + (f", NIP {s.nip}" if s.nip else "")]
            if s.signed_at:
                out.append(f"  signed at: {s.signed_at.astimezone():%Y-%m-%d %H:%M:%S %z} "
                           "(signer's clock)")
            if s.timestamp:
                out.append(f"  timestamp: {s.timestamp.astimezone():%Y-%m-%d %H:%M:%S %z} "
                           "(timestamp authority)")
            out.append(f"  intact: {'yes' if s.intact and s.valid else 'NO'}"
                       + (f" ({s.problem})" if s.problem else ""))
            out.append("  modified after signing: " + (
                "no" if s.whole_file else
                f"YES: {s.added_after} bytes added after signing (incremental update)"
                if s.added_after > 0 else
                "YES: the file was rewritten after signing (the signed bytes are not where "
                "the signature says)"))
            out.append(f"  trust: {s.trust} ({_TRUST_NOTE[s.trust]})")
        out += [f"register: {line}" for line in self.register]
        out += [f"problem: {p}" for p in self.problems]
        out.append("result: OK" if self.ok else "result: NOT OK")
        return [printable(line) for line in out]


def verify_file(path: Path, register: Register, roots: list[Path]) -> Verdict:
    """Check ``path`` (any PDF); raise SigningError when it is not a PDF at all."""
    data = read_pdf(path)
    verdict = Verdict(path, hashlib.sha256(data).hexdigest())
    signed_revisions = []
    if b"/ByteRange" in data:
        for check, revision_end in signatures_of(data, roots):
            verdict.signatures.append(check)
            signed_revisions.append(revision_end)
    entries = register.documents_with_file(verdict.sha256)
    if entries:
        verdict.matched = _describe(verdict, register, entries, verdict.sha256)
        if not signed_revisions and any(load(e.summary_json).tte for e in entries):
            verdict.problems.append("laid out for an electronic signature (--tte), and its "
                                    "footer says so, but not signed")
    elif earlier := _registered_revision(data, signed_revisions, register):
        end, entries = earlier
        _describe(verdict, register, entries, hashlib.sha256(data[:end]).hexdigest())
        verdict.problems.append(f"the file is not as registered: {len(data) - end} bytes "
                                "were added after the registered file (an incremental "
                                "update)")
    else:
        verdict.register.append("no document of the register has this file (changed, or "
                                "not made by this office's sopdocs)")
    return verdict


def _registered_revision(data: bytes, signed_ends: list[int], register: Register
                         ) -> tuple[int, list[Entry]] | None:
    """The longest earlier revision of the file (the bytes up to a signature's end or to an
    end-of-file marker) that the register holds, with its documents; None if there is none.
    Says what an altered file was: a registered file with an update appended."""
    ends = set(signed_ends)
    for marker in re.finditer(rb"%%EOF(\r\n|\r|\n)?", data):
        ends.update((marker.start() + 5, marker.end()))
    digest, done, prefixes = hashlib.sha256(), 0, []
    for end in sorted(e for e in ends if 0 < e < len(data))[-MAX_REVISIONS:]:
        digest.update(data[done:end])  # one pass over the file, however many markers
        done = end
        prefixes.append((end, digest.copy().hexdigest()))
    for end, sha in reversed(prefixes):
        if entries := register.documents_with_file(sha):
            return end, entries
    return None


def _describe(verdict: Verdict, register: Register, entries: list[Entry], sha: str) -> bool:
    """Register lines for the documents holding the file of ``sha``; whether all are valid."""
    archived = {a.document_id for a in register.archived()}
    ok = True
    for entry in entries:
        summary = load(entry.summary_json)
        role = next(("signed copy" if f.signed_from else "file" for f in entry.files
                     if f.sha256 == sha), "file")
        status = "void (batal: " + (entry.void_reason or "") + ")" if entry.status == "batal" \
            else "valid"
        verdict.register.append(
            f"{role} of {summary.jenis_naskah} {entry.nomor} ({idn.tanggal(entry.tanggal)}), "
            f"{status}, {'archived' if entry.id in archived else 'not archived'}")
        if verdict.signatures and (missing := _not_signed_by(summary, verdict.signatures)):
            verdict.register.append("not signed by: " + ", ".join(missing))
        if entry.status == "batal":
            verdict.problems.append(f"{entry.nomor} is void")
            ok = False
    return ok


def _not_signed_by(summary: Summary, signatures: list[SignatureCheck]) -> list[str]:
    """The signers with a box on the document whom no signature's certificate names (a
    berita acara signed by one party of two): said, so that nobody takes it as complete."""
    names = {bare_name(s.signer) for s in signatures}
    nips = {s.nip for s in signatures if s.nip}
    by_name = {s.nama: re.sub(r"\D", "", s.nip) for s in summary.penandatangan}
    return [box.nama for box in summary.kotak_ttd
            if bare_name(box.nama) not in names and by_name.get(box.nama) not in nips]


def signatures_of(data: bytes, roots: list[Path]) -> list[tuple[SignatureCheck, int]]:
    """Each signature's check and where its signed revision ends."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise SigningError("the PDF is encrypted; sopdocs makes and checks unencrypted "
                               "files only")
        embedded = reader.embedded_signatures
    except (PdfError, ValueError, KeyError) as exc:
        raise SigningError(f"the PDF's signatures cannot be read ({exc})") from None
    anchors = [load_certificate(p) for p in roots]
    out = []
    for sig in embedded:
        byte_range = [int(v) for v in sig.sig_object["/ByteRange"]]
        end = byte_range[2] + byte_range[3]
        revision = end <= len(data) and data[:end].rstrip(b"\r\n").endswith(b"%%EOF")
        out.append((_check(sig, anchors, len(data) - end if revision else -1), end))
    return out


def _check(sig: Any, anchors: list[Any], added: int) -> SignatureCheck:
    """Validate one embedded signature (no fetching: offline, as sopdocs is)."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    name = str(sig.field_name)
    try:
        cert = sig.signer_cert
    except Exception:  # a damaged CMS blob: pyHanko raises several kinds
        return SignatureCheck(name, "?", "", None, None, False, False, added == 0, added,
                              UNKNOWN, "the signature's data is damaged")
    name, nip = holder(cert)
    signer = name or cert.subject.human_friendly
    context = ValidationContext(trust_roots=anchors, allow_fetching=False,
                                revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # the validator's own errors: report, do not crash
        return SignatureCheck(name, signer, nip, None, None, False, False, added == 0, added,
                              UNKNOWN, f"cannot be validated: {type(exc).__name__}")
    if status.trusted:
        trust = TERSERTIFIKASI
    elif cert.self_signed in ("maybe", "yes") or cert.issuer == cert.subject:
        trust = TIDAK_TERSERTIFIKASI
    else:
        trust = UNKNOWN
    stamp = status.timestamp_validity
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SignatureCheck(
        name, signer, nip, status.signer_reported_dt, stamp.timestamp if stamp else None,
        bool(status.intact), bool(status.intact and status.valid), whole and added == 0,
        added, trust)

