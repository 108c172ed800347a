"""Issue 7: the coordinator's desk — run, demo, double-click scripts, open, logs, Excel console."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, drop, late, on_time

from toolkit.filling import Answer, Filling

WORKBOOKS = ROOT / "workbooks"
DONE = Answer(status="已完成", progress=100, work="已完成。", evidence="东政数〔2022〕8号")


# ---------------------------------------------------------------------------
# duban run


def test_run_collects_merges_and_writes_the_memo(run, issued_ws, make_return):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", Filling(answers={"1.2": DONE})), on_time())
    drop(issued_ws, "虎门镇.xlsx", make_return("虎门镇", **{"1_2": Answer(status="滞后", problems="")}), late())
    result = run(["run", "--period", "2022-06"], cwd=issued_ws.root)
    assert result.exit_code == 1  # 虎门镇 was sent back
    lines = result.stdout.splitlines()
    merged = issued_ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"
    memo = next((issued_ws.root / "通报" / "2022年6月").glob("*.docx"))
    assert lines[:3] == [
        "2022年6月月报完成",
        "  本次收到 2 个文件：采纳 1，退回 1，无法读取 0，重复 0",
        "  报送：按时报送 1，逾期报送 0，未报送 52，退回待改 1",
    ]
    assert lines[3].startswith("  未报送：市政务服务数据管理局、市府办、")
    assert lines[4] == "  退回待改：虎门镇"
    assert f"汇总表：{merged}" in lines and f"通报：{memo}" in lines
    assert merged.exists() and memo.exists()
    again = run(["run", "--period", "2022-06"], cwd=issued_ws.root)
    assert again.exit_code == 0
    assert again.stdout.splitlines()[1] == "  收件箱没有新文件，按已收取的报送重新汇总。"


def test_run_on_a_period_never_issued_is_refused(run, ws):
    result = run(["run"], cwd=ws.root)
    assert result.exit_code == 2
    assert result.stderr == ("错误：2022-06 没有下发过填报表；已下发：（还没有）。"
                             "请先运行 duban issue --period 2022-06（或双击“1-下发填报表”，期次输入 2022-06），或加 --force 照常处理。\n")


def test_run_with_nothing_ever_collected(run, issued_ws, collecting_on):
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 1))  # before the deadline: nothing to point to yet
    result = run(["run"], cwd=ws.root)
    assert result.exit_code == 1
    assert result.stderr == ("提示：收件箱是空的，2022年6月还没有收到任何报送。"
                             "请把报送的文件、邮件或压缩包放进“收件箱”文件夹后再运行。\n")


def test_quiet_prints_nothing_but_errors(run, issued_ws, make_return):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", Filling(answers={"1.2": DONE})), on_time())
    result = run(["run", "-q", "--period", "2022-06"], cwd=issued_ws.root)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_every_run_is_logged(run, issued_ws, make_return):
    drop(issued_ws, "虎门镇.xlsx", make_return("虎门镇", **{"1_2": Answer(status="滞后", problems="")}), on_time())
    run(["collect"], cwd=issued_ws.root)
    run(["merge", "--period", "2099-13"], cwd=issued_ws.root)
    log = (issued_ws.root / "日志" / "duban.log").read_text(encoding="utf-8")
    # the office's clock with its offset (test_qa63_rounds_and_log_clock.py)
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+08:00 INFO 运行：duban ", log, re.M)
    assert "收取完成：输入 1 个，登记 1 条，采纳 0，退回 1，无法读取 0，重复 0" in log
    assert "ERROR 期次“2099-13”的月份不对" in log
    assert re.search(r"INFO 结束，用时 \d+\.\d 秒", log)


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from toolkit.cli import State, _ProgressIter

    state = State(None, False, False)
    assert state.progress([1, 2, 3], "x") == [1, 2, 3]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert isinstance(state.progress([1, 2, 3], "x"), _ProgressIter)
    assert State(None, False, True).progress([1, 2, 3], "x") == [1, 2, 3]


# ---------------------------------------------------------------------------
# duban demo


@pytest.mark.slow
def test_demo_builds_and_runs_a_realistic_month(run, tmp_path):
    folder = tmp_path / "演示"
    result = run(["demo", str(folder)], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"演示工作区：{folder}"
    merged = folder / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"
    memo = folder / "通报" / "2022年6月" / "关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报.docx"
    assert f"汇总表：{merged}" in lines and f"通报：{memo}" in lines
    assert merged.exists() and memo.exists()
    assert "  报送：按时报送 42，逾期报送 5，未报送 4，退回待改 3" in lines
    assert "  未报送：市林业局、市残联、企石镇、洪梅镇" in lines
    assert "  退回待改：市医保局、道滘镇、麻涌镇" in lines
    # the memo names the missing units and the consolidated workbook agrees
    import docx
    from openpyxl import load_workbook

    text = "\n".join(p.text for p in docx.Document(str(memo)).paragraphs)
    for unit in ("市林业局", "市残联", "企石镇", "洪梅镇"):
        assert unit in text
    states = {r[0]: r[3] for r in load_workbook(merged)["报送情况"].iter_rows(min_row=4, values_only=True)}
    assert states["桥头镇"] == "逾期报送" and states["市民政局"] == "按时报送" and states["石碣镇"] == "按时报送"
    # routes: the zip and the forwarded mail were opened
    from toolkit.ledger import Ledger

    with Ledger(folder / ".duban" / "ledger.sqlite3") as ledger:
        sources = [r.source for r in ledger.receipts()]
    assert any("压缩包“石碣片区镇街报送.zip”" in s for s in sources)
    assert any("邮件“转发：市卫健局、市税务局6月进展填报表”（发件人" in s for s in sources)
    # a second demo in the same folder replaces the first; a foreign folder is refused
    assert run(["demo", str(folder), "-q"], cwd=tmp_path).exit_code == 0
    foreign = tmp_path / "别的文件夹"
    foreign.mkdir()
    (foreign / "重要.txt").write_text("x")
    refused = run(["demo", str(foreign)], cwd=tmp_path)
    assert refused.exit_code == 2 and "不是演示工作区" in refused.stderr


# ---------------------------------------------------------------------------
# double-click scripts


# Static checks of the scripts, their endings per exit code and runs against a fake duban
# are in test_scripts.py; the offline install from a kit is in test_kit.py. Here: the real
# thing once, end to end.


@pytest.mark.slow
def test_shell_twins_end_to_end(tmp_path):
    """Install into a .venv, issue, collect-and-merge, memo — in a copy of workbooks/."""
    folder = tmp_path / "督办 工作区（测试）"  # a space, brackets and Chinese: the paths offices have
    shutil.copytree(WORKBOOKS, folder, ignore=shutil.ignore_patterns(
        "收件箱", "下发", "归档", "反馈", "汇总", "通报", "日志", ".duban", ".venv"))
    env = dict(os.environ, DUBAN_SOURCE=str(ROOT), PYTHON=sys.executable, DUBAN_OPEN_COMMAND="true")
    env.pop("VIRTUAL_ENV", None)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != venv_bin)

    def script(stem: str, answer: str = "2022-06\n", timeout: int = 900):
        return subprocess.run(["bash", str(folder / f"{stem}.sh")], input=answer, text=True, capture_output=True,
                              env=env, timeout=timeout, cwd=tmp_path)

    installed = script("0-首次安装", "")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "【成功】安装完成" in installed.stdout
    assert (folder / ".venv" / "bin" / "duban").exists()

    issued = script("1-下发填报表")
    assert issued.returncode == 0, issued.stdout + issued.stderr
    assert "已生成 2022年6月进展填报表 54 份" in issued.stdout and "【成功】" in issued.stdout
    returns = folder / "下发" / "2022年6月"
    from toolkit.filling import fill_return

    inbox = folder / "收件箱"
    inbox.mkdir(exist_ok=True)
    (inbox / "石龙镇.xlsx").write_bytes(fill_return(returns / "2022年6月_石龙镇_进展填报表.xlsx",
                                                   Filling(answers={"1.2": DONE})))
    (inbox / "虎门镇.xlsx").write_bytes(fill_return(returns / "2022年6月_虎门镇_进展填报表.xlsx",
                                                   Filling(answers={"1.2": Answer(status="滞后", problems="")})))
    for path in inbox.iterdir():  # saved before the deadline: today's file time would be a 逾期 asked about (QA216)
        os.utime(path, (on_time(), on_time()))
    merged = script("2-收取并汇总")
    assert merged.returncode == 1, merged.stdout + merged.stderr  # one return sent back
    assert "采纳 1，退回 1" in merged.stdout and "【已完成，但有问题需要处理】" in merged.stdout
    assert (folder / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx").exists()

    # Enter takes the period duban itself reports (duban.toml's current period), never the clock.
    current = subprocess.run([str(folder / ".venv" / "bin" / "python"), "-I", "-m", "toolkit", "-w", str(folder),
                              "period"], capture_output=True, text=True, env=env, check=True).stdout.strip()
    assert current == "2022-06"
    memo = script("3-生成通报", "\n")
    assert memo.returncode == 0, memo.stdout + memo.stderr
    assert "通报/2022年6月/" in memo.stdout and "【成功】通报已生成" in memo.stdout
    assert list((folder / "通报" / "2022年6月").glob("*.docx"))

    bad = script("3-生成通报", "六月份\n")
    assert bad.returncode == 2 and "【未完成】" in bad.stdout and "格式不对" in bad.stderr


# ---------------------------------------------------------------------------
# failures a coordinator can cause: one Chinese line each


def test_failures_are_one_line(run, ws, tmp_path, issued_ws):
    lost = run(["collect"], cwd=tmp_path)
    assert lost.exit_code == 2 and lost.stderr.count("\n") == 1 and "找不到工作区" in lost.stderr
    ws.master_path.unlink()
    no_master = run(["issue"], cwd=ws.root)
    assert no_master.exit_code == 2
    assert no_master.stderr == (f"错误：找不到任务清单工作簿：{ws.master_path}。"
                                "请先运行 duban master import 导入任务分工表。\n")
    empty = run(["collect"], cwd=issued_ws.root)
    assert empty.exit_code == 0 and empty.stdout.startswith("收件箱是空的")
    broken = ws.root / "duban.toml"
    broken.write_text("[project\nname = 1", encoding="utf-8")
    bad_config = run(["status"], cwd=ws.root)
    assert bad_config.exit_code == 2 and bad_config.stderr.startswith("错误：配置文件 ")
    assert bad_config.stderr.count("\n") == 1


def test_internal_errors_are_one_line_and_logged(run, issued_ws, monkeypatch):
    import toolkit.actions.status as consolidate

    def boom(*a, **k):
        raise ValueError("意外")

    monkeypatch.setattr(consolidate, "consolidate", boom)
    result = run(["status"], cwd=issued_ws.root)
    assert result.exit_code == 3
    assert result.stderr.startswith("内部错误：ValueError: 意外。") and result.stderr.count("\n") == 1
    assert "Traceback" in (issued_ws.root / "日志" / "duban.log").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# duban open


def test_open(run, issued_ws, make_return, monkeypatch):
    monkeypatch.setenv("DUBAN_OPEN_COMMAND", "true")
    assert run(["open"], cwd=issued_ws.root).stdout == f"已打开：{issued_ws.root}\n"
    nothing = run(["open", "汇总"], cwd=issued_ws.root)
    assert nothing.exit_code == 1 and "还没有生成过汇总表" in nothing.stderr
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", Filling(answers={"1.2": DONE})), on_time())
    run(["run", "-q"], cwd=issued_ws.root)
    opened = run(["open", "汇总"], cwd=issued_ws.root)
    assert opened.stdout == f"已打开：{issued_ws.root / '汇总' / '2022年6月' / '2022年6月_进展汇总表.xlsx'}\n"
    assert run(["open", "通报"], cwd=issued_ws.root).stdout.endswith("进展情况的通报.docx\n")
    unknown = run(["open", "冰箱"], cwd=issued_ws.root)
    assert unknown.exit_code == 2 and "可以打开：文件夹、汇总、通报" in unknown.stderr


# ---------------------------------------------------------------------------
# the Excel console


def test_excel_console_workbook(run, issued_ws):
    pytest.importorskip("xlwings", reason="xlwings 未安装（pip install duban[excel]）")
    result = run(["excel-console"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    path = issued_ws.root / "控制台.xlsm"
    assert result.stdout.splitlines()[0] == f"已生成：{path}"
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert "xl/vbaProject.bin" in names
        vml = z.read("xl/drawings/vmlDrawingDuban1.vml").decode("utf-8")
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert vml.count('ObjectType="Button"') == 3 and vml.count("[0]!SampleCall") == 3
    for caption in ("下发", "收取汇总", "生成通报"):
        assert f">{caption}</font>" in vml
    assert '<legacyDrawing r:id="rIdDubanVml"/>' in sheet
    from openpyxl import load_workbook

    wb = load_workbook(path, keep_vba=True)
    assert wb.sheetnames[:2] == ["控制台", "xlwings.conf"]
    conf = {r[0]: r[1] for r in wb["xlwings.conf"].iter_rows(values_only=True)}
    assert conf["PYTHONPATH"] == str(issued_ws.root)
    assert conf["Interpreter_Win"].endswith("pythonw.exe")
    assert wb["控制台"]["B3"].value == "2022-06"
    module = (issued_ws.root / "控制台.py").read_text(encoding="utf-8")
    assert "run_button(xw.Book.caller())" in module


class FakeRange:
    def __init__(self, sheet, ref):
        self.sheet, self.ref = sheet, ref

    @property
    def value(self):
        return self.sheet.cells.get(self.ref)

    @value.setter
    def value(self, v):
        self.sheet.cells[self.ref] = v

    def expand(self):
        return self

    def clear_contents(self):
        self.sheet.cells.pop(self.ref, None)


class FakeSheet:
    def __init__(self, cells, caption=None):
        self.cells = cells
        self.api = type("Api", (), {"Buttons": staticmethod(lambda name: type("B", (), {"Caption": caption})())})

    def __getitem__(self, ref):
        return FakeRange(self, ref)

    def range(self, ref):
        return FakeRange(self, ref)


class FakeBook:
    """What xlwings' Book.caller() offers, for the parts run_button uses."""

    def __init__(self, root, caption, cells):
        self.fullname = str(root / "控制台.xlsm")
        self.sheet = FakeSheet(cells, caption)
        self.sheets = {"控制台": self.sheet}
        self.app = type("App", (), {"api": type("Api", (), {"Caller": "Button 1"})()})()


@pytest.mark.slow
def test_console_buttons_call_plain_functions(issued_ws, make_return):
    from toolkit.actions.excel_console import run_button

    book = FakeBook(issued_ws.root, "下发", {"B3": "2022-07"})
    run_button(book)
    assert book.sheet.cells["B5"].startswith("已生成 2022年7月填报表 54 份及邮件草稿")
    assert (issued_ws.root / "下发" / "2022年7月").is_dir()
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", Filling(answers={"1.2": DONE})), on_time())
    book = FakeBook(issued_ws.root, "收取汇总", {"B3": "2022-06"})
    run_button(book)
    assert book.sheet.cells["B5"].startswith("收到 1 个文件，采纳 1，退回 0；未报送 53 个单位。汇总表：")
    assert "\n" not in book.sheet.cells["B5"]  # nothing to check: one line
    table = book.sheet.cells["A8"]
    assert table[0][:4] == ["单位", "类别", "应报任务数", "报送状态"] and len(table) == 55
    assert dict((r[0], r[3]) for r in table[1:])["石龙镇"] == "按时报送"
    # 石碣镇's form sent as 石排镇's (W206): the 请核实 the command line says in yellow is in
    # the result cell, under the button's line, the console's user seeing no other screen
    drop(issued_ws, "石排镇6月.xlsx", make_return("石碣镇"), on_time())
    book = FakeBook(issued_ws.root, "收取汇总", {"B3": "2022-06"})
    run_button(book)
    first, *checks = book.sheet.cells["B5"].split("\n")
    assert first.startswith("收到 1 个文件，采纳 1，退回 0；未报送 52 个单位。汇总表：")
    assert checks and all(c.startswith("请核实：石排镇6月.xlsx：填报表内置的单位信息是石碣镇") for c in checks)
    book = FakeBook(issued_ws.root, "生成通报", {"B3": 202206.0})
    run_button(book)
    first, *checks = book.sheet.cells["B5"].split("\n")
    assert first.startswith("通报：") and first.endswith(".docx")
    assert [c for c in checks if c.startswith("请核实：石排镇6月.xlsx：")]
    book = FakeBook(issued_ws.root, None, {"B3": "", "B4": "下发"})
    run_button(book)
    assert book.sheet.cells["B5"] == "未完成：请在“期次”单元格填写期次，如 2022-06。"


def test_console_in_real_excel():
    if sys.platform not in ("win32", "darwin"):
        pytest.skip("需要 Windows 或 macOS 上的 Microsoft Excel（xlwings 不支持 WPS，也不能在 Linux 上驱动 Excel）")
    xw = pytest.importorskip("xlwings")
    try:
        xw.App(visible=False).quit()
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"本机无法启动 Microsoft Excel：{exc}")


def test_taking_the_lock_clears_what_a_killed_run_left(issued_ws):
    stale = issued_ws.root / "汇总" / "2022年6月" / ".~duban-abc123.xlsx"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"half a workbook")
    keep = issued_ws.root / "汇总" / "2022年6月" / "说明.txt"
    keep.write_text("x")
    with issued_ws.lock():
        pass
    assert not stale.exists() and keep.exists()


def test_a_form_of_an_earlier_month_sent_again_keeps_the_current_period(run, issued_ws):
    """In August the office sends 石龙镇 a new July form (it lost the first): the current
    period stays August, or 一键月报 would merge July again and rewrite its 通报."""
    assert run(["issue", "--period", "2022-07"], cwd=issued_ws.root).exit_code == 0
    result = run(["issue", "--period", "2022-06", "--dept", "石龙镇"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    assert "当前期次已设为" not in result.stdout
    assert ("当前期次仍为 2022年7月：补发的是较早一期的填报表，不改变当前期次。"
            "收到后运行 duban merge --period 2022-06（或双击“2-收取并汇总”，期次输入 2022-06）更新该期汇总表。") in result.stdout
    assert run(["period"], cwd=issued_ws.root).stdout == "2022-07\n"
    whole = run(["issue", "--period", "2022-06"], cwd=issued_ws.root)  # a whole month: as asked
    assert "当前期次已设为 2022年6月" in whole.stdout


def test_issue_makes_its_period_current_keeping_the_comments(run, issued_ws):
    config = issued_ws.root / "duban.toml"
    before = config.read_text("utf-8-sig")
    result = run(["issue", "--period", "2022-07"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    assert "当前期次已设为 2022年7月（写入 duban.toml）" in result.stdout
    after = config.read_text("utf-8-sig")
    assert 'period = "2022-07"' in after and 'period = "2022-06"' not in after
    assert [line for line in after.splitlines() if line.startswith("#")] == \
        [line for line in before.splitlines() if line.startswith("#")]
    assert run(["period"], cwd=issued_ws.root).stdout == "2022-07\n"
    again = run(["issue", "--period", "2022-07"], cwd=issued_ws.root)
    assert "当前期次已设为" not in again.stdout  # already current: duban.toml untouched
