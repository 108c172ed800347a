"""The monthly memo (通报): a docxtpl Word template filled from the consolidation.

`build_context` turns a `Consolidation` into `MemoContext`: plain data (dataclasses, lists,
str, int) a template reads as ``{{ task_done }}`` or ``{% for t in attention %}``. Every
sentence whose wording depends on the numbers is made here, so a template never needs
logic to avoid "0个单位未报送：。"; the coordinator edits wording and layout in Word.

Rendering uses autoescape (departments type ``&`` and ``<``; without escaping docxtpl
writes broken XML that its recovering parser silently truncates) and StrictUndefined.
`check_template` finds unknown variables and syntax errors before anything is rendered,
and names the paragraph in Chinese.

`write_default_template` builds the shipped ``templates/月度通报.docx`` with python-docx,
laid out per GB/T 9704-2012: A4, margins 37/35/28/26 mm, 22 lines x 28 characters (document
grid), title 2号 方正小标宋简体, body 3号 仿宋_GB2312, headings 黑体 / 楷体, page numbers
4号 宋体 "— 1 —" on the outside edge.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import errors
from .dates import Period, cn_date

if TYPE_CHECKING:  # pragma: no cover
    from .consolidate import Consolidation, TaskSummary, UnitStatus
    from .workspace import Workspace

TEMPLATE_NAME = "月度通报.docx"
MEMO_STAGE = "通报"  # same folder name as workspace.MEMOS; kept local so import stays cheap

# Task and unit states, as toolkit.consolidate spells them (not imported: that module takes
# a quarter of a second to load, and check_template needs none of it).
DONE, ON_TRACK, LAGGING, NOT_STARTED, NOT_REPORTED = "已完成", "序时推进", "滞后", "未启动", "未报送"
ON_TIME, LATE, MISSING, TO_FIX = "已报送", "逾期报送", "未报送", "退回待改"
LEAD = "牵头"

# A task's lead units are named inline up to this many; beyond, the memo points to 报送情况.
MAX_INLINE_UNITS = 5


# ---------------------------------------------------------------------------
# the context


@dataclass
class ProblemItem:
    """One unit's stated problem (存在问题) for one task."""

    unit: str  #: the unit that wrote it, e.g. "市公安局"
    text: str  #: its text as typed, line breaks kept, e.g. "系统对接延期\n需市级协调"


@dataclass
class TaskItem:
    """One task as the memo names it (in completed / attention / due_next lists)."""

    id: str  #: task number, e.g. "2.2"
    level1: str  #: 一级任务 as published, e.g. "一、加强政务服务体系建设标准化"
    level2: str  #: 二级任务, e.g. "1．健全落实系列标准制度"
    name: str  #: 工作任务, e.g. "全流程动态管理事项"
    content: str  #: 具体工作内容 (long text)
    deadline_text: str  #: 完成时限 as published, e.g. "2022年6月", "长期开展"; "未明确" if blank
    status: str  #: 综合状态: 已完成 / 序时推进 / 滞后 / 未启动 / 未报送
    progress_text: str  #: average progress of the lead units, e.g. "60%"; "" when none reported
    overdue: bool  #: past its deadline and not 已完成
    leads_text: str  #: lead units, groups kept compact, e.g. "市政务服务数据管理局、各镇街（园区）"
    coops_text: str  #: cooperating units, same form; "" when none
    leads: list[str]  #: every lead unit by name
    lagging_units: list[str]  #: lead units that reported 滞后
    missing_units: list[str]  #: lead units with no accepted return this period
    problems: list[ProblemItem]  #: stated problems, lead units first
    status_text: str  #: e.g. "滞后，平均进度40%" or "牵头单位均未报送进展"
    summary: str  #: one sentence: leads, deadline, status, overdue, missing leads


@dataclass
class UnitItem:
    """One unit in 报送情况."""

    name: str  #: e.g. "市民政局"
    kind: str  #: 市直部门 / 镇街
    tasks: int  #: number of tasks it reports on
    state: str  #: 已报送 / 逾期报送 / 未报送 / 退回待改
    received_at: str  #: when its return arrived, "2022-07-08 09:30"; "" if none
    errors: int  #: errors found in its (last) return
    warnings: int  #: warnings found in its (last) return


@dataclass
class Level1Row:
    """One row of the table by 一级任务 (also the 合计 row)."""

    index: int  #: 1, 2, 3 … (0 for the 合计 row)
    name: str  #: 一级任务 without its "一、" number, e.g. "加强政务服务体系建设标准化"
    total: int  #: tasks under it
    done: int  #: 已完成
    on_track: int  #: 序时推进
    lagging: int  #: 滞后
    not_started: int  #: 未启动
    not_reported: int  #: 未报送
    done_pct: str  #: 完成率, e.g. "25%"


@dataclass
class Point:
    """A numbered point with a run-in heading, e.g. "（一）加快推进滞后任务。" + text."""

    number: str  #: "（一）", "（二）" … numbered after empty points were dropped
    title: str  #: the heading, e.g. "加快推进滞后任务。"
    text: str  #: the text after it


@dataclass
class MemoContext:
    """Everything a memo template can use. Field names are the template variables
    (``{{ task_total }}``); templates/README.md lists each with an example."""

    # ---- document ----
    project: str  #: 专项行动名称, e.g. "东莞市2022年政务服务全域标准化专项行动"
    organiser: str  #: 督办单位 (落款), e.g. "东莞市政务服务数据管理局"
    period: str  #: period, "2022-06"
    period_label: str  #: period for people, "2022年6月"
    next_period_label: str  #: the month after, "2022年7月"
    issue_date_text: str  #: 成文日期, "2022年7月6日"
    due_date_text: str  #: this period's submission deadline, "2022年7月5日"
    next_due_date_text: str  #: next period's submission deadline, "2022年8月5日"
    as_of: str  #: time of the latest return counted, "2022-07-08 09:30"; "" if none
    title: str  #: "关于2022年6月东莞市…专项行动进展情况的通报"
    title_lines: str  #: the title with line breaks between words, each line fitting the 2号 title line
    recipients: str  #: 主送, e.g. "各镇街（园区），市直各有关单位："
    intro: str  #: opening sentence ending "通报如下："
    signature_pad: str  #: full-width spaces before the organiser so it ends two characters from the right
    date_pad: str  #: full-width spaces before the date so it starts two characters right of the organiser

    # ---- task figures ----
    task_total: int  #: number of tasks, e.g. 45
    task_done: int  #: 已完成
    task_on_track: int  #: 序时推进
    task_lagging: int  #: 滞后
    task_not_started: int  #: 未启动
    task_not_reported: int  #: 未报送 (no lead unit reported)
    task_overdue: int  #: past deadline and not 已完成 (may also be 滞后 or 未报送)
    task_done_pct: str  #: share of all tasks, e.g. "4.4%"
    task_on_track_pct: str  #: e.g. "20%"
    task_lagging_pct: str  #: e.g. "11.1%"
    task_not_started_pct: str  #: e.g. "0%"
    task_not_reported_pct: str  #: e.g. "64.4%"
    task_overdue_pct: str  #: e.g. "15.6%"
    avg_progress_text: str  #: mean progress of tasks with a reported progress, "52.5%"; "" if none

    # ---- unit figures ----
    unit_total: int  #: units that must report, e.g. 54
    unit_reported: int  #: accepted returns (on time + late)
    unit_on_time: int  #: 按时报送
    unit_late: int  #: 逾期报送
    unit_missing: int  #: 未报送
    unit_returned: int  #: 退回待改 (return rejected, not yet corrected)
    report_rate: str  #: unit_reported / unit_total, e.g. "11.1%"

    # ---- lists ----
    completed: list[TaskItem]  #: tasks that became 已完成 this period
    lagging: list[TaskItem]  #: tasks whose status is 滞后
    overdue: list[TaskItem]  #: tasks past deadline and not 已完成
    attention: list[TaskItem]  #: 滞后 or overdue, by task number (the memo's section 三)
    due_next: list[TaskItem]  #: deadline in the next month, not 已完成
    by_level1: list[Level1Row]  #: the table by 一级任务
    level1_total: Level1Row  #: its 合计 row
    on_time_units: list[UnitItem]  #: reported on time
    late_units: list[UnitItem]  #: reported after the deadline
    missing_units: list[UnitItem]  #: did not report
    returned_units: list[UnitItem]  #: return rejected (退回待改)
    late_names: str  #: "市民政局、莞城街道"; "" when none
    missing_names: str  #: same form
    returned_names: str  #: same form

    # ---- ready-made sentences (wording adapts to the numbers) ----
    overview_text: str  #: overall figures with percentages
    completed_text: str  #: leads section 二 ("本期新完成任务2项：" / "本期没有新完成的任务。")
    attention_text: str  #: leads section 三
    reporting_text: str  #: leads section 四, 报送情况 in figures
    reporting_points: list[Point]  #: late / returned / missing units, only those that exist
    due_next_text: str  #: leads section 五
    requirements: list[Point]  #: 下一步工作要求, adapted to what happened


def context_dict(ctx: MemoContext) -> dict[str, Any]:
    """The template's namespace: top-level fields; nested items stay objects (``t.name``)."""
    return {f.name: getattr(ctx, f.name) for f in fields(ctx)}


# ---------------------------------------------------------------------------
# building the context

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CN_DIGITS = "零一二三四五六七八九"


def _text(value: object) -> str:
    """Department text made safe for XML: controls gone, line breaks unified and kept."""
    s = "" if value is None else str(value)
    return _CONTROL.sub("", s.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _pct(n: float, total: float) -> str:
    if not total:
        return "0%"
    return _num(100 * n / total) + "%"


def _num(v: float) -> str:
    return f"{round(v, 1):.1f}".rstrip("0").rstrip(".")


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (enough for numbered points)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _points(items: Iterable[tuple[str, str]]) -> list[Point]:
    return [Point(f"（{cn_number(i)}）", title, text) for i, (title, text) in enumerate(items, 1)]


def _names(names: list[str]) -> str:
    return "、".join(names)


def _level1_name(name: str) -> str:
    return re.sub(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*", "", name or "") or "（未分类）"


def _recipients(units: list[UnitStatus]) -> str:
    kinds = {u.kind for u in units}
    if "镇街" in kinds and kinds - {"镇街"}:
        return "各镇街（园区），市直各有关单位："
    if kinds == {"镇街"}:
        return "各镇街（园区）："
    return "市直各有关单位：" if kinds == {"市直部门"} else "各有关单位："


def _task_item(ts: TaskSummary, cons: Consolidation, problems: list[ProblemItem]) -> TaskItem:
    t = ts.task
    leads_text = cons.master.display_units(t.id, LEAD) or "未明确"
    coops_text = cons.master.display_units(t.id, "配合")
    missing = [u for u in ts.leads if ts.lead_states.get(u) == NOT_REPORTED]
    lagging = [u for u, s in ts.lead_states.items() if s == LAGGING]
    progress = f"{_num(ts.avg_progress)}%" if ts.avg_progress is not None else ""
    if ts.status == NOT_REPORTED:
        status_text = "牵头单位均未报送进展"
    else:
        status_text = ts.status + (f"，平均进度{progress}" if progress and ts.status != DONE else "")
    deadline = t.deadline_text or "未明确"
    summary = f"牵头单位：{leads_text}；完成时限：{deadline}；进展情况：{status_text}"
    if ts.overdue:
        summary += "，已超过完成时限"
    if missing and ts.status != NOT_REPORTED:
        summary += f"；尚有{len(missing)}个牵头单位未报送"
        summary += f"（{_names(missing)}）" if len(missing) <= MAX_INLINE_UNITS else "（名单见报送情况）"
    summary += "。"
    return TaskItem(t.id, t.level1, t.level2, t.name, t.content, deadline, ts.status, progress,
                    ts.overdue, leads_text, coops_text, list(ts.leads), lagging, missing, problems,
                    status_text, summary)


def _unit_item(u: UnitStatus) -> UnitItem:
    return UnitItem(u.unit, u.kind, u.tasks, u.state, u.received_at, u.errors, u.warnings)


def _previous_statuses(cons: Consolidation) -> dict[str, tuple[str, Any]] | None:
    earlier = sorted(k for k in cons.history if k < str(cons.period))
    return cons.history[earlier[-1]] if earlier else None


def build_context(cons: Consolidation, issue_date: dt.date | None = None) -> MemoContext:
    """The memo's variables for ``cons``; ``issue_date`` (成文日期) defaults to today."""
    period: Period = cons.period
    nxt = period.shift(1)
    issue_date = issue_date or dt.date.today()
    project = _text(cons.project)
    organiser = _text(cons.organiser)

    problems_of: dict[str, list[ProblemItem]] = {}
    for d in cons.details:  # leads come before cooperating units within each task
        text = _text(d.get("problems"))
        if text:
            problems_of.setdefault(d["task"], []).append(ProblemItem(d["unit"], text))

    def item(ts: TaskSummary) -> TaskItem:
        return _task_item(ts, cons, problems_of.get(ts.task.id, []))

    previous = _previous_statuses(cons)
    completed = [item(t) for t in cons.tasks if t.status == DONE
                 and (previous is None or previous.get(t.task.id, ("",))[0] != DONE)]
    lagging = [item(t) for t in cons.tasks if t.status == LAGGING]
    overdue = [item(t) for t in cons.tasks if t.overdue]
    attention = [item(t) for t in cons.tasks if t.status == LAGGING or t.overdue]
    due_next = [item(t) for t in cons.tasks
                if t.task.deadline and not t.task.ongoing and nxt.start <= t.task.deadline <= nxt.end
                and t.status != DONE]

    counts = cons.task_counts()
    total = len(cons.tasks)
    by_level1 = []
    for i, (name, c) in enumerate(cons.by_level1(), 1):
        n = sum(c.values())
        by_level1.append(Level1Row(i, _level1_name(name), n, c[DONE], c[ON_TRACK], c[LAGGING],
                                   c[NOT_STARTED], c[NOT_REPORTED], _pct(c[DONE], n)))
    level1_total = Level1Row(0, "合计", total, counts[DONE], counts[ON_TRACK], counts[LAGGING],
                             counts[NOT_STARTED], counts[NOT_REPORTED], _pct(counts[DONE], total))

    units = {s: [_unit_item(u) for u in cons.units if u.state == s] for s in (ON_TIME, LATE, MISSING, TO_FIX)}
    unit_total = len(cons.units)
    reported = len(units[ON_TIME]) + len(units[LATE])
    progresses = [t.avg_progress for t in cons.tasks if t.avg_progress is not None]
    avg_progress = f"{_num(sum(progresses) / len(progresses))}%" if progresses else ""
    next_due = nxt.due(cons.due.day) if cons.due else nxt.due()

    title = f"关于{period.label}{project}进展情况的通报"
    signature_pad, date_pad = _signature_pads(organiser, cn_date(issue_date))
    late_names = _names([u.name for u in units[LATE]])
    missing_names = _names([u.name for u in units[MISSING]])
    returned_names = _names([u.name for u in units[TO_FIX]])

    ctx = MemoContext(
        project=project, organiser=organiser, period=str(period), period_label=period.label,
        next_period_label=nxt.label, issue_date_text=cn_date(issue_date),
        due_date_text=cn_date(cons.due) if cons.due else "", next_due_date_text=cn_date(next_due),
        as_of=cons.as_of or "", title=title, title_lines=_title_lines(title),
        recipients=_recipients(cons.units),
        intro=f"根据{project}工作安排，各责任单位按月报送任务进展情况。现将{period.label}进展情况通报如下：",
        signature_pad=signature_pad, date_pad=date_pad,
        task_total=total, task_done=counts[DONE], task_on_track=counts[ON_TRACK],
        task_lagging=counts[LAGGING], task_not_started=counts[NOT_STARTED],
        task_not_reported=counts[NOT_REPORTED], task_overdue=len(overdue),
        task_done_pct=_pct(counts[DONE], total), task_on_track_pct=_pct(counts[ON_TRACK], total),
        task_lagging_pct=_pct(counts[LAGGING], total), task_not_started_pct=_pct(counts[NOT_STARTED], total),
        task_not_reported_pct=_pct(counts[NOT_REPORTED], total), task_overdue_pct=_pct(len(overdue), total),
        avg_progress_text=avg_progress,
        unit_total=unit_total, unit_reported=reported, unit_on_time=len(units[ON_TIME]),
        unit_late=len(units[LATE]), unit_missing=len(units[MISSING]), unit_returned=len(units[TO_FIX]),
        report_rate=_pct(reported, unit_total),
        completed=completed, lagging=lagging, overdue=overdue, attention=attention, due_next=due_next,
        by_level1=by_level1, level1_total=level1_total,
        on_time_units=units[ON_TIME], late_units=units[LATE], missing_units=units[MISSING],
        returned_units=units[TO_FIX], late_names=late_names, missing_names=missing_names,
        returned_names=returned_names,
        overview_text="", completed_text="", attention_text="", reporting_text="", reporting_points=[],
        due_next_text="", requirements=[],
    )
    ctx.overview_text = _overview_text(ctx)
    ctx.completed_text = _completed_text(ctx, previous is not None)
    ctx.attention_text = _attention_text(ctx)
    ctx.reporting_text = _reporting_text(ctx)
    ctx.reporting_points = _reporting_points(ctx)
    ctx.due_next_text = _due_next_text(ctx)
    ctx.requirements = _requirements(ctx)
    return ctx


# ---- layout helpers ----

TITLE_CHARS = 20  # 2号 (22 pt) characters in the 156 mm line
_IDEOGRAPHIC_SPACE = "\u3000"


def _width(text: str) -> float:
    """Width in full-width characters: ASCII (digits, Latin) counts half."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def _title_lines(title: str, limit: float = TITLE_CHARS) -> str:
    """Break a long title between words (after 市/县/区/年/月, before 专项行动/进展情况),
    in as few lines as fit, as evenly as possible: GB/T 9704 wants titles broken with
    the sense intact and the lines symmetric."""
    if _width(title) <= limit:
        return title
    cands = sorted({m.start() for m in re.finditer(
        r"(?<=关于)|(?<=[市县区镇月])|(?<=年)(?!\d)|(?=专项行动|进展情况|工作进展)", title)} - {0, len(title)})
    import itertools

    for n in (2, 3):
        best: tuple[float, list[str]] | None = None
        for cut in itertools.combinations(cands, n - 1):
            bounds = [0, *cut, len(title)]
            lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
            widths = [_width(x) for x in lines]
            if max(widths) <= limit and (best is None or max(widths) - min(widths) < best[0]):
                best = (max(widths) - min(widths), lines)
        if best:
            return "\n".join(best[1])
    return title


def _signature_pads(organiser: str, date_text: str) -> tuple[str, str]:
    """Leading full-width spaces placing 落款 per GB/T 9704 7.3.5.2 (no seal): the organiser
    ends two characters from the right; the date starts two characters right of the
    organiser's first character, or ends two from the right if it is the longer one."""
    if not organiser:
        return "", ""
    org_start = CHARS - 2 - _width(organiser)
    date_start = org_start + 2
    if date_start + _width(date_text) > CHARS - 2:
        date_start = CHARS - 2 - _width(date_text)
        org_start = date_start - 2
    return (_IDEOGRAPHIC_SPACE * max(0, math.floor(org_start)),
            _IDEOGRAPHIC_SPACE * max(0, math.floor(date_start)))


# ---- sentences ----

def _overview_text(c: MemoContext) -> str:
    if not c.task_total:
        return f"{c.project}暂无需要报送进展的任务。"
    parts = [f"已完成{c.task_done}项（占{c.task_done_pct}）" if c.task_done else "尚无已完成的任务"]
    for n, pct, label in ((c.task_on_track, c.task_on_track_pct, "序时推进"),
                          (c.task_lagging, c.task_lagging_pct, "进展滞后"),
                          (c.task_not_started, c.task_not_started_pct, "尚未启动")):
        if n:
            parts.append(f"{label}{n}项（占{pct}）")
    if c.task_not_reported:
        parts.append(f"牵头单位未报送进展的{c.task_not_reported}项（占{c.task_not_reported_pct}）")
    text = f"{c.project}共{c.task_total}项任务。截至{c.period_label}底，" + "，".join(parts) + "。"
    if c.task_overdue:
        text += f"已超过完成时限仍未完成的任务{c.task_overdue}项。"
    else:
        text += "暂无超过完成时限仍未完成的任务。"
    if c.avg_progress_text:
        text += f"已报送任务的平均进度为{c.avg_progress_text}。"
    return text


def _completed_text(c: MemoContext, has_previous: bool) -> str:
    n = len(c.completed)
    if not n:
        return "本期没有新完成的任务。"
    return f"本期新完成任务{n}项：" if has_previous else f"截至本期已完成任务{n}项："


def _attention_text(c: MemoContext) -> str:
    n = len(c.attention)
    if not n:
        return "本期没有进展滞后或超过完成时限的任务。"
    parts = []
    if c.task_lagging:
        parts.append(f"进展滞后{c.task_lagging}项")
    if c.task_overdue:
        parts.append(f"已超过完成时限仍未完成{c.task_overdue}项")
    detail = f"（其中{'，'.join(parts)}）" if len(parts) > 1 else ""
    return f"本期进展滞后或超过完成时限的任务共{n}项{detail}，具体如下："


def _reporting_text(c: MemoContext) -> str:
    if not c.unit_total:
        return "本期没有需要报送的单位。"
    head = f"本期应报送单位{c.unit_total}个"
    if c.unit_on_time == c.unit_total:
        return head + "，均已按时报送。"
    if not c.unit_reported:
        text = head + "，尚无单位报送通过"
    else:
        text = head + f"，已报送{c.unit_reported}个（报送率{c.report_rate}）"
        if c.unit_late and c.unit_on_time:
            text += f"，其中按时报送{c.unit_on_time}个、逾期报送{c.unit_late}个"
        elif c.unit_late:
            text += "，均为逾期报送"
        else:
            text += "，均按时报送"
    rest = []
    if c.unit_returned:
        rest.append(f"{c.unit_returned}个单位报送内容有误已退回修改")
    if c.unit_missing:
        rest.append(f"{c.unit_missing}个单位未报送")
    return text + ("；" + "，".join(rest) if rest else "") + "。"


def _reporting_points(c: MemoContext) -> list[Point]:
    items = []
    if c.late_units:
        items.append((f"逾期报送的单位（{c.unit_late}个）：", c.late_names + "。"))
    if c.returned_units:
        items.append((f"退回修改的单位（{c.unit_returned}个）：",
                      c.returned_names + "。上述单位报送的填报表存在错误，已反馈修改意见，请尽快修改后重新报送。"))
    if c.missing_units:
        items.append((f"未报送的单位（{c.unit_missing}个）：", c.missing_names + "。"))
    return _points(items)


def _due_next_text(c: MemoContext) -> str:
    if not c.due_next:
        return f"{c.next_period_label}没有到期的任务。"
    return f"以下{len(c.due_next)}项任务的完成时限为{c.next_period_label}，请牵头单位倒排工期，确保按时完成："


def _requirements(c: MemoContext) -> list[Point]:
    items = []
    if c.attention:
        items.append(("加快推进滞后任务。",
                      "进展滞后和超过完成时限的任务，牵头单位要认真分析原因，针对存在问题制定整改措施，"
                      "明确完成时间，并在下期进展中说明整改情况；需市级层面协调解决的，请及时提出。"))
    if c.unit_missing or c.unit_returned:
        who = []
        if c.unit_missing:
            who.append(f"未报送的{c.unit_missing}个单位")
        if c.unit_returned:
            who.append(f"退回修改的{c.unit_returned}个单位")
        items.append(("按时报送进展。",
                      f"请{'和'.join(who)}尽快补报；{c.next_period_label}进展请各单位于{c.next_due_date_text}前报送，"
                      "逾期未报送的将在下期通报中列明。"))
    else:
        items.append(("按时报送进展。", f"{c.next_period_label}进展请各单位于{c.next_due_date_text}前报送。"))
    if c.due_next:
        items.append(("确保按期完成。",
                      f"{c.next_period_label}到期的{len(c.due_next)}项任务，牵头单位要倒排工期、压实责任，确保按时保质完成。"))
    items.append(("加强统筹协调。",
                  "各牵头单位要加强与配合单位的沟通协作，如实报送工作进展和存在问题"
                  + (f"，重要情况及时报告{c.organiser}。" if c.organiser else "，重要情况及时报告。")))
    return _points(items)


# ---------------------------------------------------------------------------
# file names and Markdown


def memo_filename(cons: Consolidation) -> str:
    """``关于2022年6月<project>进展情况的通报.docx``."""
    project = re.sub(r'[\\/:*?"<>|\r\n\t]', "_", _text(cons.project))
    return f"关于{cons.period.label}{project}进展情况的通报.docx"


def render_markdown(ctx: MemoContext) -> str:
    """A plain-text summary to paste into an email or a chat group."""

    def block(text: str, indent: str = "   ") -> str:
        return text.replace("\n", "\n" + indent)

    lines = [f"# {ctx.title}", "", ctx.recipients, "", ctx.intro, "", "## 一、总体进展情况", "", ctx.overview_text, ""]
    for r in [*ctx.by_level1, ctx.level1_total]:
        parts = [f"{r.total}项", f"已完成{r.done}项（{r.done_pct}）"]
        parts += [f"{label}{n}项" for n, label in ((r.on_track, "序时推进"), (r.lagging, "滞后"),
                                                    (r.not_started, "未启动"), (r.not_reported, "未报送")) if n]
        lines.append(f"- {r.name}：" + "，".join(parts))
    lines += ["", "## 二、本期完成的任务", "", ctx.completed_text]
    lines += [f"{i}. {t.name}（任务{t.id}，牵头单位：{t.leads_text}）" for i, t in enumerate(ctx.completed, 1)]
    lines += ["", "## 三、滞后及超期任务", "", ctx.attention_text]
    for i, t in enumerate(ctx.attention, 1):
        lines.append(f"{i}. {t.name}（任务{t.id}）。{t.summary}")
        lines += [f"   - {p.unit}反映：{block(p.text, '     ')}" for p in t.problems]
    lines += ["", "## 四、报送情况", "", ctx.reporting_text]
    lines += [f"{p.number}{p.title}{p.text}" for p in ctx.reporting_points]
    lines += ["", "## 五、下月到期任务", "", ctx.due_next_text]
    lines += [f"{i}. {t.name}（任务{t.id}，牵头单位：{t.leads_text}，{t.status_text}）"
              for i, t in enumerate(ctx.due_next, 1)]
    lines += ["", "## 六、下一步工作要求", ""]
    lines += [f"{p.number}{p.title}{p.text}" for p in ctx.requirements]
    lines += ["", ctx.organiser, ctx.issue_date_text, ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# checking a template

_ANY = object()  # type of an expression the checker cannot follow: anything goes
_JINJA_NAMES = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller",
                "true", "false", "none", "True", "False", "None"}
_BLOCK_TAGS = ("for", "if", "macro", "call", "filter", "with", "block", "raw", "autoescape", "trans")


@dataclass
class _Paragraph:
    part: str  # 正文 / 页眉 / 页脚
    number: int  # 1-based within its part
    text: str


def _template_paragraphs(path: Path) -> list[list[_Paragraph]]:
    """Paragraph texts of the body, headers and footers, as the coordinator sees them."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    if not path.exists():
        raise errors.FileMissing(f"找不到通报模板“{path}”。")
    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a non-docx file
        raise errors.BadTemplate(f"通报模板“{path.name}”无法打开（{type(exc).__name__}），"
                                 "请确认它是用 Word 保存的 .docx 文件。") from exc

    def texts(root, part: str) -> list[_Paragraph]:
        out = []
        for i, p in enumerate(root.iter(qn("w:p")), 1):
            s = "".join(t.text or "" for t in p.iter(qn("w:t")))
            out.append(_Paragraph(part, i, s))
        return out

    parts = [texts(doc.element.body, "正文")]
    for rel in doc.part.rels.values():
        if rel.is_external:
            continue
        label = {RT.HEADER: "页眉", RT.FOOTER: "页脚"}.get(rel.reltype)
        if label:
            parts.append(texts(parse_xml(rel.target_part.blob), label))
    return parts


def _jinja_source(paragraphs: list[_Paragraph]) -> str:
    """One line per paragraph, docxtpl's tag extensions turned into plain jinja, so a
    syntax error's line number is the paragraph's number."""
    lines = []
    for p in paragraphs:
        s = p.text.replace("\n", " ")
        s = re.sub(r"(\{[%{#])(?:tr|tc|p|r)\s", r"\1 ", s)
        s = re.sub(r"\{%\s*(?:vm|hm)\s*%\}", "", s)
        s = re.sub(r"\{%\s*(?:colspan|cellbg)\s+(.*?)%\}", r"{{ \1 }}", s)

        def straight(m: re.Match) -> str:
            return m.group(0).replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")

        s = re.sub(r"\{[{%#].*?[}%#]\}", straight, s)
        lines.append(s)
    return "\n".join(lines)


def _where(path: Path, p: _Paragraph) -> str:
    snippet = p.text.strip()
    if len(snippet) > 40:
        snippet = snippet[:40] + "…"
    place = "" if p.part == "正文" else p.part
    return f"通报模板“{path.name}”{place}第 {p.number} 段（内容：“{snippet}”）"


def _unbalanced(paragraphs: list[_Paragraph]) -> tuple[_Paragraph, str] | None:
    """A paragraph whose tag is opened and not closed in it (``{{ x`` or ``{% if x``)."""
    for p in paragraphs:
        for opener, closer, shown in (("{{", "}}", "{{ … }}"), ("{%", "%}", "{% … %}")):
            if p.text.count(opener) > p.text.count(closer):
                return p, f"标签没有闭合：有“{opener}”却缺少对应的“{closer}”（应写成 {shown}）"
    return None


def _unclosed_block(env, source: str) -> tuple[int, str] | None:
    """(line, tag) of the innermost block tag never closed, e.g. ``{% if %}`` without endif."""
    stack: list[tuple[int, str]] = []
    tokens = list(env.lex(source))
    for i, (lineno, kind, _value) in enumerate(tokens):
        if kind != "block_begin":
            continue
        nxt = next(((ln, k, v) for ln, k, v in tokens[i + 1:] if k != "whitespace"), None)
        if nxt is None or nxt[1] != "name":
            continue
        word = nxt[2]
        if word in _BLOCK_TAGS:
            stack.append((lineno, word))
        elif word.startswith("end") and stack and stack[-1][1] == word[3:]:
            stack.pop()
    return stack[-1] if stack else None


def _syntax_message(env, exc, source: str) -> tuple[int | None, str]:
    """(line, Chinese description) for a jinja TemplateSyntaxError."""
    msg = str(exc.message or exc)
    if "Unexpected end of template" in msg or "unexpected end of template" in msg:
        opened = _unclosed_block(env, source)
        if opened:
            line, tag = opened
            return line, f"标签 {{% {tag} … %}} 没有对应的结束标签 {{% end{tag} %}}"
        return exc.lineno, "模板意外结束，有标签没有结束"
    m = re.search(r"Encountered unknown tag '(\w+)'", msg)
    if m:
        word = m.group(1)
        if word.startswith("end") or word in ("else", "elif"):
            return exc.lineno, f"标签 {{% {word} %}} 前面没有与之对应的开始标签"
        return exc.lineno, f"无法识别的标签“{word}”"
    m = re.search(r"No (filter|test) named '(\w+)'", msg)
    if m:
        return exc.lineno, f"不存在名为“{m.group(2)}”的{'过滤器' if m.group(1) == 'filter' else '判断'}"
    return exc.lineno, f"标签写法有误（{msg}）"


def _scan_template(path: Path) -> list[tuple[str, str]]:
    """[(variable, where)] used by the template and missing from MemoContext.
    Raises BadTemplate for a syntax error, naming the paragraph."""
    from jinja2 import Environment, StrictUndefined, TemplateSyntaxError

    env = Environment(undefined=StrictUndefined, autoescape=True)
    missing: list[tuple[str, str]] = []
    for paragraphs in _template_paragraphs(path):
        if not paragraphs:
            continue
        bad = _unbalanced(paragraphs)
        if bad:
            raise errors.BadTemplate(f"{_where(path, bad[0])}有误：{bad[1]}。请在 Word 中改正后重试。")
        source = _jinja_source(paragraphs)
        try:
            ast = env.parse(source)
            env.compile(source)  # also finds unknown filters and tests
        except TemplateSyntaxError as exc:
            line, desc = _syntax_message(env, exc, source)
            if line and 1 <= line <= len(paragraphs):
                raise errors.BadTemplate(f"{_where(path, paragraphs[line - 1])}有误：{desc}。请在 Word 中改正后重试。")
            raise errors.BadTemplate(f"通报模板“{path.name}”有误：{desc}。请在 Word 中改正后重试。")
        checker = _Checker(_root_types())
        checker.block(ast.body, {})
        for name, line in checker.missing:
            p = paragraphs[line - 1] if line and 1 <= line <= len(paragraphs) else None
            missing.append((name, _where(path, p) if p else f"通报模板“{path.name}”"))
    return missing


def check_template(path: Path) -> list[str]:
    """Names of variables the template uses that MemoContext lacks ([] when fine), such as
    ``"task_count"`` or ``"t.nmae"``. A syntax error raises BadTemplate naming the paragraph;
    so does a template that would fill into broken XML (checked with sample values)."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined, TemplateError

    path = Path(path)
    seen: list[str] = []
    for name, _ in _scan_template(path):
        if name not in seen:
            seen.append(name)
    if not seen:
        # A runtime error with sample values (e.g. a filter on a number) is not the
        # template's fault; the names are fine, so only broken XML is reported.
        with contextlib.suppress(TemplateError):
            _check_body_xml(DocxTemplate(str(path)), context_dict(_sample_context()),
                            Environment(undefined=StrictUndefined, autoescape=True), path)
    return seen


def _sample_context() -> MemoContext:
    """A MemoContext with one item in every list, for trying a template out."""
    samples: dict[Any, Any] = {str: "示例", int: 1, bool: True}

    def value(tp: Any) -> Any:
        if typing.get_origin(tp) is list:
            return [value(typing.get_args(tp)[0])]
        if isinstance(tp, type) and is_dataclass(tp):
            return tp(**{k: value(v) for k, v in typing.get_type_hints(tp).items()})
        return samples.get(tp, "示例")

    return value(MemoContext)


def _root_types() -> dict[str, Any]:
    return typing.get_type_hints(MemoContext)


def _element_type(tp: Any) -> Any:
    if typing.get_origin(tp) is list:
        args = typing.get_args(tp)
        return args[0] if args else _ANY
    return _ANY


class _Checker:
    """Walks a jinja AST, following loop variables through MemoContext's field types, and
    records names and attributes that do not exist (``t.nmae`` inside ``for t in attention``)."""

    def __init__(self, roots: dict[str, Any]):
        self.roots = roots
        self.missing: list[tuple[str, int]] = []

    def block(self, body: list, scope: dict[str, Any]) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node, scope: dict[str, Any]) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.For):
            inner = dict(scope)
            self.bind(node.target, _element_type(self.expr(node.iter, scope)), inner)
            inner["loop"] = _ANY
            if node.test is not None:
                self.expr(node.test, inner)
            self.block(node.body, inner)
            self.block(node.else_, dict(scope))
        elif isinstance(node, nodes.Assign):
            tp = self.expr(node.node, scope)
            self.bind(node.target, tp, scope)
        elif isinstance(node, nodes.AssignBlock):
            self.block(node.body, dict(scope))
            self.bind(node.target, _ANY, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self.bind(target, self.expr(value, scope), inner)
            self.block(node.body, inner)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = _ANY
            for d in node.defaults:
                self.expr(d, scope)
            inner["caller"] = _ANY
            if isinstance(node, nodes.Macro):
                scope[node.name] = _ANY
            else:
                self.expr(node.call, scope)
            self.block(node.body, inner)
        elif isinstance(node, nodes.Expr):
            self.expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def bind(self, target, tp: Any, scope: dict[str, Any]) -> None:
        from jinja2 import nodes

        if isinstance(target, nodes.Name):
            scope[target.name] = tp
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, _ANY, scope)

    def report(self, name: str, node) -> None:
        self.missing.append((name, node.lineno))

    def expr(self, node, scope: dict[str, Any]) -> Any:
        """Visit an expression; return its type (a MemoContext field type) or _ANY."""
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            if node.ctx != "load":
                return _ANY
            if node.name in scope:
                return scope[node.name]
            if node.name in self.roots:
                return self.roots[node.name]
            if node.name not in _JINJA_NAMES:
                self.report(node.name, node)
            return _ANY
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self.expr(node.node, scope)
            if isinstance(node, nodes.Getattr):
                attr = node.attr
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                attr = node.arg.value
            else:
                self.expr(node.arg, scope)
                return base if isinstance(node.arg, nodes.Slice) else _element_type(base)
            if isinstance(base, type) and is_dataclass(base):
                hints = typing.get_type_hints(base)
                if attr in hints:
                    return hints[attr]
                self.report(f"{_dotted(node.node)}.{attr}", node)
            return _ANY
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            else:
                self.visit(child, scope)
        return _ANY


def _dotted(node) -> str:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        value = node.arg.value
        return f"{_dotted(node.node)}.{value}" if isinstance(value, str) else f"{_dotted(node.node)}[{value}]"
    return "…"


# ---------------------------------------------------------------------------
# rendering


def render_docx(ctx: MemoContext, template: Path, out: Path) -> Path:
    """Fill ``template`` with ``ctx`` and save to ``out`` (autoescape, StrictUndefined)."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined, TemplateError, UndefinedError

    template = Path(template)
    missing = _scan_template(template)
    if missing:
        names = "、".join(dict.fromkeys(name for name, _ in missing))
        raise errors.BadTemplate(f"{missing[0][1]}用到了不存在的变量：{names}。可用的变量见 模板/README.md。")
    tpl = DocxTemplate(str(template))
    env = Environment(undefined=StrictUndefined, autoescape=True)
    context = context_dict(ctx)
    try:
        _check_body_xml(tpl, context, env, template)
        tpl.render(context, env, autoescape=True)
    except UndefinedError as exc:
        raise errors.BadTemplate(f"通报模板“{template.name}”用到了不存在的变量（{exc.message}）。"
                                 "可用的变量见 模板/README.md。") from exc
    except TemplateError as exc:
        raise errors.BadTemplate(f"通报模板“{template.name}”无法填写：{exc}。请用 duban memo --check-template "
                                 "检查模板。") from exc
    props = tpl.docx.core_properties
    props.title, props.author, props.subject = ctx.title, ctx.organiser, ctx.project
    tpl.save(str(out))
    return Path(out)


def _check_body_xml(tpl, context: dict[str, Any], env, template: Path) -> None:
    """docxtpl parses the filled body with a recovering parser, which silently drops
    everything after broken XML (a plain {% %} tag spanning paragraphs does that). Parse it
    strictly first, so a broken template is reported instead of half a memo."""
    from lxml import etree

    tpl.render_init()
    xml = tpl.build_xml(context, env)
    try:
        etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise errors.BadTemplate(
            f"通报模板“{template.name}”填写后的文档结构损坏。通常是因为跨段落或表格行的标签"
            "没有写成 {%p … %} 或 {%tr … %}，请参照 模板/README.md 修改。") from exc


@dataclass
class MemoResult:
    """What `write_memo` wrote."""

    path: Path  # the .docx (or .md)
    pdf: Path | None  # the PDF, when asked for and LibreOffice made it
    pdf_error: str  # why no PDF was made, in Chinese; "" otherwise
    context: MemoContext = field(repr=False)


def write_memo(ws: Workspace, period: str | Period | None = None, template: Path | None = None,
               pdf: bool = False, fmt: str = "docx", issue_date: dt.date | None = None) -> MemoResult:
    """Write 通报/<期>/关于<期><专项行动>进展情况的通报.docx (or .md), optionally a PDF beside it."""
    from . import office
    from .consolidate import consolidate
    from .xlsx import atomic_write

    if fmt not in ("docx", "md"):
        raise errors.UsageError(f"不支持的通报格式“{fmt}”，请用 docx 或 md。")
    if not ws.ledger_path.exists():
        raise errors.NothingToDo("还没有收取过任何报送，无法生成通报。请先把报送文件放进收件箱，运行 duban collect。")
    cons = consolidate(ws, period)
    ctx = build_context(cons, issue_date)
    folder = ws.stage_dir(MEMO_STAGE, cons.period)
    name = memo_filename(cons)
    if fmt == "md":
        text = render_markdown(ctx)
        path = atomic_write(folder / (Path(name).stem + ".md"),
                            lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return MemoResult(path, None, "", ctx)

    template = Path(template) if template else ws.template(TEMPLATE_NAME)
    if not template.exists():
        raise errors.FileMissing(f"找不到通报模板“{template}”。")
    path = atomic_write(folder / name, lambda tmp: render_docx(ctx, template, tmp))
    pdf_path, pdf_error = None, ""
    if pdf:
        if office.soffice() is None:
            pdf_error = "未安装 LibreOffice，无法转换 PDF（Word 通报已生成，可在 Word 或 WPS 中“另存为 PDF”）。"
        else:
            import tempfile

            try:
                with tempfile.TemporaryDirectory(prefix="duban-memo-") as tmp:
                    pdf_path = office.convert(_for_libreoffice(path, Path(tmp) / path.name), "pdf", folder)
            except errors.DubanError as exc:
                pdf_error = exc.message
    return MemoResult(path, pdf_path, pdf_error, ctx)


def _for_libreoffice(src: Path, dst: Path) -> Path:
    """A copy of the memo that LibreOffice lays out like Word: 28 characters a line.

    Word fits 28 3号 characters in the 156 mm line by shrinking the grid pitch (negative
    charSpace). LibreOffice never shrinks: a 16 pt character in a 15.8 pt grid cell takes
    two cells, halving the line. The copy keeps the line grid only and condenses every
    character by the same 0.25 pt through the document default, which LibreOffice honours.
    """
    import zipfile

    from lxml import etree

    w = f"{{{W_NS}}}"
    after_spacing = {w + n for n in ("w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
                                     "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout")}

    def patch_document(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        for grid in root.iter(w + "docGrid"):
            if grid.get(w + "type") in ("linesAndChars", "snapToChars"):
                grid.set(w + "type", "lines")
                grid.attrib.pop(w + "charSpace", None)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def patch_styles(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        rpr = root.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr")
        if rpr is not None and rpr.find(w + "spacing") is None:
            spacing = etree.Element(w + "spacing", {w + "val": str(LO_CONDENSE)})
            later = next((i for i, child in enumerate(rpr) if child.tag in after_spacing), len(rpr))
            rpr.insert(later, spacing)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = patch_document(data)
            elif info.filename == "word/styles.xml":
                data = patch_styles(data)
            zout.writestr(info, data)
    return dst


# ---------------------------------------------------------------------------
# the default template (GB/T 9704-2012)

# Page and type area in twentieths of a point (twips).
PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1588, 1474  # 37/35/28/26 mm
LINES, CHARS = 22, 28
BODY_PT = 16  # 3号
LINE_PITCH = (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) // LINES  # 579: 22 lines fill the type area
# Grid pitch = body size + charSpace/4096 pt; 28 characters must fit the type width exactly,
# which a 16 pt character alone does not (28 x 16 pt > 156 mm: the line would hold 27).
CHAR_SPACE = math.floor(((PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) / 20 / CHARS - BODY_PT) * 4096)  # -849
# LibreOffice's copy: characters condensed by 0.25 pt (5 twips) so 28 fit in the line.
LO_CONDENSE = -5
FOOTER_DISTANCE = 1247  # 22 mm: puts the "—" line about 7 mm below the type area
HEADER_DISTANCE = 851  # 15 mm

FANGSONG, HEITI, KAITI, XBS, SONGTI = "仿宋_GB2312", "黑体", "楷体", "方正小标宋简体", "宋体"
# fontTable entries: Word falls back to altName when the named font is missing (Windows
# ships 仿宋 and 楷体 but not the _GB2312 ones, and no 方正小标宋简体).
_FONT_TABLE = {FANGSONG: ("仿宋", "modern", "fixed"), HEITI: ("SimHei", "modern", "fixed"),
               KAITI: ("楷体_GB2312", "modern", "fixed"), XBS: ("宋体", "script", "fixed"),
               SONGTI: ("SimSun", "auto", "variable")}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _rpr(font: str, size_pt: float, bold: bool = False) -> str:
    half = int(size_pt * 2)
    return (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" '
            f'w:hint="eastAsia"/>{"<w:b/><w:bCs/>" if bold else ""}<w:kern w:val="0"/>'
            f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>')


def _ppr(*, jc: str = "both", first_line_chars: int = 0, size_pt: float = BODY_PT, exact: bool = True,
         keep_next: bool = False, outline: int | None = None, snap: bool = True, right_chars: int = 0,
         left_chars: int = 0) -> str:
    """Paragraph properties in schema order (Word rejects misordered children)."""
    out = "<w:pPr>"
    if keep_next:
        out += "<w:keepNext/>"
    out += '<w:widowControl w:val="0"/>'
    if not snap:
        out += '<w:snapToGrid w:val="0"/>'
    # Exact 28.95 pt lines give 22 lines a page whatever the font's own line gap.
    out += (f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>' if exact
            else '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    twips_per_char = int(size_pt * 20)
    ind = []
    if left_chars:
        ind.append(f'w:leftChars="{left_chars * 100}" w:left="{left_chars * twips_per_char}"')
    if right_chars:
        ind.append(f'w:rightChars="{right_chars * 100}" w:right="{right_chars * twips_per_char}"')
    ind.append(f'w:firstLineChars="{first_line_chars * 100}" w:firstLine="{first_line_chars * twips_per_char}"')
    out += f"<w:ind {' '.join(ind)}/>"
    out += f'<w:jc w:val="{jc}"/>'
    if outline is not None:
        out += f'<w:outlineLvl w:val="{outline}"/>'
    return out + "</w:pPr>"


# (styleId, name shown in Word, type, pPr, rPr)
_STYLES = [
    # The title does not snap to the grid, or a 22 pt line would take two grid lines.
    ("MemoTitle", "通报标题", "paragraph", dict(jc="center", keep_next=True, snap=False), (XBS, 22)),
    ("MemoRecipients", "主送机关", "paragraph", dict(jc="both"), (FANGSONG, BODY_PT)),
    ("MemoBody", "通报正文", "paragraph", dict(first_line_chars=2), (FANGSONG, BODY_PT)),
    ("MemoHeading1", "一级标题（黑体）", "paragraph", dict(first_line_chars=2, keep_next=True, outline=0),
     (HEITI, BODY_PT)),
    ("MemoHeading2", "二级标题（楷体）", "paragraph", dict(first_line_chars=2, keep_next=True, outline=1),
     (KAITI, BODY_PT)),
    ("MemoItem", "三级标题（仿宋加粗）", "paragraph", dict(first_line_chars=2, keep_next=True),
     (FANGSONG, BODY_PT, True)),
    # Ends the text: kept on the page of 落款 (a 落款 alone on a page is not allowed).
    ("MemoBodyKeep", "通报正文（与落款同页）", "paragraph", dict(first_line_chars=2, keep_next=True),
     (FANGSONG, BODY_PT)),
    # Placed by leading full-width spaces (signature_pad / date_pad), which fill grid cells exactly.
    ("MemoSignature", "落款", "paragraph", dict(jc="left", keep_next=True), (FANGSONG, BODY_PT)),
    ("MemoCaption", "表题", "paragraph", dict(jc="center", keep_next=True, snap=False, size_pt=14),
     (HEITI, 14)),
    ("MemoTableHead", "表头", "paragraph", dict(jc="center", exact=False, snap=False, size_pt=12), (HEITI, 12)),
    ("MemoTableText", "表格文字", "paragraph", dict(jc="center", exact=False, snap=False, size_pt=12),
     (FANGSONG, 12)),
    ("MemoTableTextLeft", "表格文字（左对齐）", "paragraph", dict(jc="left", exact=False, snap=False, size_pt=12),
     (FANGSONG, 12)),
    ("MemoFooter", "页码", "paragraph", dict(jc="right", exact=False, snap=False, size_pt=14), (SONGTI, 14)),
    ("MemoHeading2Char", "二级标题字符（楷体）", "character", None, (KAITI, BODY_PT)),
]


def _install_styles(doc) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    styles = doc.styles.element
    # Document defaults: East Asian fonts named explicitly (no theme fonts, which Word
    # would resolve to a Latin or Japanese face), Chinese language, no paragraph spacing.
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    styles.insert(0, parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault>{_rpr(FANGSONG, BODY_PT)}</w:rPrDefault>"
        f"<w:pPrDefault><w:pPr><w:spacing w:after='0' w:line='240' w:lineRule='auto'/></w:pPr></w:pPrDefault>"
        "</w:docDefaults>"))
    normal = doc.styles["Normal"].element
    for child in list(normal):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            normal.remove(child)
    normal.append(parse_xml(_ppr().replace("<w:pPr>", f"<w:pPr {nsdecls('w')}>", 1)))
    normal.append(parse_xml(_rpr(FANGSONG, BODY_PT).replace("<w:rPr>", f"<w:rPr {nsdecls('w')}>", 1)))
    for sid, name, kind, ppr, rpr in _STYLES:
        font, size, *bold = rpr
        xml = (f'<w:style {nsdecls("w")} w:type="{kind}" w:customStyle="1" w:styleId="{sid}">'
               f'<w:name w:val="{name}"/>')
        if kind == "paragraph":
            xml += f'<w:basedOn w:val="Normal"/><w:next w:val="{"MemoBody" if sid != "MemoFooter" else sid}"/>'
            xml += "<w:qFormat/>" + _ppr(**ppr)
        else:
            xml += '<w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>'
        xml += _rpr(font, size, bool(bold and bold[0])) + "</w:style>"
        styles.append(parse_xml(xml))


def _install_settings(doc) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    settings = doc.settings
    settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders: outside-edge page numbers
    el = settings.element
    compat = el.find(qn("w:compat"))
    if compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is None:
        # A department's line break (w:br) must not stretch its line across a justified page.
        compat.insert(0, parse_xml(f"<w:doNotExpandShiftReturn {nsdecls('w')}/>"))
    lang = el.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _install_font_table(doc) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype != RT.FONT_TABLE:
            continue
        part = rel.target_part
        root = etree.fromstring(part.blob)
        have = {f.get(f"{{{W_NS}}}name") for f in root}
        for name, (alt, family, pitch) in _FONT_TABLE.items():
            if name in have:
                continue
            f = etree.SubElement(root, f"{{{W_NS}}}font", {f"{{{W_NS}}}name": name})
            etree.SubElement(f, f"{{{W_NS}}}altName", {f"{{{W_NS}}}val": alt})
            etree.SubElement(f, f"{{{W_NS}}}charset", {f"{{{W_NS}}}val": "86"})  # GB2312
            etree.SubElement(f, f"{{{W_NS}}}family", {f"{{{W_NS}}}val": family})
            etree.SubElement(f, f"{{{W_NS}}}pitch", {f"{{{W_NS}}}val": pitch})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_paragraph(paragraph, odd: bool) -> None:
    """"— 1 —" in 4号 宋体: odd pages right with one character's space, even pages left."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p = paragraph._p
    for child in list(p):
        p.remove(child)
    ppr = _ppr(jc="right" if odd else "left", exact=False, snap=False, size_pt=14,
               right_chars=1 if odd else 0, left_chars=0 if odd else 1)
    ppr = ppr.replace("<w:pPr>", '<w:pPr><w:pStyle w:val="MemoFooter"/>', 1)
    rpr = _rpr(SONGTI, 14)

    def run(inner: str) -> str:
        return f"<w:r>{rpr}{inner}</w:r>"

    xml = (f"<w:p {nsdecls('w')}>{ppr}"
           + run('<w:t xml:space="preserve">— </w:t>')
           + run('<w:fldChar w:fldCharType="begin"/>')
           + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
           + run('<w:fldChar w:fldCharType="separate"/>')
           + run("<w:t>1</w:t>")
           + run('<w:fldChar w:fldCharType="end"/>')
           + run('<w:t xml:space="preserve"> —</w:t>')
           + "</w:p>")
    for child in parse_xml(xml):
        p.append(child)


def _set_cell(cell, text: str, style: str, width: int) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.shared import Twips

    cell.width = Twips(width)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.style = style
    if text:
        p.add_run(text)


def _add_level1_table(doc) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    headers = ["一级任务", "任务数", "已完成", "序时\n推进", "滞后", "未启动", "未报送", "完成率"]
    fields_ = ["name", "total", "done", "on_track", "lagging", "not_started", "not_reported", "done_pct"]
    type_width = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
    widths = [0] + [835] * 7  # three 12 pt characters and 1 mm padding each side
    widths[0] = type_width - sum(widths[1:])
    table = doc.add_table(rows=5, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(w))
    rows = table.rows
    for i, (h, w) in enumerate(zip(headers, widths)):
        _set_cell(rows[0].cells[i], h, "表头", w)
        _set_cell(rows[1].cells[i], "{%tr for r in by_level1 %}" if i == 0 else "", "表格文字", w)
        _set_cell(rows[2].cells[i], "{{ r." + fields_[i] + " }}", "表格文字（左对齐）" if i == 0 else "表格文字", w)
        _set_cell(rows[3].cells[i], "{%tr endfor %}" if i == 0 else "", "表格文字", w)
        _set_cell(rows[4].cells[i], "{{ level1_total." + fields_[i] + " }}", "表头" if i == 0 else "表格文字", w)
    # Rows do not split across pages and are at least 8 mm high; the header row repeats on
    # every page. Children in schema order: cantSplit, trHeight, tblHeader.
    for i, row in enumerate(rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        tr_pr.append(parse_xml(f'<w:trHeight {nsdecls("w")} w:val="454" w:hRule="atLeast"/>'))
        if i == 0:
            tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    margins = parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:left w:w="57" w:type="dxa"/>'
                        '<w:right w:w="57" w:type="dxa"/></w:tblCellMar>')
    if layout is not None:
        layout.addnext(margins)
    else:
        tbl_pr.append(margins)
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:w"), str(type_width))
        tbl_w.set(qn("w:type"), "dxa")


def write_default_template(path: Path) -> Path:
    """Build the shipped 月度通报.docx (GB/T 9704-2012 layout) at ``path``."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Twips

    doc = Document()
    # Word 2010 prefers stylesWithEffects.xml to styles.xml: drop python-docx's stale copy.
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.rels.pop(rid)
    # and its thumbnail, which Windows Explorer would show as this file's preview.
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            doc.part.package.rels.pop(rid)
    _install_styles(doc)
    _install_settings(doc)
    _install_font_table(doc)

    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(HEADER_DISTANCE), Twips(FOOTER_DISTANCE)
    section.gutter = Twips(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        from docx.oxml import OxmlElement

        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    _page_number_paragraph(section.footer.paragraphs[0], odd=True)
    _page_number_paragraph(section.even_page_footer.paragraphs[0], odd=False)

    def para(text: str = "", style: str = "通报正文"):
        return doc.add_paragraph(text, style=style)

    def loop(open_tag: str, *lines: tuple[str, str], close: str = "{%p endfor %}") -> None:
        para(open_tag)
        for text, style in lines:
            para(text, style)
        para(close)

    def run_in(number_title: str, text: str, style: str = "通报正文") -> None:
        p = para("", style)
        p.add_run(number_title, style="二级标题字符（楷体）")
        p.add_run(text)

    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None:  # python-docx's blank document starts empty; keep it that way
        body._p.getparent().remove(body._p)

    para("{{ title_lines }}", "通报标题")
    para("", "通报标题")
    para("{{ recipients }}", "主送机关")
    para("{{ intro }}")

    para("一、总体进展情况", "一级标题（黑体）")
    para("{{ overview_text }}")
    para("{{ period_label }}各项一级任务进展情况", "表题")
    _add_level1_table(doc)

    para("二、本期完成的任务", "一级标题（黑体）")
    para("{{ completed_text }}")
    loop("{%p for t in completed %}",
         ("{{ loop.index }}．{{ t.name }}（任务{{ t.id }}，牵头单位：{{ t.leads_text }}）。", "通报正文"))

    para("三、滞后及超期任务", "一级标题（黑体）")
    para("{{ attention_text }}")
    para("{%p for t in attention %}")
    para("{{ loop.index }}．{{ t.name }}（任务{{ t.id }}）", "三级标题（仿宋加粗）")
    para("{{ t.summary }}")
    loop("{%p for p in t.problems %}", ("{{ p.unit }}反映：{{ p.text }}", "通报正文"))
    para("{%p endfor %}")

    para("四、报送情况", "一级标题（黑体）")
    para("{{ reporting_text }}")
    para("{%p for p in reporting_points %}")
    run_in("{{ p.number }}{{ p.title }}", "{{ p.text }}")
    para("{%p endfor %}")

    para("五、下月到期任务", "一级标题（黑体）")
    para("{{ due_next_text }}")
    loop("{%p for t in due_next %}",
         ("{{ loop.index }}．{{ t.name }}（任务{{ t.id }}，牵头单位：{{ t.leads_text }}，{{ t.status_text }}）。",
          "通报正文"))

    para("六、下一步工作要求", "一级标题（黑体）")
    para("{%p for p in requirements[:-1] %}")
    run_in("{{ p.number }}{{ p.title }}", "{{ p.text }}")
    para("{%p endfor %}")
    # The last point is kept on the page of 落款.
    para("{%p for p in requirements[-1:] %}")
    run_in("{{ p.number }}{{ p.title }}", "{{ p.text }}", "通报正文（与落款同页）")
    para("{%p endfor %}")

    para("", "通报正文（与落款同页）")
    para("{{ signature_pad }}{{ organiser }}", "落款")
    para("{{ date_pad }}{{ issue_date_text }}", "落款")

    props = doc.core_properties
    props.title, props.author, props.last_modified_by = "月度通报模板", "duban", "duban"
    props.created = props.modified = dt.datetime(2022, 1, 1)
    props.revision = 1
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
