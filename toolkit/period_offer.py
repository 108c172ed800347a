"""The period a double-click script offers on Enter (`duban period --for-issue`, `--for-returns`),
and the line that says why when it is not duban.toml's.

duban.toml's period is the month last issued (`issue` sets it). The month an office works on is
not always that one: its forms issued, the next month's go out on the 6th, and for the rest of
the month the returns coming in, merged, verified, chased and written up are the month before's.
"""

from __future__ import annotations

import contextlib

from .period import Period
from .workspace import Workspace, issued_periods


def period_to_issue(ws: Workspace) -> Period:
    """The period 1-下发填报表 offers on Enter: the current one (duban.toml) until returns of it
    come in, then the next. Offered the current one after October was collected and its 通报
    made, Enter issued October's forms again over those sent, with mail drafts to send (QA232).
    An office re-issuing the month it collects (to some units, with a later --due) types it.
    A return is a unit's: a stray file of no unit (a signature image, an unreadable note)
    collected before any return moved Enter on to the next month, which issuing would make the
    current one (QA235). Nor is a month offered whose returns came in already: duban.toml's period left
    behind one issued since (a hand edit, ``issue --out``) offered that one again (QA235).
    A return of the current month that comes before the month has ended moves Enter on only
    once it has (QA243)."""
    offered = ws.period()
    if ws.ledger_path.exists():
        import sqlite3

        from .ledger import Ledger  # sqlite3 and the ledger only when a command asks about periods

        # a damaged ledger offers duban.toml's period; one another program holds says so (DubanError)
        with contextlib.suppress(sqlite3.DatabaseError, OSError), Ledger(ws.ledger_path, readonly=True) as ledger:
            received = {row[0] for row in ledger.conn.execute(
                "SELECT DISTINCT period FROM receipts WHERE unit IS NOT NULL AND period IS NOT NULL")}
            # past a later month only when it was issued: a form whose period a unit typed
            # wrong (2022-07 in June) is no issued month to step over
            issued = set(ledger.issued_periods())
            # the current month only once it has ended: a department's return of January on 27
            # January (its forms out on the 25th) made Enter issue February's forms, and the
            # current period February, a month early (QA243)
            today = ws.now().date()
            step = offered
            while str(step) in received and (step in issued if step != offered else today > step.end):
                step = step.shift(1)
            offered = step
    return offered


def period_of_returns(ws: Workspace) -> Period:
    """The month whose returns are coming in, which 2-收取并汇总, 3-生成通报, 5-逐条核实, 一键月报 and
    4-发送邮件's 反馈 and 催报 offer on Enter (`duban period --for-returns`, formerly --for-chase):
    the current one (duban.toml) once it has ended; before that the month before, when its forms
    went out. No month's returns are due before it ends (its deadline is in the next month), so
    until then those collected, merged, verified, chased and written up are the month before's.
    December's forms out on 6 December, the office collecting November's late returns on the 8th
    was offered December, and made an empty December (QA357); on 7 December 4-发送邮件 wrote every
    unit "【提醒】请于2027年1月5日前报送…" while November's returns were the ones to chase (QA354).

    The forms of the month before are found as `require_issued` finds them: the ledger's record,
    else a 下发/<期> folder. A damaged or unreadable ledger offers duban.toml's month, as
    `period_to_issue` does, instead of failing the prompt (QA357)."""
    current = ws.period()
    if ws.now().date() > current.end:  # the office's day, whatever the machine's zone
        return current
    before = current.shift(-1)
    return before if before in issued_periods(ws) else current


def why_offered(current: Period, offered: Period) -> str:
    """The line a script says before its prompt when Enter's period is not duban.toml's
    (``current``): which month Enter takes, why, and what to type for the current one. Empty
    when they are the same: nothing to explain, the prompt names the month."""
    if offered == current:
        return ""
    if offered > current:  # period_to_issue: the current month (and any issued since) came in
        came = current.label if offered == current.shift(1) else f"{current.label}至{offered.shift(-1).label}"
        return (f"直接回车为下一期{offered.label}：{came}已收到单位的报送、且月份已过完，不再重新下发。"
                f"要给个别单位补发{current.label}的填报表，请输入 {current}。")
    return (f"直接回车为上一期{offered.label}：当前期次{current.label}还没有过完（该月的报送月底以后才报来），"
            f"现在收取、汇总、核实、催报和通报的是{offered.label}。要处理{current.label}，请输入 {current}。")
