"""QA300: the mailbox and the corrections path, read as an office and as a department.

* An attachment whose name an older client wrote as an RFC 2047 word without quotes
  (``filename==?GBK?B?…?=``, Foxmail and OA systems) lost its name in Python's parser, and
  an attachment with no name that is not a spreadsheet was left out of the mail: the town's
  7z holding its form, fetched from the mailbox, was never opened, nor recorded, and the town
  stood 未报送. Its name is read from the header as written (`mail.attachment_name`); a
  7z or rar attached with no name at all is kept, as a nameless zip was.
* A Date whose offset has a colon (``+00:00``, PHP's DATE_ATOM) was read as the office's wall
  time: a return sent at 00:30 Beijing time after the deadline, from a server on UTC, was 按时.
* A correction the reply asked for by Friday, its mail dated Friday 23:50 and in the mailbox at
  00:10 on Saturday, stood 逾期 with nobody asked: the mailbox's time beside an on-time Date is
  weak evidence of a 逾期 by the date the unit was held to (`on_time.held_to`), not only by the
  month's deadline.
"""

from __future__ import annotations

import base64
import datetime as dt
import email
import json
from email import policy

import mailservers
import pytest
from conftest import drop, issued_path
from test_archives import py7zr_7z
from test_evidence import mail
from test_mail_fetch import DONE, DUBAN, july, mail_ws, return_mail
from test_qa175_replies import REFUSED

from toolkit.actions.collect import collect
from toolkit.filling import fill_return
from toolkit.ledger import Ledger
from toolkit.mail import attachment_name, parse_mail

# a real IMAP server (tests/mailservers.py): in CI, out of the quick loop
pytestmark = pytest.mark.slow

mail_servers = mailservers.mail_servers  # the fixture (see mailservers.py on ruff's F811)


@pytest.fixture
def password(monkeypatch, mail_servers):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])


def _word(name: str) -> str:
    return f"=?GBK?B?{base64.b64encode(name.encode('gbk')).decode()}?="


def _unquoted_mail(name: str, mime: str, data: bytes, *, sender: str, when: dt.datetime) -> bytes:
    """A department's mail as an older client writes it: the file name an RFC 2047 word, unquoted."""
    word = _word(name)
    return (f"From: {sender}\r\nTo: {DUBAN}\r\nSubject: {_word('石龙镇报送材料')}\r\n"
            f"Date: {email.utils.format_datetime(when)}\r\nMessage-ID: <qa300-{sender}@dg.gov.cn>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n"
            "--BB\r\nContent-Type: text/plain; charset=GBK\r\n\r\nqing cha shou\r\n"
            f"--BB\r\nContent-Type: {mime}; name={word}\r\n"
            f"Content-Disposition: attachment; filename={word}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n").encode() + base64.encodebytes(data).replace(
        b"\n", b"\r\n") + b"\r\n--BB--\r\n"


@pytest.mark.parametrize("header", [
    "Content-Type: application/pdf; name={w}\r\nContent-Disposition: attachment; filename={w}",
    "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename={w}",
    "Content-Type: application/pdf; name={w}\r\nContent-Disposition: attachment",
    "Content-Type: application/pdf; name={w}",
])
def test_a_name_written_as_an_unquoted_encoded_word_is_read(header):
    text = header.format(w=_word("石龙镇6月进展.pdf"))
    part = email.message_from_bytes(f"MIME-Version: 1.0\r\n{text}\r\n\r\nx\r\n".encode(), policy=policy.default)
    assert attachment_name(part) == "石龙镇6月进展.pdf"


def test_a_stamped_pdf_so_named_is_the_towns_document_not_dropped():
    raw = _unquoted_mail("石龙镇6月进展.pdf", "application/pdf", b"%PDF-1.4\n", sender="x@163.com", when=july(4))
    assert [(a.name, a.data) for a in parse_mail(raw).attachments] == [("石龙镇6月进展.pdf", b"%PDF-1.4\n")]


def test_a_fetched_7z_named_so_is_opened_and_its_form_taken(issued_ws, make_return, mail_servers, password, run,
                                                            tmp_path):
    s = mail_servers
    ws = mail_ws(issued_ws, s)
    archive = py7zr_7z({"石龙镇.xlsx": make_return("石龙镇", **{"1_2": DONE})}, tmp_path)
    s.deliver(DUBAN, _unquoted_mail("石龙镇6月进展.7z", "application/x-7z-compressed", archive,
                                    sender="sl@dg.gov.cn", when=july(4)), internaldate=july(4))
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0
    run(["-w", str(ws.root), "collect"])
    with Ledger(ws.ledger_path) as ledger:
        got = {r.name: (r.unit, r.outcome) for r in ledger.receipts() if r.parent_id is not None}
    assert got == {"石龙镇6月进展.7z": (None, "已拆包"), "石龙镇.xlsx": ("石龙镇", "采纳")}
    status = run(["-w", str(ws.root), "status", "--format", "json"])
    row = next(u for u in json.loads(status.stdout)["units"] if u["单位"] == "石龙镇")
    assert (row["报送状态"], row["报送时间"]) == ("按时报送", "2022-07-04 09:30")


@pytest.mark.parametrize("mime", ["application/x-7z-compressed", "application/x-rar-compressed", "application/vnd.rar"])
def test_an_archive_attached_with_no_name_is_kept(mime):
    raw = (f"From: sl@dg.gov.cn\r\nTo: {DUBAN}\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=BB\r\n\r\n--BB\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
           f"--BB\r\nContent-Type: {mime}\r\nContent-Disposition: attachment\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\nN3q8rycc\r\n--BB--\r\n").encode()
    assert [a.data for a in parse_mail(raw).attachments] == [b"7z\xbc\xaf\x27\x1c"]


def test_a_fetched_7z_with_no_name_is_opened_and_its_form_taken(issued_ws, make_return, mail_servers, password,
                                                                run, tmp_path):
    s = mail_servers
    ws = mail_ws(issued_ws, s)
    archive = py7zr_7z({"石龙镇.xlsx": make_return("石龙镇", **{"1_2": DONE})}, tmp_path)
    raw = _unquoted_mail("x.7z", "application/x-7z-compressed", archive, sender="sl@dg.gov.cn", when=july(4))
    raw = raw.replace(f"; name={_word('x.7z')}".encode(), b"").replace(f"; filename={_word('x.7z')}".encode(), b"")
    s.deliver(DUBAN, raw, internaldate=july(4))
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0
    run(["-w", str(ws.root), "collect"])
    with Ledger(ws.ledger_path) as ledger:
        got = {r.name: (r.unit, r.outcome) for r in ledger.receipts() if r.parent_id is not None}
    assert got["石龙镇.xlsx"] == ("石龙镇", "采纳")


def test_fetch_takes_a_mail_whose_only_attachment_is_a_rar_of_no_name():
    from toolkit.actions.mail import carries_return
    from toolkit.imap_parse import MessageInfo, Part

    info = MessageInfo(uid=1, size=9000, internaldate=july(4), flags=set(), subject="石龙镇", sender="sl@163.com",
                       message_id="<r@x>", parts=[Part("text/plain", "", 10, "7bit"),
                                                  Part("application/vnd.rar", "", 8000, "base64", "attachment")])
    assert carries_return(info, [])


@pytest.mark.parametrize("date, when", [
    ("Tue, 05 Jul 2022 16:30:00 +00:00", "2022-07-06 00:30:00"),   # PHP's DATE_ATOM offset, a server on UTC
    ("Tue, 05 Jul 2022 16:30:00 GMT+00:00", "2022-07-06 00:30:00"),
    ("Wed, 06 Jul 2022 00:30:00 +09:00", "2022-07-05 23:30:00"),
    ("Tue, 05 Jul 2022 23:30:00 +08:00", "2022-07-05 23:30:00"),
    ("Tue, 05 Jul 2022 23:30:00 GMT+08:00", "2022-07-05 23:30:00"),
])
def test_a_date_whose_offset_has_a_colon_is_read_by_it(issued_ws, make_return, date, when):
    drop(issued_ws, "sl.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", **{"1_2": DONE}))], date=date))
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        [form] = [r for r in ledger.receipts() if r.parent_id is not None]
    assert (form.received_at, form.received_how) == (when, "邮件发送时间")


# ---------------------------------------------------------------------------
# a correction the reply asked for by a date, held up in the mail server past it


def _correction_held_up(ws, s, make_return, run, collecting_on):
    """石龙镇's form refused on the deadline (the reply asks for it by Friday 8 July); its
    correction is sent at 23:50 that Friday and reaches the mailbox at 00:10 on Saturday."""
    cst = july(5).tzinfo
    refused = fill_return(issued_path(ws, "石龙镇"), REFUSED)
    s.deliver(DUBAN, return_mail("石龙镇", refused, sender="sl@dg.gov.cn", when=july(5, 10, 0)),
              internaldate=july(5, 10, 0))
    collecting_on(dt.date(2022, 7, 5))
    assert run(["-w", str(ws.root), "collect", "--fetch"]).exit_code == 1  # 退回
    fixed = return_mail("石龙镇", make_return("石龙镇", **{"1_2": DONE}), sender="sl@dg.gov.cn",
                        when=dt.datetime(2022, 7, 8, 23, 50, tzinfo=cst), subject="石龙镇6月进展（修改）")
    s.deliver(DUBAN, fixed, internaldate=dt.datetime(2022, 7, 9, 0, 10, tzinfo=cst))
    collecting_on(dt.date(2022, 7, 11))
    return run(["-w", str(ws.root), "collect", "--fetch"])


def _status(run, ws) -> tuple[dict, list[str]]:
    out = json.loads(run(["-w", str(ws.root), "status", "--format", "json"]).stdout)
    return next(u for u in out["units"] if u["单位"] == "石龙镇"), out["notes"]


ASKED = ("石龙镇按邮箱收到时间（2022-07-09 00:10）计为逾期报送（截止 2022-07-08），但邮件自身的发送时间是 "
         "2022-07-08 23:50；邮箱收到时间可能晚于单位实际报送的时间。如实际按时收到，请运行 duban received --period "
         "2022-06 --dept 石龙镇 --on 收到日期，按收到日期计报送时间；如按邮箱收到时间计为逾期报送无误，请运行 duban received "
         "--period 2022-06 --dept 石龙镇 --confirm，此提示即不再出现。也可双击“5-逐条核实”逐条回答。")


def test_a_correction_sent_by_the_replys_date_that_reached_the_mailbox_after_it_is_asked_about(
        issued_ws, make_return, mail_servers, password, run, collecting_on):
    ws = mail_ws(issued_ws, mail_servers)
    collected = _correction_held_up(ws, mail_servers, make_return, run, collecting_on)
    assert ASKED in collected.output
    row, notes = _status(run, ws)
    assert (row["报送状态"], row["报送时间"]) == ("逾期报送", "2022-07-09 00:10")
    assert f"请核实：2022年6月_石龙镇_进展填报表.xlsx：{ASKED}" in notes
    answered = run(["-w", str(ws.root), "received", "--period", "2022-06", "--dept", "石龙镇", "--on", "2022-07-08"])
    assert answered.exit_code == 0, answered.output
    assert "石龙镇 由逾期报送（报送时间 2022-07-09 00:10）改计为按时报送（报送时间 2022-07-08 00:00）" in answered.output
    row, notes = _status(run, ws)
    assert row["报送状态"] == "按时报送" and not any("石龙镇" in n for n in notes)
