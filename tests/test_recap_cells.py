"""The recap's fast paths write what the slow ones did: a summary's listing fields read as
``summary.load`` reads them, and the cells of a row (plain values as they are, one reused
styled cell per column) keep every text a text and every style on its own row."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from pydantic import ValidationError

from sopdocs.recap import LATE_FILL, Column, _Cells
from sopdocs.summary import Listing, Summary, listing, load

SUMMARY = Summary(hal="Hal", kepada=["Sekretaris", "=1+1"], jenis="nota-dinas",
                  jenis_naskah="Nota Dinas", nomor="1/2026", tanggal=date(2026, 3, 2),
                  instansi="DINAS", unit="Diskominfotik",
                  penandatangan=[{"jabatan": "Kepala Dinas", "nama": "Drs. JASMAN, MM"},
                                 {"jabatan": "Sekretaris", "nama": "B"}])


def test_a_listing_reads_the_fields_load_reads():
    text = SUMMARY.model_dump_json()
    listed, full = listing(text), load(text)
    assert listed["jenis_naskah"] == full.jenis_naskah
    assert listed["kepada"] == full.kepada
    assert full.signer is not None and listed["penandatangan"][0]["nama"] == full.signer.nama
    assert set(Listing.__annotations__) <= set(Summary.model_fields)


def test_a_listing_of_a_summary_without_recipients_or_signers():
    text = SUMMARY.model_copy(update={"kepada": [], "penandatangan": []}).model_dump_json()
    listed = listing(text.replace('"kepada":[],', "").replace('"penandatangan":[],', ""))
    assert listed.get("kepada", []) == load(text).kepada == []
    assert not listed.get("penandatangan")


def test_a_listing_refuses_what_load_refuses():
    with pytest.raises(ValidationError):
        listing('{"kepada": []}')  # no jenis_naskah
    with pytest.raises(ValidationError):
        listing('{"jenis_naskah": "Nota Dinas", "kepada": "not a list"}')


COLUMNS = [Column("No.", 5, "int"), Column("Hal", 50), Column("Tanggal", 12, "date"),
           Column("Keterangan", 30)]


def written(rows: list[tuple[list[object], bool]]) -> list[list[object]]:
    """The cells of ``rows`` written by ``_Cells`` to a write-only sheet, read back."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("x")
    cells = _Cells(ws, COLUMNS)
    for values, late in rows:
        ws.append(cells.row(values, late))
    out = io.BytesIO()
    book.save(out)
    return [list(r) for r in load_workbook(out)["x"].iter_rows()]


def test_cells_keep_texts_as_texts_and_styles_on_their_rows():
    rows = written([
        ([1, "=HYPERLINK(\"http://x\")", date(2026, 1, 2), ""], False),
        ([2, "biasa", date(2026, 1, 3), "=1+2"], True),  # late: every cell styled
        ([3, "=SUM(A1)", None, "keterangan"], True),
        ([4, "hal", date(2026, 1, 5), None], False),
    ])
    values = [[c.value for c in r] for r in rows]
    assert [v[:2] for v in values] == [[1, "=HYPERLINK(\"http://x\")"], [2, "biasa"],
                                       [3, "=SUM(A1)"], [4, "hal"]]
    assert [v[3] for v in values] == [None, "=1+2", "keterangan", None]
    assert all(c.data_type != "f" for r in rows for c in r)
    assert [r[2].value.date() for r in rows if r[2].value] == [date(2026, 1, d) for d in (2, 3, 5)]
    assert all(r[2].number_format == "DD/MM/YYYY" for r in rows if r[2].value)
    late = [[c.fill.fgColor.rgb == LATE_FILL.fgColor.rgb for c in r] for r in rows]
    assert late == [[False] * 4, [True] * 4, [True] * 4, [False] * 4]
    assert rows[0][3].data_type == "n" and rows[0][3].value is None  # an empty text: no cell
