"""``X会同Y`` in a unit cell: X leads, Y cooperates (广东省卫生健康委 2021 writes it short, 宣传处会办公室).

Read as one unit before, 宣传处会办公室 got a form nobody answers and was named 未报送 while
宣传处 and 办公室 got none (QA251). 会 is in many a unit's own name (委员会, 社会, 工会, 居委会
办公室, 人大常委会办公室), so a cell is split only where that is safe: both sides are units the
table (or the directory) names on their own, or the side before ends in an office's word no
会-name continues (处, 局, 厅 …) and the side after reads as a unit. 会同 written out needs only
both sides to read as units. A likely 会同 that is not safe is kept as written, and said.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..groups import is_group
from ..vocab import Role
from .grammar import ParsedDepartments

# The end of a unit's name; 会 after these is never part of the name (处会, 局会, 办会).
_OFFICE_ENDS = tuple("处局厅室办司科股")
_UNIT_ENDS = tuple("局委办府厅室部院会处队所站心社行司馆科股区县市镇乡联协组团校园中")
# Words only a sentence uses, never a unit's name (as grammar's _NOT_A_NAME).
_PROSE = re.compile(r"要|将|须|把|由|在|亲自|切实|认真|加强|确保|进一步|负责|牵头|配合")
_LEVEL_STARTS = tuple("省市县区镇乡")


def _unit_like(name: str) -> bool:
    return 2 <= len(name) <= 20 and name.endswith(_UNIT_ENDS) and not _PROSE.search(name) and not is_group(name)


# 会 opening a word of a name: 会务科, 会计核算中心, 会展中心, 会议中心, 会馆.
_WORD_AFTER = re.compile(r"^[务计展议员所馆堂商审谈考诊长]")
# 会同县 is a county, but only after a place (怀化市会同县教育局): after a unit it is 会同 and a
# county's unit (县妇联会同县卫健局, kept whole and unsaid before: every county's 会同).
_PLACE_ENDS = tuple("市州省盟")


def _ways(name: str) -> list[tuple[str, str, bool]]:
    """Every split of ``name`` at a 会 or 会同: (before, after, 会同 written out)."""
    out = []
    for m in re.finditer("会同|会", name):
        before, after = name[:m.start()], name[m.end():]
        word = name[m.start() + 1:]
        if before and after and not _WORD_AFTER.match(word) and not (
                word.startswith("同县") and before.endswith(_PLACE_ENDS)):
            out.append((before, after, m.group() == "会同"))
    return out


# What may follow the last unit of a 会同 clause: the cell's end or the clause's (，；), or 等部门.
_CLAUSE_END = re.compile(r"(等(部门|单位)?)?([，；。,;]|$)")


def _in_clause(text: str, name: str, following: list[tuple[str, str]], role: str) -> int:
    """How many of ``following`` the cell ``text`` lists right after ``name`` (X会同Y), joined by
    、 alone and given ``name``'s role: X会同Y、Z is X with Y and Z, which the list split at 、
    before (Z read as a second lead). Only a list that ends the clause (the cell, ，；, 等部门)
    counts: a mark, 负责 or another role in it leaves every unit as the grammar read it."""
    text = re.sub(r"\s", "", text)
    at = text.find(name)
    if at < 0:
        return 0
    pos = at + len(name)
    for n, (unit, its) in enumerate(following, 1):
        if its != role or not text.startswith("、" + unit, pos):
            break
        pos += 1 + len(unit)
        if not text.startswith("、", pos):
            return n if _CLAUSE_END.match(text, pos) else 0
    return 0  # the cell goes on past the units compared: not a list known to end the clause


def split_jointly(parsed: ParsedDepartments, known: Callable[[str], bool],
                  in_directory: Callable[[str], bool], text: str = "") -> None:
    """Split ``X会同Y`` / ``X会Y`` into X (the cell's role) and Y (配合) where safe (see the
    module); say a likely one that is not (M104 through ``parsed.problems``). ``text``, the
    cell: units it lists after a written-out 会同 with 、 (X会同Y、Z) cooperate too."""
    entries: list[tuple[str, str]] = []
    with_them: set[int] = set()  # indices of parsed.entries in a 会同 clause
    for i, (name, role) in enumerate(parsed.entries):
        if i in with_them:
            role = Role.COOP
        if "会" not in name or in_directory(name) or is_group(name):
            entries.append((name, role))
            continue
        sure = doubt = None
        for before, after, written in _ways(name):
            if (known(before) and known(after)) or (_unit_like(before) and _unit_like(after) and (
                    written or before.endswith(_OFFICE_ENDS))):
                sure = sure or (before, after)
            elif _unit_like(after) and (written or (
                    _unit_like(before) and len(before) >= 3 and after.startswith(_LEVEL_STARTS))):
                doubt = doubt or (before, after)  # 市发改委会市财政局: 委会 is in many a name
        if sure:
            before, after = sure
            said = f"“{name}”" if len(parsed.entries) > 1 else ""
            also = ""
            if text and name[len(before):].startswith("会同"):
                n = _in_clause(text, name, parsed.entries[i + 1:], role)
                with_them.update(range(i + 1, i + 1 + n))
                also = "、".join(f"“{u}”" for u, _ in parsed.entries[i + 1:i + 1 + n])
                also = f"，其后的{also}同为配合" if also else ""
            parsed.problems.append(f"中{said}的“会”按“会同”读作“{before}”牵头、“{after}”配合{also}")
            entries += [(before, role), (after, Role.COOP)]
            continue
        if doubt:
            before, after = doubt
            parsed.problems.append(f"中，“{name}”可能是“{before}”会同“{after}”（前者牵头、后者配合），"
                                   f"无法确定，已按一个单位“{name}”导入；如是会同，请改为两个单位")
        entries.append((name, role))
    parsed.entries = entries
