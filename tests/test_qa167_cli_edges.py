"""QA167: five edges of the command line QA161 found: output on a full disk, output into a
closed pipe, a month with nothing collected, a cancelled `mail send`, and a stopped `run`'s
memo worker leaving its half-written .docx in .duban/tmp."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import test_mail_send
from conftest import ROOT, drop, on_time
from test_mail_send import UNITS, FakeClock, issued_with_emails

from toolkit import mail_send
from toolkit.actions import run as run_action
from toolkit.filling import Filling
from toolkit.ledger import Ledger
from toolkit.mail_send import Clock

servers = test_mail_send.servers  # the fixture (see mailservers.py on ruff's F811)


def _duban(args: list[str], cwd: Path, stdout) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd, env=env, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [["status"], ["--help"], ["merge", "--help"]])
def test_output_to_a_full_disk_names_the_output_not_the_ledger(issued_ws, args):
    """`duban status > 状态.txt` on a full disk named the ledger (收件登记) as the file that
    could not be written; `--help` gave a traceback."""
    with open("/dev/full", "w") as full:
        result = _duban(args, issued_ws.root, full)
    assert result.returncode == 2
    assert result.stderr == ("错误：磁盘已满，屏幕输出（已转存到文件）无法写入。"
                             "请腾出磁盘空间，或把输出转存到其他磁盘后重新运行。\n")


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["status", "--help"], ["status"]])
def test_output_into_a_pipe_the_reader_closed_exits_0(issued_ws, args):
    """`duban --help | head -1`: the reader's choice. click's own handling exited 1 for the
    top-level --help and --version; every other output of duban exits 0 for it."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before duban writes a byte
    try:
        result = _duban(args, issued_ws.root, write)
    finally:
        os.close(write)
    assert result.returncode == 0
    assert result.stderr == ""


def test_merge_of_a_month_nothing_was_collected_for_says_so_without_error(run, issued_ws):
    result = run(["merge", "--period", "2022-09", "--force"], cwd=issued_ws.root)
    assert result.exit_code == 1  # NothingToDo: the documented exit for nothing to work on
    assert result.stderr == ("提示：2022年9月还没有收取到任何报送（本工作区还没有收取过报送），没有可汇总的内容，"
                             "汇总表未生成。本工作区没有2022年9月下发填报表的记录：如尚未下发，请先运行 duban issue --period 2022-09"
                             "（或双击“1-下发填报表”，期次输入 2022-09）；"
                             "收到报送后运行 duban collect（或双击“2-收取并汇总”）。\n")
    memo = run(["memo", "--period", "2022-09", "--force"], cwd=issued_ws.root)
    assert memo.exit_code == 1
    assert memo.stderr.startswith("提示：2022年9月还没有收取到任何报送（本工作区还没有收取过报送），没有可写进通报的进展，通报未生成。")


def test_mail_send_cancelled_says_which_mails_went(issued_ws, servers, monkeypatch, run):
    """Ctrl-C after three of five forms went: the office must know who has theirs."""
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    fake = FakeClock()

    def sleep(seconds: float) -> None:
        if len(fake.sleeps) == 2:  # before the fourth message
            raise KeyboardInterrupt
        fake.sleep(seconds)

    monkeypatch.setattr(mail_send, "CLOCK", Clock(fake.now, sleep))
    result = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == (
        "已取消：本次已发送2022年6月下发邮件 3 封（市公安局、市民政局、石龙镇），未发送 2 封（东城街道、虎门镇）。"
        "再次运行 duban mail send issue 会接着发送未发出的，已发出的不会重发。")
    assert len(s.smtp_log) == 3
    with Ledger(ws.ledger_path) as ledger:
        assert {r[0] for r in ledger.conn.execute("SELECT unit FROM mail_sent WHERE state='sent'")} == set(UNITS[:3])


def test_a_stopped_run_removes_its_memo_workers_temporary_file(run, issued_ws, make_return, monkeypatch):
    """The memo is filled in a worker process while the workbook is written; a stop kills the
    worker mid-write, and its `<pid>-….docx` stayed in .duban/tmp until the next run."""
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", Filling()), on_time())
    tmp = issued_ws.state_dir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)

    def memo_job(job):  # in the worker: a memo half written, then killed while at it
        (tmp / f"{os.getpid()}-abc123.docx").write_bytes(b"PK\x03\x04")
        time.sleep(60)

    def merge(*args, **kwargs):  # in the parent: Ctrl-C once the worker is writing
        deadline = time.monotonic() + 30
        while not list(tmp.glob("*.docx")) and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyboardInterrupt

    monkeypatch.setattr(run_action, "_memo_job", memo_job)
    monkeypatch.setattr(run_action, "merge", merge)
    result = run(["run"], cwd=issued_ws.root)
    assert result.exit_code == 130
    assert result.stderr.startswith("已取消：")
    assert not list(tmp.iterdir())
