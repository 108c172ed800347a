"""`duban issue`: the month's forms, and what the office is told about their deadlines."""

from __future__ import annotations

from pathlib import Path

import click

from ..dates import cn_date, units_dues_text
from .base import State, _action, _parse_date_option, cli, echo, pass_state, period_option


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
                                                Path(out).resolve() if out else None, emails, prefill,
                                                state.progress,
                                                skip_done)
    own = units_dues_text(list(result.own_dues.items()))
    echo(state, f"已生成 {result.period.label}进展填报表 {len(result.files)} 份"
                f"（报送截止：{cn_date(result.due)}{'；' + own if own else ''}）")
    echo(state, f"文件夹：{result.folder}")
    # deferred: every other command loaded issue_notes (a frozen dataclass) for nothing: 4.3 M
    # instructions of `duban status`'s 543 M (callgrind, demo workspace)
    from ..issue_notes import issue_notes

    for note in issue_notes(result, depts, out, emails, prefill, skip_done):
        echo(state, note.text, **({"fg": "yellow"} if note.warning else {}))
    if emails and ws.settings.mail.smtp_host and ws.settings.mail.imap_host:
        # a mailbox set up: the drafts go by `mail send issue` and the replies come by `collect
        # --fetch`, not by hand (the line below sent an office with both to its mail client: QA371)
        period = "" if result.period == ws.period() else f" --period {result.period}"
        # collect with no --period takes each return by its form's month: --period would refuse the others
        echo(state, f"下一步：检查邮件草稿的收件人后运行 duban mail send issue{period} 发出（或双击“4-发送邮件”，"
                    "选 1 下发）；回件到邮箱后运行 duban collect --fetch（或双击“2-收取并汇总”）收取。")
        return
    send = "检查邮件草稿的收件人后发出" if emails else "把填报表发给各单位（加 --emails 生成邮件草稿）"
    echo(state, f"下一步：{send}；收到的回件放进“收件箱”文件夹，运行 duban collect（或双击“2-收取并汇总”）。")
