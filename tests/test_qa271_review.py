"""Review qa271: what the double-click scripts say when pressed for the wrong month or twice.

* 3-生成通报 with Enter after the next month's forms went out early (July's on 3 July, June due
  on the 5th) makes July's 通报, every unit 尚未截止: it names June's as the one due, as
  一键月报 does (`workspace.earlier_due`, QA270).
* 1-下发填报表 pressed twice in one month writes the forms and drafts again: it says the month's
  forms went out before, and what becomes of the drafts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import set_clock
from test_qa270_review import _july_issued_on_the_3rd

pytestmark = pytest.mark.slow  # each issues a month's 54 forms (and collects): run in CI, out of the quick loop


def test_memo_of_a_month_not_yet_due_names_the_earlier_month_whose_deadline_passed(
        run, issued_ws, make_return, monkeypatch):
    """3-生成通报 pressed with Enter on 6 July after July's forms went out on the 3rd: it makes
    July's 通报, every unit 未报送（尚未截止）; June's is the one due, and the office is told how (QA271)."""
    _july_issued_on_the_3rd(run, issued_ws, make_return, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    result = run(["memo", "--period", "2022-07"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert ("提醒：本通报是2022年7月的，其报送截止日还没过；2022年6月的报送截止日（7月5日）已过，已收到其报送："
            "要生成2022年6月的通报，请重新双击“3-生成通报”，询问期次时输入 2022-06"
            "（或运行 duban memo --period 2022-06）。") in result.output.splitlines()
    june = run(["memo", "--period", "2022-06"], cwd=issued_ws.root)
    assert "2022年7月" not in june.output, june.output


@pytest.mark.parametrize("june_memo_on, day", [
    (None, 5),  # June's deadline not passed yet
    (6, 8),     # June's 通报 made on the 6th: July's, previewed on the 8th, does not send the office back
])
def test_memo_of_a_month_not_yet_due_says_nothing_of_june_when_june_is_not_due(
        run, issued_ws, make_return, monkeypatch, june_memo_on, day):
    _july_issued_on_the_3rd(run, issued_ws, make_return, monkeypatch)
    if june_memo_on:
        set_clock(monkeypatch, dt.date(2022, 7, june_memo_on))
        assert run(["memo", "--period", "2022-06"], cwd=issued_ws.root).exit_code in (0, 1)
    set_clock(monkeypatch, dt.date(2022, 7, day))
    result = run(["memo", "--period", "2022-07"], cwd=issued_ws.root)
    assert "2022年6月" not in result.output, result.output


def _issued_twice(run, ws, monkeypatch, *extra: str):
    """June's forms and drafts issued on 1 July, then 1-下发填报表 pressed again on the 3rd (Enter
    offers June until its returns come in, `period_to_issue`)."""
    set_clock(monkeypatch, dt.date(2022, 7, 1))
    assert run(["issue", "--period", "2022-06", *extra], cwd=ws.root).exit_code == 0
    set_clock(monkeypatch, dt.date(2022, 7, 3))
    return run(["issue", "--period", "2022-06", *extra], cwd=ws.root)


def test_issue_pressed_twice_says_the_forms_went_out_and_what_the_drafts_do(run, ws, monkeypatch):
    again = _issued_twice(run, ws, monkeypatch, "--emails")
    assert ("提醒：2022年6月的填报表已于2022年7月1日下发过（54 个单位），本次重新生成了填报表和邮件草稿："
            "运行 duban mail send issue 时，草稿会发给上次没有经 duban mail send 发出的单位。"
            "上次的填报表如已手动发出（如用邮件客户端打开草稿发送），请勿再发本次的草稿，以免各单位重复收到。"
            ) in again.output.splitlines()


def test_issue_pressed_twice_without_drafts_says_the_forms_went_out(run, ws, monkeypatch):
    again = _issued_twice(run, ws, monkeypatch)
    assert ("提醒：2022年6月的填报表已于2022年7月1日下发过（54 个单位），本次重新生成了填报表："
            "上次的填报表如已发给各单位，请勿重复发送。") in again.output.splitlines()


def test_issue_of_one_unit_again_says_nothing_of_the_month_issued(run, ws, monkeypatch):
    """--dept: the office asks for that unit's form again (a later --due), knowingly."""
    set_clock(monkeypatch, dt.date(2022, 7, 1))
    assert run(["issue", "--period", "2022-06", "--emails"], cwd=ws.root).exit_code == 0
    again = run(["issue", "--period", "2022-06", "--emails", "--dept", "石龙镇", "--due", "2022-07-08"], cwd=ws.root)
    assert again.exit_code == 0 and "下发过" not in again.output, again.output


def test_first_issue_says_nothing_of_an_earlier_one(run, ws, monkeypatch):
    set_clock(monkeypatch, dt.date(2022, 7, 1))
    first = run(["issue", "--period", "2022-06", "--emails"], cwd=ws.root)
    assert first.exit_code == 0 and "下发过" not in first.output, first.output
