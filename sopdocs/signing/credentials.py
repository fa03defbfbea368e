"""Where the signing key is: a PKCS#12 file (``--p12``) or a PKCS#11 token (``--pkcs11``,
a USB token or an HSM). The passphrase or PIN is used here and kept nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import SigningError

#: A PKCS#12 file larger than this is not a key file.
MAX_P12_BYTES = 1024 * 1024


@dataclass(frozen=True)
class P12:
    """A PKCS#12 file and its passphrase."""

    path: Path
    passphrase: bytes = field(repr=False)  # never in a message or a log


@dataclass(frozen=True)
class Token:
    """A PKCS#11 module, the label of the key (and its certificate) and the user PIN."""

    library: Path
    key_label: str
    pin: str = field(repr=False)
    #: Which token, when the module offers several initialised ones.
    token_label: str | None = None


Credentials = P12 | Token


@contextmanager
def signer_of(credentials: Credentials) -> Iterator[Any]:
    """Yield a pyHanko signer for ``credentials``; raise SigningError with one line saying
    what is wrong (no file, not a PKCS#12 file, wrong passphrase, no such key on the token)."""
    if isinstance(credentials, P12):
        yield _p12_signer(credentials)
        return
    from pkcs11 import PKCS11Error
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    if not credentials.library.is_file():
        raise SigningError(f"{credentials.library}: no such PKCS#11 module", option="pkcs11")
    from pyhanko.config.pkcs11 import TokenCriteria

    label = credentials.token_label or _only_token(credentials.library)
    try:
        session = open_pkcs11_session(str(credentials.library), user_pin=credentials.pin,
                                      token_criteria=TokenCriteria(label=label))
    except (PKCS11Error, OSError, RuntimeError) as exc:
        raise SigningError(f"{credentials.library}: cannot open the token "
                           f"({type(exc).__name__}: wrong PIN or no token?)",
                           option="pkcs11") from None
    try:
        signer = PKCS11Signer(session, cert_label=credentials.key_label,
                              key_label=credentials.key_label)
        try:
            _ = signer.signing_cert
        except Exception:  # pyHanko raises its own or PKCS#11 errors: one message
            raise SigningError(f"no certificate and key labelled {credentials.key_label!r} "
                               "on the token", option="key_label") from None
        yield signer
    finally:
        session.close()


def _only_token(library: Path) -> str:
    """The label of the module's one initialised token (a USB token has one; SoftHSM lists a
    free slot beside it); SigningError when there are none or several."""
    import pkcs11
    from pkcs11 import TokenFlag

    try:
        tokens = [slot.get_token() for slot in pkcs11.lib(str(library)).get_slots(
            token_present=True)]
    except (pkcs11.PKCS11Error, OSError, RuntimeError) as exc:
        raise SigningError(f"{library}: not a usable PKCS#11 module ({type(exc).__name__})",
                           option="pkcs11") from None
    labels = [t.label for t in tokens if TokenFlag.TOKEN_INITIALIZED & t.flags]
    if len(labels) != 1:
        raise SigningError(f"{library}: {len(labels) or 'no'} initialised tokens"
                           + (f" ({', '.join(labels)}): name one with --token-label"
                              if labels else ""), option="pkcs11")
    return str(labels[0])


def _kept_key_signer(base: type) -> type:
    """pyHanko's SimpleSigner that signs with the key object loaded once: SimpleSigner loads
    the key from DER for every signature (twice per PDF, with OpenSSL's full RSA key check:
    about 0.14 s each for a 3072-bit key), which made signing cost more than making."""
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class KeptKeySigner(base):
        def __init__(self, key: Any, **kwargs: Any):
            super().__init__(**kwargs)
            self._key = key

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if (mechanism["algorithm"].native in ("rsassa_pkcs1v15", "sha256_rsa", "sha384_rsa",
                                                  "sha512_rsa")
                    and isinstance(self._key, RSAPrivateKey)):
                return bytes(self._key.sign(data, PKCS1v15(),
                                            get_pyca_cryptography_hash(digest_algorithm)))
            return bytes(super().sign_raw(data, digest_algorithm))

    return KeptKeySigner


def _p12_signer(credentials: P12) -> Any:
    """A pyHanko SimpleSigner from a PKCS#12 file (key, certificate and its chain)."""
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        pkcs12,
    )
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    path = credentials.path
    try:
        if path.stat().st_size > MAX_P12_BYTES:
            raise SigningError(f"{path} is not a PKCS#12 key file (too large)", option="p12")
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(f"{path}: no such file", option="p12") from None
    except IsADirectoryError:
        raise SigningError(f"{path} is a folder, not a PKCS#12 key file", option="p12") from None
    except OSError as exc:
        raise SigningError(f"{path}: cannot read ({exc.strerror})", option="p12") from None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, credentials.passphrase)
    except ValueError as exc:
        wrong = "password" in str(exc).lower()  # OpenSSL cannot tell it from a damaged MAC
        raise SigningError(f"{path}: wrong passphrase (or a damaged key file)" if wrong
                           else f"{path} is not a readable PKCS#12 key file", option="p12"
                           ) from None
    if key is None or cert is None:
        raise SigningError(f"{path} holds no private key with its certificate", option="p12")
    der_key = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return _kept_key_signer(SimpleSigner)(
        key,
        signing_cert=x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        signing_key=keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs(
            [x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in chain]))


def in_force(cert: Any, when: datetime) -> None:
    """SigningError when the certificate has expired or is not valid yet: a signature made
    with it would be worth nothing, and verify would have to say so."""
    start, end = cert.not_valid_before, cert.not_valid_after
    if not start <= when <= end:
        raise SigningError(f"the certificate is valid from {start:%Y-%m-%d %H:%M} to "
                           f"{end:%Y-%m-%d %H:%M} UTC, not now: it cannot sign")


def check(credentials: Credentials) -> Any:
    """The certificate of ``credentials`` once they have opened (right passphrase, readable
    key, a certificate in force); raise SigningError otherwise. Done before a document is
    made, so that a typo or an expired certificate takes no number."""
    with signer_of(credentials) as signer:
        in_force(signer.signing_cert, datetime.now(UTC))
        return signer.signing_cert
