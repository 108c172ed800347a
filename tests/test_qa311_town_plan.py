"""QA311: a town's plan read from the real table in the corpus (泗洲头镇 2024, see the corpus README).

``序号 | 重点工作 | 责任领导 | 责任科室 | 攻坚目标任务 | 工作任务安排 | 第二季度完成情况``: the stored copy
does not show whether 第二季度 ends the 工作任务安排 header (QA219/QA220 built that reading) or
begins 完成情况's; read here as the latter, 工作任务安排 names no period. Its cells (推进坟墓迁移工作。)
were imported as every task's name and the task's own name (白仙山水库工程政策处理) as a heading over
its one row, without a word: the form and the memo named the quarter's step, not the work.
"""

from __future__ import annotations

from pathlib import Path

from conftest import sheet_table

from toolkit.master import import_master

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"


def test_the_key_work_names_the_task_and_the_arrangement_is_its_note():
    master = import_master(CORPUS / "sizhoutou_zdgz_2024.xlsx")
    got = [(t.id, t.level1, t.name, t.content, t.note) for t in master.tasks]
    assert got == [
        ("1", "", "白仙山水库工程政策处理", "完成项目政策处理工作,推进大坝、溢洪道、引水隧洞及配套设施建设。",
         "工作任务安排：推进坟墓迁移工作。"),
        ("2", "", "现代化美丽城镇", "成功创建首批浙江省美丽城镇。", "工作任务安排：按照时间节点开展项目建设。"),
    ]


def test_a_task_column_after_the_text_never_heads_a_table_with_no_merges(tmp_path):
    """The same shape, built: a plain 工作安排 after the text is a note, whatever it is called."""
    tasks = import_master(sheet_table(tmp_path / "t.xlsx", [
        ["序号", "重点工作", "责任科室", "具体内容", "工作安排"],
        ["1", "白仙山水库工程政策处理", "水利站", "完成政策处理。", "推进坟墓迁移工作。"],
        ["2", "现代化美丽城镇", "乡村振兴办", "创建美丽城镇。", "开展项目建设。"]])).tasks
    assert [(t.level1, t.name, t.content) for t in tasks] == [
        ("", "白仙山水库工程政策处理", "完成政策处理。"), ("", "现代化美丽城镇", "创建美丽城镇。")]
    assert [t.note for t in tasks] == ["工作安排：推进坟墓迁移工作。", "工作安排：开展项目建设。"]


def test_a_quarters_execution_sheet_names_the_plan_not_the_quarter():
    """…计划二季度执行情况: the memo said 关于…重点工作计划二季度执行进展情况的通报."""
    from toolkit.master.importer import project_name

    assert project_name("泗洲头镇2024年度重点工作计划二季度执行情况", "文件名") == "泗洲头镇2024年度重点工作计划"
    assert project_name("2023年重点工作执行情况表", "文件名") == "2023年重点工作"


def test_the_memo_title_says_a_towns_year_once():
    """Played for 2024-06: 关于2024年6月泗洲头镇2024年度重点工作计划进展情况的通报, the year twice;
    a county's name already reads 关于宁波市象山县2024年度重点工作6月进展情况的通报 (QA275)."""
    from toolkit.memo.context import memo_title
    from toolkit.period import Period

    assert memo_title(Period(2024, 6), "泗洲头镇2024年度重点工作计划") == \
        "关于泗洲头镇2024年度重点工作计划6月进展情况的通报"
    assert memo_title(Period(2024, 6), "新桥街道2024年重点工作") == "关于新桥街道2024年重点工作6月进展情况的通报"
