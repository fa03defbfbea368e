"""Make a surat dinas (outgoing letter: surat permintaan, pemberitahuan ...)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from .. import idn
from ..numbering import Nomor
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
from ..view import Resolver, View, numbered, one_line_size, signature, tempat_of
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


#: The surat's head: Nomor, Sifat, Lampiran and Hal on the left (the values in ``VALUE_MM``),
#: the place and date at the right end of the Nomor line, right-aligned over ``DATE_MM``
#: (``Padang, 30 September 2026`` is 54 mm at 12 pt). A longer place takes room from the
#: Nomor line left of it, as far as the number leaves (``GAP_MM`` apart), and only then is
#: set smaller: it never wraps.
LABEL_MM, COLON_MM, DATE_MM, GAP_MM = 25, 5, 58, 5
LINE_MM = 165 - LABEL_MM - COLON_MM  # the Nomor line: the number and the place and date
VALUE_MM = LINE_MM - DATE_MM  # Sifat, Lampiran, Hal
#: The number is measured with a four-digit sequence (it is taken after the view is made).
URUT_UKUR = 8888


def view(rec: Surat, r: Resolver) -> View:
    tempat, tanggal = tempat_of(r, rec.tempat), idn.tanggal(rec.tanggal)
    place_line = f"{tempat}, {tanggal}"
    office = r.office
    nomor = Nomor(rec.kode_klasifikasi, URUT_UKUR, office.unit, rec.tanggal.year,
                  rec.tanggal.month, office.nomor.pola)
    room = (LINE_MM - 1 - GAP_MM) * L.mm - L.text_width(str(nomor))
    return {
        "tempat": tempat,
        "tanggal": tanggal,
        "ukuran_tanggal": one_line_size(r, "tempat", place_line,
                                        L.fitting_size(place_line, room)),
        "sifat": rec.sifat.value,
        "lampiran": rec.lampiran or "-",
        "hal": rec.hal,
        "kepada": numbered(r.jabatan_list("kepada", rec.kepada)),
        "di": rec.di or office.tempat,
        "isi": list(rec.isi),
        "penandatangan": signature(r, rec.penandatangan, office.tata_letak.label_nip),
        "tembusan": numbered(r.jabatan_list("tembusan", rec.tembusan)) if rec.tembusan else [],
    }


def summary(rec: Surat, v: View) -> Facts:
    signer = signer_of(v["penandatangan"])
    return Facts(hal=rec.hal, kepada=texts(v["kepada"]), dari=signer.jabatan,
                 penandatangan=[signer], sifat=rec.sifat.value,
                 kode_klasifikasi=rec.kode_klasifikasi)


def story(v: View, logo: Path, width: float) -> list[Any]:
    label, colon, line = LABEL_MM * L.mm, COLON_MM * L.mm, LINE_MM * L.mm
    place = f"{v['tempat']}, {v['tanggal']}"
    date_width = max(DATE_MM * L.mm, L.text_width(place, v["ukuran_tanggal"]) + 3)
    nomor_line = L.plain_table(
        [[L.p(v["nomor"]), L.one_line(place, v["ukuran_tanggal"], L.TA_RIGHT)]],
        [line - date_width, date_width])
    rows = [[L.p("Nomor"), L.p(":"), nomor_line, ""]]
    rows += [[L.p(name), L.p(":"), L.p(value), ""] for name, value in
             (("Sifat", v["sifat"]), ("Lampiran", v["lampiran"]), ("Hal", v["hal"]))]
    head = L.plain_table(rows, [label, colon, line - DATE_MM * L.mm, DATE_MM * L.mm])
    head.setStyle(L.TableStyle([("SPAN", (2, 0), (3, 0))]))
    address = L.plain_table([[L.p("Yth."), L.items(v["kepada"])],
                             ["", L.p(f"di {v['di']}")]], [12 * L.mm, width - 12 * L.mm])
    out = L.kop(v, logo)
    out += [L.Spacer(1, 6), head, L.Spacer(1, 14), address, L.Spacer(1, 14)]
    out += L.paragraphs_then([L.p(t, L.Styles.body) for t in v["isi"]],
                             [L.signature(v["penandatangan"], width)])
    return out + L.tembusan(v) + L.paraf(v)


def template() -> Any:
    doc = T.new_document("Surat")
    T.kop(doc)
    table = T.fields(doc, [("Nomor", "nomor", None), ("Sifat", "sifat", None),
                           ("Lampiran", "lampiran", None), ("Hal", "hal", None)],
                     label_cm=LABEL_MM / 10, extra="", extra_cm=DATE_MM / 10)
    # The Nomor line: the number, then the place and date right-aligned at the margin (a
    # right tab), in the size the view chose so that it stays on one line.
    cells = table.rows[0].cells
    nomor_line = cells[2].merge(cells[3])
    for paragraph in list(nomor_line.paragraphs):
        nomor_line._tc.remove(paragraph._p)
    T.one_line(nomor_line, "{{ tempat }}, {{ tanggal }}", "ukuran_tanggal",
               lead="{{ nomor }}\t", tab_cm=(LINE_MM - 1) / 10)
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
