"""``sopdocs keys new``: a self-signed office certificate in a PKCS#12 file.

Such a certificate proves that a file is unchanged since the office signed it, inside the
office; it is not a certified electronic signature under PP 71/2019 (that needs a
certificate from an Indonesian PSrE such as BSrE), and every signature made with it says so.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..nip import NIP
from . import TIDAK_TERSERTIFIKASI, SigningError, printable

#: X.509's upper bound for a common name (and an organisation's name).
MAX_CN = 64

WARNING = (f"this certificate is self-signed: signatures made with it are {TIDAK_TERSERTIFIKASI} "
           "(internal integrity only, not a certified electronic signature under PP 71/2019)")


def new_p12(cn: str, passphrase: bytes, *, organization: str = "", nip: str = "",
            days: int = 3 * 365, key_size: int = 3072) -> bytes:
    """A PKCS#12 file holding a new RSA key and a self-signed certificate for ``cn`` (the
    NIP, when given, as the subject's serial number, as BSrE certificates carry the NIK),
    usable for PDF signatures (digitalSignature, nonRepudiation)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    cn = cn.strip()
    if not cn:
        raise SigningError("the certificate needs a name (--cn)", option="cn")
    if printable(cn) != cn or len(cn) > MAX_CN:
        raise SigningError(f"the name must be one line of at most {MAX_CN} characters, "
                           f"without control or direction characters: {printable(cn)[:80]!r}",
                           option="cn")
    if nip:
        try:
            nip = NIP.parse(nip).digits
        except ValueError as exc:
            raise SigningError(str(exc), option="nip") from None
    if not passphrase:
        raise SigningError("give a passphrase for the key file")
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if organization := printable(" ".join(organization.split()))[:MAX_CN].strip():
        # X.509 holds 64 characters; a long instansi is cut rather than refused
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if nip:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, nip))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"))
    name = x509.Name(attributes)
    now = datetime.now(UTC).replace(microsecond=0)
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(
        cn.encode("utf-8"), key, cert, None,
        serialization.BestAvailableEncryption(passphrase))


def write_p12(path: Path, data: bytes) -> Path:
    """Write a key file readable by its owner only; never over an existing file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SigningError(f"{path} already exists; sopdocs never overwrites a key file",
                           option="out") from None
    except OSError as exc:
        raise SigningError(f"{path}: cannot write ({exc.strerror})", option="out") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path
