"""PAdES signatures on the PDFs sopdocs makes, and a verifier for any PDF.

``keys`` makes a self-signed office certificate (internal integrity only), ``credentials``
loads a signing key from a PKCS#12 file or a PKCS#11 token, ``appearance`` draws the visible
block, ``pades`` signs (pyHanko: baseline B-B, B-T with a timestamp authority), ``verify``
reports who signed, when, whether the file is intact and what the register says.
"""

from __future__ import annotations

import logging
import unicodedata

from ..errors import SopdocsError

# pyHanko logs what it finds (a self-signed certificate, with its traceback) as errors;
# sopdocs reports its findings itself, so nothing of that reaches the user's terminal.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())

#: What an uncertified signature is called, on the page and by ``verify`` (PP 71/2019).
TIDAK_TERSERTIFIKASI = "tidak tersertifikasi"
TERSERTIFIKASI = "tersertifikasi"


class SigningError(SopdocsError):
    """Raised when a file cannot be signed or checked (wrong passphrase, unreadable
    certificate, not a PDF, the signed copy exists already); nothing was written."""


def printable(text: str) -> str:
    """``text`` with control, line-breaking and bidirectional-format characters shown as
    ``\\uXXXX``: what a certificate or a service says is printed one fact a line, and a name
    holding a newline, an escape sequence or a right-to-left override must not add a line,
    move the cursor or reverse what follows."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _HIDDEN else c
                   for c in text)


_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
