"""Build the default DOCX templates (``python templates/build.py [FOLDER]``).

The templates are docxtpl (Jinja) documents. Writing them from code keeps the shared blocks
(kop, field block, signature block, tembusan, paraf boxes, page numbers) identical in every
kind, and keeps the layout reviewable as text. Offices may edit the resulting .docx in Word.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

FONT = "Arial"
TEXT_WIDTH_CM = 16.5  # F4 and A4 are both about 21 cm wide; margins 3 cm left, 2 cm right
LABEL_CM, COLON_CM = 3.0, 0.5


def _tight(paragraph, size=None, bold=False, align=None, space_after=0):
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = 1.0
    if align is not None:
        paragraph.alignment = align
    for run in paragraph.runs:
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
    return paragraph


def para(container, text="", **kw):
    """Add a paragraph of plain text (Jinja tags included) and format it."""
    return _tight(container.add_paragraph(text), **kw)


def tag(container, text):
    """Add a paragraph holding only a docxtpl paragraph tag (``{%p … %}``)."""
    return _tight(container.add_paragraph(text))


def loop(container, var, item_text, **kw):
    """Add the three paragraphs of a ``{%p for … %}`` loop printing ``item_text`` per item."""
    tag(container, "{%p for item in " + var + " %}")
    p = para(container, item_text, **kw)
    tag(container, "{%p endfor %}")
    return p


def numbered_list(container, var, hanging_cm=0.6):
    """A list of ``{no, teks}`` items: numbered items hang under their number."""
    tag(container, "{%p for item in " + var + " %}")
    tag(container, "{%p if item.no %}")
    p = para(container, "{{ item.no }}\t{{ item.teks }}")
    p.paragraph_format.left_indent = Cm(hanging_cm)
    p.paragraph_format.first_line_indent = Cm(-hanging_cm)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(hanging_cm))
    tag(container, "{%p else %}")
    para(container, "{{ item.teks }}")
    tag(container, "{%p endif %}")
    tag(container, "{%p endfor %}")


def _no_borders(table):
    borders = "".join(f'<w:{b} w:val="nil"/>' for b in
                      ("top", "left", "bottom", "right", "insideH", "insideV"))
    table._tbl.tblPr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>"))


def _widths(table, widths_cm):
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(w * 567)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


def _cell_margins_zero(table):
    table._tbl.tblPr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
        f'<w:right w:w="57" w:type="dxa"/></w:tblCellMar>'))


def _clear(cell):
    """Return a cell's first paragraph emptied (python-docx cells start with one)."""
    return cell.paragraphs[0]


def _rule(doc, kind):
    """A paragraph whose bottom border draws the kop's closing line or a plain rule."""
    p = para(doc, "")
    p.paragraph_format.space_after = Pt(6)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="{kind}" '
        f'w:sz="{18 if kind != "single" else 6}" w:space="1" w:color="000000"/></w:pBdr>'))
    p.paragraph_format.line_spacing = Pt(4)
    return p


def kop(doc):
    """The letterhead: logo left, the kop lines centred beside it, closing double rule."""
    logo_width = 2.4
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _cell_margins_zero(table)
    _widths(table, [logo_width, TEXT_WIDTH_CM - logo_width])
    logo_cell, text_cell = table.rows[0].cells
    logo_cell.vertical_alignment = text_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _tight(_clear(logo_cell)).add_run("{{ kop.logo }}")
    first = _clear(text_cell)
    first.add_run("{{ kop.pemerintah }}").font.size = Pt(13)
    _tight(first, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = para(text_cell, "{{ kop.instansi }}", size=15, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.keep_with_next = True
    loop(text_cell, "kop.alamat", "{{ item }}", size=10, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(doc, "thickThinSmallGap")


def title(doc, text, nomor_condition):
    para(doc, text, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(doc, "{%p if " + nomor_condition + " %}")
    para(doc, "NOMOR {{ nomor }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(doc, "{%p endif %}")
    para(doc, "")


def fields(doc, rows):
    """The label block: ``(label, value, condition)`` rows; a list value is a numbered list."""
    table = doc.add_table(rows=0, cols=3)
    _no_borders(table)
    _cell_margins_zero(table)
    for label, value, condition in rows:
        if condition:
            row = table.add_row()
            row.cells[0].paragraphs[0].add_run("{%tr if " + condition + " %}")
        row = table.add_row()
        label_cell, colon_cell, value_cell = row.cells
        _tight(_clear(label_cell)).add_run(label)
        _tight(_clear(colon_cell)).add_run(":")
        if value.startswith("list:"):
            value_cell._tc.remove(value_cell.paragraphs[0]._p)
            numbered_list(value_cell, value.removeprefix("list:"))
        else:
            _tight(_clear(value_cell)).add_run("{{ " + value + " }}")
        if condition:
            row = table.add_row()
            row.cells[0].paragraphs[0].add_run("{%tr endif %}")
    _widths(table, [LABEL_CM, COLON_CM, TEXT_WIDTH_CM - LABEL_CM - COLON_CM])


def body(doc, var):
    """Body paragraphs: justified, first line indented; the last one keeps with the signature."""
    tag(doc, "{%p for item in " + var + " %}")
    for keep in (True, False):
        tag(doc, "{%p if loop.last %}" if keep else "{%p else %}")
        p = para(doc, "{{ item }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
        p.paragraph_format.first_line_indent = Cm(1.25)
        p.paragraph_format.line_spacing = 1.15
        p.paragraph_format.keep_with_next = keep
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def signature(doc, place_date=False):
    """The signature block in the right half: capacity lines, space to sign, nama, pangkat, NIP."""
    para(doc, "")
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2])
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    cell = row.cells[1]
    cell._tc.remove(cell.paragraphs[0]._p)
    if place_date:
        para(cell, "{{ tempat }}, {{ tanggal }}")
    loop(cell, "penandatangan.jabatan", "{{ item }}")
    for _ in range(4):
        para(cell, "")
    p = para(cell, "")
    run = p.add_run("{{ penandatangan.nama }}")
    run.bold = True
    run.underline = True
    tag(cell, "{%p if penandatangan.pangkat %}")
    para(cell, "{{ penandatangan.pangkat }}")
    tag(cell, "{%p endif %}")
    tag(cell, "{%p if penandatangan.nip %}")
    para(cell, "{{ penandatangan.nip }}")
    tag(cell, "{%p endif %}")


def tembusan(doc, condition):
    tag(doc, "{%p if " + condition + " %}")
    para(doc, "")
    para(doc, "Tembusan:")
    numbered_list(doc, "tembusan")
    tag(doc, "{%p endif %}")


def paraf(doc):
    """The paraf boxes a konsep carries for the officials who initial it."""
    tag(doc, "{%p if konsep and paraf %}")
    para(doc, "")
    para(doc, "Paraf Hierarki:", size=10, bold=True)
    table = doc.add_table(rows=1, cols=3)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells, ("No.", "Jabatan", "Paraf"), strict=True):
        _tight(_clear(cell), size=10, bold=True).add_run(text).font.size = Pt(10)
    start = table.add_row()
    start.cells[0].paragraphs[0].add_run("{%tr for item in paraf %}")
    row = table.add_row()
    for cell, text in zip(row.cells, ("{{ item.no }}", "{{ item.jabatan }}", ""), strict=True):
        _tight(_clear(cell)).add_run(text).font.size = Pt(10)
    row.height = Cm(1.0)
    end = table.add_row()
    end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _widths(table, [1.0, 6.0, 3.0])
    tag(doc, "{%p endif %}")


def headers(doc):
    """Page headers: nothing but the KONSEP mark on page 1 (the kop is in the body); from
    page 2 the page number, top centre."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.header_distance = Cm(1.0)
    for header, with_number in ((section.first_page_header, False), (section.header, True)):
        p = header.paragraphs[0]
        if with_number:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run("- ")
            p._p.append(parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>2</w:t></w:r>'
                f"</w:fldSimple>"))
            p.add_run(" -")
            p = header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = p.add_run("{% if konsep %}KONSEP{% endif %}")
        run.bold = True


def new_document():
    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    rpr.rFonts.set(qn("w:eastAsia"), FONT)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="id-ID"/>'))
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.5), Cm(33.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.5)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    props = doc.core_properties
    props.author = "sopdocs"
    props.last_modified_by = "sopdocs"
    props.created = props.modified = datetime(2026, 1, 1)
    props.revision = 1
    # python-docx's empty default document starts with no paragraph; headers() adds its own.
    headers(doc)
    return doc


def nota_dinas():
    doc = new_document()
    doc.core_properties.title = "Nota Dinas"
    kop(doc)
    title(doc, "NOTA DINAS", "tata_letak.nomor_nota_dinas == 'judul'")
    fields(doc, [
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
    _rule(doc, "single")
    body(doc, "isi")
    signature(doc)
    tembusan(doc, "tembusan and tata_letak.tembusan_nota_dinas == 'kaki'")
    paraf(doc)
    return doc


TEMPLATES = {"nota-dinas": nota_dinas}


def main(folder: Path) -> None:
    for name, build in TEMPLATES.items():
        build().save(folder / f"{name}.docx")
        print(folder / f"{name}.docx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
