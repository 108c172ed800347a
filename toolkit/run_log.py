"""日志/duban.log: the file a run's log lines go to, written without the logging package.

A coordinator sends this file when asking for help. The CLI opens it for each command
(`start`) and writes its own lines (运行, 结束, an error: `write`); what the library logs
through the logging package reaches it by `logs`, while it is open. `duban status`, typed
many times a day, logs only its own two lines: the logging package with what it imports
(traceback, linecache, tokenize, textwrap, string) was 18.4 M of its 368 M instructions
(callgrind, W1 workspace; issue 19), so the file is written here and the package is loaded
by the library modules that log.

Each line as the logging package's ``%(asctime)s %(levelname)s %(message)s`` wrote it, on
the office's clock (duban.toml ``timezone``), the clock of received times, reply dates and
"today", not the machine's zone: a laptop left on UTC logged at 02:00 a collect whose
received times and replies say 10:00. The UTC offset is written too
(``2022-07-06 10:00:00.123+08:00 INFO 运行：duban status``), so a line means one moment
wherever it is read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import time
from pathlib import Path

__all__ = ["RunLog", "current", "start", "stop"]


class RunLog:
    """The log file of one run, appended to; each line written at once."""

    def __init__(self, path: Path, tz: dt.tzinfo) -> None:
        self.tz = tz
        self.stream = open(path, "a", encoding="utf-8")  # noqa: SIM115  (closed by `stop`)

    def write(self, level: str, text: str, created: float | None = None) -> None:
        """One line (``text`` may run on: a traceback), at ``created`` (`time.time`; now)."""
        stamp = dt.datetime.fromtimestamp(time.time() if created is None else created, self.tz)
        # a log that cannot be written (disk full, read-only) must not print tracebacks
        with contextlib.suppress(Exception):
            self.stream.write(f"{stamp.isoformat(sep=' ', timespec='milliseconds')} {level} {text}\n")
            self.stream.flush()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()


#: the log open now (the CLI's command running), else None: the library's records go nowhere
current: RunLog | None = None


def start(path: Path, tz: dt.tzinfo) -> RunLog:
    """Open ``path`` as the run's log (OSError if it cannot be)."""
    global current
    current = RunLog(path, tz)
    # the library's logger keeps INFO and above while a log is open, as the CLI's handler had
    # it; `logs` sets it so when it is loaded later
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger("duban").setLevel(logging.INFO)
    return current


def stop(log: RunLog) -> None:
    global current
    if current is log:
        current = None
    log.close()
