"""The ``sopdocs`` command line: thin click wrappers over the library, no logic of their own.

Only click is imported at start-up; each command imports what it needs when it runs.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__

FORMAT_CHOICES = ("docx", "pdf", "both")
_file = click.Path(dir_okay=False, path_type=Path)


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn sopdocs' own exceptions into ``Error: …`` on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import SopdocsError

        try:
            return func(*args, **kwargs)
        except SopdocsError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def office_option(func: Callable[..., Any]) -> Callable[..., Any]:
    option = click.option("--office", type=_file, default=None,
                          help="Office profile (default: $SOPDOCS_OFFICE, ./sopdocs.yaml, sample).")
    return option(func)


def document_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every document command shares."""
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.option("--data", "data_file", type=_file, required=True,
                     help="The record: a YAML or JSON file."),
        click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                     default=Path("output"), show_default=True, help="Folder for the files."),
        click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="both",
                     show_default=True, help="Which files to write."),
        office_option,
        click.option("--konsep", is_flag=True,
                     help="Draft: no number, marked KONSEP, with paraf boxes."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def workspace(office: Path | None) -> Any:
    """Return the office workspace, printing the one-line notice when it is the sample."""
    from .office import find_office

    found, notice = find_office(office)
    if notice:
        click.echo(notice, err=True)
    return found


def make(kind: str, data_file: Path, out_dir: Path, fmt: str, office: Path | None,
         konsep: bool) -> None:
    """Make one document and print each written path on its own line."""
    from .inputs import read_data
    from .service import make_document

    data = read_data(data_file)
    made = make_document(kind, data, workspace(office), out_dir=out_dir, fmt=fmt, konsep=konsep,
                         source=str(data_file))
    for path in made.paths:
        click.echo(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sopdocs")
def cli() -> None:
    """Make the numbered paperwork of government SOPs as DOCX and PDF."""


@cli.command()
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Where to write sopdocs.yaml.")
@reports_errors
def init(folder: Path) -> None:
    """Write an editable office profile (sopdocs.yaml) and its logo."""
    from .office import init_profile

    for path in init_profile(folder):
        click.echo(path)


#: One command per document kind (the names of ``sopdocs.kinds.KINDS``; kept here so that
#: start-up does not import the records).
DOCUMENT_COMMANDS = {
    "nota-dinas": "Make a nota dinas (internal memo) from a record.",
    "disposisi": "Make a lembar disposisi (½ folio) for an incoming letter.",
    "berita-acara": "Make a berita acara between two parties.",
    "laporan": "Make a laporan (report, sections A-E).",
    "surat": "Make a surat dinas (outgoing letter).",
}


def document_command(kind: str, help_text: str) -> click.Command:
    """Return the command that makes documents of ``kind``."""

    @document_options
    @reports_errors
    def command(**options: Any) -> None:
        make(kind, **options)

    return click.command(kind, help=help_text)(command)


for _kind, _help in DOCUMENT_COMMANDS.items():
    cli.add_command(document_command(_kind, _help))


@cli.group()
def number() -> None:
    """The register of numbers taken."""


@number.command("list")
@click.option("--year", type=int, default=None, help="Only this year.")
@office_option
@reports_errors
def number_list(year: int | None, office: Path | None) -> None:
    """List every number taken, with its hal, status and files."""
    from .idn import tanggal
    from .registry import open_register

    for e in open_register(workspace(office).register_path).entries(year):
        status = f"batal: {e.void_reason}" if e.status == "batal" else e.status
        click.echo(f"{e.nomor}\t{tanggal(e.tanggal)}\t{e.kind}\t{e.hal}\t{status}")
        for f in e.files:
            click.echo(f"\t{f.path}\tsha256:{f.sha256}")


@number.command("void")
@click.argument("nomor")
@click.option("--reason", required=True, help="Why the number is cancelled.")
@office_option
@reports_errors
def number_void(nomor: str, reason: str, office: Path | None) -> None:
    """Mark a number void (batal); it is never given out again."""
    from .registry import open_register

    entry = open_register(workspace(office).register_path).void(nomor, reason)
    click.echo(f"{entry.nomor}\tbatal: {entry.void_reason}")


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="sopdocs")
    sys.exit(0)
