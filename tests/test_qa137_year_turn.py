"""大竹县's 2016年民生实事 played across the turn of the year (QA137): November and December 2016,
then January 2017, through the CLI.

* January's 通报 was titled 关于2017年1月2016年民生实事进展情况的通报, two years side by side,
  broken by the title's lines as 关于2017年1月2016年 / 民生实事…: a project opening with
  another year than the month's is named first now, 关于2016年民生实事2017年1月进展情况的通报.
  (QA275: so is a name keeping its year in its own year, 2022年度… in October 2022, pinned here
  as 关于2022年10月2022年度… before, the year twice in a line: 关于2022年度…项目10月进展情况的通报.)
* In January 2017 the 通报 and the 汇总表 said of a 2016 task 完成时限：12月底前；…已超过完成时限,
  a December still to come in 2017: a 完成时限 without a year, read in the plan's year, says
  that year in a month of another (2016年12月底前).
* January's forms are due on 2017年2月5日, a Sunday: duban moves no deadline (it has no holiday
  calendar) and 县民政局, mailing on Monday 6 February, is 逾期报送. `duban issue` now says the
  printed day is a Sunday (or 元旦) and names the --due that would move it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import set_clock

from toolkit.dates import day_off, next_working_day
from toolkit.master.model import Task
from toolkit.memo.context import memo_title
from toolkit.period import Period

DAZHU = Path(__file__).parent / "corpus" / "masters" / "dazhu_mssx_2016.docx"


@pytest.mark.parametrize("period, project, title", [
    (Period(2017, 1), "2016年民生实事", "关于2016年民生实事2017年1月进展情况的通报"),
    (Period(2023, 1), "2022年度市县民生实事未完成项目", "关于2022年度市县民生实事未完成项目2023年1月进展情况的通报"),
    (Period(2023, 3), "2022年—2024年城市更新行动", "关于2022年—2024年城市更新行动2023年3月进展情况的通报"),
    # the month's own year: as before where it only opens the name (said once) ...
    (Period(2016, 12), "2016年民生实事", "关于2016年12月民生实事进展情况的通报"),
    # ... and the name first, the month alone after it, where the name keeps it (QA275)
    (Period(2022, 10), "2022年度市县民生实事未完成项目", "关于2022年度市县民生实事未完成项目10月进展情况的通报"),
    # a name saying its year after its place: named first as well since QA275 (pinned here as
    # 关于2023年1月东莞市2022年…, two years side by side, before)
    (Period(2023, 1), "东莞市2022年政务服务全域标准化专项行动",
     "关于东莞市2022年政务服务全域标准化专项行动2023年1月进展情况的通报"),
])
def test_a_plan_of_another_year_is_named_before_the_month(period, project, title):
    assert memo_title(period, project) == title


@pytest.mark.parametrize("text, deadline, year, said", [
    ("12月底前", dt.date(2016, 12, 31), 2017, "2016年12月底前"),
    ("年底前", dt.date(2022, 12, 31), 2023, "2022年底前"),
    ("12月底前", dt.date(2016, 12, 31), 2016, "12月底前"),  # in the plan's own year: as published
    ("2022年12月底前", dt.date(2022, 12, 31), 2023, "2022年12月底前"),  # says its year already
    ("9月投入使用", None, 2017, "9月投入使用"),  # unread: nothing to add
    ("", dt.date(2016, 12, 31), 2017, ""),  # a date typed in 截止日期 alone: no text to add to
])
def test_a_deadline_without_its_year_says_it_in_another_years_month(text, deadline, year, said):
    assert Task("1", "", "", "", "", text, deadline).deadline_in(year) == said


def test_what_is_no_working_day_duban_can_know():
    assert day_off(dt.date(2023, 2, 5)) == "星期日"
    assert day_off(dt.date(2022, 1, 1)) == "元旦"
    assert day_off(dt.date(2023, 1, 5)) == ""
    assert next_working_day(dt.date(2023, 2, 5)) == dt.date(2023, 2, 6)
    assert next_working_day(dt.date(2021, 12, 31)) == dt.date(2022, 1, 3)  # 元旦 on a Saturday


def test_issue_says_a_deadline_on_a_sunday_and_how_to_move_it(ws, run, monkeypatch):
    # one unit's form (--dept): the line is the same for every issue, and 54 forms took 3 s each
    set_clock(monkeypatch, dt.date(2023, 1, 31))  # issued before the day: the line is said then
    result = run(["issue", "--period", "2023-01", "--dept", "市府办"], cwd=ws.root)
    assert "（报送截止：2023年2月5日）" in result.stdout
    assert ("提醒：报送截止 2023年2月5日 是星期日。督办不按节假日顺延截止日期，是否逾期按填报表上印的日期判断；"
            "如需顺延（如到 2023年2月6日，星期一），请在发出填报表前运行 duban issue --period 2023-01 --due 2023-02-06 --dept 市府办 重新生成。"
            ) in result.stdout
    moved = run(["issue", "--period", "2023-01", "--due", "2023-02-06", "--dept", "市府办"], cwd=ws.root)
    assert "（报送截止：2023年2月6日）" in moved.stdout and "提醒：报送截止" not in moved.stdout
    weekday = run(["issue", "--period", "2022-11", "--dept", "市府办"], cwd=ws.root)  # due Monday 5 December
    assert "提醒：报送截止" not in weekday.stdout


def test_a_due_day_on_new_years_day_is_said(ws, run, monkeypatch):
    set_clock(monkeypatch, dt.date(2022, 12, 28))
    toml = ws.root / "duban.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("due_day = 5", "due_day = 1"), encoding="utf-8")
    result = run(["issue", "--period", "2022-12", "--dept", "市府办"], cwd=ws.root)
    assert "提醒：报送截止 2023年1月1日 是元旦。" in result.stdout
    # the next Monday to Friday: 2 January 2023 (the 元旦 holiday's Monday that year, 调休 duban
    # cannot know: the line names a day to check, the office decides)
    assert "--due 2023-01-02 " in result.stdout


def test_a_weekend_deadline_already_past_offers_one_due_not_two(ws, run, monkeypatch):
    # 大竹县's November 2026 issued on Monday 7 December (QA349): the default deadline, Saturday the
    # 5th, was gone, and the line moving it to the Monday offered --due today beside the line
    # offering three working days from today: two commands, one giving no time to report
    set_clock(monkeypatch, dt.date(2023, 2, 6))  # the Monday after January's Sunday deadline
    result = run(["issue", "--period", "2023-01", "--dept", "市府办"], cwd=ws.root)
    assert "提醒：报送截止 2023年2月5日 是星期日" not in result.stdout
    assert ("提醒：填报表印的报送截止已过（市府办为2023年2月5日；今天是2023年2月6日）：此后报送的都将计为逾期报送。"
            "如需给其留出报送时间，请在发出前运行 duban issue --period 2023-01 --due 2023-02-09 --dept 市府办 重新生成"
            "（截止日期可以延后，不会提前）。") in result.stdout
    # on the Sunday itself: the deadline is today, and the other line gives the days to report
    set_clock(monkeypatch, dt.date(2023, 2, 5))
    sunday = run(["issue", "--period", "2023-01", "--dept", "市府办"], cwd=ws.root)
    assert "是星期日" not in sunday.stdout and "提醒：填报表印的报送截止已过或就是今天（市府办为2023年2月5日" in sunday.stdout
