"""What the SOP form says, whatever it is drawn with (``form.py``: PDF, ``form_docx.py``:
DOCX): the identity rows, who ratifies the SOP (the pengesahan), the flowchart's columns, the
column and the symbol of every step, and the Keterangan text.

Texts are taken exactly as the catalogue and the office profile write them (never upper-cased:
an SOP name may hold a URL).

Rules the form follows (PermenPANRB 35/2012, see README):

* **Columns**: one Pelaksana column per role of ``sop.peran``, in its order; an SOP without
  ``peran`` gets one column per actor in the order they first act.
* **Where a step is drawn**: in the column of each of its ``pelaksana`` that is a column; a
  step whose pelaksana is none of the columns (PPID step 5, "Sekretariat / Bidang") is drawn
  in its ``penerima``'s column(s), where the flow arrives. The flow enters a step at its first
  actor's symbol and leaves it from its last; the symbols of several actors who do one step
  are joined by a plain line (no arrowhead), left to right.
* **Symbols**: a decision (a step with ``keputusan``) is a diamond, the first and the last
  step are capsules (terminators), every other step a rectangle (process). When a step has
  several actors, the flow's entry symbol of the first step and exit symbol of the last step
  are the capsules (a decision's diamond is its exit symbol); the others are rectangles.
* **Pengesahan** ("Disahkan oleh"): the SOP's ``disahkan_oleh`` names a jabatan as the paper
  SOP printed it ("Kepala Dinas, Drs. …"); the form prints the official who holds that office
  *now*, from the office profile: the role ``disahkan_oleh`` names when it is a role key of
  the profile (``sekretaris``), else the profile's ``kepala-dinas``. A profile without that
  official is an OfficeError: the form never prints a signer the office did not name.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CatalogueError, OfficeError
from ..office import Workspace
from ..records import ROLE_KEY
from .model import SOP, Cabang, Langkah

#: The role that ratifies an SOP unless its ``disahkan_oleh`` is a role key.
PENGESAH = "kepala-dinas"

TERMINATOR, PROCESS, DECISION = "terminator", "process", "decision"

#: The first part of the identity page: label and value, in the regulation's order (the
#: "Disahkan oleh" row, the signature, comes between Tanggal Efektif and Nama SOP).
LABELS = ("Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif")
DISAHKAN, NAMA = "Disahkan oleh", "Nama SOP"

#: Column headers of the flowchart.
NO, KEGIATAN, PELAKSANA, MUTU_BAKU, KETERANGAN = ("No", "Kegiatan", "Pelaksana", "Mutu Baku",
                                                  "Keterangan")
MUTU = ("Kelengkapan", "Waktu", "Output")

#: Base widths in mm of the text columns (No, Kegiatan, Kelengkapan, Waktu, Output,
#: Keterangan) and the limits of an actor column; the actor columns share the rest.
BASE = (7.0, 50.0, 26.0, 15.0, 24.0, 34.0)
ROLE_MIN, ROLE_MAX = 15.0, 22.0
#: Who gets the width left over when the actor columns are at their widest.
SURPLUS = (0.0, 0.5, 0.1, 0.0, 0.1, 0.3)


@dataclass(frozen=True)
class Pengesah:
    """Who ratifies the SOP, as the "Disahkan oleh" cell prints them."""

    jabatan: str
    nama: str
    nip: str  # with its label (``NIP 1968…``), or empty


@dataclass(frozen=True)
class Simbol:
    """One symbol of a step: the column it is drawn in and its kind."""

    kolom: int
    jenis: str


@dataclass(frozen=True)
class Baris:
    """One step as a row of the flowchart."""

    langkah: Langkah
    simbol: tuple[Simbol, ...]  # in flow order: the flow enters the first, leaves the last
    mutu: tuple[str, str, str]  # kelengkapan, waktu, output
    keterangan: str

    @property
    def no(self) -> int:
        return self.langkah.no


def pengesah(sop: SOP, workspace: Workspace) -> Pengesah:
    """The official who ratifies ``sop`` in ``workspace``'s office (see the module's rule)."""
    office = workspace.office
    named = (sop.disahkan_oleh or "").strip()
    key = named if ROLE_KEY.fullmatch(named) else PENGESAH
    pejabat = office.pejabat.get(key)
    if pejabat is None:
        known = ", ".join(office.pejabat) or "none"
        raise OfficeError(
            f"the SOP form of {sop.kunci} is ratified by the office's {key!r}, which the office "
            f"profile does not name (pejabat: {known}); add pejabat {key} to the profile"
            + ("" if key != PENGESAH else ", or give a role key in the SOP's disahkan_oleh"))
    nip = f"{office.tata_letak.label_nip} {pejabat.nip}" if pejabat.nip else ""
    return Pengesah(jabatan=pejabat.jabatan, nama=pejabat.nama, nip=nip)


def identity_rows(sop: SOP) -> list[tuple[str, str]]:
    """Nomor SOP and the three dates, ``-`` where the SOP gives none."""
    values = (sop.nomor, sop.tanggal_pembuatan, sop.tanggal_revisi, sop.tanggal_efektif)
    return [(label, value or "-") for label, value in zip(LABELS, values, strict=True)]


def identity_blocks(sop: SOP) -> list[tuple[str, list[str]]]:
    """The six blocks under the identity rows, in pairs (left, right) as the form prints them."""
    i = sop.identitas
    return [("Dasar Hukum", i.dasar_hukum), ("Kualifikasi Pelaksana", i.kualifikasi_pelaksana),
            ("Keterkaitan", i.keterkaitan), ("Peralatan/Perlengkapan", i.peralatan),
            ("Peringatan", i.peringatan), ("Pencatatan dan Pendataan", i.pencatatan)]


def columns(sop: SOP) -> list[str]:
    """The Pelaksana columns: the SOP's roles, else its actors in the order they first act."""
    if sop.peran:
        return [r.nama for r in sop.peran]
    found: list[str] = []
    for step in sop.langkah:
        found += [a for a in step.pelaksana if a not in found]
    return found


def column_widths(total: float, roles: int) -> list[float]:
    """The widths in mm of every column of a flowchart ``total`` mm wide with ``roles``
    actor columns: No, Kegiatan, the actors, Kelengkapan, Waktu, Output, Keterangan."""
    base = list(BASE)
    role = (total - sum(base)) / roles
    if role < ROLE_MIN:
        role = ROLE_MIN
        scale = (total - roles * role) / sum(base)
        base = [b * scale for b in base]
    elif role > ROLE_MAX:
        role = ROLE_MAX
        extra = total - sum(base) - roles * role
        base = [b + extra * s for b, s in zip(base, SURPLUS, strict=True)]
    return [base[0], base[1], *[role] * roles, *base[2:]]


def actor_columns(sop: SOP, step: Langkah, names: list[str]) -> list[int]:
    """The columns ``step`` is drawn in, in flow order (see the module's rule)."""
    for who in (step.pelaksana, step.penerima):
        found = [names.index(a) for a in who if a in names]
        if found:
            return list(dict.fromkeys(found))
    raise CatalogueError(
        f"SOP {sop.kunci} step {step.no}: neither its pelaksana ({', '.join(step.pelaksana)}) "
        f"nor its penerima is one of the flowchart's roles ({', '.join(names)}); name a role "
        f"of peran")


def _kinds(sop: SOP, step: Langkah, count: int) -> list[str]:
    """The symbol kind of each of a step's ``count`` symbols (flow order)."""
    kinds = [PROCESS] * count
    if step.keputusan is not None:
        kinds[-1] = DECISION
    elif step.no == 1:
        kinds[0] = TERMINATOR
    if step.no == len(sop.langkah) and step.keputusan is None:
        kinds[-1] = TERMINATOR
    return kinds


def _target(branch: Cabang) -> str:
    return "selesai" if branch.lanjut == "selesai" else f"ke langkah {branch.lanjut}"


def keterangan(step: Langkah) -> str:
    """The Keterangan cell: where a decision leads, the step's note, the documents it makes
    (``Naskah: …``; a decision's branch documents are in ``sop show``)."""
    parts = []
    if step.keputusan is not None:
        for word, branch in (("Ya", step.keputusan.ya), ("Tidak", step.keputusan.tidak)):
            note = f" ({branch.keterangan})" if branch.keterangan else ""
            parts.append(f"{word}: {_target(branch)}{note}.")
    if step.keterangan:
        parts.append(step.keterangan)
    if step.dokumen:
        parts.append("Naskah: " + "; ".join(d.label for d in step.dokumen) + ".")
    return " ".join(parts)


def rows(sop: SOP) -> tuple[list[str], list[Baris]]:
    """The flowchart: its Pelaksana columns and one row per step."""
    names = columns(sop)
    out = []
    for step in sop.langkah:
        cols = actor_columns(sop, step, names)
        kinds = _kinds(sop, step, len(cols))
        out.append(Baris(step, tuple(Simbol(c, k) for c, k in zip(cols, kinds, strict=True)),
                         (step.kelengkapan, step.waktu.teks, step.output), keterangan(step)))
    return names, out


def symbol_label(sop: SOP, baris: Baris, index: int) -> str:
    """The word inside a capsule: ``Mulai`` on the first step, ``Selesai`` on the last."""
    if baris.simbol[index].jenis != TERMINATOR:
        return ""
    return "Mulai" if baris.no == 1 else "Selesai"
