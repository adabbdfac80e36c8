"""Reading a dump for the browser: the one place that calls the library's loader.

The viewer must open whatever it is given, so a dump the strict parse
rejects is read again with repairs (each one becomes a warning) instead of
stopping. The strict parse comes first because a clean dump, the usual
case, needs nothing more.
"""

from __future__ import annotations

from ..errors import ParseError
from ..model import Thread


def load_thread(path: str) -> tuple[Thread, list[str]]:
    """The thread in ``path`` ("-": standard input) and the warnings to show about it.

    Raises InputError when the file cannot be read; a dump that does not
    follow the format is repaired, never refused.
    """
    from .. import api

    result = None
    if path != "-":  # standard input cannot be read twice: it goes straight to the repairing parse
        try:
            result = api.load(path)
        except ParseError:
            result = None
    if result is None:
        result = api.load(path, recover=True)
    warnings = [str(problem) for problem in result.decoding]
    warnings += [f"{problem}; {problem.repair}" if problem.repair else str(problem) for problem in result.problems]
    mismatch = result.thread.count_warning()
    if mismatch:
        warnings.append(mismatch)
    return result.thread, warnings
