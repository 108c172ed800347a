"""Returns registered under one unit while other evidence named another (W206), for the office
until that other unit reports (QA197).

`collect` registers a form under the unit its strongest evidence names (its hidden _meta, then
its task rows, the sender's address, the file name, the 填报单位 cell: `checks._unit_of`) and
says once, on that run's screen, that other evidence named another unit. 石排镇 filled in
石碣镇's form and sent it as 石排镇7月.xlsx, 填报单位 石排镇: it went in as 石碣镇's, and a week
later the 通报 listed 石排镇 among 未报送的单位 with nothing said since. While the unit the other
evidence named stands 未报送 (or 退回待改) in the month, the question is asked again before the 汇总表 and 通报
go out (`Consolidation.office_notes`: status, merge, memo, run; exit 1), as for a mail too big to
fetch (`too_big`).

The office phones and learns the file is the registered unit's (石碣镇 named its file wrong):
`duban sender --dept 石碣镇 --theirs` (`actions.sender.check_sender`) records it in the ledger's
``disputed_checks`` (QA204); the question is asked no more, and the answer is said instead
(`disputed_told`, `Consolidation.told`, exit 0) while the other unit stands 未报送, until
``--undo`` takes it back. The file is never moved to the other unit by an answer: its rows are
the registered unit's form; the other unit resends on its own form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .issued_month import month_name
from .ledger import Ledger, Receipt
from .ledger.answers import disputed_checks, on_office_clock, undo_hint
from .master import Master
from .senders import command
from .text import LazyPattern
from .vocab import UnitState

if TYPE_CHECKING:  # made where there is one (`office_cases` says why)
    from .office_cases import Disputed

# The W206 message names the other unit (report.py: "…指向{other}。已按{unit}登记…"); the
# issues table keeps the message, not its fields
_OTHER = LazyPattern(r"指向(.+?)。已按")


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

                found.setdefault((receipt_id, other), Disputed(unit, other, rec.name, message, rec,
                                                             checked.get(receipt_id, "")))
    return list(found.values())


def asked(cons) -> list[tuple[Disputed, str]]:
    """The files of ``cons.disputed`` (`Consolidation`) whose other unit stands 未报送 or 退回待改
    (its own file refused, its good one gone to another: QA211), each with that state: asked
    about, or said answered (``checked_at``)."""
    states = {u.unit: u.state for u in cons.units}
    return [(d, states[d.other]) for d in cons.disputed
            if states.get(d.other) in (UnitState.NOT_REPORTED, UnitState.TO_FIX)]


def disputed_notes(cons) -> list[str]:
    """A 请核实 line per file of `asked` that the office has not answered, naming the command
    that answers it."""
    return [f"请核实：{d.file}：{d.message}目前{d.other}在{cons.period.label}计为{state}；如这份就是{d.other}的报送，"
            f"通报中不应把{d.other}列为{state}：发出通报前请先与{d.other}、{d.unit}核实。如核实确是{d.unit}的报送"
            f"（只是文件名、填报单位或发件人写成了{d.other}），请运行 {command(cons.period, d.unit, '--theirs')}，"
            "此提示即不再出现。"
            for d, state in asked(cons) if not d.checked_at]


def disputed_told(cons) -> list[str]:
    """The office's answers to `disputed_notes` (`Consolidation.told`: said, exit 0)."""
    return [line for _, line in disputed_answers(cons)]


def disputed_answers(cons) -> list[tuple[Disputed, str]]:
    """`disputed_told`'s lines, each with the file it is about (5-逐条核实 takes one back)."""
    return [(d, f"已核实：“{d.file}”是{d.unit}的报送，不是{d.other}的"
                f"（{on_office_clock(d.checked_at, cons.tz)} 记录）；{d.other} 在{cons.period.label}计为{state}。"
                f"{undo_hint(command(cons.period, d.unit, '--undo'))}")
            for d, state in asked(cons) if d.checked_at]


def __getattr__(name: str) -> Any:
    """`Disputed`, from `office_cases` (which says why it is apart) when first asked for."""
    if name == "Disputed":
        from .office_cases import Disputed  # deferred: `office_cases` says why

        return Disputed
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
