"""Read input files (YAML or JSON) into plain data, with errors that say where a file is broken.

A record, an office profile or an SOP file is a few kilobytes; what is far beyond that is
refused with a message naming the file, before anything is built from it:

- a file larger than ``MAX_BYTES`` is not read past that size;
- lists and mappings nested deeper than ``MAX_DEPTH`` are refused: in YAML from the parser's
  events, before libyaml's composer (which recurses in C, and can crash the interpreter on
  ``[[[[…``) builds a tree; in JSON, whose parser recurses in Python, after it;
- YAML aliases may repeat a small part (an SOP file shares a paragraph between steps), but
  a document that expands to more than ``MAX_NODES`` values or ``MAX_EXPANDED_CHARS``
  characters of text is refused ("billion laughs": a few hundred bytes whose aliases make a
  billion values for whatever walks them: validation, an error message), and so is an alias
  to the node that contains it;
- a key given twice in one mapping is refused with its line, in YAML and in JSON (the
  parsers would silently keep the last).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .errors import InputError
from .idn import kutip

#: The largest input file read, in bytes (2 MB): a record is a few kilobytes, the largest
#: SOP file 15.
MAX_BYTES = 2_000_000
#: The deepest lists and mappings may nest; the built-in SOP files nest nine levels.
MAX_DEPTH = 32
#: The most values (scalars, lists, mappings) a YAML document may hold, aliases expanded.
MAX_NODES = 100_000
#: The most characters of text a YAML document may hold, aliases expanded: twice a file.
MAX_EXPANDED_CHARS = 2 * MAX_BYTES
#: The most digits a number written as a number may have (a NIP has 18): JSON's numbers,
#: YAML's ``!!int``.
MAX_DIGITS = 40

#: libyaml's parser when PyYAML has it (it does in the wheels): eight times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(Exception):
    """A limit of this module was passed, at ``mark`` (None: no position known)."""

    def __init__(self, problem: str, mark: Any = None):
        super().__init__(problem)
        self.problem = problem
        self.mark = mark


class _TextLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A YAML loader that keeps numbers, dates and yes/no words as the text that was typed.

    Plain YAML would read ``kode_klasifikasi: 500.10`` as the float 500.1, a NIP as an int and
    the key ``no:`` as ``False``; here the record's own types decide (``tanggal`` is parsed as
    a date, ``kode`` stays text, ``konsep: true`` becomes a bool because the field is one).
    """


def _construct_int(loader: Any, node: Any) -> int:
    """``!!int`` written out: refused past ``MAX_DIGITS`` (Python refuses 4,300 digits)."""
    if len(node.value) > MAX_DIGITS:
        raise _Refused(f"a number has {len(node.value):,} digits; write long codes as text",
                       node.start_mark)
    return int(SafeConstructor.construct_yaml_int(loader, node))


_TextLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                           "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Open:
    """A list or mapping being read: its anchor, the totals when it opened, and for a
    mapping the keys seen so far (with their marks) and whether a key comes next."""

    __slots__ = ("anchor", "chars", "key_next", "keys", "nodes")

    def __init__(self, anchor: str | None, nodes: int, chars: int, mapping: bool):
        self.anchor = anchor
        self.nodes = nodes
        self.chars = chars
        self.keys: dict[str, Any] | None = {} if mapping else None
        self.key_next = True


def _check_yaml(text: str) -> None:
    """Read the YAML's events (not its tree: libyaml's composer has no limits, and recurses
    in C) and refuse depth beyond ``MAX_DEPTH``, a document whose aliases expand to more
    than ``MAX_NODES`` values or ``MAX_EXPANDED_CHARS`` characters, an alias to the node that
    contains it, and a key given twice in one mapping (``<<`` merge keys aside). Malformed
    YAML is left to the loader to report."""
    parser = _TextLoader(text)
    stack: list[_Open] = []
    sizes: dict[str, tuple[int, int]] = {}  # what each finished anchored node expands to
    nodes = chars = 0
    try:
        while (event := parser.get_event()) is not None:
            kind = type(event)
            if kind is ScalarEvent or kind is AliasEvent:
                if kind is AliasEvent:
                    if event.anchor not in sizes:
                        if any(o.anchor == event.anchor for o in stack):
                            raise _Refused(f"the alias *{event.anchor} refers to a node that "
                                           "contains it", event.start_mark)
                        continue  # undefined: the loader says so
                    grown = sizes[event.anchor]
                else:
                    grown = (1, len(event.value))
                    if event.anchor is not None:
                        sizes[event.anchor] = grown
                nodes, chars = nodes + grown[0], chars + grown[1]
                if nodes > MAX_NODES or chars > MAX_EXPANDED_CHARS:
                    raise _Refused(_too_much(event.anchor if kind is AliasEvent else None),
                                   event.start_mark)
                if stack and (top := stack[-1]).keys is not None:
                    if top.key_next and kind is ScalarEvent and not (
                            event.value == "<<" and event.implicit[0]):
                        if event.value in top.keys:
                            first = top.keys[event.value].line + 1
                            raise _Refused(f"the key {kutip(event.value)} is given twice "
                                           f"(first on line {first}); say it once",
                                           event.start_mark)
                        top.keys[event.value] = event.start_mark
                    top.key_next = not top.key_next
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if stack and stack[-1].keys is not None:
                    stack[-1].key_next = not stack[-1].key_next
                nodes += 1
                stack.append(_Open(event.anchor, nodes - 1, chars, kind is MappingStartEvent))
                if len(stack) > MAX_DEPTH:
                    raise _Refused(f"lists and mappings are nested more than {MAX_DEPTH} "
                                   "levels deep", event.start_mark)
                if nodes > MAX_NODES:
                    raise _Refused(_too_much(None), event.start_mark)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                done = stack.pop()
                if done.anchor is not None:
                    sizes[done.anchor] = (nodes - done.nodes, chars - done.chars)
    finally:
        parser.dispose()


def _too_much(alias: str | None) -> str:
    if alias is not None:
        return (f"the alias *{alias} makes the document expand to more than {MAX_NODES:,} "
                f"values or {MAX_EXPANDED_CHARS:,} characters; no record needs so many "
                "(is it a billion-laughs file?)")
    return (f"the document holds more than {MAX_NODES:,} values or {MAX_EXPANDED_CHARS:,} "
            "characters; no record needs so many")


def _where(mark: Any) -> str:
    return f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""


def _too_big(source: str, size: int | None = None) -> InputError:
    given = f" ({size:,} bytes)" if size else ""
    return InputError(f"{source}: the file is larger than {MAX_BYTES:,} bytes{given}; sopdocs "
                      "reads records, office profiles and SOP files up to 2 MB")


def parse_yaml(text: str, source: str) -> Any:
    """Return the data in a YAML text; raise InputError with the line and column of a mistake,
    or of the place where the text passes a limit of this module (size, depth, aliases, a key
    given twice)."""
    if len(text) > MAX_BYTES:
        raise _too_big(source, len(text.encode("utf-8", "surrogatepass")))
    try:
        _check_yaml(text)
        return yaml.load(text, Loader=_TextLoader)
    except _Refused as exc:
        raise InputError(f"{source}:{_where(exc.mark)} {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        raise InputError(f"{source}:{_where(exc.problem_mark)} not valid YAML: "
                         f"{exc.problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: not valid YAML: {exc}") from None
    except (ValueError, TypeError, OverflowError) as exc:  # a tagged value (!!int 9999…)
        raise InputError(f"{source}: not valid YAML: {kutip(str(exc), 120)}") from None


#: JSON's strings (keys when a colon follows) and brackets, for the checks of ``_check_json``.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?|[\[\]{}]')


def _check_json(text: str) -> None:
    """Refuse JSON nested deeper than ``MAX_DEPTH`` or with a key given twice in an object,
    with the line. Run on JSON the parser accepted (or refused for a key given twice), where
    every token is what it seems."""
    stack: list[dict[str, int] | None] = []
    for m in _JSON_TOKEN.finditer(text):
        token = m[0]
        if token in ("[", "{"):
            stack.append({} if token == "{" else None)
            if len(stack) > MAX_DEPTH:
                raise _Refused(f"line {text.count(chr(10), 0, m.start()) + 1}: arrays and "
                               f"objects are nested more than {MAX_DEPTH} levels deep")
        elif token in ("]", "}"):
            if stack:
                stack.pop()
        elif m[1] and stack and stack[-1] is not None:
            try:
                key = json.loads(token[: -len(m[1])])
            except ValueError:
                continue
            keys = stack[-1]
            if key in keys:
                line = text.count("\n", 0, m.start()) + 1
                first = text.count("\n", 0, keys[key]) + 1
                raise _Refused(f"line {line}: the key {kutip(key)} is given twice (first on "
                               f"line {first}); say it once")
            keys[key] = m.start()


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number has {len(digits):,} digits; write long codes as text, "
                       "in quotes")
    return int(digits)


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:  # _check_json names the line; this is a second guard
            raise _Refused(f"the key {kutip(key)} is given twice; say it once")
        found[key] = value
    return found


def parse_json(text: str, source: str) -> Any:
    """Return the data in a JSON text; raise InputError with the line and column of a mistake,
    or where the text passes a limit of this module (size, depth, a key given twice)."""
    if len(text) > MAX_BYTES:
        raise _too_big(source, len(text.encode("utf-8", "surrogatepass")))
    try:
        data = json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int)
        _check_json(text)  # valid JSON now: its tokens are what they seem
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputError(f"{source}: arrays and objects are nested more than {MAX_DEPTH} "
                         "levels deep") from None
    except _Refused as refused:
        problem = refused.problem
        try:  # a key given twice: find its line
            _check_json(text)
        except _Refused as located:
            problem = located.problem
        raise InputError(f"{source}: {problem}") from None
    except ValueError as exc:
        raise InputError(f"{source}: not valid JSON: {kutip(str(exc), 120)}") from None
    return data


def read_data(path: Path) -> Any:
    """Return the data in a ``.yaml``/``.yml``/``.json`` file; raise InputError when the file is
    missing, unreadable, larger than ``MAX_BYTES`` or malformed (with line and column), or
    passes a limit of ``parse_yaml`` / ``parse_json``."""
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))


def read_text(path: Path) -> str:
    """Return a UTF-8 text file of at most ``MAX_BYTES``; raise InputError otherwise."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)  # never more: the file may be a device or a FIFO
            if len(raw) > MAX_BYTES:
                size = path.stat().st_size
                raise _too_big(str(path), size if size > MAX_BYTES else None)
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file (save it as UTF-8)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return text
