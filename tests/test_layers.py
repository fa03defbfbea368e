"""Data flows one way: no module imports from a floor above its own (README, Architecture).
Imports only needed for type checking (``if TYPE_CHECKING:``) do not count."""

import ast
from pathlib import Path

from conftest import ROOT

#: The floors, top to bottom; a module may import from its own floor or any floor below.
FLOORS = {
    "cli": 90, "__main__": 90,
    "recap": 80,
    "monitor": 75,  # monitor.* : website monitoring (SOP monitoring-website, step 2)
    "batch": 70, "archive": 70, "sop.steps": 70, "sop.cases": 70, "sop.form": 70,
    "sop.catalogue": 65, "sop.model": 65, "sop": 65,
    "service": 60,
    "signing": 55,  # signing.* : PAdES signatures, verification, office keys
    "kinds": 50,  # the registry and every kind module (kinds.*)
    "render": 40,  # render.* : the shared PDF and DOCX blocks, kop, seal, fonts
    "view": 30,
    "office": 20, "kalender": 20,
    "agenda": 10, "records": 10, "registry": 10, "summary": 10, "seal": 10, "store": 10,
    "inputs": 10, "xlsx": 10,
    "idn": 0, "alone": 0, "cache": 0, "numbering": 0, "nip": 0, "errors": 0, "series": 0,
}


def floor(module: str) -> int:
    """The floor of ``sopdocs.<module>``: its own entry, else its package's."""
    while module not in FLOORS:
        assert "." in module, f"sopdocs.{module} has no floor in tests/test_layers.py"
        module = module.rsplit(".", 1)[0]
    return FLOORS[module]


def imports(path: Path, module: str) -> set[str]:
    """The sopdocs modules ``module`` imports at run time (relative imports resolved)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and getattr(node.test, "id", "") == "TYPE_CHECKING"
                   for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or id(node) in typing_only:
            continue
        if node.level:
            parts = package.split(".") if package else []
            base = parts[:len(parts) - node.level + 1]
            if node.module:
                found.add(".".join([*base, node.module]))
            else:  # from . import x: x is a module of that package, or a name in it
                found |= {".".join([*base, a.name]) for a in node.names}
        elif node.module and node.module.startswith("sopdocs."):
            found.add(node.module.removeprefix("sopdocs."))
    return {m for m in found if m}


def test_no_module_imports_from_a_floor_above_it():
    package = ROOT / "sopdocs"
    upward = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        module = ".".join(p for p in parts if p != "__init__")
        if not module:
            continue  # sopdocs/__init__.py only re-exports, lazily
        for target in imports(path, module):
            target = target if _exists(package, target) else target.rpartition(".")[0]
            if target and floor(target) > floor(module):  # "": a name of sopdocs/__init__
                upward.append(f"{module} imports {target}")
    assert upward == []


def _exists(package: Path, module: str) -> bool:
    path = package.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_package_is_installed():
    """A package missing from setup.cfg works in an editable install and is absent from a
    real one (the console script then fails on a user's machine)."""
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    listed = set(config["options"]["packages"].split())
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "sopdocs").rglob("__init__.py")}
    assert found - listed == set()
