"""Mails too big to fetch in a month's 报送情况: a unit's return may wait in one (QA188).

`duban mail fetch` (and `run`, `collect --fetch`) never downloads a mail over ``max_file_mb``;
it names it on screen once and records it (``mail_fetched``, ``too_big``). The unit then stands
未报送, or 逾期 by the slim copy it resent after the deadline while the first mail reached the
mailbox on time. Each is said to the office before the 汇总表 and 通报 go out
(`Consolidation.office_notes`: status, merge, memo, run; exit 1), as a return behind a cloud
attachment's link is (W211), until the unit's return is in, or until the office opened the
mail and dealt with it (not a return: photos from outside; or its form downloaded and
collected) and said so: `duban mail checked "2022-07-04 10:00"` (`actions.sender.check_mail`,
``mail_fetched.checked_at``, QA204). A mail checked is said as such (`big_mail_told`,
`Consolidation.told`, exit 0) where it would have been asked about, until ``--undo``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import cn_date
from .ledger import Ledger
from .ledger.answers import on_office_clock, undo_hint
from .period import Period
from .units import Directory
from .vocab import Outcome, UnitState

if TYPE_CHECKING:  # zoneinfo: imported by whoever made the zone (`Workspace.tz`), not for a hint
    from zoneinfo import ZoneInfo


@dataclass(frozen=True, repr=False)  # hashed (a set of the mails asked about), never shown: start-up
class BigMail:
    """One mail of a unit that `fetch` found too big to download."""

    unit: str  # "" when neither its address nor its subject or sender's name names a unit
    received: dt.datetime  # INTERNALDATE, wall-clock time in the workspace's zone
    sender: str
    subject: str
    size: int
    #: the unit sent a return read after it (its return resent slim, of this month or another: `_last_received`)
    answered: bool = False
    row: int = 0  # its ``mail_fetched`` id
    message_id: str = ""
    #: when the office said it opened the mail and dealt with it (`ledger.answers.check_mail`); "": not said
    checked_at: str = ""

    @property
    def text(self) -> str:
        """"邮件“…”（sl@dg.gov.cn，1.4 MB，2022-07-04 10:00 收到）"."""
        return (f"邮件“{self.subject or '（无主题）'}”（{self.sender or '无发件人'}，{self.size / 1048576:.1f} MB，"
                f"{self.received:%Y-%m-%d %H:%M} 收到）")

    def command(self, undo: bool = False) -> str:
        """The command that says the office checked it (`actions.sender.check_mail`)."""
        return f'duban mail checked "{self.received:%Y-%m-%d %H:%M}"' + (" --undo" if undo else "")


def too_big_rows(ledger: Ledger, tz: ZoneInfo) -> list[BigMail]:
    """Every mail `fetch` found too big, oldest first, unit not read (""): one per Message-ID
    (a mail seen again in another folder), checked when any of its rows is."""
    try:
        rows = ledger.conn.execute(
            # `ledger.mail_records.TOO_BIG`, not imported: status reads no mail record (QA171)
            "SELECT id, message_id, internaldate, size, sender, subject, checked_at FROM mail_fetched"
            " WHERE state='too_big' ORDER BY internaldate, id").fetchall()
    except sqlite3.OperationalError:  # a ledger without the mailbox's tables: no mailbox
        return []
    checked = {r[1]: r[6] for r in rows if r[1] and r[6]}
    found: dict[str, BigMail] = {}
    for row, message_id, internaldate, size, sender, subject, checked_at in rows:
        received = dt.datetime.fromisoformat(internaldate).astimezone(tz).replace(tzinfo=None)
        found.setdefault(message_id or f"#{row}", BigMail(
            "", received, sender or "", subject or "", size, row=row, message_id=message_id or "",
            checked_at=checked.get(message_id, "") if message_id else checked_at or ""))
    return list(found.values())


def big_mails(ledger: Ledger, period: Period, directory: Directory, tz: ZoneInfo) -> list[BigMail]:
    """The mails too big to fetch that may hold a unit's return of ``period``: those that came
    from the month's first day to the end of the next (a return is sent after its month),
    whatever month their subject names, and those whose subject names the month; each under
    the unit its sender's address, else
    its subject or sender's name, names; a mail of no known unit under "" (any unit 未报送 may
    have sent it: `big_mail_notes`). One per Message-ID (a mail seen again in another folder)."""
    mails = too_big_rows(ledger, tz)
    if not mails:
        return []
    # deferred: the evidence rules are 10 ms of every status, and only a mail too big needs them
    from .evidence import address_index, months_named, unit_in_names, unit_of_address

    addresses = address_index(directory)
    last = _last_received(ledger, directory)
    found: list[BigMail] = []
    for m in mails:
        # the month its subject names, or any mail of the weeks a return of the month is sent in:
        # a subject names the month of sending as often as the month reported (石龙镇7月报送材料
        # of 4 July held June's return) or a month typed wrong, and nothing else of it is known
        # before it is downloaded (QA196); a July mail then said under June too is noise, not harm
        in_window = period.start <= m.received.date() < period.shift(2).start
        if not in_window and period not in months_named([m.subject], m.received):
            continue
        unit = (unit_of_address(m.sender, addresses) if m.sender else None) or unit_in_names(
            [m.subject, m.sender], directory) or ""
        # a mail of no known unit is answered by no unit's file: said while any unit is 未报送
        # answered by a return of the month, or of the month before whose weeks the mail came in
        # too (June's resent slim answers a mail of 4 July under July): never by a later month's
        # (石龙镇's July return left its June mail unasked while June named it 未报送, QA238)
        when = m.received.isoformat(sep=" ")
        found.append(dataclasses.replace(m, unit=unit, answered=bool(unit) and any(
            last.get((unit, str(q)), "") > when for q in (period, period.shift(-1))
            if q == period or m.received.date() < q.shift(2).start)))
    return found


def _last_received(ledger: Ledger, directory: Directory) -> dict[tuple[str, str], str]:
    """Per unit (as 单位名录 names it today) and period, when the last return it sent that was
    read (采纳, 已被替代, 重复) was received. A file refused or not a return (a damaged July file,
    说明.docx, a mail of words only) resends nothing: it dropped the question while the unit stood
    未报送 (QA226). Nor does the office's own form coming back (重复, 不计入: ``receipts.office``,
    `office_copies`): its blank form sent back, an automatic reply carrying it."""
    last: dict[tuple[str, str], str] = {}
    read = (Outcome.ACCEPTED, Outcome.SUPERSEDED, Outcome.DUPLICATE)
    for unit, period, when in ledger.conn.execute(
            "SELECT unit, period, MAX(received_at) FROM receipts WHERE unit IS NOT NULL AND outcome IN (?, ?, ?)"
            " AND office='' GROUP BY unit, period", [str(o) for o in read]):
        at = (directory.resolve(unit) or unit, period or "")
        last[at] = max(last.get(at, ""), when or "")
    return last


def big_mail_notes(cons) -> list[str]:
    """What the office checks before the 通报 names a unit of ``cons.too_big`` (`Consolidation`):
    未报送 while its mail too big to fetch is unanswered, or 逾期 by a return received after
    such a mail reached the mailbox by the deadline; and the mails of no known unit while any
    unit stands 未报送 (one of them may have sent it from an address 单位名录 lacks). A mail the
    office checked is asked about no more (`big_mail_told`)."""
    return [q.line for q in open_questions(cons)]


def open_questions(cons) -> list[MailQuestion]:
    """`big_mail_notes`'s questions, each naming the mails the office has not checked."""
    return _questions(cons, [m for m in cons.too_big if not m.checked_at])


@dataclass(eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class MailQuestion:
    """One 请核实 about mails too big to fetch: what happened (``facts``: what `actions.verify`
    asks, offering answers instead of ``todo``), what the office is to do, and the mails named."""

    facts: str
    todo: str
    mails: list[BigMail]

    @property
    def line(self) -> str:
        """The 请核实 line status, merge, memo and run say."""
        return f"请核实：{self.facts}{self.todo}{_answer(self.mails)}"


def big_mail_told(cons) -> list[str]:
    """The mails the office said it checked, where `big_mail_notes` would ask about them
    (`Consolidation.told`: said, exit 0)."""
    return [line for _, line in big_mail_answers(cons)]


def big_mail_answers(cons) -> list[tuple[BigMail, str]]:
    """`big_mail_told`'s lines, each with its mail (5-逐条核实 takes one back)."""
    if not any(m.checked_at for m in cons.too_big):  # nothing checked: `_questions` again for nothing
        return []
    asked = {m for q in _questions(cons, cons.too_big) for m in q.mails}
    return [(m, f"已核实：{m.text}已打开核实（{on_office_clock(m.checked_at, cons.tz)} 记录），不再提示。"
                f"{undo_hint(m.command(undo=True))}")
            for m in cons.too_big if m.checked_at and m in asked]


def _answer(mails: list[BigMail]) -> str:
    """How the office says it checked ``mails``, ending a 请核实 line."""
    run = f"运行 {mails[0].command()}" if len(mails) == 1 else \
        f"逐封运行 duban mail checked \"收到时间\"（如 {mails[0].command()}）"
    return f"打开核实后（不是报送的无需办理，是报送的按上述办理），请{run}，此提示即不再出现。"


def _questions(cons, too_big: list[BigMail]) -> list[MailQuestion]:
    """`big_mail_notes`'s questions about ``too_big``, each with the mails it names."""
    states = {u.unit: u for u in cons.units}
    limit = "因超过大小上限（duban.toml 的 max_file_mb）没有下载"
    notes = []
    for unit in dict.fromkeys(m.unit for m in too_big if m.unit):
        u = states.get(unit)
        mails = [m for m in too_big if m.unit == unit]
        if u is None:
            continue
        if u.state == UnitState.NOT_REPORTED and (waiting := [m for m in mails if not m.answered]):
            notes.append(MailQuestion(
                f"{unit} 在{cons.period.label}计为未报送，但邮箱中有其{'、'.join(m.text for m in waiting)}，"
                f"{limit}，其报送可能在其中。",
                "请对方去掉多余的附件、只发填报表后重新发送；或在邮箱中打开这封邮件，"
                f"把填报表下载后放进收件箱，运行 duban collect --received {waiting[0].received:%Y-%m-%d}"
                "（按邮件收到的日期计报送时间；或双击“5-逐条核实”逐条回答），再重新汇总和生成通报。", waiting))
        elif u.state == UnitState.LATE:
            due = cons.due_of(unit)
            early = [m for m in mails if _early(cons, u, m)]
            if early:
                notes.append(MailQuestion(
                    f"{unit} 在{cons.period.label}计为逾期报送（{u.received_at[:16]} 收到），但其"
                    f"{'、'.join(m.text for m in early)}在报送截止（{cn_date(due)}）前已到达邮箱，{limit}。",
                    "如其中就是这份填报表，该单位实为按时报送：发出通报前请打开这封邮件核实，并相应改正通报。",
                    early))
    return notes + _unknown_notes(cons, too_big, limit)


def _unknown_notes(cons, too_big: list[BigMail], limit: str) -> list[MailQuestion]:
    """`big_mail_notes` of the mails whose sender and subject name no unit (zhang.wei@163.com,
    “6月进展填报表”): said once at fetch, they would leave a 通报 naming units 未报送 one of
    which may have sent it. Said while any unit of the month stands 未报送, or 逾期 by a return
    received after such a mail reached the mailbox by its deadline (asked to resend it slim, it
    did so late: the mail of a known unit is asked about then, QA238), until the office says it
    opened them (photos from outside, or a form it downloaded and collected)."""
    mails = [m for m in too_big if not m.unit]
    missing = [u.unit for u in cons.units if u.state == UnitState.NOT_REPORTED]
    early = {u.unit: [m for m in mails if _early(cons, u, m)] for u in cons.units if u.state == UnitState.LATE}
    late = [unit for unit, came in early.items() if came]
    if not mails or not (missing or late):
        return []
    if not missing:  # only the mails that came before a late unit's return, by its deadline
        mails = [m for m in mails if any(m in early[unit] for unit in late)]
    states = [f"{len(names)} 个单位计为{state}（{_some(names)}）"
              for state, names in (("未报送", missing), ("逾期报送", late)) if names]
    which = "这封邮件" if len(mails) == 1 else "这些邮件"
    return [MailQuestion(
        f"{cons.period.label}有 {'、'.join(states)}，但邮箱中有{'、'.join(m.text for m in mails)}，"
        + ("在其报送截止前已到达邮箱，" if late and not missing else "") + f"{limit}；"
        "发件地址不在单位名录中，主题也没有写明单位，可能是其中某个单位的报送"
        + ("（是逾期报送单位的，该单位实为按时报送）" if late else "") + "。",
        f"请在邮箱中打开{which}核实：如是某单位的填报表，请把它下载后放进收件箱，"
        f"运行 duban collect --received {mails[0].received:%Y-%m-%d}（按邮件收到的日期计报送时间；"
        "或双击“5-逐条核实”逐条回答），再重新汇总和生成通报。", mails)]


def _early(cons, u, m: BigMail) -> bool:
    """Mail ``m`` reached the mailbox by the deadline of ``u`` (a `UnitStatus` 逾期) and before
    the return it stands 逾期 on: it may have been that return, on time."""
    return m.received.date() <= cons.due_of(u.unit) and f"{m.received:%Y-%m-%d %H:%M}" < (u.received_at or "")[:16]


def _some(names: list[str]) -> str:
    return "、".join(names[:3]) + ("等" if len(names) > 3 else "")
