"""Templates, logos and texts an office or a person gets wrong, or writes to do harm: each test is
one hostile or careless input and what happens to it. A template file is the office's (anyone
may edit it in Word), so whatever it holds renders in the sandbox of ``render.sandbox``."""

import io
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from docx import Document
from PIL import Image
from pypdf import PdfReader

from conftest import SAMPLES, docx_text, pdf_text
from sopdocs.errors import RecordError, RenderError, TemplateError
from sopdocs.kinds import all_kinds, kind_of
from sopdocs.office import Workspace, data_path, init_profile, load_office
from sopdocs.records import validate
from sopdocs.registry import open_register
from sopdocs.render.docx import builtin_template, jinja_env, render_docx, render_docx_batch
from sopdocs.render.sandbox import FILTERS, PlainDataError, plain
from sopdocs.service import make_document
from sopdocs.view import build_view

WHEN = datetime(2026, 11, 22)


def sample(kind: str, **changes) -> dict:
    return {**yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text()), **changes}


def view_of(workspace: Workspace, kind: str = "nota-dinas", **changes) -> dict:
    spec = kind_of(kind)
    record = validate(spec.model, sample(kind, **changes), "sample")
    return build_view(spec, record, workspace, konsep=False, source="sample")


def office_template(folder: Path, kind: str = "nota-dinas", *, body: str = "",
                    header: str = "", footer: str = "", first_header: str = "",
                    title: str | None = None, subject: str | None = None) -> Path:
    """The built-in template of ``kind``, as an office would edit it in Word, with ``body`` as
    a paragraph at its end and the other texts where they are named; saved as the office's
    ``<kind>.docx`` in ``folder``."""
    folder.mkdir(exist_ok=True)
    doc = Document(str(builtin_template(kind)))
    if body:
        doc.add_paragraph(body)
    section = doc.sections[0]
    for part, text in ((section.header, header), (section.footer, footer),
                       (section.first_page_header, first_header)):
        if text:
            part.add_paragraph(text)
    if title is not None:
        doc.core_properties.title = title
    if subject is not None:
        doc.core_properties.subject = subject
    doc.save(folder / f"{kind}.docx")
    return folder / f"{kind}.docx"


def add_footnotes(path: Path, text: str) -> None:
    """Give a template a footnotes part (python-docx cannot write one) holding ``text``."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    part = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {w}>'
            f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
            f'</w:footnotes>')
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'))
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b'</Relationships>'))
            dst.writestr(info, data)
        dst.writestr("word/footnotes.xml", part)
    path.write_bytes(out.getvalue())


def render_with(workspace: Workspace, folder: Path, kind: str = "nota-dinas") -> bytes:
    return render_docx(kind, view_of(workspace, kind), logo=workspace.logo_path, paper="F4",
                       when=WHEN, templates=folder)


# --- 1. the sandbox holds plain data only ------------------------------------------------------

#: Ways out of a template that today's Jinja sandbox, given python-docx objects, lets through
#: or that plain data must stop; {target} is a file none of them may write.
ESCAPES = [
    "{{{{ kop.logo.image.tpl.docx.save('{target}') }}}}",
    "{{{{ kop.logo.image.tpl.docx.core_properties.title }}}}",
    "{{{{ ''.__class__.__mro__[1].__subclasses__() }}}}",
    "{{{{ self.__init__.__globals__ }}}}",
    "{{{{ self._TemplateReference__context.environment }}}}",
    "{{{{ '{{0.__class__}}'.format(hal) }}}}",
    "{{{{ hal.format_map }}}}",
    "{{{{ kop.alamat.append('{target}') }}}}",
    "{{{{ kop|attr('__class__') }}}}",
    "{{{{ hal|safe }}}}",
    "{{% for x in kop.alamat %}}{{{{ loop.__class__.__init__.__globals__ }}}}{{% endfor %}}",
    "{{% include '{target}' %}}",
    "{{% extends '{target}' %}}",
    "{{% from '{target}' import x %}}",
    "{{% autoescape false %}}{{{{ hal }}}}{{% endautoescape %}}",
]


@pytest.mark.parametrize("attack", ESCAPES)
def test_no_way_out_of_a_template_body(workspace, tmp_path, attack):
    target = tmp_path / "pwned.docx"
    folder = tmp_path / "templates"
    path = office_template(folder, body=attack.format(target=target))
    with pytest.raises(TemplateError, match=f"template {path}"):
        render_with(workspace, folder)
    assert not target.exists()


@pytest.mark.parametrize("where", ["header", "footer", "first_header", "title", "subject",
                                   "footnotes"])
def test_headers_footers_footnotes_and_properties_are_sandboxed_too(workspace, tmp_path, where):
    """docxtpl renders headers, footers, footnotes and the core properties (title, subject,
    author, comments …) as templates: the same sandbox holds there."""
    target = tmp_path / "pwned.docx"
    attack = f"{{{{ kop.logo.image.tpl.docx.save('{target}') }}}}"
    folder = tmp_path / "templates"
    if where == "footnotes":
        add_footnotes(office_template(folder), attack)
    else:
        office_template(folder, **{where: attack})
    part = {"header": "word/header", "footer": "word/footer", "first_header": "word/header",
            "title": "docProps/core.xml", "subject": "docProps/core.xml",
            "footnotes": "word/footnotes.xml"}[where]
    with pytest.raises(TemplateError, match=rf"nota-dinas\.docx \({part}"):
        render_with(workspace, folder)
    assert not target.exists()


#: Templates that would run for ever or fill the memory.
RUNAWAYS = {
    "range": "{% for i in range(10**9) %}{% endfor %}",
    "power": "{{ 10**10**10 }}",
    "float power": "{{ 2.0 ** 5000 }}",
    "repeat": "{{ 'x' * 10**9 }}",
    "repeat list": "{{ [kop.alamat] * 10**8 }}",
    "nested ranges": "{% for a in range(9999) %}{% for b in range(9999) %}{% endfor %}"
                     "{% endfor %}",
    "nested loops over a text": "{% for a in hal %}{% for b in hal %}{% for c in hal %}"
                                "{% for d in hal %}{% endfor %}{% endfor %}{% endfor %}"
                                "{% endfor %}",
    "recursive macro": "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
    "recursive loop": "{% for x in kop.alamat recursive %}{{ loop([x]) }}{% endfor %}",
    "doubling": "{% set a %}{{ hal }}{{ hal }}{% endset %}"
                + "{% set a %}{{ a }}{{ a }}{% endset %}" * 40 + "{{ a }}",
    "doubling with ~": "{% set a = hal %}" + "{% set a = a ~ a %}" * 40 + "{{ a }}",
    "nested literals": "{% set l = [hal, hal, hal, hal, hal, hal, hal, hal, hal, hal] %}"
                       + "{% set l = [l, l, l, l, l, l, l, l, l, l] %}" * 9 + "{{ l|string }}",
    "flood": "{% for i in range(10000) %}{{ hal * 9000 }}{% endfor %}",
    "replace": "{{ (hal * 10000)|replace('', hal * 100) }}",
    "join": "{{ kop.alamat|join(hal * 100000) }}",
    "percent format": "{{ '%0999999999d' % 1 }}",
    "width": "{{ hal.center(10**9) }}",
    "division": "{{ 1 / 0 }}",
}


@pytest.mark.parametrize("attack", list(RUNAWAYS.values()), ids=list(RUNAWAYS))
def test_a_runaway_template_ends_quickly_in_a_template_error(workspace, tmp_path, attack):
    folder = tmp_path / "templates"
    path = office_template(folder, body=attack)
    start = time.monotonic()
    with pytest.raises(TemplateError, match=f"template {path}"):
        render_with(workspace, folder)
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("kind", list(all_kinds()))
def test_the_template_context_is_plain_data(workspace, kind):
    allowed = (str, int, float, bool, type(None), list, dict)

    def check(value, path):
        assert type(value) in allowed, (path, type(value))
        items = value.items() if isinstance(value, dict) else enumerate(value) \
            if isinstance(value, list) else ()
        for key, item in items:
            check(item, f"{path}.{key}")

    env = jinja_env(view_of(workspace, kind))
    check(env.context, "context")
    assert set(env.globals) == {"range"}
    assert set(env.filters) - FILTERS <= {"sandbox-loop", "sandbox-value"}
    assert not {"safe", "format", "attr", "center", "indent", "random", "pprint"} & set(
        env.filters)


def test_a_view_that_is_not_plain_data_is_a_bug_not_a_template():
    with pytest.raises(PlainDataError, match=r"view\.kop\.logo: a PosixPath"):
        plain({"kop": {"logo": Path("logo.png")}})
    assert plain({"a": ("x", 1)}) == {"a": ["x", 1]}


def test_the_logo_goes_wherever_the_template_puts_it(workspace, tmp_path):
    """``{{ kop.logo }}`` is a marker replaced by the drawing after rendering: in a header it
    is the header's own picture; in the document properties it is dropped."""
    folder = tmp_path / "templates"
    office_template(folder, header="{{ kop.logo }}", title="Nota Dinas {{ kop.logo }}{{ hal }}")
    data = render_with(workspace, folder)
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        names = docx.namelist()
        headers = [n for n in names if n.startswith("word/header") and n.endswith(".xml")]
        with_logo = [n for n in headers if b"<w:drawing>" in docx.read(n)]
        assert with_logo
        rels = docx.read(with_logo[0].replace("word/", "word/_rels/") + ".rels")
        assert b"relationships/image" in rels
        assert b"<w:drawing>" in docx.read("word/document.xml")  # the kop's own logo
        assert b"sopdocs-logo" not in b"".join(docx.read(n) for n in names)
    doc = Document(io.BytesIO(data))
    assert doc.core_properties.title == "Nota Dinas " + view_of(workspace)["hal"]


def test_the_built_in_templates_render_unchanged_in_the_sandbox(workspace, tmp_path):
    """The escaping of typed text still holds (an & or < in a hal)."""
    made = make_document("nota-dinas", sample("nota-dinas", hal="A & B <c> \"d\" {{ e }}"),
                         workspace, out_dir=tmp_path, fmt="docx")
    assert "A & B <c> \"d\" {{ e }}" in docx_text(made.paths[0])


# --- 2. the office's own templates -------------------------------------------------------------

def test_an_office_template_is_found_next_to_the_profile_or_where_it_says(tmp_path):
    init_profile(tmp_path)
    assert load_office(tmp_path / "sopdocs.yaml").templates_path is None
    (tmp_path / "templates").mkdir()
    assert load_office(tmp_path / "sopdocs.yaml").templates_path == \
        (tmp_path / "templates").resolve()
    profile = tmp_path / "sopdocs.yaml"
    profile.write_text(profile.read_text() + "\ntemplates: templat-kantor\n")
    with pytest.raises(RecordError, match=r"templates: no such folder 'templat-kantor'"):
        load_office(profile)
    (tmp_path / "templat-kantor").mkdir()
    assert load_office(profile).templates_path == (tmp_path / "templat-kantor").resolve()
    sample_office = load_office(data_path("office-sample.yaml")).office
    assert Workspace(sample_office, tmp_path, None).templates_path is None


def test_the_office_template_is_used_when_there_is_one(workspace, tmp_path):
    folder = tmp_path / "templates"
    office_template(folder, body="Templat kantor sendiri: {{ hal }}")
    text = docx_text(render_with(workspace, folder))
    assert f"Templat kantor sendiri: {view_of(workspace)['hal']}" in text
    assert "Templat kantor sendiri" not in docx_text(render_with(workspace, tmp_path / "none"))


def test_make_document_uses_the_workspace_templates(tmp_path):
    """Needs service.render to pass ``templates=workspace.templates_path``."""
    init_profile(tmp_path)
    office_template(tmp_path / "templates", body="Templat kantor sendiri")
    workspace = load_office(tmp_path / "sopdocs.yaml")
    made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path / "o",
                         fmt="docx", konsep=True)
    assert "Templat kantor sendiri" in docx_text(made.paths[0])


def test_the_batch_of_dispositions_uses_the_office_template_too(tmp_path):
    init_profile(tmp_path)
    office_template(tmp_path / "templates", "disposisi-batch", body="{{ 10**10**10 }}")
    workspace = load_office(tmp_path / "sopdocs.yaml")
    sheets = [view_of(workspace, "disposisi")] * 3
    with pytest.raises(TemplateError, match=r"disposisi-batch\.docx \(word/document\.xml\): "
                                            r"a number of 1e\+18 or more"):
        render_docx_batch(sheets, workspace)


def test_an_office_template_that_leaves_out_a_placeholder_is_refused(workspace, tmp_path):
    folder = tmp_path / "templates"
    doc = Document()
    doc.add_paragraph("{{ kop.instansi }} NOTA DINAS {{ nomor }} {{ hal }}")
    folder.mkdir()
    doc.save(folder / "nota-dinas.docx")
    with pytest.raises(TemplateError) as error:
        render_with(workspace, folder)
    message = str(error.value)
    assert f"template {folder / 'nota-dinas.docx'} does not fit nota-dinas" in message
    assert "it lacks {{ dari }}, {{ isi }}, {{ kepada }}" in message
    assert "{{ hal }}" not in message.split("it lacks")[1]


def test_an_office_template_with_a_placeholder_the_view_lacks_is_refused(workspace, tmp_path):
    folder = tmp_path / "templates"
    office_template(folder, body="{{ nomor_surat_masuk }}", footer="{{ kepala_dinas }}")
    with pytest.raises(TemplateError, match=r"it uses \{\{ kepala_dinas \}\}, "
                                            r"\{\{ nomor_surat_masuk \}\}, which a nota-dinas "
                                            r"does not have"):
        render_with(workspace, folder)


@pytest.mark.parametrize(("where", "part"), [("body", "word/document.xml"),
                                             ("header", "word/header"),
                                             ("title", "docProps/core.xml")])
def test_a_template_that_is_not_valid_jinja_names_template_part_and_line(workspace, tmp_path,
                                                                         where, part):
    folder = tmp_path / "templates"
    path = office_template(folder, **{where: "Hal: {{ hal "})
    with pytest.raises(TemplateError, match=rf"template {path} \({part}[^)]*\)( at line \d+ "
                                            rf"\(\"Hal: \{{\{{ hal\"\))?: unexpected"):
        render_with(workspace, folder)


def test_a_file_that_is_not_a_docx_is_refused(workspace, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "nota-dinas.docx").write_text("bukan docx")
    with pytest.raises(TemplateError, match=r"nota-dinas\.docx: not a DOCX file"):
        render_with(workspace, folder)


# --- 3. the logo -------------------------------------------------------------------------------

def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _image(fmt: str, mode: str = "RGB", size: tuple[int, int] = (60, 70)) -> bytes:
    out = io.BytesIO()
    Image.open(data_path("logo.png")).convert(mode).resize(size).save(out, fmt)
    return out.getvalue()


LOGO = data_path("logo.png").read_bytes()
BAD_LOGOS = {
    "logo.webp": (lambda: _image("WEBP"), "is a WEBP image; the logo must be a readable PNG or "
                                          "JPEG file"),
    "corrupt.png": (lambda: LOGO[:len(LOGO) // 2], "is not a readable PNG"),
    "damaged.png": (lambda: LOGO[:100] + bytes(b ^ 0x5A for b in LOGO[100:300]) + LOGO[300:],
                    "is not a readable PNG"),
    "empty.png": (lambda: b"", r"is empty \(0 bytes\)"),
    "huge.png": (lambda: b"\x89PNG\r\n\x1a\n"
                 + _chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0))
                 + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b""),
                 "is 20000 × 20000 pixels; a logo may be at most 4000 pixels a side"),
    "cmyk.jpg": (lambda: _image("JPEG", "CMYK"), "is a JPEG without a JFIF or Exif header"),
    "logo.gif": (lambda: _image("GIF", "P"), "is a GIF image"),
    "logo.svg": (lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>", "is an SVG drawing"),
}


@pytest.mark.parametrize("name", list(BAD_LOGOS))
def test_a_bad_logo_is_refused_when_the_profile_loads(tmp_path, name):
    make, message = BAD_LOGOS[name]
    init_profile(tmp_path)
    (tmp_path / name).write_bytes(make())
    profile = tmp_path / "sopdocs.yaml"
    profile.write_text(profile.read_text().replace("logo: logo.png", f"logo: {name}"))
    with pytest.raises(RecordError, match=rf"logo: '{name}' {message}"):
        load_office(profile)


def test_a_bad_logo_is_one_error_line_on_the_command_line(tmp_path):
    init_profile(tmp_path)
    (tmp_path / "logo.png").write_bytes(LOGO[:len(LOGO) // 2])
    result = subprocess.run([sys.executable, "-m", "sopdocs", "nota-dinas", "--data",
                             SAMPLES / "nota-dinas.yaml", "--office", tmp_path / "sopdocs.yaml",
                             "--out", tmp_path / "out"], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 1
    assert "logo: 'logo.png' is not a readable PNG" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("name", "data"), [("logo.jpg", lambda: _image("JPEG")),
                                            ("grey.png", lambda: _image("PNG", "LA")),
                                            ("wide.png", lambda: _image("PNG", size=(3000, 40)))])
def test_a_good_png_or_jpeg_logo_is_placed_in_both_formats(tmp_path, name, data):
    init_profile(tmp_path)
    (tmp_path / name).write_bytes(data())
    profile = tmp_path / "sopdocs.yaml"
    profile.write_text(profile.read_text().replace("logo: logo.png", f"logo: {name}"))
    workspace = load_office(profile)
    made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path / "o",
                         konsep=True)
    docx, pdf = made.paths
    with zipfile.ZipFile(docx) as archive:
        assert any(n.startswith("word/media/") for n in archive.namelist())
    assert "/XObject" in str(PdfReader(pdf).pages[0]["/Resources"])


# --- 4. texts too long for a page --------------------------------------------------------------

WORD = "x" * 5000
CELL = "Yy" * 250
LAYOUTS = {
    "surat-tugas untuk": ("surat-tugas", {"untuk": [WORD]}),
    "surat-tugas dasar": ("surat-tugas", {"dasar": [WORD, WORD]}),
    "laporan table of 20 columns": ("laporan", {"tabel": {
        "judul": "T", "kolom": [f"K{i}" for i in range(20)], "baris": [[CELL] * 20]}}),
    "laporan column with a long word": ("laporan", {"tabel": {
        "judul": "T", "kolom": [f"K{i}" for i in range(6)], "baris": [["1"] * 5 + [CELL]]}}),
    "nota-dinas isi": ("nota-dinas", {"isi": [WORD]}),
    "nota-dinas hal": ("nota-dinas", {"hal": CELL}),
    "berita-acara isi": ("berita-acara", {"isi": [WORD]}),
    "tanda-terima daftar": ("tanda-terima", {"daftar": [
        {"uraian": CELL, "jumlah": 1, "keterangan": CELL}] * 3}),
}


@pytest.mark.parametrize("case", list(LAYOUTS))
def test_a_text_taller_than_a_page_is_wrapped_and_split_not_refused(workspace, tmp_path, case):
    """A word longer than its column is split, a table row taller than a page goes on over
    the next page (the surat tugas and the laporan table raised reportlab's LayoutError)."""
    kind, changes = LAYOUTS[case]
    made = make_document(kind, sample(kind, **changes), workspace, out_dir=tmp_path, fmt="pdf")
    text = pdf_text(made.paths[0]).replace(" ", "")
    longest = WORD if WORD in str(changes) else CELL
    assert longest[:40] in text


def test_a_document_that_cannot_be_laid_out_is_a_render_error_and_takes_no_number(tmp_path):
    """A kop taller than a page cannot be split: make_document raises RenderError naming the
    kind and what to shorten, writes nothing and takes no number."""
    office = load_office(data_path("office-sample.yaml")).office
    tall = " ".join(["WWWWWWWWW"] * 50)[:500]
    kop = office.kop.model_copy(update={"pemerintah": tall, "instansi": tall,
                                        "alamat": [tall] * 3})
    workspace = Workspace(office.model_copy(update={"kop": kop}), tmp_path, None)
    out = tmp_path / "out"
    with pytest.raises(RenderError, match=r"^nota-dinas: cannot be laid out on F4 paper: .* "
                                          r"Shorten the longest text, kop\.\w+ in the office "
                                          r"profile \(\d+ characters\)"):
        make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=out)
    assert not out.exists() or list(out.iterdir()) == []
    assert open_register(workspace.register_path).entries() == []
    fixed = Workspace(office, tmp_path, None)
    assert make_document("nota-dinas", sample("nota-dinas"), fixed, out_dir=out).nomor == \
        "000.8.3.3/1/Diskominfotik-2026"



def test_a_slow_template_within_every_bound_still_meets_the_deadline(workspace, tmp_path,
                                                                     monkeypatch):
    """The last resort: comparing two long texts 100,000 times stays within the bounds on
    sizes and steps but takes seconds; the render's deadline (20 s, here 0.2 s) ends it."""
    monkeypatch.setattr("sopdocs.render.sandbox.BASE_SECONDS", 0.2)
    folder = tmp_path / "templates"
    office_template(folder, body="{% set a = hal * 12000 %}{% set b = hal * 12000 %}"
                                 "{% for i in range(10000) %}{% for j in range(10) %}"
                                 "{% if a == b %}{% endif %}{% endfor %}{% endfor %}")
    start = time.monotonic()
    with pytest.raises(TemplateError, match="takes too long to render"):
        render_with(workspace, folder)
    assert time.monotonic() - start < 5
