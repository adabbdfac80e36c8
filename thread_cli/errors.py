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
    SOFTWARE = 70  # a fault of thread's own (a bug, a worker process that died)
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


class InternalError(ThreadError):
    """A fault of this package's own: a bug met on one file, a worker process that died."""

    exit_status = ExitStatus.SOFTWARE


class ParseError(ThreadError):
    """The dump does not follow the format: raised with the first problem
    (:class:`thread_cli.problems.Problem`) where no repair is wanted."""

    exit_status = ExitStatus.DATA_ERROR

    def __init__(self, problem) -> None:
        super().__init__(str(problem))
        self.problem = problem

    def __getattr__(self, name: str):
        # line, column, hint, expected…: the problem's own fields
        if name == "problem":
            raise AttributeError(name)
        return getattr(self.problem, name)

    def __str__(self) -> str:
        return str(self.problem)
