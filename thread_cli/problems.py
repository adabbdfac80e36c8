"""Problems found in a dump, as values, and the one way they are shown.

A :class:`Problem` says where (file, line, column), what (``message``), what
would have fitted (``expected``), how such a line usually comes about
(``hint``) and, when the parse went on past it, what was done (``repair``).
Parsing returns problems; ``--strict`` raises the first as a ParseError;
`thread check`, warnings and errors all print them with :func:`describe`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    source: str
    line: int
    column: int
    line_text: str = ""
    expected: tuple[str, ...] = ()
    hint: str | None = None
    repair: str | None = None

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}:{self.column}"

    def repaired(self, repair: str) -> "Problem":
        return dataclasses.replace(self, repair=repair)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def describe(problem: Problem, kind: str = "error", repair_label: str = "repaired") -> str:
    """The problem, its line (sanitised) with a marker under the column, the hint, the repair."""
    from rich.cells import cell_len

    from .sanitize import sanitize, sanitize_line

    lines = [f"{kind}: {sanitize_line(str(problem))}"]
    if problem.line_text:
        shown = sanitize(problem.line_text.expandtabs(1))
        prefix = sanitize(problem.line_text[: max(problem.column - 1, 0)].expandtabs(1))
        gutter = f"{problem.line:>6} | "
        lines.append(f"{gutter}{shown}")
        lines.append(" " * (len(gutter) - 2) + "| " + " " * cell_len(prefix) + "^")
    if problem.hint:
        lines.append(f"  hint: {sanitize(problem.hint)}")
    if problem.repair:
        lines.append(f"  {repair_label}: {sanitize(problem.repair)}")
    return "\n".join(lines)
