"""QA356: a wrong-unit return could no longer be corrected once the unit it named resent.

石排镇 filled in 石碣镇's form (its hidden _meta names 石碣镇) with its own text and sent it as
石排镇6月.xlsx. collect registered it as 石碣镇's (the strongest evidence), said W206, and status
asked 请核实 while 石排镇 stood 未报送. 石排镇 then resent on its own form, as the W206 line
advises: the 请核实 went, and 石碣镇, which never reported, stood 按时报送 with 石排镇's text in the
汇总表 and the 通报. ``duban sender --dept 石碣镇 --not-theirs`` answered "没有需要核实发件人的报送"
(before the resend it was refused: the rows are 石碣镇's form, never 石排镇's).

Now the question stays while 石碣镇's 报送 rests on the file, whoever else reported, and
``--not-theirs`` (or choice 2 of ``duban verify``) takes the file off 石碣镇: no unit's return
(`ledger.answers.DISOWNED`), so 石碣镇 stands 未报送, or as its own returns leave it.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import PERIOD, drop, late, ledger_at, on_time, set_clock, shanghai
from test_disputed import LINE, RESENT
from test_evidence import mail, set_email

from toolkit.consolidate import consolidate
from toolkit.dates import cn_date
from toolkit.filling import Answer, Filling
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.ledger.answers import check_disputed, disowned_files, disputed_checks, on_office_clock

SENDER = ["sender", "--period", "2022-06"]
FILE = "石排镇6月.xlsx"
SJ, SP = "石碣镇", "石排镇"
#: 收件登记's 单位依据 of the file said not 石碣镇's: 石排镇's refused return (QA405)
REGISTERED = "表内标识为石碣镇，已核实不是其报送，计为石排镇的退回报送"
UNDO = "如需撤销，请双击“5-逐条核实”或运行 duban sender --period 2022-06 --dept 石碣镇 --undo"


def _text(words: str) -> Filling:
    return Filling(default=Answer(work=words))


def _wrong_form(ws, make_return, monkeypatch, run, when=None) -> None:
    """石排镇's text on 石碣镇's form, sent as 石排镇6月.xlsx on 4 July, collected on the 8th."""
    drop(ws, FILE, make_return(SJ, _text("石排镇本月推进情况。")), when or on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=ws.root)


def _resend(ws, make_return, run) -> None:
    """石排镇 resends on its own form, on time."""
    drop(ws, f"{PERIOD.label}_石排镇_进展填报表.xlsx", make_return(SP, _text("石排镇本月推进情况。")),
         shanghai(dt.datetime(2022, 7, 5, 9, 0)))
    run(["collect"], cwd=ws.root)


def _status(run, ws) -> tuple[int, dict]:
    r = run(["status", "--format", "json"], cwd=ws.root)
    return r.exit_code, json.loads(r.stdout)


def _state(data: dict, unit: str) -> tuple[str, str]:
    row = next(u for u in data["units"] if u["单位"] == unit)
    return row["报送状态"], row["报送时间"]


def _at(ws, name: str = FILE) -> str:
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        (rec,) = [r for r in ledger.receipts(PERIOD) if r.name == name]
    return rec.received_at[:16]


def sent_back_line(ws, unit: str = SP) -> str:
    """What ``sender --not-theirs`` says of the unit the file named (QA405): the file is its refused
    return, to resend by three working days from the answer's day (the ledger's, the machine's clock)."""
    by = cn_date(consolidate(ws, PERIOD, tasks=False).awaited_by(unit))
    with Ledger(ws.ledger_path, readonly=True) as ledger:  # and its reply, written then
        (reply,) = [d.path for d in ledger.drafts("feedback", PERIOD) if d.unit == unit]
    return f"{unit}：未报送 → 退回待改，请其于{by}前用本单位的填报表重报（反馈邮件草稿：{reply}）。"


def undone_lines(at: str, other: str = "") -> list[str]:
    """What ``sender --undo`` of the --not-theirs says: 石碣镇 stands on the file again (received ``at``);
    ``other``: what it says of the unit the file named (QA405)."""
    return [f"已撤销：石碣镇 2022年6月的“{FILE}”（{at}）不是石碣镇报送的核实；石碣镇 由未报送改计为按时报送（报送时间 {at}）。"
            f"{other}汇总、查看报送情况和生成通报时将重新提示“请核实”。",
            "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。"]


def _not_theirs_line(ws, was: str, now: str, other: str = "") -> str:
    return (f"已记录：石碣镇 2022年6月的“{FILE}”（{_at(ws)}）不是石碣镇的报送，不再计入石碣镇；石碣镇 由{was}改计为{now}。"
            f"{other}汇总、查看报送情况和生成通报时不再提示。")


# ---------------------------------------------------------------------------
# the scenario: before the resend, after it, after --not-theirs


def test_the_resend_leaves_the_question_open_and_not_theirs_takes_the_file_off(issued_ws, make_return,
                                                                               monkeypatch, run):
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    at = _at(issued_ws)
    code, data = _status(run, issued_ws)
    assert code == 1 and LINE in data["notes"]
    assert (_state(data, SJ), _state(data, SP)) == ((("按时报送", at)), ("未报送", ""))
    screen = run(["status"], cwd=issued_ws.root).output.splitlines()
    assert screen[0] == "2022年6月报送情况（截止 2022-07-05）：应报 54，按时报送 1，逾期报送 0，未报送 53，退回待改 0"

    _resend(issued_ws, make_return, run)
    code, data = _status(run, issued_ws)
    # the resend answers whether 石排镇 reported, not whether 石碣镇 did: still asked
    assert code == 1 and [n for n in data["notes"] if FILE in n] == [RESENT]
    assert _state(data, SJ) == ("按时报送", at) and _state(data, SP)[0] == "按时报送"
    screen = run(["status"], cwd=issued_ws.root).output.splitlines()
    assert screen[0] == "2022年6月报送情况（截止 2022-07-05）：应报 54，按时报送 2，逾期报送 0，未报送 52，退回待改 0"
    assert "  未报送   石碣镇" not in screen and RESENT in screen

    answered = run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root)
    assert answered.exit_code == 0, answered.output
    assert answered.output.splitlines() == [
        _not_theirs_line(issued_ws, f"按时报送（报送时间 {at}）", "未报送"),
        "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。"]
    code, data = _status(run, issued_ws)
    assert code == 0 and data["notes"] == []
    assert _state(data, SJ) == ("未报送", "") and _state(data, SP)[0] == "按时报送"
    assert data["told"] == [f"已核实：“{FILE}”不是石碣镇的报送（{_answered_at(issued_ws)} 记录），不计入石碣镇：石碣镇 在2022年6月"
                            f"计为未报送；石排镇 在2022年6月计为按时报送。{UNDO}"]
    screen = run(["status"], cwd=issued_ws.root).output.splitlines()
    assert screen[0] == "2022年6月报送情况（截止 2022-07-05）：应报 54，按时报送 1，逾期报送 0，未报送 53，退回待改 0"
    assert "  未报送   石碣镇" in screen

    # the 汇总表 and 通报: 石碣镇's tasks carry no text of 石排镇's, 收件登记 says the answer
    cons = consolidate(issued_ws, PERIOD)
    assert cons.figures()["按时报送"] == 1 and cons.figures()["未报送单位"] == 53
    assert SJ not in cons.details._accepted
    (kept,) = [r for r in cons.receipts if r.name == FILE]
    assert kept.identified_by == REGISTERED  # 石排镇's refused return, before its own (QA405)
    assert not [t for t in cons.tasks if "【石碣镇】" in t.progress_text]
    memo = run(["memo", "--format", "md"], cwd=issued_ws.root)
    assert memo.exit_code == 0, memo.output
    assert "请核实" not in memo.output


def _answered_at(ws) -> str:
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        ((at, _),) = disputed_checks(ledger.conn).values()
    return on_office_clock(at, ws.tz)


def test_not_theirs_before_the_resend_leaves_both_units_owing(issued_ws, make_return, monkeypatch, run):
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    at = _at(issued_ws)
    answered = run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root)
    assert answered.exit_code == 0, answered.output
    assert answered.output.splitlines()[0] == _not_theirs_line(
        issued_ws, f"按时报送（报送时间 {at}）", "未报送", sent_back_line(issued_ws))
    code, data = _status(run, issued_ws)
    assert code == 0 and data["notes"] == []
    # 石排镇 sent the file: its refused return, no longer 未报送 (QA405)
    assert (_state(data, SJ), _state(data, SP)) == (("未报送", ""), ("退回待改", at))
    assert data["told"] == [f"已核实：“{FILE}”不是石碣镇的报送（{_answered_at(issued_ws)} 记录），不计入石碣镇：石碣镇 在2022年6月"
                            f"计为未报送；石排镇 在2022年6月计为退回待改。{UNDO}"]
    _resend(issued_ws, make_return, run)  # 石排镇's own form: 石排镇 reported; 石碣镇 still has not
    code, data = _status(run, issued_ws)
    assert code == 0 and _state(data, SJ) == ("未报送", "") and _state(data, SP)[0] == "按时报送"


def test_undo_counts_the_file_for_the_unit_again_and_asks_again(issued_ws, make_return, monkeypatch, run):
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    _resend(issued_ws, make_return, run)
    at = _at(issued_ws)
    run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root)
    undone = run([*SENDER, "--dept", SJ, "--undo"], cwd=issued_ws.root)
    assert undone.exit_code == 0, undone.output
    assert undone.output.splitlines() == undone_lines(at)
    code, data = _status(run, issued_ws)
    assert code == 1 and RESENT in data["notes"] and _state(data, SJ) == ("按时报送", at)
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert disputed_checks(ledger.conn) == {}


def test_an_answer_is_changed_by_answering_again(issued_ws, make_return, monkeypatch, run):
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    _resend(issued_ws, make_return, run)
    assert run([*SENDER, "--dept", SJ, "--theirs"], cwd=issued_ws.root).exit_code == 0
    code, data = _status(run, issued_ws)  # 石碣镇's own: said while 石碣镇's 报送 rests on it
    assert code == 0 and [t for t in data["told"] if t.startswith(f"已核实：“{FILE}”是石碣镇的报送，不是石排镇的（")]
    changed = run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root)
    assert changed.exit_code == 0 and changed.output.startswith(f"已记录：石碣镇 2022年6月的“{FILE}”"), changed.output
    assert _state(_status(run, issued_ws)[1], SJ) == ("未报送", "")
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert [theirs for _, theirs in disputed_checks(ledger.conn).values()] == [False]


# ---------------------------------------------------------------------------
# the registered unit's own returns decide once the file is taken off it


def test_the_units_own_earlier_return_is_merged_again(issued_ws, make_return, monkeypatch, run):
    own = f"{PERIOD.label}_石碣镇_进展填报表.xlsx"
    drop(issued_ws, own, make_return(SJ, _text("石碣镇自己的进展。")), shanghai(dt.datetime(2022, 7, 3, 9, 0)))
    _wrong_form(issued_ws, make_return, monkeypatch, run)  # the later file supersedes 石碣镇's own
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        mine = next(r for r in ledger.receipts(PERIOD) if r.name == own)
        assert mine.outcome == "已被替代"
    code, data = _status(run, issued_ws)
    assert code == 1 and LINE in data["notes"]  # 石排镇 未报送: asked as before
    assert run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root).exit_code == 0
    code, data = _status(run, issued_ws)
    assert code == 0 and _state(data, SJ) == ("按时报送", "2022-07-03 09:00")
    cons = consolidate(issued_ws, PERIOD)
    assert cons.details._accepted[SJ].id == mine.id
    rows = {r.name: r for r in cons.receipts}
    assert rows[own].outcome == "采纳" and rows[FILE].identified_by == REGISTERED
    # 校验问题 says the same: merged again, not 已被替代 by the file taken off it (W205 stays in the ledger)
    own_issues = [(i["code"], i["outcome"]) for i in cons.issues if i["file"] == own]
    # 报送情况's 警告数 counts what 校验问题 lists: not the W205 (QA360's note)
    assert next(u.warnings for u in cons.units if u.unit == SJ) == sum(
        1 for i in cons.issues if i["file"] == own and i["severity"] == "警告")
    assert ("W205", "已被替代") not in own_issues and all(outcome == "采纳" for _, outcome in own_issues)
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert "W205" in [i.code for i in ledger.issues_of(mine.id)]
    texts = "\n".join(t.progress_text for t in cons.tasks)
    assert "【石碣镇】石碣镇自己的进展。" in texts and "石排镇本月推进情况" not in texts
    merged = run(["merge"], cwd=issued_ws.root)
    assert merged.exit_code == 0, merged.output


def test_the_units_own_late_return_then_times_it(issued_ws, make_return, monkeypatch, run):
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    drop(issued_ws, f"{PERIOD.label}_石碣镇_进展填报表.xlsx", make_return(SJ, _text("石碣镇自己的进展。")), late())
    run(["collect"], cwd=issued_ws.root)
    _resend(issued_ws, make_return, run)
    code, data = _status(run, issued_ws)
    # 按时 on the first valid return, the file in question: still asked though merged is 石碣镇's own
    assert code == 1 and RESENT in data["notes"]
    assert _state(data, SJ) == ("按时报送", _at(issued_ws))
    answered = run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root)
    assert answered.output.splitlines()[0] == _not_theirs_line(
        issued_ws, f"按时报送（报送时间 {_at(issued_ws)}）", "逾期报送（报送时间 2022-07-08 09:30）")
    assert _state(_status(run, issued_ws)[1], SJ) == ("逾期报送", "2022-07-08 09:30")


def test_the_unit_named_is_pointed_at_the_registered_units_answer(issued_ws, make_return, monkeypatch, run):
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    _resend(issued_ws, make_return, run)
    r = run([*SENDER, "--dept", SP, "--not-theirs"], cwd=issued_ws.root)
    assert r.exit_code == 2
    assert (f"错误：“{FILE}”已按石碣镇登记，请按登记的单位回答：核实确是石碣镇的报送，请运行 duban sender --period 2022-06"
            " --dept 石碣镇 --theirs；是石排镇的，请运行 duban sender --period 2022-06 --dept 石碣镇 --not-theirs"
            "（不再计为石碣镇的报送），并请石排镇用本单位的填报表重报（已重报的不必再报）。") in r.output.splitlines()


def test_a_file_nothing_rests_on_is_not_asked_about_once_the_other_reported(issued_ws, make_return, monkeypatch, run):
    # 石碣镇's own first return times it and its own last one is merged: the file between decides nothing
    drop(issued_ws, "石碣镇初稿.xlsx", make_return(SJ), shanghai(dt.datetime(2022, 7, 1, 9, 0)))
    drop(issued_ws, f"{PERIOD.label}_石碣镇_进展填报表.xlsx", make_return(SJ, _text("石碣镇定稿。")),
         shanghai(dt.datetime(2022, 7, 5, 8, 0)))
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    code, data = _status(run, issued_ws)
    assert code == 1 and LINE.replace("，也不应把石碣镇计为按时报送", "") in data["notes"]  # 石排镇 未报送
    _resend(issued_ws, make_return, run)
    code, data = _status(run, issued_ws)
    assert code == 0 and not [n for n in data["notes"] if FILE in n]
    assert _state(data, SJ) == ("按时报送", "2022-07-01 09:00")


def test_a_refused_file_said_not_the_units_leaves_it_owing_not_sent_back(issued_ws, make_return, monkeypatch, run):
    # 石排镇's text on 石碣镇's form, 完成状态 left empty (E501): 石碣镇 stood 退回待改 on it
    drop(issued_ws, FILE, make_return(SJ, Filling(default=Answer(status=None, work="石排镇本月推进情况。"))), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    _resend(issued_ws, make_return, run)
    code, data = _status(run, issued_ws)
    assert _state(data, SJ)[0] == "退回待改" and code == 1
    (asked,) = [n for n in data["notes"] if FILE in n]
    assert "这份仍计为石碣镇的报送，石碣镇在2022年6月计为退回待改" in asked
    answered = run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root)
    assert answered.exit_code == 0, answered.output
    assert f"石碣镇 由退回待改（报送时间 {_at(issued_ws)}）改计为未报送。" in answered.output
    code, data = _status(run, issued_ws)
    assert code == 0 and _state(data, SJ) == ("未报送", "")


def test_verify_takes_back_a_not_theirs_answer(issued_ws, make_return, monkeypatch, run):
    from toolkit.actions.verify import Kind, recorded_answers, take_back

    _wrong_form(issued_ws, make_return, monkeypatch, run)
    _resend(issued_ws, make_return, run)
    at = _at(issued_ws)
    run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root)
    (recorded,) = recorded_answers(issued_ws, PERIOD)
    assert recorded.kind is Kind.DISPUTED and recorded.text.startswith(f"已核实：“{FILE}”不是石碣镇的报送（")
    done = take_back(issued_ws, recorded)
    assert done.changed and done.lines == [
        f"已撤销：石碣镇 2022年6月的“{FILE}”（{at}）不是石碣镇报送的核实；石碣镇 由未报送改计为按时报送（报送时间 {at}）。"
        "汇总、查看报送情况和生成通报时将重新提示“请核实”。"]
    assert RESENT in _status(run, issued_ws)[1]["notes"]


# ---------------------------------------------------------------------------
# duban verify asks the same, with both answers


def test_verify_takes_the_file_off_by_its_second_choice(issued_ws, make_return, monkeypatch, run):
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    _resend(issued_ws, make_return, run)
    at = _at(issued_ws)
    done = run(["verify", "--period", "2022-06"], cwd=issued_ws.root, input="2\n\n")
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[2].startswith(f"【1/1】“{FILE}”：填报表内置的单位信息是石碣镇") and "石排镇已另行报送" in lines[2]
    assert lines[3:5] == ["  1. 确是石碣镇的报送（只是文件名、填报单位或发件人写成了石排镇）",
                          "  2. 不是石碣镇的报送（另一单位填在了石碣镇的填报表上）：不再计为石碣镇的报送"]
    assert _not_theirs_line(issued_ws, f"按时报送（报送时间 {at}）", "未报送") in lines
    assert _state(_status(run, issued_ws)[1], SJ) == ("未报送", "")


# ---------------------------------------------------------------------------
# a mail from 石排镇's address carrying 石碣镇's form


def test_a_mail_from_the_named_units_address_is_corrected_the_same_way(issued_ws, make_return, monkeypatch, run):
    set_email(issued_ws, 石排镇="sp@example.cn", 石碣镇="sj@example.cn")
    drop(issued_ws, "来信.eml", mail([("6月进展.xlsx", make_return(SJ, _text("石排镇本月推进情况。")))],
                                    sender="sp@example.cn", date="Mon, 04 Jul 2022 16:20:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    code, data = _status(run, issued_ws)
    (asked,) = [n for n in data["notes"] if n.startswith("请核实：6月进展.xlsx：")]
    assert code == 1 and "sp@example.cn" in asked and "目前石排镇在2022年6月计为未报送" in asked
    assert _state(data, SJ) == ("按时报送", "2022-07-04 16:20")
    drop(issued_ws, "重报.eml", mail([(f"{PERIOD.label}_石排镇_进展填报表.xlsx", make_return(SP))],
                                   sender="sp@example.cn", date="Tue, 05 Jul 2022 09:00:00 +0800"))
    run(["collect"], cwd=issued_ws.root)
    code, data = _status(run, issued_ws)
    (asked,) = [n for n in data["notes"] if n.startswith("请核实：6月进展.xlsx：")]
    assert code == 1 and "石排镇已另行报送（在2022年6月计为按时报送），这份仍计为石碣镇的报送" in asked
    answered = run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root)
    assert answered.exit_code == 0, answered.output
    assert "石碣镇 由按时报送（报送时间 2022-07-04 16:20）改计为未报送。" in answered.output
    code, data = _status(run, issued_ws)
    assert code == 0 and _state(data, SJ) == ("未报送", "") and _state(data, SP)[0] == "按时报送"


# ---------------------------------------------------------------------------
# the ledger: a file said not its unit's is no unit's return, for every reader


def test_the_ledgers_readers_leave_a_disowned_file_out(issued_ws, make_return, monkeypatch, run):
    own = f"{PERIOD.label}_石碣镇_进展填报表.xlsx"
    drop(issued_ws, own, make_return(SJ), shanghai(dt.datetime(2022, 7, 3, 9, 0)))
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    later = PERIOD.shift(1)
    with Ledger(issued_ws.ledger_path) as ledger:
        ids = {r.name: r.id for r in ledger.receipts(PERIOD)}
        assert ledger.accepted(PERIOD)[SJ].id == ids[FILE]
        check_disputed(ledger.conn, ids[FILE], True, theirs=False)
        assert disowned_files(ledger.conn) == {ids[FILE]}
        back = ledger.accepted(PERIOD)[SJ]
        assert (back.id, back.outcome, back.superseded_by) == (ids[own], "采纳", None)
        assert ledger.last_accepted_before(SJ, later).id == ids[own]  # next month's 上期 figures
        assert [r.id for r in ledger.returns_of(SJ, PERIOD)] == [ids[own]]
        assert ledger.reported((SJ,), PERIOD)
        # with no return of its own, 石碣镇 reported nothing that month
        ledger.conn.execute("INSERT OR REPLACE INTO disputed_checks(receipt_id, checked_at, theirs)"
                            " VALUES (?, '2022-07-09 10:00:00', 0)", (ids[own],))
        assert SJ not in ledger.accepted(PERIOD) and not ledger.reported((SJ,), PERIOD)
        assert ledger.last_accepted_before(SJ, later) is None and ledger.returns_of(SJ, PERIOD) == []


def test_a_version_19_ledgers_answers_stay_the_units(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO receipts(id, sha256, name, received_at, collected_at, period, unit, outcome)"
              " VALUES (7, 'ab', ?, '2022-07-04 10:00:00', '2022-07-08 09:00:00', '2022-06', '石碣镇', '采纳')")
    ledger_at(path, 19, (insert, (FILE,)),
              ("INSERT INTO disputed_checks(receipt_id, checked_at) VALUES (7, '2022-07-09 10:00:00')", ()))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 20
        assert disputed_checks(ledger.conn) == {7: ("2022-07-09 10:00:00", True)}
        assert disowned_files(ledger.conn) == frozenset() and ledger.accepted(PERIOD)["石碣镇"].id == 7


# ---------------------------------------------------------------------------
# a whole month played: 市税务局's form filled in by 生态环境分局


TABLE = [["序号", "工作任务", "牵头单位", "完成时限"],
         ["1", "推进电子税务局应用", "市税务局", "2022年12月底前"],
         ["2", "开展大气污染防治", "生态环境分局", "2022年12月底前"]]


@pytest.fixture(scope="module")
def november(tmp_path_factory):
    from conftest import filled_return, issued_path, played_month, sheet_table

    from toolkit.period import Period
    from toolkit.workspace import find_workspace

    base = tmp_path_factory.mktemp("qa356")
    table = sheet_table(base / "任务分工表.xlsx", TABLE)
    root = base / "ws"
    mp, log, run = played_month(root, dt.date(2022, 11, 20), "--master", str(table), "--period", "2022-11")
    nov = Period(2022, 11)
    try:
        run("issue", "--period", "2022-11")
        ws = find_workspace(root)
        wrong = filled_return(issued_path(ws, "市税务局", nov), _text("生态环境分局本月完成大气巡查12次。"))
        drop(ws, "生态环境分局11月进展.xlsx", wrong, shanghai(dt.datetime(2022, 12, 2, 9, 0)))
        set_clock(mp, dt.date(2022, 12, 8))
        run("collect")
        log["status before"] = run("status").output
        log["merge before"] = run("merge").output
        own = filled_return(issued_path(ws, "生态环境分局", nov), _text("生态环境分局本月完成大气巡查12次。"))
        drop(ws, "2022年11月_生态环境分局_进展填报表.xlsx", own, shanghai(dt.datetime(2022, 12, 3, 9, 0)))
        run("collect")
        log["status resent"] = run("status").output
        log["answer"] = run("sender", "--dept", "市税务局", "--not-theirs").output
        log["status after"] = run("status").output
        log["merge after"] = run("merge").output
        log["memo"] = run("memo", "--format", "md").output
        yield ws, log
    finally:
        mp.undo()


@pytest.mark.slow
def test_a_played_month_takes_the_wrong_form_off_the_tax_bureau(november):
    from openpyxl import load_workbook

    ws, log = november
    asked = ("请核实：生态环境分局11月进展.xlsx：填报表内置的单位信息是市税务局，但文件名“生态环境分局11月进展.xlsx”指向生态环境分局。"
             "已按市税务局登记；如实际是生态环境分局报送的，请生态环境分局用本单位的填报表重报。")
    before = log["status before"].splitlines()
    assert before[0] == "2022年11月报送情况（截止 2022-12-05）：应报 2，按时报送 1，逾期报送 0，未报送 1，退回待改 0"
    assert any(line.startswith(asked + "目前生态环境分局在2022年11月计为未报送") for line in before)
    resent = log["status resent"].splitlines()
    assert resent[0] == "2022年11月报送情况（截止 2022-12-05）：应报 2，按时报送 2，逾期报送 0，未报送 0，退回待改 0"
    assert any(line.startswith(asked + "生态环境分局已另行报送（在2022年11月计为按时报送），这份仍计为市税务局的报送，"
                               "市税务局在2022年11月计为按时报送") for line in resent)
    assert log["answer"].splitlines()[0] == (
        "已记录：市税务局 2022年11月的“生态环境分局11月进展.xlsx”（2022-12-02 09:00）不是市税务局的报送，不再计入市税务局；"
        "市税务局 由按时报送（报送时间 2022-12-02 09:00）改计为未报送。汇总、查看报送情况和生成通报时不再提示。")
    after = log["status after"].splitlines()
    assert after[0] == "2022年11月报送情况（截止 2022-12-05）：应报 2，按时报送 1，逾期报送 0，未报送 1，退回待改 0"
    assert "  未报送   市税务局" in after and not [line for line in after if line.startswith("请核实")]
    book = load_workbook(ws.root / "汇总" / "2022年11月" / "2022年11月_进展汇总表.xlsx", read_only=True)
    states = {row[0]: row for row in book["报送情况"].iter_rows(values_only=True) if row and row[0]}
    assert "未报送" in states["市税务局"] and "按时报送" in states["生态环境分局"]
    tasks = [row for row in book["任务汇总"].iter_rows(values_only=True) if row and row[0] == "1"]
    assert tasks and not any("大气巡查" in str(cell) for cell in tasks[0])
    assert "请核实" not in log["memo"]
    (md,) = (ws.root / "通报" / "2022年11月").glob("*.md")
    text = md.read_text(encoding="utf-8")
    assert "（一）未报送的单位（1个）：市税务局。" in text.splitlines()
    assert "1. 推进电子税务局应用（任务1，牵头单位：市税务局，牵头单位未报送进展）" in text.splitlines()
