"""Finding grammar/thread.lark and turning it into LALR tables, once.

The grammar ships inside the package (setup.cfg maps grammar/ to
``thread_cli/_grammar``); a source checkout falls back to the top-level
grammar/ folder. Lark builds the tables from it; they are cached (as
``marshal`` data) in the user's cache folder, never in the installed package,
with the grammar's text and the versions of Lark and Python that built them:
tables made from anything else are built again. A run that finds them there
does not import Lark.

Lark's public API has no way to read its LALR tables, so
:func:`_lark_parse_table` reaches into its internals: that one function is
the whole adapter, and setup.cfg pins the Lark versions it was checked with.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import re
import sys
import zlib
from functools import lru_cache
from pathlib import Path

from .lalr import TABLES_FORMAT, ParseTables

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
    """Where the tables may be kept, or None when caching is off or impossible."""
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
def get_tables() -> ParseTables:
    """The grammar's LALR tables: from the cache, or built by Lark (and cached)."""
    text = grammar_text()
    folder = cache_dir()
    if folder is None:
        return build_tables(text)
    # What the tables are made from, whole: the file holds it beside them,
    # so a file name that two of them share (a CRC is no proof) costs a
    # rebuild, never a wrong parse. (A CRC rather than hashlib, whose import
    # costs more than reading the tables.)
    made_from = f"{TABLES_FORMAT}\0{_lark_version()}\0{sys.version}\0{text}"
    path = folder / f"tables-{zlib.crc32(made_from.encode()):08x}.marshal"
    try:
        cached_from, value = marshal.loads(path.read_bytes())
        tables = ParseTables.load(value) if cached_from == made_from else None
    except (OSError, ValueError, EOFError, TypeError):
        tables = None  # missing, unreadable or damaged: build it again
    if tables is None:
        tables = build_tables(text)
        _write_atomically(path, marshal.dumps((made_from, tables.dump())))
    return tables


def _lark_version() -> str:
    """The installed Lark's version, read from its source without importing
    it (an import costs more than the cached tables save)."""
    spec = importlib.util.find_spec("lark")
    if spec is None or spec.origin is None:
        return "none"
    try:
        with open(spec.origin, encoding="utf-8") as module:
            match = re.search(r"""^__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)""", module.read(), re.MULTILINE)
    except OSError:
        match = None
    return match.group(1) if match else spec.origin


def _write_atomically(path: Path, data: bytes) -> None:
    # Another run may be reading or writing the same file; a failure only
    # costs the next run a rebuild.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def lark_parser(text: str | None = None, **options):
    """Lark's LALR parser for the grammar (``strict``: a conflict is an error).

    Tokens come from thread_cli/frontend.py, so Lark is given a lexer that
    must never run; tests pass ``lexer=`` to parse with Lark itself.
    """
    from lark import Lark
    from lark.lexer import Lexer

    class ExternalLexer(Lexer):
        def __init__(self, lexer_conf) -> None:
            pass

        def lex(self, source):
            raise TypeError("thread_cli.lexer makes the tokens; pass them to the LALR parser")

    options = {"lexer": ExternalLexer, **options}
    return Lark(text if text is not None else grammar_text(), parser="lalr", strict=True, maybe_placeholders=True, **options)


def build_tables(text: str) -> ParseTables:
    """The LALR tables Lark computes for the grammar ``text``."""
    table, shift = _lark_parse_table(lark_parser(text))
    rules: list[tuple[str, int, tuple[int, ...] | None]] = []
    index_of: dict = {}
    # Lark numbers the states from 0: a list indexes faster than a dict.
    actions: list[dict[str, int]] = [{} for _ in table.states]
    for state, row in table.states.items():
        compiled = actions[state]
        for symbol, (action, argument) in row.items():
            symbol = str(symbol)  # Lark's names may be Token objects; marshal takes only str
            if action is shift:
                compiled[symbol] = argument
                continue
            if argument not in index_of:
                index_of[argument] = len(rules)
                rules.append(_rule(argument))
            compiled[symbol] = ~index_of[argument]
    return ParseTables(actions, rules, table.start_states["start"], table.end_states["start"])


def _lark_parse_table(parser):
    """Lark's LALR parse table and its Shift action, from Lark's internals.

    Checked against Lark 1.3.1 (setup.cfg: lark>=1.2,<2): the
    table hangs at Lark -> ParsingFrontend -> LALR_Parser -> _Parser, and
    each state maps a symbol to (Shift, state) or (Reduce, rule).
    """
    from lark.parsers.lalr_analysis import Shift

    return parser.parser.parser.parser.parse_table, Shift


def _rule(rule) -> tuple[str, int, tuple[int, ...] | None]:
    """(name, size, shape) of one of Lark's rules, as lalr.ParseTables keeps them.

    The children are those Lark's parse-tree builder passes on: tokens whose
    names start with "_" are left out, and with ``maybe_placeholders`` each
    ``[optional]`` part the expansion lacks becomes None in its place.
    """
    options = rule.options
    if rule.alias or options.template_source or options.expand1 or options.keep_all_tokens:
        raise ValueError(f"rule {rule.origin.name}: aliases, templates, ?rules and !rules are not supported")
    expansion = rule.expansion
    # empty_indices lists, for each place in the full rule, whether this
    # expansion leaves it out (True) or has a symbol there (False).
    absent = list(options.empty_indices) or [False] * len(expansion)
    shape: list[int] = []
    position = 0
    for missing in absent:
        if missing:
            shape.append(-1)
            continue
        symbol = expansion[position]
        if not symbol.is_term and symbol.name.startswith("_"):
            raise ValueError(f"rule {rule.origin.name}: inlined rules ({symbol.name}) are not supported")
        if not (symbol.is_term and symbol.filter_out):
            shape.append(position)
        position += 1
    identity = shape == list(range(len(expansion)))
    return str(rule.origin.name), len(expansion), None if identity else tuple(shape)
