"""Which files a run reads: FILE arguments, directories walked, --files-from lists.

Kept apart from corpus.py, which it serves, so that a command given one
file never imports the machinery of a corpus run.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import PurePath
from typing import Iterable, Iterator

from .source import read_bytes

DEFAULT_GLOB = "*.txt"


def read_list(path: str) -> list[str]:
    """The paths in a --files-from LIST: one per line (LF or CRLF), blank lines
    ignored, ``-`` for standard input. Names keep their bytes (os.fsdecode)."""
    names = []
    for line in read_bytes(path).split(b"\n"):
        if line.endswith(b"\r"):
            line = line[:-1]
        if line:
            names.append(os.fsdecode(line))
    return names


def expand(paths: Iterable[str], *, glob: str = DEFAULT_GLOB, files_from: Iterable[str] = ()) -> list[str]:
    """The files of a run, in order: each of ``paths`` as given, except that a
    directory is replaced by the files under it whose path matches ``glob``
    (relative to it, matched from the right as PurePath.match does: ``*.txt``
    is any file ending in .txt), walked in name order; then ``files_from``,
    taken as they are (a directory there is a file that cannot be read).

    Example: ``expand(["scraped/"])`` gives ``['scraped/a.txt', 'scraped/2013/b.txt', …]``.
    """
    found: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found.extend(walk(path, glob))
        else:
            found.append(path)
    found.extend(files_from)
    return found


def walk(directory: str, glob: str = DEFAULT_GLOB) -> Iterator[str]:
    """The files under ``directory`` that match ``glob``, in name order (a
    folder's files before its sub-folders); symbolic links to folders are not followed."""
    simple = "/" not in glob

    for root, folders, files in os.walk(directory):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if simple:
                if fnmatch.fnmatchcase(name, glob):
                    yield path
            elif PurePath(os.path.relpath(path, directory)).match(glob):
                yield path
