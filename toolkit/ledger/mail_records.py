"""What the mailbox did, in the ledger: messages fetched and drafts sent (`duban mail`).

Its tables are made by the ledger's migration 3 (`migrations.MAIL_MIGRATIONS`).

``mail_fetched`` has one row per message `duban mail fetch` looked at, keyed by where it was
seen (account, folder, UIDVALIDITY, UID), so a message is examined once: stored in 收件箱
(``fetched``), already had under another folder or UID (``duplicate``, found by Message-ID
and size, or by the sha256 of its bytes), too big to download (``too_big``) or not a return
(``skipped``). ``internaldate`` is the server's INTERNALDATE as ISO 8601 *with the server's
UTC offset*, and ``sha256`` the hash of the exact bytes written to 收件箱, so `collect` can
find a mail's server receive time from the file it reads (`MailRecords.fetched_by_sha`).

``mail_sent`` has one row per Message-ID `duban mail send` handed to the SMTP server (the
idempotency key): ``sending`` is committed before the message data goes out, ``sent`` after
the server accepted it, ``failed`` when the server refused it. A row left in ``sending`` means
the run stopped while the server had the message: it may or may not have gone out, so it is
never resent blindly (see `toolkit.mail_send`).

Per address: ``recipients`` are the envelope addresses of the latest transaction, ``refused``
those of them the server refused (a 450 greylisting, a 550), and ``delivered`` (migration 12)
every address a completed transaction reached, kept across the transactions that send the
same message to the addresses it missed. A message that reached one address stays ``sent``
whatever a later transaction to another gets.

``mail_fetch_runs`` (migration 18) has one row per run of `duban mail fetch` (and of `run`,
`collect --fetch`), written when it starts and completed when it returns: a run that found
nothing new leaves no ``mail_fetched`` row, yet it is what tells `remind` that the mailbox was
fetched today (`mail_notes.fetch_note`). ``finished_at`` NULL: the run was killed; ``complete``
0: it stopped before it had looked at every message (``problem`` says why).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

FETCHED, DUPLICATE, TOO_BIG, SKIPPED = "fetched", "duplicate", "too_big", "skipped"
SENDING, SENT, FAILED = "sending", "sent", "failed"


@dataclass(frozen=True)
class FetchedMail:
    """One message `duban mail fetch` looked at."""

    id: int
    account: str
    folder: str
    uidvalidity: int
    uid: int
    message_id: str
    internaldate: dt.datetime       # aware, in the server's offset
    size: int
    sender: str
    subject: str
    state: str
    inbox_name: str | None
    sha256: str | None
    after_fetch: str
    fetched_at: str
    #: too_big: when the office said it opened the mail and dealt with it (migration 15, `answers`)
    checked_at: str | None = None


@dataclass(frozen=True)
class SentMail:
    """One draft handed to the SMTP server, by its Message-ID."""

    id: int
    message_id: str
    draft_id: int | None
    kind: str
    period: str
    unit: str
    recipients: list[str]
    refused: dict[str, str]
    state: str
    error: str
    copy: str
    started_at: str
    sent_at: str | None
    delivered: list[str] = field(default_factory=list)

    def reached(self, address: str) -> bool:
        """Whether a completed transaction delivered the message to ``address``."""
        return address.lower() in {a.lower() for a in self.delivered}


@dataclass(frozen=True)
class FetchRun:
    """One run of `duban mail fetch` (migration 18)."""

    id: int
    account: str
    folder: str
    since: str                      # ISO date
    started_at: str                 # ISO 8601 with the workspace's UTC offset
    finished_at: str | None         # None: killed before it returned
    complete: bool                  # every message since ``since`` looked at
    looked_at: int
    stored: int
    problem: str

    @property
    def started(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.started_at)


def fetched_back_to(runs: list[FetchRun], reach: dt.date, tz: dt.tzinfo) -> FetchRun | None:
    """The latest of ``runs`` (complete, the latest first: `MailRecords.complete_fetch_runs`)
    that, with those before it, looked at every mail received since ``reach`` (a day on the
    office's clock, ``tz``): each looked from its ``since`` to when it started, so a run joins
    the one before it when that one started on or after the day it looked from. A run with a
    later ``--since`` alone skipped the older mail (`mail_notes.fetch_note`, QA285)."""
    for i, run in enumerate(runs):
        since = dt.date.fromisoformat(run.since)
        for before in runs[i + 1:]:
            if since <= reach or before.started.astimezone(tz).date() < since:
                break
            since = min(since, dt.date.fromisoformat(before.since))
        if since <= reach:
            return run
    return None


def _run(row: sqlite3.Row | None) -> FetchRun | None:
    if row is None:
        return None
    d = {k: row[k] for k in row.keys()}  # noqa: SIM118 - iterating a Row gives values
    d["complete"] = bool(d["complete"])
    return FetchRun(**d)


def _fetched(row: sqlite3.Row | None) -> FetchedMail | None:
    if row is None:
        return None
    d = {k: row[k] for k in row.keys()}  # noqa: SIM118 - iterating a Row gives values
    d["internaldate"] = dt.datetime.fromisoformat(d["internaldate"])
    return FetchedMail(**d)


def _without(row: sqlite3.Row, column: str) -> dict:
    return {k: row[k] for k in row.keys() if k != column}  # noqa: SIM118


def _sent(row: sqlite3.Row | dict | None) -> SentMail | None:
    if row is None:
        return None
    d = dict(row) if isinstance(row, dict) else {k: row[k] for k in row.keys()}  # noqa: SIM118
    d["recipients"] = json.loads(d["recipients"] or "[]")
    d["refused"] = json.loads(d["refused"] or "{}")
    d["delivered"] = json.loads(d.get("delivered") or "[]")
    if not d["delivered"] and d["state"] == SENT:  # sent before migration 12: its one transaction's
        d["delivered"] = [a for a in d["recipients"] if a not in d["refused"]]
    return SentMail(**d)


class MailRecords:
    """The mailbox's queries on an open ledger connection (autocommit: each write is durable
    when the call returns, which the crash rules of fetch and send rely on)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.conn.row_factory = sqlite3.Row

    # ---- fetched ----
    def fetched_by_sha(self, sha256: str) -> FetchedMail | None:
        """The fetched message whose bytes hash to ``sha256`` (what `collect` reads from
        收件箱), with its INTERNALDATE; None for a file that did not come from the mailbox."""
        return _fetched(self.conn.execute(
            "SELECT * FROM mail_fetched WHERE sha256=? AND state=? ORDER BY id LIMIT 1",
            (sha256, FETCHED)).fetchone())

    def seen_uids(self, account: str, folder: str, uidvalidity: int) -> dict[int, str]:
        """UID -> state of every message already looked at in this folder incarnation."""
        return {r["uid"]: r["state"] for r in self.conn.execute(
            "SELECT uid, state FROM mail_fetched WHERE account=? AND folder=? AND uidvalidity=?",
            (account, folder, uidvalidity))}

    def fetched_message(self, message_id: str, size: int) -> FetchedMail | None:
        """A message already stored with this Message-ID and size (the same message seen again
        after a folder rename, a move or a new UIDVALIDITY)."""
        if not message_id:
            return None
        return _fetched(self.conn.execute(
            "SELECT * FROM mail_fetched WHERE message_id=? AND size=? AND state=? ORDER BY id LIMIT 1",
            (message_id, size, FETCHED)).fetchone())

    def record_fetch(self, *, account: str, folder: str, uidvalidity: int, uid: int, message_id: str,
                     internaldate: dt.datetime, size: int, sender: str, subject: str, state: str,
                     fetched_at: str, inbox_name: str | None = None, sha256: str | None = None,
                     after_fetch: str = "") -> int:
        """Record one message looked at (replacing a ``skipped`` row when re-examined)."""
        cur = self.conn.execute(
            "INSERT INTO mail_fetched(account, folder, uidvalidity, uid, message_id, internaldate, size,"
            " sender, subject, state, inbox_name, sha256, after_fetch, fetched_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(account, folder, uidvalidity, uid) DO UPDATE SET"
            " message_id=excluded.message_id, internaldate=excluded.internaldate, size=excluded.size,"
            " sender=excluded.sender, subject=excluded.subject, state=excluded.state,"
            " inbox_name=excluded.inbox_name, sha256=excluded.sha256, after_fetch=excluded.after_fetch,"
            " fetched_at=excluded.fetched_at",
            (account, folder, uidvalidity, uid, message_id, internaldate.isoformat(), size, sender, subject,
             state, inbox_name, sha256, after_fetch, fetched_at))
        return int(cur.lastrowid)

    def awaiting_after_fetch(self, account: str, folder: str, uidvalidity: int) -> list[FetchedMail]:
        """Stored messages whose after_fetch step (mark seen, move) is still to be done."""
        return [_fetched(r) for r in self.conn.execute(
            "SELECT * FROM mail_fetched WHERE account=? AND folder=? AND uidvalidity=? AND after_fetch=''"
            " AND state IN (?, ?) ORDER BY uid", (account, folder, uidvalidity, FETCHED, DUPLICATE))]

    def mark_after_fetch(self, ids: list[int], action: str) -> None:
        if ids:
            self.conn.executemany("UPDATE mail_fetched SET after_fetch=? WHERE id=?", [(action, i) for i in ids])

    # ---- fetch runs ----
    def begin_fetch_run(self, *, account: str, folder: str, since: dt.date, started_at: str) -> int:
        """Record a fetch starting (committed at once: a run killed later stays one that did
        not complete)."""
        return int(self.conn.execute(
            "INSERT INTO mail_fetch_runs(account, folder, since, started_at) VALUES (?,?,?,?)",
            (account, folder, since.isoformat(), started_at)).lastrowid)

    def finish_fetch_run(self, run_id: int, *, finished_at: str, complete: bool, looked_at: int, stored: int,
                         problem: str = "") -> None:
        self.conn.execute("UPDATE mail_fetch_runs SET finished_at=?, complete=?, looked_at=?, stored=?, problem=?"
                          " WHERE id=?", (finished_at, int(complete), looked_at, stored, problem, run_id))

    def last_fetch_run(self, account: str, folder: str) -> FetchRun | None:
        """The last run of this mailbox folder recorded, whatever it did; None when none was. The
        last that completed is `complete_fetch_runs`' first."""
        return _run(self.conn.execute("SELECT * FROM mail_fetch_runs WHERE account=? AND folder=?"
                                      " ORDER BY id DESC LIMIT 1", (account, folder)).fetchone())

    def complete_fetch_runs(self, account: str, folder: str) -> list[FetchRun]:
        """The runs of this mailbox folder that looked at every message since their ``since``,
        the latest first: which of them joined back to a month's issue (`mail_notes.fetch_note`)."""
        return [_run(r) for r in self.conn.execute(
            "SELECT * FROM mail_fetch_runs WHERE account=? AND folder=? AND complete=1 ORDER BY id DESC",
            (account, folder))]

    def last_fetched_at(self, account: str, folder: str) -> dt.datetime | None:
        """When a message of this mailbox folder was last looked at (``mail_fetched``): what a
        ledger from before migration 18 knows of its last fetch (a fetch that found nothing new
        left no row, so it may have been later)."""
        times = [dt.datetime.fromisoformat(r[0]) for r in self.conn.execute(
            "SELECT fetched_at FROM mail_fetched WHERE account=? AND folder=?", (account, folder))]
        return max(times, default=None)

    # ---- sent ----
    def sent(self, message_id: str) -> SentMail | None:
        return _sent(self.conn.execute("SELECT * FROM mail_sent WHERE message_id=?", (message_id,)).fetchone())

    def sent_units(self, kind: str, period: str) -> set[str]:
        """The units a mail of ``kind`` for ``period`` went to: sent, or handed to the server
        with no answer (``sending``: it may well have arrived)."""
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT unit FROM mail_sent WHERE kind=? AND period=? AND state IN (?, ?)",
            (kind, period, SENT, SENDING))}

    def went_out(self, kind: str, period: str, units: str | Iterable[str]) -> list[tuple[SentMail, int | None]]:
        """The mails of ``kind`` for ``period`` to a unit (or any of its names) that went out
        or may have (sent, sending), newest first, each with the ledger receipt its draft
        answers (feedback)."""
        units = [units] if isinstance(units, str) else list(units)
        rows = self.conn.execute(
            "SELECT s.*, d.receipt_id AS about FROM mail_sent s LEFT JOIN drafts d ON d.id = s.draft_id"
            f" WHERE s.kind=? AND s.period=? AND s.unit IN ({','.join('?' * len(units))}) AND s.state IN (?, ?)"
            " ORDER BY s.id DESC", (kind, period, *units, SENT, SENDING)).fetchall()
        return [(_sent(_without(r, "about")), r["about"]) for r in rows]

    def begin_sending(self, *, message_id: str, draft_id: int | None, kind: str, period: str, unit: str,
                      recipients: list[str], started_at: str, refused: dict[str, str] | None = None) -> None:
        """Committed before the message data goes to the server (see the module doc); ``refused``:
        the recipients the server already refused at RCPT. ``delivered`` is kept, written out
        (a row sent before migration 12 has it only as read, `_sent`): a message sent again to
        the addresses it missed reached the others already."""
        before = self.sent(message_id)
        self.conn.execute(
            "INSERT INTO mail_sent(message_id, draft_id, kind, period, unit, recipients, refused, state, started_at,"
            " delivered) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(message_id) DO UPDATE SET"
            " draft_id=excluded.draft_id, recipients=excluded.recipients, refused=excluded.refused,"
            " state=excluded.state, error='', started_at=excluded.started_at, sent_at=NULL,"
            " delivered=excluded.delivered",
            (message_id, draft_id, kind, period, unit, json.dumps(recipients, ensure_ascii=False),
             json.dumps(refused or {}, ensure_ascii=False), SENDING, started_at,
             json.dumps(before.delivered if before else [], ensure_ascii=False)))

    def mark_sent(self, message_id: str, sent_at: str, refused: dict[str, str] | None = None) -> None:
        """The server took the message: the transaction's recipients it did not refuse join
        ``delivered``."""
        row = self.sent(message_id)
        refused = refused if refused is not None else (row.refused if row else {})
        delivered = list(row.delivered) if row else []
        for a in row.recipients if row else []:
            if a not in refused and not any(a.lower() == d.lower() for d in delivered):
                delivered.append(a)
        self.conn.execute("UPDATE mail_sent SET state=?, sent_at=?, refused=?, delivered=?, error=''"
                          " WHERE message_id=?", (SENT, sent_at, json.dumps(refused, ensure_ascii=False),
                           json.dumps(delivered, ensure_ascii=False), message_id))

    def mark_failed(self, *, message_id: str, draft_id: int | None, kind: str, period: str, unit: str,
                    recipients: list[str], error: str, at: str, refused: dict[str, str] | None = None) -> None:
        """The server refused the message (nothing went out): a later run may try again. A
        message that reached some address before stays ``sent``, the refusal noted per address."""
        row = self.sent(message_id)
        delivered = row.delivered if row is not None else []
        self.conn.execute(
            "INSERT INTO mail_sent(message_id, draft_id, kind, period, unit, recipients, refused, state, error,"
            " started_at, delivered) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(message_id) DO UPDATE SET"
            " state=excluded.state, error=excluded.error, recipients=excluded.recipients,"
            " refused=excluded.refused, started_at=excluded.started_at, delivered=excluded.delivered",
            (message_id, draft_id, kind, period, unit, json.dumps(recipients, ensure_ascii=False),
             json.dumps(refused or {}, ensure_ascii=False), SENT if delivered else FAILED, error, at,
             json.dumps(delivered, ensure_ascii=False)))

    def mark_copy(self, message_id: str, copy: str) -> None:
        self.conn.execute("UPDATE mail_sent SET copy=? WHERE message_id=?", (copy, message_id))
