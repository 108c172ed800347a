"""QA398's review of a new office's first two months (师宗县, October 2022, due Saturday 5 November).

1. A return refused on Friday the 4th was asked back "于2022年11月5日前" (the deadline, the next
   day, a Saturday) while one refused on the Saturday got until Wednesday the 9th; both corrected on
   Monday the 7th, and the unit that sent first was named 逾期 in the 通报. The correction date is
   the later of the deadline and `resubmit_working_days` working days after the refusal, the one
   rule of the reply and the verdict (`dates.resubmit_by`): a reply sent well before the deadline
   still asks by the deadline, and no date a reply printed is made earlier.
3. 劳动节 and 国庆节 are holidays by their date, as 元旦 is (`dates.day_off`): correction dates skip
   them and `issue` says a deadline on one.
(2, the 通报 saying 滞后 of a lead that reported 序时推进: tests/test_qa399_memo_past_deadline.py.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import body, clean, mail, reply, state

from toolkit.dates import cn_date, day_off, next_working_day, resubmit_by
from toolkit.filling import Answer
from toolkit.vocab import UnitState

#: a return refused for its contents (E603: 滞后 without a reason), as in tests/test_qa388_year_turn.py
WRONG = {"1_2": Answer(status="滞后", progress=30, work="推进中", problems="")}


def _old_rule(due: dt.date, today: dt.date, days: int) -> dt.date:
    """The date replies asked before QA398: the deadline while ahead, else the working days."""
    if due > today:
        return due
    for _ in range(days):
        today = next_working_day(today)
    return today


def test_a_refusal_the_day_before_a_saturday_deadline_gets_the_working_days():
    # 师宗县, October 2022: due Saturday 5 November; refused Friday the 4th or Saturday the 5th
    saturday = dt.date(2022, 11, 5)
    assert resubmit_by(saturday, dt.date(2022, 11, 4), 3) == dt.date(2022, 11, 9)  # was the 5th
    assert resubmit_by(saturday, saturday, 3) == dt.date(2022, 11, 9)
    # two working days before a Tuesday deadline (Friday 1 July, due 5 July): Monday 4, Tuesday 5, Wednesday 6
    assert resubmit_by(dt.date(2022, 7, 5), dt.date(2022, 7, 1), 3) == dt.date(2022, 7, 6)
    # well before it (Tuesday 28 June): the deadline, as always
    assert resubmit_by(dt.date(2022, 7, 5), dt.date(2022, 6, 28), 3) == dt.date(2022, 7, 5)
    assert resubmit_by(dt.date(2022, 7, 5), dt.date(2022, 6, 30), 3) == dt.date(2022, 7, 5)  # 1, 4, 5 July


def test_no_correction_date_is_earlier_than_before_nor_the_deadline_nor_today():
    """Every reply already written keeps its date or gets a later one: a verdict judged by the old
    date can turn 逾期 into 按时, never 按时 into 逾期."""
    start = dt.date(2024, 9, 20)
    for due in (start + dt.timedelta(days=d) for d in range(0, 30, 3)):
        for today in (start + dt.timedelta(days=d) for d in range(30)):
            for days in (1, 3, 5):
                asked = resubmit_by(due, today, days)
                assert asked >= _old_rule(due, today, days) and asked >= due and asked > today, (due, today, days)


def test_labour_day_and_national_day_are_no_working_days():
    assert day_off(dt.date(2024, 5, 1)) == "劳动节"
    assert day_off(dt.date(2024, 5, 2)) == ""  # a Thursday: one day of 劳动节 until the 2024 revision
    assert day_off(dt.date(2025, 5, 2)) == "劳动节"  # two from 2025
    assert [day_off(dt.date(2024, 10, d)) for d in (1, 2, 3, 4)] == ["国庆节", "国庆节", "国庆节", ""]
    assert day_off(dt.date(2022, 10, 1)) == "国庆节"  # a Saturday: the holiday's name, not the weekday's
    assert day_off(dt.date(2024, 6, 10)) == ""  # 端午 moves with the lunar calendar: not known
    # refused on Monday 30 September 2024: 国庆 Tuesday to Thursday, then Friday 4, Monday 7, Tuesday 8
    assert resubmit_by(dt.date(2024, 9, 5), dt.date(2024, 9, 30), 3) == dt.date(2024, 10, 8)
    # refused on Wednesday 30 April 2025: 劳动节 Thursday and Friday, then Monday 5 to Wednesday 7 May
    assert resubmit_by(dt.date(2025, 4, 5), dt.date(2025, 4, 30), 3) == dt.date(2025, 5, 7)
    # in 2024 Thursday 2 May was a working day (调休 aside, which duban does not know)
    assert resubmit_by(dt.date(2024, 4, 5), dt.date(2024, 4, 30), 3) == dt.date(2024, 5, 6)


def test_issue_says_a_deadline_on_national_day(ws, run, monkeypatch):
    set_clock(monkeypatch, dt.date(2022, 9, 26))
    toml = ws.root / "duban.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("due_day = 5", "due_day = 2"), encoding="utf-8")
    result = run(["issue", "--period", "2022-09", "--dept", "市府办"], cwd=ws.root)
    # Sunday 2 October 2022, named by the holiday; the next working day duban knows is Tuesday the 4th
    assert ("提醒：报送截止 2022年10月2日 是国庆节。督办不按节假日顺延截止日期，是否逾期按填报表上印的日期判断；"
            "如需顺延（如到 2022年10月4日，星期二），请在发出填报表前运行 "
            "duban issue --period 2022-09 --due 2022-10-04 --dept 市府办 重新生成。") in result.stdout, result.stdout


def _refused_then_corrected(ws, make_return, clock, unit: str, refused_on: dt.date, corrected_on: dt.date) -> str:
    """``unit``'s wrong return sent and collected on ``refused_on``, its correction on
    ``corrected_on`` (``clock``: the test's `collecting_on`); the text of the reply to the first."""
    from toolkit.actions.collect import collect

    sent = refused_on.strftime("%d %b %Y") + " 09:00:00 +0800"
    drop(ws, f"{unit}.eml", mail([(f"{unit}.xlsx", make_return(unit, **WRONG))], date=sent))
    clock(refused_on)
    collect(ws)
    assert state(ws, unit) == UnitState.TO_FIX
    text = body(reply(ws, unit))
    fixed = corrected_on.strftime("%d %b %Y") + " 10:00:00 +0800"
    drop(ws, f"{unit}更正.eml", mail([(f"{unit}（更正）.xlsx", make_return(unit, clean()))], date=fixed))
    clock(corrected_on)
    collect(ws)
    return text


@pytest.mark.slow  # issues two forms again and collects four times
def test_refused_on_the_friday_before_a_saturday_deadline_and_corrected_on_monday_is_on_time(
        issued_ws, make_return, collecting_on):
    """QA398's 丹凤街道 and 漾月街道, on June 2022's forms issued again due Saturday 9 July: refused on
    Friday the 8th and on the Saturday, both asked by Wednesday the 13th, both 按时 on Monday the 11th."""
    from toolkit.actions.issue import issue_returns

    collecting_on(dt.date(2022, 7, 1))
    issue_returns(issued_ws, PERIOD, due=dt.date(2022, 7, 9), units=["石龙镇", "虎门镇"])
    friday = _refused_then_corrected(issued_ws, make_return, collecting_on, "石龙镇", dt.date(2022, 7, 8), dt.date(2022, 7, 11))
    saturday = _refused_then_corrected(issued_ws, make_return, collecting_on, "虎门镇", dt.date(2022, 7, 9), dt.date(2022, 7, 11))
    for text in (friday, saturday):
        assert f"于{cn_date(dt.date(2022, 7, 13))}前" in text and cn_date(dt.date(2022, 7, 9)) + "前" not in text, text
    assert state(issued_ws, "石龙镇") == state(issued_ws, "虎门镇") == UnitState.ON_TIME


@pytest.mark.slow  # collects four times
def test_refused_two_working_days_before_the_deadline_gets_a_day_more_and_well_before_the_deadline(
        issued_ws, make_return, collecting_on):
    """June 2022, due Tuesday 5 July. Refused on Friday 1 July: asked by Wednesday the 6th (three
    working days), and a correction then is 按时 (it was 逾期 by the deadline). Refused on Tuesday 28
    June: asked by the deadline, as before, and a correction on the 6th is 逾期."""
    near = _refused_then_corrected(issued_ws, make_return, collecting_on, "石龙镇", dt.date(2022, 7, 1), dt.date(2022, 7, 6))
    assert f"于{cn_date(dt.date(2022, 7, 6))}前" in near, near
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME
    early = _refused_then_corrected(issued_ws, make_return, collecting_on, "虎门镇", dt.date(2022, 6, 28), dt.date(2022, 7, 6))
    assert f"于{cn_date(dt.date(2022, 7, 5))}前" in early, early
    assert state(issued_ws, "虎门镇") == UnitState.LATE
