"""Turn a record and an office into the *view*: every text the document prints, already in
its Indonesian form. The DOCX template and the PDF layout both print the same view, so the two
formats can never say different things."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import idn
from .errors import RecordError
from .numbering import Nomor
from .office import Workspace
from .records import ROLE_KEY, Naskah, Pejabat, Penandatangan, item_path

if TYPE_CHECKING:
    from .kinds import Kind

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
        return [self.jabatan(item_path(path, i), v) for i, v in enumerate(values)]


def numbered(items: list[str], always: bool = False) -> list[dict[str, str]]:
    """Number a list ``1.``, ``2.`` …; a list of recipients only when it has more than one."""
    if len(items) == 1 and not always:
        return [{"no": "", "teks": items[0]}]
    return [{"no": f"{i}.", "teks": t} for i, t in enumerate(items, 1)]


def ticks(options: list[str], chosen: list[str]) -> list[dict[str, str]]:
    """Return a tick list: every option with ``■`` when chosen, ``□`` when not; chosen
    entries the options lack are added at the end. (Both glyphs are in Arial and in the
    embedded Liberation Sans.)"""
    wanted = {c.casefold() for c in chosen}
    known = {o.casefold() for o in options}
    rows = [{"tanda": "■" if o.casefold() in wanted else "□", "teks": o} for o in options]
    return rows + [{"tanda": "■", "teks": c} for c in chosen if c.casefold() not in known]


def pangkat_text(p: Pejabat) -> str:
    """Return ``Pembina Utama Muda (IV/c)``, or the pangkat alone when no golongan is known."""
    if p.pangkat and p.golongan:
        return f"{p.pangkat} ({p.golongan})"
    return p.pangkat or ""


def signature(r: Resolver, ttd: Penandatangan, label_nip: str,
              path: str = "penandatangan") -> View:
    """Return the signature block: the capacity lines (a.n. / u.b. / Plt. / Plh.), the signer's
    jabatan with a comma, then nama, pangkat (golongan) and NIP."""
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


def tempat_of(r: Resolver, value: str | None) -> str:
    """The place a document is made: the one given, else the office's."""
    return value or r.office.tempat


def pihak(r: Resolver, path: str, value: str | Pejabat, label: str) -> View:
    """A party of a berita acara: its particulars for the opening and its signature block."""
    label_nip = r.office.tata_letak.label_nip
    p = r.pejabat(path, value) or Pejabat(nama="-", jabatan="-")
    instansi = p.instansi or idn.kapital_judul(r.office.kop.instansi)
    rincian = [("Nama", p.nama)]
    if p.nip:
        rincian.append((label_nip, p.nip))
    elif p.identitas:
        rincian.append(("Identitas", p.identitas))
    if p.pangkat:
        rincian.append(("Pangkat/Gol.", pangkat_text(p)))
    rincian += [("Jabatan", p.jabatan), ("Instansi", instansi)]
    return {
        "rincian": [{"label": a, "nilai": b} for a, b in rincian],
        "ttd": {"jabatan": [f"{label},", p.jabatan], "nama": p.nama,
                "pangkat": pangkat_text(p),
                "nip": f"{label_nip} {p.nip}" if p.nip else (p.identitas or "")},
    }


def build_view(kind: Kind, record: Naskah, workspace: Workspace, *, konsep: bool,
               source: str) -> View:
    """Return the view of ``record`` (a ``kind`` document) in ``workspace``'s office, with the
    number still blank.

    Raises RecordError listing every role key the office does not know.
    """
    office = workspace.office
    r = Resolver(workspace)
    view: View = {
        "kop": {"pemerintah": office.kop.pemerintah, "instansi": office.kop.instansi,
                "alamat": list(office.kop.alamat)},
        "konsep": konsep,
        "paraf": [{"no": str(i), "jabatan": j}
                  for i, j in enumerate(r.jabatan_list("paraf", record.paraf), 1)],
    }
    if kode := getattr(record, "kode_klasifikasi", None):
        view["nomor"] = Nomor(kode, 0, office.unit, record.tanggal.year,
                              record.tanggal.month, office.nomor.pola).konsep()
    view.update(kind.view(record, r))
    if r.problems:
        raise RecordError(source, r.problems)
    return view
