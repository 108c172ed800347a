"""QA218 (review) of QA212 (c9ea873): a forwarded message's Date counts unless it went only to
单位名录 units' addresses; a lead sent back is awaited until the date its reply asked for.

June 2022 of the fixture's plan (报送截止 Tuesday 5 July): 石龙镇 (lb@dg.gov.cn, as in QA210)
forwards, is forwarded by the office's clerk (zhangsan@163.com), or forwards its own mail;
市政务服务数据管理局 (1.1's and 2.2's one lead) is sent back, once or twice. Each test says which
unit the 通报 must name 按时 or 逾期, and why.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
from email.message import EmailMessage

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import mail, set_email
from test_qa123_due_changes import JULY
from test_qa203_waiting_overdue import _task
from test_qa210_mail import NAME, OFFICE, TOWN, XLSX, forward, receipt, state, village_mail, with_office
from test_qa212_forward_and_reply import CLERK, SZ, _sent_back_collected_late, clerk_mail

from toolkit.actions.collect import collect
from toolkit.actions.memo import not_yet_due_notes
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.mail import addressed_to_office
from toolkit.mail_msg import parse_msg
from toolkit.vocab import Status, TimeSource, UnitState
from toolkit.workspace import find_workspace

pytestmark = pytest.mark.slow  # a dozen collects and status runs: out of the quick loop

OTHER_TOWN = "sl@dg.gov.cn"  # another town's 单位名录 address (QA210's UNITS)
UNITS = frozenset({TOWN, OTHER_TOWN})
ON_4TH = "Mon, 04 Jul 2022 09:30:00 +0800"


def own_mail(data: bytes, to: str = OFFICE, cc: str = "", bcc: str = "", date: str = ON_4TH) -> EmailMessage:
    """石龙镇's own mail of 4 July with its return (as its Sent folder keeps it)."""
    m = EmailMessage()
    m["From"], m["To"] = f"石龙镇办公室 <{TOWN}>", to
    if cc:
        m["Cc"] = cc
    if bcc:
        m["Bcc"] = bcc
    m["Subject"], m["Date"] = "石龙镇6月进展填报表", date
    m.set_content("附件为我镇6月进展。")
    m.add_attachment(data, *XLSX, filename=NAME)
    return m


def wrap(inner: EmailMessage, sender: str, to: str, date: str, how: str = "message") -> EmailMessage:
    """``inner`` forwarded by ``sender`` to ``to`` on ``date`` (as message/rfc822 or an .eml file)."""
    m = EmailMessage()
    m["From"], m["To"] = sender, to
    m["Subject"], m["Date"] = "Fwd: 石龙镇6月进展填报表", date
    m.set_content("转发。")
    if how == "message":
        m.add_attachment(inner)
    else:
        m.add_attachment(inner.as_bytes(), "application", "octet-stream", filename="原邮件.eml")
    return m


# ---------------------------------------------------------------------------
# (a) whom a forwarded message went to: what is right


@pytest.mark.parametrize("to, around, office, sent", [
    ((OFFICE, TOWN), (OFFICE,), frozenset({OFFICE}), True),       # To the office, Cc a town: mixed
    ((OFFICE, TOWN), ("zhangsan@163.com",), frozenset(), None),   # the same, no [mail], forwarded elsewhere
    ((OFFICE,), (OFFICE,), frozenset({OFFICE}), True),            # a unit's own mail to the office
    ((TOWN, OTHER_TOWN), (OFFICE,), frozenset(), False),          # two towns, no [mail]: to units
])
def test_whom_a_forwarded_message_went_to(to, around, office, sent):
    assert addressed_to_office(to, around, office, UNITS) is sent


def test_a_unit_whose_directory_address_is_the_offices_mail_user_is_the_office():
    # 单位名录 gives a unit the office's own mailbox, and [mail] names it: a mail to it went to the office
    assert addressed_to_office((OFFICE,), ("zhangsan@163.com",), frozenset({OFFICE}), UNITS | {OFFICE}) is True


@pytest.mark.parametrize("how", ["message", "eml"])
@pytest.mark.parametrize("office", [True, False])
def test_a_unit_forwarding_its_own_mail_to_the_office_keeps_its_date(run, issued_ws, make_return, how, office):
    """石龙镇 mailed the office on 4 July and, asked on the 7th, forwards its own mail again."""
    ws = with_office(issued_ws) if office else issued_ws
    set_email(ws, 石龙镇=TOWN)
    ws = find_workspace(ws.root)
    drop(ws, "重发.eml", wrap(own_mail(make_return("石龙镇")), f"石龙镇办公室 <{TOWN}>", OFFICE,
                            "Thu, 07 Jul 2022 09:00:00 +0800", how).as_bytes())
    result = collect(ws)
    r = receipt(ws)
    assert (r.received_at, r.received_how) == ("2022-07-04 09:30:00", TimeSource.MAIL)
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.ON_TIME
    assert not [m for _, m in result.disputed if "石龙镇" in m]


@pytest.mark.parametrize("how", ["message", "eml"])
def test_a_mail_to_the_office_cc_a_town_forwarded_late_keeps_its_date(run, issued_ws, make_return, how):
    ws = with_office(issued_ws)
    set_email(ws, 石龙镇=TOWN)
    inner = village_mail(make_return("石龙镇"), to=OFFICE)
    inner["Cc"] = TOWN
    drop(ws, "来信.eml", forward(inner, how))
    collect(find_workspace(ws.root))
    assert receipt(ws).received_at == "2022-07-03 16:00:00"
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.ON_TIME


def test_a_village_mail_to_the_town_and_the_office_keeps_its_date(run, issued_ws, make_return):
    ws = with_office(issued_ws)
    set_email(ws, 石龙镇=TOWN)
    drop(ws, "来信.eml", forward(village_mail(make_return("石龙镇"), to=f"{TOWN}, {OFFICE}")))
    collect(find_workspace(ws.root))
    assert (receipt(ws).received_at, receipt(ws).received_how) == ("2022-07-03 16:00:00", TimeSource.MAIL)
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.ON_TIME


def test_a_forward_of_the_towns_forward_is_late_by_the_towns(run, issued_ws, make_return):
    """The village's mail to its town (3 July), the town's forward to the office (7 July), which the
    office's clerk forwards once more on the 8th: the office got it on the 7th, firmly."""
    ws = with_office(issued_ws)
    set_email(ws, 石龙镇=TOWN)
    town = wrap(village_mail(make_return("石龙镇")), f"石龙镇办公室 <{TOWN}>", OFFICE, "Thu, 07 Jul 2022 09:00:00 +0800")
    drop(ws, "再转.eml", wrap(town, CLERK, OFFICE, "Fri, 08 Jul 2022 10:00:00 +0800").as_bytes())
    result = collect(find_workspace(ws.root))
    assert (receipt(ws).received_at, receipt(ws).received_how) == ("2022-07-07 09:00:00", TimeSource.MAIL)
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.LATE
    assert not [m for _, m in result.disputed if "石龙镇" in m]


def test_a_forward_of_a_clerks_forward_keeps_the_departments_date_and_asks(issued_ws, make_return):
    """石龙镇's mail to the office (4 July) forwarded by the clerk to her own mailbox and back (7 July)."""
    ws = with_office(issued_ws)
    inner = own_mail(make_return("石龙镇"))
    away = wrap(inner, f"督办室 <{OFFICE}>", "zhangsan@163.com", "Tue, 05 Jul 2022 18:00:00 +0800")
    drop(ws, "转回.eml", wrap(away, CLERK, OFFICE, "Thu, 07 Jul 2022 09:00:00 +0800").as_bytes())
    collect(ws)
    assert (receipt(ws).received_at, receipt(ws).received_how) == ("2022-07-04 09:30:00", TimeSource.MAIL)


def test_an_outlook_forward_to_the_town_cc_the_office_keeps_its_date(monkeypatch):
    """Outlook's "forward as attachment" (.msg) of the village's mail To the town, Cc the office."""
    sent = dt.datetime(2022, 7, 3, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    file = types.SimpleNamespace(data=b"PK", longFilename=NAME)
    embedded = types.SimpleNamespace(subject="石龙镇6月进展填报表", sender="xlbcwh@163.com", date=sent,
                                     to=TOWN, cc=OFFICE, headerText="", attachments=[file])
    outer = types.SimpleNamespace(subject="Fwd: 报送", sender=TOWN, to=OFFICE, cc="", headerText="",
                                  date=sent + dt.timedelta(days=4), attachments=[types.SimpleNamespace(data=embedded)],
                                  close=lambda: None)
    monkeypatch.setitem(sys.modules, "extract_msg", types.SimpleNamespace(openMsg=lambda _f: outer))
    [att] = parse_msg(b"\xd0\xcf\x11\xe0", frozenset({OFFICE}), UNITS).attachments
    assert (att.date, att.elsewhere, att.unsure) == (sent, False, False)
    embedded.cc = ""  # To the town alone: the town's forward brought it
    [att] = parse_msg(b"\xd0\xcf\x11\xe0", frozenset({OFFICE}), UNITS).attachments
    assert (att.date, att.elsewhere) == (None, True)


def test_a_forwarded_date_in_the_future_decides_no_late(run, issued_ws, make_return):
    ws = with_office(issued_ws)
    inner = village_mail(make_return("石龙镇"), to=CLERK, sender=f"石龙镇 <{TOWN}>")
    inner.replace_header("Date", "Sat, 01 Jan 2050 09:00:00 +0800")
    drop(ws, "转发.eml", wrap(inner, CLERK, OFFICE, "Thu, 07 Jul 2022 09:00:00 +0800").as_bytes())
    collect(ws)
    assert receipt(ws).received_how == TimeSource.DOUBTFUL  # W207: asked, no 逾期 on it
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.ON_TIME


def test_a_forwarded_receipt_stays_on_time_when_another_file_of_the_unit_is_dated(run, issued_ws, make_return):
    """The clerk's forward (4 July, forwarded the 7th) stands 按时; 石龙镇's update saved by hand and
    collected with --received 2022-07-08 is another file: it does not decide when the first came."""
    ws = with_office(issued_ws)
    drop(ws, "转发.eml", clerk_mail(make_return("石龙镇")))
    collect(ws)
    update = make_return("石龙镇", Filling(default=Answer(status="已完成", progress=100, work="更新：已全面完成。",
                                                       evidence="石府〔2022〕9号")))
    drop(ws, "2022年6月_石龙镇_进展填报表（更新）.xlsx", update)
    collect(find_workspace(ws.root), received=dt.date(2022, 7, 8))
    got = state(run, ws, "石龙镇")
    assert (got["报送状态"], got["报送时间"][:10]) == (UnitState.ON_TIME, "2022-07-04")


# ---------------------------------------------------------------------------
# (a) what is wrong


@pytest.mark.parametrize("to", [CLERK, OFFICE])
def test_a_forwarded_date_after_the_forward_makes_no_late(run, issued_ws, make_return, to):
    """石龙镇's mail written on 5 July at 20:00 with its zone wrong (-0800: 6 July 12:00 here), which
    the clerk forwarded to the office on 5 July at 21:00: the office had it on the deadline day."""
    ws = with_office(issued_ws)
    inner = village_mail(make_return("石龙镇"), to=to, sender=f"石龙镇 <{TOWN}>")
    inner.replace_header("Date", "Tue, 05 Jul 2022 20:00:00 -0800")
    drop(ws, "转发.eml", wrap(inner, CLERK, OFFICE, "Tue, 05 Jul 2022 21:00:00 +0800").as_bytes())
    collect(ws)
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.ON_TIME


def test_without_mail_settings_a_mail_to_the_offices_address_in_the_directory_is_not_late(
        run, issued_ws, make_return):
    """No [mail]; 单位名录 gives 市政务服务数据管理局 dbb@dg.gov.cn, the mailbox the office reads too.
    石龙镇 mails it on 4 July; the clerk forwards it to her own mailbox on the 7th and saves it."""
    ws = issued_ws
    set_email(ws, **{SZ: OFFICE})
    drop(ws, "转发.eml", wrap(own_mail(make_return("石龙镇")), f"督办室 <{OFFICE}>", "zhangsan@163.com",
                            "Thu, 07 Jul 2022 09:00:00 +0800").as_bytes())
    collect(find_workspace(ws.root))
    got = state(run, ws, "石龙镇")
    assert got["报送状态"] == UnitState.ON_TIME


def test_a_units_own_mail_bcc_the_office_forwarded_again_keeps_its_date(run, issued_ws, make_return):
    ws = with_office(issued_ws)
    set_email(ws, 石龙镇=TOWN, **{SZ: OTHER_TOWN})
    inner = own_mail(make_return("石龙镇"), to=OTHER_TOWN, bcc=OFFICE)
    drop(ws, "重发.eml", wrap(inner, f"石龙镇办公室 <{TOWN}>", OFFICE, "Thu, 07 Jul 2022 09:00:00 +0800").as_bytes())
    collect(find_workspace(ws.root))
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.ON_TIME


# ---------------------------------------------------------------------------
# (b) a lead sent back


def _refuse_again(ws, make_return, monkeypatch, day: int, sent: int) -> None:
    broken = make_return(SZ)
    drop(ws, f"sz{day}.eml", mail([(f"{SZ}6月进展（改）.xlsx", broken[: len(broken) // 3])],
                                 date=f"{sent:02d} Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, JULY[day])
    collect(find_workspace(ws.root))


def test_a_lead_sent_back_twice_is_awaited_until_the_second_replys_date(issued_ws, make_return, monkeypatch):
    """Refused on the 6th (reply: by Monday 11 July), its correction refused again on the 8th
    (sent the 8th, by the first date): the second reply asks by Wednesday 13 July."""
    ws = issued_ws
    _sent_back_collected_late(ws, make_return, monkeypatch)
    _refuse_again(ws, make_return, monkeypatch, 8, 8)
    cons = consolidate(ws, PERIOD)
    assert cons.fix_by == {SZ: JULY[13]} and SZ in cons.awaited
    (note,) = not_yet_due_notes(cons, JULY[8])
    assert "退回意见要求于2022年7月13日前改报" in note, note
    set_clock(monkeypatch, JULY[13])
    assert SZ in consolidate(ws, PERIOD).awaited
    set_clock(monkeypatch, JULY[14])
    cons = consolidate(ws, PERIOD)
    assert not cons.awaited and _task(cons, "1.1").status == Status.NOT_REPORTED
    assert not not_yet_due_notes(cons, JULY[14])


def test_a_second_refusal_after_the_first_replys_date_asks_no_later_date(issued_ws, make_return, monkeypatch):
    """The second file came on the 12th, after the 11th the first reply asked for: 11 July stands."""
    ws = issued_ws
    _sent_back_collected_late(ws, make_return, monkeypatch)
    _refuse_again(ws, make_return, monkeypatch, 12, 12)
    cons = consolidate(ws, PERIOD)
    assert cons.fix_by == {SZ: JULY[11]} and not cons.awaited


def test_a_past_month_sent_back_waits_on_nothing(issued_ws, make_return, monkeypatch):
    ws = issued_ws
    _sent_back_collected_late(ws, make_return, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 8, 3))
    cons = consolidate(ws, PERIOD)
    assert cons.fix_by == {SZ: JULY[11]} and not cons.awaited
    assert _task(cons, "1.1").status == Status.NOT_REPORTED and not not_yet_due_notes(cons, dt.date(2022, 8, 3))


def test_a_correction_by_the_second_replys_date_is_on_time(run, issued_ws, make_return, monkeypatch):
    ws = issued_ws
    _sent_back_collected_late(ws, make_return, monkeypatch)
    _refuse_again(ws, make_return, monkeypatch, 8, 8)
    drop(ws, "sz13.eml", mail([(f"{SZ}6月进展.xlsx", make_return(SZ))], date="13 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, JULY[13])
    collect(find_workspace(ws.root))
    assert state(run, ws, SZ)["报送状态"] == UnitState.ON_TIME
