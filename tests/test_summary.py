"""Summaries are taken when a document is made and read from the register ever after: a new
Kepala Dinas does not rewrite old letters. Registers of the previous release migrate."""

import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import ROOT, SAMPLES
from sopdocs.archive import archive_made, listing_lines
from sopdocs.cli import cli
from sopdocs.errors import RegisterError
from sopdocs.office import Workspace
from sopdocs.recap import build_recap
from sopdocs.registry import SCHEMA_VERSION, open_register
from sopdocs.service import make_document, register_of
from sopdocs.summary import load

LEGACY = ROOT / "tests" / "data" / "sopdocs-v0.db"
NEW_KADIS = {"nama": "Dr. SITI RAHMAH, M.Si.", "nip": "19750505 200003 2 005",
             "golongan": "IV/c", "jabatan": "Kepala Dinas Komunikasi, Informatika dan Statistik"}


def sample(kind: str) -> dict:
    return yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text())


def with_kepala_dinas(workspace: Workspace, pejabat: dict) -> Workspace:
    """The same office after a change of Kepala Dinas."""
    office = workspace.office.model_copy(update={"pejabat": {
        **workspace.office.pejabat,
        "kepala-dinas": workspace.office.pejabat["kepala-dinas"].model_validate(pejabat)}})
    return Workspace(office, workspace.folder, workspace.source)


def test_summary_holds_the_facts_of_the_page(workspace, tmp_path):
    made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    (entry,) = open_register(workspace.register_path).entries()
    summary = load(entry.summary_json)
    assert (summary.versi, summary.jenis, summary.jenis_naskah) == (2, "nota-dinas", "Nota Dinas")
    assert summary.nomor == made.nomor == "000.8.3.3/1/Diskominfotik-2026"
    assert summary.kepada == ["Sekretaris", "Kepala Bidang Aplikasi Informatika"]
    assert summary.signer.model_dump() == {
        "jabatan": "Kepala Dinas Komunikasi, Informatika dan Statistik", "nama": "Drs. JASMAN, MM",
        "nip": "196801011988091001", "kapasitas": ""}
    assert (summary.halaman, summary.halaman_awal, summary.dipulihkan) == (1, 1, False)
    assert summary.instansi == "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK"


def test_a_new_kepala_dinas_does_not_rewrite_old_letters(workspace, tmp_path):
    first = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    later = with_kepala_dinas(workspace, NEW_KADIS)
    make_document("nota-dinas", sample("nota-dinas"), later, out_dir=tmp_path)
    archive_made(later, first.paths)

    stem = "2026/000.8.3.3/nota-dinas_000.8.3.3_1_Diskominfotik-2026"
    sidecar = json.loads((tmp_path / "arsip" / f"{stem}.srikandi.json").read_text())
    assert sidecar["penandatangan"]["nama"] == "Drs. JASMAN, MM"
    assert sidecar["penandatangan"]["nip"] == "196801011988091001"
    (listed,) = listing_lines(later)
    assert listed.split("\t")[4] == "Drs. JASMAN, MM"

    book = load_workbook(_recap(later, tmp_path))
    rows = [[c.value for c in r] for r in book["Register Naskah Keluar"].iter_rows(min_row=2)]
    assert [r[6] for r in rows] == ["Drs. JASMAN, MM", "Dr. SITI RAHMAH, M.Si."]


def _recap(workspace: Workspace, folder: Path) -> Path:
    path = folder / "rekap.xlsx"
    path.write_bytes(build_recap(workspace, 2026, now=datetime(2026, 12, 1)))
    return path


@pytest.fixture
def legacy(workspace: Workspace) -> Workspace:
    """A register made by the release before summaries (schema version 0): five outgoing
    documents (one void, one archived), two lembar disposisi, the 25 letters of a batch and
    a hosting case at step 3."""
    shutil.copy(LEGACY, workspace.register_path)
    return workspace


def test_a_register_of_the_previous_release_migrates(legacy, tmp_path):
    before = sqlite3.connect(legacy.register_path).execute("PRAGMA user_version").fetchone()
    assert before == (0,)
    register = register_of(legacy)
    db = sqlite3.connect(legacy.register_path)
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) == (8,)
    entries = register.entries()
    assert [(e.kind, e.nomor, e.status) for e in entries] == [
        ("nota-dinas", "000.8.3.3/1/Diskominfotik-2026", "final"),
        ("berita-acara", "500.12/2/Diskominfotik-2026", "final"),
        ("surat", "500.12/3/Diskominfotik-2026", "batal"),
        ("laporan", "500.12/4/Diskominfotik-2026", "final"),
        ("disposisi", "1", "final"), ("disposisi", "2", "final")]
    summaries = [load(e.summary_json) for e in entries]
    assert all(s.dipulihkan for s in summaries)  # rebuilt once, and said so
    assert summaries[0].signer.nama == "Drs. JASMAN, MM"
    assert summaries[1].kepada == ["Ir. BUDI SANTOSO, M.Kom."]
    assert len(register.letters(2026)) == 26
    (archived,) = register.archived()
    assert archived.nomor == "500.12/2/Diskominfotik-2026"
    case = register.case("HOSTING-2026-0001")
    assert case is not None and [s.step for s in case.steps] == [1, 2]
    # the series goes on where it stopped, and the rebuilt summaries are not rebuilt again
    made = make_document("nota-dinas", sample("nota-dinas"), legacy, out_dir=tmp_path)
    assert made.nomor == "000.8.3.3/5/Diskominfotik-2026"
    later = with_kepala_dinas(legacy, NEW_KADIS)
    assert load(register_of(later).entries()[0].summary_json).signer.nama == "Drs. JASMAN, MM"


def test_the_cli_lists_a_migrated_register(legacy, monkeypatch):
    monkeypatch.chdir(legacy.folder)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    result = CliRunner().invoke(cli, ["number", "list"])
    assert result.exit_code == 0, result.output
    assert "500.12/3/Diskominfotik-2026\t24 November 2026\tsurat\t" in result.stdout
    assert "\tbatal: Salah alamat" in result.stdout


def test_a_register_of_a_newer_release_is_refused(workspace):
    open_register(workspace.register_path).letters()  # nothing there yet: no file
    make_document("nota-dinas", sample("nota-dinas"), workspace,
                  out_dir=workspace.folder / "out")
    db = sqlite3.connect(workspace.register_path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(RegisterError, match="upgrade sopdocs"):
        open_register(workspace.register_path).entries()
