"""QA202: a task table with three heading levels on the model's two (一级任务, 二级任务).

咸安区 (咸宁市, 湖北), 2023年区《政府工作报告》确定的重点工作任务责任分解方案 (tests/test_qa198_review.py
has the source): 二、2023年七个方面主要工作安排 › （一）坚定不移做强增长引擎 › 加强基础设施建设 › task 12.
Each heading row overwrote the one above: task 12 came in under 一级任务 加强基础设施建设 alone.
Now the outermost heading is the 一级任务 and the ones inside it are joined in the 二级任务.
The rows after task 12 below are made up in the same layout (the source was not stored past 12).
"""

from __future__ import annotations

from openpyxl import Workbook
from test_qa198_review import HEADER, ROWS, TITLE, xianan_table

from toolkit.master.importer import import_master
from toolkit.master.summary import summary_lines

SECTION = "二、2023年七个方面主要工作安排"
PART = "（一）坚定不移做强增长引擎"


def _table(path, rows):
    wb = Workbook()
    sheet = wb.active
    sheet.append([TITLE])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
        if len(row) == 1:
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=5)
    wb.save(path)
    return path


def _levels(master):
    return {t.id: (t.level1, t.level2) for t in master.tasks}


def test_xianan_task_12_keeps_its_section_part_and_subheading(tmp_path):
    levels = _levels(import_master(xianan_table(tmp_path / "咸安区.xlsx")))
    assert levels["12"] == (SECTION, f"{PART} / 加强基础设施建设")
    assert levels["1"] == ("一、2023年全区经济社会发展主要预期目标", "")


def test_the_summary_counts_by_the_outermost_heading_and_says_the_levels_were_folded(tmp_path):
    lines = summary_lines(import_master(xianan_table(tmp_path / "咸安区.xlsx")))
    assert "  一、2023年全区经济社会发展主要预期目标：11 项" in lines
    assert f"  {SECTION}：1 项" in lines
    assert "  加强基础设施建设：1 项" not in lines
    assert any(line.startswith("分工表的标题有三级或以上") and "（1 项任务）" in line for line in lines)


def test_a_second_subheading_is_a_sibling_and_the_next_part_and_section_close_them(tmp_path):
    more = [("推进流域综合治理",),
            (13, "加快实施流域综合治理统筹发展规划，加快推进淦河二期系统治理、汀泗河系统治理项目。", "洪声耀",
             "区水利和湖泊局", ""),
            ("（二）坚定不移推进产业升级",),
            (14, "推动规上工业企业技术改造。", "洪声耀", "区科经局", ""),
            ("三、持续加强政府自身建设",),
            (15, "深化政务公开。", "杜新国", "区政府办", "")]
    levels = _levels(import_master(_table(tmp_path / "咸安区续.xlsx", ROWS + more)))
    assert levels["12"] == (SECTION, f"{PART} / 加强基础设施建设")
    assert levels["13"] == (SECTION, f"{PART} / 推进流域综合治理")
    assert levels["14"] == (SECTION, "（二）坚定不移推进产业升级")
    assert levels["15"] == ("三、持续加强政府自身建设", "")


def test_two_heading_levels_import_as_before_and_say_nothing(tmp_path):
    """一、 › （一） and an unnumbered heading after tasks: a part of its own, as it always was."""
    rows = [ROWS[0], *ROWS[1:3], ("二、2023年七个方面主要工作安排",), (PART,), ROWS[-1],
            ("区级重点项目",), (13, "推动规上工业企业技术改造。", "洪声耀", "区科经局", "")]
    master = import_master(_table(tmp_path / "两级.xlsx", rows))
    levels = _levels(master)
    assert levels["1"] == ("一、2023年全区经济社会发展主要预期目标", "")
    assert levels["12"] == (SECTION, PART)
    assert levels["13"] == ("区级重点项目", "")
    assert not any("三级" in line for line in summary_lines(master))
