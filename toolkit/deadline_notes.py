"""What the office is told about the month's deadlines where a consolidation judges against them:
a deadline extended in duban.toml after issue (`extended_notes`, asked), and tasks counted 超期 by
the month's end whose own deadline has not passed yet (`overdue_early_told`, told)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dates import cn_date
from .text import first_of

if TYPE_CHECKING:
    from .consolidate import Consolidation


def extended_notes(cons: Consolidation) -> list[str]:
    """A deadline extended in duban.toml after issue applies (no unit is 逾期 that met it),
    but where it turns a return 逾期 by its form into 按时 the office is told, in case the
    edit was a slip rather than an extension. An extension made on purpose is confirmed by
    issuing those units' forms again with it (`issue --dept … --due`): the ledger then holds
    the date they are judged by, and the line, which made every merge of the month exit 1,
    is said no more."""
    if not cons.extended:
        return []
    # neutral on who moved what: due_day may have been set before an earlier --due too
    moved = "；".join(f"为{cn_date(applied)}，晚于填报表上的{cn_date(printed)}"
                     for printed, applied in sorted(set(cons.extended.values())))
    # one command per date applied, each naming its units (a past month's by --period)
    depts = {day: " ".join(f"--dept {u}" for u, (_, d) in cons.extended.items() if d == day)
             for day in sorted({d for _, d in cons.extended.values()})}
    # --no-skip-done: the confirmation must not exempt a unit whose tasks are all done
    # (skip_done_units), which would take back the form it was judged by
    confirm = "；".join(f"duban issue --period {cons.period} {units} --due {day.isoformat()} --no-skip-done"
                       for day, units in depts.items())
    return [f"请核实：duban.toml 的 due_day 给出的{cons.period.label}报送截止{moved}：{'、'.join(cons.extended)} "
            "因此计为按时报送（按填报表为逾期报送）。如应以填报表为准，请把 due_day 改为与填报表一致；"
            f"如确为延期，请运行 {confirm}（按延期后的截止日重新生成这些单位的填报表并记录，不发邮件），"
            "此提示即不再出现。"]


def overdue_early_told(cons: Consolidation) -> list[str]:
    """`Consolidation.overdue_early` for the office that merged, by `merge` or `collect --merge`
    (2-收取并汇总; the 汇总表's subtitle and 总览 say it too): shown, asking nothing; the 通报's own
    note asks (`actions.memo.not_yet_overdue_notes`)."""
    early = cons.overdue_early()
    if not early:
        return []
    from .rectification import words_of  # deferred: `status` never says it (see cli.month)

    w = words_of(cons.master)
    # "按…已过计", not 超期未完成: counted apart from it in the figures said just above
    # (`Consolidation.overdue_counts`); 还没过, not 还没到: on the day itself it has come (QA360, QA141)
    return [f"提醒：汇总表按期末（{cn_date(cons.period.end)}）的情况计超期：{w.task}"
            f"{first_of([t.task.id for t in early], 5, '项')}按{w.deadline}已过计，今天（{cn_date(cons.today)}）"
            f"{w.deadline}还没过（最早为{cn_date(min(t.task.deadline for t in early))}），汇总表的副标题已注明。"
            f"{w.deadline}过后重新汇总即按当时情况计。"]
