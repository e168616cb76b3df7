"""Errors the CLI turns into one clear line (never a traceback)."""


class SdkgenError(Exception):
    """A user-facing failure: the message names the file (and line) at fault."""


class UsageError(SdkgenError):
    """Bad command-line usage: exit status 2."""
