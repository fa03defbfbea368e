"""Make a laporan (report, sections A-E), optionally with a table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from .. import idn
from ..records import (
    KodeKlasifikasi,
    Line,
    Naskah,
    Paragraphs,
    Penandatangan,
    Record,
    item_path,
    one_line,
)
from ..summary import Facts, signer_of
from ..view import Resolver, View, numbered, one_line_size, signature, tempat_of
from . import Kind, L, T


class Pendahuluan(Record):
    """Part A of a laporan."""

    umum: Paragraphs
    maksud_tujuan: Paragraphs
    ruang_lingkup: Paragraphs
    dasar: Paragraphs


class Tabel(Record):
    """A table in a laporan (e.g. the monitoring recap): column headers and rows of text."""

    judul: Line | None = None
    kolom: Annotated[list[Line], Field(min_length=1)]
    baris: list[list[Annotated[str, AfterValidator(one_line)]]]

    @model_validator(mode="after")
    def _rows_fit_columns(self) -> Tabel:
        for i, row in enumerate(self.baris):
            if len(row) != len(self.kolom):
                cells = f"{len(row)} cell{'' if len(row) == 1 else 's'}"
                raise ValueError(f"{item_path('baris', i)} has {cells}; the table has "
                                 f"{len(self.kolom)} columns")
        return self


def _judul_laporan(value: str) -> str:
    """``Laporan tentang X`` and ``X`` mean the same title."""
    return re.sub(r"(?i)^laporan\s+tentang\s+", "", value)


class Laporan(Naskah):
    """Laporan: the report of an assigned task, sections A–E as the tata naskah gives them."""

    judul: Annotated[Line, AfterValidator(_judul_laporan)]
    tempat: Line | None = None
    pendahuluan: Pendahuluan
    kegiatan: Paragraphs
    hasil: Paragraphs
    tabel: Tabel | None = None
    simpulan_saran: Paragraphs
    penutup: Paragraphs
    lampiran: list[Line] = []
    penandatangan: Penandatangan
    kode_klasifikasi: KodeKlasifikasi


#: The room for the place and date on one line in the signature block (the right half of
#: the 165 mm of text), less the cell margins Word gives the DOCX block (2 × 1.9 mm).
PLACE_WIDTH_MM = 78


def view(rec: Laporan, r: Resolver) -> View:
    p = rec.pendahuluan
    tempat, tanggal = tempat_of(r, rec.tempat), idn.tanggal(rec.tanggal)
    place_line = f"{tempat}, {tanggal}"
    return {
        "judul": rec.judul.upper(),
        # A. Pendahuluan › 4. Dasar › a., b. …: the third level of the tata naskah's lists
        "pendahuluan": {"umum": list(p.umum), "maksud_tujuan": list(p.maksud_tujuan),
                        "ruang_lingkup": list(p.ruang_lingkup),
                        "dasar": numbered(list(p.dasar), level=2)},
        "kegiatan": list(rec.kegiatan),
        "hasil": list(rec.hasil),
        "tabel": rec.tabel.model_dump() if rec.tabel else None,
        "simpulan_saran": list(rec.simpulan_saran),
        "penutup": list(rec.penutup),
        "lampiran": numbered(list(rec.lampiran)) if rec.lampiran else [],
        "tempat": tempat,
        "tanggal": tanggal,
        "ukuran_tanggal": one_line_size(r, "tempat", place_line, L.fitting_size(
            place_line, PLACE_WIDTH_MM * L.mm)),
        "penandatangan": signature(r, rec.penandatangan, r.office.tata_letak.label_nip),
    }


def summary(rec: Laporan, v: View) -> Facts:
    signer = signer_of(v["penandatangan"])
    return Facts(hal=rec.judul, dari=signer.jabatan, penandatangan=[signer],
                 kode_klasifikasi=rec.kode_klasifikasi)


def story(v: View, logo: Path, width: float) -> list[Any]:
    section, sub, text_left = 7.5 * L.mm, 13.5 * L.mm, 19.5 * L.mm
    letter = L.ParagraphStyle("section", parent=L.Styles.bold, leftIndent=section,
                              bulletIndent=0, bulletFontName=f"{L.FONT}-Bold", bulletFontSize=12,
                              spaceBefore=6, spaceAfter=3)
    number = L.ParagraphStyle("subsection", parent=L.Styles.text, leftIndent=sub,
                              bulletIndent=section, bulletFontName=L.FONT, bulletFontSize=12,
                              spaceAfter=3)

    def paras(values: list[str], left: float) -> list[Any]:
        return [L.p(x, L.indented(L.Styles.justify, left)) for x in values]

    def part(mark: str, heading: str, values: list[str]) -> list[Any]:
        """A lettered section: its heading kept with its first paragraph."""
        return L.with_heading([L.Paragraph(heading, letter, bulletText=mark)],
                              paras(values, section))

    pend = v["pendahuluan"]
    out = L.kop(v, logo)
    out += L.title(["LAPORAN", "TENTANG", v["judul"]], v["nomor"])
    subsections = []
    for no, name, key in (("1.", "Umum", "umum"), ("2.", "Maksud dan Tujuan", "maksud_tujuan"),
                          ("3.", "Ruang Lingkup", "ruang_lingkup")):
        subsections.append(([L.Paragraph(name, number, bulletText=no)], paras(pend[key], sub)))
    dasar_item = L.ParagraphStyle("dasar", parent=L.Styles.point, leftIndent=text_left,
                                  bulletIndent=sub)
    subsections.append(([L.Paragraph("Dasar", number, bulletText="4.")],
                        L.items(pend["dasar"], dasar_item, L.indented(L.Styles.justify, sub))))
    first_heading, first_body = subsections[0]
    out += L.with_heading([L.Paragraph("Pendahuluan", letter, bulletText="A."),
                           *first_heading], first_body)
    for lines, body in subsections[1:]:
        out += L.with_heading(lines, body)
    out += part("B.", "Kegiatan yang Dilaksanakan", v["kegiatan"])
    out += part("C.", "Hasil yang Dicapai", v["hasil"])
    if v["tabel"]:
        out += L.data_table(v["tabel"], width)
    out += part("D.", "Simpulan dan Saran", v["simpulan_saran"])
    out += L.paragraphs_then(paras(v["penutup"], section), [L.signature(
        v["penandatangan"], width, f"{v['tempat']}, {v['tanggal']}",
        place_size=v["ukuran_tanggal"])],
        heading=[L.Paragraph("Penutup", letter, bulletText="E.")])
    if v["lampiran"]:
        out += [L.Spacer(1, 12), L.p("Lampiran:"), *L.items(v["lampiran"])]
    return out + L.paraf(v)


def template() -> Any:
    doc = T.new_document("Laporan")
    T.kop(doc)
    T.title(doc, ["LAPORAN", "TENTANG", "{{ judul }}"])
    T.heading(doc, "A.", "Pendahuluan")
    for number, text, var in (("1.", "Umum", "pendahuluan.umum"),
                              ("2.", "Maksud dan Tujuan", "pendahuluan.maksud_tujuan"),
                              ("3.", "Ruang Lingkup", "pendahuluan.ruang_lingkup")):
        T.heading(doc, number, text, left_cm=0.75, hang_cm=0.6, bold=False)
        T.body(doc, var, left_cm=1.35, first_line_cm=0, keep_last=False)
    T.heading(doc, "4.", "Dasar", left_cm=0.75, hang_cm=0.6, bold=False)
    T.tag(doc, "{%p for item in pendahuluan.dasar %}")
    p = T.para(doc, "{% if item.no %}{{ item.no }}\t{% endif %}{{ item.teks }}",
             align=T.WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
    p.paragraph_format.left_indent = T.Cm(1.95)
    p.paragraph_format.first_line_indent = T.Cm(-0.6)
    p.paragraph_format.tab_stops.add_tab_stop(T.Cm(1.95))
    T.tag(doc, "{%p endfor %}")
    T.heading(doc, "B.", "Kegiatan yang Dilaksanakan")
    T.body(doc, "kegiatan", left_cm=0.75, first_line_cm=0, keep_last=False)
    T.heading(doc, "C.", "Hasil yang Dicapai")
    T.body(doc, "hasil", left_cm=0.75, first_line_cm=0, keep_last=False)
    T.tag(doc, "{%p if tabel %}")
    T.tag(doc, "{%p if tabel.judul %}")
    T.para(doc, "{{ tabel.judul }}", bold=True, align=T.WD_ALIGN_PARAGRAPH.CENTER,
           space_after=3).paragraph_format.keep_with_next = True
    T.tag(doc, "{%p endif %}")
    T.data_table(doc, "tabel")
    T.para(doc, "")
    T.tag(doc, "{%p endif %}")
    T.heading(doc, "D.", "Simpulan dan Saran")
    T.body(doc, "simpulan_saran", left_cm=0.75, first_line_cm=0, keep_last=False)
    T.heading(doc, "E.", "Penutup")
    T.body(doc, "penutup", left_cm=0.75, first_line_cm=0)
    T.signature(doc, place_line="{{ tempat }}, {{ tanggal }}", place_size="ukuran_tanggal")
    T.tag(doc, "{%p if lampiran %}")
    T.para(doc, "")
    T.para(doc, "Lampiran:")
    T.numbered_list(doc, "lampiran")
    T.tag(doc, "{%p endif %}")
    T.paraf(doc)
    return doc


KIND = Kind("laporan", "Laporan", Laporan, view=view, summary=summary, template=template,
            story=story)
