"""Lines a double-click office reads name the script that does what the command does (QA283):
one line of each kind pinned, exact."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from toolkit import evidence, mail_notes
from toolkit.actions.demo import DEMO_DAY
from toolkit.workspace import Workspace


def test_a_command_a_script_runs_names_the_script():
    it = SimpleNamespace(received_at=dt.datetime(2022, 7, 4, 9, 30))
    assert evidence.run_again(it, [SimpleNamespace(name="填报表.xlsx")]) == (
        "duban collect（或双击“2-收取并汇总”），按这封邮件的时间计报送时间")


def test_a_date_to_state_names_collect_then_verify():
    assert mail_notes._again(["2022-07-04 17:00 的邮件“6月进展”"]) == (
        "duban collect --received 2022-07-04（按邮件的日期计报送时间；"
        "或双击“2-收取并汇总”，计为逾期的再双击“5-逐条核实”填写这一日期）")


def test_the_demo_clock_is_the_demos_day_and_a_real_workspace_keeps_the_wall_clock(tmp_path):
    real = Workspace(tmp_path)
    assert abs(real.now() - dt.datetime.now(real.tz)) < dt.timedelta(minutes=1)
    demo = Workspace(tmp_path, fixed_now=DEMO_DAY)
    assert demo.now() == DEMO_DAY and demo.now().tzinfo == demo.tz
