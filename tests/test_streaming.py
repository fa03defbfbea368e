"""Large agendas stream: rows are read as they are needed, sheets wait on disk, pages leave
memory as they are drawn, and none of that changes what is made or its order."""

import subprocess
from collections.abc import Iterator

import pytest
from openpyxl import Workbook

import sopdocs.agenda as agenda
import sopdocs.batch as batch
from conftest import SAMPLES, need, pdf_pages, squash
from sopdocs.agenda import iter_agenda
from sopdocs.batch import Spool, run_batch
from sopdocs.registry import open_register


def _agenda(path, rows):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Asal Surat", "No. Surat", "Tgl Surat", "Tanggal Diterima", "Perihal"])
    for i in range(rows):
        sheet.append([f"Dinas {i}", f"800/{i}/2026", "18 November 2026", "20 November 2026",
                      f"Perihal {i}"])
    book.save(path)
    return path


def test_the_agenda_is_read_as_its_letters_are_asked_for(tmp_path, monkeypatch):
    path = _agenda(tmp_path / "agenda.xlsx", 3 * agenda.BLOCK)
    cells = []
    monkeypatch.setattr(agenda, "_cell", lambda value: cells.append(value) or value)
    letters, _ = iter_agenda(path)
    assert isinstance(letters, Iterator)
    first = next(letters)
    assert first[0] == 2 and first[1]["surat_dari"] == "Dinas 0"
    read = len(cells)
    assert read <= (agenda.BLOCK + 10) * 5  # one block of rows, not the whole sheet
    rest = list(letters)
    assert len(rest) == 3 * agenda.BLOCK - 1 and rest[-1][0] == 3 * agenda.BLOCK + 1
    assert len(cells) > read


@pytest.mark.parametrize("memory", [100, 10])  # held in memory; moved to a file
def test_a_spool_gives_back_what_was_appended_in_order(memory):
    spool: Spool[dict[str, object]] = Spool(memory)
    for i in range(50):
        spool.append({"i": i, "text": "x" * i})
    assert len(spool) == 50
    assert [item["i"] for item in spool] == list(range(50))
    assert spool[7] == {"i": 7, "text": "x" * 7} and spool[-1]["i"] == 49
    assert [item["i"] for item in spool[10:13]] == [10, 11, 12]
    spool.clear()
    assert len(spool) == 0 and list(spool) == []
    spool.append({"i": 0})
    assert list(spool) == [{"i": 0}]


def test_a_batch_numbered_over_several_chunks_keeps_every_sheet_in_order(
        workspace, tmp_path, monkeypatch):
    need("qpdf")
    monkeypatch.setattr(batch, "CHUNK", 7)  # 25 letters: four committed chunks
    monkeypatch.setattr(batch.Spool.__init__, "__defaults__", (5,))  # rows and sheets on disk
    result = run_batch(SAMPLES / "agenda.xlsx", workspace, out_dir=tmp_path, per_page=2,
                       duplex=True)
    assert [s.view["nomor_agenda"] for s in result.sheets] == [str(i) for i in range(1, 26)]
    (pdf,) = result.paths
    subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
    pages = [squash(p) for p in pdf_pages(pdf)]
    assert len(pages) == 26  # 13 sheets of paper, each with its blank back
    for i in range(25):
        page = pages[i // 2 * 2]
        assert f"No. Agenda : {i + 1} " in page + " "
        assert pages[i // 2 * 2 + 1] == ""
    entries = open_register(workspace.register_path).entries()
    assert [(e.nomor, e.files[0].page) for e in entries] == [
        (str(i + 1), i // 2 * 2 + 1) for i in range(25)]
