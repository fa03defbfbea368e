"""Make a berita acara between two parties, optionally with "Mengetahui"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import idn
from ..records import KodeKlasifikasi, Line, Naskah, Orang, Paragraph, Paragraphs, Penandatangan
from ..summary import Facts, signer_of
from ..view import Resolver, View, needs_nip, numbered, pihak, signature, tempat_of
from . import Kind, L, T

PENGANTAR = "Kedua belah pihak menyatakan hal-hal sebagai berikut:"
PENUTUP = ("Demikian Berita Acara ini dibuat dengan sebenarnya dalam rangkap 2 (dua) untuk "
           "dipergunakan sebagaimana mestinya.")


class BeritaAcara(Naskah):
    """Berita acara: what two parties did or agreed, in numbered points. A party is a role
    key or written out: a civil servant with ``nip``, anyone else with ``identitas`` (NIK);
    a party written out with neither is refused (``needs_nip``)."""

    judul: Line
    tempat: Line | None = None
    pihak_pertama: Orang
    pihak_kedua: Orang
    pengantar: Paragraph = PENGANTAR
    isi: Paragraphs
    penutup: Paragraph = PENUTUP
    mengetahui: Penandatangan | None = None
    kode_klasifikasi: KodeKlasifikasi


def view(rec: BeritaAcara, r: Resolver) -> View:
    tempat = tempat_of(r, rec.tempat)
    # A party written out in full is a PNS with a NIP, or says it is not one (identitas).
    needs_nip(r, "pihak_pertama", rec.pihak_pertama)
    needs_nip(r, "pihak_kedua", rec.pihak_kedua)
    return {
        "judul": rec.judul.upper(),
        "pembukaan": (f"Pada hari ini {idn.tanggal_terbilang(rec.tanggal)} "
                      f"({idn.tanggal_angka(rec.tanggal)}), bertempat di {tempat}, kami yang "
                      "bertanda tangan di bawah ini:"),
        "pihak_pertama": pihak(r, "pihak_pertama", rec.pihak_pertama, "PIHAK PERTAMA"),
        "pihak_kedua": pihak(r, "pihak_kedua", rec.pihak_kedua, "PIHAK KEDUA"),
        "pengantar": rec.pengantar,
        "isi": numbered(list(rec.isi), always=True),
        "penutup": rec.penutup,
        "tempat": tempat,
        "tanggal": idn.tanggal(rec.tanggal),
        "mengetahui": (signature(r, rec.mengetahui, r.office.tata_letak.label_nip, "mengetahui")
                       if rec.mengetahui else None),
    }


def summary(rec: BeritaAcara, v: View) -> Facts:
    """Both parties sign (PIHAK PERTAMA first), then the witness; addressed to PIHAK KEDUA."""
    signers = [signer_of(v["pihak_pertama"]["ttd"]), signer_of(v["pihak_kedua"]["ttd"])]
    if v["mengetahui"]:
        signers.append(signer_of(v["mengetahui"]))
    return Facts(hal=rec.judul, kepada=[signers[1].nama], dari=signers[0].nama,
                 penandatangan=signers, kode_klasifikasi=rec.kode_klasifikasi)


def _pihak_story(number: str, party: View, label: str, width: float) -> Any:
    rows = [(r["label"], r["nilai"]) for r in party["rincian"]]
    particulars = [L.fields(rows, width - 6 * L.mm, label_width=34 * L.mm),
                   L.p(f"selanjutnya disebut {label}.")]
    return L.plain_table([[L.p(number), particulars]], [6 * L.mm, width - 6 * L.mm],
                         spaceAfter=6)


def story(v: View, logo: Path, width: float) -> list[Any]:
    out = L.kop(v, logo)
    out += L.title(["BERITA ACARA", "TENTANG", v["judul"]], v["nomor"])
    out += [L.p(v["pembukaan"], L.Styles.justify),
            _pihak_story("1.", v["pihak_pertama"], "PIHAK PERTAMA", width),
            _pihak_story("2.", v["pihak_kedua"], "PIHAK KEDUA", width),
            L.p(v["pengantar"], L.Styles.justify)]
    place = L.plain_table([["", [L.p(f"Dibuat di {v['tempat']}"),
                                 L.p(f"pada tanggal {v['tanggal']}")]]], [width / 2, width / 2])
    # The last point, the closing paragraph, the parties' signatures and "Mengetahui" stay on
    # one page: a page never starts with a signature block, and the page the parties sign
    # carries a point of what they sign, not only the closing formula.
    out += L.paragraphs_then([*L.items(v["isi"], L.Styles.point),
                              L.p(v["penutup"], L.Styles.justify)], [
        place, L.Spacer(1, 8),
        *L.parties(v["pihak_kedua"]["ttd"], v["pihak_pertama"]["ttd"], v["mengetahui"], width)],
        keep=2)
    return out + L.paraf(v)


def _pihak_template(doc: Any, number: str, var: str, label: str) -> None:
    """A party of a berita acara: its number, its particulars, then what it is called."""
    widths = [0.6, 3.4, T.COLON_CM, T.TEXT_WIDTH_CM - 0.6 - 3.4 - T.COLON_CM]
    table = T.label_table(doc, widths)
    T.row_tag(table, "{%tr for item in " + var + ".rincian %}")
    cells = table.add_row().cells
    for cell, value in zip(cells, ("{% if loop.first %}" + number + "{% endif %}",
                                   "{{ item.label }}", ":", "{{ item.nilai }}"), strict=True):
        T.tight(T.first_paragraph(cell)).add_run(value)
    T.row_tag(table, "{%tr endfor %}")
    T.set_widths(table, widths)
    p = T.para(doc, f"selanjutnya disebut {label}.", space_after=6)
    p.paragraph_format.left_indent = T.Cm(0.6)


def template() -> Any:
    doc = T.new_document("Berita Acara")
    T.kop(doc)
    T.title(doc, ["BERITA ACARA", "TENTANG", "{{ judul }}"])
    T.justified(doc, "{{ pembukaan }}")
    _pihak_template(doc, "1.", "pihak_pertama", "PIHAK PERTAMA")
    _pihak_template(doc, "2.", "pihak_kedua", "PIHAK KEDUA")
    T.justified(doc, "{{ pengantar }}")
    T.tag(doc, "{%p for item in isi %}")
    for last in (True, False):  # the last point keeps with the closing and the signatures
        T.tag(doc, "{%p if loop.last %}" if last else "{%p else %}")
        p = T.para(doc, "{{ item.no }}\t{{ item.teks }}", align=T.WD_ALIGN_PARAGRAPH.JUSTIFY,
                   space_after=4)
        p.paragraph_format.left_indent = T.Cm(0.6)
        p.paragraph_format.first_line_indent = T.Cm(-0.6)
        p.paragraph_format.tab_stops.add_tab_stop(T.Cm(0.6))
        p.paragraph_format.keep_with_next = last
    T.tag(doc, "{%p endif %}")
    T.tag(doc, "{%p endfor %}")
    # The closing paragraph, the parties' signatures and "Mengetahui" stay on one page.
    T.closing(doc, ["Dibuat di {{ tempat }}", "pada tanggal {{ tanggal }}"],
              "pihak_kedua.ttd", "pihak_pertama.ttd")
    T.paraf(doc)
    return doc


KIND = Kind("berita-acara", "Berita Acara", BeritaAcara, view=view, summary=summary,
            template=template, story=story)
