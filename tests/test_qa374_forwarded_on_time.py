"""QA374: a unit 按时 on a forwarded message's own Date whose forward came after the deadline is
asked about until the office answers, as a 逾期 on a weak time is (`file_time.forwarded_on_time`).

A department's clerk mails the return to the department's head for approval (7月4日, to a
mailbox neither the office's nor a unit's); the head forwards that mail to the office as an
attachment on 7月7日, after the 7月5日 deadline. Collect times the return by the forwarded
message's own Date (`TimeSource.FORWARDED`: whom it went to cannot be told) and said so once;
status, merge, the memo and 5-逐条核实 said nothing after, and the 通报 named the unit 按时 on a
time the office was asked to check. Now the question is kept: ``duban received --on`` the
forward's day times the unit by it (逾期), ``--confirm`` says the message was for the office
(按时 stands, said), ``--undo`` asks again. A forward of a forward asks the same, by the
outermost forward; an inline forward is timed by the forward itself (asked as a 逾期 on it).
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from conftest import drop, status_notes
from test_evidence import state
from test_mail_fetch import DONE, DUBAN

from toolkit.actions.verify import Kind, answer, open_questions
from toolkit.file_time import on_time_on_forward
from toolkit.period import Period
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow  # each plays collect, status and answers

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
NAME = "东坑镇6月进展.xlsx"
SUBJECT = "东坑镇6月进展（请领导审核）"
HEAD = "李主任 <li@dongkeng.example.cn>"  # the department's own head: neither the office nor a unit
RECEIVED = ["received", "--period", "2022-06", "--dept", "东坑镇"]
JUNE = Period.parse("2022-06")


def _mail(sender: str, to: str, subject: str, date: str, body: str, data: bytes | None = None,
          inner: EmailMessage | None = None) -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Date"] = sender, to, subject, date
    m.set_content(body)
    if data is not None:
        m.add_attachment(data, *XLSX, filename=NAME)
    if inner is not None:
        m.add_attachment(inner)
    return m


def _internal(data: bytes) -> EmailMessage:
    """The clerk's mail to the head, 4 July 16:00, the return attached."""
    return _mail("张科员 <zhang@dongkeng.example.cn>", HEAD, SUBJECT, "Mon, 04 Jul 2022 16:00:00 +0800",
                 "李主任：6月进展已填好，请审核后报市里。", data)


def _forward(inner: EmailMessage, date: str = "Thu, 07 Jul 2022 09:00:00 +0800") -> bytes:
    """The head's forward of ``inner`` to the office, as an attachment."""
    return _mail(HEAD, DUBAN, "转发：" + SUBJECT, date, "审核通过，转督查室。", inner=inner).as_bytes()


def _twice(data: bytes) -> bytes:
    """A forward of a forward: the head to the office (7 July) of the clerk's forward to the head
    (6 July) of the clerk's own mail to a colleague (4 July)."""
    first = _mail("张科员 <zhang@dongkeng.example.cn>", "王五 <wang@dongkeng.example.cn>", SUBJECT,
                  "Mon, 04 Jul 2022 16:00:00 +0800", "请核对。", data)
    middle = _mail("张科员 <zhang@dongkeng.example.cn>", HEAD, "转发：" + SUBJECT, "Wed, 06 Jul 2022 10:00:00 +0800",
                   "已核对，请审核。", inner=first)
    return _forward(middle)


def _line(when: str = "2022-07-04 16:00", forward: str = "2022-07-07 09:00") -> str:
    return f"请核实：{NAME}：" + on_time_on_forward("东坑镇", when, forward, dt.date(2022, 7, 5), JUNE)


def _collect(ws, make_return, collecting_on, run, mail: bytes):
    collecting_on(dt.date(2022, 7, 8))
    drop(ws, "转发.eml", mail)
    return run(["collect"], cwd=ws.root)


@pytest.mark.parametrize("how", ["attached", "forward of a forward"])
def test_the_question_is_kept_until_answered(issued_ws, make_return, collecting_on, run, how):
    ws = issued_ws
    data = make_return("东坑镇", **{"1_2": DONE})
    collected = _collect(ws, make_return, collecting_on, run, _forward(_internal(data)) if how == "attached"
                         else _twice(data))
    line = _line()
    assert line in [x.strip() for x in collected.output.splitlines()], collected.output
    assert collected.output.count("东坑镇按被转发的原邮件的发送时间") == 1, collected.output  # said once
    assert "duban received --period 2022-06 --dept 东坑镇 --on 2022-07-07" in line
    assert state(ws, "东坑镇") == UnitState.ON_TIME
    # asked again on every screen: status, merge, 5-逐条核实
    assert status_notes(run, ws) == (1, [line], [])
    merged = run(["merge"], cwd=ws.root)
    assert line in merged.output and merged.exit_code == 1, merged.output
    [q] = [q for q in open_questions(ws, JUNE).asked if q.kind is Kind.FILE_TIME]
    assert (q.unit, q.wants_day, q.stated) == ("东坑镇", 0, dt.date(2022, 7, 7))
    assert "转发邮件到督办部门的时间是 2022-07-07 09:00" in q.facts
    # not the office's: timed by the forward, 逾期; said instead of asked
    done = answer(ws, q, 1)
    assert done.changed and "2022-07-07" in done.lines[0], done.lines
    assert state(ws, "东坑镇") == UnitState.LATE
    code, notes, told = status_notes(run, ws)
    assert (code, notes) == (0, []) and len(told) == 1 and "按督办部门指定的收到日期 2022-07-07" in told[0], told
    # taken back: asked again
    assert run([*RECEIVED, "--undo"], cwd=ws.root).exit_code == 0
    assert status_notes(run, ws) == (1, [line], [])
    assert state(ws, "东坑镇") == UnitState.ON_TIME
    # the office's own: 按时 stands, said
    confirmed = run([*RECEIVED, "--confirm"], cwd=ws.root)
    assert confirmed.exit_code == 0 and "无误；东坑镇 计为按时报送" in confirmed.output, confirmed.output
    code, notes, told = status_notes(run, ws)
    assert (code, notes) == (0, []) and len(told) == 1, (notes, told)
    assert "计为按时报送" in told[0] and "督办部门已确认原邮件是发给督办部门的" in told[0], told
    assert state(ws, "东坑镇") == UnitState.ON_TIME
    assert [q for q in open_questions(ws, JUNE).asked if q.kind is Kind.FILE_TIME] == []


def test_the_memo_asks_it_too(issued_ws, make_return, collecting_on, run):
    ws = issued_ws
    _collect(ws, make_return, collecting_on, run, _forward(_internal(make_return("东坑镇", **{"1_2": DONE}))))
    memo = run(["memo"], cwd=ws.root)
    assert _line() in memo.output, memo.output


def test_a_forward_by_the_deadline_asks_nothing(issued_ws, make_return, collecting_on, run):
    ws = issued_ws
    data = make_return("东坑镇", **{"1_2": DONE})
    collected = _collect(ws, make_return, collecting_on, run,
                         _forward(_internal(data), "Tue, 05 Jul 2022 09:00:00 +0800"))
    assert "东坑镇按被转发的原邮件的发送时间" not in collected.output, collected.output
    assert status_notes(run, ws) == (0, [], [])
    assert state(ws, "东坑镇") == UnitState.ON_TIME


def test_an_inline_forward_is_asked_as_a_late_on_the_forward(issued_ws, make_return, collecting_on, run):
    """Pasted, not attached: the file is the forward's own attachment, timed by the forward (逾期),
    asked as a 逾期 on a weak mail time is (QA234)."""
    ws = issued_ws
    data = make_return("东坑镇", **{"1_2": DONE})
    body = ("审核通过，转督查室。\n\n-------- 转发的邮件 --------\n发件人：张科员 <zhang@dongkeng.example.cn>\n"
            "发送时间：2022年7月4日 16:00\n收件人：李主任 <li@dongkeng.example.cn>\n主题：" + SUBJECT
            + "\n\n李主任：6月进展已填好，请审核后报市里。")
    mail = _mail(HEAD, DUBAN, "转发：" + SUBJECT, "Thu, 07 Jul 2022 09:00:00 +0800", body, data).as_bytes()
    collected = _collect(ws, make_return, collecting_on, run, mail)
    assert "东坑镇按转发邮件的发送时间（2022-07-07 09:00）计为逾期报送" in collected.output, collected.output
    code, notes, _ = status_notes(run, ws)
    assert code == 1 and len(notes) == 1 and "东坑镇按转发邮件的发送时间（2022-07-07 09:00）计为逾期报送" in notes[0]
    assert state(ws, "东坑镇") == UnitState.LATE
    assert run([*RECEIVED, "--on", "2022-07-04"], cwd=ws.root).exit_code == 0
    assert state(ws, "东坑镇") == UnitState.ON_TIME


def test_a_forward_collected_before_its_time_was_kept_is_asked_by_the_mail_above_it(
        issued_ws, make_return, collecting_on, run):
    """Collected before collect kept the forward's time (`ledger.time_basis`): the mail above the
    file in the ledger says it (the reviewer's month, collected before QA374)."""
    import sqlite3

    ws = issued_ws
    _collect(ws, make_return, collecting_on, run, _twice(make_return("东坑镇", **{"1_2": DONE})))
    with sqlite3.connect(ws.ledger_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM weak_times WHERE kind='forwarded'").fetchone()[0] >= 1
        conn.execute("DELETE FROM weak_times")
    conn.close()
    assert status_notes(run, ws) == (1, [_line()], [])
