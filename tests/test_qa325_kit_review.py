"""QA325: the offline kit reviewed for a Windows PC whose only Python is 3.12, 3.13 or 3.14.

Python 3.14 (python.org's download since October 2025) was outside the kit although every
compiled dependency (python-calamine, lxml, pyppmd, pybcj, inflate64, brotli, markupsafe) has
cp314 wheels for win_amd64, manylinux x86_64 and aarch64: a PC set up with it was sent to IT
for an older Python. Now kit.PYTHONS ends at 3.14, and everything that states the range (the
install scripts, the guide, README, docs/kit.md, `duban kit --help`) says the same.

A kit built for some Pythons only (--python 3.12) told IT "Python 3.10–3.13" in its guide and
in the scripts' advice when no Python was found: they now name the Pythons the kit holds.

A kit built from a Git for Windows checkout (core.autocrlf=true, its default) shipped .sh
scripts with CRLF, which bash on the Linux PC stops at: .gitattributes checks the scripts out
byte for byte, and the kit's wheel build puts each script's line ends right whatever the
checkout did.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from test_scripts import bat, code_lines

from toolkit.actions import kit
from toolkit.actions.kit_files import fix_line_ends
from toolkit.cli import cli

WORKBOOKS = ROOT / "workbooks"
SPAN = f"{kit.PYTHONS[0]}–{kit.PYTHONS[-1]}"


def test_the_kit_holds_python_3_14():
    assert kit.PYTHONS == ("3.10", "3.11", "3.12", "3.13", "3.14")
    assert kit._pythons(["3.14"]) == ["3.14"] and kit._pythons(["314"]) == ["3.14"]
    assert kit._pythons(["3.14", "3.12"]) == ["3.12", "3.14"], "the range reads in order"


def test_every_statement_of_the_range_is_the_kits():
    texts = {name: (WORKBOOKS / name).read_bytes().decode("utf-8")
             for name in ("0-首次安装.bat", "0-首次安装.sh", "0-首次安装.command")}
    texts["README.md"] = (ROOT / "README.md").read_text(encoding="utf-8")
    texts["docs/kit.md"] = (ROOT / "docs" / "kit.md").read_text(encoding="utf-8")
    for name, text in texts.items():
        spans = re.findall(r"3\.10–3\.\d+", text)
        assert spans and set(spans) == {SPAN}, (name, spans)
    # every version the kit holds is one the scripts look for, by name
    launcher = next(line for line in code_lines(bat("0-首次安装")) if line.startswith("for %%v in ("))
    assert sorted(launcher[launcher.index("(") + 1:launcher.index(")")].split()) == sorted(kit.PYTHONS)
    for name in ("0-首次安装.sh", "0-首次安装.command"):
        loop = next(line for line in texts[name].splitlines() if line.strip().startswith("for candidate in"))
        assert {f"python{v}" for v in kit.PYTHONS} <= set(loop.split()), name


def test_kit_help_lists_the_pythons():
    option = next(p for p in cli.commands["kit"].params if p.name == "pythons")
    assert option.help == "、".join(kit.PYTHONS) + "，可重复；默认全部"


def test_the_guide_asks_for_the_pythons_the_kit_holds(tmp_path):
    full = [(p, v) for p in kit.PLATFORMS for v in kit.PYTHONS]
    assert kit._pythons_text(full) == "3.10–3.14"
    assert kit._pythons_text([("win_amd64", "3.12")]) == "3.12"
    assert kit._pythons_text([("win_amd64", "3.13"), ("win_amd64", "3.12")]) == "3.12、3.13"
    assert kit._pythons_text([("win_amd64", "3.10"), ("manylinux_x86_64", "3.12")]) == "3.10、3.12"
    assert kit._pythons_text([("win_amd64", v) for v in ("3.12", "3.13", "3.14")]) == "3.12–3.14"
    guide = tmp_path / kit.GUIDE_NAME
    kit._write_guide(guide, "0.1.0", [("win_amd64", "3.12")], [])
    text = guide.read_bytes().decode("utf-8-sig")
    assert "  电脑上需要先有 Python 3.12（64 位）：其他版本的 Python 没有对应的组件，装不上。\r\n" in text
    assert "3.10–" not in text and "3.13" not in text


def test_the_bat_asks_for_the_kits_pythons_when_none_is_found():
    text = bat("0-首次安装")
    block = text[text.index(":python_advice\r\n"):]
    block = block[:block.index("goto fail_end")]
    assert code_lines(block)[:7] == [
        ":python_advice", f'set "WANT={SPAN}"', 'if defined KIT_PYTHONS set "WANT=%KIT_PYTHONS: =、%"',
        'set "NEWEST=3.12"', 'if defined KIT_PYTHONS for %%v in (%KIT_PYTHONS%) do set "NEWEST=%%v"',
        "echo 请联系信息技术人员安装 Python %WANT% 的 64 位版本：python.org 的“Windows installer (64-bit)”，",
        "echo 例如 python-%NEWEST%.x-amd64.exe。安装时选“Install Now”即可，不需要管理员权限。装好后再双击本文件。"]
    # as the Wine harness runs it, and as a Chinese Windows without chcp 65001 would read it
    block.encode("gbk")


def _sh_says(tmp_path: Path, kit_pythons: str) -> str:
    """The .sh's advice lines for "no Python at all", with KIT_PYTHONS as the kit wrote it."""
    text = (WORKBOOKS / "0-首次安装.sh").read_text(encoding="utf-8")
    start = text.index('  WANT="${KIT_PYTHONS// /、}"')
    snippet = text[start:text.index('  echo "使用 Python：', start)]
    script = tmp_path / "advice.sh"
    script.write_text(f'fail() {{ printf "%s\\n" "$@"; exit 2; }}\nPY=""\nOLD=""\nOUTSIDE=""\n'
                      f'KIT_PYTHONS="{kit_pythons}"\n{snippet}', encoding="utf-8")
    return subprocess.run(["bash", str(script)], capture_output=True, text=True).stdout


def test_the_sh_asks_for_the_kits_pythons_when_none_is_found(tmp_path):
    assert _sh_says(tmp_path, "3.12 3.13").splitlines() == [
        "这台电脑上没有可用的 Python。", "请联系信息技术人员安装 Python 3.12、3.13 中的一个版本，装好后再运行本文件。"]
    assert _sh_says(tmp_path, "").splitlines()[1] == f"请联系信息技术人员安装 Python {SPAN} 中的一个版本，装好后再运行本文件。"


def test_scripts_are_checked_out_byte_for_byte():
    rules = (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    for ext in ("bat", "sh", "command"):
        assert f"workbooks/*.{ext} -text" in rules


def test_the_kits_wheel_gets_each_scripts_line_ends_right(tmp_path, monkeypatch):
    """A checkout with CRLF .sh and an LF .bat (Git for Windows, an editor): the wheel the kit
    builds, and so the kit's workspace and every upgrade's scripts, have them right."""
    source = tmp_path / "源代码"
    (source / "toolkit").mkdir(parents=True)
    (source / "toolkit" / "__init__.py").write_text('"""督办"""\n\n__version__ = "0.1.0"\n', encoding="utf-8")
    (source / "setup.cfg").write_text("", encoding="utf-8")
    (source / "workbooks").mkdir()
    (source / "workbooks" / "1-下发填报表.sh").write_bytes(b"#!/usr/bin/env bash\r\necho \xe5\xa5\xbd\r\n")
    (source / "workbooks" / "1-下发填报表.bat").write_bytes(b"@echo off\nchcp 65001 >nul\r\nsetlocal\n")
    (source / "workbooks" / "任务分工表.xlsx").write_bytes(b"PK\r\n\x00")
    seen = {}

    def fake_pip(args, target=None, offline=False):
        src = Path(args[-1])
        seen.update({p.name: p.read_bytes() for p in (src / "workbooks").iterdir()})
        seen["__init__.py"] = (src / "toolkit" / "__init__.py").read_text(encoding="utf-8")
        wheel_dir = Path(args[args.index("--wheel-dir") + 1])
        (wheel_dir / "duban-0.1.0-py3-none-any.whl").write_bytes(b"")
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(kit, "_source_root", lambda: source)
    monkeypatch.setattr(kit, "_pip", fake_pip)
    kit._build_duban_wheel(tmp_path / "build")
    stamped = seen.pop("__init__.py")
    assert re.fullmatch(r'"""督办"""\n\n__version__ = "0\.1\.0\+\d{8}\.\d{6}"\n', stamped), stamped
    assert seen == {"1-下发填报表.sh": b"#!/usr/bin/env bash\necho \xe5\xa5\xbd\n",
                    "1-下发填报表.bat": b"@echo off\r\nchcp 65001 >nul\r\nsetlocal\r\n",
                    "任务分工表.xlsx": b"PK\r\n\x00"}
    assert (source / "workbooks" / "1-下发填报表.sh").read_bytes().count(b"\r") == 2, "the source is left alone"


def test_the_repositorys_scripts_need_no_fixing(tmp_path):
    """fix_line_ends leaves the shipped scripts byte for byte (their own tests pin the forms)."""
    import shutil

    copy = tmp_path / "workbooks"
    shutil.copytree(WORKBOOKS, copy, ignore=shutil.ignore_patterns("*.xlsx", "*.docx", "示例"))
    fix_line_ends(copy)
    for path in copy.iterdir():
        if path.is_file():
            assert path.read_bytes() == (WORKBOOKS / path.name).read_bytes(), path.name


def test_the_bat_reads_duban_s_version_back_in_utf8():
    """0-首次安装.bat runs with chcp 65001 and reads ``duban --version`` ("duban，版本 0.1.0")
    back from a file with "set /p", which decodes it in that code page. Python writes a file in
    the ANSI code page, GBK on a Chinese Windows, so 【成功】 and 已经安装过 showed "duban��汾"
    there; -I ignores PYTHONIOENCODING, so the line asks for UTF-8 mode itself."""
    text = bat("0-首次安装")
    runs = [line for line in code_lines(text) if "-m toolkit --version" in line]
    assert len(runs) == 2 and all(line.startswith('"%VPY%" -X utf8 -I -m toolkit --version >"%STEP%"')
                                  for line in runs), runs
    # what those flags do, whatever the locale and environment say
    flags = runs[0].split()[1:3]
    env = {"PATH": "/usr/bin:/bin", "LANG": "zh_CN.GBK", "LC_ALL": "zh_CN.GBK", "PYTHONIOENCODING": "gbk"}
    done = subprocess.run([sys.executable, *flags, "-I", "-c", "print('duban，版本 0.1.0')"],
                          capture_output=True, env=env)
    assert done.stdout == "duban，版本 0.1.0\n".encode(), done


def test_the_bat_finds_a_python_from_the_install_manager():
    """python.org's Windows download since 3.14 is the install manager, which keeps runtimes in
    %LOCALAPPDATA%\\Python\\pythoncore-<version>-64: found there when it is not on PATH."""
    lines = code_lines(bat("0-首次安装"))
    assert ('if not defined PY for /d %%d in ("%LOCALAPPDATA%\\Python\\pythoncore-3*") do if not defined PY '
            'call :try_python "%%~fd\\python.exe" ""') in lines


def test_each_kit_stamps_its_build_time_on_dubans_version(tmp_path):
    """Last month's kit and this month's both held duban 0.1.0, and pip kept the installed one
    ("Requirement already satisfied"): an upgrade did nothing and said 无需升级. The stamp makes
    the newer kit's duban newer for pip, and an older kit's older (never a downgrade)."""
    import datetime as dt

    from pip._vendor.packaging.version import Version

    from toolkit.actions.kit_files import stamp_version

    versions = []
    for when in (dt.datetime(2026, 11, 2, 9, 5, 1), dt.datetime(2026, 12, 6, 16, 53, 12)):
        init = tmp_path / "__init__.py"
        init.write_text('"""督办"""\n\n__version__ = "0.1.0"\n_EXPORTS = {"__version__": 1}\n', encoding="utf-8")
        stamp_version(init, when)
        versions.append(re.search(r'__version__ = "([^"]+)"', init.read_text(encoding="utf-8")).group(1))
        assert init.read_text(encoding="utf-8").endswith('_EXPORTS = {"__version__": 1}\n'), "one line changed"
    assert versions == ["0.1.0+20261102.090501", "0.1.0+20261206.165312"]
    assert Version("0.1.0") < Version(versions[0]) < Version(versions[1]) < Version("0.1.1")
    stamp_version(init, dt.datetime(2027, 1, 1))
    assert '__version__ = "0.1.0+20261206.165312"' in init.read_text(encoding="utf-8"), "stamped once"
