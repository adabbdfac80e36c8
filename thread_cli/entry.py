"""The console script's entry point: signals, and standard streams that fail.

Importing the command line (Click, the model, the patterns) takes a few tens
of milliseconds, and a KeyboardInterrupt raised in the middle of an import
would print a traceback. Until the CLI is loaded, Ctrl-C ends the process at
once with the documented status instead; after that, the CLI handles it.

SIGTERM and SIGHUP unwind the program like Ctrl-C, so an export to ``-o``
removes its temporary file, then exit 128 + the signal's number (143, 129)
as a shell reports a process that a signal ended.

A closed standard stream (``>&-``, ``<&-``) is held open on /dev/null the
wrong way round, so using it fails with "Bad file descriptor" like any other
I/O error (exit 74 for output, 66 for input), and no file the program opens
can take its place. Output that fails where Click writes (``--help``, a
message) or at the last flush exits 74 too, never with a traceback.
"""

import os
import signal
import sys

INTERRUPTED = 130  # errors.ExitStatus.INTERRUPTED, not imported: this module must load instantly
IO_ERROR = 74  # errors.ExitStatus.IO_ERROR
_TERMINATING = (signal.SIGTERM, signal.SIGHUP)


def run() -> None:
    _hold_closed_standard_streams()
    previous = signal.signal(signal.SIGINT, _interrupted_while_starting)
    for signum in _TERMINATING:
        if signal.getsignal(signum) == signal.SIG_DFL:  # under nohup SIGHUP stays ignored
            signal.signal(signum, _terminated)
    from .cli import run as run_cli

    signal.signal(signal.SIGINT, previous)
    try:
        run_cli()
        status = 0
    except SystemExit as done:
        status = done.code
    except OSError as error:  # Click writing --help or a message
        status = _output_failed(error)
    sys.exit(_flush_stdout(status))


def _interrupted_while_starting(signum, frame) -> None:
    os.write(2, b"interrupted\n")
    os._exit(INTERRUPTED)


def _terminated(signum, frame) -> None:
    # SystemExit runs every cleanup on the way out, as KeyboardInterrupt does.
    for ignored in _TERMINATING:  # a second signal must not interrupt the cleanup
        signal.signal(ignored, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def _hold_closed_standard_streams() -> None:
    for fd, name, holder_mode, mode in ((0, "stdin", os.O_WRONLY, "r"), (1, "stdout", os.O_RDONLY, "w"),
                                        (2, "stderr", os.O_WRONLY, "w")):
        if getattr(sys, name) is not None:
            continue
        # stdout and stdin are held the wrong way round so that using them
        # fails; a closed stderr just swallows the warnings.
        holder = os.open(os.devnull, holder_mode)
        if holder != fd:
            os.dup2(holder, fd)
            os.close(holder)
        setattr(sys, name, open(fd, mode, encoding="utf-8", errors="backslashreplace", closefd=False))


def _flush_stdout(status):
    """``status``, or 74 when what is still buffered for stdout cannot be written."""
    try:
        sys.stdout.flush()
    except OSError as error:
        return _output_failed(error, status)
    return status


def _output_failed(error: OSError, status=IO_ERROR):
    # A reader that went away (| head) ends output quietly, as the CLI does.
    if not isinstance(error, BrokenPipeError):
        message = f"error: stdout: cannot write: {error.strerror or error}\n"
        try:
            os.write(2, message.encode("utf-8", "backslashreplace"))
        except OSError:
            pass
        status = IO_ERROR
    _discard_stdout()
    return status


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit has nowhere to fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
    finally:
        os.close(devnull)
