"""The demo month's consolidated workbook, shared by the workbook-look tests."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from toolkit.actions.demo import run_demo
from toolkit.style import load_style
from toolkit.workspace import find_workspace

#: Sheet name -> headers of its status-coloured columns.
STATUS_COLUMNS = {"任务汇总": ["综合状态"], "单位明细": ["完成状态"], "报送情况": ["报送状态"],
                  "滞后超期": ["综合状态"], "校验问题": ["级别"], "收件登记": ["结果"]}


def build(folder: Path) -> tuple[Path, dict]:
    """(workbook path, style) of the demo month built in ``folder``."""
    result = run_demo(folder / "督办演示")
    ws = find_workspace(result.root, explicit=True)
    book = next((result.root / "汇总").rglob("*进展汇总表.xlsx"))
    return book, load_style(ws.template("样式.toml"))


def status_colours(style: dict) -> dict[str, str]:
    return {k: v.upper() for k, v in style["summary"]["status_fills"].items()}


def chart_xml(book: Path) -> list[str]:
    with zipfile.ZipFile(book) as z:
        names = sorted((n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
                       key=lambda n: int(re.search(r"\d+", n).group()))
        return [z.read(n).decode("utf-8") for n in names]


def rgb(hex6: str) -> tuple[int, int, int]:
    return int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16)
