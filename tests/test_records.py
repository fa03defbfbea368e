from datetime import date

import pytest

from sopdocs.errors import RecordError
from sopdocs.kinds.nota_dinas import NotaDinas
from sopdocs.records import Pejabat, Penandatangan, Sifat, item_path, validate


def problems(data):
    with pytest.raises(RecordError) as info:
        validate(NotaDinas, data, "nd.yaml")
    return dict(info.value.problems)


def test_sample_is_valid(nota_dinas_data):
    nd = validate(NotaDinas, nota_dinas_data, "nd.yaml")
    assert nd.tanggal == date(2026, 11, 23)
    assert nd.sifat is Sifat.SEGERA
    assert nd.lampiran == "1 (satu) berkas"
    assert len(nd.isi) == 3
    assert nd.penandatangan == Penandatangan(pejabat="kepala-dinas")


def test_defaults_today_and_biasa(nota_dinas_data):
    for key in ("tanggal", "sifat", "lampiran"):
        del nota_dinas_data[key]
    nd = validate(NotaDinas, nota_dinas_data, "nd.yaml")
    assert nd.tanggal == date.today()
    assert nd.sifat is Sifat.BIASA
    assert nd.lampiran is None


def test_every_problem_is_named_by_its_field(nota_dinas_data):
    del nota_dinas_data["hal"]
    nota_dinas_data.update(sifat="Kilat", tanggal="31/02/2026", kode_klasifikasi="abc",
                           kepada=["sekretaris", "  "], perihal="x")
    found = problems(nota_dinas_data)
    assert found == {
        "hal": "is required",
        "sifat": "'Kilat' is not allowed (expected 'Biasa', 'Segera', 'Sangat Segera' or "
                 "'Rahasia')",
        "tanggal": "'31/02/2026' is not a date (write e.g. 22 November 2026, 22/11/2026, "
                   "22-11-2026 or 2026-11-22)",
        "kode_klasifikasi": "'abc' is not a kode klasifikasi (digits with dots, e.g. 000.8.3.3 "
                            "or 555)",
        "kepada[2]": "must not be empty",  # the second recipient: paths count from 1
        "perihal": "is not a field of this form (did you mean hal?)",
    }


def test_bad_nip_of_a_full_pejabat(nota_dinas_data):
    nota_dinas_data["penandatangan"] = {
        "pejabat": {"nama": "A", "jabatan": "Kepala", "nip": "19680101 198809 3 001"}}
    assert problems(nota_dinas_data) == {
        "penandatangan.pejabat.nip": "NIP '19680101 198809 3 001': digit 15 must be 1 (male) "
                                     "or 2 (female)"}


def test_sifat_is_case_insensitive(nota_dinas_data):
    nota_dinas_data["sifat"] = "sangat  segera"
    assert validate(NotaDinas, nota_dinas_data, "x").sifat is Sifat.SANGAT_SEGERA


def test_isi_as_one_text_splits_on_blank_lines(nota_dinas_data):
    nota_dinas_data["isi"] = "Paragraf satu\nberlanjut.\n\nParagraf dua."
    assert validate(NotaDinas, nota_dinas_data, "x").isi == ["Paragraf satu berlanjut.",
                                                             "Paragraf dua."]


def test_control_characters_are_refused(nota_dinas_data):
    nota_dinas_data["hal"] = "Hal\x07"
    assert problems(nota_dinas_data) == {
        "hal": "contains the control character U+0007, which cannot be printed"}


def test_pejabat_fills_pangkat_from_golongan_and_back():
    assert Pejabat(nama="A", jabatan="B", golongan="iv c").pangkat == "Pembina Utama Muda"
    assert Pejabat(nama="A", jabatan="B", pangkat="Penata").golongan == "III/c"
    with pytest.raises(ValueError, match="does not match golongan"):
        Pejabat(nama="A", jabatan="B", pangkat="Penata", golongan="IV/a")


@pytest.mark.parametrize(("ttd", "problem"), [
    ({"pejabat": "sekretaris", "an": "kepala-dinas", "plt": "x"}, "give only one"),
    ({"pejabat": "koordinator", "ub": "sekretaris"}, "ub (u.b.) needs an"),
])
def test_penandatangan_capacities(nota_dinas_data, ttd, problem):
    nota_dinas_data["penandatangan"] = ttd
    assert problem in problems(nota_dinas_data)["penandatangan"]


def test_not_a_mapping():
    with pytest.raises(RecordError, match="expected a mapping of fields, got a list"):
        validate(NotaDinas, ["a"], "nd.yaml")
    with pytest.raises(RecordError, match=r"got nothing \(is the file empty\?\)"):
        validate(NotaDinas, None, "nd.yaml")


def test_header_counts_problems_in_words(nota_dinas_data):
    nota_dinas_data["hal"] = ""
    with pytest.raises(RecordError) as info:
        validate(NotaDinas, nota_dinas_data, "nd.yaml")
    assert str(info.value).splitlines()[0] == "nd.yaml: 1 problem:"
    nota_dinas_data["isi"] = []
    with pytest.raises(RecordError) as info:
        validate(NotaDinas, nota_dinas_data, "nd.yaml")
    assert str(info.value).splitlines()[0] == "nd.yaml: 2 problems:"


def test_item_paths_count_from_one():
    assert item_path("kepada", 0) == "kepada[1]"
    assert item_path("daftar", 1) == "daftar[2]"
