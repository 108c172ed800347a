"""Group phrases: 各镇街（园区）, 各县(市、区)政府, 市直有关部门, 各省级人民政府 …

A group names a set of units by their kind. It is recognised by its shape, never by a
fixed list, and expands only to units of a matching kind in the directory in use
(`group_members`). A phrase that names governments takes no department's kind, and one
that names departments takes no government's: 省级有关部门 are the provinces' departments,
not the provinces (`_PROVINCE_GOVERNMENT`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .places import leading_level
from .text import LazyPattern, key
from .towns import town_kind
from .units import DEPARTMENT_KIND, government_kind, government_level, unbracketed

if TYPE_CHECKING:
    from .units import Directory

_GROUP_WORDS = r"(部门|单位|科室|股室|处室|专班|机构|成员单位|委办局)"
_GROUP_SHAPE = LazyPattern(
    r"^各.+"                                   # 各镇街（园区）, 各县(市、区)人民政府, 各科室
    # 市直有关部门; 省政府各直属机构 (安徽 2022's 省政府各部门、各直属机构 written whole: a unit of its own)
    r"|^.{0,12}(各|有关|相关|其他|其它)(直属|所属|下属)?(事业)?" + _GROUP_WORDS + r"(和|及|、)?(单位|部门)?$"
    r"|^.{0,8}直各" + _GROUP_WORDS + "$"        # 区直各部门
    r"|^.{0,6}(有关|相关)"                      # 相关街道, 有关乡镇, 有关县（市、区）: never one unit
    r"|^(涉及|属地|所在|沿线)"                   # 涉及乡镇, 属地街道, 项目所在地 …
    # 市住建局、县市区政府 and 农业农村局、乡镇: plurals without 各, each a kind of unit, never one.
    # 县市区政府 was added to a directory listing the counties as one new 县直部门, given the
    # task and named 未报送, while the counties got no form.
    r"|^(县市、?区|县区|区县|市县|县\(市、?区\)|乡镇|镇乡|镇街|街镇|乡镇街道?|乡镇\(街道\)|镇\(街道?\)"
    # a bare 镇, 乡镇党委、政府, 街道办事处 (QA330: 镇、街道 made a unit 镇, 党委、政府 one called 政府)
    r"|乡\(镇\)|乡\(镇、街道\)|乡|镇|街道)(人民)?(政府|办事处|党委|党委、?政府|党委和政府)?$"
    # 州市、县市区政府 (云南), 盟市 and 旗县 (内蒙古), 地州市 (新疆), 师市 (兵团) likewise (QA326):
    # 州市 was a unit of its own
    r"|^(州市|市州|盟市|地州市?|师市|旗县(市区|区)?|县市区旗)(人民)?(政府|行政公署|行署|党委)?$"
    # a town's or 街道's own plan: 各村, 各社区, 辖区各社区, 村（社区）, 村居 (the villages and
    # communities below it); 辖区各社区 was a unit of its own, named 未报送
    r"|^.{0,6}各(行政)?(村|社区|居委会|村居)"
    r"|^(村|社区|村居|村\(社区\)|村\(居\)|社区\(村\))(居委会|村委会|两委)?$"
)
# a body in each town, named after the towns (各乡镇市场监管所, 各镇卫生院, 各乡镇中心学校); a town's own
# centre (各乡镇便民服务中心) is the town (QA166)
_STATION = LazyPattern(r"(所|站|院|队|分局|学校|小学|中学|银行|信用社)$")
# how a village or community is said (各村, 各社区居委会, 村（社区）两委), as a phrase or a kind
_VILLAGE_END = r"(村|社区|居)(委会|居委会|村委会|两委|委员会)?$"
# the zones a town phrase may name beside its towns (各镇街（园区）, 各乡镇人民政府、街道办事处（开发区）)
_ZONE_WORDS = ("园区", "开发区", "经开区", "高新区", "功能区")
# the state farms a town phrase may name beside its towns (各乡镇场, 各乡、镇(场): 吉林, 黑龙江) and a
# 名录 files as 农场 or 林场; never a 市场 or 机场
_FARM_WORDS = ("农场", "林场", "牧场", "渔场", "镇场", "乡场", "、场", "(场")
# Families of group phrases, tested in order on the phrase without its brackets; each
# names the words a directory kind must contain for its units to be members.
_FAMILIES: tuple[tuple[str, LazyPattern, tuple[str, ...]], ...] = (
    ("section", LazyPattern(r"科室|股室|处室|科$"), ("科室", "股室", "处室")),
    ("province", LazyPattern(r"各省|省级"), ("省",)),
    # 各区、县级市 and 各有关区、县级市 (广州 2012): its districts and its two county-level cities
    ("county", LazyPattern(r"^(各|有关|相关)(县|区县|县区|市县|旗县|市[、，,]?区)(?!直)"
                           r"|^(县市、?区|县区|区县|市县|旗县)"
                           r"|^各(有关|相关)?区([、，,]县级?市)?(人民)?(政府|$)"),
     ("县", "区县", "县区")),
    # 全镇各村, 街道各社区 (a town's or 街道's own plan): its villages, not its towns (QA333: none)
    ("village", LazyPattern(r"^[^各、，,]{1,6}各(行政)?(村|社区|居)+(委会|居委会|村委会|两委|委员会)?$"),
     ("村", "社区", "居")),
    ("town", LazyPattern(r"镇|乡|街道|街$|街[（(]|园区"), ("镇", "乡", "街", *_ZONE_WORDS, *_FARM_WORDS)),
    # 各村, 各社区居委会 (a town's or 街道's plan): the 名录's 村 and 社区 kinds; they were "other",
    # never expanded, and M108 asked for a kind the 名录 already had
    # (ending so: 各农村工作部门 are departments)
    ("village", LazyPattern(_VILLAGE_END), ("村", "社区", "居")),
    ("dept", LazyPattern(r"部门|单位|机构|委办局|各局"), ("部门", "直属", "单位", "局")),
    # a province's cities (各地级以上市人民政府, 各设区市人民政府, 各市（州）人民政府, 各地), with
    # their counties (各市、县（市、区）人民政府): not 各市直部门, 各市场主体 nor a city's own
    # department (各市公安局, 各市（州）发展改革委, 各地税务局). Their kinds are matched by
    # `_CITY_KIND`, not by words: 市 is in every 市直部门.
    ("city", LazyPattern(r"^(各|有关|相关)(地级以上市|地级市|设区的?市|地市|市州|州市|市、州|州、市|盟市"
                         r"|市|州|盟|地区|地方|地)(?!直|级|场|民|区|属)"
                         r"([、，,]?(自治)?[县区旗][县市区旗、，,自治]*)?((人民)?政府|行政公署)?$"
                         r"|^(州市|市州|盟市|地州市?|师市)"), ()),
)

# 各地 (各地方, 有关地方, 各地人民政府) names no kind of its own: the governments right below the
# plan's, a province's cities, a city's (州's, 盟's) counties and county-level cities, a county's
# (区's, 旗's) towns.
_LOCALITIES = LazyPattern(r"(各|有关|相关)(地|地方)((人民)?政府)?")
_BELOW = {"省": "city", "市": "county", "州": "county", "盟": "county", "县": "town", "区": "town", "旗": "town"}

# A group phrase that names departments itself (各县区有关部门, 各省级有关单位); a kind that is a
# department's (县直部门, 镇直单位) is `units.DEPARTMENT_KIND`. 直辖市 is a government's word
# (各省、自治区、直辖市人民政府, the 主送 of every national document).
_NAMES_DEPARTMENTS = LazyPattern(r"部门|单位|机构|委办局|直(?!辖)")
#: A kind naming the provinces' governments (a national directory's 省级人民政府, 省（区、市）
#: 人民政府, 各省、自治区、直辖市人民政府), read without brackets: 省级有关部门 names none of them.
_PROVINCE_GOVERNMENT = LazyPattern(r"各?省(级|份)?([、，,]?(区|自治区)[、，,]?(市|直辖市))?(人民)?(政府)?")


def is_group(name: str) -> bool:
    """A phrase naming a set of units (各镇街（园区）, 市直有关部门) rather than one unit."""
    n = key(name)
    return bool(n) and bool(_GROUP_SHAPE.match(n))


def group_kind(name: str) -> str | None:
    """The family of a group phrase (town, county, dept, section, province), or None.

    ``"other"`` is a group whose members no directory kind describes (全区经济运行各专班).
    """
    if not is_group(name):
        return None
    bare = unbracketed(key(name))
    for family, pattern, _words in _FAMILIES:
        if pattern.search(bare):
            return family
    return "other"


def under_plan(phrase: str, plan: str) -> str | None:
    """The family (city, county, town) of the units 各地 names in a plan of level ``plan``; ''
    when the level is unknown; None when ``phrase`` is not such a phrase (各地级以上市 names its own)."""
    if group_kind(phrase) != "city" or not _LOCALITIES.fullmatch(unbracketed(key(phrase))):
        return None
    return _BELOW.get(plan, "")


# 功能区管委会 beside 各县市区人民政府 (荆州 2022, 各 written once for the list): the directory's
# kind 功能区 and the word for its bodies.
_BODY_WORDS = r"(管委会|管理委员会|(人民)?政府|办事处|单位|部门)?"


def named_kind(name: str, directory: Directory) -> str | None:
    """The directory kind a phrase names by itself (功能区管委会 where the kind is 功能区), or None.

    A unit the directory lists by that name is that unit, never its kind (`Directory.resolve`
    is asked first by the importer)."""
    n = unbracketed(key(name))
    return next((k for k in dict.fromkeys(u.kind for u in directory.units)
                 if k and re.fullmatch(re.escape(unbracketed(key(k))) + _BODY_WORDS, n)), None)


def group_members(name: str, directory: Directory, plan: str = "") -> tuple[list[str], list[str]]:
    """Units of ``directory`` a group phrase stands for, and the kinds that matched.

    Only kinds the directory itself uses count. A phrase with a level (市直有关部门,
    区直各部门) keeps to kinds of that level or of none: a district's departments are not
    "市直". ``plan`` is the plan's level (`plan_level`): in a city's plan a directory's 市
    (英德市) is a county-level city, one of 各县（市、区）; 各地 names the governments right
    below the plan's (`under_plan`). Returns ([], []) when nothing matches; the caller flags
    the group.
    """
    kind = named_kind(name, directory)
    if kind:
        return [u.name for u in directory.units if u.kind == kind], [kind]
    family = group_kind(name)
    below = under_plan(name, plan)
    if below is not None:
        # a level nothing says: the directory's cities, else its counties
        family = below or ("city" if any(government_kind(u.kind) == "city" for u in directory.units) else "county")
    words = next((w for f, _p, w in _FAMILIES if f == family), ())
    # 各市、县（市、区）人民政府 (浙江) and 各市县人民政府 (海南's 市县 are both under the province)
    # name the cities and the counties below them; a city's plan has no city kind to add
    both = (family == "city" and "县" in name) or (family == "county" and re.match("^各?市、?县", key(name)))
    governments = {"city", "county"} if both else {family}

    kinds = [k for k in dict.fromkeys(u.kind for u in directory.units)
             if any(w in key(k) for w in words) or government_level(k, plan) in governments]
    station = family == "town" and _STATION.search(unbracketed(key(name)))
    if family == "other" or station:
        # 各农场 where the 名录 files 国有农场, 各(乡镇)市场监管所 its 市场监管所: the kind the phrase says
        # (QA338: M108 asked for a kind the 名录 had, the task had no lead; 各乡镇市场监管所 gave it the towns)
        said = re.sub(r"^(各有关|各相关|各|有关|相关)?(乡|镇|街道|街)*", "", unbracketed(key(name)))
        kinds = [k for k in dict.fromkeys(u.kind for u in directory.units)
                 if len(said) >= 2 and unbracketed(key(k)).endswith(said) and not (station and town_kind(k))]
    if family in ("province", "city", "county", "town") and not _NAMES_DEPARTMENTS.search(key(name)):
        # 各县（市、区）人民政府, 各镇人民政府 name governments: a county's 县直部门 (县 in its kind)
        # listed beside them is none (review); 各县区有关部门 may well mean them
        kinds = [k for k in kinds if not DEPARTMENT_KIND.search(key(k))]
    elif family == "province":
        # (各)省级有关部门 (国办发〔2018〕117号: 省级政府办公厅牵头、省级有关部门参与) are the
        # provinces' departments: the 省级人民政府 a national directory lists are none of them
        kinds = [k for k in kinds if not _PROVINCE_GOVERNMENT.fullmatch(unbracketed(key(k)))]
    if family == "dept":
        # 市直部门 and 镇街 sit in one city's directory; a department group is never towns.
        kinds = [k for k in kinds if not re.search("镇|乡|街", key(k))]
    level = leading_level(name)
    if level:
        kinds = [k for k in kinds if leading_level(k) in (level, "")]
    if family == "village":
        # 社区卫生服务中心, 村镇银行, 农业农村部门 and 居家养老 say the words but are no village
        kinds = [k for k in kinds if village_kind(k)]
        if some := _SOME_VILLAGES.search(key(name)):
            # 各试点村 are the 名录's 试点村, never every village (QA333: all of them were given the task)
            kinds = [k for k in kinds if some["which"] in key(k)]
    if family in ("town", "village") and not station:
        kinds = _towns_or_streets(name, kinds)
    members = [u.name for u in directory.units if u.kind in kinds]
    return members, kinds


def village_kind(kind: str) -> bool:
    """Whether a directory 类别 files villages or communities (村, 行政村, 社区居委会, 村（社区）),
    not a unit named after them (社区卫生服务中心, 村镇银行, 农村商业银行, 镇村建设办 of 镇直部门)."""
    bare = unbracketed(key(kind))
    return bool(re.search(_VILLAGE_END, bare)) and not DEPARTMENT_KIND.search(bare)


# 各试点村, 各示范村, 各重点社区: some villages, said by what they are (各村, 各行政村, 各建制村, 各有关村: all).
# 各村社区 is 各村、社区 (QA338: its 社区 lost, 村 read as which villages); 各城市社区 every 社区; 各自然村
# every 村: a 自然村 has no office of its own, its 村 answers for it, and M108 asked for a 类别 no 名录 has
_SOME_VILLAGES = LazyPattern(
    r"各(?!行政|建制|有关|相关|自然|城市|村|社区|居)(?P<which>[^各、，,（）()]{1,8}?)(村|社区)")


# the words a town phrase or a directory kind names its members by (`_towns_or_streets`)
# (乡镇办, 各镇办: the 办 is the 街道办事处's; 咸安 2023's 相关乡镇办 lost its 街道 to QA330's rule)
# 乡 and 镇 apart (QA337): 各镇（街道） where the 名录 files 乡 apart from 镇 is its 镇 and 街道, as 各街道 is
# its 街道 (QA330); an office with 乡 writes 各乡镇（街道） for all of them. 镇街 (街镇) is Guangdong's
# word for every township-level body (各镇街（园区）), 乡 included.
_TOWN_WORDS = (("xiang", ("乡", "镇街", "街镇")), ("zhen", ("镇",)), ("street", ("街", "镇办", "乡办")),
               ("zone", _ZONE_WORDS), ("farm", _FARM_WORDS),
               ("village", ("村",)),
               ("community", ("社区", "居")))


def _towns_or_streets(name: str, kinds: list[str]) -> list[str]:
    """A town phrase keeps to the kinds of the words it says (各街道, 有关乡镇, 各园区) where the
    directory has any (QA330: 各街道 gave every 乡镇 the task; QA331: 各园区 gave every 乡镇 and
    街道 the task and the 园区 none, 各乡镇（街道、园区） the 园区 none); 镇街 and 各镇（街道）
    name both, and a kind naming both (镇街) is kept for either. 镇 is not 乡 (QA337: 各镇（街道）
    gave a 名录's 乡 the task)."""
    said = _town_words(name)
    kept = [k for k in kinds if _town_words(k) & said or not _town_words(k)]
    return kept if said and any(_town_words(k) & said for k in kept) else kinds


def _town_words(text: str) -> set[str]:
    k = key(text)
    return {w for w, parts in _TOWN_WORDS if any(p in k for p in parts)}
