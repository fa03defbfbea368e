"""The command line as a person uses it: exact stdout, errors on stderr, exit codes."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import SAMPLES, pdf_text
from sopdocs.cli import cli
from sopdocs.registry import open_register


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run ``sopdocs ARGS`` in an empty folder with no office configured."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOPDOCS_OFFICE", raising=False)

    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args])

    return invoke


def write_yaml(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def sample(tmp_path, **changes):
    data = yaml.safe_load((SAMPLES / "nota-dinas.yaml").read_text())
    data.update(changes)
    return write_yaml(tmp_path / "nd.yaml", data)


def test_final_prints_only_the_written_paths(run, tmp_path):
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "output/nota-dinas_000.8.3.3_1_Diskominfotik-2026.docx",
        "output/nota-dinas_000.8.3.3_1_Diskominfotik-2026.pdf",
    ]
    assert result.stderr.startswith("note: no sopdocs.yaml here; using the built-in sample office")
    assert len(result.stderr.splitlines()) == 1
    assert "NOMOR 000.8.3.3/1/Diskominfotik-2026" in pdf_text(tmp_path / result.stdout.split()[1])


def test_konsep_format_and_out_options(run, tmp_path):
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--konsep",
                 "--format", "pdf", "--out", "drafts")
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert line.startswith("drafts/KONSEP_nota-dinas_2026-11-23_") and line.endswith(".pdf")
    assert "KONSEP" in pdf_text(tmp_path / line)
    assert not (tmp_path / "sopdocs.db").exists()


def test_number_list_and_void(run, tmp_path):
    for _ in range(2):
        assert run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml").exit_code == 0
    result = run("number", "void", "000.8.3.3/1/Diskominfotik-2026", "--reason", "salah kirim")
    assert result.exit_code == 0, result.output
    assert result.stdout == "000.8.3.3/1/Diskominfotik-2026\tbatal: salah kirim\n"
    listing = run("number", "list").stdout.splitlines()
    assert listing[0] == ("000.8.3.3/1/Diskominfotik-2026\t23 November 2026\tnota-dinas\t"
                          "Permintaan Daftar Informasi Publik (DIP) Tahun 2026\tDrs. JASMAN, MM\t"
                          "batal: salah kirim")
    assert listing[1].startswith(f"\t{tmp_path.resolve()}/output/nota-dinas_000.8.3.3_1_")
    assert "\tsha256:" in listing[1]
    assert listing[3].startswith("000.8.3.3/2/Diskominfotik-2026\t")
    assert listing[3].endswith("final")
    again = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml")
    assert "000.8.3.3_3_" in again.stdout  # a void number is never given out again


def test_bad_record_lists_every_problem_and_writes_nothing(run, tmp_path):
    path = sample(tmp_path, sifat="kilat", kepada=["sekretaris", "kabid-xyz"],
                  penandatangan={"pejabat": {"nama": "A", "jabatan": "B", "nip": "123"}})
    result = run("nota-dinas", "--data", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[1:] == [
        f"Error: {path}: 2 problems:",
        "  sifat: 'kilat' is not allowed (expected 'Biasa', 'Segera', 'Sangat Segera' or "
        "'Rahasia')",
        "  penandatangan.pejabat.nip: NIP must have 18 digits, got '123'",
    ]
    assert "Traceback" not in result.output
    assert not (tmp_path / "output").exists()
    assert not (tmp_path / "sopdocs.db").exists()


def test_unknown_role_is_named_and_no_number_is_consumed(run, tmp_path):
    assert run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml").exit_code == 0
    result = run("nota-dinas", "--data", sample(tmp_path, kepada=["kabid-xyz"]))
    assert result.exit_code == 1
    assert "  kepada[1]: unknown role 'kabid-xyz' (roles in the office profile: kepala-dinas, " \
           in result.stderr
    assert len(list((tmp_path / "output").iterdir())) == 2
    entries = open_register(tmp_path / "sopdocs.db").entries()
    assert [e.urut for e in entries] == [1]
    assert "000.8.3.3_2_" in run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml").stdout


@pytest.mark.parametrize(("content", "suffix", "message"), [
    ("hal: a: b\n", ".yaml", "line 1, column 7: not valid YAML: mapping values are not allowed"),
    ('{"hal": }', ".json", "line 1, column 9: not valid JSON"),
    ("- a\n- b\n", ".yaml", "expected a mapping of fields, got list"),
])
def test_malformed_input_files(run, tmp_path, content, suffix, message):
    path = tmp_path / f"rusak{suffix}"
    path.write_text(content)
    result = run("nota-dinas", "--data", path)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_data_file_and_bad_option(run):
    missing = run("nota-dinas", "--data", "tidak-ada.yaml")
    assert (missing.exit_code, missing.stderr.strip()) == (1, "Error: tidak-ada.yaml: no such file")
    bad = run("nota-dinas", "--data", "x.yaml", "--format", "odt")
    assert bad.exit_code == 2
    assert "'odt' is not one of 'docx', 'pdf', 'both'" in bad.stderr


def test_init_then_the_profile_is_used(run, tmp_path):
    result = run("init")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["sopdocs.yaml", "logo.png"]
    profile = tmp_path / "sopdocs.yaml"
    profile.write_text(profile.read_text().replace("unit: Diskominfotik", "unit: Kominfo"))
    made = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--format", "pdf")
    assert made.stderr == ""  # no sample-office notice
    assert made.stdout.strip() == "output/nota-dinas_000.8.3.3_1_Kominfo-2026.pdf"
    again = run("init")
    assert again.exit_code == 1
    assert "sopdocs.yaml already exists" in again.stderr


def test_office_option_and_environment(run, tmp_path, monkeypatch):
    run("init", "--dir", "kantor")
    result = run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml", "--office",
                 "kantor/sopdocs.yaml", "--format", "pdf")
    assert result.exit_code == 0 and result.stderr == ""
    assert (tmp_path / "kantor" / "sopdocs.db").exists()  # the register lives with the profile
    monkeypatch.setenv("SOPDOCS_OFFICE", str(tmp_path / "kantor" / "sopdocs.yaml"))
    assert "_2_" in run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml").stdout


def test_help_and_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "sopdocs", "--help"], capture_output=True,
                          text=True, check=True)
    for command in ("init", "nota-dinas", "number"):
        assert command in done.stdout


@pytest.mark.parametrize("kind", ["disposisi", "berita-acara", "laporan", "surat"])
def test_every_kind_command_makes_its_sample(run, tmp_path, kind):
    result = run(kind, "--data", SAMPLES / f"{kind}.yaml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [Path(line).suffix for line in lines] == [".docx", ".pdf"]
    assert all(line.startswith(f"output/{kind}_") for line in lines)
    assert (tmp_path / lines[1]).stat().st_size > 1000


def test_document_commands_are_the_kind_modules():
    from sopdocs.cli import cli
    from sopdocs.kinds import all_kinds

    kinds = all_kinds()
    assert set(kinds) <= set(cli.commands)
    for name, kind in kinds.items():  # the help is the module's first docstring line
        assert kind.name == name
        assert kind.name.replace("-", " ") in cli.commands[name].help.lower()


def test_library_errors_name_the_flag_in_the_cli(run):
    assert run("nota-dinas", "--data", SAMPLES / "nota-dinas.yaml").exit_code == 0
    blank = run("number", "void", "000.8.3.3/1/Diskominfotik-2026", "--reason", " ")
    assert blank.exit_code == 1
    assert blank.stderr.splitlines()[-1] == "Error: a void needs a reason (--reason)"
    unknown = run("number", "void", "000.8.3.3/9/Diskominfotik-2026", "--reason", "x")
    assert unknown.exit_code == 1 and "is not an outgoing number in the register" in unknown.stderr
