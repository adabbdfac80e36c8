#!/usr/bin/env python3
"""Write synthetic article-and-comments dumps in the layout of the seed dump.

The layout copied from seeds/jpost-us-iran-talks.txt:

    TITLE
    (blank)
    TITLE | Site | Section.
    (blank)
    article paragraphs at column 1, separated by one blank line
    Explore posts in the same categories: A, B
    (blank)
    12,345 Comments on “TITLE”
    (blank)
    (blank)
      1. Avatar's avatar Name Says:         top-level marker at column 3
    (blank)
        body paragraph…                     body two columns right of the marker
    (blank)
        • Avatar's avatar Name Says:        reply marker at column 2·depth+1
    (blank)
          reply body…
    (blank)
      2. Text of a comment with no author   the body starts on the marker line
        and goes on, indented four.
    (blank)
    (blank)
    Leave a reply to Name Cancel reply      footer at column 1, no final newline

Replies are shown at most five levels deep, as on the page: a reply to a
depth-5 comment is printed as its sibling, so long back-and-forths become a
run of depth-5 siblings.

Usage:
    python benchmarks/generate.py --size 10MB -o benchmarks/data/10mb.txt [--seed N]
    python benchmarks/generate.py --deep 2000 -o benchmarks/data/deep-2000.txt
    python benchmarks/generate.py --corpus benchmarks/data/corpus-2000 --files 2000 [--file-size 20KB] [--broken 3]

--corpus writes a folder of small dumps in mixed layouts (see generate_corpus):
WordPress numbered (the seed's), WordPress with bulleted top-level comments,
and Blogger's flat list, in sub-folders of 500 files, plus --broken files
that a corpus run must survive.

The output is a function of (--size, --deep or --corpus/--files/--file-size/--broken, --seed) only: every random
choice comes from one random.Random(seed), and the same arguments give the same
bytes on every run and machine.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import string
import sys
from pathlib import Path

MAX_DEPTH = 5  # the page's nesting limit; deeper replies are flattened to it
INDENT = "  "

# ---------------------------------------------------------------- vocabulary
#
# Word pools for the sentence templates. Curly quotes and apostrophes, dashes,
# ellipses and a few non-ASCII words on purpose: real dumps are full of them,
# and they cost the parser and the JSON encoder more than plain ASCII.

ACTORS = [
    "Obama", "Rouhani", "the Americans", "Iran", "Israel", "the EU", "the UN", "Congress", "Putin",
    "the Saudis", "the IAEA", "Tehran", "Washington", "Netanyahu", "the mullahs", "the West", "Europe",
    "the State Department", "the media", "the rebels", "Assad", "Zarif", "Moscow", "Beijing",
    "the Security Council", "the P5+1", "our leaders", "the president", "the Knesset", "Hezbollah",
    "the Pentagon", "the White House", "the Europeans", "Kerry", "the Iranian people", "the regime",
    "the inspectors", "the French", "the Turks", "Riyadh", "the Gulf states", "the Russians",
]
VERBS = [
    "trust", "ignore", "pressure", "negotiate with", "sanction", "underestimate", "appease", "talk to",
    "stand up to", "apologize to", "deal with", "listen to", "confront", "reward", "isolate", "recognize",
    "contain", "bargain with", "lecture", "bomb", "bribe", "bluff", "outsmart", "wait out",
]
PAST = [
    "ignored", "signed", "promised", "rejected", "delayed", "hid", "expanded", "denied", "negotiated",
    "leaked", "approved", "blocked", "inspected", "funded", "abandoned", "misjudged",
]
OBJECTS = [
    "the sanctions regime", "the nuclear program", "the red lines", "the inspectors", "the enrichment",
    "the peace process", "the whole region", "their own people", "the centrifuges", "a diplomatic solution",
    "the Arak reactor", "the oil markets", "the hostage crisis", "the next election", "the UN resolution",
    "the uranium stockpile", "the Fordow site", "the talks in Geneva", "the chemical weapons",
    "the civil war in Syria", "the embassy", "the Strait of Hormuz", "the interim deal", "the carrots",
    "the sticks", "the status quo", "their credibility", "the facts on the ground", "the military option",
    "the letters", "the back channel", "the settlements", "the refugees", "the price of oil",
]
ADJECTIVES = [
    "naïve", "dangerous", "predictable", "hypocritical", "reasonable", "ridiculous", "unacceptable",
    "long overdue", "too little, too late", "a serious mistake", "wishful thinking", "pure theatre",
    "a smoke screen", "brilliant", "reckless", "cynical", "inevitable", "déjà vu all over again",
    "a game changer", "a trap", "nothing new", "exactly what they want", "a step in the right direction",
]
TIMES = [
    "in 1979", "last week", "for decades", "since the Shah fell", "back in ’53", "in the last thirty years",
    "before the election", "every single time", "right now", "in the long run", "on Wednesday",
    "at the General Assembly", "in Vienna", "two years ago", "after the Geneva round", "in the nineties",
    "since 2003", "by November", "within six months", "on day one",
]
OPENERS = [
    "Frankly,", "Honestly,", "Let’s be clear:", "With respect,", "Once again,", "As usual,",
    "Mark my words:", "Sorry, but", "In my opinion,", "Believe it or not,", "Funny thing is,",
    "Seriously,", "Look,", "Well…", "For the record,", "Again,", "Bottom line:", "Then again,",
]
QUOTES = [
    "death to America", "all options are on the table", "trust but verify", "a historic opportunity",
    "flexibility", "peace in our time", "the red line", "getting to yes", "it takes two to tango",
    "moderate", "transparency", "a new chapter", "the Great Satan", "heroic flexibility",
    "never again", "a bad deal is worse than no deal", "mutual respect", "facts on the ground",
]
SHORT = [
    "Agreed.", "Exactly!", "Well said.", "LOL.", "Good point.", "Not so fast…", "Nonsense.",
    "Thank you!", "Spot on.", "Sigh…", "Wow.", "Really?", "Amen to that.", "Touché.", "Indeed.",
    "Says who?", "Source?", "👍", "🙂", "Oh please.", "Bingo.", "Quite.",
]
SITES = ["www.ncr-iran.org", "www.haaretz.com", "www.reuters.com", "en.wikipedia.org", "www.iaea.org",
         "www.jpost.com", "www.nytimes.com", "www.bbc.co.uk", "www.al-monitor.com", "www.timesofisrael.com"]
URL_WORDS = ["iran", "nuclear", "talks", "sanctions", "report", "analysis", "vienna", "geneva", "interview",
             "rouhani", "letters", "inspections", "timeline", "terrorist-attacks-abroad", "list", "news"]

# "{actor2}" draws from ACTORS again, and so on: the digit is stripped.
POOLS = {
    "actor": ACTORS, "verb": VERBS, "past": PAST, "object": OBJECTS, "adj": ADJECTIVES, "time": TIMES,
    "opener": OPENERS, "quote": QUOTES, "num": ["3,000", "19,000", "185", "20%", "3.5%", "1,000", "60", "400",
                                                "a dozen", "two", "ten", "thousands of"],
}

COMMENT_TEMPLATES = [
    "{opener} {actor} will never {verb} {object}.",
    "{actor} has been trying to {verb} {object} {time}, and look where it got us.",
    "Why should {actor} {verb} {object} when {actor2} won’t even {verb2} {object2}?",
    "I don’t understand why {actor} keeps talking about “{quote}”.",
    "The problem is not {object}, it’s {object2}.",
    "{actor} said “{quote}” {time} – nobody believed it then either.",
    "If {actor} really wanted to {verb} {object}, it would have happened {time}.",
    "Do you really think {actor} cares about {object}?",
    "{opener} this is {adj}.",
    "That’s exactly what {actor} wants us to believe…",
    "We’ve seen this movie before: {actor} promises {object}, {actor2} looks the other way.",
    "Nobody here is saying that {actor} is perfect.",
    "You can’t {verb} {object} and expect {actor} to {verb2} {object2} at the same time!",
    "Read the report again; it says {actor} {past} {object} {time}.",
    "{actor} and {actor2} have more in common than either would admit.",
    "It’s {adj}, plain and simple.",
    "History will judge {actor} by what happens to {object}.",
    "So much for “{quote}”.",
    "The numbers don’t lie: {num} centrifuges, {num2} tons of uranium, zero transparency.",
    "I’m not an expert on {object}, but even I can see that {actor} is {adj}.",
    "{opener} {actor} {past} {object} {time} and got away with it.",
    "What happens to {object} if {actor} decides to {verb} {actor2}?",
    "Calling it ‘{quote}’ doesn’t change what it is.",
    "Every time {actor} tries to {verb} {actor2}, {object} gets worse — every single time.",
    "Let {actor} {verb} {object} first, then we can talk about {object2}.",
    "{actor} didn’t {verb} {object} {time}; why would they start now?",
    "People forget that {actor} {past} {object} {time}.",
    "It was never about {object}; it was always about {object2}.",
    "The real question is who benefits from {object}.",
    "I agree with you 100 percent about {object}.",
    "{opener} {object} is {adj}, and {actor} knows it.",
    "If that is what you are implying, I agree with you on the first part.",
]
ARTICLE_TEMPLATES = [
    "{actor} {past} {object} {time}, according to officials familiar with the matter.",
    "Diplomats said {actor} and {actor2} had discussed {object} and {object2} {time}.",
    "“{quote},” a senior official told reporters {time}, declining to be named.",
    "The move comes as {actor} weighs whether to {verb} {actor2} over {object}.",
    "Analysts say {object} will be the key test of whether {actor} is ready to {verb} {actor2}.",
    "{actor} has repeatedly denied that {object} has any military purpose.",
    "A report by {actor} {time} said that {num} centrifuges had been installed since the last round.",
    "Critics in {actor} called the approach {adj}, while supporters described it as {adj2}.",
    "The talks, the first of their kind {time}, are expected to focus on {object}.",
    "{actor} told the closed-door meeting that {object} remained the main obstacle.",
]

FIRST_NAMES = [
    "José", "Zoë", "Łukasz", "Αλέξης", "Björn", "Ségolène", "Dvořák", "Søren", "Ahmad", "Miriam", "Yossi",
    "Carlos", "Louisiana", "Norm", "Luis", "John", "Joseph", "Tom", "Sarah", "David", "Rachel", "Ali",
    "Fatemeh", "Reza", "Anna", "Pierre", "Hélène", "Jürgen", "Ingrid", "Oğuz", "Nadia", "Ivan", "Ольга",
    "Mohammed", "Dana", "Eli", "Avi", "Shira", "Grace", "Kevin", "Priya", "Siobhán", "Seán", "Chloé",
    "Matías", "Ngozi", "Kenji", "François", "Tomás", "Ewa", "Brendan", "Ruth", "Omar", "Leila",
]
LAST_NAMES = [
    "Álvarez", "Nowak", "Kowalczyk", "Papadopoulos", "Lindqvist", "Royal", "Novák", "Kierkegaard",
    "Cohen", "Levi", "Friedman", "Rosen", "Goldberg", "Smith", "Johnson", "Brown", "Müller", "Schmidt",
    "Dubois", "Moreau", "Rossi", "Bianchi", "García", "Martínez", "O’Brien", "Murphy", "Yılmaz", "Kaya",
    "Hosseini", "Karimi", "Tehrani", "Haddad", "Nasser", "Petrov", "Ivanova", "Nakamura", "Okafor",
    "Prophet", "Wouk", "Lizarraga", "Steve", "Katz", "Mizrahi", "Ben-David", "Shapiro", "Weiss",
]
# (avatar name, display name): a few with a handle as display name, like the
# seed's "Joseph Wouk's avatar josephwouk", and some written in other scripts.
FIXED_AUTHORS = [
    ("Luis", "Luis"), ("John Prophet", "John Prophet"), ("Joseph Wouk", "josephwouk"),
    ("Louisiana Steve", "Louisiana Steve"), ("CARLOS LIZARRAGA IN MIAMI", "CARLOS LIZARRAGA IN MIAMI"),
    ("IAmSpartacus", "IAmSpartacus"), ("artaxes", "artaxes"), ("renbe", "renbe"), ("tom", "tom"),
    ("José", "José"), ("Zoë", "zoe_k"), ("Łukasz Nowak", "Łukasz"), ("李明", "李明"),
    ("Αλέξης", "Αλέξης Π."), ("Ségolène", "Ségolène"), ("محمد", "Mohammed R."), ("Ольга", "Olga"),
    ("Yossi Levi", "yossi1948"), ("Siobhán O’Brien", "Siobhán"), ("Dana", "Dana"), ("Norm", "Norm"),
]

SECTIONS = ["Israel News", "Middle East", "Diplomacy", "World News", "Opinion", "Iran News", "Politics"]
CATEGORIES = ["Uncategorized", "Iran", "Israel", "Middle East", "Politics", "Syria", "United States",
              "Diplomacy", "Nuclear", "Europe", "Opinion", "Terrorism", "Russia"]
TITLE_TEMPLATES = [
    "Report: {actor} and {actor2} laying framework for first direct talks in over 30\u00a0years",
    "{actor} warns {actor2} over {object}",
    "Analysis: Why {actor} cannot afford to {verb} {actor2}",
    "{actor} says {object} is ‘non-negotiable’",
    "Officials: {actor} may {verb} {actor2} on the sidelines of the UN General Assembly",
    "{actor} and {actor2} to resume talks on {object}",
]


# ---------------------------------------------------------------- text


class TextMaker:
    """Sentences, paragraphs and names drawn from one random.Random."""

    _FIELD = re.compile(r"\{(\w+?)\d?\}")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # Each template's fields, found once: filling only those keeps the
        # 50 MB file down to a few seconds.
        self._comment = [(t, self._fields(t)) for t in COMMENT_TEMPLATES]
        self._article = [(t, self._fields(t)) for t in ARTICLE_TEMPLATES]
        self.authors = self._make_authors(1500)
        # A few regulars write a good share of the comments, as on any real page
        # (the seed's Luis); the offset keeps the busiest near 2–3 % rather than 15 %.
        self._author_weights = list(itertools.accumulate(1 / (rank + 8) for rank in range(len(self.authors))))

    @classmethod
    def _fields(cls, template: str) -> list[tuple[str, str]]:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        return [(name, cls._FIELD.fullmatch("{" + name + "}").group(1)) for name in dict.fromkeys(names)]

    def _make_authors(self, count: int) -> list[tuple[str, str]]:
        rng = self.rng
        authors = list(FIXED_AUTHORS)
        seen = {display for _, display in authors}
        while len(authors) < count:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            style = rng.random()
            if style < 0.55:
                avatar = display = f"{first} {last}"
            elif style < 0.75:
                avatar = display = first
            elif style < 0.9:
                # Handle as display name, real name on the avatar.
                avatar, display = f"{first} {last}", f"{first.lower()}{last[0].lower()}{rng.randint(1, 99)}"
            else:
                avatar, display = f"{first} {last}", f"{first} {last[0]}."
            if display not in seen:
                seen.add(display)
                authors.append((avatar, display))
        rng.shuffle(authors)
        return authors

    def author(self) -> tuple[str, str]:
        return self.rng.choices(self.authors, cum_weights=self._author_weights)[0]

    def _fill(self, templates: list[tuple[str, list[tuple[str, str]]]]) -> str:
        choice = self.rng.choice
        template, fields = choice(templates)
        if fields:
            template = template.format_map({name: choice(POOLS[pool]) for name, pool in fields})
        # Capitalise the first letter, also after an opening quote (“facts on the ground,” …).
        start = 1 if template[0] in "“‘" else 0
        if template[start].islower():
            template = template[:start] + template[start].upper() + template[start + 1:]
        return template

    def sentence(self) -> str:
        roll = self.rng.random()
        if roll < 0.06:
            return self.rng.choice(SHORT)
        if roll < 0.08:
            return f"See {self.url()} for the details."
        return self._fill(self._comment)

    def url(self) -> str:
        rng = self.rng
        words = "-".join(rng.sample(URL_WORDS, rng.randint(1, 4)))
        scheme = "https" if rng.random() < 0.6 else "http"
        return f"{scheme}://{rng.choice(SITES)}/{rng.randint(2009, 2014)}/{rng.randint(1, 12):02d}/{words}"

    def paragraph(self, *, sentences: tuple[int, ...] = (1, 2, 3, 4, 5, 6),
                  weights: tuple[int, ...] = (30, 28, 20, 11, 7, 4)) -> list[str]:
        """A paragraph as its lines: usually one line, sometimes a line per sentence or two."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.03:
            return [self.url()]  # a bare link, as in the seed's comment 9
        if roll < 0.045:
            # A numbered list inside a body: text, not a comment marker.
            return [f"{n}. {self.sentence()}" for n in range(1, rng.randint(2, 5) + 1)]
        count = rng.choices(sentences, weights)[0]
        parts = [self.sentence() for _ in range(count)]
        if roll < 0.2 and count > 1:
            lines, i = [], 0
            while i < count:
                step = rng.randint(1, 2)
                lines.append(" ".join(parts[i:i + step]))
                i += step
            return lines
        if roll < 0.25:
            parts.insert(0, f"@{rng.choice(self.authors)[1]}:")
        return [" ".join(parts)]

    def body(self, top_level: bool) -> list[list[str]]:
        rng = self.rng
        if top_level:
            count = rng.choices((1, 2, 3, 4, 5, 6), (45, 25, 14, 8, 5, 3))[0]
        else:
            count = rng.choices((1, 2, 3, 4), (62, 24, 10, 4))[0]
        return [self.paragraph() for _ in range(count)]

    def article_paragraph(self) -> str:
        count = self.rng.choices((1, 2, 3), (50, 35, 15))[0]
        return " ".join(self._fill(self._article) for _ in range(count))

    def title(self) -> str:
        return self._fill([(t, self._fields(t)) for t in TITLE_TEMPLATES])


# ---------------------------------------------------------------- layout


def byline(rng: random.Random, author: tuple[str, str]) -> str:
    avatar, display = author
    if rng.random() < 0.05:
        return f"{display} Says:"  # no avatar image on the page
    return f"{avatar}'s avatar {display} Says:"


def render_comment(out: list[str], depth: int, marker: str, author: tuple[str, str] | None,
                   paragraphs: list[list[str]], rng: random.Random) -> None:
    """Append the lines of one comment (without its replies) to ``out``."""
    indent = INDENT * depth
    body = indent + INDENT
    join = "\n" + body
    if author is not None:
        out.append(f"{indent}{marker}{byline(rng, author)}\n\n")
        for lines in paragraphs:
            out.append(f"{body}{join.join(lines)}\n\n")
    else:
        # The first paragraph starts on the marker line, the rest of it one level in.
        first, *rest = paragraphs
        out.append(f"{indent}{marker}{join.join(first)}\n\n")
        for lines in rest:
            out.append(f"{body}{join.join(lines)}\n\n")


class ThreadMaker:
    """Top-level comments with their reply trees, as text."""

    def __init__(self, text: TextMaker) -> None:
        self.text = text
        self.rng = text.rng
        self.comments = 0

    def thread(self, number: int) -> str:
        rng, text = self.rng, self.text
        out: list[str] = []
        author = None if rng.random() < 0.07 else text.author()
        render_comment(out, 1, f"{number}. ", author, text.body(True), rng)
        self.comments += 1
        if rng.random() < 0.45:
            replies = rng.choices((1, 2, 3, 4, 6), (45, 25, 15, 10, 5))[0]
            for _ in range(replies):
                self._reply(out, 2, author)
            # The page sometimes leaves an extra blank line after a thread.
            if rng.random() < 0.25:
                out.append("\n")
        return "".join(out)

    def _reply(self, out: list[str], depth: int, parent: tuple[str, str] | None) -> None:
        rng, text = self.rng, self.text
        # Replies usually come from someone else; back-and-forths alternate two people.
        author = text.author()
        while author == parent:
            author = text.author()
        paragraphs = [[]] if rng.random() < 0.004 else text.body(False)
        self._emit(out, depth, author, paragraphs)
        if depth == MAX_DEPTH - 1 and rng.random() < 0.5:
            # A long exchange below depth 4: the page flattens it into siblings at depth 5.
            other = parent or text.author()
            speakers = (other, author)
            for turn in range(rng.choices((1, 2, 4, 8, 12), (40, 25, 18, 12, 5))[0]):
                speaker = speakers[turn % 2] if rng.random() < 0.85 else text.author()
                self._emit(out, MAX_DEPTH, speaker, text.body(False))
            return
        if depth < MAX_DEPTH - 1 and rng.random() < 0.42 - 0.06 * depth:
            for _ in range(rng.choices((1, 2, 3), (65, 25, 10))[0]):
                self._reply(out, depth + 1, author)

    def _emit(self, out: list[str], depth: int, author: tuple[str, str], paragraphs: list[list[str]]) -> None:
        if paragraphs == [[]]:
            # An empty body (an image-only comment, say): the author line and one blank.
            out.append(f"{INDENT * depth}• {byline(self.rng, author)}\n\n")
        else:
            render_comment(out, depth, "• ", author, paragraphs, self.rng)
        self.comments += 1


def article(text: TextMaker, title: str, paragraphs: int) -> str:
    rng = text.rng
    lines = [title, f"{title} | JPost | {rng.choice(SECTIONS)}."]
    lines.append(text.article_paragraph())
    caption = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    lines += [caption, f"{caption} Photo: Reuters"]
    for _ in range(paragraphs):
        if rng.random() < 0.08:
            lines.append(f"“{rng.choice(QUOTES).upper()}”")  # a sub-heading, like “TWO TO TANGO”
        lines.append(text.article_paragraph())
    categories = ", ".join(rng.sample(CATEGORIES, rng.choices((1, 2, 3), (40, 40, 20))[0]))
    lines.append(f"Explore posts in the same categories: {categories}")
    return "\n\n".join(lines) + "\n\n"


def declared_count(rng: random.Random, real: int) -> int:
    """The header's count: usually right, sometimes a little off, as on the seed's page."""
    if rng.random() < 0.6:
        return real
    return max(0, real + rng.choice((-3, -2, -1, 1, 1, 2, 4)))


def header(title: str, count: int) -> str:
    noun = "Comment" if count == 1 else "Comments"
    return f"{count:,} {noun} on “{title}”\n\n\n"


def footer(text: TextMaker) -> str:
    return f"\nLeave a reply to {text.author()[1]} Cancel reply"


def generate(size: int, seed: int) -> bytes:
    """A dump of about ``size`` bytes (never much more than one thread over)."""
    rng = random.Random(seed)
    text = TextMaker(rng)
    title = text.title()
    head = article(text, title, rng.randint(8, 24)).encode()
    tail = footer(text).encode()
    maker = ThreadMaker(text)
    chunks: list[bytes] = []
    total = len(head) + len(tail) + 40  # 40: room for the header line
    comments = 0
    for number in itertools.count(1):
        chunk = maker.thread(number).encode()
        if chunks and total + len(chunk) > size:
            break
        chunks.append(chunk)
        total += len(chunk)
        comments = maker.comments  # the thread that overshot is dropped, with its comments
    count = declared_count(rng, comments)
    return head + header(title, count).encode() + b"".join(chunks) + tail


def generate_deep(depth: int, seed: int) -> bytes:
    """One chain of replies ``depth`` levels deep, each one level below the last, unflattened."""
    rng = random.Random(seed)
    text = TextMaker(rng)
    title = text.title()
    out = [article(text, title, 3), header(title, depth)]
    first = text.author()
    second = text.author()
    while second == first:
        second = text.author()
    speakers = (first, second)
    out.append(f"{INDENT}1. {byline(rng, speakers[0])}\n\n{INDENT * 2}{text.sentence()}\n\n")
    for level in range(2, depth + 1):
        indent = INDENT * level
        out.append(f"{indent}• {byline(rng, speakers[(level - 1) % 2])}\n\n{indent}{INDENT}{text.sentence()}\n\n")
    out.append(footer(text))
    return "".join(out).encode()


# ---------------------------------------------------------------- corpus

CORPUS_LAYOUTS = ("wordpress-numbered", "wordpress-bulleted", "blogger-flat")
# The broken files of a corpus, in the order --broken takes them: a dangling
# symbolic link (cannot be read: always skipped), invalid UTF-8 and a reply
# indented out of place (repaired with a warning; skipped under --strict),
# and an empty file (no title: always skipped).
BROKEN_KINDS = ("link", "bytes", "structure", "empty")
FOLDER_FILES = 500  # files per sub-folder, so that a corpus run walks folders


def _wordpress(text: TextMaker, size: int, *, bulleted: bool) -> bytes:
    rng = text.rng
    title = text.title()
    head = article(text, title, rng.randint(1, 4))
    maker = ThreadMaker(text)
    chunks: list[str] = []
    total = len(head)
    for number in itertools.count(1):
        if bulleted:
            out: list[str] = []
            render_comment(out, 1, "• ", text.author(), text.body(True), rng)
            maker.comments += 1
            if rng.random() < 0.45:
                for _ in range(rng.choices((1, 2, 3), (60, 30, 10))[0]):
                    maker._reply(out, 2, None)
            chunk = "".join(out)
        else:
            chunk = maker.thread(number)
        if chunks and total + len(chunk.encode()) > size:
            break
        chunks.append(chunk)
        total += len(chunk.encode())
    return (head + header(title, declared_count(rng, maker.comments)) + "".join(chunks) + footer(text)).encode()


def _blogger(text: TextMaker, size: int) -> bytes:
    rng = text.rng
    title = text.title()
    out = [title, "\n\n", text.article_paragraph(), "\n\n"]
    comments: list[str] = []
    total = 0
    while not comments or total < size:
        author = "Anonymous" if rng.random() < 0.1 else text.author()[1]
        paragraphs = "\n\n".join(" ".join(lines) for lines in text.body(False))
        stamp = f"{rng.choice(['March', 'April', 'May'])} {rng.randint(1, 28)}, 2012 at {rng.randint(1, 12)}:" \
                f"{rng.randint(0, 59):02d} {rng.choice(['AM', 'PM'])}"
        comment = f"{author} said...\n\n{paragraphs}\n\n{stamp}\n\n"
        comments.append(comment)
        total += len(comment.encode())
    count = len(comments)
    out.append(f"{count} comment{'s' if count != 1 else ''}:\n\n")
    out += comments
    out.append("Post a Comment\n\nNewer Post Older Post Home\n")
    return "".join(out).encode()


def _broken(kind: str, text: TextMaker, size: int) -> bytes:
    if kind == "empty":
        return b""
    data = _wordpress(text, size, bulleted=False)
    if kind == "bytes":
        # A Latin-1 byte inside a word of a comment's text, from the middle on
        middle = data.index(b" the ", len(data) // 2)
        return data[:middle] + b" th\xe9 " + data[middle + 5:]
    # structure: a reply two levels below its parent (depth 1 to depth 3)
    reply, skipped = "\n    \u2022 ".encode(), "\n        \u2022 ".encode()
    if reply in data:
        return data.replace(reply, skipped, 1)
    top = data.index(b"\n  1. ")
    end = data.index(b"\n\n  2. ", top) if b"\n\n  2. " in data else data.rindex(b"\nLeave a reply")
    return data[:end] + "\n\n        \u2022 Ann Says:\n\n          Odd.".encode() + data[end:]


def generate_corpus(directory: Path, files: int, *, file_size: int = 20_000, broken: int = 3,
                    seed: int = 1) -> list[Path]:
    """``files`` dumps under ``directory`` (the last ``broken`` of them broken,
    see BROKEN_KINDS), about ``file_size`` bytes each on average; returns their paths."""
    rng = random.Random(seed)
    text = TextMaker(rng)
    directory.mkdir(parents=True, exist_ok=True)
    broken = min(broken, files)
    written = []
    for index in range(files - broken):
        layout = CORPUS_LAYOUTS[index % len(CORPUS_LAYOUTS)]
        size = int(file_size * rng.uniform(0.3, 1.7))
        folder = directory / f"part-{index // FOLDER_FILES:03d}"
        folder.mkdir(exist_ok=True)
        path = folder / f"{index:06d}-{layout}.txt"
        if layout == "blogger-flat":
            data = _blogger(text, size)
        else:
            data = _wordpress(text, size, bulleted=layout == "wordpress-bulleted")
        path.write_bytes(data)
        written.append(path)
    for number in range(broken):
        kind = BROKEN_KINDS[number % len(BROKEN_KINDS)]
        path = directory / f"broken-{number + 1}-{kind}.txt"
        if path.is_symlink() or path.exists():
            path.unlink()
        if kind == "link":
            path.symlink_to("missing.txt")
        else:
            path.write_bytes(_broken(kind, text, file_size))
        written.append(path)
    return written


# ---------------------------------------------------------------- command line

_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2, "MIB": 1024**2,
          "G": 1024**3, "GB": 1024**3, "GIB": 1024**3}


def parse_size(text: str) -> int:
    """'10MB', '512k', '1.5M' or a plain byte count; K, M and G are powers of 1024, like head -c."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    if not match or match[2].upper() not in _UNITS:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 10MB, 512KB or 1048576)")
    return int(float(match[1]) * _UNITS[match[2].upper()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--size", type=parse_size, help="approximate size of the dump: 10MB, 512KB, 1048576…")
    mode.add_argument("--deep", type=int, metavar="N", help="one chain of replies N levels deep (stress test)")
    mode.add_argument("--corpus", metavar="DIR", help="a folder of --files small dumps in mixed layouts")
    parser.add_argument("-o", "--output", help="file to write ('-' for stdout); not with --corpus")
    parser.add_argument("--files", type=int, default=100, metavar="N", help="--corpus: how many files (default: 100)")
    parser.add_argument("--file-size", type=parse_size, default=20_000,
                        help="--corpus: average size of a file (default: 20000 bytes)")
    parser.add_argument("--broken", type=int, default=3, metavar="K",
                        help="--corpus: how many of the files are broken (default: 3; see BROKEN_KINDS)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)

    if args.corpus is not None:
        if args.files < 1 or args.broken < 0:
            parser.error("--files needs N >= 1 and --broken K >= 0")
        generate_corpus(Path(args.corpus), args.files, file_size=args.file_size, broken=args.broken, seed=args.seed)
        return 0
    if args.output is None:
        parser.error("-o/--output is required with --size and --deep")
    if args.deep is not None and args.deep < 1:
        parser.error("--deep needs N >= 1")
    data = generate_deep(args.deep, args.seed) if args.deep is not None else generate(args.size, args.seed)
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
