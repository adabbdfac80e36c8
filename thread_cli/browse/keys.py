"""Every key of `thread browse`, in one table: the help overlay and docs/browse.md show it,
and a test checks that each key bound in the view is listed here."""

from __future__ import annotations

KEY_HELP: list[tuple[str, str]] = [
    ("j  k  ↓  ↑", "next / previous comment"),
    ("J  K  ]  [", "next / previous sibling"),
    ("n  p", "next / previous top-level thread"),
    ("u  h", "parent"),
    ("space  enter", "fold / unfold the sub-thread (folded: [+N replies])"),
    ("z  Z", "fold all top-level threads / unfold all"),
    ("g  G  home  end", "first / last"),
    ("PgUp  PgDn", "a screen up / down"),
    ("/", "search (smart case: a capital makes it exact)"),
    ("n  N", "search active: next / previous hit (wins over n)"),
    ("esc", "end the search (n: next thread again)"),
    ("a  A", "one author's comments, ancestors dimmed / everyone"),
    ("o", "open the comment's link (a list if several)"),
    ("y  Y", "copy the comment's id / text (if the terminal can)"),
    ("r", "reload the file, on the same comment"),
    ("?", "this help"),
    ("q", "quit"),
    ("mouse", "click: select; click ▸/▾: fold; wheel: scroll"),
]
