"""Load one module of a package without running the package's ``__init__``.

Some packages import everything they have when any part of them is imported: num2words
all of its ~50 languages (15 ms) for the one sopdocs uses, reportlab's barcode package every
barcode widget, shapes and charts (10 ms) for its QR encoder. Where the wanted module stands
alone (imports nothing of its package), it is loaded by itself, under a name of its own.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def module_alone(package: str, name: str) -> ModuleType:
    """Return module ``name`` of ``package`` (``"num2words"``, ``"lang_ID"``), executed on
    its own. Raises ImportError when it cannot be (the package is missing or not installed
    as files, or the module imports its siblings): callers then import it the usual way."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{package} is not a package installed as files")
    path = Path(next(iter(spec.submodule_search_locations))) / f"{name}.py"
    # a name outside any package: a relative import in the module fails instead of
    # quietly importing the package after all
    unique = f"{package}.{name}".replace(".", "_") + "_alone"
    alone = importlib.util.spec_from_file_location(unique, path)
    if alone is None or alone.loader is None or not path.is_file():
        raise ImportError(f"{path} is not a module file")
    module = importlib.util.module_from_spec(alone)
    try:
        alone.loader.exec_module(module)
    except (ImportError, OSError) as exc:  # it needs its package after all
        raise ImportError(f"{package}.{name} does not stand alone: {exc}") from exc
    return module
