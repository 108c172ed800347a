"""QA249: 5-逐条核实 takes an answer back.

Each 已核实 line ended “如需撤销，请运行 duban received/sender/mail checked … --undo”, which an
office that works by double-click cannot type: an answer typed wrong (2 for 1) stood. After its
questions, the walk lists the month's answers recorded, numbered, and takes back the one whose
number is typed, by the same action ``--undo`` runs, about that answer alone; its question is
asked again. The 已核实 lines name 5-逐条核实 beside the command.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, set_clock
from test_evidence import set_email
from test_qa138_unknown_sender import _village_then_town
from test_qa148_sender_answer import ZT_MAIL
from test_qa200_mail_leftovers import ZHANG, _zhang
from test_qa204_answers import FILE, _received_at, _wrong_name
from test_qa216_weak_times import _saved_late, _unit
from test_verify import CHOICES, DAY, FACTS, LISTED, PROMPT, UNDO, VERIFY, masked

from toolkit.actions import verify
from toolkit.actions.verify import Kind, open_questions, recorded_answers
from toolkit.consolidate import consolidate
from toolkit.errors import UsageError
from toolkit.vocab import UnitState

# plays a month of collects and answers: run in CI, out of the quick loop
pytestmark = pytest.mark.slow

SUMMARY = "汇总" + "/2022年6月/2022年6月_进展汇总表.xlsx"
STATED = ("  1. 已核实：石龙镇 2022年6月的“石龙镇.xlsx”（文件修改时间 2022-07-06 09:00）按督办部门指定的收到日期 "
          "2022-07-04 计报送时间（… 记录），石龙镇 计为按时报送（报送时间 2022-07-04 00:00）。")
TAKEN_BACK = ("已撤销：石龙镇 2022年6月的“石龙镇.xlsx”的收到日期 2022-07-04；石龙镇 由按时报送（报送时间 2022-07-04 00:00）"
              "改计为逾期报送（报送时间 2022-07-06 09:00）。汇总、查看报送情况和生成通报时将重新提示“请核实”。")
AGAIN = "撤销的事项已重新列为“请核实”，请再次逐条核实（双击“5-逐条核实”或运行 duban verify）重新回答。"
CHANGED = ("有单位的报送状态因核实而改变。如已生成通报，请重新生成（双击“3-生成通报”或运行 duban memo），"
           "使通报与核实结果一致。")


def _state(ws, unit: str) -> str:
    return next(u.state for u in consolidate(ws, PERIOD, tasks=False).units if u.unit == unit)


def test_an_answer_typed_wrong_is_taken_back_in_the_same_walk(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    done = run(VERIFY, cwd=issued_ws.root, input="1\n2022-07-04\n1\n\n")
    assert done.exit_code == 1, done.output  # the question is open again
    assert masked(done.output) == [
        "2022年6月有 1 项需要核实。请按编号选择回答；直接回车跳过，以后再答。", "", FACTS, *CHOICES,
        PROMPT + "1", DAY + "2022-07-04", "已记录：石龙镇 2022年6月的“石龙镇.xlsx”（文件修改时间 2022-07-06 09:00）实际于 "
        "2022-07-04 收到，按该日期计报送时间；石龙镇 由逾期报送（报送时间 2022-07-06 09:00）改计为按时报送（报送时间 2022-07-04 00:00）。",
        "", LISTED, STATED, UNDO + "1", TAKEN_BACK, UNDO,
        "", "已记录 1 项，撤销 1 项。", f"汇总表已按核实结果重新生成：{issued_ws.root / SUMMARY}", CHANGED, AGAIN]
    assert _unit(issued_ws)[0] == UnitState.LATE
    (q,) = open_questions(issued_ws, PERIOD).asked  # asked again next time
    assert q.kind is Kind.FILE_TIME and q.unit == "石龙镇"


def test_an_earlier_answer_is_taken_back_by_a_walk_with_nothing_to_ask(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    assert run(["received", "--period", "2022-06", "--dept", "石龙镇", "--on", "2022-07-04"],
               cwd=issued_ws.root).exit_code == 0
    # a 0 and a 2 are no number listed; Enter ends
    done = run(VERIFY, cwd=issued_ws.root, input="0\n2\n１\n\n")
    assert done.exit_code == 1, done.output
    assert masked(done.output) == [
        "", LISTED, STATED, UNDO + "0", "请输入 1 到 1 之间的编号，或直接回车结束。",
        UNDO + "2", "请输入 1 到 1 之间的编号，或直接回车结束。", UNDO + "１", TAKEN_BACK, UNDO,
        "", "已撤销 1 项。", f"汇总表已按核实结果重新生成：{issued_ws.root / SUMMARY}", CHANGED, AGAIN]
    assert _unit(issued_ws)[0] == UnitState.LATE


def test_a_number_taken_back_already_is_refused_and_said(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    run(["received", "--period", "2022-06", "--dept", "石龙镇", "--confirm"], cwd=issued_ws.root)
    done = run(VERIFY, cwd=issued_ws.root, input="1\n1\n\n")
    lines = done.output.splitlines()
    assert lines[lines.index(UNDO + "1") + 1:lines.index(UNDO + "1") + 4] == [
        "已撤销：石龙镇 2022年6月的“石龙镇.xlsx”文件修改时间无误的核实；石龙镇 计为逾期报送（报送时间 2022-07-06 09:00）。"
        "汇总、查看报送情况和生成通报时将重新提示“请核实”。",
        UNDO + "1", "石龙镇 在2022年6月没有已记录的收到日期或报送时间核实，无需撤销。"]
    # the verdict did not change: no 通报 to make again
    assert CHANGED not in lines and lines[-1] == AGAIN


def test_ctrl_c_at_the_list_ends_it_and_merges_what_was_taken_back(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    run(["received", "--period", "2022-06", "--dept", "石龙镇", "--on", "2022-07-04"], cwd=issued_ws.root)
    # the input's end at the optional list: as Enter (click cannot tell it from Ctrl-C there)
    ended = run(VERIFY, cwd=issued_ws.root, input="1\n")
    assert ended.exit_code == 1, ended.output  # the question taken back is open again
    assert "已撤销 1 项。" in ended.output.splitlines()
    assert any(line.startswith("汇总表已按核实结果重新生成：") for line in ended.output.splitlines())
    assert "已停止核实" not in ended.output
    assert _unit(issued_ws)[0] == UnitState.LATE


def test_the_input_closed_at_the_list_alone_is_no_cancel(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    run(["received", "--period", "2022-06", "--dept", "石龙镇", "--confirm"], cwd=issued_ws.root)
    ended = run(VERIFY, cwd=issued_ws.root, input="")
    assert ended.exit_code == 0, ended.output
    # the answer given by command is merged (no 汇总表 says it yet), then the walk ends as usual
    assert "2022年6月没有需要逐条回答的“请核实”事项。" in ended.output.splitlines()
    assert "已停止核实" not in ended.output


def test_check_does_not_count_answers_recorded(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    assert run(["verify", "--check", "--period", "2022-06"], cwd=issued_ws.root).exit_code == 1
    run(["received", "--period", "2022-06", "--dept", "石龙镇", "--confirm"], cwd=issued_ws.root)
    assert len(recorded_answers(issued_ws, PERIOD)) == 1
    checked = run(["verify", "--check", "--period", "2022-06"], cwd=issued_ws.root)
    assert (checked.exit_code, checked.output) == (0, "2022年6月没有需要逐条回答的“请核实”事项。\n")


def test_a_sender_answer_is_taken_back(issued_ws, make_return, collecting_on, run):
    set_email(issued_ws, 中堂镇=ZT_MAIL)
    _village_then_town(issued_ws, make_return, collecting_on)
    done = run(VERIFY, cwd=issued_ws.root, input="2\n\n")  # 不是中堂镇报送: 逾期
    assert done.exit_code == 0, done.output
    assert _state(issued_ws, "中堂镇") == UnitState.LATE
    (listed,) = recorded_answers(issued_ws, PERIOD)
    assert (listed.kind, listed.unit) == (Kind.SENDER, "中堂镇")
    assert listed.text.startswith("已核实：中堂镇 2022年6月的“") and "如需撤销" not in listed.text
    undone = run(VERIFY, cwd=issued_ws.root, input="1\n\n")
    lines = undone.output.splitlines()
    assert lines[lines.index(UNDO + "1") + 1] == (
        "已撤销：中堂镇 2022年6月的“潢涌村_2022年6月_中堂镇_进展填报表.xlsx”（2022-07-02 16:00）的发件人核实；"
        "中堂镇 由逾期报送（报送时间 2022-07-08 11:00）改计为按时报送（报送时间 2022-07-02 16:00）。"
        "汇总、查看报送情况和生成通报时将重新提示“请核实”。")
    assert _state(issued_ws, "中堂镇") == UnitState.ON_TIME
    assert [q.kind for q in open_questions(issued_ws, PERIOD).asked] == [Kind.SENDER]


def test_a_w206_answer_is_taken_back(issued_ws, make_return, monkeypatch, run):
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    run(VERIFY, cwd=issued_ws.root, input="1\n\n")
    (listed,) = recorded_answers(issued_ws, PERIOD)
    assert (listed.kind, listed.unit) == (Kind.DISPUTED, "石碣镇")
    assert masked(listed.text) == [f"已核实：“{FILE}”是石碣镇的报送，不是石排镇的（… 记录）；石排镇 在2022年6月计为未报送。"]
    done = run(VERIFY, cwd=issued_ws.root, input="1\n\n")
    lines = done.output.splitlines()
    assert lines[lines.index(UNDO + "1") + 1] == (f"已撤销：石碣镇 2022年6月的“{FILE}”（{_received_at(issued_ws)}）"
                                                  "是石碣镇报送的核实；汇总、查看报送情况和生成通报时将重新提示“请核实”。")
    assert [q.kind for q in open_questions(issued_ws, PERIOD).asked] == [Kind.DISPUTED]


def test_a_mail_too_big_checked_is_taken_back(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    mail = f"邮件“6月进展填报表”（{ZHANG}，1.8 MB，2022-07-04 10:00 收到）"
    done = run(VERIFY, cwd=issued_ws.root, input="1\n\n")
    assert (f"已记录：{mail}已打开核实，汇总、查看报送情况和生成通报时不再提示。如需撤销，请双击“5-逐条核实”或运行 "
            'duban mail checked "2022-07-04 10:00" --undo') in done.output.splitlines()
    said = masked(done.output)
    assert said[said.index(LISTED) + 1:said.index(LISTED) + 3] == [f"  1. 已核实：{mail}已打开核实（… 记录），不再提示。", UNDO]
    undone = run(VERIFY, cwd=issued_ws.root, input="1\n\n")
    lines = undone.output.splitlines()
    assert lines[lines.index(UNDO + "1") + 1] == f"已撤销：{mail}的核实记录；汇总、查看报送情况和生成通报时将重新提示“请核实”。"
    assert [q.kind for q in open_questions(issued_ws, PERIOD).asked] == [Kind.BIG_MAIL]


def test_an_undo_is_about_the_answer_listed_alone(issued_ws, make_return, monkeypatch, run):
    """An undo is about the answer listed, never the unit's latest instead (``--undo`` takes
    the latest): an answer about no file of it is refused, and nothing else is taken back."""
    _saved_late(issued_ws, make_return, monkeypatch, run)
    run(["received", "--period", "2022-06", "--dept", "石龙镇", "--confirm"], cwd=issued_ws.root)
    (listed,) = recorded_answers(issued_ws, PERIOD)
    wrong = verify.Recorded(listed.kind, listed.period, listed.unit, listed.text, listed.receipt_id + 999)
    with pytest.raises(UsageError):  # no answer about that file: nothing else is taken back instead
        verify.take_back(issued_ws, wrong)
    assert recorded_answers(issued_ws, PERIOD) == [listed]
    assert verify.take_back(issued_ws, listed).lines[0].startswith("已撤销：")
    assert recorded_answers(issued_ws, PERIOD) == []
