"""The LALR tables of grammar/thread.lark, and the loop that runs them.

Lark builds the tables from the grammar (see grammar.py). Here they are plain
dicts, lists and ints, so a cached copy loads with ``marshal`` in well under a
millisecond and parsing needs no Lark import at all. The loop is the textbook
LALR driver, specialised to the one thing we do with it: call the model
builder's method for each rule as it is reduced, with the children Lark would
pass (filtered ``_INDENT``/``_DEDENT``, ``None`` for a missing ``[optional]``).
tests/test_lalr.py proves that it builds what Lark's own parser builds.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable, Iterable, Sequence

# Bump when the layout of ParseTables changes: it is part of the cache key.
TABLES_FORMAT = 2
END = "$END"
# How many answers accepts() remembers in all (a bound on memory for a
# pathological dump; the states of a grammar this size repeat long before it).
_MAX_VERDICTS = 65536


class ParseTables:
    """What the parser needs from the grammar.

    ``actions[state][symbol]`` (a list of dicts, the states numbered from 0)
    is the state to shift to (an int >= 0), or
    ``~index`` to reduce by ``rules[index]``; symbols are terminals, ``$END``
    and (for the goto after a reduction) rule names.
    ``rules[index]`` is ``(name, size, shape)``: the builder method to call,
    how many values the rule pops, and which of them it passes on. ``shape``
    is None when it passes all of them in order, else a tuple of indices with
    -1 where a missing optional part becomes None.
    """

    __slots__ = ("actions", "rules", "start_state", "end_state", "verdicts", "remembered")

    def __init__(self, actions: list[dict[str, int]], rules: list, start_state: int, end_state: int) -> None:
        self.actions = actions
        self.rules = rules
        self.start_state = start_state
        self.end_state = end_state
        # accepts() answers, remembered as a decision tree: token types -> the
        # top state -> the state below it -> … -> the answer (True or False)
        # once the states read so far decide it.
        self.verdicts: dict[tuple, dict] = {}
        self.remembered = 0

    def dump(self) -> tuple:
        """A value ``marshal`` can write (and :meth:`load` read back)."""
        return (TABLES_FORMAT, self.actions, self.rules, self.start_state, self.end_state)

    @classmethod
    def load(cls, value: Any) -> ParseTables | None:
        """The tables from :meth:`dump`'s value, or None when it is not one."""
        if not (isinstance(value, tuple) and len(value) == 5 and value[0] == TABLES_FORMAT):
            return None
        return cls(*value[1:])


class Rejected(Exception):
    """A token the grammar does not allow where it came.

    ``parser`` is the parser as it was when the token arrived, so the caller
    can ask what it would have accepted instead.
    """

    def __init__(self, token, parser: LalrParser) -> None:
        super().__init__(f"unexpected {token.type}")
        self.token = token
        self.parser = parser


class _EndToken:
    """The end of the input, as a token (it has no position of its own)."""

    __slots__ = ()
    type = END
    value = ""
    line = column = None


END_TOKEN = _EndToken()


class LalrParser:
    """An LALR parser over ``tables`` that reduces with ``builder``'s methods.

    :meth:`parse` runs a whole token stream; :meth:`accepts` lets the front
    end ask which reading of a line fits before it calls :meth:`feed`.
    """

    __slots__ = ("tables", "reductions", "states", "values")

    def __init__(self, tables: ParseTables, builder: Any) -> None:
        self.tables = tables
        # Per rule: (size, the rule's name for the goto, the method, the
        # picker of its children or None to pass them all).
        self.reductions = [
            (size, name, getattr(builder, name), None if shape is None else _picker(shape))
            for name, size, shape in tables.rules
        ]
        self.states = [tables.start_state]
        self.values: list = []

    def parse(self, tokens: Iterable) -> Any:
        """Feed every token, then the end of input; returns what the start rule built."""
        feed = self.feed
        for token in tokens:
            feed(token)
        return self.finish()

    def feed(self, token) -> None:
        """Shift one token, after the reductions it calls for; raises Rejected.

        The end of input (END_TOKEN) is never shifted: its reductions end
        in the end state, the whole input reduced to the start rule."""
        actions = self.tables.actions
        end_state = self.tables.end_state
        states = self.states
        values = self.values
        kind = token.type
        while True:
            action = actions[states[-1]].get(kind)
            if action is None:
                raise Rejected(token, self)
            if action >= 0:
                states.append(action)
                values.append(token)
                return
            # A reduction, written out here rather than in a method of its
            # own: this loop runs for every token of the dump.
            size, name, method, pick = self.reductions[~action]
            if size:
                children = values[-size:]
                del values[-size:]
                del states[-size:]
            else:
                children = []
            values.append(method(children if pick is None else pick(children)))
            state = actions[states[-1]][name]
            states.append(state)
            if state == end_state:  # reached only on the end of input
                return

    def finish(self) -> Any:
        """End the input: reduce to the start rule and return its value; raises Rejected."""
        self.feed(END_TOKEN)
        if self.states[-1] != self.tables.end_state:  # (a grammar that shifts the end of input)
            raise Rejected(END_TOKEN, self)
        return self.values[-1]

    def accepts(self, kinds: tuple[str, ...]) -> bool:
        """Whether tokens of these types, in this order, would all be shifted
        (``$END`` last: would end the input), calling no builder method.

        This is how the front end asks the grammar which reading of a line
        fits. LALR merges look-aheads, so a state may reduce on a terminal
        that a later state rejects: the reductions are followed on a
        simulated stack, the real stack's states below plus ``pushed`` above.
        """
        states = self.states
        node = self.tables.verdicts.get(kinds)
        position = -1
        # The answer depends on the states the simulation reads, top down;
        # which state it reads next depends only on those above it, so the
        # answers form a tree walked down the stack. (The walk never passes
        # the bottom: the start state is only ever there, and an answer that
        # reads it reads no further.)
        while node is not None:
            node = node.get(states[position])
            if node is True or node is False:
                return node
            position -= 1
        verdict, read = self._simulate(kinds)
        self._remember(kinds, read, verdict)
        return verdict

    def _remember(self, kinds: tuple[str, ...], read: int, verdict: bool) -> None:
        tables = self.tables
        if tables.remembered >= _MAX_VERDICTS:
            return
        tables.remembered += 1
        node = tables.verdicts.setdefault(kinds, {})
        for state in self.states[-1:-read:-1]:
            node = node.setdefault(state, {})
        node[self.states[-read]] = verdict

    def _simulate(self, kinds: tuple[str, ...]) -> tuple[bool, int]:
        """accepts()'s answer, and how many states of the stack's top it read:
        the answer depends on those alone (LALR reductions never look below)."""
        actions, rules, states = self.tables.actions, self.tables.rules, self.states
        depth = len(states)  # states[:depth] are the simulated stack's bottom
        pushed: list[int] = []
        for kind in kinds:
            while True:
                top = pushed[-1] if pushed else states[depth - 1]
                action = actions[top].get(kind)
                if action is None:
                    return False, len(states) - depth + 1
                if action >= 0:
                    pushed.append(action)
                    break
                name, size, _ = rules[~action]
                if size:
                    popped = min(size, len(pushed))
                    if popped:
                        del pushed[-popped:]
                    depth -= size - popped
                top = pushed[-1] if pushed else states[depth - 1]
                pushed.append(actions[top][name])
                if kind == END and pushed[-1] == self.tables.end_state:
                    return True, len(states) - depth + 1
        return True, len(states) - depth + 1

    def expected_after(self, kinds: Sequence[str]) -> tuple[str, list[str]]:
        """For a rejected sequence: the type of the first token rejected, and
        the terminals (and ``$END``) that would have been accepted in its place."""
        probe = LalrParser.__new__(LalrParser)
        probe.tables = self.tables
        probe.states = list(self.states)
        for kind in kinds:
            if not probe.accepts((kind,)):
                choices = [
                    symbol for symbol in self.tables.actions[probe.states[-1]]
                    if (symbol.isupper() or symbol == END) and probe.accepts((symbol,))
                ]
                return kind, choices
            probe._shift_states(kind)
        raise ValueError("the sequence is accepted")

    def _shift_states(self, kind: str) -> None:
        """Move the state stack past one token, as feed would, without values."""
        actions, rules, states = self.tables.actions, self.tables.rules, self.states
        while True:
            action = actions[states[-1]][kind]
            if action >= 0:
                states.append(action)
                return
            name, size, _ = rules[~action]
            if size:
                del states[-size:]
            states.append(actions[states[-1]][name])


def _picker(shape: tuple[int, ...]) -> Callable[[list], list | tuple]:
    """The function that makes a rule's children out of the values it pops.

    ``shape`` lists the indices of the values passed on, -1 for a missing
    optional part; the None appended to the values is what -1 then picks.
    """
    if len(shape) == 1:
        (index,) = shape
        return lambda values: [values[index] if index >= 0 else None]
    pick = itemgetter(*shape)

    def children(values: list) -> tuple:
        values.append(None)
        return pick(values)

    return children
