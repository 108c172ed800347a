"""`duban mail send feedback --renew`: a reply to a refused file left unsent past the date it
asked the correction by, written again today.

A 反馈 names the date its unit is to correct by (`feedback.write_feedback`: working days from the
day it is written), and `mail send` holds one back once that date has passed (`drafts.passed_date`):
sent, it would ask for a correction by a day gone by. Written again, it is the reply of today: built
as `collect` builds it, from the ledger and the archived file (`replies.resume` does the same for a
reply a stopped run owed), in today's folder (反馈/<期>/<今天>/), the old one retired
(`replies.record`). Its date is counted from today, as the date of a reply a stopped run owed is
(`on_time.replied_on`: the day the last reply was written): the unit, never told the old date, is
held to the one it is told.

A reply that went out (or may have: a send stopped in doubt) is not written again, whatever its
date: the unit was told that date, and holding it to a later one would move its verdict after the
fact. A draft the office changed since duban wrote it (its bytes not those recorded) is not written over:
it stays held back, for the office to send from its mail client with a date it writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import owed
from .consolidate import consolidate
from .drafts import passed_date
from .files import file_sha
from .issued_month import EarlierMonths
from .ledger import Ledger
from .ledger.mail_records import SENDING, SENT, MailRecords
from .mail_plan import draft_message_id
from .on_time import reply_date
from .period import Period
from .workspace import Workspace


@dataclass
class Renewed:
    """What `renew` wrote: (unit, the date the new reply asks by); (unit, why) of those it did not."""

    written: list[tuple[str, dt.date]] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)


#: why a held-back reply was not written again: the office's own edit of it is kept
EDITED = "草稿已改动过，没有重新生成：请用邮件客户端打开该草稿，改写日期后发出"


def renew(ws: Workspace, period: Period) -> Renewed:
    """Write again the month's live 反馈 drafts whose date has passed (see the module doc)."""
    from . import replies  # deferred: replies imports feedback (openpyxl), only a renewal needs them
    from .feedback import write_feedback

    out = Renewed()
    master = ws.load_master()
    with Ledger(ws.ledger_path) as ledger:
        drafts = ledger.drafts("feedback", period)
        if not drafts:
            return out
        cons = consolidate(ws, period, tasks=False)
        months = EarlierMonths(ledger, master)
        boxes = owed.mailboxes(ws, master)
        records = MailRecords(ledger.conn)
        for d in drafts:
            if d.receipt_id is None or not passed_date(ws, ledger, cons, d):
                continue
            went = records.sent(draft_message_id(d))
            if went is not None and went.state in (SENT, SENDING):  # told its date: `mail send` says so
                continue
            path = ws.root / d.path
            if path.exists() and file_sha(path) != d.sha256:
                out.kept.append((d.unit, EDITED))
                continue
            rec = ledger.get(d.receipt_id)
            report = owed.report_of(ledger, rec, ws.settings.reply_to_warnings) if rec is not None else None
            if report is None:  # nothing left to say: `passed_date` asked of a refused file
                continue
            names = months.names_of(d.unit, period)
            try:
                paths = write_feedback(ws, master, report, (ws.root / rec.archive_path).read_bytes(), rec.name,
                                       owed.sender_of(ws, ledger, rec, *boxes),
                                       owed.documents_beside(ledger, names, rec))
            except Exception as exc:  # the old draft stays held back; the office is told why
                out.kept.append((d.unit, owed.reason(exc)))
                continue
            replies.record(ws, ledger, master, paths)
            today = ws.now().date()
            out.written.append((d.unit, reply_date(ws, cons.due_of(d.unit), {rec.id: today})(rec)))
        replies.drop_empty_rounds(ws)
    return out
