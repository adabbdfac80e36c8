"""Finding grammar/thread.lark and building the LALR parser from it, once.

The grammar ships inside the package (setup.cfg maps grammar/ to
``thread_cli/_grammar``); a source checkout falls back to the top-level
grammar/ folder. The compiled parser is cached in the user's cache folder,
never in the installed package, keyed by the grammar's and Lark's versions.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

GRAMMAR_NAME = "thread.lark"
_PACKAGE_DIR = Path(__file__).resolve().parent


def grammar_path() -> Path:
    installed = _PACKAGE_DIR / "_grammar" / GRAMMAR_NAME
    if installed.is_file():
        return installed
    checkout = _PACKAGE_DIR.parent / "grammar" / GRAMMAR_NAME
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"grammar {GRAMMAR_NAME} not found beside {_PACKAGE_DIR}")


def grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


def cache_dir() -> Path | None:
    """Where the compiled parser may be kept, or None when caching is off or impossible."""
    if os.environ.get("THREAD_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "thread-cli"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


@lru_cache(maxsize=1)
def get_parser():
    """The LALR parser, with the model builder applied during parsing."""
    from lark import Lark, __version__ as lark_version

    from .lexer import LineLexer
    from .parser import ModelBuilder

    text = grammar_text()
    folder = cache_dir()
    cache: str | bool = False
    if folder is not None:
        key = hashlib.sha256(f"{text}\0{lark_version}".encode()).hexdigest()[:16]
        cache = str(folder / f"parser-{key}.pickle")
    return Lark(
        text,
        parser="lalr",
        lexer=LineLexer,
        strict=True,
        maybe_placeholders=True,
        transformer=ModelBuilder(),
        cache=cache,
    )
