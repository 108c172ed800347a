"""QA239: three leftovers of stop 42.

1. 2-收取并汇总 ran ``collect`` then ``merge`` as two processes: each 请核实 on a file's time (or a
   weak mail time) was said twice, collect's line then merge's. ``collect --merge`` merges in the
   same run under the same lock and says it once, as ``run`` does; ``collect`` and ``merge`` run
   alone say what they said.
2. The scripts' exit-1 line named 5-逐条核实 whatever was open, also when only a file of no unit
   or another month's form was, which it does not list. ``verify --check`` says whether it has
   anything to ask (the scripts' line follows it: test_scripts.py).
3. The 已核实 lines' “（… 记录）” times were the machine's wall clock (the ledger's naive stamps),
   not the office's (duban.toml ``timezone``): said on the office's clock, stored as before.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from zoneinfo import ZoneInfo

import pytest
from conftest import drop, on_time, set_clock
from conftest import status_notes as _status
from test_evidence import clean
from test_qa204_answers import FILE, _wrong_name
from test_qa210_mail import with_office
from test_qa216_weak_times import NOTE, RECEIVED, SAVED, UNDO
from test_qa234_weak_mail_times import WEAK

from toolkit import errors
from toolkit.ledger.answers import on_office_clock
from toolkit.workspace import find_workspace

# plays a month of collects and answers: run in CI, out of the quick loop
pytestmark = pytest.mark.slow

# ---------------------------------------------------------------------------
# 1. collect --merge: each question once


def _file_time(ws, make_return) -> tuple[object, str]:
    drop(ws, "石龙镇.xlsx", make_return("石龙镇", clean()), SAVED)
    return ws, NOTE


def _inline_forward(ws, make_return) -> tuple[object, str]:
    how, _, note = WEAK["inline"]
    ws = with_office(ws)
    how(ws, make_return("石龙镇", clean()))
    return ws, note


@pytest.mark.parametrize("month", [_file_time, _inline_forward], ids=["file time", "weak mail time"])
def test_collect_merge_says_each_question_once_and_the_rest_as_collect_then_merge(
        issued_ws, make_return, monkeypatch, run, tmp_path, month):
    ws, note = month(issued_ws, make_return)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    twin = find_workspace(shutil.copytree(ws.root, tmp_path / "twin"), explicit=True)
    collected = run(["collect"], cwd=ws.root)
    merged = run(["merge"], cwd=ws.root)
    # alone, each says the question as it did (collect's line indented under its files)
    assert (collected.exit_code, merged.exit_code) == (1, 1)
    assert collected.stdout.splitlines().count("  " + note) == 1
    assert merged.stdout.splitlines().count(note) == 1
    both = run(["collect", "--merge"], cwd=twin.root)
    assert both.exit_code == 1, both.output
    assert both.stdout.count(note) == 1
    # what the two said, but collect's copy of the line merge says
    said = [line for line in collected.stdout.splitlines() if line != "  " + note] + merged.stdout.splitlines()
    assert both.stdout.replace(str(twin.root), str(ws.root)).splitlines() == said
    assert both.stderr == collected.stderr + merged.stderr


def test_collect_merge_still_says_what_only_collect_says(issued_ws, run):
    """A file of no unit is none of the month's notes: collect's line stays, and merge adds none."""
    drop(issued_ws, "情况说明.pdf", b"%PDF-1.4\n%%EOF\n", on_time())
    both = run(["collect", "--merge"], cwd=issued_ws.root)
    assert both.exit_code == 1
    (line,) = [x for x in both.stdout.splitlines() if "请核实" in x]
    assert line.startswith("  请核实：情况说明.pdf 看不出是哪个单位报送的")
    assert both.stdout.splitlines()[-1] == f"汇总表：{issued_ws.root / '汇总' / '2022年6月' / '2022年6月_进展汇总表.xlsx'}"


def test_when_the_summary_cannot_be_written_collect_says_all_its_lines_then_why(
        issued_ws, make_return, monkeypatch, run):
    _file_time(issued_ws, make_return)
    set_clock(monkeypatch, dt.date(2022, 7, 8))

    def locked(ws, period, cons=None):
        raise errors.OutputLocked("汇总表正在被其他程序打开（测试），请关闭后再运行。")

    monkeypatch.setattr("toolkit.actions.merge.merge", locked)
    both = run(["collect", "--merge"], cwd=issued_ws.root)
    assert both.exit_code == 2
    assert "  " + NOTE in both.stdout.splitlines() and "汇总表：" not in both.stdout
    assert both.stderr.splitlines()[-1] == "错误：汇总表正在被其他程序打开（测试），请关闭后再运行。"


def test_collect_merge_refuses_a_month_never_issued_after_collecting(issued_ws, make_return, monkeypatch, run):
    _file_time(issued_ws, make_return)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    both = run(["collect", "--merge", "--period", "2022-09"], cwd=issued_ws.root)
    assert both.exit_code == 2
    assert both.stdout.startswith("收件箱 1 个文件，登记 1 条") and "汇总表：" not in both.stdout
    assert "错误：2022-09 没有下发过填报表" in both.stderr


def test_the_collect_help_names_merge(run, tmp_path):
    helped = run(["collect", "--help"], cwd=tmp_path)
    assert "duban collect --fetch --merge" in helped.output
    flat = helped.output.replace("\n", "").replace(" ", "")
    assert "收取后接着生成本期汇总表（同dubanmerge），各项“请核实”只说一次（双击“2-收取并汇总”使用）" in flat


# ---------------------------------------------------------------------------
# 2. verify --check


def test_verify_check_says_there_is_something_to_ask(issued_ws, make_return, monkeypatch, run):
    _file_time(issued_ws, make_return)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    checked = run(["verify", "--check"], cwd=issued_ws.root)
    assert (checked.exit_code, checked.stdout) == (1, "2022年6月有 1 项需要逐条核实：请运行 duban verify（或双击“5-逐条核实”）"
                                                      "逐条回答。\n")


def test_verify_check_with_only_a_file_of_no_unit_open_has_nothing_to_ask(issued_ws, run):
    drop(issued_ws, "情况说明.pdf", b"%PDF-1.4\n%%EOF\n", on_time())
    assert run(["collect", "--merge"], cwd=issued_ws.root).exit_code == 1
    checked = run(["verify", "--check"], cwd=issued_ws.root)
    assert (checked.exit_code, checked.stdout) == (0, "2022年6月没有需要逐条回答的“请核实”事项。\n")
    never = run(["verify", "--check", "--period", "2022-09"], cwd=issued_ws.root)
    assert never.exit_code == 2  # the scripts then say the plain line, not 5-逐条核实


# ---------------------------------------------------------------------------
# 3. 记录 times on the office's clock


def test_a_ledger_stamp_is_said_on_the_office_clock(machine_tz):
    machine_tz("UTC")
    shanghai = ZoneInfo("Asia/Shanghai")
    assert on_office_clock("2022-07-08 02:03:04.000005", shanghai) == "2022-07-08 10:03"
    assert on_office_clock("2022-07-08 20:30:00", shanghai) == "2022-07-09 04:30"  # the office's next day
    assert on_office_clock("2022-07-08 02:03:04", None) == "2022-07-08 02:03"
    assert on_office_clock("not a time at all", shanghai) == "not a time at al"
    machine_tz("Asia/Shanghai")
    assert on_office_clock("2022-07-08 02:03:04.000005", shanghai) == "2022-07-08 02:03"


def _stamp(ws, sql: str) -> None:
    """Set the recorded time as a machine on UTC wrote it at 10:03 Beijing time."""
    with sqlite3.connect(ws.ledger_path) as conn:
        conn.execute(sql, ("2022-07-08 02:03:04.000005",))


def test_a_confirmed_file_time_says_when_on_the_office_clock(issued_ws, make_return, monkeypatch, run, machine_tz):
    machine_tz("UTC")
    _file_time(issued_ws, make_return)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    assert run([*RECEIVED, "--confirm"], cwd=issued_ws.root).exit_code == 0
    _stamp(issued_ws, "UPDATE time_answers SET answered_at=?")
    assert _status(run, issued_ws)[2] == [
        "已核实：石龙镇 2022年6月的“石龙镇.xlsx”按文件修改时间（2022-07-06 09:00）计为逾期报送（截止 2022-07-05），"
        f"督办部门已确认该时间无误（2022-07-08 10:03 记录）。{UNDO}"]


def test_a_disputed_file_answered_says_when_on_the_office_clock(issued_ws, make_return, monkeypatch, run, machine_tz):
    machine_tz("UTC")
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    assert run(["sender", "--period", "2022-06", "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root).exit_code == 0
    _stamp(issued_ws, "UPDATE disputed_checks SET checked_at=?")
    (said,) = [t for t in _status(run, issued_ws)[2] if FILE in t]
    assert said == (f"已核实：“{FILE}”是石碣镇的报送，不是石排镇的（2022-07-08 10:03 记录）；石排镇 在2022年6月计为未报送。"
                    "如需撤销，请双击“5-逐条核实”或运行 duban sender --period 2022-06 --dept 石碣镇 --undo")
