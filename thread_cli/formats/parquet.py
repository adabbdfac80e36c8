"""Parquet: one row per comment with a fixed schema, through pyarrow (optional).

pyarrow is an optional dependency: ``pip install 'thread-cli[parquet]'``.
:func:`require_pyarrow` raises a UsageError naming that extra when it is
missing, before anything is written.

The schema (CORPUS_COLUMNS in records.py, in this order)::

    source      string             the file the comment comes from (a name that is not
                                   UTF-8 has \\udcXX escapes: see output.py)
    id          string             "3", "3.1.2" (text: ids are not numbers)
    parent      string             the parent's id; null for a top-level comment
    depth       int64              1 for top level
    number      int64              the number on the page; null when there is none
    author      string             null when the page gave none
    avatar      string             the avatar's name; null when there is none
    kind        string             "comment", "pingback" or "trackback"
    date        string             the date as written; null when there is none
    datetime    timestamp[us]      the date read (no time zone); null when unreadable
    actions     list<string>       "Reply", "Like"…
    text        string             the paragraphs joined by a blank line
    paragraphs  list<string>
    line        int64              the line of the comment's marker in its file
    layout      string             the thread's family: "wordpress", "blogger" or "none"

A worker process turns one file's rows into a RecordBatch and sends it as
an Arrow IPC message (:func:`batch_bytes`; reading it back is one call,
where unpickling a batch rebuilds it array by array). The writer gathers the
batches of whole files and writes a row group once it holds ROW_GROUP_ROWS
rows or more, so memory does not grow with the corpus. Columns are
compressed with zstd (smaller than snappy and as fast here), and only the
columns whose values repeat (DICTIONARY_COLUMNS) are dictionary-encoded:
for the comments' text a dictionary costs time and saves nothing.
"""

from __future__ import annotations

import functools
from typing import Any, BinaryIO, Iterable

from ..errors import UsageError
from ..output import escape_surrogates

EXTRA = "pip install 'thread-cli[parquet]'"
ROW_GROUP_ROWS = 65_536
COMPRESSION = "zstd"
DICTIONARY_COLUMNS = ("source", "id", "parent", "author", "avatar", "kind", "date", "layout")


def require_pyarrow():
    """The pyarrow module, or a UsageError (exit 2) that names the extra to install."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise UsageError(f"--format parquet needs pyarrow: {EXTRA}") from None
    return pyarrow


@functools.lru_cache(maxsize=1)
def arrow_schema():
    """The pyarrow schema of a Parquet export (see the module's docstring)."""
    pa = require_pyarrow()
    text = pa.string()
    return pa.schema([
        ("source", text), ("id", text), ("parent", text), ("depth", pa.int64()), ("number", pa.int64()),
        ("author", text), ("avatar", text), ("kind", text), ("date", text), ("datetime", pa.timestamp("us")),
        ("actions", pa.list_(text)), ("text", text), ("paragraphs", pa.list_(text)), ("line", pa.int64()),
        ("layout", text),
    ])


def record_batch(records: list[dict[str, Any]]):
    """Corpus records (records.corpus_record) as one pyarrow RecordBatch of :func:`arrow_schema`."""
    pa = require_pyarrow()
    schema = arrow_schema()
    columns = []
    for field in schema:
        values = [record[field.name] for record in records]
        if field.name == "source":
            values = _utf8(values)
        if field.name == "datetime":
            columns.append(pa.array(values, pa.string()).cast(field.type))
        else:
            columns.append(pa.array(values, field.type))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _utf8(names: list[str]) -> list[str]:
    """File names as valid UTF-8 (pyarrow refuses a surrogate): a name whose
    bytes were not gets ``\\udcXX`` escapes by output.escape_surrogates, the
    rule of every format (the same text as in a corpus's CSV). Each name once:
    a batch is mostly one file's rows."""
    shown = {name: escape_surrogates(name) for name in dict.fromkeys(names)}
    return [shown[name] for name in names]


def batch_bytes(records: list[dict[str, Any]]) -> bytes:
    """Corpus records as one RecordBatch in the Arrow IPC format (the message
    alone: the schema is always :func:`arrow_schema`): what a worker sends
    back (see :meth:`ParquetSink.add`)."""
    return record_batch(records).serialize().to_pybytes()


class ParquetSink:
    """Writes record batches to ``stream`` as a Parquet file, a row group at a time."""

    def __init__(self, stream: BinaryIO, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        pa = require_pyarrow()
        import pyarrow.parquet as pq

        self._pa = pa
        self.schema = arrow_schema()
        self.row_group_rows = row_group_rows
        self._writer = pq.ParquetWriter(stream, self.schema, compression=COMPRESSION,
                                        use_dictionary=list(DICTIONARY_COLUMNS))
        self._pending: list = []
        self._rows = 0

    def add(self, batch) -> None:
        """Add a RecordBatch, or one as :func:`batch_bytes` wrote it."""
        if isinstance(batch, (bytes, bytearray, memoryview)):
            batch = self._pa.ipc.read_record_batch(self._pa.py_buffer(batch), self.schema)
        if batch.num_rows:
            self._pending.append(batch)
            self._rows += batch.num_rows
        if self._rows >= self.row_group_rows:
            self.flush()

    def add_all(self, batches: Iterable) -> None:
        for batch in batches:
            self.add(batch)

    def flush(self) -> None:
        if self._pending:
            table = self._pa.Table.from_batches(self._pending, schema=self.schema)
            self._writer.write_table(table, row_group_size=max(self._rows, 1))
            self._pending.clear()
            self._rows = 0

    def close(self) -> None:
        self.flush()
        self._writer.close()
