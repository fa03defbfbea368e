"""Sign a final PDF sopdocs made: PAdES baseline B-B (B-T with a timestamp authority) with
pyHanko, the visible signature in the box the layout reserved, the signed copy beside the
file (``x.pdf`` → ``x.ttd.pdf``, never overwritten) and registered beside the unsigned file
(``signed_from``), all or nothing.

The visible block is drawn into the page's content in the same incremental update as the
signature, so the signature covers it and any text extractor reads it; the signature's own
widget sits on the same box with an empty appearance.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..office import Workspace
from ..registry import Entry, FileEntry, Register
from ..store import file_group
from ..summary import Facts, Kotak, Summary, load
from . import SigningError
from .appearance import Block, render_block
from .credentials import Credentials, in_force, signer_of

#: A file larger than this is not signed (a naskah dinas is well under 1 MB).
MAX_PDF_BYTES = 50 * 1024 * 1024
SUFFIX = ".ttd.pdf"
FIELD = "Tandatangan1"


@dataclass(frozen=True)
class Signed:
    """A signed copy: where it was written, its SHA-256, the unsigned file's, the number."""

    source: Path
    path: Path
    sha256: str
    signed_from: str
    nomor: str
    certified_by: str | None
    warnings: tuple[str, ...] = ()


def signed_path(path: Path) -> Path:
    """Where the signed copy of ``path`` goes: ``x.pdf`` → ``x.ttd.pdf`` beside it."""
    return path.with_name(path.name[: -len(path.suffix)] + SUFFIX if path.suffix
                          else path.name + SUFFIX)


def read_pdf(path: Path) -> bytes:
    """The bytes of a PDF file; SigningError when it is missing, too large or not a PDF."""
    try:
        if path.stat().st_size > MAX_PDF_BYTES:
            raise SigningError(f"{path} is larger than {MAX_PDF_BYTES // 2**20} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SigningError(f"{path} is a folder, not a PDF") from None
    except OSError as exc:
        raise SigningError(f"{path}: cannot read ({exc.strerror})") from None
    if not data.startswith(b"%PDF-"):
        raise SigningError(f"{path} is not a PDF file")
    return data


def certified_by(cert: Any, others: Iterable[Any], roots: list[Path]) -> str | None:
    """The name of the configured certified root ``cert`` chains to, or None."""
    if not roots:
        return None
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    anchors = [load_certificate(path) for path in roots]
    context = ValidationContext(trust_roots=anchors, other_certs=list(others),
                                allow_fetching=False, revocation_mode="soft-fail")
    validator = CertificateValidator(cert, validation_context=context)
    try:
        path = asyncio.run(validator.async_validate_usage({"digital_signature"}))
    except (PathBuildingError, PathValidationError):
        return None
    root = path.trust_anchor.authority.name
    return str(root.native.get("common_name") or root.human_friendly)


def load_certificate(path: Path) -> Any:
    """An asn1crypto certificate from a PEM or DER file."""
    from asn1crypto import pem, x509

    data = path.read_bytes()
    if pem.detect(data):
        data = pem.unarmor(data)[2]
    return x509.Certificate.load(data)


def _entry_of(register: Register, path: Path, sha: str) -> Entry:
    """The one registered document this file is (not void); SigningError otherwise."""
    found = register.documents_with_file(sha)
    if not found:
        raise SigningError(f"{path} is not a final document in the register (sopdocs signs "
                           "the numbered documents it made, unchanged since)")
    if len(found) > 1:
        raise SigningError(f"{path} holds {len(found)} documents (a batch file); sopdocs "
                           "signs one document per file")
    entry = found[0]
    if entry.status == "batal":
        raise SigningError(f"{entry.nomor} is void (batal: {entry.void_reason}); a cancelled "
                           "number is not signed")
    return entry


def box_for(summary: Summary) -> Kotak | None:
    """The box of the document's (first) signer, or the first box, or None."""
    signer = summary.signer
    boxes = summary.kotak_ttd
    mine = [b for b in boxes if signer is not None and b.nama == signer.nama]
    return next(iter(mine or boxes), None)


def box_of_holder(summary: Summary, cert: Any) -> Kotak | None:
    """The box of the signer the certificate belongs to (the same NIP, else the same name
    without gelar), or None when the document has no box (an invisible signature).

    SigningError when the document has boxes but none is the certificate holder's: the
    visible block says who signed, and must not name someone whose key did not sign."""
    boxes = summary.kotak_ttd
    if not boxes:
        return None
    nips = {s.nama: s.nip for s in summary.penandatangan}
    for box in boxes:
        if holds(cert, box.nama, nips.get(box.nama, "")):
            return box
    raise SigningError(not_a_signer(summary.nomor, cert, [box.nama for box in boxes]))


def holder(cert: Any) -> tuple[str, str]:
    """The certificate holder's name (its CN) and NIP (its subject's serial number, when that
    is 18 digits, as ``keys new --nip`` writes it), each "" when absent."""
    subject = cert.subject.native
    serial = str(subject.get("serial_number") or "")
    nip = serial if len(serial) == 18 and serial.isdigit() else ""
    return str(subject.get("common_name") or ""), nip


def holds(cert: Any, nama: str, nip: str) -> bool:
    """Whether the certificate is the signer's: the same NIP, else the same name without
    gelar."""
    name, cert_nip = holder(cert)
    return (bool(cert_nip) and re.sub(r"\D", "", nip) == cert_nip) or \
        bool(bare_name(name) and bare_name(name) == bare_name(nama))


def not_a_signer(nomor: str, cert: Any, names: list[str]) -> str:
    name = holder(cert)[0] or "(no name)"
    return (f"{nomor}: the certificate is {name}'s, who is not among the document's "
            f"signers ({', '.join(names)}); the visible block would name someone whose key "
            "did not sign")


def check_holder_signs(facts: Facts, cert: Any) -> None:
    """SigningError unless the certificate's holder is among the signers of a document with
    these ``facts``: checked before the document is numbered, so a key of someone else takes
    no number."""
    if facts.penandatangan and not any(holds(cert, s.nama, s.nip)
                                       for s in facts.penandatangan):
        raise SigningError(not_a_signer("the document", cert,
                                        [s.nama for s in facts.penandatangan]))


def bare_name(name: str) -> str:
    """A person's name without gelar, in lower case: "Drs. JASMAN, MM" → "jasman"."""
    words = name.split(",")[0].split()
    while words and words[0].endswith("."):  # Drs. Ir. Dr. H. Hj. Prof.
        words = words[1:]
    return " ".join(re.sub(r"[^\w]", "", w) for w in words).casefold().strip()


@dataclass(frozen=True)
class Unsigned:
    """A file checked for signing: its bytes, SHA-256, register entry and summary."""

    path: Path
    target: Path
    data: bytes
    sha256: str
    entry: Entry

    @property
    def summary(self) -> Summary:
        return load(self.entry.summary_json)


def check_unsigned(paths: list[Path], register: Register) -> list[Unsigned]:
    """Every file checked before any is signed: a PDF, not signed yet, its signed copy not
    there yet (not even as a symbolic link, which would be followed), the file of one
    registered document that is not void and has no signed copy of this file yet."""
    checked: list[Unsigned] = []
    for path in paths:
        data = read_pdf(path)
        target = signed_path(path)
        if os.path.lexists(target):
            raise SigningError(f"{target} already exists; sopdocs never overwrites a file")
        if b"/ByteRange" in data:
            raise SigningError(f"{path} is signed already")
        sha = hashlib.sha256(data).hexdigest()
        if twin := next((c.path for c in checked if c.sha256 == sha), None):
            raise SigningError(f"{path} and {twin} are the same document; give it once")
        entry = _entry_of(register, path, sha)
        _not_signed_yet(entry, sha)
        checked.append(Unsigned(path, target, data, sha, entry))
    return checked


def _not_signed_yet(entry: Entry, sha: str) -> None:
    """SigningError when the register already holds a signed copy of this file (signed from
    another copy of it, or by another process a moment ago): one signed original each."""
    copies = [f.path for f in entry.files if f.signed_from == sha]
    if copies:
        raise SigningError(f"{entry.nomor} is signed already: the register holds its signed "
                           f"copy {copies[0]}")


@contextlib.contextmanager
def exclusive(items: list[Unsigned], register: Register) -> Iterator[None]:
    """Hold a lock on each unsigned file while it is signed and its copy stored, then check
    again that no other process signed it meanwhile: two ``sign`` runs on one file leave
    exactly one signed copy (the second waits, then finds the first's)."""
    import fcntl

    with contextlib.ExitStack() as stack:
        for item in items:
            handle = stack.enter_context(item.path.open("rb"))
            with contextlib.suppress(OSError):  # a share without locks: the checks remain
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        for item in items:
            if os.path.lexists(item.target):
                raise SigningError(f"{item.target} already exists; sopdocs never overwrites "
                                   "a file")
            for entry in register.documents_with_file(item.sha256):
                _not_signed_yet(entry, item.sha256)
        yield


def store_signed(register: Register, signed: list[tuple[Unsigned, bytes, str | None,
                                                        list[str]]]) -> list[Signed]:
    """Write every signed copy and register it beside its unsigned file (``signed_from``),
    in one transaction: all are written, or none."""
    out = []
    with file_group() as files, register.transaction() as tx:
        for item, data, certified, warnings in signed:
            files.write_exact(item.target, data)
            digest = hashlib.sha256(data).hexdigest()
            where = item.target.parent.resolve() / item.target.name  # not a link's target
            tx.add_files(item.entry.id, (FileEntry(str(where), digest, None,
                                                   signed_from=item.sha256),))
            out.append(Signed(item.path, item.target, digest, item.sha256, item.entry.nomor,
                              certified, tuple(warnings)))
    return out


def sign_files(paths: list[Path], credentials: Credentials, register: Register,
               workspace: Workspace, *, tsa: str | None = None,
               now: Callable[[], datetime] = lambda: datetime.now().astimezone()
               ) -> list[Signed]:
    """Sign each file (a final PDF sopdocs made and registered) and register the signed copy.

    Every file is checked before anything is signed; every signed copy is written and
    registered in one transaction, so an error on the last file leaves no signed copy of
    the first. Raises SigningError (not a PDF, not registered, already signed, the signed
    copy exists, wrong passphrase, unreachable timestamp authority)."""
    checked = check_unsigned(paths, register)
    results = []
    with exclusive(checked, register), signer_of(credentials) as signer:
        in_force(signer.signing_cert, now())
        certified = certified_by(signer.signing_cert, signer.cert_registry,
                                 workspace.certified_roots)
        for item in checked:
            box = box_of_holder(item.summary, signer.signing_cert)
            signed, warnings = sign_bytes(item.data, signer, item.summary, workspace,
                                          certified, box, tsa=tsa, when=now())
            results.append((item, signed, certified, warnings))
        return store_signed(register, results)


def sign_bytes(data: bytes, signer: Any, summary: Summary, workspace: Workspace,
               certified: str | None, box: Kotak | None, *, tsa: str | None, when: datetime
               ) -> tuple[bytes, list[str]]:
    """The signed PDF of ``data``, its visible block in ``box``, and warnings (no box: an
    invisible signature)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import NoOpStampStyle

    warnings: list[str] = []
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError) as exc:
        raise SigningError(f"{summary.nomor}: the PDF cannot be read ({exc})") from None
    if box is not None:
        _check_box(writer, box, summary)
        signer_facts = next((s for s in summary.penandatangan if s.nama == box.nama),
                            summary.signer)
        block = Block(jabatan=box.jabatan or (signer_facts.jabatan if signer_facts else ""),
                      nama=box.nama, nip=signer_facts.nip if signer_facts else "", when=when,
                      qr=f"SOPDOCS|{summary.nomor}|{summary.tanggal.isoformat()}|"
                         f"{summary.sidik}",
                      certified_by=certified)
        _place(writer, render_block(block, box), box.halaman - 1, box.x, box.y, "TtdSopdocs")
        spec = fields.SigFieldSpec(FIELD, on_page=box.halaman - 1, box=_inside(box),
                                   empty_field_appearance=True)
    else:
        warnings.append(f"{summary.nomor} has no reserved signature box (made before sopdocs "
                        "reserved one?): the signature is invisible")
        spec = fields.SigFieldSpec(FIELD)
    if certified and (footer := workspace.office.tte.footer_tersertifikasi):
        _footer(writer, footer)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=holder(signer.signing_cert)[0] or None, location=workspace.office.tempat,
        reason=f"Penandatanganan {summary.jenis_naskah} {summary.nomor}")
    timestamper = None
    if tsa:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(tsa, timeout=20)
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper,
                                   stamp_style=NoOpStampStyle(), new_field_spec=spec)
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=_room(signer, tsa))
    except SigningError:
        raise
    except Exception as exc:  # pyHanko, aiohttp, PKCS#11: fail closed, one line
        where = f" (timestamp authority {tsa})" if tsa else ""
        raise SigningError(f"{summary.nomor}: signing failed{where}: "
                           f"{type(exc).__name__}: {str(exc)[:200]}") from None
    return out.getvalue(), warnings


def _check_box(writer: Any, box: Kotak, summary: Summary) -> None:
    """SigningError unless the box lies on a page of the file, inside the page: a summary
    that does not describe this file is not signed into it."""
    try:
        pages = int(writer.root["/Pages"]["/Count"])
        page = writer.find_page_for_modification(box.halaman - 1)[0].get_object() \
            if 1 <= box.halaman <= pages else None
        media = [float(v) for v in page["/MediaBox"]] if page is not None else []
    except Exception:  # pyHanko's and the file's own errors: the box is not on a page
        media = []
    x1, y1, x2, y2 = box.rect
    if len(media) != 4 or box.lebar <= 0 or box.tinggi <= 0 or not (
            media[0] <= x1 and media[1] <= y1 and x2 <= media[2] and y2 <= media[3]):
        raise SigningError(f"{summary.nomor}: the signature box (page {box.halaman}) is not "
                           "on a page of this file; the file does not match its summary")


def _room(signer: Any, tsa: str | None) -> int:
    """The bytes reserved for the signature container: the certificates it embeds, the
    signature and attributes, and a timestamp token's room. Given, so that pyHanko does not
    build every signature twice to measure it (a third of the time of signing)."""
    certs = [signer.signing_cert, *signer.cert_registry]
    size = 4096 + sum(len(c.dump()) for c in certs) + (12288 if tsa else 0)
    return 2 * size  # pyHanko counts the hex digits of /Contents


def _inside(box: Kotak) -> tuple[int, int, int, int]:
    """The box in whole points, inside the reserved one."""
    import math

    x1, y1, x2, y2 = box.rect
    return math.ceil(x1), math.ceil(y1), math.floor(x2), math.floor(y2)


def _place(writer: Any, pdf: bytes, page: int, x: float, y: float, name: str) -> None:
    """Draw page 1 of ``pdf`` onto ``page`` of the document with its corner at (x, y), as
    a form XObject in a content stream of its own (the page's own drawing stays as it was,
    wrapped in q … Q so that no state it leaves changes the placement)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(pdf)))
    resources = generic.DictionaryObject({generic.pdf_name("/XObject"): generic.DictionaryObject(
        {generic.pdf_name(f"/{name}"): xobject})})
    before = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
    after = writer.add_object(generic.StreamObject(
        stream_data=f"Q q 1 0 0 1 {x:.2f} {y:.2f} cm /{name} Do Q\n".encode()))
    writer.add_stream_to_page(page, before, prepend=True)
    writer.add_stream_to_page(page, after, resources=resources)


def _footer(writer: Any, footer: str) -> None:
    """The certified signature's footer on every page (small, grey, at the foot)."""
    from reportlab.pdfgen.canvas import Canvas

    from ..render.fonts import register_fonts
    from ..render.ttd import CERTIFIED_FOOTER_Y, draw_footer

    register_fonts()
    root = writer.root
    count = int(root["/Pages"]["/Count"])
    for index in range(count):
        page = writer.find_page_for_modification(index)[0].get_object()
        x1, y1, x2, _ = (float(v) for v in page["/MediaBox"])
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(x2 - x1, 2 * CERTIFIED_FOOTER_Y), invariant=1)
        draw_footer(canvas, footer, x2 - x1, CERTIFIED_FOOTER_Y)
        canvas.showPage()
        canvas.save()
        _place(writer, out.getvalue(), index, x1, y1, f"TteFooter{index + 1}")
