"""The office profile: kop, unit code, paper, number pattern, layout choices and officials by role.

Found in this order: ``--office FILE``, ``$SOPDOCS_OFFICE``, ``./sopdocs.yaml``, else the
built-in sample office (Diskominfotik Sumatera Barat). The folder of the profile file is the
*workspace*: the register lives there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .errors import OfficeError, RecordError
from .inputs import read_data
from .numbering import DEFAULT_POLA, check_pola
from .records import ROLE_KEY, Line, Pejabat, Record, Sifat, validate
from .store import atomic_write

PROFILE_NAME = "sopdocs.yaml"
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
    """Number patterns: outgoing documents (``pola``) and the agenda of incoming letters."""

    pola: Annotated[str, AfterValidator(check_pola)] = DEFAULT_POLA
    pola_agenda: Annotated[str, AfterValidator(check_pola)] = "{urut}"


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


def _role_keys(pejabat: dict[str, Pejabat]) -> dict[str, Pejabat]:
    for key in pejabat:
        if not ROLE_KEY.fullmatch(key):
            raise ValueError(f"role key {key!r} must be lower case letters, digits and hyphens")
    return pejabat


class Office(Record):
    """An office profile as written in ``sopdocs.yaml``."""

    kop: Kop
    logo: str | None = None
    unit: Line
    tempat: Line
    kertas: Literal["F4", "A4"] = "F4"
    nomor: PolaNomor = PolaNomor()
    tata_letak: TataLetak = TataLetak()
    disposisi: AturanDisposisi = AturanDisposisi()
    pejabat: Annotated[dict[str, Pejabat], AfterValidator(_role_keys)] = {}


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
    def register_path(self) -> Path:
        return self.folder / "sopdocs.db"


def load_office(path: Path) -> Workspace:
    """Return the office profile in ``path``; raise OfficeError or RecordError naming the bad
    field (e.g. ``pejabat.kepala-dinas.nip``)."""
    source = str(path)
    data = read_data(path)
    office = validate(Office, data, f"office profile {source}")
    workspace = Workspace(office, path.resolve().parent, path.resolve())
    if office.logo and not workspace.logo_path.is_file():
        raise RecordError(f"office profile {source}", [("logo", f"no such file {office.logo!r}")])
    return workspace


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
