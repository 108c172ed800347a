"""`duban issue`: the month's forms, and what the office is told about their deadlines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..dates import cn_date, day_off, next_working_day, units_dues_text, weekday
from .base import (
    NAMED,
    State,
    _action,
    _parse_date_option,
    _some,
    cli,
    echo,
    pass_state,
    period_option,
)


@cli.command("issue")
@period_option()
@click.option("--due", metavar="YYYY-MM-DD",
              help="报送截止日期，默认为次月 duban.toml 中的 due_day 日；已下发给某单位的较晚截止日期不会提前")
@click.option("--dept", "depts", multiple=True, metavar="单位", help="只给这些单位下发（可写简称，可重复）")
@click.option("--out", "-o", type=click.Path(file_okay=False), help="输出文件夹，默认 下发/<期>/")
@click.option("--emails", is_flag=True, help="同时为每个单位生成 .eml 邮件草稿")
@click.option("--prefill", is_flag=True, help="用各单位上次采纳的报送内容预填，便于在上月基础上更新")
@click.option("--skip-done/--no-skip-done", default=None,
              help="上次报送的任务均为“已完成”的单位本期免报、不下发（销号）；默认按 duban.toml 的 skip_done_units")
@pass_state
def issue_cmd(state: State, period: str | None, due: str | None, depts: tuple[str, ...],
              out: str | None, emails: bool, prefill: bool, skip_done: bool | None) -> None:
    """下发填报表：给每个有任务的单位生成一份进展填报表。

    每份表只列该单位的任务（牵头在前），任务内容锁定，只能填写进展；
    完成时限在本期或之前的任务以橙色标出。

    上次报送的任务均为“已完成”的单位，duban.toml 中 skip_done_units = true
    （或加 --skip-done）时本期免报：不下发填报表，汇总表写“本期免报”，
    不计入应报单位，通报不点名。

    \b
    示例：
      duban issue --period 2022-06
      duban issue --period 2022-06 --dept 市公安局 --dept 市人社局 --emails
      duban issue --period 2022-07 --prefill
      duban issue --period 2022-07 --skip-done
      duban issue --period 2022-07 --dept 市残联 --no-skip-done
    """
    with state.locked() as ws:
        result = _action("issue").issue_returns(ws, period, _parse_date_option(due), depts or None,
                                                Path(out) if out else None, emails, prefill, state.progress,
                                                skip_done)
    own = units_dues_text(list(result.own_dues.items()))
    echo(state, f"已生成 {result.period.label}进展填报表 {len(result.files)} 份"
                f"（报送截止：{cn_date(result.due)}{'；' + own if own else ''}）")
    echo(state, f"文件夹：{result.folder}")
    # a command given to issue again repeats this one's options: run without --prefill it
    # blanked the forms, without --no-skip-done it could exempt units this issue asked
    # (skip_done_units), and without --emails it left the drafts attaching the old forms
    same = "".join(" " + o for o in (
        *(f"--dept {d}" for d in depts), *([f'--out "{out}"' if " " in out else f"--out {out}"] if out else []),
        *(["--emails"] if emails else []), *(["--prefill"] if prefill else []),
        *([] if skip_done is None else ["--skip-done" if skip_done else "--no-skip-done"])))
    if due is None and (off := day_off(result.due)):
        # the default deadline (due_day of the next month) never moves: a form printing a Sunday
        # holds every unit to it, where an office often means the next working day (QA137)
        after = next_working_day(result.due)
        echo(state, f"提醒：报送截止 {cn_date(result.due)} 是{off}。督办不按节假日顺延截止日期，是否逾期按填报表上印的"
                    f"日期判断；如需顺延（如到 {cn_date(after)}，{weekday(after)}），请在发出填报表前运行 "
                    f"duban issue --period {result.period} --due {after.isoformat()}{same} 重新生成。", fg="yellow")
    _echo_kept_dues(state, result)
    _echo_past_dues(state, result, same)
    if result.period_set:
        echo(state, f"当前期次已设为 {result.period.label}（写入 duban.toml）：以后不加 --period 的命令都处理这一期。")
    elif result.kept_period:
        echo(state, f"当前期次仍为 {result.kept_period.label}：补发的是较早一期的填报表，不改变当前期次。"
                    f"收到后运行 duban merge --period {result.period} 更新该期汇总表。")
    if result.undated:
        shown = "、".join(f"任务 {tid}“{text}”" for tid, text in result.undated)
        echo(state, f"请核实：{shown} 的完成时限无法识别为日期（如没有写年份），不判断是否超期，也不列入下月到期任务。"
                    "如需判断，请在任务分工表.xlsx“任务清单”的“截止日期”列填写日期（如 2022-12-31）。",
             fg="yellow")
    if result.exempt:
        echo(state, f"本期免报 {len(result.exempt)} 个单位：{_some(result.exempt)}。其上次报送的任务均为“已完成”，"
                    "按 duban.toml 的 skip_done_units 设置不下发填报表，汇总表和通报不计入应报单位、不列为未报送；"
                    f"如需其报送，请运行 duban issue --dept {result.exempt[0]} --no-skip-done")
    if result.mailed:
        echo(state, f"未予免报：{_some(result.mailed)}上次报送的任务均为“已完成”，但本期的填报表已通过邮件发出："
                    "仍按已发出的填报表报送（确认“已完成”即可，本次未重新生成），否则将在通报中列为未报送。",
             fg="yellow")
    if asked := [u for u in result.all_done if u not in result.exempt and u not in result.mailed]:
        echo(state, f"请注意：{_some(asked)}上次报送的任务均为“已完成”，本期仍向其下发了填报表：请提醒其按时报送"
                    "（确认“已完成”即可），否则将在通报中列为未报送。如这些单位可免报，请在 duban.toml 中设 "
                    "skip_done_units = true，或下发时加 --skip-done。", fg="yellow")
    if prefill:
        echo(state, f"已用上期内容预填 {len(result.prefilled)} 份（预填的单元格为黄色底纹，请各单位逐项更新）"
             if result.prefilled
             else "尚无已采纳的报送，未预填。")
    if emails:
        echo(state, f"邮件草稿 {len(result.emails)} 封（与填报表同名的 .eml 文件，双击用邮件客户端打开后发送）")
        if result.no_email:
            echo(state, f"其中 {len(result.no_email)} 个单位在单位名录中没有邮箱，请在草稿中填写收件人，"
                        "或在任务清单的“单位名录”表中补充邮箱。", fg="yellow")
        if result.kept_sent:
            month = f" --period {result.period}" if result.kept_period else ""
            echo(state, f"其中 {len(result.kept_sent)} 个单位本期的填报表已通过邮件发出（或可能已发出）："
                        f"{_some(result.kept_sent)}。重新生成的草稿不会再次发送；如需把新的填报表发给它们，"
                        f"请运行 duban mail send issue{month} --resend "
                        + ("全部" if len(result.kept_sent) > 1 else result.kept_sent[0]) + "。",
                        fg="yellow")
        if result.resent:
            echo(state, f"其中 {_some(result.resent)} 本期的填报表已通过邮件发出（或可能已发出）：重新生成的填报表"
                        "是新的邮件，运行 duban mail send issue 时会再次发给它们。", fg="yellow")
    send = "检查邮件草稿的收件人后发出" if emails else "把填报表发给各单位（加 --emails 生成邮件草稿）"
    echo(state, f"下一步：{send}；收到的回件放进“收件箱”文件夹，运行 duban collect（或双击“2-收取并汇总”）。")


def _echo_kept_dues(state: State, result) -> None:
    """Where the forms' deadline is not the --due asked: units already told a later one keep
    it (printed and judged), and forms printing a date before duban.toml's due_day are judged
    by the later due_day. Each said in one line, with what the office can do."""
    kept = {u: d for u, d in result.kept_dues.items() if u not in result.below_day}
    if kept:
        asked = cn_date(result.asked_due)
        echo(state, f"提醒：本次指定的报送截止{asked}早于此前下发的填报表上的日期（{_by_date(kept, result.units)}）："
                    "已下发的截止日期不提前，这些单位的新填报表仍印原日期，是否逾期也按原日期判断。"
                    f"如确需其提前报送，请另行通知；督办不会按{asked}把它们计为逾期报送。", fg="yellow")
    if result.below_day:
        day, earliest = result.day_due, min(result.below_day.values())
        # due_day names a day of the next month: a date before that month it cannot give
        same_month = (earliest.year, earliest.month) == (day.year, day.month)
        lower = (f"如应按填报表上的日期判断，请把 duban.toml 的 due_day 改为 {earliest.day}"
                 "（以后各期的默认截止日也随之改变）。" if same_month else "")
        printed = _by_date(result.below_day, result.units)
        echo(state, f"提醒：填报表印的报送截止（{printed}）早于 duban.toml 的 due_day 给出的{cn_date(day)}："
                    f"是否逾期按较晚的{cn_date(day)}判断。{lower}", fg="yellow")


def _echo_past_dues(state: State, result, same: str) -> None:
    """Forms printing a date that had passed when they were made, and the units first asked
    after the month's date passed, given a later one (`IssueResult.fresh`): each said in one
    line before the forms are mailed, with the command that gives another date (``same``: this
    command's options)."""
    def again(day: str) -> str:
        return f"duban issue --period {result.period} --due {day}{same}"

    if result.fresh:
        given, first = cn_date(next(iter(result.fresh.values()))), _some(list(result.fresh))
        passed = "就是今天" if result.passed_due == result.today else "已过"
        echo(state, f"提醒：本期报送截止{cn_date(result.passed_due)}{passed}，{first}此前未收到本期填报表："
                    f"其填报表印{given}（今天起{result.later_days}个工作日，同反馈邮件给出的重报期限），"
                    f"是否逾期按此判断。如需其他日期，请在发出前运行 {again('YYYY-MM-DD')} 重新生成。",
             fg="yellow")
    if result.past:
        past = _by_date(result.past, result.units)
        ended = "已过或就是今天" if result.today in result.past.values() else "已过"
        echo(state, f"提醒：填报表印的报送截止{ended}（{past}；今天是{cn_date(result.today)}）："
                    "此后报送的都将计为逾期报送。如需给其留出报送时间，请在发出前运行 "
                    f"{again(result.later_due.isoformat())} 重新生成"
                    "（截止日期可以延后，不会提前）。", fg="yellow")


def _by_date(dues: dict[str, dt.date], issued: list[str]) -> str:
    """Units grouped by their deadline, earliest first: "石龙镇、虎门镇为2022年7月8日；麻涌镇为2022年7月10日";
    every unit of the issue (``issued``, more than `_some` names) with one date in a word, not ten names of 54."""
    if len(issued) > NAMED and set(dues) == set(issued) and len(set(dues.values())) == 1:
        return f"本次下发的 {len(issued)} 个单位均为{cn_date(next(iter(dues.values())))}"
    return "；".join(f"{_some([u for u in dues if dues[u] == d])}为{cn_date(d)}" for d in sorted(set(dues.values())))
