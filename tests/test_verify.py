"""`duban verify` (5-逐条核实): the month's open 请核实 questions, answered one by one.

Every 请核实 line ends with the command that answers it (``duban received --on``, ``duban sender
--theirs``, ``duban mail checked``). An office that works by double-click has no ``duban`` on its
PATH: the questions stayed open, every month ended 【已完成，但有问题需要处理】 and the 通报 went
out with them. 5-逐条核实 puts each question with numbered answers, records the answer by the
same action the command runs, and merges again. Asserted here as the office sees it: the exact
lines, the verdict each answer leaves, and the same ledger the commands write.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from conftest import PERIOD, drop, on_time, set_clock
from test_evidence import clean, set_email
from test_qa138_unknown_sender import _village_then_town
from test_qa148_sender_answer import ZT_MAIL
from test_qa200_mail_leftovers import ZHANG, _zhang
from test_qa204_answers import FILE, _received_at, _wrong_name
from test_qa216_weak_times import SAVED, _saved_late, _unit

from toolkit.actions.verify import Kind, open_questions
from toolkit.consolidate import consolidate
from toolkit.vocab import UnitState

VERIFY = ["verify", "--period", "2022-06"]
FACTS = ("【1/1】石龙镇的“石龙镇.xlsx”按文件修改时间（2022-07-06 09:00）计为逾期报送（截止 2022-07-05）。"
         "直接放进收件箱的文件，文件修改时间往往是另存的时间，可能晚于实际收到的时间。")
CHOICES = ["  1. 实际按时收到：按实际收到的日期计报送时间（接着输入日期）",
           "  2. 文件修改时间就是收到时间：仍计为逾期报送"]
PROMPT = "请输入编号（直接回车跳过）："
DAY = "实际收到的日期，如 2022-07-04（直接回车跳过）："
LISTED = "2022年6月已记录的核实结果："
UNDO = "如需撤销某项已记录的核实结果，请输入其编号（直接回车结束）："


def masked(output: str) -> list[str]:
    """``output``'s lines, each answer's 记录 time (the machine's wall clock, not the test's) as …."""
    return re.sub(r"（\d{4}-\d\d-\d\d \d\d:\d\d 记录）", "（… 记录）", output).splitlines()


def _notes(run, ws) -> list[str]:
    return json.loads(run(["status", "--format", "json"], cwd=ws.root).stdout)["notes"]


def _summary_mtime(ws) -> float:
    return (ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx").stat().st_mtime_ns


def test_a_stated_day_is_recorded_as_received_on_would_and_the_summary_is_merged_again(
        issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    assert _unit(issued_ws)[0] == UnitState.LATE
    done = run(VERIFY, cwd=issued_ws.root, input="1\n2022-07-04\n\n")
    assert done.exit_code == 0, done.output
    summary = issued_ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"
    assert masked(done.output) == [
        "2022年6月有 1 项需要核实。请按编号选择回答；直接回车跳过，以后再答。", "", FACTS, *CHOICES,
        PROMPT + "1", DAY + "2022-07-04", "已记录：石龙镇 2022年6月的“石龙镇.xlsx”（文件修改时间 2022-07-06 09:00）实际于 2022-07-04 收到，"
        "按该日期计报送时间；石龙镇 由逾期报送（报送时间 2022-07-06 09:00）改计为按时报送（报送时间 2022-07-04 00:00）。",
        # the answer just recorded is listed, to be taken back if typed wrong (Enter: kept)
        "", LISTED, "  1. 已核实：石龙镇 2022年6月的“石龙镇.xlsx”（文件修改时间 2022-07-06 09:00）按督办部门指定的收到日期 "
        "2022-07-04 计报送时间（… 记录），石龙镇 计为按时报送（报送时间 2022-07-04 00:00）。", UNDO,
        "", "已记录 1 项。", f"汇总表已按核实结果重新生成：{summary}",
        "有单位的报送状态因核实而改变。如已生成通报，请重新生成（双击“3-生成通报”或运行 duban memo），使通报与核实结果一致。"]
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")
    assert _notes(run, issued_ws) == []
    # the same answer `duban received --on` records: it takes it back
    undone = run(["received", "--period", "2022-06", "--dept", "石龙镇", "--undo"], cwd=issued_ws.root)
    assert undone.exit_code == 0 and _unit(issued_ws)[0] == UnitState.LATE


def test_the_files_time_confirmed_keeps_it_late_and_nothing_is_left(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    done = run(VERIFY, cwd=issued_ws.root, input="2\n\n")
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[lines.index(PROMPT + "2") + 1] == (
        "已记录：石龙镇 2022年6月的“石龙镇.xlsx”的文件修改时间（2022-07-06 09:00）无误；石龙镇 计为逾期报送"
        "（报送时间 2022-07-06 09:00）。汇总、查看报送情况和生成通报时不再提示。")
    assert "有单位的报送状态因核实而改变" not in done.output
    assert _unit(issued_ws)[0] == UnitState.LATE and _notes(run, issued_ws) == []
    again = run(VERIFY, cwd=issued_ws.root, input="\n")
    assert again.exit_code == 0
    assert masked(again.output) == [
        "", LISTED, "  1. 已核实：石龙镇 2022年6月的“石龙镇.xlsx”按文件修改时间（2022-07-06 09:00）计为逾期报送"
        "（截止 2022-07-05），督办部门已确认该时间无误（… 记录）。", UNDO, "", "2022年6月没有需要逐条回答的“请核实”事项。"]


def test_enter_skips_and_the_question_stays_open(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    merged = run(["merge"], cwd=issued_ws.root)
    assert merged.exit_code == 1
    before = _summary_mtime(issued_ws)
    skipped = run(VERIFY, cwd=issued_ws.root, input="\n\n")
    assert skipped.exit_code == 1, skipped.output
    assert skipped.output.splitlines()[-1] == "已记录 0 项，跳过 1 项。"
    assert _summary_mtime(issued_ws) == before, "nothing recorded, nothing merged again"
    assert len(_notes(run, issued_ws)) == 1
    # Enter at the day goes back to nothing recorded, too
    assert run(VERIFY, cwd=issued_ws.root, input="1\n\n\n").exit_code == 1
    assert _unit(issued_ws)[0] == UnitState.LATE


def test_a_wrong_number_a_bad_day_and_a_refused_day_are_asked_again(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    # 3 is no choice; 七月四日 is no date; 2022-07-09 is after today (the clock says 8 July); then
    # the full-width ２ a Chinese input method types
    done = run(VERIFY, cwd=issued_ws.root, input="3\n1\n七月四日\n2022-07-09\n２\n\n")
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    start = lines.index(CHOICES[-1]) + 1
    assert lines[start:start + 10] == [
        PROMPT + "3", "请输入 1 到 2 之间的编号，或直接回车跳过。",
        PROMPT + "1", DAY + "七月四日", "日期“七月四日”无法识别，请写成 2022-07-04。",
        DAY + "2022-07-09", "收到日期 2022-07-09 晚于今天（2022-07-08），请写实际收到报送的日期。",
        PROMPT + "２", "已记录：石龙镇 2022年6月的“石龙镇.xlsx”的文件修改时间（2022-07-06 09:00）无误；石龙镇 计为逾期报送"
        "（报送时间 2022-07-06 09:00）。汇总、查看报送情况和生成通报时不再提示。", ""]
    assert _unit(issued_ws)[0] == UnitState.LATE and _notes(run, issued_ws) == []


def test_the_end_of_the_input_stops_and_keeps_what_was_recorded(issued_ws, make_return, monkeypatch, run):
    """Ctrl-C at a prompt (click says Abort, as for the input's end): exit 130, answers kept."""
    _saved_late(issued_ws, make_return, monkeypatch, run)
    drop(issued_ws, "莞城街道.xlsx", make_return("莞城街道", clean()), SAVED)
    assert run(["collect"], cwd=issued_ws.root).exit_code == 1
    stopped = run(VERIFY, cwd=issued_ws.root, input="2\n")
    assert stopped.exit_code == 130, stopped.output
    assert stopped.output.splitlines()[-1] == ("已停止核实：已记录 1 项，其余以后再答。汇总表尚未按核实结果重新生成："
                                               "请双击“2-收取并汇总”（或运行 duban merge），再次逐条核实时也会重新生成。")
    assert len(_notes(run, issued_ws)) == 1


def test_a_file_named_for_another_unit_is_answered_as_its_registered_units(issued_ws, make_return, monkeypatch, run):
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    (q,) = open_questions(issued_ws, PERIOD).asked
    assert (q.kind, q.unit, q.choices) == (
        Kind.DISPUTED, "石碣镇", ("确是石碣镇的报送（只是文件名、填报单位或发件人写成了石排镇）",
                                "不是石碣镇的报送（另一单位填在了石碣镇的填报表上）：不再计为石碣镇的报送"))
    # the W206 message says what to do if it is 石排镇's; the question adds the verdicts it leaves
    assert q.facts.endswith("已按石碣镇登记；如实际是石排镇报送的，请石排镇用本单位的填报表重报。目前石排镇在2022年6月计为未报送；"
                            "如这份就是石排镇的报送，通报中不应把石排镇列为未报送，也不应把石碣镇计为按时报送："
                            "发出通报前请先与石排镇、石碣镇核实。")
    done = run(VERIFY, cwd=issued_ws.root, input="1\n\n")
    assert done.exit_code == 0, done.output
    assert (f"已记录：石碣镇 2022年6月的“{FILE}”（{_received_at(issued_ws)}）是石碣镇的报送，不是石排镇的；"
            "汇总、查看报送情况和生成通报时不再提示。") in done.output.splitlines()
    assert _notes(run, issued_ws) == []


def test_a_copy_from_an_unknown_address_is_answered_not_theirs(issued_ws, make_return, collecting_on, run):
    set_email(issued_ws, 中堂镇=ZT_MAIL)
    _village_then_town(issued_ws, make_return, collecting_on)
    (q,) = open_questions(issued_ws, PERIOD).asked
    assert q.kind == Kind.SENDER and q.facts.startswith("中堂镇 在2022年6月计为按时报送，报送时间取自第一份合格报送")
    assert "duban" not in q.facts, "the question says what happened, not what to type"
    done = run(["-w", str(issued_ws.root), *VERIFY], input="2\n\n")
    assert done.exit_code == 0, done.output
    assert "改计为逾期报送" in done.output and "有单位的报送状态因核实而改变" in done.output
    state = next(u.state for u in consolidate(issued_ws, PERIOD, tasks=False).units if u.unit == "中堂镇")
    assert state == UnitState.LATE


def test_a_mail_too_big_is_checked_without_a_command_to_type(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    (q,) = open_questions(issued_ws, PERIOD).asked
    mail = f"邮件“6月进展填报表”（{ZHANG}，1.8 MB，2022-07-04 10:00 收到）"
    assert (q.kind, q.unit) == (Kind.BIG_MAIL, "")
    assert q.facts.endswith(f"但邮箱中有{mail}，因超过大小上限（duban.toml 的 max_file_mb）没有下载；发件地址不在单位名录中，"
                            "主题也没有写明单位，可能是其中某个单位的报送。")
    assert q.choices == (f"已打开{mail}核实：不是报送，或对方已重新发送",
                         "是报送：已把其中的填报表下载后放进收件箱，按邮件收到的日期 2022-07-04 收取")
    done = run(VERIFY, cwd=issued_ws.root, input="1\n\n")
    assert done.exit_code == 0, done.output
    assert (f"已记录：{mail}已打开核实，汇总、查看报送情况和生成通报时不再提示。如需撤销，请双击“5-逐条核实”或运行 "
            'duban mail checked "2022-07-04 10:00" --undo') in done.output.splitlines()
    assert not [n for n in _notes(run, issued_ws) if ZHANG in n]


def test_the_form_in_a_mail_too_big_is_collected_as_received_that_day(issued_ws, make_return, monkeypatch, run):
    """The office downloads 石龙镇's form from 张伟's mail of 4 July into 收件箱 on the 6th and
    answers 2: collected as received on the 4th (collect --received), on time, the mail checked."""
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    refused = run(VERIFY, cwd=issued_ws.root, input="2\n\n\n")
    assert "收件箱是空的：请先在邮箱中打开这封邮件，把其中的填报表下载后放进收件箱，再选 2。" in refused.output.splitlines()
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), SAVED)
    done = run(VERIFY, cwd=issued_ws.root, input="2\n1\n\n")
    lines = done.output.splitlines()
    assert lines[lines.index(PROMPT + "2") + 1:lines.index(PROMPT + "2") + 4] == [
        "收件箱中有 1 个文件，将全部按 2022-07-04 收到收取：石龙镇.xlsx。收件箱中只应有从这封邮件下载的文件，"
        "其他文件请先移出（或先双击“2-收取并汇总”收取）。", "确认收取请输入 1（直接回车不收取）：1",
        "已收取收件箱中的 1 个文件（按 2022-07-04 收到计）：采纳 1，退回 0，无法读取 0，重复 0。"]
    assert "有单位的报送状态因核实而改变。" in done.output
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")
    assert not [n for n in _notes(run, issued_ws) if ZHANG in n]


def test_lines_no_answer_here_settles_are_listed_and_keep_exit_1(issued_ws, make_return, monkeypatch, run):
    """A file in 收件箱 not yet collected is settled by collecting it, not by an answer here."""
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    listed = run(VERIFY, cwd=issued_ws.root)
    assert listed.exit_code == 1, listed.output
    lines = listed.output.splitlines()
    assert lines[:2] == ["", "以下事项需要另行办理，不能在这里回答："]
    assert lines[2].startswith("  请核实：收件箱中还有 1 个文件尚未收取登记（石龙镇.xlsx）")
    assert lines[-1] == "2022年6月没有需要逐条回答的“请核实”事项。"


def test_help_is_chinese_with_examples(run, tmp_path):
    helped = run(["verify", "--help"], cwd=tmp_path)
    assert helped.exit_code == 0
    assert "逐条核实" in helped.output and "duban verify --period 2022-06" in helped.output
    assert "5-逐条核实" in helped.output


def test_a_refused_file_whose_time_denied_the_grace_is_asked_about_as_such(issued_ws, make_return, monkeypatch, run):
    """QA231's case put by verify: the question names the return judged late and the refused file
    whose time is asked, not the refused file as if it were late; a day stated times the refusal."""
    from test_review_qa226 import _refused_saved_late

    _refused_saved_late(issued_ws, make_return, monkeypatch, run)
    (q,) = open_questions(issued_ws, PERIOD).asked
    assert q.facts == ("石龙镇的报送“石龙镇.xlsx”（2022-07-08 10:00）计为逾期报送（截止 2022-07-05），只因此前退回的"
                       "“石龙镇.xlsx”按文件修改时间（2022-07-06 09:00）计为截止后收到，退回通知给的更正期限因此不计。"
                       "直接放进收件箱的文件，文件修改时间往往是另存的时间，可能晚于实际收到的时间。")
    assert q.choices[0] == "退回的文件实际按时收到：按实际收到的日期计其收到时间（接着输入日期）"
    done = run(VERIFY, cwd=issued_ws.root, input="1\n2022-07-04\n\n")
    assert done.exit_code == 0, done.output
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-08 10:00")


def test_two_w206_files_of_one_unit_each_answered_as_shown(issued_ws, make_return, monkeypatch, run):
    """QA233: 石碣镇 sent its form as 石排镇6月.xlsx and as 石龙镇6月.xlsx. Enter at the first, 1 at
    the second: the second file is recorded, the first stays asked (the first was answered, and
    the second shown twice, while the questions were told apart by unit alone)."""
    from test_qa213_review import _other_contact

    _wrong_name(issued_ws, make_return, monkeypatch, run)
    drop(issued_ws, "石龙镇6月.xlsx", make_return("石碣镇", _other_contact()), on_time())
    run(["collect"], cwd=issued_ws.root)
    first, second = open_questions(issued_ws, PERIOD).asked
    assert [q.kind for q in (first, second)] == [Kind.DISPUTED, Kind.DISPUTED]
    assert first.receipt_id != second.receipt_id
    done = run(VERIFY, cwd=issued_ws.root, input="\n1\n\n")
    lines = done.output.splitlines()
    shown = [x for x in lines if x.startswith("【")]
    assert [x.split("：")[0] for x in shown] == ["【1/2】“石排镇6月.xlsx”", "【2/2】“石龙镇6月.xlsx”"], done.output
    assert lines[lines.index(PROMPT + "1") + 1].startswith("已记录：石碣镇 2022年6月的“石龙镇6月.xlsx”")
    (left,) = open_questions(issued_ws, PERIOD).asked
    assert left.receipt_id == first.receipt_id


def test_a_weak_mail_time_is_put_as_the_time_it_is(issued_ws, make_return, monkeypatch, run):
    """QA234: 逾期 on the Date of a mail forwarded inline is asked about as that time, not as a
    file's modification time; a day stated makes the unit 按时 as `received --on` does."""
    from test_qa234_weak_mail_times import _inline, _played

    ws, _ = _played(issued_ws, make_return, monkeypatch, run, _inline)
    (q,) = open_questions(ws, PERIOD).asked
    assert q.kind == Kind.FILE_TIME
    assert q.facts.startswith("石龙镇的“石龙镇.xlsx”按转发邮件的发送时间（")
    assert q.facts.endswith("，原邮件是转发的，其发送时间不详。转发邮件的发送时间可能晚于单位实际报送的时间。")
    assert "文件修改时间" not in q.facts
    assert q.choices[1] == "转发邮件的发送时间无误：仍计为逾期报送"
    done = run(VERIFY, cwd=ws.root, input="1\n2022-07-04\n\n")
    assert done.exit_code == 0, done.output
    assert _unit(ws) == (UnitState.ON_TIME, "2022-07-04 00:00")
