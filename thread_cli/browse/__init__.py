"""`thread browse`: an interactive reader for a dump, built on Textual.

The modules that do not import Textual (``rows``, ``lines``, ``keys``,
``loading``) hold the reading logic and are tested on their own; ``app``,
``view`` and ``screens`` put it on the screen. Nothing here is imported by
the other commands, so their start-up does not pay for Textual.
"""
