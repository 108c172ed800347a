"""Where a town's name found in a file's name goes on into another's: a place's, a structure's
or a body's located in the town (QA109, QA162).

A 公安分局, 派出所, 供电所, 中心小学, 卫生院, 林场 or 社区 in a town carries the town's name
(东莞's 虎门公安分局, 横沥分局, 长安镇锦厦社区; 兴山县's 水月寺镇派出所), but it is the city's
police, the grid company, a school: a file it sends is no return of the town's. Read as the
town's, it made the town 按时 in the 通报 by a file it never sent (塘厦公安分局6月进展.xlsx was
塘厦镇's). `Directory.find_in` asks `goes_on_from_town` where a town's name is found: a name
carried on into such a body names nobody, and collect asks the office (请核实) as for any
unknown sender. What a town's own office writes after its name is the town itself (塘厦镇人民政府,
塘厦镇党政办, 长安镇经济发展局, 塘厦镇（代报）): none of those words is a body's here.

A department's name going on into a town's and a branch's (东莞市公安局塘厦分局, 东莞市交通运输局
长安分局: `branch_after_town`) is the branch's file, not the department's return (QA168).

Nothing here knows a directory: the caller says which found names are towns'.
"""

from __future__ import annotations

from .text import LazyPattern

# A town's short name carried on into a place or a structure, after one qualifier at most
# (虎门大桥, 虎门二桥, 石龙坑, 东城路): the bridge, creek or road, not the town (街道 is the town's
# own level; 村级 a town's villages: 虎门村级工业园 is 虎门's)
_PLACE_GOES_ON = LazyPattern(r"[大小新老旧东西南北中一二三四五六七八九十]?"
                             r"(?:[桥坑港路村山湖岭岛湾河涌江塘站](?!级)|街(?!道)|公园|广场|大道|码头)")
# The town's own level after its short name (塘厦 镇 派出所, 东城 街道 派出所). Not its government's
# word: what follows 人民政府 or 办事处 is the town's own office (塘厦镇人民政府规划管理所,
# 东城街道办事处城管中队: `_NOT_A_NAME`), which QA168 made nobody's for a while (QA172)
_LEVEL = LazyPattern(r"镇|乡|街道办事处|街道办|街道")
# A body whatever follows it (right after the town's words; after a mark `_BODY_NAMED`): no town's
# own office ends so. 小学 not of 中小学, nor 小学生 or 中学生 (the town's schools and pupils,
# topics of its own return: 塘厦镇中小学校舍改造)
_BODIES = (r"分局|派出所|供电局|供电所|卫生院|医院|林场|农场|茶场|水库|管理处|幼儿园|中心学校|学校"
           r"|(?<!中)小学(?!生)|中学(?!生)|公司|银行|支行|信用社|法庭|检察室|大队|中队|海关")
_BODY = LazyPattern(_BODIES)
# A body only as the end of a name (锦厦社区, 司法所, 卫生服务中心, 林村), after a word of its own:
# a town's 所辖, 中心工作, 智慧社区建设 or 农村 are topics of its own return.
_COMMITTEE = r"村委会|村民委员会|居委会|居民委员会"
_NAME_END = r"(?=$|[\W\d_]|[年月日份期的和与及]|关于|报送|上报|呈报|进展|情况|工作|填报|汇报|报表|附件|材料)"
_ENDING = LazyPattern(rf"(?:所(?![辖属有在需得以要涉列述])|站(?![点位台])|中心|社区|(?<![农乡])村"
                      rf"|{_COMMITTEE}){_NAME_END}")
# After a mark a part of the name of its own starts: a body's name there ends as a name (塘厦镇_派出所,
# 塘厦镇-派出所6月, 长安镇（交警大队）) where words going on from it are the town's topic (塘厦镇-学校
# 安全专项整治, 塘厦镇-卫生院建设进展, 长安镇（交警大队协办）: QA205), as after the town's government
# word (`_STATE_ORGAN`). Without a mark the body's name runs on from the town's (塘厦镇卫生院: `_BODY`).
_BODY_NAMED = LazyPattern(rf"(?:{_BODIES}){_NAME_END}")
# Right after the town's name, with nothing of its own between (QA168): a committee, the organ of
# one of the town's villages or communities, never its own office (虎门镇村委会); a 社区 after the
# short name alone, a community's name (长安社区, as 锦厦社区), where after the town's level it is
# the town's communities, a topic of its own return (塘厦镇社区)
_ORGAN = LazyPattern(rf"(?:{_COMMITTEE}){_NAME_END}")
_COMMUNITY = LazyPattern(rf"社区(?!工作){_NAME_END}")  # 社区工作: a topic, the town's community work
# What a city's or a county's bureau names a branch of its own located in a town by (东莞市公安局
# 长安分局, 东莞市城市管理和综合执法局长安分局, 市司法局长安司法所, 县公安局水月寺派出所): not the
# bureau's own return (QA168)
# (ending the name: 东莞市公安局长安镇派出所建设进展 is the bureau's own project: QA180)
_BRANCH = LazyPattern(rf"(?:分局|派出所|中队|大队|法庭|检察室|所){_NAME_END}")
# After the town's government word, what it sets up is its own (塘厦镇人民政府规划管理所, 东城街道
# 办事处城管中队: QA172) but a state organ's station is not (南城街道办事处派出所: the alias
# 南城街道办事处 was dropped, 南城街道 inside it kept, and the police's file was the town's)
_GOVERNMENT = LazyPattern(r"人民政府|政府|办事处")
# a state organ's or a public body's station, its name ending there (塘厦镇人民政府公安分局, 南城街道
# 办事处社区卫生服务中心); not 中队 or 所 alone, which a town's government sets up (城管中队,
# 规划管理所), nor a topic that starts with one (塘厦镇人民政府派出所周边环境整治: QA180)
_STATE_ORGAN = LazyPattern(rf"(?:分局|派出所|法庭|检察室|大队|供电局|供电所|卫生院|医院|卫生服务中心|银行|支行"
                           rf"|信用社|海关){_NAME_END}")
# What a clerk writes between the parts of a file's name as a space (`key` drops a space, not
# these: 塘厦镇人民政府_派出所, 南城街道办事处-派出所, 塘厦镇·派出所, 塘厦镇（派出所）); not a mark that
# joins two bodies (&, +: both sent it) nor one that closes or ends (), 。, ., the file's extension)
# (：，•「〈〜‐− too, QA205: what NFKC leaves of a colon, a comma, Word's bullet, a quote's or a title's
# bracket, a wave dash, a hyphen and a minus sign; and the quote `evidence.unit_in_names` makes of 「“)
_SEPARATOR = LazyPattern(r"[-_~—–―‐−·・•、/|:,(\[【〔〖《<{「『〈〜\"“‘]+")
# A short name followed by a district's or a county's level is that place (北京's 东城区, 西安's
# 长安区), not the town (东城街道, 长安镇)
_DISTRICT = LazyPattern(r"[区县](?![域级内外])")
#: How long a body's own words between the town and its ending may be (市场监督管理 of
#: 塘厦市场监督管理分局, 社区卫生服务 of a 社区卫生服务中心)
QUALIFIER = 8
# What no body's name holds between the town and its ending: a sentence's words (塘厦镇配合公安
# 分局开展…, 6月推进…中心工作, 所辖村, 中小学校), a remark's (塘厦镇（含派出所）, 包括, 协办: QA205),
# a date or a mark, or the town's own office
# (塘厦镇人民政府…), the service centres among them (塘厦镇政务服务中心, 便民服务中心, 党群服务中心,
# 综治中心: the town government sets them up, and a 政务公开 plan's return is often theirs, QA166;
# 社区卫生服务中心 is a clinic's)
_NOT_A_NAME = LazyPattern(r"[\W\d_]|[和与及同对向给在各全的年月日份期辖属含]|中小|配合|协助|协办|联合|会同|协同|督促"
                          r"|指导|包括|对接|关于|落实|部署|推进|开展|贯彻|情况|进展|汇报|报告|安排|措施|办理|委托|工作"
                          r"|人民政府|政府|党委|党工委|办事处|党政办|办公室|政务|便民|党群|综治|行政服务|公共服务")


def goes_on_from_town(text: str, end: int, short: bool) -> bool:
    """Whether a town's name found in ``text`` (a key) ending at ``end`` goes on there into
    another's: a short one (``short``: 虎门, 石龙) into a place's or a structure's (`_PLACE_GOES_ON`:
    虎门大桥, 石龙坑), any into a body's located in the town (`body_after_town`)."""
    return (short and bool(_PLACE_GOES_ON.match(text, end))) or body_after_town(text, end, short)


def body_after_town(text: str, end: int, short: bool) -> bool:
    """Whether a town's name found in ``text`` (a key) ending at ``end`` goes on into a body's
    name located in it (塘厦公安分局, 长安镇派出所, 石龙镇中心小学, 大岭山林场, 东坑供电所,
    长安镇锦厦社区, 虎门镇村委会, 长安社区); ``short``: the name found is the town's short one
    (塘厦, 东城), which a district's level after it also makes another place's (东城区, 西安市长安区)."""
    if short and _DISTRICT.match(text, end):
        return True
    level = _after_level(text, end)
    at = past_marks(text, level)  # 塘厦镇-派出所 as 塘厦镇 派出所 (QA201)
    # a committee; a community named as the town is; a branch office named after the town (东莞市税务局
    # 塘厦所: the bureau's, QA178), which no town writes of itself
    if _ORGAN.match(text, at) or (short and level == end and _COMMUNITY.match(text, at)) or _BRANCH.match(text, at):
        return True
    if gov := _GOVERNMENT.match(text, at):
        return _named_within(text, past_marks(text, gov.end()), lambda i, size: bool(_STATE_ORGAN.match(text, i)))
    body = _BODY_NAMED if at > level else _BODY
    return _named_within(text, at, lambda i, size: bool(body.match(text, i) or (size and _ENDING.match(text, i))))


def town_words_end(text: str, end: int) -> int:
    """Where a town's name found in ``text`` (a key) ending at ``end`` ends with its level and its
    government's word (长安 镇, 南城街道 办事处, 塘厦镇 人民政府): the place another place's name
    written after a mark follows (长安镇（惠州市）: QA180)."""
    at = _after_level(text, end)
    return m.end() if (m := _GOVERNMENT.match(text, at)) else at


def branch_after_town(text: str, end: int) -> bool:
    """Whether a town's name found in ``text`` (a key) ending at ``end``, right after a
    department's name, goes on into a branch of that department located in the town (东莞市公安局
    塘厦分局, 东莞市交通运输局长安分局, 市司法局长安镇司法所): the branch's file, not the
    department's own return. What else a department writes after a town is its own work there
    (市交通运输局虎门大桥维修进展, 市住建局塘厦镇中心小学改造进展)."""
    at = past_marks(text, _after_level(text, end))
    return _named_within(text, at, lambda i, size: bool(_BRANCH.match(text, i)))


def _after_level(text: str, end: int) -> int:
    """Where a town's name found in ``text`` ending at ``end`` ends with its level (塘厦 镇,
    东城 街道), as `body_after_town`, `town_words_end` and `branch_after_town` read past it."""
    return m.end() if (m := _LEVEL.match(text, end)) else end


def past_marks(text: str, at: int) -> int:
    """Where the separators (`_SEPARATOR`) at ``at`` in ``text`` (a key) end: a clerk's mark
    between a town's words and a body's name is the space `key` drops (塘厦镇人民政府 派出所 was
    the station's, 塘厦镇人民政府_派出所 the town's: QA201), so the name is read past it."""
    return m.end() if (m := _SEPARATOR.match(text, at)) else at


def _named_within(text: str, at: int, ends) -> bool:
    """Whether ``ends`` (a test of a position and the words' length before it) holds within
    `QUALIFIER` characters of ``at`` in ``text``, before anything no body's name holds."""
    for size in range(QUALIFIER + 1):
        if at + size >= len(text) or _NOT_A_NAME.search(text, at, at + size):
            return False
        if ends(at + size, size):
            return True
    return False
