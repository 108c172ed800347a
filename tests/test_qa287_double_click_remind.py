"""4-发送邮件 → 3 催报, double-clicked (QA287).

It ran `duban mail send remind`, but reminder drafts are written by `duban remind` alone, which no
script ran: an office that never types got "没有催报邮件草稿…请先运行 duban remind" and could not
chase a unit. The script now writes the month's reminders first, then `mail send` lists them and
asks. remind's 请核实 (exit 1: a unit may have reported) is asked about before anything is listed,
Enter sends nothing; any other failure of remind sends nothing. A unit that reported is not
chased; double-clicked twice on one day, no unit is chased twice.

The .sh runs for real here, with the clone's duban and the test mail servers; its endings per exit
code against a fake duban, and the .bat's text, are in test_scripts.py.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import test_mail_send
from conftest import PERIOD, ROOT, drop, on_time
from test_evidence import clean
from test_scripts import REMIND_ASKS, REMIND_STOPPED

from toolkit.actions.collect import collect
from toolkit.mail_plan import SendPlan
from toolkit.workspace import SCRIPT_COMMON

pytestmark = pytest.mark.slow  # real mail servers and four runs of duban in a subprocess: run in CI

servers = test_mail_send.servers  # the fixture (see mailservers.py on ruff's F811)
UNITS = test_mail_send.UNITS
address = test_mail_send.address


def _double_click(ws, answers: str) -> subprocess.CompletedProcess:
    """4-发送邮件.sh as copied into the workspace, the duban on PATH this checkout's."""
    bin_dir = ws.root.parent / "bin"
    bin_dir.mkdir(exist_ok=True)
    duban = bin_dir / "duban"
    # _公共.sh unsets PYTHONPATH: the wrapper sets it again, so the checkout under test runs
    duban.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m toolkit "$@"\n', encoding="utf-8")
    duban.chmod(0o755)
    for name in ("4-发送邮件.sh", SCRIPT_COMMON):
        shutil.copy2(ROOT / "workbooks" / name, ws.root / name)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(ws.root.parent), "LANG": "C.UTF-8",
           "DUBAN_MAIL_PASSWORD": os.environ["DUBAN_MAIL_PASSWORD"]}
    return subprocess.run(["bash", str(ws.root / "4-发送邮件.sh")], input=answers, text=True, capture_output=True,
                          env=env, timeout=300, cwd=ws.root.parent)


def test_double_clicked_remind_writes_then_asks_then_sends_once(issued_ws, make_return, servers, run):
    ws = test_mail_send.issued_with_emails(issued_ws, servers, UNITS)
    subjects_before = {n: len(test_mail_send.received(servers, address(n))) for n in range(len(UNITS))}
    # 石龙镇 reported and was collected: never chased
    drop(ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(ws)

    # the mailbox not fetched today: remind writes the drafts, says so, exits 1; Enter sends nothing
    stopped = _double_click(ws, "3\n\n\n")
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    out = stopped.stdout
    assert "2022年6月：已为 53 个单位写好催报邮件草稿" in out and "  未报送 石龙镇" not in out
    assert "  未报送 市公安局" in out and ("还没有收取过邮箱" in out or "邮箱上次收取" in out), out
    assert out.splitlines()[-5:] == ["", *REMIND_ASKS, "", REMIND_STOPPED]
    assert "确认发送" not in stopped.stderr and len(servers.smtp_log) == 0

    # y: mail send lists what goes, repeats the 请核实, and asks; y sends, and the window ends on
    # the warning it said, not 【成功】 (QA371, QA378: `mail send` exits 1 beside its 请核实)
    sent = _double_click(ws, "3\n\ny\ny\n")
    assert sent.returncode == 1, sent.stdout + sent.stderr
    lines = sent.stdout.splitlines()
    assert "2022年6月 催报邮件：待发送 4 封" in sent.stdout
    assert "  石龙镇 → u02@dg.example.cn" not in "\n".join(lines)
    assert any(line.startswith("以上催报邮件中可能有发给已报送单位的：请先核实") for line in lines)
    assert "确认发送以上邮件？" in sent.stderr and lines[-1].startswith("【已完成，但有问题需要处理】")
    got = {u: len(test_mail_send.received(servers, address(n))) - subjects_before[n] for n, u in enumerate(UNITS)}
    assert got == {"市公安局": 1, "市民政局": 1, "石龙镇": 0, "东城街道": 1, "虎门镇": 1}

    # double-clicked again the same day: the drafts written again are today's mails, not sent twice
    again = _double_click(ws, "3\n\ny\ny\n")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "其中 4 个单位今天已发过催报邮件" in again.stdout
    assert "2022年6月 的催报邮件都已发送过，没有要发送的。" in again.stdout or "已发送过的 4 封不再发送" in again.stdout
    assert "确认发送以上邮件？" not in again.stderr, "nothing to send: nothing asked"
    got = {u: len(test_mail_send.received(servers, address(n))) - subjects_before[n] for n, u in enumerate(UNITS)}
    assert got == {"市公安局": 1, "市民政局": 1, "石龙镇": 0, "东城街道": 1, "虎门镇": 1}

    # fetched today: remind has nothing to ask, mail send lists and asks; Enter there sends nothing
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0
    quiet = _double_click(ws, "3\n\n\n")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert REMIND_ASKS[0] not in quiet.stdout and "已发送过的 4 封不再发送" in quiet.stdout


def test_all_reported_says_so_not_run_remind():
    """4-发送邮件 ran remind, which wrote no draft: every unit reported. mail send says that, not
    "请先运行 duban remind"."""
    plan = SendPlan("remind", PERIOD, "dbb@example.cn", "smtp.example.cn:465", owed=False)
    assert plan.lines() == ["2022年6月所有单位都已报送并采纳，无需催报。"]
    owed = SendPlan("remind", PERIOD, "dbb@example.cn", "smtp.example.cn:465")
    assert owed.lines() == ["2022年6月 没有催报邮件草稿。请先运行 duban remind（或双击“4-发送邮件”，选 3 催报）。"]


def test_the_bat_writes_the_reminders_first_and_asks_on_exit_1():
    text = (ROOT / "workbooks" / "4-发送邮件.bat").read_bytes().decode("utf-8")
    lines = [line.strip() for line in text.split("\r\n")]
    block = lines[lines.index(":remind_first"):lines.index(":cancelled")]
    assert [line for line in block if line and not line.startswith("rem ")] == [
        ":remind_first",
        '%DUBAN% remind --period "%PERIOD%"',
        'set "RC=%ERRORLEVEL%"',
        'if "%RC%"=="0" goto send',
        'if not "%RC%"=="1" echo 没有发送任何催报邮件。& goto finish',
        "echo.",
        f"echo {REMIND_ASKS[0]}",
        f"echo {REMIND_ASKS[1]}",
        'set "GO="',
        'set /p "GO=仍要现在发送催报邮件吗？输入 y 列出将发送的邮件（发送前还会再确认），直接回车不发送："',
        "if not defined GO goto remind_stop",
        'set "GO=%GO:"=%"',
        'if /i "%GO%"=="y" goto send',
        ":remind_stop",
        "echo.",
        f"echo {REMIND_STOPPED}",
        "pause",
        "popd",
        "exit /b 1"]
    assert 'if "%KIND%"=="remind" goto remind_first\r\n:send\r\n%DUBAN% mail send %KIND% --period "%PERIOD%"' in text
    sh = (ROOT / "workbooks" / "4-发送邮件.sh").read_text(encoding="utf-8")
    assert "仍要现在发送催报邮件吗？输入 y 列出将发送的邮件（发送前还会再确认），直接回车不发送：" in sh
    assert Path(ROOT / "workbooks" / "4-发送邮件.command").read_bytes() == sh.encode("utf-8")
