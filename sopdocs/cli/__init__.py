"""The ``sopdocs`` command line: thin click wrappers over the library, no logic of their own.

Only click is imported at start-up; each command imports what it needs when it runs.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..kinds import help_line
from ..kinds import names as kind_names

FORMAT_CHOICES = ("docx", "pdf", "both")
_file = click.Path(dir_okay=False, path_type=Path)


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn sopdocs' own exceptions into ``Error: …`` on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import SopdocsError

        try:
            return func(*args, **kwargs)
        except SopdocsError as exc:
            flag = f" (--{exc.option.replace('_', '-')})" if exc.option else ""
            raise click.ClickException(f"{exc}{flag}") from None

    return wrapper


Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def stack(*options: Decorator) -> Decorator:
    """Combine click options into one decorator, so that each is defined once."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


office_option = click.option(
    "--office", type=_file, default=None,
    help="Office profile (default: $SOPDOCS_OFFICE, ./sopdocs.yaml, sample).")
#: --out and --format: every command that writes documents.
output_options = stack(
    click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                 default=Path("output"), show_default=True, help="Folder for the files."),
    click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="both",
                 show_default=True, help="Which files to write."),
)
#: The options every document command shares.
document_options = stack(
    click.option("--data", "data_file", type=_file, default=None,
                 help="The record: a YAML or JSON file."),
    output_options,
    office_option,
    click.option("--konsep", is_flag=True,
                 help="Draft: no number, marked KONSEP, with paraf boxes."),
    click.option("--sop", default=None, metavar="KEY",
                 help="Make it as the first step of this SOP that makes this kind."),
    click.option("--archive", "to_archive", is_flag=True,
                 help="Archive the final document (files, record, hashes)."),
    click.option("--tte", is_flag=True,
                 help="Lay the PDF out for an electronic signature (box, TTE footer)."),
    click.option("--sign", "sign_p12", type=_file, default=None, metavar="CERT.p12",
                 help="Sign the final PDF with this key (passphrase: prompt or "
                      "$SOPDOCS_P12_PASSPHRASE)."),
)


def workspace(office: Path | None) -> Any:
    """Return the office workspace, printing the one-line notice when it is the sample."""
    from ..office import find_office

    found, notice = find_office(office)
    if notice:
        click.echo(notice, err=True)
    if found.office.register_at:  # only then can the profile hold a password to warn of
        from ..service import register_notice

        if warning := register_notice(found):
            click.echo(warning, err=True)
    return found


def read_optional(data_file: Path | None) -> dict[str, Any]:
    """Return the data in ``--data FILE``, or nothing when the option is absent."""
    from ..errors import InputError
    from ..inputs import read_data

    if data_file is None:
        return {}
    data = read_data(data_file)
    if not isinstance(data, dict):
        raise InputError(f"{data_file}: expected a mapping of fields, got {type(data).__name__}")
    return data


def echo_paths(made: Any) -> None:
    """Each written path on stdout; each warning about a document on stderr."""
    for item in made:
        for path in item.paths:
            click.echo(path)
        for warning in item.warnings:
            click.echo(f"warning: {warning}", err=True)


def make(kind: str, data_file: Path | None, out_dir: Path, fmt: str, office: Path | None,
         konsep: bool, sop: str | None, to_archive: bool, tte: bool = False,
         sign_p12: Path | None = None) -> None:
    """Make one document (from a record, or from the first step of an SOP that makes this
    kind) and print each written path on its own line; sign and archive it if asked."""
    if to_archive and konsep:
        raise click.UsageError("only a final document can be archived (drop --konsep)")
    if sign_p12 and konsep:
        raise click.UsageError("only a final document can be signed (drop --konsep)")
    if sign_p12 and fmt == "docx":
        raise click.UsageError("--sign signs the PDF: use --format pdf or both")
    if sop is None and data_file is None:
        raise click.UsageError("give --data FILE (the record) or --sop KEY (an SOP step)")
    data = read_optional(data_file)
    ws = workspace(office)
    key = signing_key(sign_p12)
    if key is not None and sop is None:  # a key of someone else takes no number
        from ..service import facts_of
        from ..signing.pades import check_holder_signs

        check_holder_signs(facts_of(kind, data, ws, str(data_file)), key[1])
    with electronic_layout(ws, tte):
        if sop is not None:
            from ..sop.steps import run_first_step_making

            made = run_first_step_making(ws, sop, kind, data, out_dir=out_dir, fmt=fmt).made
        else:
            from ..service import make_document

            made = (make_document(kind, data, ws, out_dir=out_dir, fmt=fmt, konsep=konsep,
                                  source=str(data_file)),)
    echo_paths(made)
    if key is not None:
        from .signing import sign_made

        sign_made(ws, [p for item in made if item.nomor for p in item.paths
                       if p.suffix == ".pdf"], key[0], None)
    if to_archive:
        archive_made_documents(ws, made)


def signing_key(p12: Path | None) -> tuple[Any, Any] | None:
    """The key of ``--sign`` and its certificate, opened once before anything is made: a
    wrong passphrase takes no number."""
    if p12 is None:
        return None
    from ..signing.credentials import check
    from .signing import credentials_of

    credentials = credentials_of(p12, None, None)
    return credentials, check(credentials)


def electronic_layout(ws: Any, tte: bool) -> contextlib.AbstractContextManager[None]:
    """``--tte``: render the electronic-signature variant of the signature block."""
    if not tte:
        return contextlib.nullcontext()
    from ..render.ttd import electronic

    return electronic(ws.office.tte.footer)


def archive_made_documents(ws: Any, made: Any) -> None:
    """Archive the final documents just made and print the archive's files."""
    from ..archive import archive_made, archive_root

    for item in made:
        if item.nomor is not None:
            archived = archive_made(ws, item.paths)
            for f in archived.files:
                click.echo(archive_root(ws) / f.path)


def use_register(location: str | None) -> None:
    """``--register``: name the register for this run (as $SOPDOCS_REGISTER would)."""
    if location:
        import os

        os.environ["SOPDOCS_REGISTER"] = location


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True)
@click.version_option(__version__, prog_name="sopdocs")
@click.option("--register", metavar="URL", default=None, expose_value=False,
              callback=lambda ctx, param, value: use_register(value),
              help="The register: a SQLite file or postgresql://… (default: "
                   "$SOPDOCS_REGISTER, the profile's register:, ./sopdocs.db).")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Make the numbered paperwork of government SOPs as DOCX and PDF."""
    if ctx.invoked_subcommand is None:  # `sopdocs` alone: the help, and no error
        click.echo(ctx.get_help())


@cli.command()
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Where to write sopdocs.yaml.")
@reports_errors
def init(folder: Path) -> None:
    """Write an editable office profile (sopdocs.yaml) and its logo."""
    from ..office import init_profile

    for path in init_profile(folder):
        click.echo(path)


def document_command(kind: str, help_text: str) -> click.Command:
    """Return the command that makes documents of ``kind``."""

    @document_options
    @reports_errors
    def command(**options: Any) -> None:
        make(kind, **options)

    return click.command(kind, help=help_text)(command)


def xlsx_name(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """Refuse an output name that promises another format (``rekap.csv``)."""
    if value.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{value.name}: the recap is an Excel workbook; give a name "
                                 "ending in .xlsx")
    return value


#: Exit code of a batch that made its sheets but rejected some rows.
PARTIAL = 3


#: The options of ``disposisi --batch``.
batch_options = stack(
    click.option("--batch", "agenda", type=_file, default=None,
                 help="Agenda of incoming letters (XLSX or CSV): one sheet per row."),
    click.option("--sheet", default=None, help="Worksheet of the XLSX (default: active)."),
    click.option("--per-page", type=click.IntRange(1, 2), default=1, show_default=True,
                 help="Sheets per page: 1 (½ folio pages) or 2 (F4/A4, cut line)."),
    click.option("--docx", is_flag=True, help="Also write one merged DOCX."),
    click.option("--strict", is_flag=True,
                 help="Any bad row stops everything: nothing numbered or written."),
    click.option("--duplex", is_flag=True, help="Blank back pages for duplex printers."),
    click.option("--oleh", default="kepala-dinas", show_default=True, metavar="ROLE",
                 help="Who disposes the letters (the sheets go to them)."),
)


def run_disposisi_batch(agenda: Path, options: dict[str, Any], batch_opts: dict[str, Any]
                        ) -> None:
    """Run a batch, print the files written, and a summary with every rejected row on stderr."""
    from ..batch import run_batch

    ws = workspace(options["office"])
    with progress_bar("lembar disposisi") as progress:
        result = run_batch(agenda, ws, out_dir=options["out_dir"], progress=progress,
                           **batch_opts)
    for path in result.paths:
        click.echo(path)
    for line in result.report():
        click.echo(line, err=True)
    if result.rejected:
        sys.exit(PARTIAL)


@contextlib.contextmanager
def progress_bar(label: str, least: int = 200
                 ) -> Iterator[Callable[[int], Callable[[int], None]]]:
    """Yield ``progress(total)``, which starts a bar on stderr for long jobs (``least`` steps
    or more) and returns the function that advances it; the bar is finished on the way out."""
    bars: list[Any] = []

    def start(total: int) -> Callable[[int], None]:
        if total < least or not sys.stderr.isatty():  # a moment, or a log: no bar
            return lambda n: None
        bars.append(click.progressbar(length=total, label=label, file=sys.stderr))
        return bars[0].update

    try:
        yield start
    finally:
        for bar in bars:
            bar.render_finish()


def disposisi_command() -> click.Command:
    """``disposisi``: one lembar from a record, or a whole agenda with ``--batch``."""

    @document_options
    @batch_options
    @reports_errors
    def command(agenda: Path | None, sheet: str | None, per_page: int, docx: bool,
                strict: bool, duplex: bool, oleh: str, **options: Any) -> None:
        if agenda is None:
            make("disposisi", **options)
            return
        clash = [f"--{name.removeprefix('to_').replace('_file', '')}" for name in
                 ("data_file", "sop", "konsep", "to_archive") if options[name]]
        if clash:
            raise click.UsageError(f"--batch cannot be combined with {', '.join(clash)}")
        run_disposisi_batch(agenda, options, {"sheet": sheet, "per_page": per_page,
                                              "docx": docx, "strict": strict,
                                              "duplex": duplex, "oleh": oleh})

    return click.command("disposisi", help=help_line("disposisi") + (
        " With --batch, one lembar per row of an agenda (XLSX or CSV) in one PDF."))(command)


#: One command per document kind: the modules of ``sopdocs.kinds``, listed without being
#: imported, so that start-up stays fast.
for _kind in kind_names():
    cli.add_command(disposisi_command() if _kind == "disposisi"
                    else document_command(_kind, help_line(_kind)))


@cli.group()
def number() -> None:
    """The register of numbers taken."""


@number.command("list")
@click.option("--year", type=int, default=None, help="Only this year.")
@office_option
@reports_errors
def number_list(year: int | None, office: Path | None) -> None:
    """List every number taken: date, kind, hal, signer, status, and its files."""
    from ..service import number_lines

    for line in number_lines(workspace(office), year):
        click.echo(line)


@number.command("void")
@click.argument("nomor")
@click.option("--reason", required=True, help="Why the number is cancelled.")
@click.option("--year", type=int, default=None,
              help="The year, when the pattern repeats a number in other years.")
@office_option
@reports_errors
def number_void(nomor: str, reason: str, year: int | None, office: Path | None) -> None:
    """Mark a number void (batal); it is never given out again."""
    from ..service import register_of

    entry = register_of(workspace(office)).void(nomor, reason, year)
    click.echo(f"{entry.nomor}\tbatal: {entry.void_reason}")


@cli.group()
def sop() -> None:
    """The SOP catalogue."""


@sop.command("list")
@office_option
@reports_errors
def sop_list(office: Path | None) -> None:
    """List the SOPs: key, steps, number, name."""
    from ..sop.catalogue import catalogue

    for key, item in sorted(catalogue(workspace(office)).items()):
        click.echo(f"{key}\t{len(item.langkah)} langkah\t{item.nomor or '-'}\t{item.nama}")


@sop.command("show")
@click.argument("key")
@office_option
@reports_errors
def sop_show(key: str, office: Path | None) -> None:
    """Show an SOP's steps: actor, time, output, document."""
    from ..sop.catalogue import catalogue, sop_lines, sop_of

    for line in sop_lines(sop_of(catalogue(workspace(office)), key)):
        click.echo(line)


@sop.command("form")
@click.argument("key")
@output_options
@office_option
@reports_errors
def sop_form(key: str, out_dir: Path, fmt: str, office: Path | None) -> None:
    """Write the SOP form itself (identity page and flowchart) as DOCX and PDF."""
    from ..sop.catalogue import catalogue, sop_of
    from ..sop.form import render_sop_form
    from ..sop.form_docx import render_sop_form_docx
    from ..store import file_group, safe_name

    ws = workspace(office)
    item = sop_of(catalogue(ws), key)
    name = safe_name(f"SOP_{item.kunci}")
    with file_group() as files:
        if fmt in ("docx", "both"):
            click.echo(files.write(out_dir, name, ".docx", render_sop_form_docx(item, ws)))
        if fmt in ("pdf", "both"):
            click.echo(files.write(out_dir, name, ".pdf", render_sop_form(item, ws)))


@cli.command()
@click.argument("key")
@click.argument("no", type=int)
@click.option("--case", "case_id", default=None, metavar="ID", help="Record the step in this case.")
@click.option("--data", "data_file", type=_file, default=None,
              help="Fields to override, and facts under 'fakta:' (YAML or JSON).")
@click.option("--decision", type=click.Choice(["ya", "tidak"]), default=None,
              help="The answer of a decision step.")
@click.option("--force", is_flag=True,
              help="Do the step in the case although it is not the case's next step.")
@click.option("--reason", default=None, metavar="TEXT",
              help="Why the step is forced out of order (required with --force; recorded).")
@output_options
@office_option
@reports_errors
def step(key: str, no: int, case_id: str | None, data_file: Path | None, decision: str | None,
         force: bool, reason: str | None, out_dir: Path, fmt: str, office: Path | None) -> None:
    """Make exactly what step NO of SOP KEY requires."""
    from ..sop.catalogue import catalogue, sop_of
    from ..sop.steps import run_step

    ws = workspace(office)
    result = run_step(ws, sop_of(catalogue(ws), key), no, decision=decision,
                      data=read_optional(data_file), case_id=case_id, out_dir=out_dir, fmt=fmt,
                      force=force, reason=reason)
    echo_paths(result.made)
    if result.case is not None:
        where = (f"next: step {result.case.next_step}" if result.case.next_step
                 else "the case is closed")
        forced = " (forced out of order)" if result.case.steps[-1].forced else ""
        click.echo(f"{result.case.id}: step {no} recorded{forced}; {where}", err=True)


@cli.group()
def case() -> None:
    """Cases: one run of an SOP, carried through its steps."""


@case.command("new")
@click.argument("key")
@click.option("--data", "data_file", type=_file, default=None,
              help="The facts of the case (YAML or JSON).")
@office_option
@reports_errors
def case_new(key: str, data_file: Path | None, office: Path | None) -> None:
    """Open a case of SOP KEY and print its id."""
    from ..sop.catalogue import catalogue, sop_of
    from ..sop.steps import open_case

    ws = workspace(office)
    click.echo(open_case(ws, sop_of(catalogue(ws), key), read_optional(data_file)).id)


@case.command("show")
@click.argument("case_id", metavar="ID")
@office_option
@reports_errors
def case_show(case_id: str, office: Path | None) -> None:
    """Show a case: steps done (when, which number), time against standard, next step."""
    from ..sop.cases import case_lines

    for line in case_lines(workspace(office), case_id):
        click.echo(line)


@case.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only cases still open.")
@click.option("--sop", "sop_key", default=None, metavar="KEY", help="Only cases of this SOP.")
@office_option
@reports_errors
def case_list(open_only: bool, sop_key: str | None, office: Path | None) -> None:
    """List cases: id, SOP, opened, status, next step."""
    from ..service import register_of

    for c in register_of(workspace(office)).cases(sop_key, open_only):
        status = f"open, next step {c.next_step}" if c.status == "buka" else "closed"
        click.echo(f"{c.id}\t{c.sop}\t{c.opened_at:%Y-%m-%d %H:%M}\t{status}")


@cli.group()
def archive() -> None:
    """The archive of final documents, with integrity checks."""


@archive.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@office_option
@reports_errors
def archive_add(files: tuple[Path, ...], office: Path | None) -> None:
    """Archive the documents these files (PDF/DOCX made by sopdocs) belong to."""
    from ..archive import archive_files, archive_root

    ws = workspace(office)
    for item in archive_files(ws, list(files)):
        for f in item.files:
            click.echo(archive_root(ws) / f.path)


@archive.command("list")
@click.option("--kind", type=click.Choice(kind_names()), default=None)
@click.option("--year", type=int, default=None)
@click.option("--search", default=None, help="Text in the number or hal.")
@office_option
@reports_errors
def archive_list(kind: str | None, year: int | None, search: str | None,
                 office: Path | None) -> None:
    """List archived documents: number, date, kind, hal, signer, files."""
    from ..archive import listing_lines

    for line in listing_lines(workspace(office), kind, year, search):
        click.echo(line)


@archive.command("verify")
@office_option
@reports_errors
def archive_verify(office: Path | None) -> None:
    """Re-hash the archive and its register's hash chain; report what is wrong (exit 1)."""
    from ..archive import verify_report

    lines, ok = verify_report(workspace(office))
    for line in lines[:-1]:
        click.echo(line)
    click.echo(lines[-1], err=True)
    if not ok:
        sys.exit(1)


@archive.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@office_option
@reports_errors
def archive_check(file: Path, office: Path | None) -> None:
    """Say whether FILE is an archived original (exit 1 if not)."""
    from ..archive import check
    from ..idn import tanggal

    found = check(workspace(office), file)
    if found is None:
        click.echo(f"{file}: NOT an archived original")
        sys.exit(1)
    click.echo(f"{file}: archived original of {found.kind} {found.nomor} "
               f"({tanggal(found.tanggal)}), archived {found.archived_at:%Y-%m-%d %H:%M}")


@cli.command()
@click.option("-o", "--output", "output", type=_file, required=True, callback=xlsx_name,
              help="The XLSX to write (never overwritten).")
@click.option("--year", type=int, default=None, help="Year (default: this year).")
@click.option("--month", type=click.IntRange(1, 12), default=None, help="Only this month.")
@click.option("--sop", "sop_key", default=None, metavar="KEY", help="Only this SOP's cases.")
@office_option
@reports_errors
def recap(output: Path, year: int | None, month: int | None, sop_key: str | None,
          office: Path | None) -> None:
    """Write the Excel recap: registers, agenda, monthly counts, SOP compliance, archive."""
    from datetime import date

    from ..recap import build_recap
    from ..store import atomic_write

    data = build_recap(workspace(office), year or date.today().year, month, sop_key)
    click.echo(atomic_write(output, data))


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="sopdocs")
    sys.exit(0)


# Command groups kept in their own modules; each attaches itself to ``cli``.
from . import monitoring, register, signing  # noqa: E402,F401
