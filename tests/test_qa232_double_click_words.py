"""QA232: lines a coordinator sees through the double-click scripts, which give no way to type a
duban command: each one names what the scripts do, and says what they did.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import click
from click.testing import CliRunner

from toolkit.actions import verify
from toolkit.cli.base import State
from toolkit.cli.desk import _ask_day


def test_open_says_it_could_not_open_even_when_quiet(run, issued_ws, monkeypatch):
    """The scripts say "正在打开……" and run `open … -q`: where nothing can open it (no
    xdg-open), the path is said instead of silence."""
    monkeypatch.setattr("toolkit.actions.open.open_path", lambda path: False)
    result = run(["open", "-q"], cwd=issued_ws.root)
    assert result.exit_code == 0
    assert result.stdout == f"无法自动打开，请手动打开：{issued_ws.root}\n"
    monkeypatch.setattr("toolkit.actions.open.open_path", lambda path: True)
    assert run(["open", "-q"], cwd=issued_ws.root).stdout == ""


def test_the_received_day_example_is_of_the_month_asked_about():
    """A 2026 workspace was asked "如 2022-07-04": the example is the day before its deadline."""
    got = []

    @click.command()
    def ask():
        # a question with no deadline: nothing to confirm about the day
        question = SimpleNamespace(due=None, unit="石龙镇")
        got.append(_ask_day(State(None, False, False), None, verify, question, dt.date(2026, 11, 4)))

    result = CliRunner().invoke(ask, input="十一月四日\n2026-11-3\n")
    assert result.output.splitlines() == [
        "实际收到的日期，如 2026-11-04（直接回车跳过）：十一月四日",
        "日期“十一月四日”无法识别，请写成 2026-11-04。",
        "实际收到的日期，如 2026-11-04（直接回车跳过）：2026-11-3"]
    assert got == [dt.date(2026, 11, 3)]
