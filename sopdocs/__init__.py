"""sopdocs: the paperwork of Indonesian government SOPs as numbered DOCX and PDF.

The library is usable without the CLI::

    from sopdocs import make_document, find_office
    workspace, _ = find_office()
    made = make_document("nota-dinas", data, workspace)

Heavy modules (pydantic, docxtpl, reportlab) load on first use, so ``import sopdocs`` is cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["find_office", "load_office", "make_document"]


def __getattr__(name: str) -> Any:
    if name == "make_document":
        from .service import make_document

        return make_document
    if name in ("find_office", "load_office"):
        from . import office

        return getattr(office, name)
    raise AttributeError(f"module 'sopdocs' has no attribute {name!r}")
