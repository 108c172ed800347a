"""The commands loaded: click, the monthly commands (the rest when named: `base.COMMAND_MODULES`)
and the plumbing that runs one (`run`)."""


from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading

import click

from .. import interrupts
from .base import State, _chinese_metavars, _ProgressIter, cli, load_commands, log  # noqa: F401  (toolkit.cli's names)


def run() -> None:
    """What `main` does once the commands are loaded."""
    # `interrupts` is loaded with the commands, under `main`'s stop handlers: imported here
    # (0.8 ms, more on a slow PC) a Ctrl-C in between printed the traceback QA161 removed
    interrupts.install()
    _readable_console()
    # A failed write can leave an open zip file that complains again when collected
    # ("Exception ignored in ZipFile.__del__"): the error was already reported once.
    sys.unraisablehook = _log_unraisable
    try:
        cli(prog_name="duban")
        code: int | str | None = 0
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:  # between click's own handling and here
        code = 130
    # The run is over and has said what it did: a Ctrl-C or a closed console now must not
    # turn its result into a crash (exit -2) while the interpreter shuts down.
    interrupts.ignore()
    _end_process(code)


def _end_process(code: int | str | None) -> None:
    """Exit with ``code`` as `sys.exit` would, without the interpreter's teardown.

    What a run leaves to the end is done first: other threads are waited for, the atexit
    functions run (log files flushed and closed, temporary folders removed), the console is
    flushed. Then the process ends without freeing its objects one by one and clearing its
    three hundred modules, as mypy's ``hard_exit`` does: 13 ms after a bare import of
    collect and merge, 15-25 ms after W1's collect + merge, 14 ms of `duban status`'s 120.
    Every file duban writes is closed (or replaced atomically) before this; a ledger
    transaction left open would be rolled back by SQLite either way.
    """
    if code is not None and not isinstance(code, int):  # sys.exit("…"): the text on stderr, exit 1
        with contextlib.suppress(OSError, ValueError):
            click.echo(str(code), err=True)
        code = 1
    current = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not current and not thread.daemon:
            thread.join()
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_functions is None:  # an interpreter without it: the normal exit
        sys.exit(code)
    run_exit_functions()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code or 0)


def _readable_console() -> None:
    """An output whose encoding cannot write Chinese (an English Windows's cp1252 when redirected
    to a file, PYTHONIOENCODING=ascii; LC_ALL=C alone makes Python use UTF-8) gets UTF-8: every
    line duban says is Chinese, and `status` ended in 内部错误 (UnicodeEncodeError, exit 3)
    (QA161)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a replaced stream (CliRunner's, a closed pipe)
            "督办".encode(stream.encoding)
            continue
        with contextlib.suppress(Exception):
            stream.reconfigure(encoding="utf-8")


def _log_unraisable(unraisable) -> None:
    log.debug("忽略的异常：%s", unraisable.exc_value, exc_info=(
        unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))


_chinese_metavars(cli)
