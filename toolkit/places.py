"""Places and administrative levels read from names: the level and the place of a plan's own
government (`plan_level`, `plan_place`: 清远市, 市 of 清远市人民政府办公室), the place a unit's
name leads with (`place_in`, `leading_place`), the level a phrase starts with (`leading_level`),
whether a name is a town's (`is_town`), and whether a name in a file's name follows another
place's (`marks_in`, `after_other_place`, `follows_other_place`: 广州市-民政局, 广州市市场监管局).

`toolkit.units` guesses kinds and resolves names by them; nothing here knows a directory.
"""

from __future__ import annotations

import re

from .text import SPACES, LazyPattern, clean, key

#: The rank of a government's level, the province's first: a unit below the plan's own is of a
#: higher rank (`units.guess_kind`, `units.below_plan`).
RANK = {"省": 0, "市": 1, "州": 1, "盟": 1, "县": 2, "区": 2, "旗": 2}


def leading_level(text: str) -> str:
    """The administrative level a phrase or kind starts with: 市, 区, 县, 省 or ''. 市中区教育局
    is a district's (`_LEVEL_LED`)."""
    m = _LEADING_LEVEL.match(key(text))  # 市场监管总局 is no city's
    return m.group(2) if m else ""


#: Districts whose names start with a level's character: 济南, 内江, 枣庄 and 乐山 each have a
#: 市中区, 青岛 a 市南区 and a 市北区. Their 市 names no city: 市中区教育局 is a district's.
_LEVEL_LED = ("市中区", "市南区", "市北区")
_LEADING_LEVEL = LazyPattern(r"(东莞)?(?:市[中南北](?=区))?(市(?!场)|区|县|省)")


def is_town(name: str) -> bool:
    """Whether a unit's name is a town's (镇, 乡, 街道, 苏木), whatever it starts with: 番禺区's
    市桥街道 and a county's 县城关镇 lead with a level character that is no department's level.
    Its government's own name counts too (城关镇人民政府, 东城街道办事处: not a 科室). A city or a
    county written without its level is none (景德镇, 江西萍乡: `_LIKE_A_TOWN`)."""
    body = town_body(name)
    return bool(re.search(r"(镇|街道|乡|苏木)$", body)) and not _LIKE_A_TOWN.fullmatch(body)


# Cities and counties whose names end as a town's do, written without their level (景德镇市,
# 萍乡市, 湘乡市, 宁乡市, 桐乡市, 丰镇市, 固镇县, 武乡县, 西乡县, 安乡县), alone or after their
# province (江西景德镇, 江西省萍乡) or city.
_LIKE_A_TOWN = LazyPattern(r"(?:[^\W\d_]{2,8}?[省市]|江西|湖南|安徽|山西|陕西|浙江|内蒙古)?"
                           r"(?:景德镇|萍乡|湘乡|宁乡|桐乡|丰镇|固镇|武乡|西乡|安乡)")


def town_body(name: str) -> str:
    """A town's name without the name of its government (人民政府, 办事处, 党委 …)."""
    return re.sub(r"(人民政府|政府|办事处|党委|党工委)$", "", clean(name)) or clean(name)


# What leads a party's or a league's body before its place (中共英德市委, 团市委, 民革清远市委员会);
# 团 only before a level's 委: 团风县 is a county.
_PARTY = LazyPattern(r"^(中国共产党|中共|共青团|团(?=[省市县区州盟旗]委)"
                     r"|民革|民盟|民建|民进|农工党|致公党|九三学社|台盟)")


# The level of the government a plan belongs to, read from a place name leading its
# organiser or title (大竹县人民政府办公室, 东莞市政务服务数据管理局, 广州市黄埔区…: the
# last level named before the body, 区 there) or from a government it names (2023年区政府
# 重点民生实事). A 开发区, 新区, 园区 or 社区 is a zone, not a level; a 州, 盟 or 旗 is its own
# level (州直, 旗直), 自治区 a province.
_LEVEL_OF = {"省": "省", "市": "市", "州": "市", "盟": "盟", "县": "县", "旗": "旗", "区": "区"}
# A 州 is mostly part of a city's name (杭州, 惠州, 广东惠州…): the prefecture's own level
# (州直, 州级: 恩施州's 市直 would be 恩施市's) only for an autonomous prefecture, named
# (延边州, 吉林延边州, 黔东南州) or written 自治州, or a 州 standing alone before its
# government (州人民政府, 州委). These are the thirty there are, by the short names their
# governments use (博州, 巴州, 克州 in 新疆 as well as the longer 博尔塔拉州 …).
_PREFECTURES = frozenset((
    "延边", "恩施", "湘西", "阿坝", "甘孜", "凉山", "黔东南", "黔南", "黔西南", "楚雄", "红河", "文山", "西双版纳",
    "大理", "德宏", "怒江", "迪庆", "临夏", "甘南", "海北", "黄南", "海南", "果洛", "玉树", "海西", "昌吉",
    "博尔塔拉", "巴音郭楞", "克孜勒苏", "伊犁", "博", "巴", "克"))
_BODY = LazyPattern(r"人民政府|政府|委员会|委|办公厅|办公室|局|厅|院|中心|办|关于|\d|年")
_GOVERNMENT = LazyPattern(r"(?<![各全本])(省|市|州|盟|县|旗|区)(?:人民政府|政府|委员会|委)")
# Words holding a level character that names no level: 大竹县市场监督管理局 is a county's,
# 城市更新三年行动 and 老旧小区改造 no city's or district's. (Not 市政 or 市民: 东莞市政务服务
# 数据管理局 and 东莞市民政局 are the city's.)
# 城市, 都市, 城区 and 湾区 also end places (盐城市, 成都市, 西城区, 龙湾区): masked only at the
# start or after a level, a year or a digit (review). A 城区 a department's name goes on from is
# 阳泉's district (城区教育局, 阳泉市城区住房和城乡建设局), not a city's built-up area.
# 建成区 is a city's built-up area in task text (建成区绿化覆盖率), a place of no government anywhere.
_NOT_A_PLACE = LazyPattern(r"超市|市场|小区|社区|景区|大湾区|建成区"
                           r"|(?<![^省市县区州盟旗年\d·])(?:城市|都市|湾区)(?!人民政府|政府|委)"
                           r"|(?<![^省市县区州盟旗年\d·])城区(?!人民政府|政府|委|[^\W\d_]{1,10}?(?:局|委员会|办公室)$)")


def plan_level(organiser: str, title: str = "", names: tuple[str, ...] | list[str] = ()) -> str:
    """省, 市, 州, 盟, 县, 旗 or 区: the level of the government whose plan this is; '' when
    nothing says.

    Read from the organiser (the office that signs the memo) first, then the units' own names
    (市发改局, 县财政局 …) when two thirds of those that name a level name the same one, then
    the title (whose words, 智慧城市 or 市区两级, say a level less surely than the units do).
    The memo's 主送 and its 需县级层面协调 follow it."""
    return _text_level(organiser) or _names_level(names) or _text_level(re.sub(r"^关于(印发)?", "", key(title)))


def plan_place(organiser: str, title: str = "") -> str:
    """The place name of the plan's own government (清远市 of 清远市人民政府办公室 or of
    2024年清远市重点工作), from its organiser, else its title; '' when neither leads with one.
    A party's office is its place's (大竹县 of 中共大竹县委督查室)."""
    for text in (organiser, re.sub(r"^(关于(印发)?)?(\d{4}年度?)?", "", key(title))):
        level, name = leading_place(key(text))
        if level:
            return name
    return ""


def bare_place(name: str) -> tuple[str, str]:
    """The level and the place (区, 岳麓区) when ``name`` is a place's name and nothing else, the
    places above it before it or not (岳麓区, 长沙市望城区, 福州市, 沛县): its government, as a
    plan names it (长沙 2012: 岳麓区, 望城区), never a department. ('', '') otherwise: a body after
    it (岳麓区教育局), a zone (高新区: `_is_zone`), an area's or the speaker's word (辖区, 市区, 全县)."""
    named = _GENERIC_DISTRICT.fullmatch(key(name))
    if named:
        return "区", named.group(1)
    text = _NOT_A_PLACE.sub(lambda m: "·" * len(m.group()), key(name))
    level, where = place_in(text)
    stem = where[:-1]
    if (not level or len(text) > 12 or not text.endswith(where) or not stem.strip("省市县区州盟旗·")
            or _DEICTIC.fullmatch(where) or _AREA.fullmatch(where)):
        return "", ""
    return level, where


def other_place(name: str, place: str) -> bool:
    """Whether the place ``name`` is not the plan's own ``place`` (英德市 in 清远市's plan;
    广东清远市, 清远 and a bare 市 are 清远市's own)."""
    a, b = (re.sub("市$", "", x) for x in (name, place))
    return bool(a and b) and not (a.endswith(b) or b.endswith(a))


def _text_level(text: str) -> str:
    text = _NOT_A_PLACE.sub(lambda m: "·" * len(m.group()), key(text))
    level = _place_level(text)
    m = _GOVERNMENT.search(text) if text and not level else None
    if m and not _is_zone(text, m.start(1)):
        # 2024年州政府…, 2024年延边州政府… are a 州's; 2024年惠州政府… a city's
        name = re.search(r"[^省市县区州盟旗年\d·]*$", text[:m.start(1)]).group()
        level = "州" if m.group(1) == "州" and (not name or _is_prefecture(name)) else _LEVEL_OF[m.group(1)]
    return level


def _names_level(names: tuple[str, ...] | list[str]) -> str:
    levels = [lv for lv in (leading_level(n) for n in names if not is_town(n)) if lv in ("省", "市", "县", "区")]
    if len(levels) >= 2:
        top = max(sorted(set(levels)), key=levels.count)
        if levels.count(top) * 3 >= len(levels) * 2:
            return top
    return ""


def _place_level(text: str) -> str:
    """The last level in the place name leading ``text`` (before its body: 人民政府, 局, 办 …)."""
    return place_in(text)[0]


def place_in(text: str) -> tuple[str, str]:
    """`_place_level` and the place name that level ends (英德市 of 清远市英德市人民政府)."""
    body = _BODY.search(text)
    head = text[:body.start()] if body else text[:12]
    level, name, place = "", "", 0  # ``place``: where the current place name starts
    for i, ch in enumerate(head):
        if ch not in _LEVEL_OF or head.startswith(_LEVEL_LED, i) or (
                i + 1 < len(head) and head[i + 1] in _LEVEL_OF and not head.startswith(_LEVEL_LED, i + 1)):
            continue  # 贵州省, 杭州市: the 州 is part of the name; so is 市中区's 市 (济南市市中区)
        if _is_zone(text, i):  # 滁州经济技术开发区管委会: the zone's own body, of no level said
            level, name = "", ""
            continue
        level = "省" if head[max(0, i - 2):i + 1] == "自治区" else _LEVEL_OF[ch]
        # an autonomous prefecture (延边州, 吉林延边州, 黔东南苗族侗族自治州) or a 州 alone before
        # its government (州人民政府) is the 州's own level; 惠州, 广东惠州 a city's name
        if ch == "州" and (head[max(0, i - 2):i + 1] == "自治州" or _is_prefecture(head[place:i])
                          or (i == place and i + 1 == len(head) and body
                              and re.match("人民政府|政府|委", text[body.start():]))):
            level = "州"
        name, place = head[place:i + 1], i + 1
    return level, name


def _is_prefecture(name: str) -> bool:
    """Whether the place name written before a 州 is an autonomous prefecture's (延边, 吉林延边,
    新疆博): a one-character short name (博州) only alone or after 新疆, not 广东惠州's 惠."""
    return any(name == p or (name.endswith(p) and (len(p) > 1 or name.endswith("新疆" + p))) for p in _PREFECTURES)


def _is_zone(text: str, at: int) -> bool:
    """Whether the 区 at ``at`` ends a zone's name (开发区, 高新区, 新区, 园区 …), not a district.
    A 矿区 named by nothing else is a district (阳泉市矿区, beside its 城区 and 郊区); a mine's
    area has its own name (神东矿区)."""
    before = _ZONE_BEFORE.search(text[:at]) if text[at] == "区" else None
    if not before:
        return False
    if before.group() == "新" and not text.startswith("管", at + 1) and (
            _GOVERNMENT_AFTER.match(text, at + 1) or text[:at + 1].endswith(DISTRICTS_NAMED_NEW)):
        # a 新区 is a zone, governed by a 管委会 (贵安新区管委会, 雄安新区管理委员会), unless a 人民政府
        # governs it: a district named as zones are (浦东新区人民政府, 天津市滨海新区人民政府), as 上海's
        # and 天津's two are, named so alone too (浦东新区, 浦东新区教育局)
        return False
    return not (text[:at].endswith("矿") and (at == 1 or text[at - 2] in "省市县区州盟旗年·0123456789"))


#: the districts named 新区 (上海市浦东新区, 天津市滨海新区): a 新区 elsewhere is a zone with a 管委会
DISTRICTS_NAMED_NEW = ("浦东新区", "滨海新区")
_GOVERNMENT_AFTER = LazyPattern(r"(?:人民)?政府")
_ZONE_BEFORE = LazyPattern(r"(开发|经开|高新|新|园|保税|试验|实验|先导|合作|经济|功能|示范|景|矿|片|社|校|名胜|度假"
                           r"|集聚)$")


#: The provinces by the names they go by without their level (湖北 of 湖北省, 广西 of 广西壮族自治区).
PROVINCES = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
             "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
             "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门")
#: A place above the plan's own written before it, its level said or not: 湖北省 or 湖北 before
#: 宜昌, 达州市 before 大竹, 武汉市 before 蔡甸.
HIGHER_PLACE = rf"(?:[^\W\d_]{{2,7}}?(?:省|自治区|市|州|盟)|{'|'.join(PROVINCES)})"

# Districts named by a plain word (阳泉市's 城区, 矿区 and 郊区; 晋城市's 城区): named so and nothing else,
# alone or after their city, they are the district (阳泉市矿区人民政府, yqkq.gov.cn). In a sentence or
# before a body the words stay an area's (`_NOT_A_PLACE`: 城区绿化, 城区管理局 are no district's government).
_GENERIC_DISTRICT = LazyPattern(rf"(?:{HIGHER_PLACE})*(城区|矿区|郊区)")


def prefecture_stem(place: str) -> str:
    """The name an autonomous prefecture's government goes by before its 州 (黔东南 of
    黔东南苗族侗族自治州 and of 黔东南州: its own offices sign 黔东南州…), else ''."""
    if not place.endswith("州"):
        return ""
    stem = place[:-1]
    if stem.endswith("自治"):
        return max((p for p in _PREFECTURES if len(p) > 1 and stem.startswith(p)), key=len, default="")
    return stem if _is_prefecture(stem) else ""


def leading_place(text: str) -> tuple[str, str]:
    """`place_in` of a unit's or an organiser's name, read past a party's or a league's word
    (中共英德市委: 英德市) and past words holding a level character that name no place (市场)."""
    return place_in(_NOT_A_PLACE.sub(lambda m: "·" * len(m.group()), key(_PARTY.sub("", text))))


def after_other_place(text: str, marks: list[tuple[int, int]], place: str) -> set[int]:
    """The ends of ``marks`` (where a mark, a space the key dropped, a date or a clerk's word
    spans ``text``, a key) that follow the name of a place other than ``place``, the plan's own:
    广州市 of 广州市-民政局, 大连市 of 大连市_教育局, 湖北省 of 湖北省 教育局 in 宜昌's plan. Written
    without the mark that place leads the name (广州市民政局), another government's body and no
    unit of the plan's; the mark changes nothing of that. A mark after one after the place
    follows it too (广州市 6月-民政局). The plan's own place (东莞市-民政局, 广东省东莞市_民政局, a
    bare 市), a clerk's words (复件, 6月) and a word of no place (本市, 全县) are none."""
    after: set[int] = set()
    start, other = 0, False
    for begin, end in sorted(marks):
        if begin > start:
            other = _names_other_place(text[start:begin], place)
        if other:
            after.add(end)
        start = max(start, end)
    return after


def follows_other_place(text: str, at: int, marks: list[tuple[int, int]], place: str) -> bool:
    """Whether a name starting at ``at`` in ``text`` (a key) follows the name of a place other
    than ``place``: written right before it (广州市市场监管局, 广东省市场监管局) or through ``marks``
    (广州市-市场监管局: `after_other_place`). A name the 名录 lists led by no place (东莞's
    市场监管局) is found anywhere: there, the body of another city's or the province's bureau
    (QA165). The plan's own place (东莞市市场监管局), a clerk's words (2022年6月市场监管局) and
    a word of no place (本市市场监管局) are none."""
    return at in after_other_place(text, [*((b, e) for b, e in marks if e <= at), (at, at)], place)


def before_other_place(text: str, marks: list[tuple[int, int]], place: str) -> set[int]:
    """The starts of ``marks`` (`marks_in`) after which the words, up to the next mark or the
    end, are the name of a place other than ``place`` and nothing else: 广州市 of 市场监管局-广州市,
    市场监管局（广州市）6月, 教育局 湖北省. Written after a body's name, that place is the body's,
    another government's (QA168), as written before it (`after_other_place`). The plan's own
    place (市场监管局-东莞市), a town (教育局-塘厦镇) and a word of no place (全市) are none;
    nor a sentence's words ending in a place (对口帮扶韶关市: `_PLACE_ALONE`)."""
    spans = sorted(marks)
    before: set[int] = set()
    for n, (begin, end) in enumerate(spans):
        stop = min((b for b, _ in spans[n + 1:] if b >= end), default=len(text))
        words = text[end:stop]
        if _PLACE_ALONE.fullmatch(words) and _names_other_place(words, place):
            before.add(begin)
    return before


# A place's name alone, with its level or a province without it, the places above it before it
# (广州市, 广东省广州市, 湖北, 广州市花都区): four characters at most before each level
_PLACE_ALONE = LazyPattern(rf"(?:[^\W\d_]{{1,4}}?(?:省|自治区|市|州|盟|县|区|旗)){{1,3}}|{'|'.join(PROVINCES)}")


def _names_other_place(words: str, place: str) -> bool:
    """Whether ``words`` (between two marks) end with the name of a place other than ``place``:
    written with its level (广州市, 湖北省, 广州市花都区), or a province written without it alone
    (广东, 湖北: `PROVINCES`; not the plan's own, 广西 in 广西壮族自治区's). A city or a county
    without its level is none: no list of them is kept here (深圳, 大连)."""
    level, name = leading_place(words)
    if not level:
        return words in PROVINCES and not key(place).startswith(words)
    return (words.endswith(name) and not _DEICTIC.fullmatch(name) and not _AREA.fullmatch(name)
            and other_place(name, place))


# What may end the words before a unit's name in a file name or a subject: a digit, a mark, a
# date's word, a joining word (2016年6月_, 6月, 关于, 报送, 和): a place's name goes on from none
# or a word a file's name puts before its unit's (附件市公安局, 副本市民政局, 定稿东莞市司法局:
# QA158; no unit's name holds one)
_BOUNDARY = LazyPattern(r"[\W\d_年月日份期的和与及]+|关于|报送|上报|呈报|提交|转发|附件|附表|副本|复件|定稿|终稿"
                        r"|最终版|修改版|修订版|修改后|请查收|回复|答复|填报表|进展表|情况表|进展情况")


def _gaps(text: str, keyed: str) -> tuple[int, ...]:
    """Where in ``keyed`` (`key` of ``text``) ``text`` had spaces: a clerk's separator
    (复件 市司法局6月.wps, Windows' copy; Copy of 市司法局), which `key` drops. None where
    keying the parts apart reads otherwise (a mark NFKC turns into a space)."""
    if not SPACES.search(text):
        return ()
    parts = [key(p) for p in SPACES.split(text)]
    if "".join(parts) != keyed:
        return ()
    ends, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        ends.append(at)
    return tuple(ends)


def marks_in(text: str, keyed: str) -> list[tuple[int, int]]:
    """Where in ``keyed`` (`key` of ``text``, a file's name or a mail's subject) a mark, a date,
    a clerk's word (`_BOUNDARY`) or a space the key dropped (`_gaps`, as empty spans) ends the
    words before a unit's name: what `after_other_place` and `follows_other_place` read by."""
    return [*((g, g) for g in _gaps(text, keyed)), *(m.span() for m in _BOUNDARY.finditer(keyed))]


# 本市, 全县, 我区: the speaker's own place, no other's
_DEICTIC = LazyPattern(r"[本全我该各此][省市县区州盟旗]")
# An area's word ending in 区 that names no government: 市场监管局-辖区, 市卫健局-市区 and
# 市交通运输局-港区 were nobody's (QA172). Not 城区 or 矿区 (阳泉's districts), nor 老城区
# (洛阳's: QA176)
_AREA = LazyPattern(r"(?:主城|中心城|[辖市港园山库景社片街小校厂])区")
