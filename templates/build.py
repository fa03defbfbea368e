"""Build the default DOCX templates: ``python templates/build.py [FOLDER]``.

Each kind module in ``sopdocs/kinds`` builds its own template from the shared blocks of
``sopdocs.render.blocks``; this script writes every one of them as ``<kind>.docx``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sopdocs.kinds import all_kinds


def main(folder: Path) -> None:
    for kind in all_kinds().values():
        for name, build in {kind.name: kind.template, **kind.extra_templates}.items():
            build().save(folder / f"{name}.docx")
            print(folder / f"{name}.docx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
