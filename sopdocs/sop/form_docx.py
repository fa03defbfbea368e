"""The SOP form as an editable DOCX (python-docx): the identity table, then the flowchart
table with the same columns as the PDF (``form.py``) and the same texts (``form_content``).

Word tables cannot carry the PDF's connector lines, so each step's symbol is a small PNG
image in its actor's cell (capsule, rectangle or diamond, drawn with Pillow at 600 dpi); a
decision's cell says under its diamond where "Ya" and "Tidak" lead, as the Keterangan does.
An office edits the texts in Word and, when it wants, moves or replaces a symbol image.
The header rows repeat on every page, a step's row never splits, and the footer prints
"Halaman x dari y" as Word fields. The core properties and the zip are fixed, so the same
SOP and office give the same bytes.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table, _Cell, _Row

from ..errors import RenderError
from ..office import PAPER, Workspace, data_path
from ..render.blocks import set_widths, tight
from ..render.fixed_zip import deterministic_zip
from . import form_content as C
from .model import SOP

FONT = "Arial"
SIZE = 8
MARGIN_MM = {"left": 12, "right": 12, "top": 10, "bottom": 12}
HEADER_FILL = "E8E8E8"
#: Fixed document properties and zip times: the same input gives the same bytes.
WHEN = datetime(2020, 1, 1)
DPI = 600
#: Printed size of each symbol in mm (width, height).
SYMBOL_MM = {C.TERMINATOR: (14.0, 6.0), C.PROCESS: (14.0, 6.5), C.DECISION: (9.5, 8.0)}


# --- the symbols as images -------------------------------------------------------------------


@cache
def symbol_png(kind: str, label: str = "") -> bytes:
    """A symbol as a PNG: a capsule (with its word, Mulai / Selesai), a rectangle or a
    diamond, black outline on white, drawn four times larger and scaled down for smooth
    edges."""
    from PIL import Image, ImageDraw, ImageFont

    w_mm, h_mm = SYMBOL_MM[kind]
    scale = 4
    w, h = round(w_mm / 25.4 * DPI), round(h_mm / 25.4 * DPI)
    big = Image.new("L", (w * scale, h * scale), 255)
    draw = ImageDraw.Draw(big)
    line = round(0.3 / 25.4 * DPI * scale)  # 0.3 mm
    inset = line // 2 + 1
    box = (inset, inset, w * scale - inset - 1, h * scale - inset - 1)
    if kind == C.TERMINATOR:
        draw.rounded_rectangle(box, radius=(box[3] - box[1]) // 2, outline=0, width=line)
    elif kind == C.DECISION:
        x0, y0, x1, y1 = box
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        draw.polygon([(cx, y0), (x1, cy), (cx, y1), (x0, cy)], outline=0, width=line)
    else:
        draw.rectangle(box, outline=0, width=line)
    if label:
        font = ImageFont.truetype(str(data_path("fonts/LiberationSans-Regular.ttf")),
                                  round(6 / 72 * DPI * scale))
        draw.text((w * scale // 2, h * scale // 2), label, fill=0, font=font, anchor="mm")
    image = big.resize((w, h), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), optimize=False)
    return out.getvalue()


# --- python-docx helpers ----------------------------------------------------------------------


def _text(cell: _Cell, value: str, bold: bool = False, size: float = SIZE,
          align: WD_ALIGN_PARAGRAPH | None = None, first: bool = True) -> None:
    """Write ``value`` into ``cell``: its first paragraph, or a new one."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    run = paragraph.add_run(value)
    run.bold = bold or None
    run.font.size = Pt(size)
    tight(paragraph, align=align)


def _items(cell: _Cell, values: list[str]) -> None:
    """A list in a cell: numbered when it has more than one item, ``-`` when empty."""
    if len(values) <= 1:
        _text(cell, values[0] if values else "-")
        return
    for i, value in enumerate(values, 1):
        _text(cell, f"{i}.\t{value}", first=i == 1)
        fmt = cell.paragraphs[-1].paragraph_format
        fmt.left_indent, fmt.first_line_indent = Mm(5), Mm(-5)
        fmt.tab_stops.add_tab_stop(Mm(5))


def _shade(cell: _Cell) -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(
        f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'))


def _row_property(row: _Row, tag: str) -> None:
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:{tag} {nsdecls('w')}/>"))


def _grid(table: Table) -> None:
    """Ruled cells with narrow margins (1 mm at the sides)."""
    borders = "".join(f'<w:{b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>"))
    tbl_pr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:top w:w="28" w:type="dxa"/>'
        f'<w:left w:w="57" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/>'
        f'<w:right w:w="57" w:type="dxa"/></w:tblCellMar>'))


def _footer(section: Section) -> None:
    """``Halaman x dari y`` as Word fields (PAGE, NUMPAGES), centred."""
    paragraph = section.footer.paragraphs[0]
    tight(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER)

    def run(value: str, ns: str = "") -> str:
        return (f'<w:r {ns}><w:rPr><w:sz w:val="16"/></w:rPr>'
                f'<w:t xml:space="preserve">{value}</w:t></w:r>')

    def field(code: str) -> str:
        return f'<w:fldSimple {nsdecls("w")} w:instr="{code}">{run("1")}</w:fldSimple>'

    for xml in (run("Halaman ", nsdecls("w")), field("PAGE"), run(" dari ", nsdecls("w")),
                field("NUMPAGES")):
        paragraph._p.append(parse_xml(xml))


# --- the two tables -------------------------------------------------------------------------


def _identity(doc: DocxDocument, sop: SOP, workspace: Workspace, width: float) -> None:
    office = workspace.office
    signer = C.pengesah(sop, workspace)
    rows = C.identity_rows(sop)
    blocks = C.identity_blocks(sop)
    top = len(rows) + 2
    table = doc.add_table(rows=top + len(blocks), cols=3)
    _grid(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [width * 0.44, width * 0.2, width * 0.36]
    set_widths(table, [w / 10 for w in widths])
    cells = [row.cells for row in table.rows]
    for i, (label, value) in enumerate(rows):
        _text(cells[i][1], label, bold=True)
        _text(cells[i][2], value)
    _text(cells[len(rows)][1], C.DISAHKAN, bold=True)
    sign = cells[len(rows)][2]
    _text(sign, f"{signer.jabatan},")
    for _ in range(5):  # room to sign and stamp
        _text(sign, "", first=False)
    name = tight(sign.add_paragraph()).add_run(signer.nama)
    name.bold = name.underline = True
    name.font.size = Pt(SIZE)
    if signer.nip:
        _text(sign, signer.nip, first=False)
    _text(cells[top - 1][1], C.NAMA, bold=True)
    _text(cells[top - 1][2], sop.nama, bold=True)
    left = cells[0][0].merge(cells[top - 1][0])
    left.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    center = WD_ALIGN_PARAGRAPH.CENTER
    try:
        tight(left.paragraphs[0], align=center).add_run().add_picture(
            str(workspace.logo_path), height=Mm(22))
    except Exception as exc:  # the profile's logo check missed something
        raise RenderError(f"logo {workspace.logo_path}: cannot be placed in the DOCX "
                          f"({type(exc).__name__}: {exc}); use a PNG or JPEG file") from None
    _text(left, office.kop.pemerintah, size=10, align=center, first=False)
    _text(left, office.kop.instansi, bold=True, size=11, align=center, first=False)
    if sop.bidang:
        _text(left, "", first=False)
        _text(left, sop.bidang, bold=True, size=9, align=center, first=False)
    for i, (pair_left, pair_right) in enumerate(zip(blocks[::2], blocks[1::2], strict=True)):
        head, body = cells[top + 2 * i], cells[top + 2 * i + 1]
        right_head, right_body = head[1].merge(head[2]), body[1].merge(body[2])
        for cell, (title, _) in ((head[0], pair_left), (right_head, pair_right)):
            _text(cell, title.upper() + ":", bold=True)
            _shade(cell)
        _items(body[0], pair_left[1])
        _items(right_body, pair_right[1])


def _decision_notes(step: C.Baris) -> list[str]:
    """Where a decision's exits lead, under its diamond: ``Ya: ke 5``, ``Tidak: selesai``."""
    k = step.langkah.keputusan
    assert k is not None

    def where(lanjut: int | str) -> str:
        return "selesai" if lanjut == "selesai" else f"ke {lanjut}"

    return [f"Ya: {where(k.ya.lanjut)}", f"Tidak: {where(k.tidak.lanjut)}"]


def _flowchart(doc: DocxDocument, sop: SOP, width: float) -> None:
    roles, rows = C.rows(sop)
    widths = C.column_widths(width, len(roles))
    n = len(roles)
    table = doc.add_table(rows=3 + len(rows), cols=len(widths))
    _grid(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, [w / 10 for w in widths])
    cells = [row.cells for row in table.rows]
    center = WD_ALIGN_PARAGRAPH.CENTER
    names = [*roles, *C.MUTU]
    for j, name in enumerate(names):
        _text(cells[1][2 + j], name, bold=True, align=center)
    for j in range(len(widths)):
        _text(cells[2][j], str(j + 1), size=6, align=center)
    spans = [(cells[0][0].merge(cells[1][0]), C.NO), (cells[0][1].merge(cells[1][1]), C.KEGIATAN),
             (cells[0][2].merge(cells[0][1 + n]), C.PELAKSANA),
             (cells[0][2 + n].merge(cells[0][4 + n]), C.MUTU_BAKU),
             (cells[0][-1].merge(cells[1][-1]), C.KETERANGAN)]
    for cell, title in spans:
        _text(cell, title, bold=True, align=center)
    for r in (0, 1, 2):
        _row_property(table.rows[r], "tblHeader")
        _row_property(table.rows[r], "cantSplit")
        for cell in table.rows[r].cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if r < 2:
                _shade(cell)
    for i, b in enumerate(rows):
        row = table.rows[3 + i]
        _row_property(row, "cantSplit")
        row.height = Mm(15)
        line = cells[3 + i]
        for cell in line:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _text(line[0], str(b.no), align=center)
        _text(line[1], b.langkah.kegiatan)
        for index, simbol in enumerate(b.simbol):
            cell = line[2 + simbol.kolom]
            w_mm, _ = SYMBOL_MM[simbol.jenis]
            png = symbol_png(simbol.jenis, C.symbol_label(sop, b, index))
            tight(cell.paragraphs[0], align=center).add_run().add_picture(
                io.BytesIO(png), width=Mm(w_mm))
            if simbol.jenis == C.DECISION:
                for note in _decision_notes(b):
                    _text(cell, note, size=6, align=center, first=False)
        for j, value in enumerate(b.mutu):
            _text(line[2 + n + j], value, align=center if j == 1 else None)
        _text(line[-1], b.keterangan)


def _properties(doc: DocxDocument, sop: SOP, workspace: Workspace) -> None:
    props = doc.core_properties
    props.title = f"SOP {sop.nama}"
    props.subject = sop.nomor or sop.nama
    props.author = workspace.office.kop.instansi
    props.last_modified_by = "sopdocs"
    props.comments = "Dibuat dengan sopdocs dari katalog SOP."
    props.keywords = "SOP"
    props.category = "Standar Operasional Prosedur"
    props.created = props.modified = WHEN
    props.last_printed = WHEN
    props.revision = 1


def render_sop_form_docx(sop: SOP, workspace: Workspace) -> bytes:
    """Return the SOP form of ``sop`` as an editable DOCX, landscape on the office's paper,
    with the office's logo, kop and the official who ratifies it.

    Raises OfficeError when the profile lacks that official."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(SIZE)
    short, long = PAPER[workspace.office.kertas]
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(long), Mm(short)
    section.left_margin, section.right_margin = Mm(MARGIN_MM["left"]), Mm(MARGIN_MM["right"])
    section.top_margin, section.bottom_margin = Mm(MARGIN_MM["top"]), Mm(MARGIN_MM["bottom"])
    section.footer_distance = Mm(5)
    _footer(section)
    width = long - MARGIN_MM["left"] - MARGIN_MM["right"]
    _identity(doc, sop, workspace, width)
    brk = doc.add_paragraph()
    brk.add_run().add_break(WD_BREAK.PAGE)
    tight(brk)
    title = doc.add_paragraph()
    run = title.add_run(f"SOP {sop.nama}")
    run.bold, run.font.size = True, Pt(10)
    tight(title, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    _flowchart(doc, sop, width)
    _properties(doc, sop, workspace)
    buffer = io.BytesIO()
    doc.save(buffer)
    return deterministic_zip(buffer.getvalue())
