"""A made document's summary: the typed facts every other part needs (nomor, tanggal, hal,
kepada/dari, signers, pages), taken when the document is made and stored in the register.

Archive sidecars, ``number list``, ``case show`` and the recap read the summary, never the
office profile of today: after a change of Kepala Dinas an old letter still names its signer.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, NotRequired

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypedDict  # pydantic's TypedDict on Python < 3.12

if TYPE_CHECKING:
    from pydantic import TypeAdapter

#: Raised when the summary's fields change; stored with every summary. 2: ``kotak_ttd``
#: and ``tte`` (summaries of version 1 load with no box).
SUMMARY_VERSION = 2
_NIP = re.compile(r"\d{8} \d{6} \d \d{3}")


class Signer(BaseModel):
    """Who signed, as the signature block printed it."""

    model_config = ConfigDict(frozen=True)

    jabatan: str
    nama: str
    nip: str = ""
    kapasitas: str = ""  # a.n. / u.b. / Plt. / Plh. lines, or the party (PIHAK PERTAMA)


class Kotak(BaseModel):
    """A signature box reserved on the PDF: its page (from 1) and rectangle in PDF points,
    origin at the page's bottom left, and the signer whose block holds it."""

    model_config = ConfigDict(frozen=True)

    halaman: int
    x: float
    y: float
    lebar: float
    tinggi: float
    nama: str = ""
    jabatan: str = ""

    @property
    def rect(self) -> tuple[float, float, float, float]:
        """(x1, y1, x2, y2), as PDF annotations and pyHanko take it."""
        return self.x, self.y, self.x + self.lebar, self.y + self.tinggi


class SuratMasuk(BaseModel):
    """The incoming letter a lembar disposisi is about."""

    model_config = ConfigDict(frozen=True)

    dari: str
    nomor: str
    tanggal: date


class Facts(BaseModel):
    """What a kind says about one of its documents (see each kind's ``summary``)."""

    model_config = ConfigDict(frozen=True)

    hal: str
    kepada: list[str] = []
    dari: str = ""
    penandatangan: list[Signer] = []
    sifat: str = "Biasa"
    kode_klasifikasi: str = ""
    surat_masuk: SuratMasuk | None = None


class Summary(Facts):
    """A document's facts as stored in the register at make time."""

    versi: int = SUMMARY_VERSION
    jenis: str
    jenis_naskah: str
    nomor: str
    tanggal: date
    instansi: str
    unit: str
    #: Pages of the PDF (None when only a DOCX was made), and the page of the file on which
    #: the document starts (a sheet of a batch shares the batch file).
    halaman: int | None = None
    halaman_awal: int = 1
    sidik: str = ""
    #: True when the summary was rebuilt from the stored record when the register was
    #: upgraded, with the office profile in use then (documents made before summaries).
    dipulihkan: bool = False
    #: The signature boxes of the PDF, in the order they were drawn, and whether it was laid
    #: out for an electronic signature (``--tte``): recorded when the PDF is rendered
    #: (``service.render``; see ``render.ttd``), so a signer places its mark without guessing.
    kotak_ttd: list[Kotak] = []
    tte: bool = False

    @property
    def signer(self) -> Signer | None:
        """The first signer (the official who signs; in a berita acara, PIHAK PERTAMA)."""
        return self.penandatangan[0] if self.penandatangan else None


def signer_of(ttd: dict[str, Any]) -> Signer:
    """The signer of a view's signature block: capacity lines, jabatan, nama, NIP digits."""
    lines = [line.rstrip(",") for line in ttd["jabatan"]]
    found = _NIP.search(ttd.get("nip") or "")
    return Signer(jabatan=lines[-1] if lines else "", nama=ttd["nama"],
                  nip=found[0].replace(" ", "") if found else "",
                  kapasitas=" ".join(lines[:-1]))


def texts(items: list[dict[str, str]]) -> list[str]:
    """The texts of a numbered or ticked view list (``kepada``, ``tembusan``)."""
    return [item["teks"] for item in items]


def load(text: str) -> Summary:
    """Return the summary stored as JSON in the register."""
    return Summary.model_validate_json(text)


class ListedSigner(TypedDict):
    """A signer as a listing shows it: the name."""

    nama: str


class Listing(TypedDict):
    """The fields of ``Summary`` a list of documents shows (the recap's register rows), read
    by ``listing`` without building a whole Summary for each of 100,000 rows."""

    jenis_naskah: str
    kepada: NotRequired[list[str]]
    penandatangan: NotRequired[list[ListedSigner]]


def listing(text: str) -> Listing:
    """The listing fields of a summary stored as JSON, validated; the rest is skipped."""
    return _listing().validate_json(text)


@cache
def _listing() -> TypeAdapter[Listing]:
    from pydantic import TypeAdapter

    return TypeAdapter(Listing)
