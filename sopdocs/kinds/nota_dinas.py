"""Make a nota dinas (internal memo) from one official to another."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from .. import idn
from ..idn import kutip
from ..records import (
    Jabatan,
    KodeKlasifikasi,
    Lampiran,
    Line,
    Naskah,
    Paragraphs,
    Penandatangan,
    Sifat,
)
from ..summary import Facts, signer_of, texts
from ..view import Resolver, View, numbered, same_jabatan, signature
from . import Kind, L, T


class NotaDinas(Naskah):
    """Nota dinas: an internal message from one official to another."""

    kepada: Annotated[list[Jabatan], Field(min_length=1)]
    dari: Jabatan | None = None
    tembusan: list[Jabatan] = []
    sifat: Sifat = Sifat.BIASA
    lampiran: Lampiran = None
    hal: Line
    isi: Paragraphs
    penandatangan: Penandatangan
    kode_klasifikasi: KodeKlasifikasi


def view(rec: NotaDinas, r: Resolver) -> View:
    ttd = signature(r, rec.penandatangan, r.office.tata_letak.label_nip)
    return {
        "kepada": numbered(r.jabatan_list("kepada", rec.kepada)),
        "dari": _dari(rec, r, ttd),
        "tembusan": numbered(r.jabatan_list("tembusan", rec.tembusan)) if rec.tembusan else [],
        "tanggal": idn.tanggal(rec.tanggal),
        "sifat": rec.sifat.value,
        "lampiran": rec.lampiran or "-",
        "hal": rec.hal,
        "isi": list(rec.isi),
        "penandatangan": ttd,
        "tata_letak": r.office.tata_letak.model_dump(),
    }


_ACTING = re.compile(r"(?i)^(plt|plh)\.?\s+")


def _dari(rec: NotaDinas, r: Resolver, ttd: View) -> str:
    """The "Dari" line: the signer's jabatan, or the position the signer holds as Plt./Plh.
    (written as the signature writes it, ``Plt. Kepala Dinas …``), or the official on
    whose behalf the signer signs a.n./u.b. Any other official is a problem: a nota dinas
    is from the official who signs it."""
    ttd_rec = rec.penandatangan
    if not ttd["nama"]:  # the signer is unknown: already a problem
        return r.jabatan("dari", rec.dari) if rec.dari else ""
    own = ttd["jabatan"][-1].rstrip(",")

    def named(value: str) -> str:  # signature() has already reported an unknown role key
        known = r.office.pejabat.get(value)
        return known.jabatan if known else value

    acting = next(((f"{mark}.", named(value))
                   for mark, value in (("Plt", ttd_rec.plt), ("Plh", ttd_rec.plh)) if value),
                  None)
    if rec.dari is None:
        return f"{acting[0]} {acting[1]}" if acting else own
    given = r.jabatan("dari", rec.dari)
    bare = _ACTING.sub("", given)
    if acting and same_jabatan(bare, acting[1]):
        return f"{acting[0]} {acting[1]}"
    behalf = [named(value) for value in (ttd_rec.an, ttd_rec.ub) if value]
    if not acting and not _ACTING.match(given) and any(
            same_jabatan(given, j) for j in [own, *behalf]):
        return given
    signer = f"{ttd['nama']} ({own})"
    if acting:
        r.problems.append(("dari", f"{kutip(given)} is not the position the signer, {signer}, "
                                   f"signs for as {acting[0]} {acting[1]}: leave dari out to "
                                   "print that position"))
    else:
        r.problems.append(("dari", f"{kutip(given)} is another official than the signer, "
                                   f"{signer}: leave dari out, or let the signer sign a.n., "
                                   f"Plt. or Plh. {bare} (penandatangan: an / plt / plh)"))
    return given


def summary(rec: NotaDinas, v: View) -> Facts:
    return Facts(hal=rec.hal, kepada=texts(v["kepada"]), dari=v["dari"],
                 penandatangan=[signer_of(v["penandatangan"])], sifat=rec.sifat.value,
                 kode_klasifikasi=rec.kode_klasifikasi)


def story(v: View, logo: Path, width: float) -> list[Any]:
    layout = v["tata_letak"]
    out = L.kop(v, logo)
    out += L.title(["NOTA DINAS"], v["nomor"] if layout["nomor_nota_dinas"] == "judul" else None)
    rows: list[tuple[str, Any]] = [("Yth.", v["kepada"]), ("Dari", v["dari"])]
    if v["tembusan"] and layout["tembusan_nota_dinas"] == "kepala":
        rows.append(("Tembusan", v["tembusan"]))
    rows.append(("Tanggal", v["tanggal"]))
    if layout["nomor_nota_dinas"] == "label":
        rows.append(("Nomor", v["nomor"]))
    rows += [("Sifat", v["sifat"]), ("Lampiran", v["lampiran"]), ("Hal", v["hal"])]
    out += [L.fields(rows, width), L.Spacer(1, 4), L.Rule(), L.Spacer(1, 6)]
    out += L.paragraphs_then([L.p(t, L.Styles.body) for t in v["isi"]],
                             [L.signature(v["penandatangan"], width)])
    if layout["tembusan_nota_dinas"] == "kaki":
        out += L.tembusan(v)
    return out + L.paraf(v)


def template() -> Any:
    doc = T.new_document("Nota Dinas")
    T.kop(doc)
    T.title(doc, ["NOTA DINAS"], "tata_letak.nomor_nota_dinas == 'judul'")
    T.fields(doc, [
        ("Yth.", "list:kepada", None),
        ("Dari", "dari", None),
        ("Tembusan", "list:tembusan",
         "tembusan and tata_letak.tembusan_nota_dinas == 'kepala'"),
        ("Tanggal", "tanggal", None),
        ("Nomor", "nomor", "tata_letak.nomor_nota_dinas == 'label'"),
        ("Sifat", "sifat", None),
        ("Lampiran", "lampiran", None),
        ("Hal", "hal", None),
    ])
    T.rule(doc, "single")
    T.body(doc, "isi")
    T.signature(doc)
    T.tembusan(doc, "tembusan and tata_letak.tembusan_nota_dinas == 'kaki'")
    T.paraf(doc)
    return doc


KIND = Kind("nota-dinas", "Nota Dinas", NotaDinas, view=view, summary=summary,
            template=template, story=story)
