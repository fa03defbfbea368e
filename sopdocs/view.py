"""Turn a record and an office into the *view*: every text the document prints, already in
its Indonesian form. The DOCX template and the PDF layout both print the same view, so the two
formats can never say different things."""

from __future__ import annotations

from typing import Any

from . import idn
from .errors import RecordError
from .numbering import Nomor
from .office import Workspace
from .records import ROLE_KEY, NotaDinas, Pejabat, Penandatangan

View = dict[str, Any]


class Resolver:
    """Look up role keys in the office, collecting every problem instead of stopping at one."""

    def __init__(self, workspace: Workspace):
        self.office = workspace.office
        self.problems: list[tuple[str, str]] = []

    def _unknown(self, path: str, key: str) -> None:
        known = ", ".join(self.office.pejabat) or "none"
        self.problems.append((path, f"unknown role {key!r} (roles in the office profile: {known})"))

    def pejabat(self, path: str, value: str | Pejabat) -> Pejabat | None:
        """Return the official a role key names, or the pejabat given in full."""
        if isinstance(value, Pejabat):
            return value
        if not ROLE_KEY.fullmatch(value):
            self.problems.append((path, f"{value!r} is neither a role key (e.g. kepala-dinas) "
                                        "nor a pejabat with nama, jabatan and NIP"))
            return None
        if value not in self.office.pejabat:
            self._unknown(path, value)
            return None
        return self.office.pejabat[value]

    def jabatan(self, path: str, value: str) -> str:
        """Return the jabatan a role key names, or the text itself when it is not a key."""
        if not ROLE_KEY.fullmatch(value):
            return value
        if value not in self.office.pejabat:
            self._unknown(path, value)
            return value
        return self.office.pejabat[value].jabatan

    def jabatan_list(self, path: str, values: list[str]) -> list[str]:
        return [self.jabatan(f"{path}[{i}]", v) for i, v in enumerate(values)]


def numbered(items: list[str]) -> list[dict[str, str]]:
    """Number a list of recipients ``1.``, ``2.`` … only when there is more than one."""
    if len(items) == 1:
        return [{"no": "", "teks": items[0]}]
    return [{"no": f"{i}.", "teks": t} for i, t in enumerate(items, 1)]


def pangkat_text(p: Pejabat) -> str:
    """Return ``Pembina Utama Muda (IV/c)``, or the pangkat alone when no golongan is known."""
    if p.pangkat and p.golongan:
        return f"{p.pangkat} ({p.golongan})"
    return p.pangkat or ""


def signature(r: Resolver, ttd: Penandatangan, label_nip: str) -> View:
    """Return the signature block: the capacity lines (a.n. / u.b. / Plt. / Plh.), the signer's
    jabatan with a comma, then nama, pangkat (golongan) and NIP."""
    path = "penandatangan"
    pejabat = r.pejabat(f"{path}.pejabat", ttd.pejabat)
    lines: list[str] = []
    if ttd.an:
        lines.append(f"a.n. {r.jabatan(f'{path}.an', ttd.an)}")
        if ttd.ub:
            lines += [r.jabatan(f"{path}.ub", ttd.ub), "u.b."]
    elif ttd.plt:
        lines.append(f"Plt. {r.jabatan(f'{path}.plt', ttd.plt)}")
    elif ttd.plh:
        lines.append(f"Plh. {r.jabatan(f'{path}.plh', ttd.plh)}")
    if pejabat is None:
        return {"jabatan": lines, "nama": "", "pangkat": "", "nip": ""}
    lines.append(f"{pejabat.jabatan},")
    return {
        "jabatan": lines,
        "nama": pejabat.nama,
        "pangkat": pangkat_text(pejabat),
        "nip": f"{label_nip} {pejabat.nip}" if pejabat.nip else "",
    }


def _nota_dinas(rec: NotaDinas, r: Resolver, ttd: View) -> View:
    signer_jabatan = ttd["jabatan"][-1].rstrip(",") if ttd["jabatan"] else ""
    return {
        "kepada": numbered(r.jabatan_list("kepada", rec.kepada)),
        "dari": r.jabatan("dari", rec.dari) if rec.dari else signer_jabatan,
        "tembusan": numbered(r.jabatan_list("tembusan", rec.tembusan)) if rec.tembusan else [],
        "tanggal": idn.tanggal(rec.tanggal),
        "sifat": rec.sifat.value,
        "lampiran": rec.lampiran or "-",
        "hal": rec.hal,
        "isi": list(rec.isi),
    }


#: The view of each kind's own fields, by record type.
_KIND_VIEWS = {NotaDinas: _nota_dinas}


def build_view(record: Any, workspace: Workspace, *, konsep: bool, source: str) -> View:
    """Return the view of ``record`` in ``workspace``'s office, with the number still blank.

    Raises RecordError listing every role key the office does not know.
    """
    office = workspace.office
    r = Resolver(workspace)
    ttd = signature(r, record.penandatangan, office.tata_letak.label_nip)
    view: View = {
        "kop": {"pemerintah": office.kop.pemerintah, "instansi": office.kop.instansi,
                "alamat": list(office.kop.alamat)},
        "konsep": konsep,
        "nomor": Nomor(record.kode_klasifikasi, 0, office.unit, record.tanggal.year,
                       record.tanggal.month, office.nomor.pola).konsep(),
        "tata_letak": office.tata_letak.model_dump(),
        "penandatangan": ttd,
        "paraf": [{"no": str(i), "jabatan": j}
                  for i, j in enumerate(r.jabatan_list("paraf", record.paraf), 1)],
    }
    view.update(_KIND_VIEWS[type(record)](record, r, ttd))
    if r.problems:
        raise RecordError(source, r.problems)
    return view
