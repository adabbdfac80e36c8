"""Small tables (authors, stats) in every output a command offers.

Plain and rich tables fit ``width`` when they can: the widest text column
gives way first, its cells cut with "…". csv and tsv are written as the
comment exports write them (see formats/flat.py).
"""

from __future__ import annotations

import io
import json
from typing import Any, Iterator, Sequence

from rich.cells import cell_len, set_cell_size

from .sanitize import sanitize_line

COLUMN_GAP = 2
MIN_COLUMN = 6  # a text column is not cut narrower than this (or its title)


def shorten(text: str, size: int) -> str:
    """``text`` in at most ``size`` cells, cut with "…" when it is wider."""
    if cell_len(text) <= size:
        return text
    return set_cell_size(text, size - 1) + "…"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def render_table(
    records: list[dict[str, Any]], columns: Sequence[str], titles: Sequence[str], fmt: str,
    width: int | None = None,
) -> Iterator[str]:
    """``records`` as a table of ``columns`` under ``titles``; plain and rich
    fit ``width`` columns when given."""
    if fmt == "json":
        yield json.dumps(records, indent=2, ensure_ascii=False) + "\n"
        return
    if fmt in ("csv", "tsv"):
        from .formats.flat import csv_lines, tsv_lines

        rows = ([_cell(record[column]) for column in columns] for record in records)
        yield from csv_lines(columns, rows) if fmt == "csv" else tsv_lines(columns, rows)
        return
    rows = [[sanitize_line(_cell(record[column])) for column in columns] for record in records]  # one line a row
    numeric = [all(isinstance(record[column], int) for record in records) for column in columns]
    widths = [max([cell_len(title)] + [cell_len(row[i]) for row in rows]) for i, title in enumerate(titles)]
    if width is not None:
        widths = fitted_widths(widths, numeric, titles, width)
    if fmt == "rich":
        yield _rich_table(rows, titles, numeric, widths)
        return

    def line(cells: Sequence[str]) -> str:
        padded = []
        for cell, size, right in zip(cells, widths, numeric):
            cell = shorten(cell, size)
            gap = " " * (size - cell_len(cell))
            padded.append(gap + cell if right else cell + gap)
        return (" " * COLUMN_GAP).join(padded).rstrip() + "\n"

    yield line(titles)
    for row in rows:
        yield line(row)


def fitted_widths(widths: list[int], numeric: list[bool], titles: Sequence[str], width: int) -> list[int]:
    """Column widths that fit ``width``: the widest text column gives up a
    cell at a time, none below its title or MIN_COLUMN. Numbers are never cut."""
    widths = list(widths)
    floors = [max(cell_len(title), MIN_COLUMN) for title in titles]
    excess = sum(widths) + COLUMN_GAP * (len(widths) - 1) - width
    while excess > 0:
        shrinkable = [i for i, size in enumerate(widths) if not numeric[i] and size > floors[i]]
        if not shrinkable:
            break  # as narrow as it can be: the terminal wraps the rest
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


def _rich_table(rows: list[list[str]], titles: Sequence[str], numeric: list[bool], widths: list[int]) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, COLUMN_GAP // 2))
    for title, right, size in zip(titles, numeric, widths):
        table.add_column(title, justify="right" if right else "left", width=size, no_wrap=True, overflow="ellipsis")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    buffer = io.StringIO()
    Console(
        file=buffer, force_terminal=True, width=sum(widths) + COLUMN_GAP * len(widths), color_system="standard",
        no_color=False, highlight=False, emoji=False, markup=False,
    ).print(table)
    return buffer.getvalue()
