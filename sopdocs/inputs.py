"""Read input files (YAML or JSON) into plain data, with errors that say where a file is broken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

#: libyaml's parser when PyYAML has it (it does in the wheels): eight times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A YAML loader that keeps numbers, dates and yes/no words as the text that was typed.

    Plain YAML would read ``kode_klasifikasi: 500.10`` as the float 500.1, a NIP as an int and
    the key ``no:`` as ``False``; here the record's own types decide (``tanggal`` is parsed as
    a date, ``kode`` stays text, ``konsep: true`` becomes a bool because the field is one).
    """


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                           "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, source: str) -> Any:
    """Return the data in a YAML text; raise InputError with the line and column of a mistake."""
    try:
        return yaml.load(text, Loader=_TextLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(f"{source}:{where}: not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: not valid YAML: {exc}") from None


def read_data(path: Path) -> Any:
    """Return the data in a ``.yaml``/``.yml``/``.json`` file; raise InputError when the file is
    missing, unreadable or malformed (JSON errors give line and column too)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file (save it as UTF-8)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"
            ) from None
    return parse_yaml(text, str(path))
