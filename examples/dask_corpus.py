#!/usr/bin/env python3
"""Every comment of a folder of dumps as one Parquet dataset, with Dask.

    python examples/dask_corpus.py scraped/ comments/ [--scheduler threads|processes|synchronous]

The same rows as ``thread export scraped/ -o comments.parquet`` (same
columns, same types, same order), built the way a cluster builds them: a
bag of file paths, each mapped to its rows by ``thread_cli.api.records``
(bytes in, plain dicts out: no I/O, no state, picklable), flattened into a
DataFrame and written by ``to_parquet`` with thread's own schema. On a
cluster, hand ``corpus_to_parquet`` a distributed ``Client``'s paths (on
shared storage or an fsspec URL) and drop ``scheduler``.

Needs ``pip install 'dask[dataframe]' pyarrow``. tests/test_corpus.py runs
this file on a generated corpus and compares it row for row with the CLI.
"""

from __future__ import annotations

import argparse
import sys

import dask.bag as db
import dask.dataframe as dd
import pandas as pd

from thread_cli import api
from thread_cli.formats.parquet import arrow_schema

# The DataFrame's columns and dtypes (api.CORPUS_COLUMNS, in order); to_parquet
# then writes them with thread's Parquet schema.
META = pd.DataFrame({
    "source": pd.Series(dtype=object), "id": pd.Series(dtype=object), "parent": pd.Series(dtype=object),
    "depth": pd.Series(dtype="int64"), "number": pd.Series(dtype="Int64"), "author": pd.Series(dtype=object),
    "avatar": pd.Series(dtype=object), "kind": pd.Series(dtype=object), "date": pd.Series(dtype=object),
    "datetime": pd.Series(dtype=object), "actions": pd.Series(dtype=object), "text": pd.Series(dtype=object),
    "paragraphs": pd.Series(dtype=object), "line": pd.Series(dtype="int64"), "layout": pd.Series(dtype=object),
})


def file_rows(path: str) -> list[dict]:
    """One file's rows: the only I/O is here, on the worker that maps it."""
    with open(path, "rb") as stream:
        return api.records(stream.read(), path)


def corpus_to_parquet(paths: list[str], out: str, *, scheduler: str | None = "threads",
                      partitions: int | None = None) -> None:
    """Write the rows of every file of ``paths`` under the folder ``out`` (one Parquet file per partition)."""
    bag = db.from_sequence(paths, npartitions=partitions or max(1, min(len(paths), 64)))
    frame = bag.map(file_rows).flatten().to_dataframe(meta=META)
    frame["datetime"] = dd.to_datetime(frame["datetime"])
    compute = {"scheduler": scheduler} if scheduler else {}
    # Zero-padded part names: the folder read in name order is the corpus in input order.
    frame.to_parquet(out, schema=arrow_schema(), write_index=False, compute_kwargs=compute,
                     name_function=lambda number: f"part-{number:05d}.parquet")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a folder of dumps (walked for *.txt, as thread export does)")
    parser.add_argument("out", help="the Parquet dataset's folder")
    parser.add_argument("--glob", default="*.txt")
    parser.add_argument("--scheduler", default="threads", choices=("threads", "processes", "synchronous"))
    args = parser.parse_args(argv)
    corpus_to_parquet(api.corpus_files([args.folder], glob=args.glob), args.out, scheduler=args.scheduler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
