"""Formats with one record per comment, in document order: jsonl, csv, tsv."""

from __future__ import annotations

import csv
import io
import json
from typing import Iterable, Iterator

from ..model import Thread
from .records import CSV_COLUMNS, comment_record, csv_row


def render_jsonl(threads: Iterable[Thread]) -> Iterator[str]:
    """One COMMENT object (without ``replies``) per line, tagged with its source file."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for thread in threads:
        for comment in thread.walk():
            record = comment_record(comment)
            record["source"] = thread.source
            yield dumps(record) + "\n"


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
