"""Unit names a list shortens: the level (省, 市) or the government written once for several
names, and a directory's full names (黑龙江省财政厅) a document writes without the place.

`grammar.restore_trailing_levels` reads the words alone; the functions here need what the
table or the directory knows (``known``, ``own``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..groups import is_group
from ..text import key
from ..units import Directory
from .people import UNIT_ENDS

if TYPE_CHECKING:
    from .grammar import ParsedDepartments

_LEVEL_HEAD = re.compile(r"^[省市县区](?=[\u4e00-\u9fff]{2})")
_PLACE_HEAD = re.compile(r"^[\u4e00-\u9fff]{2,5}?(?=[省市县区州盟旗][\u4e00-\u9fff]{2})")


def place_left_out(directory: Directory) -> dict[str, str]:
    """Each directory unit under its name without the place (黑龙江省财政厅 -> 省财政厅), where
    only one unit has that short name. A province's office lists full names and its document
    writes 省财政厅: that became a second unit, without the directory's mailbox, and the
    directory's 黑龙江省财政厅 got no form."""
    found: dict[str, set[str]] = {}
    for unit in directory:
        for name in (unit.name, *unit.aliases):
            m = _PLACE_HEAD.match(key(name))
            if m:  # 省财政厅, and 财政厅 as a list writes it after 省发改委 (`restore_elided_levels`)
                for short in (key(name)[m.end():], key(name)[m.end() + 1:]):
                    found.setdefault(short, set()).add(unit.name)
    return {short: next(iter(units)) for short, units in found.items() if len(units) == 1}


def restore_elided_levels(parsed: ParsedDepartments, known: Callable[[str], bool],
                          own: Callable[[str], bool]) -> None:
    """``省工信委、国土资源厅、商务厅协办``: the level written once for a list is every unit's.
    A name after one that starts with 省 (市, 县, 区) becomes that level's unit where the table
    or the directory ``known``s it so (省商务厅) and the directory has no unit of its own by
    the bare name (``own``): 黑龙江 2013's 省商务厅 got a second form as 商务厅, and its silence
    on that one made it 未报送. Said in ``problems``."""
    level = ""
    entries, restored = [], []
    for name, role in parsed.entries:
        head = _LEVEL_HEAD.match(name)
        if head:
            level = head.group()
        elif level and not is_group(name) and not own(name) and known(level + name):
            restored.append((name, level + name))
            name = level + name
        entries.append((name, role))
    parsed.entries = entries
    if restored:  # one line for the cell: a province's list leaves 省 out of ten names
        parsed.problems.append(levels_restored(restored, "前承上文"))


# 哈尔滨、黑河、绥芬河市政府负责 (黑龙江): the level and 政府 written once, after the last place.
PLACE_GOVERNMENT = re.compile(r"^[\u4e00-\u9fff]{2,5}?(?P<level>[省市县区旗乡镇](?:人民)?政府)$")
_BARE_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
# A sector or a department written bare (海关、国税、哈尔滨市政府; 发改、财政、某某镇政府) is a unit
# of its own, not a place: 发改 became 发改镇政府 (review).
_SECTOR = re.compile(r"(海关|税务|国税|地税|人行|银行|电力|供电|电网|电信|移动|联通|铁路|民航|邮政|气象|烟草|公安|武警"
                     r"|边检|海事|工会|保险|证券|日报|电视台"
                     r"|发改|财政|住建|建设|交通|教育|教体|民政|司法|人社|人力资源|资源|环境|环保|水利|水务|农业|农村|农林"
                     r"|商务|文旅|文化|旅游|文广|卫健|卫生|健康|应急|监管|工商|质监|统计|医保|审计|宣传|统战|组织|政法|编办"
                     r"|信访|科技|工信|经信|城管|规划|国土|林业|体育|档案|粮食|消防|城投|国资|金融|外事|侨务|民宗|退役军人)$")


def bare_place(name: str) -> bool:
    """A place's name with no unit word (哈尔滨, 绥芬河): not 发改 or 海关, a unit or a group."""
    return bool(_BARE_PLACE.match(name)) and not name.endswith(UNIT_ENDS) and not _SECTOR.search(name) \
        and not is_group(name)


_GOVERNMENTS = ("市政府", "市人民政府", "县政府", "县人民政府", "区政府", "区人民政府", "地区行署")


def restore_bare_places(parsed: ParsedDepartments, known: Callable[[str], bool],
                        own: Callable[[str], bool]) -> None:
    """``哈尔滨牵头，黑河、绥芬河市政府配合``: a place closed by its own role word is not reached by
    `restore_trailing_levels`, and stayed a unit 哈尔滨 with a form nobody answers. It becomes the
    place's government the table or the directory ``known``s (哈尔滨市政府), the cell's own
    level first, unless the directory has a unit by the bare name (``own``). Where none is
    known and the cell names other places' governments, it is kept and said. In ``problems``."""
    levels = [m.group("level") for n, _r in parsed.entries if (m := PLACE_GOVERNMENT.match(n))]
    if not levels:
        return
    entries = []
    for name, role in parsed.entries:
        if bare_place(name) and not own(name):
            found = next((name + level for level in dict.fromkeys([*levels, *_GOVERNMENTS]) if known(name + level)),
                         None)
            if found:
                parsed.problems.append(f"中，“{name}”只写了地名，已按文件或单位名录中的“{found}”导入")
                name = found
            else:
                parsed.problems.append(f"中，“{name}”只写了地名，不是单位名称，已按“{name}”导入；"
                                       f"如指该地政府，请在“责任分工”表中改为“{name}{levels[0]}”")
        entries.append((name, role))
    parsed.entries = entries


def levels_restored(restored: list[tuple[str, str]], where: str) -> str:
    """The M104 line for names given the level a list wrote once (``where``: before them or
    after): 中，“黑河”承下文省略了单位级别，已按“黑河市政府”导入."""
    was, now = ("".join(f"“{n}”" for n in names) for names in zip(*restored))
    return f"中，{was}{where}省略了单位级别，已按{now}导入"
