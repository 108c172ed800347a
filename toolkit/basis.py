"""Where a past month judged by its forms differs from today's sheet (`Basis`), for the office.

`issued_month.basis_of` makes one only for a past month whose forms the office edited or
renumbered since; every status asks, and most months have none. Creating the dataclass at
import (Python 3.11 compiles each generated method) was 1.1 M instructions of a W1 `duban
status`'s 388.4 M (callgrind; QA347, issue 19). `issued_month.Basis` still names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .dates import cn_date
from .issued_month import MOST_NAMED, UNTOLD_TITLE, deadline_beside, texts_edited
from .master.model import task_sort_key
from .text import clean, task_title

if TYPE_CHECKING:
    from .master import Task
    from .period import Period


@dataclass(eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class Basis:
    """Where a past month judged by its forms (`as_issued`) differs from today's sheet, for
    the office: it merges the month again to publish it again."""

    period: Period
    #: the month whose forms went out after it; None: none yet, a revised plan renumbered
    #: the month's tasks (`renumbered_since`)
    later: Period | None
    #: (unit, task id, role its form gave, its state on the task) for what today's 责任分工 no
    #: longer gives: a unit taken off the task, or given another role
    changed: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: the tasks on its forms that 任务清单 no longer has
    deleted: list[Task] = field(default_factory=list)
    #: (as its forms printed it, as 任务清单 gives it today) for a task whose texts or 完成时限
    #: the office edited since
    edited: list[tuple[Task, Task]] = field(default_factory=list)
    #: a unit of ``changed`` merged since into another (机构改革) → the unit it is now part of
    merged: dict[str, str] = field(default_factory=dict)
    #: a task a revised 任务分工表 gave another number (`renumbered`): its id on the month's
    #: forms → its id today. Neither deleted nor edited: the month lists it as its forms did
    moved: dict[str, str] = field(default_factory=dict)
    #: the month the office is on, judged by today's sheet, its forms made from an earlier plan
    #: (`plan_since.since_forms`): ``changed`` and ``deleted`` are what its forms carried that
    #: today's sheet no longer counts
    current: bool = False
    #: (``current``) today's tasks none of the month's forms carried: added since
    added: list[Task] = field(default_factory=list)
    #: (``current``) (unit, task id, role) today's 责任分工 gives a unit its month's form did not
    gained: list[tuple[str, str, str]] = field(default_factory=list)
    #: (a past month) (unit, task id on the month's forms, role today) of each unit the plan
    #: gained after the month's forms went out (`joined_since`): none of the month's, said only
    joined: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def asks(self) -> bool:
        """Whether the office is asked to look (the run exits 1): a task or assignment its
        forms carried that today's sheet deleted, edited or gave otherwise. A task renumbered
        alone asks nothing: the month's 汇总表 and 通报 stand as they went out; nor a unit the
        plan gained since (``joined``), nor, in the month the office is on (``current``), a
        task or 分工 added alone (``added``, ``gained``)."""
        return bool(self.changed or self.deleted or self.edited)

    def heading(self) -> str:
        """What the 汇总表's subtitle adds: the month is its forms', not today's sheet's (or,
        ``current``, today's sheet's, which its forms were not made from)."""
        if self.current:
            return f"按现行任务分工表核定（与{self.period.label}下发的填报表不同）"
        return f"按{self.period.label}下发的填报表核定"

    def notes(self) -> list[str]:
        """The lines for the screen (merge, memo, status, run): the rule, then each difference."""
        if self.current:
            return self._current_notes()
        label = self.period.label
        why = f"{self.later.label}的填报表已下发" if self.later else "任务分工表在该期填报表下发后修订"
        rule = f"说明：{label}按当月下发的填报表核定（{why}）"
        if not (self.asks or self.joined):
            return [f"{rule}。{self._moved_note()}"]
        out = [f"{rule}：其后任务分工表的修改（删除任务、调整分工、修改任务内容或完成时限）不改变该期的应报任务"
               "及其内容和完成时限、分工和报送情况。与现行任务分工表不同之处如下。"]
        if self.moved:
            out.append(f"说明：{self._moved_note()}")
        by_unit: dict[str, list[str]] = {}
        for unit, tid, role, state in self.changed:
            by_unit.setdefault(unit, []).append(f"{self._id(tid, role)}，{state}")
        # a unit merged into another: its rows went with it, no 分工 the office cancelled or got wrong
        for into in dict.fromkeys(self.merged.values()):
            named = "、".join(f"{u}（{'；'.join(items)}）" for u, items in by_unit.items()
                             if self.merged.get(u) == into)
            out.append(f"说明：{named}已并入{into}，现行任务分工表不再单列；{label}仍按当月的填报表，以原单位名称计入。")
        cancelled = [(u, items) for u, items in by_unit.items() if u not in self.merged]
        if cancelled:
            out.append(f"请核实：{_units_with(cancelled)}在{label}的填报表上，现行任务分工表已取消或调整这些分工；"
                       f"{label}仍按当月的填报表计入。如属当月分工有误、不应点名，请在{label}的通报中更正后再印发。")
        if self.joined:
            out.append(self._joined_note())
        for t in self.deleted:
            if t.name == UNTOLD_TITLE:
                out.append(f"说明：任务 {t.id} 已从任务清单删除，下发{label}的填报表时未记录其内容（旧版 duban 下发）："
                           f"汇总表中以“{UNTOLD_TITLE}”列出，保留各单位当月的报送。")
            else:
                out.append(f"说明：任务 {t.id}（{task_title(t.name, t.content)}）已从任务清单删除，"
                           f"但{label}的填报表上有这项任务：该期的汇总表和通报仍列出它和各单位当月的报送。")
        out.extend(self._edited_note(then, now) for then, now in self.edited)
        return out

    def _current_notes(self) -> list[str]:
        """`notes` of the month the office is on (``current``): merged by today's sheet, which
        its forms were not made from; what that leaves out or adds, and what the office does."""
        label, period = self.period.label, self.period
        # a task or unit added alone drops no report: said (exit 0), as W208 says it of a return
        out = [f"{'请核实' if self.asks else '说明'}：{label}的填报表下发后，任务分工表已修改（如导入了修订版）；"
               f"{label}按现行任务分工表汇总、生成通报，与当月下发的填报表不同之处如下。如{label}应按当月下发的填报表核定，请在{label}的通报中更正后再印发；"
               f"如应按现行分工报送，请向有关单位重新下发（duban issue --period {period} --dept 单位名称）。"]
        by_unit: dict[str, list[str]] = {}
        for unit, tid, role, state in self.changed:
            by_unit.setdefault(unit, []).append(f"{tid} {role}，{state}")
        if by_unit:
            out.append(f"请核实：{_units_with(list(by_unit.items()))}在{label}的填报表上，现行任务分工表已取消或调整这些分工："
                       "本次汇总不再按当月的分工计入其这些任务的报送。")
        for t in self.deleted:
            out.append(f"请核实：任务 {t.id}（{task_title(t.name, t.content)}）已从任务清单删除，但{label}的填报表上有"
                       "这项任务：本次汇总不再列出它和各单位当月的报送。")
        for t in self.added:
            out.append(f"说明：任务 {t.id}（{task_title(t.name, t.content)}）是{label}的填报表下发后新增的，"
                       "当月的填报表上没有这项任务：本次汇总按现行任务分工表列出它。")
        gained: dict[str, list[str]] = {}
        for unit, tid, role in self.gained:
            gained.setdefault(unit, []).append(f"{tid} {role}")
        if gained:
            out.append(f"说明：{_units_with(list(gained.items()))}是{label}的填报表下发后新增的分工，当月的填报表上没有这些任务。")
        return out

    def _joined_note(self) -> str:
        """The units the plan gained after the month's forms went out: no form of the month
        went to them, and none is to go (a form now would make them 未报送 for a month they
        had no task in)."""
        label, by_unit = self.period.label, {}
        for unit, tid, role in self.joined:
            by_unit.setdefault(unit, []).append(self._id(tid, role))
        return (f"说明：{_units_with(list(by_unit.items()))}是{label}的填报表下发后才列入任务分工表的，"
                f"{label}没有向其下发填报表：该期不计入应报单位，通报也不列为未报送，无需补发该期的填报表。")

    def _id(self, tid: str, then: str) -> str:
        """A task as the month's forms numbered it, with today's number when it moved, and
        ``then`` after it: "1.2（现为2.1）牵头", "2.5 牵头"."""
        return f"{tid}（现为{self.moved[tid]}）{then}" if tid in self.moved else f"{tid} {then}"

    def _moved_note(self) -> str:
        """The tasks a revised 任务分工表 renumbered, said once: the month keeps its numbers."""
        pairs = sorted(self.moved.items(), key=lambda p: task_sort_key(p[0]))
        named = "、".join(f"原{was}现为{now}" for was, now in pairs[:MOST_NAMED])
        more = f"等 {len(pairs)} 项" if len(pairs) > MOST_NAMED else ""
        return (f"任务分工表已修订，{named}{more}（工作任务和具体工作内容未变）：{self.period.label}的汇总表和通报"
                "仍按当月填报表上的编号列出；编号的变化不改变各单位的报送情况，无需为此更正。")

    def _edited_note(self, then: Task, now: Task) -> str:
        """One line for a task the office edited since the month's forms went out: what
        changed, and that the month keeps what its forms printed (whether it was 超期)."""
        label = self.period.label
        texts = texts_edited(then, now)
        was, now_due = _due_said(then, now), _due_said(now, then)
        moved = was != now_due
        said = [f"{'、'.join(texts)}已修改"] if texts else []
        said += [f"完成时限已由{was}改为{now_due}"] if moved else []
        kept = (f"仍按下发时的内容和完成时限（{was}）核定" if texts and moved else
                f"仍按下发时的{was}核定" if moved else "的汇总表和通报仍按下发时的内容列出")
        return f"说明：任务 {self._id(then.id, '的')}{'，'.join(said)}；{label}{kept}。"


def _due_said(task: Task, other: Task) -> str:
    """``task``'s 完成时限 beside ``other``'s (`deadline_beside`), with its date when its text has
    no year of its own: 年底前 edited to 6月底前 over New Year read as six months earlier, not as
    2026年12月31日 moved to 2027年6月30日 (QA388)."""
    said = deadline_beside(task, other)
    if said != clean(task.deadline_text) or task.ongoing or task.deadline is None or _YEAR.search(said):
        return said  # dated already, no date to give, or its year said
    return f"{said}（{cn_date(task.deadline)}）"


#: a year a 完成时限 text says itself: 2026年底前, 2026.12, 2026-12-31
_YEAR = re.compile(r"\d{4}")


def _units_with(pairs: list[tuple[str, list[str]]]) -> str:
    """Units each with what is said of it, "市林业局（2.1 牵头，未报送）", the first `MOST_NAMED`,
    then how many in all."""
    named = "、".join(f"{u}（{'；'.join(items)}）" for u, items in pairs[:MOST_NAMED])
    return named + (f"等 {len(pairs)} 个单位" if len(pairs) > MOST_NAMED else "")
