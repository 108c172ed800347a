"""QA195 review of c6a58f4 (deadlines): played on 东莞's 2022 forms through the real CLI with a
fixed office clock. Failing tests are xfail(strict): each is a problem left for a fix."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, issued_path
from test_evidence import clean, mail, state
from test_qa96_done_units_exempt import DONE, at
from test_qa187_review import _meta_due

from toolkit.consolidate import consolidate
from toolkit.evidence import meant_later
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.report import Report
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow

JUNE, JULY, DEC = Period(2022, 6), Period(2022, 7), Period(2022, 12)
JULY_WORDS = Answer(status="序时推进", progress=80, work="7月已完成镇村两级排查，整改台账销号过半。")


def _refused(form: Period, hints: list[str], received: dt.datetime, due: dt.date | None = None) -> bool:
    rep = Report("x.xlsx", unit="石龙镇", period=form, period_by="_meta")
    said = meant_later(rep, "x.xlsx", hints, received, lambda unit, period, by: True,
                       due=(lambda period: due) if due else None)
    return bool(said)


# ---------------------------------------------------------------------------
# 1. meant_later's new "mailed by its own deadline" guard


def test_july_progress_on_junes_file_before_an_extended_june_deadline_is_not_a_june_resend(
        run, issued_ws, make_return, collecting_on):
    """石龙镇 (flooded) was given 31 July for June. It sent June on 10 July (accepted, 按时).
    July's forms go out on 28 July (due 5 August). On 30 July it reuses its June file, types July's
    progress and mails it as "石龙镇7月份进展情况". Before c6a58f4 that was refused for July (期次不符,
    "请用7月填报表"); now the guard (mailed by June's own deadline, July not over) takes it as June's
    重报: June's 汇总表 carries July's words and July's 通报 names 石龙镇 未报送."""
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 1))
    assert run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--due", "2022-07-31"], cwd=ws.root).exit_code == 0
    collecting_on(dt.date(2022, 7, 10))
    drop(ws, "sl6.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", clean()))], subject="石龙镇6月份进展情况",
                              date="Sun, 10 Jul 2022 10:00:00 +0800"))
    run(["collect"], cwd=ws.root)
    with Ledger(ws.ledger_path) as ledger:
        first = ledger.accepted(JUNE)["石龙镇"].id
    collecting_on(dt.date(2022, 7, 28))
    run(["issue", "--period", "2022-07"], cwd=ws.root)
    collecting_on(dt.date(2022, 7, 30))
    july_on_june = fill_return(issued_path(ws, "石龙镇"), Filling(answers={"1.2": JULY_WORDS}))
    drop(ws, "sl7.eml", mail([("石龙镇7月进展.xlsx", july_on_june)], subject="石龙镇7月份进展情况",
                              date="Sat, 30 Jul 2022 16:00:00 +0800"))
    run(["collect"], cwd=ws.root)
    with Ledger(ws.ledger_path) as ledger:
        replaced = ledger.accepted(JUNE)["石龙镇"].id != first
    july = state(ws, "石龙镇", "2022-07")
    assert not replaced and july != UnitState.NOT_REPORTED, (replaced, july)


def test_a_december_form_mailed_in_january_as_1月报送_is_decembers():
    """Year boundary of _SENT_IN_MONTH: 12月 form, "1月报送"/"2023年1月报送" on 10 January 2023."""
    for subject in ("石龙镇1月报送", "石龙镇2023年1月报送"):
        assert not _refused(DEC, ["石龙镇", "", subject], dt.datetime(2023, 1, 10, 9))
    # sent in February saying 1月报送: January's progress on December's form
    assert _refused(DEC, ["石龙镇", "", "石龙镇1月报送"], dt.datetime(2023, 2, 3, 9))
    # a subject naming the month of progress after the sending word stays a month named
    assert _refused(JUNE, ["石龙镇", "", "关于报送7月份工作进展的函"], dt.datetime(2022, 8, 3, 9))
    assert not _refused(JUNE, ["石龙镇", "", "关于报送7月份工作进展的函"], dt.datetime(2022, 7, 4, 9),
                        due=dt.date(2022, 7, 5))


def test_a_mail_just_after_midnight_on_the_1st_is_read_in_office_time(run, issued_ws, make_return, collecting_on):
    """石龙镇's June form mailed at 00:10 on 1 August (Beijing time; 16:10 UTC on 31 July) as
    "石龙镇7月报送": sent in August, 7月 is July's progress: refused for July, June untouched."""
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 4))
    drop(ws, "sl6.xlsx", make_return("石龙镇", clean()), at(2022, 7, 4, 9))
    run(["collect"], cwd=ws.root)
    with Ledger(ws.ledger_path) as ledger:
        first = ledger.accepted(JUNE)["石龙镇"].id
    collecting_on(dt.date(2022, 7, 28))
    run(["issue", "--period", "2022-07"], cwd=ws.root)
    collecting_on(dt.date(2022, 8, 1))
    july_on_june = fill_return(issued_path(ws, "石龙镇"), Filling(answers={"1.2": JULY_WORDS}))
    drop(ws, "sl7.eml", mail([("进展表.xlsx", july_on_june)], subject="石龙镇7月报送",
                              date="Mon, 01 Aug 2022 00:10:00 +0800"))
    out = run(["collect"], cwd=ws.root)
    with Ledger(ws.ledger_path) as ledger:
        assert ledger.accepted(JUNE)["石龙镇"].id == first, out.output


# ---------------------------------------------------------------------------
# 2. check_due at the year boundary and for a long overdue month


def test_due_check_across_the_year_and_for_an_old_month(run, issued_ws, collecting_on):
    ws = issued_ws
    collecting_on(dt.date(2022, 12, 28))
    ok = run(["issue", "--period", "2022-12", "--due", "2023-01-06", "--dept", "石龙镇"], cwd=ws.root)
    assert ok.exit_code == 0, ok.output
    assert _meta_due(issued_path(ws, "石龙镇", DEC)) == "2023-01-06"
    # the year typed as December's own: before the month, refused
    bad = run(["issue", "--period", "2022-12", "--due", "2022-01-06", "--dept", "虎门镇"], cwd=ws.root)
    assert bad.exit_code == 2 and "未生成填报表" in bad.output
    # June sent again to 虎门镇 in late December with two weeks: allowed
    ok = run(["issue", "--period", "2022-06", "--due", "2023-01-10", "--dept", "虎门镇"], cwd=ws.root)
    assert ok.exit_code == 0, ok.output


# ---------------------------------------------------------------------------
# 3. First form after the deadline


def test_a_unit_first_asked_on_the_deadline_day_is_not_handed_that_same_day_silently(run, issued_ws, collecting_on):
    """市残联 exempt for July (本期免报); the office asks it after all on Friday 5 August, the
    deadline day, in the evening (clock 18:00). Its form prints 2022年8月5日; the screen is silent."""
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 4))
    drop(ws, "canlian.xlsx", fill_return(issued_path(ws, "市残联"), Filling(default=DONE)), at(2022, 7, 4, 9))
    run(["collect"], cwd=ws.root)
    collecting_on(dt.date(2022, 7, 28))
    run(["issue", "--period", "2022-07", "--skip-done"], cwd=ws.root)
    collecting_on(dt.date(2022, 8, 5))
    out = run(["issue", "--period", "2022-07", "--dept", "市残联", "--no-skip-done"], cwd=ws.root).stdout
    given = _meta_due(issued_path(ws, "市残联", JULY))
    assert given > "2022-08-05" or any(line.startswith("提醒") and "市残联" in line for line in out.splitlines()), out


# ---------------------------------------------------------------------------
# 4. The 通报's next-month sentence


def test_one_towns_extension_issued_first_is_not_every_units_date(run, issued_ws, collecting_on):
    """On 27 July the office gives 麻涌镇 its July form early with the 10th (a festival), then on 28
    July issues July's forms to everyone without --due, meaning the 5th (due_day)."""
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 27))
    run(["issue", "--period", "2022-07", "--dept", "麻涌镇", "--due", "2022-08-10"], cwd=ws.root)
    ctx = build_context(consolidate(ws, JUNE))
    said = ctx.next_due_text
    collecting_on(dt.date(2022, 7, 28))
    run(["issue", "--period", "2022-07"], cwd=ws.root)
    assert _meta_due(issued_path(ws, "市公安局", JULY)) == "2022-08-05", said


def test_next_month_sentence_when_not_issued_or_issued_to_some(run, issued_ws, collecting_on):
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 20))
    assert build_context(consolidate(ws, JUNE)).next_due_text == "2022年7月进展请各单位于2022年8月5日前报送"
    collecting_on(dt.date(2022, 7, 28))
    run(["issue", "--period", "2022-07", "--dept", "石龙镇", "--dept", "虎门镇"], cwd=ws.root)
    assert build_context(consolidate(ws, JUNE)).next_due_text == "2022年7月进展请各单位于2022年8月5日前报送"
    run(["issue", "--period", "2022-07"], cwd=ws.root)
    run(["issue", "--period", "2022-07", "--dept", "虎门镇", "--due", "2022-08-09"], cwd=ws.root)
    assert build_context(consolidate(ws, JUNE)).next_due_text == (
        "2022年7月进展请各单位于2022年8月5日前报送（其中虎门镇为2022年8月9日）")
