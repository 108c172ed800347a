"""A return forwarded to the office: "forward as attachment" (message/rfc822, as Outlook,
Foxmail and Thunderbird do it) and the original mail attached as an .eml file are the same
delivery. The department sent the return when the forwarded message says, from the address it
says; whoever forwarded it later is neither its sender nor its time."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import sys
import types
from email.message import EmailMessage

import pytest
from conftest import drop, encrypted
from test_evidence import set_email

from toolkit.actions.collect import collect
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.mail import parse_mail
from toolkit.mail_msg import parse_msg
from toolkit.settings import Limits
from toolkit.unpack import Item, expand
from toolkit.vocab import TimeSource, UnitState

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SENT = "Mon, 04 Jul 2022 10:00:00 +0800"       # the department's mail: before the 5 July due date
FORWARDED = "Fri, 08 Jul 2022 09:00:00 +0800"  # a colleague forwards it to the office: after it
CST = dt.timezone(dt.timedelta(hours=8))


def clean() -> Filling:
    """Answers that raise no issue for a town (its only task due by June is 1.2)."""
    return Filling(answers={"1.2": DONE})


def original(name: str, data: bytes, *, sender: str | None = "zt@example.cn",
             date: str | None = SENT, subject: str = "中堂镇6月进展填报表") -> EmailMessage:
    """The department's own mail; ``None`` leaves the header out."""
    m = EmailMessage()
    if sender is not None:
        m["From"] = sender
    m["To"] = "office@example.cn"
    m["Subject"] = subject
    if date is not None:
        m["Date"] = date
    m.set_content("请查收")
    m.add_attachment(data, *XLSX, filename=name)
    return m


def forward(inner: EmailMessage, how: str, *, subject: str = "Fwd: 报送") -> EmailMessage:
    """``how``: "message" attaches the mail as message/rfc822, "eml" as an .eml file."""
    m = EmailMessage()
    m["From"] = "colleague@example.cn"
    m["To"] = "office@example.cn"
    m["Subject"] = subject
    m["Date"] = FORWARDED
    m.set_content("转给你")
    if how == "message":
        m.add_attachment(inner)
    else:
        m.add_attachment(inner.as_bytes(), "application", "octet-stream", filename="原邮件.eml")
    return m


def leaves(data: bytes) -> list[Item]:
    """What collect would check in an inbox mail, with the evidence unpacking gave it."""
    top = Item("来信.eml", data, "收件箱/来信.eml", dt.datetime(2022, 7, 9, 8, 0, tzinfo=CST),
               time_source=TimeSource.MTIME)
    expand(top, Limits())
    return [it for it in top.walk() if not it.children and it is not top]


def receipts(ws) -> list:
    with Ledger(ws.ledger_path) as ledger:
        return ledger.receipts()


def statuses(run, ws) -> dict[str, str]:
    result = run(["status", "--format", "json"], cwd=ws.root)
    return {u["单位"]: u["报送状态"] for u in json.loads(result.stdout)["units"]}


def reply_to(ws, unit: str) -> str:
    found = sorted((ws.root / "反馈" / "2022年6月").glob(f"*/{unit}_校验反馈.eml"))
    msg = email.message_from_bytes(found[-1].read_bytes(), policy=email.policy.default)
    return msg["To"].addresses[0].addr_spec.lower()


# ---------------------------------------------------------------------------
# parsing


def test_a_file_in_a_forwarded_message_carries_that_messages_date_and_sender():
    mail = parse_mail(forward(original("中堂镇.xlsx", b"PK"), "message").as_bytes())
    assert (mail.sender, mail.date) == ("colleague@example.cn", dt.datetime(2022, 7, 8, 9, 0, tzinfo=CST))
    (att,) = mail.attachments
    assert (att.name, att.data) == ("中堂镇.xlsx", b"PK")
    assert (att.date, att.sender, att.subject) == (dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST),
                                                   "zt@example.cn", "中堂镇6月进展填报表")
    assert att.via == "转发的邮件“中堂镇6月进展填报表”（发件人 zt@example.cn）"


def test_the_mails_own_attachment_carries_no_forwarded_evidence():
    (att,) = parse_mail(original("中堂镇.xlsx", b"PK").as_bytes()).attachments
    assert (att.via, att.date, att.sender, att.subject) == ("", None, "", "")


def test_nested_forwards_the_innermost_message_wins_and_lends_what_it_lacks():
    inner = original("中堂镇.xlsx", b"PK", date=None, sender="中堂 <zt@example.cn>")
    middle = forward(inner, "message", subject="转发：中堂镇")
    middle.replace_header("From", "ztb@example.cn")
    middle.replace_header("Date", "Tue, 05 Jul 2022 08:00:00 +0800")
    (att,) = parse_mail(forward(middle, "message", subject="再转").as_bytes()).attachments
    # the innermost has no Date: the message it was forwarded in dates it, not the outer mail
    assert att.date == dt.datetime(2022, 7, 5, 8, 0, tzinfo=CST)
    assert (att.sender, att.subject) == ("中堂 <zt@example.cn>", "中堂镇6月进展填报表")
    assert att.via == ("转发的邮件“转发：中堂镇”（发件人 ztb@example.cn） › "
                       "转发的邮件“中堂镇6月进展填报表”（发件人 中堂 <zt@example.cn>）")


def test_an_outlook_embedded_message_carries_its_date_and_sender(monkeypatch):
    """Outlook's .msg keeps a message forwarded as attachment as an embedded message."""
    sent = dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST)
    file = types.SimpleNamespace(data=b"PK", longFilename="中堂镇.xlsx")
    # both sent to the office (QA210: a forwarded message's Date stands only then)
    embedded = types.SimpleNamespace(subject="中堂镇6月进展填报表", sender="zt@example.cn", date=sent,
                                     attachments=[file], to="office@example.cn")
    outer = types.SimpleNamespace(subject="Fwd: 报送", sender="colleague@example.cn", to="office@example.cn",
                                  date=dt.datetime(2022, 7, 8, 9, 0, tzinfo=CST),
                                  attachments=[types.SimpleNamespace(data=embedded)], close=lambda: None)
    monkeypatch.setitem(sys.modules, "extract_msg", types.SimpleNamespace(openMsg=lambda _f: outer))
    mail = parse_msg(b"\xd0\xcf\x11\xe0")
    (att,) = mail.attachments
    assert (att.name, att.date, att.sender, att.subject) == ("中堂镇.xlsx", sent, "zt@example.cn",
                                                             "中堂镇6月进展填报表")
    assert mail.date == dt.datetime(2022, 7, 8, 9, 0, tzinfo=CST)


# ---------------------------------------------------------------------------
# unpacking: the same evidence either way


def test_forwarded_as_message_or_as_eml_file_the_return_has_the_same_evidence():
    inner = original("中堂镇.xlsx", b"PK")
    (a,) = leaves(forward(inner, "message").as_bytes())
    (b,) = leaves(forward(inner, "eml").as_bytes())
    assert (a.name, a.received_at, a.sender, a.subject) == (b.name, b.received_at, b.sender, b.subject)
    assert (a.received_at, a.sender) == (dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST), "zt@example.cn")
    # (b) keeps CARRIER and collect settles it to the .eml file's 邮件发送时间; (a) has no such
    # carrier in between, so it is the forwarded message's own 邮件发送时间 straight away
    assert (a.time_source, b.time_source) == (TimeSource.MAIL, TimeSource.CARRIER)
    assert "› 转发的邮件“中堂镇6月进展填报表”（发件人 zt@example.cn）的附件“中堂镇.xlsx”" in a.source
    assert "邮件“Fwd: 报送”（发件人 colleague@example.cn）" in a.source


# ---------------------------------------------------------------------------
# collect and status


def test_forward_as_attachment_and_as_eml_file_get_the_same_receipt_and_verdict(run, issued_ws, make_return):
    """QA s01: the department sent on 4 July (due 5 July), a colleague forwarded it on 8 July."""
    drop(issued_ws, "fwd_message.eml",
         forward(original("中堂镇.xlsx", make_return("中堂镇", clean())), "message").as_bytes())
    drop(issued_ws, "fwd_eml_file.eml",
         forward(original("石龙镇.xlsx", make_return("石龙镇", clean()), subject="石龙镇6月进展填报表"),
                 "eml").as_bytes())
    assert collect(issued_ws).accepted == 2
    returns = {r.unit: r for r in receipts(issued_ws) if r.name.endswith(".xlsx")}
    a, b = returns["中堂镇"], returns["石龙镇"]
    assert (a.received_at, a.received_how) == (b.received_at, b.received_how) == ("2022-07-04 10:00:00",
                                                                                  TimeSource.MAIL)
    assert "转发的邮件“中堂镇6月进展填报表”" in a.source
    states = statuses(run, issued_ws)
    assert states["中堂镇"] == states["石龙镇"] == UnitState.ON_TIME


@pytest.mark.parametrize("how", ["message", "eml"])
def test_the_forwarded_messages_sender_names_the_unit_and_gets_the_reply(run, issued_ws, make_return, how):
    """A file with nothing in it to name its unit is named by who sent it: the department,
    not the colleague who forwarded it; its reply goes back to the department."""
    set_email(issued_ws, 中堂镇="zt@example.cn")
    data = encrypted(make_return("中堂镇", clean()))
    drop(issued_ws, "来信.eml", forward(original("进展表.xlsx", data, subject="请查收"), how).as_bytes())
    collect(issued_ws)
    (leaf,) = [r for r in receipts(issued_ws) if r.name == "进展表.xlsx"]
    assert (leaf.unit, leaf.identified_by) == ("中堂镇", "发件人地址")
    assert (leaf.received_at, leaf.received_how) == ("2022-07-04 10:00:00", TimeSource.MAIL)
    assert reply_to(issued_ws, "中堂镇") == "zt@example.cn"
    assert statuses(run, issued_ws)["中堂镇"] == UnitState.TO_FIX


@pytest.mark.parametrize("how", ["message", "eml"])
def test_a_reply_owed_by_a_failed_run_still_goes_to_the_department(issued_ws, make_return, monkeypatch, how):
    """A reply written by a later run (owed.sender_of reads the archived mail again) goes
    where an uninterrupted run's would: to the forwarded message's sender."""
    import toolkit.replies as replies

    set_email(issued_ws, 中堂镇="zt@example.cn")
    data = encrypted(make_return("中堂镇", clean()))
    drop(issued_ws, "来信.eml", forward(original("进展表.xlsx", data, subject="请查收"), how).as_bytes())

    def disk_full(*_args, **_kw):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(replies, "write_feedback", disk_full)
        assert [o.name for o in collect(issued_ws).owed] == ["进展表.xlsx"]
    assert collect(issued_ws).feedback
    assert reply_to(issued_ws, "中堂镇") == "zt@example.cn"


@pytest.mark.parametrize("how", ["message", "eml"])
def test_a_forwarded_message_without_date_or_sender_goes_by_the_mail(run, issued_ws, make_return, how):
    inner = original("中堂镇.xlsx", make_return("中堂镇", clean()), date=None, sender=None)
    drop(issued_ws, "来信.eml", forward(inner, how).as_bytes())
    collect(issued_ws)
    (leaf,) = [r for r in receipts(issued_ws) if r.name == "中堂镇.xlsx"]
    assert (leaf.received_at, leaf.received_how) == ("2022-07-08 09:00:00", TimeSource.MAIL)
    assert statuses(run, issued_ws)["中堂镇"] == UnitState.LATE


@pytest.mark.parametrize("date", [None, "星期一 下午"])
@pytest.mark.parametrize("how", ["message", "eml"])
def test_without_date_or_sender_the_forwarded_return_takes_the_mails(how, date):
    (leaf,) = leaves(forward(original("中堂镇.xlsx", b"PK", date=date, sender=None), how).as_bytes())
    assert leaf.sender == "colleague@example.cn"
    assert leaf.time_source == TimeSource.CARRIER  # collect settles it to the mail's 邮件发送时间
    assert leaf.received_at == dt.datetime(2022, 7, 8, 9, 0, tzinfo=CST)
