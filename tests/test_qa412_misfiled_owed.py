"""QA412: the paths that read a month through the ledger agree with status about a unit whose
text came on another unit's form (QA405).

石排镇 filled in 石碣镇's form; the office answered ``sender --dept 石碣镇 --not-theirs`` and status
made 石排镇 退回待改 (the file is its refused return). But collect, on its blank form sent back,
said "石排镇仍计为未报送"; on a mail from it with no file, "该单位暂计为未报送"; and
``remind --attach`` gave it the blank form beside "请按校验反馈修改后重新报送", not the form its reply
pre-filled. Each now reads the unit's returns as consolidate counts them (`misfiled_owed`).
"""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from conftest import PERIOD, drop, issued_path, on_time, set_clock, shanghai
from test_evidence import mail

from toolkit.actions.collect import collect
from toolkit.actions.remind import write_reminders
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger, answers
from toolkit.misfiled_owed import answered, misfiled_returns, returns_of
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow  # each plays a month

FILE = "石排镇6月.xlsx"
SJ, SP = "石碣镇", "石排镇"
REPLY = "反馈/2022年6月/2022-07-08/石排镇_校验反馈.eml"


def _wrong_form(ws, make_return, monkeypatch, run) -> None:
    """石排镇's text on 石碣镇's form, sent as 石排镇6月.xlsx on 4 July, collected on the 8th
    (as tests/test_qa356_disowned_w206.py plays it)."""
    drop(ws, FILE, make_return(SJ, Filling(default=Answer(work="石排镇本月推进情况。"))), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=ws.root)


def _answer(ws, run, monkeypatch, *how: str, day: dt.date = dt.date(2022, 7, 8)):
    """``sender --dept 石碣镇`` ``how`` (``--not-theirs``), answered on ``day`` at 18:00 Beijing time."""
    set_clock(monkeypatch, day)
    at = dt.datetime.combine(day, dt.time(18), tzinfo=ZoneInfo("Asia/Shanghai")).astimezone().replace(tzinfo=None)
    monkeypatch.setattr(answers, "answered_now", lambda: at.isoformat(sep=" ", timespec="microseconds"))
    return run(["sender", "--period", "2022-06", "--dept", SJ, *(how or ("--not-theirs",))], cwd=ws.root)


@pytest.fixture
def answered_ws(issued_ws, make_return, monkeypatch, run):
    """The month up to the answer: 石排镇 stands 退回待改 on the file, its reply written."""
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    done = _answer(issued_ws, run, monkeypatch)
    assert done.exit_code == 0, done.output
    units = {u.unit: u.state for u in consolidate(issued_ws, PERIOD, tasks=False).units}
    assert (units[SP], units[SJ]) == (UnitState.TO_FIX, UnitState.NOT_REPORTED)
    return issued_ws


def _said(result, name: str) -> list[str]:
    return [text for n, text in result.disputed if n == name]


def test_its_blank_form_sent_back_leaves_it_sent_back(answered_ws, monkeypatch):
    ws = answered_ws
    blank = issued_path(ws, SP)
    drop(ws, "石排镇报送.eml", mail([(blank.name, blank.read_bytes())], sender="sp@example.cn"))
    set_clock(monkeypatch, dt.date(2022, 7, 11))
    assert _said(collect(ws), blank.name) == [
        f"{SP}发来的“{blank.name}”是下发的原表，没有填写（与下发的文件完全相同），不计入报送，"
        f"{SP}仍为退回待改；请提醒该单位按退回意见修改后重新报送。"]


def test_a_mail_with_no_file_is_not_said_to_leave_it_unreported(answered_ws, monkeypatch):
    """As for any unit with a refused return: nothing to ask. 石碣镇, whose file it no longer is,
    is still asked about, as before."""
    ws = answered_ws
    drop(ws, "石排镇来信.eml", mail([], sender="sp@example.cn", subject="石排镇6月进展稍后补报"))
    drop(ws, "石碣镇来信.eml", mail([], sender="sj@example.cn", subject="石碣镇6月进展稍后补报"))
    set_clock(monkeypatch, dt.date(2022, 7, 11))
    result = collect(ws)
    assert _said(result, "石排镇来信.eml") == []
    assert _said(result, "石碣镇来信.eml") == [
        "石碣镇的邮件“石碣镇6月进展稍后补报”（sj@example.cn，2022-07-04 16:20）没有附件，不是填报表，2022年6月该单位仍计为"
        "未报送。如正文中有填报表的下载链接，请下载后放入收件箱，再运行 duban collect --received 2022-07-04（按这封邮件的"
        "日期计报送时间；或双击“2-收取并汇总”，计为逾期的再双击“5-逐条核实”填写这一日期）；否则请该单位以附件重新报送。"]


def test_remind_attach_gives_it_the_form_its_reply_prefilled(answered_ws, monkeypatch):
    ws = answered_ws
    set_clock(monkeypatch, dt.date(2022, 7, 12))
    result = write_reminders(ws, PERIOD, attach=True)
    path = next(p for p, (u, _) in zip(result.files, result.units) if u == SP)
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert [(a.get_filename(), a.get_content()) for a in msg.iter_attachments()] == [
        ("石排镇_校验反馈.xlsx", (ws.root / REPLY).with_suffix(".xlsx").read_bytes())]
    body = msg.get_body(("plain",)).get_content()
    assert "空白填报表" not in body and "校验反馈" in body, body
    # 石碣镇, 未报送 now, gets its blank form as before
    other = next(p for p, (u, _) in zip(result.files, result.units) if u == SJ)
    names = [a.get_filename() for a in message_from_bytes(other.read_bytes(), policy=policy.default).iter_attachments()]
    assert names == [issued_path(ws, SJ).name]


def test_the_helper_reads_the_file_as_the_named_units_refused_return(answered_ws, make_return, monkeypatch, run):
    ws = answered_ws
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        cons = consolidate(ws, PERIOD, tasks=False)
        (mine,) = misfiled_returns(ledger, cons.master, PERIOD, (SP,))
        assert (mine.name, mine.unit, mine.outcome) == (FILE, SP, "退回")
        assert [r.name for r in returns_of(ledger, cons.master, PERIOD, (SP,))] == [FILE]
        assert answered(ledger, cons.master, (SP,), PERIOD).id == mine.id
        assert misfiled_returns(ledger, cons.master, PERIOD, (SJ,)) == []
        assert returns_of(ledger, cons.master, PERIOD, (SJ,)) == []
    # its resend on its own form is the latest: the reply about it, if any, is about that one
    own = f"{PERIOD.label}_石排镇_进展填报表.xlsx"
    drop(ws, own, make_return(SP, Filling(default=Answer(work="石排镇本月推进情况。"))),
         shanghai(dt.datetime(2022, 7, 11, 9)))
    set_clock(monkeypatch, dt.date(2022, 7, 11))
    run(["collect"], cwd=ws.root)
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        cons = consolidate(ws, PERIOD, tasks=False)
        assert [r.name for r in returns_of(ledger, cons.master, PERIOD, (SP,))] == [FILE, own]
        assert answered(ledger, cons.master, (SP,), PERIOD).name == own
    # taken back, the file is 石碣镇's again and no return of 石排镇's
    assert _answer(ws, run, monkeypatch, "--undo").exit_code == 0
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        assert misfiled_returns(ledger, cons.master, PERIOD, (SP,)) == []


def test_a_ledger_with_no_answer_is_read_with_one_query(issued_ws):
    statements: list[str] = []
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        ledger.conn.set_trace_callback(statements.append)
        assert misfiled_returns(ledger, None, PERIOD, (SP,)) == []  # the master is never read
        ledger.conn.set_trace_callback(None)
    assert statements == [answers.DISOWNED]
