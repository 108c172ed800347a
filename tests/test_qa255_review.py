"""QA255 review of QA249 (5-逐条核实 takes answers back) and QA251 (merged 工作任务, X会同Y)."""

from __future__ import annotations

import pytest
from test_master_import import xlsx

from toolkit.master import import_master
from toolkit.master.grammar import ParsedDepartments
from toolkit.master.jointly import split_jointly
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP


def _split(name: str) -> ParsedDepartments:
    parsed = ParsedDepartments([(name, LEAD)], False, [])
    split_jointly(parsed, lambda n: False, lambda n: False)
    return parsed


@pytest.mark.parametrize("name, lead, coop", [
    ("县妇联会同县卫健局", "县妇联", "县卫健局"),
    ("县委组织部会同县人社局", "县委组织部", "县人社局"),
])
def test_a_county_unit_huitong_a_county_unit_splits(name, lead, coop):
    """会同县 (a county) shut out every county's 会同: kept as one unit, unsaid, 未报送 for nothing."""
    parsed = _split(name)
    assert parsed.entries == [(lead, LEAD), (coop, COOP)]
    assert parsed.problems == [f"中的“会”按“会同”读作“{lead}”牵头、“{coop}”配合"]


def test_huitong_county_after_a_place_is_still_the_county():
    parsed = _split("怀化市会同县教育局")
    assert parsed.entries == [("怀化市会同县教育局", LEAD)]
    assert parsed.problems == []


def test_a_progress_column_beside_a_task_merged_once_is_not_the_text(tmp_path):
    """One task over two units' rows makes 工作任务 'merged'; the 落实情况 beside it (each row's
    own text, a header the vocabulary does not know) became every task's text and the tasks
    became headings."""
    path = xlsx(tmp_path / "p.xlsx", [
        ["序号", "工作任务", "落实情况", "责任单位", "完成时限"],
        [1, "推进政务服务一网通办", "已完成平台升级改造工作", "市政务服务局", "2024年6月"],
        [2, None, "已完成窗口人员培训工作", "市数据局", "2024年6月"],
        [3, "开展营商环境评价", "已委托第三方开展评价", "市发改委", "2024年9月"],
        [4, "优化企业开办流程", "已压缩至一个工作日办结", "市市场监管局", "2024年12月"],
        [5, "深化工程建设审批改革", "已出台改革实施方案", "市住建局", "2024年12月"],
    ], merges=("B2:B3",))
    m = import_master(path)
    assert [t.content for t in m.tasks] == [
        "推进政务服务一网通办", "推进政务服务一网通办", "开展营商环境评价", "优化企业开办流程", "深化工程建设审批改革"]
