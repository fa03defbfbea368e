"""Render a view into DOCX bytes through the kind's docxtpl template.

The template is the office's own ``<kind>.docx`` when its templates folder has one (checked
against the built-in template first: ``check_template``), else the one shipped with sopdocs.
A template file is untrusted: whatever it holds renders in the sandbox of
``render.sandbox``, in every part docxtpl renders (body, headers, footers, footnotes and the
core document properties), with autoescape on (``&`` and ``<`` in a hal must not break the XML)
and StrictUndefined (a variable the view lacks is an error, never a blank). Any failure of a
template is a TemplateError naming the template and the part. The zip is rewritten with
fixed timestamps so that the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import docxtpl
from docx.shared import Length, Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError as JinjaError
from jinja2 import TemplateSyntaxError, meta
from lxml import etree

from .. import cache as kept
from ..errors import RenderError, SopdocsError, TemplateError
from ..office import PAPER, Workspace
from ..view import View
from .fixed_zip import deterministic_zip
from .sandbox import Sandbox

LOGO_HEIGHT_MM = 24
#: The core document properties docxtpl renders as templates.
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


#: What docxtpl's listing pass (tabs, bells, form feeds, newlines inside text) acts on.
_LISTING = re.compile(r"[\t\a\f]|<w:t(?: [^>]*)?>[^<]*\n")
#: Template parts as Jinja source, from earlier runs (see ``_Template.patch_xml``).
PATCHED = kept.Store("docx")


class _Template(DocxTemplate):
    """docxtpl's template, with the kop logo placed by sopdocs and two whole-document passes
    skipped when they have nothing to do.

    The logo: the context holds only plain data (``render.sandbox``), so ``kop.logo`` is a
    marker string, random per render, that no record can contain and no template can climb
    out of. After each part is rendered, the marker is replaced by the drawing of the logo,
    made by python-docx in that part (the body, a header or a footer each get their own image
    relationship) and made once per part however often it is repeated (the kop of every sheet
    of a batch). A marker left in the document properties is removed; in a part that cannot
    hold a picture it is an error.

    The passes: docxtpl's listing pass and its table-grid fix, which only column loops
    (``{%tc %}``) need, cost a 1,000-sheet batch over a second when they have nothing to do.
    """

    def __init__(self, path: Path, logo: Path | None = None, logo_height: Length | None = None):
        super().__init__(path)
        self.logo, self.logo_height = logo, logo_height
        self.marker = f"sopdocs-logo-{secrets.token_hex(8)}"
        self.where = "word/document.xml"
        self._drawings: dict[str, str] = {}

    def render(self, context: dict[str, Any], jinja_env: Any = None,
               autoescape: bool = False) -> None:
        self.init_docx()
        self.column_loops = "{%tc" in self.patch_xml(self.get_xml())
        super().render(context, jinja_env, autoescape)

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's clean-up of a part's XML into Jinja source (a dozen regular expressions
        over the whole part, longer than rendering it), kept in the user's cache: the same
        XML and docxtpl always give the same source. Its Jinja code is kept too
        (``render.sandbox``)."""
        entry = kept.key("docxtpl.patch_xml", docxtpl.__version__, src_xml)
        if (done := PATCHED.get(entry)) is not None:
            return done.decode("utf-8", "surrogatepass")
        patched = str(super().patch_xml(src_xml))
        PATCHED.put(entry, patched.encode("utf-8", "surrogatepass"))
        return patched

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any],
                        jinja_env: Any = None) -> str:
        self.where = str(part.partname).lstrip("/")
        xml = str(super().render_xml_part(src_xml, part, context, jinja_env))
        if self.marker in xml:
            xml = xml.replace(self.marker, self._drawing(part))
        return xml

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        self.where = "docProps/core.xml"
        super().render_properties(context, jinja_env)
        props = self.docx.core_properties
        for name in PROPERTIES:
            value = getattr(props, name)
            if self.marker in value:
                setattr(props, name, value.replace(self.marker, ""))

    def _drawing(self, part: Any) -> str:
        """The run XML of the logo in ``part``, made once per part."""
        key = str(part.partname)
        if key not in self._drawings:
            if self.logo is None or not hasattr(part, "new_pic_inline"):
                raise TemplateError(f"the logo ({{{{ kop.logo }}}}) can be placed in the body, a "
                                    f"header or a footer, not in {self.where}")
            try:
                xml = InlineImage(self, str(self.logo), height=self.logo_height)._insert_image()
            except Exception as exc:  # python-docx cannot read the image
                raise RenderError(f"logo {self.logo}: cannot be placed in the DOCX "
                                  f"({type(exc).__name__}: {exc}); use a PNG or JPEG file"
                                  ) from None
            # python-docx pretty-prints the drawing; without the newlines between its tags
            # the listing pass can tell at once that there is nothing to do
            self._drawings[key] = re.sub(r">\s+<", "><", xml)
        return self._drawings[key]

    def fix_tables(self, xml: str) -> Any:
        if self.column_loops:
            return super().fix_tables(xml)
        return etree.fromstring(xml, parser=etree.XMLParser(recover=True))

    def resolve_listing(self, xml: str) -> str:
        # plain substring tests first: a regex over a 25 MB batch document costs 150 ms
        if not any(c in xml for c in "\t\a\f\n") or _LISTING.search(xml) is None:
            return xml
        return str(super().resolve_listing(xml))


def builtin_template(kind: str) -> Path:
    """The DOCX template of ``kind`` shipped with sopdocs."""
    try:
        return Path(str(resources.files("sopdocs.templates") / f"{kind}.docx"))
    except ModuleNotFoundError:  # run from a source checkout (python -m sopdocs in the repo)
        return Path(__file__).resolve().parents[2] / "templates" / f"{kind}.docx"


def template_path(kind: str, folder: Path | None = None) -> Path:
    """Return the DOCX template of ``kind``: the office's own in ``folder`` if it has one,
    else the default shipped with sopdocs."""
    if folder is not None and (folder / f"{kind}.docx").is_file():
        return folder / f"{kind}.docx"
    return builtin_template(kind)


def jinja_env(view: View | None = None) -> Sandbox:
    """The Jinja environment every template renders in (``render.sandbox``); its
    ``context`` is ``view`` as plain data, and its bounds are sized for it."""
    return Sandbox(view)


def _label(path: Path) -> str:
    """How messages name a template: the built-in by its name, an office's by its path."""
    return path.name if path == builtin_template(path.stem) else str(path)


def _line(source: str, lineno: int | None) -> str:
    """`` at line N ("text of that line")``: where in a part a Jinja error is."""
    if not lineno:
        return ""
    lines = source.splitlines()
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip() if lineno <= len(lines) else ""
    return f" at line {lineno}" + (f' ("{text[:80]}")' if text else "")


def _sources(path: Path) -> Iterator[tuple[str, str]]:
    """Every part of a template docxtpl renders, as (where, Jinja source)."""
    try:
        tpl = DocxTemplate(path)
        doc = tpl.get_docx()
    except Exception as exc:
        raise TemplateError(f"template {_label(path)}: not a DOCX file "
                            f"({type(exc).__name__}: {exc})") from None

    def lines(xml: str) -> str:  # as docxtpl renders it: one paragraph per line
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))

    yield "word/document.xml", lines(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            yield str(part.partname).lstrip("/"), lines(tpl.get_part_xml(part))
    for part in doc.part.package.parts:
        if part.content_type == FOOTNOTES:
            yield str(part.partname).lstrip("/"), lines(part.blob.decode("utf-8"))
    for name in PROPERTIES:
        if value := getattr(doc.core_properties, name):
            yield f"docProps/core.xml, {name}", value


@cache
def _variables(path: str, stamp: tuple[int, int]) -> frozenset[str]:
    """The variables of the template at ``path`` as it was at ``stamp`` (mtime, size)."""
    env = jinja_env()
    found: set[str] = set()
    for where, source in _sources(Path(path)):
        try:
            ast = env.parse(source)
            found |= meta.find_undeclared_variables(ast)
            env.compile(ast)  # refuses {% include %}, {% autoescape %} … (render.sandbox)
        except TemplateSyntaxError as exc:
            raise TemplateError(f"template {_label(Path(path))} ({where})"
                                f"{_line(source, exc.lineno)}: {exc.message or exc}") from None
    return frozenset(found)


def template_variables(path: Path) -> set[str]:
    """Return the top-level variables a template uses in any part docxtpl renders (for the
    template ↔ view check); raise TemplateError naming the template, the part and the line
    when a part is not valid Jinja or uses what the sandbox refuses."""
    stat = path.stat()
    return set(_variables(path, (stat.st_mtime_ns, stat.st_size)))


#: Variables an office's template may leave out: those added after offices made their own
#: templates (``tte``: the electronic-signature variant; without it the template simply
#: has no such variant).
OPTIONAL = frozenset({"tte"})


def check_template(kind: str, path: Path, view: View) -> None:
    """Check an office's template of ``kind`` before it is used: it must print every
    variable the built-in template prints (else a document made from it would silently
    leave a field out) and use no variable the view lacks. Raises TemplateError naming the
    template and each placeholder."""
    used = template_variables(path)
    problems = []
    if missing := sorted(template_variables(builtin_template(kind)) - used - OPTIONAL):
        problems.append("it lacks " + ", ".join(f"{{{{ {v} }}}}" for v in missing)
                        + f" (the built-in {kind}.docx prints them)")
    if unknown := sorted(used - set(view)):
        problems.append("it uses " + ", ".join(f"{{{{ {v} }}}}" for v in unknown)
                        + f", which a {kind} does not have (it has: {', '.join(sorted(view))})")
    if problems:
        raise TemplateError(f"template {path} does not fit {kind}: {'; '.join(problems)}")


def fit_data_tables(document: Any, view: View) -> None:
    """Give each data table of the view (a value with ``kolom`` and ``baris``) the column
    widths its PDF has: the template's table has one column that its rows repeat, so Word
    and LibreOffice would otherwise print every column equally wide."""
    tables = [v for v in view.values()
              if isinstance(v, dict) and "kolom" in v and "baris" in v and v["kolom"]]
    if not tables:
        return
    from docx.shared import Cm, Pt

    from .blocks import TEXT_WIDTH_CM
    from .widths import column_widths

    for data in tables:
        headers = [str(k).strip() for k in data["kolom"]]
        for table in document.tables:
            first = table.rows[0].cells if table.rows else []
            if [c.text.strip() for c in first] != headers:
                continue
            widths = [Pt(w) for w in column_widths(data, Cm(TEXT_WIDTH_CM).pt)]
            table.autofit = False
            grid = table._tbl.tblGrid
            for col in list(grid):  # the template's grid has the columns of its loop
                grid.remove(col)
            for w in widths:
                grid.add_gridCol().w = w
            for row in table.rows:
                for cell, w in zip(row.cells, widths, strict=True):
                    cell.width = w


def render_docx(kind: str, view: View, *, logo: Path, paper: str, when: datetime,
                half_page: bool = False, templates: Path | None = None) -> bytes:
    """Return the DOCX of ``view`` for ``kind`` on ``paper`` (``F4``/``A4``), or on half of
    it (``half_page``: the ½ folio of a lembar disposisi).

    ``templates`` is the office's templates folder: its ``<kind>.docx``, when there is one,
    is checked (``check_template``) and used instead of the built-in template. ``when``
    becomes the document's created/modified time, so identical input gives identical bytes.
    Raises TemplateError when the template does not fit the view or fails in the sandbox,
    RenderError when the logo cannot be placed.
    """
    path = template_path(kind, templates)
    if path != builtin_template(kind):
        check_template(kind, path, view)
    logo_height = Mm(LOGO_HEIGHT_MM / 2 if half_page else LOGO_HEIGHT_MM)
    try:
        tpl = _Template(path, logo, logo_height)
        tpl.init_docx()
    except Exception as exc:
        raise TemplateError(f"template {_label(path)}: not a DOCX file "
                            f"({type(exc).__name__}: {exc})") from None
    env = jinja_env({**view, "kop": {**view.get("kop", {}), "logo": tpl.marker}})
    buffer = io.BytesIO()
    try:
        tpl.render(env.context, env, autoescape=True)
        fit_data_tables(tpl.docx, view)
        width, height = PAPER[paper]
        height = height / 2 if half_page else height
        for section in tpl.docx.sections:
            section.page_width, section.page_height = Mm(width), Mm(height)
        props = tpl.docx.core_properties
        props.created = props.modified = when
        props.last_printed = when
        tpl.where = "the rendered document"
        tpl.save(buffer)
    except SopdocsError as exc:
        if isinstance(exc, TemplateError):
            raise TemplateError(f"template {_label(path)} ({tpl.where}): {exc}") from None
        raise
    except JinjaError as exc:
        lineno = getattr(exc, "lineno", None)
        raise TemplateError(f"template {_label(path)} ({tpl.where})"
                            f"{f' at line {lineno}' if lineno else ''}: {exc}") from None
    except Exception as exc:  # RecursionError, MemoryError, XML the template broke …
        raise TemplateError(f"template {_label(path)} ({tpl.where}): "
                            f"{type(exc).__name__}: {exc}") from None
    return deterministic_zip(buffer.getvalue())


def render_docx_batch(sheets: list[View], workspace: Workspace) -> bytes:
    """Return one DOCX holding every lembar disposisi of a batch, one per ½-folio page.

    The batch template loops over the sheets, so the whole document is rendered in one pass
    (appending documents one by one grows quadratically with their number).
    """
    view: View = {"kop": sheets[0]["kop"] if sheets else {}, "konsep": False, "tte": None,
                  "sheets": sheets}
    return render_docx("disposisi-batch", view, logo=workspace.logo_path,
                       paper=workspace.office.kertas, half_page=True,
                       when=datetime.combine(date.today(), datetime.min.time()),
                       templates=workspace.templates_path)
