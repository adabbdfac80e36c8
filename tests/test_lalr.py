"""The LALR driver (thread_cli/lalr.py) against Lark's own parser.

thread parses with the tables Lark builds from grammar/thread.lark, run by a
loop of its own. These tests prove that loop builds exactly what Lark's parser
builds from the same tokens with the same model builder, and that its
``accepts`` (which the front end asks to choose a line's reading) agrees with
Lark on what may come next, on good and damaged dumps alike.
"""

from __future__ import annotations

import json
import marshal

import pytest
from hypothesis import given
from lark.exceptions import UnexpectedInput
from lark.lexer import Lexer, Token

from thread_cli import grammar
from thread_cli.builder import Linker, ModelBuilder
from thread_cli.formats.records import thread_record
from thread_cli.frontend import LineToken, fed_tokens
from thread_cli.lalr import END
from thread_cli.parse import new_parser
from thread_cli.source import decode

from conftest import ROOT
from test_properties import FAST, damaged_seed_bytes, generated_bytes

DUMPS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fuzz_cases").glob("*.bin"))


def _replaying(tokens):
    class Replay(Lexer):
        """Lets Lark's own parser take the tokens thread's front end made (copies of them)."""

        def __init__(self, lexer_conf) -> None:
            pass

        def lex(self, source):
            return (_copy(token) for token in tokens)

    return Replay


def _outcome(thread, source) -> tuple[str, str]:
    linker = Linker(source)
    for top in thread.comments:
        linker.link(top)
    thread.source, thread.layout = source.name, source.layout
    return json.dumps(thread_record(thread), ensure_ascii=False)


def _lark_accepts(interactive) -> set[str]:
    """What Lark's interactive parser really accepts next (each choice tried on a copy)."""
    accepted = set()
    for name in interactive.choices():
        if name.isupper() or name == "$END":
            attempt = interactive.copy(deepcopy_values=False)
            try:
                attempt.feed_token(Token(name, ""))
            except UnexpectedInput:
                continue
            except Exception:  # noqa: BLE001 - a fake token may upset a builder method: then it was accepted
                pass
            accepted.add(name)
    return accepted


def _copy(token):
    value = list(token.value) if isinstance(token.value, list) else token.value
    return LineToken(token.type, value, token.line, token.column, token.blanks)


def assert_same_as_lark(data: bytes, *, every_step: bool = False) -> None:
    """The tokens the front end makes (repairing what it must) build the same
    model with Lark's parser as with ours; with ``every_step``, after each
    token both agree on which terminals may come next."""
    source = decode(data, "in.txt")
    tokens = fed_tokens(source, recover=True)
    if not tokens:  # an empty input: nothing to compare
        return
    # Text right after text goes into the PARA token held back, never into a second one.
    types = [token.type for token in tokens]
    assert ("PARA", "PARA") not in zip(types, types[1:])
    ours = new_parser(ModelBuilder())
    for token in tokens:
        ours.feed(_copy(token))
    theirs = grammar.lark_parser(lexer=_replaying(tokens), transformer=ModelBuilder()).parse("")
    assert _outcome(ours.finish(), source) == _outcome(theirs, decode(data, "in.txt"))
    if every_step:
        _assert_same_choices(tokens)


def _assert_same_choices(tokens) -> None:
    """After each token, ``accepts`` agrees with Lark on every terminal that may come next."""
    ours = new_parser(ModelBuilder())
    interactive = grammar.lark_parser().parse_interactive("")
    terminals = sorted({name for state in ours.tables.actions for name in state if name.isupper()})
    for token in tokens:
        assert {name for name in terminals + [END] if ours.accepts((name,))} == _lark_accepts(interactive)
        ours.feed(_copy(token))
        interactive.feed_token(Token(token.type, ""))


@pytest.mark.parametrize("path", DUMPS, ids=[path.name for path in DUMPS])
def test_same_model_as_lark_on_the_seeds_and_fuzz_cases(path):
    assert_same_as_lark(path.read_bytes(), every_step=True)


@FAST
@given(damaged_seed_bytes())
def test_same_as_lark_on_damaged_seeds(data):
    assert_same_as_lark(data)


@FAST
@given(generated_bytes())
def test_same_as_lark_on_generated_threads(case):
    assert_same_as_lark(case[1], every_step=True)


def test_every_rule_has_a_builder_method():
    tables = grammar.build_tables(grammar.grammar_text())
    names = {name for name, _, _ in tables.rules}
    assert names == {"start", "section", "paragraphs", "categories", "header", "comments", "signed_comments",
                     "comment_list", "signed_list", "signed_comment", "unsigned_comment", "reply",
                     "signed_body", "body", "replies", "threaded", "actions", "footer", "flat_comments", "flat_comment"}
    assert all(callable(getattr(ModelBuilder, name, None)) for name in names)


@pytest.fixture
def table_cache(tmp_path, monkeypatch):
    """An empty cache folder for the tables, and no tables in memory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    grammar.get_tables.cache_clear()
    yield tmp_path / "thread-cli"
    grammar.get_tables.cache_clear()


def test_tables_are_cached_as_marshal_data_and_a_damaged_cache_is_rebuilt(table_cache):
    built = grammar.get_tables()
    (cached,) = table_cache.glob("tables-*.marshal")
    made_from, value = marshal.loads(cached.read_bytes())
    assert made_from.endswith("\0" + grammar.grammar_text())
    assert value == built.dump()

    cached.write_bytes(b"\x00garbage")
    grammar.get_tables.cache_clear()
    # Lark numbers the states in an order that may change from run to
    # run, so the rebuilt tables are compared by what they do.
    rebuilt = grammar.get_tables()
    assert marshal.loads(cached.read_bytes()) == (made_from, rebuilt.dump())
    assert len(rebuilt.actions) == len(built.actions)
    assert sorted(rebuilt.rules, key=repr) == sorted(built.rules, key=repr)


def test_cached_tables_made_from_another_grammar_are_never_used(table_cache):
    """Two grammars may share a file name (a CRC of what the tables are made
    from): the file says what its tables were made from, and is rebuilt."""
    built = grammar.get_tables()
    (cached,) = table_cache.glob("tables-*.marshal")
    made_from, _ = marshal.loads(cached.read_bytes())
    other = grammar.build_tables("start: A\n%declare A\n")
    cached.write_bytes(marshal.dumps(("another grammar", other.dump())))
    grammar.get_tables.cache_clear()
    assert sorted(grammar.get_tables().rules, key=repr) == sorted(built.rules, key=repr)
    assert marshal.loads(cached.read_bytes())[0] == made_from


def test_a_grammar_the_driver_cannot_run_is_refused():
    with pytest.raises(ValueError, match="aliases"):
        grammar.build_tables("start: A -> renamed\n%declare A\n")
