"""The ``json`` format: the whole thread as one nested JSON document.

Written by a small iterative encoder because ``json.dumps`` recurses, and a
scraped thread can nest deeper than Python's recursion limit. The output is
the same text ``json.dumps(value, indent=2, ensure_ascii=False)`` gives.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from ..model import Thread
from .records import thread_record

_scalar = json.JSONEncoder(ensure_ascii=False).encode
_END = object()


def iter_json(root: Any, indent: int = 2) -> Iterator[str]:
    """Encode dicts, lists and scalars as indented JSON, in chunks."""
    # Each frame: [iterator over the container's items, closing bracket, is first item]
    stack: list[list[Any]] = []
    value = root
    while True:
        if isinstance(value, dict) and value:
            yield "{"
            stack.append([iter(value.items()), "}", True])
        elif isinstance(value, list) and value:
            yield "["
            stack.append([iter(value), "]", True])
        else:
            yield _scalar(value)
        while stack:
            frame = stack[-1]
            item = next(frame[0], _END)
            if item is _END:
                stack.pop()
                yield "\n" + " " * (indent * len(stack)) + frame[1]
                continue
            separator = "\n" if frame[2] else ",\n"
            frame[2] = False
            padding = " " * (indent * len(stack))
            if frame[1] == "}":
                key, value = item
                yield separator + padding + _scalar(key) + ": "
            else:
                value = item
                yield separator + padding
            break
        else:
            return


def render_json(thread: Thread) -> Iterator[str]:
    yield from iter_json(thread_record(thread))
    yield "\n"
