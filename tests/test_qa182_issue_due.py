"""`duban issue --due` earlier than a deadline the unit was already given (QA182), played on
东莞's June 2022 forms (printed 报送截止 5 July, duban.toml due_day = 5).

The office issued June's forms again with the 8th, then typed `--due 2022-07-06` for 石龙镇 and
虎门镇: their new forms printed the 6th while every verdict went by the 8th (the ledger keeps
the later date a unit was told), so a department held two forms with two dates, the 通报 and
汇总表 named the 8th for it, and the screen said so only as a count. A date a form of the month
already gave is now the one the new form prints too, and is what status, the 汇总表 and the
通报 judge 逾期 by; `issue` names the units and both dates in one line and what the office can
do. A later --due still moves the deadline, for the units given it only. duban.toml's due_day
is the office's own setting, not a date any department was told: a form may print an earlier
--due, judged by the later due_day until the office lowers it, and `issue` says that too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, issued_path
from openpyxl import load_workbook
from test_evidence import state
from test_qa123_due_changes import JULY, _subtitle, due_day, send
from test_renamed_units import NEW, OLD, rename

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.filling import fill_return
from toolkit.memo.context import build_context
from toolkit.vocab import UnitState

KEPT = ("提醒：本次指定的报送截止2022年7月6日早于此前下发的填报表上的日期（石龙镇、虎门镇为2022年7月8日）："
        "已下发的截止日期不提前，这些单位的新填报表仍印原日期，是否逾期也按原日期判断。"
        "如确需其提前报送，请另行通知；督办不会按2022年7月6日把它们计为逾期报送。")


def printed(ws, unit: str) -> tuple[str, str]:
    """The deadline on the unit's June form: the 报送截止 cell people read, and the one in its
    hidden meta sheet."""
    book = load_workbook(issued_path(ws, unit))
    sheet = book["进展填报"]
    label = next(c for row in sheet.iter_rows(max_row=3) for c in row if c.value == "报送截止")
    shown = sheet.cell(label.row, label.column + 1).value
    meta = next(b for s in book.worksheets if s.sheet_state != "visible"
                for a, b in s.iter_rows(max_col=2, values_only=True) if a == "due")
    return shown, meta


def test_an_earlier_due_keeps_the_date_already_given_on_the_form_and_says_so(run, issued_ws, collecting_on):
    collecting_on(dt.date(2022, 7, 1))  # before the dates printed: none is said to have passed (QA189)
    moved = run(["issue", "--period", "2022-06", "--due", "2022-07-08"], cwd=issued_ws.root).stdout
    assert "提醒：本次指定" not in moved and "提醒：填报表印" not in moved  # a later date: taken
    out = run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--dept", "虎门镇", "--due", "2022-07-06"],
              cwd=issued_ws.root).stdout
    assert "已生成 2022年6月进展填报表 2 份（报送截止：2022年7月8日）" in out
    assert KEPT in out.splitlines()
    for unit in ("石龙镇", "虎门镇", "中堂镇"):
        assert printed(issued_ws, unit) == ("2022年7月8日", "2022-07-08"), unit


def test_a_unit_reporting_between_the_two_dates_is_on_time_everywhere(run, issued_ws, make_return):
    """石龙镇 was told the 8th, then sent a form saying the 6th (as it was before the fix),
    and mails on the 7th: 按时报送 in status, the 汇总表 and the 通报, judged by the 8th that
    every one of its forms now says. 中堂镇, told the 5th and never more, is 逾期 on the 7th."""
    issue_returns(issued_ws, "2022-06", due=JULY[8], units=["石龙镇", "虎门镇"])
    run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--dept", "虎门镇", "--due", "2022-07-06"],
        cwd=issued_ws.root)
    send(issued_ws, make_return, "石龙镇", 7)
    send(issued_ws, make_return, "中堂镇", 7)
    collect(issued_ws)
    assert (state(issued_ws, "石龙镇"), state(issued_ws, "中堂镇")) == (UnitState.ON_TIME, UnitState.LATE)
    status = run(["status"], cwd=issued_ws.root).stdout
    assert status.splitlines()[0].startswith(
        "2022年6月报送情况（截止 2022-07-05；石龙镇 2022-07-08、虎门镇 2022-07-08）：应报 54，按时报送 1，逾期报送 1，")
    run(["merge"], cwd=issued_ws.root)
    assert _subtitle(issued_ws).endswith(
        "报送截止 2022年7月5日（石龙镇 2022年7月8日、虎门镇 2022年7月8日，按其填报表上的截止日期）")
    book = load_workbook(issued_ws.root / "汇总" / PERIOD.label / f"{PERIOD.label}_进展汇总表.xlsx", read_only=True)
    states = {u: r for r in book["报送情况"].iter_rows(values_only=True) for u in ("石龙镇", "中堂镇") if u in r}
    assert "按时报送" in states["石龙镇"] and "逾期报送" in states["中堂镇"]
    ctx = build_context(consolidate(issued_ws, PERIOD))
    assert ([u.name for u in ctx.on_time_units], [u.name for u in ctx.late_units]) == (["石龙镇"], ["中堂镇"])
    assert (ctx.unit_late, ctx.late_names) == (1, "中堂镇")
    assert ctx.due_text == "本期报送截止日为2022年7月5日，其中石龙镇、虎门镇为2022年7月8日。"


def test_an_extension_for_everyone_keeps_one_units_longer_own_on_its_form(run, issued_ws, make_return):
    """麻涌镇 was granted the 10th; a holiday then moves everyone to the 8th. Its new form said
    the 8th, its 通报 line the 10th: it now says the 10th, as the verdict does."""
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    out = run(["issue", "--period", "2022-06", "--due", "2022-07-08"], cwd=issued_ws.root).stdout
    assert "已生成 2022年6月进展填报表 54 份（报送截止：2022年7月8日；麻涌镇 2022年7月10日）" in out
    assert ("提醒：本次指定的报送截止2022年7月8日早于此前下发的填报表上的日期（麻涌镇为2022年7月10日）："
            "已下发的截止日期不提前，") in out
    assert printed(issued_ws, "麻涌镇") == ("2022年7月10日", "2022-07-10")
    assert printed(issued_ws, "石龙镇") == ("2022年7月8日", "2022-07-08")
    send(issued_ws, make_return, "麻涌镇", 9)
    collect(issued_ws)
    assert state(issued_ws, "麻涌镇") == UnitState.ON_TIME


def test_two_dates_kept_are_each_named_with_their_units(run, issued_ws):
    issue_returns(issued_ws, "2022-06", due=JULY[8], units=["石龙镇", "虎门镇"])
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    out = run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--dept", "虎门镇", "--dept", "麻涌镇",
               "--due", "2022-07-06"], cwd=issued_ws.root).stdout
    assert ("提醒：本次指定的报送截止2022年7月6日早于此前下发的填报表上的日期"
            "（石龙镇、虎门镇为2022年7月8日；麻涌镇为2022年7月10日）：") in out


def test_a_later_due_for_some_units_moves_only_theirs(run, issued_ws, make_return, collecting_on):
    collecting_on(dt.date(2022, 7, 1))  # before the date printed: not said to have passed (QA189)
    out = run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--due", "2022-07-08"], cwd=issued_ws.root).stdout
    collecting_on(None)
    assert "已生成 2022年6月进展填报表 1 份（报送截止：2022年7月8日）" in out and "提醒：" not in out
    assert (printed(issued_ws, "石龙镇"), printed(issued_ws, "虎门镇")) == (
        ("2022年7月8日", "2022-07-08"), ("2022年7月5日", "2022-07-05"))
    send(issued_ws, make_return, "石龙镇", 7)
    send(issued_ws, make_return, "虎门镇", 7)
    collect(issued_ws)
    assert (state(issued_ws, "石龙镇"), state(issued_ws, "虎门镇")) == (UnitState.ON_TIME, UnitState.LATE)


def test_a_renamed_units_form_keeps_the_date_its_old_names_form_gave(issued_ws):
    """Its form issued under its old name with the 12th, the unit renamed since: a form
    printed again under the new name said the period's 5th while the verdict held it to the 12th."""
    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 12), units=[OLD])
    rename(issued_ws)
    assert issue_returns(issued_ws, "2022-06", units=[NEW]).due == dt.date(2022, 7, 12)
    result = issue_returns(issued_ws, "2022-06", due=JULY[8], units=[NEW])
    assert (result.due, result.kept_dues) == (dt.date(2022, 7, 12), {NEW: dt.date(2022, 7, 12)})
    assert consolidate(issued_ws, PERIOD).due_of(NEW) == dt.date(2022, 7, 12)


def test_a_due_before_due_day_prints_as_asked_and_says_due_day_decides(run, ws):
    """No form went out yet; `issue --dept 石龙镇 --due 2022-07-03` with due_day 5: the form
    prints the 3rd (no department was told the 5th), verdicts go by the later due_day until
    the office lowers it, as the line says; then the 3rd decides."""
    out = run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--due", "2022-07-03"], cwd=ws.root).stdout
    assert ("提醒：填报表印的报送截止（石龙镇为2022年7月3日）早于 duban.toml 的 due_day 给出的2022年7月5日："
            "是否逾期按较晚的2022年7月5日判断。如应按填报表上的日期判断，请把 duban.toml 的 due_day 改为 3"
            "（以后各期的默认截止日也随之改变）。") in out.splitlines()
    assert "提醒：本次指定" not in out
    assert printed(ws, "石龙镇") == ("2022年7月3日", "2022-07-03")
    send(ws, lambda unit, filling: fill_return(issued_path(ws, unit), filling), "石龙镇", 4)
    collect(ws)
    assert state(ws, "石龙镇") == UnitState.ON_TIME
    assert state(due_day(ws, 3), "石龙镇") == UnitState.LATE


# plays June's forms issued again and collected
pytestmark = pytest.mark.slow
