"""The memo's ready-made sentences and points, and its 附件 (the long name lists).

`context.build_context` fills the figures and lists of a `MemoContext`; the functions here
word them: every sentence whose wording depends on the numbers, so a template never needs
logic to avoid "0个单位未报送：。" Counts said in one sentence are disjoint or say how they
overlap: a reader adds the numbers he is given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..dates import at_once, cn_date, parse_deadline, starts_only
from ..period import Period
from ..rectification import PLAN, Words
from ..text import cn_number
from ..vocab import Status

if TYPE_CHECKING:
    from ..consolidate import TaskSummary
    from .context import MemoContext, TaskItem, UnitDue, UnitItem

# 报送情况 names more units than this by 类别 (市直部门134个：…；镇街66个：…): 200 names in one
# run filled seven pages with nothing to find one's own kind by (QA, a plan of 300 units)
GROUP_NAMES_OVER = 20
# the 类别 of a unit whose directory row gives none
NO_KIND = "其他单位"


@dataclass
class Point:
    """A numbered point with a run-in heading, e.g. "（一）加快推进滞后任务。" + text."""

    number: str  #: "（一）", "（二）" … numbered after empty points were dropped
    title: str  #: the heading, e.g. "加快推进滞后任务。"
    text: str  #: the text after it


@dataclass
class AppendixRow:
    """One 类别 of units in an appendix's table."""

    index: int  #: 1, 2, 3 …
    kind: str  #: 类别 as the 单位名录 gives it, e.g. "县直部门", "村（社区）"; "其他单位" when none
    count: int  #: units of this 类别 in the list
    names: str  #: their names, e.g. "县水务局、县住建局"


@dataclass
class Appendix:
    """A list of units too long for 报送情况, printed after the memo as 附件 (GB/T 9704 §8)."""

    number: str  #: "1", "2" … when the memo has several appendices; "" when it has one (附件, not 附件1)
    title: str  #: e.g. "未报送单位名单"
    count: int  #: units in the list
    rows: list[AppendixRow]  #: the list by 类别, in the order the memo names units


#: 报送情况's lists in the memo's order: (the MemoContext field of its units, the point's
#: heading, the appendix's title, the units' count said as a sentence, what the point asks after
#: the names)
_LISTS = (
    ("late_units", "逾期报送的单位", "逾期报送单位名单", "个单位逾期报送", ""),
    ("returned_units", "退回修改的单位", "退回修改单位名单", "个单位报送内容有误已退回修改",
     "上述单位报送的填报表存在错误，已反馈修改意见，请尽快修改后重新报送。"),
    ("missing_units", "未报送的单位", "未报送单位名单", "个单位未报送", ""),
    ("unchanged_units", "进展与上期相同的单位", "进展与上期相同单位名单", "个单位进展与上期相同",
     "上述单位部分{task}的{work}或下一步计划与上期完全相同，请如实报送每月的新进展。"),
)


def pct(n: float, total: float) -> str:
    """``n`` as a share of ``total``, e.g. "11.1%"; "0%" of nothing. One decimal unless the share
    is exact: 3 of 43 is 7.0%, not 7% beside 83.7% in the same sentence (QA275), 1 of 2 is 50%."""
    if not total:
        return "0%"
    share = 100 * n / total
    return f"{share:g}%" if share == int(share) else f"{share:.1f}%"


def num(v: float) -> str:
    """A figure with one decimal at most: 52.5, 40."""
    return f"{round(v, 1):.1f}".rstrip("0").rstrip(".")


def names_text(names: list[str]) -> str:
    return "、".join(names)


def points(items: Iterable[tuple[str, str]]) -> list[Point]:
    return [Point(f"（{cn_number(i)}）", title, text) for i, (title, text) in enumerate(items, 1)]


def _by_kind(units: list[UnitItem]) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {}
    for u in units:
        kinds.setdefault(u.kind or NO_KIND, []).append(u.name)
    return kinds


def grouped_names(units: list[UnitItem]) -> str:
    """``units`` (already in naming order) as 报送情况 lists them: one run, or by 类别 when long."""
    of = _by_kind(units)
    if len(units) <= GROUP_NAMES_OVER or len(of) < 2:
        return names_text([u.name for u in units])
    return "；".join(f"{k}{len(names)}个：{names_text(names)}" for k, names in of.items())


def appendices(c: MemoContext, over: int | None) -> list[Appendix]:
    """The lists of 报送情况 longer than ``over`` units (duban.toml ``appendix_over``), each an
    appendix: 200 names filled about six pages of the body even by 类别 (a county naming its
    村); a 通报 says 共N个单位未报送（名单见附件） and lists them after it. None: no appendix."""
    if over is None:
        return []
    long = [(title, units) for field, _, title, _, _ in _LISTS if len(units := getattr(c, field)) > over]
    return [Appendix(str(i) if len(long) > 1 else "", title, len(units),
                     [AppendixRow(j, kind, len(names), names_text(names))
                      for j, (kind, names) in enumerate(_by_kind(units).items(), 1)])
            for i, (title, units) in enumerate(long, 1)]


def appendix_note(found: list[Appendix]) -> str:
    """附件说明 (GB/T 9704 §7.3.6): 附件：未报送单位名单; several are numbered, each under the
    first's name: 附件：1．…⏎　　　　　2．… (the paragraph's own two-character indent and 附件：)."""
    if len(found) == 1:
        return f"附件：{found[0].title}"
    return "\n".join(("附件：" if i == 1 else "\u3000" * 5) + f"{a.number}．{a.title}"
                     for i, a in enumerate(found, 1))


# ---- sentences ----

def overview_text(c: MemoContext, averaged: int, deadlines: bool = True,
                  tasks: list[TaskSummary] | None = None, words: Words = PLAN,
                  earlier: tuple[int, bool] = (0, False)) -> str:
    """Section 一; ``averaged``: how many tasks ``avg_progress_text`` is the mean of;
    ``deadlines``: whether any task has a 完成时限 (`has_deadlines`); ``tasks``: the
    period's, whose unread 完成时限 (`unread_deadlines`) no claim of 超期 covers; ``words``:
    the plan's (`rectification.Words`): a 整改清单's tasks are 整改任务 and done is 完成整改;
    ``earlier``: how many of the tasks done are so on an earlier month's 已完成 of leads that
    gave no row this month, and whether one of those leads was sent back (it did report)."""
    w = words
    if not c.task_total:
        return f"{c.project}暂无需要报送进展的{w.task}。"
    # a task its silent lead said 已完成 last month stays so (`task_rule.done_before`), counted
    # here as 总览 and status count it; said as last month's word, not this month's (QA386)
    n, back = earlier
    said = "牵头单位本期没有合格的报送" if back else "牵头单位本期未报送"
    said = f"；{said if n == c.task_done else f'其中{n}项{said}'}，按此前报告的{w.done}计" if n else ""
    parts = [f"{w.done}{c.task_done}项（占{c.task_done_pct}{said}）" if c.task_done else f"尚无{w.done}的任务"]
    for n, share, label in ((c.task_on_track, c.task_on_track_pct, "序时推进"),
                            (c.task_lagging, c.task_lagging_pct, "进展滞后"),
                            (c.task_not_started, c.task_not_started_pct, "尚未启动")):
        if n:
            parts.append(f"{label}{n}项（占{share}）")
    # 未报送 tasks by why: said as "牵头单位未报送" only where a lead sent nothing; a task
    # with no lead (demo 16.1), or whose leads' files were all sent back, names no one; one
    # whose leads may all still report (or correct) on time is said as 任务汇总 says it. The
    # leadless one is still 未报送 as the table beside and 总览 count it (未报送单位: 未明确牵头单位):
    # "未明确牵头单位的1项" alone gave the table's 未报送 1 a second name (QA278); so did
    # "牵头单位本期填报表未含、尚未下发填报的15项" of a task whose leads got no form carrying it (QA284),
    # and "牵头单位报送尚未截止的N项" of those the table counts 未报送 (总览: 未报送（尚未截止）); one
    # asked of no lead is 本期未下发 there, never 未报送 (a 补发 month, QA377)
    missing = (c.task_not_reported - c.task_not_reported_waiting - c.task_not_reported_sent_back
               - c.task_not_reported_no_lead)
    for n, label in ((c.task_not_reported_waiting, "牵头单位报送尚未截止、暂未报送进展的"),
                     (missing, "牵头单位未报送进展的"),
                     (c.task_not_reported_sent_back, "牵头单位报送有误已退回、尚无合格进展的"),
                     (c.task_not_reported_no_lead, "未明确牵头单位、未报送进展的"),
                     (c.task_not_reported_not_issued, "本期未向牵头单位下发填报表的")):
        if n:
            parts.append(f"{label}{n}项（占{pct(n, c.task_total)}）")
    text = f"{c.project}共{c.task_total}项{w.task}。截至{c.period_label}底，" + "，".join(parts) + "。"
    # the overdue tasks are among those just counted (滞后 or 未报送), not more of them
    unread = unread_deadlines(tasks or [])
    not_judged = unread_text(unread, "超期", words=w) if unread and deadlines else ""
    # one past its 完成时限 whose leads may still report on time is not known unfinished: apart
    waiting = c.task_overdue_waiting
    if c.task_overdue or waiting:
        said = [f"已超过{w.deadline}仍未完成的有{c.task_overdue}项"] if c.task_overdue else []
        said += [f"{'另' if said else ''}有{waiting}项已过{w.deadline}、牵头单位报送尚未截止"] if waiting else []
        text += f"上述{w.task}中，" + "，".join(said) + "。"
        text += f"另有{not_judged}" if not_judged else ""
    elif not_judged:  # "暂无超过完成时限" only of the tasks whose 完成时限 was read
        dated = any(t.task.dated for t in tasks or [])
        text += (f"有明确{w.deadline}的{w.task}中，暂无超过{w.deadline}仍未完成的；另有{not_judged}" if dated
                 else not_judged)
    elif deadlines:  # of a plan that sets none, "暂无超过完成时限" suggests it does
        text += f"暂无超过{w.deadline}仍未完成的{w.task}。"
    if c.avg_progress_text:
        text += (f"已报送{w.task}的平均进度为{c.avg_progress_text}。" if averaged > 1
                 else f"已报送进度的1项{w.task}进度为{c.avg_progress_text}。")
    return text


def completed_text(c: MemoContext, has_previous: bool, words: Words = PLAN) -> str:
    """Section 二's lead; of a 整改清单 (``words``) a problem put right is 完成整改, not a task done."""
    n = len(c.completed)
    if not n:
        return f"{words.none_done}。"
    return f"本期{words.newly_done}{n}项：" if has_previous else f"截至本期{words.so_far_done}{n}项："


def attention_text(c: MemoContext, deadlines: bool = True, unread: bool = False, words: Words = PLAN) -> str:
    """Section 三's lead. A task both 滞后 and overdue is one task: "其中进展滞后9项，已超过
    完成时限仍未完成17项" of 17 had the reader add 26 (the 9 were among the 17), so the
    parts said are disjoint, or the one inside the other says so. ``words``: the plan's."""
    task, deadline = words.task, words.deadline
    n = len(c.attention)
    if not n:
        # ``unread``: some 完成时限 were not read (`unread_deadlines`): no claim of them. Where a
        # 配合 unit reported 滞后 (`coop_lagging_text`), "没有进展滞后的任务" is said of the leads
        lag = "牵头单位报告进展滞后" if c.coop_lagging else "进展滞后"
        if c.task_not_reported:
            # a task with no progress sent was never judged 滞后: "本期没有进展滞后的任务" of a
            # month in which no unit sent anything claimed what nobody reported (QA174). An
            # overdue task is in ``attention`` whether reported or not: that part stands
            none = c.task_not_reported == c.task_total
            # a lead's file sent back was sent: "均未报送进展" of it was untrue (QA176); a task
            # waiting on one (not counted as sent back) too: with a unit sent back, both
            # wordings stay true of tasks that have no 合格进展
            back = c.task_not_reported_sent_back or (c.task_not_reported_waiting and c.unit_returned)
            said = (f"各项{task}均无合格进展（未报送或报送有误已退回），无法判断是否进展滞后" if none and back
                    else f"各项{task}均未报送进展，无法判断是否进展滞后" if none
                    else f"有合格进展的{task}中没有{lag}的" if back else f"已报送进展的{task}中没有{lag}的")
            dated = (f"有明确{deadline}的{task}均未超过{deadline}" if unread else f"没有超过{deadline}的{task}" if none
                     else f"也没有超过{deadline}的{task}")
            return f"本期{said}" + (("；" if none else "，") + dated if deadlines else "") + "。"
        return (f"本期没有{lag}的{task}，有明确{deadline}的{task}均未超过{deadline}。" if deadlines and unread
                else f"本期没有{lag}的{task}，也没有超过{deadline}的{task}。" if deadlines and c.coop_lagging
                else f"本期没有{lag}或超过{deadline}的{task}。" if deadlines else f"本期没有{lag}的{task}。")
    # the tasks past their 完成时限 whose leads may still report on time are said apart, after
    waiting = c.task_overdue_waiting
    after = f"另有{waiting}项{task}已过{deadline}、牵头单位报送尚未截止，一并列出" if waiting else ""
    n -= waiting
    if not n:
        return f"本期有{waiting}项{task}已过{deadline}、牵头单位报送尚未截止，具体如下："
    lagging, overdue = c.task_lagging, c.task_overdue
    both = sum(t.status == Status.LAGGING and t.overdue for t in c.attention)
    if not overdue:
        head = f"本期进展滞后的{task}共{n}项"
    elif not lagging:
        head = f"本期已超过{deadline}仍未完成的{task}共{n}项"
    elif both == n:
        head = f"本期进展滞后且已超过{deadline}的{task}共{n}项"
    elif overdue == n:
        head = f"本期已超过{deadline}仍未完成的{task}共{n}项（其中{both}项进展滞后）"
    elif lagging == n:
        head = f"本期进展滞后的{task}共{n}项（其中{both}项已超过{deadline}）"
    else:
        head = (f"本期进展滞后或超过{deadline}的{task}共{n}项，其中已超过{deadline}仍未完成{overdue}项"
                + (f"（含进展滞后{both}项）" if both else "") + f"、未超过{deadline}但进展滞后{lagging - both}项")
    return head + (f"；{after}" if after else "") + "，具体如下："


def coop_lagging_text(c: MemoContext, most: int, words: Words = PLAN) -> str:
    """After section 三's list: the tasks not in it on which a 配合 unit reported its part 滞后
    (`MemoContext.coop_lagging`), each with those units, named up to ``most`` as a task's leads
    are, so a 配合 of 各镇街 on a 300-unit plan is not a page of names."""
    if not c.coop_lagging:
        return ""

    def who(t: TaskItem) -> str:
        n = len(t.lagging_coops)
        return names_text(t.lagging_coops) if n <= most else f"{n}个单位，名单见汇总表“单位明细”"

    tasks = "、".join(f"任务{t.id}（{who(t)}）" for t in c.coop_lagging)
    return f"另有{len(c.coop_lagging)}项{words.task}的配合单位报告所承担工作进展滞后：{tasks}。"


def due_text(due: str, own: list[UnitDue], most: int) -> str:
    """The period's deadline ``due`` as a sentence, with the units of ``own`` (their forms gave
    another, `MemoContext.own_dues`) grouped by date: 其中麻涌镇、莞城街道为2022年7月10日; beyond
    ``most`` units, their count. A template saying only ``due_date_text`` told every unit the
    5th, while 麻涌镇, granted the 10th and sending on the 9th, stood 按时报送."""
    return f"本期报送截止日为{due}" + ("，" + own_dues_text(own, most) if own else "") + "。"


def own_dues_text(own: list[UnitDue], most: int) -> str:
    """The units of ``own`` with their dates: "其中麻涌镇、莞城街道为2022年7月10日"; beyond ``most``
    units, their count (with the date when they share one)."""
    dates = dict.fromkeys(d.due_date_text for d in own)
    if len(own) > most:
        return f"其中{own[0].name}等{len(own)}个单位" + (f"为{next(iter(dates))}" if len(dates) == 1
                                                        else "以各自填报表上的截止日为准")
    return "其中" + "，".join(f"{names_text([d.name for d in own if d.due_date_text == day])}为{day}"
                              for day in dates)


def next_due_text(c: MemoContext, most: int) -> str:
    """When the next month's progress is due: "2022年7月进展请各单位于2022年8月5日前报送（其中石龙镇等33个单位为
    2022年8月8日）". The earliest date its forms carry, the units given a later one named: told
    the date most forms carry, a department whose own form said the 5th sent on the 7th, 逾期."""
    own = f"（{own_dues_text(c.next_own_dues, most)}）" if c.next_own_dues else ""
    return f"{c.next_period_label}进展请各单位于{c.next_due_date_text}前报送{own}"


def reporting_text(c: MemoContext) -> str:
    if not c.unit_total:
        return "本期没有需要报送的单位。"
    head = f"本期应报送单位{c.unit_total}个"
    # 均 (all) of one unit reads wrong: 绍兴 2020's one 市发改委 "均已按时报送" (QA265)
    every = "均" if c.unit_total > 1 else ""
    if c.unit_on_time == c.unit_total:
        return head + f"，{every}已按时报送。"
    if c.unit_missing == c.unit_total:  # not "尚无单位报送通过", as if some had sent
        return head + f"，{every}未报送。"
    if not c.unit_reported:
        text = head + "，尚无单位报送合格"
    else:
        text = head + f"，已报送{c.unit_reported}个（报送率{c.report_rate}）"
        if c.unit_late and c.unit_on_time:
            text += f"，其中按时报送{c.unit_on_time}个、逾期报送{c.unit_late}个"
        elif c.unit_late:
            text += "，均为逾期报送" if c.unit_reported > 1 else "，为逾期报送"
        else:
            text += "，均按时报送" if c.unit_reported > 1 else "，为按时报送"
    rest = []
    if c.unit_returned:
        rest.append(f"{c.unit_returned}个单位报送内容有误已退回修改")
    if c.unit_missing:
        rest.append(f"{c.unit_missing}个单位未报送")
    return text + ("；" + "，".join(rest) if rest else "") + "。"


def exempt_text(c: MemoContext, most: int, words: Words = PLAN) -> str:
    """The units exempt (销号), said after 报送情况's figures, which do not count them; named
    up to ``most``, as a task's leads are."""
    names = f"（{c.exempt_names}）" if c.unit_exempt <= most else ""
    return (f"另有{c.unit_exempt}个单位{names}负责的{words.task}此前均已报告完成，本期免于报送"
            f"{'' if names else '（名单见汇总表“报送情况”）'}。") if c.unit_exempt else ""


def reporting_points(c: MemoContext, words: Words = PLAN) -> list[Point]:
    """报送情况's lists that have units: names (by 类别 when long), or, for a list put in an
    appendix, its count and where its names are; ``words``: the plan's (`rectification.Words`)."""
    placed = {a.title: a for a in c.appendices}
    items = []
    for field, heading, title, counted, after in _LISTS:
        units = getattr(c, field)
        if not units:
            continue
        after = after.format(task=words.task, work=words.work)
        if title in placed:
            items.append((f"{heading}。", f"共{len(units)}{counted}（名单见附件{placed[title].number}）。" + after))
        else:
            items.append((f"{heading}（{len(units)}个）：", grouped_names(units) + "。" + after))
    return points(items)


def has_deadlines(tasks: list[TaskSummary], read: bool = True) -> bool:
    """Whether any task of the plan has a 完成时限 duban read (a date, 长期开展; 年底前 by the
    title's year): most published tables give none (苍南's 民生实事, 国办 2018 126号, every
    prose 分工意见), and the 通报 of such a plan does not speak of deadlines it never set. A
    plan whose every 完成时限 was unreadable (年底前 with no year anywhere, M103) is one too:
    "2024年10月没有到期的任务" and "暂无超过完成时限" claimed what duban could not judge.
    ``read=False``: whether any is written at all, read or not (a task's summary shows it)."""
    if not read:
        return any(t.task.deadline_text for t in tasks)
    return any(t.task.dated or t.task.ongoing for t in tasks)


def unread_deadlines(tasks: list[TaskSummary]) -> list[TaskSummary]:
    """The unfinished tasks whose 完成时限 is written but gave duban no date (年底前 with no
    year anywhere, M103): whether they are due, or past due, was never judged."""
    return [t for t in tasks if t.task.deadline_text and not t.task.dated and not t.task.ongoing
            and t.status != Status.DONE]


def unread_text(unread: list[TaskSummary], judged: str, words: Words = PLAN) -> str:
    """One sentence for ``unread`` (`unread_deadlines`): how many, the words most of them
    give, and that duban did not judge whether they are ``judged`` (到期, 超期). A 通报 of a
    plan with 年底前 beside 持续推进 said "2024年10月没有到期的任务" and "暂无超过完成时限仍未完成
    的任务" of tasks it never judged. What the office does about it is no part of it: the 通报
    goes to the units, who keep no 任务清单 ("请在任务清单中补充截止日期", QA369); memo says it
    on screen (`actions.memo.unread_notes`)."""
    texts = [t.task.deadline_text.strip() for t in unread]
    example = Counter(texts).most_common(1)[0][0]
    # 年底前, 6月底前: a date once a year is given; 2025年—2024年: not one at all. Said as an
    # office prints it: "未能识别出日期" was the software's failure, and untrue of a start (QA377)
    why = "未写明年份" if all(parse_deadline(x, 2000)[0] for x in texts) else "未明确到日期"
    if all(starts_only(x) for x in texts):
        # 5月底前动工: a day the work starts, read as no day to be done by on purpose (M117)
        why = "仅明确开工时间"
    if all(at_once(x) for x in texts):
        # 立行立改 is no date by design, said so at import: "未能识别出日期" blamed the reading (QA320)
        why = "未写明具体日期"
    # one task is named, its words quoted: "1项任务的完成时限（如“年底前”）" gave an example of
    # one; counted still, as the callers' 另有 asks (另有1项任务（任务1）…: QA176)
    which = (f"1项{words.task}（任务{unread[0].task.id}）的{words.deadline}“{example}”" if len(unread) == 1
             else f"{len(unread)}项{words.task}的{words.deadline}（如“{example}”）")
    return f"{which}{why}，未判断是否{judged}。"


def unread_note(tasks: list[TaskSummary], words: Words = PLAN, year: int = 2022) -> list[str]:
    """The office's side of `unread_text`, said on screen by memo: which tasks the 通报 says were not
    judged and how to have them judged. Said to the units, it asked them to fill in a 任务清单
    they do not keep (QA369). ``year``: the month's, its example date's (not another year's)."""
    unread = unread_deadlines(tasks) if has_deadlines(tasks) else []
    if not unread:
        return []
    shown = "、".join(f"任务 {t.task.id}“{t.task.deadline_text.strip()}”" for t in unread[:6])
    more = f" 等 {len(unread)} 项" if len(unread) > 6 else ""
    return [f"提醒：通报写明 {shown}{more} 的{words.deadline}没有可判断的日期，未判断是否超期、到期。如需判断，"
            f"请在任务分工表.xlsx“任务清单”的“截止日期”列填写日期（如 {year}-12-31），再重新生成通报。"]


def due_next_text(c: MemoContext, tasks: list[TaskSummary], words: Words = PLAN) -> str:
    """Section 五; once every dated task's 完成时限 has passed (a 2022 plan from its December
    on), it says so, where it said only that next month has none due. A plan that sets no
    完成时限 had "2022年11月没有到期的任务。" every month: it says it sets none and what is
    asked instead. Tasks whose 完成时限 was not read (`unread_deadlines`) are said in one
    sentence; what is said of the rest is said of the tasks with a 完成时限 read."""
    task, deadline = words.task, words.deadline
    if not has_deadlines(tasks):
        # 各项…均 of one task reads wrong, as 均 of one unit did (广州 2023's one card; QA265)
        which = f"该项{task}未" if len(tasks) == 1 else f"各项{task}均未"
        who = "责任单位" if c.unit_total == 1 else "各责任单位"
        return f"{which}明确{deadline}，请{who}对照{words.aim}持续推进，按月如实报送{words.work}。"
    unread = unread_deadlines(tasks)
    not_judged = unread_text(unread, "到期", words=words) if unread else ""
    if c.due_next:
        return (not_judged + f"以下{len(c.due_next)}项{task}的{deadline}为{c.next_period_label}，"
                f"请牵头单位倒排工期，确保按时{words.finished}：")
    dated = [t.task.deadline for t in tasks if t.task.dated]
    if not dated:  # 持续推进 beside 年底前: nothing read could be due
        return not_judged or f"{c.next_period_label}没有到期的{task}。"
    if max(dated) > Period.parse(c.period).end:
        return (f"有明确{deadline}的{task}中，{c.next_period_label}没有到期的；另有{not_judged}" if not_judged
                else f"{c.next_period_label}没有到期的{task}。")
    ongoing = f"，长期开展的{task}仍须持续推进" if any(t.task.ongoing for t in tasks) else ""
    expired = f"有明确{deadline}的{task}，时限均已届满（最晚为{cn_date(max(dated))}）{ongoing}"
    return f"{expired}；另有{not_judged}" if not_judged else f"{c.next_period_label}没有到期的{task}。{expired}。"


def requirements(c: MemoContext, coops: bool = True, deadlines: bool = True, words: Words = PLAN) -> list[Point]:
    """下一步工作要求; ``coops``: whether any task has cooperating units (苍南's plan names one
    lead a task and no other, so 与配合单位的沟通协作 spoke of units it does not have);
    ``deadlines``: whether any task has a 完成时限 (`has_deadlines`), else its 滞后 tasks are
    not said to be past one; ``words``: the plan's (`rectification.Words`)."""
    w = words
    items = []
    if len(c.attention) > c.task_overdue_waiting:  # not of tasks whose leads may still report
        # the kinds the month has: "进展滞后和超过完成时限的任务" of a month with none overdue
        # spoke of tasks section 三 did not list (QA174)
        kinds = "和".join(k for n, k in ((c.task_lagging, "进展滞后"), (c.task_overdue if deadlines else 0,
                                                                          f"超过{w.deadline}")) if n)
        items.append((f"{w.lagging_title}。", f"{kinds or '进展滞后'}的{w.task}，牵头单位要认真分析原因，{w.remedy}，"
                      "明确完成时间，并在下期进展中说明整改情况；" + c.coordination + "，请及时提出。"))
    if c.unit_missing or c.unit_returned:
        # a unit sent back did report: it corrects and sends again, it does not 补报 (QA174)
        asks = []
        if c.unit_missing:  # not "未报送的54个单位" of 54
            asks.append("各单位尽快补报" if c.unit_missing == c.unit_total
                        else f"未报送的{c.unit_missing}个单位尽快补报")
        if c.unit_returned:
            asks.append(f"退回修改的{c.unit_returned}个单位修改后重报")
        items.append(("按时报送进展。",
                      f"请{'，'.join(asks)}；{c.next_due_text}，"
                      "逾期未报送的将在下期通报中列明。"))
    else:
        items.append(("按时报送进展。", f"{c.next_due_text}。"))
    if c.due_next:
        items.append((f"确保按期{w.finished}。", f"{c.next_period_label}到期的{len(c.due_next)}项{w.task}，"
                      f"牵头单位要倒排工期、压实责任，确保按时{w.finished_well}。"))
    items.append(("加强统筹协调。",
                  ("各牵头单位要加强与配合单位的沟通协作，" if coops else "各责任单位要加强统筹调度，")
                  + f"如实报送{w.work}和{w.problems}"
                  + (f"，重要情况及时报告{c.organiser}。" if c.organiser else "，重要情况及时报告。")))
    return points(items)
