"""The schema of an SOP file (one YAML per SOP), checked when the catalogue is loaded."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from .. import idn, kinds
from ..records import Line, Record

_WAKTU = re.compile(r"(\d+)\s*(menit|jam|hari|minggu)", re.IGNORECASE)
_MINUTES = {"menit": 1, "jam": 60, "hari": 24 * 60, "minggu": 7 * 24 * 60}


class Waktu(Record):
    """A standard time as the SOP writes it: ``3 menit``, ``1 hari``, ``2 hari / sesuai
    kebutuhan``; ``tentatif`` and ``sesuai kebutuhan`` have no fixed duration."""

    teks: str
    menit: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if value is None:
            return {"teks": "-", "menit": None}
        if not isinstance(value, str):
            return value
        text = " ".join(value.split())
        m = _WAKTU.search(text)
        if m:
            return {"teks": text, "menit": int(m[1]) * _MINUTES[m[2].lower()]}
        if text.casefold() in ("tentatif", "sesuai kebutuhan", "-"):
            return {"teks": text, "menit": None}
        raise ValueError(f"{value!r} is not a standard time (e.g. 3 menit, 1 hari, tentatif, "
                         "sesuai kebutuhan)")

    @property
    def durasi(self) -> timedelta | None:
        return None if self.menit is None else timedelta(minutes=self.menit)

    def kata(self) -> str:
        """The time as a letter writes a deadline: ``7 (tujuh) hari``."""
        m = _WAKTU.search(self.teks)
        return idn.jumlah(int(m[1]), m[2].lower()) if m else self.teks


def _known_kind(name: str) -> str:
    if name not in kinds.names():
        raise ValueError(f"{name!r} is not a document kind ({', '.join(kinds.names())})")
    return name


class Dokumen(Record):
    """A document a step makes: its kind, a short label, and the defaults of its record.

    String defaults may name facts of the case in braces (``{opd}``); a default that is only
    ``{name}`` takes the fact as it is (a list of table rows, say)."""

    jenis: Annotated[str, AfterValidator(_known_kind)]
    label: Line
    konsep: bool = False
    bawaan: dict[str, Any] = {}


class Cabang(Record):
    """Where a decision leads: ``lanjut`` is the next step, or ``selesai`` (the case ends)."""

    lanjut: int | Literal["selesai"]
    keterangan: Line | None = None
    dokumen: list[Dokumen] | None = None  # replaces the step's documents on this branch


class Keputusan(Record):
    ya: Cabang
    tidak: Cabang


class Langkah(Record):
    """One step of the SOP, with its mutu baku (kelengkapan, waktu, output)."""

    no: int
    kegiatan: Line
    pelaksana: Annotated[list[Line], Field(min_length=1)]
    penerima: list[Line] = []
    kelengkapan: Line
    waktu: Waktu
    output: Line
    dokumen: list[Dokumen] = []
    keputusan: Keputusan | None = None
    keterangan: Line | None = None


class Identitas(Record):
    """The header table of the SOP form."""

    dasar_hukum: list[Line] = []
    kualifikasi_pelaksana: list[Line] = []
    keterkaitan: list[Line] = []
    peralatan: list[Line] = []
    peringatan: list[Line] = []
    pencatatan: list[Line] = []


class Peran(Record):
    """A column of the SOP's flowchart and the office role that fills it (none: outside)."""

    nama: Line
    peran: Line | None = None


class Fakta(Record):
    """A fact a case carries (which OPD, which letter …), with an optional default."""

    keterangan: Line
    bawaan: Any = None


class SOP(Record):
    """One SOP: identity, roles, facts and steps."""

    kunci: Annotated[str, BeforeValidator(str)]
    nama: Line
    nomor: Line | None = None
    instansi: Line
    bidang: Line | None = None
    tanggal_pembuatan: Line | None = None
    tanggal_revisi: Line | None = None
    tanggal_efektif: Line | None = None
    disahkan_oleh: Line | None = None
    tujuan: Line | None = None
    identitas: Identitas = Identitas()
    peran: list[Peran] = []
    fakta: dict[str, Fakta] = {}
    langkah: Annotated[list[Langkah], Field(min_length=1)]

    @model_validator(mode="after")
    def _steps_are_consistent(self) -> SOP:
        numbers = [step.no for step in self.langkah]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"steps must be numbered 1, 2, 3 … in order (got {numbers})")
        for step in self.langkah:
            if step.keputusan is None:
                continue
            for branch in (step.keputusan.ya, step.keputusan.tidak):
                if branch.lanjut != "selesai" and branch.lanjut not in numbers:
                    raise ValueError(f"step {step.no}: a decision leads to step "
                                     f"{branch.lanjut}, which does not exist")
        return self

    def step(self, no: int) -> Langkah:
        """Return step ``no``; raise ValueError naming the valid range."""
        if not 1 <= no <= len(self.langkah):
            raise ValueError(f"SOP {self.kunci} has steps 1 to {len(self.langkah)}, not {no}")
        return self.langkah[no - 1]

    def kinds(self) -> list[str]:
        """The document kinds this SOP's steps make, in the order they first appear."""
        found: list[str] = []
        for step in self.langkah:
            branches = [step.keputusan.ya, step.keputusan.tidak] if step.keputusan else []
            for doc in step.dokumen + [d for b in branches for d in (b.dokumen or [])]:
                if doc.jenis not in found:
                    found.append(doc.jenis)
        return found
