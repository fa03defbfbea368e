"""Render a view into DOCX bytes through the kind's docxtpl template.

Jinja runs sandboxed, with autoescape on (``&`` and ``<`` in a hal must not break the XML) and
StrictUndefined (a variable the view lacks is an error, never a blank). The zip is rewritten with
fixed timestamps so that the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from ..errors import TemplateError
from ..office import PAPER, Workspace
from ..view import View

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LOGO_HEIGHT_MM = 24


#: What docxtpl's listing pass (tabs, bells, form feeds, newlines inside text) acts on.
_LISTING = re.compile(r"[\t\a\f]|<w:t(?: [^>]*)?>[^<]*\n")


class _Template(DocxTemplate):
    """docxtpl's template, minus two passes over the whole rendered document when they have
    nothing to do (a 1,000-sheet batch spent over a second in them): the listing pass, and
    the table-grid fix, which only column loops (``{%tc %}``) need."""

    def render(self, context: dict[str, Any], jinja_env: Any = None,
               autoescape: bool = False) -> None:
        self.init_docx()
        self.column_loops = "{%tc" in self.patch_xml(self.get_xml())
        super().render(context, jinja_env, autoescape)

    def fix_tables(self, xml: str) -> Any:
        if self.column_loops:
            return super().fix_tables(xml)
        return etree.fromstring(xml, parser=etree.XMLParser(recover=True))

    def resolve_listing(self, xml: str) -> str:
        # plain substring tests first: a regex over a 25 MB batch document costs 150 ms
        if not any(c in xml for c in "\t\a\f\n") or _LISTING.search(xml) is None:
            return xml
        return str(super().resolve_listing(xml))


class _Once:
    """An image rendered into the XML once and repeated (the kop logo of every sheet of a
    batch); docxtpl renumbers the repeated drawing ids afterwards."""

    def __init__(self, image: InlineImage):
        self.image = image
        self.xml: str | None = None

    def __html__(self) -> str:
        if self.xml is None:
            # python-docx pretty-prints the drawing; without the newlines between its tags the
            # listing pass can tell at once that there is nothing to do
            self.xml = re.sub(r">\s+<", "><", str(self.image.__html__()))
        return self.xml


def template_path(kind: str, folder: Path | None = None) -> Path:
    """Return the DOCX template of ``kind``: the office's own in ``folder`` if it has one,
    else the default shipped with sopdocs."""
    if folder is not None and (folder / f"{kind}.docx").is_file():
        return folder / f"{kind}.docx"
    try:
        return Path(str(resources.files("sopdocs.templates") / f"{kind}.docx"))
    except ModuleNotFoundError:  # run from a source checkout (python -m sopdocs in the repo)
        return Path(__file__).resolve().parents[2] / "templates" / f"{kind}.docx"


def jinja_env() -> SandboxedEnvironment:
    """The Jinja environment every template renders in (sandboxed, escaping, strict)."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def template_variables(path: Path) -> set[str]:
    """Return the top-level variables a template uses (for the template ↔ view check)."""
    return DocxTemplate(path).get_undeclared_template_variables(jinja_env())


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a DOCX zip with fixed timestamps and attributes, members in their order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def render_docx(kind: str, view: View, *, logo: Path, paper: str, when: datetime,
                half_page: bool = False, templates: Path | None = None) -> bytes:
    """Return the DOCX of ``view`` for ``kind`` on ``paper`` (``F4``/``A4``), or on half of
    it (``half_page``: the ½ folio of a lembar disposisi).

    ``when`` becomes the document's created/modified time, so identical input gives identical
    bytes. Raises TemplateError when the template does not fit the view.
    """
    path = template_path(kind, templates)
    tpl = _Template(path)
    context: dict[str, Any] = dict(view)
    logo_height = Mm(LOGO_HEIGHT_MM / 2 if half_page else LOGO_HEIGHT_MM)
    context["kop"] = {**view["kop"],
                      "logo": _Once(InlineImage(tpl, str(logo), height=logo_height))}
    try:
        tpl.render(context, jinja_env(), autoescape=True)
    except JinjaError as exc:
        raise TemplateError(f"template {path.name}: {exc}") from None
    width, height = PAPER[paper]
    height = height / 2 if half_page else height
    for section in tpl.docx.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
    props = tpl.docx.core_properties
    props.created = props.modified = when
    props.last_printed = when
    buffer = io.BytesIO()
    tpl.save(buffer)
    return _deterministic_zip(buffer.getvalue())


def render_docx_batch(sheets: list[View], workspace: Workspace) -> bytes:
    """Return one DOCX holding every lembar disposisi of a batch, one per ½-folio page.

    The batch template loops over the sheets, so the whole document is rendered in one pass
    (appending documents one by one grows quadratically with their number).
    """
    view: View = {"kop": sheets[0]["kop"] if sheets else {}, "konsep": False,
                  "sheets": sheets}
    return render_docx("disposisi-batch", view, logo=workspace.logo_path,
                       paper=workspace.office.kertas, half_page=True,
                       when=datetime.combine(date.today(), datetime.min.time()))
