"""The grammar of a unit cell (责任部门, 牵头单位 …): who leads, who cooperates, which groups.

Published tables and documents write responsibility in a handful of ways, often mixed:

- clauses ending in a role word: ``市公安局牵头，市司法局配合``, ``X、Y负责``,
  ``各县（市、区）按职责分工负责``, ``X、Y分别牵头``;
  the word is its clause's only: ``X、Y，Z配合`` gives X and Y the column's role (`clauses`);
- labels: ``牵头单位：X；责任单位：Y``, ``协同责任单位：…`` (a 责任单位 after a 牵头单位 cooperates);
- a mark after a name: ``X（牵头）、Y``;
- a convention stated once for the whole document: ``列第一位者为牵头单位，下同``.

Units are split at 、，,；; and line breaks, never inside brackets, so ``各县(市、区)政府`` stays
one phrase; ``各县、市、区政府`` is put back together. Group phrases are returned as written;
expansion happens against the directory (`expand_assignments`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..groups import group_members, is_group, named_kind
from ..text import clean
from ..units import Directory
from ..vocab import Role
from .clauses import COLUMN, PLURAL_WORDS, shared
from .levels import PLACE_GOVERNMENT, bare_place, levels_restored
from .model import Assignment
from .people import LEADER, LOOKS_LIKE_NAME, UNIT_ENDS, UNIT_STARTS, is_person, without_people
from .vertical import down_the_column

LEAD, COOP = Role.LEAD, Role.COOP
SKIP = "skip"  # a label whose values are people or dates, not units

_OPENERS, _CLOSERS = "（(〔[【《“‘<", "）)〕]】》”’>"
# 市发改委/市财政局 lists two units, not one nobody answers for (QA326); a date's slash cuts nothing (QA327)
_SEPARATORS, _DATE_SLASH = set("、，,；;。\n \t\u3000/／"), re.compile(r"\d[/／]\d")

# A role word may be followed by 落实 (潍坊 2017: ``市发改委牵头落实``, ``X、Y分别牵头落实``), or said
# as a predicate (``市发改委为牵头单位，市财政局为配合单位``: the units were named with their role
# words before, and both led). 黑龙江 2013 writes ``X主办，Y、Z协办`` and ``X、Y、Z分别负责``: the
# lead was a unit named 省财政厅主办 that cooperated, and 统计局分别 a unit.
_ROLE_SUFFIX = re.compile(
    r"为(?P<said>(?:牵头|配合|协办|参与|责任|主责|主办))(?:单位|部门)$"
    r"|(?P<word>按职责分工负责|按职责负责|各自负责|分别牵头负责|分别牵头|分别负责|共同牵头|并列牵头|总牵头|牵头负责|牵头"
    r"|具体负责|共同负责|负责|主办|配合|协助|协办|参与|参加)(?:落实)?$"
    r"|(?P<carry>按职责(?:分工)?落实|分别落实|具体落实|组织落实|抓好落实|落实)$")
# ``X牵头，各街道落实``: who carries a task out beside a lead cooperates; alone, it takes the
# column's role (各镇落实 in a 责任单位 column leads). 各街道落实 was a unit with a form of its own,
# and 基层处等按职责分工 one (广东省卫生健康委 2021: X、…、基层处等按职责分工落实; QA251).
_CARRY = "carry"
# A clause word printed in brackets after a list (``X、Y（并列牵头）``, ``X、Y（按职责分工负责）``) is
# the clause's word for every unit before it, not a mark on the last one: 区财政局（按职责分工负责）
# was a unit.
_CLAUSE_MARK = re.compile(
    r"[（(](?P<word>并列牵头|共同牵头|分别牵头|按职责(?:分工)?(?:负责|落实)|分别负责|各自负责|共同负责)[）)]$")
_LEAD_WORDS = ("牵头", "负责")
_LEAD_PREDICATES = ("责任", "主责", "主办")  # X为责任单位, X为主办单位

# A role word alone is a label too (``牵头：X；配合：Y``, ``主责：X；协办：Y``): without it the
# label stayed in the unit's name and every unit led.
_ROLE_LABEL = r"(?:牵头|主要负责|主责|主办|配合|协办|协同|协作|参与)(?:责任)?(?:单位|部门|科室|处室|股室)?"
UNIT_LABEL = re.compile(
    r"^(?P<label>牵头负责领导|牵头领导|责任领导|分管领导|牵头市领导|责任人|联系人|" + _ROLE_LABEL +
    r"|责任单位|责任部门|责任科室|责任处室|责任股室|负责单位|实施单位|承办单位|数据提供单位|责任"
    r"|完成时限|完成时间|时间节点|时限要求)\s*[:：]\s*")
# 责任单位;住建局、… (扶余: a slip of the pen for the colon): the label, never a unit 责任单位
# with the task's units lost (QA333)
_SLIPPED_LABEL = re.compile(r"^((?:牵头|配合|协办|协同|责任|主办|主责)?(?:单位|部门|科室|处室|股室))[;；]")
_MARK = re.compile(r"[（(](?P<word>(?:牵头|主责|主办|配合|协办|协同|参与)(?:单位|部门)?)[）)]$")
_LEAD_MARKS = ("牵头", "主责", "主办")
STAR = "★"
_STAR_SPACE = re.compile(r"★\s+|\s+★(?=[、，,；;\s]|$)")  # ★ 财政局: the space is no separator
# The first listed unit as documents word it: 列第一位者, 排在第一位的, 排第一位的, and also
# 排名第一（的）, 排在首位的, 第一个: those stayed in the last unit's name (市商务局（排名第一为牵头单位）,
# a unit nobody would answer for) and every unit led.
_FIRST_LISTED = r"(?:(?:列|排)[在名序]{0,2}(?:第一位?|首位)|第一个)"
#: The 列第一位者为牵头单位 convention stated (the importer reads it beside a table too).
FIRST_LEADS = re.compile(_FIRST_LISTED + r"[^（）()。；;]{0,12}?(?:牵头|主办|主责|主要)")
# The convention as a bracketed note after a list, or as a sentence closing a clause.
_FIRST_LEADS_NOTE = (
    re.compile(r"[（(](除[^（）()]*?外[，,]?)?[^（）()，,。；;]{0,6}?" + _FIRST_LISTED + r"[^（）()]*[）)]"),
    re.compile(r"[。；;，,]?" + _FIRST_LISTED + r"[^。；;（）()]*"))
# A note for the tasks after this one, closing its unit text (威海 2023: ``…开发区管委。以下任务均需
# 各区市政府、开发区管委落实，不再一一列出``): 以下任务均需各区市政府 and 不再一一列出 were units (QA274).
# 四川 2022 closes its first bracket with a note not opening with 以下 (``…。具体任务均涉及相关市(州)
# 人民政府,不再做分工,下同``: QA326); not one ending in 下同 alone (…；财政部、商务部按职责分工负责，
# 下同) nor one giving its units a role (…；各县区政府负责落实，以下不再重复): those are this task's (QA327).
_NO_LONGER = r"不再(?:一一)?(?:做|作)?(?:列出|列明|注明|重复|赘述|分工|分解)"
_CHAR = r"(?:[^。；;（）()]|[（(][^（）()]*[）)])"  # of one sentence, a bracket whole
_ROLE_FREE = r"(?:(?!牵头|负责|配合|落实|参与|协助|协同|承办|主办)" + _CHAR + ")"
_NOTE_TAIL = r"(?:下同|" + _NO_LONGER + r")(?:[，,]\s*(?:下同|" + _NO_LONGER + r"))*"
_STANDING_NOTE = re.compile(rf"(?:[。；;]\s*(?P<sentence>{_ROLE_FREE}+?{_NO_LONGER}(?:[，,]\s*下同)?)"
                            rf"|[。；;，,]\s*(?P<note>(?:以下|下列|此后|其后|后续|其余){_CHAR}*?(?:{_NO_LONGER}|下同)|{_NOTE_TAIL}))$")
_INNER_ROLE = re.compile(r"(?<=牵头|负责)(?!落实)(?=[^单部领同人科责负配协参按：:（(）)][^：:]+)")
_OPEN_ENDED = re.compile(r"^(?P<name>.+?)等([省市县区州盟旗]直?)?(有关|相关|其他|其它)?(部门|单位|机构)?"
                         r"(和单位|和部门|和有关单位)?$")
# X等省有关部门和各地级以上市人民政府 (广东省 plans): the group after 和 is a group of its own
_OPEN_ENDED_AND = re.compile(r"(等(?:[省市县区州盟旗]直?)?(?:有关|相关|其他|其它)?(?:部门|单位|机构))"
                             r"(?:和|及|以及)(?=各|有关|相关)")
# 财政局和市直各单位, 岳麓区和市直相关单位 (长沙 2012): a unit, then 和 and a group. Read whole, each
# became a group of its own the directory has no kind for (M108), the unit before 和 lost (QA359).
_UNIT_AND_GROUP = re.compile(r"(?<=[局委办府厅室院会处队所站心社司馆区县市部组])(?:和|及|以及)"
                             r"(?=[省市县区]直|各|有关|相关)")
_GROUP_TAIL = {"单位", "部门", "机构", "有关单位", "相关单位", "有关部门", "相关部门"}
# 相关市、县政府 (黑龙江省促进经济稳增长的若干措施) as 各县、市、区政府: 相关市 was a unit, 县政府 another
# 各区、县级市 and 各有关区、县级市 (广州 2012) likewise: 县级市 was a unit of its own
# 各州、市人民政府 and 各盟、市 likewise (云南, 内蒙古): 市人民政府 was a unit (QA326)
_ADMIN_HEAD = re.compile(r"^(各|相关|有关|各有关|各相关)(县|市|区|乡|镇|旗|州|盟|地)"
                         r"(、(县|市|区|乡|镇|旗|州|盟|县级市))*$")
# 各乡镇人民政府、街道办事处 (谯城 2025): 各 written once covers the 街道办事处 too, a bare kind
# that names no one body; alone it was imported as a unit (街道办事处 未报送). Kept whole, as above.
_TOWN_HEAD = re.compile(r"^(各|相关|有关|各有关|各相关)(乡|镇|乡镇|街道|镇街|乡[（(]镇[)）])(人民)?(政府|办事处)?$")
# 各乡镇人民政府、街道办事处（开发区）: the zone in brackets is of the group too (QA333: 街道办事处（开发区）
# was a unit of its own, and no 街道 nor the 开发区 was given the task)
# (各乡、镇(场)人民政府: 扶余 2018's state farms beside its towns; QA338: 镇（场）人民政府 was made a unit and
# no 镇 nor 场 was given the task)
_TOWN_PART = re.compile(r"^(乡|镇|乡镇|街道)([（(]场[)）])?(人民)?(政府|办事处)?"
                        r"([（(][^（）()]*(开发区|园区|新区|功能区|管委会)[)）])?$")
# 各乡镇党委、政府 (QA330), 城关镇党委、政府, 高新区党工委、管委会, 东城街道党工委、办事处: one body's
# committee and government, never a unit called 政府 (QA333: 城关镇党委、政府 made 城关镇 and 政府)
# (城关镇党委、镇政府 too: 镇政府 alone was every town's, and gave the task to all of them)
_PARTY = re.compile(r"党(\(工\)|（工）|工)?委$")
_GOVERNMENT = re.compile(r"^(?P<level>镇|乡|街道)?((人民)?政府([（(]办事处[)）])?|管委会|办事处)$")
_PAIR = re.compile(r"^(?P<place>.*?)(?P<party>党(?:\(工\)|（工）|工)?委)(?:、|和|及)?"
                   r"(?P<gov>(?:镇|乡|街道)?(?:人民)?政府|管委会|办事处)(?:[（(]办事处[)）])?$")


def _pair_joins(head: str, bare: str) -> bool:
    """Whether ``bare`` is the government of the committee ``head`` names (城关镇党委 | 政府, 镇政府)."""
    party, government = _PARTY.search(head), _GOVERNMENT.match(bare)
    return bool(party and government) and head[: party.start()].endswith(government["level"] or "")


def restore_trailing_levels(pieces: list[str], problems: list[str]) -> list[str]:
    """``哈尔滨、黑河、绥芬河市政府负责``: the level written once at the end of a list of places is
    every place's, the mirror of `restore_elided_levels` (省 written once at the front). A bare
    place before a place's government (哈尔滨, no unit word) becomes that level's government:
    哈尔滨 and 黑河 were units of their own, each with a form nobody would answer, named 未报送.
    Read from the words alone, before a directory is at hand: a place's name is never a unit.
    Said in ``problems``."""
    out = list(pieces)
    restored = []
    for i, piece in enumerate(pieces):
        gov = PLACE_GOVERNMENT.match(_ROLE_SUFFIX.sub("", _MARK.sub("", piece)))
        j = i - 1
        while gov and j >= 0 and not _ROLE_SUFFIX.search(pieces[j]):
            label = UNIT_LABEL.match(pieces[j])
            place = pieces[j][label.end():] if label else pieces[j]
            if not bare_place(place):
                break
            out[j] = pieces[j] + gov.group("level")
            restored.append((j, place, place + gov.group("level")))
            if label:
                break
            j -= 1
    if restored:  # one line for the cell, in the list's order
        problems.append(levels_restored([(was, now) for _, was, now in sorted(restored)], "承下文"))
    return out


_ADMIN_PART = re.compile(r"^(县|市|区|旗|州|盟|乡|镇|街道|乡镇|县级市)(人民)?(政府|管委会|办事处|行政公署)?$")


def _unit_text(text: str) -> str:
    """A unit cell or clause cleaned for reading: ``★ X`` glued, an outer bracket and a slipped
    label's semicolon put right."""
    return _SLIPPED_LABEL.sub(r"\1：", _strip_outer(_STAR_SPACE.sub(STAR, clean(text))))


def is_unit_clause(text: str) -> bool:
    """Whether a bracketed clause after a paragraph names units: ``（X负责）``,
    ``（牵头单位：X；责任单位：Y）``; not ``（此件公开发布）`` or ``（试行）``."""
    s = _unit_text(text)
    if FIRST_LEADS.search(s):
        for note in _FIRST_LEADS_NOTE:
            s = note.sub("", s)
        s = _strip_outer(s)
    if not s or len(s) > 400:
        return False
    if UNIT_LABEL.match(s):
        return True
    # 落实 alone closes many a sentence (确保政策落实): only a role word makes the clause one of units.
    if any((m := _ROLE_SUFFIX.search(p)) and not m.group("carry") for p in split_units(s)):
        return True
    return clean(text)[:1] in _OPENERS and _bare_unit_list(s)


# A unit's own word at the end of its name, not a place's (市高新区, 含高新区 are places).
_ORGAN_ENDS = tuple("局委办府厅室部院会处队所站心社行司馆")


def _bare_unit_list(s: str) -> bool:
    """``市发展改革委，各县〔市、区〕政府``: a bracket of nothing but units and group phrases, with no
    role word or label. 三门峡 2023 (三政办〔2023〕1号, 明确到各责任单位) names every task's units so,
    and the document was refused as naming none. At least one unit with its level and an organ's
    word (市发展改革委), so a bracketed place or note (（含高新区）, （市本级）, （试行）) is no list."""
    parts = split_units(s)
    units = [p for p in parts if not is_group(p)]
    return bool(units) and all(_reads_as_unit(p, 20, shortest=3) for p in units) and any(
        p.startswith(UNIT_STARTS) and p.endswith(_ORGAN_ENDS) for p in units)


# What only a sentence about the work says, never a unit's name: 各级政府要对…负责, 主要领导亲自负责
# (but 应急管理局, 对外贸易局, 对口支援办 and 供应链办 are names).
_NOT_A_NAME = re.compile(r"要|将|(?<!供)应(?!急)|须|把|对(?!外|口)|由|在|会同|亲自|切实|认真|加强|确保|进一步")


def _reads_as_unit(name: str, longest: int, shortest: int = 1) -> bool:
    """Whether ``name`` reads as a unit's name, not words of a sentence: of a unit's length,
    ending in a unit's word, with no word only work prose uses (`_NOT_A_NAME`)."""
    return shortest <= len(name) <= longest and name.endswith(UNIT_ENDS) and not _NOT_A_NAME.search(name)


def is_unit_sentence(text: str) -> bool:
    """Whether an unbracketed sentence closing a paragraph is nothing but units and role words
    (黑龙江 2009: ``…。省水利厅牵头，省发改委等单位配合。``), not a sentence of the task that
    mentions who acts (``各级政府要对本地区水利建设负责``, ``由省财政厅会同省发改委统筹安排``)."""
    if not is_unit_clause(text) or UNIT_LABEL.match(_strip_outer(clean(text))):
        return False
    entries = parse_departments(text).entries
    return bool(entries) and all(reads_as_name(name, 16) for name, _role in entries)


def reads_as_name(name: str, longest: int) -> bool:
    """Whether ``name`` is a unit's name or a group phrase, not words of a sentence (各单位要…)."""
    return (is_group(name) and not _NOT_A_NAME.search(name)) or _reads_as_unit(name, longest)


@dataclass
class ParsedDepartments:
    """Result of reading one unit cell."""

    entries: list[tuple[str, str]]  # (unit or group phrase, role) in order of appearance
    open_ended: bool
    problems: list[str]
    #: The text states the 列第一位者为牵头单位 convention (which holds for the rest of the document).
    declares_first_leads: bool = False
    labels: list[str] = field(default_factory=list)


# A role mark alone on the line after a unit is the unit's: 发改局\n（牵头）\n统计局 made both lead
# (QA169). Any other bracket on a line of its own is joined, or not, by the directory
# (`join_wrapped_brackets`).
_BRACKET_LINE = re.compile(r"(?<=[^\s、，,；;])[ \t\u3000]*\n[ \t\u3000]*"
                           r"(?P<bracket>[（(〔【](?P<inner>[^\n（）()〔〕【】]+)[）)〕】])(?=[ \t\u3000]*(?:\n|$))")


def _bracket_lines_joined(text: str) -> str:
    """``text`` with a role mark's line joined to the line before."""
    return _BRACKET_LINE.sub(lambda m: m.group("bracket") if _MARK.match(m.group("bracket")) else m.group(), text)


# a bracket's words that list units or give them a role: read as units, with or without a 名录
_UNITS_SAID = re.compile(r"[、，,；;]|牵头|配合|负责|协助|协办|参与|主责|主办")
_BRACKET_ONLY = re.compile(r"[（(〔【](?P<inner>[^（）()〔〕【】]+)[）)〕】]")


def join_wrapped_brackets(parsed: ParsedDepartments, in_directory: Callable[[str], bool]) -> None:
    """A unit that is only a bracket, after another: never a unit of its own. After one the
    directory does not list it is that unit's name, its cell wrapped before the bracket
    (常州市钟楼区 2024: 高新园\n(邹区镇) made a form go to "(邹区镇)": QA169). After a listed unit,
    or holding a date, it is a note on the unit before (市住房城乡建设局\n（市城市管理综合执法局）,
    市公安局\n（交警支队）, 市交通运输局\n(2022年底前)): dropped and said (M104), unless it names
    units the directory lists or a group, or labels its units: then it is read as a cell of its
    own, its units the task's (QA172, QA176, QA178)."""
    entries: list[tuple[str, str]] = []
    for name, role in parsed.entries:
        m = _BRACKET_ONLY.fullmatch(name)
        if not entries or m is None:
            entries.append((name, role))
            continue
        before, inner = entries[-1][0], m.group("inner").strip()
        # read as a cell of its own, with this one's role unless it says one: 市财政局\n（配合：
        # 市统计局、市税务局）, 市民政局\n（市发展改革局牵头）, 市交通局\n（市公安局、市民政局）,
        # 市公安局\n（各镇街配合）: the units and groups it names (QA178)
        inside = parse_departments(inner, role or LEAD)
        if (UNIT_LABEL.match(inner) or _UNITS_SAID.search(inner)
                or any(in_directory(n) or is_group(n) for n, _ in inside.entries)):
            entries += inside.entries
            parsed.problems += inside.problems
        elif not in_directory(before) and not any(c.isdigit() for c in inner):
            entries[-1] = (before + name, entries[-1][1])
        else:
            parsed.problems.append(f"中“{before}”后的“{name}”不是单位名录中的单位，已作为说明去掉")
    parsed.entries = entries


def split_units(text: str) -> list[str]:
    """Split at 、，,；; and line breaks outside brackets (full- or half-width, nested)."""
    return [p for p, _ in _split_in_clauses(text)]


_CLAUSE_ENDS = set("，,；;。")


def _split_in_clauses(text: str) -> list[tuple[str, bool]]:
    """`split_units`' pieces, each with whether a clause mark (，；。) comes before it: in
    ``X、Y，Z配合`` only Z's clause cooperates (`clauses.shared`)."""
    text = _bracket_lines_joined(text)
    pieces, depth, current, after = [], 0, [], False
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS and not (ch in "/／" and _DATE_SLASH.match(text, i - 1)):
            piece = "".join(current).strip()
            if piece:
                pieces.append((piece, after))
                after = False
            after = after or ch in _CLAUSE_ENDS
            current = []
        else:
            current.append(ch)
    pieces.append(("".join(current).strip(), after))
    out: list[tuple[str, bool]] = []
    for p, after in pieces:
        # 市公安局牵头市司法局配合: a role word inside a piece ends a clause, separator or not.
        out.extend((q, after and i == 0) for i, q in enumerate(_INNER_ROLE.split(p)) if q)
    return _rejoin(out)


def _rejoin(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Put back phrases the separators broke: 各县、市、区政府 and 市直相关部门、单位."""
    out: list[tuple[str, bool]] = []
    for p, after in pieces:
        prev = out[-1][0] if out else ""
        # 各县、市、区政府负责, 城关镇党委、政府（牵头）: the last part carries the clause's role word or mark
        bare = _MARK.sub("", _ROLE_SUFFIX.sub("", p))
        head = UNIT_LABEL.sub("", prev)  # 配合单位：各区、县级市: the label opens the first part
        if prev and ((_ADMIN_HEAD.match(head) and _ADMIN_PART.match(bare))
                     or (_TOWN_HEAD.match(head) and _TOWN_PART.match(bare))
                     or (p in _GROUP_TAIL and is_group(head))
                     or _pair_joins(head, bare)):
            out[-1] = (f"{prev}、{p}", out[-1][1])
        else:
            out.append((p, after))
    return out


def _strip_outer(s: str) -> str:
    """``（X负责）`` -> ``X负责``: a clause printed in brackets after a paragraph."""
    s = s.strip().rstrip("。")
    while len(s) >= 2 and s[0] in _OPENERS and s[-1] in _CLOSERS and _balanced(s[1:-1]):
        s = s[1:-1].strip().rstrip("。")
    return s


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _label_role(label: str, seen_lead_label: bool) -> str:
    if re.search("领导|责任人|联系人|时限|时间", label):
        return SKIP
    if label.startswith(("牵头", "主要", "主责", "主办")):
        return LEAD
    # 数据提供单位 (成都 2019, beside 牵头单位 and 责任单位) supplies the figure a target is measured
    # by: a unit with a part in the task, not its lead. Unknown, the label stayed in the name
    # (数据提供单位:市统计局), a unit nobody would answer for, and it led where no 责任单位 came first.
    if label.startswith(("配合", "协", "参与", "数据")):
        return COOP
    # 责任单位 next to a 牵头单位 is the cooperating side; alone it is the responsible unit.
    return COOP if seen_lead_label else LEAD


def parse_departments(text: str, default_role: str = LEAD, *, first_leads: bool = False) -> ParsedDepartments:
    """Split a unit cell into (unit or group phrase, role) pairs.

    ``default_role`` applies to units no word, label or mark gives a role (a 配合单位 column
    passes COOP). ``first_leads``: the document said 列第一位者为牵头单位, so in a plain list the
    first unit leads and the others cooperate.
    """
    s = down_the_column(_unit_text(text))
    declares = bool(FIRST_LEADS.search(s))
    if declares:
        for note in _FIRST_LEADS_NOTE:
            s = note.sub("", s)
        s = _strip_outer(s)
    problems: list[str] = []
    note = _STANDING_NOTE.search(s)
    if note:
        s = s[: note.start()]
        problems.append(f"中的“{note.group('sentence') or note.group('note')}”是对其后任务的说明，不是单位，未导入；"
                        "其后任务不会自动加上这些单位，如需要请在“责任分工”表中逐项补填")
    labels: list[str] = []
    entries: list[tuple[str, str]] = []  # role "" = not yet known
    explicit_lead = explicit_coop = marked = lead_marked = severally = False
    label_role: str | None = None
    seen_lead_label = False
    open_ended = worded = False
    clause = 0  # where the clause being read starts in ``entries``

    s = _UNIT_AND_GROUP.sub("、", _OPEN_ENDED_AND.sub(r"\1、", s.replace("等和", "等、")))
    flagged = _split_in_clauses(s)
    pieces = restore_trailing_levels([p for p, _ in flagged], problems)
    for piece, (_, new_clause) in zip(pieces, flagged, strict=True):
        if new_clause:
            clause = len(entries)
        m = UNIT_LABEL.match(piece)
        if m:
            label = m.group("label")
            label_role = _label_role(label, seen_lead_label)
            labels.append(label)
            if label_role == LEAD and label.startswith(("牵头", "主要", "主责", "主办")):
                seen_lead_label = True
            piece = piece[m.end():]
            if not piece:
                continue
        if label_role == SKIP:
            continue
        piece = without_people(piece, problems)
        if not piece:
            continue  # 市发改委\n（张三、李四）: the people of the unit before
        role = ""
        whole = False  # the role word is every waiting unit's, not its clause's only
        bracketed = _CLAUSE_MARK.search(piece)
        if bracketed:
            piece = piece[: bracketed.start()].rstrip() + bracketed.group("word")
        # ★发改局、经信局 (平湖 2023): the star marks the lead, as 发改局（牵头）、经信局 would
        starred = piece.startswith(STAR) or piece.endswith(STAR)
        piece = piece.strip(STAR + " ")
        mark = _MARK.search(piece)
        suffix = _ROLE_SUFFIX.search(piece)
        if mark or starred:
            role = LEAD if starred or mark.group("word").startswith(_LEAD_MARKS) else COOP
            piece = without_people(piece[: mark.start()] if mark else piece, problems)
            marked = True
            lead_marked = lead_marked or role == LEAD
        elif suffix and suffix.group("carry") and len(piece) > len(suffix.group()):
            role, whole = _CARRY, True
            piece = piece[: suffix.start()]
        elif suffix and len(piece) > len(suffix.group()):
            word = suffix.group("word") or suffix.group("said")
            role = LEAD if word.startswith(_LEAD_WORDS) or word.endswith(_LEAD_WORDS) or word in _LEAD_PREDICATES \
                else COOP
            explicit_lead = explicit_lead or "牵头" in word
            explicit_coop = explicit_coop or role == COOP
            # 分别牵头: each leads its own part. (按职责分工负责 follows the document's convention.)
            severally = severally or word.startswith(("分别", "各自"))
            whole = word.startswith(PLURAL_WORDS)
            piece = piece[: suffix.start()]
        elif suffix:
            problems.append(f"“{piece}”前没有单位")
            continue
        piece = piece.strip("。.:：，,、 ")
        if not piece:
            continue
        oe = _OPEN_ENDED.match(piece)
        if oe and not is_group(oe.group("name")):
            open_ended = True  # X等有关部门: X, and maybe others the coordinator adds
            piece = oe.group("name")
        if piece in _GROUP_TAIL:
            problems.append(f"“{piece}”不是单位名称，已忽略")
            continue
        if LEADER.search(piece):
            # 吕维峰副省长负责，省农委总牵头 (黑龙江 2009): the leader was a unit that led.
            problems.append(f"中的“{piece}”是领导同志，不是单位，已去掉")
            if role and not (mark or starred):
                entries = [(n, r or role) for n, r in entries]
            continue
        if is_person(piece):
            # 市发改委 张三: a name on its own is most likely a person, but 2–3 characters can be
            # a unit's short name too: kept as written, and said.
            problems.append(f"中的“{piece}”{LOOKS_LIKE_NAME}，也可能是单位简称，已按单位导入；"
                            "如果是人名，请删去这个单位")
        entries.append((piece, role or (label_role or "")))
        if role and not (mark or starred):
            entries = shared(entries, role, clause, whole or worded)
            worded, clause = True, len(entries)
    column = {i for i, (_n, r) in enumerate(entries) if r == COLUMN}
    entries = [(n, default_role if r == COLUMN else r) for n, r in entries]
    led = explicit_lead or lead_marked or seen_lead_label or any(r == LEAD for _n, r in entries)
    entries = [(n, (COOP if led else default_role) if r == _CARRY else r) for n, r in entries]
    resolved = _resolve_pending(entries, default_role, marked, lead_marked, problems)
    leads = [i for i, (_n, r) in enumerate(resolved) if r == LEAD]
    plain_list = not (explicit_lead or explicit_coop or marked or severally or seen_lead_label)
    # X、Y，Z配合 under the convention: X and Y are the column's units, so X leads and Y cooperates.
    by_column = not (explicit_lead or marked or severally or seen_lead_label) and set(leads) <= column
    if (first_leads or declares) and leads and ((plain_list and len(leads) == len(resolved)) or by_column):
        resolved = [(n, LEAD if i == leads[0] else COOP) for i, (n, _r) in enumerate(resolved)]
    return ParsedDepartments(resolved, open_ended, problems, declares, labels)


def _resolve_pending(entries: list[tuple[str, str]], default_role: str, marked: bool, lead_marked: bool,
                     problems: list[str]) -> list[tuple[str, str]]:
    if not any(r for _, r in entries):
        return [(n, default_role) for n, _ in entries]
    out = []
    for n, r in entries:
        if not r:
            if marked:
                # X（牵头）、Y: the unmarked units cooperate; X、Y（配合）: only Y is marked as
                # cooperating, so X keeps the column's role (it led nothing before: M106).
                r = COOP if lead_marked else default_role
            else:
                problems.append(f"末尾“{n}”缺少“负责”或“配合”，已按配合处理")
                r = COOP
        out.append((n, r))
    return out


@dataclass
class Expansion:
    """What one task's unit cell became: assignments, names not in the directory, groups."""

    assignments: list[Assignment]
    unknown: list[str]
    groups: dict[str, list[str]]  # phrase -> units it expanded to ([] when not expanded)


def expand_assignments(task_id: str, parsed: ParsedDepartments, directory: Directory,
                       groups_from: Directory | None = None, plan: str = "") -> Expansion:
    """Resolve names to canonical units and expand group phrases against ``directory``
    (``groups_from`` when given), in a plan of level ``plan`` (`groups.group_members`).

    Named units win over group members: ``市各有关部门负责，市政数局配合`` makes 市政数局 配合 only.
    A unit named both as lead and cooperating stays lead. A group the directory has no
    units for expands to nothing: it is reported, never made a unit.
    """
    explicit: dict[str, str] = {}
    groups: list[tuple[str, str]] = []
    unknown: list[str] = []
    for name, role in parsed.entries:
        unit = directory.resolve(name)  # a 名录 unit called 镇政府 or 街道办事处 is that unit (QA331)
        pair = [] if unit else pair_units(name, directory, groups_from)
        for one in pair:
            if explicit.get(one) != LEAD:
                explicit[one] = role
        if pair:
            continue
        if is_group(name) and unit is None:
            groups.append((name, role))
            continue
        if unit is None and named_kind(name, directory if groups_from is None else groups_from):
            groups.append((name, role))  # 功能区管委会: the directory's 功能区, not one new unit
            continue
        if unit is None:
            unknown.append(name)
            unit = clean(name)
        if explicit.get(unit) != LEAD:
            explicit[unit] = role
    result = [Assignment(task_id, u, r) for u, r in explicit.items()]
    seen = set(explicit)
    expanded: dict[str, list[str]] = {}
    for phrase, role in sorted(groups, key=lambda g: g[1] != LEAD):
        members, _kinds = group_members(phrase, directory if groups_from is None else groups_from, plan)
        expanded[phrase] = members
        for unit in members:
            if unit not in seen:
                seen.add(unit)
                result.append(Assignment(task_id, unit, role, phrase))
    result.sort(key=lambda a: a.role != LEAD)
    return Expansion(result, unknown, expanded)


def pair_body(name: str) -> str:
    """Whose committee and government ``name`` names (城关镇党委、政府 -> 城关镇), else ''."""
    m = _PAIR.match(clean(name))
    return m["place"] if m else ""


def pair_units(name: str, directory: Directory, given: Directory | None = None) -> list[str]:
    """The 名录 units a committee-and-government pair names: 城关镇 for 城关镇党委、政府 where the
    名录 lists the town; 镇党委 and 镇政府 for 镇党委、政府 in a town's own plan where it lists both
    (QA333: lost as a group of towns nobody is). [] when it names none of them."""
    m = _PAIR.match(clean(name))
    if not m:
        return []
    # 党委、政府 alone in a town's own plan: its 镇党委 and 镇政府, however its 名录 names them (QA338:
    # a unit called 党委、政府 was made, and the 镇党委 lost)
    # its committee and government as the 名录 (``given``) lists them: not a 城关镇党委 another row of
    # the table made a unit (QA338: it took the task beside 城关镇)
    listed = given if given is not None else directory
    for place in [m["place"]] if m["place"] else ["", "镇", "乡", "街道"]:
        party = listed.resolve(place + m["party"])
        government = next((u for word in (m["gov"], "人民政府", "政府") if (u := listed.resolve(place + word))),
                          None)
        found = [u for u in dict.fromkeys((party, government)) if u]
        whole = directory.resolve(place) if place else None
        if found or whole:
            return found or [whole]
    return []
