"""Output formats for comments. Each renders a (possibly filtered) thread as text chunks.

``rich`` and ``plain`` are the reading view (layout.py and render.py); the
others are data or documents and live in this package, one module each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # annotations only: the command line imports the format names at start-up
    from ..model import Thread

VIEW_FORMATS = ("rich", "plain")
DATA_FORMATS = ("json", "jsonl", "csv", "tsv", "markdown", "html", "text")
ALL_FORMATS = VIEW_FORMATS + DATA_FORMATS


def render(fmt: str, thread: Thread, *, csv_safe: bool = False) -> Iterator[str]:
    """The chunks of ``thread`` in data format ``fmt``; modules load on first use."""
    if fmt == "json":
        from .json_tree import render_json

        return render_json(thread)
    if fmt == "jsonl":
        from .flat import render_jsonl

        return render_jsonl([thread])
    if fmt in ("csv", "tsv"):
        from .flat import render_delimited

        return render_delimited(thread, "," if fmt == "csv" else "\t", csv_safe=csv_safe)
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(thread)
    if fmt == "html":
        from .html import render_html

        return render_html(thread)
    if fmt == "text":
        from .dump import render_text

        return render_text(thread)
    raise ValueError(f"unknown format {fmt!r}")
