"""QA304: the .sh double-click scripts driven as an office worker would.

Before: Ctrl-C at a prompt (or while no duban was running) closed the script with nothing
said and no pause; a script opened through a link on the desktop, or started with
``sh 名字.sh``, ended in bash's or dash's English error ("No such file or directory",
"Bad substitution", 'Syntax error: "(" unexpected').
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import test_scripts
from test_scripts import ENDINGS, RUNNERS, WORKBOOKS, install_ws, run_script

from toolkit.workspace import SCRIPT_COMMON

script_ws = test_scripts.script_ws  # the fixture (see mailservers.py on ruff's F811)

ENGLISH = ("No such file", "Bad substitution", "Syntax error", "not found", "Traceback", "Illegal option")


def _env(folder: Path) -> dict[str, str]:
    return {"PATH": f"{folder.parent / 'bin'}:/usr/bin:/bin", "HOME": str(folder.parent), "LANG": "C.UTF-8",
            "FAKE_LOG": str(folder.parent / "duban-calls.log")}


def _as_in_a_terminal() -> None:
    """Ctrl-C not ignored, as in a terminal: a test run (or a test before this one) may have left
    SIGINT ignored, and bash can neither trap nor reset a signal ignored when it starts."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt_at_prompt(folder: Path, stem: str, answers: str = "",
                         after_period: bool = False) -> subprocess.CompletedProcess:
    """Start the script, give it the answers, then Ctrl-C (SIGINT to its process group, as the
    terminal does) while it waits at the next prompt: the period's, once duban gave the default."""
    log = folder.parent / "duban-calls.log"
    log.unlink(missing_ok=True)
    proc = subprocess.Popen(["bash", str(folder / f"{stem}.sh")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(folder), cwd=folder.parent,
                            start_new_session=True, preexec_fn=_as_in_a_terminal)
    try:
        proc.stdin.write(answers)
        proc.stdin.flush()
        # at the prompt: the stdin pipe stays open, so read waits
        deadline = time.monotonic() + (20 if after_period else 0.6)
        while time.monotonic() < deadline and not (after_period and log.exists()):
            time.sleep(0.02)
        time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_ctrl_c_at_the_period_prompt_says_cancelled(script_ws):
    for stem in RUNNERS:
        answers = "1\n" if stem == "4-发送邮件" else ""
        result = _interrupt_at_prompt(script_ws, stem, answers, after_period=True)
        assert result.returncode == 130, (stem, result.stdout, result.stderr)
        assert result.stdout.splitlines()[-1] == ENDINGS[130], (stem, result.stdout)


def test_ctrl_c_at_the_mail_kind_prompt_sends_nothing(script_ws):
    result = _interrupt_at_prompt(script_ws, "4-发送邮件")
    assert result.returncode == 130 and result.stdout.splitlines()[-1] == ENDINGS[130], result.stdout
    log = script_ws.parent / "duban-calls.log"
    assert not log.exists(), "not even the period asked for"


def test_a_duban_run_that_cancels_itself_is_said_once(script_ws):
    """A run that handles Ctrl-C itself (exit 130, duban's own 已取消 line) still gets one ending."""
    result, _ = run_script(script_ws, "一键月报", run=130)
    assert result.returncode == 130
    assert [line for line in result.stdout.splitlines() if line.startswith("【")] == [ENDINGS[130]]


def test_a_link_on_the_desktop_runs_in_the_workspace(script_ws, tmp_path):
    desktop = tmp_path / "桌面"
    desktop.mkdir()
    (desktop / "月报.sh").symlink_to(script_ws / "3-生成通报.sh")
    result = subprocess.run(["bash", str(desktop / "月报.sh")], input="\n", text=True, capture_output=True,
                            env=_env(script_ws), timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == f"工作区：{script_ws}"
    assert result.stdout.splitlines()[-1].startswith(ENDINGS[0])


def test_a_script_copied_out_of_the_workspace_says_so_in_chinese(script_ws, tmp_path):
    desktop = tmp_path / "桌面"
    desktop.mkdir()
    for stem in RUNNERS:
        shutil.copy2(script_ws / f"{stem}.sh", desktop)
        result = subprocess.run(["bash", str(desktop / f"{stem}.sh")], input="\n", text=True, capture_output=True,
                                env=_env(script_ws), timeout=60, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stdout.splitlines() == [
            f"【失败】本文件旁边没有“{SCRIPT_COMMON}”：请到工作区文件夹里运行它，不要把它单独复制出来（桌面上可以放它的链接）。"]
        assert not any(word in result.stderr for word in ENGLISH), result.stderr


def test_started_with_sh_runs_as_with_bash(script_ws):
    for stem in RUNNERS:
        answer = "3\n\n" if stem == "4-发送邮件" else "\n"
        by_bash, bash_calls = run_script(script_ws, stem, answer)
        log = script_ws.parent / "duban-calls.log"
        log.unlink(missing_ok=True)
        by_sh = subprocess.run(["sh", str(script_ws / f"{stem}.sh")], input=answer, text=True, capture_output=True,
                               env=_env(script_ws), timeout=60, cwd=script_ws.parent)
        assert (by_sh.returncode, by_sh.stdout) == (by_bash.returncode, by_bash.stdout), (stem, by_sh.stderr)
        assert log.read_text(encoding="utf-8").splitlines() == bash_calls


def test_installer_started_with_sh_says_what_is_missing_in_chinese(tmp_path):
    ws = install_ws(tmp_path, wheels=False)
    result = subprocess.run(["sh", str(ws / "0-首次安装.sh")], text=True, capture_output=True,
                            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, stdin=subprocess.DEVNULL,
                            timeout=60, cwd="/")
    assert result.returncode == 2
    assert "【失败】找不到安装文件（wheels 文件夹）。" in result.stdout
    assert not any(word in result.stderr for word in ENGLISH), result.stderr


def test_every_shell_script_restarts_itself_in_bash():
    for stem in [*RUNNERS, "0-首次安装"]:
        lines = (WORKBOOKS / f"{stem}.sh").read_text(encoding="utf-8").splitlines()
        assert any(line.startswith('[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"') for line in lines[:4]), stem


def test_ctrl_c_mid_install_says_to_run_it_again(tmp_path):
    """Before: bash died with pip, the window closed with nothing said."""
    ws = install_ws(tmp_path)
    slow = ('[ "$1" = -c ] && exit 0\n[ "$1" = --version ] && { echo "Python 3.11.2"; exit 0; }\n'
            'sleep 30\n')
    path = test_scripts.tools_only(tmp_path, python3=slow)
    (Path(path) / "sleep").symlink_to(shutil.which("sleep", path="/usr/bin:/bin"))
    proc = subprocess.Popen(["bash", str(ws / "0-首次安装.sh")], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={"PATH": path, "LANG": "C.UTF-8"}, cwd="/",
                            start_new_session=True, preexec_fn=_as_in_a_terminal)
    try:
        step = ws / "日志" / ".安装-本步.log"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not step.exists():
            time.sleep(0.02)
        time.sleep(0.2)  # python3 -m venv (the fake sleeps) is running
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 2, (out, err)
    assert "【失败】安装被中断（按了 Ctrl-C），没有装完。" in out
    assert "请重新运行本文件：没装完的部分会重新安装，工作区里的数据不受影响。" in out
    assert "安装过程记录在：" in out and not step.exists()
