"""The office profile: kop, unit code, paper, number pattern, layout choices and officials by role.

Found in this order: ``--office FILE``, ``$SOPDOCS_OFFICE``, ``./sopdocs.yaml``, else the
built-in sample office (Diskominfotik Sumatera Barat). The folder of the profile file is the
*workspace*: the register lives there.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from .errors import OfficeError, RecordError
from .inputs import read_data
from .numbering import DEFAULT_POLA, check_pola
from .records import ROLE_KEY, Line, Pejabat, Record, Sifat, Tanggal, validate
from .store import atomic_write

PROFILE_NAME = "sopdocs.yaml"
#: The default folder of an office's own DOCX templates, next to its profile.
TEMPLATES = "templates"
ENV_VAR = "SOPDOCS_OFFICE"
#: Page sizes in millimetres (width, height).
PAPER = {"F4": (215.0, 330.0), "A4": (210.0, 297.0)}


def data_path(name: str) -> Path:
    """Return the path of a file shipped in ``sopdocs/data`` (sample office, logo, fonts)."""
    return Path(str(resources.files("sopdocs") / "data" / name))


class Kop(Record):
    """The letterhead: government, agency (bold, larger), up to three address lines."""

    pemerintah: Line
    instansi: Line
    alamat: Annotated[list[Line], Field(max_length=3)] = []


class PolaNomor(Record):
    """Number patterns: outgoing documents (``pola``) and the agenda of incoming letters;
    whether the outgoing counter restarts every January (``ulang_tiap_tahun``, the usual
    rule) or runs on for ever."""

    pola: Annotated[str, AfterValidator(check_pola)] = DEFAULT_POLA
    pola_agenda: Annotated[str, AfterValidator(check_pola)] = "{urut}"
    ulang_tiap_tahun: bool = True
    #: Which counter an outgoing number comes from: ``seri`` one per unit (every outgoing
    #: kind shares it), ``klasifikasi`` one per kode klasifikasi, ``tunggal`` one for the
    #: whole register (every unit of an office sharing a register).
    penomoran: Literal["seri", "klasifikasi", "tunggal"] = "seri"

    @model_validator(mode="after")
    def _year_in_a_yearly_pattern(self) -> PolaNomor:
        if self.ulang_tiap_tahun and "{tahun}" not in self.pola:
            raise ValueError(
                f"pola {self.pola!r} has no {{tahun}}: a counter that restarts every January "
                "would give the same number again next year; add {tahun}, or set "
                "ulang_tiap_tahun: false for one counter that never restarts")
        return self


class AturanDisposisi(Record):
    """What the office's lembar disposisi prints as tick lists."""

    #: Recipients (role keys or jabatan); empty: every official of the profile but the first.
    penerima: list[Line] = []
    harap: list[Line] = ["Tanggapan dan Saran", "Proses lebih lanjut",
                         "Koordinasi/konfirmasikan"]
    sifat: Annotated[list[Sifat], Field(min_length=1)] = list(Sifat)


class TataLetak(Record):
    """Layout choices the references leave open; defaults as documented in the README."""

    label_nip: Line = "NIP"
    nomor_nota_dinas: Literal["judul", "label"] = "judul"
    tembusan_nota_dinas: Literal["kepala", "kaki"] = "kepala"


class JamKerja(Record):
    """Working hours of one kind of day: from and until (``07:30``, ``16:00``)."""

    mulai: time
    selesai: time

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> JamKerja:
        if self.selesai <= self.mulai:
            raise ValueError(f"selesai {self.selesai:%H:%M} must be after mulai "
                             f"{self.mulai:%H:%M}")
        return self


def _default_jam_kerja() -> dict[str, JamKerja]:
    """Senin–Kamis 07:30–16:00, Jumat 07:30–16:30 (the usual Pemda hours)."""
    long_day = JamKerja(mulai=time(7, 30), selesai=time(16, 0))
    return {**dict.fromkeys(("senin", "selasa", "rabu", "kamis"), long_day),
            "jumat": JamKerja(mulai=time(7, 30), selesai=time(16, 30))}


HARI_KERJA = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")


def _hari(value: dict[str, JamKerja]) -> dict[str, JamKerja]:
    unknown = sorted(set(value) - set(HARI_KERJA))
    if unknown:
        raise ValueError(f"unknown day(s) {', '.join(unknown)} (use {', '.join(HARI_KERJA)})")
    return value


class Segel(Record):
    """The QR seal of final PDFs: printed or not, and where (corner of page 1); it keeps at
    least ``jarak_mm`` from the paper's edges (printers cut 3–5 mm)."""

    cetak: bool = True
    posisi: Literal["kiri-bawah", "kanan-bawah"] = "kiri-bawah"
    jarak_mm: Annotated[float, Field(ge=10, le=40)] = 10


#: The footer of a document laid out for an electronic signature (``--tte``): it says how
#: to check the signature and claims no certification.
TTE_FOOTER = ("Dokumen ini ditandatangani secara elektronik; keasliannya dapat diperiksa "
              "dengan memindai kode QR atau dengan sopdocs verify")
#: Added to every page when a signature chains to a certified root (BSrE's usual wording).
TTE_FOOTER_TERSERTIFIKASI = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang "
    "diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara")


class Tte(Record):
    """Electronic signatures (TTE): the footer printed on documents laid out for one
    (``--tte``), the footer stamped on every page when a signature is certified, and the
    root certificates (PEM or DER files, relative to the profile) that make a signature
    certified, e.g. BSrE's root. A certificate chaining to none of them is "tidak
    tersertifikasi"."""

    footer: Line = TTE_FOOTER
    footer_tersertifikasi: Line = TTE_FOOTER_TERSERTIFIKASI
    akar_tersertifikasi: Annotated[list[Line], Field(max_length=20)] = []


def _role_keys(pejabat: dict[str, Pejabat]) -> dict[str, Pejabat]:
    for key in pejabat:
        if not ROLE_KEY.fullmatch(key):
            raise ValueError(f"role key {key!r} must be lower case letters, digits and hyphens")
    return pejabat


class Office(Record):
    """An office profile as written in ``sopdocs.yaml``."""

    # ``register_at`` is read from ``register:``; a profile dumped and read again keeps it
    model_config = ConfigDict(**Record.model_config, populate_by_name=True)

    kop: Kop
    logo: str | None = None
    #: The office's own DOCX templates (``<kind>.docx``), a folder relative to the profile.
    templates: str | None = None
    unit: Line
    tempat: Line
    kertas: Literal["F4", "A4"] = "F4"
    nomor: PolaNomor = PolaNomor()
    #: Working hours by day (senin … minggu; a day not listed is not a working day) and the
    #: cuti bersama dates of the year (national holidays come from the holidays package):
    #: SOP standard times are counted in working time.
    jam_kerja: Annotated[dict[str, JamKerja], AfterValidator(_hari)] = Field(
        default_factory=_default_jam_kerja)
    cuti_bersama: list[Tanggal] = []
    segel: Segel = Segel()
    tte: Tte = Tte()
    #: How many days ahead of today a final document may be dated (a letter signed for a
    #: Monday is made on Friday); later dates are refused as typing mistakes.
    tanggal_maju_hari: Annotated[int, Field(ge=0, le=366)] = 30
    tata_letak: TataLetak = TataLetak()
    disposisi: AturanDisposisi = AturanDisposisi()
    pejabat: Annotated[dict[str, Pejabat], AfterValidator(_role_keys)] = {}
    #: Where the register is: a SQLite file (a path relative to the profile, or
    #: ``sqlite:///…``) or ``postgresql://…`` (one register for the whole office; the password
    #: comes from libpq: PGPASSFILE, PGPASSWORD, the service file). Default: sopdocs.db here.
    #: (``register`` in the profile; the attribute name ``register`` is pydantic's own.)
    register_at: Annotated[str | None, Field(alias="register")] = None
    #: The name the register's audit gives for what is done here (default: the OS user).
    operator: Line | None = None


@dataclass(frozen=True)
class Workspace:
    """An office profile together with where it came from."""

    office: Office
    folder: Path
    source: Path | None  # None: the built-in sample

    @property
    def logo_path(self) -> Path:
        """The logo file: the profile's own (relative to the profile), else the sample logo."""
        if self.office.logo:
            return (self.folder / self.office.logo).resolve()
        return data_path("logo.png")

    @property
    def templates_path(self) -> Path | None:
        """The folder of the office's own DOCX templates: the profile's ``templates``
        setting (relative to the profile), else a ``templates`` folder next to the profile
        when there is one; None for the built-in sample without the setting."""
        if self.office.templates:
            return (self.folder / self.office.templates).resolve()
        if self.source is not None and (self.folder / TEMPLATES).is_dir():
            return (self.folder / TEMPLATES).resolve()
        return None

    @property
    def certified_roots(self) -> list[Path]:
        """The root certificates that make a signature certified (``tte``), as paths."""
        return [(self.folder / name).resolve() for name in self.office.tte.akar_tersertifikasi]

    @property
    def register_path(self) -> Path:
        return self.folder / "sopdocs.db"


def load_office(path: Path) -> Workspace:
    """Return the office profile in ``path``; raise OfficeError or RecordError naming the bad
    field (e.g. ``pejabat.kepala-dinas.nip``, ``logo``, ``templates``)."""
    source = str(path)
    data = read_data(path)
    office = validate(Office, data, f"office profile {source}")
    workspace = Workspace(office, path.resolve().parent, path.resolve())
    problems = []
    if office.logo and (problem := logo_problem(workspace.logo_path, office.logo)):
        problems.append(("logo", problem))
    if office.templates and not (workspace.folder / office.templates).is_dir():
        problems.append(("templates", f"no such folder {office.templates!r} (the folder of "
                                      f"the office's own <kind>.docx templates, relative to "
                                      f"the profile)"))
    problems += [(f"tte.akar_tersertifikasi.{i}", problem)
                 for i, path in enumerate(workspace.certified_roots, 1)
                 if (problem := certificate_problem(path))]
    if problems:
        raise RecordError(f"office profile {source}", problems)
    return workspace


def certificate_problem(path: Path) -> str | None:
    """What is wrong with a root certificate file (PEM or DER), or None."""
    from cryptography import x509

    try:
        data = path.read_bytes()[:MAX_CERTIFICATE_BYTES + 1]
    except OSError as exc:
        return f"{path.name}: cannot read ({exc.strerror or exc})"
    if len(data) > MAX_CERTIFICATE_BYTES:
        return f"{path.name} is too large for a certificate"
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            x509.load_pem_x509_certificate(data)
        else:
            x509.load_der_x509_certificate(data)
    except ValueError:
        return f"{path.name} is not a certificate (PEM or DER)"
    return None


MAX_CERTIFICATE_BYTES = 64 * 1024


#: What a logo may be: a PNG or JPEG of at most this many bytes and pixels a side (a logo
#: printed 24 mm high needs about 600 pixels).
MAX_LOGO_BYTES = 10 * 1024 * 1024
MAX_LOGO_SIDE = 4000
_LOGO_EXPECTED = "the logo must be a readable PNG or JPEG file"
#: Formats people try, recognised by their first bytes, for the message.
_OTHER_FORMATS = [(b"RIFF", 8, b"WEBP", "a WEBP image"), (b"GIF8", 0, b"", "a GIF image"),
                  (b"BM", 0, b"", "a BMP image"), (b"II*\x00", 0, b"", "a TIFF image"),
                  (b"MM\x00*", 0, b"", "a TIFF image"), (b"%PDF", 0, b"", "a PDF file"),
                  (b"<svg", 0, b"", "an SVG drawing"), (b"<?xml", 0, b"", "an XML (SVG?) file"),
                  (b"\x00\x00\x01\x00", 0, b"", "an ICO icon")]


def _png_size(head: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk (it must come first)."""
    if len(head) < 24 or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's first SOF segment."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a length
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE,
                      0xCF):
            if i + 9 > len(data):
                return None
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7],
                                                                             "big")
        if marker == 0xDA or length < 2:  # image data before any frame header
            return None
        i += 2 + length
    return None


def logo_problem(path: Path, name: str | None = None) -> str | None:
    """Return what is wrong with the logo file at ``path`` (``name``: as the profile writes
    it), or None when it is a PNG or JPEG that reportlab and python-docx can both place.

    The first bytes and the header tell the format and the size (so a 20000 × 20000 image is
    refused before anything decodes it); then Pillow, which reportlab requires anyway,
    decodes the image once, which finds a truncated or corrupt file."""
    name = name or path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            data = handle.read(min(size, MAX_LOGO_BYTES + 1))
    except FileNotFoundError:
        return f"no such file {name!r}"
    except OSError as exc:
        return f"{name!r} cannot be read ({exc.strerror or exc}); {_LOGO_EXPECTED}"
    if size == 0:
        return f"{name!r} is empty (0 bytes); {_LOGO_EXPECTED}"
    if size > MAX_LOGO_BYTES:
        return (f"{name!r} is {size / 1024 / 1024:.0f} MB; {_LOGO_EXPECTED} of at most "
                f"{MAX_LOGO_BYTES // 1024 // 1024} MB")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        fmt, dimensions = "PNG", _png_size(data)
    elif data.startswith(b"\xff\xd8\xff"):
        fmt, dimensions = "JPEG", _jpeg_size(data)
        if data[6:10] not in (b"JFIF", b"Exif"):  # what python-docx recognises
            return (f"{name!r} is a JPEG without a JFIF or Exif header (a CMYK or Adobe "
                    f"JPEG?), which Word documents cannot take; save it as PNG")
    else:
        for magic, offset, more, what in _OTHER_FORMATS:
            if data.startswith(magic) and data[offset:offset + len(more)] == more:
                return f"{name!r} is {what}; {_LOGO_EXPECTED}"
        return f"{name!r} is not an image sopdocs can read; {_LOGO_EXPECTED}"
    if dimensions is None or 0 in dimensions:
        return f"{name!r} is not a readable {fmt} (its header is damaged); {_LOGO_EXPECTED}"
    width, height = dimensions
    if max(width, height) > MAX_LOGO_SIDE:
        return (f"{name!r} is {width} × {height} pixels; a logo may be at most "
                f"{MAX_LOGO_SIDE} pixels a side (printed 24 mm high it needs about 600)")
    return _decode_problem(io.BytesIO(data), name, fmt)


def _decode_problem(stream: io.BytesIO, name: str, fmt: str) -> str | None:
    """Decode the image with Pillow; what went wrong, or None."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with Image.open(stream, formats=[fmt]) as image:
                image.load()
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError, zlib.error …
        reason = str(exc) or type(exc).__name__
        return f"{name!r} is not a readable {fmt} ({reason}); {_LOGO_EXPECTED}"
    return None


def find_office(explicit: Path | None = None,
                cwd: Path | None = None) -> tuple[Workspace, str | None]:
    """Return the office to use and, when it is the built-in sample, a one-line notice saying so.

    Order: ``explicit`` (``--office``), ``$SOPDOCS_OFFICE``, ``./sopdocs.yaml``, built-in sample.
    """
    cwd = cwd or Path.cwd()
    if explicit is not None:
        return load_office(explicit), None
    if env := os.environ.get(ENV_VAR):
        return load_office(Path(env)), None
    if (cwd / PROFILE_NAME).is_file():
        return load_office(cwd / PROFILE_NAME), None
    sample = load_office(data_path("office-sample.yaml"))
    notice = (f"note: no {PROFILE_NAME} here; using the built-in sample office "
              f"(run 'sopdocs init' to make your own)")
    return Workspace(sample.office, cwd.resolve(), None), notice


def init_profile(folder: Path) -> list[Path]:
    """Write an editable ``sopdocs.yaml`` (the sample office, with comments) and its logo into
    ``folder``; return the paths written. Raises OfficeError rather than overwrite a profile."""
    target = folder / PROFILE_NAME
    if target.exists():
        raise OfficeError(f"{target} already exists; edit it, or remove it first")
    written = []
    logo = folder / "logo.png"
    if not logo.exists():
        written.append(atomic_write(logo, data_path("logo.png").read_bytes()))
    text = data_path("office-sample.yaml").read_text(encoding="utf-8")
    text = text.replace("logo:\n", "logo: logo.png\n", 1)
    return [atomic_write(target, text.encode("utf-8")), *written]
