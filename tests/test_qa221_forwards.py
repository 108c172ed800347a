"""QA221: whose time a forwarded message gives its files (QA218's review of QA212).

June 2022 of the fixture's plan (报送截止 Tuesday 5 July). 石龙镇 (lb@dg.gov.cn, QA210's TOWN)
mails its return; the office's clerk (zhangsan@163.com) or 石龙镇 itself forwards it to the
office (dbb@dg.gov.cn). The organiser, 东莞市政务服务数据管理局, is 单位名录's 市政务服务数据管理局.

* a forwarded message cannot have been sent after the mail that carried it: a Date later
  than the forward's (a -0800 zone on the department's PC) is capped at the forward's, and
  said (W207) when the cap alone made the return 按时;
* without [mail], the organiser's 名录 address is the office's: a mail sent to it was sent to
  the office, not provably to a unit;
* a Sent copy's Bcc is whom it was sent to as well.
"""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from conftest import drop
from test_evidence import issue_codes, set_email, state
from test_qa210_mail import NAME, OFFICE, TOWN, forward, receipt, village_mail, with_office
from test_qa212_forward_and_reply import CLERK, SZ
from test_qa218_review import own_mail, wrap

from toolkit.actions.collect import collect
from toolkit.addresses import office_mailboxes
from toolkit.evidence import late_on_weak_evidence
from toolkit.ledger import Ledger
from toolkit.mail import addressed_to_office, parse_mail
from toolkit.mail_msg import parse_msg
from toolkit.period import Period
from toolkit.units import default_directory
from toolkit.unpack import Item
from toolkit.vocab import TimeSource, UnitState
from toolkit.workspace import find_workspace

OTHER_TOWN = "sl@dg.gov.cn"
CST = dt.timezone(dt.timedelta(hours=8))


def _zone_wrong(ws, make_return, to: str, written: str, forwarded: str, how: str = "message"):
    """石龙镇's mail written at ``written`` (its PC's zone wrong), forwarded by the clerk at ``forwarded``."""
    inner = village_mail(make_return("石龙镇"), to=to, sender=f"石龙镇 <{TOWN}>")
    inner.replace_header("Date", written)
    drop(ws, "转发.eml", wrap(inner, CLERK, OFFICE, forwarded, how).as_bytes())
    return collect(find_workspace(ws.root))


def _messages(ws, receipt_id: int) -> list[str]:
    with Ledger(ws.ledger_path) as ledger:
        return [i.message for i in ledger.issues_of(receipt_id) if i.code == "W207"]


def _timing(ws, receipt_id: int) -> list[str]:
    """The evidence warnings (W2xx) on a receipt; the fixture's fills draw content ones (W604)."""
    return [c for c in issue_codes(ws, receipt_id) if c.startswith("W2")]


# ---------------------------------------------------------------------------
# a Date after the forward that carried it


@pytest.mark.parametrize("how", ["message", "eml"])
@pytest.mark.parametrize("to", [CLERK, OFFICE])
def test_a_date_after_the_forward_is_capped_and_said_when_it_decides(issued_ws, make_return, to, how):
    """5 July 20:00 written -0800 reads 6 July 12:00; the clerk's forward left at 21:00 on the 5th."""
    ws = with_office(issued_ws)
    _zone_wrong(ws, make_return, to, "Tue, 05 Jul 2022 20:00:00 -0800", "Tue, 05 Jul 2022 21:00:00 +0800", how)
    r = receipt(ws)
    # the forward's time, doubted as W207 doubts a time in the future: 按时, and a stated date decides
    assert (r.received_at, r.received_how) == ("2022-07-05 21:00:00", TimeSource.DOUBTFUL)
    assert _timing(ws, r.id) == ["W207"]
    [said] = _messages(ws, r.id)
    assert "2022-07-06 12:00 晚于转发它的邮件（2022-07-05 21:00）" in said and "--received" in said
    assert state(ws, "石龙镇") == UnitState.ON_TIME


def test_a_cap_that_changes_no_verdict_is_not_said(issued_ws, make_return):
    """4 July 20:00 -0800 reads 5 July 12:00, the forward left on the 5th at 09:00: 按时 either way."""
    ws = with_office(issued_ws)
    result = _zone_wrong(ws, make_return, OFFICE, "Mon, 04 Jul 2022 20:00:00 -0800", "Tue, 05 Jul 2022 09:00:00 +0800")
    r = receipt(ws)
    assert (r.received_at, r.received_how) == ("2022-07-05 09:00:00", TimeSource.MAIL)
    assert _timing(ws, r.id) == [] and not [m for _, m in result.disputed if "石龙镇" in m]
    assert state(ws, "石龙镇") == UnitState.ON_TIME


@pytest.mark.parametrize("how", ["message", "eml"])
def test_a_cap_still_after_the_deadline_is_late_by_the_forward_and_said(issued_ws, make_return, how):
    """8 July 20:00 -0800 (9 July 12:00) in a forward of 7 July: 逾期 by the forward, said as weak."""
    ws = with_office(issued_ws)
    result = _zone_wrong(ws, make_return, OFFICE, "Fri, 08 Jul 2022 20:00:00 -0800", "Thu, 07 Jul 2022 09:00:00 +0800",
                         how)
    r = receipt(ws)
    assert (r.received_at, r.received_how) == ("2022-07-07 09:00:00", TimeSource.MAIL)
    assert _timing(ws, r.id) == []
    [said] = [m for _, m in result.disputed if "石龙镇" in m]
    assert "转发邮件的发送时间（2022-07-07 09:00）计为逾期报送" in said
    assert "被转发的原邮件的发送时间（2022-07-09 12:00）晚于转发邮件" in said
    assert state(ws, "石龙镇") == UnitState.LATE


def test_a_forwarded_date_in_the_future_stays_doubtful_as_ever(issued_ws, make_return):
    ws = with_office(issued_ws)
    _zone_wrong(ws, make_return, CLERK, "Sat, 01 Jan 2050 09:00:00 +0800", "Thu, 07 Jul 2022 09:00:00 +0800")
    r = receipt(ws)
    assert r.received_how == TimeSource.DOUBTFUL and "2050-01-01" in _messages(ws, r.id)[0]


def test_the_late_note_says_the_capped_date():
    it = Item(NAME, b"", "", dt.datetime(2022, 7, 7, 9, 0), time_source=TimeSource.MAIL, forward_timed=True,
              capped_from=dt.datetime(2022, 7, 9, 12, 0))
    said = late_on_weak_evidence(it, "石龙镇", dt.date(2022, 7, 5), Period(2022, 6))
    assert "（2022-07-09 12:00）晚于转发邮件，不可用" in said and "没有可用的发送时间" not in said


# ---------------------------------------------------------------------------
# without [mail]: the organiser's 名录 address is the office's


def _directory(**emails: str):
    directory = default_directory().copy()
    for unit, email in emails.items():
        directory.with_contacts(unit, email=email)
    return directory


def test_without_mail_settings_the_organisers_directory_address_is_the_offices():
    directory = _directory(**{SZ: OFFICE, "石龙镇": TOWN})
    office, units = office_mailboxes(frozenset(), directory, "东莞市政务服务数据管理局")
    assert office == {OFFICE} and {OFFICE, TOWN} <= units
    assert addressed_to_office((OFFICE,), ("zhangsan@163.com",), office, units) is True
    assert addressed_to_office((TOWN,), (OFFICE,), office, units) is False  # a village's mail to its town
    # [mail] names the office's mailbox: the organiser's 名录 address is a unit's, as before
    assert office_mailboxes(frozenset({"duban@163.com"}), directory, "东莞市政务服务数据管理局")[0] == {"duban@163.com"}
    assert office_mailboxes(frozenset(), _directory(**{"石龙镇": TOWN}), "东莞市政务服务数据管理局")[0] == frozenset()


def test_without_mail_settings_a_village_mail_to_its_town_is_still_the_towns(issued_ws, make_return):
    """The organiser has a 名录 address; the village's mail to 石龙镇 (3 July), forwarded on the 7th,
    still came with the forward: 逾期, firmly."""
    set_email(issued_ws, **{SZ: OFFICE, "石龙镇": TOWN})
    ws = find_workspace(issued_ws.root)
    drop(ws, "来信.eml", forward(village_mail(make_return("石龙镇"))))
    collect(ws)
    assert (receipt(ws).received_at, receipt(ws).received_how) == ("2022-07-07 09:00:00", TimeSource.MAIL)
    assert state(ws, "石龙镇") == UnitState.LATE


# ---------------------------------------------------------------------------
# Bcc


def test_a_sent_copys_bcc_is_whom_it_went_to():
    inner = own_mail(b"PK", to=OTHER_TOWN, bcc=OFFICE)
    mail = parse_mail(wrap(inner, f"石龙镇办公室 <{TOWN}>", OFFICE, "Thu, 07 Jul 2022 09:00:00 +0800").as_bytes(),
                      office=frozenset({OFFICE}), units=frozenset({TOWN, OTHER_TOWN}))
    [att] = mail.attachments
    assert att.to == (OFFICE, OTHER_TOWN)
    assert (att.date, att.elsewhere, att.unsure) == (dt.datetime(2022, 7, 4, 9, 30, tzinfo=CST), False, False)


@pytest.mark.parametrize("headers", [False, True])
def test_an_outlook_sent_copys_bcc_is_whom_it_went_to(monkeypatch, headers):
    """Outlook's forward as attachment of 石龙镇's Sent copy: To 市政务服务数据管理局, Bcc the office."""
    sent = dt.datetime(2022, 7, 4, 9, 30, tzinfo=CST)
    head = f"From: {TOWN}\r\nTo: {OTHER_TOWN}\r\nBcc: {OFFICE}\r\nDate: Mon, 04 Jul 2022 09:30:00 +0800\r\n"
    file = types.SimpleNamespace(data=b"PK", longFilename=NAME)
    embedded = types.SimpleNamespace(subject="石龙镇6月进展填报表", sender=TOWN, date=sent, to=OTHER_TOWN, cc="",
                                     bcc="" if headers else OFFICE, headerText=head if headers else "",
                                     attachments=[file])
    outer = types.SimpleNamespace(subject="Fwd: 报送", sender=TOWN, to=OFFICE, cc="", bcc="", headerText="",
                                  date=sent + dt.timedelta(days=3), attachments=[types.SimpleNamespace(data=embedded)],
                                  close=lambda: None)
    monkeypatch.setitem(sys.modules, "extract_msg", types.SimpleNamespace(openMsg=lambda _f: outer))
    [att] = parse_msg(b"\xd0\xcf\x11\xe0", frozenset({OFFICE}), frozenset({TOWN, OTHER_TOWN})).attachments
    assert (att.date, att.elsewhere, att.unsure) == (sent, False, False)


def test_a_units_sent_copy_bcc_the_office_forwarded_as_eml_keeps_its_date(issued_ws, make_return):
    ws = with_office(issued_ws)
    set_email(ws, 石龙镇=TOWN, 石排镇=OTHER_TOWN)
    inner = own_mail(make_return("石龙镇"), to=OTHER_TOWN, bcc=OFFICE)
    drop(ws, "重发.eml", wrap(inner, f"石龙镇办公室 <{TOWN}>", OFFICE, "Thu, 07 Jul 2022 09:00:00 +0800", "eml").as_bytes())
    collect(find_workspace(ws.root))
    assert (receipt(ws).received_at, receipt(ws).received_how) == ("2022-07-04 09:30:00", TimeSource.MAIL)
    assert state(ws, "石龙镇") == UnitState.ON_TIME
