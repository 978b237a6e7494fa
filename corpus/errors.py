"""Error types shared by every layer.

Library code raises these; only the CLI turns them into ``Error: ...`` and an
exit status.  Messages always say *where* (file, line or byte offset) and *what*.
"""
from __future__ import annotations


class MtreviewError(Exception):
    """Base class for every error mtreview reports to a user."""


class InputError(MtreviewError):
    """Bad input file: names the file, the line (or byte offset) and the problem."""

    def __init__(self, path: str, problem: str, *, line: int | None = None, offset: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.offset = offset
        where = self.path
        if line is not None:
            where += f":{line}"
        if offset is not None:
            where += f" (byte {offset})"
        super().__init__(f"{where}: {problem}")
