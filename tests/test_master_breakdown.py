"""QA251: 广东省卫生健康委 2021 (tests/corpus/masters/guangdong_wsjkw_zwgk_2021): a 工作任务 merged
over its 细化分工, ``X、…、Y等按职责分工落实`` and ``X会Y`` (会同), one rule per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_master_import import xlsx

from toolkit.master import import_master, parse_departments
from toolkit.master.grammar import ParsedDepartments
from toolkit.master.jointly import split_jointly
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP


def _ledger(tmp_path: Path, third: str, texts: tuple[str, ...]) -> Path:
    """Title row, then 序号 | 工作任务 | ``third`` | 责任处室 | 完成时限 | 备注, 工作任务 merged over two rows each."""
    return xlsx(tmp_path / "t.xlsx", [
        ["2021年政务公开工作重点任务台账"],
        ["序号", "工作任务", third, "责任处室", "完成时限", "备注"],
        [1, "做好疫情防控信息发布", texts[0], "疾控处", "长期推进", None],
        [2, None, texts[1], "应急处", "2021年8月前", None],
        [3, "常规政务公开事项", texts[2], "财务处", "长期推进", None],
        [4, None, texts[3], "政法处", "长期推进", None],
    ], merges=("A1:F1", "B3:B4", "B5:B6"))


TEXTS = ("扎实做好疫苗接种信息公开工作", "重点围绕流调溯源发布权威信息", "推进部门预算决算公开", "推进规范性文件统一公开工作")
READ = [
    ("1", "做好疫情防控信息发布", TEXTS[0]),
    ("2", "做好疫情防控信息发布", TEXTS[1]),
    ("3", "常规政务公开事项", TEXTS[2]),
    ("4", "常规政务公开事项", TEXTS[3]),
]


def test_a_xihua_fengong_column_is_the_text_under_its_merged_task(tmp_path):
    """细化分工 had no role: the merged 工作任务 became every task's text, the text was lost."""
    m = import_master(_ledger(tmp_path, "细化分工", TEXTS))
    assert [(t.id, t.level1, t.content) for t in m.tasks] == READ
    assert m.report.named["2"] == [("应急处", LEAD)]


@pytest.mark.parametrize("third", ["分解落实", "具体分解"])
def test_a_per_row_column_the_vocabulary_does_not_know_is_the_text_beside_a_merged_one(tmp_path, third):
    """Any unknown header over each row's own text, right after the only (merged) text column."""
    m = import_master(_ledger(tmp_path, third, TEXTS))
    assert [(t.id, t.level1, t.content) for t in m.tasks] == READ


def test_a_short_unknown_column_beside_a_merged_task_is_not_taken_as_the_text(tmp_path):
    """A class (A类) beside it is no text: the 工作任务 stays the task's text, as before."""
    m = import_master(_ledger(tmp_path, "类型", ("A类", "B类", "A类", "A类")))
    assert [(t.id, t.content) for t in m.tasks] == [
        ("1", "做好疫情防控信息发布"), ("2", "做好疫情防控信息发布"),
        ("3", "常规政务公开事项"), ("4", "常规政务公开事项")]


@pytest.mark.parametrize("text, entries, open_ended", [
    ("应急处、监督处、基层处等按职责分工落实", [("应急处", LEAD), ("监督处", LEAD), ("基层处", LEAD)], True),
    ("应急处、基层处等按职责分工负责", [("应急处", LEAD), ("基层处", LEAD)], True),
    ("市发改委、市财政局按职责落实", [("市发改委", LEAD), ("市财政局", LEAD)], False),
    ("区财政局（按职责分工落实）", [("区财政局", LEAD)], False),
    # beside a lead, who carries it out cooperates (as X牵头，各街道落实)
    ("市发改委牵头，市财政局等按职责分工落实", [("市发改委", LEAD), ("市财政局", COOP)], True),
])
def test_an_an_zhize_fengong_luoshi_tail_is_no_part_of_a_unit(text, entries, open_ended):
    """基层处等按职责分工 was a unit with a form nobody would answer."""
    parsed = parse_departments(text)
    assert parsed.entries == entries
    assert parsed.open_ended is open_ended
    assert parsed.problems == []


def _split(entries, known=(), directory=()):
    parsed = ParsedDepartments(list(entries), False, [])
    split_jointly(parsed, lambda n: n in known, lambda n: n in directory)
    return parsed


@pytest.mark.parametrize("name, lead, coop", [
    ("宣传处会办公室", "宣传处", "办公室"),        # 处 ends an office's name: 处会 is no word
    ("市财政局会同市发改委", "市财政局", "市发改委"),  # 会同 written out
    ("宣传处会同办公室", "宣传处", "办公室"),
])
def test_x_hui_y_is_x_leading_with_y(name, lead, coop):
    parsed = _split([(name, LEAD)])
    assert parsed.entries == [(lead, LEAD), (coop, COOP)]
    assert parsed.problems == [f"中的“会”按“会同”读作“{lead}”牵头、“{coop}”配合"]


def test_x_hui_y_names_the_cell_it_splits_among_others():
    parsed = _split([("宣传处会办公室", LEAD), ("财务处", LEAD)])
    assert parsed.entries == [("宣传处", LEAD), ("办公室", COOP), ("财务处", LEAD)]
    assert parsed.problems == ["中“宣传处会办公室”的“会”按“会同”读作“宣传处”牵头、“办公室”配合"]


def test_x_hui_y_in_a_cooperating_column_cooperates_both():
    assert _split([("宣传处会办公室", COOP)]).entries == [("宣传处", COOP), ("办公室", COOP)]


@pytest.mark.parametrize("name", [
    "市人大常委会办公室", "市社会保险局", "区社会组织管理局", "社区居委会办公室", "市总工会",
    "怀化市会同县教育局", "市政府办会务中心", "市会展办", "市红十字会",
])
def test_a_unit_with_hui_in_its_name_is_left_whole_and_unsaid(name):
    parsed = _split([(name, LEAD)])
    assert parsed.entries == [(name, LEAD)]
    assert parsed.problems == []


def test_a_likely_huitong_that_is_not_safe_is_kept_and_said():
    """委会 is in many a name (常委会): kept as one unit, and the user is told."""
    parsed = _split([("市发改委会市财政局", LEAD)])
    assert parsed.entries == [("市发改委会市财政局", LEAD)]
    assert parsed.problems == ["中，“市发改委会市财政局”可能是“市发改委”会同“市财政局”（前者牵头、后者配合），"
                               "无法确定，已按一个单位“市发改委会市财政局”导入；如是会同，请改为两个单位"]


def test_both_sides_units_of_the_table_split_safely():
    parsed = _split([("市发改委会市财政局", LEAD)], known={"市发改委", "市财政局"})
    assert parsed.entries == [("市发改委", LEAD), ("市财政局", COOP)]


def test_a_directory_unit_with_hui_is_never_split():
    parsed = _split([("宣传处会办公室", LEAD)], directory={"宣传处会办公室"})
    assert parsed.entries == [("宣传处会办公室", LEAD)]
    assert parsed.problems == []


def test_the_import_splits_x_hui_y_and_says_so(tmp_path):
    path = xlsx(tmp_path / "h.xlsx", [
        ["序号", "工作任务", "细化分工", "责任处室", "完成时限"],
        [1, "做好疫情防控信息发布", "提高信息发布规范化水平", "宣传处会办公室", "2021年8月前"],
        [2, None, "修订主动公开目录", "办公室", "长期推进"],
    ], merges=("B2:B3",))
    m = import_master(path)
    assert m.report.named["1"] == [("宣传处", LEAD), ("办公室", COOP)]
    assert {(a.unit, a.role) for a in m.assignments if a.task == "1"} == {("宣传处", LEAD), ("办公室", COOP)}
    said = [i.message for i in m.issues if i.code == "M104"]
    assert said == ["任务 1 的责任部门“宣传处会办公室”中的“会”按“会同”读作“宣传处”牵头、“办公室”配合。"
                    "请在“责任分工”表中核对。"]
