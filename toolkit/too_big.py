"""Mails too big to fetch in a month's 报送情况: a unit's return may wait in one (QA188).

`duban mail fetch` (and `run`, `collect --fetch`) never downloads a mail over ``max_file_mb``;
it names it on screen once and records it (``mail_fetched``, ``too_big``). The unit then stands
未报送, or 逾期 by the slim copy it resent after the deadline while the first mail reached the
mailbox on time. Each is said to the office before the 汇总表 and 通报 go out
(`Consolidation.office_notes`: status, merge, memo, run; exit 1), as a return behind a cloud
attachment's link is (W211), until the unit's return is in.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import cn_date
from .ledger import Ledger
from .period import Period
from .units import Directory
from .vocab import UnitState

if TYPE_CHECKING:  # zoneinfo: imported by whoever made the zone (`Workspace.tz`), not for a hint
    from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class BigMail:
    """One mail of a unit that `fetch` found too big to download."""

    unit: str  # "" when neither its address nor its subject or sender's name names a unit
    received: dt.datetime  # INTERNALDATE, wall-clock time in the workspace's zone
    sender: str
    subject: str
    size: int
    #: the unit sent something after it (its return resent slim, of this month or another)
    answered: bool = False

    @property
    def text(self) -> str:
        """"邮件“…”（sl@dg.gov.cn，1.4 MB，2022-07-04 10:00 收到）"."""
        return (f"邮件“{self.subject or '（无主题）'}”（{self.sender or '无发件人'}，{self.size / 1048576:.1f} MB，"
                f"{self.received:%Y-%m-%d %H:%M} 收到）")


def big_mails(ledger: Ledger, period: Period, directory: Directory, tz: ZoneInfo) -> list[BigMail]:
    """The mails too big to fetch that may hold a unit's return of ``period``: those that came
    from the month's first day to the end of the next (a return is sent after its month),
    whatever month their subject names, and those whose subject names the month; each under
    the unit its sender's address, else
    its subject or sender's name, names; a mail of no known unit under "" (any unit 未报送 may
    have sent it: `big_mail_notes`). One per Message-ID (a mail seen again in another folder)."""
    try:
        rows = ledger.conn.execute(
            # `ledger.mail_records.TOO_BIG`, not imported: status reads no mail record (QA171)
            "SELECT message_id, internaldate, size, sender, subject FROM mail_fetched WHERE state='too_big'"
            " ORDER BY internaldate").fetchall()
    except sqlite3.OperationalError:  # a ledger without the mailbox's tables: no mailbox
        return []
    if not rows:
        return []
    # deferred: the evidence rules are 10 ms of every status, and only a mail too big needs them
    from .evidence import address_index, months_named, unit_in_names, unit_of_address

    addresses = address_index(directory)
    last = _last_received(ledger, directory)
    found: list[BigMail] = []
    seen: set[str] = set()
    for message_id, internaldate, size, sender, subject in rows:
        received = dt.datetime.fromisoformat(internaldate).astimezone(tz).replace(tzinfo=None)
        # the month its subject names, or any mail of the weeks a return of the month is sent in:
        # a subject names the month of sending as often as the month reported (石龙镇7月报送材料
        # of 4 July held June's return) or a month typed wrong, and nothing else of it is known
        # before it is downloaded (QA196); a July mail then said under June too is noise, not harm
        in_window = period.start <= received.date() < period.shift(2).start
        if not in_window and period not in months_named([subject or ""], received):
            continue
        unit = (unit_of_address(sender, addresses) if sender else None) or unit_in_names(
            [subject or "", sender or ""], directory) or ""
        if message_id and message_id in seen:
            continue
        seen.add(message_id)
        # a mail of no known unit is answered by no unit's file: said while any unit is 未报送
        found.append(BigMail(unit, received, sender or "", subject or "", size,
                             answered=bool(unit) and last.get(unit, "") > received.isoformat(sep=" ")))
    return found


def _last_received(ledger: Ledger, directory: Directory) -> dict[str, str]:
    """Per unit (as 单位名录 names it today), when the last file it sent was received."""
    last: dict[str, str] = {}
    for unit, when in ledger.conn.execute(
            "SELECT unit, MAX(received_at) FROM receipts WHERE unit IS NOT NULL GROUP BY unit"):
        name = directory.resolve(unit) or unit
        last[name] = max(last.get(name, ""), when or "")
    return last


def big_mail_notes(cons) -> list[str]:
    """What the office checks before the 通报 names a unit of ``cons.too_big`` (`Consolidation`):
    未报送 while its mail too big to fetch is unanswered, or 逾期 by a return received after
    such a mail reached the mailbox by the deadline; and the mails of no known unit while any
    unit stands 未报送 (one of them may have sent it from an address 单位名录 lacks)."""
    states = {u.unit: u for u in cons.units}
    limit = "因超过大小上限（duban.toml 的 max_file_mb）没有下载"
    notes = []
    for unit in dict.fromkeys(m.unit for m in cons.too_big if m.unit):
        u = states.get(unit)
        mails = [m for m in cons.too_big if m.unit == unit]
        if u is None:
            continue
        if u.state == UnitState.NOT_REPORTED and (waiting := [m for m in mails if not m.answered]):
            notes.append(
                f"请核实：{unit} 在{cons.period.label}计为未报送，但邮箱中有其{'、'.join(m.text for m in waiting)}，"
                f"{limit}，其报送可能在其中。请对方去掉多余的附件、只发填报表后重新发送；或在邮箱中打开这封邮件，"
                f"把填报表下载后放进收件箱，运行 duban collect --received {waiting[0].received:%Y-%m-%d}"
                "（按邮件收到的日期计报送时间），再重新汇总和生成通报。")
        elif u.state == UnitState.LATE:
            due = cons.due_of(unit)
            early = [m for m in mails if m.received.date() <= due
                     and f"{m.received:%Y-%m-%d %H:%M}" < (u.received_at or "")[:16]]
            if early:
                notes.append(
                    f"请核实：{unit} 在{cons.period.label}计为逾期报送（{u.received_at[:16]} 收到），但其"
                    f"{'、'.join(m.text for m in early)}在报送截止（{cn_date(due)}）前已到达邮箱，{limit}。"
                    "如其中就是这份填报表，该单位实为按时报送：发出通报前请打开这封邮件核实，并相应改正通报。")
    return notes + _unknown_notes(cons, limit)


def _unknown_notes(cons, limit: str) -> list[str]:
    """`big_mail_notes` of the mails whose sender and subject name no unit (zhang.wei@163.com,
    “6月进展填报表”): said once at fetch, they would leave a 通报 naming units 未报送 one of
    which may have sent it. Said while any unit of the month stands 未报送."""
    mails = [m for m in cons.too_big if not m.unit]
    missing = [u.unit for u in cons.units if u.state == UnitState.NOT_REPORTED]
    if not mails or not missing:
        return []
    some = "、".join(missing[:3]) + ("等" if len(missing) > 3 else "")
    which = "这封邮件" if len(mails) == 1 else "这些邮件"
    return [f"请核实：{cons.period.label}有 {len(missing)} 个单位计为未报送（{some}），但邮箱中有"
            f"{'、'.join(m.text for m in mails)}，{limit}；发件地址不在单位名录中，主题也没有写明单位，"
            f"可能是其中某个单位的报送。请在邮箱中打开{which}核实：如是某单位的填报表，请把它下载后放进收件箱，"
            f"运行 duban collect --received {mails[0].received:%Y-%m-%d}（按邮件收到的日期计报送时间），"
            "再重新汇总和生成通报。"]
