"""QA108: a return behind a cloud link from a personal mailbox is fetched; a date the office
states for a downloaded file stands.

* `duban mail fetch` judged a mail by its metadata only (subject, sender, BODYSTRUCTURE). A
  department that sends its return as a QQ 超大附件 or a 163 网盘 link from a personal
  mailbox, under a subject naming neither the project nor the month (东坑镇进展情况, 报送材料),
  showed nothing of it: the mail was left in the mailbox, and the unit named 未报送. A small
  mail with a text part is now read (BODY.PEEK) for a link to a return.
* `collect --received` was overridden by a matching cloud-link mail's time, the remedy the
  W211 lines themselves ask for: the stated date now stands, and a mail of another day
  linking the file is said.
"""

from __future__ import annotations

import datetime as dt

import mailservers
import pytest
from conftest import drop, late
from test_evidence import set_email
from test_mail_fetch import DONE, DUBAN, inbox_files, july, mail_ws, plain_mail
from test_qa87_cloud_attachments import (
    NETEASE_NAME,
    QQ_LINK,
    QQ_NAME,
    cloud_mail,
    netease_html,
    qq_html,
    qq_text,
    said,
)

from toolkit.actions import mail as mail_action
from toolkit.actions.mail import links_return
from toolkit.cloud import CloudFile
from toolkit.imap_parse import MessageInfo, Part
from toolkit.ledger import Ledger

mail_servers = mailservers.mail_servers  # the fixture (see mailservers.py on ruff's F811)


def _file(name: str) -> CloudFile:
    return CloudFile(name, QQ_LINK, "QQ邮箱超大附件")


# ---------------------------------------------------------------------------
# the filter (no server)


def test_a_link_to_a_return_or_a_report_subject_is_a_return():
    assert links_return([_file(QQ_NAME)], "材料")                      # a spreadsheet
    assert links_return([_file(NETEASE_NAME)], "转发")                 # an archive
    assert links_return([_file("")], "请查收")                          # no name shown: cannot tell
    assert links_return([_file("6月进展说明.pdf")], "东坑镇进展情况")     # a report word
    assert links_return([_file("佐证材料.docx")], "报送材料")
    # a link to a PDF under a notice of the month is not; nor a mail without a link
    assert not links_return([_file("会议材料.pdf")], "关于6月会议的通知")
    assert not links_return([], "东坑镇进展情况")


def _info(size: int, *mimes: str) -> MessageInfo:
    return MessageInfo(uid=1, size=size, internaldate=july(4), flags=set(), subject="东坑镇进展情况",
                       sender="123456789@qq.com", message_id="<a@qq.com>",
                       parts=[Part(m, "", 100, "base64") for m in mimes])


def test_only_a_small_mail_with_a_text_part_is_read_for_a_link():
    assert mail_action._may_link(_info(30_000, "text/plain", "text/html"))
    assert mail_action._may_link(_info(300_000, "text/html", "application/pdf"))
    assert not mail_action._may_link(_info(5_000_000, "text/html", "application/pdf"))  # a notice's big PDF
    assert not mail_action._may_link(_info(30_000, "image/jpeg"))


# ---------------------------------------------------------------------------
# through the office mailbox (tests/mailservers.py)


@pytest.fixture
def password(monkeypatch, mail_servers):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])


def test_link_only_mails_from_personal_mailboxes_are_fetched_and_notices_are_not(
        issued_ws, mail_servers, password, run, collecting_on):
    s = mail_servers
    collecting_on(dt.date(2022, 7, 6))
    ws = mail_ws(issued_ws, s)
    qq = cloud_mail("东坑镇 小王 <123456789@qq.com>", "东坑镇进展情况", july(4), qq_html(), qq_text())
    netease = cloud_mail("liaobu_dzb@163.com", "报送材料", july(5, 16), netease_html())
    archive = cloud_mail("小李 <987654321@qq.com>", "材料", july(5, 10), qq_html("6月材料.zip"),
                         qq_text("6月材料.zip"))
    meeting_pdf = cloud_mail("小张 <555666777@qq.com>", "关于6月会议的通知", july(4, 11), qq_html("会议材料.pdf"),
                             qq_text("会议材料.pdf"))
    uids = [s.deliver(DUBAN, qq, internaldate=july(4, 9, 31)),
            s.deliver(DUBAN, netease, internaldate=july(5, 16, 1)),
            s.deliver(DUBAN, archive, internaldate=july(5, 10, 1))]
    s.deliver(DUBAN, meeting_pdf, internaldate=july(4, 11, 1))
    s.deliver(DUBAN, plain_mail("6月工作会议通知", sender="office@dg.gov.cn"), internaldate=july(4, 8))

    fetched = run(["-w", str(ws.root), "mail", "fetch"])
    assert fetched.exit_code == 0, fetched.output
    assert fetched.output.splitlines() == [
        f"收取邮箱 {DUBAN} 的文件夹“INBOX”中 2022年6月1日 以后收到的邮件。",
        "存入收件箱 3 封：",
        "  2022-07-04 09:31  东坑镇 小王 <123456789@qq.com>  东坑镇进展情况",
        "  2022-07-05 16:01  liaobu_dzb@163.com  报送材料",
        "  2022-07-05 10:01  小李 <987654321@qq.com>  材料",
        "与报送无关的邮件 2 封，未收取（留在邮箱中，未作改动）。",
        "下一步：运行 duban collect 校验并登记。",
    ]
    # stored byte for byte; the mails read and left are untouched (BODY.PEEK: no \Seen)
    server = {m["uid"]: m for m in s.mailbox(DUBAN)}
    assert sorted(inbox_files(ws).values()) == sorted(server[u]["raw"] for u in uids)
    assert all("\\Seen" not in m["flags"] for m in server.values())
    # a second run reads nothing again
    again = mail_action.fetch(ws)
    assert (again.stored, again.known, again.skipped) == ([], 3, 0)

    collected = run(["-w", str(ws.root), "collect"])
    lines = said(collected.output, "超大附件")
    assert any("东坑镇的邮件“东坑镇进展情况”" in x and QQ_LINK in x for x in lines), lines
    assert any("寮步镇的邮件“报送材料”" in x and NETEASE_NAME in x for x in lines), lines
    assert any("一封未能识别单位的邮件“材料”" in x for x in lines), lines


def test_a_known_units_mail_of_no_link_under_another_subject_is_read_and_left(issued_ws, mail_servers, password):
    s = mail_servers
    set_email(issued_ws, 东坑镇="dk@dg.gov.cn")
    ws = mail_ws(issued_ws, s)
    s.deliver(DUBAN, plain_mail("已收到，谢谢", sender="dk@dg.gov.cn"), internaldate=july(4))
    result = mail_action.fetch(ws)
    assert (result.stored, result.skipped) == ([], 1)


# ---------------------------------------------------------------------------
# collect --received for a file downloaded from a link


def _linked_then_downloaded(ws, make_return, run, collecting_on):
    collecting_on(dt.date(2022, 7, 9))
    set_email(ws, 东坑镇="dk@dg.gov.cn")
    drop(ws, "东坑镇6月进展.eml", cloud_mail("东坑镇党政办 <dk@dg.gov.cn>", "东坑镇2022年6月工作进展报送", july(4),
                                         qq_html(), qq_text()))
    assert run(["-w", str(ws.root), "collect"]).exit_code == 1
    drop(ws, QQ_NAME, make_return("东坑镇", **{"1_2": DONE}), mtime=late())


def _accepted(ws):
    with Ledger(ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.outcome == "采纳")
    return rec.unit, rec.received_at[:16], rec.received_how


def test_a_date_the_office_states_stands_over_the_linking_mails_time_and_is_said(
        issued_ws, make_return, run, collecting_on):
    ws = issued_ws
    _linked_then_downloaded(ws, make_return, run, collecting_on)
    # the office says the unit sent this file on 6 July (say, by a second, later mail it saw)
    collected = run(["-w", str(ws.root), "collect", "--received", "2022-07-06"])
    assert _accepted(ws) == ("东坑镇", "2022-07-06 00:00", "督办部门指定")
    [line] = [x for x in said(collected.output, QQ_NAME) if "--received" in x]
    assert "按 --received 指定的日期 2022-07-06 计报送时间，未按同名超大附件的2022-07-04 09:30 的邮件" in line, line
    assert line.endswith("请把文件放回收件箱，运行 duban collect --received 2022-07-04。"), line


def test_a_stated_date_that_is_the_mails_day_is_taken_without_a_word(issued_ws, make_return, run, collecting_on):
    ws = issued_ws
    _linked_then_downloaded(ws, make_return, run, collecting_on)
    collected = run(["-w", str(ws.root), "collect", "--received", "2022-07-04"])
    assert collected.exit_code == 0, collected.output
    assert _accepted(ws) == ("东坑镇", "2022-07-04 00:00", "督办部门指定")
    assert "--received" not in collected.output
