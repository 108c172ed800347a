"""QA242: a return linked in a forwarded message is timed as a file attached to that message.

A colleague forwards a department's mail to the office as an attachment (message/rfc822,
转发：); the department's mail linked its return (QQ 超大附件) instead of attaching it, and the
office downloads the file into 收件箱 (`downloads`). `mail.parse_mail` read the link from the
forwarded message's body but gave it to the forward: the download took the forward's time with
no weak reason, named 逾期 on it with nothing asked, whether or not the forwarded message had a
Date of its own. A file attached to that message is timed by its Date (`TimeSource.FORWARDED`
and the forward's time said beside it when whom it went to cannot be told), else by the forward,
weakly (asked while the unit stands 逾期 on it alone: QA234). Now the link carries its forwarded
message (`cloud.CloudFile.sent_in`) and the download is timed exactly as such an attachment:
when both come in one collect, and when the file is downloaded after the mail was collected
(the archived mail read again, `downloads._read_again`).
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from conftest import drop, shanghai, status_notes
from test_evidence import state
from test_mail_fetch import DONE, DUBAN
from test_qa87_cloud_attachments import QQ_NAME, qq_html, qq_text

from toolkit.ledger import Ledger
from toolkit.ledger.time_basis import weak_times
from toolkit.mail import parse_mail
from toolkit.vocab import Outcome, TimeSource, UnitState

pytestmark = pytest.mark.slow  # run in CI, out of the quick loop: each plays collect, status and answers

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SUBJECT = "东坑镇2022年6月工作进展报送"
FORWARDED_AT = "Fri, 08 Jul 2022 09:00:00 +0800"  # the colleague's forward: after the 5 July deadline
CLERK = "clerk@163.com"  # a personal mailbox neither the office's nor a unit's: whom it went to is unknown
RECEIVED = ["received", "--period", "2022-06", "--dept", "东坑镇"]


def _department(to: str, date: str | None, attached: bytes | None) -> EmailMessage:
    """东坑镇's own mail: its return linked (QQ 超大附件), or ``attached``; ``date`` None: no Date."""
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "东坑镇党政办 <dk@dg.gov.cn>", to, SUBJECT
    if date is not None:
        m["Date"] = date
    if attached is None:
        m.set_content(qq_text())
        m.add_alternative(qq_html(), subtype="html")
    else:
        m.set_content("请查收我镇6月份进展填报表。")
        m.add_attachment(attached, *XLSX, filename=QQ_NAME)
    return m


def _forward(inner: EmailMessage) -> bytes:
    """The colleague's forward of ``inner`` as an attachment (message/rfc822), on 8 July 09:00."""
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "王五 <wang@dg.example.cn>", DUBAN, "转发：" + SUBJECT
    m["Date"] = FORWARDED_AT
    m.set_content("转给你，请查收。")
    m.add_attachment(inner)
    return m.as_bytes()


ON_TIME_UNSURE = ("东坑镇按被转发的原邮件的发送时间（2022-07-04 16:20）计为按时报送（截止 2022-07-05），转发邮件到督办部门的"
                  "时间是 2022-07-08 09:00；原邮件的收件人不是 duban.toml [mail] 中的邮箱，也不全是单位名录中的单位邮箱，"
                  "不能确认它是发给督办部门的。如原邮件不是发给督办部门的（如单位内部转给领导审核、村委会发给镇里，再由其转发），"
                  "请运行 duban received --period 2022-06 --dept 东坑镇 --on 2022-07-08，按转发邮件到督办部门的日期计报送时间；"
                  "如原邮件是发给督办部门的，请运行 duban received --period 2022-06 --dept 东坑镇 --confirm，此提示即不再出现。"
                  "也可双击“5-逐条核实”逐条回答。")
ASKED = ("东坑镇按转发邮件的发送时间（2022-07-08 09:00）计为逾期报送（截止 2022-07-05），被转发的原邮件没有可用的发送时间；"
         "转发邮件的发送时间可能晚于单位实际报送的时间。如实际按时收到，请运行 duban received --period 2022-06 --dept 东坑镇 "
         "--on 收到日期，按收到日期计报送时间；如按转发邮件的发送时间计为逾期报送无误，请运行 duban received --period 2022-06 "
         "--dept 东坑镇 --confirm，此提示即不再出现。也可双击“5-逐条核实”逐条回答。")

#: the forwarded message (whom it went to, its Date) → the return's time, source, verdict, what
#: collect says of it and what status asks
CASES = {
    "own Date on time, to the office": (DUBAN, "Mon, 04 Jul 2022 16:20:00 +0800",
                                        "2022-07-04 16:20", TimeSource.MAIL, UnitState.ON_TIME, None, []),
    "own Date on time, to whom unknown": (CLERK, "Mon, 04 Jul 2022 16:20:00 +0800", "2022-07-04 16:20",
                                          TimeSource.FORWARDED, UnitState.ON_TIME, ON_TIME_UNSURE,
                                          [f"请核实：{QQ_NAME}：{ON_TIME_UNSURE}"]),  # asked until answered: QA374
    "no Date": (DUBAN, None, "2022-07-08 09:00", TimeSource.MAIL, UnitState.LATE, ASKED, [f"请核实：{QQ_NAME}：{ASKED}"]),
    "own Date late": (DUBAN, "Thu, 07 Jul 2022 10:00:00 +0800",
                      "2022-07-07 10:00", TimeSource.MAIL, UnitState.LATE, None, []),
    "own Date late, to whom unknown": (CLERK, "Thu, 07 Jul 2022 10:00:00 +0800",
                                       "2022-07-07 10:00", TimeSource.FORWARDED, UnitState.LATE, None, []),
}


def test_the_link_carries_the_forwarded_message_it_is_in():
    data = _forward(_department(CLERK, None, None))
    [f] = parse_mail(data).cloud
    assert f.name == QQ_NAME and f.sent_in is not None
    assert (f.sent_in.via, f.sent_in.date, f.sent_in.subject) == (
        f"转发的邮件“{SUBJECT}”（发件人 东坑镇党政办 <dk@dg.gov.cn>）", None, SUBJECT)
    # the mail's own link carries none
    own = EmailMessage()
    own["From"], own["To"], own["Subject"], own["Date"] = "dk@dg.gov.cn", DUBAN, SUBJECT, FORWARDED_AT
    own.set_content(qq_text())
    own.add_alternative(qq_html(), subtype="html")
    assert [f.sent_in for f in parse_mail(own.as_bytes()).cloud] == [None]


def _play(ws, make_return, collecting_on, run, to, date, how: str):
    """The forward collected with its return attached, or linked and downloaded on 9 July 11:00:
    in one collect, or the mail on 8 July and the download on 9 July."""
    data = make_return("东坑镇", **{"1_2": DONE})
    if how == "attached":
        collecting_on(dt.date(2022, 7, 9))
        drop(ws, "转发.eml", _forward(_department(to, date, data)))
        return run(["collect"], cwd=ws.root)
    if how == "downloaded later":
        collecting_on(dt.date(2022, 7, 8))
        drop(ws, "转发.eml", _forward(_department(to, date, None)))
        run(["collect"], cwd=ws.root)
    else:
        drop(ws, "转发.eml", _forward(_department(to, date, None)))
    collecting_on(dt.date(2022, 7, 9))
    drop(ws, QQ_NAME, data, mtime=shanghai(dt.datetime(2022, 7, 9, 11, 0)))
    return run(["collect"], cwd=ws.root)


def _return(ws):
    with Ledger(ws.ledger_path) as ledger:
        return next(r for r in ledger.receipts() if r.name == QQ_NAME and r.outcome == Outcome.ACCEPTED)


@pytest.mark.parametrize("how", ["attached", "one collect", "downloaded later"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_return_linked_in_a_forwarded_message_is_timed_as_attached_to_it(
        issued_ws, make_return, collecting_on, run, case, how):
    ws = issued_ws
    to, date, when, source, verdict, said, asked = CASES[case]
    collected = _play(ws, make_return, collecting_on, run, to, date, how)
    rec = _return(ws)
    assert (rec.unit, rec.received_at[:16], rec.received_how) == ("东坑镇", when, source), rec
    with Ledger(ws.ledger_path) as ledger:  # kept by receipt for every later screen, as an attachment's
        assert weak_times(ledger.conn).get(rec.id, ("",))[0] == (
            "forwarded" if source == TimeSource.FORWARDED else "forward" if asked else "")
    if how != "attached":
        assert f"从邮件“转发.eml” › 转发的邮件“{SUBJECT}”（发件人 东坑镇党政办 <dk@dg.gov.cn>）的超大附件链接下载" in rec.note
    lines = [x.strip() for x in collected.output.splitlines() if "东坑镇按" in x]
    assert lines == ([f"请核实：{QQ_NAME}：{said}"] if said else []), collected.output
    assert collected.exit_code == (1 if said else 0), collected.output
    assert status_notes(run, ws) == ((1, asked, []) if asked else (0, [], []))
    assert state(ws, "东坑镇") == verdict
    if asked:  # answered as an attachment's time is: the day the office got it, then 按时
        assert run([*RECEIVED, "--on", "2022-07-04"], cwd=ws.root).exit_code == 0
        code, notes, told = status_notes(run, ws)
        assert (code, notes, len(told)) == (0, [], 1)
        assert state(ws, "东坑镇") == UnitState.ON_TIME
