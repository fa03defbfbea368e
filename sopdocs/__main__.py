"""Run the CLI as ``python -m sopdocs``."""

from .cli import main

main()
