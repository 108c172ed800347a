"""The library's logger, ``duban``: ``from .logs import log``.

What it logs goes to the run's 日志/duban.log while the CLI has one open (`run_log`), and
nowhere else: never to Python's last-resort handler, which printed a warning a second time.
Records still propagate to the root logger as any logger's do (a program using the library,
pytest's caplog).
"""

from __future__ import annotations

import logging

from . import run_log

__all__ = ["log"]

log = logging.getLogger("duban")


class _ToRunLog(logging.Handler):
    """Hands each record to the open `run_log`, as its own lines are written."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("%(message)s"))  # `run_log` writes the time and level

    def emit(self, record: logging.LogRecord) -> None:
        out = run_log.current
        if out is not None:
            out.write(record.levelname, self.format(record), record.created)

    def handleError(self, record: logging.LogRecord) -> None:
        pass  # a record that cannot be formatted must not print a traceback


log.addHandler(_ToRunLog())
if run_log.current is not None:  # loaded while a command runs: INFO and above, as `run_log.start` sets
    log.setLevel(logging.INFO)
