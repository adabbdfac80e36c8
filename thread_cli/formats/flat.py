"""Formats with one record per comment, in document order: jsonl, csv, tsv.

CSV follows RFC 4180: CRLF line ends, fields quoted when they hold a comma,
a quote or a line break (so a record may span several lines).

TSV is one record per line, for line tools (``cut``, ``awk``, ``grep``): LF
line ends, no quoting, and in every field a backslash, tab, carriage return
and line feed written as ``\\``, ``\t``, ``\r`` and ``\n``. This is the
text format of PostgreSQL's COPY (``COPY t FROM 'f.tsv' WITH (HEADER)``
reads it back); any other character is written as it is.

Both keep every value exact unless ``csv_safe``: then a text cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, which a
spreadsheet would run as a formula, gets a leading ``'`` (OWASP's advice).

A file name whose bytes are not UTF-8 (Python holds them as surrogates
U+DC80..U+DCFF) is written as ``\\udcXX`` escapes, the rule of every format
(output.escape_surrogates, applied by the writer): the output stays valid
UTF-8. In JSON that is a JSON escape, so ``os.fsencode(json.loads(line)["source"])``
gives the name's bytes back; in CSV and TSV it is text (see output.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..model import Comment, Thread
from .records import CSV_COLUMNS, comment_record, csv_row


# A record is a tree of fresh dicts and lists, never a cycle: the check for
# one would cost 5% of the encoding, for every comment.
_STANDARD_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_line_encoder() -> Callable[[dict], str]:
    """Compact JSON of one record: orjson when installed (several times faster),
    else the standard library, configured to write the very same bytes."""
    try:
        orjson = _import_orjson()
    except ImportError:
        return _STANDARD_ENCODE
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


def jsonl_formatter(source: str, encode: Callable[[dict], str] | None = None) -> Callable[[Comment], str]:
    """The function that formats one comment of ``source`` as a JSON line
    (newline included): its COMMENT object without ``replies``, tagged with
    its source file. Made once per file: the choice of encoder is made once."""
    encode = _encoder_for(source, encode or json_line_encoder())

    def line(comment: Comment) -> str:
        record = comment_record(comment)
        record["source"] = source
        return encode(record) + "\n"

    return line


def jsonl_lines(comments: Iterable[Comment], source: str, encode: Callable[[dict], str] | None = None) -> Iterator[str]:
    """One COMMENT object (without ``replies``) per line, tagged with its source file."""
    return map(jsonl_formatter(source, encode), comments)


def _encoder_for(source: str, encode: Callable[[dict], str]) -> Callable[[dict], str]:
    # orjson refuses a file name that is not UTF-8; the standard encoder
    # keeps it for the writer to escape (see the module's docstring).
    return _STANDARD_ENCODE if _SURROGATE.search(source) else encode


def render_jsonl(threads: Iterable[Thread]) -> Iterator[str]:
    encode = json_line_encoder()
    for thread in threads:
        yield from jsonl_lines(thread.walk(), thread.source, encode)


def render_delimited(thread: Thread, delimiter: str = ",", *, csv_safe: bool = False) -> Iterator[str]:
    """CSV, or TSV with ``delimiter="\\t"`` (see the module's docstring), with a header row."""
    rows = (csv_row(comment) for comment in thread.walk())
    if csv_safe:
        rows = (formula_safe(row) for row in rows)
    if delimiter == "\t":
        return tsv_lines(CSV_COLUMNS, rows)
    return csv_lines(CSV_COLUMNS, rows, delimiter)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(row: Sequence[Any]) -> list[Any]:
    """``row`` with a ``'`` before every text cell a spreadsheet would run as a formula."""
    return ["'" + value if isinstance(value, str) and value.startswith(_FORMULA_STARTS) else value
            for value in row]


def csv_lines(columns: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str = ",") -> Iterator[str]:
    """RFC 4180 CSV: a header and ``rows``, in chunks of 512 rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % 512 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\r": "\\r", "\n": "\\n"})


def tsv_field(value: Any) -> str:
    """One TSV field: backslash, tab, CR and LF escaped as in PostgreSQL's COPY."""
    return str(value).translate(_TSV_ESCAPES)


def tsv_lines(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """TSV, one record per line (see the module's docstring): a header and ``rows``."""
    lines = ["\t".join(tsv_field(column) for column in columns) + "\n"]
    for row in rows:
        lines.append("\t".join(tsv_field(value) for value in row) + "\n")
        if len(lines) == 512:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)


# ---------------------------------------------------------------- corpus exports
#
# A corpus export (several files) writes CORPUS_COLUMNS (records.py) in every
# format. In csv and tsv a list (actions, paragraphs) is a JSON array and a
# missing value an empty field.


def corpus_jsonl(records: Iterable[dict], encode: Callable[[dict], str] | None = None) -> str:
    """The JSON Lines of corpus records (CORPUS_COLUMNS, in that order), as one string."""
    encode = encode or json_line_encoder()
    lines = []
    for record in records:
        lines.append(_encoder_for(record["source"], encode)(record) + "\n")
    return "".join(lines)


def corpus_header(delimiter: str = ",") -> str:
    """The header row of a corpus csv (or tsv, ``delimiter="\\t"``)."""
    from .records import CORPUS_COLUMNS

    if delimiter == "\t":
        return "\t".join(CORPUS_COLUMNS) + "\n"
    return ",".join(CORPUS_COLUMNS) + "\r\n"


def corpus_delimited(records: Iterable[dict], delimiter: str = ",", *, csv_safe: bool = False) -> str:
    """The rows (no header) of corpus records as csv, or tsv with ``delimiter="\\t"``."""
    rows = ([_STANDARD_ENCODE(value) if isinstance(value, list) else "" if value is None else value
             for value in record.values()] for record in records)
    if csv_safe:
        rows = (formula_safe(row) for row in rows)
    if delimiter == "\t":
        return "".join("\t".join(tsv_field(value) for value in row) + "\n" for row in rows)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()
