"""QA292: the 汇总表 as the coordinator prints it.

A unit that sent nothing (未报送) or whose return was sent back (退回待改) has no accepted
figures: 报送情况 and 总览's 四 printed 已完成数 0 and 滞后数 0 for it (and 错误数 0, 警告数 0
for a unit whose file nobody checked), read on paper as "reported, nothing done". They are
blank, as its 平均进度 already was.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from openpyxl import load_workbook
from test_merge import month  # noqa: F401  (fixture)

from toolkit.actions.merge import merge
from toolkit.style import load_style
from toolkit.summary_book import write_workbook

pytestmark = pytest.mark.slow  # a whole month: run in CI, out of the quick loop


def test_nothing_reported_prints_blank_counts_not_zero(month):  # noqa: F811
    result = merge(month, "2022-06")
    book = load_workbook(result.path)
    rows = {r[0]: r for r in book["报送情况"].iter_rows(min_row=4, values_only=True)}
    missing = next(r for r in rows.values() if r[3] == "未报送")
    # 错误数 警告数 已完成数 滞后数 平均进度
    assert missing[6:11] == (None, None, None, None, None)
    returned = rows["虎门镇"]
    assert returned[3] == "退回待改" and returned[6] == 1  # its errors are why it went back
    assert returned[8:11] == (None, None, None)
    assert rows["市公安局"][8:10] == (0, 0)  # reported, none done: a real 0
    overview = {r[0]: r for r in book["总览"].iter_rows(values_only=True) if r and r[0] in rows}
    assert overview[missing[0]][1:6] == (missing[2], None, None, None, "未报送")
    assert overview["虎门镇"][2:5] == (None, None, None)
    assert overview["市公安局"][2:4] == (0, 0)


def test_an_empty_table_says_so_above_its_header(month, tmp_path):  # noqa: F811
    """滞后超期, 校验问题 and 收件登记 with no rows printed a bare header, as if rows were lost:
    their subtitle says the sheet is empty and why; a sheet with rows keeps the common one."""
    result = merge(month, "2022-06")
    cons = result.consolidation
    common = load_workbook(result.path)["校验问题"]["A2"].value
    assert cons.issues and "。" not in common

    def subtitles(cons) -> dict[str, str]:
        path = tmp_path / f"{len(cons.receipts)}.xlsx"
        write_workbook(cons, path, load_style())
        book = load_workbook(path)
        return {name: book[name]["A2"].value for name in ("任务汇总", "滞后超期", "校验问题", "收件登记")}

    received = subtitles(replace(cons, issues=[], tasks=[t for t in cons.tasks if not t.overdue and
                                                            t.status != "滞后"]))
    assert received == {"任务汇总": common, "滞后超期": f"{common}。本期无滞后或超期任务。",
                        "校验问题": f"{common}。本期收到的报送未发现校验问题。", "收件登记": common}
    assert subtitles(replace(cons, issues=[], receipts=[]))["校验问题"] == f"{common}。本期尚未收到报送文件。"
    assert subtitles(replace(cons, issues=[], receipts=[]))["收件登记"] == f"{common}。本期尚未收到报送文件。"
