"""A department renamed (市政务服务数据管理局 → 市政务服务和数据管理局) mid-cycle, its old name
kept as an alias in 单位名录: the ledger keeps the name a unit had when its form went out or
its file came in, and consolidate, the history checks and --prefill read it under the
current name. (A QA helper's scenario: renamed after issue, after collection, before July.)"""
from __future__ import annotations

import pytest
from conftest import PERIOD, drop, on_time
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.vocab import UnitState

OLD, NEW = "市政务服务数据管理局", "市政务服务和数据管理局"
JULY = Period(2022, 7)
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")


def rename(ws, old=OLD, new=NEW, alias=True, keep_old_row=False):
    """What a coordinator does in Excel: 责任分工 and 单位名录 get the new name; the old
    name goes into 简称/别名 (alias=True) or nowhere (alias=False: aliases cleared)."""
    wb = load_workbook(ws.master_path)
    for row in wb["责任分工"].iter_rows(min_row=2):
        if row[1].value == old:
            row[1].value = new
    sheet = wb["单位名录"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == old:
            if keep_old_row:  # a new row for the new name, the old row left as it was
                sheet.append([new, None, row[2].value, row[3].value, row[4].value, row[5].value])
            else:
                row[0].value = new
                row[1].value = "、".join(filter(None, [old, row[1].value])) if alias else None
            break
    wb.save(ws.master_path)


def state(cons, unit):
    return next((u.state for u in cons.units if u.unit == unit), None)


def names_in(cons):
    return [u.unit for u in cons.units]


# (a) renamed after June's forms went out --------------------------------------------

def test_a_renamed_after_issue_and_not_yet_returned_is_still_owed(issued_ws):
    """Nothing returned yet: the renamed unit really has not reported. It must be listed
    (未报送), not silently dropped as 'never issued a form'."""
    rename(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    assert NEW in names_in(cons) and state(cons, NEW) == UnitState.NOT_REPORTED, (
        f"renamed unit hidden; not_issued={cons.not_issued}, 应报={len(cons.units)}")


def test_a_renamed_after_issue_returns_the_old_form(issued_ws, make_return):
    data = make_return(OLD, Filling(answers={"1.1": DONE}))
    rename(issued_ws)
    drop(issued_ws, f"2022年6月_{OLD}_进展填报表.xlsx", data, on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        [rec] = ledger.receipts()
        codes = [i.code for i in ledger.issues_of(rec.id)]
    cons = consolidate(issued_ws, PERIOD)
    assert rec.outcome == "采纳" and rec.unit == NEW, (rec.outcome, rec.unit, codes)
    assert state(cons, NEW) == UnitState.ON_TIME
    assert OLD not in names_in(cons) and names_in(cons).count(NEW) == 1


def test_a_reminder_to_a_unit_renamed_after_issue_attaches_the_form_issued_under_its_old_name(issued_ws):
    """`remind --attach` attaches the blank form in 下发/: the renamed unit's is there under
    its old name, and its reminder lists that form's tasks; it is not sent without it."""
    import email
    from email import policy

    from toolkit.actions.remind import write_reminders

    rename(issued_ws)
    folder = write_reminders(issued_ws, PERIOD, attach=True).folder
    msg = email.message_from_bytes((folder / f"催报_{NEW}.eml").read_bytes(), policy=policy.default)
    assert [a.get_filename() for a in msg.iter_attachments()] == [f"2022年6月_{OLD}_进展填报表.xlsx"]
    assert "空白填报表见附件" in msg.get_body(("plain",)).get_content()


# (b) renamed after June was collected (e.g. before July's issue) --------------------

def _june_collected(issued_ws, make_return):
    drop(issued_ws, "sz.xlsx", make_return(OLD, Filling(answers={"1.1": DONE})), on_time())
    collect(issued_ws)
    assert state(consolidate(issued_ws, PERIOD), OLD) == UnitState.ON_TIME


def test_b_june_still_shows_the_renamed_unit_reported(issued_ws, make_return):
    """June's status, 汇总表 and 通报, produced again after the rename (or read back as the
    July workbook's history), still say the department reported and task 1.1 is done."""
    _june_collected(issued_ws, make_return)
    rename(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    t11 = next(t for t in cons.tasks if t.task.id == "1.1")
    assert state(cons, NEW) == UnitState.ON_TIME, (state(cons, NEW), cons.not_issued)
    assert t11.status == "已完成", (t11.status, t11.lead_states, t11.not_asked)


def test_b_july_history_and_checks_remember_june(issued_ws, make_return):
    """July forms issued under the new name: June's history (trend) keeps 1.1 done and
    July's return is compared with June (W606 progress went backwards)."""
    _june_collected(issued_ws, make_return)
    rename(issued_ws)
    issue_returns(issued_ws, "2022-07")
    july = issued_ws.root / "下发" / JULY.label / f"{JULY.label}_{NEW}_进展填报表.xlsx"
    from toolkit.filling import fill_return
    data = fill_return(july, Filling(answers={"1.1": Answer(status="序时推进", progress=60)}))
    drop(issued_ws, "sz7.xlsx", data, on_time() + 31 * 86400)
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.period == JULY)
        codes = [i.code for i in ledger.issues_of(rec.id)]
    cons = consolidate(issued_ws, JULY)
    assert state(cons, NEW) == UnitState.ON_TIME
    assert cons.history[PERIOD]["1.1"][0] == "已完成", cons.history[PERIOD]["1.1"]
    assert "W606" in codes, codes


def test_b_a_form_sent_again_under_the_new_name_keeps_the_old_names_return(issued_ws, make_return):
    """After the rename, a June form sent again under the new name (as a coordinator might)
    leaves the June return accepted under the old name counted: never 未报送."""
    _june_collected(issued_ws, make_return)
    rename(issued_ws)
    issue_returns(issued_ws, "2022-06", units=[NEW])
    cons = consolidate(issued_ws, PERIOD)
    assert state(cons, NEW) == UnitState.ON_TIME, state(cons, NEW)
    t11 = next(t for t in cons.tasks if t.task.id == "1.1")
    assert NEW not in t11.missing and t11.status == "已完成", (t11.missing, t11.status)


def test_renamed_without_alias_then_fixed_and_put_back_is_taken(issued_ws, make_return):
    """Renamed with no alias, the old form is refused (E201). The coordinator adds the old
    name as an alias and puts the file back: it is checked again and taken (before, it was
    a 重复 of the refused copy, and the department stayed 未报送)."""
    import os
    import time

    data = make_return(OLD, Filling(answers={"1.1": DONE}))
    rename(issued_ws, alias=False)
    drop(issued_ws, "a.xlsx", data, on_time())
    refused = collect(issued_ws)
    # the coordinator is told why, and what to do
    assert refused.disputed == [("a.xlsx", (
        f"表中的单位“{OLD}”下发过填报表，但已不在单位名录中。如该单位已改名，请在单位名录中把"
        f"“{OLD}”写进新名称的简称/别名，保存任务分工表后把文件放回收件箱，再运行 duban collect（或双击“2-收取并汇总”）。"))]
    wb = load_workbook(issued_ws.master_path)
    for row in wb["单位名录"].iter_rows(min_row=2):
        if row[0].value == NEW:
            row[1].value = OLD
    wb.save(issued_ws.master_path)
    later = time.time() + 5  # saved after the refusal was collected, not in the same second
    os.utime(issued_ws.master_path, (later, later))
    drop(issued_ws, "a.xlsx", data, on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        outcomes = [(r.outcome, r.unit) for r in ledger.receipts()]
    assert outcomes == [("退回", None), ("采纳", NEW)]
    assert state(consolidate(issued_ws, PERIOD), NEW) == UnitState.ON_TIME
    # put back once more, the master unchanged since: a duplicate as before
    drop(issued_ws, "a.xlsx", data, on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        assert [r.outcome for r in ledger.receipts()][-1] == "重复"


def test_a_unit_refused_before_and_after_its_rename_has_one_live_reply(issued_ws, make_return):
    """Refused under its old name, renamed, refused again: the first reply is retired, so
    `mail send feedback` sends the department one reply, about its latest file."""
    wrong = Filling(answers={"1.1": Answer(status="滞后", progress=30, work="推进中", problems="")})
    drop(issued_ws, "sz1.xlsx", make_return(OLD, wrong), on_time() - 3600)
    collect(issued_ws)
    rename(issued_ws)
    again = Filling(answers={"1.1": Answer(status="滞后", progress=40, work="第二版", problems="")})
    drop(issued_ws, "sz2.xlsx", make_return(OLD, again), on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        live = [(d.unit, ledger.get(d.receipt_id).name) for d in ledger.drafts("feedback", PERIOD)]
    assert live == [(NEW, "sz2.xlsx")]


def collect_without_replies(ws, monkeypatch, how: str) -> None:
    """A collect whose replies are not written: writing one fails ("owed": the disk is full)
    or the run stops before it chooses them ("stopped")."""
    import toolkit.replies as replies

    class Stopped(Exception):
        pass

    def stop(*_args, **_kw):
        raise Stopped

    def disk_full(*_args, **_kw):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        if how == "owed":
            m.setattr(replies, "write_feedback", disk_full)
            assert collect(ws).owed
        else:
            m.setattr(replies, "choose", stop)
            with pytest.raises(Stopped):
                collect(ws)


@pytest.mark.parametrize("how", ["owed", "stopped"])
def test_a_reply_owed_under_the_old_name_is_not_written_after_the_renamed_unit_reported(
        issued_ws, make_return, monkeypatch, how):
    """Refused under its old name, its reply not written (writing failed, or the run
    stopped); renamed; its correction is accepted: the old reply is not written late as a
    live '未采纳' draft (the owed/resumed replies looked for later returns under the old name only)."""
    wrong = Filling(answers={"1.1": Answer(status="滞后", progress=30, work="推进中", problems="")})
    drop(issued_ws, "sz1.xlsx", make_return(OLD, wrong), on_time() - 3600)
    collect_without_replies(issued_ws, monkeypatch, how)
    rename(issued_ws)
    drop(issued_ws, "sz2.xlsx", make_return(OLD, Filling(answers={"1.1": DONE})), on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        assert [(r.name, r.outcome) for r in ledger.receipts()] == [("sz1.xlsx", "退回"), ("sz2.xlsx", "采纳")]
        assert ledger.drafts("feedback", PERIOD) == []


def test_a_reminder_under_the_old_name_is_retired_when_the_renamed_unit_reports(issued_ws, make_return):
    """Reminded while still called by its old name, renamed, then reported: `mail send
    remind` must not chase a unit that has reported (its 催报 draft was kept, filed under
    the old name)."""
    from toolkit.actions.remind import write_reminders

    write_reminders(issued_ws, PERIOD)
    with Ledger(issued_ws.ledger_path) as ledger:
        assert [d.unit for d in ledger.drafts("remind", PERIOD) if d.unit in (OLD, NEW)] == [OLD]
    rename(issued_ws)
    drop(issued_ws, "政数局.xlsx", make_return(OLD, Filling(answers={"1.1": DONE})), on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        live = [d.unit for d in ledger.drafts("remind", PERIOD) if d.unit in (OLD, NEW)]
    assert live == []
