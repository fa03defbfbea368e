import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopdocs.errors import NumberError
from sopdocs.numbering import DEFAULT_POLA, KONSEP_URUT, Nomor, check_pola


def test_default_pattern_formats_like_the_seeds():
    assert str(Nomor("555", 129, "Diskominfotik", 2021)) == "555/129/Diskominfotik-2021"
    assert str(Nomor("000.8.3.3", 1, "Diskominfotik", 2026)) == "000.8.3.3/1/Diskominfotik-2026"


def test_parse_reads_the_parts_back():
    n = Nomor.parse("555 / 129 / Dikominfotik-2021".replace(" ", ""))
    assert (n.kode, n.urut, n.unit, n.tahun) == ("555", 129, "Dikominfotik", 2021)


def test_pattern_with_month_and_padding():
    pola = "B/{kode}/{urut:04d}/{unit}/{bulan}/{tahun}"
    n = Nomor("500.12.16.3", 573, "BPBD-KL", 2026, 9, pola)
    assert str(n) == "B/500.12.16.3/0573/BPBD-KL/IX/2026"
    assert Nomor.parse(str(n), pola) == n


def test_konsep_leaves_the_sequence_blank():
    n = Nomor("000.8.3.3", 0, "Diskominfotik", 2026, 11, "{kode}/{urut:03d}/{unit}-{tahun}")
    assert n.konsep() == f"000.8.3.3/{KONSEP_URUT}/Diskominfotik-2026"


def test_parse_rejects_other_forms():
    with pytest.raises(NumberError, match="not a number of the form"):
        Nomor.parse("555-129-Diskominfotik-2021")


@pytest.mark.parametrize(("pola", "problem"), [
    ("{kode}/{unit}-{tahun}", "no {urut}"),
    ("{kode}/{urut}/{seksi}", "unknown part"),
    ("{urut}/{urut}", "twice"),
    ("{kode:>5}/{urut}", "width"),
])
def test_bad_patterns_are_refused(pola, problem):
    with pytest.raises(ValueError, match=problem):
        check_pola(pola)


PATTERNS = [DEFAULT_POLA, "{kode}/{urut}/{unit}/{tahun}",
            "{urut:03d}/{kode}/{unit}/{bulan}/{tahun}"]


@given(
    kode=st.from_regex(r"\d{3}(\.[1-9]\d{0,2}){0,3}", fullmatch=True),
    urut=st.integers(1, 99999),
    unit=st.from_regex(r"[A-Za-z][A-Za-z0-9.\-]{0,20}", fullmatch=True),
    tahun=st.integers(1945, 2999),
    bulan=st.integers(1, 12),
    pola=st.sampled_from(PATTERNS),
)
def test_format_parse_round_trip(kode, urut, unit, tahun, bulan, pola):
    n = Nomor(kode, urut, unit, tahun, bulan, pola)
    back = Nomor.parse(str(n), pola)
    assert (back.kode, back.urut, back.unit, back.tahun) == (kode, urut, unit, tahun)
    if "{bulan}" in pola:
        assert back.bulan == bulan
