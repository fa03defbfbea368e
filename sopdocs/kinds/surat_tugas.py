"""Make a surat tugas (assignment letter): who is assigned, on what basis, to do what."""

from __future__ import annotations

import re
from pathlib import Path
from string import ascii_lowercase
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .. import idn
from ..records import (
    Jabatan,
    KodeKlasifikasi,
    Line,
    Naskah,
    Orang,
    Paragraph,
    Paragraphs,
    Pejabat,
    Penandatangan,
    item_path,
)
from ..summary import Facts, signer_of
from ..view import Resolver, View, numbered, pangkat_text, signature, tempat_of
from . import Kind, L, T

DIKTUM = "MEMBERI TUGAS"
#: The longest subject the register keeps for a surat tugas (see ``hal_of``).
HAL_MAX = 100


def _considerations(value: Any) -> Any:
    """Menimbang may be left out or empty; one text splits into considerations at blank
    lines, as every list of paragraphs does."""
    if value is None:
        return []
    if isinstance(value, str):
        return [p for p in re.split(r"\n\s*\n", value) if p.strip()]
    return value


def _one_or_more(value: Any) -> Any:
    """One person (a role key or a pejabat written out) where a list is expected."""
    return [value] if isinstance(value, str | dict) else value


class SuratTugas(Naskah):
    """Surat tugas: an official assigns named staff to a task, on the bases it cites."""

    menimbang: Annotated[list[Paragraph], BeforeValidator(_considerations)] = []
    dasar: Paragraphs
    kepada: Annotated[list[Orang], BeforeValidator(_one_or_more), Field(min_length=1)]
    untuk: Paragraphs
    tempat: Line | None = None
    penandatangan: Penandatangan
    tembusan: list[Jabatan] = []
    kode_klasifikasi: KodeKlasifikasi


def lettered(items: list[str]) -> list[dict[str, str]]:
    """Letter a list ``a.``, ``b.`` … (``aa.`` after ``z.``); one item alone is not lettered."""
    if len(items) == 1:
        return [{"no": "", "teks": items[0]}]

    def letter(i: int) -> str:
        return letter(i // 26 - 1) + ascii_lowercase[i % 26] if i >= 26 else ascii_lowercase[i]

    return [{"no": f"{letter(i)}.", "teks": t} for i, t in enumerate(items)]


def person(r: Resolver, path: str, value: str | Pejabat) -> View:
    """An assigned person's particulars: Nama, NIP (``-`` when they have none; their
    identitas instead when given), Pangkat/Gol. (``-`` when none), Jabatan, and Instansi
    when the pejabat written out names one."""
    p = r.pejabat(path, value) or Pejabat(nama="-", jabatan="-")
    rincian = [("Nama", p.nama)]
    if p.nip or not p.identitas:
        rincian.append((r.office.tata_letak.label_nip, p.nip or "-"))
    else:
        rincian.append(("Identitas", p.identitas))
    rincian += [("Pangkat/Gol.", pangkat_text(p) or "-"), ("Jabatan", p.jabatan)]
    if p.instansi:
        rincian.append(("Instansi", p.instansi))
    return {"nama": p.nama, "rincian": [{"label": a, "nilai": b} for a, b in rincian]}


def view(rec: SuratTugas, r: Resolver) -> View:
    persons = [person(r, item_path("kepada", i), v) for i, v in enumerate(rec.kepada)]
    for no, item in zip(numbered([p["nama"] for p in persons]), persons, strict=True):
        item["no"] = no["no"]
    return {
        "menimbang": lettered(list(rec.menimbang)),
        "dasar": numbered(list(rec.dasar)),
        "kepada": persons,
        "untuk": numbered(list(rec.untuk)),
        "tempat": tempat_of(r, rec.tempat),
        "tanggal": idn.tanggal(rec.tanggal),
        "penandatangan": signature(r, rec.penandatangan, r.office.tata_letak.label_nip),
        "tembusan": numbered(r.jabatan_list("tembusan", rec.tembusan)) if rec.tembusan else [],
    }


def hal_of(untuk: str) -> str:
    """Return the subject a surat tugas is registered under: its first task up to the first
    ``;`` (the end of an item of the list), without closing punctuation, with a capital first
    letter, cut at a word to at most HAL_MAX characters (ending in ``…``)."""
    text = untuk.split(";", 1)[0].strip().rstrip(".,:;").strip() or untuk
    text = text[:1].upper() + text[1:]
    if len(text) <= HAL_MAX:
        return text
    cut = text[:HAL_MAX].rsplit(" ", 1)[0] if " " in text[:HAL_MAX] else text[:HAL_MAX - 1]
    return cut.rstrip(" ,;:(") + "…"


def summary(rec: SuratTugas, v: View) -> Facts:
    """Subject from the first task (``hal_of``); addressed to the persons assigned; from the
    signer."""
    signer = signer_of(v["penandatangan"])
    return Facts(hal=hal_of(rec.untuk[0]), kepada=[p["nama"] for p in v["kepada"]],
                 dari=signer.jabatan, penandatangan=[signer],
                 kode_klasifikasi=rec.kode_klasifikasi)


# ------------------------------------------------------------------------------------ PDF

#: Widths in mm (PDF) and cm (DOCX) of the same layout: a number or letter (``10.``, ``b.``)
#: and the space after it; a person's labels (``Pangkat/Gol.``) and their colon.
NUMBER_MM, RINCIAN_LABEL_MM, RINCIAN_COLON_MM = 7, 28, 4


def _item_styles() -> tuple[Any, Any]:
    """Items hanging under their number or letter, and an item alone (justified both)."""
    # single spacing, as the DOCX template has it (Styles.point is the looser body spacing)
    numbered_ = L.ParagraphStyle("surat_tugas_item", parent=L.Styles.point,
                                 leftIndent=NUMBER_MM * L.mm, spaceAfter=3,
                                 leading=L.Styles.text.leading)
    alone = L.ParagraphStyle("surat_tugas_alone", parent=L.Styles.justify, spaceAfter=3,
                             leading=L.Styles.text.leading)
    return numbered_, alone


def _row(label: str, first: bool, content: Any, width: float) -> Any:
    """One row of a label block (``Dasar : 1. …``): the label and colon on the first row
    only. Each row is a flowable of its own, so pages break between items, never inside."""
    cells = [L.p(label) if first else "", L.p(":") if first else "", content]
    return L.plain_table([cells], [L.LABEL_WIDTH, L.COLON_WIDTH,
                                   width - L.LABEL_WIDTH - L.COLON_WIDTH])


def _item_rows(label: str, values: list[dict[str, str]], width: float) -> list[Any]:
    style, alone = _item_styles()
    return [_row(label, i == 0, L.items([v], style, alone)[0], width)
            for i, v in enumerate(values)]


def _person(item: View, width: float) -> Any:
    """A person's particulars: Nama / NIP / Pangkat/Gol. / Jabatan with aligned colons,
    hanging under the person's number."""
    number, colon = NUMBER_MM * L.mm, RINCIAN_COLON_MM * L.mm
    numbered_ = bool(item["no"])
    label_width = (RINCIAN_LABEL_MM + (0 if numbered_ else NUMBER_MM)) * L.mm
    rows = []
    for i, r in enumerate(item["rincian"]):
        row = [L.p(r["label"]), L.p(":"), L.p(r["nilai"])]
        rows.append(([L.p(item["no"]) if i == 0 else ""] if numbered_ else []) + row)
    widths = [label_width, colon, width - label_width - colon - (number if numbered_ else 0)]
    if numbered_:
        widths.insert(0, number)
    return L.plain_table(rows, widths, spaceAfter=4)


def story(v: View, logo: Path, width: float) -> list[Any]:
    content = width - L.LABEL_WIDTH - L.COLON_WIDTH
    gap = L.Spacer(1, 4)
    out = L.kop(v, logo)
    out += L.title(["SURAT TUGAS"], v["nomor"])
    if v["menimbang"]:
        out += [*_item_rows("Menimbang", v["menimbang"], width), gap]
    out += _item_rows("Dasar", v["dasar"], width)
    diktum = L.ParagraphStyle("diktum", parent=L.Styles.bold_center, spaceBefore=10,
                              spaceAfter=10, keepWithNext=1)
    out.append(L.p(DIKTUM, diktum))
    out += [_row("Kepada", i == 0, _person(item, content), width)
            for i, item in enumerate(v["kepada"])]
    out += L.paragraphs_then(_item_rows("Untuk", v["untuk"], width), [L.signature(
        v["penandatangan"], width, f"{v['tempat']}, {v['tanggal']}")])
    # "Tembusan:" and its list go together (the shared block alone may part them)
    tembusan = L.tembusan(v)
    return out + ([L.KeepTogether(tembusan)] if tembusan else []) + L.paraf(v)


# ----------------------------------------------------------------------------------- DOCX
# Label blocks are paragraphs on tab stops (label, colon, number, text; a person's label, colon,
# value) hanging under their text, not tables: Word and LibreOffice both keep a paragraph with
# the next one, so the last "Untuk" item stays with the signature, and pages break between
# lines of a long item.


def _stops() -> dict[str, float]:
    """Where each part of a label block starts, in cm (the PDF's widths)."""
    colon = T.LABEL_CM
    number = colon + T.COLON_CM
    text = number + NUMBER_MM / 10
    return {"colon": colon, "number": number, "text": text,
            "rincian_colon": text + RINCIAN_LABEL_MM / 10,
            "rincian_value": text + (RINCIAN_LABEL_MM + RINCIAN_COLON_MM) / 10}


def _line(doc: Any, text: str, stops: list[float], keep: bool = False,
          space_after: float = 3) -> Any:
    """A paragraph hanging at its last tab stop, justified."""
    p = T.para(doc, text, align=T.WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=space_after)
    fmt = p.paragraph_format
    fmt.left_indent = T.Cm(stops[-1])
    fmt.first_line_indent = T.Cm(-stops[-1])
    for stop in stops:
        fmt.tab_stops.add_tab_stop(T.Cm(stop))
    fmt.keep_with_next = keep or None
    return p


def _label(text: str, first: str = "loop.first") -> str:
    """The label and its colon, on the first line of a block only."""
    return ("{% if " + first + " %}" + text + "{% endif %}\t{% if " + first + " %}:{% endif %}"
            "\t")


def _items(doc: Any, label: str, var: str, keep_last: bool = False) -> None:
    """Lettered or numbered items hanging under their own text (an item alone is neither);
    with ``keep_last`` the last item keeps with what follows (the signature)."""
    at = _stops()
    T.tag(doc, "{%p for item in " + var + " %}")
    variants = (True, False) if keep_last else (False,)
    for keep in variants:
        if keep_last:
            T.tag(doc, "{%p if loop.last %}" if keep else "{%p else %}")
        T.tag(doc, "{%p if item.no %}")
        _line(doc, _label(label) + "{{ item.no }}\t{{ item.teks }}",
              [at["colon"], at["number"], at["text"]], keep)
        T.tag(doc, "{%p else %}")
        _line(doc, _label(label) + "{{ item.teks }}", [at["colon"], at["number"]], keep)
        T.tag(doc, "{%p endif %}")
    if keep_last:
        T.tag(doc, "{%p endif %}")
    T.tag(doc, "{%p endfor %}")


def _persons_block(doc: Any) -> None:
    """One block per person (Nama / NIP / Pangkat/Gol. / Jabatan), its lines kept together."""
    at = _stops()
    label = _label("Kepada", "first_person and loop.first")  # the first line of person 1
    rincian = "{{ r.label }}\t:\t{{ r.nilai }}"
    numbered_ = [at["colon"], at["number"], at["text"], at["rincian_colon"], at["rincian_value"]]
    alone = [at["colon"], at["number"], at["rincian_colon"], at["rincian_value"]]
    T.tag(doc, "{%p for item in kepada %}")
    T.tag(doc, "{%p set first_person = loop.first %}")
    T.tag(doc, "{%p for r in item.rincian %}")
    for last in (True, False):
        T.tag(doc, "{%p if loop.last %}" if last else "{%p else %}")
        T.tag(doc, "{%p if item.no %}")
        _line(doc, label + "{% if loop.first %}{{ item.no }}{% endif %}\t" + rincian, numbered_,
              keep=not last, space_after=4 if last else 0)
        T.tag(doc, "{%p else %}")
        _line(doc, label + rincian, alone, keep=not last, space_after=4 if last else 0)
        T.tag(doc, "{%p endif %}")
    T.tag(doc, "{%p endif %}")
    T.tag(doc, "{%p endfor %}")
    T.tag(doc, "{%p endfor %}")


def _signature(doc: Any) -> None:
    """T.signature, with the blank line before it kept with it too: the last "Untuk" item
    keeps with that line, and the line with the signature, so neither Word nor LibreOffice
    starts a page with the signature alone."""
    T.para(doc, "").paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    T.no_borders(table)
    T.set_widths(table, [T.TEXT_WIDTH_CM / 2] * 2)
    T.unsplittable_row(table)
    T.signature_cell(table.rows[0].cells[1], "penandatangan", "{{ tempat }}, {{ tanggal }}")


def template() -> Any:
    doc = T.new_document("Surat Tugas")
    T.kop(doc)
    T.title(doc, ["SURAT TUGAS"])
    T.tag(doc, "{%p if menimbang %}")
    _items(doc, "Menimbang", "menimbang")
    T.para(doc, "").paragraph_format.line_spacing = T.Pt(4)
    T.tag(doc, "{%p endif %}")
    _items(doc, "Dasar", "dasar")
    p = T.para(doc, DIKTUM, bold=True, align=T.WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_before = p.paragraph_format.space_after = T.Pt(10)
    p.paragraph_format.keep_with_next = True
    _persons_block(doc)
    _items(doc, "Untuk", "untuk", keep_last=True)
    _signature(doc)
    T.tag(doc, "{%p if tembusan %}")  # T.tembusan, with "Tembusan:" kept with its list
    T.para(doc, "")
    T.para(doc, "Tembusan:").paragraph_format.keep_with_next = True
    T.numbered_list(doc, "tembusan")
    T.tag(doc, "{%p endif %}")
    T.paraf(doc)
    return doc


KIND = Kind("surat-tugas", "Surat Tugas", SuratTugas, view=view, summary=summary,
            template=template, story=story)
