"""``sopdocs sign``, ``sopdocs verify`` and ``sopdocs keys new``: thin wrappers over
``sopdocs.signing``. A passphrase or PIN comes from a hidden prompt or the environment and
is handed to the library only; it is never printed or written."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from . import _file, cli, office_option, reports_errors, workspace

PASSPHRASE_ENV = "SOPDOCS_P12_PASSPHRASE"
PIN_ENV = "SOPDOCS_PKCS11_PIN"
_any_file = click.Path(dir_okay=False, path_type=Path)


def secret(env: str, prompt: str, confirm: bool = False) -> str:
    """The passphrase or PIN: from ``env`` when set, else asked for without echo."""
    value = os.environ.get(env)
    if value is None:
        value = click.prompt(prompt, hide_input=True, confirmation_prompt=confirm,
                             err=True)
    return value


def credentials_of(p12: Path | None, pkcs11: Path | None, key_label: str | None,
                   token_label: str | None = None) -> Any:
    """The signing key the options name: a PKCS#12 file or a key on a PKCS#11 token."""
    from ..signing import SigningError
    from ..signing.credentials import P12, Token

    if (p12 is None) == (pkcs11 is None):
        raise click.UsageError("give the key: --p12 CERT.p12, or --pkcs11 LIB --key-label L")
    key = pkcs11 if pkcs11 is not None else p12
    assert key is not None
    if not key.is_file():  # said before a passphrase is asked for a file that is not there
        raise SigningError(f"{key}: no such file", option="pkcs11" if pkcs11 else "p12")
    if pkcs11 is not None:
        if not key_label:
            raise click.UsageError("--pkcs11 needs --key-label (the key's label on the token)")
        return Token(pkcs11, key_label, secret(PIN_ENV, "Token PIN"), token_label)
    return P12(key, secret(PASSPHRASE_ENV, "Passphrase of the key file").encode("utf-8"))


#: The options that name the signing key; shared with the kind commands' ``--sign``.
key_options = [
    click.option("--p12", type=_any_file, default=None, help="The key: a PKCS#12 file."),
    click.option("--pkcs11", type=_any_file, default=None, metavar="LIB",
                 help="The key on a token: its PKCS#11 module (.so)."),
    click.option("--key-label", default=None, metavar="L", help="The key's label on the token."),
    click.option("--token-label", default=None, metavar="T",
                 help="Which token, when the module has several."),
    click.option("--tsa", default=None, metavar="URL",
                 help="RFC 3161 timestamp authority (PAdES B-T)."),
]


def with_key_options(func: Any) -> Any:
    for option in reversed(key_options):
        func = option(func)
    return func


def sign_made(ws: Any, paths: list[Path], credentials: Any, tsa: str | None) -> list[Path]:
    """Sign ``paths``, print each signed copy (warnings on stderr), return them."""
    from ..service import register_of
    from ..signing.pades import sign_files

    signed = sign_files(paths, credentials, register_of(ws), ws, tsa=tsa)
    for item in signed:
        echo_signed(item)
        if item.certified_by is None:
            click.echo(f"note: {item.path.name}: signed with a certificate that is not "
                       "certified (tidak tersertifikasi): internal integrity only", err=True)
    return [item.path for item in signed]


@cli.command()
@click.argument("files", nargs=-1, required=True, type=_any_file)
@with_key_options
@click.option("--bsre", default=None, metavar="URL",
              help="Sign through the office's BSrE esign-client service instead.")
@click.option("--nik", default=None, help="The signer's NIK at BSrE (with --bsre).")
@office_option
@reports_errors
def sign(files: tuple[Path, ...], p12: Path | None, pkcs11: Path | None,
         key_label: str | None, token_label: str | None, tsa: str | None, bsre: str | None,
         nik: str | None, office: Path | None) -> None:
    """Sign final PDFs (PAdES) and register the signed copies (X.ttd.pdf beside each)."""
    ws = workspace(office)
    if bsre is None:
        sign_made(ws, list(files), credentials_of(p12, pkcs11, key_label, token_label), tsa)
        return
    if p12 or pkcs11 or tsa or not nik:
        raise click.UsageError("--bsre URL needs --nik NIK and no --p12, --pkcs11 or --tsa")
    sign_through_bsre(ws, list(files), bsre, nik)


def sign_through_bsre(ws: Any, files: list[Path], url: str, nik: str) -> None:
    """``sign --bsre``: the passphrase from a prompt or $SOPDOCS_BSRE_PASSPHRASE, the
    service's client credentials from $SOPDOCS_BSRE_USER / $SOPDOCS_BSRE_PASSWORD."""
    from ..service import register_of
    from ..signing.bsre import Bsre, sign_with_bsre

    service = Bsre(url, nik, secret("SOPDOCS_BSRE_PASSPHRASE", "BSrE passphrase"),
                   os.environ.get("SOPDOCS_BSRE_USER", ""),
                   os.environ.get("SOPDOCS_BSRE_PASSWORD", ""))
    for item in sign_with_bsre(files, service, register_of(ws), ws):
        echo_signed(item)


def echo_signed(item: Any) -> None:
    """A signed copy's path on stdout, its warnings on stderr."""
    click.echo(item.path)
    for warning in item.warnings:
        click.echo(f"warning: {warning}", err=True)


@cli.command()
@click.argument("file", type=_any_file)
@office_option
@reports_errors
def verify(file: Path, office: Path | None) -> None:
    """Check a PDF: signatures, changes after signing, trust, the register (exit 1 if not OK)."""
    from ..service import register_of
    from ..signing.verify import verify_file

    ws = workspace(office)
    verdict = verify_file(file, register_of(ws), ws.certified_roots)
    for line in verdict.lines():
        click.echo(line)
    if not verdict.ok:
        sys.exit(1)


@cli.group()
def keys() -> None:
    """Signing keys of the office."""


@keys.command("new")
@click.option("--cn", required=True, help="The holder's name (an official or the office).")
@click.option("--out", "out", type=_file, required=True, help="The PKCS#12 file to write.")
@click.option("--org", default="", help="Organisation (default: the office's instansi).")
@click.option("--nip", default="", help="The holder's NIP, kept in the certificate.")
@office_option
@reports_errors
def keys_new(cn: str, out: Path, org: str, nip: str, office: Path | None) -> None:
    """Make a self-signed office certificate (tidak tersertifikasi) in a PKCS#12 file."""
    from ..signing.keys import WARNING, new_p12, write_p12

    if out.exists():
        raise click.UsageError(f"{out} already exists; sopdocs never overwrites a key file")
    organization = org or workspace(office).office.kop.instansi
    passphrase = secret(PASSPHRASE_ENV, "Passphrase for the new key file", confirm=True)
    click.echo(write_p12(out, new_p12(cn, passphrase.encode("utf-8"),
                                      organization=organization, nip=nip)))
    click.echo(f"warning: {WARNING}", err=True)
