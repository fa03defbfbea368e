"""Make a surat dinas (outgoing letter: surat permintaan, pemberitahuan ...)."""

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
from ..view import Resolver, View, numbered, signature, tempat_of
from . import Kind, L, T


class Surat(Naskah):
    """Surat dinas (surat permintaan, surat pemberitahuan …) to an addressee outside the unit."""

    tempat: Line | None = None
    sifat: Sifat = Sifat.BIASA
    lampiran: Lampiran = None
    hal: Line
    kepada: Annotated[list[Jabatan], Field(min_length=1)]
    di: Line | None = None
    isi: Paragraphs
    penandatangan: Penandatangan
    tembusan: list[Jabatan] = []
    kode_klasifikasi: KodeKlasifikasi


def view(rec: Surat, r: Resolver) -> View:
    return {
        "tempat": tempat_of(r, rec.tempat),
        "tanggal": idn.tanggal(rec.tanggal),
        "sifat": rec.sifat.value,
        "lampiran": rec.lampiran or "-",
        "hal": rec.hal,
        "kepada": numbered(r.jabatan_list("kepada", rec.kepada)),
        "di": rec.di or r.office.tempat,
        "isi": list(rec.isi),
        "penandatangan": signature(r, rec.penandatangan, r.office.tata_letak.label_nip),
        "tembusan": numbered(r.jabatan_list("tembusan", rec.tembusan)) if rec.tembusan else [],
    }


def summary(rec: Surat, v: View) -> Facts:
    signer = signer_of(v["penandatangan"])
    return Facts(hal=rec.hal, kepada=texts(v["kepada"]), dari=signer.jabatan,
                 penandatangan=[signer], sifat=rec.sifat.value,
                 kode_klasifikasi=rec.kode_klasifikasi)


def story(v: View, logo: Path, width: float) -> list[Any]:
    date_width = 55 * L.mm
    head = L.fields([("Nomor", v["nomor"]), ("Sifat", v["sifat"]),
                     ("Lampiran", v["lampiran"]), ("Hal", v["hal"])],
                    width - date_width, label_width=25 * L.mm)
    dated = L.plain_table([[head, L.p(f"{v['tempat']}, {v['tanggal']}",
                                      L.ParagraphStyle("right", parent=L.Styles.text,
                                                       alignment=2))]],
                          [width - date_width, date_width])
    address = L.plain_table([[L.p("Yth."), L.items(v["kepada"])],
                             ["", L.p(f"di {v['di']}")]], [12 * L.mm, width - 12 * L.mm])
    out = L.kop(v, logo)
    out += [L.Spacer(1, 6), dated, L.Spacer(1, 14), address, L.Spacer(1, 14)]
    out += L.paragraphs_then([L.p(t, L.Styles.body) for t in v["isi"]],
                             [L.signature(v["penandatangan"], width)])
    return out + L.tembusan(v) + L.paraf(v)


def template() -> Any:
    doc = T.new_document("Surat")
    T.kop(doc)
    T.fields(doc, [("Nomor", "nomor", None), ("Sifat", "sifat", None),
                 ("Lampiran", "lampiran", None), ("Hal", "hal", None)],
           label_cm=2.5, extra="{{ tempat }}, {{ tanggal }}")
    T.para(doc, "")
    table = T.label_table(doc, [1.2, T.TEXT_WIDTH_CM - 1.2])
    cells = table.add_row().cells
    T.tight(T.first_paragraph(cells[0])).add_run("Yth.")
    T.value_cell(cells[1], "list:kepada")
    cells = table.add_row().cells
    T.tight(T.first_paragraph(cells[1])).add_run("di {{ di }}")
    T.set_widths(table, [1.2, T.TEXT_WIDTH_CM - 1.2])
    T.para(doc, "")
    T.body(doc, "isi")
    T.signature(doc)
    T.tembusan(doc, "tembusan")
    T.paraf(doc)
    return doc


KIND = Kind("surat", "Surat", Surat, view=view, summary=summary, template=template,
            story=story)
