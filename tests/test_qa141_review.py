"""Review of QA131–QA139 (QA141): what the session's changes still said wrong.

- 大竹县's 2016年民生实事 in January 2017 (QA137): the 通报 and 汇总表 say a 2016 task's
  完成时限 as 2016年12月底前, but the 催报 mail to the unit yet to send still said 12月底前, a
  December eleven months away.
- A 通报 made on the deadline day itself (东莞, 报送截止 5 July) said the units named 未报送
  were 今天（2022年7月5日）尚未到其报送截止日期: the day is the deadline; it has not passed.
"""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
from click.testing import CliRunner
from conftest import set_clock
from test_memo_not_yet_due import _notes
from test_qa123_due_changes import JULY, send
from test_qa137_year_turn_month import dazhu  # noqa: F401  (the module's workspace, played again here)

from toolkit.actions.collect import collect
from toolkit.cli import cli
from toolkit.units import town_kind


@pytest.mark.slow
def test_a_january_reminder_says_a_2016_deadline_with_its_year(dazhu):  # noqa: F811
    result = CliRunner().invoke(cli, ["-w", str(dazhu), "remind", "--period", "2017-01"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    msg = email.message_from_bytes((dazhu / "汇总" / "2017年1月" / "催报邮件" / "催报_县商务局.eml").read_bytes(),
                                   policy=policy.default)
    body = msg.get_body(("plain",)).get_content()
    assert "完成时限：2016年12月底前" in body and "完成时限：12月底前" not in body


def test_on_the_deadline_day_the_note_says_it_has_not_passed(issued_ws, make_return, monkeypatch):
    send(issued_ws, make_return, "石龙镇", 2)
    set_clock(monkeypatch, JULY[5])
    collect(issued_ws)
    (line,) = _notes(issued_ws, 5)
    assert "今天（2022年7月5日）尚未过其报送截止日期，仍可按时报送（本期截止2022年7月5日）" in line
    assert "尚未到" not in line


@pytest.mark.parametrize(("kind", "town"), [
    ("镇街", True), ("镇", True), ("乡镇", True), ("街道", True), ("镇（街道）", True), ("苏木", True),
    ("镇直部门", False), ("镇直单位", False), ("乡镇站所", False), ("街道科室", False), ("县直部门", False),
    ("中央驻鄂单位", False),
])
def test_town_kinds_and_department_kinds_are_read_by_one_rule(kind, town):
    # units.town_kind and groups' department kinds share units.DEPARTMENT_KIND (no twin regex)
    from toolkit import groups, units

    assert town_kind(kind) is town
    assert not hasattr(groups, "_DEPARTMENT_KIND") and units.DEPARTMENT_KIND.search("镇直单位")


def test_the_command_moving_a_sunday_deadline_repeats_the_issues_options(ws, run, monkeypatch):
    # run as the line said it, without --prefill the forms came back blank, and without
    # --no-skip-done (skip_done_units = true) units this issue asked could be exempted
    set_clock(monkeypatch, dt.date(2023, 1, 31))  # before the Sunday: the line is said (QA349)
    result = run(["issue", "--period", "2023-01", "--dept", "市府办", "--prefill", "--no-skip-done", "--emails"],
                 cwd=ws.root)
    assert ("请在发出填报表前运行 duban issue --period 2023-01 --due 2023-02-06 --dept 市府办 --emails --prefill"
            " --no-skip-done 重新生成。") in result.stdout
