"""The month's deadline (报送截止) changed after the forms went out (QA123), played as an office
would: a holiday extension for everyone, one department's 延期报送, duban.toml's due_day edited
after issue, a deadline shortened by mistake. The 通报 and 报送情况 name units 按时/逾期 in
public: no unit that met the deadline its form gave it may be named 逾期, one answer holds in
collect, merge, status and memo, and a change that alters a verdict is said on screen.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop
from test_evidence import clean, mail, state

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.vocab import UnitState
from toolkit.workspace import find_workspace

JULY = {d: dt.date(2022, 7, d) for d in range(1, 32)}


def send(ws, make_return, unit: str, day: int) -> None:
    """``unit`` mails its filled June form on ``day`` July at 10:00."""
    drop(ws, f"{unit}_{day}.eml", mail([(f"{unit}6月进展.xlsx", make_return(unit, clean()))],
                                       date=f"{day:02d} Jul 2022 10:00:00 +0800"))


def due_day(ws, day: int):
    """The coordinator edits duban.toml's due_day; the workspace as the next command opens it."""
    path = ws.root / "duban.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("due_day = 5", f"due_day = {day}"), encoding="utf-8")
    return find_workspace(ws.root)


# ---------------------------------------------------------------------------
# 1. a holiday: everyone's deadline extended from the 5th to the 8th after issue


def test_a_holiday_extension_issued_again_makes_the_6th_and_7th_on_time(run, issued_ws, make_return):
    send(issued_ws, make_return, "石龙镇", 4)
    send(issued_ws, make_return, "虎门镇", 6)
    collect(issued_ws)
    assert state(issued_ws, "虎门镇") == UnitState.LATE  # before the extension
    issue_returns(issued_ws, "2022-06", due=JULY[8])
    send(issued_ws, make_return, "中堂镇", 7)
    collect(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    assert cons.due == JULY[8] and not cons.unit_dues
    assert [state(issued_ws, u) for u in ("石龙镇", "虎门镇", "中堂镇")] == [UnitState.ON_TIME] * 3
    first = run(["status"], cwd=issued_ws.root).stdout.splitlines()[0]
    assert first.startswith("2022年6月报送情况（截止 2022-07-08）：应报 54，按时报送 3，逾期报送 0，")
    assert "报送截止 2022年7月8日" in run(["merge"], cwd=issued_ws.root).stdout + _subtitle(issued_ws)


def _subtitle(ws) -> str:
    from openpyxl import load_workbook

    book = ws.root / "汇总" / PERIOD.label / f"{PERIOD.label}_进展汇总表.xlsx"
    return load_workbook(book, read_only=True)["报送情况"]["A2"].value


# ---------------------------------------------------------------------------
# 2. one department's 延期报送 to the 10th


def test_one_units_extension_survives_an_extension_for_everyone_after_it(issued_ws, make_return):
    """麻涌镇 was granted the 10th (`issue --dept 麻涌镇 --due 2022-07-10`); a holiday then moves
    everyone to the 8th (`issue --due 2022-07-08`), its form made from the same 任务清单 and
    printed again: 麻涌镇 was told the 10th, and its return of the 9th is 按时报送."""
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    issue_returns(issued_ws, "2022-06", due=JULY[8])
    _both_sent_on_the_9th(issued_ws, make_return, JULY[8])


def test_forms_issued_again_without_due_keep_each_units_own_deadline(run, issued_ws, make_return):
    """After 麻涌镇's extension to the 10th, the office prints every form again (a task text
    corrected) without --due: each form carries the deadline its unit was given. Before,
    every form printed 麻涌镇's 10th and no town sending on the 9th was 逾期 any more."""
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    out = run(["issue", "--period", "2022-06"], cwd=issued_ws.root).stdout
    assert "已生成 2022年6月进展填报表 54 份（报送截止：2022年7月5日；麻涌镇 2022年7月10日）" in out
    _both_sent_on_the_9th(issued_ws, make_return, JULY[5])


def _both_sent_on_the_9th(ws, make_return, due: dt.date) -> None:
    """麻涌镇, told the 10th, and 虎门镇, told ``due``, both send on the 9th."""
    send(ws, make_return, "麻涌镇", 9)
    send(ws, make_return, "虎门镇", 9)
    collect(ws)
    cons = consolidate(ws, PERIOD)
    assert (cons.due, cons.unit_dues) == (due, {"麻涌镇": JULY[10]})
    assert state(ws, "麻涌镇") == UnitState.ON_TIME
    assert state(ws, "虎门镇") == UnitState.LATE


def test_one_units_extension_leaves_the_others_and_is_stated_beside_the_period(run, issued_ws, make_return):
    out = run(["issue", "--period", "2022-06", "--dept", "麻涌镇", "--due", "2022-07-10"], cwd=issued_ws.root).stdout
    assert "已生成 2022年6月进展填报表 1 份（报送截止：2022年7月10日）" in out
    send(issued_ws, make_return, "麻涌镇", 9)
    send(issued_ws, make_return, "中堂镇", 6)
    collect(issued_ws)
    first = run(["status"], cwd=issued_ws.root).stdout.splitlines()[0]
    assert first.startswith("2022年6月报送情况（截止 2022-07-05；麻涌镇 2022-07-10）：应报 54，按时报送 1，逾期报送 1，")
    run(["merge"], cwd=issued_ws.root)
    assert _subtitle(issued_ws).endswith("报送截止 2022年7月5日（麻涌镇 2022年7月10日，按其填报表上的截止日期）")


# ---------------------------------------------------------------------------
# 3. duban.toml's due_day edited after issue


def test_due_day_extended_in_duban_toml_after_issue_is_said_where_it_changes_a_verdict(run, issued_ws, make_return):
    """The forms printed 5 July; the coordinator then sets due_day = 8. The later date applies
    everywhere (design: an extension in duban.toml counts), but 虎门镇, 逾期 by its form, turning
    按时 is said in one line by status, merge and memo, not applied in silence."""
    send(issued_ws, make_return, "石龙镇", 4)
    send(issued_ws, make_return, "虎门镇", 7)
    send(issued_ws, make_return, "中堂镇", 9)
    collect(issued_ws)
    assert consolidate(issued_ws, PERIOD).office_notes() == []
    ws = due_day(issued_ws, 8)
    cons = consolidate(ws, PERIOD)
    assert cons.due == JULY[8]
    assert [state(ws, u) for u in ("石龙镇", "虎门镇", "中堂镇")] == [UnitState.ON_TIME, UnitState.ON_TIME,
                                                                     UnitState.LATE]
    line = ("请核实：duban.toml 的 due_day 给出的2022年6月报送截止为2022年7月8日，晚于填报表上的2022年7月5日："
            "虎门镇 因此计为按时报送（按填报表为逾期报送）。如应以填报表为准，请把 due_day 改为与填报表一致；"
            "如确为延期，请运行 duban issue --period 2022-06 --dept 虎门镇 --due 2022-07-08 --no-skip-done"
            "（按延期后的截止日重新生成这些单位的填报表并记录，不发邮件），此提示即不再出现。")
    assert cons.office_notes() == [line]
    for args in (["status"], ["merge"], ["memo"]):
        assert line in run(args, cwd=ws.root).output


def test_due_day_extended_with_no_return_in_between_says_nothing(issued_ws, make_return):
    send(issued_ws, make_return, "石龙镇", 4)
    send(issued_ws, make_return, "中堂镇", 9)
    collect(issued_ws)
    assert consolidate(due_day(issued_ws, 8), PERIOD).office_notes() == []


def test_due_day_shortened_in_duban_toml_after_issue_keeps_the_printed_date(issued_ws, make_return):
    """Forms printed the 8th (`issue --due 2022-07-08`); due_day then set to 3: the 8th stands
    for collect, status and the 汇总表 alike."""
    issue_returns(issued_ws, "2022-06", due=JULY[8])
    ws = due_day(issued_ws, 3)
    send(ws, make_return, "虎门镇", 7)
    result = collect(ws)
    assert not result.disputed
    assert consolidate(ws, PERIOD).due == JULY[8]
    assert state(ws, "虎门镇") == UnitState.ON_TIME


# ---------------------------------------------------------------------------
# 4. the deadline shortened after issue (office mistake, 8th → 5th)


def test_forms_issued_again_with_an_earlier_due_keep_the_later_one_given(run, issued_ws, make_return):
    """The forms went out with the 8th; the office issues them again with --due 2022-07-05.
    虎门镇's form said the 8th and it sent on the 7th: never 逾期. The forms printed again, status,
    汇总表 and the verdicts keep one deadline, the 8th, and the issue says so in one line."""
    issue_returns(issued_ws, "2022-06", due=JULY[8])
    send(issued_ws, make_return, "虎门镇", 7)
    collect(issued_ws)
    result = run(["issue", "--period", "2022-06", "--due", "2022-07-05"], cwd=issued_ws.root)
    assert "已生成 2022年6月进展填报表 54 份（报送截止：2022年7月8日）" in result.stdout
    assert ("提醒：本次指定的报送截止2022年7月5日早于此前下发的填报表上的日期（本次下发的 54 个单位均为2022年7月8日）："
            "已下发的截止日期不提前，这些单位的新填报表仍印原日期，是否逾期也按原日期判断。"
            "如确需其提前报送，请另行通知；督办不会按2022年7月5日把它们计为逾期报送。") in result.stdout
    send(issued_ws, make_return, "中堂镇", 7)
    collect(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    assert (cons.due, cons.unit_dues) == (JULY[8], {})
    assert state(issued_ws, "虎门镇") == UnitState.ON_TIME
    assert state(issued_ws, "中堂镇") == UnitState.ON_TIME
    first = run(["status"], cwd=issued_ws.root).stdout.splitlines()[0]
    assert first.startswith("2022年6月报送情况（截止 2022-07-08）：")


def test_a_due_earlier_than_duban_tomls_is_said_at_issue(ws, issued_ws):
    """`issue --due 2022-07-03` with due_day 5: a form already issued with the 5th prints it
    again (QA182); a first form prints the 3rd, verdicts going by the 5th (design: the later
    of the two); the result says which, for the screen lines."""
    result = issue_returns(issued_ws, "2022-06", due=JULY[3], units=["石龙镇"])
    assert (result.due, result.kept_dues, result.below_day) == (JULY[5], {"石龙镇": JULY[5]}, {})
    result = issue_returns(ws, "2022-06", due=JULY[3], units=["石龙镇"])
    assert (result.due, result.kept_dues, result.below_day, result.day_due) == (JULY[3], {}, {"石龙镇": JULY[3]}, JULY[5])
    assert issue_returns(issued_ws, "2022-06", units=["虎门镇"]).kept_dues == {}


# plays June's deadlines issued again and collected: about 9 s
pytestmark = pytest.mark.slow
