"""A task as read from a published table or document, before ids and units are resolved.

Both readers (`master.tabletasks` for tables, `master.prose` for numbered paragraphs)
produce these; `master.importer` turns them into the model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..vocab import Role

# Heading numbering of Chinese official documents: 一、 (level 1), （一） (level 2),
# 1. (level 3), （1） (level 4). Full- and half-width forms alike.
_CN = "一二三四五六七八九十百零〇"
#: The full stops a number is printed with: ``1.``, ``1．`` and ``1﹒`` (U+FE52, which web copies of
#: a Word original keep: 安徽 2022's five items were read as one task with three leads).
DOTS = ".．﹒"
LEVEL_PATTERNS = (
    re.compile(rf"^\s*(?P<n>[{_CN}]+)\s*[、{DOTS}]"),
    re.compile(rf"^\s*[（(]\s*(?P<n>[{_CN}]+)\s*[）)]\s*[、{DOTS}]?"),
    re.compile(rf"^\s*(?P<n>\d{{1,3}})\s*(?:[{DOTS}、](?!\d)|\s)"),
    re.compile(r"^\s*[（(]\s*(?P<n>\d{1,3})\s*[）)]|^\s*(?P<c>[①-⑳])"),
)


def numbering(text: str) -> tuple[int, str, str] | None:
    """(level 1-4, arabic number, text after the number) of a numbered heading or item."""
    for level, pattern in enumerate(LEVEL_PATTERNS, start=1):
        m = pattern.match(text)
        if m:
            raw = m.groupdict().get("n") or ""
            circled = m.groupdict().get("c")
            number = str(ord(circled) - ord("①") + 1) if circled else cn_number(raw)
            if number:
                return level, number, text[m.end():].strip()
    return None


def cn_number(text: str) -> str:
    """``"十二"`` -> ``"12"``; arabic digits pass through; '' when not a number."""
    t = unicodedata.normalize("NFKC", text).strip()
    if t.isdigit():
        return str(int(t))
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    total, current = 0, 0
    for ch in t:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return ""
    total += current
    return str(total) if total else ""


#: How the headings under the outermost one share the one 二级任务 cell.
LEVEL_JOIN = " / "


def task_levels(heads: list[str]) -> tuple[str, str]:
    """(一级任务, 二级任务) of a task under ``heads`` (outermost first), for tables and numbered
    paragraphs alike: the outermost heading is the 一级任务 – the part of the plan the memo counts
    tasks by (咸安: 二、七个方面主要工作安排, whose 方面 each hold tasks); every heading inside it
    is kept, joined in the 二级任务 (（一）坚定不移做强增长引擎 / 加强基础设施建设): the model has two
    levels, and dropping the middle one would merge （一） and （二）'s same-named sub-heads,
    dropping the inner one would lose what the task is about."""
    kept = list(dict.fromkeys(h for h in heads if h))
    return (kept[0] if kept else ""), LEVEL_JOIN.join(kept[1:])


@dataclass
class RawTask:
    """One task as printed: where it is, its texts and its unit cells."""

    sheet: str
    cell: str
    explicit_id: str = ""
    level1: str = ""
    level2: str = ""
    name: str = ""
    content: str = ""
    deadline_text: str = ""
    #: Unit texts with the role a bare name takes there (a 配合单位 column: 配合).
    units: list[tuple[str, Role]] = field(default_factory=list)
    note: str = ""
    #: The row or paragraph reads like a heading (一、… / （二）…) yet carries units.
    heading_like: bool = False
    id: str = ""
    #: Texts of its row in columns nothing reads (`Columns.unread`): (the column as the user
    #: finds it, its header, the text, the cell).
    unread: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def units_text(self) -> str:
        return "；".join(t for t, _ in self.units if t)

    @property
    def group(self) -> str:
        """The innermost heading the task sits under."""
        return self.level2 or self.level1
