from pathlib import Path

import pytest

from sopdocs.errors import InputError, OfficeError, RecordError
from sopdocs.office import find_office, init_profile, load_office


def test_builtin_sample_office(tmp_path, monkeypatch):
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    ws, notice = find_office(None, cwd=tmp_path)
    office = ws.office
    assert ws.source is None and ws.folder == tmp_path.resolve()
    assert "built-in sample office" in notice
    assert office.kop.pemerintah == "PEMERINTAH PROVINSI SUMATERA BARAT"
    assert office.kop.instansi == "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK"
    assert (office.unit, office.tempat, office.kertas) == ("Diskominfotik", "Padang", "F4")
    kadis = office.pejabat["kepala-dinas"]
    assert (kadis.nama, kadis.nip) == ("Drs. JASMAN, MM", "19680101 198809 1 001")
    assert ws.logo_path.is_file()


def test_lookup_order(tmp_path, monkeypatch):
    init_profile(tmp_path)
    elsewhere = tmp_path / "lain"
    elsewhere.mkdir()
    (elsewhere / "kantor.yaml").write_text(
        (tmp_path / "sopdocs.yaml").read_text().replace("unit: Diskominfotik", "unit: Lain"))
    (elsewhere / "logo.png").write_bytes((tmp_path / "logo.png").read_bytes())
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)
    assert find_office(None, cwd=tmp_path)[0].office.unit == "Diskominfotik"
    monkeypatch.setenv("SOPDOCS_OFFICE", str(elsewhere / "kantor.yaml"))
    ws, notice = find_office(None, cwd=tmp_path)
    assert (ws.office.unit, ws.folder, notice) == ("Lain", elsewhere.resolve(), None)
    explicit = find_office(tmp_path / "sopdocs.yaml", cwd=elsewhere)[0]
    assert explicit.office.unit == "Diskominfotik"
    assert explicit.register_path == tmp_path.resolve() / "sopdocs.db"


def test_init_writes_editable_profile_and_never_overwrites(tmp_path):
    written = init_profile(tmp_path)
    assert written == [tmp_path / "sopdocs.yaml", tmp_path / "logo.png"]
    ws = load_office(tmp_path / "sopdocs.yaml")
    assert ws.logo_path == (tmp_path / "logo.png").resolve()
    assert "# Profil kantor sopdocs" in (tmp_path / "sopdocs.yaml").read_text()
    with pytest.raises(OfficeError, match="already exists"):
        init_profile(tmp_path)


def _profile(tmp_path: Path, old: str, new: str) -> Path:
    init_profile(tmp_path)
    path = tmp_path / "sopdocs.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return path


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("nip: 19680101 198809 1 001", "nip: 1968", "pejabat.kepala-dinas.nip", "18 digits"),
    ("kertas: F4", "kertas: Letter", "kertas", "'F4' or 'A4'"),
    ('pola: "{kode}/{urut}/{unit}-{tahun}"', 'pola: "{kode}/{unit}"', "nomor.pola", "no {urut}"),
    ("logo: logo.png", "logo: tidak-ada.png", "logo", "no such file"),
    ("  sekretaris:\n", "  Sekretaris Dinas:\n", "pejabat", "role key"),
])
def test_bad_profile_names_the_field(tmp_path, old, new, field, message):
    path = _profile(tmp_path, old, new)
    with pytest.raises(RecordError) as info:
        load_office(path)
    found = dict(info.value.problems)
    assert field in found, found
    assert message in found[field]


def test_malformed_profile_yaml_gives_line(tmp_path):
    path = _profile(tmp_path, "unit: Diskominfotik", "unit: [Diskominfotik")
    with pytest.raises(InputError, match=r"sopdocs.yaml: line \d+, column \d+: not valid YAML"):
        load_office(path)


def test_missing_explicit_profile(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        find_office(tmp_path / "nope.yaml")
