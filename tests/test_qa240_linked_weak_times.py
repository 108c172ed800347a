"""QA240: a return downloaded from a mail's link is timed as weakly as that mail's attachment.

A file the office downloads from a mail's 超大附件 link takes that mail's time (`downloads`), but
not why that time may not be when the department sent it: the Date of a mail forwarded inline
(转发：, a colleague passing the link on days later), the forward's time where the linking mail
was forwarded (as an .eml) without a Date of its own, or the mailbox's receive time (IMAP
INTERNALDATE) beside the mail's own Date on time. An attachment of the same mail is asked about
when the unit stands 逾期 on that alone (QA234, tests/test_qa234_weak_mail_times.py); the
download was named 逾期 with nothing said. Now it carries the mail's weak kind, read from the
mail when both come in one collect, or from what collect kept of it by receipt (``weak_times``)
when the file is downloaded after the mail was collected: asked, kept and answered alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email.message import EmailMessage

import pytest
from conftest import drop, shanghai, status_notes
from test_evidence import mail, receipts, state
from test_mail_fetch import DONE, july
from test_qa87_cloud_attachments import QQ_NAME, cloud_mail, qq_html, qq_text

from toolkit.ledger import Ledger
from toolkit.ledger.mail_records import FETCHED, MailRecords
from toolkit.ledger.time_basis import weak_times
from toolkit.vocab import TimeSource, UnitState

pytestmark = pytest.mark.slow  # run in CI, out of the quick loop: each plays collect, status and answers

RECEIVED = ["received", "--period", "2022-06", "--dept", "东坑镇"]
ASK = ("如实际按时收到，请运行 duban received --period 2022-06 --dept 东坑镇 --on 收到日期，按收到日期计报送时间；"
       "如按{how}计为逾期报送无误，请运行 duban received --period 2022-06 --dept 东坑镇 --confirm，此提示即不再出现。也可双击“5-逐条核实”逐条回答。")
SUBJECT = "东坑镇2022年6月工作进展报送"


def _note(how: str, when: str, but: str) -> str:
    return (f"请核实：{QQ_NAME}：东坑镇按{how}（{when}）计为逾期报送（截止 2022-07-05）{but}；{how}可能晚于单位实际报送的时间。"
            + ASK.format(how=how))


def _inline(ws) -> None:
    """东坑镇's link, forwarded inline by a colleague on 8 July 09:10 (its own Date unknown)."""
    drop(ws, "转发.eml", cloud_mail("王五 <wang@dg.example.cn>", "转发：" + SUBJECT, july(8, 9, 10),
                                  qq_html(), qq_text()))


def _eml_no_date(ws) -> None:
    """东坑镇's link mail (no Date of its own), saved as an .eml and forwarded on 8 July 09:00."""
    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = "东坑镇党政办 <dk@dg.gov.cn>", "duban@dg.gov.cn", SUBJECT
    inner.set_content(qq_text())
    inner.add_alternative(qq_html(), subtype="html")
    drop(ws, "转发.eml", mail([("东坑镇报送.eml", inner.as_bytes())], sender="wang@dg.example.cn",
                            subject="东坑镇报送", date="Fri, 08 Jul 2022 09:00:00 +0800"))


def _mailbox(ws, sent: int = 4) -> None:
    """东坑镇's own link mail of ``sent`` July 16:20, in the mailbox on 7 July 10:00 (`duban mail fetch`)."""
    eml = cloud_mail("东坑镇党政办 <dk@dg.gov.cn>", SUBJECT, july(sent, 16, 20), qq_html(), qq_text())
    drop(ws, "dk.eml", eml)
    with Ledger(ws.ledger_path) as ledger:
        MailRecords(ledger.conn).record_fetch(
            account="duban@dg.gov.cn", folder="INBOX", uidvalidity=1, uid=7, message_id="<dk-1@qq.com>",
            internaldate=july(7, 10, 0), size=len(eml), sender="东坑镇党政办 <dk@dg.gov.cn>", subject=SUBJECT,
            state=FETCHED, fetched_at="2022-07-07T18:00:00+08:00", inbox_name="dk.eml",
            sha256=hashlib.sha256(eml).hexdigest(), after_fetch="keep")


def _direct(day: int):
    def play(ws) -> None:
        """东坑镇's own link mail, sent on ``day`` July."""
        drop(ws, "东坑镇.eml", cloud_mail("东坑镇党政办 <dk@dg.gov.cn>", SUBJECT, july(day), qq_html(), qq_text()))
    return play


WEAK = {
    "inline": (_inline, TimeSource.MAIL, "inline",
               _note("转发邮件的发送时间", "2022-07-08 09:10", "，原邮件是转发的，其发送时间不详")),
    "forwarded .eml without a Date": (
        _eml_no_date, TimeSource.MAIL, "forward",
        _note("转发邮件的发送时间", "2022-07-08 09:00", "，被转发的原邮件没有可用的发送时间")),
    "mailbox": (_mailbox, TimeSource.MAILBOX, "mailbox",
                _note("邮箱收到时间", "2022-07-07 10:00", "，但邮件自身的发送时间是 2022-07-04 16:20")),
}


def _played(ws, make_return, collecting_on, run, mailed, apart: bool):
    """The link mail ``mailed``, and the file the office downloaded from it on 9 July 11:00:
    collected together, or (``apart``) the mail on 8 July and the download on 9 July."""
    if apart:
        collecting_on(dt.date(2022, 7, 8))
        mailed(ws)
        run(["collect"], cwd=ws.root)
    else:
        mailed(ws)
    collecting_on(dt.date(2022, 7, 9))
    drop(ws, QQ_NAME, make_return("东坑镇", **{"1_2": DONE}), mtime=shanghai(dt.datetime(2022, 7, 9, 11, 0)))
    return run(["collect"], cwd=ws.root)


def _download(ws):
    return next(r for r in receipts(ws) if r.name == QQ_NAME)


@pytest.mark.parametrize("apart", [False, True], ids=["one collect", "downloaded later"])
@pytest.mark.parametrize("case", list(WEAK))
def test_a_download_late_on_its_mails_weak_time_is_asked_until_answered(
        issued_ws, make_return, collecting_on, run, case, apart):
    ws = issued_ws
    mailed, source, kind, note = WEAK[case]
    collected = _played(ws, make_return, collecting_on, run, mailed, apart)
    rec = _download(ws)
    assert (rec.unit, rec.received_how) == ("东坑镇", source), rec
    assert "超大附件链接下载" in rec.note
    with Ledger(ws.ledger_path) as ledger:
        assert weak_times(ledger.conn)[rec.id][0] == kind  # kept by receipt, as an attachment's is
    # said by collect, then asked on every screen: not named 逾期 with nothing said
    assert collected.exit_code == 1 and "  " + note in collected.output.splitlines(), collected.output
    assert status_notes(run, ws) == (1, [note], [])
    assert state(ws, "东坑镇") == UnitState.LATE
    how, when = note.split("东坑镇按", 1)[1].split("（", 1)[0], note.split("（", 1)[1][:16]
    # answered by the day the office got it: settled, 按时, said instead
    stated = run([*RECEIVED, "--on", "2022-07-04"], cwd=ws.root)
    assert stated.exit_code == 0, stated.output
    assert stated.stdout.splitlines()[0] == (
        f"已记录：东坑镇 2022年6月的“{QQ_NAME}”（{how} {when}）实际于 2022-07-04 收到，按该日期计报送时间；"
        f"东坑镇 由逾期报送（报送时间 {when}）改计为按时报送（报送时间 2022-07-04 00:00）。")
    code, notes, told = status_notes(run, ws)
    assert (code, notes) == (0, [])
    assert told == [f"已核实：东坑镇 2022年6月的“{QQ_NAME}”（{source} {when}）按督办部门指定的收到日期 2022-07-04 "
                    f"计报送时间（{told[0].split('计报送时间（')[1][:16]} 记录），东坑镇 计为按时报送"
                    "（报送时间 2022-07-04 00:00）。如需撤销，请双击“5-逐条核实”或运行 duban received --period 2022-06 --dept 东坑镇 --undo"]
    assert state(ws, "东坑镇") == UnitState.ON_TIME
    # --undo: asked again; --confirm: 逾期 stands, said instead
    assert run([*RECEIVED, "--undo"], cwd=ws.root).exit_code == 0
    assert status_notes(run, ws) == (1, [note], [])
    assert run([*RECEIVED, "--confirm"], cwd=ws.root).exit_code == 0
    code, notes, told = status_notes(run, ws)
    assert (code, notes, len(told)) == (0, [], 1) and told[0].startswith(f"已核实：东坑镇 2022年6月的“{QQ_NAME}”按{how}")
    assert state(ws, "东坑镇") == UnitState.LATE


@pytest.mark.parametrize("apart", [False, True], ids=["one collect", "downloaded later"])
@pytest.mark.parametrize("day, verdict", [(4, UnitState.ON_TIME), (8, UnitState.LATE)], ids=["on time", "late"])
def test_a_download_from_a_units_own_mail_is_timed_by_its_date_and_asks_nothing(
        issued_ws, make_return, collecting_on, run, apart, day, verdict):
    ws = issued_ws
    collected = _played(ws, make_return, collecting_on, run, _direct(day), apart)
    rec = _download(ws)
    assert (rec.unit, rec.received_at[:16], rec.received_how) == ("东坑镇", f"2022-07-0{day} 09:30", TimeSource.MAIL)
    with Ledger(ws.ledger_path) as ledger:
        assert rec.id not in weak_times(ledger.conn)
    assert "请核实" not in collected.output, collected.output
    assert status_notes(run, ws) == (0, [], [])
    assert state(ws, "东坑镇") == verdict


def test_a_download_from_a_mailbox_time_beside_a_late_date_asks_nothing(issued_ws, make_return, collecting_on, run):
    """The mailbox's time is weak only beside a Date on time: the department's own late Date stands."""
    ws = issued_ws
    collected = _played(ws, make_return, collecting_on, run, lambda ws: _mailbox(ws, 6), False)
    assert _download(ws).received_how == TimeSource.MAILBOX
    assert "请核实" not in collected.output, collected.output
    assert status_notes(run, ws) == (0, [], [])
    assert state(ws, "东坑镇") == UnitState.LATE
