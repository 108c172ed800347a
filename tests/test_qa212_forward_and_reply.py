"""QA212: a lead sent back is awaited until its reply's date; a forwarded message's Date counts
unless it provably went to a unit.

* (QA211's finding) 市政务服务数据管理局's file of 2 July cannot be opened and is collected on the
  6th, after the 5 July deadline: its reply asks for the correction within 3 working days (by
  Monday 11 July, `dates.resubmit_by`), and a correction by then is 按时报送 (`on_time.timeliness`).
  Until then its tasks 1.1 and 2.2 wait (未报送（尚未截止）, not 已超过完成时限仍未完成), and the
  memo's 请核实 names the date. (tests/test_qa211_review.py plays 3.1's case, slow.)
* (QA173's clerk) a department mails the office clerk's own mailbox (zhangsan@163.com, no unit's
  in 单位名录) on 4 July; the clerk forwards it to the office on 7 July. Whom it was for cannot be
  told: the department's Date counts (按时, a wrong 逾期 is the worst), collect says the forward's
  time, and the office that knows better states it (collect --received), which then decides.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

from conftest import PERIOD, drop, set_clock
from test_qa123_due_changes import JULY
from test_qa203_waiting_overdue import _task
from test_qa210_mail import OFFICE, TOWN, receipt, state, village_mail, with_office

from toolkit.actions.collect import collect
from toolkit.actions.memo import not_yet_due_notes
from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.on_time import replied_on, reply_date
from toolkit.vocab import Outcome, Status, TimeSource, UnitState
from toolkit.workspace import find_workspace

CLERK = "张三 <zhangsan@163.com>"
SZ = "市政务服务数据管理局"


def _sent_back_collected_late(ws, make_return, monkeypatch):
    """市政务服务数据管理局 (1.1's and 2.2's one lead) mails a file of 2 July that cannot be opened;
    the office collects it on the 6th, after the deadline."""
    from test_evidence import mail

    broken = make_return(SZ)
    drop(ws, "sz.eml", mail([(f"{SZ}6月进展.xlsx", broken[: len(broken) // 2])], date="02 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, JULY[6])
    collect(ws)


def test_a_lead_sent_back_is_awaited_until_the_date_its_reply_asked(issued_ws, make_return, monkeypatch):
    ws = issued_ws
    _sent_back_collected_late(ws, make_return, monkeypatch)
    cons = consolidate(ws, PERIOD)
    # one rule: the date the reply printed is the date `timeliness` honours
    with Ledger(ws.ledger_path) as ledger:
        [refused] = [r for r in ledger.receipts() if r.unit == SZ and r.outcome in (Outcome.RETURNED, Outcome.UNREADABLE)]
        asked = reply_date(ws, cons.due, replied_on(ledger, PERIOD, ws.tz))(refused)
    assert asked == JULY[11] and cons.fix_by == {SZ: JULY[11]} and cons.awaited_by(SZ) == JULY[11]
    assert SZ in cons.awaited and {"1.1", "2.2"} <= cons.waiting_tasks
    assert cons.task_said("1.1", _task(cons, "1.1").status) == "未报送（尚未截止）"
    (note,) = not_yet_due_notes(cons, JULY[6])
    assert f"通报列为退回修改的{SZ}（退回意见要求于2022年7月11日前改报）已过报送截止日期" in note, note
    assert "1.1" in note and "2.2" in note


def test_after_the_replys_date_the_lead_sent_back_leaves_its_tasks_not_reported(issued_ws, make_return, monkeypatch):
    ws = issued_ws
    _sent_back_collected_late(ws, make_return, monkeypatch)
    set_clock(monkeypatch, JULY[11])
    assert SZ in consolidate(ws, PERIOD).awaited  # the day itself: a correction is still on time
    set_clock(monkeypatch, JULY[12])
    cons = consolidate(ws, PERIOD)
    assert not cons.awaited and not cons.waiting_tasks and _task(cons, "1.1").status == Status.NOT_REPORTED
    assert not not_yet_due_notes(cons, JULY[12])


def clerk_mail(data: bytes, forwarded: str = "Thu, 07 Jul 2022 09:00:00 +0800") -> bytes:
    """石龙镇's mail of 4 July to the clerk's own mailbox, which the clerk forwards to the office."""
    inner = village_mail(data, to=CLERK, sender=f"石龙镇 <{TOWN}>")
    inner.replace_header("Date", "Mon, 04 Jul 2022 09:30:00 +0800")
    m = EmailMessage()
    m["From"], m["To"] = "zhangsan@163.com", OFFICE
    m["Subject"], m["Date"] = "Fwd: 石龙镇6月进展填报表", forwarded
    m.set_content("转发石龙镇的报送。")
    m.add_attachment(inner)
    return m.as_bytes()


def test_a_departments_mail_to_the_clerks_own_mailbox_forwarded_late_is_on_time_and_asked(
        run, issued_ws, make_return):
    ws = with_office(issued_ws)
    data = make_return("石龙镇")
    drop(ws, "转发.eml", clerk_mail(data))
    result = collect(ws)
    r = receipt(ws)
    assert (r.received_at, r.received_how) == ("2022-07-04 09:30:00", TimeSource.FORWARDED)
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.ON_TIME
    [said] = [m for _, m in result.disputed if "石龙镇" in m]
    assert said.startswith("石龙镇按被转发的原邮件的发送时间（2022-07-04 09:30）计为按时报送（截止 2022-07-05），"
                           "转发邮件到督办部门的时间是 2022-07-07 09:00")
    assert "duban received --period 2022-06 --dept 石龙镇 --on 2022-07-07" in said  # asked until answered: QA374


def test_the_office_that_says_the_mail_was_not_for_it_makes_the_unit_late(run, issued_ws, make_return):
    ws = with_office(issued_ws)
    data = make_return("石龙镇")
    drop(ws, "转发.eml", clerk_mail(data))
    collect(ws)
    # as the line says: the attachment saved into 收件箱, collected with the forward's date
    drop(ws, "2022年6月_石龙镇_进展填报表.xlsx", data)
    collect(find_workspace(ws.root), received=dt.date(2022, 7, 7))
    got = state(run, ws, "石龙镇")
    assert (got["报送状态"], got["报送时间"][:10]) == (UnitState.LATE, "2022-07-07")


def test_a_forward_by_the_deadline_asks_nothing(issued_ws, make_return):
    ws = with_office(issued_ws)
    drop(ws, "转发.eml", clerk_mail(make_return("石龙镇"), "Mon, 04 Jul 2022 18:00:00 +0800"))
    result = collect(ws)
    assert receipt(ws).received_at == "2022-07-04 09:30:00"
    assert not [x for _, x in result.disputed if "石龙镇" in x]
