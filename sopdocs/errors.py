"""The exceptions sopdocs raises: one base, ``SopdocsError``, with a subclass per source of
trouble (input, office, register, archive, template). Library messages speak of fields and
values; the CLI turns each into ``Error: …`` and exit code 1, adding option names."""

from __future__ import annotations


class SopdocsError(Exception):
    """Raised when sopdocs cannot do what was asked; the message says what to fix.

    ``option`` names the parameter the fix concerns (``decision``, ``data``), so that the CLI
    can name its flag (``--decision``) while the library's message speaks of the value.
    """

    def __init__(self, message: str, *, option: str | None = None):
        super().__init__(message)
        self.option = option


class InputError(SopdocsError):
    """Raised when an input cannot be read, parsed or used (missing file, malformed YAML or
    JSON, unknown document kind, SOP or step)."""


class CatalogueError(InputError):
    """Raised when an SOP, a step or a decision asked for does not exist."""


class RecordError(InputError):
    """Raised when a record (or an office profile) has invalid fields.

    ``problems`` holds one ``(field path, message)`` pair per problem, so that every problem
    can be shown on its own line.
    """

    def __init__(self, source: str, problems: list[tuple[str, str]], *,
                 option: str | None = None):
        self.source = source
        self.problems = problems
        count = len(problems)
        lines = [f"{source}: {count} problem{'' if count == 1 else 's'}:"]
        lines += [f"  {path}: {message}" if path else f"  {message}" for path, message in problems]
        super().__init__("\n".join(lines), option=option)


class OfficeError(SopdocsError):
    """Raised when the office profile cannot be found or does not name what a record needs."""


class NumberError(InputError):
    """Raised when a number does not fit its pattern or is not in the register."""


class RegisterError(SopdocsError):
    """Raised when the register cannot be opened or refuses a change."""


class RenderError(SopdocsError):
    """Raised when a document cannot be laid out (its text does not fit a fixed form)."""


class TemplateError(RenderError):
    """Raised when a DOCX template cannot be rendered (syntax error, undefined variable)."""


class ArchiveError(SopdocsError):
    """Raised when a file cannot be archived (not a registered document, changed, archived)."""


class OutputError(SopdocsError):
    """Raised when an output file cannot be written."""
