"""A table column nothing reads that holds text is said (M115), once, with its place and header:
it vanished from the master without a word before (细化分工, the tasks' own text, QA251)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_master_import import xlsx

from toolkit.master import import_master


def said(master) -> list[tuple[str, str, str]]:
    return [(i.cell, i.task, i.message) for i in master.issues if i.code == "M115"]


def _table(tmp_path: Path, label: str, values: list, extra: tuple = ()) -> Path:
    return xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "责任单位", "完成时限", label, *extra],
        [1, "推进部门预算决算公开", "市财政局", "2024年6月底前", values[0]],
        [2, "推进规范性文件统一公开", "市司法局", "2024年12月底前", values[1]],
    ])


def test_a_column_of_text_under_an_unknown_header_is_said_with_its_place(tmp_path):
    m = import_master(_table(tmp_path, "推进情况", ["已完成年度预算公开工作", None]))
    assert said(m) == [("E2", "1", "第5列（E列）“推进情况”没有导入：督办只读取任务、责任单位、完成时限等列，"
                        "该列 1 项任务填写的内容（如任务 1 的“已完成年度预算公开工作”）不在任务清单中。"
                        "如该列是任务内容或责任单位，请把列标题改为“任务内容”或“责任单位”后重新导入。")]
    assert [t.content for t in m.tasks] == ["推进部门预算决算公开", "推进规范性文件统一公开"]


@pytest.mark.parametrize("values", [
    [None, None],        # an empty column
    [1, 2],              # row numbers
    ["/", "无"],          # dashes and 无: nothing lost
])
def test_a_column_that_holds_nothing_is_not_said(tmp_path, values):
    assert said(import_master(_table(tmp_path, "推进情况", values))) == []


def test_a_percentage_is_something_said(tmp_path):
    m = import_master(_table(tmp_path, "当前进度", ["95%", "80%"]))
    assert [s[2].split("没有导入")[0] for s in said(m)] == ["第5列（E列）“当前进度”"]
    assert "该列 2 项任务" in said(m)[0][2]


def test_a_remark_is_kept_in_the_note_and_not_said(tmp_path):
    m = import_master(_table(tmp_path, "备注", ["市民生实事", None]))
    assert said(m) == []
    assert m.tasks[0].note == "市民生实事"


def test_a_second_remark_column_is_said(tmp_path):
    """备注 | 说明: both notes, only the first was read; the second vanished."""
    m = import_master(xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "责任单位", "备注", "说明"],
        [1, "推进部门预算决算公开", "市财政局", "市民生实事", "与上年相同"],
    ]))
    assert m.tasks[0].note == "市民生实事"
    assert [s[2].split("没有导入")[0] for s in said(m)] == ["第5列（E列）“说明”"]


def test_a_column_of_people_is_left_out_unsaid(tmp_path):
    """责任领导 is read as people and left out on purpose: duban tracks units."""
    assert said(import_master(_table(tmp_path, "责任领导", ["张三", "李四"]))) == []


def test_an_unknown_text_column_not_beside_a_merged_task_is_said(tmp_path):
    """分解落实 under an unmerged 工作任务 is not taken as the text (QA251's rule is narrower): it
    is said, so the coordinator can rename it."""
    m = import_master(_table(tmp_path, "分解落实", ["扎实做好疫苗接种信息公开工作", "重点围绕流调溯源发布权威信息"]))
    assert [s[2].split("。")[0] for s in said(m)] == [
        "第5列（E列）“分解落实”没有导入：督办只读取任务、责任单位、完成时限等列，"
        "该列 2 项任务填写的内容（如任务 1 的“扎实做好疫苗接种信息公开工作”）不在任务清单中"]


def test_a_cell_merged_across_from_the_text_is_not_the_columns_own(tmp_path):
    m = import_master(xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "其他", "责任单位"],
        [1, "推进部门预算决算公开", None, "市财政局"],
        [2, "推进规范性文件统一公开", None, "市司法局"],
    ], merges=("B2:C2", "B3:C3")))
    assert said(m) == []


def test_a_long_text_is_shortened_in_the_message(tmp_path):
    m = import_master(_table(tmp_path, "落实情况", ["吉水二中、城南二小均完成项目建设，实现秋季开学投入使用", None]))
    assert "如任务 1 的“吉水二中、城南二小均完成项目建设，实现秋…”" in said(m)[0][2]


def test_a_word_table_counts_the_columns_a_reader_sees(tmp_path):
    """工作任务 spans two grid columns in the header: 推进情况 is the 4th column, not the 5th."""
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=3, cols=5)
    rows = [["序号", "工作任务", "", "责任单位", "推进情况"],
            ["1", "预决算公开", "推进部门预算决算公开", "市财政局", "已完成"],
            ["2", "文件公开", "推进规范性文件统一公开", "市司法局", ""]]
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            table.cell(r, c).text = text
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(0, 1).text = "工作任务"
    path = tmp_path / "t.docx"
    doc.save(path)
    m = import_master(path)
    assert [t.content for t in m.tasks] == ["推进部门预算决算公开", "推进规范性文件统一公开"]
    assert [(s[0], s[2].split("没有导入")[0]) for s in said(m)] == [("第2行", "第4列“推进情况”")]


def test_said_once_for_a_table_in_two_parts(tmp_path):
    """Two sheets with the same header: one line, the tasks of both counted."""
    from openpyxl import Workbook

    wb = Workbook()
    second = wb.create_sheet("Sheet2")
    for ws, n in ((wb.active, 1), (second, 2)):
        ws.append(["序号", "工作任务", "责任单位", "推进情况"])
        ws.append([n, f"推进第{n}项工作", "市财政局", "正在推进"])
    wb.save(tmp_path / "t.xlsx")
    m = import_master(tmp_path / "t.xlsx")
    assert len(said(m)) == 1 and "该列 2 项任务" in said(m)[0][2]


def test_a_column_without_a_header_that_holds_text_is_said(tmp_path):
    """A column whose header cell is empty (the header over the next column not merged across,
    a column added later) is read by nothing: its text vanished without a word (QA257)."""
    m = import_master(_table(tmp_path, None, ["已完成年度预算公开工作", "正在起草"]))
    assert said(m) == [("E2", "1", "第5列（E列）“（无标题）”没有导入：督办只读取任务、责任单位、完成时限等列，"
                        "该列 2 项任务填写的内容（如任务 1 的“已完成年度预算公开工作”）不在任务清单中。"
                        "如该列是任务内容或责任单位，请把列标题改为“任务内容”或“责任单位”后重新导入。")]


def test_an_empty_column_without_a_header_is_not_said(tmp_path):
    assert said(import_master(_table(tmp_path, None, [None, None]))) == []


def test_the_sample_keeps_the_spaces_between_words(tmp_path):
    """平湖 2023's progress column quoted "GDP 178.5" as "GDP178.5" (QA355): one space stays."""
    m = import_master(_table(tmp_path, "完成情况", ["实现 GDP  178.5亿元", None]))
    assert "（如任务 1 的“实现 GDP 178.5亿元”）" in said(m)[0][2]
