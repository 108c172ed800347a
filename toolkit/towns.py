"""A directory's towns: which 类别 files them (`town_kind`) and how a 通报 addresses them
(`town_phrase`: 各乡镇, 各镇（街道）, 各镇街（园区）, 各乡镇场).

Towns here are the governments right below a county: 镇, 乡, 街道, 苏木, the zones a directory
files beside them, and the state farms (农场, 林场) that 吉林 and 黑龙江 address with them
(各乡镇场, 各乡、镇(场)人民政府: 扶余 2018).
"""

from __future__ import annotations

import re

from .places import town_body
from .text import LazyPattern, key
from .vocab import Kind

#: a kind that is a department's (县直部门, 镇直单位, 中央驻鄂机构), never a government's or a
#: town's; 直辖市 is a government's word (各省、自治区、直辖市人民政府). `groups` reads group
#: phrases by it, `town_kind` directory kinds.
DEPARTMENT_KIND = LazyPattern(r"直(?!辖)|部门|单位|机构")

#: A park or zone a directory files with the towns (松山湖高新区, 立山经济开发区)
ZONE_NAME = LazyPattern(r"(园区|高新区|新区|开发区|经开区|功能区)$")

# A state farm's kind or name (农场, 国有农场, 国营林场, 牧场); never a 市场 or a 机场
_FARM = LazyPattern(r"(农|林|牧|渔|垦)场")


def town_kind(kind: str) -> bool:
    """Whether a directory 类别 files towns: the importer's 镇街, or what an office writes in its
    单位名录 (镇, 乡, 街道, 乡镇, 苏木, as README tells it to: 写“镇”“街道”的算“各镇街”), so the
    通报 addresses them as towns (各乡镇街道，县直各有关单位：), not only as 县直各有关单位. A kind
    of departments that names its towns (镇直部门, 乡镇站所, 街道科室) is none. A state farm's
    (农场, 国有林场) is one: 各乡镇场 reaches it (QA333), and the 通报 addressed it as a 市直 department
    (QA337)."""
    k = key(kind)
    return k == Kind.TOWN or (bool(re.search(r"镇|乡|街|苏木", k) or _FARM.search(k))
                              and not DEPARTMENT_KIND.search(k) and not re.search(r"科|股|站|所|中心|院|局", k))


def town_phrase(names: list[str]) -> str:
    """How a memo addresses the towns among ``names``: 各镇街（园区） where there are towns,
    街道 and parks (Dongguan), 各乡镇, 各街道, 各镇（街道） … as the names end; '' for none.
    A name that says none of these (a directory's 虎门, 松山湖 of kind 镇街) leaves nothing to go
    by: 各镇街（园区） then, the kind's own words. State farms (北山农场) are 场 after the towns
    (各乡镇场, as 吉林's and 黑龙江's 通报 write it), or after any other phrase (各镇（街道）、各农场)."""
    bodies = [town_body(n) for n in names]
    farms = {b: m.group() for b in bodies if (m := _FARM.search(b))}  # 北山农场, 北山农场管理委员会
    endings = [{e for e in ("乡", "镇", "街道", "园区")
                if (n.endswith(e) or (e == "街道" and n.endswith("街")) or (e == "乡" and n.endswith("苏木"))
                    or (e == "园区" and ZONE_NAME.search(n)))}
               for n in bodies if n not in farms]
    if not all(endings):
        towns = "各镇街（园区）"
    else:
        towns = _towns_said(set().union(*endings)) if endings else ""
    if not farms:
        return towns
    if towns in ("各乡镇", "各镇", "各乡"):
        return f"{towns}场"
    said = "、".join(sorted(set(farms.values())))
    return "、".join(filter(None, [towns, f"各{said}"]))


def _towns_said(ends: set[str]) -> str:
    if "镇" in ends and "街道" in ends:
        # 镇街 is Guangdong's word (东莞's 各镇街（园区）); elsewhere a 通报 reads 各镇（街道）,
        # understood everywhere (兴义 2021, QA149)
        base = "乡镇街道" if "乡" in ends else "镇街" if "园区" in ends else "镇（街道）"
    else:
        base = ("乡镇" if {"乡", "镇"} <= ends else "镇" if "镇" in ends else "乡" if "乡" in ends
                else "街道" if "街道" in ends else "")
    if "园区" in ends:
        return f"各{base}（园区）" if base else "各园区"
    return f"各{base}" if base else ""
