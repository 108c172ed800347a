"""QA136: an out-of-office reply is no unit's mail about its return (fast tests; the month
played through a real mailbox is tests/test_qa136_hubei_month.py).

A unit's mail server answers the office's own mail (the issued forms, a reminder) with
"自动回复：湖北省2018年6月进展填报表": the subject repeats the project and the month, so `mail
fetch` stored it, and `collect` said "请核实：…的邮件…没有附件，不是填报表…如正文中有填报表的下载
链接，请下载后放入收件箱", asking the coordinator to look for a link in "我已休假，7月10日返回".
"""

from __future__ import annotations

import email.utils
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from conftest import drop
from test_evidence import receipts

from toolkit.actions.collect import collect
from toolkit.mail import auto_reply, parse_mail


def out_of_office(subject: str, headers: dict[str, str], sender: str = "东城街道 <dc@dg.gov.cn>") -> bytes:
    m = MIMEMultipart()
    name, addr = email.utils.parseaddr(sender)
    m["From"] = email.utils.formataddr((str(Header(name, "utf-8").encode()), addr))
    m["To"], m["Subject"] = "duban@example.cn", Header(subject, "utf-8")
    m["Date"] = "Mon, 04 Jul 2022 08:30:00 +0800"
    for k, v in headers.items():
        m[k] = v
    m.attach(MIMEText("您好，我已休假，7月10日返回，急事请联系办公室。", "plain", "utf-8"))
    return m.as_bytes()


@pytest.mark.parametrize("subject, headers, expected", [
    ("自动回复：2022年6月进展填报表", {}, True),            # Coremail, QQ 邮箱
    ("自动答复: 东莞市2022年政务服务全域标准化专项行动6月进展", {}, True),  # Outlook (中文)
    ("Automatic reply: 2022年6月进展填报表", {}, True),       # Outlook (English)
    ("Out of Office: 6月进展", {}, True),
    ("回复：2022年6月进展填报表", {"Auto-Submitted": "auto-replied"}, True),  # RFC 3834
    ("2022年6月进展", {"X-Autoreply": "yes"}, True),
    ("回复：2022年6月进展填报表", {"Auto-Submitted": "no"}, False),
    ("回复：关于自动回复功能的说明", {}, False),
    ("东城街道6月进展", {}, False),
])
def test_which_mail_is_an_automatic_reply(subject, headers, expected):
    assert parse_mail(out_of_office(subject, headers)).auto_reply is expected
    if not headers:  # what `mail fetch` knows before download: the subject
        assert auto_reply(subject) is expected


@pytest.mark.parametrize("subject, headers", [
    ("自动回复：2022年6月进展填报表", {}),
    ("回复：2022年6月进展填报表", {"Auto-Submitted": "auto-replied"}),
])
def test_collect_registers_an_out_of_office_reply_without_asking_about_it(issued_ws, subject, headers):
    drop(issued_ws, "东城街道自动回复.eml", out_of_office(subject, headers))
    result = collect(issued_ws)
    assert not any("东城街道" in text for _name, text in result.disputed), result.disputed
    [mail] = receipts(issued_ws)
    assert mail.outcome == "已拆包"
