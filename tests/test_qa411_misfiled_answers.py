"""QA411 (QA409's review of QA405): the answer that makes a W206 file the refused (退回) return of the unit
its other evidence named (`misfiled`) refuses it when the office answered, and every change it makes of
that unit's verdict, its date or its reply is said.

石排镇's text came on 石碣镇's form dated 4 July (on time), collected on the 8th; the office answered
``sender --dept 石碣镇 --not-theirs`` later. 石排镇's own return sent late before the answer refused
anything is its own late fix (QA264), 逾期, not 按时 by the date the answer's reply asked (F1). A
``--theirs`` that replaces the 不是 says 石排镇's change as ``--undo`` does (F2). Of two such files the
reply to the one it still stands on is written again when the other's answer is taken back, and an
answer that moves its date says so (F3). 校验问题 gives 石排镇 only what the file says, not 石碣镇's record
(F7). The screen gives the date the reply asks, the file itself late (F8).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from email import message_from_bytes, policy

import pytest
from conftest import PERIOD, drop, late, set_clock, shanghai
from test_qa356_disowned_w206 import FILE, SENDER, SJ, SP, _at, _state, _status, _text, _wrong_form
from test_qa405_misfiled import OWN, _answer

from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger, answers

pytestmark = pytest.mark.slow  # each plays a month

SL = "石龙镇"
MERGE_AGAIN = "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。"


def _own(ws, make_return, run, monkeypatch, sent: dt.datetime, collected: dt.date) -> None:
    """石排镇's own return on its own form, sent ``sent`` (Beijing time), collected on ``collected``."""
    drop(ws, OWN, make_return(SP, _text("石排镇本月推进情况。")), shanghai(sent))
    set_clock(monkeypatch, collected)
    assert run(["collect"], cwd=ws.root).exit_code in (0, 1)


def _sp(ws, run) -> tuple[tuple[str, str], str]:
    """石排镇's 报送状态 and 报送时间 (`duban status`), and why a late time is 按时 (`grace_words`)."""
    _, data = _status(run, ws)
    unit = next(u for u in consolidate(ws, PERIOD, tasks=False).units if u.unit == SP)
    return _state(data, SP), unit.graced


def _not_theirs(ws, was: str, other: str = "") -> list[str]:
    return [f"已记录：石碣镇 2022年6月的“{FILE}”（{_at(ws)}）不是石碣镇的报送，不再计入石碣镇；石碣镇 由{was}改计为未报送。"
            f"{other}汇总、查看报送情况和生成通报时不再提示。", MERGE_AGAIN]


def _live(ws) -> list[tuple[str, str, int]]:
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        return [(d.unit, d.path, d.receipt_id) for d in ledger.drafts("feedback", PERIOD)]


# F1: an own late return sent before the answer refused anything is 逾期, however late the answer


@pytest.mark.parametrize("sent, collected", [
    (dt.datetime(2022, 7, 11, 9), dt.date(2022, 7, 11)),  # sent and collected after the file's collect
    (dt.datetime(2022, 7, 7, 9), dt.date(2022, 7, 11)),  # sent before it, collected after
])
def test_an_own_late_return_before_the_answer_stays_late(issued_ws, make_return, monkeypatch, run, sent, collected):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)
    _own(ws, make_return, run, monkeypatch, sent, collected)
    at = f"{sent:%Y-%m-%d %H:%M}"
    assert _sp(ws, run) == (("逾期报送", at), "")
    done = _answer(ws, run, monkeypatch, day=dt.date(2022, 7, 12))
    assert done.exit_code == 0 and done.output.splitlines() == _not_theirs(ws, f"按时报送（报送时间 {_at(ws)}）")
    assert _sp(ws, run) == (("逾期报送", at), "")  # was 按时报送, "退回后于…2022年7月15日前改报"


def test_an_own_late_return_before_an_answer_after_the_memo_stays_late(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)
    _own(ws, make_return, run, monkeypatch, dt.datetime(2022, 7, 20, 9), dt.date(2022, 7, 20))
    set_clock(monkeypatch, dt.date(2022, 7, 21))
    run(["merge"], cwd=ws.root)
    run(["memo", "--format", "md"], cwd=ws.root)
    done = _answer(ws, run, monkeypatch, day=dt.date(2022, 8, 19))
    assert done.exit_code == 0 and done.output.splitlines() == _not_theirs(ws, f"按时报送（报送时间 {_at(ws)}）")
    assert _sp(ws, run) == (("逾期报送", "2022-07-20 09:00"), "")


def test_an_own_return_after_the_answer_by_its_date_is_still_on_time(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)
    assert _answer(ws, run, monkeypatch).exit_code == 0  # 8 July, 18:00: by the 13th
    _own(ws, make_return, run, monkeypatch, dt.datetime(2022, 7, 12, 9), dt.date(2022, 7, 12))
    assert _sp(ws, run) == (("按时报送", "2022-07-12 09:00"), "退回后于退回意见要求的2022年7月13日前改报，算按时报送")


# F2: --theirs replacing the 不是 says both units' change, as --undo does


def test_theirs_after_the_correction_says_the_change(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)
    assert _answer(ws, run, monkeypatch).exit_code == 0
    _own(ws, make_return, run, monkeypatch, dt.datetime(2022, 7, 12, 9), dt.date(2022, 7, 12))
    done = _answer(ws, run, monkeypatch, "--theirs", day=dt.date(2022, 7, 14))
    assert done.exit_code == 0
    assert done.output.splitlines() == [
        f"已记录：石碣镇 2022年6月的“{FILE}”（{_at(ws)}）是石碣镇的报送，不是石排镇的；"
        f"石碣镇 由未报送改计为按时报送（报送时间 {_at(ws)}）。石排镇：按时报送 → 逾期报送。"
        "汇总、查看报送情况和生成通报时不再提示。", MERGE_AGAIN]
    assert _sp(ws, run) == (("逾期报送", "2022-07-12 09:00"), "")


def test_theirs_to_an_open_question_says_no_change(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)
    done = _answer(ws, run, monkeypatch, "--theirs")
    assert done.exit_code == 0
    assert done.output.splitlines() == [f"已记录：石碣镇 2022年6月的“{FILE}”（{_at(ws)}）是石碣镇的报送，不是石排镇的；"
                                        "汇总、查看报送情况和生成通报时不再提示。"]


# F3: two files naming 石排镇


def _second(ws, run, monkeypatch, *how: str) -> str:
    set_clock(monkeypatch, dt.date(2022, 7, 12))
    monkeypatch.setattr(answers, "answered_now", lambda: "2022-07-12 10:00:00.000000")
    done = run([*SENDER, "--dept", SL, *how], cwd=ws.root)
    assert done.exit_code == 0, done.output
    return done.output


def test_two_files_the_date_moved_is_said_and_the_reply_stands(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)
    drop(ws, "石排镇6月补充.xlsx", make_return(SL, _text("石排镇补充。")), shanghai(dt.datetime(2022, 7, 4, 11)))
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=ws.root)
    assert _answer(ws, run, monkeypatch).exit_code == 0  # file 1: reply by 13 July
    reply = "反馈/2022年6月/2022-07-12/石排镇_校验反馈.eml"
    second = f"石龙镇 2022年6月的“石排镇6月补充.xlsx”（{_at(ws, '石排镇6月补充.xlsx')}）"
    assert _second(ws, run, monkeypatch, "--not-theirs").splitlines() == [
        f"已记录：{second}不是石龙镇的报送，不再计入石龙镇；石龙镇 由按时报送（报送时间 2022-07-04 11:00）改计为未报送。"
        f"石排镇 仍为退回待改（改报日期由2022年7月13日改为2022年7月15日），请其于2022年7月15日前用本单位的填报表重报"
        f"（反馈邮件草稿：{reply}）。汇总、查看报送情况和生成通报时不再提示。", MERGE_AGAIN]
    assert _live(ws) == [(SP, reply, 2)]
    # taken back, 石排镇 stands 退回待改 on file 1: its reply is written again, not left with none
    assert _second(ws, run, monkeypatch, "--undo").splitlines() == [
        f"已撤销：{second}不是石龙镇报送的核实；石龙镇 由未报送改计为按时报送（报送时间 2022-07-04 11:00）。"
        f"石排镇 仍为退回待改，请其于2022年7月15日前用本单位的填报表重报（反馈邮件草稿：{reply}）。"
        "汇总、查看报送情况和生成通报时将重新提示“请核实”。", MERGE_AGAIN]
    assert _live(ws) == [(SP, reply, 1)]
    cons = consolidate(ws, PERIOD, tasks=False)
    assert cons.awaited_by(SP) == dt.date(2022, 7, 15) and _state(_status(run, ws)[1], SP)[0] == "退回待改"
    body = message_from_bytes((ws.root / reply).read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    assert "（石排镇6月.xlsx）已收到" in body and "于2022年7月15日前以附件文件重新报送" in body
    listed = run(["mail", "send", "feedback", "--dry-run"], cwd=ws.root).output
    assert "没有待发送的反馈邮件草稿" not in listed and SP in listed, listed


# F7: 石碣镇's own return supersedes the file in the ledger; that is not 石排镇's to hear


def test_the_registered_units_record_is_not_the_others(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run)
    assert _answer(ws, run, monkeypatch).exit_code == 0
    drop(ws, "2022年6月_石碣镇_进展填报表.xlsx", make_return(SJ, _text("石碣镇自己。")), shanghai(dt.datetime(2022, 7, 10, 9)))
    set_clock(monkeypatch, dt.date(2022, 7, 10))
    run(["collect"], cwd=ws.root)
    with sqlite3.connect(ws.ledger_path) as conn:  # the ledger keeps collect's words on the file
        codes = {c for (c,) in conn.execute("SELECT code FROM issues JOIN receipts ON receipts.id=receipt_id "
                                            "WHERE receipts.name=?", (FILE,))}
    assert {"W205", "W206"} <= codes
    cons = consolidate(ws, PERIOD)
    mine = [(i["code"], i["outcome"]) for i in cons.issues if i["unit"] == SP]
    assert [c for c, _ in mine] == ["E213", "W604"]
    sp = next(u for u in cons.units if u.unit == SP)
    assert (sp.state, sp.errors, sp.warnings) == ("退回待改", 1, sum(c.startswith("W") for c, _ in mine))


# F8: the file itself late: the screen gives the date its reply asks


def test_a_late_file_the_screen_gives_the_replys_date(issued_ws, make_return, monkeypatch, run):
    ws = issued_ws
    _wrong_form(ws, make_return, monkeypatch, run, when=late())
    done = _answer(ws, run, monkeypatch)
    reply = "反馈/2022年6月/2022-07-08/石排镇_校验反馈.eml"
    assert done.output.splitlines() == _not_theirs(
        ws, f"逾期报送（报送时间 {_at(ws)}）",
        f"石排镇：未报送 → 退回待改，请其于2022年7月13日前用本单位的填报表重报（反馈邮件草稿：{reply}）。")
    body = message_from_bytes((ws.root / reply).read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    assert "于2022年7月13日前以附件文件重新报送" in body
