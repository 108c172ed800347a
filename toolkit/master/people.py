"""People written in a unit cell beside or instead of a unit: 市发改委（张三）, 市发改委张三, 分管副市长.

A person is never a unit: one would be issued a form and named 未报送. Read by shape only (a
common surname and one or two characters, or any 2–4 said to be people), so what is dropped is
said (`without_people`, `unglue_people`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..groups import is_group
from ..text import clean

if TYPE_CHECKING:
    from .grammar import ParsedDepartments

# People written beside a unit: 市发改委（张三）, 市发改委\n（张三、李四）, 市发改委（联系人：张三）.
# Only a bracket that is clearly people is dropped: a name is a common surname and one or two
# more Han characters (or any 2–4 with 同志 or a 联系人 label), never a unit-like word, so
# 市政府办（市大数据局）, 市委（市府办） and 市发改委（牵头） keep their brackets.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲"
    "翁冉骆蓝路游辛靳管柴蒙鲍喻祁蒲房滕屈饶解牟艾尤穆卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席米柏宗瞿桂"
    "佟臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝")
UNIT_ENDS = tuple("局委办府厅室部院会处队所站心社行司馆科股区县市镇乡联协组团校园中站")
UNIT_STARTS = tuple("市县区省镇乡")
LEADER = re.compile(r"(?:常务)?副?(?:省长|市长|县长|区长|州长|旗长|盟长|秘书长|书记|主席)$")
_PEOPLE_LABEL = re.compile(r"^(责任人|联系人|负责人|经办人|分管领导|责任领导|负责同志)[:：]?")
_PHONE = re.compile(r"^[\d\-－—]{7,}$")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def is_person(name: str, sure: bool = False) -> bool:
    """A person's name by its shape: a common surname and one or two characters, not a unit's
    word. ``sure``: said to be people (同志, 联系人：), so any 2–4 Han characters."""
    if not _HAN.match(name) or name.endswith(UNIT_ENDS) or name.startswith(UNIT_STARTS):
        return False
    return 2 <= len(name) <= 4 if sure else (2 <= len(name) <= 3 and name[0] in _SURNAMES)


def _people(inner: str) -> bool:
    """Whether a bracket's text is only people: 张三、李四; 联系人：张三 13800000000; 张三同志."""
    s = inner.strip()
    label = _PEOPLE_LABEL.match(s)
    s = s[label.end():] if label else s
    parts = [p for p in re.split(r"[、，,；;\s/]+", s) if p]
    names = [p for p in parts if not _PHONE.match(p)]
    if not names:
        return False
    return all(is_person(n.removesuffix("同志"), sure=bool(label) or n.endswith("同志")) for n in names)


_TRAILING_BRACKET = re.compile(r"[（(](?P<inner>[^（）()]*)[）)]$")


def without_people(piece: str, problems: list[str]) -> str:
    """``piece`` without a bracket of people at its end (the whole piece when it is only that).
    Said in ``problems`` unless the bracket says it is people (同志, 联系人：): a short place
    name after a unit (市税务局（万江）) has the shape of a name too, and must not go unseen."""
    m = _TRAILING_BRACKET.search(piece)
    if m and _people(m.group("inner")):
        inner, unit = m.group("inner").strip(), piece[: m.start()].rstrip()
        if not (_PEOPLE_LABEL.match(inner) or "同志" in inner):
            # Said as what was dropped, why, and what to write if it was no person (江北, 林业):
            # "“X（林业）”括号中的“林业”像是人名，已去掉" said neither what the unit became nor why.
            problems.append(
                f"中，“{unit}”后括号里的“{inner}”{LOOKS_LIKE_NAME}，已去掉，单位按“{unit}”导入；"
                f"如果“{inner}”是地名、分支机构或业务名称而不是人名，单位应为“{piece}”" if unit else
                f"中，单独成行的“{piece}”{LOOKS_LIKE_NAME}，是上一个单位的联系人，已去掉")
        return unit
    return piece


LOOKS_LIKE_NAME = "像是人名（常见姓氏开头的两三个字）"


def glued_people(name: str) -> list[tuple[str, str]]:
    """Ways ``name`` reads as a unit with a person's name written on without a break
    (市发改委张三 -> 市发改委, 张三): the unit ends as units do (委, 局 …) and the rest has a
    name's shape. A shape only: 市税务局万江 (a place) and 市自然资源局林业 have it too."""
    s = clean(name)
    if not _HAN.match(s) or is_group(s):
        return []
    return [(s[:-n], s[-n:]) for n in (2, 3) if len(s) - n >= 3 and s[:-n].endswith(UNIT_ENDS) and is_person(s[-n:])]


def unglue_people(parsed: ParsedDepartments, known: Callable[[str], bool]) -> None:
    """Drop a person's name written on after a unit (市发改委张三) where that is sure: the
    whole is no unit ``known`` (the directory's, or one the table names on its own), the unit
    before the name is, and the name is not. Otherwise the unit is kept as written and said:
    it became a unit called 市发改委张三 before, unsaid."""
    entries = []
    for name, role in parsed.entries:
        ways = [] if known(name) else glued_people(name)
        sure = [(unit, person) for unit, person in ways if known(unit) and not known(person)]
        if sure:
            unit, person = sure[0]
            parsed.problems.append(f"中，“{person}”像是人名（紧接在已知单位“{unit}”后面，是常见姓氏开头的两三个字），"
                                   f"已去掉，单位按“{unit}”导入")
            name = unit
        elif ways:
            unit, person = ways[0]
            parsed.problems.append(f"中，“{person}”可能是人名（紧接在“{unit}”后面，是常见姓氏开头的两三个字），"
                                   f"无法确定，已按单位“{name}”导入；如果是人名，单位应为“{unit}”")
        entries.append((name, role))
    parsed.entries = entries
