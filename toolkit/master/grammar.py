"""The grammar of a 责任部门 cell: who leads, who cooperates, which groups are named.

Clauses end in 负责 (lead) or 配合 (cooperating); units inside a clause are separated by
、，； . Group phrases are kept as they are and expanded against the directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import clean
from ..units import GROUP_NAME_BY_KIND, Directory, group_kind
from ..vocab import Role
from .model import Assignment

LEAD, COOP = Role.LEAD, Role.COOP

@dataclass
class ParsedDepartments:
    """Result of reading one 责任部门 cell."""

    entries: list[tuple[str, str]]  # (unit or group phrase, role) in order of appearance
    open_ended: bool
    problems: list[str]


_ROLE_WORDS = {"负责": LEAD, "牵头": LEAD, "配合": COOP, "协助": COOP, "参与": COOP}
_SEPARATORS = r"[、，,；;／/\s]+"
_OPEN_ENDED = re.compile(r"(等有关部门|等相关部门|等部门|等有关单位|等单位|等)$")


def parse_departments(text: str, default_role: str = LEAD) -> ParsedDepartments:
    """Split a 责任部门 cell into (unit, role) pairs.

    Clauses end in 负责 (lead) or 配合 (cooperating); units inside a clause are separated by
    、，； . ``X等有关部门`` keeps X and marks the task open-ended. Group phrases (各镇街（园区）,
    市各有关部门) are returned as they are; expansion happens against the directory.
    """
    s = clean(text).replace("\n", "、")
    parts = re.split("(" + "|".join(_ROLE_WORDS) + ")", s)
    entries: list[tuple[str, str]] = []
    problems: list[str] = []
    open_ended = False
    clauses: list[tuple[str, str]] = []
    for i in range(0, len(parts), 2):
        body = parts[i]
        role_word = parts[i + 1] if i + 1 < len(parts) else None
        if role_word is None:
            if body.strip("、，,；;。. \t"):
                if clauses:
                    problems.append(f"末尾“{body.strip('、，,；;。 ')}”缺少“负责”或“配合”，已按配合处理")
                    clauses.append((body, COOP))
                else:
                    clauses.append((body, default_role))
            continue
        if not body.strip("、，,；;。 "):
            problems.append(f"“{role_word}”前没有单位")
            continue
        clauses.append((body, _ROLE_WORDS[role_word]))
    for body, role in clauses:
        for name in re.split(_SEPARATORS, body):
            name = name.strip("。.:：")
            if not name:
                continue
            m = _OPEN_ENDED.search(name)
            if m and group_kind(name) is None:
                open_ended = True
                name = name[: m.start()]
                if not name:
                    continue
            entries.append((name, role))
    return ParsedDepartments(entries, open_ended, problems)


def expand_assignments(task_id: str, parsed: ParsedDepartments,
                       directory: Directory) -> tuple[list[Assignment], list[str]]:
    """Resolve names to canonical units and expand group phrases.

    Named units win over group members: ``市各有关部门负责，市政数局配合`` makes 市政数局 配合 only.
    A unit named both as lead and cooperating stays lead. Returns (assignments, unknown names).
    """
    explicit: dict[str, str] = {}
    groups: list[tuple[str, str]] = []
    unknown: list[str] = []
    for name, role in parsed.entries:
        kind = group_kind(name)
        if kind:
            groups.append((kind, role))
            continue
        unit = directory.resolve(name)
        if unit is None:
            unknown.append(name)
            unit = clean(name)
        if explicit.get(unit) != LEAD:
            explicit[unit] = role
    result = [Assignment(task_id, u, r) for u, r in explicit.items()]
    seen = set(explicit)
    for kind, role in sorted(groups, key=lambda g: g[1] != LEAD):
        source = GROUP_NAME_BY_KIND[kind]
        for unit in directory.of_kind(kind):
            if unit not in seen:
                seen.add(unit)
                result.append(Assignment(task_id, unit, role, source))
    result.sort(key=lambda a: a.role != LEAD)
    return result, unknown
