"""A QA helper's finding: the offline kit unzipped into a deep folder (C:\\Users\\张三\\Desktop\\
2025年督办工作\\…\\督办工具离线安装包) made pip fail halfway on Windows, whose paths stop at 260
characters unless long paths are enabled, and the coordinator saw pip's English traceback.

0-首次安装 now refuses a workspace too deep before it runs Python or pip, in Chinese, and when
pip fails for any reason it names the log file in Chinese rather than pouring out pip's
output. The .bat is checked statically (see test_scripts.py: it cannot run here); the .sh
runs for real, with the limit that matters on Linux and macOS (SQLite's, for the ledger).
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from test_scripts import bat, code_lines, install, install_ws, tools_only, wine  # noqa: F401 (a fixture)

from toolkit import errors
from toolkit.actions import kit

WINDOWS_MAX_PATH = 259  # MAX_PATH is 260 with the terminating NUL
SITE_PACKAGES = r"\.venv\Lib\site-packages" + "\\"
PYC_TEMP = len(".") + 14  # importlib writes "<name>.pyc.<id(path)>" first, then renames it


# ---------------------------------------------------------------------------
# 0-首次安装.bat


def test_bat_refuses_a_deep_workspace_before_python_and_pip_run():
    lines = code_lines(bat("0-首次安装"))
    assert f'set "MAX_CHARS={kit.MAX_WORKSPACE_CHARS}"' in lines
    count = ['set "WS_LEFT=%WS%"', 'set "WS_CHARS=0"', ":count_ws",
             'if defined WS_LEFT set "WS_LEFT=%WS_LEFT:~1%" & set /a WS_CHARS+=1 & goto count_ws',
             'if %WS_CHARS% GTR %MAX_CHARS% if not exist "%WS%\\.venv\\Scripts\\python.exe" goto path_too_long']
    first = lines.index(count[0])
    assert lines[first:first + len(count)] == count, "the workspace's path counted, then compared"
    for step in ("call :find_python", '-m venv "%WS%\\.venv"', "-m pip install", 'set "PROBE='):
        assert first < next(i for i, line in enumerate(lines) if step in line), step
    assert lines.index('if not exist "%WS%\\duban.toml" goto not_workspace') < first  # WS is settled
    # a broken .venv is made anew: a new install, stopped like a first one (second review)
    broken = lines.index(":broken_venv")
    assert lines[broken + 1] == "if %WS_CHARS% GTR %MAX_CHARS% goto path_too_long"


def test_bat_says_what_to_do_about_a_deep_folder_in_chinese():
    text = bat("0-首次安装").replace("\r\n", "\n")
    block = text[text.index("\n:path_too_long\n"):]
    block = block[:block.index("goto fail_end")]
    said = [line[len("echo "):] for line in block.splitlines() if line.startswith("echo ")]
    assert len(said) == 2 and "echo.\n" in block
    assert said[0].startswith("【失败】工作区的路径太长") and "最多 %MAX_CHARS% 个字符" in said[0]
    assert "D:\\督办" in said[1] and "移到路径短的文件夹里" in said[1]  # what to do, in one line
    # pip failing on a long path anyway (a deeper file in some later version) says the same
    assert 'findstr /c:"WinError 206" /c:"Long Path" "%STEP%" >nul && goto path_too_long' in text


def test_bat_never_pours_out_pips_output_and_names_the_log():
    text = bat("0-首次安装")
    lines = code_lines(text)
    shown = [line for line in lines if re.match(r'(?i)type "%STEP%"', line)]
    assert all('>>"%LOG%"' in line for line in shown), shown  # into the log, never onto the screen
    fallback = text[text.index(":step_failed"):text.index(":no_wheel\r\n")]
    assert "echo 【失败】%WHAT%没有完成：原因不是常见的几种（磁盘已满、文件夹只读、路径太长、缺少组件、文件损坏），完整记录见下面的日志文件。" in fallback
    assert "findstr /b" not in fallback  # no line of pip's English reaches the screen
    fail_end = text[text.index(":fail_end"):]
    assert 'if defined LOG for %%p in ("%LOG%") do echo 安装过程记录在：%%~p（求助时请发给技术支持）' in fail_end
    assert "exit /b 2" in fail_end


@pytest.mark.slow
def test_bat_under_wine_stops_at_a_deep_folder_before_python_runs(wine):  # noqa: F811 (the fixture)
    """The real .bat (test_scripts.py's Wine harness): a workspace one character over the limit
    is refused before any Python runs; one at the limit goes on to install."""
    wheels = wine.folder.parent / "wheels"
    wheels.mkdir(exist_ok=True)
    (wheels / "duban-0.1.0-py3-none-any.whl").write_bytes(b"")
    pybin = wine.folder.parent / "pybin"
    pybin.mkdir(exist_ok=True)
    shutil.copy2(wine.fake, pybin / "python.exe")
    path = "Z:" + str(pybin).replace("/", "\\")
    for chars, refused in ((kit.MAX_WORKSPACE_CHARS + 1, True), (kit.MAX_WORKSPACE_CHARS, False)):
        name = "Z:" + str(wine.folder.parent).replace("/", "\\") + "\\"
        room = chars - len(name)
        target = wine.folder.parent / ("督办（深）" * room)[:room]
        (target / ".venv" / "Scripts").mkdir(parents=True, exist_ok=True)
        (target / "duban.toml").write_text("", encoding="utf-8")
        windows = "Z:" + str(target).replace("/", "\\")
        assert len(windows) == chars
        rc, out, calls = wine.run("0-首次安装", "", windows, WINEPATH=path, FAKE_VERSION="0.1.0")
        if refused:
            assert rc == 2, out
            assert f"【失败】工作区的路径太长：Windows 不能在这么深的文件夹里安装（工作区的路径最多 {chars - 1} 个字符）。" in out
            assert "例如 D:\\督办" in out and calls == [] and not (target / "日志").exists()
        else:
            assert rc == 0 and "【成功】安装完成" in out and "路径太长" not in out, out
        shutil.rmtree(target)


def test_the_limit_leaves_room_for_the_deepest_file_an_install_writes():
    """Why 120: .venv\\Lib\\site-packages\\ and the deepest file of duban's components (a .pyc
    while it is written) must stay under Windows' 260. Measured on the components installed
    here (those for Windows only, like pywin32-ctypes, when present)."""
    deepest = max(_deepest_files(), key=lambda found: found[0])
    longest = kit.MAX_WORKSPACE_CHARS + len(SITE_PACKAGES) + deepest[0]
    assert longest <= WINDOWS_MAX_PATH, deepest
    # and it is not stricter than it needs to be by much: a kit a few folders deep fits
    usual = r"C:\Users\zhangsan\Desktop\2025年督办工作\东莞市政务服务全域标准化专项行动\督办离线安装包-0.1.0\督办离线安装包\督办工作区"
    assert len(usual) <= kit.MAX_WORKSPACE_CHARS


def _deepest_files() -> list[tuple[int, str]]:
    requirements = [re.match(r"[A-Za-z0-9._-]+", r).group(0) for r in
                    re.findall(r"(?m)^    (\S.*)$", (ROOT / "setup.cfg").read_text(encoding="utf-8")
                               .split("install_requires =", 1)[1].split("\n[", 1)[0])]
    todo, seen, found = [*requirements, "pip"], set(), []
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        todo += [re.match(r"[A-Za-z0-9._-]+", r).group(0) for r in dist.requires or [] if "extra ==" not in r]
        for file in dist.files or []:
            rel = str(file).replace("/", "\\")
            if not rel.startswith(".."):
                found.append((len(rel) + (PYC_TEMP if rel.endswith(".pyc") else 0), rel))
    assert {"openpyxl", "lxml", "pip"} <= seen and found
    return found


def test_the_kit_guide_and_the_readme_state_the_same_limit(tmp_path):
    guide = tmp_path / kit.GUIDE_NAME
    kit._write_guide(guide, "0.1.0", [("win_amd64", "3.12")], [])
    text = guide.read_text(encoding="utf-8-sig")
    assert f"工作区的路径最多 {kit.MAX_WORKSPACE_CHARS} 个字符" in text and "D:\\督办" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"工作区的路径最多 {kit.MAX_WORKSPACE_CHARS} 个字符" in readme


# ---------------------------------------------------------------------------
# 0-首次安装.sh, run


def deep_install_ws(tmp_path: Path, ledger_bytes: int) -> Path:
    """An install workspace (`install_ws`) whose ledger path, ``.duban/ledger.sqlite3`` in it,
    is exactly ``ledger_bytes`` long: folders of Chinese names (three bytes a character)."""
    suffix = len("/安装包 拷贝/督办工作区/.duban/ledger.sqlite3".encode())
    folder, room = tmp_path, ledger_bytes - suffix - len(str(tmp_path).encode())
    assert room >= 2
    while room:
        take = min(room, 201)  # a "/" and a name of at most 200 bytes
        if room - take == 1:
            take -= 1  # never leave a "/" with no name after it
        folder = folder / ("督" * ((take - 1) // 3) + "x" * ((take - 1) % 3))
        room -= take
    ws = install_ws(folder)
    assert len(str(ws / ".duban" / "ledger.sqlite3").encode()) == ledger_bytes
    return ws


def test_sh_refuses_a_workspace_too_deep_for_the_ledger_before_python_runs(tmp_path):
    limit = errors._SQLITE_MAX_PATH_BYTES
    assert f"LEDGER_MAX_BYTES={limit}\n" in (ROOT / "workbooks" / "0-首次安装.sh").read_text(encoding="utf-8")
    called = tmp_path / "python-called"
    body = f'echo called >> "{called}"; exit 1\n'
    ws = deep_install_ws(tmp_path / "deep", limit + 1)
    result = install(ws, tools_only(tmp_path, python3=body, python=body))
    assert result.returncode == 2, result.stdout + result.stderr
    said = [line for line in result.stdout.splitlines() if line]
    assert said[-2] == f"【失败】工作区的路径太长（{limit + 1 - 22} 字节，最多 {limit - 22} 字节）：督办在这么深的文件夹里打不开自己的台账。"
    assert said[-1] == "请把安装包（升级时是原来的工作区）整个移到路径短的文件夹里，例如 ~/督办，再运行本文件。"
    assert not called.exists() and not (ws / ".venv").exists() and not (ws / "日志").exists()
    # one byte shorter passes the check: no Python here, and it says so
    ws = deep_install_ws(tmp_path / "fits", limit)
    result = install(ws, tools_only(tmp_path))
    assert result.returncode == 2 and "【失败】这台电脑上没有可用的 Python。" in result.stdout
    assert "路径太长" not in result.stdout


def fake_python(tools: str, pip_says: str) -> None:
    """python3 that makes a .venv whose python fails ``-m pip`` saying ``pip_says``."""
    venv_python = Path(tools).parent / "venv-python"
    venv_python.write_text("#!/bin/bash\n"
                           '[ "$1" = -c ] && exit 0\n'
                           f'[ "$2" = pip ] && {{ printf "%s\\n" {_quote(pip_says)} >&2; exit 1; }}\n'
                           "exit 0\n", encoding="utf-8")
    venv_python.chmod(0o755)
    python3 = Path(tools) / "python3"
    python3.write_text("#!/bin/bash\n"
                       '[ "$1" = -c ] && exit 0\n'
                       '[ "$1" = --version ] && { echo "Python 3.11.2"; exit 0; }\n'
                       f'[ "$2" = venv ] && mkdir -p "$3/bin" && cat "{venv_python}" > "$3/bin/python" '
                       f'&& chmod 755 "$3/bin/python"\n', encoding="utf-8")
    python3.chmod(0o755)
    chmod = Path(tools) / "chmod"
    if not chmod.exists():
        chmod.symlink_to(shutil.which("chmod", path="/usr/bin:/bin"))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


PIP_BROKE = ("ERROR: Exception:\nTraceback (most recent call last):\n"
             '  File "pip/_internal/cli/base_command.py", line 180, in exc_logging_wrapper\n'
             "AttributeError: 'NoneType' object has no attribute 'metadata'")


def test_sh_when_pip_fails_names_the_log_in_chinese(tmp_path):
    ws = install_ws(tmp_path)
    tools = tools_only(tmp_path)
    fake_python(tools, PIP_BROKE)
    result = install(ws, tools)
    assert result.returncode == 2, result.stdout + result.stderr
    log = ws / "日志" / "安装.log"
    assert result.stdout.splitlines()[-1] == f"安装过程记录在：{log}（求助时请发给技术支持）"
    assert "【失败】安装督办没有完成：原因不是常见的几种（磁盘已满、文件夹只读、路径太长、缺少组件、文件损坏），完整记录见下面的日志文件。" in result.stdout
    assert "AttributeError" in log.read_text(encoding="utf-8")
    assert "AttributeError" not in result.stdout and "Traceback" not in result.stdout


def test_sh_when_pip_meets_a_path_too_long_says_move_the_folder(tmp_path):
    ws = install_ws(tmp_path)
    tools = tools_only(tmp_path)
    fake_python(tools, "ERROR: Could not install packages due to an OSError: [Errno 36] File name too long: "
                       "'/home/张三/很深的文件夹/.venv/lib/python3.11/site-packages/lxml'")
    result = install(ws, tools)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "【失败】安装督办时路径太长：工作区所在的文件夹太深。" in result.stdout
    assert "例如 ~/督办" in result.stdout and "Errno 36" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith("安装过程记录在：")
