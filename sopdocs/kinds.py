"""The document kinds sopdocs makes, by their CLI name (like WeasyPrint's VARIANTS)."""

from __future__ import annotations

from dataclasses import dataclass

from .records import NotaDinas, Record


@dataclass(frozen=True)
class Kind:
    """A document kind: its CLI/template name, its title as printed, and its record type."""

    name: str
    judul: str
    model: type[Record]
    #: Record fields the document prints under another name (the view key that holds them).
    printed_as: tuple[tuple[str, str], ...] = (("kode_klasifikasi", "nomor"),)


KINDS: dict[str, Kind] = {
    "nota-dinas": Kind("nota-dinas", "NOTA DINAS", NotaDinas),
}


def kind_of(name: str) -> Kind:
    """Return the kind called ``name``; raise KeyError listing the kinds there are."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown document kind {name!r} (known: {', '.join(KINDS)})") from None
