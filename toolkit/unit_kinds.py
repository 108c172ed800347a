"""The kind the importer guesses for a unit no 单位名录 lists (`guess_kind`), from its name and
the plan's level and place: a department of the plan's own government or of one below it
(市直部门, 县直部门), a government below the plan's (县（市、区）, 市), a town (镇街), a park or a
zone (园区, 功能区), a bureau's 科室.

A place's name alone is its government: 岳麓区 and 望城区 in 长沙市's plan are districts (县（市、区）,
addressed by the places named: 各区人民政府), not 区直部门 (QA361, QA365); so are 阳泉's 城区, 矿区 and 郊区.
A development zone is neither a town nor a department: 高新区 in 长沙's plan was a 镇街, 长沙先导区管委会
a 区直部门, 福建's 平潭综合实验区 a 省直部门 (so a 单位名录's 省直各部门 took it in). A 新区 is a zone by
its 管委会 (贵安新区管委会) and a district by its 人民政府 (浦东新区人民政府: `places._is_zone`).
"""

from __future__ import annotations

import re

from .places import (
    DISTRICTS_NAMED_NEW,
    RANK,
    bare_place,
    is_town,
    leading_level,
    leading_place,
    other_place,
    place_in,
)
from .text import LazyPattern, clean
from .vocab import Kind

CITY, TOWN = Kind.CITY, Kind.TOWN

# Kinds other cities' directories need beyond the two `Kind` words. Kept as plain strings
# until the vocabulary gains them: a directory may name any kind, these are what the
# importer guesses for a unit no directory knows.
COUNTY_DEPT, DISTRICT_DEPT, PROVINCE_DEPT, SECTION = "县直部门", "区直部门", "省直部门", "科室"
#: A department of a plan whose level nothing says (a development zone's 招商工作部, a
#: national plan's ministries): calling it 市直部门 would put a wrong word in the memo.
DEPT = "部门"
#: A government below the plan's own, named on its own (杭州市人民政府 in a province's plan,
#: 黄埔区人民政府 in a city's): what `government_kind` reads as a city's or a county's.
CITY_GOVERNMENT, COUNTY_GOVERNMENT = "市", "县（市、区）"
#: A park or a development zone (高新区, 经开区, 长沙先导区管委会) in a city's, a county's or a
#: district's plan: the word their 通报 address them by (各园区管委会; 东莞's 各镇街（园区）, 长沙's
#: 各园区); `group_members` gives it to 各园区 and 各镇街（园区）, the memo addresses its 管委会.
PARK = "园区"
#: A zone a province's plan names beside its cities (福建's 平潭综合实验区, a 国家级新区): no park,
#: and none of the 设区市 either (福建 2015: 各设区市、平潭综合实验区、省直各部门).
ZONE = "功能区"

# A zone's name, with its government's word or not: 高新区, 经开区, 长沙先导区管委会, 平潭综合实验区,
# 纪南文旅区管委会; not a department named after one (高新区财政局, 高新区建设指挥部)
#: how a zone's or park's name ends (临港工业区 was read as a district: QA363); the memo's addressees
#: name such a zone by its 管委会 (`memo.addressees`)
#: A park named without 区 is one too (金乡县's 新材料产业园, 商贸物流园 were 县直部门, and the 通报's 主送
#: left out 各园区管委会: QA406); a 公园, 植物园, 幼儿园 or 陵园 is none
ZONE_WORDS = ("园区|高新区|新区|开发区|经开区|功能区|先导区|实验区|试验区|示范区|保税区|集聚区|合作区"
              "|工业区|商务区|自贸区|化工区|度假区|旅游区|经济区|名胜区"
              "|产业园|工业园|科技园|物流园|软件园|创业园|科创园|创新园|孵化园|高新园|经济园")
_ZONE = LazyPattern(rf"(?:{ZONE_WORDS}|[^\W\d_]{{2,}}区(?=管))(?:管委会?|管理委员会)?$")

# A bureau's own bodies beside its 科室 (机关党委, 局办公室, 党组办公室, 机关工会, 财务室), named with no
# level; a government's office (政府办公室) is none
_BUREAU_OFFICE = LazyPattern(r"(局|委|院|中心)?(机关)?(党委|党总支|党支部|纪委|纪检组|纪检监察组|工会|团委|妇委会|党组)"
                             r"(办公室|办)?|(?!.*(政府|人大|政协))[^\W\d_]{0,8}室")
_GOVERNMENT_END = LazyPattern(r"(人民政府|政府|行政公署)$")


def guess_kind(name: str, plan: str = "", place: str = "", sections: bool = False) -> str:
    """Kind of a unit the directory does not know, from how its name starts and ends.

    ``plan`` is the plan's own level (`plan_level`): a department named without one
    (改革办, 规划建设局) belongs to the government that issued the plan, so a county's
    table makes it a 县直部门, not a 市直部门. ``place`` is the plan's own place name
    (`plan_place`, 清远市): another 市's government in its plan is a county-level city's.
    A place named alone (岳麓区) is its government, as 岳麓区人民政府 is; a zone (高新区, 长沙先导区管委会)
    a `PARK`, in a province's plan a `ZONE`.
    ``sections``: the plan names its units as a bureau's 科室 (人事股, 办公室): its own bodies
    (机关党委, 局办公室) are 科室 too; as 县直部门 beside three 科室 the 通报 said 县直各有关单位 and
    the mails 贵单位 (QA337)."""
    n = clean(name)
    level = leading_level(n)
    if is_town(n):
        return TOWN
    # 浦东新区 and 滨海新区 are districts (上海's, 天津's), named as zones are; a 新区 is a district by
    # its 人民政府 too (`places._is_zone`), a zone by its 管委会
    if _ZONE.search(n) and not n.endswith(DISTRICTS_NAMED_NEW):
        return ZONE if plan == "省" else PARK
    if not level and (re.search(r"(科|股|处)$", n) or n == "办公室" or (sections and _BUREAU_OFFICE.fullmatch(n))):
        return SECTION
    bare = bare_place(n)[0]
    if plan and (_GOVERNMENT_END.search(n) or bare):
        # the government's own level, below the plan's: not its department
        own, where = place_in(n)
        # a 州's or 盟's 市 is a county-level city (延边州's 延吉市): none is of its own level;
        # in a city's plan, so is a 市 other than the city itself (英德市 in 清远市's)
        county_city = plan in ("州", "盟") or (plan == "市" and other_place(where, place))
        rank = 2 if own == "市" and county_city else RANK.get(own, 0)
        if own and rank > RANK.get(plan, 3):
            return CITY_GOVERNMENT if rank == 1 else COUNTY_GOVERNMENT
    if not plan and bare and bare != "省":
        # a place alone in a plan of no level said (a 名录's blank 类别): its government; a 市 may be
        # a county-level city, which `government_level` reads by the plan
        return CITY_GOVERNMENT if RANK.get(bare) == 1 else COUNTY_GOVERNMENT
    if not plan and _GOVERNMENT_END.search(n):
        return dept_kind(level)  # a government of no plan said: nothing tells what it is below
    # the place leading the name, not only its first character: 英德市教育局 in 清远市's plan is a
    # county-level city's (县直部门), 清城区教育局 a district's; 团市委, 民革市委 the city's own
    own, where = leading_place(n)
    if where == "州":  # 州教育局 in a prefecture's plan: its own (州直), not a city's
        own = "州"
    elif own == "市" and len(where) > 1 and (plan in ("州", "盟") or (plan == "市" and other_place(where, place))):
        own = "县"
    return dept_kind(own or level or plan)


def dept_kind(level: str) -> str:
    """The 类别 of a department of a government of ``level`` (`plan_level`): 省直部门, 市直部门,
    县直部门, 区直部门, 州直部门 …; 部门 when no level is known (a national plan's ministries)."""
    if level in ("州", "盟", "旗"):
        return f"{level}直部门"
    return {"市": CITY, "区": DISTRICT_DEPT, "县": COUNTY_DEPT, "省": PROVINCE_DEPT}.get(level, DEPT)
