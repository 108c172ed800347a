"""Ctrl-C, SIGTERM and a closed console window: one way to stop, one line saying where it stopped.

`install` makes SIGTERM and SIGHUP (and SIGBREAK, a closed console on Windows) raise
KeyboardInterrupt like Ctrl-C does, so every stop unwinds the same way: transactions roll
back, worker processes are ended (`toolkit.parallel`), temporary files are removed, the
lock is released. `cancelled_line` then reads the ledger to say what was done and what was
not, because the coordinator's next step depends on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: loaded with the commands, `workspace` (settings, the
    from .workspace import Workspace  # master, tomllib) is for the command that opens one

STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP", "SIGBREAK") if hasattr(signal, n))


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def install() -> None:
    """Treat the stop signals like Ctrl-C (main thread only; the CLI calls it)."""
    for s in STOP_SIGNALS:
        with contextlib.suppress(OSError, ValueError):
            signal.signal(s, _raise_interrupt)


def ignore() -> None:
    """While the cancelled line is written: a second Ctrl-C must not cut it short."""
    for s in (signal.SIGINT, *STOP_SIGNALS):
        with contextlib.suppress(OSError, ValueError):
            signal.signal(s, signal.SIG_IGN)


def clear_left(ws: Workspace | None) -> None:
    """Remove what the run's killed worker processes left in ``.duban/tmp`` (the memo worker's
    half-written ``<pid>-….docx`` of `duban run`); never raises.

    The workers are dead by now (`parallel` kills and reaps them while the stop unwinds), so
    `files.clear_temp`, which keeps the entries of live processes, takes exactly theirs and
    those of runs killed before; this process's own were removed by their writers."""
    if ws is None:
        return
    with contextlib.suppress(Exception):
        from .files import clear_temp  # deferred: after a stop only

        clear_temp(ws.root)


@contextlib.contextmanager
def held_stops():
    """Ctrl-C and the stop signals wait until the block ends, then stop as they would have:
    what must not be cut in two (`office_edits`: the 通报 replaced and its record written) is
    done whole or not at all. Where a stop is ignored (a worker, a background job) it stays so;
    off the main thread nothing is held. A second stop is not held: the block can wait 30 s
    on a colleague's lock of the ledger (`ledger.connect.BUSY_SECONDS`), and Ctrl-C pressed
    again, unanswered, left the office with a window it could only close (QA327)."""
    came: list[int] = []
    before = {}

    def hold(signum, frame) -> None:
        if came:
            raise KeyboardInterrupt
        came.append(signum)

    for s in (signal.SIGINT, *STOP_SIGNALS):
        with contextlib.suppress(OSError, ValueError, TypeError):
            if signal.getsignal(s) not in (signal.SIG_IGN, None):
                before[s] = signal.signal(s, hold)
    try:
        yield
    finally:
        for s, handler in before.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(s, handler)
        if came:
            raise KeyboardInterrupt


def cancelled_line(ws: Workspace | None, command: str, started: dt.datetime) -> str:
    """"已取消：…" for a command stopped by the user; never raises."""
    written = ""
    with contextlib.suppress(Exception):
        if ws is not None and command in ("merge", "memo", "run"):
            written = _written(ws, started)
    try:
        if ws is not None and command in ("collect", "run"):
            return _collect_line(ws, command, started, written)
    except Exception:
        pass
    if written:  # stopped after the file was replaced: "未更新，保持不变" was false (QA323)
        return f"已取消：取消前{written}。"
    what = {"merge": "汇总表未更新，原有的汇总表保持不变", "memo": "通报未更新，原有的通报保持不变",
            "issue": "填报表未全部生成，请重新运行", "remind": "催报草稿未全部生成，请重新运行"}.get(command)
    return f"已取消：{what}。" if what else "已取消。"


def _collect_line(ws: Workspace, command: str, started: dt.datetime, written: str = "") -> str:
    """The stopped collect's (or run's) line; ``written``: what the run wrote before the stop
    (`_written`), said instead of "未全部更新"."""
    # deferred: interrupts loads on every start-up; inbox and sqlite3 only after a Ctrl-C
    from .inbox import scan_inbox
    from .ledger import Ledger

    since = (started - dt.timedelta(seconds=1)).replace(microsecond=0).isoformat(sep=" ")
    registered, finished, pending = 0, False, set()
    if ws.ledger_path.exists():
        with Ledger(ws.ledger_path, readonly=True) as ledger:
            run = ledger.conn.execute(
                "SELECT id, finished_at FROM runs WHERE command LIKE 'collect%' AND started_at >= ?"
                " ORDER BY id DESC LIMIT 1", (since,)).fetchone()
            if run is not None:
                registered = ledger.conn.execute(
                    "SELECT COUNT(*) FROM receipts WHERE run_id=? AND parent_id IS NULL", (run[0],)).fetchone()[0]
                finished = run[1] is not None
            pending = {r.inbox_path for r in ledger.uncleared_all()}
    inbox = [p.relative_to(ws.inbox).as_posix() for p in scan_inbox(ws.inbox)]
    untouched = sum(rel not in pending for rel in inbox)
    line = f"已取消：已登记 {registered} 个，未处理 {untouched} 个"
    if registered and not finished:
        line += "；反馈表可能未全部写出"
    if written:
        line += f"；取消前{written}"
    elif command == "run" and finished:
        line += "；汇总表和通报未全部更新"
    return line + "。再次运行会接着完成，已登记的不会重复。"


def _written(ws: Workspace, started: dt.datetime) -> str:
    """What a stopped merge, memo or run wrote before the stop: the 汇总表 or 通报 it replaced,
    and the office's version kept beside it (`office_edits`); "" when nothing was. Told by the
    ledger's ``outputs`` (timed as `answers.answered_now`) or, where the record never came
    (`run`'s memo worker, killed between the two), by the file's own change time."""
    from .ledger import Ledger  # deferred: after a stop only
    from .office_edits import is_kept_copy

    since, stamp = started.isoformat(sep=" ", timespec="microseconds"), started.timestamp()

    def changed(path: Path) -> bool:
        try:
            return path.stat().st_ctime >= stamp
        except OSError:
            return False

    def set_aside(path: Path) -> bool:  # `office_edits.set_aside` gives it the time it was moved
        try:
            return changed(path) or path.stat().st_atime >= stamp
        except OSError:
            return False

    with Ledger(ws.ledger_path, readonly=True) as ledger:
        rows = ledger.conn.execute("SELECT path, written_at >= ? FROM outputs", (since,))
        paths = [ws.root / path for path, recorded in rows if recorded or changed(ws.root / path)]
    paths.sort(key=lambda p: (p.suffix != ".xlsx", p.as_posix()))  # the 汇总表 first, as it is made
    parts = []
    for path in paths:
        what = "汇总表" if path.suffix == ".xlsx" else "通报"
        part = f"{what}已重新生成（“{path.name}”）"
        with contextlib.suppress(OSError):
            kept = [p for p in path.parent.iterdir() if is_kept_copy(p) and p.suffix == path.suffix and changed(p)]
            if kept:
                part += f"，原{what}已另存为“{kept[0].name}”，如有修改请抄到新{what}中"
            # the 通报's PDF of the data before, moved to a kept copy's name (`actions.memo._pdf_aside`)
            # and no new one made before the stop: said as the memo says it, else sent as the new one
            pdf = path.with_suffix(".pdf")
            aside = [] if path.suffix != ".docx" or pdf.exists() else [
                p for p in path.parent.iterdir()
                if p.suffix == ".pdf" and p.name.startswith(path.stem) and is_kept_copy(p) and set_aside(p)]
            if aside:
                part += f"，原有的通报 PDF 是按此前的数据生成的，已改名为“{aside[0].name}”，请勿发出"
        parts.append(part)
    return "；".join(parts)
