"""The 通报's 主送 (addressee line), built from the kinds of the units it names: the governments
below the plan's, the towns, then the plan's own departments."""

from __future__ import annotations

import re

from ..consolidate import UnitStatus
from ..groups import village_kind
from ..places import bare_place, leading_place
from ..text import key
from ..unit_kinds import ZONE_WORDS
from ..units import (
    DEPARTMENT_KIND,
    SECTION,
    below_plan,
    government_kind,
    government_level,
    town_kind,
    town_phrase,
    unbracketed,
)


def recipients(units: list[UnitStatus], level: str, own: str = "") -> str:
    """主送, as a government's own 通报 reads: the governments below the plan's by their kind
    (各地级以上市人民政府, 各县（市、区）人民政府: 广东, 清远), the towns as their names end
    (各镇街（园区）, 各乡镇, 各街道), then the plan's own departments (市直, 县直, 区直各有关单位;
    各有关单位 when the level is unknown). ``own`` is what the plan's departments are called
    when not after its level: 区 for an autonomous region's (区直各有关单位)."""
    if not units:
        return "各有关单位："
    governments = [u for u in units if government_kind(u.kind)]
    # cities before counties, each kind once in the directory's order; a kind of several words
    # (县（市、区）) by the places its units are (`_kind_said`)
    kinds = sorted(dict.fromkeys(_kind_said(u, level) for u in governments),
                   key=lambda k: government_level(k, level) != "city")
    counties = [k for k in kinds if government_level(k, level) == "county"]
    if counties:
        # a county's departments (清城区教育局, 区直部门) are reached through their governments: the
        # phrase names their places too (beside 英德市人民政府 alone: 各区、县级市人民政府, not 各县级市)
        below = [u for u in units if below_plan(u.kind, level) and not town_kind(u.kind) and not is_zone(u)]
        counties = list(dict.fromkeys([*counties, *(_place_kind(u.unit) or u.kind for u in below)]))
    # a city's 市, 区 and 县 (three kinds) are one 各县（市、区）人民政府, as its 通报 reads, not three
    phrases = [_government_phrase(k) for k in kinds if len(counties) < 2 or k not in counties]
    phrases += [_counties_phrase(counties)] if len(counties) > 1 else []
    towns = town_phrase([u.unit for u in units if town_kind(u.kind)])
    if towns and not phrases:
        # a county's towns are the governments below it: its zone after them (各乡镇街道、开发区管委会),
        # as after a city's counties; it came first, before the towns (QA330)
        phrases, towns = [towns], ""
    others = [u for u in units if not town_kind(u.kind) and not government_kind(u.kind)]
    # a town's or 街道's own plan names its villages and communities: addressed as such (各村（社区）)
    # after the governments; they were under 镇直各有关单位 alone, which addresses none of them
    villages = [u for u in others if village_kind(u.kind)]
    others = [u for u in others if u not in villages]
    if villages:
        kinds_said = "".join(u.kind for u in villages)
        word = ("村（社区）" if re.search("社区|居", kinds_said) else "村") if "村" in kinds_said else "社区"
        if level not in _ABOVE_TOWNS:
            towns = "、".join(filter(None, [towns, f"各{word}"]))
        elif not (phrases or towns):
            # a county's, district's or city's plan reaches them through the towns or counties it
            # addresses, as a county's departments in a city's plan (各村 beside 各镇 named all
            # villages: QA332); naming no town, only those it names
            towns = f"有关{word}"
    # a zone's 管委会 is addressed as its own kind, beside the governments (QA278): 丽水's 通报
    # named its 开发区管委会 未报送 under "各县（市、区）人民政府，市直各有关单位", which addresses no 管委会
    zoned = [is_zone(u) for u in others]
    zone_kinds = {u.kind.strip() for u, z in zip(others, zoned) if z}
    zones = [u.unit for u, z in zip(others, zoned) if z]
    others = [u for u, z in zip(others, zoned) if not z]
    if zones:
        # one is named (as its zone when the directory names it so: 松山湖高新区 → its 管委会);
        # several by the zones' own kind when they share one (荆州's 功能区: 各功能区管委会, QA311)
        one = zones[0] + ("管委会" if _ZONE_END.search(zones[0]) else "")
        word = _ZONE_END.search(zone_kinds.pop() if len(zone_kinds) == 1 else "")
        said = one if len(zones) == 1 else f"各{word.group() if word else '开发区'}管委会"
        phrases = [*phrases[:-1], f"{phrases[-1]}、{said}"] if phrases else [said]
    # a county's own departments in a city's plan (英德市教育局, 县直部门) are no 市直 unit: their
    # governments, when addressed, reach them; else they are addressed as their counties'
    lower = list(dict.fromkeys(u.kind for u in others if below_plan(u.kind, level)))
    others = [u for u in others if u.kind not in lower]
    if lower and not counties:
        phrases.append(_counties_phrase(lower, "有关单位"))
    # units stationed in the place by a higher level (中央驻鄂单位, 中直驻莞单位) are none of the
    # plan's own departments: 湖北's 通报 named 人行武汉分行 未报送 under 省直各有关单位 alone (QA136)
    stationed = list(dict.fromkeys(u.kind for u in others if _STATIONED.search(u.kind)))
    others = [u for u in others if u.kind not in stationed]
    if others and all(u.kind == SECTION for u in others):
        departments = "各有关科室"
    else:
        departments = f"{own or level}直各有关单位" if level else "各有关单位"
    parts = [*phrases, *([towns] if towns else []), *([departments] if others else []),
             *(_STATIONED.sub(r"\1有关\2", k) for k in stationed)]
    return "，".join(parts) + "："


#: plan levels with towns below them: their villages are not the plan's to address as 各村
_ABOVE_TOWNS = ("省", "市", "州", "盟", "县", "旗", "区")
#: how a development zone or park's name ends
# as `unit_kinds` reads zones: 平潭综合实验区, 长沙先导区 (QA361), 深汕特别合作区 (QA363)
_ZONES = ZONE_WORDS
#: a zone's name without its government (松山湖高新区: addressed as its 管委会)
_ZONE_END = re.compile(rf"(?:{_ZONES})$")
#: a zone's own kind in a directory (开发区, 高新区, 开发区管委会), not a department's (开发区直属单位)
_ZONE_KIND = re.compile(rf"(?:{_ZONES}|管委会?)$")
#: a zone's government by its name (滁州经开区管委会, 开发区管委): a name the directory files as a
#: department (guessed 市直部门 on import); not a department named after its zone (高新区建设指挥部)
_ZONE_NAME = re.compile(rf"(?:{_ZONES})(?:管委会?|管理委员会)$")


def is_zone(u: UnitStatus) -> bool:
    """Whether ``u`` is the government of a development zone or park (开发区管委会), by its kind
    or, of a kind that files it among departments, by its name."""
    kind = u.kind.strip()
    return bool(_ZONE_KIND.search(kind) and not DEPARTMENT_KIND.search(kind)) or bool(_ZONE_NAME.search(u.unit))


#: a directory kind of units stationed in the place by a higher level: 中央驻鄂单位, 中直驻莞单位,
#: 省驻市机构
_STATIONED = re.compile(r"(?<=驻)(.{1,2})(单位|机构)$")


def _kind_said(u: UnitStatus, level: str) -> str:
    """The kind a 通报 addresses a government below the plan's by: its directory kind, or, for a kind
    of several county-level words (县（市、区）, 县区: the importer's guess, or an office's word for all
    its counties), the kind its own name says (岳麓区 区, 长沙县 县, 浏阳市 县级市). A city of districts
    only (北京, 深圳) is addressed 各区人民政府, as its letters read (京政办发〔2016〕26号, 深府办〔1998〕116号),
    not 各县（市、区）, which names counties it has none of. A name saying no place keeps the kind."""
    words = set(re.findall("旗|县|市|区", re.sub("县级市|市辖区", lambda m: m.group()[-1], unbracketed(key(u.kind)))))
    if government_level(u.kind, level) != "county" or len(words) < 2:
        return u.kind
    return _place_kind(u.unit) or u.kind


def _place_kind(name: str) -> str:
    """The county-level kind of the place a county-level government's or department's name leads
    with: 区 (岳麓区, 阳泉市城区, 浦东新区人民政府, 清城区教育局), 县, 旗, 县级市 (英德市人民政府,
    英德市教育局); '' when it names none (市教育局, 虎门)."""
    own, where = bare_place(name) if bare_place(name)[0] else leading_place(name)
    if own == "市":
        return "县级市" if len(where) > 1 else ""
    return own if own in ("区", "县", "旗") else ""


def _government_phrase(kind: str) -> str:
    """How a 通报 addresses the governments of a directory kind: 地级以上市 → 各地级以上市人民政府,
    县（市、区） → 各县（市、区）人民政府; a kind naming its body keeps it (县区政府 → 各县区政府);
    a prefecture (地区) or a league (盟) is governed by a 行政公署 (内蒙古: 各盟行政公署)."""
    kind = re.sub(r"^各", "", kind)
    if re.search("政府|行政公署$", kind):
        return f"各{kind}"
    return f"各{kind}行政公署" if kind in ("地区", "盟") else f"各{kind}人民政府"


def _counties_phrase(kinds: list[str], body: str = "人民政府") -> str:
    """One phrase for the county-level governments of several kinds (县, 县级市, 市辖区, a city's
    plain 市): 各县（市、区）人民政府, 各县（区）人民政府, 各旗县（市、区）人民政府 as the kinds say;
    ``body`` 有关单位 for their departments' kinds (县直部门, 区直部门: 各县（区）有关单位)."""
    said = "".join(re.sub("县级市|市辖区", lambda m: m.group()[-1], re.sub("(人民)?政府$", "", k)) for k in kinds)
    words = [w for w in ("旗", "县", "市", "区") if w in said]
    if words == ["市", "区"] and any("县级市" in k for k in kinds):
        # 广州 (区 and 县级市, no 县): 各区、县级市人民政府 as its own documents read, not 各市（区）:
        # 市 first reads as cities in a city's own 通报
        return f"各区、县级市{body}"
    head = "旗县" if {"旗", "县"} <= set(words) else words[0]
    rest = [w for w in words if w not in head]
    return f"各{head}（{'、'.join(rest)}）{body}" if rest else f"各{head}{body}"
