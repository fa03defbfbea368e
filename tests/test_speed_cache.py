"""What issue 16 (speed) added: the user's cache of compiled DOCX template parts
(``sopdocs.cache``), and modules loaded without their packages (``sopdocs.alone``).

The cache holds code: an entry someone else could have written, or that is damaged, must never
be used; the document must come out the same with the cache cold, warm, damaged or refused."""

import hashlib
import importlib.util
import marshal
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import jinja2
import pytest
import yaml
from jinja2 import TemplateSyntaxError

from conftest import SAMPLES, docx_text
from sopdocs import cache
from sopdocs.alone import module_alone
from sopdocs.errors import TemplateError
from sopdocs.idn import terbilang
from sopdocs.kinds import kind_of
from sopdocs.records import validate
from sopdocs.render import sandbox
from sopdocs.render.docx import render_docx
from sopdocs.view import build_view

WHEN = datetime(2026, 11, 22)
OTHER_USER = 54321


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SOPDOCS_CACHE", str(folder))
    return folder


def nota_dinas(workspace) -> bytes:
    spec = kind_of("nota-dinas")
    data = yaml.safe_load((SAMPLES / "nota-dinas.yaml").read_text())
    record = validate(spec.model, data, "sample")
    view = build_view(spec, record, workspace, konsep=False, source="sample")
    return render_docx("nota-dinas", {**view, "tte": None}, logo=workspace.logo_path,
                       paper="F4", when=WHEN)


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def plant(path: Path, content: bytes) -> None:
    """An entry with a right checksum: what a writer of the folder could leave there."""
    path.write_bytes(cache.MAGIC + hashlib.sha256(content).hexdigest().encode() + b"\n"
                     + content)


def pwned_code() -> bytes:
    """A template part that renders as a marker: a stand-in for code someone else wrote."""
    return marshal.dumps(sandbox.Sandbox().compile("PWNED"))


# --- the store --------------------------------------------------------------------------

def test_an_entry_is_kept_private_and_read_back(cache_dir):
    store = cache.Store("test")
    key = cache.key("some", b"parts")
    assert store.get(key) is None
    store.put(key, b"content")
    assert store.get(key) == b"content"
    assert stat.S_IMODE((cache_dir / "test").stat().st_mode) == 0o700
    assert stat.S_IMODE((cache_dir / "test" / key).stat().st_mode) == 0o600
    assert entries(cache_dir / "test") == [cache_dir / "test" / key]  # no temporary left


def test_keys_name_their_parts_unambiguously():
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("a") == cache.key(b"a")
    with pytest.raises(ValueError):
        cache.Store("test").get("../../etc/passwd")


@pytest.mark.parametrize("damage", ["checksum", "truncated", "magic", "empty"])
def test_a_damaged_entry_is_no_entry(cache_dir, damage):
    store = cache.Store("test")
    key = cache.key("x")
    store.put(key, b"content")
    path = cache_dir / "test" / key
    data = path.read_bytes()
    path.write_bytes({"checksum": data[:-1] + b"X", "truncated": data[:-3],
                      "magic": b"other" + data, "empty": b""}[damage])
    assert store.get(key) is None
    store.put(key, b"content")
    assert store.get(key) == b"content"


def refuse_folder(folder: Path, how: str, tmp_path: Path) -> None:
    if how == "others may write":
        folder.chmod(0o777)
    elif how == "group may write":
        folder.chmod(0o770)
    elif how == "another user's":
        os.chown(folder, OTHER_USER, OTHER_USER)
    elif how == "a link":
        moved = tmp_path / "elsewhere"
        folder.rename(moved)
        folder.symlink_to(moved)


FOLDER_REFUSALS = ["others may write", "group may write", "another user's", "a link"]


def can_chown(how: str) -> None:
    if "user" in how and os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")


@pytest.mark.parametrize("how", FOLDER_REFUSALS)
def test_a_folder_others_could_write_is_not_used(cache_dir, tmp_path, how):
    can_chown(how)
    store = cache.Store("test")
    key = cache.key("x")
    store.put(key, b"content")
    refuse_folder(cache_dir / "test", how, tmp_path)
    assert store.get(key) is None
    store.put(cache.key("y"), b"more")  # nothing is written there either
    assert not (cache_dir / "test" / cache.key("y")).exists()


@pytest.mark.parametrize("how", ["others may write", "group may write", "another user's",
                                 "a link", "a folder", "a fifo"])
def test_an_entry_others_could_write_is_not_used(cache_dir, tmp_path, how):
    can_chown(how)
    store = cache.Store("test")
    key = cache.key("x")
    store.put(key, b"content")
    path = cache_dir / "test" / key
    if how == "others may write":
        path.chmod(0o606)
    elif how == "group may write":
        path.chmod(0o660)
    elif how == "another user's":
        os.chown(path, OTHER_USER, OTHER_USER)
    elif how == "a link":
        target = tmp_path / "target"
        plant(target, b"content")
        path.unlink()
        path.symlink_to(target)
    elif how == "a folder":
        path.unlink()
        path.mkdir()
    else:
        path.unlink()
        os.mkfifo(path, 0o600)
    assert store.get(key) is None


# --- compiled template parts ------------------------------------------------------------

def test_a_warm_cache_renders_the_same_document_without_compiling(workspace, cache_dir,
                                                                  monkeypatch):
    cold = nota_dinas(workspace)
    assert entries(cache_dir / "jinja") and entries(cache_dir / "docx")

    def no_compiling(*args, **kwargs):
        raise AssertionError("a part was compiled although its code is kept")

    monkeypatch.setattr(sandbox.Sandbox, "compile", no_compiling)
    assert nota_dinas(workspace) == cold


def test_damaged_entries_are_rebuilt(workspace, cache_dir):
    cold = nota_dinas(workspace)
    kept = entries(cache_dir / "jinja") + entries(cache_dir / "docx")
    for path in kept:
        data = bytearray(path.read_bytes())
        data[-1] ^= 0xFF
        path.write_bytes(bytes(data))
    assert nota_dinas(workspace) == cold
    for path in kept:  # written anew, whole
        store = cache.Store(path.parent.name)
        assert store.get(path.name) is not None


def test_code_that_is_no_code_object_is_not_run(workspace, cache_dir):
    cold = nota_dinas(workspace)
    for path in entries(cache_dir / "jinja"):
        plant(path, marshal.dumps(("not", "code")))
    assert nota_dinas(workspace) == cold


def test_kept_code_is_what_runs(workspace, cache_dir):
    """The control for the refusals below: an entry in the user's own folder is used."""
    nota_dinas(workspace)
    for path in entries(cache_dir / "jinja"):
        plant(path, pwned_code())
    with pytest.raises(TemplateError):  # the parts are no longer XML: the store is live
        nota_dinas(workspace)


@pytest.mark.parametrize("how", FOLDER_REFUSALS)
def test_code_in_a_folder_others_could_write_never_runs(workspace, cache_dir, tmp_path, how):
    can_chown(how)
    cold = nota_dinas(workspace)
    for path in entries(cache_dir / "jinja"):
        plant(path, pwned_code())
    refuse_folder(cache_dir / "jinja", how, tmp_path)
    assert nota_dinas(workspace) == cold
    assert "PWNED" not in docx_text(cold)


def test_what_the_sandbox_refuses_is_refused_every_time_and_never_kept(cache_dir):
    source = "{% include 'other.docx' %}"
    for _ in range(2):
        with pytest.raises(TemplateSyntaxError, match="include"):
            sandbox.Sandbox().from_string(source)
    assert not (cache_dir / "jinja").exists() or entries(cache_dir / "jinja") == []


def test_the_key_of_a_part_changes_with_the_sandbox():
    """Code compiled by another sandbox (its rewrite, its options), Jinja or Python is never
    found: each is part of every key."""
    assert sandbox.compiler_stamp() == cache.key(
        Path(sandbox.__file__).read_bytes(), jinja2.__version__,
        importlib.util.MAGIC_NUMBER, str(sys.flags.optimize))


def test_code_kept_with_escaping_off_is_never_used_with_escaping_on(cache_dir):
    """The generated code escapes or not as the environment said when it was compiled: a part
    kept by an environment with escaping off must not be found by one with it on."""
    source = "<w:t>{{ hal }}</w:t>"
    plain = sandbox.Sandbox()
    plain.autoescape = False
    assert plain.from_string(source).render(hal="a & b") == "<w:t>a & b</w:t>"
    assert sandbox.Sandbox().from_string(source).render(hal="a & b") == "<w:t>a &amp; b</w:t>"
    assert len(entries(cache_dir / "jinja")) == 2


# --- modules loaded alone ---------------------------------------------------------------

def test_terbilang_is_num2words_indonesian():
    from num2words import num2words

    for n in [*range(0, 2100), 10**6, 123_456_789, 10**12 + 7, 999_999_999_999_999]:
        assert terbilang(n) == num2words(n, lang="id")


def test_a_module_that_needs_its_package_is_not_loaded_alone():
    with pytest.raises(ImportError, match="does not stand alone"):
        module_alone("num2words", "base")  # it imports its siblings
    with pytest.raises(ImportError):
        module_alone("no_such_package_here", "x")
    with pytest.raises(ImportError):
        module_alone("num2words", "no_such_module")


def test_the_seal_and_number_words_leave_their_packages_unimported():
    code = ("import sys\n"
            "from reportlab.pdfgen.canvas import Canvas\n"
            "import io\n"
            "from sopdocs.idn import jumlah\n"
            "from sopdocs.render.seal import draw_qr\n"
            "draw_qr(Canvas(io.BytesIO()), 'SOPDOCS|1|2026-11-22|0123456789abcdef', 0, 0, 40)\n"
            "assert jumlah(3, 'berkas') == '3 (tiga) berkas'\n"
            "print(sorted(m for m in sys.modules if m == 'num2words' or "
            "m.startswith('reportlab.graphics.barcode')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
