"""QA253 (review): reading the month's verdicts never turns a done issue into a failure.

`duban issue` reads the month's 报送状态 before and after writing the forms, for a month whose
returns came in (QA243, QA248). An error in the second read (a full disk, a ledger problem, a
bug) came after the forms were written and recorded: the office saw the issue fail and could
issue again. Either read failing now leaves the issue done; it says that whether a 报送状态
changed is not known and that `duban status` tells, and logs why. The past-deadline reminder
still leaves out a unit whose return is in when the first read, made before anything was
written, knows it; it names every unit only when neither read could be made.
"""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3

import pytest
from conftest import set_clock
from test_qa243_review import send

import toolkit.actions.issue as issue

UNKNOWN = ("提醒：填报表已生成，但未能判断本次下发是否改变了各单位的报送状态（原因已记入“日志/duban.log”）。"
           "请运行 duban status 查看；如与已生成的汇总表、通报不一致，请重新运行 duban merge 和 duban memo"
           "（或一键月报）。")
PAST = ("提醒：填报表印的报送截止已过或就是今天（{}为2022年7月8日；今天是2022年7月8日）：此后报送的都将计为逾期报送。"
        "如需给其留出报送时间，请在发出前运行 duban issue --period 2022-06 --due 2022-07-13 --dept 市司法局 "
        "--dept 虎门镇 重新生成（截止日期可以延后，不会提前）。")
NEXT = ("下一步：把填报表发给各单位（加 --emails 生成邮件草稿）；收到的回件放进“收件箱”文件夹，"
        "运行 duban collect（或双击“2-收取并汇总”）。")


def fail_on(monkeypatch, call: int, exc: BaseException) -> None:
    """The ``call``-th read of the month's verdicts (1: before the forms are written, 2: after)
    raises ``exc``."""
    real, calls = issue._verdicts, []

    def verdicts(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(issue, "_verdicts", verdicts)


def later_due(run, ws, monkeypatch):
    """市司法局 sent on the 7th (逾期 against the 5th); on the 8th the office gives it and 虎门镇,
    which has not sent, the 8th."""
    send(ws, "市司法局", 7)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=ws.root)
    return run(["issue", "--period", "2022-06", "--dept", "市司法局", "--dept", "虎门镇", "--due", "2022-07-08"],
               cwd=ws.root)


@pytest.mark.parametrize("exc", [OSError(errno.ENOSPC, "No space left on device"),
                                 sqlite3.DatabaseError("database disk image is malformed")],
                         ids=["disk-full", "ledger"])
def test_a_failed_read_after_the_forms_are_written_leaves_the_issue_done(run, issued_ws, monkeypatch, exc):
    fail_on(monkeypatch, 2, exc)
    result = later_due(run, issued_ws, monkeypatch)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "已生成 2022年6月进展填报表 2 份（报送截止：2022年7月8日）",
        f"文件夹：{issued_ws.root / '下发' / '2022年6月'}",
        PAST.format("虎门镇"),  # 市司法局's return is in: known before the forms were written
        UNKNOWN, NEXT]
    # the forms and the ledger's record of them stand: status judges 市司法局 by its new date
    monkeypatch.undo()
    assert run(["status"], cwd=issued_ws.root).stdout.splitlines()[0] == (
        "2022年6月报送情况（截止 2022-07-05；市司法局 2022-07-08、虎门镇 2022-07-08）：应报 54，按时报送 1，"
        "逾期报送 0，未报送 53，退回待改 0")
    assert "下发时未能读出2022年6月的报送状态：" in issued_ws.log_path.read_text(encoding="utf-8")


def test_a_failed_read_before_the_forms_are_written_says_every_past_date(run, issued_ws, monkeypatch):
    from toolkit import errors

    fail_on(monkeypatch, 1, errors.WorkspaceBusy("另一个督办程序正在运行。"))
    result = later_due(run, issued_ws, monkeypatch)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == [PAST.format("市司法局、虎门镇"), UNKNOWN, NEXT]
    assert "下发时未能读出2022年6月的报送状态：另一个督办程序正在运行。" in issued_ws.log_path.read_text(encoding="utf-8")


def test_a_bug_in_the_read_is_logged_with_its_traceback_not_a_failed_issue(run, issued_ws, monkeypatch):
    fail_on(monkeypatch, 2, TypeError("a bug"))
    result = later_due(run, issued_ws, monkeypatch)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == [PAST.format("虎门镇"), UNKNOWN, NEXT]
    logged = issued_ws.log_path.read_text(encoding="utf-8")
    assert "下发时未能读出2022年6月的报送状态（内部错误）" in logged
    assert "TypeError: a bug" in logged  # the traceback, for 技术支持


def test_an_interrupt_is_not_taken_for_a_failed_read(run, issued_ws, monkeypatch):
    fail_on(monkeypatch, 2, KeyboardInterrupt())
    assert later_due(run, issued_ws, monkeypatch).exit_code == 130
