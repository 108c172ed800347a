"""QA244: `duban verify`'s answers, as they land.

A month typed without its day was read as the month's last day (a 按时 nobody said); a day
before the month's forms went out was taken; an answer typed after a colleague's collect made
the unit 逾期 on another file was recorded against that file; and a walk stopped by Ctrl-C left
the 汇总表 without its answers, which walking again did not merge (nothing left to record).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, shanghai
from test_evidence import clean
from test_qa213_review import _other_contact
from test_qa216_weak_times import SAVED, _saved_late, _unit
from test_verify import CHOICES, DAY, LISTED, PROMPT, UNDO, VERIFY, _summary_mtime, masked

from toolkit.actions.collect import collect
from toolkit.actions.received import answer_received, issue_day
from toolkit.actions.verify import open_questions
from toolkit.errors import FileChanged, UsageError
from toolkit.file_time import FileTime
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.vocab import UnitState

# plays a month of collects and answers: run in CI, out of the quick loop
pytestmark = pytest.mark.slow

RECORDED = ("已记录：石龙镇 2022年6月的“石龙镇.xlsx”（文件修改时间 2022-07-06 09:00）实际于 2022-07-04 收到，"
            "按该日期计报送时间；石龙镇 由逾期报送（报送时间 2022-07-06 09:00）改计为按时报送（报送时间 2022-07-04 00:00）。")


def _after(lines: list[str], line: str, n: int) -> list[str]:
    at = lines.index(line) + 1
    return lines[at:at + n]


# ---------------------------------------------------------------------------
# 1. a month without its day


def test_a_month_without_its_day_is_asked_again_not_read_as_its_last_day(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    done = run(VERIFY, cwd=issued_ws.root, input="1\n2022年6月\n2022-06\n2022.6\n2022-07-04\n\n")
    assert done.exit_code == 0, done.output
    assert _after(done.output.splitlines(), CHOICES[-1], 9) == [
        PROMPT + "1",
        DAY + "2022年6月", "日期“2022年6月”没有写哪一天，请写实际收到的那一天，如 2022-07-04。",
        DAY + "2022-06", "日期“2022-06”没有写哪一天，请写实际收到的那一天，如 2022-07-04。",
        DAY + "2022.6", "日期“2022.6”没有写哪一天，请写实际收到的那一天，如 2022-07-04。",
        DAY + "2022-07-04", RECORDED]
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")


# ---------------------------------------------------------------------------
# 2. a day before the month's forms went out


def _issued_on(ws, when: str) -> None:
    with Ledger(ws.ledger_path) as ledger:
        ledger.conn.execute("UPDATE issued SET issued_at=?, first_issued_at=? WHERE period=?", (when, when, str(PERIOD)))


BEFORE_ISSUE = ("收到日期 2022-06-20 早于2022年6月的填报表下发（2022-06-28），填报表下发之前不会收到报送，"
                "请写实际收到报送的日期。")


def test_a_day_before_the_forms_went_out_is_refused_by_received_and_verify(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    _issued_on(issued_ws, "2022-06-28 09:00:00")
    refused = run(["received", "--period", "2022-06", "--dept", "石龙镇", "--on", "2022-06-20"], cwd=issued_ws.root)
    assert refused.exit_code == 2, refused.output
    assert refused.output.splitlines()[-1] == "错误：" + BEFORE_ISSUE
    assert _unit(issued_ws)[0] == UnitState.LATE
    # the issue day itself is a day a return may come
    assert answer_received(issued_ws, PERIOD, "石龙镇", dt.date(2022, 6, 28)).after[0] == UnitState.ON_TIME
    assert answer_received(issued_ws, PERIOD, "石龙镇", None, undo=True).after[0] == UnitState.LATE
    done = run(VERIFY, cwd=issued_ws.root, input="1\n2022-06-20\n1\n2022-07-04\n\n")
    assert done.exit_code == 0, done.output
    assert _after(done.output.splitlines(), CHOICES[-1], 6) == [
        PROMPT + "1", DAY + "2022-06-20", BEFORE_ISSUE, PROMPT + "1", DAY + "2022-07-04", RECORDED]
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")


def test_an_issue_recorded_after_the_file_or_unknown_bounds_nothing_as_collect(issued_ws, make_return, monkeypatch,
                                                                               run):
    """The fixtures issue June on today's clock, years after its returns (a month replayed, as
    the demo is): as collect's W207, such an issue refuses no day; the month's start still does."""
    _saved_late(issued_ws, make_return, monkeypatch, run)
    (f,) = [f for f in _file_times(issued_ws) if f.due]
    with Ledger(issued_ws.ledger_path) as ledger:
        assert issue_day(ledger, PERIOD, f, dt.date(2022, 7, 8), None) is None  # issued after the file's time
        assert issue_day(ledger, Period(2022, 5), f, dt.date(2022, 7, 8), None) is None  # no issue recorded
    _issued_on(issued_ws, "2022-06-28 09:00:00")
    with Ledger(issued_ws.ledger_path) as ledger:
        assert issue_day(ledger, PERIOD, f, dt.date(2022, 7, 8), None) == dt.date(2022, 6, 28)
        assert issue_day(ledger, PERIOD, f, dt.date(2022, 6, 27), None) is None  # issued after today
    _issued_on(issued_ws, "2022-05-28 09:00:00")  # before the month began: its start is the later bound
    refused = run(["received", "--period", "2022-06", "--dept", "石龙镇", "--on", "2022-05-30"], cwd=issued_ws.root)
    assert refused.output.splitlines()[-1] == ("错误：收到日期 2022-05-30 早于2022年6月开始（2022-06-01），"
                                                "2022年6月的报送不会在此之前收到，请写实际收到报送的日期。")


def _file_times(ws) -> list[FileTime]:
    from toolkit.consolidate import consolidate

    return consolidate(ws, PERIOD, tasks=False).file_times


# ---------------------------------------------------------------------------
# 3. the answer carries the file it was asked about

#: earlier than the file shown, still after the deadline: the unit's first return now, 逾期 on its time
EARLIER = shanghai(dt.datetime(2022, 7, 6, 8, 0))
CHANGED = ("石龙镇 2022年6月计为逾期报送所依据的文件已变为“石龙镇（修改后）.xlsx”（2022-07-06 08:00），不是刚才显示的那一份"
           "（可能有同事刚收取了文件），此项没有记录。")


def _colleague_collects(ws, make_return) -> None:
    """A colleague collects another copy of 石龙镇's return, saved into 收件箱 an hour before the
    one shown: the unit is timed by its first return, and stands 逾期 on that one now."""
    data = make_return("石龙镇", _other_contact())
    drop(ws, "石龙镇（修改后）.xlsx", data, EARLIER)
    collect(ws, PERIOD)


def test_an_answer_about_a_file_no_longer_asked_is_refused_not_moved(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    (shown,) = open_questions(issued_ws, PERIOD).asked
    _colleague_collects(issued_ws, make_return)
    try:
        answer_received(issued_ws, PERIOD, "石龙镇", dt.date(2022, 7, 4), receipt_id=shown.receipt_id)
    except FileChanged as exc:
        assert exc.message == CHANGED
    else:
        raise AssertionError("recorded against another file")
    assert isinstance(FileChanged(""), UsageError)
    assert _unit(issued_ws) == (UnitState.LATE, "2022-07-06 08:00")
    with Ledger(issued_ws.ledger_path) as ledger:
        assert not ledger.conn.execute("SELECT COUNT(*) FROM time_answers").fetchone()[0]


def test_verify_puts_the_question_again_about_the_file_it_stands_late_on_now(issued_ws, make_return, monkeypatch,
                                                                              run):
    from toolkit.cli import desk

    _saved_late(issued_ws, make_return, monkeypatch, run)
    real = desk._ask_day

    def meanwhile(*args):  # the colleague's collect while the office types the day
        day = real(*args)
        _colleague_collects(issued_ws, make_return)
        return day

    monkeypatch.setattr(desk, "_ask_day", meanwhile)
    done = run(VERIFY, cwd=issued_ws.root, input="1\n2022-07-04\n2\n\n")
    assert done.exit_code == 0, done.output
    assert _after(done.output.splitlines(), CHOICES[-1], 8) == [
        PROMPT + "1", DAY + "2022-07-04", CHANGED + "请按现在的文件回答：",
        "石龙镇的“石龙镇（修改后）.xlsx”按文件修改时间（2022-07-06 08:00）计为逾期报送（截止 2022-07-05）。"
        "直接放进收件箱的文件，文件修改时间往往是另存的时间，可能晚于实际收到的时间。", *CHOICES, PROMPT + "2",
        "已记录：石龙镇 2022年6月的“石龙镇（修改后）.xlsx”的文件修改时间（2022-07-06 08:00）无误；石龙镇 计为逾期报送"
        "（报送时间 2022-07-06 08:00）。汇总、查看报送情况和生成通报时不再提示。"]
    assert _unit(issued_ws) == (UnitState.LATE, "2022-07-06 08:00")
    assert not open_questions(issued_ws, PERIOD).asked


# ---------------------------------------------------------------------------
# 4. answers a stopped walk left out of the 汇总表


def test_a_walk_after_one_stopped_merges_the_answers_it_recorded(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    drop(issued_ws, "莞城街道.xlsx", make_return("莞城街道", clean()), SAVED)
    assert run(["collect", "--merge"], cwd=issued_ws.root).exit_code == 1
    merged = _summary_mtime(issued_ws)
    stopped = run(VERIFY, cwd=issued_ws.root, input="2\n")  # Ctrl-C at the second question
    assert stopped.exit_code == 130 and _summary_mtime(issued_ws) == merged
    assert open_questions(issued_ws, PERIOD).unmerged == 1
    again = run(VERIFY, cwd=issued_ws.root, input="\n\n")  # the second skipped: nothing recorded now
    assert again.exit_code == 1, again.output
    summary = issued_ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"
    assert again.output.splitlines()[-3:] == [
        "已记录 0 项，跳过 1 项。",
        f"此前记录的 1 项核实结果尚未写入汇总表（上次核实中途停止，或汇总没有完成），汇总表已按核实结果重新生成：{summary}",
        "如已生成通报，请重新生成（双击“3-生成通报”或运行 duban memo），使通报与核实结果一致。"]
    assert _summary_mtime(issued_ws) > merged
    assert open_questions(issued_ws, PERIOD).unmerged == 0
    # merged once: walking again merges nothing
    merged = _summary_mtime(issued_ws)
    assert run(VERIFY, cwd=issued_ws.root, input="\n\n").output.splitlines()[-1] == "已记录 0 项，跳过 1 项。"
    assert _summary_mtime(issued_ws) == merged


def test_a_merge_that_failed_is_done_by_the_next_walk_with_nothing_to_ask(issued_ws, make_return, monkeypatch, run):
    from toolkit import errors
    from toolkit.actions import merge

    _saved_late(issued_ws, make_return, monkeypatch, run)
    real = merge.merge

    def locked(ws, period):
        raise errors.OutputLocked("汇总表“2022年6月_进展汇总表.xlsx”正在被其他程序打开，请关闭后重试。")

    monkeypatch.setattr(merge, "merge", locked)
    assert run(VERIFY, cwd=issued_ws.root, input="2\n\n").exit_code == 2
    monkeypatch.setattr(merge, "merge", real)
    again = run(VERIFY, cwd=issued_ws.root, input="\n")
    assert again.exit_code == 0, again.output
    summary = issued_ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"
    confirmed = ("  1. 已核实：石龙镇 2022年6月的“石龙镇.xlsx”按文件修改时间（2022-07-06 09:00）计为逾期报送"
                 "（截止 2022-07-05），督办部门已确认该时间无误（… 记录）。")
    assert masked(again.output) == [
        "", LISTED, confirmed, UNDO, "", "2022年6月没有需要逐条回答的“请核实”事项。",
        f"此前记录的 1 项核实结果尚未写入汇总表（上次核实中途停止，或汇总没有完成），汇总表已按核实结果重新生成：{summary}",
        "如已生成通报，请重新生成（双击“3-生成通报”或运行 duban memo），使通报与核实结果一致。"]
    assert masked(run(VERIFY, cwd=issued_ws.root, input="\n").output) == [
        "", LISTED, confirmed, UNDO, "", "2022年6月没有需要逐条回答的“请核实”事项。"]
