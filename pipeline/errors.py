"""Errors a user can act on: each carries a one-line message and is shown without a traceback."""


class InputError(Exception):
    """The input cannot be read as a case report (corrupt, encrypted, scanned, empty, ...)."""
