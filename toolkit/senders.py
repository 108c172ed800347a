"""Who sent the return a unit's 按时 rests on, against the 单位名录 (QA138).

The first accepted return of a unit decides 按时 or 逾期 (`on_time.timeliness`), and its
unit is its form's `_meta`, the strongest evidence there is. A county (夷陵区, in no 单位名录)
that mails a filled copy of its city's form before the deadline therefore makes the city
按时报送, though the city's own return came from the city's own address after the deadline.
The verdict stays as the rules give it; the office is asked (`Consolidation.office_notes`)
before the 通报 says it in public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from .addresses import addresses_in, parse_addresses
from .dates import cn_date
from .ledger import Ledger, Receipt
from .period import Period
from .units import Directory
from .vocab import Outcome, TimeSource
from .workspace import Workspace

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


def unknown_sender_notes(ws: Workspace, period: Period, directory: Directory,
                         timed: Iterable[tuple[str, Receipt, list[Receipt], dt.date]]) -> list[str]:
    """One 请核实 line per unit 按时 by a return from an address no unit of 单位名录 has, whose
    next return from its own 单位名录 address came after its deadline; ``timed``: (unit, the
    receipt its time is, its receipts of the period in the order received, its deadline) of
    each unit 按时报送.

    Not said for a unit whose first return came from a personal address (襄阳市's clerk on
    163.com, `_PERSONAL`) or a colleague's on a domain only its own addresses use, whatever
    came after, nor when the later return too came from an
    address the directory does not know, nor for a unit with no address on file, nor when the
    unit sent from its own address by the deadline (then it was on time whoever else sent),
    nor for a time W207 already doubts or a loose file (no sender)."""
    wanted = []
    for unit, sent, received, due in timed:
        entry = directory.get(unit)
        own = addresses_in(entry.email if entry else "")
        later = [r for r in received if r.outcome in _SENT and r.received_how != TimeSource.DOUBTFUL
                 and (r.received_at, r.id) > (sent.received_at, sent.id)]
        if (own and sent.received_how != TimeSource.DOUBTFUL and sent.received.date() <= due
                and any(r.received.date() > due for r in later)):
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
            first = sender_of(ws, ledger, sent)
            sent_from = addresses_in(first)
            hosts = {a.rpartition("@")[2] for a in sent_from}
            if (not hosts or sent_from & known.keys() or hosts <= _PERSONAL
                    or all(domains.get(h) == {unit} for h in hosts)):
                continue  # a loose file, a unit's address (W206 asks when it is another's), a clerk's own
            mine, by = _first_from(lambda r: sender_of(ws, ledger, r), later, own)
            if mine is None or mine.received.date() <= due:
                continue  # the unit itself sent by the deadline, or never from its own address
            out.append(
                f"请核实：{unit} 在{period.label}计为按时报送，报送时间取自第一份合格报送“{sent.name}”"
                f"（{sent.received_at[:16]}，发件人 {_shown(first)}，不是单位名录中任何单位的邮箱）；"
                f"该单位从其名录邮箱 {_shown(by)} 报送的“{mine.name}”"
                f"于 {mine.received_at[:16]} 收到，已过截止日期（{cn_date(due)}）。请向{unit}核实前一份是否由其报送"
                f"或委托报送：是的，无需处理；不是的（如别的单位在其填报表上填了自己的情况），{unit}应为逾期报送，"
                "duban 无法据此改判，请在汇总表和通报中更正后再印发。")
    return out
