"""The ``duban`` command line: thin wrappers, one library function per command.

`base` holds the plumbing (state, errors → one Chinese line, exit codes), `setup` init and
master import, `month` the monthly pipeline's commands, `desk` the rest. Importing the three
registers their commands.
Exit codes: 0 ok, 1 finished but problems need attention, 2 usage or unusable input,
3 internal error (a bug), 4 another run holds the workspace, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys

__all__ = ["State", "_ProgressIter", "cli", "main"]

# A closed console (SIGHUP, SIGBREAK) or SIGTERM while loading ends the process like Ctrl-C
_STOPS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK") if hasattr(signal, n))


def main() -> None:
    """Console-script entry point.

    Loading click and the commands takes a tenth of a second or more on a slow PC; a Ctrl-C
    or a closed console then printed a KeyboardInterrupt traceback (SIGINT) or ended the
    process with no word (SIGTERM), where every stop promises one 已取消 line and exit 130
    (QA161). Until the commands are loaded a stop ends the process with that line; nothing
    has been done yet.
    """
    before = _stop_while_loading()
    # loaded with the garbage collector off, then set aside from it (`gc.freeze`): the tens of
    # thousands of objects importing creates are none of them garbage, and each collection
    # walked them again: 10.7 M instructions of `duban status`'s 537 M (demo workspace, callgrind)
    gc.disable()
    from .app import run  # deferred: loading click and the commands is what the handlers cover

    gc.freeze()
    gc.enable()

    for s, handler in before.items():  # Python's own again; `run` then sets the command's
        if handler is None:  # one set from C, which Python cannot give back: Python's default
            handler = signal.default_int_handler if s == signal.SIGINT else signal.SIG_DFL
        with contextlib.suppress(OSError, ValueError, TypeError):
            signal.signal(s, handler)
    run()


def _stop_while_loading() -> dict:
    """Set the loading stop handler on each stop signal not ignored (a background job's Ctrl-C
    stays ignored, as Python leaves it); returns the handlers it replaced."""
    before = {}
    for s in _STOPS:
        with contextlib.suppress(OSError, ValueError):  # not the main thread, or a signal refused
            if signal.getsignal(s) is not signal.SIG_IGN:
                before[s] = signal.signal(s, _stopped_while_loading)
    return before


def _stopped_while_loading(signum, frame) -> None:
    line = "已取消：程序尚未开始处理，没有做任何操作。\n"
    try:  # through the console's own writer: a Windows console in GBK shows it right
        sys.stderr.write(line)
        sys.stderr.flush()
    except Exception:  # interrupted inside a write to it ("reentrant call"), or no stderr
        with contextlib.suppress(OSError):
            os.write(2, line.encode())
    os._exit(130)


def __getattr__(name: str):
    """`cli`, `State` and `_ProgressIter` from the loaded commands (`from toolkit.cli import cli`);
    `cli` with every command registered (``cli.commands``), as `main` does only for --help."""
    if name in ("State", "_ProgressIter", "cli"):
        from . import app  # deferred: `main` loads it only once its stop handlers are set

        if name == "cli":
            app.load_commands()
        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
