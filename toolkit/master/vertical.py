"""A unit's name written down a narrow cell, a character or two a line.

长沙 2012 heads its tasks with a 牵头单位 column a few characters wide, each name broken by hand
into lines: ``市政\\n府办\\n公厅``, ``长沙\\n先导\\n区管委会``, ``市\\n监\\n察\\n局``. Read as one unit a
line (as 大竹 2016 lists ``县水务局\\n县住建局``), they became the units 市政, 府办 and 公厅, each with a
form nobody would answer (QA359). The lines are one name where a line is no name on its own and
together they read as one.
"""

from __future__ import annotations

import re

from ..groups import is_group
from .people import UNIT_ENDS

# Each line of a column written down: a few characters, never a list of its own.
_SHORT = 4
_LONGEST = 12
_LISTED = re.compile(r"[、，,；;。（）()〔〕【】\s]")
# 行 ends 银行 and 人行, and also a line of bare sectors (财政、税务、人行): not enough on its own.
_ENDS = (*(e for e in UNIT_ENDS if e != "行"), "银行")
_LEVELS = "省市县区镇乡"


def _whole(line: str) -> bool:
    """Whether a line reads as a name of its own (发改局, 妇联, 各镇): not 市, 监, 市政 or 长沙."""
    return len(line) >= 2 and (line.endswith(UNIT_ENDS) or is_group(line))


def down_the_column(text: str) -> str:
    """``text`` with a name written down the column joined into one line; any other cell as it is."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) < 2 or any(len(line) > _SHORT or _LISTED.search(line) for line in lines):
        return text
    joined = "".join(lines)
    if all(_whole(line) for line in lines) or len(joined) > _LONGEST or not joined.endswith(_ENDS):
        return text
    if any(line.startswith(("各", "有关", "相关")) for line in lines):
        return text
    # a later line opening with the first's level (县发改 / 县财政局) starts a name of its own:
    # joined, the two units were one that no directory has
    level = lines[0][0]
    if level in _LEVELS and any(line.startswith(level) for line in lines[1:]):
        return text
    return joined
