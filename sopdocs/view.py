"""Turn a record and an office into the *view*: every text the document prints, already in
its Indonesian form. The DOCX template and the PDF layout both print the same view, so the two
formats can never say different things."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import idn
from .errors import RecordError
from .numbering import Nomor
from .office import Workspace
from .records import (
    ROLE_KEY,
    BeritaAcara,
    Disposisi,
    Laporan,
    NotaDinas,
    Pejabat,
    Penandatangan,
    Surat,
)

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


def _tempat(r: Resolver, value: str | None) -> str:
    return value or r.office.tempat


def _nota_dinas(rec: NotaDinas, r: Resolver) -> View:
    ttd = signature(r, rec.penandatangan, r.office.tata_letak.label_nip)
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
        "penandatangan": ttd,
        "tata_letak": r.office.tata_letak.model_dump(),
    }


def _disposisi(rec: Disposisi, r: Resolver) -> View:
    settings = r.office.disposisi
    penerima = settings.penerima or list(r.office.pejabat)[1:]
    return {
        "surat_dari": rec.surat_dari,
        "nomor_surat": rec.nomor_surat,
        "tanggal_surat": idn.tanggal(rec.tanggal_surat),
        "diterima_tanggal": idn.tanggal(rec.diterima_tanggal),
        "nomor_agenda": rec.nomor_agenda or "",
        "sifat": ticks([s.value for s in settings.sifat], [s.value for s in rec.sifat]),
        "hal": rec.hal,
        "diteruskan_kepada": ticks(r.jabatan_list("disposisi.penerima", penerima),
                                   r.jabatan_list("diteruskan_kepada", rec.diteruskan_kepada)),
        "harap": ticks(list(settings.harap), list(rec.harap)),
        "catatan": rec.catatan or "",
        "oleh": signature(r, rec.oleh, r.office.tata_letak.label_nip, "oleh"),
        "tempat": r.office.tempat,
        "tanggal": idn.tanggal(rec.tanggal),
    }


def _pihak(r: Resolver, path: str, value: str | Pejabat, label: str) -> View:
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


def _berita_acara(rec: BeritaAcara, r: Resolver) -> View:
    tempat = _tempat(r, rec.tempat)
    return {
        "judul": rec.judul.upper(),
        "pembukaan": (f"Pada hari ini {idn.tanggal_terbilang(rec.tanggal)} "
                      f"({idn.tanggal_angka(rec.tanggal)}), bertempat di {tempat}, kami yang "
                      "bertanda tangan di bawah ini:"),
        "pihak_pertama": _pihak(r, "pihak_pertama", rec.pihak_pertama, "PIHAK PERTAMA"),
        "pihak_kedua": _pihak(r, "pihak_kedua", rec.pihak_kedua, "PIHAK KEDUA"),
        "pengantar": rec.pengantar,
        "isi": numbered(list(rec.isi), always=True),
        "penutup": rec.penutup,
        "tempat": tempat,
        "tanggal": idn.tanggal(rec.tanggal),
        "mengetahui": (signature(r, rec.mengetahui, r.office.tata_letak.label_nip, "mengetahui")
                       if rec.mengetahui else None),
    }


def _laporan(rec: Laporan, r: Resolver) -> View:
    p = rec.pendahuluan
    return {
        "judul": rec.judul.upper(),
        "pendahuluan": {"umum": list(p.umum), "maksud_tujuan": list(p.maksud_tujuan),
                        "ruang_lingkup": list(p.ruang_lingkup),
                        "dasar": numbered(list(p.dasar))},
        "kegiatan": list(rec.kegiatan),
        "hasil": list(rec.hasil),
        "tabel": rec.tabel.model_dump() if rec.tabel else None,
        "simpulan_saran": list(rec.simpulan_saran),
        "penutup": list(rec.penutup),
        "lampiran": numbered(list(rec.lampiran)) if rec.lampiran else [],
        "tempat": _tempat(r, rec.tempat),
        "tanggal": idn.tanggal(rec.tanggal),
        "penandatangan": signature(r, rec.penandatangan, r.office.tata_letak.label_nip),
    }


def _surat(rec: Surat, r: Resolver) -> View:
    return {
        "tempat": _tempat(r, rec.tempat),
        "tanggal": idn.tanggal(rec.tanggal),
        "sifat": rec.sifat.value,
        "lampiran": rec.lampiran or "-",
        "hal": rec.hal,
        "kepada": numbered(r.jabatan_list("kepada", rec.kepada)),
        "di": rec.di or r.office.tempat,
        "isi": list(rec.isi),
        "penandatangan": signature(r, rec.penandatangan, r.office.tata_letak.label_nip),
        "tembusan": numbered(r.jabatan_list("tembusan", rec.tembusan)) if rec.tembusan else [],
    }


#: The view of each kind's own fields, by record type.
KIND_VIEWS: dict[type, Callable[[Any, Resolver], View]] = {
    NotaDinas: _nota_dinas, Disposisi: _disposisi, BeritaAcara: _berita_acara,
    Laporan: _laporan, Surat: _surat,
}


def build_view(record: Any, workspace: Workspace, *, konsep: bool, source: str) -> View:
    """Return the view of ``record`` in ``workspace``'s office, with the number still blank.

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
    if hasattr(record, "kode_klasifikasi"):
        view["nomor"] = Nomor(record.kode_klasifikasi, 0, office.unit, record.tanggal.year,
                              record.tanggal.month, office.nomor.pola).konsep()
    view.update(KIND_VIEWS[type(record)](record, r))
    if r.problems:
        raise RecordError(source, r.problems)
    return view
