"""Writing comments out while parsing, in memory that does not grow with the dump.

The file is read piece by piece, each top-level comment is written out (after
the filters) as soon as the parser has finished it, and then dropped. Only
the comment being parsed and a few lines of look-ahead are ever in memory.
That is how ``export --format jsonl`` works, and how the second process of a
split (see parallel.py) writes its half of a JSON Lines export or of a view.
"""

from __future__ import annotations

from typing import BinaryIO, Callable

from .errors import UsageError
from .formats.flat import json_line_encoder, jsonl_lines
from .model import Comment, Line, Thread
from .parallel import SecondHalf, Split, find_split, open_at
from .parser import parse_streaming, parse_tail
from .select import Criteria, select
from .source import StreamSource, stream_source


class _JsonlWriter:
    """Writes each finished top-level comment (and its replies) as JSON Lines."""

    def __init__(self, path: str, criteria: Criteria, write: Callable[[str], None], encode) -> None:
        self.path = path
        self.criteria = criteria
        self.write = write
        self.encode = encode
        self.count = 0  # comments in the dump
        self.numbers: list[int] = []  # top-level numbers, for parallel.py
        self.found_at = criteria.at is None
        self.everything = criteria.selects_everything

    def __call__(self, top: Comment) -> None:
        members = list(top.walk())
        self.count += len(members)
        self.numbers.append(top.number)
        if self.everything:
            kept = members
        else:
            shell = Thread(source=self.path, title=Line("", 0), comments=[top])
            kept = select(shell, self.criteria, missing_ok=True).thread.walk()
            self.found_at = self.found_at or shell.find(self.criteria.at) is not None
        self.write("".join(jsonl_lines(kept, self.path, self.encode)))
        # Parents point back at their children's owners: break the cycles so
        # that reference counting frees the comment now, not at some collection.
        for member in members:
            member.parent = None


def export_jsonl(
    path: str,
    criteria: Criteria,
    write: Callable[[str], None],
    *,
    strict: bool = False,
    encode: Callable[[dict], str] | None = None,
    write_bytes: Callable[[bytes], None] | None = None,
) -> tuple[Thread, int, list[str]]:
    """Write the comments of ``path`` as JSON Lines through ``write``.

    Returns the thread (without its comments), how many comments the dump
    holds and the warnings met on the way. With ``write_bytes`` (which takes
    UTF-8 output as it is), a big dump exported whole is split in two.
    """
    encode = encode or json_line_encoder()
    writer = _JsonlWriter(path, criteria, write, encode)
    split = find_split(path) if write_bytes is not None and criteria.selects_everything else None
    source = stream_source(path, strict=strict)
    if split is None:
        thread = parse_streaming(source, writer)
    else:
        with SecondHalf(split, lambda output: _second_half(path, split, strict, encode, output)) as second:
            thread = parse_streaming(source, writer, second_half=second)
            if second.taken:
                for piece in second.output_bytes():
                    write_bytes(piece)
                writer.count += second.report["count"]
    if not writer.found_at:
        raise UsageError(f"no comment with id {criteria.at!r} in {path}")
    return thread, writer.count, source.warnings


def _second_half(path: str, split: Split, strict: bool, encode, output: BinaryIO) -> dict:
    """The child's work: JSON Lines of the comments from ``split`` on, into ``output``."""
    from .output import ChunkWriter

    chunks = ChunkWriter(output)
    writer = _JsonlWriter(path, Criteria(), chunks.write, encode)
    source = StreamSource(path, open_at(path, split.offset), strict=strict, first_line=split.line)
    parse_tail(source, writer)
    chunks.flush()
    return {"count": writer.count, "numbers": writer.numbers, "warnings": source.warnings}


class PlainViewWriter:
    """Writes the plain view of each finished top-level comment (and its replies)."""

    def __init__(self, options, write: Callable[[str], None]) -> None:
        self.options = options
        self.write = write
        self.count = 0  # comments in the dump
        self.numbers: list[int] = []  # top-level numbers, for parallel.py

    def __call__(self, top: Comment) -> None:
        from .layout import comment_blocks
        from .render import plain_chunks

        self.count += sum(1 for _ in top.walk())
        self.numbers.append(top.number)
        for chunk in plain_chunks(comment_blocks([top], self.options)):
            self.write(chunk)


def view_second_half(path: str, split: Split, strict: bool, options, output: BinaryIO) -> dict:
    """The child's work for ``show``: the plain view of the comments from ``split`` on."""
    from .output import ChunkWriter

    chunks = ChunkWriter(output)
    writer = PlainViewWriter(options, chunks.write)
    source = StreamSource(path, open_at(path, split.offset), strict=strict, first_line=split.line)
    parse_tail(source, writer)
    chunks.flush()
    return {"count": writer.count, "numbers": writer.numbers, "warnings": source.warnings}
