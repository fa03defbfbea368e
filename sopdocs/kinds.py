"""The document kinds sopdocs makes, by their CLI name (like WeasyPrint's VARIANTS)."""

from __future__ import annotations

from dataclasses import dataclass

from .records import BeritaAcara, Disposisi, Laporan, NotaDinas, Record, Surat
from .registry import AGENDA, KELUAR


@dataclass(frozen=True)
class Kind:
    """A document kind: its CLI/template name, its title, its record type, and how it is
    numbered (``series``; the number goes into the view key ``nomor_key``)."""

    name: str
    judul: str
    model: type[Record]
    series: str = KELUAR
    #: The record field the register shows as the document's subject.
    hal_field: str = "hal"
    #: The record date that decides the number's year.
    date_field: str = "tanggal"
    #: Half of the office's paper (½ folio), as lembar disposisi are printed.
    half_page: bool = False

    @property
    def nomor_key(self) -> str:
        return "nomor" if self.series == KELUAR else "nomor_agenda"

    @property
    def printed_as(self) -> dict[str, str]:
        """Record fields the document prints under another view key."""
        return {"kode_klasifikasi": "nomor"} if self.series == KELUAR else {}


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("nota-dinas", "Nota Dinas", NotaDinas),
    Kind("disposisi", "Lembar Disposisi", Disposisi, series=AGENDA,
         date_field="diterima_tanggal", half_page=True),
    Kind("berita-acara", "Berita Acara", BeritaAcara, hal_field="judul"),
    Kind("laporan", "Laporan", Laporan, hal_field="judul"),
    Kind("surat", "Surat", Surat),
)}


def kind_of(name: str) -> Kind:
    """Return the kind called ``name``; raise KeyError listing the kinds there are."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown document kind {name!r} (known: {', '.join(KINDS)})") from None
