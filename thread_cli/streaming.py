"""Exporting JSON Lines while parsing, in memory that does not grow with the dump.

The file is read piece by piece, each top-level comment is written out (after
the filters) as soon as the parser has finished it, and then dropped. Only
the comment being parsed and a few lines of look-ahead are ever in memory.
"""

from __future__ import annotations

from typing import Callable

from .errors import UsageError
from .formats.flat import json_line_encoder, jsonl_lines
from .model import Comment, Line, Thread
from .parser import parse_streaming
from .select import Criteria, select
from .source import stream_source


def export_jsonl(
    path: str,
    criteria: Criteria,
    write: Callable[[str], None],
    *,
    strict: bool = False,
    encode: Callable[[dict], str] | None = None,
) -> tuple[Thread, int, list[str]]:
    """Write the comments of ``path`` as JSON Lines through ``write``.

    Returns the thread (without its comments), how many comments the dump
    holds and the warnings met on the way.
    """
    encode = encode or json_line_encoder()
    source = stream_source(path, strict=strict)
    count = 0
    found_at = criteria.at is None
    everything = criteria.selects_everything

    def on_comment(top: Comment) -> None:
        nonlocal count, found_at
        members = list(top.walk())
        count += len(members)
        if everything:
            kept = members
        else:
            shell = Thread(source=path, title=Line("", 0), comments=[top])
            kept = select(shell, criteria, missing_ok=True).thread.walk()
            found_at = found_at or shell.find(criteria.at) is not None
        write("".join(jsonl_lines(kept, path, encode)))
        # Parents point back at their children's owners: break the cycles so
        # that reference counting frees the comment now, not at some collection.
        for member in members:
            member.parent = None

    thread = parse_streaming(source, on_comment)
    if not found_at:
        raise UsageError(f"no comment with id {criteria.at!r} in {path}")
    return thread, count, source.warnings
