from datetime import date

import pytest

from sopdocs import idn

SUNDAY = date(2026, 11, 22)


def test_tanggal_has_no_leading_zero():
    assert idn.tanggal(SUNDAY) == "22 November 2026"
    assert idn.tanggal(date(2026, 3, 5)) == "5 Maret 2026"


@pytest.mark.parametrize(("d", "name"), [
    (date(2026, 11, 16), "Senin"), (date(2026, 11, 17), "Selasa"), (date(2026, 11, 18), "Rabu"),
    (date(2026, 11, 19), "Kamis"), (date(2026, 11, 20), "Jumat"), (date(2026, 11, 21), "Sabtu"),
    (SUNDAY, "Minggu"),
])
def test_hari(d, name):
    assert idn.hari(d) == name


def test_tanggal_terbilang_as_a_berita_acara_opens():
    assert idn.tanggal_terbilang(SUNDAY) == (
        "Minggu tanggal Dua Puluh Dua bulan November tahun Dua Ribu Dua Puluh Enam")
    assert idn.tanggal_terbilang(date(2021, 1, 11)) == (
        "Senin tanggal Sebelas bulan Januari tahun Dua Ribu Dua Puluh Satu")


@pytest.mark.parametrize(("n", "words"), [
    (0, "nol"), (1, "satu"), (10, "sepuluh"), (11, "sebelas"), (19, "sembilan belas"),
    (100, "seratus"), (1000, "seribu"), (2026, "dua ribu dua puluh enam"),
])
def test_terbilang(n, words):
    assert idn.terbilang(n) == words


def test_terbilang_refuses_negative():
    with pytest.raises(ValueError, match="-1"):
        idn.terbilang(-1)


def test_jumlah():
    assert idn.jumlah(1, "berkas") == "1 (satu) berkas"
    assert idn.jumlah(12, "lembar") == "12 (dua belas) lembar"


@pytest.mark.parametrize(("n", "roman"), [(1, "I"), (4, "IV"), (9, "IX"), (11, "XI"),
                                          (12, "XII"), (2026, "MMXXVI")])
def test_romawi(n, roman):
    assert idn.romawi(n) == roman


def test_romawi_range():
    with pytest.raises(ValueError):
        idn.romawi(0)


@pytest.mark.parametrize("text", ["22 November 2026", "22 Nov 2026", "22 nopember 2026",
                                  "22/11/2026", "22-11-2026", "22.11.2026", "2026-11-22",
                                  " 22  November   2026 "])
def test_parse_tanggal_accepts_office_forms(text):
    assert idn.parse_tanggal(text) == SUNDAY


@pytest.mark.parametrize("text", ["31/02/2026", "2026-13-01", "kemarin", "22 Novembar 2026", ""])
def test_parse_tanggal_names_the_bad_text(text):
    with pytest.raises(ValueError, match="is not a date"):
        idn.parse_tanggal(text)


def test_pangkat_golongan_table_both_ways():
    assert len(idn.PANGKAT) == 17
    for golongan, pangkat in idn.PANGKAT.items():
        assert idn.golongan_of(pangkat) == golongan
    assert idn.PANGKAT["IV/c"] == "Pembina Utama Muda"
    assert idn.PANGKAT["III/b"] == "Penata Muda Tingkat I"


@pytest.mark.parametrize(("text", "golongan"), [("IV/c", "IV/c"), ("iv c", "IV/c"),
                                                ("III-B", "III/b"), ("II/d", "II/d")])
def test_normalise_golongan(text, golongan):
    assert idn.normalise_golongan(text) == golongan


@pytest.mark.parametrize("text", ["V/a", "IV/f", "4c"])
def test_normalise_golongan_rejects(text):
    with pytest.raises(ValueError, match="not a golongan"):
        idn.normalise_golongan(text)
