"""QA326: readings found on a review against 四川 2022 (tests/corpus/masters) and the plural
groups of provinces written with 州/盟/地/师 (云南, 内蒙古, 新疆, 兵团)."""

from __future__ import annotations

import pytest

from toolkit.groups import group_kind, is_group
from toolkit.master.grammar import parse_departments
from toolkit.master.importer import letter_signer
from toolkit.vocab import Role


def _units(text: str) -> list[tuple[str, Role]]:
    return [(n, Role(r)) for n, r in parse_departments(text).entries]


def test_a_note_sentence_for_later_tasks_is_no_unit():
    """四川 2022: the sentence after the full stop is a note, not 具体任务均涉及… and 不再做分工 as leads."""
    parsed = parse_departments("〔责任单位:省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工负责。"
                               "具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕")
    assert [n for n, _ in parsed.entries] == ["省发展改革委", "省市场监管局", "商务厅", "省大数据中心"]
    assert parsed.problems == ["中的“具体任务均涉及相关市(州)人民政府,不再做分工,下同”是对其后任务的说明，不是单位，"
                               "未导入；其后任务不会自动加上这些单位，如需要请在“责任分工”表中逐项补填"]


def test_a_unit_list_without_a_note_keeps_every_unit():
    assert [n for n, _ in parse_departments("市发改委牵头。市财政局、市商务局配合").entries] == \
        ["市发改委", "市财政局", "市商务局"]
    # a sentence of units ending in 下同 alone: only 下同 is the note (review)
    for text in ("发展改革委牵头；财政部、商务部按职责分工负责，下同", "市发改委牵头。市财政局、市住建局配合,下同"):
        parsed = parse_departments(text)
        assert len(parsed.entries) == 3, text
        assert parsed.problems[0].startswith("中的“下同”"), text


def test_units_separated_by_slashes_are_units_each():
    assert _units("市发改委/市财政局") == [("市发改委", Role.LEAD), ("市财政局", Role.LEAD)]
    assert _units("市发改委牵头，市财政局／市商务局配合") == [
        ("市发改委", Role.LEAD), ("市财政局", Role.COOP), ("市商务局", Role.COOP)]


@pytest.mark.parametrize("text", ["各州、市人民政府", "各盟、市行政公署"])
def test_a_group_with_its_kinds_written_once_stays_whole(text):
    """市人民政府 alone was a unit nobody would answer for."""
    assert [n for n, _ in parse_departments(text).entries] == [text]
    assert is_group(text)


@pytest.mark.parametrize(("name", "family"), [
    ("州市", "city"), ("州市人民政府", "city"), ("市州", "city"), ("盟市", "city"), ("地州市", "city"),
    ("师市", "city"), ("旗县", "county"), ("旗县市区", "county")])
def test_bare_plurals_of_provinces_are_groups(name, family):
    assert group_kind(name) == family


@pytest.mark.parametrize("name", ["州市场监管局", "师市场监管局", "盟市场监督管理局", "州市政府办"])
def test_units_starting_like_those_plurals_stay_units(name):
    assert not is_group(name)


def test_a_department_signing_the_letter_over_its_date_is_the_signer():
    lines = ["各市(州)人民政府、省级有关部门(单位):", "经省政府同意,现将…印发给你们。",
             "四川省发展和改革委员会", "2022年10月18日", "四川省“十四五”现代流通体系建设实施方案"]
    assert letter_signer(lines) == "四川省发展和改革委员会"
    # a sentence naming a department before a date is no signature
    assert letter_signer(["报送省发展和改革委员会汇总。", "2022年10月18日"]) == ""


def test_with_a_directory_a_province_plural_is_its_prefectures(tmp_path):
    """A 云南 table: 州市、县市区政府 reach the prefectures and counties, never a unit 州市."""
    from conftest import sheet_table

    from toolkit.master import import_master
    from toolkit.units import Directory

    rows = [["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "推进数字政府建设。", "省发展改革委", "省财政厅、州市、县市区政府", "2024年12月底前"]]
    directory = Directory.from_rows([
        ["省发展改革委", "", "省直部门"], ["省财政厅", "", "省直部门"],
        ["昆明市人民政府", "", "州（市）"], ["大理州人民政府", "", "州（市）"],
        ["五华区人民政府", "", "县（市、区）"]])
    master = import_master(sheet_table(tmp_path / "t.xlsx", rows), directory)
    assert sorted(master.units_of("1")) == sorted(
        ["省发展改革委", "省财政厅", "昆明市人民政府", "大理州人民政府", "五华区人民政府"])


@pytest.mark.parametrize("line", ["北京市石景山区委办公室", "中共四川省委办公厅", "兴义市委办公室"])
def test_a_party_office_over_the_date_is_no_signer(line):
    assert letter_signer([line, "2022年10月18日"]) == ""
