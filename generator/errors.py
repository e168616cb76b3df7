"""Errors the CLI turns into one clear line (never a traceback)."""

from pydantic import ValidationError


class SdkgenError(Exception):
    """A user-facing failure: the message names the file (and line) at fault."""


class UsageError(SdkgenError):
    """Bad command-line usage: exit status 2."""


def first_validation_problem(exc: ValidationError) -> str:
    """`at a.b.0: message` for the first problem pydantic found: one line for an error message."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"at {where}: {first['msg']}"
