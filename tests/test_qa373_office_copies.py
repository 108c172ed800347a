"""QA373: the office's own forms coming back are no unit's return.

A reviewer played 长沙's July with forms sent by `mail send issue`. On 8-06 望城区's server
answered with an Exchange/Coremail-style 自动回复 (Auto-Submitted: auto-replied) attaching the
office's mail as message/rfc822, and a multipart/report bounce from MAILER-DAEMON returned
环保局's issue mail. `collect` took the blank forms inside both as returns: 退回 with E501 per task,
both units 退回待改 instead of 未报送, a reply told 望城区 "发现 18 处错误…暂未采纳" and 环保局's went to
MAILER-DAEMON. Now: files of a message duban sent, of the message an automatic reply or a bounce
returns, and any file byte-identical to a form of 下发/ are recorded 重复 for no return (收件登记
不计入, the mails 自动回复 and 退信), and the bounce names the unit and the address it failed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from email import message_from_bytes, policy
from email.header import Header
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from conftest import PERIOD, drop, issued_path
from test_evidence import mail, receipts, set_email, state

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.mail import delivery_report
from toolkit.consolidate import consolidate
from toolkit.drafts import write_draft
from toolkit.filling import Answer, Filling, fill_return
from toolkit.imap_parse import MessageInfo, Part
from toolkit.ledger import Ledger
from toolkit.mail import build_draft, parse_mail
from toolkit.mail_auto import robot_address
from toolkit.mail_send import outgoing_bytes, plan_send
from toolkit.workspace import find_workspace

UNIT, UNIT_ADDR = "石龙镇", "sl@dg.example.cn"
OTHER, OTHER_ADDR = "中堂镇", "zt@dg.example.cn"


@pytest.fixture
def mailed_ws(issued_ws):
    """June issued again to two units with mail drafts (`issue --emails`), as `mail send issue` sends them."""
    set_email(issued_ws, **{UNIT: UNIT_ADDR, OTHER: OTHER_ADDR})
    issue_returns(issued_ws, PERIOD, units=[UNIT, OTHER], emails=True)
    return issued_ws


def _draft(ws, unit: str):
    return message_from_bytes(issued_path(ws, unit).with_suffix(".eml").read_bytes())


def auto_reply_to(original, sender: str, headers: dict[str, str] | None = None) -> bytes:
    """An Exchange/Coremail out-of-office answer that attaches the message it answers."""
    m = MIMEMultipart()
    m["From"], m["To"] = sender, "duban@example.cn"
    m["Subject"] = Header("自动回复：" + str(email.header.make_header(email.header.decode_header(original["Subject"]))),
                          "utf-8")
    m["Date"] = "Wed, 06 Jul 2022 17:00:00 +0800"
    m["Message-ID"] = email.utils.make_msgid(domain="dg.example.cn")
    m["In-Reply-To"] = original["Message-ID"]
    for k, v in (headers if headers is not None else {"Auto-Submitted": "auto-replied"}).items():
        m[k] = v
    m.attach(MIMEText("您好，我已休假，7月10日返回。（自动回复）", "plain", "utf-8"))
    m.attach(MIMEMessage(original))
    return m.as_bytes()


def bounce_of(original, failed: str, whole: bool = True) -> bytes:
    """A delivery report (RFC 3464) from MAILER-DAEMON returning ``original`` (or its headers)."""
    head = ("From: MAILER-DAEMON@dg.example.cn\r\nTo: duban@example.cn\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\nDate: Wed, 06 Jul 2022 17:05:00 +0800\r\n"
            "Auto-Submitted: auto-replied\r\nMessage-ID: <bounce1@dg.example.cn>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"\r\n\r\n'
            "--BB\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. Mailbox full.\r\n"
            "--BB\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.dg.example.cn\r\n\r\n"
            f"Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.2.2\r\n"
            "Diagnostic-Code: smtp; 552 mailbox full\r\n\r\n").encode()
    inner = original.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if whole:
        tail = b"--BB\r\nContent-Type: message/rfc822\r\n\r\n" + inner
    else:
        tail = b"--BB\r\nContent-Type: text/rfc822-headers\r\n\r\n" + inner.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    return head + tail + b"\r\n--BB--\r\n"


def _by_name(ws):
    return {r.name: r for r in receipts(ws)}


def _units(ws):
    return {u.unit: u.state for u in consolidate(ws, PERIOD).units}


def test_an_auto_reply_carrying_the_issue_mail_is_no_return(mailed_ws):
    drop(mailed_ws, "自动回复.eml", auto_reply_to(_draft(mailed_ws, UNIT), UNIT_ADDR))
    result = collect(mailed_ws)
    assert result.returned == 0 and not result.feedback, result.disputed
    form = next(r for r in receipts(mailed_ws) if r.name.endswith(".xlsx"))
    assert form.outcome == "重复" and form.unit == UNIT and form.period == PERIOD
    assert "不计入" in form.note
    assert _units(mailed_ws)[UNIT] == "未报送"
    assert not any(UNIT in text for _, text in result.disputed), result.disputed
    register = {r.name: r for r in consolidate(mailed_ws, PERIOD).receipts}
    assert register[form.name].outcome == "不计入"
    mail_row = next(r for r in register.values() if r.name.endswith(".eml"))
    assert mail_row.outcome == "自动回复"
    cons = consolidate(mailed_ws, PERIOD)
    assert not [row for row in cons.issues if row["unit"] == UNIT], cons.issues


@pytest.mark.parametrize("headers", [{}, {"X-Autoreply": "yes"}, {"Precedence": "auto_reply"}])
def test_the_quoted_original_is_no_return_whatever_marks_the_reply(mailed_ws, headers):
    # {}: the subject alone (自动回复：…) says it; the original is not found by its id either when
    # the office sent it by hand: the original's bytes changed (another Message-ID)
    original = _draft(mailed_ws, UNIT)
    del original["Message-ID"]
    original["Message-ID"] = "<sent-by-outlook@dg.example.cn>"
    drop(mailed_ws, "自动回复.eml", auto_reply_to(original, UNIT_ADDR, headers))
    result = collect(mailed_ws)
    assert result.returned == 0 and not result.feedback
    assert _units(mailed_ws)[UNIT] == "未报送"


def test_a_bounce_names_the_unit_and_address_and_sends_no_reply(mailed_ws):
    drop(mailed_ws, "退信.eml", bounce_of(_draft(mailed_ws, OTHER), OTHER_ADDR))
    result = collect(mailed_ws)
    assert result.returned == 0 and not result.feedback
    assert _units(mailed_ws)[OTHER] == "未报送"
    [line] = [text for _, text in result.disputed if "退信" in text]
    assert OTHER in line and OTHER_ADDR in line and "5.2.2" in line and f"--resend {OTHER}" in line
    register = {r.name: r for r in consolidate(mailed_ws, PERIOD).receipts}
    assert register["退信.eml"].outcome == "退信" and OTHER_ADDR in register["退信.eml"].source
    assert result.needs_attention  # the unit never got its form: the office acts


def test_a_bounce_with_the_headers_only_names_the_unit_by_the_message_duban_sent(mailed_ws):
    # the 名录 address was corrected since: the unit is known by the returned Message-ID
    set_email(mailed_ws, **{UNIT: UNIT_ADDR, OTHER: "zt-new@dg.example.cn"})
    drop(mailed_ws, "退信.eml", bounce_of(_draft(mailed_ws, OTHER), OTHER_ADDR, whole=False))
    result = collect(mailed_ws)
    [line] = [text for _, text in result.disputed if "退信" in text]
    assert OTHER in line and OTHER_ADDR in line


def test_a_plain_text_bounce_from_postmaster_is_a_report():
    m = MIMEMultipart()
    m["From"], m["To"], m["Subject"] = "postmaster@dg.example.cn", "duban@example.cn", Header("系统退信", "utf-8")
    m.attach(MIMEText("您发送的邮件无法投递。", "plain", "utf-8"))
    inner = MIMEText("x", "plain", "utf-8")
    inner["To"], inner["Subject"] = "zt@dg.example.cn", "6月进展填报表"
    m.attach(MIMEMessage(inner))
    parsed = parse_mail(m.as_bytes())
    assert parsed.report and [b.address for b in parsed.bounced] == ["zt@dg.example.cn"]


def test_a_read_receipt_is_automatic_not_a_bounce():
    raw = (b"From: sl@dg.example.cn\r\nTo: duban@example.cn\r\nSubject: =?utf-8?b?5bey6K+7?=\r\nMIME-Version: 1.0\r\n"
           b'Content-Type: multipart/report; report-type=disposition-notification; boundary="R"\r\n\r\n'
           b"--R\r\nContent-Type: text/plain\r\n\r\nread\r\n--R\r\nContent-Type: message/disposition-notification"
           b"\r\n\r\nFinal-Recipient: rfc822; sl@dg.example.cn\r\nDisposition: manual-action/MDN-sent-manually; displayed"
           b"\r\n\r\n--R--\r\n")
    parsed = parse_mail(raw)
    assert parsed.auto_reply and not parsed.report


def test_the_blank_form_sent_back_by_a_person_is_not_refused(issued_ws):
    blank = issued_path(issued_ws, UNIT).read_bytes()
    drop(issued_ws, "石龙镇报送.eml", mail([(issued_path(issued_ws, UNIT).name, blank)], sender="sl@example.cn"))
    result = collect(issued_ws)
    assert result.returned == 0 and not result.feedback
    assert state(issued_ws, UNIT) == "未报送"
    form = next(r for r in receipts(issued_ws) if r.name.endswith(".xlsx"))
    assert form.outcome == "重复" and form.unit == UNIT
    [line] = [text for name, text in result.disputed if name == form.name]
    assert "下发的原表" in line and "仍计为未报送" in line


def test_the_blank_form_beside_the_filled_one_asks_nothing(issued_ws):
    path = issued_path(issued_ws, UNIT)
    filled = fill_return(path, Filling(default=Answer(status="序时推进", progress=50, work="按计划推进。")))
    drop(issued_ws, "石龙镇报送.eml", mail([("已填.xlsx", filled), (path.name, path.read_bytes())]))
    result = collect(issued_ws)
    assert result.accepted == 1 and result.returned == 0
    assert not [t for _, t in result.disputed if "原表" in t]
    assert state(issued_ws, UNIT) in ("按时报送", "逾期报送")


def test_a_filled_return_in_a_units_own_mail_is_still_checked(mailed_ws):
    # a unit's answer quoting the issue mail (回复 with the original attached) and its own filled form
    original = _draft(mailed_ws, UNIT)
    filled = fill_return(issued_path(mailed_ws, UNIT), Filling(default=Answer(status="序时推进", progress=50,
                                                                              work="按计划推进。")))
    reply = message_from_bytes(mail([("石龙镇6月.xlsx", filled)], sender=UNIT_ADDR, subject="回复：6月进展"))
    reply.attach(MIMEMessage(original))
    drop(mailed_ws, "回复.eml", reply.as_bytes())
    result = collect(mailed_ws)
    assert result.accepted == 1 and result.returned == 0
    names = {r.name: r.outcome for r in receipts(mailed_ws)}
    assert names["石龙镇6月.xlsx"] == "采纳" and names[issued_path(mailed_ws, UNIT).name] == "重复"


@pytest.mark.parametrize("address, robot", [
    ("MAILER-DAEMON@cs.example.cn", True), ("postmaster@dg.gov.cn", True), ("no-reply@qq.com", True),
    ("noreply@example.cn", True), ("Mailer-Daemon@x.cn", True), ("sl@dg.example.cn", False),
    ("postmaster.office@x.cn", False), ("daemon@x.cn", False),
])
def test_robot_addresses(address, robot):
    assert robot_address(address) is robot


def test_the_draft_itself_dropped_in_the_inbox_is_no_return(mailed_ws):
    # the office saves the issue draft into 收件箱 by mistake
    drop(mailed_ws, "下发草稿.eml", issued_path(mailed_ws, UNIT).with_suffix(".eml").read_bytes())
    result = collect(mailed_ws)
    assert result.returned == 0 and not result.feedback
    assert state(mailed_ws, UNIT) == "未报送"


def test_the_parsed_mail_knows_what_it_answers(mailed_ws):
    original = _draft(mailed_ws, UNIT)
    parsed = parse_mail(auto_reply_to(original, UNIT_ADDR))
    assert parsed.auto_reply and not parsed.report
    assert original["Message-ID"] in parsed.answers
    assert parsed.attachments[0].ids[-1] == original["Message-ID"]
    assert message_from_bytes(auto_reply_to(original, UNIT_ADDR), policy=policy.default)["Auto-Submitted"]


def _smtp_ws(ws):
    """[mail] set for sending (planning connects to nothing)."""
    text = ws.config_path.read_text(encoding="utf-8").replace(
        "[mail]\n", '[mail]\nsmtp_host = "127.0.0.1"\nuser = "duban@example.cn"\nfrom = "duban@example.cn"\n', 1)
    ws.config_path.write_text(text, encoding="utf-8")
    return find_workspace(ws.root, explicit=True)


def test_a_reply_is_never_addressed_to_a_mail_system(issued_ws):
    # a return refused, sent from a no-reply box (an OA system): its reply goes to the 名录 only
    set_email(issued_ws, **{UNIT: UNIT_ADDR})
    bad = fill_return(issued_path(issued_ws, UNIT), Filling(default=Answer(status="滞后", progress=30, problems="")))
    drop(issued_ws, "oa.eml", mail([(issued_path(issued_ws, UNIT).name, bad)], sender="no-reply@oa.dg.example.cn"))
    result = collect(issued_ws)
    assert result.returned == 1 and result.feedback
    ws = _smtp_ws(issued_ws)
    plan = plan_send(ws, "feedback", PERIOD)
    [o] = plan.drafts
    assert o.recipients == [UNIT_ADDR] and "no-reply" not in (o.header_to or "") and not o.header_cc
    sent = outgoing_bytes(o.eml, from_header="duban@example.cn", message_id=o.message_id, date="x",
                          to=o.header_to, cc=o.header_cc)
    head = sent.split(b"\r\n\r\n", 1)[0]
    assert b"no-reply" not in head and UNIT_ADDR.encode() in head


def test_a_mail_to_a_mail_system_alone_is_not_sent(issued_ws):
    ws = _smtp_ws(issued_ws)
    with Ledger(ws.ledger_path) as ledger:
        eml = build_draft(to="MAILER-DAEMON@dg.example.cn", subject="反馈", body="请修改。", attachments=[],
                          sender="duban@example.cn")
        write_draft(ws, ledger, kind="feedback", period=PERIOD, unit=OTHER,
                    path=ws.root / "反馈" / PERIOD.label / f"{OTHER}.eml", eml=eml)
    plan = plan_send(ws, "feedback", PERIOD)
    assert not plan.drafts and OTHER in plan.no_recipient


def test_fetch_takes_a_bounce_that_names_no_file():
    def info(sender, *mimes):
        return MessageInfo(1, 2000, dt.datetime(2022, 7, 6, tzinfo=dt.timezone.utc), set(), "Undelivered Mail",
                           sender, "<b@x>", [Part(m, "", 100, "7bit") for m in mimes])

    assert delivery_report(info("MAILER-DAEMON@dg.example.cn", "text/plain", "text/rfc822-headers"))
    assert delivery_report(info("mx@dg.example.cn", "text/plain", "message/delivery-status"))
    assert not delivery_report(info("no-reply@dg.example.cn", "text/plain"))
    assert not delivery_report(info("sl@dg.example.cn", "text/plain"))


def test_a_bulk_mail_forwarding_a_return_still_gives_it(issued_ws):
    # an OA gateway marks its mail Precedence: bulk and forwards the clerk's mail as an attachment
    filled = fill_return(issued_path(issued_ws, UNIT), Filling(default=Answer(status="序时推进", progress=50,
                                                                              work="按计划推进。")))
    inner = message_from_bytes(mail([("石龙镇6月.xlsx", filled)], sender=UNIT_ADDR, subject="石龙镇6月进展"))
    outer = message_from_bytes(mail([], sender="oa@dg.example.cn", subject="转发：石龙镇6月进展"))
    outer["Precedence"] = "bulk"
    outer.attach(MIMEMessage(inner))
    drop(issued_ws, "oa.eml", outer.as_bytes())
    result = collect(issued_ws)
    assert result.accepted == 1


def test_a_bounce_of_the_headers_alone_is_in_the_months_register(mailed_ws):
    drop(mailed_ws, "退信.eml", bounce_of(_draft(mailed_ws, OTHER), OTHER_ADDR, whole=False))
    collect(mailed_ws)
    register = {r.name: r for r in consolidate(mailed_ws, PERIOD).receipts}
    assert register["退信.eml"].outcome == "退信" and not register["退信.eml"].unit
