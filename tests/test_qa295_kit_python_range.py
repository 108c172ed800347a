"""QA295 (after QA291): a PC whose only Python is outside the kit's range, and what it leaves.

0-首次安装 learnt that the kit holds wheels for kit.PYTHONS only after it had made ``.venv`` and
pip had failed; the .bat showed pip's English "No matching distribution" line. The next run then
took the half-made ``.venv`` for an earlier install ("已经安装过（版本未知）"). Now the kit writes
the versions it holds into wheels/python-versions.txt, the scripts check the chosen Python
against it before ``.venv`` exists, and a ``.venv`` whose duban does not run is made anew.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_qa63_deep_install import fake_python
from test_scripts import bat, code_lines, install, install_ws, tools_only, wine  # noqa: F401 (a fixture)

from toolkit.actions import kit

WORKBOOKS = ROOT / "workbooks"
REAL_PYTHON = getattr(sys, "_base_executable", sys.executable)
HERE_VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"
NO_WHEEL = ("ERROR: Could not find a version that satisfies the requirement lxml (from duban) (from versions: none)\n"
            "ERROR: No matching distribution found for lxml")


def kit_for(ws: Path, versions: str) -> None:
    (ws.parent / "wheels" / kit.PYTHONS_NAME).write_bytes(f"{versions}\r\n".encode("ascii"))


# ---------------------------------------------------------------------------
# the kit says which Pythons it holds, in a line the scripts read


def test_kit_writes_the_pythons_it_verified_in_order():
    verified = [("win_amd64", "3.12"), ("manylinux_x86_64", "3.10"), ("win_amd64", "3.10")]
    assert kit._pythons_line(verified) == "3.10 3.12\r\n"
    assert kit._pythons_line([(p, v) for p in kit.PLATFORMS for v in kit.PYTHONS]) == " ".join(kit.PYTHONS) + "\r\n"


def test_build_writes_the_pythons_file_beside_the_range(tmp_path):
    source = (ROOT / "toolkit" / "actions" / "kit.py").read_text(encoding="utf-8")
    assert "(wheels / PYTHONS_NAME).write_text(_pythons_line(verified)" in source
    for script in ("0-首次安装.sh", "0-首次安装.bat"):
        assert kit.PYTHONS_NAME in (WORKBOOKS / script).read_text(encoding="utf-8"), script


# ---------------------------------------------------------------------------
# the check itself: the scripts' own Python snippets, run by a real Python


def _sh_check() -> str:
    text = (WORKBOOKS / "0-首次安装.sh").read_text(encoding="utf-8")
    return re.search(r"^PYCHECK='(.*)'$", text, re.M).group(1)


def _bat_check() -> str:
    line = next(line for line in code_lines(bat("0-首次安装")) if line.startswith('"%~1" %~2 -c "'))
    assert line.endswith('"%KIT_PYTHONS%" >nul 2>nul'), line
    snippet = line[len('"%~1" %~2 -c "'):line.index('" "%KIT_PYTHONS%"')]
    assert "%" not in snippet, "cmd would expand it"
    return snippet


def test_the_python_checks_tell_outside_the_kit_from_too_old():
    for snippet in (_sh_check(), _bat_check()):
        def code(*args: str, check: str = snippet) -> int:
            return subprocess.run([REAL_PYTHON, "-c", check, *args]).returncode
        assert code() == 0, "no range known (an older kit): any 3.10+ goes on to pip"
        assert code("") == 0
        assert code(f"3.10 {HERE_VERSION} 3.13") == 0
        assert code("3.10") == (0 if HERE_VERSION == "3.10" else 13)
        assert code("3.99 4.0") == 13


# ---------------------------------------------------------------------------
# 0-首次安装.sh, run: outside the range it stops before .venv and pip


def test_sh_python_outside_the_kit_stops_before_the_venv(tmp_path):
    ws = install_ws(tmp_path)
    kit_for(ws, "3.98 3.99")
    tools = tools_only(tmp_path)
    (Path(tools) / "python3").symlink_to(REAL_PYTHON)
    result = install(ws, tools)
    assert result.returncode == 2, result.stdout + result.stderr
    said = [line for line in result.stdout.splitlines() if line]
    found = f"Python {sys.version.split()[0]}（{Path(tools) / 'python3'}）"
    assert said[-3:-1] == [
        f"【失败】本安装包只适用于 Python 3.98、3.99，这台电脑上找到的是 {found}。",
        "请联系信息技术人员安装 Python 3.98、3.99 中的一个版本，装好后再运行本文件；"
        "或请技术支持用 duban kit 生成适用于这个 Python 版本的安装包。"]
    assert not (ws / ".venv").exists() and "正在创建 .venv" not in result.stdout
    assert "pip" not in result.stdout and "No matching" not in result.stdout


def test_sh_a_python_inside_the_kit_is_preferred_to_one_outside(tmp_path):
    ws = install_ws(tmp_path)
    kit_for(ws, "3.11")
    tools = tools_only(tmp_path)
    fake_python(tools, NO_WHEEL)
    newer = Path(tools) / "python3.13"
    newer.write_text('#!/bin/bash\n[ "$1" = -c ] && exit 13\necho "Python 3.13.1"\n', encoding="utf-8")
    newer.chmod(0o755)
    result = install(ws, tools)
    assert f"使用 Python：Python 3.11.2（{Path(tools) / 'python3'}）" in result.stdout, result.stdout


def test_sh_an_unfinished_venv_is_made_anew_not_upgraded(tmp_path):
    """An older kit (no python-versions.txt) on a PC it has no wheels for: pip fails after .venv
    was made. The next run says so and starts again; it does not call it an earlier install."""
    ws = install_ws(tmp_path)
    tools = tools_only(tmp_path)
    fake_python(tools, NO_WHEEL)
    first = install(ws, tools)
    assert first.returncode == 2 and "【失败】安装包里没有适合这台电脑的组件（缺少 lxml）" in first.stdout, first.stdout
    (ws / ".venv" / "half-made").write_text("", encoding="utf-8")
    # its python runs; duban in it does not (here: says nothing, as a module that is not there)
    again = install(ws, tools)
    assert "已经安装过" not in again.stdout and "版本未知" not in again.stdout, again.stdout
    assert "上次安装没有完成（.venv 里的督办不能运行），删除 .venv 重新安装。" in again.stdout
    assert again.stdout.index("重新安装") < again.stdout.index("正在创建 .venv")
    assert not (ws / ".venv" / "half-made").exists(), "the old .venv was removed, not reused"


# ---------------------------------------------------------------------------
# 0-首次安装.bat, statically (the Wine test in test_scripts.py runs it where Wine is)


def test_bat_reads_the_kits_pythons_and_checks_before_the_venv():
    text = bat("0-首次安装")
    lines = code_lines(text)
    assert (f'if not defined KIT_PYTHONS if exist "%~f1\\{kit.PYTHONS_NAME}" '
            f'set /p KIT_PYTHONS=<"%~f1\\{kit.PYTHONS_NAME}"') in lines
    assert 'if "%TRC%"=="13" if not defined OUTPY set OUTPY="%~1" %~2' in lines
    find = lines.index(":make_venv")
    assert lines[find:find + 4] == [":make_venv", "call :find_python", "if defined PY goto have_python",
                                    "if defined OUTPY goto python_outside_kit"]
    assert lines.index(":have_python") < lines.index('"%PY%" %PYARG% -m venv "%WS%\\.venv" >"%STEP%" 2>&1')
    block = text[text.index(":python_outside_kit\r\n"):]
    block = block[:block.index("goto fail_end")]
    assert block.splitlines() == [
        ":python_outside_kit",
        '%OUTPY% --version >"%STEP%" 2>&1',
        'set "OUTVER="',
        'set /p OUTVER=<"%STEP%"',
        "echo.",
        "echo 【失败】本安装包只适用于 Python %KIT_PYTHONS: =、%，这台电脑上找到的是 %OUTVER%。",
        "echo 请联系信息技术人员安装 Python %KIT_PYTHONS: =、% 中的一个版本（64 位），装好后再双击本文件；"
        "或请技术支持用 duban kit 生成适用于这个 Python 版本的安装包。"]
    assert "pip" not in block and "findstr" not in block


def test_bat_an_unfinished_venv_is_made_anew_not_upgraded():
    text = bat("0-首次安装")
    lines = code_lines(text)
    assert "版本未知" not in text
    start = lines.index('"%VPY%" -X utf8 -I -m toolkit --version >"%STEP%" 2>nul')
    assert lines[start:start + 5] == [
        '"%VPY%" -X utf8 -I -m toolkit --version >"%STEP%" 2>nul',
        "if errorlevel 1 goto unfinished_venv",
        "set /p OLD_VERSION=<\"%STEP%\"",
        "if not defined OLD_VERSION goto unfinished_venv",
        "echo 已经安装过（%OLD_VERSION%），现在升级；工作区里的数据不会改动。"]
    unfinished = lines.index(":unfinished_venv")
    assert lines[unfinished:unfinished + 4] == [
        ":unfinished_venv", "if %WS_CHARS% GTR %MAX_CHARS% goto path_too_long",
        "echo 上次安装没有完成（.venv 里的督办不能运行），删除 .venv 重新安装。", "goto remove_venv"]
    remove = lines.index(":remove_venv")
    assert lines[remove:remove + 4] == [":remove_venv", 'rmdir /s /q "%WS%\\.venv" 2>nul',
                                        'if exist "%WS%\\.venv" goto venv_locked', ":make_venv"]


@pytest.mark.slow
def test_bat_under_wine_outside_the_kit_and_after_an_unfinished_install(wine):  # noqa: F811 (the fixture)
    """The real .bat (test_scripts.py's Wine harness; slow: run in CI, out of the quick loop)."""
    shutil.rmtree(wine.folder / ".venv", ignore_errors=True)
    wheels = wine.folder.parent / "wheels"
    wheels.mkdir(exist_ok=True)
    (wheels / "duban-0.1.0-py3-none-any.whl").write_bytes(b"")
    (wheels / kit.PYTHONS_NAME).write_bytes(b"3.11 3.12\r\n")
    pybin = wine.folder.parent / "pybin"
    pybin.mkdir(exist_ok=True)
    shutil.copy2(wine.fake, pybin / "python.exe")
    path = "Z:" + str(pybin).replace("/", "\\")
    try:
        # every Python found answers 13, "not one of the kit's" (the fake's --version: 3.8.10)
        rc, out, calls = wine.run("0-首次安装", WINEPATH=path, FAKE_C_RC="13")
        assert rc == 2, out
        assert "【失败】本安装包只适用于 Python 3.11、3.12，这台电脑上找到的是 Python 3.8.10。" in out
        assert "请联系信息技术人员安装 Python 3.11、3.12 中的一个版本（64 位）" in out
        assert calls == [] and not (wine.folder / ".venv").exists() and "正在创建 .venv" not in out

        # a .venv whose Python runs but whose duban does not: made anew, not "已经安装过"
        (wine.folder / ".venv" / "Scripts").mkdir(parents=True)
        shutil.copy2(wine.fake, wine.folder / ".venv" / "Scripts" / "python.exe")
        (wine.folder / ".venv" / "half-made").write_bytes(b"")
        rc, out, calls = wine.run("0-首次安装", WINEPATH=path, FAKE_VERSION="-")
        assert "上次安装没有完成（.venv 里的督办不能运行），删除 .venv 重新安装。" in out, out
        assert "已经安装过" not in out and "版本未知" not in out
        assert not (wine.folder / ".venv" / "half-made").exists()
        assert out.index("重新安装") < out.index("正在创建 .venv")
    finally:
        shutil.rmtree(wine.folder / ".venv", ignore_errors=True)
        (wheels / kit.PYTHONS_NAME).unlink(missing_ok=True)
