"""QA234: a unit 逾期 on a weak time a mail gave is asked about until the office answers.

Every `TimeSource` a receipt can keep, played so that 石龙镇 ends 逾期 (截止 7月5日) on it alone:

* 文件修改时间 (MTIME): asked on every screen since QA216 (tests/test_qa216_weak_times.py).
* 邮件发送时间 (MAIL) of a mail forwarded inline (转发：), or of a forward whose forwarded message
  has no usable Date (none, or one later than the forward: capped, `evidence.cap_at_carrier`),
  and 邮箱收到时间 (MAILBOX, IMAP INTERNALDATE) while the mail's own Date is by the deadline:
  collect said so once, then status, merge and memo said nothing (exit 0) and the 通报 named
  石龙镇 逾期. Now asked as a file's time is (exit 1), answered by ``duban received``.
* Not asked, the 逾期 being the department's own clock or the office's word: a mail's own
  Date, a forwarded message's own Date (FORWARDED: the forward came later still), the mailbox's
  time beside a Date late too, a date stated (STATED). DOUBTFUL decides no 逾期 (W207) and
  CARRIER is never kept (a file takes its carrier's source).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from email.message import EmailMessage

import pytest
from conftest import drop, set_clock
from test_evidence import clean, mail
from test_qa210_mail import OFFICE, TOWN, XLSX, with_office

from toolkit.ledger import Ledger
from toolkit.ledger.mail_records import FETCHED, MailRecords
from toolkit.vocab import TimeSource, UnitState

pytestmark = pytest.mark.slow  # run in CI, out of the quick loop: each plays collect, status, merge, memo

CST = dt.timezone(dt.timedelta(hours=8))
RECEIVED = ["received", "--period", "2022-06", "--dept", "石龙镇"]
ASK = ("如实际按时收到，请运行 duban received --period 2022-06 --dept 石龙镇 --on 收到日期，按收到日期计报送时间；"
       "如按{how}计为逾期报送无误，请运行 duban received --period 2022-06 --dept 石龙镇 --confirm，此提示即不再出现。也可双击“5-逐条核实”逐条回答。")


def _note(name: str, how: str, when: str, but: str) -> str:
    return (f"请核实：{name}：石龙镇按{how}（{when}）计为逾期报送（截止 2022-07-05）{but}；{how}可能晚于单位实际报送的时间。"
            + ASK.format(how=how))


def _forward(data: bytes, inner_date: str | None) -> bytes:
    """石龙镇's mail to the office, forwarded (as message/rfc822) by its own office on 8 July 09:00."""
    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = f"石龙镇 <{TOWN}>", OFFICE, "石龙镇6月进展填报表"
    if inner_date:
        inner["Date"] = inner_date
    inner.set_content("请查收。")
    inner.add_attachment(data, *XLSX, filename="石龙镇.xlsx")
    m = EmailMessage()
    m["From"], m["To"] = f"石龙镇办公室 <{TOWN}>", OFFICE
    m["Subject"], m["Date"] = "石龙镇报送", "Fri, 08 Jul 2022 09:00:00 +0800"
    m.set_content("见附件。")
    m.add_attachment(inner)
    return m.as_bytes()


def _fetched(ws, data: bytes, internaldate: dt.datetime) -> None:
    """What `mail fetch` records of the mail stored in 收件箱 (its INTERNALDATE)."""
    with Ledger(ws.ledger_path) as ledger:
        MailRecords(ledger.conn).record_fetch(
            account="duban@dg.gov.cn", folder="INBOX", uidvalidity=1, uid=7, message_id="<sl-1@dg.gov.cn>",
            internaldate=internaldate, size=len(data), sender=f"石龙镇 <{TOWN}>", subject="报送", state=FETCHED,
            fetched_at="2022-07-07T18:00:00+08:00", inbox_name="sl.eml", sha256=hashlib.sha256(data).hexdigest(),
            after_fetch="keep")


def _inline(ws, data):
    drop(ws, "转发.eml", mail([("石龙镇.xlsx", data)], sender="wang@dg.example.cn",
                            subject="转发：石龙镇6月进展报送", date="Fri, 08 Jul 2022 09:10:00 +0800"))


def _no_date(ws, data):
    drop(ws, "转发.eml", _forward(data, None))


def _capped(ws, data):  # its own Date 8 July 20:00, after the forward of 09:00 that carried it
    drop(ws, "转发.eml", _forward(data, "Fri, 08 Jul 2022 20:00:00 +0800"))


def _mailbox(ws, data, sent: str = "Mon, 04 Jul 2022 16:20:00 +0800"):
    eml = mail([("石龙镇.xlsx", data)], sender=TOWN, date=sent)
    drop(ws, "sl.eml", eml)
    _fetched(ws, eml, dt.datetime(2022, 7, 7, 10, 0, tzinfo=CST))  # a server's queue, a client's upload


WEAK = {
    "inline": (_inline, TimeSource.MAIL, _note("石龙镇.xlsx", "转发邮件的发送时间", "2022-07-08 09:10",
                                              "，原邮件是转发的，其发送时间不详")),
    "no inner Date": (_no_date, TimeSource.MAIL, _note("石龙镇.xlsx", "转发邮件的发送时间", "2022-07-08 09:00",
                                                      "，被转发的原邮件没有可用的发送时间")),
    "capped": (_capped, TimeSource.MAIL, _note("石龙镇.xlsx", "转发邮件的发送时间", "2022-07-08 09:00",
                                              "，被转发的原邮件的发送时间（2022-07-08 20:00）晚于转发邮件，不可用")),
    "mailbox": (_mailbox, TimeSource.MAILBOX, _note("石龙镇.xlsx", "邮箱收到时间", "2022-07-07 10:00",
                                                   "，但邮件自身的发送时间是 2022-07-04 16:20")),
}


def _played(ws, make_return, monkeypatch, run, how):
    ws = with_office(ws)
    how(ws, make_return("石龙镇", clean()))
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    collected = run(["collect"], cwd=ws.root)
    return ws, collected


def _status(run, ws) -> tuple[int, list[str], list[str], dict]:
    status = run(["status", "--format", "json"], cwd=ws.root)
    data = json.loads(status.stdout)
    unit = next(u for u in data["units"] if u["单位"] == "石龙镇") if "units" in data else {}
    return status.exit_code, data["notes"], data["told"], unit


@pytest.mark.parametrize("case", list(WEAK))
def test_a_unit_late_on_a_weak_mail_time_is_asked_on_every_screen_until_answered(
        issued_ws, make_return, monkeypatch, run, case):
    play, source, note = WEAK[case]
    ws, collected = _played(issued_ws, make_return, monkeypatch, run, play)
    # collect's line is the note's: `run` says it once
    assert collected.exit_code == 1 and "  " + note in collected.output.splitlines(), collected.output
    code, notes, told, _ = _status(run, ws)
    assert (code, notes, told) == (1, [note], [])
    for args in (["status"], ["merge"], ["memo", "--format", "md"]):
        said = run(args, cwd=ws.root)
        assert said.exit_code == 1 and note in said.output.splitlines(), (args, said.output)
    how = note.split("石龙镇按", 1)[1].split("（", 1)[0]
    when = note.split("（", 1)[1][:16]
    # --confirm: 逾期 stands, said instead (exit 0)
    confirmed = run([*RECEIVED, "--confirm"], cwd=ws.root)
    assert confirmed.exit_code == 0, confirmed.output
    assert confirmed.stdout.splitlines()[0] == (f"已记录：石龙镇 2022年6月的“石龙镇.xlsx”的{how}（{when}）无误；"
                                                "石龙镇 计为逾期报送（报送时间 " + when + "）。汇总、查看报送情况和生成通报时不再提示。")
    code, notes, told, _ = _status(run, ws)
    but = note.split("（截止 2022-07-05）", 1)[1].split(f"；{how}可能晚于", 1)[0]
    assert (code, notes) == (0, [])
    assert told == [f"已核实：石龙镇 2022年6月的“石龙镇.xlsx”按{how}（{when}）计为逾期报送（截止 2022-07-05）{but}，"
                    f"督办部门已确认该时间无误（{told[0].split('无误（')[1][:16]} 记录）。如需撤销，请双击“5-逐条核实”或运行 duban received "
                    "--period 2022-06 --dept 石龙镇 --undo"]
    # --on: the day stated times the return (按时), said with the mail's own time beside it
    stated = run([*RECEIVED, "--on", "2022-07-04"], cwd=ws.root)
    assert stated.exit_code == 0, stated.output
    assert stated.stdout.splitlines()[0] == (
        f"已记录：石龙镇 2022年6月的“石龙镇.xlsx”（{how} {when}）实际于 2022-07-04 收到，按该日期计报送时间；"
        f"石龙镇 由逾期报送（报送时间 {when}）改计为按时报送（报送时间 2022-07-04 00:00）。")
    code, notes, told, _ = _status(run, ws)
    assert (code, notes) == (0, [])
    assert told == [f"已核实：石龙镇 2022年6月的“石龙镇.xlsx”（{source} {when}）按督办部门指定的收到日期 2022-07-04 "
                    f"计报送时间（{told[0].split('计报送时间（')[1][:16]} 记录），石龙镇 计为按时报送"
                    "（报送时间 2022-07-04 00:00）。如需撤销，请双击“5-逐条核实”或运行 duban received --period 2022-06 --dept 石龙镇 --undo"]
    # --undo: asked again
    assert run([*RECEIVED, "--undo"], cwd=ws.root).exit_code == 0
    assert _status(run, ws)[:3] == (1, [note], [])


def _late_mail(ws, data):
    drop(ws, "来信.eml", mail([("石龙镇.xlsx", data)], sender=TOWN, date="Fri, 08 Jul 2022 09:10:00 +0800"))


def _late_forwarded(ws, data):  # sent to the clerk's own mailbox on 6 July: whom for, not known
    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = f"石龙镇 <{TOWN}>", "张三 <zhangsan@163.com>", "石龙镇6月进展"
    inner["Date"] = "Wed, 06 Jul 2022 09:30:00 +0800"
    inner.set_content("请查收。")
    inner.add_attachment(data, *XLSX, filename="石龙镇.xlsx")
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Date"] = "zhangsan@163.com", OFFICE, "Fwd: 石龙镇", "Thu, 07 Jul 2022 09:00 +0800"
    m.set_content("转发。")
    m.add_attachment(inner)
    drop(ws, "转发.eml", m.as_bytes())


def _mailbox_late_too(ws, data):
    _mailbox(ws, data, sent="Wed, 06 Jul 2022 16:20:00 +0800")


@pytest.mark.parametrize("play, source", [
    (_late_mail, TimeSource.MAIL), (_late_forwarded, TimeSource.FORWARDED), (_mailbox_late_too, TimeSource.MAILBOX),
], ids=["own Date", "forwarded message's own Date", "mailbox beside a late Date"])
def test_a_unit_late_by_its_own_dates_is_not_asked_about(issued_ws, make_return, monkeypatch, run, play, source):
    ws, collected = _played(issued_ws, make_return, monkeypatch, run, play)
    assert "请核实" not in collected.output, collected.output
    code, notes, told, _ = _status(run, ws)
    assert (code, notes, told) == (0, [], [])
    with Ledger(ws.ledger_path) as ledger:
        (r,) = [r for r in ledger.receipts() if r.name == "石龙镇.xlsx"]
        assert r.received_how == source
    from toolkit.consolidate import consolidate
    from toolkit.workspace import find_workspace
    (u,) = [u for u in consolidate(find_workspace(ws.root), "2022-06", tasks=False).units if u.unit == "石龙镇"]
    assert u.state == UnitState.LATE


def test_an_on_time_forward_asks_nothing_though_its_time_is_weak(issued_ws, make_return, monkeypatch, run):
    ws = with_office(issued_ws)
    drop(ws, "转发.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))], sender="wang@dg.example.cn",
                            subject="转发：石龙镇6月进展报送", date="Mon, 04 Jul 2022 09:10:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    assert run(["collect"], cwd=ws.root).exit_code == 0
    assert _status(run, ws)[:3] == (0, [], [])


def test_a_version_16_ledger_gains_the_weak_times_and_asks_nothing_of_its_old_receipts(tmp_path):
    """Migration 17: a ledger collected before it has no rows, so none of its mail times is asked
    about (collect alone read the mails); a receipt recorded after it is."""
    from conftest import ledger_at

    from toolkit.ledger import LATEST, Ledger, schema_version
    from toolkit.ledger.time_basis import INLINE, record_weak_time, weak_times

    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO receipts(id, sha256, name, received_at, collected_at, period, unit, outcome, received_how)"
              " VALUES (7, 'ab', '石龙镇.xlsx', '2022-07-08 09:10:00', '2022-07-08 10:00:00', '2022-06', '石龙镇', '采纳',"
              " '邮件发送时间')")
    ledger_at(path, 16, (insert, ()))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 17
        assert weak_times(ledger.conn) == {}
        record_weak_time(ledger.conn, 7, INLINE, None)
        assert weak_times(ledger.conn) == {7: (INLINE, "")}
