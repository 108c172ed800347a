"""QA357: the month the double-click scripts offer on Enter, once the next month's forms are out.

A. On 8 July, July's forms issued on the 6th (duban.toml: 2022-07), the office collects June's late
   returns and makes June's 通报 again: 2-收取并汇总, 3-生成通报, 5-逐条核实 and 一键月报 offered July
   on Enter, and the coordinator got an empty July. They now offer the month whose returns come
   in (`duban period --for-returns`, the rule 4-发送邮件's 反馈 and 催报 had as --for-chase): the
   month before while the current one has not ended, and say on the screen which month and why
   (`--why`). With one month in play nothing changes.
B. `--for-chase` opened the ledger without `--for-issue`'s tolerance: a damaged ledger failed the
   prompt instead of offering a month.
C. A workspace keeps the scripts copied when it was made: 0-首次安装 (the kit) refreshes them on an
   upgrade, `pip install --upgrade` did not, and `init --force` rebuilt duban.toml and the master to
   get them. `duban init --scripts` refreshes the scripts alone.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, drop, late, on_time
from test_evidence import clean

from toolkit.actions.issue import issue_returns
from toolkit.period import Period
from toolkit.period_offer import period_of_returns, why_offered
from toolkit.workspace import SCRIPT_COMMON, SCRIPTS, set_current_period

JUNE, JULY = Period(2022, 6), Period(2022, 7)
WHY_JUNE = ("直接回车为上一期2022年6月：当前期次2022年7月还没有过完（该月的报送月底以后才报来），"
            "现在收取、汇总、核实、催报和通报的是2022年6月。要处理2022年7月，请输入 2022-07。")


def _july_current(ws) -> None:
    """duban.toml as `issue --period 2022-07` leaves it (the forms themselves need not be written
    for the offer: June's are the ledger's record)."""
    assert set_current_period(ws, JULY)


# A ---------------------------------------------------------------------------------------------

def test_july_not_ended_offers_june_and_says_why(issued_ws, collecting_on, run):
    _july_current(issued_ws)
    root = str(issued_ws.root)
    collecting_on(dt.date(2022, 7, 8))
    said = run(["-w", root, "period", "--for-returns", "--why"])
    assert said.exit_code == 0 and said.stdout == "2022-06\n" and said.stderr == WHY_JUNE + "\n"
    # --for-chase is the same rule under its first name (4-发送邮件 of a workspace made before)
    assert run(["-w", root, "period", "--for-chase"]).stdout == "2022-06\n"
    assert run(["-w", root, "period", "--for-returns", "--label"]).output == "2022年6月\n", "no --why: said nothing"
    assert run(["-w", root, "period", "--for-returns", "--why", "-q"]).output == "2022-06\n"
    assert run(["-w", root, "period", "--why"]).output == "2022-07\n", "the current period is unchanged"
    collecting_on(dt.date(2022, 8, 1))  # July has ended: its returns are the ones coming in
    said = run(["-w", root, "period", "--for-returns", "--why"])
    assert said.stdout == "2022-07\n" and said.stderr == ""


def test_one_month_in_play_is_offered_and_nothing_said(issued_ws, collecting_on, run):
    """The demo's month, and any workspace's first: June issued, May never. Early in June, and in
    July while June's returns come in, Enter is June as it always was, with no line about it."""
    for day in (dt.date(2022, 6, 10), dt.date(2022, 7, 4), dt.date(2022, 7, 20)):
        collecting_on(day)
        said = run(["-w", str(issued_ws.root), "period", "--for-returns", "--why"])
        assert said.exit_code == 0 and said.output == "2022-06\n", day


def test_a_month_before_issued_before_the_ledger_kept_it_counts_by_its_folder(ws, collecting_on):
    """A workspace whose forms went out before the ledger recorded issues: 下发/<期> holding forms
    is the record `require_issued` takes, and so is it here."""
    collecting_on(dt.date(2022, 6, 10))
    assert period_of_returns(ws) == JUNE
    (ws.root / "下发" / "2022年5月").mkdir(parents=True)
    (ws.root / "下发" / "2022年5月" / "2022年5月_石龙镇_进展填报表.xlsx").write_bytes(b"PK")
    assert period_of_returns(ws) == Period(2022, 5)


def test_why_names_the_month_offered_and_how_to_take_the_current_one():
    assert why_offered(JULY, JULY) == ""
    assert why_offered(JULY, JUNE) == WHY_JUNE
    # 1-下发填报表 (`--for-issue`) past a month whose returns came in, or two
    assert why_offered(JUNE, JULY) == ("直接回车为下一期2022年7月：2022年6月已收到单位的报送、且月份已过完，不再重新下发。"
                                       "要给个别单位补发2022年6月的填报表，请输入 2022-06。")
    assert why_offered(JUNE, Period(2022, 8)).startswith("直接回车为下一期2022年8月：2022年6月至2022年7月已收到单位的报送")


def test_for_issue_says_why_it_moved_on(issued_ws, make_return, collecting_on, run):
    collecting_on(dt.date(2022, 7, 4))
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    run(["-w", str(issued_ws.root), "collect"])
    said = run(["-w", str(issued_ws.root), "period", "--for-issue", "--why"])
    assert said.stdout == "2022-07\n" and said.stderr.startswith("直接回车为下一期2022年7月：2022年6月已收到单位的报送")


# B ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_ledger_still_offers_a_month(issued_ws, collecting_on, run, damage):
    """`period --for-chase` said 错误：收件台账…已损坏 (exit 2) and the script stopped at its prompt;
    `--for-issue` offered duban.toml's month. Both offer one now; the command chosen then says
    what is wrong with the ledger, as it did."""
    ledger = issued_ws.root / ".duban" / "ledger.sqlite3"
    data = ledger.read_bytes()
    ledger.write_bytes(b"not a database " * 200 if damage == "garbage" else data[:100])
    root = str(issued_ws.root)
    collecting_on(dt.date(2022, 6, 20))  # June not ended: the month before is looked for
    for option in ("--for-chase", "--for-returns", "--for-issue"):
        said = run(["-w", root, "period", option, "--why"])
        assert said.exit_code == 0 and said.output == "2022-06\n", (option, said.output)
    _july_current(issued_ws)
    collecting_on(dt.date(2022, 7, 8))  # June's forms, on disk in 下发/, are still June's
    said = run(["-w", root, "period", "--for-chase"])
    assert said.exit_code == 0 and said.output == "2022-06\n", said.output


# C ---------------------------------------------------------------------------------------------

def test_init_scripts_refreshes_the_scripts_alone(ws, run):
    old = "#!/usr/bin/env bash\necho 旧版脚本\n"
    for name in ("2-收取并汇总.sh", "2-收取并汇总.bat", SCRIPT_COMMON):
        (ws.root / name).write_text(old, encoding="utf-8")
    (ws.root / "3-生成通报.command").unlink()
    config = (ws.root / "duban.toml").read_bytes().replace(b'period = "2022-06"', b'period = "2022-07"')
    (ws.root / "duban.toml").write_bytes(config)
    master = ws.master_path.read_bytes()
    edited = ws.root / "模板" / "催报邮件.txt"
    edited.write_text("主题：本办自己的催报\n", encoding="utf-8")
    said = run(["-w", str(ws.root), "init", str(ws.root), "--scripts"])
    assert said.exit_code == 0, said.output
    assert said.output == (f"已把工作区 {ws.root} 的双击脚本（22 个文件）更新为本版本的；"
                           "配置、任务清单、改过的模板和数据没有改动。\n")
    for stem in SCRIPTS:
        for ext in (".bat", ".command", ".sh"):
            assert (ws.root / f"{stem}{ext}").read_bytes() == (ROOT / "workbooks" / f"{stem}{ext}").read_bytes()
            assert ext == ".bat" or os.access(ws.root / f"{stem}{ext}", os.X_OK)
    assert (ws.root / SCRIPT_COMMON).read_bytes() == (ROOT / "workbooks" / SCRIPT_COMMON).read_bytes()
    assert (ws.root / "duban.toml").read_bytes() == config and ws.master_path.read_bytes() == master
    assert edited.read_text(encoding="utf-8") == "主题：本办自己的催报\n"
    assert not list(ws.root.glob("*旧版*")), "nothing to keep a copy of: nothing else was written"


def test_init_scripts_needs_a_workspace_and_nothing_else(tmp_path, ws, run):
    nowhere = run(["init", str(tmp_path / "空文件夹"), "--scripts"])
    assert nowhere.exit_code == 2 and "不是工作区（没有 duban.toml），没有可更新的双击脚本" in nowhere.output
    assert not (tmp_path / "空文件夹").exists()
    both = run(["init", str(ws.root), "--scripts", "--force"])
    assert both.exit_code == 2 and "--scripts 只更新双击脚本，不能与" in both.output


# the scripts themselves, against the real duban on a chosen day -----------------------------------

CLOCKED_DUBAN = """#!{python}
# duban as on FAKE_TODAY (18:00, Shanghai), as conftest's set_clock runs it in process
import datetime as dt, os, sys
sys.path.insert(0, {root!r})
from zoneinfo import ZoneInfo
from toolkit.ledger import store
from toolkit.workspace import Workspace
when = dt.datetime.combine(dt.date.fromisoformat(os.environ["FAKE_TODAY"]), dt.time(18, 0), ZoneInfo("Asia/Shanghai"))
store.now = lambda: when.astimezone().replace(tzinfo=None).isoformat(sep=" ")
Workspace.now = lambda self: when.astimezone(self.tz)
from toolkit.cli import main
main()
"""


def _script(root: Path, stem: str, day: dt.date, answer: str = "\n") -> subprocess.CompletedProcess:
    bin_dir = root.parent / "bin"
    if not (bin_dir / "duban").exists():
        bin_dir.mkdir()
        (bin_dir / "duban").write_text(CLOCKED_DUBAN.format(python=sys.executable, root=str(ROOT)), encoding="utf-8")
        (bin_dir / "duban").chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(root.parent), "LANG": "C.UTF-8",
           "FAKE_TODAY": day.isoformat(), "DUBAN_OPEN_COMMAND": "true"}
    return subprocess.run(["bash", str(root / f"{stem}.sh")], input=answer, text=True, capture_output=True,
                          env=env, timeout=300, cwd=root.parent)


@pytest.mark.slow  # plays a month and a half, then the scripts under bash
def test_june_late_returns_after_julys_forms_went_out(issued_ws, make_return, collecting_on, run):
    """The office's July: June's returns collected, merged and its 通报 made by the 6th, July's
    forms issued that day. On the 8th 石碣镇's June return comes: Enter in 2-收取并汇总 and
    3-生成通报 is June, said on the screen; nothing is made for July. On 1 August it is July."""
    root = issued_ws.root
    collecting_on(dt.date(2022, 7, 5))
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    for command in (["collect", "--merge"], ["memo"]):
        assert run(["-w", str(root), *command]).exit_code in (0, 1)
    collecting_on(dt.date(2022, 7, 6))
    issue_returns(issued_ws, JULY)
    assert run(["-w", str(root), "period"]).output == "2022-07\n"
    drop(issued_ws, "石碣镇.xlsx", make_return("石碣镇", clean()), late())

    merged = _script(root, "2-收取并汇总", dt.date(2022, 7, 8))
    assert merged.returncode in (0, 1), merged.stdout + merged.stderr
    assert WHY_JUNE in merged.stderr
    assert "补报：石碣镇 报送了2022年6月的填报表，该期已汇总；本次已重新汇总" in merged.stdout
    assert (root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx").exists()
    memo = _script(root, "3-生成通报", dt.date(2022, 7, 8))
    assert memo.returncode in (0, 1), memo.stdout + memo.stderr
    assert WHY_JUNE in memo.stderr and "通报/2022年6月/" in memo.stdout
    assert not (root / "汇总" / "2022年7月").exists() and not (root / "通报" / "2022年7月").exists()
    status = json.loads(run(["-w", str(root), "status", "--period", "2022-06", "--format", "json"]).stdout)
    assert (status["counts"]["按时报送"], status["counts"]["逾期报送"]) == (1, 1)

    august = _script(root, "2-收取并汇总", dt.date(2022, 8, 1))
    assert august.returncode in (0, 1), august.stdout + august.stderr
    assert "直接回车为" not in august.stderr and (root / "汇总" / "2022年7月").exists()
