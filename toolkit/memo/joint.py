"""Section 三 of the 通报 on a task with several leads: where each lead stands, and their 反映.

The task rule stays (`task_rule.task_status`: 滞后 when any lead reports 滞后 or the deadline
passed unfinished), but the sentence under a joint task must not put every lead under that
word. 平湖's task 4 said "牵头单位：平湖市发展和改革局、嘉兴市生态环境局平湖分局；…进展情况：滞后，
平均进度95%" where 发改局 had finished and 生态环境分局 was 序时推进 at 90% (QA387); a 国办 plan's task
of 33 leads, 2 of them 滞后, said "滞后，平均进度55.1%" and printed each lead's 存在问题 as its own
paragraph, the same sentence ten times over: 15 of 18 pages (QA391).

So, when the leads that reported are in different states (`mixed`), the sentence says each
one's state (`breakdown`): by name when they are few, else by count, naming only those behind
(滞后, 未启动, 退回修改, 未报送). Identical 反映 are said once under every unit that wrote them, and a
task prints a few of them at most, the rest pointed to in the 汇总表 (`tidy_problems`). A task of
one lead, or of leads all in one state, reads as it always did.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..task_summary import BEHIND as LEADS_BEHIND
from ..text import first_of
from ..vocab import Owed, Status, UnitState
from .sentences import names_text, num

DONE, ON_TRACK, LAGGING, NOT_STARTED, NOT_REPORTED = (
    Status.DONE, Status.ON_TRACK, Status.LAGGING, Status.NOT_STARTED, Status.NOT_REPORTED)
TO_FIX = UnitState.TO_FIX
REPORTED = (DONE, ON_TRACK, LAGGING, NOT_STARTED)

#: leads named one by one with their states up to this many (as `context.MAX_INLINE_UNITS`)
MAX_NAMED_LEADS = 5
#: the leads behind in one state named up to this many: a task's own few, even in a month whose
#: 未报送 list is long (QA391: "名单见报送情况" sent the reader to the month's 12, not the task's 6)
MAX_BEHIND = 10
#: 反映 paragraphs under one task, identical ones merged: the 汇总表 has every unit's
MAX_REASONS = 5
#: where every unit's row of a task is, its state and its 存在问题 in full
DETAILS_SHEET = "汇总表“单位明细”"

#: a state that is waiting, not behind: 未报送 while the unit's deadline has not passed
WAITING = "报送尚未截止"
#: the order the states are said in, and how each is said after a name ("X已完成") or counted
_SAID = {DONE: "已完成", ON_TRACK: "序时推进", NOT_STARTED: "未启动", LAGGING: "滞后",
         TO_FIX: "报送有误已退回修改", WAITING: WAITING, NOT_REPORTED: "未报送"}
_COUNTED = {**_SAID, TO_FIX: "退回修改"}
#: the states whose units are named even when counted: the ones the 通报 must ask to act, as
#: the 汇总表's 滞后超期 names them (`task_summary.BEHIND`)
BEHIND = frozenset(LEADS_BEHIND)


def mixed(states: dict[str, str], leads: list[str]) -> bool:
    """Whether the ``leads`` that reported this month stand in more than one state."""
    return len({s for u in leads if (s := states.get(u)) in REPORTED}) > 1


def _groups(states: dict[str, str], leads: list[str], waiting: frozenset[str]) -> dict[str, list[str]]:
    """The leads by the state said of them, in `_SAID`'s order; those not asked (their form
    lacked the task) are said apart, by the caller."""
    groups: dict[str, list[str]] = {s: [] for s in _SAID}
    for u in leads:
        s = states.get(u)
        if s == Owed.NOT_ISSUED or s is None:
            continue
        s = WAITING if s == NOT_REPORTED and u in waiting else s
        groups.setdefault(s, []).append(u)
    return {s: units for s, units in groups.items() if units}


def _progress(units: list[str], progress: dict[str, float | None]) -> str:
    """"（进度90%）" of one unit, "（进度分别为90%、60%）" of several; "" unless each gave one."""
    values = [progress.get(u) for u in units]
    if not values or any(v is None for v in values):
        return ""
    said = "、".join(f"{num(v)}%" for v in values if v is not None)
    return f"（进度{said}）" if len(values) == 1 else f"（进度分别为{said}）"


def breakdown(states: dict[str, str], leads: list[str], progress: dict[str, float | None],
              waiting: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """Where each of a task's ``leads`` stands, as the 通报's task sentence says it after the
    task's state: "其中平湖市发展和改革局已完成，嘉兴市生态环境局平湖分局序时推进（进度90%）"
    of a few; "33个牵头单位中，已完成5个，序时推进23个，滞后2个（河北省人民政府、河南省人民政府），
    未报送3个（…）" of many. ``progress``: each lead's figure as it typed it (percent);
    ``waiting``: the leads whose deadline has not passed (`Consolidation.waiting`). And whether
    it names every lead (then each one's figure is said, and no average of theirs is)."""
    groups = _groups(states, leads, waiting)
    counted = sum(len(units) for units in groups.values())
    if counted <= MAX_NAMED_LEADS:
        # a figure beside 已完成 or 未启动 says nothing the word does not
        parts = [names_text(units) + _SAID.get(s, s) + ("" if s in (DONE, NOT_STARTED) else _progress(units, progress))
                 for s, units in groups.items()]
        return "其中" + "，".join(parts), True
    parts = [f"{_COUNTED.get(s, s)}{len(units)}个" + (named(units) if s in BEHIND else "")
             for s, units in groups.items()]
    return f"{counted}个牵头单位中，" + "，".join(parts), False


def past_deadline(states: dict[str, str], leads: list[str], figure: str) -> str:
    """What a task's leads reported, when its 滞后 is duban's (past the 完成时限, not done: the task
    rule), not any lead's: "牵头单位报告序时推进，进度70%" (``figure``: the task's "进度70%" or
    "平均进度70%", said beside 序时推进 only). The 通报 printed "进展情况：滞后，进度70%" of a lead
    that reported 序时推进, as if it had said 滞后, where 汇总表's 滞后超期 said "序时推进" (QA398).
    '' when a lead reported 滞后, or those that reported stand in more than one state (`breakdown`
    says each one's) or all 已完成 (the sentence says the others have not reported)."""
    heard = [u for u in leads if states.get(u) in REPORTED]
    said = {states[u] for u in heard}
    if len(said) != 1 or (state := said.pop()) not in (ON_TRACK, NOT_STARTED):
        return ""
    who = "牵头单位" if len(heard) == len(leads) else "已报送的牵头单位"
    if len(heard) > 1:
        who = f"{who}均" if len(heard) == len(leads) else f"已报送的{len(heard)}个牵头单位均"
    return f"{who}报告{_SAID[state]}" + (f"，{figure}" if figure and state == ON_TRACK else "")


def named(units: list[str]) -> str:
    """A task's own leads that sent nothing (or were sent back), in brackets after their count:
    named up to `MAX_BEHIND`, else where each task's are ("名单见报送情况" named the month's)."""
    return f"（{names_text(units)}）" if len(units) <= MAX_BEHIND else f"（名单见{DETAILS_SHEET}）"


def merged(problems: Iterable[tuple[str, str]]) -> list[tuple[list[str], str]]:
    """The 反映 of one task, (unit, text) each, as (units, text): each text once with every unit
    that wrote it, in the order first written (QA391: the same sentence in ten paragraphs)."""
    units_of: dict[str, list[str]] = {}
    for unit, text in problems:
        units = units_of.setdefault(text, [])
        units += [] if unit in units else [unit]
    return [(units, text) for text, units in units_of.items()]


def reasons(problems: Iterable[tuple[str, str]], behind: Iterable[str], most: int | None
            ) -> tuple[list[tuple[str, str]], str]:
    """What a task's 反映 say, (unit, text) each: `merged`, the units of one text named
    "河北省人民政府、河南省人民政府" (beyond `MAX_BEHIND`, "A、B、…、J等12个单位"); at most ``most``
    of them (None: all), those of its ``behind`` leads chosen first (the reasons of a 滞后 are what
    the 通报 is read for), kept in their order; and the line saying where the others are, or ""."""
    said = merged(problems)
    left: list[tuple[list[str], str]] = []
    if most is not None and len(said) > most:
        behind = set(behind)
        first = sorted(range(len(said)), key=lambda i: not behind.intersection(said[i][0]))[:most]
        left = [r for i, r in enumerate(said) if i not in first]
        said = [said[i] for i in sorted(first)]
    note = f"另有{sum(len(units) for units, _ in left)}个单位反映的问题见{DETAILS_SHEET}。" if left else ""
    return [(first_of(units, MAX_BEHIND, "个单位"), text) for units, text in said], note
