"""Ctrl-C while a command waits for another program's lock on the ledger (a colleague's SQLite
browser, a sync client, a second duban on a share whose file locks do not hold). SQLite's
busy timeout sleeps inside C for up to `BUSY_SECONDS` (30 s), and Python runs the Ctrl-C
handler only when that returns: QA342 pressed Ctrl-C two seconds into `duban merge` and
`duban collect` and the window said nothing for 28 s and 11 s. The ledger now waits in short
steps, so Ctrl-C stops the wait at once; the wait is as long as before when nobody presses it."""
from __future__ import annotations

import _thread
import signal
import sqlite3
import threading
import time

import pytest

from toolkit.ledger import Ledger, connect


@pytest.fixture
def held_ledger(tmp_path, monkeypatch):
    """A ledger whose write lock another connection holds; the busy wait cut to 2 s, so the
    test fails in seconds, not 30, where the wait cannot be interrupted."""
    monkeypatch.setattr(connect, "BUSY_SECONDS", 2)
    path = tmp_path / "ledger.sqlite3"
    Ledger(path).close()
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ledger = Ledger(path)
    yield ledger
    ledger.close()
    other.execute("ROLLBACK")
    other.close()


def _stopped_after(write, ledger) -> float:
    """Seconds from the start of ``write`` to the moment the Ctrl-C pressed at 0.3 s was
    answered; where it is answered (in the wait, or after the wait's fault) it is caught."""
    answered: list[float] = []

    def on_ctrl_c(signum, frame):
        answered.append(time.monotonic())
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGINT, on_ctrl_c)
    timer = threading.Timer(0.3, _thread.interrupt_main)  # as Ctrl-C does: a flag the main thread reads
    started = time.monotonic()
    timer.start()
    try:
        try:
            write(ledger)
        finally:
            timer.join()
            time.sleep(0.2)  # a Ctrl-C answered only after the wait's fault lands here, not in pytest
    except (KeyboardInterrupt, sqlite3.OperationalError):
        pass
    finally:
        signal.signal(signal.SIGINT, before)
    return answered[0] - started


@pytest.mark.parametrize("write", [
    lambda ledger: ledger.transaction().__enter__(),  # BEGIN IMMEDIATE: every collect's transaction
    lambda ledger: ledger.start_run("collect"),  # a write on its own (autocommit): the run's row, an answer
], ids=["transaction", "single-statement"])
def test_ctrl_c_stops_a_wait_for_the_ledgers_lock_at_once(held_ledger, write):
    assert _stopped_after(write, held_ledger) < 1.0


def test_without_ctrl_c_the_wait_is_as_long_as_before_and_ends_in_the_same_fault(held_ledger, monkeypatch):
    monkeypatch.setattr(connect, "BUSY_SECONDS", 0.6)
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        held_ledger.start_run("collect")
    assert 0.55 < time.monotonic() - started < 3


def test_the_wait_ends_when_the_lock_is_released(tmp_path, monkeypatch):
    monkeypatch.setattr(connect, "BUSY_SECONDS", 5)
    path = tmp_path / "ledger.sqlite3"
    Ledger(path).close()
    other = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, lambda: other.execute("ROLLBACK")).start()
    with Ledger(path) as ledger:
        started = time.monotonic()
        assert ledger.start_run("collect") > 0
        assert time.monotonic() - started < 1.5
