"""Formats with one record per comment, in document order: jsonl, csv, tsv."""

from __future__ import annotations

import csv
import io
import json
from typing import Callable, Iterable, Iterator

from ..model import Comment, Thread
from .records import CSV_COLUMNS, comment_record, csv_row


def json_line_encoder() -> Callable[[dict], str]:
    """Compact JSON of one record: orjson when installed (several times faster),
    else the standard library, configured to write the very same bytes."""
    try:
        orjson = _import_orjson()
    except ImportError:
        return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    dumps = orjson.dumps
    return lambda record: dumps(record).decode("utf-8")


def _import_orjson():
    """Import orjson with Ctrl-C held back until it is done: orjson 3.8 crashes
    (SIGSEGV) when a KeyboardInterrupt is raised inside its module set-up."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        import orjson

        return orjson
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        import orjson
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return orjson


def jsonl_lines(comments: Iterable[Comment], source: str, encode: Callable[[dict], str] | None = None) -> Iterator[str]:
    """One COMMENT object (without ``replies``) per line, tagged with its source file."""
    encode = encode or json_line_encoder()
    for comment in comments:
        record = comment_record(comment)
        record["source"] = source
        yield encode(record) + "\n"


def render_jsonl(threads: Iterable[Thread]) -> Iterator[str]:
    encode = json_line_encoder()
    for thread in threads:
        yield from jsonl_lines(thread.walk(), thread.source, encode)


def render_delimited(thread: Thread, delimiter: str = ",") -> Iterator[str]:
    """CSV (or TSV with ``delimiter="\\t"``) with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for count, comment in enumerate(thread.walk(), start=1):
        writer.writerow(csv_row(comment))
        if count % 512 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
