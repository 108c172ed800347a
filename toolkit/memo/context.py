"""The memo's context: every variable a 通报 template can use, and the sentences built from them.

`build_context` turns a `Consolidation` into `MemoContext`: plain data (dataclasses, lists,
str, int) a template reads as ``{{ task_done }}`` or ``{% for t in attention %}``. Every
sentence whose wording depends on the numbers is made with it (`sentences`), so a template
never needs logic to avoid "0个单位未报送：。"; the coordinator edits wording and layout in Word.
`render_markdown` gives the same content as text for a mail or a chat group.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any

from ..consolidate import Consolidation, TaskSummary, UnitStatus
from ..dates import cn_date
from ..month_due import stated_due
from ..period import Period
from ..places import plan_level
from ..rectification import MEMO_HEADINGS, PLAN, Words, arrangement, memo_project, words_of
from ..reopened import previous_statuses
from ..text import first_of, task_title, unended
from ..typed_values import says_no_problem
from ..units import (
    SECTION,
    government_kind,
    say_sections,
    town_kind,
)
from ..vocab import Outcome, Owed, Role, Status, UnitState
from . import joint, sentences
from .addressees import is_zone, recipients
from .gbt9704 import cell_lines, signature_pads, title_lines
from .naming import memo_title, xml_text
from .sentences import Appendix, Point, names_text, num, pct

DONE, ON_TRACK, LAGGING, NOT_STARTED, NOT_REPORTED = (
    Status.DONE, Status.ON_TRACK, Status.LAGGING, Status.NOT_STARTED, Status.NOT_REPORTED)
ON_TIME, LATE, MISSING, TO_FIX = UnitState.ON_TIME, UnitState.LATE, UnitState.NOT_REPORTED, UnitState.TO_FIX
LEAD = Role.LEAD

# A task's lead units are named inline up to this many; beyond, the memo points to 报送情况.
MAX_INLINE_UNITS = 5


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
    name: str  #: 工作任务, e.g. "全流程动态管理事项"; where the table has none, the first clause of 具体工作内容
    content: str  #: 具体工作内容 (long text)
    deadline_text: str  #: 完成时限 as published, e.g. "2022年6月", "长期开展"; "未明确" if blank
    status: str  #: 综合状态: 已完成 / 序时推进 / 滞后 / 未启动 / 未报送, or 本期未下发 (no lead asked)
    progress_text: str  #: progress of the lead units (their average when several gave one), e.g. "60%"; "" when none
    overdue: bool  #: past its deadline and not 已完成
    leads_text: str  #: lead units, groups kept compact, e.g. "市政务服务数据管理局、各镇街（园区）"
    coops_text: str  #: cooperating units, same form; "" when none
    leads: list[str]  #: every lead unit by name
    lagging_units: list[str]  #: lead units that reported 滞后
    #: cooperating units that reported 滞后 for their part; the task's status stays its leads'
    lagging_coops: list[str]
    missing_units: list[str]  #: lead units that sent nothing this period (not those sent back: 退回待改)
    #: stated problems, lead units first; one text several units wrote is one item naming them all
    #: ("河北省、河南省"), and a task prints a few at most (`joint.reasons`): see ``problems_note``
    problems: list[ProblemItem]
    #: e.g. "滞后，平均进度40%" (of several leads; "滞后，进度40%" of one) or "牵头单位均未报送进展"; what
    #: the leads reported when only the passed 完成时限 makes it 滞后: "牵头单位报告序时推进，进度70%"
    #: (`joint.past_deadline`)
    status_text: str
    summary: str  #: one sentence: leads, deadline, status, overdue, missing leads
    #: after ``problems`` when some were left out: "另有8个单位反映的问题见汇总表“单位明细”。"; "" when none
    problems_note: str = ""


@dataclass
class UnitItem:
    """One unit in 报送情况."""

    name: str  #: e.g. "市民政局"
    kind: str  #: 市直部门 / 镇街
    tasks: int  #: number of tasks it reports on
    state: str  #: 按时报送 / 逾期报送 / 未报送 / 退回待改 / 本期免报
    received_at: str  #: when its return arrived, "2022-07-08 09:30"; "" if none
    errors: int  #: errors found in its (last) return
    warnings: int  #: warnings found in its (last) return


@dataclass
class UnitDue:
    """A unit judged by its own deadline, not ``due_date_text``: its form was issued with
    another one (``duban issue --dept 麻涌镇 --due 2022-07-10``, 延期报送)."""

    name: str  #: e.g. "麻涌镇"
    due_date_text: str  #: its deadline, e.g. "2022年7月10日"


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
    #: ``name`` broken evenly into the lines the shipped template's column holds (`cell_lines`)
    name_lines: str = ""
    #: 本期未下发: no lead was issued a form carrying the task (`Consolidation.unissued_tasks`)
    not_issued: int = 0

    def __post_init__(self) -> None:
        self.name_lines = self.name_lines or cell_lines(self.name)


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
    #: this period's submission deadline, as most forms printed it, "2022年7月5日"; a unit
    #: given its own (``issue --dept … --due``) is in ``own_dues``, and ``due_text`` says both
    due_date_text: str
    #: the units judged by another deadline than ``due_date_text``, in the order the memo names
    #: units; [] when every form printed the same date
    own_dues: list[UnitDue]
    #: the deadline as a sentence, units with their own named: "本期报送截止日为2022年7月5日，
    #: 其中麻涌镇为2022年7月10日。"; "" when no deadline is known
    due_text: str
    #: next period's submission deadline, the earliest any of its forms carries, "2022年8月5日";
    #: a unit whose form carries a later one is in ``next_own_dues``
    next_due_date_text: str
    #: the units whose next-period forms carry a later deadline (the towns' extension), in the
    #: order the memo names units; [] when every form carries the same date
    next_own_dues: list[UnitDue]
    #: the next period's deadline as said to 各单位, the units with a later one named:
    #: "2022年7月进展请各单位于2022年8月5日前报送（其中石龙镇等33个单位为2022年8月8日）"
    next_due_text: str
    as_of: str  #: time of the latest return counted, "2022-07-08 09:30"; "" if none
    title: str  #: "关于2022年6月东莞市…专项行动进展情况的通报"
    title_lines: str  #: the title with line breaks between words, each line fitting the 2号 title line
    recipients: str  #: 主送, e.g. "各镇街（园区），市直各有关单位："
    level: str  #: the plan's level: 市, 县, 区, 省, 州, 盟 or 旗 (organiser, unit names, title); "" when none says
    coordination: str  #: "需县级层面协调解决的"; "需要协调解决的" without a level, or when every unit is a 科室
    #: what the lists of sections 二 and 五 call a task's leads: 牵头单位, or 牵头科室 in a bureau's
    #: plan among its 科室 (its sentences say 科室: "（任务6，牵头单位：办公室）" beside them did not)
    lead_label: str
    intro: str  #: opening sentence ending "通报如下："
    signature_pad: str  #: full-width spaces before the organiser so it ends two characters from the right
    date_pad: str  #: full-width spaces before the date so it starts two characters right of the organiser

    # ---- task figures ----
    task_total: int  #: number of tasks, e.g. 45
    task_done: int  #: 已完成
    task_on_track: int  #: 序时推进
    task_lagging: int  #: 滞后
    task_not_started: int  #: 未启动
    #: 未报送 (no lead unit reported), not task_not_reported_not_issued (本期未下发)
    task_not_reported: int
    #: of task_not_reported: tasks waiting on leads not yet due, a sent-back one that may still
    #: correct on time among them (`Consolidation.waiting_tasks`): 任务汇总 says them 未报送（尚未截止）,
    #: so does the overview; 0 after every deadline. The three below count the others
    task_not_reported_waiting: int
    #: of task_not_reported: tasks whose leads' returns were sent back (none sent nothing)
    task_not_reported_sent_back: int
    #: of task_not_reported: tasks with no lead unit in the master at all
    task_not_reported_no_lead: int
    #: 本期未下发, beside task_not_reported (not of it, as 总览 counts them): tasks no lead's form
    #: of the period carried (a 补发 to other units, or added to the master after the forms went out)
    task_not_reported_not_issued: int
    task_overdue: int  #: past deadline and not 已完成 (may also be 滞后 or 未报送), not task_overdue_waiting
    #: past deadline, 未报送 only for leads not yet due (`Consolidation.waiting_tasks`): not known unfinished
    task_overdue_waiting: int
    task_done_pct: str  #: share of all tasks, e.g. "4.4%"
    task_on_track_pct: str  #: e.g. "20%"
    task_lagging_pct: str  #: e.g. "11.1%"
    task_not_started_pct: str  #: e.g. "0%"
    task_not_reported_pct: str  #: e.g. "64.4%"
    task_overdue_pct: str  #: e.g. "15.6%"
    #: mean progress of the tasks a lead reported this month, "52.5%"; "" if none
    avg_progress_text: str

    # ---- unit figures ----
    unit_total: int  #: units that must report, e.g. 54 (not the exempt: unit_exempt)
    unit_reported: int  #: accepted returns (on time + late)
    unit_on_time: int  #: 按时报送
    unit_late: int  #: 逾期报送
    unit_missing: int  #: 未报送
    unit_returned: int  #: 退回待改 (return rejected, not yet corrected)
    report_rate: str  #: unit_reported / unit_total, e.g. "11.1%"
    unit_exempt: int  #: 本期免报: issued no form, every task reported 已完成 before (skip_done_units)
    exempt_names: str  #: those units, same form as late_names; "" when none

    # ---- lists ----
    completed: list[TaskItem]  #: tasks that became 已完成 this period
    lagging: list[TaskItem]  #: tasks whose status is 滞后
    overdue: list[TaskItem]  #: tasks past deadline and not 已完成, but those task_overdue_waiting counts
    attention: list[TaskItem]  #: 滞后 or overdue, by task number (the memo's section 三)
    #: tasks not in ``attention`` on which a 配合 unit reported its part 滞后, by task number;
    #: each one's ``problems`` are those units' reasons (none when too many to name)
    coop_lagging: list[TaskItem]
    due_next: list[TaskItem]  #: deadline in the next month, not 已完成
    by_level1: list[Level1Row]  #: the table by 一级任务; [] when no task has one (the table keeps its 合计 row)
    level1_caption: str  #: the table's caption after the period: 各项一级任务进展情况, or 任务进展情况 without groups
    level1_header: str  #: the table's first column header: 一级任务, or "" above the lone 合计 row without groups
    level1_total: Level1Row  #: its 合计 row
    on_time_units: list[UnitItem]  #: reported on time
    late_units: list[UnitItem]  #: reported after the deadline
    missing_units: list[UnitItem]  #: did not report
    returned_units: list[UnitItem]  #: return rejected (退回待改)
    late_names: str  #: "市民政局、莞城街道"; "" when none
    missing_names: str  #: same form
    returned_names: str  #: same form
    unchanged_count: int  #: units repeating last month's 工作进展/下一步计划 (W608); 0 unless list_unchanged
    unchanged_names: str  #: those units, same form as late_names; "" when none or not enabled
    unchanged_units: list[UnitItem]  #: those units
    #: 报送情况's lists too long for the body (duban.toml ``appendix_over``), printed after
    #: the 落款 as 附件; [] when every list fits
    appendices: list[Appendix]
    appendix_note: str  #: 附件说明 under the text, "附件：未报送单位名单"; "" without appendices

    # ---- ready-made sentences (wording adapts to the numbers) ----
    overview_text: str  #: overall figures with percentages
    completed_text: str  #: leads section 二 ("本期新完成任务2项：" / "本期没有新完成的任务。")
    attention_text: str  #: leads section 三
    #: after section 三's list: the tasks of ``coop_lagging`` and their units; "" when none
    coop_lagging_text: str
    reporting_text: str  #: leads section 四, 报送情况 in figures
    reporting_points: list[Point]  #: late / returned / missing units, only those that exist
    due_next_text: str  #: leads section 五
    requirements: list[Point]  #: 下一步工作要求, adapted to what happened
    #: a 整改清单's 通报 (`rectification`): its headings and sentences speak of 整改
    rectification: bool = False


def context_dict(ctx: MemoContext) -> dict[str, Any]:
    """The template's namespace: top-level fields; nested items stay objects (``t.name``)."""
    return {f.name: getattr(ctx, f.name) for f in fields(ctx)}


# ---------------------------------------------------------------------------
# building the context

def _level1_name(name: str) -> str:
    # a heading copied with its sentence's end (做好财政信息公开。) says it without: "…公开。：1项"
    return unended(re.sub(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*", "", name or "")) or "（未分类）"


def _naming_rank(u: UnitStatus) -> int:
    """Where a unit stands when the memo names units: the plan's own departments, then the
    governments below it (cities, then counties), then the zones and the towns, each in the
    directory's order, as a province's 通报 names 省发展改革委等9个省级部门、杭州市等5个设区市 (浙江): a
    directory listing cities among its 省直 units must not mix them in the 未报送 list. A zone's
    管委会 (园区, 功能区, 开发区管委会) is no department of the plan's: it stands after the governments
    as its 主送 addresses it (`recipients`: 各县（区）人民政府、管委会，市政府各部门, 新余 2023), with
    the towns it is filed beside (东莞's 各镇街（园区）); it was among the 市直 departments."""
    government = government_kind(u.kind)
    if government:
        return 1 if government == "city" else 2
    return 3 if town_kind(u.kind) or is_zone(u) else 0


def _task_item(ts: TaskSummary, cons: Consolidation, problems: list[ProblemItem], deadlines: bool = True,
               lagging_coops: list[str] | None = None, words: Words = PLAN,
               lead_progress: dict[str, float | None] | None = None, reasons_over: int | None = None) -> TaskItem:
    """``deadlines``: whether the plan gives any task a 完成时限; the summary of a task of a plan
    that gives none does not say 完成时限：未明确 (苍南, every task of the 通报).
    ``lagging_coops``: its cooperating units that reported 滞后; ``words``: the plan's
    (`rectification.Words`: a 整改清单's 整改时限). ``lead_progress``: each lead's figure as typed;
    ``reasons_over``: how many 反映 the task prints at most (`joint.reasons`; None: all)."""
    t = ts.task
    leads_text = cons.master.display_units(t.id, LEAD) or "未明确"
    coops_text = cons.master.display_units(t.id, Role.COOP)
    # A lead whose return was sent back did report (consolidate's 退回待改): 报送情况 names it
    # 退回修改, and the task's sentence must not call it 未报送.
    missing = [u for u in ts.leads if ts.lead_states.get(u) == NOT_REPORTED]
    returned = [u for u in ts.leads if ts.lead_states.get(u) == TO_FIX]
    waits = ts.task.id in cons.waiting_tasks  # on leads not yet due (a sent back one may correct in time)
    # leads whose forms of the period did not carry the task (added after issue): not owed it
    not_asked = [u for u in ts.leads if ts.lead_states.get(u) == Owed.NOT_ISSUED]
    lagging = [u for u, s in ts.lead_states.items() if s == LAGGING]
    progress = f"{num(ts.avg_progress)}%" if ts.avg_progress is not None else ""
    # the mean of one lead's figure is that lead's own (苍南: one lead a task): no 平均
    said = "平均进度" if ts.averaged > 1 else "进度"
    # Every lead that reported has finished; the task stands open only for the silent ones:
    # "滞后，平均进度100%" beside "尚有1个牵头单位未报送" read as a contradiction (QA114).
    # Not when none reported this month: a task open on an earlier month's 已完成 (QA117)
    unheard = missing + returned if waits else missing
    finished = 0 < len(unheard) < len(ts.leads) and all(
        ts.lead_states.get(u) == DONE for u in ts.leads if u not in unheard)
    if ts.status == NOT_REPORTED and not ts.has_lead:
        # the summary says 牵头单位：未明确 already; a 配合单位 may have reported (平阳's 任务6:
        # 鳌江镇), and "无单位报送进展" then said in public that it had not
        silent = {*ts.missing, *ts.sent_back, *ts.not_asked, *cons.exempt}  # no row this month
        heard = [u for u in ts.coops if u not in silent]
        status_text = ("无单位报送进展" if not heard else f"{len(heard)}个配合单位已报送进展"
                       if len(heard) > MAX_INLINE_UNITS else f"配合单位{names_text(heard)}已报送进展")
    elif ts.status == NOT_REPORTED and not finished:
        status_text = ("本期未向牵头单位下发填报表" if not ts.leads
                       else f"本期填报表未含此{words.task}，尚未下发填报" if len(not_asked) == len(ts.leads)
                       else "牵头单位尚无合格的报送" if returned
                       # "均" names every lead: not when one was not asked (its form lacked the task)
                       # and not of one lead alone (省 plan, QA: "均" over a single lead)
                       else ("牵头单位均未报送进展" if len(ts.leads) > 1 else "牵头单位未报送进展")
                       if len(missing) == len(ts.leads) else "牵头单位尚未报送进展")
    elif ts.status != DONE and finished:
        done = len(ts.leads) - len(unheard)
        said_done = f"已报送的{done}个牵头单位均已完成" if done > 1 else "已报送的牵头单位已完成"
        # 未报送 past the 完成时限 while the silent leads may still report on time (`task_rule`):
        # not 滞后, and no "未报送" before what the leads that did report said
        status_text = said_done if ts.status == NOT_REPORTED else f"{ts.status}，{said_done}"
    # 滞后 only by the passed 完成时限: what the leads reported, not 滞后 as if they had said it
    elif ts.overdue and ts.status == LAGGING and (reported := joint.past_deadline(
            ts.lead_states, ts.leads, f"{said}{progress}" if progress else "")):
        status_text = reported
    else:
        status_text = ts.status + (f"，{said}{progress}" if progress and ts.status != DONE else "")
    deadline = t.deadline_in(cons.period.year) or "未明确"
    said_deadline = f"{words.deadline}：{deadline}；" if deadlines else ""
    # leads that reported in different states: each one's said (`joint`), not all under the
    # task's word: 平湖's 发改局, 已完成, read 滞后 beside 生态环境分局's 序时推进 (QA387)
    by_lead = joint.breakdown(ts.lead_states, ts.leads, lead_progress or {}, cons.waiting) \
        if joint.mixed(ts.lead_states, ts.leads) else None
    # each named lead's own figure is said: no average of theirs beside it
    said_status = ts.status if by_lead and by_lead[1] else status_text
    summary = f"牵头单位：{leads_text}；{said_deadline}进展情况：{said_status}"
    if ts.overdue:  # not known unfinished while its leads may still report (`vocab.OVERDUE_WAITING`)
        summary += f"，{words.overdue_waiting}" if waits else f"，已超过{words.deadline}"
    if by_lead:  # the leads not heard from are in it
        summary += f"；{by_lead[0]}"
    # "均未报送" already says it when every lead sent nothing; beside a lead sent back or
    # not asked, the ones that sent nothing are named
    elif missing and (ts.status != NOT_REPORTED or len(missing) < len(ts.leads)):
        summary += f"；尚有{len(missing)}个牵头单位未报送{joint.named(missing)}"
    if returned and not by_lead:
        summary += f"；{len(returned)}个牵头单位报送有误已退回修改{joint.named(returned)}"
    if not_asked and len(not_asked) < len(ts.leads):
        summary += f"；{len(not_asked)}个牵头单位的本期填报表未含此{words.task}（下发后新增或调整分工）"
    summary += "。"
    # asked of no lead: 本期未下发, as 任务汇总 says it (QA377)
    status = Owed.NOT_ISSUED if ts.issued_none else ts.status
    behind = [u for u in ts.leads if ts.lead_states.get(u) in (LAGGING, NOT_STARTED)]
    reasons, note = joint.reasons(((p.unit, p.text) for p in problems), behind, reasons_over)
    return TaskItem(t.id, t.level1, t.level2, task_title(t.name, t.content), t.content, deadline, status,
                    progress, ts.overdue, leads_text, coops_text, list(ts.leads), lagging,
                    list(lagging_coops or []), missing, [ProblemItem(*p) for p in reasons], status_text, summary, note)


def _unit_item(u: UnitStatus) -> UnitItem:
    return UnitItem(u.unit, u.kind, u.tasks, u.state, u.received_at, u.errors, u.warnings)


def _unchanged_units(cons: Consolidation) -> list[UnitItem]:
    """Units whose accepted return this period repeats last month's text (W608), named as the
    memo names units (`_naming_rank`)."""
    flagged = {i["unit"] for i in cons.issues if i["code"] == "W608" and i["outcome"] == Outcome.ACCEPTED}
    return [_unit_item(u) for u in sorted(cons.units, key=_naming_rank) if u.unit in flagged]


def build_context(cons: Consolidation, issue_date: dt.date | None = None,
                  list_unchanged: bool = False, appendix_over: int | None = None,
                  reasons_over: int | None = joint.MAX_REASONS) -> MemoContext:
    """The memo's variables for ``cons``; ``issue_date`` (成文日期) defaults to today.

    ``list_unchanged`` ([memo] in duban.toml) names the units that copied last month's text.
    ``appendix_over`` ([memo] in duban.toml): a list of 报送情况 longer than this goes to a
    附件 after the memo (`sentences.appendices`); None keeps every list in the text, for a
    template without the 附件 part (`template_check.has_appendices`).
    ``reasons_over``: the 反映 a task prints at most, the others said by ``t.problems_note``
    (`joint.reasons`); None prints all, for a template without it (`template_check.has_problems_note`).
    """
    period: Period = cons.period
    nxt = period.shift(1)
    issue_date = issue_date or dt.date.today()
    project = xml_text(cons.project)
    organiser = xml_text(cons.organiser)

    problems_of: dict[str, list[ProblemItem]] = {}
    lead_progress: dict[str, dict[str, float | None]] = {}  # task → each lead's figure, as typed
    # a 配合 unit's 滞后 leaves the task's status to its leads (consolidate), but the office
    # was told: 广州's 越秀区 wrote 滞后 and why on tasks whose leads were 序时推进, and the
    # 通报 said only "本期没有进展滞后的任务" (QA122)
    coops_lagging: dict[str, list[str]] = {}
    for d in cons.details:  # leads come before cooperating units within each task
        text = xml_text(d.get("problems"))
        if text and not says_no_problem(text):  # "县住建局反映：无" (QA368)
            problems_of.setdefault(d["task"], []).append(ProblemItem(d["unit"], text))
        if d["role"] == LEAD:
            lead_progress.setdefault(d["task"], {})[d["unit"]] = d["progress"]
        if d["role"] == Role.COOP and d["status"] == LAGGING:
            coops_lagging.setdefault(d["task"], []).append(d["unit"])
    deadlines = sentences.has_deadlines(cons.tasks)
    # a 完成时限 duban could not read (年底前, no year anywhere) is still the plan's words
    written = sentences.has_deadlines(cons.tasks, read=False)
    # the words every sentence is made with, chosen once: a 整改清单's 通报 is of the 整改's
    # progress (整改任务, 整改时限: `rectification.Words`), no sentence rewritten afterwards (QA334)
    words = words_of(cons.master)

    def item(ts: TaskSummary) -> TaskItem:
        return _task_item(ts, cons, problems_of.get(ts.task.id, []), written, coops_lagging.get(ts.task.id), words,
                          lead_progress.get(ts.task.id), reasons_over)

    previous = previous_statuses(cons)  # as `reopened` reads the month before
    # a task 已完成 on an earlier month's word alone (its leads silent now, or 本期免报) was not
    # reported this month: not 本期新完成, nor of 已报送任务的平均进度 (QA386)
    heard = {t.task.id for t in cons.tasks if t.heard(cons.exempt)}
    completed = [item(t) for t in cons.tasks if t.status == DONE and t.task.id in heard
                 and (previous is None or previous.get(t.task.id, ("",))[0] != DONE)]
    # of the tasks 已完成, those whose leads owed a row and gave none (未报送, 退回待改): said so in 一
    earlier = [t for t in cons.tasks if t.status == DONE and t.task.id not in heard
               and any(s in (NOT_REPORTED, TO_FIX) for s in t.lead_states.values())]
    lagging = [item(t) for t in cons.tasks if t.status == LAGGING]
    # past the 完成时限 but waiting on leads not yet due: counted apart, as 总览 does (`overdue_counts`)
    overdue = [item(t) for t in cons.overdue if t.task.id not in cons.waiting_tasks]
    overdue_waiting = len(cons.overdue) - len(overdue)  # as `Consolidation.overdue_counts` splits them
    attention = [item(t) for t in cons.tasks if t.status == LAGGING or t.overdue]
    # a task already in section 三 prints every unit's reason there: not said twice
    coop_lagging = _coop_lagging([item(t) for t in cons.tasks if t.task.id in coops_lagging
                                  and not (t.status == LAGGING or t.overdue)], problems_of)
    due_next = [item(t) for t in cons.tasks
                if t.task.dated and nxt.start <= t.task.deadline <= nxt.end
                and t.status != DONE]

    counts = cons.task_counts()
    total = len(cons.tasks)
    # each 未报送 task under one reason: its leads may all still report on time (said as 任务汇总
    # says it, 未报送（尚未截止）: by its leads' states, a lead sent back that may still correct in
    # time read 报送有误已退回、尚无合格进展, even beside another lead's 已完成); else a lead sent
    # nothing; else one was sent back; else no lead in the master. One no lead was asked (its
    # form lacked the task, or none went out) is 本期未下发 beside them, as 总览 counts it (QA377)
    no_lead = sent_back = waiting = 0
    not_asked = len(cons.unissued_tasks)
    for t in cons.tasks:
        if t.status != NOT_REPORTED or t.task.id in cons.unissued_tasks:
            continue
        if t.task.id in cons.waiting_tasks:
            waiting += 1
            continue
        states = [t.lead_states.get(u) for u in t.leads]
        if TO_FIX in states and NOT_REPORTED not in states:
            sent_back += 1
        elif not t.has_lead:
            no_lead += 1
    by_level1 = []
    # a table without 一级任务 (大竹, 崇川, 霍山) had one row, "（未分类）", repeating 合计
    # a task no lead was issued a form for is 本期未下发, not 未报送, as 总览 counts it (QA377)
    for i, (name, c) in enumerate(cons.by_level1(said=True) if cons.grouped else (), 1):
        n, unissued = sum(c.values()), c.get(Owed.NOT_ISSUED, 0)
        by_level1.append(Level1Row(i, _level1_name(name), n, c[DONE], c[ON_TRACK], c[LAGGING], c[NOT_STARTED],
                                   n - c[DONE] - c[ON_TRACK] - c[LAGGING] - c[NOT_STARTED] - unissued,
                                   pct(c[DONE], n), not_issued=unissued))
    level1_total = Level1Row(0, "合计", total, counts[DONE], counts[ON_TRACK], counts[LAGGING], counts[NOT_STARTED],
                             counts[NOT_REPORTED] - not_asked, pct(counts[DONE], total), not_issued=not_asked)

    named = sorted(cons.units, key=_naming_rank)
    units = {s: [_unit_item(u) for u in named if u.state == s] for s in (ON_TIME, LATE, MISSING, TO_FIX)}
    unit_total = cons.owing
    reported = len(units[ON_TIME]) + len(units[LATE])
    progresses = [t.avg_progress for t in cons.tasks if t.avg_progress is not None and t.task.id in heard]
    avg_progress = f"{num(sum(progresses) / len(progresses))}%" if progresses else ""
    next_due = cons.next_due or (nxt.due(cons.due.day) if cons.due else nxt.due())

    # a 整改清单's 通报 is of the 整改's progress (`rectification`): 关于…问题整改进展情况的通报
    rectify = words is not PLAN
    title = memo_title(period, memo_project(project) if rectify else project)
    level = plan_level(organiser, cons.master.title or project, [u.unit for u in cons.units])
    # an autonomous region is a province (省) whose departments are 区直 (广西: 区直各有关单位)
    # (the words that gave the level: the organiser's, else the title's)
    autonomous = level == "省" and "自治区" in (organiser if plan_level(organiser) else cons.master.title or project)
    signature_pad, date_pad = signature_pads(organiser, cn_date(issue_date))
    late_names = names_text([u.name for u in units[LATE]])
    missing_names = names_text([u.name for u in units[MISSING]])
    returned_names = names_text([u.name for u in units[TO_FIX]])
    unchanged = _unchanged_units(cons) if list_unchanged else []
    # the month's ordinary deadline and the units with another one, as the 汇总表 states them (QA377, QA383)
    due, later_dues = stated_due(cons) if cons.due else (None, [])
    later_due = dict(later_dues)
    own_dues = [UnitDue(u.unit, cn_date(later_due[u.unit])) for u in named if u.unit in later_due]
    later = cons.next_unit_dues
    next_own_dues = [UnitDue(u, cn_date(later[u])) for u in dict.fromkeys([*(u.unit for u in named), *later])
                     if u in later]

    ctx = MemoContext(
        project=project, organiser=organiser, period=str(period), period_label=period.label,
        next_period_label=nxt.label, issue_date_text=cn_date(issue_date),
        due_date_text=cn_date(due) if due else "", own_dues=own_dues,
        due_text=sentences.due_text(cn_date(due), own_dues, MAX_INLINE_UNITS) if due else "",
        next_due_date_text=cn_date(next_due), next_own_dues=next_own_dues, next_due_text="",
        as_of=cons.as_of or "", title=title, title_lines=title_lines(title),
        recipients=recipients(cons.units, level, "区" if autonomous else ""), level=level,
        # a bureau's plan among its own 科室 asks its own leaders, not the 市级 government
        coordination=("需自治区层面协调解决的" if autonomous else f"需{level}级层面协调解决的")
        if level and any(u.kind != SECTION for u in cons.units) else "需要协调解决的",
        lead_label=say_sections("牵头单位") if cons.of_sections else "牵头单位",
        intro=(f"{arrangement(project)}，各责任单位按月报送{words.reported}情况。"
               f"现将{period.label}{words.period_progress}情况通报如下："),
        signature_pad=signature_pad, date_pad=date_pad,
        task_total=total, task_done=counts[DONE], task_on_track=counts[ON_TRACK],
        task_lagging=counts[LAGGING], task_not_started=counts[NOT_STARTED],
        task_not_reported=counts[NOT_REPORTED] - not_asked, task_not_reported_waiting=waiting,
        task_not_reported_sent_back=sent_back,
        task_not_reported_no_lead=no_lead, task_not_reported_not_issued=not_asked, task_overdue=len(overdue),
        task_overdue_waiting=overdue_waiting,
        task_done_pct=pct(counts[DONE], total), task_on_track_pct=pct(counts[ON_TRACK], total),
        task_lagging_pct=pct(counts[LAGGING], total), task_not_started_pct=pct(counts[NOT_STARTED], total),
        task_not_reported_pct=pct(counts[NOT_REPORTED] - not_asked, total), task_overdue_pct=pct(len(overdue), total),
        avg_progress_text=avg_progress,
        unit_total=unit_total, unit_reported=reported, unit_on_time=len(units[ON_TIME]),
        unit_late=len(units[LATE]), unit_missing=len(units[MISSING]), unit_returned=len(units[TO_FIX]),
        report_rate=pct(reported, unit_total), unit_exempt=len(cons.exempt),
        exempt_names=names_text([u.unit for u in named if u.unit in cons.exempt]),
        completed=completed, lagging=lagging, overdue=overdue, attention=attention, coop_lagging=coop_lagging,
        due_next=due_next,
        by_level1=by_level1, level1_total=level1_total,
        level1_caption=words.by_level1 if cons.grouped else words.ungrouped,
        level1_header=words.level1 if cons.grouped else "",
        on_time_units=units[ON_TIME], late_units=units[LATE], missing_units=units[MISSING],
        returned_units=units[TO_FIX], late_names=late_names, missing_names=missing_names,
        returned_names=returned_names, unchanged_count=len(unchanged),
        unchanged_names=names_text([u.name for u in unchanged]), unchanged_units=unchanged,
        appendices=[], appendix_note="",
        overview_text="", completed_text="", attention_text="", coop_lagging_text="", reporting_text="",
        reporting_points=[],
        due_next_text="", requirements=[], rectification=rectify,
    )
    ctx.appendices = sentences.appendices(ctx, appendix_over)
    ctx.appendix_note = sentences.appendix_note(ctx.appendices) if ctx.appendices else ""
    ctx.overview_text = sentences.overview_text(ctx, len(progresses), deadlines, cons.tasks, words,
                                                (len(earlier), any(TO_FIX in t.lead_states.values() for t in earlier)))
    ctx.completed_text = sentences.completed_text(ctx, previous is not None, words)
    ctx.attention_text = sentences.attention_text(ctx, deadlines, bool(sentences.unread_deadlines(cons.tasks)), words)
    ctx.coop_lagging_text = sentences.coop_lagging_text(ctx, MAX_INLINE_UNITS, words)
    ctx.reporting_text = sentences.reporting_text(ctx) + sentences.exempt_text(ctx, MAX_INLINE_UNITS, words)
    ctx.reporting_points = sentences.reporting_points(ctx, words)
    ctx.due_next_text = sentences.due_next_text(ctx, cons.tasks, words)
    ctx.next_due_text = sentences.next_due_text(ctx, MAX_INLINE_UNITS)
    ctx.requirements = sentences.requirements(ctx, any(t.coops for t in cons.tasks), deadlines, words)
    if cons.of_sections:
        _of_sections(ctx)
    return ctx


def _coop_lagging(items: list[TaskItem], problems_of: dict[str, list[ProblemItem]] | None = None) -> list[TaskItem]:
    """``items`` as section 三 gives them after its list: each with the reasons of its 配合 units
    that reported 滞后, when they are few enough to be named (`sentences.coop_lagging_text`),
    and no other unit's; beside several tasks a reason says its tasks, as one unit may cooperate
    on two of them, and a reason a unit gave on several is said once, under the first.
    ``problems_of``: each task's reasons one unit each, as written (an item's are merged,
    `joint.reasons`); each item's own by default."""
    problems_of = problems_of if problems_of is not None else {t.id: t.problems for t in items}
    said: dict[tuple[str, str], list[str]] = {}  # (unit, reason) → its tasks, in order, the first its place
    for t in items:
        named = t.lagging_coops if len(t.lagging_coops) <= MAX_INLINE_UNITS else []
        for p in problems_of.get(t.id, []):
            if p.unit in named:
                tasks = said.setdefault((p.unit, p.text), [])
                tasks += [] if t.id in tasks else [t.id]
    # one district 配合 on 27 tasks, 滞后 with one reason on each, was 27 lines of the same
    # sentence (广州, QA303): a unit's reason is said once, under its first task, with its tasks;
    # beyond a few, their count (the sentence above names them all): 27 numbers joined by 、 are
    # one unbreakable word to LibreOffice, spread over a line of gaps
    for t in items:
        kept = dict.fromkeys(key for p in problems_of.get(t.id, [])
                             if (key := (p.unit, p.text)) in said and said[key][0] == t.id)
        t.problems_note = ""  # its reasons are these alone
        t.problems = [ProblemItem(f"{unit}（任务{first_of(said[unit, text], MAX_INLINE_UNITS, '项')}）"
                                  if len(items) > 1 else unit, text)
                      for unit, text in kept]
    return items


def _of_sections(ctx: MemoContext) -> None:
    """A bureau's plan among its own 科室: its sentences speak of 科室 (`units.say_sections`)."""
    say = say_sections
    for name in ("intro", "overview_text", "completed_text", "attention_text", "coop_lagging_text", "reporting_text",
                 "due_next_text", "next_due_text"):
        setattr(ctx, name, say(getattr(ctx, name)))
    for items in (ctx.completed, ctx.lagging, ctx.overdue, ctx.attention, ctx.coop_lagging, ctx.due_next):
        for t in items:
            t.status_text, t.summary, t.problems_note = say(t.status_text), say(t.summary), say(t.problems_note)
    for point in (*ctx.reporting_points, *ctx.requirements):
        point.title, point.text = say(point.title), say(point.text)


# ---------------------------------------------------------------------------
# Markdown (the title and file name: `naming`)


def render_markdown(ctx: MemoContext) -> str:
    """A plain-text summary to paste into an email or a chat group."""

    def block(text: str, indent: str = "   ") -> str:
        return text.replace("\n", "\n" + indent)

    def heading(text: str) -> str:
        return "## " + (MEMO_HEADINGS.get(text, text) if ctx.rectification else text)

    lines = [f"# {ctx.title}", "", ctx.recipients, "", ctx.intro, "", "## 一、总体进展情况", "", ctx.overview_text, ""]
    for r in [*ctx.by_level1, ctx.level1_total]:
        parts = [f"{r.total}项", f"已完成{r.done}项（{r.done_pct}）"]
        parts += [f"{label}{n}项" for n, label in ((r.on_track, "序时推进"), (r.lagging, "滞后"),
                                                    (r.not_started, "未启动"), (r.not_reported, "未报送"),
                                                    (r.not_issued, "本期未下发")) if n]
        lines.append(f"- {r.name}：" + "，".join(parts))
    lines += ["", heading("二、本期完成的任务"), "", ctx.completed_text]
    lines += [f"{i}. {t.name}（任务{t.id}，{ctx.lead_label}：{t.leads_text}）" for i, t in enumerate(ctx.completed, 1)]

    def reasons(t: TaskItem) -> list[str]:
        return [f"   - {p.unit}反映：{block(p.text, '     ')}" for p in t.problems] + (
            [f"   - {t.problems_note}"] if t.problems_note else [])

    lines += ["", heading("三、滞后及超期任务"), "", ctx.attention_text]
    for i, t in enumerate(ctx.attention, 1):
        lines.append(f"{i}. {t.name}（任务{t.id}）。{t.summary}")
        lines += reasons(t)
    lines += ["", ctx.coop_lagging_text, *(r for t in ctx.coop_lagging for r in reasons(t))] if ctx.coop_lagging else []
    lines += ["", "## 四、报送情况", "", ctx.reporting_text]
    lines += [f"{p.number}{p.title}{p.text}" for p in ctx.reporting_points]
    lines += ["", heading("五、下月到期任务"), "", ctx.due_next_text]
    lines += [f"{i}. {t.name}（任务{t.id}，{ctx.lead_label}：{t.leads_text}，{t.status_text}）"
              for i, t in enumerate(ctx.due_next, 1)]
    lines += ["", "## 六、下一步工作要求", ""]
    lines += [f"{p.number}{p.title}{p.text}" for p in ctx.requirements]
    # 附件说明 without the Word paragraph's two-character indent its later lines allow for
    lines += ["", ctx.appendix_note.replace("\u3000" * 5, "\u3000" * 3)] if ctx.appendices else []
    lines += ["", ctx.organiser, ctx.issue_date_text, ""]
    for a in ctx.appendices:
        lines += [f"## 附件{a.number} {a.title}", "", *(f"- {r.kind}{r.count}个：{r.names}" for r in a.rows), ""]
    return "\n".join(lines)
