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
.avatar{color:#777;font-size:.85rem}
.body p{margin:.3rem 0}
footer{margin-top:2rem;color:#666;border-top:1px solid #ddd;padding-top:.5rem}
@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}details{border-color:#333}.id{color:#5ec4e6}}
"""


def _escape(text: str) -> str:
    return html.escape(sanitize(text), quote=True)


def _author_colour(name: str) -> str:
    return f"hsl({zlib.crc32(name.casefold().encode('utf-8')) % 360},65%,38%)"


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
            f"<span class=\"author\" style=\"color:{_author_colour(comment.author)}\">"
            f"{_escape(comment.author)}</span>"
        )
        if comment.avatar and comment.avatar != comment.author:
            author += f" <span class=\"avatar\">(avatar: {_escape(comment.avatar)})</span>"
    anchor = html.escape("c-" + comment.id, quote=True)
    body = "".join(_paragraph(p) for p in comment.paragraphs)
    return (
        f"<details open id=\"{anchor}\"><summary><a class=\"id\" href=\"#{anchor}\">"
        f"{html.escape(comment.id)}</a>{author}</summary>\n"
        f"<div class=\"body\">\n{body}</div>\n<div class=\"replies\">\n"
    )
