"""QA189: the deadlines behind the QA187 review, on 东莞's June and July 2022 forms.

1. A month written beside a word for sending (石龙镇7月报送, 7月上报材料) is the month the file
   went when it is the month it was received in; and a form mailed by its own month's deadline,
   while the later month is still under way, is that month's whatever its words say.
2. A --due that cannot be the period's (a year typed wrong) is refused before it binds the month.
3. A form printing a date already past is said on screen; a unit first asked after the month's
   date passed gets a date from the day it is asked.
4. The 通报's sentence about next month's deadline names the earliest date, and the units with a
   later one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, issued_path
from test_qa96_done_units_exempt import DONE, at
from test_qa182_issue_due import printed

from toolkit.consolidate import consolidate
from toolkit.evidence import meant_later
from toolkit.filling import Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.memo.context import UnitDue, build_context
from toolkit.memo.sentences import due_text
from toolkit.period import Period
from toolkit.report import Report

JUNE, JULY = Period(2022, 6), Period(2022, 7)


def _refused(hints: list[str], received: dt.datetime, due: dt.date | None = None) -> bool:
    rep = Report("x.xlsx", unit="石龙镇", period=JUNE, period_by="_meta")
    said = meant_later(rep, "x.xlsx", hints, received, lambda unit, period, by: True,
                       due=(lambda period: due) if due else None)
    assert (rep.period == JULY) == bool(said)
    return bool(said)


@pytest.mark.parametrize("hints", [
    ["石龙镇", "", "石龙镇7月报送"],
    ["石龙镇", "", "7月报送材料（石龙镇）"],
    ["石龙镇2022年7月上报材料", "", ""],
    ["石龙镇", "", "石龙镇7月份提交进展"],
])
def test_the_month_beside_a_word_for_sending_is_when_it_went(hints):
    """June's form mailed late, on 10 July (June due 5 July), saying when it went: June's 补报."""
    assert not _refused(hints, dt.datetime(2022, 7, 10, 9))


@pytest.mark.parametrize("hints", [
    ["石龙镇", "", "石龙镇7月报送"],       # sent in August: 7月 is the month it reports
    ["石龙镇7月进展报送", "", ""],          # 进展 between: July's progress
    ["石龙镇", "", "7月份进展情况"],
])
def test_july_on_junes_form_is_still_refused_for_july(hints):
    assert _refused(hints, dt.datetime(2022, 8, 3, 9))


def test_a_form_mailed_by_its_own_deadline_is_its_months():
    """July's forms out on 1 July; 石龙镇's June form mailed on 4 July as 7月份进展 is June's."""
    hints = ["石龙镇7月份进展", "", "7月份进展情况"]
    assert _refused(hints, dt.datetime(2022, 7, 4, 9))  # nothing known of June's deadline
    assert not _refused(hints, dt.datetime(2022, 7, 4, 9), due=dt.date(2022, 7, 5))
    # June extended into August: once July is over, July's progress may come on June's form
    assert _refused(hints, dt.datetime(2022, 8, 3, 9), due=dt.date(2022, 8, 8))


@pytest.mark.slow  # played through the CLI, seconds each
@pytest.mark.parametrize("due, why", [("2023-07-05", "都晚三个月以上"), ("2021-07-05", "早于2022年6月本身")])
def test_a_due_that_cannot_be_the_periods_is_refused_before_anything_binds(run, issued_ws, collecting_on, due, why):
    collecting_on(dt.date(2022, 7, 1))
    with Ledger(issued_ws.ledger_path) as ledger:
        before = ledger.issued_dues(JUNE)
    result = run(["issue", "--period", "2022-06", "--due", due, "--dept", "石龙镇"], cwd=issued_ws.root)
    assert result.exit_code == 2 and why in result.output and "未生成填报表" in result.output, result.output
    with Ledger(issued_ws.ledger_path) as ledger:
        assert ledger.issued_dues(JUNE) == before
    assert printed(issued_ws, "石龙镇") == ("2022年7月5日", "2022-07-05")


@pytest.mark.slow  # played through the CLI, seconds each
def test_a_past_months_form_asked_months_later_may_give_a_date_then(run, issued_ws, collecting_on):
    """June's form sent again to 石龙镇 on 10 October with three weeks to send it: meant."""
    collecting_on(dt.date(2022, 10, 10))
    out = run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--due", "2022-10-31"], cwd=issued_ws.root)
    assert out.exit_code == 0, out.output
    assert printed(issued_ws, "石龙镇") == ("2022年10月31日", "2022-10-31")
    assert "提醒：填报表印的报送截止已过" not in out.stdout


@pytest.mark.slow  # played through the CLI, seconds each
def test_a_month_issued_after_its_date_is_said_with_the_command_to_give_another(run, ws, collecting_on):
    """The office issues June's forms for the first time on Wednesday 20 July: every form prints
    5 July (the month's own date: no unit is told a date before another), and the screen says so."""
    collecting_on(dt.date(2022, 7, 20))
    out = run(["issue", "--period", "2022-06"], cwd=ws.root).stdout
    assert "已生成 2022年6月进展填报表 54 份（报送截止：2022年7月5日）" in out
    assert ("提醒：填报表印的报送截止已过（本次下发的 54 个单位均为2022年7月5日；今天是2022年7月20日）：此后报送的都将计为"
            "逾期报送。如需给其留出报送时间，请在发出前运行 duban issue --period 2022-06 --due 2022-07-25 重新生成"
            "（截止日期可以延后，不会提前）。") in out
    # the command it gives: every form then prints the 25th
    run(["issue", "--period", "2022-06", "--due", "2022-07-25"], cwd=ws.root)
    assert printed(ws, "石龙镇") == ("2022年7月25日", "2022-07-25")


@pytest.mark.slow  # played through the CLI, seconds each
def test_a_unit_first_asked_after_the_date_is_told_its_own(run, issued_ws, collecting_on):
    """市残联 exempt for July (本期免报) is asked on Wednesday 10 August: the screen says why its
    form prints the 15th, and the other units keep the 5th."""
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 4))
    drop(ws, "canlian.xlsx", fill_return(issued_path(ws, "市残联"), Filling(default=DONE)), at(2022, 7, 4, 9))
    run(["collect"], cwd=ws.root)
    collecting_on(dt.date(2022, 7, 28))
    run(["issue", "--period", "2022-07", "--skip-done"], cwd=ws.root)
    collecting_on(dt.date(2022, 8, 10))
    out = run(["issue", "--period", "2022-07", "--dept", "市残联", "--no-skip-done"], cwd=ws.root).stdout
    assert ("提醒：本期报送截止2022年8月5日已过，市残联此前未收到本期填报表：其填报表印2022年8月15日（今天起3个工作日，"
            "同反馈邮件给出的重报期限），是否逾期按此判断。如需其他日期，请在发出前运行 "
            "duban issue --period 2022-07 --due YYYY-MM-DD --dept 市残联 --no-skip-done 重新生成。") in out, out
    with Ledger(ws.ledger_path) as ledger:
        dues = ledger.issued_dues(JULY)
    assert dues["市残联"] == dt.date(2022, 8, 15) and dues["石龙镇"] == dt.date(2022, 8, 5)


def test_many_units_sharing_one_later_date_are_told_it():
    many = [UnitDue(f"{town}", "2022年8月8日") for town in ("石龙镇", "虎门镇", "麻涌镇", "中堂镇", "望牛墩镇", "道滘镇")]
    assert due_text("2022年8月5日", many, 5) == "本期报送截止日为2022年8月5日，其中石龙镇等6个单位为2022年8月8日。"


@pytest.mark.slow  # played through the CLI, seconds each
def test_the_memo_names_one_unit_with_a_later_date_next_month(run, issued_ws, collecting_on):
    collecting_on(dt.date(2022, 7, 28))
    run(["issue", "--period", "2022-07"], cwd=issued_ws.root)
    run(["issue", "--period", "2022-07", "--dept", "麻涌镇", "--due", "2022-08-10"], cwd=issued_ws.root)
    ctx = build_context(consolidate(issued_ws, JUNE))
    assert ctx.next_due_date_text == "2022年8月5日"
    assert ctx.next_due_text == "2022年7月进展请各单位于2022年8月5日前报送（其中麻涌镇为2022年8月10日）"
    assert any(ctx.next_due_text in p.text for p in ctx.requirements)
