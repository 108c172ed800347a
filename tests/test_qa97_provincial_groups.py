"""QA helper 97: 省级有关部门 are the provinces' departments, not the provinces.

A national plan sends its tasks to 各省（区、市）人民政府 and asks that 省级有关部门 take part;
the group 省级有关部门 (and 各省级有关部门, 各省（区、市）有关部门) took every 类别 holding 省,
so a national directory's provinces (类别 省（区、市）人民政府, 省级人民政府) became its members:
each province got the task twice, once as 省级有关部门. A phrase naming departments at the
province level now takes no government's kind, as a phrase naming governments takes no
department's (各县（市、区）人民政府 and the city and county levels are unchanged:
tests/test_qa70_province_groups.py, test_qa77_city_plans.py, test_qa82_addressing.py).

``GUOBAN_2018_117``: 国务院办公厅《关于对真抓实干成效明显地方进一步加大激励支持力度的通知》
(国办发〔2018〕117号), http://www.gov.cn/zhengce/content/2018-12/10/content_5347465.htm, read
from the crawl of www.gov.cn the corpus uses (github:ZhouYNF/platform-1,
db/ge_policy_raw20190217.sql; tests/corpus/masters/README.md). Items 二, 六 and 三十 word for
word with their (X负责) as 责任单位; its closing sentence "各省（区、市）政府要建立省级政府办公厅
牵头、省级有关部门参与的工作机制，统筹做好本地区督查激励措施组织落实工作" as the office puts it in
a row: the task, 各省（区、市）政府 responsible, 省级有关部门 taking part. Its 主送 names the
provinces "各省、自治区、直辖市人民政府" and the ministries "国务院各部委、各直属机构".

四川省发展和改革委员会's 《四川省“十四五”现代流通体系建设实施方案》 (2022-10-18) is sent to
"各市(州)人民政府、省级有关部门(单位)" (http://law.foodmate.net/show-219854.html, a stored copy):
in a province's directory the phrase keeps its departments, as before.
"""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from toolkit.groups import group_kind, group_members
from toolkit.master import import_master
from toolkit.units import Directory, Unit
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP
PROVINCES = ["北京市人民政府", "河北省人民政府", "广东省人民政府", "四川省人民政府", "新疆维吾尔自治区人民政府"]
MINISTRIES = ["国务院办公厅", "商务部", "交通运输部", "财政部"]
CLOSING = "建立省级政府办公厅牵头、省级有关部门参与的工作机制，统筹做好本地区督查激励措施组织落实工作。"
GUOBAN_2018_117 = [
    ["国务院办公厅关于对真抓实干成效明显地方进一步加大激励支持力度的通知"],
    ["序号", "督查激励措施", "责任单位"],
    ["二", "对促进外贸、外资稳定增长，积极优化营商环境成效明显的省（区、市），在外贸转型升级基地培育中给予优先支持。",
     "商务部负责"],
    ["六", "对公路水路交通建设年度目标任务完成情况好、地方投资落实到位、促进社会资本进入交通建设领域措施有力、"
           "交通债务风险防控工作落实有力的省（区、市），将该省（区、市）具备条件的交通建设项目优先列入三年滚动计划，"
           "优先安排车辆购置税和港口建设费建设资金。", "交通运输部、财政部负责"],
    ["三十", "对落实有关重大政策措施成效明显、创造典型经验做法且受到国务院督查表扬的市（地、州、盟）、县（市、区、旗），"
             "在下一年度国务院组织的有关实地督查中实行“免督查”。", "国务院办公厅负责"],
    ["三十一", CLOSING, "各省（区、市）政府负责，省级有关部门参与"],
]


def _national(kind: str = "省（区、市）人民政府", departments: tuple[str, ...] = ()) -> Directory:
    """The national office's directory: the ministries, the provinces (类别 as its 主送 names
    them), and the provinces' departments when it lists them."""
    return Directory([Unit(n, "国务院部门") for n in MINISTRIES] + [Unit(p, kind) for p in PROVINCES]
                     + [Unit(d, "省级部门") for d in departments])


def _xlsx(path, rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize("kind", ["省（区、市）人民政府", "省级人民政府", "各省、自治区、直辖市人民政府", "省（自治区、直辖市）"])
@pytest.mark.parametrize("phrase", ["省级有关部门", "各省级有关部门", "各省（区、市）有关部门", "省级有关部门(单位)"])
def test_the_provinces_departments_are_not_the_provinces(phrase, kind):
    assert group_kind(phrase) == "province"
    assert group_members(phrase, _national(kind)) == ([], [])  # none listed: reported, not guessed
    departments = ("广东省发展和改革委员会", "四川省人民政府办公厅")
    assert group_members(phrase, _national(kind, departments)) == (list(departments), ["省级部门"])


@pytest.mark.parametrize("kind", ["省（区、市）人民政府", "省级人民政府", "各省、自治区、直辖市人民政府"])
@pytest.mark.parametrize("phrase", ["各省（区、市）政府", "各省级人民政府", "各省、自治区、直辖市人民政府"])
def test_the_provinces_are_still_the_provinces(phrase, kind):
    departments = ("广东省发展和改革委员会",)
    assert group_members(phrase, _national(kind, departments)) == (PROVINCES, [kind])


def test_a_national_table_gives_the_provinces_the_task_once(tmp_path):
    m = import_master(_xlsx(tmp_path / "国办发〔2018〕117号.xlsx", GUOBAN_2018_117), _national())
    assert m.report.groups["各省（区、市）政府"] == PROVINCES
    assert m.report.groups["省级有关部门"] == []  # the directory lists no province's department
    closing = next(t.id for t in m.tasks if (t.content or t.name).startswith("建立省级政府办公厅牵头"))
    roles = [(a.unit, a.role, a.source) for a in m.assignments if a.task == closing]
    assert roles == [(p, LEAD, "各省（区、市）政府") for p in PROVINCES], roles


def test_a_provinces_own_departments_phrase_is_as_it_was():
    """四川's 主送: its cities are 市（州）, its departments 省级部门."""
    d = Directory([Unit("成都市人民政府", "市（州）"), Unit("绵阳市人民政府", "市（州）"),
                   Unit("四川省发展和改革委员会", "省级部门", ("省发展改革委",)), Unit("四川省商务厅", "省级部门", ("商务厅",))])
    assert group_members("省级有关部门(单位)", d, "省") == (["四川省发展和改革委员会", "四川省商务厅"], ["省级部门"])
    assert group_members("各市(州)人民政府", d, "省")[0] == ["成都市人民政府", "绵阳市人民政府"]
