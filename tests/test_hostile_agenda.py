"""Hostile and careless agendas, read as a list: each test is one agenda as secretariats
really send it (saved by Excel in another encoding, a stray quote, headers of their own, a
file that is not what its name says) and what ``disposisi --batch`` does with it. The rule
throughout: a letter is never silently dropped, an error names the row or line the clerk
sees, and nothing is numbered unless the whole batch can be printed."""

import io
import random
import sqlite3
import zipfile
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from conftest import SAMPLES, pdf_pages, squash
from sopdocs.agenda import _ALIASES, COLUMNS, _key, read_agenda
from sopdocs.batch import run_batch
from sopdocs.cli import cli
from sopdocs.errors import InputError, RecordError, RenderError
from sopdocs.office import Workspace

HEADER = ["No.", "Asal Surat", "No. Surat", "Tgl Surat", "Tanggal Diterima", "Perihal"]


def letter(n: int, **changes: str) -> list[str]:
    row = {"no": str(n), "dari": f"Dinas Nomor {n}", "nomor": f"421/{n}/Disdik-2026",
           "tanggal": "18/11/2026", "diterima": "20/11/2026", "hal": f"Permohonan ke-{n}"}
    return list({**row, **changes}.values())


def xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def letters_in(register) -> int:
    if not register.exists():
        return 0
    with sqlite3.connect(register) as db:
        return db.execute("SELECT count(*) FROM letters").fetchone()[0]


@pytest.fixture
def cli_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    return tmp_path


# ------------------------------------------------------------------- encodings of a CSV

def test_excel_windows_csv_in_cp1252_is_read(workspace, tmp_path):
    """Excel's "CSV (comma delimited)" on Windows writes Windows-1252: é is 0xE9 and the
    apostrophe Word and Excel put in (’) is 0x92, which is not UTF-8."""
    text = "\r\n".join([";".join(HEADER),
                        ";".join(letter(1, dari="Café Kopi Minang", hal="Festival ‘Kopi’ – "
                                        "Hari Jum’at"))]) + "\r\n"
    path = tmp_path / "agenda.csv"
    path.write_bytes(text.encode("cp1252"))
    assert b"\x92" in path.read_bytes()
    (row,), _ = read_agenda(path)
    assert row == (2, {"surat_dari": "Café Kopi Minang", "nomor_surat": "421/1/Disdik-2026",
                       "tanggal_surat": "18/11/2026", "diterima_tanggal": "20/11/2026",
                       "hal": "Festival ‘Kopi’ – Hari Jum’at"})
    result = run_batch(path, workspace, out_dir=tmp_path / "out")
    assert "Surat dari : Café Kopi Minang" in squash(pdf_pages(result.paths[0])[0])


def test_excel_unicode_text_utf16_tab_separated_is_read(workspace, tmp_path):
    """Excel's "Unicode text": UTF-16 with a byte-order mark, cells separated by tabs."""
    text = "\r\n".join(["\t".join(HEADER), "\t".join(letter(1, dari="Dinas Pariwisata — Ñusa")),
                        "\t".join(letter(2))]) + "\r\n"
    path = tmp_path / "agenda.csv"
    path.write_bytes(text.encode("utf-16"))
    letters, _ = read_agenda(path)
    assert [(n, f["surat_dari"]) for n, f in letters] == [(2, "Dinas Pariwisata — Ñusa"),
                                                          (3, "Dinas Nomor 2")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_bom_is_read_as_before(workspace, tmp_path, encoding):
    path = tmp_path / "agenda.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(letter(1, dari="Café")) + "\n",
                    encoding=encoding)
    assert read_agenda(path)[0][0][1]["surat_dari"] == "Café"


def test_old_mac_excel_csv_mac_roman_with_lone_cr_line_ends(workspace, tmp_path):
    text = "\r".join([",".join(HEADER), ",".join(letter(1, hal="Kunjungan ke Café")),
                      ",".join(letter(2))]) + "\r"
    path = tmp_path / "agenda.csv"
    path.write_bytes(text.encode("mac_roman"))
    letters, _ = read_agenda(path)
    assert [(n, f["hal"]) for n, f in letters] == [(2, "Kunjungan ke Café"),
                                                  (3, "Permohonan ke-2")]


def test_a_csv_whose_encoding_cannot_be_told_says_which_were_tried(tmp_path):
    path = tmp_path / "agenda.csv"
    path.write_bytes(b"\x01\x02" + random.Random(11).randbytes(4000))
    with pytest.raises(InputError) as info:
        read_agenda(path)
    assert str(info.value) == (
        f"{path}: cannot tell the text encoding (tried UTF-8, UTF-16, Windows-1252, Mac Roman, "
        "Latin-1); save the agenda from Excel as CSV UTF-8 (Comma delimited) or as .xlsx")


def test_a_workbook_named_csv_is_told_apart(tmp_path):
    path = tmp_path / "agenda.csv"
    path.write_bytes((SAMPLES / "agenda.xlsx").read_bytes())
    with pytest.raises(InputError, match=r"agenda\.csv: this is a zip archive \(an \.xlsx "
                                         r"workbook\?\), not a CSV text file"):
        read_agenda(path)


# ------------------------------------------------------------ quotes that swallow rows

def _csv(path, lines):
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_a_stray_quote_that_never_closes_is_reported_at_its_line(workspace, tmp_path):
    """``"Undangan`` opens a quoted cell that runs to the end of the file: the csv module
    reads letters 2 and 3 into it without a word, and the batch would print one sheet."""
    path = _csv(tmp_path / "agenda.csv", [
        ",".join(HEADER), ",".join(letter(1, hal='"Undangan Rapat')), ",".join(letter(2)),
        ",".join(letter(3))])
    with pytest.raises(InputError) as info:
        run_batch(path, workspace, out_dir=tmp_path / "out")
    assert str(info.value).startswith(
        f"{path}: line 2: a quote (\") opens the cell \"Undangan Rapat…\" and never closes, "
        "so every line after it would be read into that cell;")
    assert letters_in(workspace.register_path) == 0
    assert not (tmp_path / "out").exists()


def test_a_stray_quote_closed_by_a_later_quoted_cell_is_reported(workspace, tmp_path):
    """The stray quote of line 3 closes at the quote that opens a cell on line 6: letters 2
    to 4 vanish into one cell and the file otherwise reads 'fine'."""
    path = _csv(tmp_path / "agenda.csv", [
        ",".join(HEADER), ",".join(letter(1)), ",".join(letter(2, dari='"Bapenda')),
        ",".join(letter(3)), ",".join(letter(4)),
        ",".join(letter(5, hal='"Rapat, Koordinasi"')), ",".join(letter(6))])
    with pytest.raises(InputError, match=r"line 3: a quote \(\"\) opens the cell \"Bapenda,"
                                         r".*only closes on line 6, so lines 4–6 would be read "
                                         r"into that cell instead of as letters"):
        read_agenda(path)


def test_a_stray_quote_through_the_cli_exits_1_and_numbers_nothing(cli_dir):
    path = _csv(cli_dir / "agenda.csv", [
        ",".join(HEADER), ",".join(letter(1, hal='"Undangan')), ",".join(letter(2))])
    result = CliRunner().invoke(cli, ["disposisi", "--batch", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {path}: line 2: a quote")
    assert result.stdout == "" and letters_in(cli_dir / "sopdocs.db") == 0


def test_cells_of_several_lines_are_kept_and_rows_named_by_the_line_they_start(
        workspace, tmp_path):
    """A quoted cell may hold line breaks (Alt+Enter in Excel): that is no stray quote, and
    an error names the line where the record starts (5), not its place among records (3)."""
    path = _csv(tmp_path / "agenda.csv", [
        ",".join([*HEADER, "Diteruskan kepada", "Catatan"]),
        ",".join(letter(1)) + ',"Sekretaris\nKepala Bidang Aplikasi Informatika",'
                              '"Mohon dipelajari,\ndan segera dilaporkan."',
        ",".join(letter(2, tanggal="31/02/2026")) + ",,"])
    result = run_batch(path, workspace, out_dir=tmp_path / "out")
    assert result.errors == ["row 5: tanggal surat: '31/02/2026' is not a date (write e.g. "
                             "22 November 2026, 22/11/2026, 22-11-2026 or 2026-11-22)"]
    page = squash(pdf_pages(result.paths[0])[0])
    assert "■ Sekretaris" in page and "■ Kepala Bidang Aplikasi Informatika" in page
    assert "Mohon dipelajari, dan segera dilaporkan." in page


# ----------------------------------------------------------------------- headers

@pytest.mark.parametrize("header", [
    ["No", "Tgl Terima", "Asal", "No. Surat", "Tanggal Surat", "Perihal Surat"],
    ["No. Urut", "Tgl. Diterima", "Dari Instansi", "Nomor Surat", "Tgl. Surat", "Isi Ringkas"],
    ["NO", "TANGGAL TERIMA SURAT", "PENGIRIM", "NOMOR SURAT", "TANGGAL SURAT", "PERIHAL"],
    ["Nomor Urut", "Tgl. Penerimaan", "Instansi", "No. Surat Masuk", "Tgl Surat Masuk",
     "Ringkasan Isi"],
])
def test_the_headers_secretariats_use_are_understood(workspace, tmp_path, header):
    path = xlsx(tmp_path / "agenda.xlsx", [header, [7, date(2026, 11, 20), "Bapenda",
                                                    "973/1/Bapenda-2026", date(2026, 11, 18),
                                                    "Subdomain"]])
    (row,), ignored = read_agenda(path)
    assert row == (2, {"diterima_tanggal": date(2026, 11, 20), "surat_dari": "Bapenda",
                       "nomor_surat": "973/1/Bapenda-2026", "tanggal_surat": date(2026, 11, 18),
                       "hal": "Subdomain"})
    assert ignored == []  # the row counter is recognised, and ignored


def test_every_alias_means_one_field():
    keys = [_key(alias) for aliases in COLUMNS.values() for alias in aliases]
    assert len(keys) == len(set(keys)) == len(_ALIASES)


def test_a_header_of_two_rows_under_merged_cells(workspace, tmp_path):
    """The printed buku agenda's layout: "Surat" over "Dari", "Nomor" and "Tanggal"."""
    path = xlsx(tmp_path / "agenda.xlsx", [
        ["BUKU AGENDA SURAT MASUK"],
        ["No.", "Tanggal Terima", "Surat", None, None, "Perihal", "No. Agenda"],
        [None, None, "Dari", "Nomor", "Tanggal", None, None],
        [1, "20/11/2026", "Bapenda", "973/1/Bapenda-2026", "18/11/2026", "Subdomain", None],
    ])
    (row,), _ = read_agenda(path)
    assert row == (4, {"diterima_tanggal": "20/11/2026", "surat_dari": "Bapenda",
                       "nomor_surat": "973/1/Bapenda-2026", "tanggal_surat": "18/11/2026",
                       "hal": "Subdomain"})


def test_the_no_column_is_a_row_counter_and_no_agenda_is_honoured(workspace, tmp_path):
    path = xlsx(tmp_path / "agenda.xlsx", [
        [*HEADER, "No. Agenda"], [*letter(5), "41"], [*letter(6), None], [*letter(7), "007"]])
    result = run_batch(path, workspace, out_dir=tmp_path / "out")
    assert result.errors == []
    assert [s.view["nomor_agenda"] for s in result.sheets] == ["41", "42", "7"]


def test_two_columns_meaning_one_field_are_refused(tmp_path):
    path = xlsx(tmp_path / "agenda.xlsx", [[*HEADER, "Pengirim"], [*letter(1), "X"]])
    with pytest.raises(InputError, match="columns 'Asal Surat' and 'Pengirim' both mean "
                                         "surat dari; rename or remove one"):
        read_agenda(path)


def test_xlsx_errors_name_the_sheet_row_even_when_the_workbook_lies_about_its_size(
        workspace, tmp_path):
    """Leading empty rows keep their numbers; a workbook whose <dimension> says A1:F2 (some
    exporters write that) still gives every letter, not the first one."""
    path = xlsx(tmp_path / "agenda.xlsx", [[], [], HEADER, letter(1), [], letter(2),
                                           letter(3, hal="")])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b'<dimension ref="A3:F7"/>', b'<dimension ref="A1:F2"/>')
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    letters, _ = read_agenda(path)
    assert [n for n, _ in letters] == [4, 6, 7]
    result = run_batch(path, workspace, out_dir=tmp_path / "out")
    assert result.errors == ["row 7: hal: is required"] and len(result.sheets) == 2


# ---------------------------------------------------------------------- --oleh

def test_an_unknown_oleh_is_one_error_and_numbers_nothing(workspace, tmp_path):
    with pytest.raises(InputError) as info:
        run_batch(SAMPLES / "agenda.xlsx", workspace, out_dir=tmp_path, oleh="kadis")
    known = ", ".join(workspace.office.pejabat)
    assert str(info.value) == f"oleh: unknown role 'kadis' (roles in the office profile: {known})"
    assert info.value.option == "oleh"
    assert letters_in(workspace.register_path) == 0


def test_an_unknown_oleh_through_the_cli(cli_dir):
    result = CliRunner().invoke(cli, ["disposisi", "--batch", str(SAMPLES / "agenda.xlsx"),
                                      "--oleh", "kadis"])
    assert result.exit_code == 1
    assert result.stderr.count("unknown role") == 1
    assert "Error: oleh: unknown role 'kadis'" in result.stderr
    assert letters_in(cli_dir / "sopdocs.db") == 0


# ------------------------------------------- all or nothing: claims and paper size

def test_two_rows_claiming_one_agenda_number_are_a_row_error_not_sqlite(workspace, tmp_path):
    """'7' and '07' are one agenda number: the register would refuse the second with a raw
    UNIQUE constraint error."""
    path = xlsx(tmp_path / "agenda.xlsx", [[*HEADER, "No. Agenda"], [*letter(1), "7"],
                                           [*letter(2), "07"], [*letter(3), None]])
    result = run_batch(path, workspace, out_dir=tmp_path / "out")
    assert result.errors == ["row 3: nomor agenda: agenda number 7 (2026) is also given in "
                             "row 2, to the letter 421/1/Disdik-2026 from Dinas Nomor 1"]
    assert [s.view["nomor_agenda"] for s in result.sheets] == ["7", "8"]


def test_strict_with_a_claim_clash_numbers_nothing(workspace, tmp_path):
    path = xlsx(tmp_path / "agenda.xlsx", [[*HEADER, "No. Agenda"], [*letter(1), None],
                                           [*letter(2), "7"], [*letter(3), "7"]])
    with pytest.raises(RecordError, match="row 4: nomor agenda: agenda number 7"):
        run_batch(path, workspace, out_dir=tmp_path / "out", strict=True)
    assert letters_in(workspace.register_path) == 0


def test_strict_with_a_number_the_register_holds_numbers_nothing(workspace, tmp_path):
    """The clash is only known to the register: with --strict every row is numbered in one
    transaction, and it is undone; without, the row is rejected and the rest printed."""
    first = xlsx(tmp_path / "first.xlsx", [[*HEADER, "No. Agenda"], [*letter(1), "7"]])
    run_batch(first, workspace, out_dir=tmp_path / "out")
    rows = [[*HEADER, "No. Agenda"], *([*letter(n), None] for n in range(10, 14)),
            [*letter(20), "7"]]
    second = xlsx(tmp_path / "second.xlsx", rows)
    with pytest.raises(RecordError, match="row 6: nomor agenda: agenda number 7 \\(2026\\) is "
                                          "already the letter 421/1/Disdik-2026"):
        run_batch(second, workspace, out_dir=tmp_path / "out2", strict=True)
    assert letters_in(workspace.register_path) == 1
    assert not (tmp_path / "out2").exists()
    result = run_batch(second, workspace, out_dir=tmp_path / "out2")
    assert len(result.sheets) == 4 and result.rejected == {6}


CATATAN = " ".join(["Mohon segera ditindaklanjuti dan dikoordinasikan dengan seluruh bidang "
                    "terkait, lalu laporkan hasilnya secara tertulis."] * 12)


def test_a_sheet_too_long_for_half_a_page_is_rejected_before_numbering(workspace, tmp_path):
    path = xlsx(tmp_path / "agenda.xlsx", [[*HEADER, "Catatan"], [*letter(1), None],
                                           [*letter(2), CATATAN], [*letter(3), None]])
    result = run_batch(path, workspace, out_dir=tmp_path / "out")
    (error,) = result.errors
    assert error.startswith("row 3: the lembar disposisi needs ")
    assert "mm but ½ sheet has 165 mm: shorten catatan (" in error and "lines) by about" in error
    assert [s.view["nomor_agenda"] for s in result.sheets] == ["1", "2"]
    assert len(pdf_pages(result.paths[0])) == 2


def test_strict_with_a_sheet_too_long_numbers_nothing(workspace, tmp_path):
    rows = [[*HEADER, "Catatan"], *([*letter(n), None] for n in range(1, 26)),
            [*letter(26), CATATAN]]
    path = xlsx(tmp_path / "agenda.xlsx", rows)
    with pytest.raises(RecordError, match="row 27: the lembar disposisi needs"):
        run_batch(path, workspace, out_dir=tmp_path / "out", strict=True)
    assert letters_in(workspace.register_path) == 0


def test_office_lists_too_long_for_any_sheet_stop_the_batch_before_numbering(tmp_path):
    from sopdocs.office import data_path, load_office

    office = load_office(data_path("office-sample.yaml")).office
    lists = office.disposisi.model_copy(update={
        "penerima": [f"Kepala Seksi Pelayanan Wilayah {i}" for i in range(1, 31)]})
    workspace = Workspace(office.model_copy(update={"disposisi": lists}), tmp_path, None)
    with pytest.raises(RenderError, match=r"the office's kop, tick lists .* leave no room for "
                                          r"a letter; shorten them in the office profile"):
        run_batch(SAMPLES / "agenda.xlsx", workspace, out_dir=tmp_path / "out")
    assert letters_in(workspace.register_path) == 0


# ------------------------------------------------------ long values stay in their cells

def _text_spans(pdf: bytes) -> list[tuple[float, float, str]]:
    """(left x, y, text) of every string shown on the first page: in page coordinates when
    drawn on the page, as the letter's values are (the form's labels, drawn once as form
    XObjects, come in their form's coordinates)."""
    from pypdf import PdfReader

    spans = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            spans.append((x, y, text))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return spans


def test_a_long_nomor_surat_without_spaces_wraps_inside_its_cell(workspace, tmp_path):
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from sopdocs.kinds.disposisi import MARGIN, PAD, SIZE
    from sopdocs.render.fonts import FONT

    nomor = "800.1.11.1/1873/SEKRETARIAT-DAERAH/BAG.ORGANISASI/TATALAKSANA/XI/2026"
    dari = "DinasKomunikasiInformatikaDanStatistikProvinsiSumateraBarat"  # no break point
    path = xlsx(tmp_path / "agenda.xlsx", [HEADER, letter(1, nomor=nomor, dari=dari)])
    result = run_batch(path, workspace, out_dir=tmp_path / "out")
    pdf = result.paths[0].read_bytes()
    page = squash(pdf_pages(pdf)[0]).replace(" ", "")
    assert nomor in page and dari in page  # every character printed, in order
    middle = MARGIN["left"] + (215 * mm - MARGIN["left"] - MARGIN["right"]) / 2
    lines = [(x, text.strip()) for x, _, text in _text_spans(pdf)
             if x < middle and (text.strip() in nomor or text.strip() in dari)]
    assert len(lines) >= 4  # each value wrapped onto two lines or more
    for x, text in lines:  # every line of them ends inside the left cell
        assert x + stringWidth(text, FONT, SIZE) <= middle - PAD + 0.01, text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aW1/-. .", max_size=120), st.floats(20, 300))
def test_wrapping_keeps_every_character_and_no_line_leaves_its_width(text, width):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from sopdocs.kinds.disposisi import SIZE, _split
    from sopdocs.render.fonts import FONT, register_fonts

    register_fonts()
    lines = _split(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(stringWidth(line, FONT, SIZE) <= width for line in lines), lines


# --------------------------------------------------- files that are not what they say

def _zip(path, parts):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _damaged_sheet(path):
    """A real workbook whose sheet breaks off in the middle of row 3."""
    xlsx(path, [HEADER, letter(1), letter(2), letter(3)])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[:sheet.index(b'<row r="3"') + 40]
    return _zip(path, parts)


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(random.Random(3).randbytes(3000)),
     "not a readable XLSX workbook: not a workbook (not a zip archive)"),
    (lambda p: _zip(p, {"readme.txt": "hello"}),
     "not a readable XLSX workbook: a zip archive without a workbook in it"),
    (lambda p: _zip(p, {"word/document.xml": "<w/>", "[Content_Types].xml": "<x/>"}),
     "not a readable XLSX workbook: a zip archive without a workbook in it "
     "(a Word document)"),
    (lambda p: p.write_text(",".join(HEADER) + "\n" + ",".join(letter(1)) + "\n"),
     "not a readable XLSX workbook: a text file, not a workbook (a CSV? then name it .csv)"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
     "not a readable XLSX workbook: an Excel 97-2003 .xls workbook or a password-protected "
     "file; save it from Excel as .xlsx (Excel Workbook) without a password"),
    (_damaged_sheet, "sheet 'Sheet' cannot be read after row 2"),
], ids=["random-bytes", "zip-without-workbook", "docx-renamed", "csv-renamed", "xls-renamed",
        "damaged-sheet"])
def test_a_file_named_xlsx_that_is_no_workbook_is_one_clear_error(cli_dir, make, message):
    path = cli_dir / "agenda.xlsx"
    make(path)
    with pytest.raises(InputError) as info:
        read_agenda(path)
    assert str(info.value).startswith(f"{path}: {message}")
    result = CliRunner().invoke(cli, ["disposisi", "--batch", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[-1].startswith(f"Error: {path}: ")
