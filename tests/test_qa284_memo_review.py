"""The 通报 read as the coordinator who signs it (QA helper qa284).

* A task whose leads' forms of the month did not carry it (sent to some units only, or the
  task added after the forms went out) is 未报送 in the memo's table beside section 一 and in
  the 汇总表's 总览, as every other 未报送 task; the overview called it only "牵头单位本期填报表
  未含、尚未下发填报的15项", so its 未报送 parts added to 20 beside the table's 35. It is now
  said as a count of 未报送 tasks naming why, as QA278 said the leadless one. 任务汇总's
  未报送单位 named no one for a task whose only lead got no form at all: it names it 本期未下发.
  Since QA377 such a task is 本期未下发, not 未报送, in every count (总览, 任务汇总, the 通报's
  table and section 一, merge's screen): no unit owed it that month.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from openpyxl import load_workbook
from test_qa80_past_month_remerge import JUNE, june_to_three_units

from toolkit.consolidate import consolidate
from toolkit.memo.context import build_context
from toolkit.memo.gbt9704 import LEVEL1_NAME_CHARS, cell_lines
from toolkit.resources import resource

SZ = "市政务服务数据管理局"


def test_tasks_not_issued_are_said_so_as_the_table_and_overview_count_them(ws, collecting_on):
    june_to_three_units(ws, collecting_on)
    collecting_on(dt.date(2022, 7, 20))
    cons = consolidate(ws, JUNE)
    ctx = build_context(cons)
    assert ctx.overview_text == (
        "东莞市2022年政务服务全域标准化专项行动共43项任务。截至2022年6月底，尚无已完成的任务，序时推进5项（占11.6%），"
        "进展滞后3项（占7.0%），牵头单位未报送进展的19项（占44.2%），未明确牵头单位、未报送进展的1项（占2.3%），"
        "本期未向牵头单位下发填报表的15项（占34.9%）。上述任务中，已超过完成时限仍未完成的有6项。"
        "已报送任务的平均进度为50%。")
    # the table beside it and 总览 (一、任务进展) count the same 20 as 未报送, the 15 as 本期未下发 (QA377)
    assert ctx.level1_total.not_reported == 19 + 1 == ctx.task_not_reported
    assert ctx.level1_total.not_issued == 15 == ctx.task_not_reported_not_issued
    assert cons.missing_counts("未报送", tasks=True) == [("未报送", 20), ("本期未下发", 15)]
    # 任务汇总 names the lead whose form did not go out, as the 通报's task line says it
    t11 = next(t for t in cons.tasks if t.task.id == "1.1")
    assert t11.missing_text(cons.waiting) == f"本期未下发：{SZ}"
    assert next(t.summary for t in ctx.attention if t.id == "1.1") == (
        f"牵头单位：{SZ}；完成时限：2022年6月；进展情况：本期未向牵头单位下发填报表，已超过完成时限。")


def test_a_task_added_after_the_forms_went_out_is_said_not_issued(issued_ws, collecting_on):
    wb = load_workbook(issued_ws.master_path)
    tasks, duty = wb["任务清单"], wb["责任分工"]
    last = [c.value for c in tasks[tasks.max_row]]
    tasks.append(["16.2", last[1], last[2], "新增工作任务", "年内新增的具体工作内容。", "2022年12月",
                  dt.datetime(2022, 12, 31), "否", "市公安局", None, None, "市公安局负责"])
    duty.append(["16.2", "市公安局", "牵头", "明确"])
    wb.save(issued_ws.master_path)
    collecting_on(dt.date(2022, 7, 20))
    cons = consolidate(issued_ws, JUNE)
    ctx = build_context(cons)
    assert ctx.task_not_reported_not_issued == 1
    assert "，本期未向牵头单位下发填报表的1项（占2.3%）。" in ctx.overview_text, ctx.overview_text
    assert "本期填报表未含、尚未下发填报的" not in ctx.overview_text
    t = next(t for t in cons.tasks if t.task.id == "16.2")
    assert t.missing_text(cons.waiting) == "本期未下发：市公安局"


# ---- the table by 一级任务: a long name in its first column ----

@pytest.mark.parametrize("name, lines", [
    # 东莞's 13 characters: one line in 五号 (it put 化 alone on a second in 小四)
    ("加强政务服务体系建设标准化", "加强政务服务体系建设标准化"),
    ("加强政务服务体系建设标准化规范化便利化", "加强政务服务体系建设\n标准化规范化便利化"),
    ("提升数字化支撑能力推动政务服务智能化转型", "提升数字化支撑能力\n推动政务服务智能化转型"),
    ("打造线上线下一体化政务服务体系", "打造线上线下一体化\n政务服务体系"),  # not 一\n体化
    ("深化“放管服”改革优化营商环境", "深化“放管服”改革\n优化营商环境"),
    ("推进5G网络和数据中心等新型基础设施建设", "推进5G网络和数据中心\n等新型基础设施建设"),
])
def test_a_long_group_name_is_broken_evenly_at_a_word(name, lines):
    assert cell_lines(name) == lines
    assert build_level1_row(name).name_lines == lines


def build_level1_row(name):
    from toolkit.memo.context import Level1Row

    return Level1Row(1, name, 1, 0, 1, 0, 0, 0, "0%")


def test_the_shipped_template_prints_the_names_in_five_point_size():
    with zipfile.ZipFile(resource("templates", "月度通报.docx")) as z:
        xml = z.read("word/document.xml").decode()
    cell = re.search(r"<w:tc>(?:(?!</w:tc>).)*\{\{ r\.name_lines \}\}(?:(?!</w:tc>).)*</w:tc>", xml).group(0)
    assert '<w:sz w:val="21"/>' in cell
    assert "{{ r.name }}" not in xml
    # 13 五号 characters fit the column (its width less the figures' and the padding)
    assert int(LEVEL1_NAME_CHARS) == 13
