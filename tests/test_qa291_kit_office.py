"""QA291: the offline kit as an office without internet lives it.

A wheel that arrives damaged (a USB copy cut short, an unzip that stopped midway) made
0-首次安装 say only "原因不是常见的几种" — the office cannot tell that copying the kit again
fixes it. Python newer than the kit's wheels (python.org's current download) is not "3.10
或更新版本" as the guide said: the kit only holds wheels for kit.PYTHONS.
"""

from __future__ import annotations

import pytest
from test_qa63_deep_install import fake_python
from test_scripts import bat, code_lines, install, install_ws, tools_only

from toolkit.actions import kit

LXML = "lxml-6.2.0-cp311-cp311-manylinux_2_26_x86_64.manylinux_2_28_x86_64.whl"
# What pip 25 prints for a truncated wheel (seen with a kit whose lxml was cut at 100 kB).
PIP_INVALID = (f"Processing /media/U盘/督办离线安装包/wheels/{LXML}\n"
               f"ERROR: Wheel 'lxml' located at /media/U盘/督办离线安装包/wheels/{LXML} is invalid.")

BAD_CRC = ("ERROR: Exception:\nTraceback (most recent call last):\n"
           "zipfile.BadZipFile: Bad CRC-32 for file 'openpyxl/cell/cell.py'")
CORRUPT = "【失败】安装包里的文件已损坏（可能拷贝或解压时没有完整）"
AGAIN = "请把完整的安装包重新拷到这台电脑上（用压缩包时重新解压），再运行本文件；仍然不行时请技术支持重新生成安装包。"


@pytest.mark.parametrize("pip_says, named", [(PIP_INVALID, f"：{LXML}。"), (BAD_CRC, "。")])
def test_sh_a_damaged_wheel_says_copy_the_kit_again(tmp_path, pip_says, named):
    ws = install_ws(tmp_path)
    tools = tools_only(tmp_path)
    fake_python(tools, pip_says)
    result = install(ws, tools)
    assert result.returncode == 2, result.stdout + result.stderr
    said = [line for line in result.stdout.splitlines() if line]
    assert said[-3:-1] == [CORRUPT + named, AGAIN]
    assert "ERROR" not in result.stdout and "BadZipFile" not in result.stdout


def test_bat_a_damaged_wheel_says_copy_the_kit_again():
    text = bat("0-首次安装")
    lines = code_lines(text)
    check = next(line for line in lines if "goto corrupt_wheel" in line)
    for sign in ("is invalid", "BadZipFile", "invalid wheel"):
        assert f'/c:"{sign}"' in check
    # before the "no wheel for this PC" test: a damaged lxml is not a missing one
    assert text.index("goto corrupt_wheel") < text.index("goto no_wheel\r\n")
    block = text[text.index(":corrupt_wheel\r\n"):]
    block = block[:block.index("goto fail_end")]
    assert f"echo {CORRUPT}。\r\n" in block and f"echo {AGAIN.replace('本文件', '本文件')}\r\n" in block


def test_the_guide_states_the_pythons_the_kit_holds():
    span = f"{kit.PYTHONS[0]}–{kit.PYTHONS[-1]}"
    guide = kit.GUIDE
    assert "或更新版本" not in guide
    assert "{pythons}" in guide
    text = kit.GUIDE.format(version="0.1.0", date="2026-12-06", range="…", ws="督办工作区", installer="0-首次安装",
                            needed=300, max_chars=120, pythons=span, newest=kit.PYTHONS[-1])
    assert f"电脑上需要先有 Python {span}（64 位）" in text
    assert f"python-{kit.PYTHONS[-1]}.x-amd64.exe" in text
