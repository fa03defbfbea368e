"""Typed records of the documents, with field names as the forms name them (pydantic).

A record holds what a person fills in; names of officials may be given as *role keys* of the
office profile (lower case with hyphens, e.g. ``kepala-dinas``) and are resolved later, when the
record meets an office. Everything else is validated here, before any number is taken.
"""

from __future__ import annotations

import contextlib
import re
import types
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import idn
from .errors import RecordError
from .idn import KUTIP_MAX, kutip
from .nip import NIP

#: The longest one-line field (hal, jabatan, nama, a table cell), in characters after runs of
#: white space are collapsed. The longest such text in the samples and SOP files is 175
#: characters; 500 is several printed lines of a Hal.
MAX_LINE = 500
#: The longest paragraph (of isi, dasar, untuk, catatan …): most of a printed page. The
#: longest in the samples and SOP files is 416 characters.
MAX_PARAGRAPH = 5_000
#: The most items of any list (kepada, isi, paraf, daftar, table rows and cells) or entries of
#: any mapping: well above the longest list the tests print (a recap table of 200 rows).
MAX_ITEMS = 500
#: The deepest a field's value may nest lists and mappings; the deepest real one (an SOP's
#: ``langkah``, with the defaults of each step's documents) nests eight.
MAX_NESTING = 16
#: The longest text any field takes before its own type looks at it (``isi`` as one text with
#: blank lines between the paragraphs, a path, a pattern): about 30 printed pages.
MAX_TEXT = 100_000
#: The most berkas a bare ``lampiran`` count says; more is written as text (``2 (dua) boks``).
MAX_LAMPIRAN = 999
#: The largest count a ``Jumlah`` takes (``jumlah`` of a tanda terima row).
MAX_JUMLAH = 999_999
#: The years a date may have: a typo such as ``22/11/0226`` is refused, not printed.
MIN_YEAR, MAX_YEAR = 1900, 2100

#: Characters no field may hold: C0 and C1 controls (but tab, line feed and carriage return,
#: which are white space), DEL, surrogates and the non-characters U+FFFE/U+FFFF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
#: Characters that make the printed text differ from what was typed: the Unicode line and
#: paragraph separators, and the bidirectional embeddings, overrides and isolates (and marks)
#: that reorder the characters around them ("Trojan Source").
_SPOOF = re.compile(r"[\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
ROLE_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _no_control(text: str) -> str:
    if m := _CONTROL.search(text):
        raise ValueError(
            f"contains the control character U+{ord(m[0]):04X}, which cannot be printed")
    if m := _SPOOF.search(text):
        char = m[0]
        name = unicodedata.name(char, "")
        if char in "\u2028\u2029":
            raise ValueError(f"contains U+{ord(char):04X} ({name}), which cannot be printed; "
                             "use a new line")
        raise ValueError(f"contains U+{ord(char):04X} ({name}), a direction control that "
                         "makes the printed text read differently from what was typed")
    return text


def _bounded(text: str, most: int, what: str) -> str:
    """Collapse white space in ``text``; refuse it when it is longer than ``most``."""
    text = " ".join(_no_control(text).split())
    if len(text) > most:
        raise ValueError(f"is too long: {len(text):,} characters ({what} holds at most "
                         f"{most:,})")
    return text


def one_line(text: str) -> str:
    """Collapse runs of white space: a field on a form is one line of words, at most
    ``MAX_LINE`` characters."""
    return _bounded(text, MAX_LINE, "a one-line field")


def _paragraph(text: str) -> str:
    return _bounded(text, MAX_PARAGRAPH, "a paragraph")


def _paragraphs(value: Any) -> Any:
    """Accept one text with blank-line-separated paragraphs as well as a list of paragraphs."""
    if isinstance(value, str):
        return [p for p in re.split(r"\n\s*\n", value) if p.strip()]
    return value


def _date(value: Any) -> Any:
    """A date is written as text (``22 November 2026``, ``2026-11-22`` …) or comes as a date
    (an agenda's date cell). A number is refused: JSON has no dates, and pydantic would read
    ``20261122`` as seconds since 1970."""
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        if len(value) > 40:
            raise ValueError(f"{kutip(value)} is not a date (write e.g. {idn.DATE_FORMS})")
        value = idn.parse_tanggal(value)
    elif value is None:
        raise ValueError(f"is empty (write a date, e.g. {idn.DATE_FORMS})")
    elif not isinstance(value, date):
        raise ValueError(f"{kutip(value)} is {_a(value)}, not a date: write the date as text, "
                         f"e.g. {idn.DATE_FORMS}")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"{idn.tanggal(value)} is not a plausible date: the year must be "
                         f"{MIN_YEAR} to {MAX_YEAR}")
    return value


def _nip(value: Any) -> Any:
    return None if value in (None, "", "-") else str(NIP.parse(value))


def _golongan(value: Any) -> Any:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 20:
        raise ValueError(f"{kutip(value)} is not a golongan (expected I/a … IV/e, e.g. IV/c)")
    return idn.normalise_golongan(value)


def _kode_text(value: Any) -> Any:
    """A kode klasifikasi typed as a JSON number loses its trailing zeros: refuse it."""
    if isinstance(value, float):
        raise ValueError(f"{kutip(value)} is a number: write the kode klasifikasi in quotes "
                         "(\"500.10\"), as a number 500.10 loses its last zero")
    return value


def _kode(value: str) -> str:
    """Fullwidth digits and dots (``５００．１``, typed with an Asian input method) are the kode
    they stand for: NFKC makes them ``500.1``, so the register and the printed number hold
    the digits 0-9 whatever the keyboard was. Digits of other scripts are refused."""
    normal = unicodedata.normalize("NFKC", value).strip() if len(value) <= 40 else value
    if len(normal) > 40 or not re.fullmatch(r"[0-9]{3}(?:\.[0-9]+)*", normal):
        raise ValueError(
            f"{kutip(value)} is not a kode klasifikasi (digits with dots, e.g. 000.8.3.3 or 555)"
        )
    return normal


def _lampiran(value: Any) -> Any:
    """A bare count means that many berkas: ``1`` → ``1 (satu) berkas``; at most
    ``MAX_LAMPIRAN``, beyond that the lampiran is written as text."""
    if isinstance(value, bool | float):
        raise ValueError(f"{kutip(value)} is not a lampiran: give a whole number of berkas "
                         "(1) or the lampiran as text")
    count = value if isinstance(value, int) else None
    if isinstance(value, str) and len(value) <= 40:
        digits = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"[0-9]+", digits):
            count = int(digits) if len(digits) <= 6 else -1
    if count is None:
        return value
    if not 0 <= count <= MAX_LAMPIRAN:
        raise ValueError(f"{kutip(value)} berkas is more than a lampiran count sopdocs writes "
                         f"out (0 to {MAX_LAMPIRAN}); write the lampiran as text, e.g. "
                         "2 (dua) boks")
    return idn.jumlah(count, "berkas")


def _count(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"{kutip(value)} is not a number")
    return value


def _a(value: Any) -> str:
    """What kind of value a person gave, for a message: ``a list``, ``a number`` …"""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple | set | frozenset):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    return f"a {type(value).__name__}"


Line = Annotated[str, AfterValidator(one_line), Field(min_length=1)]
Paragraph = Annotated[str, AfterValidator(_paragraph), Field(min_length=1)]
Tanggal = Annotated[date, BeforeValidator(_date)]
KodeKlasifikasi = Annotated[str, BeforeValidator(_kode_text), AfterValidator(_kode)]
#: A count of things handed over or attached (``jumlah`` of a row): 1 to ``MAX_JUMLAH``.
Jumlah = Annotated[int, BeforeValidator(_count), Field(ge=1, le=MAX_JUMLAH)]


class Sifat(StrEnum):
    """Derajat kecepatan or keamanan printed in the Sifat line."""

    BIASA = "Biasa"
    SEGERA = "Segera"
    SANGAT_SEGERA = "Sangat Segera"
    RAHASIA = "Rahasia"

    @classmethod
    def _missing_(cls, value: object) -> Sifat | None:
        if not isinstance(value, str) or len(value) > 40:
            return None
        wanted = " ".join(value.split()).casefold()
        return next((s for s in cls if s.value.casefold() == wanted), None)


class Record(BaseModel):
    """Base of every record: unknown fields are errors, numbers given for text are text.

    Every field is bounded before its own type looks at it: a list or mapping holds at most
    ``MAX_ITEMS`` entries (a list of lists, each of its lists too), a text at most
    ``MAX_TEXT`` characters; ``Line`` and ``Paragraph`` bound their text further.
    """

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _within_bounds(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise ValueError(f"is too long: {len(value):,} characters (a field holds at "
                                 f"most {MAX_TEXT:,})")
        elif isinstance(value, _CONTAINERS):
            _few(value, "has")
            if not isinstance(value, dict):
                for item in value:
                    if isinstance(item, _CONTAINERS):
                        _few(item, "holds a list or mapping of")
        return value


_CONTAINERS = (list, tuple, set, frozenset, dict)


def _few(value: Any, verb: str) -> None:
    if len(value) > MAX_ITEMS:
        what = "entries" if isinstance(value, dict) else "items"
        raise ValueError(f"{verb} {len(value):,} {what} (at most {MAX_ITEMS:,})")


def _too_deep(data: dict[Any, Any]) -> Any:
    """The field of ``data`` whose value nests lists and mappings more than ``MAX_NESTING``
    levels deep (such a value cannot even be quoted in a message), or None."""
    stack = [(value, 1, key) for key, value in data.items() if isinstance(value, _CONTAINERS)]
    while stack:
        node, depth, key = stack.pop()
        if depth > MAX_NESTING:
            return key
        children = node.values() if isinstance(node, dict) else node
        stack += [(child, depth + 1, key) for child in children
                  if isinstance(child, _CONTAINERS)]
    return None


class Pejabat(Record):
    """An official as a signature block prints them: nama with gelar, pangkat (golongan), NIP."""

    nama: Line
    jabatan: Line
    nip: Annotated[str | None, BeforeValidator(_nip)] = None
    pangkat: Line | None = None
    golongan: Annotated[str | None, BeforeValidator(_golongan)] = None
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
                f"pangkat {kutip(self.pangkat)} does not match golongan {self.golongan} "
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


def texts_of(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text in plain data (a record's or a view's), with its path as a person reads it
    (``pendahuluan.dasar[2]``, items counted from 1)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_of(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from texts_of(item, item_path(path, i))


def item_path(path: str, index: int) -> str:
    """The path of item ``index`` (0-based, as Python counts) of the list at ``path``, as a
    person reads it: counted from 1, so ``item_path("kepada", 1)`` is ``kepada[2]``, the
    second recipient. Every path sopdocs shows a person is built this way."""
    return f"{path}[{index + 1}]"


def _options(annotation: Any) -> list[Any]:
    """The types a value of ``annotation`` may be: Annotated and Optional unwrapped, unions
    flattened (``Line | Pejabat`` → ``[str, Pejabat]``)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _options(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [t for arg in get_args(annotation) if arg is not type(None)
                for t in _options(arg)]
    return [annotation]


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _walk(model: type[BaseModel] | None, loc: tuple[int | str, ...],
          keep_last: bool) -> tuple[str, list[str]]:
    """Turn pydantic's location into the path a person reads (``kepada[2]``,
    ``penandatangan.pejabat.nip``), and return the fields of the form its last part is in.

    Indices count from 1. Pydantic also names the branch of a union it tried (``Pejabat``,
    ``function-after[one_line(), …]``); the walk follows the record's types to tell such a
    name from a field, and leaves it out. ``keep_last`` keeps the last part whatever it is
    (the name of an unknown field).
    """
    out = ""
    options: list[Any] = [model if model is not None else Any]
    fields: list[str] = []
    for n, part in enumerate(loc):
        fields = [f for t in options if _is_model(t) for f in t.model_fields]
        if isinstance(part, int):
            out += f"[{part + 1}]"
            options = [t for o in options for t in _item_options(o)] or [Any]
            continue
        name = str(part)
        following = [t for o in options for t in _field_options(o, name)]
        if following or (keep_last and n == len(loc) - 1):
            shown = name if len(name) <= KUTIP_MAX else name[:KUTIP_MAX] + "…"
            out += f".{shown}" if out else shown
            options = following or [Any]
        else:  # the name of a union branch: narrow to it when it names a model
            options = [t for t in options if getattr(t, "__name__", None) == name] or options
    return out, fields


def _item_options(annotation: Any) -> list[Any]:
    """The types of an item of a list (or of a value of a mapping) of ``annotation``."""
    args = get_args(annotation)
    if annotation is Any:
        return [Any]
    if get_origin(annotation) in (list, tuple, set, frozenset) and args:
        return _options(args[0])
    if get_origin(annotation) is dict and len(args) == 2:
        return _options(args[1])
    return []


def _field_options(annotation: Any, name: str) -> list[Any]:
    """The types field or key ``name`` may have in a value of ``annotation``; none when
    ``name`` is not a field there (pydantic's name of a union branch)."""
    if annotation is Any:  # no model to go by: names that look like union branches are not
        return [] if name == "Pejabat" or "[" in name else [Any]  # fields
    if _is_model(annotation):
        info = annotation.model_fields.get(name)
        return _options(info.annotation) if info else []
    if get_origin(annotation) is dict and len(get_args(annotation)) == 2:
        return _options(get_args(annotation)[1])
    return []


def _suggestion(name: Any, fields: list[str]) -> str:
    if len(str(name)) > KUTIP_MAX:
        return ""
    import difflib  # only a message about an unknown field needs it

    close = difflib.get_close_matches(str(name).casefold(), fields, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


#: Pydantic's checks of a value's type, by what they expect.
_EXPECTED = {"string_type": "text", "list_type": "a list", "dict_type": "a mapping of fields",
             "model_type": "a mapping of fields", "model_attributes_type": "a mapping of fields",
             "int_type": "a whole number", "bool_type": "yes or no (true/false)"}
#: The longest message a problem shows; longer messages (a library's) are cut.
_MESSAGE_MAX = 300


def _message(error: Any, fields: list[str]) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of this form" + _suggestion(error["loc"][-1], fields)
    if kind in ("enum", "literal_error"):
        return f"{kutip(given)} is not allowed (expected {error['ctx']['expected']})"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind in _EXPECTED:
        if given is None or given == "":
            return "must not be empty"
        return f"must be {_EXPECTED[kind]}, not {_a(given)}"
    if kind == "too_long":
        return f"has too many items (at most {error['ctx']['max_length']:,})"
    if kind == "string_too_long":
        return f"is too long (at most {error['ctx']['max_length']:,} characters)"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message if len(message) <= _MESSAGE_MAX else message[:_MESSAGE_MAX] + "…"


def problems_of(error: ValidationError,
                model: type[BaseModel] | None = None) -> list[tuple[str, str]]:
    """Return one ``(field path, message)`` per problem in a pydantic error.

    Paths count list items from 1 (``kepada[2]`` is the second); an unknown field is named
    with the field of ``model`` it is closest to (``hla`` → "did you mean hal?"). Messages
    quote at most a short prefix of a bad value (``idn.kutip``), never the value whole.
    A "role key or pejabat" union reports a failure for each branch; when the pejabat branch
    has deeper problems, the role-key branch's "not a string" is dropped as noise.
    """
    found: dict[str, str] = {}
    for e in error.errors(include_url=False, include_context=True):
        path, fields = _walk(model, tuple(e["loc"]), e["type"] == "extra_forbidden")
        found.setdefault(path, _message(e, fields))
    return [
        (path, message)
        for path, message in found.items()
        if not any(other.startswith((path + ".", path + "[")) for other in found if path)
    ]


def validate(model: type[Record], data: Any, source: str) -> Any:
    """Return ``model`` built from ``data``; raise RecordError listing every bad field."""
    if not isinstance(data, dict):
        found = "nothing (is the file empty?)" if data is None else _a(data)
        raise RecordError(source, [("", f"expected a mapping of fields, got {found}")])
    if (deep := _too_deep(data)) is not None:
        path, _ = _walk(model, (deep,), keep_last=True)
        raise RecordError(source, [(path, f"is nested more than {MAX_NESTING} levels deep")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RecordError(source, problems_of(exc, model)) from None
