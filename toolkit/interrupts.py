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

from .workspace import Workspace

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


def cancelled_line(ws: Workspace | None, command: str, started: dt.datetime) -> str:
    """"已取消：…" for a command stopped by the user; never raises."""
    try:
        if ws is not None and command in ("collect", "run"):
            return _collect_line(ws, command, started)
    except Exception:
        pass
    what = {"merge": "汇总表未更新，原有的汇总表保持不变", "memo": "通报未更新，原有的通报保持不变",
            "issue": "填报表未全部生成，请重新运行", "remind": "催报草稿未全部生成，请重新运行"}.get(command)
    return f"已取消：{what}。" if what else "已取消。"


def _collect_line(ws: Workspace, command: str, started: dt.datetime) -> str:
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
    if command == "run" and finished:
        line += "；汇总表和通报未全部更新"
    return line + "。再次运行会接着完成，已登记的不会重复。"
