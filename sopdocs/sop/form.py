"""The SOP form itself (identity table and the step table with a column per role and the
mutu baku columns), rendered from the catalogue so that the paper SOP and the data agree."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle

from ..office import PAPER
from ..render.fonts import register_fonts
from ..render.pdf import grid_table, p, paragraph_style
from .model import SOP, Langkah

SMALL = paragraph_style("sop_small", 8)
SMALL_BOLD = paragraph_style("sop_small_bold", 8, bold=True)
SMALL_CENTER = paragraph_style("sop_small_center", 8, TA_CENTER)
HEAD = paragraph_style("sop_head", 11, TA_CENTER, bold=True)
ROLE = paragraph_style("sop_role", 7, TA_CENTER, bold=True)


def _numbered(items: list[str]) -> list[Paragraph]:
    return [Paragraph(f"{i}. {p(item, SMALL).text}", SMALL) for i, item in enumerate(items, 1)]


def _document(step: Langkah) -> str:
    """What the step makes, as the Keterangan column says it."""
    parts = [d.label + (" (konsep)" if d.konsep else "") for d in step.dokumen]
    if step.keputusan:
        for word, branch in (("YA", step.keputusan.ya), ("TIDAK", step.keputusan.tidak)):
            target = "selesai" if branch.lanjut == "selesai" else f"ke langkah {branch.lanjut}"
            made = f"; {', '.join(d.label for d in branch.dokumen)}" if branch.dokumen else ""
            parts.append(f"{word}: {target}{made}")
    return "; ".join(parts) or (step.keterangan or "-")


def render_sop_form(sop: SOP, paper: str) -> bytes:
    """Return the SOP form of ``sop`` as a landscape PDF on ``paper``."""
    register_fonts()
    height, width = (x * mm for x in PAPER[paper])  # landscape
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, height), invariant=1,
                            leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                            bottomMargin=12 * mm, title=f"SOP {sop.nama}", creator="sopdocs",
                            producer="sopdocs")
    full = doc.width
    heading = [[[p(sop.instansi.upper(), SMALL_BOLD), p(sop.bidang or "", SMALL)],
                [p(label, SMALL) for label in ("Nomor SOP", "Tanggal Pembuatan",
                                               "Tanggal Revisi", "Tanggal Efektif",
                                               "Disahkan oleh", "Nama SOP")],
                [p(value or "-", SMALL) for value in (sop.nomor, sop.tanggal_pembuatan,
                                                       sop.tanggal_revisi, sop.tanggal_efektif,
                                                       sop.disahkan_oleh, sop.nama)]]]
    story: list[Any] = [grid_table(heading, [full * 0.4, full * 0.2, full * 0.4]), Spacer(1, 4)]
    ident = sop.identitas
    pairs = [("Dasar Hukum", ident.dasar_hukum, "Kualifikasi Pelaksana",
              ident.kualifikasi_pelaksana),
             ("Keterkaitan", ident.keterkaitan, "Peralatan/Perlengkapan", ident.peralatan),
             ("Peringatan", ident.peringatan, "Pencatatan dan Pendataan", ident.pencatatan)]
    rows = []
    for left, left_items, right, right_items in pairs:
        rows.append([p(left.upper(), SMALL_BOLD), p(right.upper(), SMALL_BOLD)])
        rows.append([_numbered(left_items) or p("-", SMALL),
                     _numbered(right_items) or p("-", SMALL)])
    story += [grid_table(rows, [full / 2, full / 2]), Spacer(1, 6),
              p(f"SOP {sop.nama.upper()}", HEAD), Spacer(1, 4)]

    roles = [r.nama for r in sop.peran]
    fixed = [8 * mm, 58 * mm, 34 * mm, 18 * mm, 30 * mm, 44 * mm]
    role_width = max((full - sum(fixed)) / max(len(roles), 1), 14 * mm)
    header = [p(t, SMALL_BOLD) for t in ("No", "Kegiatan")]
    header += [p(role, ROLE) for role in roles]
    header += [p(t, SMALL_BOLD) for t in ("Kelengkapan", "Waktu", "Output", "Keterangan")]
    body = [header]
    for step in sop.langkah:
        actors = set(step.pelaksana)
        marks = [p("■" if role in actors else "", SMALL_CENTER) for role in roles]
        body.append([p(str(step.no), SMALL), p(step.kegiatan, SMALL), *marks,
                     p(step.kelengkapan, SMALL), p(step.waktu.teks, SMALL),
                     p(step.output, SMALL), p(_document(step), SMALL)])
    widths = [fixed[0], fixed[1], *[role_width] * len(roles), *fixed[2:]]
    steps = grid_table(body, widths, repeatRows=1)
    steps.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), "#e6e6e6"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    story.append(steps)
    doc.build(story)
    return buffer.getvalue()
