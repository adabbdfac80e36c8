"""The project's own exceptions and the exit statuses they map to.

The library raises these; only the CLI turns them into messages and exit
codes, so a caller embedding the library never sees ``SystemExit``.
"""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Every exit code `thread` uses (the BSD sysexits values where one fits)."""

    OK = 0
    NO_MATCH = 1  # search found nothing, as grep does
    USAGE = 2  # Click's own code for a bad command line
    DATA_ERROR = 65  # the dump does not follow the format
    NO_INPUT = 66  # the input file is missing or unreadable
    IO_ERROR = 74  # the output could not be written
    INTERRUPTED = 130  # Ctrl-C


class ThreadError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_status = ExitStatus.DATA_ERROR


class InputError(ThreadError):
    """The input could not be opened or read."""

    exit_status = ExitStatus.NO_INPUT


class UsageError(ThreadError):
    """An option value the library cannot use (a bad regex, an unknown comment id)."""

    exit_status = ExitStatus.USAGE


class OutputError(ThreadError):
    """The output could not be written."""

    exit_status = ExitStatus.IO_ERROR


class ParseError(ThreadError):
    """The dump does not follow the format.

    Carries everything needed to point at the problem: the source name, the
    1-based line and column, the text of that line, what was expected there
    (in words) and a hint on how such a line usually comes about.
    """

    exit_status = ExitStatus.DATA_ERROR

    def __init__(
        self,
        message: str,
        *,
        source: str = "-",
        line: int,
        column: int,
        line_text: str = "",
        expected: tuple[str, ...] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.line_text = line_text
        self.expected = expected
        self.hint = hint
        # What the recovering parser did about it (--lenient, thread check).
        self.repair: str | None = None

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}:{self.column}"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"
