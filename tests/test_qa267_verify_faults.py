"""`duban verify` (5-逐条核实) stopped outside a prompt (QA267).

The walk records each answer as it is given and regenerates the 汇总表 at the end. Ctrl-C or an
error at a prompt said what was kept ("已停止核实：已记录 1 项…", or "已记录的 1 项核实结果已
保存，但汇总表没有重新生成…" before the error line). Stopped elsewhere it said less:

- Ctrl-C (or the console closed) while the 汇总表 was being regenerated said the bare
  "已取消。": nothing of the answer already in the ledger, nor that the 汇总表 does not say it
  yet. An office reads 【已取消】 as "nothing was done".
- The ledger refusing a later answer (SQLite's "database is locked", "disk I/O error": not an
  OSError) gave the error line alone: the answers recorded before it were not said to be kept,
  as they are when the refusal is an OSError.
"""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from conftest import PERIOD, drop
from test_evidence import clean
from test_qa152_fault_matrix import (
    ENGLISH,
    FAULTS,
    SQLITE_FAULTS,
    Injector,
    _assert_nothing_half_written,
    _assert_one_chinese_line,
)
from test_qa204_answers import _wrong_name
from test_qa216_weak_times import SAVED, _saved_late, _unit

from toolkit.actions.verify import open_questions
from toolkit.cli import cli
from toolkit.vocab import UnitState

VERIFY = ["verify", "--period", "2022-06"]
KEPT = ("已记录的 1 项核实结果已保存，但汇总表没有重新生成。请按下面的提示处理后，双击“2-收取并汇总”"
        "（或运行 duban merge）更新汇总表；再次逐条核实时也会重新生成。")


def test_ctrl_c_while_the_summary_is_regenerated_says_the_answer_was_kept(issued_ws, make_return, monkeypatch,
                                                                          run):
    from toolkit.actions import merge

    _saved_late(issued_ws, make_return, monkeypatch, run)
    real = merge.merge

    def interrupted(ws, period):
        raise KeyboardInterrupt

    monkeypatch.setattr(merge, "merge", interrupted)
    stopped = run(VERIFY, cwd=issued_ws.root, input="2\n\n")
    assert stopped.exit_code == 130, stopped.output
    assert stopped.stderr == ("已取消：已记录的核实结果已保存，汇总表尚未按核实结果重新生成：请双击“2-收取并汇总”"
                              "（或运行 duban merge），再次逐条核实时也会重新生成。\n")
    assert _unit(issued_ws)[0] == UnitState.LATE  # the answer (the file's time is right) stays
    # and the next walk, with nothing left to ask, regenerates the 汇总表
    monkeypatch.setattr(merge, "merge", real)
    again = run(VERIFY, cwd=issued_ws.root, input="\n")
    assert again.exit_code == 0, again.output
    assert "此前记录的 1 项核实结果尚未写入汇总表" in again.output


def test_ctrl_c_while_an_undo_is_merged_says_the_summary_is_behind(issued_ws, make_return, monkeypatch, run):
    from toolkit.actions import merge

    _saved_late(issued_ws, make_return, monkeypatch, run)
    assert run(["received", "--period", "2022-06", "--dept", "石龙镇", "--confirm"], cwd=issued_ws.root).exit_code == 0
    assert run(["merge", "--period", "2022-06"], cwd=issued_ws.root).exit_code == 0

    def interrupted(ws, period):
        raise KeyboardInterrupt

    monkeypatch.setattr(merge, "merge", interrupted)
    stopped = run(VERIFY, cwd=issued_ws.root, input="1\n\n")  # take the answer back
    assert stopped.exit_code == 130, stopped.output
    assert stopped.stderr == ("已取消：撤销已生效，汇总表尚未按核实结果重新生成："
                              "请双击“2-收取并汇总”（或运行 duban merge）。\n")


def test_ctrl_c_before_anything_was_recorded_is_the_plain_cancel(issued_ws, make_return, monkeypatch, run):
    from toolkit.actions import received

    _saved_late(issued_ws, make_return, monkeypatch, run)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(received, "answer_time", interrupted)
    stopped = run(VERIFY, cwd=issued_ws.root, input="2\n")
    assert stopped.exit_code == 130, stopped.output
    assert stopped.stderr == "已取消。\n"
    assert _unit(issued_ws)[0] == UnitState.LATE


def test_the_ledger_locked_at_a_later_answer_says_the_earlier_one_was_kept(issued_ws, make_return, monkeypatch, run):
    from toolkit.actions import sender

    _saved_late(issued_ws, make_return, monkeypatch, run)
    _wrong_name(issued_ws, make_return, monkeypatch, run)

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(sender, "check_disputed", locked)
    stopped = run(VERIFY, cwd=issued_ws.root, input="2\n1\n")  # 石龙镇's time confirmed; 石碣镇's file: locked
    assert stopped.exit_code == 2, stopped.output
    assert stopped.stdout.splitlines()[-2:] == ["", KEPT]
    ledger = issued_ws.ledger_path
    assert stopped.stderr == f"错误：收件台账“{ledger}”被其他程序占用。请关闭正在使用它的程序后重新运行。\n"
    assert _unit(issued_ws)[0] == UnitState.LATE


def test_the_ledger_failing_during_the_merge_says_the_answer_was_kept(issued_ws, make_return, monkeypatch, run):
    from toolkit.actions import merge

    _saved_late(issued_ws, make_return, monkeypatch, run)
    drop(issued_ws, "莞城街道.xlsx", make_return("莞城街道", clean()), SAVED)

    def failing(ws, period):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(merge, "merge", failing)
    stopped = run(VERIFY, cwd=issued_ws.root, input="2\n\n")
    assert stopped.exit_code == 2, stopped.output
    assert stopped.stdout.splitlines()[-2:] == ["", KEPT]
    assert stopped.stderr.count("\n") == 1 and stopped.stderr.startswith("错误：读写收件台账"), stopped.stderr


# ---------------------------------------------------------------------------
# the office's answers under every fault of test_qa152_fault_matrix, at every write call: one
# Chinese line and its exit code, a sound ledger, and a re-run ends where a clean run does


def _confirmed(ws, make_return, monkeypatch, run) -> None:
    _saved_late(ws, make_return, monkeypatch, run)
    assert run(["received", "--period", "2022-06", "--dept", "石龙镇", "--confirm"], cwd=ws.root).exit_code == 0


def _big_mail(ws, make_return, monkeypatch, run) -> None:
    from test_qa200_mail_leftovers import _zhang

    _zhang(ws)


# answer -> (the month it is given in, the command, its input; the input of a re-run that finds
# the answer recorded already: nothing left to ask, Enter at the list of answers)
ANSWERS = {
    "received": (_saved_late, ["received", "--period", "2022-06", "--dept", "石龙镇", "--on", "2022-07-04"], None),
    "received-undo": (_confirmed, ["received", "--period", "2022-06", "--dept", "石龙镇", "--undo"], None),
    "sender": (_wrong_name, ["sender", "--period", "2022-06", "--dept", "石碣镇", "--theirs"], None),
    "mail-checked": (_big_mail, ["mail", "checked", "2022-07-04 10:00"], None),
    "verify": (_saved_late, VERIFY, "1\n2022-07-04\n\n"),
    "verify-undo": (_confirmed, VERIFY, "1\n\n"),
}


def _answers(ws) -> tuple:
    con = sqlite3.connect(ws.ledger_path)
    try:
        return (sorted(con.execute("SELECT receipt_id, stated_on FROM time_answers")),
                sorted(con.execute("SELECT receipt_id FROM disputed_checks")),
                sorted(con.execute("SELECT id, checked_at IS NOT NULL FROM mail_fetched")))
    finally:
        con.close()


@pytest.mark.slow  # each case runs its command once per write call, twice or three times (1–4 s)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("answer", list(ANSWERS))
def test_an_answer_under_a_fault_is_one_chinese_line_and_a_rerun_records_it(
        issued_ws, make_return, monkeypatch, run, tmp_path, answer, fault):
    make, args, typed = ANSWERS[answer]
    make(issued_ws, make_return, monkeypatch, run)
    root, start = issued_ws.root, tmp_path / "start"
    shutil.copytree(root, start)
    before, sqlite = _answers(issued_ws), fault in SQLITE_FAULTS
    counter = Injector(root, sqlite=sqlite)
    with monkeypatch.context() as mp:
        counter.install(mp)
        clean_run = CliRunner().invoke(cli, ["-w", str(root), *args], input=typed)
    assert clean_run.exit_code in (0, 1), clean_run.output
    done = _answers(issued_ws)
    assert done != before
    for at in range(counter.calls):
        shutil.rmtree(root)
        shutil.copytree(start, root)
        injector = Injector(root, FAULTS[fault], at, sqlite=sqlite)
        with monkeypatch.context() as mp:
            injector.install(mp)
            result = CliRunner().invoke(cli, ["-w", str(root), *args], input=typed)
        assert injector.fired
        said = re.sub(r"“[^”]*”", "", result.output).replace(str(root), "")
        assert not [w for w in ENGLISH if w in said], (at, result.output)
        if result.exit_code not in (0, 1):  # else survived by design (an unwritable log)
            line = _assert_one_chinese_line(result, root, fault)
            if fault == "ctrl-c" and _answers(issued_ws) != before and args[0] == "verify":
                assert line.startswith(("已取消：已记录的核实结果已保存", "已取消：撤销已生效")), line
        _assert_nothing_half_written(root)
        now = _answers(issued_ws)
        assert now in (before, done), (at, result.output)  # the answer recorded, or not at all
        if now == before:  # not recorded: the same command records it
            again = CliRunner().invoke(cli, ["-w", str(root), *args], input=typed)
            assert again.exit_code in (0, 1) and _answers(issued_ws) == done, (at, again.output)
        if args[0] == "verify":  # recorded, or just now: the next walk leaves the 汇总表 saying it
            CliRunner().invoke(cli, ["-w", str(root), *VERIFY], input="\n\n")
            assert not open_questions(issued_ws, PERIOD).unmerged, at
