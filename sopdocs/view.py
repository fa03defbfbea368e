"""Turn a record and an office into the *view*: every text the document prints, already in
its Indonesian form. The DOCX template and the PDF layout both print the same view, so the two
formats can never say different things."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import idn
from .errors import RecordError
from .idn import kutip
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


#: The marks of the list levels of the tata naskah: ``1.``, then ``a.``, then ``1)``, then
#: ``a)`` (a laporan's sections, lettered ``A.``, sit above these).
LEVELS = ("{n}.", "{a}.", "{n})", "{a})")


def numbered(items: list[str], always: bool = False, level: int = 1) -> list[dict[str, str]]:
    """Number a list as the tata naskah numbers its levels: level 1 ``1.``, ``2.`` …, level 2
    ``a.``, ``b.`` …, level 3 ``1)``, ``2)`` …, level 4 ``a)``, ``b)`` …. A list of one item
    (one recipient, one dasar) is numbered only when ``always``."""
    if len(items) == 1 and not always:
        return [{"no": "", "teks": items[0]}]
    return [{"no": marker(level, i), "teks": t} for i, t in enumerate(items, 1)]


def marker(level: int, n: int) -> str:
    """The mark of item ``n`` (from 1) of a list at ``level`` (1 to 4): ``3.``, ``c.``,
    ``3)``, ``c)``."""
    letters, rest = "", n
    while rest:  # the 27th item of a lettered list is ``aa.``
        rest, digit = divmod(rest - 1, 26)
        letters = chr(ord("a") + digit) + letters
    return LEVELS[level - 1].format(n=n, a=letters)


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


def needs_nip(r: Resolver, path: str, value: str | Pejabat) -> None:
    """Note a problem when a person written out in full is a civil servant (PNS) without a
    NIP. A person outside the civil service (a vendor, an OPD's contract staff) says so by
    giving ``identitas`` (``NIK 1371…``) instead; a golongan is a PNS golongan, so it needs
    the NIP whatever else is given. An official named by role key is printed as the office
    profile gives them."""
    if not isinstance(value, Pejabat) or value.nip:
        return
    if value.golongan:
        r.problems.append((f"{path}.nip", f"golongan {value.golongan} is a PNS golongan: give "
                                          "the NIP of a PNS party"))
    elif not value.identitas:
        r.problems.append((f"{path}.nip", "a PNS party needs a NIP; for a party outside the "
                                          "civil service give identitas (NIK …) instead"))


def same_jabatan(a: str, b: str) -> bool:
    """Whether two jabatan are one: capitals, spacing and a closing comma aside."""
    def norm(text: str) -> str:
        return " ".join(text.casefold().replace(",", " ").split())
    return norm(a) == norm(b)


#: The smallest size a line that must stay one line (the place and date) is set in.
SMALLEST_LINE = 8


def one_line_size(r: Resolver, path: str, line: str, size: float | None) -> float:
    """The font size of a line that must not wrap (``Padang, 22 November 2026``): ``size``,
    the largest at which the renderer found it fits. None (not even at ``SMALLEST_LINE``
    points) is a problem at ``path``: such a place is an address, not a place."""
    if size is None:
        r.problems.append((path, f"{kutip(line)} does not fit on one line even at "
                                 f"{SMALLEST_LINE} pt: write the place only (e.g. Padang)"))
        return SMALLEST_LINE
    return size


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
        # the footer of the electronic-signature variant (--tte); None: a wet signature
        # (the service sets it when it renders that variant)
        "tte": None,
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
