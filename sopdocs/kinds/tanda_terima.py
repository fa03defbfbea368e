"""Make a tanda terima (receipt) of documents or goods handed from one party to another."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from .. import idn
from ..records import (
    Jumlah,
    KodeKlasifikasi,
    Line,
    Naskah,
    Orang,
    Pejabat,
    Penandatangan,
    Record,
)
from ..summary import Facts, signer_of
from ..view import Resolver, View, pihak, signature, tempat_of
from . import Kind, L, T

RINCIAN = "dengan rincian sebagai berikut:"
PENUTUP = "Demikian Tanda Terima ini dibuat untuk dipergunakan sebagaimana mestinya."
KOLOM = ("No.", "Uraian", "Jumlah", "Keterangan")
#: Shares of the text width of the columns No. | Uraian | Jumlah | Keterangan.
LEBAR = (0.08, 0.46, 0.24, 0.22)
#: The label block's label column, wide enough for "Telah diterima dari" on one line.
LABEL_MM = 45


class Butir(Record):
    """One row of a tanda terima: what is handed over and how many (``jumlah`` ``satuan``)."""

    uraian: Line
    jumlah: Jumlah
    satuan: Line = "berkas"
    keterangan: Line | None = None


class TandaTerima(Naskah):
    """Tanda terima: documents or goods handed over, received and signed for by both sides."""

    hal: Line
    yang_menyerahkan: Orang
    yang_menerima: Orang
    daftar: Annotated[list[Butir], Field(min_length=1)]
    tempat: Line | None = None
    mengetahui: Penandatangan | None = None
    kode_klasifikasi: KodeKlasifikasi


def _party(r: Resolver, path: str, value: str | Pejabat, label: str) -> tuple[str, View]:
    """A party as the label block names it (jabatan, and the instansi of someone from
    outside the office) and its signature column (``Yang Menerima,`` / jabatan / nama …)."""
    ttd = pihak(r, path, value, label)["ttd"]
    jabatan = ttd["jabatan"][-1]
    if isinstance(value, Pejabat) and value.instansi:
        jabatan = f"{jabatan}, {value.instansi}"
    return jabatan, ttd


def view(rec: TandaTerima, r: Resolver) -> View:
    # The opening is the "Telah diterima dari :" label block of a receipt (the penerimaan of a
    # surat pengantar, forms-more.md (b)), not the "Pada hari ini … telah diserahterimakan"
    # sentence: that sentence, with the date in words, is the berita acara serah terima's own
    # opening (hosting step 8 makes one beside this receipt), and a receipt is read at a
    # glance: from whom, by whom, when, what about, then the list.
    dari, menyerahkan = _party(r, "yang_menyerahkan", rec.yang_menyerahkan, "Yang Menyerahkan")
    oleh, menerima = _party(r, "yang_menerima", rec.yang_menerima, "Yang Menerima")
    return {
        "hal": rec.hal,
        "dari": dari,
        "oleh": oleh,
        "hari_tanggal": f"{idn.hari(rec.tanggal)}, {idn.tanggal(rec.tanggal)}",
        "daftar": [{"no": str(i), "uraian": b.uraian, "jumlah": idn.jumlah(b.jumlah, b.satuan),
                    "keterangan": b.keterangan or ""} for i, b in enumerate(rec.daftar, 1)],
        "penutup": PENUTUP,
        "tempat": tempat_of(r, rec.tempat),
        "tanggal": idn.tanggal(rec.tanggal),
        "yang_menerima": menerima,
        "yang_menyerahkan": menyerahkan,
        "mengetahui": (signature(r, rec.mengetahui, r.office.tata_letak.label_nip, "mengetahui")
                       if rec.mengetahui else None),
    }


def summary(rec: TandaTerima, v: View) -> Facts:
    """From the giver to the receiver; both sign (the giver first), then the witness."""
    signers = [signer_of(v["yang_menyerahkan"]), signer_of(v["yang_menerima"])]
    if v["mengetahui"]:
        signers.append(signer_of(v["mengetahui"]))
    return Facts(hal=rec.hal, kepada=[signers[1].nama], dari=signers[0].nama,
                 penandatangan=signers, kode_klasifikasi=rec.kode_klasifikasi)


@cache
def _daftar_table() -> Any:
    """The PDF table class of the daftar (made on first use: reportlab is imported late)."""
    from reportlab.platypus import PageBreak, Table

    class DaftarTable(Table):
        """A grid table that leaves room for what closes the document where it ends: when
        its rows fit on the page but the closing block (``then``) does not, its last row goes
        over to the next page, under the repeated header, with the closing. The closing
        sentence and the signatures never stand on a page without a row of the list."""

        then: list[Any] = []

        def _closing_height(self, width: float) -> float:
            canv = getattr(self, "canv", None)
            return sum(f.wrapOn(canv, width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                       for f in self.then)

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            width, height = super().wrap(avail_width, avail_height)
            self._carry = False
            if self.then and self._nrows > 2 and height <= avail_height:
                closing = self._closing_height(avail_width)
                page = getattr(getattr(self, "_frame", None), "_aH", avail_height)
                carried = self._rowHeights[0] + self._rowHeights[-1] + closing
                if height + closing > avail_height and carried <= page:
                    self._carry = True
                    return width, avail_height + 1  # the frame will ask for a split
            return width, height

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            carry = getattr(self, "_carry", False)
            if carry:
                avail_height = sum(self._rowHeights[:-1]) + 0.5
            parts: list[Any] = super().split(avail_width, avail_height)
            if len(parts) != 2:
                return parts
            parts[1].then = self.then
            # the carried row would still fit here: it starts the next page
            return [parts[0], PageBreak(), parts[1]] if carry else parts

    return DaftarTable


def story(v: View, logo: Path, width: float) -> list[Any]:
    out = L.kop(v, logo)
    out += L.title(["TANDA TERIMA"], v["nomor"])
    out += [L.fields([("Telah diterima dari", v["dari"]), ("Oleh", v["oleh"]),
                      ("Pada hari/tanggal", v["hari_tanggal"]), ("Hal", v["hal"])],
                     width, label_width=LABEL_MM * L.mm),
            L.Spacer(1, 6), L.p(RINCIAN), L.Spacer(1, 4)]
    number = L.ParagraphStyle("tanda_terima_no", parent=L.Styles.text, alignment=L.TA_CENTER)
    rows = [[L.p(k, L.Styles.bold_center) for k in KOLOM]]
    rows += [[L.p(b["no"], number), L.p(b["uraian"]), L.p(b["jumlah"]), L.p(b["keterangan"])]
             for b in v["daftar"]]
    table = _daftar_table()(rows, colWidths=[width * share for share in LEBAR], repeatRows=1)
    table.setStyle(L.TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]))
    # The closing sentence, place and date and every signature (the witness's included) are
    # kept on one page: a page never starts with a signature block.
    closing = [L.plain_table([["", L.p(f"{v['tempat']}, {v['tanggal']}")]], [width / 2] * 2),
               L.Spacer(1, 8),
               *L.parties(v["yang_menerima"], v["yang_menyerahkan"], v["mengetahui"], width)]
    penutup = L.p(v["penutup"], L.Styles.justify)
    table.then = [L.Spacer(1, 10), penutup, L.Spacer(1, 10), *closing]  # as paragraphs_then
    return [*out, table, L.Spacer(1, 10), *L.paragraphs_then([penutup], closing), *L.paraf(v)]


def _daftar_template(doc: Any) -> None:
    """The grid of what is handed over; its header row repeats on every page, no row is
    split over two pages, and the last row keeps with the closing sentence that follows."""
    widths = [T.TEXT_WIDTH_CM * share for share in LEBAR]
    table = doc.add_table(rows=1, cols=len(KOLOM))
    table.style = doc.styles["Table Grid"]
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(T.parse_xml(f"<w:tblHeader {T.nsdecls('w')}/>"))
    T.unsplittable_row(table)
    for cell, text in zip(header.cells, KOLOM, strict=True):
        cell.vertical_alignment = T.WD_CELL_VERTICAL_ALIGNMENT.CENTER
        T.tight(T.first_paragraph(cell), align=T.WD_ALIGN_PARAGRAPH.CENTER).add_run(
            text).bold = True
    T.row_tag(table, "{%tr for item in daftar %}")
    for last in (True, False):
        T.row_tag(table, "{%tr if loop.last %}" if last else "{%tr else %}")
        row = table.add_row()
        T.cant_split(row)
        for i, (cell, key) in enumerate(zip(row.cells, ("no", "uraian", "jumlah", "keterangan"),
                                            strict=True)):
            align = T.WD_ALIGN_PARAGRAPH.CENTER if i == 0 else None
            p = T.tight(T.first_paragraph(cell), align=align)
            p.add_run("{{ item." + key + " }}")
            p.paragraph_format.keep_with_next = last
    T.row_tag(table, "{%tr endif %}")
    T.row_tag(table, "{%tr endfor %}")
    T.set_widths(table, widths)


def template() -> Any:
    doc = T.new_document("Tanda Terima")
    T.kop(doc)
    T.title(doc, ["TANDA TERIMA"])
    T.fields(doc, [("Telah diterima dari", "dari", None), ("Oleh", "oleh", None),
                   ("Pada hari/tanggal", "hari_tanggal", None), ("Hal", "hal", None)],
             label_cm=LABEL_MM / 10)
    T.para(doc, RINCIAN, space_after=4).paragraph_format.space_before = T.Pt(6)
    _daftar_template(doc)
    T.para(doc, "").paragraph_format.keep_with_next = True
    # The last row of the list, the closing sentence, place and date and both signature rows
    # keep together on one page (keep with next, rows that cannot split): a page never starts
    # with a signature block, nor with the closing sentence alone.
    T.closing(doc, ["{{ tempat }}, {{ tanggal }}"], "yang_menerima", "yang_menyerahkan")
    T.paraf(doc)
    return doc


KIND = Kind("tanda-terima", "Tanda Terima", TandaTerima, view=view, summary=summary,
            template=template, story=story)
