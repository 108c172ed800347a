"""A unit's state for one task, as the 汇总表 and the 通报 give it (review of the 退回待改 and
本期未下发 rules: a re-issued form, a task both sent back and not asked, a lead issued no form)."""
from __future__ import annotations

from conftest import PERIOD, drop, on_time
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.memo.context import build_context
from toolkit.vocab import UnitState

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
SZ = "市政务服务数据管理局"


def clean() -> Filling:
    return Filling(answers={"1.2": DONE})


def add_lead(ws, task, unit):
    wb = load_workbook(ws.master_path)
    wb["责任分工"].append([task, unit, "牵头", "明确"])
    wb.save(ws.master_path)


def test_a_unit_returning_its_first_form_after_a_reissue_is_not_unreported_for_the_added_task(issued_ws, make_return):
    """石龙镇 returns the form it was first sent; 2.1 was given to it afterwards and a new form
    re-issued to it. collect accepts the old form with W208 (nothing the unit could fix), yet
    it is not named 未报送 for 2.1, which collect told it needed no fixing."""
    data = make_return("石龙镇", clean())          # the first form (old fingerprint)
    add_lead(issued_ws, "2.1", "石龙镇")
    issue_returns(issued_ws, "2022-06", units=["石龙镇"])  # re-issued with the newer master
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        [rec] = ledger.receipts()
        codes = [i.code for i in ledger.issues_of(rec.id)]
    assert rec.outcome == "采纳" and "W208" in codes
    cons = consolidate(issued_ws, PERIOD)
    assert next(u for u in cons.units if u.unit == "石龙镇").state == UnitState.ON_TIME
    task = next(t for t in cons.tasks if t.task.id == "2.1")
    assert "石龙镇" not in task.missing, "W208 says the unit could not fix it; the memo names it 未报送"


def test_the_overview_counts_a_task_sent_back_and_not_asked_apart_from_leads_that_sent_nothing(issued_ws, make_return):
    """2.2's only lead SZ was sent back; 石龙镇 was added as a lead after issue. No lead sent
    nothing: the overview does not count 2.2 under 牵头单位未报送进展的."""
    bad = Filling(answers={"1.1": Answer(status="已完成", progress=150)})
    drop(issued_ws, "sz.xlsx", make_return(SZ, bad), on_time())
    collect(issued_ws)
    add_lead(issued_ws, "2.2", "石龙镇")
    cons = consolidate(issued_ws, PERIOD)
    assert next(u for u in cons.units if u.unit == SZ).state == UnitState.TO_FIX
    t22 = next(t for t in cons.tasks if t.task.id == "2.2")
    assert t22.status == "未报送" and t22.missing == [], t22.lead_states
    ctx = build_context(cons)
    truly_missing = sum(any(s == "未报送" for s in t.lead_states.values())
                        for t in cons.tasks if t.status == "未报送")
    # (the real clock: SZ's reply asks its correction by a date still ahead, so SZ's own tasks wait)
    # (本期未下发, task_not_reported_not_issued, is beside task_not_reported, not of it: QA377)
    said = (ctx.task_not_reported - ctx.task_not_reported_waiting - ctx.task_not_reported_sent_back
            - ctx.task_not_reported_no_lead)
    assert said == truly_missing, (said, truly_missing, ctx.overview_text)


def test_a_task_whose_lead_was_issued_no_form_is_not_said_to_have_no_lead(ws):
    """Forms went to every unit but SZ (partial issue): tasks led by SZ alone are not said to have
    no lead (未明确牵头单位) in the sentence that names SZ as their lead."""
    units = [u for u in ws.load_master().units_with_tasks() if u != SZ]
    issue_returns(ws, "2022-06", units=units)
    cons = consolidate(ws, PERIOD)
    assert SZ in cons.not_issued
    ctx = build_context(cons)
    t = next(t for t in ctx.attention if t.id == "2.2")
    assert "未明确牵头单位" not in t.summary, t.summary


def test_a_lead_that_sent_nothing_is_named_beside_one_sent_back(issued_ws, make_return):
    """2.3 has several leads; SZ's return was sent back and the others sent nothing. The task
    sentence says no lead has a valid return, and names those that sent nothing apart from SZ."""
    from toolkit.memo.context import _task_item

    bad = Filling(answers={"1.1": Answer(status="已完成", progress=150)})
    drop(issued_ws, "sz.xlsx", make_return(SZ, bad), on_time())
    collect(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    task = next(t for t in cons.tasks if SZ in t.leads and len(t.leads) > 1 and t.status == "未报送")
    item = _task_item(task, cons, [])
    others = [u for u in task.leads if u != SZ]
    assert item.status_text == "牵头单位尚无合格的报送"
    assert f"尚有{len(others)}个牵头单位未报送" in item.summary and "报送有误已退回修改" in item.summary
    assert SZ not in item.missing_units and item.missing_units == others


def test_a_form_sent_again_in_a_month_the_ledger_did_not_record_hides_no_one(issued_ws, make_return):
    """A ledger from before version 4 kept no record of who was issued a month's forms. One
    form sent again afterwards (`issue --dept`) must not make every other unit "not issued":
    they stay owed, and those that sent nothing stay 未报送."""
    import sqlite3

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    with sqlite3.connect(issued_ws.ledger_path) as conn:  # the month as an older duban left it
        conn.execute("DELETE FROM issued")
    conn.close()
    issue_returns(issued_ws, "2022-06", units=["虎门镇"])
    cons = consolidate(issued_ws, PERIOD)
    assert cons.not_issued == []
    assert len(cons.units) == 54
    assert sum(u.state == UnitState.NOT_REPORTED for u in cons.units) == 53


def test_a_unit_added_after_a_recorded_issue_is_still_not_owed(issued_ws, make_return):
    """The rule the test above guards: forms recorded before any return came in vouch for
    who was asked; a unit added to the master afterwards is not named 未报送."""
    from test_verdicts import _add_unit_after_issue

    _add_unit_after_issue(issued_ws)
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    assert cons.not_issued == ["市教育局"]
    assert "市教育局" not in [u.unit for u in cons.units]


def _reminder(ws, unit: str) -> str:
    import email
    from email import policy

    from toolkit.actions.remind import write_reminders

    folder = write_reminders(ws, PERIOD).folder
    msg = email.message_from_bytes((folder / f"催报_{unit}.eml").read_bytes(), policy=policy.default)
    return msg.get_body(("plain",)).get_content()


def test_a_reminder_asks_only_for_the_tasks_on_the_units_form(issued_ws):
    """2.1 was given to 石龙镇 after its form went out: the reminder, which points to that
    form (attached with --attach), does not ask for a task the form does not carry."""
    before = _reminder(issued_ws, "石龙镇")
    add_lead(issued_ws, "2.1", "石龙镇")
    after = _reminder(issued_ws, "石龙镇")
    assert "1.2（牵头）" in after and "2.1（" not in after
    assert after == before


def test_a_reminder_gives_the_deadline_printed_on_the_units_own_form(issued_ws):
    """A unit re-issued its form with `issue --due` is reminded of that date, not the period's."""
    import datetime as dt

    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 12), units=["石龙镇"])
    assert "（报送截止：2022年7月12日）" in _reminder(issued_ws, "石龙镇")
    assert "（报送截止：2022年7月5日）" in _reminder(issued_ws, "虎门镇")


def test_a_reminder_to_fix_attaches_the_marked_file_only_while_it_answers_the_latest_return(
        issued_ws, make_return):
    """`remind --attach` gives a 退回待改 unit its own file with the errors marked (the reply's
    workbook). When its latest return got no reply (the reply failed and is owed, here: a
    collect without replies), the older marked file is not sent: the blank form is."""
    import email
    from email import policy

    from toolkit.actions.remind import write_reminders

    def attachments():
        folder = write_reminders(issued_ws, PERIOD, attach=True).folder
        msg = email.message_from_bytes((folder / "催报_虎门镇.eml").read_bytes(), policy=policy.default)
        return [a.get_filename() for a in msg.iter_attachments()], msg.get_body(("plain",)).get_content()

    wrong = Filling(answers={"1.2": Answer(status="滞后", problems="")})  # 滞后 without a problem: E-level
    drop(issued_ws, "虎门1.xlsx", make_return("虎门镇", wrong), on_time() - 3600)
    collect(issued_ws)
    names, body = attachments()
    assert names == ["虎门镇_校验反馈.xlsx"] and "有误的单元格已标红" in body
    again = Filling(answers={"1.2": Answer(status="滞后", problems="", work="第二版")})
    drop(issued_ws, "虎门2.xlsx", make_return("虎门镇", again), on_time())
    collect(issued_ws, feedback=False)
    assert next(u for u in consolidate(issued_ws, PERIOD).units if u.unit == "虎门镇").file == "虎门2.xlsx"
    names, body = attachments()
    assert names == ["2022年6月_虎门镇_进展填报表.xlsx"] and "空白填报表见附件" in body and "标红" not in body


def _reminder_attachments(ws, unit: str = "虎门镇") -> tuple[list[tuple[str, bytes]], str]:
    import email
    from email import policy

    from toolkit.actions.remind import write_reminders

    folder = write_reminders(ws, PERIOD, attach=True).folder
    msg = email.message_from_bytes((folder / f"催报_{unit}.eml").read_bytes(), policy=policy.default)
    return [(a.get_filename(), a.get_content()) for a in msg.iter_attachments()], msg.get_body(("plain",)).get_content()


def test_a_reminder_to_fix_still_attaches_the_marked_file_when_the_unit_sent_the_same_file_again(
        issued_ws, make_return):
    """A unit that mails its refused file again unchanged (重复: not checked again, no reply of
    its own) has not sent a later return: the reply about that very file still answers its
    latest, and the marked file goes, byte for byte as on disk, not a blank form."""
    data = make_return("虎门镇", Filling(answers={"1.2": Answer(status="滞后", problems="")}))
    drop(issued_ws, "虎门.xlsx", data, on_time() - 3600)
    collect(issued_ws)
    drop(issued_ws, "虎门（再发）.xlsx", data, on_time())
    assert collect(issued_ws).duplicates == 1
    [marked] = (issued_ws.root / "反馈" / PERIOD.label).glob("*/虎门镇_校验反馈.xlsx")
    files, body = _reminder_attachments(issued_ws)
    assert files == [(marked.name, marked.read_bytes())]
    assert "有误的单元格已标红" in body and "空白" not in body


def test_an_owed_reply_is_written_when_the_unit_sent_the_same_file_again(issued_ws, make_return, monkeypatch):
    """The reply to a refused file could not be written (owed); the unit, hearing nothing,
    mails the same file again (重复). The next collect writes the owed reply: a duplicate
    is no later return with a reply of its own (before, the reply was dropped as answered)."""
    import toolkit.replies as collect_module  # where collect's replies are written

    real = collect_module.write_feedback

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    data = make_return("虎门镇", Filling(answers={"1.2": Answer(status="滞后", problems="")}))
    monkeypatch.setattr(collect_module, "write_feedback", disk_full)
    drop(issued_ws, "虎门.xlsx", data, on_time() - 3600)
    assert collect(issued_ws).owed
    monkeypatch.setattr(collect_module, "write_feedback", real)
    drop(issued_ws, "虎门（再发）.xlsx", data, on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        assert ledger.owed("feedback") == []
        [reply] = ledger.drafts("feedback", PERIOD)
        first = next(r for r in ledger.receipts() if r.name == "虎门.xlsx")
    assert reply.unit == "虎门镇" and reply.receipt_id == first.id
    [marked] = (issued_ws.root / "反馈" / PERIOD.label).glob("*/虎门镇_校验反馈.xlsx")
    assert _reminder_attachments(issued_ws)[0] == [(marked.name, marked.read_bytes())]


def test_a_reminder_for_an_unreadable_file_attaches_the_blank_form_not_a_marked_one(issued_ws):
    """A damaged file's reply workbook is a fresh form beside the reasons, nothing of the
    unit's in it: the reminder does not call it 'your file with the errors marked in red'."""
    drop(issued_ws, "2022年6月_虎门镇_进展填报表.xlsx", b"PK\x03\x04" + b"\0" * 200, on_time())
    collect(issued_ws)
    assert next(u for u in consolidate(issued_ws, PERIOD).units if u.unit == "虎门镇").state == UnitState.TO_FIX
    assert list((issued_ws.root / "反馈" / PERIOD.label).glob("*/虎门镇_校验反馈.xlsx"))
    files, body = _reminder_attachments(issued_ws)
    blank = issued_ws.root / "下发" / PERIOD.label / f"{PERIOD.label}_虎门镇_进展填报表.xlsx"
    assert files == [(blank.name, blank.read_bytes())]
    assert "空白填报表见附件" in body and "标红" not in body


def test_last_months_history_is_not_rejudged_when_a_unit_is_added_since(issued_ws, make_return):
    """June, seen from July's 汇总表 (历史 sheet, the 通报's 较上月), is June as its own 汇总表
    gave it: 市教育局, made a lead of 1.1 in July, was issued nothing in June, and 1.1 did
    not wait for it then."""
    import datetime as dt

    from test_verdicts import _add_unit_after_issue

    from toolkit.period import Period

    tasks = {t.id: DONE for t, _ in issued_ws.load_master().tasks_of(SZ)}
    drop(issued_ws, "sz.xlsx", make_return(SZ, Filling(answers=tasks)), on_time())
    collect(issued_ws)
    june = consolidate(issued_ws, PERIOD)
    assert next(t for t in june.tasks if t.task.id == "1.1").status == "已完成"
    _add_unit_after_issue(issued_ws, task="1.1")
    issue_returns(issued_ws, "2022-07", due=dt.date(2022, 8, 5))
    july = consolidate(issued_ws, Period(2022, 7))
    assert july.history[PERIOD] == {t.task.id: (t.status, t.avg_progress) for t in june.tasks}


def test_each_earlier_months_history_is_that_months_own_consolidation(issued_ws, make_return):
    """History seen from July (历史 sheet, the 通报's 较上月) is, task by task, what June's own
    consolidation gives: with a return accepted under W208, a unit added to the master after
    June's issue, and the department renamed since (its old name an alias)."""
    import datetime as dt

    from test_renamed_units import rename
    from test_verdicts import _add_unit_after_issue

    from toolkit.period import Period

    data = make_return("石龙镇", clean())          # the first form: 2.1 added to it after issue
    add_lead(issued_ws, "2.1", "石龙镇")
    issue_returns(issued_ws, "2022-06", units=["石龙镇"])
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    tasks = {t.id: DONE for t, _ in issued_ws.load_master().tasks_of(SZ)}
    drop(issued_ws, "sz.xlsx", make_return(SZ, Filling(answers=tasks)), on_time())
    collect(issued_ws)
    _add_unit_after_issue(issued_ws, task="1.1")
    rename(issued_ws)
    issue_returns(issued_ws, "2022-07", due=dt.date(2022, 8, 5))
    later = consolidate(issued_ws, Period(2022, 8))
    assert sorted(later.history) == [PERIOD, Period(2022, 7), Period(2022, 8)]
    for p in (q for q in later.history if q < later.period):
        assert later.history[p] == {t.task.id: (t.status, t.avg_progress) for t in consolidate(issued_ws, p).tasks}


def test_a_month_whose_forms_got_no_return_is_last_month_in_history(issued_ws):
    """June's forms went out and nothing came back; July's history (and the 通报's 较上月)
    compares with June, all 未报送, not with an older month or with nothing."""
    import datetime as dt

    from toolkit.period import Period

    issue_returns(issued_ws, "2022-07", due=dt.date(2022, 8, 5))
    july = consolidate(issued_ws, Period(2022, 7))
    assert sorted(july.history) == [PERIOD, Period(2022, 7)]
    june = consolidate(issued_ws, PERIOD)
    assert july.history[PERIOD] == {t.task.id: (t.status, t.avg_progress) for t in june.tasks}
    assert {s for s, _ in july.history[PERIOD].values()} == {"未报送"}
