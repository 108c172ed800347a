"""任务清单's two deadline columns when they disagree: 完成时限 (the published words) and 截止日期
(a day), and the year a reused plan's year-less words are read in.

The import fills 截止日期 from 完成时限; the office may then set 截止日期 on purpose (the README:
it overrides the words, as the M117 notes ask), or edit the words and leave the day the import
wrote. 大竹 2016 reused for 2026: 12月底前 became 2026年12月底前, 截止日期 stayed 2016-12-31, and the
通报 called 8 tasks 已超过完成时限 under the words "2026年12月底前" (QA369). Which column was changed
is told by what the import wrote (`RECORD_SHEET`, kept hidden in the workbook): a 截止日期 still
the import's under edited words is stale, one the office changed is meant. Without that record
(a workbook written before it, a row the office added), a 截止日期 that is the words' day with
their year put back to the plan's is the import's too; else the later day is judged by, since a
wrong public 超期 is the worse error, and the office is asked to make the two agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..dates import cn_date, parse_deadline
from ..period import Period
from ..text import LazyPattern
from .model import BY_SET, BY_WORDS, LATER_SET, LATER_WORDS, Task

if TYPE_CHECKING:  # `column_notes` loads them when it has something to say: `duban status` calls it
    from ..rectification import Words
    from .model import Master

#: the hidden sheet of the master workbook keeping each task's 完成时限 and 截止日期 as the import wrote them
RECORD_SHEET = "_导入时限"
RECORD_HEADERS = ("任务编号", "完成时限", "截止日期")
# compiled when a workbook is read (`judge`): at import it was 0.25 M of every `duban status`, which reads the cache
_LEADING_YEAR = LazyPattern(r"\s*\d{4}\s*年")
_WORKBOOK = "任务分工表.xlsx“任务清单”"


def judge(text: str, words_day: dt.date, set_day: dt.date, imported: tuple[str, dt.date | None] | None,
          plan_year: int | None) -> tuple[dt.date, str]:
    """(the day a task is judged by, `Task.dated_by`) when its 完成时限 reads as ``words_day`` and
    its 截止日期 is ``set_day``, another day; ``imported``: (完成时限, 截止日期) as the import wrote
    them, None when not recorded."""
    if imported is not None:
        was_text, was_day = imported
        if set_day != was_day:
            return set_day, BY_SET
        if text != was_text:
            return words_day, BY_WORDS
        # neither changed since written: the day was written beside those words on purpose (a workbook
        # written again from one whose office had set it, `init --master`); the later day dropped its 超期
        return set_day, BY_SET
    elif plan_year and (m := _LEADING_YEAR.match(text)) and parse_deadline(text[m.end():], plan_year)[0] == set_day:
        return words_day, BY_WORDS  # 2026年12月底前 over the 2016-12-31 the import read 12月底前 as
    return (words_day, LATER_WORDS) if words_day > set_day else (set_day, LATER_SET)


def record_rows(tasks: Iterable[Task]) -> list[list]:
    """The rows of `RECORD_SHEET` for the tasks the import writes."""
    return [[t.id, t.deadline_text, t.deadline.isoformat() if t.deadline and not t.ongoing else ""] for t in tasks]


def read_record(rows: list[list]) -> dict[str, tuple[str, dt.date | None]]:
    """`RECORD_SHEET`'s rows (header first) as task id → (完成时限, 截止日期); a row unread is left out."""
    out = {}
    for r in rows[1:]:
        r = [*r, "", "", ""]
        tid = str(r[0]).strip() if r[0] is not None else ""
        if not tid:
            continue
        day = r[2]
        if isinstance(day, dt.datetime):
            day = day.date()
        elif not isinstance(day, dt.date):
            try:
                day = dt.date.fromisoformat(str(day).strip()) if str(day).strip() else None
            except ValueError:
                continue
        out[tid] = (str(r[1] or "").strip(), day)
    return out


def _ids(tasks: list[Task]) -> str:
    shown = "、".join(t.id for t in tasks[:8])
    return f"任务 {shown}" + (f" 等 {len(tasks)} 项" if len(tasks) > 8 else " ")


def column_notes(tasks: Iterable[Task], period: Period | None = None, words: Words | None = None,
                 master: Master | None = None) -> list[str]:
    """What the office is told of ``tasks`` (issue: the forms' tasks; merge, memo: the plan's) whose
    完成时限 and 截止日期 disagree, and, ``period`` given, of those whose year-less words were read in
    the plan's year more than a year before it (a plan reused: all 超期). One line per kind and pair
    of days; 请核实 where duban chose, 提醒 where it did as the office set. ``words``: the plan's
    (`rectification.words_of`), else ``master``'s, read only when there is something to say: the
    import of `rectification` (a dataclass of 22 fields) cost `duban status` 1-3 ms."""
    groups, old = {}, []
    for t in tasks:
        if t.dated_by and t.other_day and t.dated:
            groups.setdefault((t.dated_by, t.deadline_text, t.deadline, t.other_day), []).append(t)
        elif (period is not None and t.dated and not re.search(r"\d{4}", t.deadline_text)
              and t.deadline.year < period.year - 1):
            old.append(t)
    if not groups and not old:
        return []
    if words is None:  # deferred: `rectification`'s Words cost `duban status` 1-3 ms to import (-X importtime)
        from ..rectification import PLAN, words_of

        words = words_of(master) if master is not None else PLAN
    w, notes = words.deadline, []
    for (by, text, day, other), group in groups.items():
        other = dt.date.fromisoformat(other)
        which, said = _ids(group), group[0].deadline_in(period.year if period else None)
        if by == BY_WORDS:
            notes.append(f"请核实：{_WORKBOOK}中{which}的{w}已改为“{text}”（{cn_date(day)}），“截止日期”列却仍是导入时"
                         f"按原来的{w}填写的 {cn_date(other)}；现按{w} {cn_date(day)} 判断是否超期。"
                         f"请把这些{words.task}的“截止日期”改为 {day.isoformat()}（或清空），此提示即不再出现；"
                         f"如应按 {cn_date(other)} 判断，请把{w}改回与之一致。")
        elif by == BY_SET:
            notes.append(f"提醒：{_WORKBOOK}中{which}的{w}“{text}”读作 {cn_date(other)}，“截止日期”列填写的是 "
                         f"{cn_date(day)}，按“截止日期” {cn_date(day)} 判断是否超期，通报和汇总表写作“{said}”。"
                         f"如应按{w}判断，请清空或改正“截止日期”。")
        else:
            words_day, set_day = (day, other) if by == LATER_WORDS else (other, day)
            notes.append(f"请核实：{_WORKBOOK}中{which}的{w}“{text}”读作 {cn_date(words_day)}，与“截止日期”列的 "
                         f"{cn_date(set_day)} 不一致，看不出哪一个是后来改的；为免误判超期，暂按较晚的 {cn_date(day)} "
                         f"判断。请把两列改为一致（“截止日期”填写要据以判断是否超期的日期），此提示即不再出现。")
    if old:
        year = old[0].deadline.year
        notes.append(f"提醒：{_ids(old)}的{w}没有写年份（如“{old[0].deadline_text}”），按任务清单标题的年份读作 "
                     f"{year} 年的日期（如 {cn_date(old[0].deadline)}），早于{period.label}一年以上，未完成的均按已超过"
                     f"{w}判断，通报和汇总表写作“{old[0].deadline_in(period.year)}”。如本期沿用的是往年的方案，请在{_WORKBOOK}"
                     f"中给{w}写上年份（如“{period.year}年{old[0].deadline_text.removeprefix('年')}”），"
                     "并把“截止日期”改为相应的日期。")
    return notes
