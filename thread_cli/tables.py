"""Small tables (authors, stats) in every output a command offers."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator, Sequence

from rich.cells import cell_len

from .sanitize import sanitize


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def render_table(
    records: list[dict[str, Any]], columns: Sequence[str], titles: Sequence[str], fmt: str
) -> Iterator[str]:
    if fmt == "json":
        yield json.dumps(records, indent=2, ensure_ascii=False) + "\n"
        return
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([_cell(record[column]) for column in columns])
        yield buffer.getvalue()
        return
    rows = [[sanitize(_cell(record[column])) for column in columns] for record in records]
    numeric = [all(isinstance(record[column], int) for record in records) for column in columns]
    if fmt == "rich":
        yield _rich_table(rows, titles, numeric)
        return
    widths = [max([cell_len(title)] + [cell_len(row[i]) for row in rows]) for i, title in enumerate(titles)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            (" " * (width - cell_len(cell)) + cell) if right else (cell + " " * (width - cell_len(cell)))
            for cell, width, right in zip(cells, widths, numeric)
        ]
        return "  ".join(padded).rstrip() + "\n"

    yield line(titles)
    for row in rows:
        yield line(row)


def _rich_table(rows: list[list[str]], titles: Sequence[str], numeric: list[bool]) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for title, right in zip(titles, numeric):
        table.add_column(title, justify="right" if right else "left")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    buffer = io.StringIO()
    Console(
        file=buffer, force_terminal=True, width=200, color_system="standard", no_color=False,
        highlight=False, emoji=False, markup=False,
    ).print(table)
    return buffer.getvalue()
