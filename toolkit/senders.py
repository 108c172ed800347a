"""Who sent the return a unit's 按时 rests on, against the 单位名录 (QA138).

The first accepted return of a unit decides 按时 or 逾期 (`on_time.timeliness`), and its
unit is its form's `_meta`, the strongest evidence there is. A county (夷陵区, in no 单位名录)
that mails a filled copy of its city's form before the deadline therefore makes the city
按时报送, though the city's own return came from the city's own address after the deadline.
The verdict stays as the rules give it; the office is asked (`Consolidation.office_notes`)
before the 通报 says it in public, and answers once (`duban sender`, `actions.sender`, kept in
the ledger's ``sender_checks``): the copy was the unit's (or sent for it), and 按时 stands; or
it was not, and the copy no longer times the unit (`disowned`), which its own returns then do.
Either answer is said on every merge, status and memo (`checked_notes`, exit 0) and in 收件登记
(`marked`), and can be taken back (``--undo``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .addresses import addresses_in, parse_addresses
from .dates import cn_date
from .issued_month import month_name
from .ledger import Ledger, Receipt
from .ledger.answers import on_office_clock, undo_hint
from .master import Master
from .period import Period
from .units import Directory
from .vocab import Outcome, TimeSource, evidence_word
from .workspace import Workspace

if TYPE_CHECKING:  # made where there is one (`office_cases` says why)
    from .office_cases import Asked

#: public mail services a clerk uses from home or when the unit's own mailbox is down: a return
#: on time from one of them and a correction from the unit's address after the deadline is the
#: unit's own clerk, not another body filling its form
_PERSONAL = frozenset({"163.com", "126.com", "yeah.net", "qq.com", "foxmail.com", "vip.qq.com", "vip.163.com",
                       "sina.com", "sina.cn", "sohu.com", "139.com", "189.cn", "wo.cn", "aliyun.com", "tom.com",
                       "21cn.com", "gmail.com", "outlook.com", "hotmail.com", "live.com", "icloud.com"})

#: what a unit sent that says when it sent (a refused file too: the unit did send then)
_SENT = (Outcome.ACCEPTED, Outcome.SUPERSEDED, Outcome.RETURNED)


def _shown(sender: str) -> str:
    """A sender as the note names it: 夷陵区政府办 <ylqzfb@yiling.example.cn>."""
    pairs = parse_addresses(sender)[0]
    return "、".join(f"{name} <{addr}>" if name else addr for name, addr in pairs) or sender


def _first_from(senders: Callable[[Receipt], str], receipts: list[Receipt], own: set[str]
                ) -> tuple[Receipt | None, str]:
    """The first of ``receipts`` sent from one of ``own`` addresses (``senders``: a receipt's
    sender, `owed.sender_of`), and its sender."""
    for r in receipts:
        sender = senders(r)
        if addresses_in(sender) & own:
            return r, sender
    return None, ""


#: (receipt, the unit's own?, when answered): `Ledger.sender_checks`
Check = tuple[Receipt, bool, str]


def command(period: Period, unit: str, answer: str) -> str:
    """The command that records the office's answer about ``unit`` (``answer``: --theirs,
    --not-theirs, --undo), as the lines name it."""
    return f"duban sender --period {period} --dept {unit} {answer}"


def sender_answers(ledger: Ledger, period: Period, master: Master, apart: frozenset[str]) -> list[Check]:
    """`Ledger.sender_checks` with each receipt under its unit's name in the month (as
    `issued_month.received_of`): an answer given before the unit was renamed is said with the
    verdict it leaves, and taken back, under the name the month counts it by."""
    return [(dataclasses.replace(r, unit=month_name(r.unit, master, apart)) if r.unit else r, theirs, at)
            for r, theirs, at in ledger.sender_checks(period)]


def disowned(checks: Iterable[Check]) -> frozenset[int]:
    """Receipts the office said were not their unit's: they time no unit."""
    return frozenset(r.id for r, theirs, _ in checks if not theirs)


def marked(receipts: list[Receipt], checks: Sequence[Check]) -> list[Receipt]:
    """``receipts`` with the office's answer beside how each answered one's unit was found
    (收件登记 单位依据): 表内标识（已核实不是其报送）."""
    answers = {r.id: theirs for r, theirs, _ in checks}
    return [dataclasses.replace(r, identified_by=f"{evidence_word(r.identified_by)}"
                                f"（已核实{'是' if answers[r.id] else '不是'}其报送）")
            if r.id in answers else r for r in receipts]


def checked_notes(period: Period, checks: Sequence[Check], states: dict[str, tuple[str, str]],
                  tz: dt.tzinfo | None = None) -> list[tuple[Check, str]]:
    """One line per answer the office gave (`Consolidation.told`: said, exit 0), with the
    verdict it leaves (``states``: unit → (报送状态, 报送时间)): a 逾期 it made is never silent.
    When it was recorded is said on the office's clock (``tz``, `on_office_clock`). Each line
    with its answer, as `disputed_answers` gives them: 5-逐条核实 takes one back."""
    out = []
    for r, theirs, stamp in checks:
        at = on_office_clock(stamp, tz)
        unit = r.unit or ""
        state, when = states.get(unit, ("", ""))
        head = f"已核实：{unit} {period.label}的“{r.name}”（{r.received_at[:16]}，发件人不在单位名录中）"
        verdict = f"{unit} 计为{state}" + (f"（报送时间 {when}）" if when else "") if state else ""
        said = (f"由其报送或委托报送（{at} 记录），{verdict}" if theirs
                else f"不是{unit}报送（{at} 记录），不再据此计算报送时间，{verdict}")
        out.append(((r, theirs, stamp), f"{head}{said.rstrip('，')}。{undo_hint(command(period, unit, '--undo'))}"))
    return out


def unknown_senders(ws: Workspace, period: Period, directory: Directory,
                    timed: Iterable[tuple[str, Receipt, list[Receipt], dt.date]],
                    checks: Sequence[Check] = ()) -> list[Asked]:
    """One 请核实 line per unit 按时 by a return from an address no unit of 单位名录 has, whose
    next return from its own 单位名录 address came after its deadline; ``timed``: (unit, the
    receipt its time is, its receipts of the period in the order received, its deadline) of
    each unit 按时报送.

    Not said for a unit whose first return came from a personal address (襄阳市's clerk on
    163.com, `_PERSONAL`) or a colleague's on a domain only its own addresses use, whatever
    came after, nor when the later return too came from an
    address the directory does not know, nor for a unit with no address on file, nor when the
    unit sent from its own address by the deadline (then it was on time whoever else sent),
    nor for a time W207 already doubts or a loose file (no sender), nor once the office said
    the return was the unit's (``checks``: `Ledger.sender_checks`)."""
    wanted = []
    confirmed = {r.id for r, theirs, _ in checks if theirs}
    for unit, sent, received, due in timed:
        if sent.id in confirmed:
            continue
        later = [r for r in received if r.outcome in _SENT and r.received_how != TimeSource.DOUBTFUL
                 and (r.received_at, r.id) > (sent.received_at, sent.id)]
        # the unit's own addresses read last, for a unit the times single out: reading every
        # unit's 邮箱 cell compiled the address patterns and was 5.1 M instructions of
        # `duban status`'s 470 M (callgrind, demo workspace, which says this line for no unit)
        if (sent.received_how != TimeSource.DOUBTFUL and sent.received.date() <= due
                and any(r.received.date() > due for r in later)
                and (own := addresses_in(entry.email if (entry := directory.get(unit)) else ""))):
            wanted.append((unit, sent, later, due, own))
    if not wanted:  # the archived mails are read only for a unit that may need the line
        return []
    # imported here: every status and merge consolidates, and these two cost `duban status`
    # 10 ms of its 100 (measured: -X importtime) for a line most months never say
    from .evidence import address_index
    from .owed import sender_of

    known = address_index(directory)
    # a mail domain only one unit's addresses use is that unit's own: zhangsan@ of the bureau
    # whose 名录 gives bgs@ is a colleague, not another body (a city-wide gov.cn is no one's)
    domains: dict[str, set[str]] = {}
    for address, units in known.items():
        domains.setdefault(address.rpartition("@")[2], set()).update(units)
    out = []
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        for unit, sent, later, due, own in wanted:
            first = sender_of(ws, ledger, sent, frozenset(known))
            sent_from = addresses_in(first)
            hosts = {a.rpartition("@")[2] for a in sent_from}
            if (not hosts or sent_from & known.keys() or hosts <= _PERSONAL
                    or all(domains.get(h) == {unit} for h in hosts)):
                continue  # a loose file, a unit's address (W206 asks when it is another's), a clerk's own
            mine, by = _first_from(lambda r: sender_of(ws, ledger, r, frozenset(known)), later, own)
            if mine is None or mine.received.date() <= due:
                continue  # the unit itself sent by the deadline, or never from its own address
            facts = (f"{unit} 在{period.label}计为按时报送，报送时间取自第一份合格报送“{sent.name}”"
                     f"（{sent.received_at[:16]}，发件人 {_shown(first)}，不是单位名录中任何单位的邮箱）；"
                     f"该单位从其名录邮箱 {_shown(by)} 报送的“{mine.name}”"
                     f"于 {mine.received_at[:16]} 收到，已过截止日期（{cn_date(due)}）。")
            from .office_cases import Asked  # deferred: `office_cases` says why

            out.append(Asked(unit, sent,
                f"请核实：{facts}请向{unit}核实前一份是否由其报送"
                f"或委托报送：是的，请运行 {command(period, unit, '--theirs')}；不是的（如别的单位在其填报表上填了"
                f"自己的情况），{unit}应为逾期报送，请运行 {command(period, unit, '--not-theirs')}，"
                "此后不再据前一份计算其报送时间。运行后此提示即不再出现。", facts))
    return out


def __getattr__(name: str) -> Any:
    """`Asked`, from `office_cases` (which says why it is apart) when first asked for."""
    if name == "Asked":
        from .office_cases import Asked  # deferred: `office_cases` says why

        return Asked
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
