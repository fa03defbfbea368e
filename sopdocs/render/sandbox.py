"""The Jinja sandbox every DOCX template renders in.

A template file is an office's, edited in Word by anyone: its contents are untrusted, and so
is the record it prints. So the sandbox gives a template plain data and nothing else:

- the context holds only ``str``, ``int``, ``float``, ``bool``, ``None``, lists and dicts
  (``plain`` converts the view and refuses anything else), so there is no Python object to
  climb from (``{{ kop.logo.image.tpl.docx.save(…) }}`` finds a string);
- an attribute of plain data is one of a short list of harmless methods (``upper``,
  ``split``, ``items`` …; no ``format``, ``center``, ``append``), names starting with ``_``
  never, and the filters are a whitelist (no ``safe``, ``format``, ``attr``, ``center``,
  ``random``…); the only global is ``range``, capped;
- ``{% autoescape %}``, ``{% include %}``, ``{% import %}`` and ``{% extends %}`` are refused
  when the template is compiled: escaping stays on, and a template is one file;
- every way of making work or memory is bounded: numbers (``10**10**10``), texts and lists
  made by operators, filters and ``~``, ``range()``, loop iterations and calls together (so
  nested loops and recursive macros end), a wall-clock deadline as the last resort, and the
  size of the output. Going past a bound raises ``LimitError``, a Jinja error the renderer
  reports as a TemplateError naming the template.

Jinja's own sandbox stops attribute escapes but not resource exhaustion; the bounds here are
what it leaves to its users ("other exceptions may occur during the rendering").
"""

from __future__ import annotations

import importlib.util
import marshal
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from functools import cache
from itertools import chain
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import StrictUndefined, Template, nodes, pass_context
from jinja2.exceptions import SecurityError, TemplateRuntimeError, TemplateSyntaxError
from jinja2.runtime import Context, LoopContext, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from .. import cache as kept

#: Characters of one text a template makes (by ``~``, ``+``, ``*``, a filter or a method).
MAX_TEXT = 1_000_000
#: Numbers a template computes stay below this (a document prints no bigger number).
MAX_NUMBER = 10**18
#: Numbers in one ``range()``.
MAX_RANGE = 10_000
#: Loop iterations and calls of one render, beyond ``STEPS_PER_VALUE`` per context value.
BASE_STEPS = 200_000
STEPS_PER_VALUE = 20
#: Characters of output of one render, beyond ``OUTPUT_PER_VALUE`` per context value.
BASE_OUTPUT = 32_000_000
OUTPUT_PER_VALUE = 2_000
#: Seconds one render may take, beyond a second per 20,000 context values.
BASE_SECONDS = 20.0

PLAIN_SCALARS = str | int | float | bool | None

#: What a template may read of a ``loop``.
LOOP_ATTRIBUTES = frozenset({
    "index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
    "previtem", "nextitem", "cycle", "changed"})

#: Methods of plain data a template may call: they read, and make nothing bigger than the
#: value they are called on.
METHODS: dict[type, frozenset[str]] = {
    str: frozenset({
        "capitalize", "casefold", "count", "endswith", "find", "isalnum", "isalpha",
        "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper",
        "lower", "lstrip", "rfind", "rsplit", "rstrip", "split", "splitlines", "startswith",
        "strip", "title", "upper"}),
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
}

#: The filters a template may use; none of them makes more than it is given (``join`` and
#: ``replace`` are checked before they run).
FILTERS = frozenset({
    "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first",
    "float", "groupby", "int", "items", "join", "last", "length", "list", "lower", "map",
    "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "select",
    "selectattr", "sort", "string", "striptags", "title", "trim", "truncate", "unique",
    "upper", "wordcount"})

#: Statements a template may not hold (what they would do, for the message).
REFUSED: dict[type[nodes.Node], str] = {
    nodes.EvalContextModifier: "{% autoescape %} (escaping stays on)",
    nodes.Extends: "{% extends %} (a template is one file)",
    nodes.Include: "{% include %} (a template is one file)",
    nodes.Import: "{% import %} (a template is one file)",
    nodes.FromImport: "{% from … import %} (a template is one file)",
}


class LimitError(SecurityError):
    """Raised when a template goes past a bound of the sandbox (a number, a text or a list
    too big, too many loop iterations, too much output, too long)."""


class PlainDataError(TypeError):
    """Raised when a view holds something other than plain data (a bug of sopdocs, not of
    the template)."""


_NUMBERS = frozenset({int, float, bool, type(None)})


class PlainData:
    """A view as plain data, measured: ``data`` holds dicts with text keys, lists (tuples
    become lists) and str/int/float/bool/None (subclasses such as enums become the base
    value); ``values`` counts them, ``sizes`` has the size of each list and dict by its id
    (see ``Sandbox.size``; the ids stay theirs as long as ``data`` is alive and unchanged). A
    list or dict met twice is converted once, so shared parts stay shared. Raises
    PlainDataError naming the path of anything else."""

    def __init__(self, value: Any, path: str = "view"):
        self.values = 0
        self.sizes: dict[int, int] = {}
        self._seen: dict[int, Any] = {}  # id of a list or dict of the view → its copy
        self.data, self.size = self._convert(value, path)

    def _convert(self, v: Any, where: str) -> tuple[Any, int]:
        """Return ``v`` as plain data, and its size."""
        kind = type(v)
        if kind is str:
            return v, len(v)
        if kind in _NUMBERS:
            return v, 1
        known = self._seen.get(id(v))
        if known is not None:
            return known, self.sizes[id(known)]
        out: Any
        size = 1
        if isinstance(v, dict):
            out = {}
            for key, item in v.items():
                if type(key) is not str:
                    if not isinstance(key, str):
                        raise PlainDataError(f"{where}: key {key!r} is not a text")
                    key = str.__str__(key)
                kind = type(item)
                if kind is str:
                    out[key] = item
                    size += len(item) + len(key)
                elif kind in _NUMBERS:
                    out[key] = item
                    size += 1 + len(key)
                else:
                    out[key], n = self._convert(item, f"{where}.{key}")
                    size += n + len(key)
        elif isinstance(v, list | tuple):
            out = []
            append = out.append
            for i, item in enumerate(v):
                kind = type(item)
                if kind is str:
                    append(item)
                    size += len(item)
                elif kind in _NUMBERS:
                    append(item)
                    size += 1
                else:
                    value, n = self._convert(item, f"{where}[{i}]")
                    append(value)
                    size += n
        elif isinstance(v, str):
            return str.__str__(v), len(v)
        elif isinstance(v, bool | int | float):
            return (bool if isinstance(v, bool) else int if isinstance(v, int) else float)(v), 1
        else:
            raise PlainDataError(f"{where}: a {type(v).__name__} is not plain data")
        self.values += len(out) + 1
        self._seen[id(v)] = out
        self.sizes[id(out)] = size
        return out, size


def plain(value: Any, path: str = "view") -> Any:
    """``value`` as plain data (see PlainData)."""
    return PlainData(value, path).data


#: The filters the rewritten template calls (names no template can write: they hold "-").
LOOP_HOOK, VALUE_HOOK = "sandbox-loop", "sandbox-value"


class _Guard(NodeTransformer):
    """Rewrites a parsed template before it is compiled: every ``for`` iterates through the
    sandbox's step counter, every ``~`` and literal list, tuple or dict is measured, and the
    refused statements raise."""

    def __init__(self, name: str | None):
        self.name = name

    def generic_visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> nodes.Node:
        for refused, what in REFUSED.items():
            if isinstance(node, refused):
                raise TemplateSyntaxError(f"{what} is not allowed", node.lineno, self.name)
        return super().generic_visit(node, *args, **kwargs)

    @staticmethod
    def _wrap(hook: str, node: nodes.Node) -> nodes.Filter:
        # a filter is called directly, where a call goes through Sandbox.call
        return nodes.Filter(node, hook, [], [], None, None, lineno=node.lineno)

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = self._wrap(LOOP_HOOK, node.iter)
        return node

    def _measured(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":  # a tuple of loop or set targets
            return node
        return self._wrap(VALUE_HOOK, node)

    visit_Concat = visit_List = visit_Dict = visit_Tuple = _measured


class _Template(Template):
    """A template whose output is counted as it is made (``render`` would join it first)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        env = self.environment
        assert isinstance(env, Sandbox)
        ctx = self.new_context(dict(*args, **kwargs))
        parts: list[str] = []
        append, left = parts.append, env.output_left
        try:
            for chunk in self.root_render_func(ctx):
                left -= len(chunk)
                if left < 0:
                    raise LimitError("the template makes too much output")
                append(chunk)
        except Exception:
            env.handle_exception()
        env.output_left = left
        return "".join(parts)


#: Template parts compiled in earlier runs (``sopdocs.cache``).
COMPILED = kept.Store("jinja")


@cache
def compiler_stamp() -> str | None:
    """What a template's compiled code depends on besides its source: this module (the
    rewrite of ``_Guard``, the environment's options), Jinja's version, Python's bytecode
    format and optimisation level. None when this module's source cannot be read: then
    nothing compiled is kept."""
    try:
        own = Path(__file__).read_bytes()
    except OSError:
        return None
    return kept.key(own, jinja2.__version__, importlib.util.MAGIC_NUMBER,
                    str(sys.flags.optimize))


class Sandbox(ImmutableSandboxedEnvironment):
    """The environment every template renders in (see the module docstring), made for one
    render: its bounds grow with the ``context`` it will be given (a batch of 1,000 sheets
    loops and prints more than one nota dinas)."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    template_class = _Template

    def __init__(self, view: dict[str, Any] | None = None):
        super().__init__(undefined=StrictUndefined, autoescape=True, finalize=self._finalize)
        self.globals = {"range": self._range}
        self.filters = {name: self._checked(name, f) for name, f in self.filters.items()
                        if name in FILTERS}
        # pass_context: never called at compile time to fold a constant
        self.filters[LOOP_HOOK] = pass_context(lambda _, items: self.guarded_loop(items))
        self.filters[VALUE_HOOK] = pass_context(lambda _, value: self.guarded_value(value))
        measured = PlainData(view or {})
        #: the context to render with: the view as plain data
        self.context: dict[str, Any] = measured.data
        #: sizes of the context's lists and dicts by id (the context is never changed)
        self._sizes = measured.sizes
        self.max_size = MAX_TEXT + measured.size
        self.steps_left = BASE_STEPS + STEPS_PER_VALUE * measured.values
        self.output_left = BASE_OUTPUT + OUTPUT_PER_VALUE * measured.values
        self.deadline = time.monotonic() + BASE_SECONDS + measured.values / 20_000

    # --- what a template may reach --------------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Plain data: the harmless methods of METHODS; a loop: its documented attributes;
        anything else (generators, ranges, macros …): nothing."""
        for kind, allowed in METHODS.items():
            if isinstance(obj, kind):
                return attr in allowed
        return isinstance(obj, LoopContext) and attr in LOOP_ATTRIBUTES

    def wrap_str_format(self, value: Any) -> None:
        """``str.format`` is not offered at all (a width of 10**9 would fill the memory)."""
        return None

    def _finalize(self, value: Any) -> Any:
        """What ``{{ … }}`` prints: text and numbers only (a list would print as Python)."""
        if type(value) is str or isinstance(value, PLAIN_SCALARS | Undefined):
            return value
        raise LimitError(f"{{{{ … }}}} prints text and numbers, not a {type(value).__name__}")

    def _range(self, *args: Any) -> range:
        numbers = range(*args)
        try:
            count = len(numbers)
        except OverflowError:
            count = MAX_RANGE + 1
        if count > MAX_RANGE:
            raise LimitError(f"range() of more than {MAX_RANGE:,} numbers")
        return numbers

    # --- bounds ---------------------------------------------------------------------------

    def step(self) -> None:
        """Count a loop iteration or a call; past the budget or the deadline, stop."""
        self.steps_left -= 1
        if self.steps_left < 0:
            raise LimitError("too many loop iterations and calls")
        if self.steps_left % 1024 == 0 and time.monotonic() > self.deadline:
            raise LimitError("the template takes too long to render")

    def guarded_loop(self, iterable: Any) -> Iterator[Any]:
        """What every ``for`` iterates: the same items, each one a step."""
        for item in iterable:
            self.step()
            yield item

    def size(self, value: Any) -> int:
        """Characters of a text; of a list or dict, 1 plus the sizes of what it holds (a
        list made by a template is measured only up to ``max_size``)."""
        if isinstance(value, str):
            return len(value)
        if not isinstance(value, list | tuple | dict):
            return 1
        known = self._sizes.get(id(value))
        if known is not None:
            return known
        total = 1
        for part in (chain.from_iterable(value.items()) if isinstance(value, dict) else value):
            total += self.size(part)
            if total > self.max_size:
                break
        return total

    def guarded_value(self, value: Any) -> Any:
        """``value`` (a text or list a template made), unless it is too big."""
        if self.size(value) > self.max_size:
            raise LimitError(f"a text or list of more than {self.max_size:,} characters")
        return value

    def concat(self, parts: Iterable[str]) -> str:
        """Join the output of a block (``{% set %}`` blocks, macros, ``caller()``)."""
        return str(self.guarded_value("".join(parts)))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.step()
        numbers = all(isinstance(x, int | float) for x in (left, right))
        if numbers and operator == "**" and abs(left) > 1 and right > 0 and \
                right * math.log10(abs(left)) >= math.log10(MAX_NUMBER):
            raise LimitError(f"a number of {MAX_NUMBER:.0e} or more")
        if operator == "*" and not numbers:
            times, seq = (right, left) if isinstance(right, int) else (left, right)
            if isinstance(times, int) and self.size(seq) * max(times, 0) > self.max_size:
                raise LimitError(f"a text or list of more than {self.max_size:,} characters")
        if operator == "%" and isinstance(left, str):
            raise LimitError("formatting text with % is not allowed (join texts with ~)")
        try:
            result = self.binop_table[operator](left, right)
        except ArithmeticError as exc:  # 1/0, a float too big
            raise TemplateRuntimeError(f"{left!r} {operator} {right!r}: {exc}") from None
        if numbers and isinstance(result, int | float) and not math.isnan(result) \
                and abs(result) >= MAX_NUMBER:
            raise LimitError(f"a number of {MAX_NUMBER:.0e} or more")
        return self.guarded_value(result)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.step()
        return self.guarded_value(super().call(context, obj, *args, **kwargs))

    def _checked(self, name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        """Filter ``f``, counted as a step and making nothing too big."""
        prepare: Callable[..., tuple[Any, ...]] | None = None
        if name in ("join", "replace"):
            prepare = self._join_args if name == "join" else self._replace_args

        def checked(*args: Any, **kwargs: Any) -> Any:
            self.step()
            if prepare is not None:
                args = prepare(*args, **kwargs)
                kwargs = {}
            return self.guarded_value(f(*args, **kwargs))

        # keep what tells Jinja to pass the eval context or environment (join, map …)
        checked.__dict__.update(getattr(f, "__dict__", {}))
        return checked

    def _join_args(self, eval_ctx: Any, value: Any, d: Any = "",
                   attribute: Any = None) -> tuple[Any, ...]:
        items = value if isinstance(value, list | tuple | dict | str) else list(value)
        if self.size(items) + len(items) * self.size(d) > self.max_size:
            raise LimitError(f"join making more than {self.max_size:,} characters")
        return eval_ctx, items, d, attribute

    def _replace_args(self, eval_ctx: Any, s: Any, old: Any, new: Any,
                      count: Any = None) -> tuple[Any, ...]:
        text = s if isinstance(s, str) else str(s)
        if isinstance(old, str) and isinstance(new, str):
            found = text.count(old) if old else len(text) + 1
            if isinstance(count, int):
                found = min(found, max(count, 0))
            if len(text) + found * max(len(new) - len(old), 0) > self.max_size:
                raise LimitError(f"replace making more than {self.max_size:,} characters")
        return eval_ctx, text, old, new, count

    # --- compiling ------------------------------------------------------------------------

    def from_string(self, source: str | nodes.Template,
                    globals: MutableMapping[str, Any] | None = None,
                    template_class: type[Template] | None = None) -> Template:
        """The template of ``source`` (every part docxtpl renders comes here as text).

        Lexing, parsing, rewriting and compiling a DOCX template's parts takes longer than
        rendering them, and a template changes rarely; so the code of a part is kept in the
        user's cache (``COMPILED``) under a key of its source and ``compiler_stamp``, and the
        next run loads it. A kept part is thus the code this sandbox compiles from that
        source now; what does not compile raises as before and is never kept."""
        stamp = compiler_stamp()
        if not isinstance(source, str) or stamp is None or callable(self.autoescape):
            return super().from_string(source, globals, template_class)
        entry = kept.key(stamp, self._code_settings(), source)
        code = _code(COMPILED.get(entry))
        if code is None:
            code = self.compile(source)
            COMPILED.put(entry, marshal.dumps(code))
        cls = template_class or self.template_class
        return cls.from_code(self, code, self.make_globals(globals), None)

    def _code_settings(self) -> str:
        """The settings of this environment that the generated code depends on (syntax,
        whitespace, escaping, finalize): part of a kept template's key, so that code made
        under other settings, escaping off above all, is never found."""
        return repr((self.block_start_string, self.block_end_string,
                     self.variable_start_string, self.variable_end_string,
                     self.comment_start_string, self.comment_end_string,
                     self.line_statement_prefix, self.line_comment_prefix, self.trim_blocks,
                     self.lstrip_blocks, self.newline_sequence, self.keep_trailing_newline,
                     self.autoescape, self.optimized,
                     getattr(self.finalize, "__qualname__", self.finalize is not None),
                     sorted(self.extensions)))

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None,
                  defer_init: bool = False) -> str:
        return str(super()._generate(_Guard(name).visit(source), name, filename,
                                     defer_init=defer_init))


def _code(data: bytes | None) -> CodeType | None:
    """The code object in a cache entry, or None (no entry, or not a code object)."""
    if data is None:
        return None
    try:
        code = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None
