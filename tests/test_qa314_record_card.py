"""QA314: 广州 publishes each 2023 重点工作 as a card, one field a row (``重点工作: | 135.…``,
``牵头单位: | 市城市管理综合执法局``, ``年度阶段性工作目标: | 第一季度:…``). It was refused as a
table with no header, naming its last row (the progress) as the header it had found."""

from __future__ import annotations

from pathlib import Path

from toolkit.master import import_master
from toolkit.vocab import Role

GUANGZHOU = Path(__file__).resolve().parent / "corpus" / "masters" / "guangzhou_zdgz_2023.docx"


def test_a_card_of_label_rows_is_read_as_one_task_with_its_lead():
    master = import_master(GUANGZHOU)
    assert [(t.id, t.content) for t in master.tasks] == [("135", "统筹违法建设治理与城市更新,促进违法建设科学分类治理。")]
    assert [(a.unit, a.role) for a in master.assignments] == [("市城市管理综合执法局", Role.LEAD)]


def test_the_progress_row_of_a_card_is_said_where_the_card_prints_it():
    said = [i for i in import_master(GUANGZHOU).issues if i.code == "M115"]
    assert [(i.sheet, i.cell, i.message.split("：")[0]) for i in said] == [
        ("表格1", "", "第4行“进展情况、存在问题及下一步工作建议”没有导入")]
