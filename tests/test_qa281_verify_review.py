"""QA281: `duban verify` (5-逐条核实) walked as the office walks it, every answer each way.

* A day after the deadline typed under 1（实际按时收到）was recorded at once: the unit stayed
  逾期, now at the later day (由逾期报送…改计为逾期报送), though the answer chosen said 按时.
  Such a day is said to leave the unit 逾期 and recorded only when the office confirms it.
* A day typed as a Chinese office types it, without its year (7月4日, 7.4, 7/4), was
  无法识别: it is the day of the month asked about.
* A wrong key at a question with one answer said 请输入 1 到 1 之间的编号.
* Enter (or another key) at 确认收取 went back to the question without a word: the office did
  not know nothing was collected.
"""

from __future__ import annotations

import datetime as dt

from conftest import PERIOD, drop, set_clock
from test_evidence import clean, mail
from test_qa190_double_click import CST, too_big
from test_qa200_mail_leftovers import _zhang
from test_qa204_answers import _wrong_name
from test_qa216_weak_times import SAVED, _saved_late, _unit
from test_verify import CHOICES, DAY, PROMPT, VERIFY

from toolkit.actions.verify import open_questions
from toolkit.vocab import UnitState

LATE_DAY = ("收到日期 2022-07-07 晚于截止日期 2022-07-05，不是按时收到：按该日期石龙镇计为逾期报送。")
CONFIRM_LATE = "确认按该日期记录请输入 1（直接回车重新输入日期）："


def _after(lines: list[str], line: str, n: int) -> list[str]:
    at = lines.index(line) + 1
    return lines[at:at + n]


def test_the_question_knows_the_units_deadline(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    (q,) = open_questions(issued_ws, PERIOD).asked
    assert q.due == dt.date(2022, 7, 5)


def test_a_day_after_the_deadline_under_on_time_is_said_and_asked_again(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    done = run(VERIFY, cwd=issued_ws.root, input="1\n2022-07-07\n\n2022-07-04\n\n")
    assert done.exit_code == 0, done.output
    assert _after(done.output.splitlines(), CHOICES[-1], 6) == [
        PROMPT + "1", DAY + "2022-07-07", LATE_DAY, CONFIRM_LATE, DAY + "2022-07-04",
        "已记录：石龙镇 2022年6月的“石龙镇.xlsx”（文件修改时间 2022-07-06 09:00）实际于 2022-07-04 收到，"
        "按该日期计报送时间；石龙镇 由逾期报送（报送时间 2022-07-06 09:00）改计为按时报送（报送时间 2022-07-04 00:00）。"]
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")


def test_a_day_after_the_deadline_confirmed_is_recorded(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    done = run(VERIFY, cwd=issued_ws.root, input="1\n2022-07-07\n1\n\n")
    assert done.exit_code == 0, done.output
    assert _after(done.output.splitlines(), CHOICES[-1], 4) == [
        PROMPT + "1", DAY + "2022-07-07", LATE_DAY, CONFIRM_LATE + "1"]
    assert _unit(issued_ws) == (UnitState.LATE, "2022-07-07 00:00")


def test_the_deadline_day_itself_is_on_time_and_not_asked_about(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    done = run(VERIFY, cwd=issued_ws.root, input="1\n2022-07-05\n\n")
    assert done.exit_code == 0, done.output
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-05 00:00")


def test_a_day_without_its_year_is_the_day_of_the_month_asked_about(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    done = run(VERIFY, cwd=issued_ws.root, input="1\n7月4日\n\n")
    assert done.exit_code == 0, done.output
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")


def test_days_without_their_year_as_typed(monkeypatch):
    from toolkit.actions.verify import day_typed

    example = dt.date(2022, 7, 4)
    for typed in ("7月4日", "7月4号", "７月４日", "7.4", "7-4", "7/4", "07-04", "7月 4日"):
        assert day_typed(typed, example) == dt.date(2022, 7, 4), typed
    assert day_typed("2022-07-04", example) == dt.date(2022, 7, 4)
    # December's returns come in January: a day of December typed then is the year before
    assert day_typed("12月30日", dt.date(2023, 1, 4)) == dt.date(2022, 12, 30)
    assert day_typed("1月3日", dt.date(2023, 1, 4)) == dt.date(2023, 1, 3)
    for typed in ("7月", "2022-07", "13月4日", "2月30日", "七月四日", "4"):
        assert day_typed(typed, example) is None, typed


def test_a_wrong_key_at_a_question_with_one_answer(issued_ws, make_return, monkeypatch, run):
    # 石龙镇's mail too big to fetch, its slim resend 逾期: one answer (a W206 file has two since QA356)
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    drop(issued_ws, "石龙镇重发.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", clean()))],
                                       date="Thu, 07 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    (q,) = open_questions(issued_ws, PERIOD).asked
    assert len(q.choices) == 1
    done = run(VERIFY, cwd=issued_ws.root, input="2\n\n")
    lines = done.output.splitlines()
    assert _after(lines, PROMPT + "2", 1) == ["请输入 1，或直接回车跳过。"]


def test_a_wrong_key_at_a_question_with_two_answers(issued_ws, make_return, monkeypatch, run):
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    done = run(VERIFY, cwd=issued_ws.root, input="3\n\n")
    lines = done.output.splitlines()
    assert _after(lines, PROMPT + "3", 1) == ["请输入 1 到 2 之间的编号，或直接回车跳过。"]


def test_collecting_not_confirmed_is_said(issued_ws, make_return, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), SAVED)
    done = run(VERIFY, cwd=issued_ws.root, input="2\n\n\n")
    lines = done.output.splitlines()
    assert _after(lines, "确认收取请输入 1（直接回车不收取）：", 2) == [
        "没有收取，收件箱中的文件原样保留：请重新输入编号，或直接回车跳过。", PROMPT]
    assert _unit(issued_ws)[0] == UnitState.NOT_REPORTED


def test_a_question_skipped_then_settled_by_a_later_answer_is_not_counted_skipped(
        issued_ws, make_return, monkeypatch, run):
    """石龙镇 逾期 on its file's time, skipped; then zhang's mail too big is its form, collected as
    received on 4 July: 石龙镇 is on time, its question no longer open. 跳过 1 项 said it was."""
    data = _saved_late(issued_ws, make_return, monkeypatch, run)
    _zhang(issued_ws)
    drop(issued_ws, "6月进展填报表.xlsx", data)
    done = run(VERIFY, cwd=issued_ws.root, input="\n2\n1\n\n")
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")
    lines = done.output.splitlines()
    # 采纳 0, 重复 1: the verdict it changed is said beside the tally
    assert _after(lines, "确认收取请输入 1（直接回车不收取）：1", 2) == [
        "已收取收件箱中的 1 个文件（按 2022-07-04 收到计）：采纳 0，退回 0，无法读取 0，重复 1。",
        "石龙镇 由逾期报送（报送时间 2022-07-06 09:00）改计为按时报送（报送时间 2022-07-04 00:00）。"]
    assert "已记录 1 项，跳过的 1 项因其后的回答已不需要核实。" in lines, done.output
    assert "有单位的报送状态因核实而改变。" in done.output
    assert done.exit_code == 0, done.output
