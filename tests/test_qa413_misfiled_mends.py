"""QA413 (QA410's review of QA405, QA407 and QA411): four mends.

The reply an answer ``sender --not-theirs`` owes 石排镇 is written after the answer is in the ledger: a
write that failed (disk full) raised, and 石排镇 stood 退回待改 with no reply while answering again was
refused. Now the failure is said with what to do, and ``mail send feedback --renew`` writes it (F1). A
reply about the file is 石排镇's alone: `unsent_past` held 石碣镇, never replied to, to its date (F2).
collect asks no doubtful refusal the office answered ``received --confirm`` (F3). 石排镇, 退回待改 before
the answer, hears the new reply's draft (F4).
"""

from __future__ import annotations

import datetime as dt
import errno
from types import SimpleNamespace

import pytest
from conftest import PERIOD, drop, set_clock, shanghai
from test_qa356_disowned_w206 import FILE, SP, _at, _state, _status, _wrong_form
from test_qa405_misfiled import _answer

from toolkit import feedback
from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.reply_renew import UNREAD, renew, unsent_past
from toolkit.weak_times import doubted_refusal

pytestmark = pytest.mark.slow  # each plays a month

MERGE_AGAIN = "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。"


def _live(ws) -> list[tuple[str, str]]:
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        return [(d.unit, d.path) for d in ledger.drafts("feedback", PERIOD)]


# F1: a reply the answer could not write is said, and --renew writes it


def test_a_reply_the_answer_could_not_write_is_said_and_renew_writes_it(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(feedback, "write_feedback", full)
        done = _answer(ws, run, monkeypatch)
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == [
        f"已记录：石碣镇 2022年6月的“{FILE}”（{_at(ws)}）不是石碣镇的报送，不再计入石碣镇；石碣镇 由按时报送（报送时间 "
        f"{_at(ws)}）改计为未报送。石排镇：未报送 → 退回待改，请其于2022年7月13日前用本单位的填报表重报。"
        "反馈邮件草稿未能生成（磁盘已满，无法写入“工作区”。请删除不需要的文件、腾出磁盘空间后重新运行）：核实结果已记录，"
        "不必再次核实，问题排除后请运行 duban mail send feedback --period 2022-06 --renew 生成，改报日期从生成之日起算。"
        "汇总、查看报送情况和生成通报时不再提示。", MERGE_AGAIN]
    assert _state(_status(run, ws)[1], SP)[0] == "退回待改" and _live(ws) == []
    # what the line says to run writes it, from its own day
    set_clock(monkeypatch, dt.date(2022, 7, 11))
    assert renew(ws, PERIOD, dry_run=True).written == [(SP, dt.date(2022, 7, 14))] and _live(ws) == []
    done = renew(ws, PERIOD)
    assert (done.written, done.kept) == ([(SP, dt.date(2022, 7, 14))], [])
    assert _live(ws) == [(SP, "反馈/2022年6月/2022-07-11/石排镇_校验反馈.eml")]
    assert consolidate(ws, PERIOD, tasks=False).awaited_by(SP) == dt.date(2022, 7, 14)
    assert renew(ws, PERIOD).written == []  # written, it is owed no more


def test_a_reply_renew_cannot_rebuild_is_said(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)
    assert _answer(ws, run, monkeypatch).exit_code == 0
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        (rec,) = [r for r in ledger.receipts(PERIOD) if r.name == FILE]
    (ws.root / rec.archive_path).unlink()
    set_clock(monkeypatch, dt.date(2022, 7, 20))
    done = renew(ws, PERIOD)
    assert (done.written, done.kept) == ([], [(SP, UNREAD)])


# F2: a reply about the file is the named unit's alone


def test_unsent_past_gives_the_replys_date_to_its_own_unit(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)
    assert _answer(ws, run, monkeypatch).exit_code == 0  # asks by 13 July
    set_clock(monkeypatch, dt.date(2022, 7, 20))
    cons = consolidate(ws, PERIOD, tasks=False)
    with Ledger(ws.ledger_path) as ledger:
        assert unsent_past(ws, ledger, cons, PERIOD) == {SP: dt.date(2022, 7, 13)}  # not 石碣镇 too


# F4: 石排镇 退回待改 before the answer hears the new reply's draft


def test_a_unit_sent_back_before_the_answer_hears_the_new_draft(issued_ws, make_return, monkeypatch, run):
    from test_qa403_doubtful_refusal import WRONG

    ws = issued_ws
    # its own form with an error, sent before the file: both collected on 8 July, its own asked back by the 13th
    drop(ws, f"{PERIOD.label}_石排镇_进展填报表.xlsx", make_return(SP, **WRONG), shanghai(dt.datetime(2022, 7, 4, 9)))
    _wrong_form(ws, make_return, monkeypatch, run)
    assert _state(_status(run, ws)[1], SP)[0] == "退回待改"
    done = _answer(ws, run, monkeypatch)
    reply = "反馈/2022年6月/2022-07-08/石排镇_校验反馈.eml"
    assert done.output.splitlines() == [
        f"已记录：石碣镇 2022年6月的“{FILE}”（{_at(ws)}）不是石碣镇的报送，不再计入石碣镇；石碣镇 由按时报送（报送时间 "
        f"{_at(ws)}）改计为未报送。石排镇 仍为退回待改，请其于2022年7月13日前用本单位的填报表重报"
        f"（反馈邮件草稿：{reply}）。汇总、查看报送情况和生成通报时不再提示。", MERGE_AGAIN]
    assert _live(ws) == [(SP, reply)]  # the reply about the file replaced its own form's (one a unit)



# F3: collect asks no doubtful refusal the office answered


def test_collect_asks_no_doubtful_refusal_the_office_confirmed(issued_ws, make_return, collecting_on, run):
    from conftest import status_notes
    from test_evidence import clean, mail
    from test_qa403_doubtful_refusal import OLD, RECEIVED, _corrected, _refused

    ws, unit = issued_ws, "石龙镇"
    _refused(ws, make_return, collecting_on, unit, OLD, dt.date(2022, 7, 6))  # asks by the 11th
    asked = "此前退回的“石龙镇.xlsx”报送时间存疑"
    assert asked in _corrected(ws, make_return, collecting_on, run, unit, dt.date(2022, 7, 8)).output
    assert run([*RECEIVED, unit, "--confirm"], cwd=ws.root).exit_code == 0
    drop(ws, f"{unit}再改.eml", mail([(f"{unit}再改.xlsx", make_return(unit, clean()))],
                                    date="Sat, 09 Jul 2022 10:00:00 +0800"))
    collecting_on(dt.date(2022, 7, 9))
    again = run(["collect"], cwd=ws.root)
    assert asked not in again.output, again.output
    # nor on the correction itself, as collect asks (`weak_times.doubted_refusal`): status asks no more
    assert status_notes(run, ws)[:2] == (0, [])
    master = ws.load_master()
    with Ledger(ws.ledger_path) as ledger:
        (fixed,) = [r for r in ledger.receipts(PERIOD) if r.name == f"{unit}改.xlsx"]
        it, rep = SimpleNamespace(receipt_id=fixed.id), SimpleNamespace(period=PERIOD, unit=unit)
        assert doubted_refusal(ws, ledger, master, it, rep, {}) == []
