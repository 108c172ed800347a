"""Review qa270: the month the double-click scripts offer on Enter when the next month's forms
go out before the current month's deadline (1-下发填报表 on 3 July, June due on 5 July)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import clean, mail

pytestmark = pytest.mark.slow  # each plays issue and collect across two months: run in CI, out of the quick loop

JUNE_FORM = f"{PERIOD.label}_石龙镇_进展填报表.xlsx"


def _july_issued_on_the_3rd(run, ws, make_return, monkeypatch):
    """石龙镇's June return collected on 2 July; July's forms issued on the 3rd (1-下发填报表's
    Enter offers July from 1 July once June's returns come in, QA243)."""
    drop(ws, "sl.eml", mail([(JUNE_FORM, make_return("石龙镇", clean()))], date="Sat, 02 Jul 2022 10:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 2))
    assert run(["collect", "--fetch", "--merge", "--period", "2022-06"], cwd=ws.root).exit_code == 0
    set_clock(monkeypatch, dt.date(2022, 7, 3))
    assert run(["period", "--for-issue"], cwd=ws.root).output == "2022-07\n"
    return run(["issue", "--period", "2022-07"], cwd=ws.root)


def test_issuing_next_month_before_this_ones_deadline_says_enter_moves_on(run, issued_ws, make_return, monkeypatch):
    """From then on Enter in 2-收取并汇总, 3-生成通报, 4-发送邮件 (催报) and 一键月报 gives July: on
    the 4th 催报 wrote July's reminders to all 54 units, on the 6th 一键月报 found nothing of July.
    The issue says so, and the month to type for June, where the current period changes."""
    issued = _july_issued_on_the_3rd(run, issued_ws, make_return, monkeypatch)
    assert issued.exit_code == 0, issued.output
    lines = issued.output.splitlines()
    moved = lines.index("当前期次已设为 2022年7月（写入 duban.toml）：以后不加 --period 的命令和双击脚本直接回车都处理这一期。")
    assert lines[moved + 1] == ("提醒：2022年6月的报送截止（2022年7月5日）还没到：此后收取、汇总、催报、通报2022年6月，"
                                "请在双击脚本询问期次时输入 2022-06（直接回车处理的是2022年7月）。")


def test_issuing_next_month_after_this_ones_deadline_says_nothing_more(run, issued_ws, monkeypatch):
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    issued = run(["issue", "--period", "2022-07"], cwd=issued_ws.root)
    assert issued.exit_code == 0 and "还没到" not in issued.output, issued.output


def test_run_of_a_month_with_nothing_names_the_earlier_month_whose_deadline_passed(
        run, issued_ws, make_return, monkeypatch):
    """一键月报 pressed with Enter on 6 July, the day after June's deadline, after July's forms went
    out on the 3rd: nothing of July is in; June's 通报 is the one due, and the office is told how."""
    _july_issued_on_the_3rd(run, issued_ws, make_return, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    result = run(["run", "--period", "2022-07"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert result.output == (
        "提示：收件箱是空的，2022年7月还没有收到任何报送。请把报送的文件、邮件或压缩包放进“收件箱”文件夹后再运行。"
        "2022年6月的报送截止日（7月5日）已过，已收到其报送：要生成2022年6月的汇总表和通报，"
        "请重新运行，询问期次时输入 2022-06。\n")
    june = run(["run", "--period", "2022-06"], cwd=issued_ws.root)
    assert june.exit_code == 0 and june.output.startswith("2022年6月月报完成\n"), june.output


def test_run_of_a_month_with_nothing_before_the_earlier_deadline_adds_nothing(
        run, issued_ws, make_return, monkeypatch):
    _july_issued_on_the_3rd(run, issued_ws, make_return, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 7, 5))
    result = run(["run", "--period", "2022-07"], cwd=issued_ws.root)
    assert result.exit_code == 1 and "2022年6月" not in result.output, result.output
