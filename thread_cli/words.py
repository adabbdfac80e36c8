"""Small pieces of English that several outputs share."""

from __future__ import annotations


def plural(count: int, noun: str, plural: str | None = None) -> str:
    """"1 comment", "2 comments"; ``plural`` for a noun that is not made
    plural with an s ("reply", "replies")."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
