"""The README stays true: the two set-up commands come first, every command is documented."""

import re

import click
from click.testing import CliRunner

from conftest import ROOT
from sopdocs.cli import cli

README = (ROOT / "README.md").read_text()


def commands(group: click.Group, prefix: str = "sopdocs") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix} {name}")
        else:
            found.append((f"{prefix} {name}", command))
    return found


def test_readme_opens_with_the_two_setup_commands():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    assert README.index("```bash") < README.index("\n## ")
    install, test = blocks[:2]
    assert "pip install ." in install and "sopdocs nota-dinas --data samples/" in install
    assert "pip install '.[test]'" in test and test.endswith("pytest")
    assert test in (ROOT / ".ci" / "run").read_text()  # CI runs exactly command 2


def test_every_command_is_in_the_cli_reference_and_has_help():
    reference = README.split("## CLI reference", 1)[1].split("\n## ", 1)[0]
    for name, command in commands(cli):
        assert f"`{name}" in reference, f"{name} is missing from the README's CLI reference"
        assert command.help, f"{name} has no help text"
        result = CliRunner().invoke(cli, [*name.split()[1:], "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_readme_has_no_unfilled_placeholders():
    assert not re.search(r"\bBENCH_", README)  # a figure left as BENCH_… (not $SOPDOCS_BENCH_CACHE)


def test_every_command_example_in_the_readme_runs(tmp_path):
    """Each ``bash`` block after the two set-up commands, run as written in a fresh folder
    holding the samples: every command must succeed."""
    import os
    import shutil
    import subprocess
    import sys

    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)[2:]
    assert len(blocks) >= 3
    for i, block in enumerate(blocks):
        folder = tmp_path / f"block{i}"
        shutil.copytree(ROOT / "samples", folder / "samples")
        script = (f'set -euo pipefail\nsopdocs() {{ "{sys.executable}" -m sopdocs "$@"; }}\n'
                  + block.replace("\\\n", ""))
        done = subprocess.run(["bash", "-c", script], cwd=folder, capture_output=True,
                              text=True, env={k: v for k, v in os.environ.items()
                                              if k != "SOPDOCS_OFFICE"})
        assert done.returncode == 0, f"README block {i + 3}:\n{block}\n{done.stderr}"
        assert "Traceback" not in done.stderr
