"""Who `duban remind` chases, read as the coordinating office near the deadline (QA266).

A reminder to a unit that did report is embarrassing: status says 请核实 (exit 1) while a
return may wait where no collect has counted it (a file in 收件箱, a mail too big to fetch, a
cloud link), yet `remind` wrote every unit a 催报 draft, exit 0, without a word: the office
sent them. It now says the same lines (`mail_notes.chase_notes`) and exits 1, and `mail send
remind` lists them before the office confirms. A unit sent back whose correction may still come
on time was told 尽快, where the reply had named a date.
"""
from __future__ import annotations

import datetime as dt
import email
from email import policy

import test_mail_send
from conftest import PERIOD, drop, on_time
from test_evidence import clean
from test_qa190_double_click import CST, too_big

from toolkit.actions.collect import collect
from toolkit.actions.remind import write_reminders
from toolkit.filling import Answer, Filling

INBOX_NOTE = ("请核实：收件箱中还有 1 个文件尚未收取登记（石龙镇.xlsx），其中的报送没有计入报送情况，其单位可能被误列为"
              "未报送。请先运行 duban collect（或双击“2-收取并汇总”），再查看报送情况、生成汇总表和通报。")
CHECK_FIRST = ("以上催报邮件草稿中可能有已报送的单位：请先核实，收取登记后再运行 duban remind"
               "（已报送单位的草稿即撤回），再发送催报邮件。")
servers = test_mail_send.servers  # the fixture (see mailservers.py on ruff's F811)
#: 1.2 滞后 with no 存在问题: refused (E603)
WRONG = Filling(answers={"1.2": Answer(status="滞后", problems="")})


def _body(path) -> str:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()


def _draft(result, unit: str):
    return next(p for p, (u, _) in zip(result.files, result.units) if u == unit)


def test_remind_says_a_return_waiting_uncollected_in_the_inbox_and_exits_1(issued_ws, make_return,
                                                                           collecting_on, run):
    """石龙镇's return sits in 收件箱 (fetched, not collected): status says 请核实; remind wrote
    石龙镇 a 催报 draft with exit 0 and not a word."""
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collecting_on(dt.date(2022, 7, 8))
    reminded = run(["remind"], cwd=issued_ws.root)
    assert reminded.exit_code == 1, reminded.output
    lines = reminded.output.splitlines()
    assert "  未报送 石龙镇" in lines
    assert lines[-2:] == [INBOX_NOTE, CHECK_FIRST]
    assert write_reminders(issued_ws, PERIOD).notes == [INBOX_NOTE]
    # collected: 石龙镇 reported on time, its draft withdrawn, nothing to check
    collect(issued_ws)
    again = run(["remind"], cwd=issued_ws.root)
    assert again.exit_code == 0 and "石龙镇" not in again.output and "请核实" not in again.output
    assert not (issued_ws.root / "汇总" / PERIOD.label / "催报邮件" / "催报_石龙镇.eml").exists()


def test_remind_says_a_units_mail_too_big_to_fetch(issued_ws, collecting_on, run):
    """石龙镇's mail of 4 July was too big to fetch: its return may be in it."""
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    collecting_on(dt.date(2022, 7, 6))
    reminded = run(["remind"], cwd=issued_ws.root)
    assert reminded.exit_code == 1, reminded.output
    (note,) = [x for x in reminded.output.splitlines() if x.startswith("请核实：石龙镇 ")]
    assert note.startswith("请核实：石龙镇 在2022年6月计为未报送，但邮箱中有其邮件“石龙镇2022年6月进展填报”"
                           "（石龙镇 <sl@dg.gov.cn>，1.8 MB，2022-07-04 10:00 收到）")
    assert reminded.output.splitlines()[-1] == CHECK_FIRST


def test_remind_with_nothing_waiting_says_no_more_than_before(issued_ws, collecting_on, run):
    collecting_on(dt.date(2022, 7, 6))
    reminded = run(["remind"], cwd=issued_ws.root)
    assert reminded.exit_code == 0 and "请核实" not in reminded.output and CHECK_FIRST not in reminded.output
    assert write_reminders(issued_ws, PERIOD).notes == []


def test_a_unit_sent_back_is_reminded_of_the_date_its_correction_is_still_on_time(issued_ws, make_return,
                                                                                  collecting_on):
    """虎门镇's file, refused on the deadline day (5 July), was asked back by the reply's date
    (8 July): reminded on the 6th it is asked to correct by the 8th, as the reply said, not 尽快;
    reminded after the 8th, 尽快."""
    drop(issued_ws, "虎门镇.xlsx", make_return("虎门镇", WRONG), on_time())
    collecting_on(dt.date(2022, 7, 5))
    collect(issued_ws)
    collecting_on(dt.date(2022, 7, 6))
    body = _body(_draft(write_reminders(issued_ws, PERIOD), "虎门镇"))
    assert ("贵单位报送的2022年6月进展填报表经校验存在错误，尚未采纳，请按校验反馈修改后于2022年7月8日前重新报送。"
            in body)
    collecting_on(dt.date(2022, 7, 8))  # the day itself: still on time
    assert "于2022年7月8日前重新报送" in _body(_draft(write_reminders(issued_ws, PERIOD), "虎门镇"))
    collecting_on(dt.date(2022, 7, 9))
    body = _body(_draft(write_reminders(issued_ws, PERIOD), "虎门镇"))
    assert "贵单位报送的2022年6月进展填报表经校验存在错误，尚未采纳，请按校验反馈修改后尽快重新报送。" in body


def test_mail_send_remind_says_a_return_that_came_after_the_drafts_were_written(issued_ws, make_return, servers,
                                                                                 run):
    """The 催报 drafts were written; then 石龙镇's return is fetched into 收件箱
    but not collected (collect would have withdrawn its draft), and the office double-clicks
    4-发送邮件 → 催报: the list it confirms says so before anything goes."""
    ws = test_mail_send.issued_with_emails(issued_ws, servers, test_mail_send.UNITS)
    # the mailbox fetched first, as asked (QA277: else remind says when it was last fetched)
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0
    assert run(["-w", str(ws.root), "remind"]).exit_code == 0
    drop(ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    listed = run(["-w", str(ws.root), "mail", "send", "remind", "--dry-run"])
    lines = listed.output.splitlines()
    assert "  石龙镇 → u02@dg.example.cn；无附件" in lines
    at = lines.index(INBOX_NOTE)
    assert lines[at + 1] == ("以上催报邮件中可能有发给已报送单位的：请先核实，收取登记后（已报送单位的草稿即撤回）"
                             "再运行 duban mail send remind。")
    # collected: 石龙镇's draft withdrawn, nothing asked
    collect(ws)
    listed = run(["-w", str(ws.root), "mail", "send", "remind", "--dry-run"])
    assert "石龙镇" not in listed.output and "请核实" not in listed.output, listed.output
