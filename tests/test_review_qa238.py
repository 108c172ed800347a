"""Review qa238: wrong verdicts hunted around verify, weak mail times and mails too big.

1. A mail too big to fetch whose sender and subject name no unit, reaching the mailbox before
   the deadline, was asked about only while a unit stood 未报送. The unit that sent it (张伟
   from his own 163.com box), asked to resend a slim copy, did so after the deadline: it stood
   逾期, no unit 未报送, and the question was dropped with exit 0; the 通报 named it 逾期 for a
   return that reached the mailbox on time. A unit of the mail's known sender is asked in that
   case (tests/test_qa190_double_click.py); so is one of an unknown sender now.
2. A unit's mail too big was taken as answered by any return it sent after it, of any month:
   its July return dropped the question about its June mail while June named it 未报送. Now
   only a return of the month, or of the month before whose weeks the mail came in too.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import issued_path, set_clock
from test_evidence import clean, mail, state
from test_qa190_double_click import CST, JULY, july_issued, too_big

from toolkit.actions.collect import collect
from toolkit.actions.verify import Kind, open_questions
from toolkit.filling import fill_return
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow  # run in CI, out of the quick loop: each plays collect and status

ZHANG = "zhang.wei@163.com"


def _notes(run, ws) -> tuple[int, list[str]]:
    status = run(["status", "--period", "2022-07", "--format", "json"], cwd=ws.root)
    return status.exit_code, [n for n in json.loads(status.stdout)["notes"] if ZHANG in n]


def _july(ws, monkeypatch, unit: str, box: str, date: str) -> None:
    from conftest import drop

    drop(ws, f"{unit}7月.eml", mail([(f"{unit}7月进展.xlsx", fill_return(issued_path(ws, unit, JULY), clean()))],
                                   sender=f"{box}@dg.gov.cn", subject=f"{unit}7月进展", date=date))


def test_a_unit_late_after_a_too_big_mail_of_no_known_unit_came_by_its_deadline_is_asked(
        issued_ws, monkeypatch, run):
    july_issued(issued_ws, monkeypatch)  # 石碣镇 and 石龙镇, due 5 August
    too_big(issued_ws, dt.datetime(2022, 8, 2, 10, 0, tzinfo=CST), sender=ZHANG, subject="7月进展填报表")
    _july(issued_ws, monkeypatch, "石碣镇", "sj", "Wed, 03 Aug 2022 09:00:00 +0800")
    _july(issued_ws, monkeypatch, "石龙镇", "sl", "Mon, 08 Aug 2022 09:00:00 +0800")  # resent slim, late
    set_clock(monkeypatch, dt.date(2022, 8, 9))
    collect(issued_ws, JULY)
    assert state(issued_ws, "石碣镇", "2022-07") == UnitState.ON_TIME
    assert state(issued_ws, "石龙镇", "2022-07") == UnitState.LATE
    assert _notes(run, issued_ws) == (1, [
        "请核实：2022年7月有 1 个单位计为逾期报送（石龙镇），但邮箱中有邮件“7月进展填报表”"
        f"（{ZHANG}，1.8 MB，2022-08-02 10:00 收到），在其报送截止前已到达邮箱，因超过大小上限（duban.toml 的 max_file_mb）"
        "没有下载；发件地址不在单位名录中，主题也没有写明单位，可能是其中某个单位的报送（是逾期报送单位的，该单位实为按时报送）。"
        "请在邮箱中打开这封邮件核实：如是某单位的填报表，请把它下载后放进收件箱，运行 duban collect --received 2022-08-02"
        "（按邮件收到的日期计报送时间；或双击“5-逐条核实”逐条回答），再重新汇总和生成通报。打开核实后（不是报送的无需办理，是报送的按上述办理），"
        '请运行 duban mail checked "2022-08-02 10:00"，此提示即不再出现。'])
    (q,) = open_questions(issued_ws, JULY).asked
    assert q.kind == Kind.BIG_MAIL and q.unit == ""
    # checked: asked no more
    checked = run(["mail", "checked", "2022-08-02 10:00"], cwd=issued_ws.root)
    assert checked.exit_code == 0, checked.output
    assert _notes(run, issued_ws) == (0, [])


def test_a_too_big_mail_after_the_late_units_deadline_asks_nothing(issued_ws, monkeypatch, run):
    july_issued(issued_ws, monkeypatch)
    too_big(issued_ws, dt.datetime(2022, 8, 6, 10, 0, tzinfo=CST), sender=ZHANG, subject="7月进展填报表")
    _july(issued_ws, monkeypatch, "石碣镇", "sj", "Wed, 03 Aug 2022 09:00:00 +0800")
    _july(issued_ws, monkeypatch, "石龙镇", "sl", "Mon, 08 Aug 2022 09:00:00 +0800")
    set_clock(monkeypatch, dt.date(2022, 8, 9))
    collect(issued_ws, JULY)
    assert state(issued_ws, "石龙镇", "2022-07") == UnitState.LATE
    assert _notes(run, issued_ws) == (0, [])


def _june_notes(run, ws) -> tuple[int, list[str]]:
    status = run(["status", "--period", "2022-06", "--format", "json"], cwd=ws.root)
    return status.exit_code, [n for n in json.loads(status.stdout)["notes"] if "石龙镇 在2022年6月计为未报送" in n]


def test_a_units_return_of_another_month_does_not_answer_its_too_big_mail(issued_ws, monkeypatch, run):
    """2. 石龙镇's June return came on 4 July in a mail too big to fetch; on 3 August it sent
    its July return. June, merged again (another unit's 补报), dropped the question: the July
    return, read after the mail, was taken as the June one resent, and 石龙镇 stood 未报送 unasked."""
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    code, said = _june_notes(run, issued_ws)
    assert code == 1 and len(said) == 1
    july_issued(issued_ws, monkeypatch)
    _july(issued_ws, monkeypatch, "石龙镇", "sl", "Wed, 03 Aug 2022 09:00:00 +0800")
    set_clock(monkeypatch, dt.date(2022, 8, 4))
    collect(issued_ws, JULY)
    assert state(issued_ws, "石龙镇", "2022-07") == UnitState.ON_TIME
    assert state(issued_ws, "石龙镇") == UnitState.NOT_REPORTED
    assert _june_notes(run, issued_ws) == (code, said)
