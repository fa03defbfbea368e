from datetime import date

import pytest

from sopdocs.nip import NIP


def test_parse_and_print_grouped():
    nip = NIP.parse("196801011988091001")
    assert str(nip) == "19680101 198809 1 001"
    assert NIP.parse("19680101 198809 1 001") == nip
    assert nip.tanggal_lahir == date(1968, 1, 1)
    assert nip.tmt == date(1988, 9, 1)
    assert nip.jenis_kelamin == "L"
    assert NIP.parse(198703212011012005).jenis_kelamin == "P"


@pytest.mark.parametrize(("text", "problem"), [
    ("1968010119880910", "18 digits"),
    ("19680101198809100A", "18 digits"),
    ("19680231198809 1 001", "birth date"),
    ("19680101 198813 1 001", "TMT"),
    ("19680101 196001 1 001", "not after birth date"),
    ("19680101 198809 3 001", "digit 15"),
    ("19680101 198809 1 000", "sequence"),
])
def test_invalid_nip_says_which_part(text, problem):
    with pytest.raises(ValueError, match=problem):
        NIP.parse(text)
