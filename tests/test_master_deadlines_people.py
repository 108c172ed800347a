"""QA round 51: deadlines that recur or span years, two deadline columns, people under a
stacked unit header, and a person's name written on after a unit.

Each case read wrong before: 每季度 and 2024年—2025年 were unreadable (M103, never overdue,
nothing to tell them from a typo); of 开始时间 | 完成时限 the first column won; 单位名称 | 姓名
under a 牵头单位 spanning both refused the table or made 张三 a unit; 市发改委张三 became a unit
of that name, unsaid.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_master_import import docx, roles, xlsx

from toolkit.dates import parse_deadline
from toolkit.master import import_master
from toolkit.master.importer import project_name
from toolkit.units import Directory, Unit
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP
D = dt.date


# ----------------------------------------------------------------- recurring and spanning deadlines


@pytest.mark.parametrize("text", ["每季度", "每月", "每季度末", "每月10日前报送", "按季度报送进展", "定期开展",
                                  "2025年起", "2024年6月起", "自2025年1月起实施", "2024年起每年", "长期坚持",
                                  "持续推进", "2025年起长期坚持", "2024年—2025年，长期坚持"])
def test_recurring_deadlines_are_ongoing(text):
    assert parse_deadline(text) == (None, True)
    assert parse_deadline(text, 2024) == (None, True)


@pytest.mark.parametrize("text, due", [
    ("2024年—2025年", D(2025, 12, 31)), ("2024-2025年", D(2025, 12, 31)), ("2024年-2025年", D(2025, 12, 31)),
    ("2024—2025年", D(2025, 12, 31)), ("2024年至2025年", D(2025, 12, 31)), ("2024年6月—2025年6月", D(2025, 6, 30)),
    ("2024年6月至12月", D(2024, 12, 31)), ("2024.6-2025.12", D(2025, 12, 31)), ("2024年起至2025年底", D(2025, 12, 31)),
    # reporting recurs, the work is done by the date
    ("每季度报送进展，2024年底前完成", D(2024, 12, 31)), ("2024年底前完成（每季度报送进展）", D(2024, 12, 31)),
])
def test_a_span_is_due_at_its_end(text, due):
    assert parse_deadline(text) == (due, False)


def test_spans_that_do_not_read_stay_unread():
    assert parse_deadline("2025年—2024年") == (None, False)  # ends before it starts: a typo, said (M103)
    assert parse_deadline("2024-6-31") == (None, False)
    # 定期 inside a clause says what is built, not when: still unread, said
    assert parse_deadline("2024年底前建立定期通报机制") == (None, False)
    assert parse_deadline("6月—12月") == (None, False)
    assert parse_deadline("6月—12月", 2024) == (D(2024, 12, 31), False)  # the plan's year


def test_recurring_and_spanning_deadlines_import_without_m103(tmp_path):
    cells = ["每季度", "每月", "2024年—2025年", "2024-2025年", "2025年起", "长期坚持", "持续推进"]
    rows = [["序号", "工作任务", "牵头单位", "完成时限"]] + [[str(i), f"做好{i}", "市财政局", c]
                                                             for i, c in enumerate(cells, start=1)]
    m = import_master(xlsx(tmp_path / "t.xlsx", rows))
    assert not [i for i in m.issues if i.code == "M103"]
    t = {x.deadline_text: x for x in m.tasks}
    assert t["2024年—2025年"].deadline == t["2024-2025年"].deadline == D(2025, 12, 31)
    for text in ("每季度", "每月", "2025年起", "长期坚持", "持续推进"):
        assert t[text].ongoing and t[text].deadline is None and not t[text].overdue_at(D(2030, 1, 1)), text
    assert t["2024年—2025年"].overdue_at(D(2026, 1, 1)) and not t["2024年—2025年"].overdue_at(D(2025, 12, 31))


# ------------------------------------------------------------------------- two deadline columns


@pytest.mark.parametrize("other", ["开始时间", "开始时限", "阶段目标时间", "阶段性目标完成时间", "时间节点"])
@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_of_two_deadline_columns_the_completion_one_is_the_deadline(tmp_path, other, suffix):
    rows = [["序号", "工作任务", "牵头单位", other, "完成时限"],
            ["1", "做好甲", "市财政局", "2024年6月底前", "2025年12月底前"]]
    path = tmp_path / f"t{suffix}"
    m = import_master(xlsx(path, rows) if suffix == ".xlsx" else docx(path, [rows]))
    [task] = m.tasks
    assert (task.content or task.name) == "做好甲"
    assert (task.deadline_text, task.deadline) == ("2025年12月底前", D(2025, 12, 31))
    assert task.note == f"{other}：2024年6月底前"


def test_of_two_completion_columns_the_later_one_wins_and_a_start_column_alone_is_no_deadline(tmp_path):
    m = import_master(xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "牵头单位", "2024年完成时限", "2025年完成时限"],
        ["1", "做好甲", "市财政局", "完成50%", "2025年底前"]]))
    assert m.tasks[0].deadline == D(2025, 12, 31) and m.tasks[0].note == "2024年完成时限：完成50%"
    m = import_master(xlsx(tmp_path / "s.xlsx", [["序号", "工作任务", "牵头单位", "开始时间"],
                                                 ["1", "做好甲", "市财政局", "2024年3月"]]))
    assert m.tasks[0].deadline is None and m.tasks[0].note == "开始时间：2024年3月"
    assert "M109" in {i.code for i in m.issues}  # no deadline column: said


# ------------------------------------------------------ people columns under a stacked unit header


@pytest.mark.parametrize("unit_label, people_label", [
    ("单位名称", "责任人"), ("单位", "姓名"), ("单位", "联系电话"), ("名称", "负责同志"), ("单位名称", "职务")])
def test_people_columns_under_a_stacked_unit_header_are_not_units(tmp_path, unit_label, people_label):
    m = import_master(xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "牵头单位", "牵头单位", "配合单位", "配合单位", "完成时限"],
        ["", "", unit_label, people_label, unit_label, people_label, ""],
        ["1", "做好甲", "市财政局", "张三", "市税务局", "13800000000", "2024年12月底前"]],
        merges=("C1:D1", "E1:F1", "A1:A2", "B1:B2", "G1:G2")))
    assert [t.content for t in m.tasks] == ["做好甲"]
    assert m.report.named["1"] == [("市财政局", LEAD), ("市税务局", COOP)]
    assert not [i for i in m.issues if i.code == "M104"]


def test_a_unit_column_beside_its_people_and_phone_under_one_header(tmp_path):
    m = import_master(xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "牵头单位", "牵头单位", "牵头单位", "完成时限"],
        ["", "", "单位", "责任人", "联系电话", ""],
        ["1", "做好甲", "市财政局", "张三", "13800000000", "2024年12月底前"]],
        merges=("C1:E1", "A1:A2", "B1:B2", "F1:F2")))
    assert roles(m, "1") == {"市财政局": LEAD}


# ------------------------------------------------------------- a person's name after a unit


def _one(tmp_path, cells, directory=None):
    rows = [["序号", "工作任务", "责任单位", "完成时限"]] + [[str(i), f"做好{i}", c, "2024年12月底前"]
                                                             for i, c in enumerate(cells, start=1)]
    return import_master(xlsx(tmp_path / "t.xlsx", rows), directory)


def _m104(m):
    return [i.message for i in m.issues if i.code == "M104"]


def test_a_name_written_on_after_a_known_unit_is_dropped_and_said(tmp_path):
    directory = Directory([Unit("市发展和改革局", aliases=("市发改委",)), Unit("市财政局")])
    m = _one(tmp_path, ["市发改委张三、市财政局李四丰"], directory)
    assert roles(m, "1") == {"市发展和改革局": LEAD, "市财政局": LEAD}
    said = _m104(m)
    assert len(said) == 2 and "“张三”像是人名" in said[0] and "单位按“市发改委”导入" in said[0]
    assert "M102" not in {i.code for i in m.issues}  # no unit called 市发改委张三 was added


def test_a_name_after_a_unit_the_table_names_on_its_own_is_dropped(tmp_path):
    m = _one(tmp_path, ["市发改委张三", "市发改委"])
    assert m.report.named["1"] == [("市发改委", LEAD)]
    assert "已去掉" in _m104(m)[0]


def test_a_name_after_an_unknown_unit_is_kept_and_said(tmp_path):
    """Not sure (市税务局万江 is a place, 市林业局林场 a farm: the same shape): kept, said."""
    m = _one(tmp_path, ["市发改委张三"])
    assert m.report.named["1"] == [("市发改委张三", LEAD)]
    assert _m104(m) == ["任务 1 的责任部门“市发改委张三”中，“张三”可能是人名（紧接在“市发改委”后面，是常见姓氏开头的两三个字），"
                        "无法确定，已按单位“市发改委张三”导入；如果是人名，单位应为“市发改委”。请在“责任分工”表中核对。"]
    # a place in the directory is not a person
    directory = Directory([Unit("市税务局"), Unit("万江街道", "镇街", ("万江",))])
    m = _one(tmp_path, ["市税务局万江"], directory)
    assert m.report.named["1"] == [("市税务局万江", LEAD)]


def test_a_bracket_dropped_as_a_name_says_what_and_why(tmp_path):
    m = _one(tmp_path, ["市公安局（江北）", "市自然资源局（林业）"])
    assert [n for t in m.tasks for n, _r in m.report.named[t.id]] == ["市公安局", "市自然资源局"]
    assert _m104(m)[0] == ("任务 1 的责任部门“市公安局（江北）”中，“市公安局”后括号里的“江北”像是人名（常见姓氏开头的两三个字），"
                           "已去掉，单位按“市公安局”导入；如果“江北”是地名、分支机构或业务名称而不是人名，"
                           "单位应为“市公安局（江北）”。请在“责任分工”表中核对。")


def test_the_whole_year_is_due_at_its_end():
    # 全年 (火山区's table writes it for work done over the plan's year): due on 31 December
    # of the year the table names, unread (M103) without one
    assert parse_deadline("全年", 2024) == (D(2024, 12, 31), False)
    assert parse_deadline("2024年全年") == (D(2024, 12, 31), False)
    assert parse_deadline("全年") == (None, False)


@pytest.mark.parametrize("text, due", [
    ("2024年6月底前启动，2025年底前完成", D(2025, 12, 31)),
    ("6月底前启动试点，12月底前全面推开", D(2024, 12, 31)),  # the plan's year, carried on
    ("2024年6月底前启动；2025年底前完成；2026年全覆盖", D(2026, 12, 31)),
    ("2024年底前基本完成", D(2024, 12, 31)),
])
def test_work_in_stages_is_due_when_its_last_stage_is(text, due):
    assert parse_deadline(text, 2024) == (due, False)


def test_a_stage_beside_words_that_are_no_day_stays_unread():
    assert parse_deadline("2024年6月底前完成，另行通知", 2024) == (None, False)  # said (M103)


@pytest.mark.parametrize("title, project", [
    # 南陵 2024: the action is the report's key tasks (it was named 政府工作报告 on every form)
    ("2024年《政府工作报告》重点工作目标任务分解表", "2024年《政府工作报告》重点工作"),
    ("XX市人民政府办公室关于印发《2023年政府工作报告》重点工作分工方案的通知", "《2023年政府工作报告》重点工作"),
    # a plan's own tasks: the plan is the action
    ("关于印发《东莞市2022年政务服务全域标准化专项行动方案》的通知", "东莞市2022年政务服务全域标准化专项行动方案"),
    ("《东莞市2022年政务服务全域标准化专项行动方案》任务分工表", "东莞市2022年政务服务全域标准化专项行动方案"),
    # 霍山 2025, 滁州 2020: the work, not its list of who is responsible
    ("2025年开发区重点工作及责任清单", "2025年开发区重点工作"),
    ("2020年市政府重点工作及责任分解", "2020年市政府重点工作"),
    ("重点工作责任分工表", "重点工作"),
    ("责任清单", "文件名"),
    ("压实安全生产责任", "压实安全生产责任"),
    # a progress sheet's title: the work, without its "as of" note (崇川 2023, 苍南 2022)
    ("2023年区政府重点民生实事项目推进情况(1-11月)", "2023年区政府重点民生实事项目"),
    ("2022年度市县民生实事未完成项目进度表(截至10月31日)", "2022年度市县民生实事未完成项目"),
    ("2022年民生实事项目完成情况统计表", "2022年民生实事项目"),
    ("做好2023年工作情况报告", "做好2023年工作情况报告"),
    ("大竹县人民政府办公室关于对2016年民生实事进行重点督办的通知", "2016年民生实事"),
    # never cut down to a year (second review)
    ("2023年重点工作任务分工表", "2023年重点工作任务"),
    ("关于印发2023年重点工作任务分工表的通知", "2023年重点工作任务"),
    ("2023年全面从严治党主体责任清单", "2023年全面从严治党主体责任"),
    ("关于对口帮扶工作开展督查", "对口帮扶工作开展督查"),
])
def test_the_project_is_named_for_what_the_table_divides(title, project):
    assert project_name(title, "文件名") == project


def test_the_organiser_taken_in_by_a_group_is_kept_and_said(tmp_path):
    # 南陵: 县各有关单位 took in 县政府办, the office coordinating, which then got a form of its
    # own. It may be one of the 有关单位 too: kept, and the import summary says so.
    directory = Directory([Unit("县政府办", "县直部门"), Unit("县财政局", "县直部门"), Unit("县教育局", "县直部门")])
    rows = [["序号", "工作任务", "牵头单位", "完成时限"],
            ["1", "做好财政工作", "县财政局", "2024年底"],
            ["2", "做好各项工作", "县各有关单位", "2024年底"]]
    m = import_master(xlsx(tmp_path / "t.xlsx", rows), directory, organiser="县政府办")
    assert {(a.task, a.unit) for a in m.assignments if a.unit == "县政府办"} == {("2", "县政府办")}
    [said] = [n for n in m.report.notes if "督办单位" in n]
    assert "“县政府办”也在单位集合“县各有关单位”中，已分到任务 2" in said and "删去" in said
    # named in a task, it is simply one of its units: nothing to say
    rows[1][2] = "县政府办"
    m = import_master(xlsx(tmp_path / "u.xlsx", rows[:2]), directory, organiser="县政府办")
    assert not [n for n in m.report.notes if "督办单位" in n]
