"""What sopdocs does with hostile or careless record inputs, read as a list: each test is one
input (a file, a value typed into a field) and what happens to it. The limits are module
constants: ``inputs.MAX_BYTES`` / ``MAX_DEPTH`` / ``MAX_NODES``, ``records.MAX_LINE`` /
``MAX_PARAGRAPH`` / ``MAX_ITEMS`` / ``MAX_LAMPIRAN``."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from conftest import SAMPLES
from sopdocs import inputs, records
from sopdocs.errors import InputError, RecordError
from sopdocs.idn import kutip
from sopdocs.inputs import parse_json, parse_yaml, read_data
from sopdocs.kinds import kind_of
from sopdocs.kinds.nota_dinas import NotaDinas
from sopdocs.nip import NIP
from sopdocs.records import Jumlah, validate
from sopdocs.service import make_document
from sopdocs.sop.catalogue import builtin_sops

TEN_MB = "x" * 10_000_000


def sample(kind: str, **changes) -> dict:
    return {**yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text()), **changes}


def problems(data: dict, kind: str = "nota-dinas") -> dict[str, str]:
    with pytest.raises(RecordError) as info:
        validate(kind_of(kind).model, data, "x")
    return dict(info.value.problems)


def deep(levels: int) -> list:
    value: list = []
    for _ in range(levels):
        value = [value]
    return value


def isolated(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter held to 2 GB of memory and a minute: an input that
    crashes the interpreter, or reads without end, fails this test instead of ending the run."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, preexec_fn=limit, check=False)


def read_isolated(path: Path) -> str:
    """``read_data(path)`` in a fresh interpreter: the InputError's message."""
    done = isolated(f"from pathlib import Path\n"
                    f"from sopdocs.errors import InputError\n"
                    f"from sopdocs.inputs import read_data\n"
                    f"try:\n    read_data(Path({str(path)!r}))\n"
                    f"except InputError as exc:\n    print(exc)\n")
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    return done.stdout


# --- files: size, depth, aliases, duplicate keys ---------------------------------------------

@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_file_over_2_mb_is_refused_naming_the_file_and_the_cap(tmp_path, suffix):
    path = tmp_path / f"besar{suffix}"
    text = "a" * (inputs.MAX_BYTES + 10)
    path.write_text(f'{{"hal": "{text}"}}' if suffix == ".json" else f"hal: {text}\n")
    with pytest.raises(InputError) as info:
        read_data(path)
    assert str(info.value).startswith(f"{path}: the file is larger than 2,000,000 bytes")
    assert "up to 2 MB" in str(info.value)


def test_a_device_that_never_ends_is_read_no_further_than_the_cap():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    assert "/dev/zero: the file is larger than 2,000,000 bytes" in read_isolated(Path("/dev/zero"))


@pytest.mark.parametrize(("name", "text"), [
    ("flow.yaml", "[" * 900 + "]" * 900),
    ("flow-100000.yaml", "[" * 100_000 + "]" * 100_000),
    ("mapping.yaml", "{a: " * 900 + "}" * 900),
    ("block.yaml", "".join("  " * i + "- \n" for i in range(40))),
    ("array.json", "[" * 100_000 + "]" * 100_000),
    ("object.json", '{"a": ' * 50 + "1" + "}" * 50),
])
def test_deep_nesting_is_refused_not_a_crash(tmp_path, name, text):
    # Built by libyaml's composer, which recurses in C, such a tree can crash the interpreter
    # (the parser of libyaml 0.2.5 stops at 1,000 levels, so 900 went through; a libyaml
    # without that limit crashed on 100,000); JSON's parser recursed until RecursionError.
    path = tmp_path / name
    path.write_text(text)
    message = read_isolated(path)
    assert message.startswith(str(path)), message
    assert "nest" in message.lower()


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))


def test_billion_laughs_is_refused_at_the_alias_in_no_time(tmp_path):
    path = tmp_path / "lol.yaml"
    path.write_text(BILLION_LAUGHS)
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"line \d+, column \d+: the alias \*\w makes the "
                                         r"document expand to more than 100,000 values"):
        read_data(path)
    assert time.perf_counter() - started < 1


def test_an_alias_inside_its_own_anchor_is_refused():
    with pytest.raises(InputError, match=r"line 1, column 11: the alias \*a refers to a node "
                                         "that contains it"):
        parse_yaml("a: &a [1, *a]", "x.yaml")


def test_a_small_shared_part_still_works_as_the_sop_files_use_it():
    text = ("_pendahuluan: &p\n  umum: Umum.\n  dasar: [A, B]\n"
            "_pengantar: &k {judul: J, kode: 500.10}\n"
            "langkah:\n  - pendahuluan: *p\n    <<: *k\n    judul: K\n  - pendahuluan: *p\n")
    data = parse_yaml(text, "x.yaml")
    assert data["langkah"][0] == {"pendahuluan": {"umum": "Umum.", "dasar": ["A", "B"]},
                                  "judul": "K", "kode": "500.10"}
    assert data["langkah"][1]["pendahuluan"] == data["langkah"][0]["pendahuluan"]
    assert len(builtin_sops()) == 5  # one of them shares paragraphs with anchors and <<


@pytest.mark.parametrize(("text", "where", "key", "first"), [
    ("hal: a\nisi: b\nhal: c\n", "line 3, column 1", "hal", 1),
    ("penandatangan:\n  pejabat:\n    nama: A\n    nama: B\n", "line 4, column 5", "nama", 3),
    ("hal: a\n'hal': b\n", "line 2, column 1", "hal", 1),
])
def test_a_key_given_twice_in_yaml_is_refused_with_its_line(text, where, key, first):
    with pytest.raises(InputError) as info:
        parse_yaml(text, "nd.yaml")
    assert str(info.value) == (f"nd.yaml: {where}: the key '{key}' is given twice (first on "
                               f"line {first}); say it once")


@pytest.mark.parametrize(("text", "line", "key", "first"), [
    ('{\n  "hal": "a",\n  "isi": ["b"],\n  "hal": "c"\n}', 4, "hal", 2),
    ('{\n  "hal": "a",\n  "h\\u0061l": "c"\n}', 3, "hal", 2),
    ('{"daftar": [{"uraian": "a",\n  "uraian": "b"}]}', 2, "uraian", 1),
])
def test_a_key_given_twice_in_json_is_refused_with_its_line(text, line, key, first):
    with pytest.raises(InputError) as info:
        parse_json(text, "nd.json")
    assert str(info.value) == (f"nd.json: line {line}: the key '{key}' is given twice (first "
                               f"on line {first}); say it once")


def test_the_same_key_in_two_mappings_is_fine():
    assert parse_json('{"a": {"x": 1}, "b": {"x": 2}}', "x.json") == {"a": {"x": 1},
                                                                       "b": {"x": 2}}
    assert parse_yaml("a: {x: 1}\nb: {x: 2}\n", "x.yaml") == {"a": {"x": "1"}, "b": {"x": "2"}}


def test_numbers_dates_and_yes_no_in_yaml_stay_text():
    text = "kode: 500.10\nnip: 196801011988091001\ntanggal: 2026-11-22\nno: yes\n"
    assert parse_yaml(text, "x.yaml") == {"kode": "500.10", "nip": "196801011988091001",
                                          "tanggal": "2026-11-22", "no": "yes"}


@pytest.mark.parametrize(("parse", "text"), [
    (parse_json, '{"lampiran": ' + "9" * 5000 + "}"),
    (parse_yaml, "lampiran: !!int " + "9" * 5000),
])
def test_a_number_of_thousands_of_digits_is_one_clear_error(parse, text):
    with pytest.raises(InputError, match="a number has 5,000 digits; write long codes as text"):
        parse(text, "x")


# --- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [1700000000, 20261122, 45000.5, True])
@pytest.mark.parametrize(("kind", "field"), [("nota-dinas", "tanggal"),
                                             ("disposisi", "tanggal_surat"),
                                             ("disposisi", "diterima_tanggal")])
def test_a_date_given_as_a_number_is_refused(tmp_path, kind, field, value):
    # pydantic would read a JSON number as seconds since 1970
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(sample(kind, **{field: value})))
    found = problems(read_data(path), kind)
    assert found[field].startswith(f"{value!r} is ")
    assert "not a date: write the date as text, e.g. 22 November 2026" in found[field]


def test_dates_from_an_agenda_are_accepted():
    assert validate(NotaDinas, sample("nota-dinas", tanggal=date(2026, 1, 5)), "x").tanggal \
        == date(2026, 1, 5)
    assert validate(NotaDinas, sample("nota-dinas", tanggal=datetime(2026, 1, 5)), "x") \
        .tanggal == date(2026, 1, 5)


@pytest.mark.parametrize(("value", "shown"), [
    ("22/11/0226", "22 November 226"), ("31/12/1899", "31 Desember 1899"),
    ("2101-01-01", "1 Januari 2101"), (date(1, 1, 1), "1 Januari 1"),
])
def test_a_year_outside_1900_to_2100_is_refused(value, shown):
    assert problems(sample("nota-dinas", tanggal=value)) == {
        "tanggal": f"{shown} is not a plausible date: the year must be 1900 to 2100"}


def test_the_first_and_last_years_are_accepted():
    for text, year in (("1/1/1900", 1900), ("31/12/2100", 2100)):
        assert validate(NotaDinas, sample("nota-dinas", tanggal=text), "x").tanggal.year == year


# --- messages quote a short prefix, never the whole value -------------------------------------

HUGE_VALUES = [
    ("sifat", {"sifat": "S" + TEN_MB[:90_000]}),
    ("kode_klasifikasi", {"kode_klasifikasi": "5" * 90_000}),
    ("tanggal", {"tanggal": "1" * 90_000}),
    ("penandatangan.pejabat.nip",
     {"penandatangan": {"pejabat": {"nama": "A", "jabatan": "B", "nip": "1" * 90_000}}}),
    ("penandatangan.pejabat.golongan",
     {"penandatangan": {"pejabat": {"nama": "A", "jabatan": "B", "golongan": "I" * 90_000}}}),
    ("hal", {"hal": TEN_MB}),
    ("kepada[1]", {"kepada": [TEN_MB]}),
    ("isi", {"isi": TEN_MB}),
    ("lampiran", {"lampiran": 10**5000}),
]


@pytest.mark.parametrize(("field", "change"), HUGE_VALUES, ids=[h[0] for h in HUGE_VALUES])
def test_a_huge_value_is_quoted_by_its_first_characters_at_most(field, change):
    with pytest.raises(RecordError) as info:
        validate(NotaDinas, sample("nota-dinas", **change), "x")
    found = dict(info.value.problems)
    assert list(found) == [field]
    assert len(found[field]) < 250, found[field][:300]
    assert len(str(info.value)) < 300


def test_an_unknown_field_with_a_huge_name_is_shown_by_its_first_characters():
    found = problems(sample("nota-dinas", **{"z" * 1_000_000: 1}))
    assert list(found) == ["z" * 60 + "…"]


@pytest.mark.parametrize("field", ["hal", "sifat", "tanggal", "kepada", "isi", "penandatangan",
                                   "lampiran", "kode_klasifikasi", "paraf", "tembusan"])
def test_a_value_nested_10000_deep_is_named_not_recursed_into(field):
    found = problems(sample("nota-dinas", **{field: deep(10_000)}))
    assert found == {field: "is nested more than 16 levels deep"}


def test_a_pejabat_nested_10000_deep_is_named():
    data = sample("nota-dinas", penandatangan={"pejabat": {"nama": deep(10_000), "jabatan": "B"}})
    assert problems(data) == {"penandatangan": "is nested more than 16 levels deep"}


def test_enum_and_union_errors_quote_a_short_prefix():
    found = problems(sample("nota-dinas", sifat=["a" * 5000],
                            penandatangan={"pejabat": ["x" * 5000] * 3}))
    assert found["sifat"] == "must be text, not a list" or len(found["sifat"]) < 200
    assert len(found["penandatangan.pejabat"]) < 200


@pytest.mark.parametrize(("value", "shown"), [
    (TEN_MB, "'" + "x" * 60 + "…'"),
    (deep(10_000), "[[[[[…]]]]]"),
    (10**5000, "<a number of about 5001 digits>"),
    ("kepala-dinas", "'kepala-dinas'"),
    ({"a": ["b"] * 1000}, "{'a': ['b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b'…"),
    (("a",), "('a',)"),
    (object(), "<object>"),
], ids=["10 MB text", "10,000 deep", "5,000 digits", "short text", "long dict", "one-tuple",
        "object"])
def test_kutip_is_short_and_never_fails(value, shown):
    assert kutip(value) == shown


# --- text: control and spoofing characters, bounds, compatibility digits ----------------------

@pytest.mark.parametrize("char", ["\x85", "\x80", "\x9b", "\x9f", "\x1b"])
@pytest.mark.parametrize("field", ["hal", "isi", "kepada"])
def test_c0_and_c1_control_characters_are_refused(field, char):
    value = f"Permintaan{char}Data"
    found = problems(sample("nota-dinas", **{field: value if field == "hal" else [value]}))
    path = field if field == "hal" else f"{field}[1]"
    assert found == {path: f"contains the control character U+{ord(char):04X}, which cannot "
                           "be printed"}


@pytest.mark.parametrize(("char", "name"), [
    ("\u202a", "LEFT-TO-RIGHT EMBEDDING"), ("\u202b", "RIGHT-TO-LEFT EMBEDDING"),
    ("\u202c", "POP DIRECTIONAL FORMATTING"), ("\u202d", "LEFT-TO-RIGHT OVERRIDE"),
    ("\u202e", "RIGHT-TO-LEFT OVERRIDE"), ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
    ("\u2067", "RIGHT-TO-LEFT ISOLATE"), ("\u2068", "FIRST STRONG ISOLATE"),
    ("\u2069", "POP DIRECTIONAL ISOLATE"),
])
def test_direction_controls_that_spoof_printed_text_are_refused(char, name):
    data = sample("nota-dinas", penandatangan={"pejabat": {"nama": f"A{char}B", "jabatan": "C"}})
    assert problems(data) == {"penandatangan.pejabat.nama": (
        f"contains U+{ord(char):04X} ({name}), a direction control that makes the printed "
        "text read differently from what was typed")}


@pytest.mark.parametrize(("char", "name"), [("\u2028", "LINE SEPARATOR"),
                                            ("\u2029", "PARAGRAPH SEPARATOR")])
def test_unicode_line_separators_are_refused(char, name):
    assert problems(sample("nota-dinas", hal=f"A{char}B")) == {
        "hal": f"contains U+{ord(char):04X} ({name}), which cannot be printed; use a new line"}


def test_tab_and_new_lines_are_white_space():
    nd = validate(NotaDinas, sample("nota-dinas", hal="A\tB\r\nC", isi="Satu\r\n\r\nDua"), "x")
    assert (nd.hal, nd.isi) == ("A B C", ["Satu", "Dua"])


@pytest.mark.parametrize(("field", "ok", "too_long", "message"), [
    ("hal", "h" * records.MAX_LINE, "h" * (records.MAX_LINE + 1),
     "is too long: 501 characters (a one-line field holds at most 500)"),
    ("isi", ["p" * records.MAX_PARAGRAPH], ["p" * (records.MAX_PARAGRAPH + 1)],
     "is too long: 5,001 characters (a paragraph holds at most 5,000)"),
    ("kepada", ["sekretaris"] * records.MAX_ITEMS, ["sekretaris"] * (records.MAX_ITEMS + 1),
     "has 501 items (at most 500)"),
    ("isi", ["p"] * records.MAX_ITEMS, ["p"] * (records.MAX_ITEMS + 1),
     "has 501 items (at most 500)"),
    ("paraf", ["sekretaris"] * records.MAX_ITEMS, ["sekretaris"] * (records.MAX_ITEMS + 1),
     "has 501 items (at most 500)"),
])
def test_free_text_and_lists_are_bounded(field, ok, too_long, message):
    validate(NotaDinas, sample("nota-dinas", **{field: ok}), "x")
    found = problems(sample("nota-dinas", **{field: too_long}))
    path = f"{field}[1]" if field == "isi" and len(too_long) == 1 else field
    assert found == {path: message}


@pytest.mark.parametrize(("kind", "change", "path"), [
    ("laporan", {"tabel": {"kolom": ["A"], "baris": [["a" * 501]]}}, "tabel.baris[1][1]"),
    ("laporan", {"tabel": {"kolom": ["A"] * 501, "baris": []}}, "tabel.kolom"),
    ("laporan", {"tabel": {"kolom": ["A"], "baris": [["a"]] * 501}}, "tabel.baris"),
    ("surat-tugas", {"untuk": ["u" * 5001]}, "untuk[1]"),
    ("tanda-terima", {"daftar": [{"uraian": "u", "jumlah": 1}] * 501}, "daftar"),
    ("disposisi", {"catatan": "c" * 5001}, "catatan"),
    ("berita-acara", {"pihak_kedua": {"nama": "n" * 501, "jabatan": "J"}}, "pihak_kedua.nama"),
])
def test_every_kind_bounds_its_text_and_lists(kind, change, path):
    assert path in problems(sample(kind, **change), kind)


def test_a_10_mb_hal_is_refused_before_a_number_is_taken(workspace, tmp_path):
    with pytest.raises(RecordError) as info:
        make_document("nota-dinas", sample("nota-dinas", hal=TEN_MB), workspace,
                      out_dir=tmp_path / "out")
    assert dict(info.value.problems) == {
        "hal": "is too long: 10,000,000 characters (a field holds at most 100,000)"}
    assert not (tmp_path / "out").exists()
    assert not workspace.register_path.exists()


@pytest.mark.parametrize(("typed", "kept"), [
    ("５００．１", "500.1"), ("０００.８.３.３", "000.8.3.3"), (" 555 ", "555")])
def test_fullwidth_digits_in_a_kode_are_the_digits_they_stand_for(typed, kept):
    assert validate(NotaDinas, sample("nota-dinas", kode_klasifikasi=typed), "x") \
        .kode_klasifikasi == kept


@pytest.mark.parametrize("typed", ["٥٠٠", "५००", "500.", "5" * 41])
def test_other_digits_in_a_kode_are_refused(typed):
    assert "is not a kode klasifikasi" in problems(
        sample("nota-dinas", kode_klasifikasi=typed))["kode_klasifikasi"]


def test_a_kode_as_a_json_number_is_refused_as_it_lost_its_zero():
    found = problems(json.loads('{"kode_klasifikasi": 500.10}') | {
        k: v for k, v in sample("nota-dinas").items() if k != "kode_klasifikasi"})
    assert found == {"kode_klasifikasi": "500.1 is a number: write the kode klasifikasi in "
                                         "quotes (\"500.10\"), as a number 500.10 loses its "
                                         "last zero"}


def test_fullwidth_digits_in_a_nip_are_read_other_digits_are_refused():
    assert str(NIP.parse("１９６８０１０１ １９８８０９ １ ００１")) == "19680101 198809 1 001"
    with pytest.raises(ValueError, match="NIP must be written with the digits 0-9"):
        NIP.parse("١٩٦٨٠١٠١١٩٨٨٠٩١٠٠١")
    with pytest.raises(ValueError, match="NIP must have 18 digits, got 10,000,000 characters"):
        NIP.parse(TEN_MB)
    with pytest.raises(ValueError, match="NIP must be 18 digits, got True"):
        NIP.parse(True)  # type: ignore[arg-type]


# --- unknown fields, paths ---------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "change", "path", "message"), [
    ("nota-dinas", {"hla": "x"}, "hla", "is not a field of this form (did you mean hal?)"),
    ("nota-dinas", {"Hal": "x"}, "Hal", "is not a field of this form (did you mean hal?)"),
    ("nota-dinas", {"zzz": "x"}, "zzz", "is not a field of this form"),
    ("nota-dinas", {"penandatangan": {"pejabat": {"nama": "A", "jabatan": "B", "nipp": "1"}}},
     "penandatangan.pejabat.nipp", "is not a field of this form (did you mean nip?)"),
    ("laporan", {"pendahuluan": {"umum": "u", "maksud": "m", "ruang_lingkup": "r",
                                 "dasar": "d"}},
     "pendahuluan.maksud", "is not a field of this form (did you mean maksud_tujuan?)"),
    ("tanda-terima", {"daftar": [{"uraian": "u", "jumlah": 1}, {"uraian": "v", "jmlah": 2}]},
     "daftar[2].jmlah", "is not a field of this form (did you mean jumlah?)"),
])
def test_an_unknown_field_names_the_closest_field(kind, change, path, message):
    assert problems(sample(kind, **change), kind)[path] == message


@pytest.mark.parametrize(("kind", "change", "path"), [
    ("nota-dinas", {"kepada": ["sekretaris", ""]}, "kepada[2]"),
    ("disposisi", {"sifat": ["Segera", "Kilat"]}, "sifat[2]"),
    ("tanda-terima", {"daftar": [{"jumlah": 1}]}, "daftar[1].uraian"),
    ("surat-tugas", {"kepada": ["tim-pengelola", "x", {"nama": "X"}]}, "kepada[3].jabatan"),
    ("laporan", {"tabel": {"kolom": ["A", "B"], "baris": [["a", "b"], ["c", "\x07"]]}},
     "tabel.baris[2][2]"),
])
def test_paths_count_items_from_one_and_name_no_union_branch(kind, change, path):
    assert path in problems(sample(kind, **change), kind)


def test_an_empty_required_field_says_so():
    assert problems(sample("nota-dinas", hal=None, kepada=None)) == {
        "hal": "must not be empty", "kepada": "must not be empty"}


def test_a_wrong_kind_of_value_is_named_in_words():
    assert problems(sample("nota-dinas", hal=["a"], penandatangan=["b"])) == {
        "hal": "must be text, not a list",
        "penandatangan": "must be a mapping of fields, not a list"}


# --- counts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [10**30, "9" * 5000, 1000, "1000", -1],
                         ids=["10**30", "5000 nines", "1000", "'1000'", "-1"])
def test_a_lampiran_count_beyond_999_berkas_is_refused(value):
    message = problems(sample("nota-dinas", lampiran=value))["lampiran"]
    assert len(message) < 250
    assert "is more than a lampiran count sopdocs writes out (0 to 999)" in message or \
        "is too long" in message


@pytest.mark.parametrize("value", [True, 1.5])
def test_a_lampiran_as_yes_no_or_a_fraction_is_refused(value):
    assert problems(sample("nota-dinas", lampiran=value))["lampiran"].startswith(
        f"{value!r} is not a lampiran")


@pytest.mark.parametrize(("value", "printed"), [
    (999, "999 (sembilan ratus sembilan puluh sembilan) berkas"), ("１", "1 (satu) berkas"),
    ("2 (dua) boks", "2 (dua) boks")])
def test_a_lampiran_count_up_to_999_is_written_out(value, printed):
    assert validate(NotaDinas, sample("nota-dinas", lampiran=value), "x").lampiran == printed


def test_a_jumlah_is_a_whole_number_from_1_to_999999():
    jumlah = TypeAdapter(Jumlah)
    assert jumlah.validate_python(5) == 5
    for bad in (0, 10**30, True):
        with pytest.raises(ValidationError):
            jumlah.validate_python(bad)
