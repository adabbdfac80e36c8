"""thread: read, filter, search and export comment threads from plain-text page dumps.

The library (model, parser, formats) never imports Click; cli.py is the only
command-line layer.
"""

__version__ = "0.1.0"
