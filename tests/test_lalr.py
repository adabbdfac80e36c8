"""The LALR driver (thread_cli/lalr.py) against Lark's own parser.

thread parses with the tables Lark builds from grammar/thread.lark, run by a
loop of its own. These tests prove that loop builds exactly what Lark's parser
builds with the same tables and the same model builder, and rejects exactly
the same tokens, with the same alternatives, on good and damaged dumps alike.
"""

from __future__ import annotations

import json
import marshal

import pytest
from hypothesis import given
from lark.exceptions import UnexpectedInput
from lark.lexer import Lexer, Token

from thread_cli import grammar
from thread_cli.formats import render
from thread_cli.formats.records import thread_record
from thread_cli.lalr import Rejected
from thread_cli.lexer import tokenize
from thread_cli.parser import ModelBuilder, close_thread, finish_thread, new_parser
from thread_cli.source import decode

from conftest import ROOT
from test_properties import FAST, damaged_seed_bytes, generated_bytes

DUMPS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fuzz_cases").glob("*.bin"))


class _TokenizerLexer(Lexer):
    """Lets Lark's own parser take its tokens from thread's lexer."""

    def __init__(self, lexer_conf) -> None:
        pass

    def lex(self, source):
        return tokenize(source)


@pytest.fixture(scope="module")
def lark_reference():
    return grammar.lark_parser(lexer=_TokenizerLexer, transformer=ModelBuilder())


def _ours(source):
    return new_parser(ModelBuilder()).parse(tokenize(source))


def _outcome(thread, source) -> tuple[str, str]:
    finish_thread(thread, source, lenient=True)  # a repeated number is not the parser's business
    close_thread(thread, source)
    return json.dumps(thread_record(thread), ensure_ascii=False), "".join(render("text", thread))


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


def assert_same_as_lark(data: bytes, lark_reference) -> None:
    their_source = decode(data, "in.txt")
    try:
        theirs = lark_reference.parse(their_source)
    except UnexpectedInput as lark_error:
        with pytest.raises(Rejected) as caught:
            _ours(decode(data, "in.txt"))
        ours = caught.value
        lark_token = lark_error.token
        if lark_token.type == "$END":
            assert ours.token.type == "$END"
        else:
            assert (ours.token.type, ours.token.line, ours.token.column) == (
                lark_token.type, lark_token.line, lark_token.column)
        ours_accepted = {name for name in ours.parser.choices() if ours.parser.accepts(name)}
        assert ours_accepted == _lark_accepts(lark_error.interactive_parser)
        return
    except Exception as other:  # a lexer problem (tab, odd indentation): ours must raise it too
        with pytest.raises(type(other)):
            _ours(decode(data, "in.txt"))
        return
    source = decode(data, "in.txt")
    assert _outcome(_ours(source), source) == _outcome(theirs, their_source)


@pytest.mark.parametrize("path", DUMPS, ids=[path.name for path in DUMPS])
def test_same_model_as_lark_on_the_seeds_and_fuzz_cases(path, lark_reference):
    assert_same_as_lark(path.read_bytes(), lark_reference)


@FAST
@given(damaged_seed_bytes())
def test_same_as_lark_on_damaged_seeds(lark_reference, data):
    assert_same_as_lark(data, lark_reference)


@FAST
@given(generated_bytes())
def test_same_as_lark_on_generated_threads(lark_reference, case):
    assert_same_as_lark(case[1], lark_reference)


def test_every_rule_has_a_builder_method():
    tables = grammar.build_tables(grammar.grammar_text())
    names = {name for name, _, _ in tables.rules}
    assert names == {"start", "paragraphs", "categories", "header", "comments", "comment_list", "comment",
                     "reply", "body", "replies", "footer"}
    assert all(callable(getattr(ModelBuilder, name, None)) for name in names)


def test_tables_are_cached_as_marshal_data_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    grammar.get_tables.cache_clear()
    try:
        built = grammar.get_tables()
        (cached,) = (tmp_path / "thread-cli").glob("tables-*.marshal")
        assert marshal.loads(cached.read_bytes()) == built.dump()

        cached.write_bytes(b"\x00garbage")
        grammar.get_tables.cache_clear()
        # Lark numbers the states in an order that may change from run to
        # run, so the rebuilt tables are compared by what they do.
        rebuilt = grammar.get_tables()
        assert marshal.loads(cached.read_bytes()) == rebuilt.dump()
        assert len(rebuilt.actions) == len(built.actions)
        assert sorted(rebuilt.rules, key=repr) == sorted(built.rules, key=repr)
    finally:
        grammar.get_tables.cache_clear()


def test_a_grammar_the_driver_cannot_run_is_refused():
    with pytest.raises(ValueError, match="aliases"):
        grammar.build_tables("start: A -> renamed\n%declare A\n")
