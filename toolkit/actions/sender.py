"""`duban sender`: the office's answer to the 请核实 line about a return from an address no
unit has (`senders`): the copy was the unit's, it was not, or take the answer back.

The answer is kept in the ledger (``sender_checks``, by receipt) and read by every
consolidation: the line is said no more, and a copy that was not the unit's no longer times
it (its own returns then decide 按时 or 逾期). The result says the verdict before and after,
so that a 逾期 the answer makes is never silent.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import errors
from ..consolidate import Consolidation, consolidate
from ..issued_month import kept_apart
from ..ledger import Ledger, Receipt
from ..period import Period
from ..senders import sender_answers
from ..workspace import Workspace


@dataclass
class SenderCheck:
    """What `check_sender` recorded: the return answered about, the answer (None: taken back)
    and the unit's 报送状态 and 报送时间 before and after."""

    period: Period
    unit: str
    receipt: Receipt
    theirs: bool | None
    before: tuple[str, str]
    after: tuple[str, str]


def _verdict(ws: Workspace, period: Period, unit: str) -> tuple[str, tuple[str, str], Consolidation]:
    """``unit`` as the 名录 names it (an alias or its place written: `Directory.resolve`), its
    报送状态 and 报送时间, and the month's consolidation."""
    cons = consolidate(ws, period, tasks=False)
    # a name the month counts by is taken as written (市林业局, kept apart in a month before it
    # merged into 市自然资源局); any other as the 名录 resolves it
    if all(u.unit != unit for u in cons.units):
        unit = cons.master.directory.resolve(unit) or unit
    u = next((u for u in cons.units if u.unit == unit), None)
    if u is None:
        raise errors.UnknownUnit(f"{unit} 不在{period.label}的应报单位中，请按单位名录中的名称填写 --dept。")
    return unit, (u.state, u.received_at), cons


def check_sender(ws: Workspace, period: Period, unit: str, theirs: bool | None) -> SenderCheck:
    """Record whether the return the 请核实 line about ``unit`` names was its own (``theirs``),
    or take back the answer given (None). Answering again changes the answer."""
    unit, before, cons = _verdict(ws, period, unit)
    with Ledger(ws.ledger_path) as ledger:
        # under the month's names: an answer given before the unit was renamed is still its
        answers = sender_answers(ledger, period, cons.master, kept_apart(ledger, period, cons.master))
        answered = [r for r, _, _ in answers if r.unit == unit]
        pending = next((a.sent for a in cons.unknown_senders if a.unit == unit), None)
        target = pending if theirs is not None and pending is not None else (answered[-1] if answered else None)
        if target is None:
            raise errors.UsageError(
                f"{unit} 在{period.label}没有已记录的发件人核实，无需撤销。" if theirs is None else
                f"{unit} 在{period.label}没有需要核实发件人的报送（见 duban status 的“请核实”）。")
        # by receipt, not by name: the ledger's name of the merged return may be the unit's old one
        if theirs is False and target.id in {r.id for r in ledger.accepted(period).values()}:
            # the copy is what the 汇总表 merges, not only what times the unit: no answer fixes that
            raise errors.UsageError(
                f"“{target.name}”是{unit}{period.label}汇总所用的报送，不能只改报送时间：请该单位从其邮箱重新报送，"
                "收取后再运行此命令。")
        ledger.check_sender(target.id, theirs)
    _, after, _ = _verdict(ws, period, unit)
    return SenderCheck(period, unit, target, theirs, before, after)
