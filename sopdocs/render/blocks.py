"""Building blocks of the DOCX templates (python-docx): kop, label block, signature block,
tembusan, paraf boxes, page headers. Each kind's ``template()`` assembles them; writing the
templates from code keeps these blocks identical in every kind and the layout reviewable as text.
Offices may still edit the resulting .docx in Word. Used at build time only
(``python templates/build.py``), never when a document is made.
"""

from __future__ import annotations

from datetime import datetime

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"
TEXT_WIDTH_CM = 16.5  # F4 and A4 are both about 21 cm wide; margins 3 cm left, 2 cm right
LABEL_CM, COLON_CM = 3.0, 0.5


def tight(paragraph, size=None, bold=False, align=None, space_after=0):
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
    return tight(container.add_paragraph(text), **kw)


def tag(container, text):
    """Add a paragraph holding only a docxtpl paragraph tag (``{%p … %}``)."""
    return tight(container.add_paragraph(text))


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


def no_borders(table):
    borders = "".join(f'<w:{b} w:val="nil"/>' for b in
                      ("top", "left", "bottom", "right", "insideH", "insideV"))
    table._tbl.tblPr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>"))


def set_widths(table, widths_cm):
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(w * 567)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


def cell_margins_zero(table):
    table._tbl.tblPr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
        f'<w:right w:w="57" w:type="dxa"/></w:tblCellMar>'))


def first_paragraph(cell):
    """Return a cell's first paragraph emptied (python-docx cells start with one)."""
    return cell.paragraphs[0]


def rule(doc, kind):
    """A paragraph whose bottom border draws the kop's closing line or a plain rule."""
    p = para(doc, "")
    p.paragraph_format.space_after = Pt(6)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="{kind}" '
        f'w:sz="{18 if kind != "single" else 6}" w:space="1" w:color="000000"/></w:pBdr>'))
    p.paragraph_format.line_spacing = Pt(4)
    return p


def kop(doc, width=TEXT_WIDTH_CM, compact=False):
    """The letterhead: logo left, the kop lines centred beside it, closing double rule.
    ``compact`` is the smaller kop of a ½ folio sheet."""
    logo_width = 1.5 if compact else 2.4
    sizes = (10, 11, 7.5) if compact else (13, 15, 10)
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    cell_margins_zero(table)
    set_widths(table, [logo_width, width - logo_width])
    logo_cell, text_cell = table.rows[0].cells
    logo_cell.vertical_alignment = text_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    tight(first_paragraph(logo_cell)).add_run("{{ kop.logo }}")
    first = first_paragraph(text_cell)
    first.add_run("{{ kop.pemerintah }}").font.size = Pt(sizes[0])
    tight(first, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = para(text_cell, "{{ kop.instansi }}", size=sizes[1], bold=True,
             align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.keep_with_next = True
    loop(text_cell, "kop.alamat", "{{ item }}", size=sizes[2], align=WD_ALIGN_PARAGRAPH.CENTER)
    rule(doc, "thickThinSmallGap")


def title(doc, lines, nomor_condition="true", nomor_key="nomor"):
    """The centred title lines: the name of the naskah (bold, larger), ``NOMOR …`` directly
    under it, then ``TENTANG`` and the subject (bold). Every line keeps with the next, so
    the title never ends a page."""
    for i, line in enumerate(lines):
        p = para(doc, line, size=14 if i == 0 else None, bold=i != 1 or len(lines) == 1,
                 align=WD_ALIGN_PARAGRAPH.CENTER)
        if len(lines) > 1:
            p.paragraph_format.keep_with_next = True
        if i == 0:
            tag(doc, "{%p if " + nomor_condition + " %}")
            p = para(doc, "NOMOR {{ " + nomor_key + " }}", align=WD_ALIGN_PARAGRAPH.CENTER)
            if len(lines) > 1:
                p.paragraph_format.keep_with_next = True
            tag(doc, "{%p endif %}")
    para(doc, "")


def label_table(doc, widths):
    table = doc.add_table(rows=0, cols=len(widths))
    no_borders(table)
    cell_margins_zero(table)
    return table


def row_tag(table, text):
    table.add_row().cells[0].paragraphs[0].add_run(text)


def value_cell(cell, value):
    """Fill a cell with a variable: ``list:x`` a numbered list, ``loop:x`` one line per item."""
    if value.startswith(("list:", "loop:")):
        cell._tc.remove(cell.paragraphs[0]._p)
        kind, var = value.split(":", 1)
        if kind == "list":
            numbered_list(cell, var)
        else:
            loop(cell, var, "{{ item }}")
    else:
        tight(first_paragraph(cell)).add_run("{{ " + value + " }}")


def fields(doc, rows, width=TEXT_WIDTH_CM, label_cm=LABEL_CM, extra=None, extra_cm=5.5):
    """The label block: ``(label, value, condition)`` rows of ``Label : value``. ``extra``
    adds a right-hand column ``extra_cm`` wide whose first row holds that text (the surat's
    place and date)."""
    widths = [label_cm, COLON_CM, width - label_cm - COLON_CM]
    if extra is not None:
        widths = [label_cm, COLON_CM, width - label_cm - COLON_CM - extra_cm, extra_cm]
    table = label_table(doc, widths)
    for i, (label, value, condition) in enumerate(rows):
        if condition:
            row_tag(table, "{%tr if " + condition + " %}")
        cells = table.add_row().cells
        tight(first_paragraph(cells[0])).add_run(label)
        tight(first_paragraph(cells[1])).add_run(":")
        value_cell(cells[2], value)
        if extra is not None:
            tight(first_paragraph(cells[3]), align=WD_ALIGN_PARAGRAPH.RIGHT).add_run(
                extra if i == 0 else "")
        if condition:
            row_tag(table, "{%tr endif %}")
    set_widths(table, widths)
    return table


def body(doc, var, left_cm=0.0, first_line_cm=1.25, keep_last=True):
    """Paragraphs: justified; the last one keeps with what follows (the signature)."""
    tag(doc, "{%p for item in " + var + " %}")
    variants = (True, False) if keep_last else (False,)
    for keep in variants:
        if keep_last:
            tag(doc, "{%p if loop.last %}" if keep else "{%p else %}")
        p = para(doc, "{{ item }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
        p.paragraph_format.left_indent = Cm(left_cm)
        p.paragraph_format.first_line_indent = Cm(first_line_cm)
        p.paragraph_format.line_spacing = 1.15
        p.paragraph_format.keep_with_next = keep
    if keep_last:
        tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def justified(doc, text, space_after=6):
    """One justified paragraph (no first-line indent)."""
    p = para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=space_after)
    p.paragraph_format.line_spacing = 1.15
    return p


def heading(doc, number, text, left_cm=0.0, hang_cm=0.75, bold=True):
    """A lettered or numbered heading (``A.`` / ``1.``) whose text hangs after its number;
    a bold (lettered) one stands 6 pt below what precedes it, as in the PDF."""
    p = para(doc, f"{number}\t{text}", bold=bold, space_after=3)
    if bold:
        p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.left_indent = Cm(left_cm + hang_cm)
    p.paragraph_format.first_line_indent = Cm(-hang_cm)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(left_cm + hang_cm))
    p.paragraph_format.keep_with_next = True
    return p


#: The sizes a line that must not wrap is set in (``render.pdf.fitting_size`` picks one).
LINE_SIZES = (12, 11, 10, 9, 8)


def one_line(container, text, size_var, align=None, lead="", tab_cm=None):
    """A line that must not wrap (the place and date): one paragraph per size the view may
    choose in ``size_var``, the chosen one kept; at 12 pt it is a plain paragraph. ``lead``
    is 12 pt text before it on the same line (the surat's number and a tab), and ``tab_cm``
    a right tab stop that takes the line to the right margin."""
    for i, size in enumerate(LINE_SIZES):
        tag(container, "{%p " + ("if" if i == 0 else "elif") + f" {size_var} == {size} %}}")
        p = para(container, "", align=align)
        if lead:
            p.add_run(lead)
        if tab_cm is not None:
            p.paragraph_format.tab_stops.add_tab_stop(Cm(tab_cm), WD_TAB_ALIGNMENT.RIGHT)
        run = p.add_run(text)
        if size != 12:
            run.font.size = Pt(size)
    tag(container, "{%p endif %}")


def signature_cell(cell, var, place_line=None, center=False, space=4, place_size=None):
    """A signature block in a table cell: the place and date (in the size the view variable
    ``place_size`` names, so that it stays one line), capacity lines, space to sign, nama,
    pangkat, NIP."""
    align = WD_ALIGN_PARAGRAPH.CENTER if center else None
    cell._tc.remove(cell.paragraphs[0]._p)
    if place_line and place_size:
        one_line(cell, place_line, place_size, align)
    elif place_line:
        para(cell, place_line, align=align)
    # --tte: the SRIKANDI pattern: "Ditandatangani secara elektronik oleh:" over the jabatan,
    # and, for the official who signs, the ${ttd_pengirim} tag that the e-signing service
    # replaces with its mark; otherwise blank lines for the wet signature
    tag(cell, "{%p if tte is not none %}")
    para(cell, "Ditandatangani secara elektronik oleh:", align=align)
    tag(cell, "{%p endif %}")
    loop(cell, var + ".jabatan", "{{ item }}", align=align)
    if var == "penandatangan":
        tag(cell, "{%p if tte is not none %}")
        para(cell, "", align=align)
        para(cell, "${ttd_pengirim}", align=align)
        para(cell, "", align=align)
        tag(cell, "{%p else %}")
    for _ in range(space):
        para(cell, "")
    if var == "penandatangan":
        tag(cell, "{%p endif %}")
    run = para(cell, "", align=align).add_run("{{ " + var + ".nama }}")
    run.bold = True
    run.underline = True
    for key in ("pangkat", "nip"):
        tag(cell, "{%p if " + var + "." + key + " %}")
        para(cell, "{{ " + var + "." + key + " }}", align=align)
        tag(cell, "{%p endif %}")


def cant_split(row):
    """A table row that never breaks across pages."""
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))


def unsplittable_row(table):
    cant_split(table.rows[0])


def signature(doc, var="penandatangan", place_line=None, width=TEXT_WIDTH_CM, space=4,
              place_size=None):
    """The signature block in the right half of the page; the blank line over it keeps with
    it, so the paragraph that keeps with the blank line keeps with the signature too."""
    para(doc, "").paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, [width / 2, width / 2])
    unsplittable_row(table)
    signature_cell(table.rows[0].cells[1], var, place_line, space=space, place_size=place_size)


def closing(doc, place_lines, left, right):
    """The end of a two-party naskah: the closing sentence, the place-and-date lines in the
    right half, then ``parties``; every paragraph keeps with the next, so the signatures never
    start a page alone."""
    justified(doc, "{{ penutup }}").paragraph_format.keep_with_next = True
    for line in place_lines:
        p = para(doc, line)
        p.paragraph_format.left_indent = Cm(TEXT_WIDTH_CM / 2)
        p.paragraph_format.keep_with_next = True
    para(doc, "").paragraph_format.keep_with_next = True
    parties(doc, left, right)


def parties(doc, left, right, witness="mengetahui"):
    """Two signature columns (``left`` and ``right`` name view keys) and, when the view has
    ``witness``, "Mengetahui," centred below; all rows cannot split and keep together, so
    the witness never starts a page alone."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    unsplittable_row(table)
    signature_cell(table.rows[0].cells[0], left)
    signature_cell(table.rows[0].cells[1], right)
    for cell in table.rows[0].cells:  # the witness row stays with the parties' row
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    row_tag(table, "{%tr if " + witness + " %}")
    row = table.add_row()
    cant_split(row)
    signature_cell(row.cells[0].merge(row.cells[1]), witness, "Mengetahui,", center=True)
    row.cells[0].paragraphs[0].paragraph_format.space_before = Pt(18)
    row_tag(table, "{%tr endif %}")
    set_widths(table, [TEXT_WIDTH_CM / 2] * 2)


def tembusan(doc, condition):
    """Tembusan at the foot: numbered only when there is more than one, never "Yth."."""
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
        tight(first_paragraph(cell), size=10, bold=True).add_run(text).font.size = Pt(10)
    row_tag(table, "{%tr for item in paraf %}")
    row = table.add_row()
    for cell, text in zip(row.cells, ("{{ item.no }}", "{{ item.jabatan }}", ""), strict=True):
        tight(first_paragraph(cell)).add_run(text).font.size = Pt(10)
    row.height = Cm(1.0)
    row_tag(table, "{%tr endfor %}")
    set_widths(table, [1.0, 6.0, 3.0])
    tag(doc, "{%p endif %}")


def data_table(doc, var, width=TEXT_WIDTH_CM):
    """A grid table with any number of columns; its header row repeats on every page."""
    table = doc.add_table(rows=1, cols=3)
    table.style = doc.styles["Table Grid"]
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    for cell, text in zip(header.cells, ("{%tc for item in " + var + ".kolom %}",
                                         "{{ item }}", "{%tc endfor %}"), strict=True):
        p = tight(first_paragraph(cell), size=10, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        p.add_run(text).font.size = Pt(10)
        p.paragraph_format.keep_with_next = True  # the header row never ends a page alone
    row_tag(table, "{%tr for row in " + var + ".baris %}")
    row = table.add_row()
    # a row never breaks across pages (half a name on one page, the rest under the header)
    cant_split(row)
    for cell, text in zip(row.cells, ("{%tc for item in row %}", "{{ item }}",
                                      "{%tc endfor %}"), strict=True):
        tight(first_paragraph(cell)).add_run(text).font.size = Pt(10)
    row_tag(table, "{%tr endfor %}")
    table.autofit = True


def headers(doc, page_numbers=True):
    """Page headers: nothing but the KONSEP mark on page 1 (the kop is in the body); from
    page 2 the page number, top centre (not in a batch, whose pages are separate sheets)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    for header, with_number in ((section.first_page_header, False),
                                (section.header, page_numbers)):
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


def new_document(title_text, height_cm=33.0, margins_cm=(2.0, 2.5, 3.0, 2.0), size=12,
                 page_numbers=True):
    """An empty template: Arial, Indonesian, F4, margins top/bottom/left/right, headers.
    The renderer sets the page size from the office profile."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size)
    rpr = normal.element.get_or_add_rPr()
    rpr.rFonts.set(qn("w:eastAsia"), FONT)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="id-ID"/>'))
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.5), Cm(height_cm)
    top, bottom, left, right = margins_cm
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.header_distance = Cm(min(1.0, top / 2))
    props = doc.core_properties
    props.title = title_text
    props.author = "sopdocs"
    props.last_modified_by = "sopdocs"
    props.created = props.modified = datetime(2026, 1, 1)
    props.revision = 1
    # python-docx's empty default document starts with no paragraph; headers() adds its own.
    headers(doc, page_numbers)
    tte_footer(doc)
    return doc


def tte_footer(doc):
    """The footer of a document laid out for an electronic signature (``--tte``; the view's
    ``tte`` is the profile's footer text, None otherwise), small and grey on every page."""
    section = doc.sections[0]
    for footer in (section.first_page_footer, section.footer):
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run("{% if tte %}{{ tte }}{% endif %}")
        run.font.size = Pt(7)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)

