"""The console script's entry point: Ctrl-C during start-up ends quietly too.

Importing the command line (Click, the model, the patterns) takes a few tens
of milliseconds, and a KeyboardInterrupt raised in the middle of an import
would print a traceback. Until the CLI is loaded, Ctrl-C ends the process at
once with the documented status instead; after that, the CLI handles it.
"""

import os
import signal

INTERRUPTED = 130  # errors.ExitStatus.INTERRUPTED, not imported: this module must load instantly


def run() -> None:
    previous = signal.signal(signal.SIGINT, _interrupted_while_starting)
    from .cli import run as run_cli

    signal.signal(signal.SIGINT, previous)
    run_cli()


def _interrupted_while_starting(signum, frame) -> None:
    os.write(2, b"interrupted\n")
    os._exit(INTERRUPTED)
