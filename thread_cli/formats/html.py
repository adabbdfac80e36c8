"""The ``html`` format: one self-contained page with collapsible threads.

No external assets (styles are inline; collapsing uses <details>, no
script), so the page works offline. Every piece of user text is escaped, and
control characters are made visible first, exactly as in the terminal view.
"""

from __future__ import annotations

import html
import zlib
from typing import Iterator

from ..model import Comment, Paragraph, Thread
from ..sanitize import sanitize

# Author colours as (on a light page, on a dark page), in the order of the
# terminal's palette (layout._AUTHOR_COLOURS: red, green, yellow, blue, magenta,
# cyan, then their bright variants), so an author has the same colour in the
# page and in the terminal. The bright variants take a neighbouring hue, so
# that all twelve stay distinct.
_PALETTE = (
    ("#c62828", "#ef7a7a"),  # red
    ("#2e7d32", "#74c77a"),  # green
    ("#8a6d00", "#e0c04a"),  # yellow (dark gold: readable on white)
    ("#1565c0", "#6aa8f0"),  # blue
    ("#ad1457", "#f06a9e"),  # magenta
    ("#00796b", "#4fc3b5"),  # cyan
    ("#d84315", "#ff8a5c"),  # bright red: orange-red
    ("#5b7f00", "#a5cf3f"),  # bright green: olive
    ("#b35c00", "#ffb062"),  # bright yellow: amber
    ("#3949ab", "#8e9af0"),  # bright blue: indigo
    ("#7b1fa2", "#c98ae0"),  # bright magenta: purple
    ("#0277bd", "#5cc0f5"),  # bright cyan: sky blue
)

_STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.6rem;line-height:1.25}
.article p{margin:.6rem 0}
.meta{color:#666;font-size:.9rem}
details{margin:.5rem 0 .5rem 0;padding-left:.9rem;border-left:2px solid #ddd}
details>summary{cursor:pointer;list-style-position:outside}
.replies{margin-left:.4rem}
.id{font-family:ui-monospace,Menlo,Consolas,monospace;color:#0a7ea4;font-size:.85rem;margin-right:.4rem}
.author{font-weight:700}
.none{font-style:italic;color:#777}
.avatar,.date{color:#777;font-size:.85rem}
.date{margin-left:.4rem}
.kind{font-style:italic;color:#777}
.body p{margin:.45rem 0}
summary,.body{overflow-wrap:anywhere}
footer{margin-top:2rem;color:#666;border-top:1px solid #ddd;padding-top:.5rem}
""" + "".join(f".a{index}{{color:{light}}}" for index, (light, _) in enumerate(_PALETTE)) + """
@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}details{border-color:#333}.id{color:#5ec4e6}
""" + "".join(f".a{index}{{color:{dark}}}" for index, (_, dark) in enumerate(_PALETTE)) + "}\n"


def author_colour(name: str) -> int:
    """The palette index of ``name``: the same as layout.author_colour (tested),
    computed here so that an export does not import the terminal view and Rich."""
    return zlib.crc32(name.casefold().encode("utf-8", "surrogatepass")) % len(_PALETTE)


def _escape(text: str) -> str:
    return html.escape(sanitize(text), quote=True)


def _paragraph(paragraph: Paragraph) -> str:
    return "<p>" + "<br>\n".join(_escape(line) for line in paragraph.lines) + "</p>\n"


def render_html(thread: Thread) -> Iterator[str]:
    title = _escape(thread.title.text)
    yield (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<article class=\"article\">\n<h1>{title}</h1>\n"
    )
    for paragraph in thread.article.paragraphs:
        yield _paragraph(paragraph)
    yield "</article>\n"
    if thread.categories and thread.categories.names:
        yield f"<p class=\"meta\">Categories: {_escape(', '.join(thread.categories.names))}</p>\n"
    parsed = thread.parsed_count
    declared = thread.declared_count
    note = f" (the header declares {declared})" if declared is not None and declared != parsed else ""
    yield f"<section class=\"comments\">\n<h2>{parsed} comments{note}</h2>\n"
    open_levels = 0
    for comment, level in thread.walk_levels():
        while open_levels > level:
            yield "</div></details>\n"
            open_levels -= 1
        yield _open_comment(comment)
        open_levels += 1
    yield "</div></details>\n" * open_levels
    yield "</section>\n"
    if thread.footer:
        yield "<footer>\n" + "".join(f"<p>{_escape(line.text)}</p>\n" for line in thread.footer) + "</footer>\n"
    yield "</body>\n</html>\n"


def _open_comment(comment: Comment) -> str:
    if comment.author is None:
        author = "<span class=\"none\">(no author)</span>"
    else:
        author = (
            f"<span class=\"author a{author_colour(comment.author)}\">"
            f"{_escape(comment.author)}</span>"
        )
        if comment.avatar and comment.avatar != comment.author:
            author += f" <span class=\"avatar\">(avatar: {_escape(comment.avatar)})</span>"
    if comment.kind != "comment":  # a pingback or trackback: its "author" is the linking page
        author = f"<span class=\"kind\">{html.escape(comment.kind.capitalize())}:</span> {author}"
    if comment.date:
        when = f" datetime=\"{html.escape(comment.datetime, quote=True)}\"" if comment.datetime else ""
        author += f" <time class=\"date\"{when}>{_escape(comment.date)}</time>"
    anchor = html.escape("c-" + comment.id, quote=True)
    body = "".join(_paragraph(p) for p in comment.paragraphs)
    return (
        f"<details open id=\"{anchor}\"><summary><a class=\"id\" href=\"#{anchor}\">"
        f"{html.escape(comment.id)}</a>{author}</summary>\n"
        f"<div class=\"body\">\n{body}</div>\n<div class=\"replies\">\n"
    )
