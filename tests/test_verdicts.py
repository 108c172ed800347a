"""The 通报 names units in public: situations where a unit that did nothing wrong was named
逾期报送 or 未报送 (found by a QA pass acting as departments and as the office, round 2).

Each test plants the situation and asserts the unit's 报送状态 as the memo would print it.
"""

from __future__ import annotations

import datetime as dt
import email.policy

import pytest
from conftest import PERIOD, drop, on_time, set_clock, shanghai
from test_evidence import LATE_NO_REASON, clean, mail, receipts, state

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, fill_return
from toolkit.ledger import Ledger
from toolkit.vocab import UnitState

# ---------------------------------------------------------------------------
# the deadline is the one printed on the forms


def test_a_deadline_issued_with_due_decides_lateness(issued_ws, make_return):
    """`duban issue --due 2022-07-10` prints 10 July on the form and in the mail: a unit
    that sends on 8 July met it (it was judged against duban.toml's day 5)."""
    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 10))
    drop(issued_ws, "来信.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))],
                                     date="Fri, 08 Jul 2022 10:00:00 +0800"))
    collect(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    assert cons.due == dt.date(2022, 7, 10)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_one_units_form_issued_again_with_a_later_deadline_moves_only_its_deadline(issued_ws, make_return):
    """In July the office sends 石龙镇 a new June form with `--dept 石龙镇 --due 2022-07-10`
    (it lost the first): 石龙镇 sending on 8 July met its deadline; 虎门镇, whose form says
    5 July, is still 逾期 on 8 July, and the period's deadline stays the one on most forms."""
    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 10), units=["石龙镇"])
    drop(issued_ws, "来信.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))],
                                     date="Fri, 08 Jul 2022 10:00:00 +0800"))
    drop(issued_ws, "虎门.eml", mail([("虎门镇.xlsx", make_return("虎门镇", clean()))],
                                   date="Fri, 08 Jul 2022 11:00:00 +0800"))
    collect(issued_ws)
    assert consolidate(issued_ws, PERIOD).due == dt.date(2022, 7, 5)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME
    assert state(issued_ws, "虎门镇") == UnitState.LATE


def test_a_units_own_later_deadline_is_stated_beside_the_periods(run, issued_ws, make_return):
    """石龙镇 sent on 8 July, after the period's 5 July, and is 已报送: its form says 10 July.
    报送情况 and `duban status` say so beside the period's deadline, or the reader sees a
    missed 逾期."""
    from openpyxl import load_workbook

    from toolkit.actions.merge import merge

    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 10), units=["石龙镇"])
    drop(issued_ws, "来信.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))],
                                     date="Fri, 08 Jul 2022 10:00:00 +0800"))
    collect(issued_ws)
    first = run(["status"], cwd=issued_ws.root).stdout.splitlines()[0]
    assert first.startswith("2022年6月报送情况（截止 2022-07-05；石龙镇 2022-07-10）：应报 54，按时报送 1，")
    sheet = load_workbook(merge(issued_ws, PERIOD).path)["报送情况"]
    assert sheet["A2"].value.endswith("；报送截止 2022年7月5日（石龙镇 2022年7月10日，按其填报表上的截止日期）")
    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 11), units=["虎门镇"])
    assert consolidate(issued_ws, PERIOD).own_dues_text(str, most=1) == "石龙镇 2022-07-10等 2 个单位"


def test_a_form_issued_again_without_due_keeps_the_deadline_the_others_were_given(issued_ws):
    """A form issued again (lost, or for a unit added later) without --due carries the
    deadline already given: the period's, or the unit's own later one; never an earlier one."""
    assert issue_returns(issued_ws, "2022-06", units=["石龙镇"]).due == dt.date(2022, 7, 5)
    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 8), units=["石龙镇"])
    assert issue_returns(issued_ws, "2022-06", units=["石龙镇"]).due == dt.date(2022, 7, 8)
    assert issue_returns(issued_ws, "2022-06", units=["虎门镇"]).due == dt.date(2022, 7, 5)
    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 10))
    assert issue_returns(issued_ws, "2022-06", units=["虎门镇"]).due == dt.date(2022, 7, 10)


def test_the_later_of_the_printed_and_the_configured_deadline_applies(issued_ws):
    """An office may extend the deadline in duban.toml after printing the forms; it cannot
    shorten what it printed."""
    june = PERIOD
    assert issued_ws.due(june) == dt.date(2022, 7, 5)
    assert issued_ws.due(june, dt.date(2022, 7, 10)) == dt.date(2022, 7, 10)
    assert issued_ws.due(june, dt.date(2022, 7, 1)) == dt.date(2022, 7, 5)


def test_forms_issued_before_the_deadline_was_recorded_keep_the_configured_one(issued_ws):
    with Ledger(issued_ws.ledger_path) as ledger:
        ledger.conn.execute("UPDATE issued SET due = NULL")
        assert ledger.issued_due(PERIOD) is None
    assert consolidate(issued_ws, PERIOD).due == dt.date(2022, 7, 5)


# ---------------------------------------------------------------------------
# when a unit first sent a valid return decides 已报送 or 逾期


def _mail_on(day: int, data: bytes, hour: int = 10) -> bytes:
    return mail([("石龙镇6月进展.xlsx", data)], date=f"{day:02d} Jul 2022 {hour:02d}:00:00 +0800")


def test_the_same_file_sent_twice_in_one_collect_counts_from_the_first(issued_ws, make_return):
    """Sent on 4 July, sent again unchanged on 8 July, both collected together: the copy read
    first (here the later one: its name sorts first) is kept, the other is 重复; the unit
    still met the deadline with the copy of 4 July."""
    data = make_return("石龙镇", clean())
    drop(issued_ws, "a_再次发送.eml", _mail_on(8, data))
    drop(issued_ws, "b_报送.eml", _mail_on(4, data))
    collect(issued_ws)
    assert sorted(r.outcome for r in receipts(issued_ws) if r.parent_id) == ["采纳", "重复"]
    shilong = next(u for u in consolidate(issued_ws, PERIOD).units if u.unit == "石龙镇")
    assert (shilong.state, shilong.received_at) == (UnitState.ON_TIME, "2022-07-04 10:00")


def test_an_earlier_copy_collected_in_a_later_run_counts_from_its_date(issued_ws, make_return):
    data = make_return("石龙镇", clean())
    drop(issued_ws, "再次发送.eml", _mail_on(8, data))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.LATE
    drop(issued_ws, "报送.eml", _mail_on(4, data))  # found later in another folder
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_an_update_after_an_on_time_return_names_no_one_late(issued_ws, make_return):
    """The update is what is merged; the return of 4 July met the deadline."""
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", clean())))
    collect(issued_ws)
    update = make_return("石龙镇", clean(), **{"4_3": Answer(progress=70, work="更新后的进展。")})
    drop(issued_ws, "更新.eml", _mail_on(8, update))
    collect(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    shilong = next(u for u in cons.units if u.unit == "石龙镇")
    assert (shilong.state, shilong.received_at) == (UnitState.ON_TIME, "2022-07-04 10:00")
    with Ledger(issued_ws.ledger_path) as ledger:
        merged = ledger.accepted(PERIOD)["石龙镇"]
    assert merged.received_at.startswith("2022-07-08")  # the update's content is merged


def test_a_refused_return_on_time_then_a_valid_one_late_is_late(issued_ws, make_return, collecting_on):
    """What was refused was not a return the office could use: the valid one decides. Refused
    on 4 July, the reply asked for the correction by the deadline, 5 July: 8 July is late."""
    collecting_on(dt.date(2022, 7, 4))
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))  # refused
    collect(issued_ws)
    collecting_on(dt.date(2022, 7, 8))
    drop(issued_ws, "重报.eml", _mail_on(8, make_return("石龙镇", clean())))
    collect(issued_ws)
    assert [(r.outcome, r.received_at[:10]) for r in receipts(issued_ws) if r.parent_id] == [
        ("退回", "2022-07-04"), ("采纳", "2022-07-08")]
    assert state(issued_ws, "石龙镇") == UnitState.LATE


def _reply_text(ws) -> str:
    (eml,) = (ws.root / "反馈").rglob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    return message.get_body(("plain",)).get_content()


def _sent(ws, collecting_on, name: str, data: bytes, day: int, collected: int | None = None) -> None:
    """A mail sent on ``day`` July, collected on ``collected`` July (the same day by default)."""
    collecting_on(dt.date(2022, 7, collected or day))
    drop(ws, name, _mail_on(day, data))
    collect(ws)


@pytest.mark.parametrize("corrected, expected", [(11, UnitState.ON_TIME), (12, UnitState.LATE)])
def test_a_correction_by_the_date_the_reply_asked_for_is_on_time(
        issued_ws, make_return, collecting_on, corrected, expected):
    """Sent on the deadline, 5 July, and refused when the office collected on 6 July: the
    reply asked for the correction by Monday 11 July (three working days). A town that did
    as it was asked stood 逾期报送 in the 通报 (QA helper); one a day later is late."""
    _sent(issued_ws, collecting_on, "报送.eml", make_return("石龙镇", **LATE_NO_REASON), 5, collected=6)
    assert "于2022年7月11日前以附件文件重新报送" in _reply_text(issued_ws)
    _sent(issued_ws, collecting_on, "重报.eml", make_return("石龙镇", clean()), corrected)
    assert state(issued_ws, "石龙镇") == expected


def test_each_refusal_before_the_date_asked_names_a_new_date(issued_ws, make_return, collecting_on):
    """Refused on 5 July (collected 6 July: by 11 July), sent again wrong on 8 July (the reply
    of 8 July asks by 13 July), corrected on 13 July: the last reply's date is met."""
    _sent(issued_ws, collecting_on, "报送.eml", make_return("石龙镇", **LATE_NO_REASON), 5, collected=6)
    still_wrong = {"1_2": Answer(status="滞后", progress=40, work="仍在推进", problems="")}  # E603 again
    _sent(issued_ws, collecting_on, "再报.eml", make_return("石龙镇", **still_wrong), 8)
    _sent(issued_ws, collecting_on, "重报.eml", make_return("石龙镇", clean()), 13)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_refused_return_sent_late_gives_no_new_date(issued_ws, make_return, collecting_on):
    """Refused, but sent on 6 July, after the deadline: the unit was late already."""
    _sent(issued_ws, collecting_on, "报送.eml", make_return("石龙镇", **LATE_NO_REASON), 6)
    _sent(issued_ws, collecting_on, "重报.eml", make_return("石龙镇", clean()), 7)
    assert state(issued_ws, "石龙镇") == UnitState.LATE


# ---------------------------------------------------------------------------
# a return filed under another period is said on screen


def _last_months_form(issued_ws, tmp_path) -> bytes:
    """石龙镇 fills the May form it still has with June's progress."""
    issue_returns(issued_ws, "2022-05", units=["石龙镇"], out=tmp_path / "五月")
    (form,) = (tmp_path / "五月").glob("*.xlsx")
    return fill_return(form, clean())


def test_last_months_form_is_named_on_screen_not_filed_silently(run, issued_ws, tmp_path):
    drop(issued_ws, "石龙镇进展.xlsx", _last_months_form(issued_ws, tmp_path), on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1, result.output
    assert ("请核实：石龙镇进展.xlsx（石龙镇）是2022年5月的填报表，已登记为2022年5月的报送；"
            "如果填的是2022年6月的进展，请该单位用2022年6月下发的填报表重报") in result.output
    assert state(issued_ws, "石龙镇") == UnitState.NOT_REPORTED


def test_last_months_form_named_this_month_is_refused_for_this_month(run, issued_ws, tmp_path, monkeypatch):
    """Its file name says June (QA129): refused as June's (E202), 退回待改, not 未报送. Sent
    after June's forms went out (one sent before could not have been a June return on the
    wrong form): 石龙镇's June form issued again as on 28 June, the session's being today's."""
    set_clock(monkeypatch, dt.date(2022, 6, 28))
    issue_returns(issued_ws, "2022-06", units=["石龙镇"])
    set_clock(monkeypatch, None)
    drop(issued_ws, "石龙镇6月进展.xlsx", _last_months_form(issued_ws, tmp_path), on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert ("请核实：石龙镇6月进展.xlsx：石龙镇用2022年5月的填报表报送，文件名写的是2022年6月：已按2022年6月退回"
            "（期次不符），未登记为2022年5月的报送；请发出反馈邮件，请该单位用2022年6月下发的填报表重报") in result.output
    assert state(issued_ws, "石龙镇") == UnitState.TO_FIX


def test_last_months_form_after_that_month_was_merged_is_named_too(run, issued_ws, make_return, monkeypatch):
    """June merged, July issued: 石龙镇, which reported June on time, sends its July progress on
    June's form. It is 补报 of June (W209) and replaces June's return, so the coordinator is
    asked, as for an unmerged month; else the July 通报 names the unit 未报送 with no word on
    screen. A first return for June (市公安局 never reported it) is asked about too (qa94): it
    is as likely July's progress on the form the unit had at hand."""
    from toolkit.actions.merge import merge

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    merge(issued_ws, PERIOD)
    set_clock(monkeypatch, dt.date(2022, 7, 20))  # July's forms out before the files below were sent
    issue_returns(issued_ws, "2022-07")
    set_clock(monkeypatch, None)
    drop(issued_ws, "石龙镇7月进展.xlsx", make_return("石龙镇", clean(), **{"4_3": Answer(progress=90)}),
         shanghai(dt.datetime(2022, 8, 2, 9, 0)))
    drop(issued_ws, "市公安局6月补报.xlsx", make_return("市公安局", clean()), shanghai(dt.datetime(2022, 7, 20, 9, 0)))
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1, result.output
    # named 7月 (QA129): refused for July, June's published return stays (no 重报)
    assert "重报：石龙镇" not in result.output, result.output
    assert ("请核实：石龙镇7月进展.xlsx：石龙镇用2022年6月的填报表报送，文件名写的是2022年7月：已按2022年7月退回"
            "（期次不符），未登记为2022年6月的报送") in result.output
    assert "补报：市公安局 报送了2022年6月的填报表" in result.output
    assert "请核实：市公安局6月补报.xlsx（市公安局）是2022年6月的填报表" in result.output


def test_run_with_only_another_periods_form_says_where_it_went(run, issued_ws, tmp_path):
    drop(issued_ws, "石龙镇进展.xlsx", _last_months_form(issued_ws, tmp_path), on_time())
    result = run(["run"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert "收件箱是空的" not in result.output
    assert "2022年6月还没有收到任何报送：本次收到的 1 个文件已登记，但是其他期次的填报表：石龙镇（2022年5月）" in result.output


def test_collect_with_a_period_names_that_period_in_its_summary(run, issued_ws, make_return):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    result = run(["collect", "--period", "2022-05"], cwd=issued_ws.root)
    assert "看不出期次的按指定的期次2022年5月" in result.output, result.output


# ---------------------------------------------------------------------------
# lateness on a file's modification time alone


def test_late_by_modification_time_alone_is_said_and_can_be_corrected(run, issued_ws, make_return):
    """An attachment of a mail received on 4 July, saved into 收件箱 on 6 July: its time is
    the save, and the unit would be named 逾期 on that alone. collect says so (exit 1); the
    file put back with the stated date counts from that date."""
    data = make_return("石龙镇", clean())
    drop(issued_ws, "石龙镇.xlsx", data, shanghai(dt.datetime(2022, 7, 6, 9, 0)))
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert ("请核实：石龙镇.xlsx：石龙镇按文件修改时间（2022-07-06 09:00）计为逾期报送（截止 2022-07-05）。"
            "如实际按时收到，请运行 duban received --period 2022-06 --dept 石龙镇 --on 收到日期，按收到日期计报送时间；"
            "如文件修改时间就是收到时间，请运行 duban received --period 2022-06 --dept 石龙镇 --confirm，此提示即不再出现。"
            "也可双击“5-逐条核实”逐条回答。") in result.output
    assert state(issued_ws, "石龙镇") == UnitState.LATE
    drop(issued_ws, "石龙镇.xlsx", data, shanghai(dt.datetime(2022, 7, 6, 9, 0)))
    again = run(["collect", "--received", "2022-07-04"], cwd=issued_ws.root)
    assert "文件修改时间" not in again.output
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_late_by_an_inline_forwards_date_is_said_and_can_be_corrected(run, issued_ws, make_return):
    """石龙镇 mailed a colleague on 4 July; the colleague forwarded it inline ("转发：") to the
    office on 8 July. The mail's Date is the forward's: collect says so (exit 1) instead of
    naming the unit 逾期 silently; the attachment saved with the stated date counts from it."""
    data = make_return("石龙镇", clean())
    drop(issued_ws, "转发.eml", mail([("石龙镇.xlsx", data)], sender="wang@dg.example.cn",
                                   subject="转发：石龙镇6月进展报送", date="Fri, 08 Jul 2022 09:10:00 +0800"))
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert ("  请核实：石龙镇.xlsx：石龙镇按转发邮件的发送时间（2022-07-08 09:10）计为逾期报送（截止 2022-07-05），"
            "原邮件是转发的，其发送时间不详；转发邮件的发送时间可能晚于单位实际报送的时间。如实际按时收到，请运行 duban received --period "
            "2022-06 --dept 石龙镇 --on 收到日期，按收到日期计报送时间；如按转发邮件的发送时间计为逾期报送无误，请运行 "
            "duban received --period 2022-06 --dept 石龙镇 --confirm，此提示即不再出现。也可双击“5-逐条核实”逐条回答。") in result.output.splitlines()
    assert state(issued_ws, "石龙镇") == UnitState.LATE
    drop(issued_ws, "石龙镇.xlsx", data)
    again = run(["collect", "--received", "2022-07-04"], cwd=issued_ws.root)
    assert again.exit_code == 0, again.output
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_late_mail_that_is_no_forward_is_quiet(run, issued_ws, make_return):
    drop(issued_ws, "来信.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))], subject="回复：石龙镇6月进展",
                                   date="Fri, 08 Jul 2022 09:10:00 +0800"))
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 0 and "请核实" not in result.output
    assert state(issued_ws, "石龙镇") == UnitState.LATE


def test_on_time_by_modification_time_is_quiet(run, issued_ws, make_return):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 0 and "文件修改时间" not in result.output


def test_a_late_update_after_an_on_time_return_is_not_said_late(run, issued_ws, make_return):
    """石龙镇 met the deadline on 4 July; its update saved into 收件箱 on 3 August is what is
    merged, but the 4 July return decides the verdict: collect must not say the unit is counted
    逾期 on the update's modification time (nor send the coordinator to fix a date)."""
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    run(["collect"], cwd=issued_ws.root)
    update = make_return("石龙镇", clean(), **{"4_3": Answer(progress=70, work="更新后的进展。")})
    drop(issued_ws, "石龙镇（更新）.xlsx", update, shanghai(dt.datetime(2022, 8, 3, 9, 0)))
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    assert "计为逾期报送" not in result.output
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_mistyped_period_can_be_undone_by_putting_the_files_back(run, issued_ws, make_return, tmp_path):
    """collect --period 2022-05 by mistake refuses June's returns as E202 under May; the same
    files put back and collected for June are checked again, not skipped as duplicates."""
    issue_returns(issued_ws, "2022-05", units=["石龙镇"], out=tmp_path / "五月")
    data = mail([("石龙镇.xlsx", make_return("石龙镇", clean()))], date="Mon, 04 Jul 2022 10:00:00 +0800")
    drop(issued_ws, "来信.eml", data)
    wrong = run(["collect", "--period", "2022-05"], cwd=issued_ws.root)
    assert "E202" in wrong.output
    drop(issued_ws, "来信.eml", data)
    right = run(["collect"], cwd=issued_ws.root)
    assert right.exit_code == 0, right.output
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME
    drop(issued_ws, "来信.eml", data)  # a third time: now an ordinary duplicate
    run(["collect"], cwd=issued_ws.root)
    assert [r.outcome for r in receipts(issued_ws) if r.parent_id][-1] == "重复"


# ---------------------------------------------------------------------------
# a unit added to the master after the forms went out


def _add_unit_after_issue(ws, unit: str = "市教育局", task: str = "4.3") -> None:
    """The coordinator adds a unit to 单位名录 and makes it a lead of ``task`` after issue."""
    from openpyxl import load_workbook

    wb = load_workbook(ws.master_path)
    wb["单位名录"].append([unit, "", "市直部门", "", "", ""])
    wb["责任分工"].append([task, unit, "牵头", "明确"])
    wb.save(ws.master_path)


def test_a_unit_added_after_issue_is_not_named_unreported(run, issued_ws):
    """No form went to 市教育局: the 通报 must not name it 未报送; the coordinator is told
    how to ask it for this month (exit 1), and once issued it is owed like any unit."""
    from toolkit.memo.context import build_context

    _add_unit_after_issue(issued_ws)
    assert "市教育局" in issued_ws.load_master().units_with_tasks()
    cons = consolidate(issued_ws, PERIOD)
    assert cons.not_issued == ["市教育局"] and "市教育局" not in [u.unit for u in cons.units]
    assert len(cons.units) == 54
    task = next(t for t in cons.tasks if t.task.id == "4.3")
    assert "市教育局" not in task.leads and "市教育局" not in task.missing
    assert all("市教育局" not in t.missing_units for t in build_context(cons).attention)
    shown = run(["status", "--all"], cwd=issued_ws.root)
    assert shown.exit_code == 1
    assert shown.stdout.splitlines()[-1] == (
        "请核实：市教育局 在任务清单中有任务，但没有下发过2022年6月的填报表，本期不计入应报单位，通报也不列为未报送。"
        "如需本期报送，请运行 duban issue --dept 市教育局")
    assert "应报 54，" in shown.stdout.splitlines()[0]

    assert run(["issue", "--dept", "市教育局"], cwd=issued_ws.root).exit_code == 0
    after = consolidate(issued_ws, PERIOD)
    assert after.not_issued == [] and state(issued_ws, "市教育局") == UnitState.NOT_REPORTED
    assert run(["status"], cwd=issued_ws.root).exit_code == 0


def test_the_issue_command_suggested_for_an_earlier_month_issues_that_month(run, issued_ws):
    """July is current; June's form of 市公安局, which the plan had then, was never made (the office
    left it out): June's status suggests a command that issues June's form to it (with --period),
    not July's, which the bare command would. 市教育局, added to the plan after June's and July's
    forms went out, is no June unit: said, never to be issued June's form (QA406); July asks."""
    import sqlite3

    assert run(["issue", "--period", "2022-07"], cwd=issued_ws.root).exit_code == 0
    with sqlite3.connect(issued_ws.ledger_path) as db:  # as if June's issue had left it out
        db.execute("DELETE FROM issued WHERE unit='市公安局' AND period='2022-06'")
    db.close()
    _add_unit_after_issue(issued_ws)
    shown = run(["status", "--period", "2022-06"], cwd=issued_ws.root)
    assert shown.exit_code == 1
    lines = shown.stdout.splitlines()
    assert lines[-3].endswith("如需本期报送，请运行 duban issue --period 2022-06 --dept 市公安局"), lines
    assert lines[-1] == ("说明：市教育局（4.3 牵头）是2022年6月的填报表下发后才列入任务分工表的，2022年6月没有向其下发填报表："
                         "该期不计入应报单位，通报也不列为未报送，无需补发该期的填报表。"), lines
    assert "--dept 市教育局" not in shown.stdout
    assert run(lines[-3].split("请运行 duban ")[1].split(), cwd=issued_ws.root).exit_code == 0
    assert consolidate(issued_ws, PERIOD).not_issued == []
    assert state(issued_ws, "市公安局") == UnitState.NOT_REPORTED
    assert "市教育局" not in {u.unit for u in consolidate(issued_ws, PERIOD).units}
    july = run(["status"], cwd=issued_ws.root).stdout.splitlines()[-1]
    assert july.endswith("如需本期报送，请运行 duban issue --dept 市教育局")


def test_a_unit_added_after_issue_that_reports_anyway_is_counted(run, issued_ws, make_return):
    """A form that reaches it another way (made by a colleague's copy of duban) and comes
    back is taken as usual, and the unit is owed from then on."""
    import sqlite3

    _add_unit_after_issue(issued_ws, unit="市教育局", task="4.3")
    assert run(["issue", "--dept", "市教育局"], cwd=issued_ws.root).exit_code == 0
    with sqlite3.connect(issued_ws.ledger_path) as db:  # as if this ledger never issued it
        db.execute("DELETE FROM issued WHERE unit='市教育局'")
    db.close()
    assert consolidate(issued_ws, PERIOD).not_issued == ["市教育局"]
    data = make_return("市教育局", clean())
    drop(issued_ws, "市教育局.xlsx", data, on_time())
    collect(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    assert cons.not_issued == [] and state(issued_ws, "市教育局") == UnitState.ON_TIME


# ---------------------------------------------------------------------------
# reminders


def test_a_reminder_written_before_a_unit_reported_is_withdrawn(run, issued_ws, make_return):
    """The coordinator writes the 催报 drafts, 石龙镇 reports, the coordinator collects and then
    sends the reminders (`duban mail send remind`, or the .eml files by hand): 石龙镇 must not
    get one. A unit whose return was refused still needs its reminder."""
    assert run(["remind"], cwd=issued_ws.root).exit_code == 0
    folder = issued_ws.root / "汇总" / "2022年6月" / "催报邮件"
    assert (folder / "催报_石龙镇.eml").exists() and (folder / "催报_虎门镇.eml").exists()
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    drop(issued_ws, "虎门镇.xlsx", make_return("虎门镇", **LATE_NO_REASON), on_time())
    collect(issued_ws)
    assert not (folder / "催报_石龙镇.eml").exists()
    assert (folder / "催报_虎门镇.eml").exists()
    with Ledger(issued_ws.ledger_path) as ledger:
        live = {d.unit for d in ledger.drafts("remind", PERIOD)}
    assert "石龙镇" not in live and {"虎门镇", "市公安局"} <= live
