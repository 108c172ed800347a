"""QA324: the mailbox fed mail as departments' clients send it, not as the standard library builds it.

* Outlook in rich-text mode packs every attachment into one winmail.dat (``application/ms-tnef``):
  `mail fetch` left such a mail in the mailbox unless its subject named the project or the month,
  and the unit stood 未报送 with nothing said. It is fetched, and collect says what to do (E103).
* Apple Mail sends a file as ``multipart/appledouble``: the Finder's data on the file, under the
  file's own name, then the file. The first was taken for a second return, 寮步镇.xlsx 无法读取.
* An RFC 2231 name labelled gb2312 holding a GBK-only character (喆, 镕, 堃: names of people and
  places) was read in GB2312 by collect, U+FFFD in the name, while `mail fetch` read it whole.

The real Outlook winmail.dat is in tests/corpus/mail/ (README: its source).
"""

from __future__ import annotations

import base64
import email
import json
import quopri
import re
import urllib.parse
from pathlib import Path

import mailservers
import pytest
from conftest import zip_bytes
from test_mail_fetch import DONE, DUBAN, july, mail_ws

from toolkit.actions.mail import carries_return
from toolkit.imap_parse import MessageInfo, Part, body_parts, parse_fetch
from toolkit.ledger import Ledger
from toolkit.mail import parse_mail

mail_servers = mailservers.mail_servers  # the fixture (see mailservers.py on ruff's F811)

CORPUS = Path(__file__).parent / "corpus" / "mail"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: RFC 1740's AppleDouble header part as Apple Mail sends it: magic, version 2, filler, two entries
APPLEDOUBLE = (bytes.fromhex("00051607 00020000") + b"\0" * 16
               + bytes.fromhex("0002 00000009 00000026 00000020 00000002 00000046 00000000") + b"XLSXXCEL" + b"\0" * 24)


def word(text: str, charset: str = "GB2312") -> str:
    codec = "gb18030" if charset.lower().startswith("gb") else charset
    return f"=?{charset}?B?{base64.b64encode(text.encode(codec)).decode()}?="


def lines76(data: bytes) -> str:
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def foxmail(xlsx: bytes) -> bytes:
    """Foxmail 7.2 from a personal 163 box; the file's name in two GB2312 words folded over two
    lines, split in the middle of 镇's two bytes."""
    name = "石龙镇2022年6月进展填报表.xlsx".encode("gbk")
    split = (f"=?GB2312?B?{base64.b64encode(name[:5]).decode()}?=\r\n\t"
             f"=?GB2312?B?{base64.b64encode(name[5:]).decode()}?=")
    boundary = "----=_001_NextPart575676200741_=----"
    return (f"Date: Mon, 4 Jul 2022 10:12:33 +0800\r\nFrom: \"{word('石龙镇党政办')}\" <slzdzb@163.com>\r\n"
            f"To: \"duban\" <{DUBAN}>\r\nSubject: {word('石龙镇6月份进展情况')}\r\nX-Priority: 3\r\n"
            "X-Has-Attach: yes\r\nX-Mailer: Foxmail 7.2.25.254[cn]\r\nMime-Version: 1.0\r\n"
            "Message-ID: <202207041012330740647@163.com>\r\n"
            f"Content-Type: multipart/mixed;\r\n\tboundary=\"{boundary}\"\r\n\r\n"
            f"This is a multi-part message in MIME format.\r\n\r\n--{boundary}\r\n"
            "Content-Type: text/plain;\r\n\tcharset=\"GB2312\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + lines76("请查收。\r\n".encode("gbk")) + f"\r\n\r\n--{boundary}\r\n"
            f"Content-Type: application/octet-stream;\r\n\tname=\"{split}\"\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment;\r\n\tfilename=\"{split}\"\r\n\r\n" + lines76(xlsx)
            + f"\r\n\r\n--{boundary}--\r\n\r\n").encode()


def outlook_rtf() -> bytes:
    """Outlook 2016 in rich-text mode: a quoted-printable GB2312 body and the real winmail.dat."""
    tnef = (CORPUS / "outlook-one-file.tnef").read_bytes()
    body = quopri.encodestring("各位领导：\r\n  附件是东城街道的材料，请查收。\r\n".encode("gbk")).decode()
    boundary = "----=_NextPart_000_0007_01D89084.2"
    return (f"From: {word('东城街道', 'gb2312')} <dcjd@dg.gov.cn>\r\nTo: \"duban\" <{DUBAN}>\r\n"
            f"Subject: {word('东城街道材料', 'gb2312')}\r\nDate: Tue, 5 Jul 2022 16:20:11 +0800\r\n"
            "Message-ID: <000001d89041$0e1b2c30$2a518490$@dg.gov.cn>\r\nMIME-Version: 1.0\r\n"
            f"X-Mailer: Microsoft Outlook 16.0\r\nContent-Type: multipart/mixed;\r\n\tboundary=\"{boundary}\"\r\n\r\n"
            f"This is a multipart message in MIME format.\r\n\r\n--{boundary}\r\n"
            "Content-Type: text/plain;\r\n\tcharset=\"gb2312\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + body + f"\r\n--{boundary}\r\n"
            "Content-Type: application/ms-tnef;\r\n\tname=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment;\r\n\tfilename=\"winmail.dat\"\r\n\r\n" + lines76(tnef)
            + f"\r\n\r\n--{boundary}--\r\n").encode()


def apple_mail(xlsx: bytes) -> bytes:
    """Apple Mail: the file as multipart/appledouble, its name RFC 2231 in UTF-8."""
    q = urllib.parse.quote("寮步镇.xlsx")
    return (f"From: {word('寮步镇 李四', 'utf-8')} <lbz@dg.gov.cn>\r\n"
            "Content-Type: multipart/mixed; boundary=\"Apple-Mail=_A1\"\r\n"
            "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3696.120.41.1.1\\))\r\n"
            f"Subject: {word('寮步镇6月进展填报表', 'utf-8')}\r\nDate: Wed, 6 Jul 2022 09:01:02 +0800\r\n"
            f"Message-Id: <8C1F0B4E-2D9A-4E0B-9A51-1B2C3D4E5F60@dg.gov.cn>\r\nTo: {DUBAN}\r\n\r\n"
            "--Apple-Mail=_A1\r\nContent-Transfer-Encoding: base64\r\nContent-Type: text/plain;\r\n\tcharset=utf-8\r\n\r\n"
            + lines76("请查收\r\n".encode()) + "\r\n--Apple-Mail=_A1\r\n"
            "Content-Type: multipart/appledouble;\r\n\tboundary=\"Apple-Mail=_A2\"\r\n\r\n--Apple-Mail=_A2\r\n"
            f"Content-Transfer-Encoding: base64\r\nContent-Type: application/applefile;\r\n\tname*=utf-8''{q}\r\n"
            f"Content-Disposition: attachment;\r\n\tfilename*=utf-8''{q}\r\n\r\n" + lines76(APPLEDOUBLE)
            + "\r\n--Apple-Mail=_A2\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Type: {XLSX};\r\n\tx-unix-mode=0644;\r\n\tname*=utf-8''{q}\r\n"
            f"Content-Disposition: attachment;\r\n\tfilename*=utf-8''{q}\r\n\r\n" + lines76(xlsx)
            + "\r\n--Apple-Mail=_A2--\r\n\r\n--Apple-Mail=_A1--\r\n").encode()


def qq_mail(xlsx: bytes) -> bytes:
    """QQ Mail from a personal box, the subject only the town's name; a zip whose entry name is GBK."""
    name = word("东坑镇报表.zip", "utf-8")
    boundary = "----=_NextPart_62C3A1B2_0A1B2C3D_5E6F7A8B"
    return (f"From: \"{word('东坑镇', 'utf-8')}\" <12345678@qq.com>\r\nTo: \"duban\" <{DUBAN}>\r\n"
            f"Subject: {word('东坑镇', 'utf-8')}\r\nMime-Version: 1.0\r\n"
            f"Content-Type: multipart/mixed;\r\n\tboundary=\"{boundary}\"\r\nContent-Transfer-Encoding: 8Bit\r\n"
            "Date: Thu, 7 Jul 2022 21:33:10 +0800\r\nX-Priority: 3\r\nMessage-ID: <tencent_4F1A2B3C4D5E6F708192A3B4@qq.com>\r\n"
            "X-QQ-MIME: TCMime 1.0 by Tencent\r\nX-Mailer: QQMail 2.x\r\n\r\n"
            f"This is a multi-part message in MIME format.\r\n\r\n--{boundary}\r\n"
            "Content-Type: text/plain;\r\n\tcharset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + lines76("见附件".encode()) + f"\r\n\r\n--{boundary}\r\n"
            f"Content-Type: application/octet-stream;\r\n\tcharset=\"utf-8\";\r\n\tname=\"{name}\"\r\n"
            f"Content-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + lines76(zip_bytes({"东坑镇.xlsx": xlsx}, gbk=True)) + f"\r\n\r\n--{boundary}--\r\n\r\n").encode()


def no_extension(xlsx: bytes) -> bytes:
    """An OA system's mail: the form named without extension, base64 on one long line, a stamped PDF."""
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return (f"From: {word('石碣镇')} <sjz@dg.gov.cn>\r\nTo: {DUBAN}\r\nSubject: {word('石碣镇报送')}\r\n"
            "Date: Fri, 8 Jul 2022 11:00:00 +0800\r\nMessage-ID: <oa-20220708110000@dg.gov.cn>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain; charset=gb2312\r\n\r\n"
            "\r\n--B\r\n"
            f"Content-Type: application/octet-stream; name=\"{word('石碣镇进展表')}\"\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; filename=\"{word('石碣镇进展表')}\"\r\n\r\n"
            + base64.b64encode(xlsx).decode() + "\r\n--B\r\n"
            f"Content-Type: application/pdf; name=\"{word('石碣镇盖章件.pdf')}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + lines76(pdf) + "\r\n--B--\r\n").encode()


def forwarded(xlsx: bytes) -> bytes:
    """长安镇's mail to the office on 4 July, forwarded as an attachment by a colleague on 9 July."""
    inner = (f"From: {word('长安镇')} <caz@dg.gov.cn>\r\nTo: {DUBAN}\r\nSubject: {word('长安镇6月进展填报表')}\r\n"
             "Date: Mon, 4 Jul 2022 15:00:00 +0800\r\nMessage-ID: <inner-20220704@dg.gov.cn>\r\nMIME-Version: 1.0\r\n"
             "Content-Type: multipart/mixed; boundary=\"I\"\r\n\r\n--I\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
             f"\r\n--I\r\nContent-Type: {XLSX}; name=\"{word('长安镇.xlsx', 'utf-8')}\"\r\n"
             f"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"{word('长安镇.xlsx', 'utf-8')}\""
             "\r\n\r\n" + lines76(xlsx) + "\r\n--I--\r\n")
    return (f"From: {word('办公室张三')} <zhangsan@example.org>\r\nTo: {DUBAN}\r\n"
            f"Subject: {word('转发: 长安镇6月进展填报表')}\r\nDate: Sat, 9 Jul 2022 09:00:00 +0800\r\n"
            "Message-ID: <fw-20220709@example.org>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"O\"\r\n\r\n--O\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"\r\n--O\r\nContent-Type: message/rfc822; name=\"{word('长安镇6月进展填报表.eml', 'utf-8')}\"\r\n"
            "Content-Disposition: attachment\r\n\r\n" + inner + "\r\n--O--\r\n").encode()


# ---------------------------------------------------------------------------
# parsing (no server)


@pytest.mark.parametrize(("mime", "name", "fetched"), [
    ("application/ms-tnef", "winmail.dat", True),                   # Outlook in rich-text mode
    ("application/vnd.ms-outlook", "石龙镇报送邮件.msg", True),          # a saved Outlook mail, uploaded
    ("application/x-iwork-numbers-sffnumbers", "进展表.numbers", True),  # Apple Mail, a Numbers file
    ("application/vnd.apple.numbers", "进展表.numbers", True),
    ("text/csv", "东城街道进展表.csv", True),                          # the form saved as CSV: E103's advice
    ("application/octet-stream", "东城街道进展表.csv", True),
    ("text/x-comma-separated-values", "", True),
    ("application/pdf", "会议通知.pdf", False),
])
def test_what_a_return_comes_as_is_fetched(mime, name, fetched):
    """Whatever collect opens or answers with advice (E103) is fetched; left in the mailbox,
    the unit stood 未报送 with nothing said."""
    info = MessageInfo(uid=1, size=4000, internaldate=july(5), flags=set(), subject="东城街道材料",
                       sender="dcjd@dg.gov.cn", message_id="<x@dg.gov.cn>",
                       parts=[Part("text/plain", "", 90, "quoted-printable"),
                              Part(mime, name, 3100, "base64", "attachment")])
    assert carries_return(info, ["东莞市"]) is fetched


def test_an_outlook_rtf_mail_keeps_its_winmail_dat():
    assert [(a.name, a.data[:4]) for a in parse_mail(outlook_rtf()).attachments] == [
        ("winmail.dat", b"\x78\x9f\x3e\x22")]


def test_apple_mails_appledouble_is_one_file_not_two():
    mail = parse_mail(apple_mail(b"PK\x03\x04 the form"))
    assert [(a.name, a.data) for a in mail.attachments] == [("寮步镇.xlsx", b"PK\x03\x04 the form")]


@pytest.mark.parametrize("charset", ["gb2312", "GBK"])
@pytest.mark.parametrize("continued", [False, True])
def test_an_rfc2231_name_with_a_gbk_only_character_is_read_as_mail_fetch_reads_it(charset, continued):
    name = "王喆镕工作组进展表.xlsx"
    quoted = urllib.parse.quote_from_bytes(name.encode("gbk"))
    if continued:  # cut between two escapes, as clients cut
        cut = [m.end() for m in re.finditer(r"%[0-9A-F]{2}|.", quoted)][5]
        disposition = f"\r\n filename*0*={charset}''{quoted[:cut]};\r\n filename*1*={quoted[cut:]}"
        params = ("filename*0*", f"{charset}''{quoted[:cut]}", "filename*1*", quoted[cut:])
    else:
        disposition = f" filename*={charset}''{quoted}"
        params = ("filename*", f"{charset}''{quoted}")
    raw = ("From: a@dg.gov.cn\r\nTo: duban@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B\r\n"
           f"Content-Type: application/vnd.ms-excel\r\nContent-Disposition: attachment;{disposition}\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--B--\r\n").encode()
    assert [a.name for a in parse_mail(raw).attachments] == [name]
    quoted_params = " ".join(f'"{p}"' for p in params)
    [item] = parse_fetch([f'1 (UID 1 BODYSTRUCTURE ("application" "vnd.ms-excel" NIL NIL NIL "base64" 8 NIL '
                          f'("attachment" ({quoted_params})) NIL NIL))'.encode()])
    assert [p.name for p in body_parts(item["BODYSTRUCTURE"])] == [name]


# ---------------------------------------------------------------------------
# through a real IMAP server: fetch, collect, status


@pytest.fixture
def password(monkeypatch, mail_servers):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])


@pytest.mark.slow  # a real IMAP server and a week of mail: run in CI, out of the quick loop
def test_a_week_of_real_clients_mail_every_return_filed_for_its_unit_and_time(issued_ws, make_return,
                                                                              mail_servers, password, run):
    s = mail_servers
    ws = mail_ws(issued_ws, s)

    def form(unit: str) -> bytes:
        return make_return(unit, **{"1_2": DONE})

    s.deliver(DUBAN, foxmail(form("石龙镇")), internaldate=july(4, 10, 13))
    s.deliver(DUBAN, outlook_rtf(), internaldate=july(5, 16, 21))
    s.deliver(DUBAN, apple_mail(form("寮步镇")), internaldate=july(6, 9, 2))
    s.deliver(DUBAN, qq_mail(form("东坑镇")), internaldate=july(7, 21, 34))
    s.deliver(DUBAN, no_extension(form("石碣镇")), internaldate=july(8, 11, 1))
    s.deliver(DUBAN, forwarded(form("长安镇")), internaldate=july(9, 9, 1))

    fetched = run(["-w", str(ws.root), "mail", "fetch"])
    assert fetched.exit_code == 0, fetched.output
    assert fetched.output.splitlines() == [
        f"收取邮箱 {DUBAN} 的文件夹“INBOX”中 2022年6月1日 以后收到的邮件。",
        "存入收件箱 6 封：",
        "  2022-07-04 10:13  石龙镇党政办 <slzdzb@163.com>  石龙镇6月份进展情况",
        "  2022-07-05 16:21  东城街道 <dcjd@dg.gov.cn>  东城街道材料",
        "  2022-07-06 09:02  寮步镇 李四 <lbz@dg.gov.cn>  寮步镇6月进展填报表",
        "  2022-07-07 21:34  东坑镇 <12345678@qq.com>  东坑镇",
        "  2022-07-08 11:01  石碣镇 <sjz@dg.gov.cn>  石碣镇报送",
        "  2022-07-09 09:01  办公室张三 <zhangsan@example.org>  转发: 长安镇6月进展填报表",
        "下一步：运行 duban collect 校验并登记。",
    ]
    collected = run(["-w", str(ws.root), "collect"])
    lines = collected.output.splitlines()
    assert lines[1:5] == [
        "  采纳 5，退回 0，无法读取 1，重复 0，无需处理 1，已被替代 0",  # the stamped PDF asks nothing (QA345)
        "  无法读取：winmail.dat（东城街道） E103 不支持的文件格式“.dat”。这是 Outlook 以“RTF 格式”发送邮件时生成的附件包，"
        "里面的文件无法取出。请在 Outlook 中把邮件格式改为 HTML 或纯文本后，重新附上 .xlsx 填报表发送。",
        "  无需处理：石碣镇盖章件.pdf（石碣镇）与本单位已采纳的填报表同在一封邮件或压缩包中报来"
        "（如盖章扫描件、未填写的原表），已登记",
        "需回复的单位 1 个：东城街道",
    ]
    assert not re.search(r"Traceback|Error|[A-Za-z]{12,}", fetched.output + collected.output)
    with Ledger(ws.ledger_path) as ledger:
        leaves = sorted((r.name, r.unit, r.outcome, r.received_at[:16]) for r in ledger.receipts()
                        if r.parent_id is not None and r.outcome != "已拆包")
    # every attachment on record: the forms, the winmail.dat, the stamped PDF; the Finder's
    # data on 寮步镇.xlsx is no file of its own
    assert leaves == sorted([
        ("石龙镇2022年6月进展填报表.xlsx", "石龙镇", "采纳", "2022-07-04 10:13"),
        ("winmail.dat", "东城街道", "无法读取", "2022-07-05 16:21"),
        ("寮步镇.xlsx", "寮步镇", "采纳", "2022-07-06 09:02"),
        ("东坑镇.xlsx", "东坑镇", "采纳", "2022-07-07 21:34"),
        ("石碣镇进展表", "石碣镇", "采纳", "2022-07-08 11:01"),
        ("石碣镇盖章件.pdf", "石碣镇", "无法读取", "2022-07-08 11:01"),
        # sent to the office on 4 July: its own Date, not the colleague's forward of 9 July
        ("长安镇.xlsx", "长安镇", "采纳", "2022-07-04 15:00"),
    ])
    status = json.loads(run(["-w", str(ws.root), "status", "--format", "json"]).stdout)
    got = {u["单位"]: (u["报送状态"], u["报送时间"]) for u in status["units"]
           if u["单位"] in ("石龙镇", "东城街道", "寮步镇", "东坑镇", "石碣镇", "长安镇")}
    assert got == {"石龙镇": ("按时报送", "2022-07-04 10:13"), "东城街道": ("退回待改", "2022-07-05 16:21"),
                   "寮步镇": ("逾期报送", "2022-07-06 09:02"), "东坑镇": ("逾期报送", "2022-07-07 21:34"),
                   "石碣镇": ("逾期报送", "2022-07-08 11:01"), "长安镇": ("按时报送", "2022-07-04 15:00")}
    # the reply to the Outlook user goes to the address the winmail.dat came from
    reply = next((ws.root / "反馈" / "2022年6月").glob("*/东城街道_校验反馈.eml"))
    assert email.message_from_bytes(reply.read_bytes())["To"].endswith("<dcjd@dg.gov.cn>")
