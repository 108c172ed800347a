"""The level of the government a plan belongs to (市, 县, 区, 省), and what follows from it:
the kind of a department named without a level, and how the memo addresses the towns.

A county's or district's office must not see Dongguan's 市直部门 or 市直各有关单位 in its
own 汇总表 and 通报. Tables from tests/corpus/masters (sources in its README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.master import import_master
from toolkit.places import plan_level
from toolkit.units import guess_kind, town_phrase

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"


@pytest.mark.parametrize("organiser, title, level", [
    ("大竹县人民政府办公室", "", "县"),
    ("中共大竹县委办公室", "", "县"),
    ("东莞市政务服务数据管理局", "", "市"),
    ("市政府办", "", "市"),
    ("立山区人民政府", "", "区"),
    ("广州市黄埔区人民政府", "", "区"),      # the last level before the body
    ("滁州市人民政府", "", "市"),            # 州 inside a city's name is no level
    ("贵州省人民政府办公厅", "", "省"),
    ("广西壮族自治区人民政府", "", "省"),
    ("国务院办公厅", "", ""),
    ("霍山经济开发区管委会", "", ""),        # a zone, not a district
    ("", "2023年区政府重点民生实事项目推进情况(1-11月)", "区"),
    ("", "市政府工作报告重点工作责任分解(2023年)", "市"),
    ("", "潍坊市2017年政务公开工作要点实施方案", "市"),
    ("", "关于印发大竹县2016年民生实事的通知", "县"),
    ("", "2025年开发区重点工作及责任清单", ""),
    ("", "对2016年民生实事进行重点督办", ""),
    # words with a level character that name no level (review): 市场, 城市, 小区, 湾区 …
    ("大竹县市场监督管理局", "", "县"),
    ("大竹县城市管理局", "", "县"),
    ("广州市黄埔区市场监督管理局", "", "区"),
    ("东莞市市场监督管理局", "", "市"),
    ("东莞市民政局", "", "市"),
    # an autonomous prefecture, a league, a banner speak of themselves: 州直, not 恩施市's 市直
    ("恩施州人民政府办公室", "", "州"),
    ("恩施土家族苗族自治州发展和改革委员会", "", "州"),
    ("锡林郭勒盟行政公署", "", "盟"),
    ("阿荣旗人民政府", "", "旗"),
    ("杭州市人民政府", "", "市"),
    # ... yet 城区, 湾区, 城市, 都市 end real places (second review)
    ("北京市西城区人民政府办公室", "", "区"),
    ("温州市龙湾区人民政府", "", "区"),
    ("阳泉市城区人民政府", "", "区"),
    ("成都市人民政府", "", "市"),
    ("盐城市发展和改革委员会", "", "市"),
    ("东莞市城市管理和综合执法局", "", "市"),
    # a zone after its city is its own body, of no level said
    ("滁州经济技术开发区管委会", "", ""),
    ("苏州工业园区管理委员会", "", ""),
    ("深圳市前海深港现代服务业合作区管理局", "", ""),
    ("郑州航空港经济综合实验区", "", ""),
    ("XX风景名胜区管理委员会", "", ""),
    ("XX旅游度假区管委会", "", ""),
])
def test_plan_level_from_the_organiser_or_the_title(organiser, title, level):
    assert plan_level(organiser, title) == level


@pytest.mark.parametrize("title", ["城市更新三年行动", "市场主体倍增计划", "老旧小区改造提升行动", "粤港澳大湾区建设",
                                   "智慧城市建设"])
def test_a_title_word_is_no_level_and_the_units_decide(title):
    assert plan_level("", title, ["县发改局", "县财政局"]) == "县"


def test_plan_level_from_unit_names_only_when_most_agree():
    assert plan_level("", "", ["区发改局", "区财政局", "市生态环境局立山分局"]) == "区"
    assert plan_level("", "", ["区发改局", "市财政局"]) == ""
    assert plan_level("", "", ["改革办", "招商工作部"]) == ""
    assert plan_level("", "", ["市场监管总局", "财政部"]) == ""  # 市场 is no level


@pytest.mark.parametrize("names, phrase", [
    (["虎门镇", "东城街道", "松山湖高新区"], "各镇街（园区）"),  # Dongguan, as before
    (["城关镇", "河口乡"], "各乡镇"),
    (["友好街道", "曙光街道"], "各街道"),
    (["城关镇", "东城街道"], "各镇（街道）"),   # not Guangdong's 各镇街 (QA149)
    (["立山经济开发区"], "各园区"),
    (["虎门", "长安"], "各镇街（园区）"),          # a directory's short names: the kind's words
    (["东城街道办事处", "西城街道办事处"], "各街道"),  # a town's government's name (second review)
    (["城关镇人民政府", "河口乡人民政府"], "各乡镇"),
    (["虎门镇", "松山湖"], "各镇街（园区）"),       # never 各镇, dropping the park
    ([], ""),
])
def test_towns_are_addressed_as_their_names_end(names, phrase):
    assert town_phrase(names) == phrase


def test_a_department_without_a_level_is_the_plans():
    assert guess_kind("改革办", "县") == "县直部门"
    assert guess_kind("改革办", "区") == "区直部门"
    assert guess_kind("改革办", "市") == "市直部门"
    assert guess_kind("改革办", "州") == "州直部门"
    assert guess_kind("改革办", "旗") == "旗直部门"
    assert guess_kind("改革办") == "部门"            # nothing says: no level is invented
    # a government below the plan's, named on its own, is a city's or a county's, not a
    # department of the plan's (杭州市人民政府 was a 省直部门; QA helper, province plans)
    assert guess_kind("杭州市人民政府", "省") == "市"
    assert guess_kind("延边州人民政府", "省") == "市"
    assert guess_kind("广州市黄埔区人民政府", "市") == "县（市、区）"
    assert guess_kind("大竹县人民政府", "县") == "县直部门"  # the plan's own government
    assert guess_kind("市发改局", "县") == "市直部门"  # its own name says
    assert guess_kind("城关镇", "县") == "镇街"
    assert guess_kind("东城街道办事处", "区") == "镇街"  # not a 科室 for its 处 (second review)
    assert guess_kind("城关镇人民政府", "县") == "镇街"


@pytest.mark.parametrize("town", ["市桥街道", "县城关镇", "城关镇", "河口乡"])
def test_a_town_is_a_town_whatever_its_name_starts_with(town):
    """番禺区's 市桥街道 starts with 市: a leading level character in a town's name is part of
    the name (or the county it belongs to), never a department's level."""
    assert guess_kind(town, "区") == "镇街"
    assert guess_kind(town) == "镇街"


def test_towns_do_not_vote_for_the_plans_level():
    # 番禺: two district departments, the city bureau's branch and the 市桥街道 town
    assert plan_level("", "", ["区发改局", "区住建局", "市桥街道", "市生态环境局番禺分局"]) == "区"
    # a zone named with a level is a zone, never a town, nor a department of that level (QA361: was 市直部门)
    assert guess_kind("市高新区", "区") == "园区"


@pytest.mark.parametrize("table, kinds", [
    ("dazhu_mssx_2016.docx", {"县直部门"}),                   # organiser 大竹县人民政府办公室
    ("prose_lishan_2023.docx", {"区直部门", "园区"}),          # 税务局 beside 区发改局; 立山经济开发区 was 镇街 (QA361)
    ("huoshan_kfq_2025.xlsx", {"部门"}),                      # 开发区: a zone, level unknown
    ("prose_guofa_2018_42.docx", {"部门"}),                   # 国务院: ministries, 市场监管总局 too
    ("cangnan_mssx_2022.docx", {"县直部门"}),                 # title names no government: 县教育局 … say
    ("linan_mssx_2022.xlsx", {"部门", "镇街"}),               # 教育局 beside 锦城街道: nothing says 区
])
def test_imported_kinds_follow_the_plans_level(table, kinds):
    master = import_master(CORPUS / table)
    assert {u.kind for u in master.directory.units} == kinds


def test_an_organiser_gives_a_levelless_table_its_level():
    # 临安 2022 names its departments without a level beside its towns; its office says 区
    master = import_master(CORPUS / "linan_mssx_2022.xlsx", organiser="杭州市临安区人民政府办公室")
    assert {u.kind for u in master.directory.units} == {"区直部门", "镇街"}


def test_the_import_summary_counts_towns_as_their_names_end():
    """临安 2022 has 镇 and 街道 and no 园区: not Dongguan's 镇街（园区）."""
    from toolkit.master.summary import summary_lines

    lines = summary_lines(import_master(CORPUS / "linan_mssx_2022.xlsx"))
    assert "责任单位 18 个：部门 12 个，镇和街道 6 个" in lines


def _county_units_under_a_city_title(path):
    """A table titled 市政府… whose units say 县 (县发改局, 县财政局) and one says nothing (改革办)."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.append(["市政府重点工作任务分工表"])
    sheet.append(["序号", "工作任务", "牵头单位", "完成时限"])
    sheet.append([1, "推进项目建设", "县发改局", "2024年12月底前"])
    sheet.append([2, "加强财政保障", "县财政局", "2024年12月底前"])
    sheet.append([3, "深化改革", "改革办", "2024年12月底前"])
    wb.save(path)
    return path


def test_the_import_reads_the_level_as_the_memo_does(tmp_path):
    """Organiser, then the units' names, then the title: the import's kinds and the memo's
    主送 must not disagree (the import once read the title before the names)."""
    master = import_master(_county_units_under_a_city_title(tmp_path / "分工表.xlsx"))
    assert plan_level(master.organiser, "市政府重点工作任务分工表", [u.name for u in master.directory.units]) == "县"
    assert master.directory.get("改革办").kind == "县直部门"


def test_a_unit_added_by_hand_gets_the_plans_level_on_reading_the_task_list(tmp_path):
    """A unit in 责任分工 but not in the 单位名录 sheet (added by hand) took its kind from the
    workbook's organiser and project name alone: 市政府… made 改革办 a 市直部门 beside 县发改局."""
    from openpyxl import load_workbook

    from toolkit.master.workbook import read_master_workbook, write_master_workbook

    table = _county_units_under_a_city_title(tmp_path / "分工表.xlsx")
    path = write_master_workbook(import_master(table), tmp_path / "任务分工表.xlsx")
    book = load_workbook(path)
    directory = book["单位名录"]
    for row in range(directory.max_row, 1, -1):
        if directory.cell(row, 1).value == "改革办":
            directory.delete_rows(row)
    book.save(path)
    master = read_master_workbook(path)
    assert master.directory.get("改革办").kind == "县直部门"
