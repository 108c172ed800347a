"""What the office is told after an issue (`issue_returns`): the deadlines the forms print and
the units asked, exempt or without a mail address, one line each, built once for every screen.

`duban issue` echoes them all (a warning in yellow); the Excel console's 下发 writes the warnings
under its line in the result cell, its user seeing no other screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import at_once, cn_date, day_off, next_working_day, starts_only, weekday
from .text import some_units

if TYPE_CHECKING:
    from .actions.issue import IssueResult


@dataclass(frozen=True)
class Note:
    """One line for the office: ``warning`` what it must check or act on before the forms go out
    (yellow on the command line), else information."""

    text: str
    warning: bool = False


def issue_notes(result: IssueResult, depts: Iterable[str] = (), out: str | None = None, emails: bool = False,
                prefill: bool = False, skip_done: bool | None = None) -> list[Note]:
    """The lines after an issue, in the order the command line says them; the options are the
    issue's own (as typed), for the commands a line offers."""
    # a command given to issue again repeats this one's options: run without --prefill it
    # blanked the forms, without --no-skip-done it could exempt units this issue asked
    # (skip_done_units), and without --emails it left the drafts attaching the old forms
    same = "".join(" " + o for o in (
        *(f"--dept {d}" for d in depts), *([f'--out "{out}"' if " " in out else f"--out {out}"] if out else []),
        *(["--emails"] if emails else []), *(["--prefill"] if prefill else []),
        *([] if skip_done is None else ["--skip-done" if skip_done else "--no-skip-done"])))
    notes = []
    ahead = result.today is None or result.today < result.due
    if result.asked_due is None and (off := day_off(result.due)) and ahead:
        # the default deadline (due_day of the next month) never moves: a form printing a Sunday
        # holds every unit to it, where an office often means the next working day (QA137). Not
        # once that day has come: `_past_dues` offers a --due with time to report, and a second
        # command moving it to the Monday (today, or a day already gone) contradicted it (QA349)
        after = next_working_day(result.due)
        notes.append(Note(f"提醒：报送截止 {cn_date(result.due)} 是{off}。督办不按节假日顺延截止日期，是否逾期按"
                          f"填报表上印的日期判断；如需顺延（如到 {cn_date(after)}，{weekday(after)}），"
                          "请在发出填报表前运行 "
                          f"duban issue --period {result.period} --due {after.isoformat()}{same} 重新生成。", True))
    notes += _kept_dues(result) + _past_dues(result, same) + _verdicts(result)
    if result.period_set:
        notes.append(Note(f"当前期次已设为 {result.period.label}（写入 duban.toml）："
                          "以后不加 --period 的命令和双击脚本直接回车都处理这一期。"))
        if result.left_open:
            # the month still collecting: Enter no longer gives it (its 催报 and 通报 went to the
            # new month on Enter, the day after the new forms went out), so the month to type
            was, due = result.left_open
            notes.append(Note(f"提醒：{was.label}的报送截止（{cn_date(due)}）还没到：此后收取、汇总、催报、通报"
                              f"{was.label}，请在双击脚本询问期次时输入 {was}"
                              f"（直接回车处理的是{result.period.label}）。", warning=True))
    elif result.kept_period:
        notes.append(Note(f"当前期次仍为 {result.kept_period.label}：补发的是较早一期的填报表，不改变当前期次。"
                          f"收到后运行 duban merge --period {result.period}"
                          f"（或双击“2-收取并汇总”，期次输入 {result.period}）更新该期汇总表。"))
    # 立行立改 has no date by design (the import said so): "无法识别为日期（如没有写年份）" blamed a
    # reading that never failed (QA320)
    # a start (5月底前动工) is read as no day to be done by (M117): "无法识别" blamed the reading too
    starts = [u for u in result.undated if not at_once(u[1]) and starts_only(u[1])]
    unread = [u for u in result.undated if not at_once(u[1]) and u not in starts]
    for undated, why in ((unread, "无法识别为日期（如没有写年份）"),
                         (starts, "写的是开工（启动）时间，不是完成时间"),
                         ([u for u in result.undated if at_once(u[1])], "没有写具体日期")):
        if undated:
            shown = "、".join(f"任务 {tid}“{text}”" for tid, text in undated)
            notes.append(Note(f"请核实：{shown} 的{result.words.deadline}{why}，不判断是否超期，也不列入"
                              f"下月到期{result.words.task}。如需判断，请在任务分工表.xlsx“任务清单”的“截止日期”列填写日期"
                              f"（如 {result.period.year}-12-31）。", True))  # the month's year (QA375)
    notes += [Note(line, line.startswith("请核实")) for line in result.dates]  # `date_columns`
    notes += _done_units(result)
    if prefill:
        notes.append(Note(f"已用上期内容预填 {len(result.prefilled)} 份（预填的单元格为黄色底纹，请各单位逐项更新）"
                          if result.prefilled else "尚无已采纳的报送，未预填。"))
    notes += _issued_before(result, emails)
    if emails:
        notes += _drafts(result)
    return notes


def _issued_before(result: IssueResult, emails: bool) -> list[Note]:
    """The month's forms issued to every unit before (`IssueResult.issued_before`): written again
    with new drafts, which `mail send` mails but to the units it mailed before (`drafts.same_mail`,
    said by `_drafts`); forms the office sent by hand it cannot know of, and would go twice."""
    if result.issued_before is None or (emails and set(result.units) <= set(result.kept_sent)):
        return []  # every draft is one mailed already: `_drafts` says so
    day, count = result.issued_before
    said = f"提醒：{result.period.label}的填报表已于{cn_date(day)}下发过（{count} 个单位），本次重新生成了填报表"
    if not emails:
        return [Note(f"{said}：上次的填报表如已发给各单位，请勿重复发送。", True)]
    return [Note(f"{said}和邮件草稿：运行 duban mail send issue 时，草稿会发给上次没有经 duban mail send 发出的单位。"
                 "上次的填报表如已手动发出（如用邮件客户端打开草稿发送），请勿再发本次的草稿，以免各单位重复收到。",
                 True)]


def _verdicts(result: IssueResult) -> list[Note]:
    """The units whose 报送状态 this issue changed (`IssueResult.verdicts`), each as `duban received`
    says a verdict an answer changed, and that no 汇总表 or 通报 made before says it."""
    if result.verdicts_unknown:
        # said first that the forms are written and recorded, lest the office issue them again
        return [Note("提醒：填报表已生成，但未能判断本次下发是否改变了各单位的报送状态（原因已记入“日志/duban.log”）。"
                     "请运行 duban status 查看；如与已生成的汇总表、通报不一致，请重新运行 duban merge 和 duban memo"
                     "（或一键月报）。", True)]
    if not result.verdicts:
        return []
    from .actions.sender import then  # it loads consolidate: only for an issue that changed a verdict

    said = "；".join(then(u, was, now) for u, (was, now) in result.verdicts.items())
    return [Note(f"本次下发改变了报送状态：{said}。"
                 "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。", True)]


def _depts(units: list[str]) -> str:
    """``--dept`` for each unit, a command the office can paste: it named only the first of two
    exempt units, as if the other could not be asked (QA376)."""
    return " ".join(f"--dept {u}" for u in units)


def _done_units(result: IssueResult) -> list[Note]:
    """The units whose every task was last reported 已完成: exempt, kept as mailed, or asked."""
    notes, task = [], result.words.task  # a 整改清单's 整改任务
    if result.exempt:
        notes.append(Note(f"本期免报 {len(result.exempt)} 个单位：{some_units(result.exempt)}。其上次报送的{task}"
                          "均为“已完成”，按 duban.toml 的 skip_done_units 设置不下发填报表，汇总表和通报不计入"
                          "应报单位、不列为未报送；"
                          f"如需其报送，请运行 duban issue {_depts(result.exempt)} --no-skip-done"))
    if result.mailed:
        notes.append(Note(f"未予免报：{some_units(result.mailed)}上次报送的{task}均为“已完成”，但本期的填报表已通过邮件发出："
                          "仍按已发出的填报表报送（确认“已完成”即可，本次未重新生成），否则将在通报中列为未报送。",
                          True))
    if asked := [u for u in result.all_done if u not in result.exempt and u not in result.mailed]:
        # with the setting already on, only --no-skip-done asked them: setting it is no advice (QA407)
        how = ("请下发时不加 --no-skip-done（duban.toml 中已设 skip_done_units = true）" if result.skip_set
               else "请在 duban.toml 中设 skip_done_units = true，或下发时加 --skip-done")
        notes.append(Note(f"请注意：{some_units(asked)}上次报送的{task}均为“已完成”，本期仍向其下发了填报表：请提醒其按时报送"
                          f"（确认“已完成”即可），否则将在通报中列为未报送。如这些单位可免报，{how}。", True))
    return notes


def _drafts(result: IssueResult) -> list[Note]:
    """The mail drafts written: how many, those without a recipient, those already mailed."""
    notes = [Note(f"邮件草稿 {len(result.emails)} 封（与填报表同名的 .eml 文件，双击用邮件客户端打开后发送）")]
    if result.no_email:
        notes.append(Note(f"其中 {len(result.no_email)} 个单位在单位名录中没有邮箱，请在草稿中填写收件人，"
                          "或在任务清单的“单位名录”表中补充邮箱。", True))
    if result.kept_sent:
        month = f" --period {result.period}" if result.kept_period else ""
        notes.append(Note(f"其中 {len(result.kept_sent)} 个单位本期的填报表已通过邮件发出（或可能已发出）："
                          f"{some_units(result.kept_sent)}。重新生成的草稿不会再次发送；如需把新的填报表发给它们，"
                          f"请运行 duban mail send issue{month} --resend "
                          + ("全部" if len(result.kept_sent) > 1 else result.kept_sent[0]) + "。", True))
    if result.resent:
        notes.append(Note(f"其中 {some_units(result.resent)} 本期的填报表已通过邮件发出（或可能已发出）：重新生成的"
                          "填报表是新的邮件，运行 duban mail send issue 时会再次发给它们。", True))
    return notes


def _kept_dues(result: IssueResult) -> list[Note]:
    """Where the forms' deadline is not the --due asked: units already told a later one keep
    it (printed and judged), and forms printing a date before duban.toml's due_day are judged
    by the later due_day. Each said in one line, with what the office can do."""
    notes = []
    kept = {u: d for u, d in result.kept_dues.items() if u not in result.below_day}
    if kept:
        asked = cn_date(result.asked_due)
        notes.append(Note(f"提醒：本次指定的报送截止{asked}早于此前下发的填报表上的日期"
                          f"（{_by_date(kept, result.units)}）：已下发的截止日期不提前，这些单位的新填报表仍印原日期，"
                          "是否逾期也按原日期判断。"
                          f"如确需其提前报送，请另行通知；督办不会按{asked}把它们计为逾期报送。", True))
    if result.below_day:
        day, earliest = result.day_due, min(result.below_day.values())
        # due_day names a day of the next month: a date before that month it cannot give
        same_month = (earliest.year, earliest.month) == (day.year, day.month)
        lower = (f"如应按填报表上的日期判断，请把 duban.toml 的 due_day 改为 {earliest.day}"
                 "（以后各期的默认截止日也随之改变）。" if same_month else "")
        printed = _by_date(result.below_day, result.units)
        notes.append(Note(f"提醒：填报表印的报送截止（{printed}）早于 duban.toml 的 due_day 给出的{cn_date(day)}："
                          f"是否逾期按较晚的{cn_date(day)}判断。{lower}", True))
    return notes


def _past_dues(result: IssueResult, same: str) -> list[Note]:
    """Forms printing a date that had passed when they were made, and the units first asked
    after the month's date passed, given a later one (`IssueResult.fresh`): each said in one
    line before the forms are mailed, with the command that gives another date (``same``: the
    issue's options)."""
    def again(day: str) -> str:
        return f"duban issue --period {result.period} --due {day}{same}"

    notes = []
    if result.fresh:
        given, first = cn_date(next(iter(result.fresh.values()))), some_units(list(result.fresh))
        passed = "就是今天" if result.passed_due == result.today else "已过"
        notes.append(Note(f"提醒：本期报送截止{cn_date(result.passed_due)}{passed}，{first}此前未收到本期填报表："
                          f"其填报表印{given}（今天起{result.later_days}个工作日，同反馈邮件给出的重报期限），"
                          f"是否逾期按此判断。如需其他日期，请在发出前运行 {again('YYYY-MM-DD')} 重新生成。", True))
    if result.past:
        past = _by_date(result.past, result.units)
        ended = "已过或就是今天" if result.today in result.past.values() else "已过"
        notes.append(Note(f"提醒：填报表印的报送截止{ended}（{past}；今天是{cn_date(result.today)}）："
                          "此后报送的都将计为逾期报送。如需给其留出报送时间，请在发出前运行 "
                          f"{again(result.later_due.isoformat())} 重新生成"
                          "（截止日期可以延后，不会提前）。", True))
    return notes


FEW = 3  # units of an issue named by `_by_date` though all share one date (--dept 市司法局 --dept 虎门镇)


def _by_date(dues: dict[str, dt.date], issued: list[str]) -> str:
    """Units grouped by their deadline, earliest first: "石龙镇、虎门镇为2022年7月8日；麻涌镇为2022年7月10日";
    every unit of the issue (``issued``, more than `FEW`) with one date in a word: not ten names of 54,
    nor 大竹's ten units named one by one to say they all share it (QA368)."""
    if len(issued) > FEW and set(dues) == set(issued) and len(set(dues.values())) == 1:
        return f"本次下发的 {len(issued)} 个单位均为{cn_date(next(iter(dues.values())))}"
    return "；".join(f"{some_units([u for u in dues if dues[u] == d])}为{cn_date(d)}"
                    for d in sorted(set(dues.values())))
