"""What sopdocs refuses or defuses, read as a list: each test is one hostile or careless input
and what happens to it. (Templates, record inputs and agendas have their own files:
test_hostile_templates.py, test_hostile_inputs.py, test_hostile_agenda.py.)"""

import io
import os
import stat

import yaml
from openpyxl import load_workbook

from conftest import SAMPLES
from sopdocs.recap import build_recap
from sopdocs.registry import open_register
from sopdocs.service import make_document

FORMULAS = ["=HYPERLINK(\"http://x\",\"klik\")", "=1+1", "+1+1", "-1+1", "@SUM(A1)",
            "\tTab", "\rCR"]


def sample(kind: str, **changes) -> dict:
    return {**yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text()), **changes}


def test_no_text_of_a_user_becomes_a_formula_in_the_recap(workspace, tmp_path):
    for i, text in enumerate(FORMULAS):
        make_document("nota-dinas", sample("nota-dinas", hal=f"{text} {i}".strip()
                                           if text[0] in "\t\r" else text),
                      workspace, out_dir=tmp_path)
    make_document("disposisi", sample("disposisi", surat_dari="=cmd|' /C calc'!A0",
                                      hal="=HYPERLINK(\"http://x\")"), workspace,
                  out_dir=tmp_path)
    open_register(workspace.register_path).void("000.8.3.3/1/Diskominfotik-2026", "=1+2")
    book = load_workbook(io.BytesIO(build_recap(workspace, 2026)))
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {"=HYPERLINK(\"http://x\",\"klik\")", "=1+2", "=cmd|' /C calc'!A0"} <= texts


def test_files_are_created_with_the_users_umask(workspace, tmp_path):
    old = os.umask(0o022)
    try:
        made = make_document("nota-dinas", sample("nota-dinas"), workspace, out_dir=tmp_path)
    finally:
        os.umask(old)
    for path in made.paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
