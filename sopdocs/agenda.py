"""Read an agenda of incoming letters as secretariats keep it: XLSX, or CSV whatever Excel
saved it as (UTF-8, UTF-16, Windows-1252 or Mac Roman; comma, semicolon, tab or bar), the
header row found among the first rows (one or two rows, under merged cells), headers matched
without regard to case, spaces or punctuation. A file that would lose letters on the way (a
stray quote swallowing rows, a workbook that is no workbook) stops with the line or row to
fix; every row keeps the number the clerk sees.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import chain, islice, zip_longest
from pathlib import Path
from typing import Any

from .errors import InputError

#: Accepted column headers, compared without case, spaces or punctuation ("Tgl. Terima",
#: "TGL TERIMA" and "tgl terima" are one header): the names secretariats give the columns of
#: a buku agenda surat masuk.
COLUMNS: dict[str, tuple[str, ...]] = {
    "surat_dari": ("Surat dari", "Asal Surat", "Asal", "Asal Instansi", "Dari", "Dari Instansi",
                   "Pengirim", "Pengirim Surat", "Nama Pengirim", "Instansi Pengirim",
                   "Instansi"),
    "nomor_surat": ("Nomor Surat", "No. Surat", "Nomor Surat Masuk", "No. Surat Masuk"),
    "tanggal_surat": ("Tanggal Surat", "Tgl. Surat", "Tanggal Surat Masuk", "Tgl. Surat Masuk"),
    "diterima_tanggal": ("Diterima Tanggal", "Tanggal Diterima", "Tgl. Diterima",
                         "Diterima Tgl.", "Tanggal Terima", "Tgl. Terima",
                         "Tanggal Terima Surat", "Tanggal Diterima Surat", "Tanggal Penerimaan",
                         "Tgl. Penerimaan", "Tanggal Masuk", "Tgl. Masuk", "Tanggal Agenda",
                         "Tgl. Agenda", "Diterima"),
    "hal": ("Hal", "Perihal", "Perihal Surat", "Isi Ringkas", "Isi Ringkas Surat",
            "Ringkasan Isi", "Ringkasan Isi Surat", "Isi Singkat", "Ringkasan"),
    "sifat": ("Sifat", "Sifat Surat"),
    "nomor_agenda": ("Nomor Agenda", "No. Agenda", "Nomor Urut Agenda", "No. Urut Agenda",
                     "Agenda"),
    "diteruskan_kepada": ("Diteruskan kepada", "Diteruskan", "Disposisi kepada"),
    "catatan": ("Catatan", "Isi Disposisi"),
}
REQUIRED = ("surat_dari", "nomor_surat", "tanggal_surat", "diterima_tanggal", "hal")
#: Row counters, ignored: most agendas number their rows in a "No." column that is not the
#: agenda number (it restarts on every month's sheet); the agenda number is "No. Agenda".
ROW_COUNTERS = ("No", "No. Urut", "Nomor Urut")


def _key(header: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(header or "").casefold())


_ALIASES = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
_COUNTERS = {_key(name) for name in ROW_COUNTERS}


def _cell(value: object) -> object:
    """Excel dates come as datetimes, numbers as floats; keep what a person typed (runs of
    spaces collapsed; line breaks in a cell kept, they separate recipients)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        lines = (" ".join(line.split()) for line in value.splitlines())
        return "\n".join(line for line in lines if line)
    return value


#: The encodings a CSV agenda may come in (this order breaks ties): Excel's "CSV UTF-8",
#: "Unicode text" (UTF-16), "CSV (comma delimited)" on Windows (Windows-1252) and on a Mac
#: (Mac Roman), and Latin-1 for anything else of Western Europe.
ENCODINGS = {"utf_8": "UTF-8", "utf_16": "UTF-16", "cp1252": "Windows-1252",
             "mac_roman": "Mac Roman", "latin_1": "Latin-1"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
#: Characters beyond ASCII an Indonesian agenda plausibly holds: small accented letters and
#: typographic punctuation. Among the readings charset-normalizer finds plausible, the one
#: with the fewest other characters wins ("Café" from a Mac is 0x8E, "CafŽ" in Windows-1252).
_LIKELY = frozenset("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿ‘’‚“”„–—…•€°×") | {"\u00a0"}
#: What a file that is not text starts with, and what it is.
_MAGIC = ((b"PK\x03\x04", "a zip archive (an .xlsx workbook?)"),
          (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 .xls workbook or a password-protected file"),
          (b"%PDF", "a PDF"))


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Return the text of a CSV agenda and the encoding it was read in.

    A byte-order mark decides; else UTF-8 if the bytes are valid UTF-8; else the most likely
    of the other ``ENCODINGS`` (charset-normalizer). Raises InputError when none reads as text.
    """
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise InputError(f"{path}: this is {what}, not a CSV text file; save the agenda "
                             "from Excel as .xlsx (Excel Workbook) or CSV UTF-8")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: starts with a {encoding.upper()} byte-order mark "
                                 f"but is not {encoding.upper()} (byte {exc.start}: "
                                 f"{exc.reason})") from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    order = list(ENCODINGS)
    readings = []
    for match in from_bytes(raw, cp_isolation=order):
        with contextlib.suppress(UnicodeDecodeError, LookupError):
            text = raw.decode(match.encoding)
            if "\x00" not in text:
                unlikely = sum(1 for ch in text if ch > "\x7f" and ch not in _LIKELY)
                rank = order.index(match.encoding) if match.encoding in order else len(order)
                readings.append((unlikely, match.chaos, rank, text, match.encoding))
    if readings:
        *_, text, encoding = min(readings)
        return text, encoding
    raise InputError(f"{path}: cannot tell the text encoding (tried "
                     f"{', '.join(ENCODINGS.values())}); save the agenda from Excel as "
                     "CSV UTF-8 (Comma delimited) or as .xlsx")


def _lines(text: str) -> list[str]:
    """The physical lines of a text with their ends (CRLF, LF or a Mac's lone CR), as an
    editor numbers them."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text)


def _header_score(values: list[str]) -> int:
    return len({_ALIASES.get(_key(v)) for v in values} - {None})


def _delimiter(lines: list[str]) -> str:
    """The delimiter under which one of the first lines names the most known columns
    (a header names at least three); failing that, the csv module's guess, or a comma."""
    best, choice = (0, 0), ","
    for delimiter in (",", ";", "\t", "|"):
        with contextlib.suppress(csv.Error):
            for values in csv.reader(lines[:20], delimiter=delimiter):
                score = (_header_score(values), len(values))
                if score > best:
                    best, choice = score, delimiter
    if best[0] >= 3:
        return choice
    try:
        return csv.Sniffer().sniff("".join(lines[:20]), delimiters=",;\t").delimiter
    except csv.Error:
        return ","  # one column, or ambiguous: plain commas


def _stray_quote(path: Path, lines: list[str], start: int, values: list[str],
                 delimiter: str, width: int) -> None:
    """Raise InputError if the record of ``lines`` (from line ``start``) holds a quote that
    swallows the lines after it.

    A cell that opens with ``"`` runs until the next ``"``: a stray one takes the rest of
    the file, or every row up to the next quoted cell, into one cell, and those letters
    would silently vanish. Signs of it, in a record that spans lines or ends at the end of
    the file inside a quote: the record does not read cleanly under csv's strict rules; it
    has another number of cells than the header row; or a line inside a cell holds as many
    delimiters as a row of the agenda.
    """
    chunk = "".join(lines)
    closed = True
    clean = True
    try:
        list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error as exc:
        clean = False
        closed = "unexpected end of data" not in str(exc)
    inner = lines[1:-1] if len(lines) > 2 else []
    rowlike = width >= 3 and any(line.count(delimiter) >= max(2, width - 2) for line in inner)
    if clean and not rowlike and (width < 3 or len(values) == width):
        return
    cell = next((v for v in values if "\n" in v or "\r" in v), chunk)
    preview = cell.splitlines()[0][:40] if cell.strip() else ""
    end = start + len(lines) - 1
    fix = ("remove the stray quote, or write a quote inside a cell as two quotes (\"\"); the "
           "agenda is not read until it is fixed")
    if not closed:
        raise InputError(f"{path}: line {start}: a quote (\") opens the cell "
                         f"\"{preview}…\" and never closes, so every line after it would be "
                         f"read into that cell; {fix}")
    raise InputError(f"{path}: line {start}: a quote (\") opens the cell \"{preview}…\" and "
                     f"only closes on line {end}, so lines {start + 1}–{end} would be read "
                     f"into that cell instead of as letters; {fix}")


def _csv_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    """(line where the record starts, cell values) of a CSV agenda, one record at a time."""
    text, _encoding = decode(path.read_bytes(), path)
    lines = _lines(text)
    delimiter = _delimiter(lines)
    reader = csv.reader(lines, delimiter=delimiter)
    start, width = 1, 0
    try:
        for values in reader:
            end = reader.line_num
            if end > start or any("\n" in v or "\r" in v for v in values):
                _stray_quote(path, lines[start - 1:end], start, values, delimiter, width)
            elif _header_score(values) >= 3 or not width:
                width = max(width, len(values))
            yield start, [_cell(v) for v in values]
            start = end + 1
    except csv.Error as exc:
        raise InputError(f"{path}: line {reader.line_num}: not readable as CSV ({exc})"
                         ) from None


def _not_xlsx(path: Path) -> str | None:
    """What a file named .xlsx is when it is not a workbook, else None."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("an Excel 97-2003 .xls workbook or a password-protected file; save it from "
                "Excel as .xlsx (Excel Workbook) without a password")
    if not head.startswith(b"PK"):
        with contextlib.suppress(InputError):
            decode(head, path)
            return "a text file, not a workbook (a CSV? then name it .csv)"
        return "not a workbook (not a zip archive)"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            kind = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError) as exc:
        return f"a damaged zip archive ({exc})"
    if b"opendocument.spreadsheet" in kind:
        return "an OpenDocument spreadsheet (.ods); save it as .xlsx (Excel Workbook)"
    if "xl/workbook.xml" not in names:
        other = " (a Word document)" if "word/document.xml" in names else ""
        return f"a zip archive without a workbook in it{other}"
    return None


#: Rows of an XLSX agenda read at a time (openpyxl's warnings silenced while they are read).
BLOCK = 1000


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[object]]]:
    """(sheet row, cell values) of an XLSX agenda, read as they are asked for: a workbook of
    100,000 rows is never held whole."""
    from openpyxl import load_workbook

    problem = _not_xlsx(path)
    if problem:
        raise InputError(f"{path}: not a readable XLSX workbook: {problem}")
    with warnings.catch_warnings():  # openpyxl warns of features it drops; the cells remain
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise InputError(f"{path}: not a readable XLSX workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(f"{path}: no sheet {sheet!r} "
                             f"(sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet else book.active
        if ws is None or not hasattr(ws, "iter_rows"):
            raise InputError(f"{path}: sheet {getattr(ws, 'title', '?')!r} is not a "
                             "worksheet (a chart?); choose one with --sheet")
        # The size a workbook declares may be wrong (some programs write A1): read the
        # rows that are there, or letters past the declared size would silently vanish.
        ws.reset_dimensions()
        rows = enumerate(ws.iter_rows(min_row=1, values_only=True), 1)
        done = 0
        while True:
            block: list[tuple[int, list[object]]] = []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    for number, values in islice(rows, BLOCK):
                        block.append((number, [_cell(v) for v in values]))
                        done = number
                except Exception as exc:  # a damaged sheet fails part-way
                    raise InputError(f"{path}: sheet {ws.title!r} cannot be read after row "
                                     f"{done} ({exc})") from None
            if not block:
                return
            yield from block
    finally:
        book.close()


def _rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[object]]]:
    """(spreadsheet row number, cell values) of an XLSX or CSV agenda: the sheet row of an
    XLSX, the line where the record starts in a CSV."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix not in (".xlsx", ".xlsm"):
        hint = "; save it from Excel as .xlsx" if suffix in (".xls", ".xlsb", ".ods") else ""
        raise InputError(f"{path}: an agenda is an .xlsx or .csv file{hint}")
    return _xlsx_rows(path, sheet)


def _names(values: list[object]) -> list[str | None]:
    return [_ALIASES.get(_key(v)) for v in values]


def _two_row_names(upper: list[object], lower: list[object]) -> list[str | None]:
    """The fields of a header of two rows: a merged cell over several columns ("Surat" over
    "Dari", "Nomor", "Tanggal") gives its name to each column below it, so "Nomor" under
    "Surat" is "Nomor Surat"; a column whose one name spans both rows keeps it."""
    names: list[str | None] = []
    parent: object = None
    for i in range(max(len(upper), len(lower))):
        top = upper[i] if i < len(upper) else None
        below = lower[i] if i < len(lower) else None
        if top not in (None, ""):  # a group's name over the cells below, or one tall cell
            parent = top if below not in (None, "") else None
        elif below in (None, ""):
            parent = None
        if below in (None, ""):
            candidates = [top]
        elif parent is None:
            candidates = [below]
        else:
            candidates = [f"{below} {parent}", f"{parent} {below}", below]
        names.append(next((_ALIASES[_key(c)] for c in candidates if _key(c) in _ALIASES),
                          None))
    return names


def _find_header(rows: list[tuple[int, list[object]]]
                 ) -> tuple[int, list[str | None], list[object]] | None:
    """(index of the first data row, field of each column, header labels), or None.

    Among the first ten rows, each row alone and each row with the one below it (a header
    of two rows) is a candidate if it names at least three known columns; the one naming
    the most required columns wins, then the one naming the most columns, then the first.
    """
    head = rows[:10]
    found = []
    for i, (_number, values) in enumerate(head):
        found.append((i + 1, _names(values), values))
        if i + 1 < len(head):
            below = head[i + 1][1]
            labels = [b if b not in (None, "") else t
                      for t, b in zip_longest(values, below, fillvalue=None)]
            found.append((i + 2, _two_row_names(values, below), labels))
    found = [f for f in found if len(set(f[1]) - {None}) >= 3]
    if not found:
        return None
    return max(found, key=lambda f: (len(set(f[1]) & set(REQUIRED)),
                                     len(set(f[1]) - {None}), -f[0]))


def _column_numbers(values: list[object]) -> bool:
    """Whether a row under the header only numbers the columns: 1, 2, 3 … or (1), (2) …"""
    cells = [str(v).strip("() ") for v in values if v not in (None, "")]
    return len(cells) >= 3 and cells == [str(n) for n in range(1, len(cells) + 1)]


def read_agenda(path: Path, sheet: str | None = None
                ) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Return the agenda's letters as (row number, fields) and the ignored headers; see
    ``iter_agenda``, which reads the letters one at a time."""
    letters, ignored = iter_agenda(path, sheet)
    return list(letters), ignored


def iter_agenda(path: Path, sheet: str | None = None
                ) -> tuple[Iterator[tuple[int, dict[str, Any]]], list[str]]:
    """Return the agenda's letters as (row number, fields), read as they are asked for,
    and the ignored headers.

    The header is the first of the first ten rows that names at least three known columns
    (or two rows, under a merged cell such as "Surat" over "Nomor" and "Tanggal"). Blank
    rows are skipped, and a row right under the header that only numbers the columns
    (1, 2, 3 …, as printed agendas do). Raises InputError naming the missing columns, or
    two columns that mean the same field; a row the file cannot give (a damaged sheet, a
    stray quote) raises InputError when the letters reach it.
    """
    rows = _rows(path, sheet)
    head = list(islice(rows, 10))
    found = _find_header(head)
    if found is None:
        raise InputError(f"{path}: no header row found (expected columns such as "
                         f"{', '.join(COLUMNS[n][0] for n in REQUIRED)})")
    first, header, labels = found
    ignored = [str(v) for v, n in zip(labels, header, strict=False)
               if v not in (None, "") and not n and _key(v) not in _COUNTERS]
    seen: dict[str, object] = {}
    for label, name in zip(labels, header, strict=False):
        if name in seen:
            raise InputError(f"{path}: columns {seen[name]!r} and {label!r} both mean "
                             f"{name.replace('_', ' ')}; rename or remove one")
        if name:
            seen[name] = label
    missing = [n for n in REQUIRED if n not in header]
    if missing:
        raise InputError(f"{path}: missing column(s) " + "; ".join(
            f"{n.replace('_', ' ')} (accepted: {', '.join(COLUMNS[n])})" for n in missing))
    return _letters(chain(head[first:], rows), header), ignored


def _letters(rows: Iterable[tuple[int, list[object]]], header: list[str | None]
             ) -> Iterator[tuple[int, dict[str, Any]]]:
    """The letters of the data rows under the header."""
    for index, (number, values) in enumerate(rows):
        if all(v in (None, "") for v in values) or (index == 0 and _column_numbers(values)):
            continue
        fields = {n: v for n, v in zip(header, values, strict=False) if n and v not in (None, "")}
        if "diteruskan_kepada" in fields:
            fields["diteruskan_kepada"] = [
                part.strip() for part in re.split(r"[;\n,]", str(fields["diteruskan_kepada"]))
                if part.strip()]
        yield number, fields
