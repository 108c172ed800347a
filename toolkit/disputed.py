"""Returns registered under one unit while other evidence named another (W206), for the office
until it answers (QA197, QA356).

`collect` registers a form under the unit its strongest evidence names (its hidden _meta, then
its task rows, the sender's address, the file name, the 填报单位 cell: `checks._unit_of`) and
says once, on that run's screen, that other evidence named another unit. 石排镇 filled in
石碣镇's form and sent it as 石排镇7月.xlsx, 填报单位 石排镇: it went in as 石碣镇's, and a week
later the 通报 listed 石排镇 among 未报送的单位 with nothing said since. While the unit the other
evidence named stands 未报送 (or 退回待改) in the month, or the file is what its registered unit's
报送 rests on (its merged return or the one that times it: `Consolidation.counted`), the question
is asked again before the 汇总表 and 通报 go out (`Consolidation.office_notes`: status, merge, memo,
run; exit 1), as for a mail too big to fetch (`too_big`). The other unit resending on its own
form answers whether it reported, not whether the registered one did: 生态环境分局 filled in
市税务局's form, resent on its own, and 市税务局, which never reported, stood 按时报送 with
生态环境分局's text, the question gone (QA356).

The office phones and learns the file is the registered unit's (石碣镇 named its file wrong):
`duban sender --dept 石碣镇 --theirs` (`actions.sender.check_sender`) records it in the ledger's
``disputed_checks`` (QA204); the question is asked no more, and the answer is said instead
(`disputed_told`, `Consolidation.told`, exit 0) while it is still asked about, until ``--undo``
takes it back. Or it learns the file is not the registered unit's (another unit's text on its
form): ``--not-theirs`` records that, and the file is no unit's return (`ledger.answers.DISOWNED`):
the registered unit stands as its own returns leave it (未报送, or its own earlier one merged
again). The file's rows are never made the other's: they are the registered unit's form; the
other unit resends on its own form. The file itself is the other unit's refused return (`misfiled`,
QA405): that unit stands 退回待改, not 未报送, and gets a reply (`misfiled_reply`).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from .issued_month import month_name
from .ledger import Ledger, Receipt
from .ledger.answers import disputed_checks, on_office_clock, undo_hint
from .master import Master
from .misfiled import as_refused, evidence_said
from .senders import command
from .set_aside import NOT_COUNTED
from .text import LazyPattern
from .vocab import Outcome, UnitState, evidence_word

if TYPE_CHECKING:  # made where there is one (`office_cases` says why)
    from .office_cases import Disputed

# The W206 message names the other unit (report.py: "…指向{other}。已按{unit}登记…"); the
# issues table keeps the message, not its fields
_OTHER = LazyPattern(r"指向(.+?)。已按")

#: the states of a unit that still owes its return: the other unit's, in which a W206 file may be it
OWES = (UnitState.NOT_REPORTED, UnitState.TO_FIX)


def disputed_returns(ledger: Ledger, received: dict[str, list[Receipt]], master: Master,
                     apart: frozenset[str]) -> list[Disputed]:
    """The files of ``received`` (unit → its receipts of the month, under the month's names) that
    carry a W206, once per receipt and other unit. The other unit is named as the month counts it:
    市林业局, merged into 市自然资源局 after June's forms went out, stays itself in June (``apart``:
    `kept_apart`), where 单位名录 resolves it to the unit the file went to and the note was lost
    (QA205)."""
    by_id = {r.id: (unit, r) for unit, recs in received.items() for r in recs}
    ids = list(by_id)
    checked = disputed_checks(ledger.conn) if ids else {}
    # by receipt: a later, different file sent under a name already answered about is its own question
    found: dict[tuple[int, str], Disputed] = {}
    for start in range(0, len(ids), 500):  # under SQLite's bound on a statement's parameters
        chunk = ids[start:start + 500]
        for receipt_id, message in ledger.conn.execute(
                "SELECT receipt_id, message FROM issues WHERE code='W206' AND receipt_id IN"
                f" ({','.join('?' * len(chunk))}) ORDER BY receipt_id, rowid", chunk):
            m = _OTHER.search(message)
            if not m:
                continue
            unit, rec = by_id[receipt_id]
            other = month_name(m.group(1), master, apart)
            if other != unit:
                from .office_cases import Disputed  # deferred: `office_cases` says why

                at, theirs = checked.get(receipt_id, ("", True))
                found.setdefault((receipt_id, other), Disputed(unit, other, rec.name, message, rec, at, theirs))
    return list(found.values())


def asked(cons) -> list[tuple[Disputed, str]]:
    """The files of ``cons.disputed`` (`Consolidation`) still in question, each with the other
    unit's state: that unit stands 未报送 or 退回待改 (its own file refused, its good one gone to
    another: QA211), or the registered unit's 报送 rests on the file (`Consolidation.counted`),
    whoever else reported (QA356); or the office said the file is not the registered unit's (said
    while recorded: it changed a verdict). Asked about, or said answered (``checked_at``)."""
    states = {u.unit: u.state for u in cons.units}
    return [(d, states[d.other]) for d in cons.disputed if d.other in states
            and (states[d.other] in OWES or not d.theirs or (d.receipt is not None and d.receipt.id in cons.counted))]


def question(cons, d: Disputed, state: str) -> str:
    """What the 请核实 line about ``d`` (the other unit ``state``) says happened and why it
    matters, without the commands (`duban verify` puts it with its choices)."""
    label, mine = cons.period.label, _state_of(cons, d.unit)
    counted = d.receipt is not None and d.receipt.id in cons.counted
    if state in OWES:
        also = f"，也不应把{d.unit}计为{mine}" if counted and mine else ""
        return (f"{d.message}目前{d.other}在{label}计为{state}；如这份就是{d.other}的报送，通报中不应把{d.other}"
                f"列为{state}{also}：发出通报前请先与{d.other}、{d.unit}核实。")
    # the other unit has reported on its own form: the question left is whether the registered one did
    sent = state in (UnitState.ON_TIME, UnitState.LATE)
    other = (f"{d.other}已另行报送（在{label}计为{state}）" if sent
             else f"{d.other}在{label}计为{state}")  # 本期免报: not asked for a return
    # 也 only beside a return of its own: of one 本期免报 it read as if it had sent one (QA360)
    return (f"{d.message}{other}，这份仍计为{d.unit}的报送，{d.unit}在{label}计为{mine}；"
            f"如这份{'也' if sent else ''}是{d.other}填报的，"
            f"{d.unit}并未报送，通报中不应把{d.unit}计为{mine}：发出通报前请先与{d.unit}核实。")


def disputed_notes(cons) -> list[str]:
    """A 请核实 line per file of `asked` that the office has not answered, naming the commands
    that answer it."""
    return [f"请核实：{d.file}：{question(cons, d, state)}如核实确是{d.unit}的报送（只是文件名、填报单位或发件人"
            f"写成了{d.other}），请运行 {command(cons.period, d.unit, '--theirs')}；如不是{d.unit}的报送，请运行 "
            f"{command(cons.period, d.unit, '--not-theirs')}，这份即不再计为{d.unit}的报送。运行后此提示即不再出现。"
            for d, state in asked(cons) if not d.checked_at]


def disputed_told(cons) -> list[str]:
    """The office's answers to `disputed_notes` (`Consolidation.told`: said, exit 0)."""
    return [line for _, line in disputed_answers(cons)]


def disputed_answers(cons) -> list[tuple[Disputed, str]]:
    """`disputed_told`'s lines, each with the file it is about (5-逐条核实 takes one back)."""
    label, out = cons.period.label, []
    for d, state in asked(cons):
        if not d.checked_at:
            continue
        at = on_office_clock(d.checked_at, cons.tz)
        said = (f"是{d.unit}的报送，不是{d.other}的（{at} 记录）" if d.theirs else
                f"不是{d.unit}的报送（{at} 记录），不计入{d.unit}：{d.unit} 在{label}计为{_state_of(cons, d.unit)}")
        out.append((d, f"已核实：“{d.file}”{said}；{d.other} 在{label}计为{state}。"
                       f"{undo_hint(command(cons.period, d.unit, '--undo'))}"))
    return out


def disowned_of(disputed: list[Disputed]) -> frozenset[int]:
    """The W206 files the office said were not their unit's: no unit's return (`set_aside.NOT_COUNTED`)."""
    return frozenset(d.receipt.id for d in disputed if not d.theirs and d.receipt is not None)


def disputed_marked(receipts: list[Receipt], disputed: list[Disputed], merged: frozenset[int],
                    moved: dict[int, Disputed] | None = None) -> list[Receipt]:
    """收件登记's ``receipts`` with the office's W206 answers: a file it said was not its unit's
    is `NOT_COUNTED` and says why beside how its unit was found (表内标识（已核实不是其报送）, as
    `senders.marked` says a copy's), or, whose other evidence named a unit of the month (``moved``:
    `misfiled.misfiled`), that unit's 退回 (QA405); and the unit's own return merged again in its place
    (``merged``: the month's accepted, `Ledger.accepted`) is 采纳, not the 已被替代 collect recorded."""
    gone, moved = disowned_of(disputed), moved or {}
    if not gone:
        return receipts
    return [dataclasses.replace(as_refused(moved[r.id], r), identified_by=evidence_said(moved[r.id]))
            if r.id in moved else
            dataclasses.replace(r, identified_by=f"{evidence_word(r.identified_by)}（已核实不是其报送）",
                                outcome=NOT_COUNTED)
            if r.id in gone else dataclasses.replace(r, outcome=Outcome.ACCEPTED)
            if r.id in merged and r.outcome == Outcome.SUPERSEDED else r for r in receipts]


def _state_of(cons, unit: str) -> str:
    """``unit``'s 报送状态 in ``cons`` ('' when it is not one of the month's units)."""
    return next((u.state for u in cons.units if u.unit == unit), "")


def __getattr__(name: str) -> Any:
    """`Disputed`, from `office_cases` (which says why it is apart) when first asked for."""
    if name == "Disputed":
        from .office_cases import Disputed  # deferred: `office_cases` says why

        return Disputed
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
