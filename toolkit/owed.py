"""Feedback owed: written by a later run when this one could not (disk full, no permission).

A return's receipt is safe in the ledger before its feedback is written. When writing the
feedback fails, the failure is recorded in the ledger (`Ledger.owe`) with its reason, the
run says how many are missing and why, and every later `collect` tries again until the
feedback exists, or a later return from the same unit makes it pointless.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import errors
from .addresses import office_mailboxes
from .issued_month import EarlierMonths
from .ledger import Ledger, Receipt
from .logs import log
from .period import Period
from .report import Report
from .set_aside import document_named, is_document
from .vocab import Outcome
from .workspace import Workspace

FEEDBACK = "feedback"
WANTS_FEEDBACK = (Outcome.ACCEPTED, Outcome.RETURNED, Outcome.UNREADABLE)


@dataclass(frozen=True)
class Missing:
    """One feedback not written: for which file, and why (a Chinese line)."""

    name: str
    reason: str


def reason(exc: BaseException, path: Path | None = None) -> str:
    """Why writing failed, as the coordinator should read it."""
    if isinstance(exc, errors.DubanError):
        return exc.message
    fault = errors.os_fault(exc, path, op="write")
    if fault is not None:
        return fault.message
    return f"生成时出错（{type(exc).__name__}），详见日志"


def answered(ledger: Ledger, names: tuple[str, ...], period: Period, exempt: set[str] | None = None
             ) -> Receipt | None:
    """The return a unit's reply for ``period`` is about (``names``: the unit's, current name
    first). Its latest return (`Ledger.returns_of`), but not a document (`_beside_a_form`) when
    the unit sent a form of the period, whatever became of the form: a stamped PDF sent after
    an accepted form asks for nothing (a reply 暂未采纳…请修改后重新报送 would tell the unit its
    return was not taken), and one sent after a refused form leaves the reply about that form
    (what to fix). None when the unit sent only documents and was given no form for the
    period (本期免报: there is nothing to correct), nor when such a unit's latest form was refused
    as another month's (E202: its June form named 7月进展, QA131): asked to re-send on a form it
    was never issued, it would think July owed. `replies.choose`, `replies.resume` and
    `settle` all go by it, so a run stopped before its replies leaves the replies an
    uninterrupted run writes. ``exempt``: `Ledger.exempt_units` of the period, if at hand."""
    returns = ledger.returns_of(names[0], period, names[1:])
    forms = [r for r in returns if not _beside_a_form(ledger, r)]
    if forms and not (forms[-1].outcome == Outcome.RETURNED and _wrong_month(ledger, forms[-1])):
        return forms[-1]
    if not returns or set(names) & (ledger.exempt_units(period) if exempt is None else exempt):
        return None
    return forms[-1] if forms else returns[-1]


def documents_beside(ledger: Ledger, names: tuple[str, ...], rec: Receipt) -> list[str]:
    """The documents (`_beside_a_form`: a stamped PDF, a scan, a Word 说明) the unit (``names``)
    sent for ``rec``'s period in the collect that recorded ``rec``, in the order they came: no
    return and no reply of their own, the reply about ``rec`` names them as received (QA312: a
    .fods beside the stamped PDF got a reply naming the .fods alone). By the ledger, so that a
    run resumed or a reply owed (`replies.resume`, `settle`) says what an uninterrupted run says."""
    if rec.run_id is None or rec.period is None:
        return []
    return list(dict.fromkeys(r.name for r in ledger.returns_of(names[0], rec.period, names[1:])
                              if r.id != rec.id and r.run_id == rec.run_id and _beside_a_form(ledger, r)))


def _wrong_month(ledger: Ledger, rec: Receipt) -> bool:
    return any(i.code == "E202" and i.is_error for i in ledger.issues_of(rec.id))


def _beside_a_form(ledger: Ledger, rec: Receipt) -> bool:
    """A document that could not be read (a stamped PDF, a scan, a Word 说明), not a
    spreadsheet: a copy of the unit's form or a note beside it, no return of its own
    (`set_aside.is_document`)."""
    return document_named(rec.name, rec.outcome) and is_document(rec.name, rec.outcome, ledger.issues_of(rec.id))


def report_of(ledger: Ledger, rec: Receipt, reply_to_warnings: bool = False) -> Report | None:
    """The checked return as the run that received it saw it, rebuilt from the ledger, when
    it still needs a reply: the unit has no accepted return for the period (or replies to
    warnings are asked for and this is the accepted one)."""
    if rec.outcome not in WANTS_FEEDBACK or not rec.unit or not rec.period or not rec.archive_path:
        return None
    if rec.outcome == Outcome.ACCEPTED and not reply_to_warnings:
        return None  # accepted: its warnings are in 校验问题, no reply is owed
    issues = [i for i in ledger.issues_of(rec.id) if i.code != "W205"]  # W205 came later
    if not issues:
        return None
    return Report(rec.name, rec.kind, rec.unit, rec.period, rec.identified_by, contact=rec.contact,
                  rows=ledger.rows_of(rec.id), issues=issues)


def mailboxes(ws: Workspace, master) -> tuple[frozenset[str], frozenset[str]]:
    """`sender_of`'s ``units`` and ``office``, as collect read the mail with (`addresses.office_mailboxes`)."""
    office, units = office_mailboxes(ws.settings.mail.addresses, master.directory, ws.organiser)
    return units, office


def sender_of(ws: Workspace, ledger: Ledger, rec: Receipt, units: frozenset[str] = frozenset(),
              office: frozenset[str] | None = None) -> str:
    """Who sent the mail that carried ``rec``, as the run that received it read it: the From
    of the nearest mail above it that has one ('' for a loose file). The ledger keeps each
    mail, not its sender: the archived mail is read again, so that a reply written by a
    later run goes to whoever sent the return, as an uninterrupted run's reply does. ``units``:
    the addresses 单位名录 gives its units and ``office`` the office's (`addresses.office_mailboxes`;
    None: duban.toml [mail]'s alone), as collect read it with."""
    # deferred: parsing mail (email, html.parser, toolkit.cloud) is 6-10 ms of a collect's start
    from .mail import parse_mail
    from .mail_msg import parse_msg

    below, parent_id = rec, rec.parent_id
    while parent_id is not None:
        parent = ledger.get(parent_id)
        if parent is None:
            return ""
        if parent.kind in ("eml", "msg") and parent.archive_path:
            try:
                data = (ws.root / parent.archive_path).read_bytes()
                if office is None:  # whose a forwarded message was, as collect read it
                    office = ws.settings.mail.addresses
                mail = (parse_mail(data, ws.limits.max_mail_parts, office=office, units=units)
                        if parent.kind == "eml" else parse_msg(data, office, units))
            except Exception as exc:  # the reply still goes to the 单位名录 address
                log.info("无法从归档邮件读出发件人：%s", parent.archive_path, exc_info=exc)
            else:
                # a file in a forwarded message (message/rfc822) was sent by that message's
                # sender, as unpack.adopt_forwarded read it, not by the colleague forwarding it
                # (unless the message provably went to a unit, not the office: `addressed_to_office`)
                forwarded = next((a.sender for a in mail.attachments if a.sender
                                  and hashlib.sha256(a.data).hexdigest() == below.sha256), "")
                if forwarded or mail.sender:
                    return forwarded or mail.sender
        below, parent_id = parent, parent.parent_id
    return ""


def record(ledger: Ledger, failed: list[tuple[int, str, str]]) -> list[Missing]:
    """Note (receipt id, file name, reason) failures as owed; returns them for the screen."""
    for receipt_id, name, why in failed:
        log.warning("反馈表未能写出（%s）：%s；下次运行 duban collect 时补写", name, why)
        ledger.owe(FEEDBACK, receipt_id, why)
    return [Missing(name, why) for _, name, why in failed]


def settle(ws: Workspace, ledger: Ledger, master, write: Callable[..., list[Path]]
           ) -> tuple[list[Path], list[Missing]]:
    """Write the feedback earlier runs owe; returns what was written and what is still owed."""
    written: list[Path] = []
    done: list[int] = []
    still: list[tuple[int, str, str]] = []
    months = EarlierMonths(ledger, master)
    boxes = mailboxes(ws, master)  # once: every 名录 address parsed
    for receipt_id, _old in ledger.owed(FEEDBACK):
        rec = ledger.get(receipt_id)
        rep = report_of(ledger, rec, ws.settings.reply_to_warnings) if rec else None
        now = answered(ledger, months.names_of(rec.unit, rep.period), rep.period) if rec and rep else None
        if now is None or now.id != receipt_id:
            done.append(receipt_id)  # a later return from the unit (under any of its names) has its own
            continue
        try:
            written.extend(write(ws, master, rep, (ws.root / rec.archive_path).read_bytes(), rec.name,
                                 sender=sender_of(ws, ledger, rec, *boxes),
                                 beside=documents_beside(ledger, months.names_of(rec.unit, rep.period), rec)))
            done.append(receipt_id)
        except Exception as exc:  # owed still; the receipt itself is safe
            log.info("补写反馈表失败：%s", rec.name, exc_info=exc)
            still.append((receipt_id, rec.name, reason(exc)))
    ledger.settle(FEEDBACK, *done)
    return written, record(ledger, still)
