"""Typed records of the documents, with field names as the forms name them (pydantic).

A record holds what a person fills in; names of officials may be given as *role keys* of the
office profile (lower case with hyphens, e.g. ``kepala-dinas``) and are resolved later, when the
record meets an office. Everything else is validated here, before any number is taken.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from . import idn
from .errors import RecordError
from .nip import NIP

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
ROLE_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _no_control(text: str) -> str:
    if m := _CONTROL.search(text):
        raise ValueError(
            f"contains the control character U+{ord(m[0]):04X}, which cannot be printed")
    return text


def one_line(text: str) -> str:
    """Collapse runs of white space: a field on a form is one line of words."""
    return " ".join(_no_control(text).split())


def _paragraph(text: str) -> str:
    return " ".join(_no_control(text).split())


def _paragraphs(value: Any) -> Any:
    """Accept one text with blank-line-separated paragraphs as well as a list of paragraphs."""
    if isinstance(value, str):
        return [p for p in re.split(r"\n\s*\n", value) if p.strip()]
    return value


def _date(value: Any) -> Any:
    return idn.parse_tanggal(value) if isinstance(value, str) else value


def _nip(value: Any) -> Any:
    return None if value in (None, "", "-") else str(NIP.parse(value))


def _kode(value: str) -> str:
    if not re.fullmatch(r"\d{3}(?:\.\d+)*", value):
        raise ValueError(
            f"{value!r} is not a kode klasifikasi (digits with dots, e.g. 000.8.3.3 or 555)"
        )
    return value


def _lampiran(value: Any) -> Any:
    """A bare count means that many berkas: ``1`` → ``1 (satu) berkas``."""
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return idn.jumlah(int(value), "berkas")
    return value


Line = Annotated[str, AfterValidator(one_line), Field(min_length=1)]
Paragraph = Annotated[str, AfterValidator(_paragraph), Field(min_length=1)]
Tanggal = Annotated[date, BeforeValidator(_date)]
KodeKlasifikasi = Annotated[str, AfterValidator(_kode)]


class Sifat(StrEnum):
    """Derajat kecepatan or keamanan printed in the Sifat line."""

    BIASA = "Biasa"
    SEGERA = "Segera"
    SANGAT_SEGERA = "Sangat Segera"
    RAHASIA = "Rahasia"

    @classmethod
    def _missing_(cls, value: object) -> Sifat | None:
        wanted = " ".join(str(value).split()).casefold()
        return next((s for s in cls if s.value.casefold() == wanted), None)


class Record(BaseModel):
    """Base of every record: unknown fields are errors, numbers given for text are text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class Pejabat(Record):
    """An official as a signature block prints them: nama with gelar, pangkat (golongan), NIP."""

    nama: Line
    jabatan: Line
    nip: Annotated[str | None, BeforeValidator(_nip)] = None
    pangkat: Line | None = None
    golongan: Annotated[str | None, BeforeValidator(
        lambda v: None if v in (None, "") else idn.normalise_golongan(v))] = None
    instansi: Line | None = None
    #: For a party without a NIP (a vendor, a PIC of another agency): e.g. ``NIK 1371…``.
    identitas: Line | None = None

    @model_validator(mode="after")
    def _pangkat_matches_golongan(self) -> Pejabat:
        if self.golongan and not self.pangkat:
            object.__setattr__(self, "pangkat", idn.PANGKAT[self.golongan])
        elif self.pangkat and not self.golongan:
            # a pangkat outside the PNS table (PPPK, TNI/Polri) is printed as given
            with contextlib.suppress(ValueError):
                object.__setattr__(self, "golongan", idn.golongan_of(self.pangkat))
        elif self.pangkat and self.golongan and idn.PANGKAT[self.golongan].casefold() != \
                self.pangkat.casefold():
            raise ValueError(
                f"pangkat {self.pangkat!r} does not match golongan {self.golongan} "
                f"({idn.PANGKAT[self.golongan]})"
            )
        return self


#: A person: a role key of the office profile, or a full pejabat.
Orang = Annotated[str, AfterValidator(one_line), Field(min_length=1)] | Pejabat
#: A jabatan: a role key of the office profile, or the jabatan written out.
Jabatan = Line


class Penandatangan(Record):
    """Who signs, and in which capacity: in their own name, ``an`` (a.n.), ``an`` + ``ub``
    (u.b.), or as ``plt`` / ``plh`` of a position. Each of these names a jabatan or role key."""

    pejabat: Orang
    an: Jabatan | None = None
    ub: Jabatan | None = None
    plt: Jabatan | None = None
    plh: Jabatan | None = None

    @model_validator(mode="before")
    @classmethod
    def _role_key_alone(cls, value: Any) -> Any:
        return {"pejabat": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_capacity(self) -> Penandatangan:
        given = [k for k in ("an", "plt", "plh") if getattr(self, k)]
        if len(given) > 1:
            raise ValueError(f"give only one of an, plt, plh (got {', '.join(given)})")
        if self.ub and not self.an:
            raise ValueError("ub (u.b.) needs an (a.n.): the official on whose behalf it is signed")
        return self


Paragraphs = Annotated[list[Paragraph], BeforeValidator(_paragraphs), Field(min_length=1)]
Lampiran = Annotated[Line | None, BeforeValidator(_lampiran)]


def one_or_many(value: Any) -> Any:
    """Accept one item where a list is expected (``sifat: Segera``)."""
    return [value] if isinstance(value, str) else value


class Naskah(Record):
    """What every document kind has: its date and, for a konsep, who initials it."""

    tanggal: Tanggal = Field(default_factory=date.today)
    paraf: list[Jabatan] = []


def _path(loc: tuple[int | str, ...]) -> str:
    """Turn pydantic's location into the path a person reads (``kepada[1]``, ``ttd.nip``)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "Pejabat" or "[" in str(part):
            continue  # pydantic names the union branch; a person does not need it
        else:
            out += f".{part}" if out else str(part)
    return out


def _message(error: Any) -> str:
    if error["type"] == "missing":
        return "is required"
    if error["type"] == "extra_forbidden":
        return "is not a field of this form"
    if error["type"] == "enum":
        return f"{error['input']!r} is not allowed (expected {error['ctx']['expected']})"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] in ("too_short", "string_too_short"):
        return "must not be empty"
    return message


def problems_of(error: ValidationError) -> list[tuple[str, str]]:
    """Return one ``(field path, message)`` per problem in a pydantic error.

    A "role key or pejabat" union reports a failure for each branch; when the pejabat branch
    has deeper problems, the role-key branch's "not a string" is dropped as noise.
    """
    found: dict[str, str] = {}
    for e in error.errors():
        found.setdefault(_path(e["loc"]), _message(e))
    return [
        (path, message)
        for path, message in found.items()
        if not any(other.startswith((path + ".", path + "[")) for other in found if path)
    ]


def validate(model: type[Record], data: Any, source: str) -> Any:
    """Return ``model`` built from ``data``; raise RecordError listing every bad field."""
    if not isinstance(data, dict):
        got = type(data).__name__
        raise RecordError(source, [("", f"expected a mapping of fields, got {got}")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RecordError(source, problems_of(exc)) from None
