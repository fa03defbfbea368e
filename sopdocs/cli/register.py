"""``sopdocs register …`` (which register, its schema, copying it) and ``number log``."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli, number, office_option, reports_errors, workspace


@cli.group()
def register() -> None:
    """The register: a SQLite file (default) or one PostgreSQL register for the office."""


@register.command("init")
@office_option
@reports_errors
def register_init(office: Path | None) -> None:
    """Create or migrate the register's schema."""
    from ..registry import SCHEMA_VERSION
    from ..service import open_workspace_register

    reg = open_workspace_register(workspace(office))
    before = reg.init()
    done = "created" if before == 0 else ("up to date" if before == SCHEMA_VERSION
                                          else f"migrated from version {before}")
    click.echo(f"{reg.location}: schema version {SCHEMA_VERSION} ({done})")


@register.command("info")
@office_option
@reports_errors
def register_info(office: Path | None) -> None:
    """Which register is in use: its schema version and row counts."""
    from ..service import open_workspace_register

    reg = open_workspace_register(workspace(office))
    version = reg.schema_version()
    click.echo(f"register\t{reg.location}")
    click.echo(f"backend\t{type(reg).__name__.removesuffix('Register').lower()}")
    click.echo(f"schema\t{'none yet' if version is None else version}")
    if version is not None:
        for table, count in reg.counts().items():
            click.echo(f"{table}\t{count}")


@register.command("copy")
@click.option("--to", "target", required=True, metavar="URL",
              help="The empty register to copy into (postgresql://…).")
@office_option
@reports_errors
def register_copy(target: str, office: Path | None) -> None:
    """Copy this register into an empty one, then check the copy."""
    from ..registry import open_register
    from ..registry.copy import copy_register
    from ..service import open_workspace_register, operator

    ws = workspace(office)
    source = open_workspace_register(ws)
    into = open_register(target, operator(ws))
    counts = copy_register(source, into)
    for table, count in counts.items():
        click.echo(f"{table}\t{count}")
    click.echo(f"copied {source.location} to {into.location}: counts and hashes match")


@number.command("log")
@click.argument("nomor")
@office_option
@reports_errors
def number_log(nomor: str, office: Path | None) -> None:
    """Who took, voided, archived … a number, and when."""
    from ..errors import RegisterError
    from ..service import register_of

    rows = register_of(workspace(office)).audit(nomor)
    if not rows:
        raise RegisterError(f"number {nomor!r} has no audit lines in the register")
    for row in rows:
        click.echo(f"{row.at.isoformat()}\t{row.who}\t{row.action}\t{row.nomor}\t"
                   f"{row.tahun}\t{row.detail}")


@number.command("reserve")
@click.option("--count", type=click.IntRange(1, 1000), required=True,
              help="How many numbers to reserve.")
@click.option("--year", type=int, default=None, help="Their year (default: this year).")
@click.option("--kode", default=None, help="Their kode klasifikasi (numbering per kode).")
@office_option
@reports_errors
def number_reserve(count: int, year: int | None, kode: str | None,
                   office: Path | None) -> None:
    """Take numbers from the shared register for working offline."""
    from ..service import desk_location, reserve_numbers

    ws = workspace(office)
    for nomor in reserve_numbers(ws, count, year, kode):
        click.echo(nomor)
    click.echo(f"offline, make documents with --register {desk_location(ws)}; "
               "then 'sopdocs register sync'", err=True)


@register.command("sync")
@office_option
@reports_errors
def register_sync(office: Path | None) -> None:
    """Send offline documents to the shared register; void unused."""
    from ..service import sync_desk

    sent, voided = sync_desk(workspace(office))
    for nomor in sent:
        click.echo(f"{nomor}\tsent")
    for nomor in voided:
        click.echo(f"{nomor}\tbatal")
    click.echo(f"{len(sent)} sent, {len(voided)} voided", err=True)
