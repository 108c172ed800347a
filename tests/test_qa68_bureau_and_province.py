"""A provincial plan (QA round 68): its sheet titles and its import hints.

A plan named …重点任务 printed "…重点任务任务汇总" over the 任务汇总 sheet, and a table's
省直各有关单位 told the office to give the units the 类别 "省直各单位", a kind no
directory uses.
"""

from __future__ import annotations

from toolkit.master.importer import _kind_hint
from toolkit.summary_book import sheet_title


def test_a_plan_named_任务_does_not_say_任务_twice_over_its_task_sheet():
    assert sheet_title("广东省2024年优化营商环境重点任务", "任务汇总（2024年6月）", 200, 16) \
        == "广东省2024年优化营商环境重点任务汇总（2024年6月）"
    assert sheet_title("东莞市2022年政务服务全域标准化专项行动", "任务汇总（2022年6月）", 200, 16) \
        == "东莞市2022年政务服务全域标准化专项行动任务汇总（2022年6月）"
    # on two lines the second still says what the sheet is
    assert sheet_title("广东省2024年优化营商环境重点任务", "任务汇总（2024年6月）", 20, 16) \
        == "广东省2024年优化营商环境重点任务\n任务汇总（2024年6月）"


def test_the_m108_hint_names_a_kind_the_tool_itself_uses():
    assert _kind_hint("省直各有关单位") == "省直部门"
    assert _kind_hint("市直各有关部门") == "市直部门"
    assert _kind_hint("各镇街（园区）") == "镇街（园区）"
