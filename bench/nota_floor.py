"""The floor of figure 1: the least a program must do to make the sample nota dinas with the
libraries the design card fixes, without sopdocs.

    python bench/nota_floor.py OUT_DIR

It reads the sample YAML, validates it with one pydantic model, takes a number in an SQLite
register, renders the built-in DOCX template with docxtpl (plain Jinja, no sandbox, no
checks) and lays out a one-page PDF with reportlab's platypus (kop with the logo, the two
TrueType faces, the fields, the body, the signature), then writes both files. No layout
rules, no bounds, no seal, no summary, no pending files: so a nota dinas from sopdocs can
only be slower than this, and ``bench/run.py`` prints how far this floor itself is from the
unavoidable imports of figure 1.
"""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path

import click  # noqa: F401  (the CLI's library: imported as the command imports it)
import yaml
from docxtpl import DocxTemplate
from jinja2 import ChainableUndefined, Environment
from pydantic import BaseModel
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "sopdocs" / "data"


class NotaDinas(BaseModel):
    kepada: list[str]
    tanggal: str
    sifat: str
    lampiran: int
    hal: str
    isi: list[str]
    penandatangan: str
    kode_klasifikasi: str
    paraf: list[str] = []


def main(out: Path) -> None:
    record = NotaDinas.model_validate(
        yaml.safe_load((ROOT / "samples" / "nota-dinas.yaml").read_text(encoding="utf-8")))
    db = sqlite3.connect(out / "floor.db")
    with db:
        db.execute("CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, nomor TEXT)")
        (urut,), = db.execute("SELECT count(*) + 1 FROM documents")
        nomor = f"{record.kode_klasifikasi}/{urut}/Diskominfotik-2026"
        db.execute("INSERT INTO documents (nomor) VALUES (?)", (nomor,))
    context = {**record.model_dump(), "nomor": nomor}

    docx = DocxTemplate(str(ROOT / "templates" / "nota-dinas.docx"))
    docx.render(context, Environment(undefined=ChainableUndefined))  # what is not given: empty
    buffer = io.BytesIO()
    docx.save(buffer)
    (out / "floor.docx").write_bytes(buffer.getvalue())

    pdfmetrics.registerFont(TTFont("F", str(DATA / "fonts" / "LiberationSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("FB", str(DATA / "fonts" / "LiberationSans-Bold.ttf")))
    text = ParagraphStyle("t", fontName="F", fontSize=12, leading=15)
    bold = ParagraphStyle("b", fontName="FB", fontSize=12, leading=15, alignment=1)
    story = [
        Table([[Image(str(DATA / "logo.png"), 20 * mm, 24 * mm),
                [Paragraph("PEMERINTAH PROVINSI", bold),
                 Paragraph("DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK", bold)]]]),
        Paragraph("NOTA DINAS", bold), Paragraph(f"NOMOR {nomor}", bold), Spacer(1, 6 * mm),
        Table([[Paragraph(k, text), Paragraph(f": {v}", text)] for k, v in (
            ("Yth.", "; ".join(record.kepada)), ("Dari", record.penandatangan),
            ("Tanggal", record.tanggal), ("Sifat", record.sifat),
            ("Lampiran", str(record.lampiran)), ("Hal", record.hal))]),
        *[Paragraph(p, text) for p in record.isi],
        Spacer(1, 10 * mm),
        Table([["", [Paragraph("KEPALA DINAS", bold), Spacer(1, 20 * mm),
                     Paragraph(record.penandatangan, bold)]]]),
    ]
    SimpleDocTemplate(str(out / "floor.pdf"), pagesize=A4).build(story)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
