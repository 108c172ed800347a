"""Why a receipt's time, taken from a mail, may not be when the department sent it (QA234):
kept by collect (``weak_times``, migration 17) so that a unit 逾期 on it alone is asked about
on every screen (`toolkit.file_time`), not only on the collect that read the mail.

``kind``: ``inline`` (the Date of a mail forwarded inline, 转发：), ``forward`` (a forwarded
message without a usable Date of its own: the forward's time; ``other``: its own Date when it
was later than the forward and capped, `evidence.cap_at_carrier`), ``mailbox`` (the mailbox's
receive time, IMAP INTERNALDATE; ``other``: the mail's own Date, weak only while that is on
time), ``forwarded`` (a forwarded message's own Date whose recipient cannot be told,
`TimeSource.FORWARDED`; ``other``: when its forward reached the office, which a unit 按时 on that
Date alone is asked about, QA374). A file's modification time needs no row: `TimeSource.MTIME`
says it.
"""

from __future__ import annotations

import sqlite3

INLINE, FORWARD, MAILBOX, FORWARDED = "inline", "forward", "mailbox", "forwarded"


def record_weak_time(conn: sqlite3.Connection, receipt_id: int, kind: str, other: str | None) -> None:
    """Keep why the time of receipt ``receipt_id`` is weak (inside collect's transaction)."""
    conn.execute("INSERT OR REPLACE INTO weak_times(receipt_id, kind, other) VALUES (?,?,?)",
                 (receipt_id, kind, other))


def weak_times(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    """Receipt id → (kind, the other time ISO or '')."""
    return {i: (kind, other or "") for i, kind, other in conn.execute(
        "SELECT receipt_id, kind, other FROM weak_times")}
