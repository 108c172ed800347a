"""The office's answers to three more 请核实 questions, beside `Ledger.sender_checks` (QA204, QA216).

``disputed_checks`` (migrations 14, 20), by receipt: a file registered under one unit whose file
name, 填报单位 or sender named another (W206, `toolkit.disputed`) is the unit's it is registered
under, or is not (`DISOWNED`). ``mail_fetched.checked_at`` (migration 15): the office opened a mail too big to fetch
and dealt with it (not a return, or its form downloaded and collected: `toolkit.too_big`); set
on every row of the message (one per folder it was seen in), so a copy seen again later in
another folder is still the mail checked. ``time_answers`` (migration 16), by receipt: a return
逾期 on its file's modification time was really received on a day the office states, or that
time is right (`toolkit.file_time`).

Each write is one statement on the ledger's autocommit connection: durable when it returns.
"""

from __future__ import annotations

import datetime as dt
import sqlite3


def answered_now() -> str:
    """The wall time to the microsecond, as the office's answers (these and ``sender_checks``)
    are kept: their order decides which one ``duban sender --undo`` takes back, and two given in
    one second were told apart by nothing. Shown to the minute like any other time."""
    return dt.datetime.now().isoformat(sep=" ", timespec="microseconds")


def office_time(stamp: str | dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """A time the ledger wrote (`answered_now`, `store.now`: ``issued_at``, ``collected_at``,
    ``created_at``, the answers' times: the machine's wall clock, naive) on the office's wall
    clock (duban.toml ``timezone``), naive: as every time of receipt is kept (a mail's Date, a
    file's time, settled in that zone), so that the two compare. On a laptop left on UTC the
    forms issued at 09:00 Beijing time were stored as 01:00: a return received at 08:00 was
    after the issue, by 7 hours of zone. Stored values stay naive local (no migration), read
    in the machine's zone of the reading; an aware value is converted as it says. No ``tz``: as
    written. Not an ISO time: ValueError."""
    at = dt.datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    return at.astimezone(tz).replace(tzinfo=None) if tz else at


def on_office_clock(stamp: str, tz: dt.tzinfo | None) -> str:
    """A time the ledger wrote to the minute on the office's clock (`office_time`), as every
    other time is said: a laptop left on UTC recorded at 02:00 an answer given at 10:00 Beijing
    time. No ``tz``, or no ISO time: as written."""
    try:
        return f"{office_time(stamp, tz):%Y-%m-%d %H:%M}" if tz else stamp[:16]
    except (ValueError, OverflowError, OSError):
        return stamp[:16]


#: how an 已核实 line (and `duban mail checked`'s) says its answer is taken back (`undo_hint`): an
#: office that works by double-click has no ``duban`` to type, and 5-逐条核实 takes answers back
#: too (`actions.verify.recorded_answers`, which lists the lines without it)
UNDO = "如需撤销，请双击“5-逐条核实”或运行 "


def undo_hint(command: str) -> str:
    """The end of an 已核实 line: how to take the answer back, at the desk or by ``command``."""
    return UNDO + command


def check_disputed(conn: sqlite3.Connection, receipt_id: int, checked: bool, theirs: bool = True) -> None:
    """Record the office's answer about the W206 file ``receipt_id`` (``checked``): it is its
    registered unit's (``theirs``), or it is not (migration 20: another unit filled in that unit's
    form, so it is not that unit's return, `DISOWNED`; `misfiled` makes it the refused return of the
    unit its other evidence named); or take the answer back."""
    if checked:
        conn.execute("INSERT OR REPLACE INTO disputed_checks(receipt_id, checked_at, theirs) VALUES (?,?,?)",
                     (receipt_id, answered_now(), int(theirs)))
    else:
        conn.execute("DELETE FROM disputed_checks WHERE receipt_id=?", (receipt_id,))


def disputed_checks(conn: sqlite3.Connection) -> dict[int, tuple[str, bool]]:
    """Receipt id → when the office answered about the W206 file, and whether it said the file is
    its registered unit's."""
    return {i: (at, bool(theirs)) for i, at, theirs in conn.execute(
        "SELECT receipt_id, checked_at, theirs FROM disputed_checks")}


#: the W206 files the office said were not their registered unit's (``duban sender --not-theirs``):
#: each the other unit's text on the registered unit's form, so no unit's return. The ledger's
#: readers of a unit's returns (`Ledger.accepted`, `reported`, `last_accepted_before`, `returns_of`)
#: leave them out: 市税务局's form that 生态环境分局 filled in made 市税务局 按时报送 with
#: 生态环境分局's text, in the 汇总表, the 通报 and next month's 上期 figures (QA356)
DISOWNED = "SELECT receipt_id FROM disputed_checks WHERE theirs=0"


def disowned_files(conn: sqlite3.Connection) -> frozenset[int]:
    """`DISOWNED`, as receipt ids."""
    return frozenset(i for (i,) in conn.execute(DISOWNED))


def check_mail(conn: sqlite3.Connection, row_id: int, message_id: str, checked: bool) -> None:
    """Mark the mail too big to fetch of ``mail_fetched`` row ``row_id`` (and every row of its
    ``message_id``) checked, or take it back."""
    conn.execute("UPDATE mail_fetched SET checked_at=? WHERE state='too_big' AND (id=? OR (message_id<>'' AND"
                 " message_id=?))", (answered_now() if checked else None, row_id, message_id))


def answer_time(conn: sqlite3.Connection, receipt_id: int, stated_on: str | None, answered: bool = True) -> None:
    """Record the office's answer about the file ``receipt_id`` 逾期 on its modification time
    (`toolkit.file_time`): the day it really got it (``stated_on``, ISO), or None: the file's
    time is right; ``answered`` False takes the answer back."""
    if answered:
        conn.execute("INSERT OR REPLACE INTO time_answers(receipt_id, stated_on, answered_at) VALUES (?,?,?)",
                     (receipt_id, stated_on, answered_now()))
    else:
        conn.execute("DELETE FROM time_answers WHERE receipt_id=?", (receipt_id,))


def time_answers(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    """Receipt id → (the day the office stated, '' when it said the file's time is right; when
    it answered)."""
    return {i: (on or "", at) for i, on, at in conn.execute(
        "SELECT receipt_id, stated_on, answered_at FROM time_answers")}
