"""The registry of document kinds: one module per kind in this package.

A kind module holds everything particular to its kind (record model, view, PDF layout, DOCX
template builder, series, summary) and ends with ``KIND = Kind(...)``. Its CLI name is its
module name with hyphens (``surat_tugas`` → ``surat-tugas``), and the first line of its
docstring is the command's help. Kinds are found by listing this package, so adding a kind is
adding a module (plus its template and tests); listing them imports none of them, which keeps
``sopdocs --help`` fast.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..series import KELUAR

if TYPE_CHECKING:
    from ..records import Naskah
    from ..seal import Seal
    from ..summary import Facts, Kotak
    from ..view import Resolver, View

#: A PDF layout that flows over pages: (view, logo, text width) → reportlab flowables.
Story = Callable[["View", Path, float], list[Any]]
#: A PDF drawn straight onto a fixed page (view, logo, paper, title, seal) → (bytes, pages).
Drawing = Callable[..., tuple[bytes, int]]


@dataclass(frozen=True)
class Kind:
    """A document kind: its names, its record type, how it is viewed, drawn and summarised,
    and how it is numbered (``series``; the number goes into the view key ``nomor_key``)."""

    name: str
    judul: str
    model: type[Naskah]
    view: Callable[[Any, Resolver], View]
    summary: Callable[[Any, View], Facts]
    template: Callable[[], Any]
    story: Story | None = None
    drawing: Drawing | None = None
    series: str = KELUAR
    #: The record date that decides the number's year.
    date_field: str = "tanggal"
    #: Half of the office's paper (½ folio), as lembar disposisi are printed.
    half_page: bool = False
    #: Further templates the kind uses, by file name (the batch template of disposisi).
    extra_templates: dict[str, Callable[[], Any]] = field(default_factory=dict)

    @property
    def nomor_key(self) -> str:
        return "nomor" if self.series == KELUAR else "nomor_agenda"

    @property
    def printed_as(self) -> dict[str, str]:
        """Record fields the document prints under another view key."""
        return {"kode_klasifikasi": "nomor"} if self.series == KELUAR else {}

    def render_pdf(self, view: View, *, logo: Path, paper: str, title: str,
                   seal: Seal | None = None) -> tuple[bytes, int, list[Kotak]]:
        """Return the PDF of ``view``, its page count and the signature boxes drawn (page and
        rectangle of each): a story flowed over pages, or the kind's own drawing of a fixed
        form."""
        from ..render.ttd import recording

        with recording() as boxes:
            if self.drawing is not None:
                data, pages = self.drawing(view, logo=logo, paper=paper, title=title, seal=seal)
            else:
                from ..render.pdf import render_pdf

                assert self.story is not None, f"kind {self.name} has neither story nor drawing"
                data, pages = render_pdf(self.story, view, logo=logo, paper=paper, title=title,
                                         seal=seal)
        return data, pages, boxes


class Lazy:
    """A module imported when first used: kind modules name the renderers (``L``, ``T``) at
    top level without paying for reportlab.platypus or python-docx until they draw."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


#: The shared PDF blocks (kop, label block, signature …) and the DOCX template blocks.
L = Lazy("sopdocs.render.pdf")
T = Lazy("sopdocs.render.blocks")


class UnknownKindError(InputError):
    """Raised when a document kind is asked for that no module of this package defines."""


def _module(name: str) -> str:
    return name.replace("-", "_")


@cache
def names() -> tuple[str, ...]:
    """The CLI names of every kind, found without importing the kind modules."""
    return tuple(sorted(m.name.replace("_", "-") for m in pkgutil.iter_modules(__path__)
                        if not m.name.startswith("_")))


_DOCSTRING = re.compile(r'\s*(?:"""|\'\'\')\s*(.*?)\s*(?:\n|"""|\'\'\')', re.S)


def help_line(name: str) -> str:
    """The first line of a kind module's docstring, read from its source without importing
    it (the CLI shows it as the command's help)."""
    path = Path(__file__).with_name(f"{_module(name)}.py")
    with path.open(encoding="utf-8") as handle:
        found = _DOCSTRING.match(handle.read(1024))
    return found[1] if found else name


_JUDUL = re.compile(r'^KIND = Kind\(\s*"[^"]*",\s*"([^"]+)"', re.M)


def titles() -> dict[str, str]:
    """Every kind's judul by name, read from the modules' source without importing them (the
    recap lists every kind; importing them all costs reportlab and every record model); a
    module whose ``KIND`` is written otherwise is imported."""
    out = {}
    for name in names():
        found = _JUDUL.search(Path(__file__).with_name(f"{_module(name)}.py")
                              .read_text(encoding="utf-8"))
        out[name] = found[1] if found else kind_of(name).judul
    return out


def kind_of(name: str) -> Kind:
    """Return the kind called ``name``; raise UnknownKindError listing the kinds there are."""
    if name not in names():
        raise UnknownKindError(f"unknown document kind {name!r} (known: {', '.join(names())})")
    kind: Kind = importlib.import_module(f"{__name__}.{_module(name)}").KIND
    return kind


def all_kinds() -> dict[str, Kind]:
    """Every kind by name (imports every kind module)."""
    return {name: kind_of(name) for name in names()}
