"""Tasks from a document written as numbered paragraphs instead of a table.

Many allocation documents (the State Council's 分工意见, city 政府工作报告 分解方案) have no
table. Each task is a numbered paragraph ("（三）…", "1.…") that names its units:

- in a clause at its end: ``…。（人力资源社会保障部、财政部负责）``,
  ``…。〔牵头单位：区政府办公室，责任单位：区政府有关部门〕``;
- in label lines below it: ``牵头单位：区发改局`` / ``责任单位：…`` / ``协同责任单位：…``;
- in one clause line after several sub-items, which then all share it: ``（责任单位：…）``.

The numbered paragraphs above a task (一、…, （一）…) are its groups. Numbered paragraphs in a
part where no paragraph names units (总体要求, 基本原则) are not tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import clean
from ..vocab import Role
from .grammar import UNIT_LABEL, is_unit_clause, is_unit_sentence, reads_as_name, split_units
from .raw import DOTS, RawTask, numbering, task_levels
from .tables import Paragraph

_DEADLINE = re.compile(r"(完成时限|完成时间|时间节点|时限要求)\s*[:：]\s*(?P<v>[^；;，,。）)\n]+)")
_OPENERS, _CLOSERS = "（(〔[【", "）)〕]】"
# ``一、县示范区管委会牵头工作(8项)``: a list grouped by lead unit names the lead in the heading
# and in none of its items (沁县 2025 was refused). The item count keeps ordinary headings out.
_LEAD_HEADING = re.compile(
    r"^(?P<units>[^，,。；;：:、]{2,40}?)牵头(?:负责)?(?:的)?(?:工作|任务|事项)?\s*[（(]\d+\s*项[）)]$")


@dataclass
class _Item:
    level: int  # 1-4 for numbered items; 9 for an unnumbered paragraph carrying units
    number: str
    line: str  # as printed, numbering included
    text: str  # without numbering and unit clause
    parent: _Item | None
    paragraph: int
    units: list[str] = field(default_factory=list)
    deadline: str = ""
    children: list[_Item] = field(default_factory=list)

    def ancestors(self) -> list[_Item]:
        out, p = [], self.parent
        while p is not None:
            out.append(p)
            p = p.parent
        return out[::-1]

    def section(self) -> _Item:
        return (self.ancestors() or [self])[0]


def trailing_clause(line: str) -> tuple[str, str]:
    """(text, clause) when ``line`` ends with a bracketed clause naming units, or with a
    sentence that is only units and role words (`_last_sentence`), else (line, '')."""
    s = line.rstrip().rstrip("。")
    if not s or s[-1] not in _CLOSERS:
        return _last_sentence(line)
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        if s[i] in _CLOSERS:
            depth += 1
        elif s[i] in _OPENERS:
            depth -= 1
            if depth == 0:
                clause = s[i:]
                if is_unit_clause(clause):
                    return s[:i].rstrip(), clause
                return line, ""
    return line, ""


def _last_sentence(line: str) -> tuple[str, str]:
    """``（三）加快水利基础设施建设。……。省水利厅牵头，省发改委等单位配合。`` -> (text, clause):
    黑龙江 2009 names an item's units in its last sentence, with no bracket or label, and the
    item was no task (a document written so all through was refused). Only after a sentence of
    the item's own, and only a sentence of nothing but units (`is_unit_sentence`)."""
    head, sep, last = line.rstrip().rstrip("。").rpartition("。")
    n = numbering(head)
    if sep and clean(n[2] if n else head) and is_unit_sentence(last):
        return f"{head}。", last
    return line, ""


def _items_of(line: str) -> list[str]:
    """``（一）A。（X负责）（二）B。（Y主办）`` -> the two items: web copies of a document lose
    the break between items (黑龙江 2013), and the second item, with its units, was read as
    the first one's text (公共财政收入 had no task and 省发改委's 地区生产总值 named 省财政厅)."""
    out, start = [], 0
    for i, ch in enumerate(line):
        if ch in _CLOSERS and i + 1 < len(line) and numbering(line[i + 1:]) is not None:
            head, clause = trailing_clause(line[start:i + 1])
            if clause and clean(head):
                out.append(line[start:i + 1])
                start = i + 1
    return [*out, line[start:]]


def _split_name(text: str) -> tuple[str, str]:
    """``加大稳岗支持力度。对不裁员…`` -> (name, content): a short lead-in sentence is a title."""
    head, sep, rest = text.partition("。")
    if sep and rest.strip() and len(head) <= 30 and not re.search("[，,；;：:]", head):
        return head.strip(), rest.strip()
    return "", text.strip()


def _next_in_sequence(text: str, last: int) -> tuple[int, str, str] | None:
    """``11.121人才梯队项目。…`` after item 10 -> item 11: `numbering` reads no item number
    before a digit (``1.1``, ``2.5亿元``), but the item after 10. whose name starts with one is
    item 11 (广州 2012: item 10 became a heading, 11 took its id and the ids of every task
    changed)."""
    m = re.match(rf"^\s*(\d{{1,3}})[{DOTS}](?=\d)", text)
    if m and last and int(m.group(1)) == last + 1:
        return 3, m.group(1), text[m.end():].strip()
    return None


def _heading(line: str) -> str:
    """A heading as a group names it: ``（一）产业提升人才行动计划。围绕…实施如下重点项目：`` ->
    ``（一）产业提升人才行动计划。``: a heading paragraph that goes on to describe its items keeps
    its first sentence only (广州 2012: each group was the whole 80-character paragraph)."""
    head, sep, rest = line.partition("。")
    return f"{head}{sep}" if sep and clean(rest) and numbering(head) else line


def _wrapped_units(line: str) -> bool:
    """``委、各街道党工委`` after ``协办单位：区委编办、…、园区党工``: a PDF's text keeps its
    printed lines, and a unit list wrapped onto the next line lost its end (石景山 2019 imported
    ``园区党工`` as a unit and dropped 各街道党工委). Only a bare list of names continues it:
    a signature or a page number (``— — — 3 —``) has no 、 and stays out."""
    return (bool(re.match(r"[\u4e00-\u9fff]", line)) and "、" in line and numbering(line) is None
            and not re.search("[。；;：:]", line))


def _label_value(line: str, first: bool = True) -> bool:
    """``县纪委监委`` on the line after ``牵头单位：`` alone: the label's units, printed below it (a
    typeset plan puts label and units on two lines; the task had no lead). With ``first`` False,
    ``县委宣传部`` on the line after ``县委组织部`` under one bare label: a list printed one unit a
    line. Names and group phrases only (or, first, a clause giving them roles): never an item,
    another label or the item's next sentence (各单位要加强协调)."""
    body = line.rstrip("。；;")
    if numbering(line) is not None or UNIT_LABEL.match(line) or not body or re.search("[。；;：:]", body):
        return False
    return (all(reads_as_name(p, 30) for p in split_units(body)) and not _WORK.search(body)) or (
        first and is_unit_clause(body))


# What a task's next sentence does and no unit's name says: 成立工作领导小组, 每季度召开一次调度会 end as
# units do (组, 会) and were taken as units below a bare label (QA338)
_WORK = re.compile(r"召开|成立|建立|组建|开展|制定|举办|落实|完善|加强|健全|印发|出台|做好|确保|实现")


def _open_tail(line: str) -> str | None:
    """What follows the one bracket ``line`` leaves open (``牵头单位：`` of ``1.完善机制。（牵头单位：``);
    None when it leaves none open, or more than one."""
    depth, start = 0, -1
    for i, ch in enumerate(line):
        if ch in _OPENERS:
            depth, start = depth + 1, i if depth == 0 else start
        elif ch in _CLOSERS and depth:
            depth -= 1
    return line[start + 1:] if depth == 1 else None


def _lines(paragraphs: list[Paragraph]):
    """(paragraph, line) for each printed line; a clause of units broken across two lines
    (``1.完善机制。（牵头单位：`` / ``县纪委监委）``, a typeset plan's) joined: its first line's item lost
    its units, or took the second line's 配合单位 as all of them (QA337, QA338)."""
    held: tuple[Paragraph, str] | None = None
    for para in paragraphs:
        for part in map(clean, para.text.split("\n")):
            if held is not None:
                tail = _open_tail(held[1]) or ""
                joined = part and numbering(part) is None and (
                    (UNIT_LABEL.match(tail or part) and any(ch in _CLOSERS for ch in part))
                    or trailing_clause(held[1] + part)[1])
                yield (held[0], held[1] + part) if joined else held
                held = None
                if joined:
                    continue
            if part and _open_tail(part) is not None:
                held = (para, part)
                continue
            yield para, part
    if held is not None:
        yield held


def prose_tasks(paragraphs: list[Paragraph], file: str) -> list[RawTask]:
    """Tasks of a document written as numbered paragraphs; [] when it names no units."""
    root: list[_Item] = []
    stack: list[_Item] = []  # open numbered items, outermost first
    pending: list[_Item] = []  # leaves waiting for a clause line that covers them
    current: _Item | None = None
    last_item = 0  # the number of the last 1. 2. … item, for `_next_in_sequence`
    after_label = False  # the line before was a unit label line (牵头单位：…)
    below = ""  # "label": the line before was a bare label (牵头单位：); "units": the units below one
    for para, part in _lines(paragraphs):
        for raw_line in _items_of(part):
            line = clean(raw_line)
            if not line:
                continue
            label = UNIT_LABEL.match(line)
            if label and current is not None:
                d = _DEADLINE.match(line)
                if d:
                    current.deadline = clean(d.group("v"))
                elif not re.search("领导|责任人|联系人", label.group("label")):
                    current.units.append(line)
                    pending = []
                    after_label = not line.endswith(("。", "；", ";"))
                    below = "label" if label.end() == len(line) else ""
                    continue
                after_label, below = False, ""
                continue
            if current is not None and current.units and (
                    (below == "label" and _label_value(line)) or (below == "units" and _label_value(line, False))):
                current.units[-1] = f"{current.units[-1]}{'、' if below == 'units' else ''}{line}"
                after_label = not line.endswith(("。", "；", ";"))
                below = "units" if after_label else ""
                continue
            if after_label and current is not None and current.units and _wrapped_units(line):
                current.units[-1] = f"{current.units[-1]}{line}"
                continue
            after_label, below = False, ""
            text, clause = trailing_clause(line)
            if clause and clean(text) == "" and pending:
                for item in pending:  # （责任单位：…） after sub-items (1)…(4): it covers them all
                    item.units.append(clause)
                pending = []
                continue
            n = numbering(text) or _next_in_sequence(text, last_item)
            if n is None and not clause:
                if current is not None and not current.units and not current.children:
                    current.text = f"{current.text}{text}"  # a paragraph continuing the item
                    if current.level < 3:  # a heading wrapped onto its next line is one heading
                        current.line = f"{current.line}{text}"
                continue
            level, number, body = n if n else (9, "", text)
            while stack and stack[-1].level >= level:
                stack.pop()
            parent = stack[-1] if stack else None
            item = _Item(level, number, line if not clause else text, body, parent, para.index)
            (parent.children if parent else root).append(item)
            if clause:
                item.units.append(clause)
                d = _DEADLINE.search(clause)
                if d:
                    item.deadline = clean(d.group("v"))
                pending = []
            else:
                if pending and pending[-1].parent is not parent:
                    pending = []
                pending.append(item)
            lead = _LEAD_HEADING.match(body) if n and level < 3 and not clause else None
            if lead:
                item.units.append(f"{lead.group('units')}牵头")
                pending = []
            if n:
                stack.append(item)
                if level == 3:
                    last_item = int(number)
            current = item
    return _tasks(root, file)


def _walk(items: list[_Item]):
    for it in items:
        yield it
        yield from _walk(it.children)


def _ids(leaves: list[_Item]) -> list[str]:
    """Each task's printed number; with its heading's when numbers restart (1.1, 1.2 …); with
    every heading's when those repeat too: 一、(一) and 二、(一)1. were both 1.1 (黑龙江 2013)."""
    numbers = [it.number for it in leaves]
    if len(set(numbers)) == len(numbers) and all(numbers):
        return numbers
    chains = [[a.number for a in it.ancestors() if a.number] for it in leaves]
    ids = [".".join(filter(None, [c[-1] if c else "", it.number])) for c, it in zip(chains, leaves)]
    if len(set(ids)) < len(ids):
        ids = [".".join(filter(None, [*c, it.number])) for c, it in zip(chains, leaves)]
    return ids


def _tasks(root: list[_Item], file: str) -> list[RawTask]:
    items = list(_walk(root))
    # Children inherit a heading's units when none of them names its own.
    for it in items:
        if it.units and it.children and not any(c.units for c in _walk(it.children)):
            for leaf in _walk(it.children):
                if not leaf.children:
                    leaf.units = list(it.units)
    sections_with_units = {id(it.section()) for it in items if it.units}
    leaves = [it for it in items if not it.children and (it.units or id(it.section()) in sections_with_units)]
    if not any(it.units for it in leaves):
        return []
    tasks = []
    for it, tid in zip(leaves, _ids(leaves)):
        # 一、 › （一） › 1. › （1） task: every heading kept as a table's are; the innermost one
        # alone in 二级任务 lost （一）, and 1.推进技改 of （一） and of （二） read as one group.
        level1, level2 = task_levels([_heading(a.line) for a in it.ancestors()])
        name, content = _split_name(it.text)
        tasks.append(RawTask(
            "正文", f"第{it.paragraph + 1}段", explicit_id=tid, level1=level1, level2=level2,
            name=name, content=content, deadline_text=it.deadline,
            units=[("\n".join(it.units), Role.LEAD)] if it.units else []))
    return tasks
