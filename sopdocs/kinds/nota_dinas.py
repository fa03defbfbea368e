"""Make a nota dinas (internal memo) from one official to another."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from .. import idn
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
from ..view import Resolver, View, numbered, signature
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
    signer_jabatan = ttd["jabatan"][-1].rstrip(",") if ttd["jabatan"] else ""
    return {
        "kepada": numbered(r.jabatan_list("kepada", rec.kepada)),
        "dari": r.jabatan("dari", rec.dari) if rec.dari else signer_jabatan,
        "tembusan": numbered(r.jabatan_list("tembusan", rec.tembusan)) if rec.tembusan else [],
        "tanggal": idn.tanggal(rec.tanggal),
        "sifat": rec.sifat.value,
        "lampiran": rec.lampiran or "-",
        "hal": rec.hal,
        "isi": list(rec.isi),
        "penandatangan": ttd,
        "tata_letak": r.office.tata_letak.model_dump(),
    }


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
