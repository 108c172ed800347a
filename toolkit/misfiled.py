"""A W206 file the office said was not its registered unit's, as the refused return of the unit
its other evidence named (QA405).

石排镇 filled in 东城街道's form with its own situation and mailed it before the deadline. collect
registered it under 东城街道 (its _meta) and asked (W206, `disputed`): "目前石排镇…计为未报送；如这
份就是石排镇的报送，通报中不应把石排镇列为未报送". The office answered ``sender --not-theirs``
and the file became no unit's return: 石排镇 then stood 未报送, the very thing the question said
the 通报 should not say, and its resend on its own form after the deadline stood 逾期, no reply
ever sent to it. DESIGN.md's attribution rule: every input, refused or not, gets the unit named
by the strongest evidence left; a refused input with a unit makes that unit 退回待改.

So the answer makes the file the other unit's refused (退回) return: received at its own time, its
rows never merged (they are the registered unit's form: `disputed`'s "never made the other's"
stays true of the rows), refused the day the office answered (``disputed_checks.checked_at``, its
reply's day for the correction date, `on_time.correction_by`, never before the due date). When the
other evidence named no unit of the month, or two, nothing changes: the file is no unit's return.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .issued_month import kept_apart
from .ledger import Ledger, Receipt
from .ledger.answers import disowned_files, office_time
from .month_receipts import refused_of
from .report import Issue, make_issue
from .vocab import Outcome, evidence_word

if TYPE_CHECKING:
    from .master import Master
    from .office_cases import Disputed
    from .period import Period


def misfiled(disputed: list[Disputed], units: Iterable[str]) -> dict[int, Disputed]:
    """Receipt id → the `Disputed` of each W206 file the office said was not its registered unit's
    (``--not-theirs``) whose other evidence named one unit of ``units`` (the month's, not skipped)."""
    named: dict[int, set[str]] = {}
    for d in disputed:
        if d.receipt is not None and not d.theirs and d.checked_at:
            named.setdefault(d.receipt.id, set()).add(d.other)
    month = set(units)
    return {d.receipt.id: d for d in disputed if d.receipt is not None and not d.theirs and d.checked_at
            and named[d.receipt.id] == {d.other} and d.other in month and d.other != d.unit}


def refused_by_unit(moved: dict[int, Disputed]) -> dict[str, list[Receipt]]:
    """The other unit → each file of `misfiled` as its refused return (退回), in the order received,
    refused when the office answered (`refused_at_answer`)."""
    out: dict[str, list[Receipt]] = {}
    for d in moved.values():
        out.setdefault(d.other, []).append(refused_at_answer(d))
    return {u: sorted(recs, key=lambda r: (r.received_at, r.id)) for u, recs in out.items()}


def refused_returns(disputed: list[Disputed], units: Iterable[str], tz: dt.tzinfo | None, replied: dict[int, dt.date],
                    issues_of: Callable[[list[int]], dict[int, list[Issue]]]
                    ) -> tuple[dict[int, Disputed], dict[str, list[Receipt]], dict[int, dt.date]]:
    """`misfiled`, `refused_by_unit` and `refusal_days` of the month (`consolidate`), each file's
    warnings counted as the other unit's (`carried`; ``issues_of``: `Ledger.issues_of_many`)."""
    moved = misfiled(disputed, units)
    if moved:
        issues = issues_of(list(moved))
        moved = {i: dataclasses.replace(d, receipt=dataclasses.replace(d.receipt, warnings=sum(
            not x.is_error for x in carried(issues.get(i, []))))) for i, d in moved.items() if d.receipt is not None}
    return moved, refused_by_unit(moved), refusal_days(moved, tz, replied)


#: collect's words on the file as its registered unit's record, not on what the file says: superseded by
#: that unit's own later return (W205), a copy of another of its files (W204), and W206, the question
#: the office's answer settled (E213 says what it found). 石排镇's 校验问题 listed "已被…替代", 石碣镇's
#: own return superseding the file, and 报送情况 counted it among 石排镇's warnings (QA409)
REGISTERED_UNITS = frozenset({"W204", "W205", "W206"})


def carried(issues: list[Issue]) -> list[Issue]:
    """``issues`` of a file of `misfiled` that are the other unit's to hear: what its content says."""
    return [i for i in issues if i.code not in REGISTERED_UNITS]


def sent_back_units(received: dict[str, list[Receipt]], accepted: dict[str, Receipt], not_theirs: frozenset[int],
                    refused: dict[str, list[Receipt]]) -> frozenset[str]:
    """The units without an accepted return that sent a refused one (damaged, encrypted, a PDF, errors,
    a file of `refused_by_unit`): 报送情况 names each 退回待改, and so must every task row that lists it."""
    return frozenset(u for u, recs in received.items() if u not in accepted and refused_of(recs, not_theirs)
                     ) | frozenset(refused).difference(accepted)


def unit_receipts(received: dict[str, list[Receipt]], refused: dict[str, list[Receipt]], not_theirs: frozenset[int],
                  unit: str) -> tuple[list[Receipt], frozenset[int]]:
    """``unit``'s receipts with its files of `refused_by_unit` among them (`with_refused`), and the ids
    of ``not_theirs`` (files said not their unit's) that are not its own: not those, its refused returns."""
    mine = refused.get(unit, [])
    return with_refused(received.get(unit, []), mine), not_theirs.difference(r.id for r in mine)


def as_refused(d: Disputed, receipt: Receipt | None = None) -> Receipt:
    """``d``'s file (``receipt``: as 收件登记 has it, else the ledger's) as its other unit's refused
    return: its one error more, `refusal`, and the warnings `refused_returns` counted of it (`carried`)."""
    rec = receipt or d.receipt
    assert rec is not None and d.receipt is not None
    return dataclasses.replace(rec, unit=d.other, outcome=Outcome.RETURNED, errors=rec.errors + 1,
                               warnings=d.receipt.warnings)


def refused_at_answer(d: Disputed) -> Receipt:
    """`as_refused` as the unit's verdict times it: collected (`on_time.ReplyDates.collected`) when the
    office answered, not by the collect that took it as the registered unit's (``run_id`` None, so that
    no run order stands for that moment). Only a return sent, and collected, after the refusal answers
    it (`on_time._answers`, QA264): 石排镇's own late return of 7/11, sent before the answer of 7/12
    refused anything, stood 按时 "退回后于…前改报" by the reply the answer gave (QA409)."""
    return dataclasses.replace(as_refused(d), collected_at=d.checked_at, run_id=None)


def refusal(d: Disputed) -> Issue:
    """The error that sent ``d``'s file back to its other unit (E213: the office answered W206's
    question ``--not-theirs``), 校验问题's row and its reply's error. It says the evidence the file was
    registered by (表内标识, 填报单位, 文件名, 发件人地址, 任务行), not always a form's own: QA410."""
    how = d.receipt.identified_by if d.receipt is not None else ""
    return make_issue("E213", file=d.file, unit=d.unit, said=evidence_word(how) or "表内标识")


def with_refused(received: list[Receipt], refused: list[Receipt]) -> list[Receipt]:
    """A unit's receipts of the month with its `refused_by_unit` among them, in the order received."""
    if not refused:
        return received
    return sorted([*received, *refused], key=lambda r: (r.received_at, r.id))


def refusal_days(moved: dict[int, Disputed], tz: dt.tzinfo | None,
                 replied: dict[int, dt.date]) -> dict[int, dt.date]:
    """``replied`` (`on_time.replied_on`) with each file of `misfiled` refused the day the office
    answered (on its clock), or the later day a reply to it was written: its correction date runs
    from the refusal, not from the collect that took it as the registered unit's."""
    if not moved:
        return replied
    out = dict(replied)
    for rid, d in moved.items():
        day = office_time(d.checked_at, tz).date()
        out[rid] = max(day, replied.get(rid, day))
    return out


def evidence_said(d: Disputed) -> str:
    """收件登记's 单位依据 of ``d``'s file as its other unit's refused return."""
    assert d.receipt is not None
    return f"{evidence_word(d.receipt.identified_by)}为{d.unit}，已核实不是其报送，计为{d.other}的退回报送"


def as_others(receipts: list[Receipt], issues_by: dict[int, list[Issue]], moved: dict[int, Disputed]
              ) -> tuple[list[Receipt], dict[int, list[Issue]]]:
    """``receipts`` (the month's, 校验问题's) with each file of `misfiled` its other unit's refused
    return, and ``issues_by`` (receipt id → its issues) with its `refusal` first, then those `carried`."""
    if not moved:
        return receipts, issues_by
    return ([as_refused(moved[r.id], r) if r.id in moved else r for r in receipts],
            {**issues_by, **{i: [refusal(d), *carried(issues_by.get(i, []))] for i, d in moved.items()}})


def unit_refused(ledger: Ledger, received: dict[str, list[Receipt]], master: Master, period: Period, unit: str,
                 tz: dt.tzinfo | None, replied: dict[int, dt.date], own: list[Receipt] | None = None
                 ) -> tuple[list[Receipt], dict[int, dt.date]]:
    """``own`` (``unit``'s receipts of ``period`` that are its own, by default those of ``received``,
    the month's by unit, that no answer took off it) with the files of `misfiled` that are its refused
    returns among them, and ``replied`` with their refusal days: as
    consolidate judges the unit, for collect's words on a return: after the month's merge (`after_merge`:
    按时报送 by the date the answer gave, not 补报), on a weak time (`weak_times`: 逾期 by that date)."""
    from .disputed import disputed_returns  # deferred: `disputed` imports this module

    disowned = disowned_files(ledger.conn)
    own = [r for r in received.get(unit, []) if r.id not in disowned] if own is None else own
    if not disowned:
        return own, replied
    theirs = {u: mine for u, recs in received.items() if (mine := [r for r in recs if r.id in disowned])}
    if not theirs:
        # none of the month's: no `kept_apart` (2.8 ms a call on W2's 1,000 units, QA410) for each
        # late return of a month whose files the office copied in after the deadline
        return own, replied
    moved = misfiled(disputed_returns(ledger, theirs, master, kept_apart(ledger, period, master)), {unit})
    return (with_refused(own, refused_by_unit(moved).get(unit, [])),
            refusal_days(moved, tz, replied))


def reply_held(ledger: Ledger, receipt_id: int | None, unit: str, disowned: frozenset[int]) -> bool:
    """Whether a 反馈 draft to ``unit`` about the file ``receipt_id`` is held back: one to its registered
    unit about a file said not its own (``disowned``: `disowned_files`) told that unit "its" return was
    refused (QA363); one to the unit the file named (`misfiled_reply`) is that unit's reply and goes."""
    if receipt_id not in disowned:
        return False
    rec = ledger.get(receipt_id)
    return rec is None or rec.unit == unit
