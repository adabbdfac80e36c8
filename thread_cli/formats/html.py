"""The ``html`` format: one self-contained page with collapsible threads.

No external assets: styles and the one small script are inline, so the page
works offline. A comment with replies folds (<details>); folded, it says how
many replies it hides. "Fold all" and "Unfold all" need the script; without
it they stay hidden and each comment still folds on its own. The page's
Content-Security-Policy allows that script alone (by its hash), so even text
that escaped escaping could not run.

Every piece of user text is escaped, and control characters are made visible
first, exactly as in the terminal view. URLs (http and https only) become
links with ``rel="nofollow noopener"``.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Iterator

from ..model import Comment, Paragraph, Thread
from ..sanitize import sanitize
from ..styles import URL, WIDE_COLOURS, author_colours
from ..words import plural

_LIGHT_PAGE, _DARK_PAGE = (255, 255, 255), (17, 17, 17)


def _xterm_rgb(number: int) -> tuple[int, int, int]:
    """The colour of xterm's 256-colour cube entry ``number`` (16-231)."""
    levels = (0, 95, 135, 175, 215, 255)
    index = number - 16
    return levels[index // 36], levels[index // 6 % 6], levels[index % 6]


def _luminance(rgb: tuple[int, int, int]) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(rgb: tuple[int, int, int], page: tuple[int, int, int]) -> str:
    """``rgb`` as CSS, moved towards black (light page) or white (dark page)
    until its text has a contrast of 4.5 (WCAG AA) on ``page``."""
    target = 0 if _luminance(page) > 0.5 else 255
    colour = rgb
    step = 0
    while _contrast(colour, page) < 4.5:
        step += 1
        colour = tuple(round(channel + (target - channel) * step / 20) for channel in rgb)
    return "#{:02x}{:02x}{:02x}".format(*colour)


# The terminal's wide palette (styles.WIDE_COLOURS), slot for slot, so that an
# author has the same hue in the page as on a 256-colour terminal.
_PALETTE = tuple(
    (readable_on(_xterm_rgb(number), _LIGHT_PAGE), readable_on(_xterm_rgb(number), _DARK_PAGE))
    for number in WIDE_COLOURS
)

_STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.6rem;line-height:1.25}
.article p{margin:.6rem 0}
.meta{color:#666;font-size:.9rem}
.controls button{font:inherit;font-size:.85rem}
.comment{margin:.5rem 0;padding-left:.9rem;border-left:2px solid #ddd}
.comment>summary{cursor:pointer;list-style-position:outside}
.replies{margin-left:.4rem}
.id{font-family:ui-monospace,Menlo,Consolas,monospace;color:#0a7ea4;font-size:.85rem}
.author{font-weight:700}
.none{font-style:italic;color:#777}
.avatar,.date,.folded{color:#777;font-size:.85rem;white-space:nowrap}
.folded{display:none}
details:not([open])>summary .folded{display:inline}
.kind{font-style:italic;color:#777}
.body p{margin:.45rem 0}
.head,summary,.body{overflow-wrap:anywhere}
footer{margin-top:2rem;color:#666;border-top:1px solid #ddd;padding-top:.5rem}
@media (max-width:36rem){body{margin:1rem auto;padding:0 .5rem}.comment{padding-left:.6rem}.replies{margin-left:0}}
""" + "".join(f".a{index}{{color:{light}}}" for index, (light, _) in enumerate(_PALETTE)) + """
@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}.comment{border-color:#333}.id{color:#5ec4e6}
""" + "".join(f".a{index}{{color:{dark}}}" for index, (_, dark) in enumerate(_PALETTE)) + "}\n"

# Shows the controls (a page where nothing folds has none) and makes them
# work; without it they stay hidden.
_SCRIPT = (
    'const controls=document.querySelector(".controls");'
    "if(controls){"
    'for(const button of controls.querySelectorAll("button"))button.addEventListener("click",()=>{'
    'for(const comment of document.querySelectorAll("details.comment"))comment.open=button.value==="unfold";});'
    "controls.hidden=false;}"
)
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("ascii")).digest()).decode("ascii")
_POLICY = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'"


def _escape(text: str) -> str:
    return html.escape(sanitize(text), quote=True)


def linked(text: str) -> str:
    """User text as HTML: escaped, with each http(s) URL a link to itself."""
    text = sanitize(text)
    parts = []
    position = 0
    for match in URL.finditer(text) if "://" in text else ():
        url = html.escape(match.group(), quote=True)
        parts.append(html.escape(text[position:match.start()], quote=True))
        parts.append(f'<a href="{url}" rel="nofollow noopener">{url}</a>')
        position = match.end()
    parts.append(html.escape(text[position:], quote=True))
    return "".join(parts)


def _paragraph(paragraph: Paragraph) -> str:
    return "<p>" + "<br>\n".join(linked(line) for line in paragraph.lines) + "</p>\n"


def render_html(thread: Thread) -> Iterator[str]:
    title = _escape(thread.title.text)
    yield (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_POLICY}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<article class=\"article\">\n<h1>{title}</h1>\n"
    )
    if thread.date_line is not None:
        yield f"<p class=\"meta\">{_escape(thread.date_line.text)}</p>\n"
    for paragraph in thread.article.paragraphs:
        yield _paragraph(paragraph)
    yield "</article>\n"
    if thread.categories and thread.categories.names:
        yield f"<p class=\"meta\">Categories: {_escape(', '.join(thread.categories.names))}</p>\n"
    parsed = thread.parsed_count
    declared = thread.declared_count
    note = f" (the header declares {declared})" if declared is not None and declared != parsed else ""
    yield f"<section class=\"comments\">\n<h2>{plural(parsed, 'comment')}{note}</h2>\n"
    yield from _comments(thread)
    yield "</section>\n"
    if thread.footer:
        yield "<footer>\n" + "".join(f"<p>{_escape(line.text)}</p>\n" for line in thread.footer) + "</footer>\n"
    yield f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"


def _comments(thread: Thread) -> Iterator[str]:
    """The comments, nested: a comment with replies folds, a leaf does not."""
    colours = author_colours(comment.author for comment in thread.walk() if comment.author is not None)
    below = _reply_counts(thread)
    if any(below.values()):
        yield (
            "<p class=\"controls\" hidden><button type=\"button\" value=\"fold\">Fold all</button> "
            "<button type=\"button\" value=\"unfold\">Unfold all</button></p>\n"
        )
    open_levels = 0
    for comment, level in thread.walk_levels():
        while open_levels > level:
            yield "</div></details>\n"
            open_levels -= 1
        if comment.replies:
            yield _open_comment(comment, colours, below[comment])
            open_levels += 1
        else:
            yield _leaf(comment, colours)
    yield "</div></details>\n" * open_levels


def _reply_counts(thread: Thread) -> dict[Comment, int]:
    """How many replies (at every depth) each comment has, in one pass:
    in reverse document order every reply comes before its parent."""
    counts: dict[Comment, int] = {}
    for comment in reversed(list(thread.walk())):
        counts[comment] = sum(1 + counts[reply] for reply in comment.replies)
    return counts


def _head(comment: Comment, colours: dict[str, int]) -> str:
    """The id (a link to the comment itself), the author, the avatar name when
    it differs, the date."""
    anchor = html.escape("#c-" + comment.id, quote=True)
    parts = [f"<a class=\"id\" href=\"{anchor}\">{html.escape(comment.id)}</a> "]
    if comment.kind != "comment":  # a pingback or trackback: its "author" is the linking page
        parts.append(f"<span class=\"kind\">{html.escape(comment.kind.capitalize())}:</span> ")
    if comment.author is None:
        parts.append("<span class=\"none\">(no author)</span>")
    else:
        slot = colours[comment.author.casefold()]
        parts.append(f"<span class=\"author a{slot}\">{_escape(comment.author)}</span>")
        if comment.avatar and comment.avatar.casefold() != comment.author.casefold():
            parts.append(f" <span class=\"avatar\">(avatar: {_escape(comment.avatar)})</span>")
    if comment.date:
        when = f" datetime=\"{html.escape(comment.datetime, quote=True)}\"" if comment.datetime else ""
        parts.append(f" <time class=\"date\"{when}>{_escape(comment.date)}</time>")
    return "".join(parts)


def _body(comment: Comment) -> str:
    return "<div class=\"body\">\n" + "".join(_paragraph(p) for p in comment.paragraphs) + "</div>\n"


def _open_comment(comment: Comment, colours: dict[str, int], hidden: int) -> str:
    """A comment with replies, left open for them: <details> that say, folded, how many replies they hide."""
    anchor = html.escape("c-" + comment.id, quote=True)
    folded = f" <span class=\"folded\">({plural(hidden, 'reply', 'replies')} hidden)</span>"
    return (
        f"<details open class=\"comment\" id=\"{anchor}\"><summary>{_head(comment, colours)}{folded}</summary>\n"
        f"{_body(comment)}<div class=\"replies\">\n"
    )


def _leaf(comment: Comment, colours: dict[str, int]) -> str:
    """A comment without replies: nothing to fold, so no disclosure triangle."""
    anchor = html.escape("c-" + comment.id, quote=True)
    return (
        f"<div class=\"comment leaf\" id=\"{anchor}\"><div class=\"head\">{_head(comment, colours)}</div>\n"
        f"{_body(comment)}</div>\n"
    )
