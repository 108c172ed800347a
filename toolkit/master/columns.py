"""Which column of a published table holds what: column roles by meaning, not position.

Headers are recognised in their common wordings and variants (full-width brackets, line
breaks, spaces, labels stacked over two header rows). What a 工作任务 column is — a heading
merged over its tasks or each task's own name — is decided from the data below it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..text import column_letter, key
from .tables import Grid

# A period of a plan, and what a header names for it: 第二季度, 上半年, 6月, 阶段 + 工作安排.
_PERIOD = r"(第?[一二三四1-4]季度|[上下]半年|(\d{1,2}|[一二三四五六七八九十]{1,3})月份?|季度|月度)"
_PLAN = r"(安排|计划|任务|工作|要点|进度)"
_STAGE_PLAN = r"阶段(性)?(工作)?(任务|安排|计划)"

# (role, pattern) checked in order on the header's comparison key; the first match wins.
# People (责任领导) and dates come before units so 责任领导 is never a unit column.
ROLE_PATTERNS: tuple[tuple[str, str], ...] = (
    # 分管市长 (平湖 2025, a column of people merged over their tasks): said as unread before (QA355)
    ("person", r"领导|责任人|联系人|负责人|经办人|负责同志|姓名|职务|电话|手机|联系方式"
               r"|^(分管|联系|挂钩)?副?(省|市|州|盟|县|区|旗|镇|乡)长$"),
    ("id", r"^(任务|项目)?(序号|编号|序|id|no\.?)$"),
    # When the work starts is not when it is due: kept in the note (see plan_columns).
    ("start", r"^(计划)?(开始|启动|起始)(时间|时限|日期)$"),
    ("deadline", r"时限|完成时间|截止时间|截止日期|时间节点|进度安排|完成期限|时间安排|时间要求|办结时间|完成日期"
                 r"|时间进度|完成年限|^时间$|目标时间|节点时间|起止时间|起止日期|实施时间|实施期限"),
    ("support", r"配合|协办|参与|协同|协作"),
    ("lead", r"牵头|主要负责|主责|主办|责任单位|责任部门|责任科室|责任股室|责任处室|责任主体|负责单位|负责部门"
             r"|实施单位|承办单位|指导部门|责任分工|部门分工|单位分工"),  # 部门分工: 广东省 plans
    ("note", r"^备注$|^说明$"),
    # What a 整改清单 asks to be put right (存在问题, 反馈问题, 问题描述): the task's name where a
    # 整改 column holds its measures (see `_rectification`), else read by nothing, as a
    # progress report's 存在问题 is. Read by nothing before, the problem was lost (QA318).
    ("problem", r"^(巡[视察]|审计|督查|检查|反馈|发现|查出|存在|主要|突出|具体)*的?"
                r"问题(描述|清单|表现|内容|事项|具体表现|名称)?$"),
    # How the work went (工作进展, 进展情况、存在问题及下一步工作建议 on 广州 2023's cards): no role,
    # read by nothing (M115). Its 工作 made it a task column, and the progress the task's text.
    # Not the progress a plan asks for (进展目标, 工作进展要求: QA317).
    ("progress", r"进展(?!目标|要求)|(落实|推进|完成|执行|办理)情况|存在(的)?问题|下一步"),
    # A quarter's, month's or stage's plan (工作任务安排/第二季度, 一季度, 2024年6月工作安排): a
    # stage of the task, kept in its note (see plan_columns). Matched as a task column before,
    # it took the task's text and pushed the task's name (重点工作) up into a heading.
    ("stage", rf"^(\d{{4}}年度?)?{_PERIOD}$|{_PERIOD}.*{_PLAN}|{_PLAN}.*{_PERIOD}|{_STAGE_PLAN}"),
    ("level1", r"^一级|^(问题)?(类别|分类|领域|板块|方面)$|^问题类型$"),
    ("level2", r"^二级"),
    ("name", r"^三级|任务名称$|^工作任务名称"),
    # What a task is to achieve (预期目标, 工作成效, 考核指标, 完成标准): beside the task's own
    # text it is not that text (see plan_columns); alone it is.
    ("goal", r"^(?!.*(任务|内容|措施|举措|要求|工作标准)).*(目标|成效|指标|成果|标准|成果形式)$"),
    # 细化分工 (广东省卫生健康委 2021): the task's own part of a 工作任务 merged over several; with no
    # role it was dropped and the 工作任务 heading became every task's text (QA251).
    ("content", r"内容|措施|要求|具体任务|举措内容|目标|工作标准|^细化(分工|任务)$"),
    ("task", r"任务|工作|事项|举措|项目|名称|实事"),
)
UNIT_ROLES = ("lead", "support")
TEXT_ROLES = ("level1", "level2", "name", "content", "task", "goal")
# What each missing role is called in a refusal message.
ROLE_WORDS = {"unit": "牵头单位或责任单位列", "text": "工作任务或具体内容列"}


# 配合单位及责任人, 牵头单位和联系人, 责任单位/负责人: a column of units with their people beside
# them. Read as people (the first pattern) before, its units were dropped or the table refused.
_UNITS_AND_PEOPLE = re.compile(r"^(?P<units>.*(单位|部门|科室|处室|股室))(及|和|与|、|/|暨)(其)?"
                               r"(责任人|联系人|负责人|经办人|负责同志|责任领导|分管领导|联系电话|联系方式)$")


def role_of(label: str) -> str | None:
    k = key(label)
    if not k:
        return None
    both = _UNITS_AND_PEOPLE.match(k)
    if both and role_of(both.group("units")) in UNIT_ROLES:
        return role_of(both.group("units"))
    role = _role_of(k)
    if role == "progress":  # as unknown as an unknown header, unless it holds the task too
        return None if _progress_only(k) else _role_of(k, progress=False)
    return role


# 工作任务及推进情况, 存在问题及整改措施 (QA317): a column of the task's text with its progress
# or its problem beside it holds the task, read as before progress had a role.
_BESIDE = re.compile(r"以及|及|和|与|、|并")
_PROGRESS = dict(ROLE_PATTERNS)["progress"]


def _progress_only(k: str) -> bool:
    """Whether a header naming progress names no task text beside it (进展情况、存在问题及下一步工作建议)."""
    return not any(_role_of(part, progress=False) in ("name", "content", "task")
                   for part in _BESIDE.split(k) if not re.search(_PROGRESS, part))


def _role_of(k: str, progress: bool = True) -> str | None:
    for role, pattern in ROLE_PATTERNS:
        if (progress or role != "progress") and re.search(pattern, k):
            return role
    return None


@dataclass
class Columns:
    """Grid columns of each role (None when the table has none)."""

    id: int | None = None
    level1: int | None = None
    level2: int | None = None
    name: int | None = None
    content: int | None = None
    lead: int | None = None
    support: int | None = None
    deadline: int | None = None
    note: int | None = None
    labels: dict[str, str] = field(default_factory=dict)  # role -> header as printed
    width: int = 0
    #: Cooperating columns beyond the first (牵头单位 | 责任单位 | 配合单位; 协同单位 | 配合单位).
    more_support: list[int] = field(default_factory=list)
    #: Columns kept in the task's note as ``header：text`` (a 预期目标 after the task's text).
    extras: list[tuple[int, str]] = field(default_factory=list)
    #: A deadline header over sub-labels (时间节点 over 一季度 | 二季度 | 三季度 | 四季度): each
    #: column with its sub-label, in order. The task is due when its last milestone is.
    milestones: list[tuple[int, str]] = field(default_factory=list)
    #: Columns nothing reads, each with its header and its place as the user finds it (第5列, or
    #: 第5列（E列） in a sheet): a header the vocabulary does not know, a second 备注. Their texts
    #: are in no task, which the import says (M115) of those that hold any; a column of people
    #: (责任领导) is left out on purpose and not listed.
    unread: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def unit_columns(self) -> list[int]:
        return [c for c in (self.lead, self.support) if c is not None] + self.more_support


@dataclass
class Header:
    """A header found in a grid: its rows and what its columns hold."""

    start: int
    end: int  # first data row
    columns: Columns
    texts: set[str]  # every header cell text, to recognise the header repeated below


# 单位, 名称, 单位名称 under a 牵头单位 spanning the unit and its people: the unit's own column.
_UNIT_NAME = re.compile(r"^(单位|部门|科室|处室|股室|机构)?(名称|全称)?$")


def stacked_labels(grid: Grid, start: int, end: int) -> list[str]:
    """One label per column from header rows ``start:end``: the most specific part of a
    stacked label (二级任务名称 under 工作任务), else all parts joined.

    Under a unit label over two columns (牵头单位 over 单位名称 | 责任人), 单位名称 names the units:
    read as a 名称 (task text) column, the table was refused. The people beside it
    (责任人, 姓名, 联系电话) are people: 姓名 and 电话 had no role, and were read as more units."""
    labels = []
    for c in range(len(grid.rows[start])):
        parts: list[str] = []
        for r in range(start, end):
            t = grid.rows[r][c]
            if t and t not in parts:
                parts.append(t)
        specific = [p for p in parts if role_of(p)]
        if any(role_of(p) == "deadline" for p in specific):
            # 时间节点 over 一季度 | 二季度: milestones of the deadline (see plan_columns).
            specific = [p for p in specific if role_of(p) != "stage"]
        if any(role_of(p) in UNIT_ROLES for p in specific):
            specific = [p for p in specific if not _UNIT_NAME.fullmatch(key(p))]
        labels.append(specific[-1] if specific else "/".join(parts))
    return labels


def _sub_label(grid: Grid, r: int, c: int, text: str) -> bool:
    """A short label under a header spanning several columns that has a role read with it:
    牵头 over 领导 | 单位. Not read as a header row before, the row became a task and the
    column of people the lead."""
    above = grid.rows[r - 1]
    spans = bool(above[c]) and above[c] in (above[c - 1] if c else None, above[c + 1] if c + 1 < len(above) else None)
    return spans and len(key(text)) <= 4 and not re.search(r"\d", text) and role_of(above[c] + text) is not None


# A numbered heading (一、2021年经济社会发展主要预期目标, （一）…) right under the header is the
# first group, never more header: read as a label for its 目标, it took every column (广东 2021).
_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])")


# 注： / 说明： / 备注 / 填表说明 opening a row: notes start there (the lines after it are the
# notes' 1. 2.), never a task or more header.
_NOTES = re.compile(r"^\s*(注|备注|说明|填表说明)\s*(\d{0,2}\s*[:：]|$)")


def note_row(row: list[str]) -> bool:
    """Whether a row (its texts, merged ones included, in column order) opens notes: its first
    text is 注： or 说明, as 注 | 1.配合单位按职责分工负责。 A label 说明 or 备注 under a spanning
    header has the header's merged cells before it, so it is not one."""
    first = next((t for t in row if t), "")
    return bool(_NOTES.match(first))


def header_candidates(grid: Grid, limit: int = 12) -> list[tuple[int, int, list[str]]]:
    """Rows within the first ``limit`` that read as a header (two or more column roles),
    with the rows below that continue it (a two-row header)."""
    found = []
    for r in range(min(limit, len(grid.rows))):
        roles = [role_of(t) for t in grid.rows[r]]
        distinct = {ro for ro in roles if ro and ro not in ("note", "person")}
        if len(distinct) < 2:
            continue
        end = r + 1
        while end < len(grid.rows):
            own = [(c, t) for c, (t, m) in enumerate(zip(grid.rows[end], grid.cont[end])) if t and not m]
            # 填表说明：牵头单位负责汇总报送 under the header names column words, and was read as
            # more header: the table was refused (表头…没有工作任务或具体内容列).
            if own and not note_row(grid.rows[end]) and all(
                    (role_of(t) or _sub_label(grid, end, c, t)) and not _NUMBERED.match(t) for c, t in own):
                end += 1
            else:
                break
        found.append((r, end, stacked_labels(grid, r, end)))
    return found


_WORK = re.compile(dict(ROLE_PATTERNS)["task"])


def _stage_text(label: str, role: str | None) -> bool:
    """A stage column that names work (二季度工作任务, not 二季度): the task's text when the
    table has no other text column, as it was read before stage columns were told apart."""
    return role == "stage" and bool(_WORK.search(key(label)))


def find_header(grid: Grid) -> tuple[Header | None, str]:
    """The header of a task table in ``grid``, or None and what it lacks (for the refusal)."""
    missing = ""
    for start, end, labels in header_candidates(grid):
        roles = _rectification(labels, [role_of(lab) for lab in labels])
        has_unit = any(r in UNIT_ROLES for r in roles)
        has_text = any(r in TEXT_ROLES or _stage_text(lab, r) for lab, r in zip(labels, roles))
        if has_unit and has_text:
            columns = plan_columns(grid, end, labels, roles)
            columns.unread = _unread(grid, start, end, labels, roles, columns)
            texts = {t for row in grid.rows[start:end] for t in row if t}
            return Header(start, end, columns, texts), ""
        if not missing:
            printed = "、".join(f"“{lab}”" for lab, ro in zip(labels, roles) if ro)
            lacks = ROLE_WORDS["unit"] if not has_unit else ROLE_WORDS["text"]
            missing = f"表头有{printed}，但没有{lacks}"
    return None, missing


# 整改措施, 下一步整改措施, 整改目标: what a 整改清单 does about each problem.
_MEASURES = re.compile(r"整改(措施|举措|任务|要求|目标|内容|方案|事项)")


def _rectification(labels: list[str], roles: list[str | None]) -> list[str | None]:
    """A 整改清单's roles (存在问题 | 整改措施 | 责任单位 | 整改时限): the problem is what the task is,
    its name; the measures its text. A 下一步整改措施 (a header of progress) is the text where the
    table has no other. Without a measures column a problem column is read by nothing."""
    roles = list(roles)
    ahead = [c for c, lab in enumerate(labels) if key(lab).startswith("下一步")
             and role_of(key(lab).removeprefix("下一步")) in TEXT_ROLES and _MEASURES.search(key(lab))]
    if ahead and not any(ro in TEXT_ROLES for ro in roles):
        roles[ahead[0]] = "content"
    # 整改措施落实情况 is how the measures went, no measures: read by nothing, as progress is
    measures = any(_MEASURES.search(key(lab)) and ro in TEXT_ROLES for lab, ro in zip(labels, roles))
    return [("name" if measures else None) if ro == "problem" else ro for ro in roles]


def rectification(cols: Columns) -> bool:
    """Whether a table read with ``cols`` is a 整改清单: its task's name is a problem column,
    which `_rectification` makes so only beside a 整改 measures column (`Master.kind`, QA322)."""
    return role_of(cols.labels.get("name", "")) == "problem"


def _unread(grid: Grid, start: int, end: int, labels: list[str], roles: list[str | None],
            cols: Columns) -> list[tuple[int, str, str]]:
    """`Columns.unread`: columns no role of ``cols`` reads, people's aside; one without a header
    is said as （无标题）."""
    used = {c for c in (cols.id, cols.level1, cols.level2, cols.name, cols.content, cols.lead, cols.support,
                        cols.deadline, cols.note) if c is not None}
    used |= set(cols.more_support) | {c for c, _ in cols.extras} | {c for c, _ in cols.milestones}
    out = []
    for c, (label, role) in enumerate(zip(labels, roles)):
        if c in used or role == "person":
            continue
        # a header cell spanning grid columns (Word's gridSpan, a merged sheet cell) is one
        # column to the reader: count the columns where a header row changes text
        seen = 1 + sum(1 for x in range(1, c + 1) if any(grid.rows[r][x] != grid.rows[r][x - 1]
                                                          for r in range(start, end)))
        # a column with no header of its own holds text the header's maker missed (QA257)
        place = (f"第{c + 1}行" if grid.card else f"第{seen}列" if grid.docx
                 else f"第{c + 1}列（{column_letter(c + 1)}列）")
        out.append((c, label if key(label) else "（无标题）", place))
    return out


_INTEGER = re.compile(r"^\d{1,3}$")


def _numbers_only(grid: Grid, start: int, c: int) -> bool:
    values = [grid.rows[r][c] for r in range(start, len(grid.rows)) if grid.rows[r][c]]
    values = [unicodedata.normalize("NFKC", v).strip().rstrip(".、") for v in values]
    numeric = [v for v in values if _INTEGER.match(v)]
    return bool(numeric) and len(numeric) >= 0.8 * len(values)


def _row_texts(grid: Grid, start: int, c: int) -> bool:
    """A column of each row's own text: filled in most rows, never merged, not numbers, not short."""
    values = [grid.rows[r][c] for r in range(start, len(grid.rows))]
    filled = [v for v in values if v]
    return (len(filled) >= 2 and len(filled) >= 0.8 * len(values) and not _merged(grid, start, c)
            and not _numbers_only(grid, start, c) and sum(map(len, filled)) >= 6 * len(filled))


def _heads_rows(grid: Grid, start: int, c: int) -> bool:
    """A column of headings, each over two rows or more on the whole: not a column of each
    row's own text with a task merged over two units' rows here and there (QA255)."""
    heads, prev = 0, None
    for r in range(start, len(grid.rows)):
        t = grid.rows[r][c]
        heads += bool(t and not grid.cont[r][c] and t != prev)
        prev = t or prev
    return 2 * heads <= len(grid.rows) - start


def _merged(grid: Grid, start: int, c: int) -> bool:
    """A column whose cells span several rows (or repeat the cell above): a heading column."""
    prev = None
    for r in range(start, len(grid.rows)):
        t = grid.rows[r][c]
        if grid.cont[r][c] or (t and t == prev):
            return True
        prev = t or prev
    return False


def plan_columns(grid: Grid, start: int, labels: list[str], roles: list[str | None]) -> Columns:
    """Assign every role to one column, deciding ambiguous ones from the data."""
    cols = Columns(width=len(labels))
    roles = list(roles)
    # The only text column merged down over its rows (工作任务) and, right after it, a column of
    # each row's own text under a header the vocabulary does not know: the first heads the
    # tasks, the second is their text (where it heads two rows or more on the whole: one task
    # over two units' rows beside a 落实情况 is no heading over it; QA255). The heading became
    # every task's text before, and the text was lost without a word (细化分工; QA251).
    texts_at = [c for c, ro in enumerate(roles) if ro in TEXT_ROLES]
    if len(texts_at) == 1 and _merged(grid, start, texts_at[0]) and _heads_rows(grid, start, texts_at[0]):
        beside = texts_at[0] + 1
        if beside < len(roles) and roles[beside] is None and labels[beside] and _row_texts(grid, start, beside):
            roles[beside] = "content"
    # A number column under a wider header (池州: 具体要求 over 序号 + 要求).
    if "id" not in roles:
        for c, ro in enumerate(roles):
            if ro in ("content", "task") and _numbers_only(grid, start, c) and roles.count(ro) > 1:
                roles[c] = "id"
                break
    by_role: dict[str, list[int]] = {}
    for c, ro in enumerate(roles):
        if ro:
            by_role.setdefault(ro, []).append(c)
    # 牵头单位 and 责任单位 side by side: the first leads, the other supports. Every further
    # unit column cooperates too (牵头单位 | 责任单位 | 配合单位): only one was read before, and
    # the units of the others were lost without a word.
    leads = by_role.get("lead", [])
    if len(leads) >= 2:
        first = next((c for c in leads if "牵头" in key(labels[c])), leads[0])
        by_role["support"] = sorted([c for c in leads if c != first] + by_role.get("support", []))
        by_role["lead"] = [first]
    cols.more_support = by_role.get("support", [])[1:]
    # A goal column (预期目标, 工作成效, 考核指标) after a text column is what the task is to
    # achieve, kept in its note: it took the text's place before (the last text column is the
    # text) or the name's. First, it names the task or heads it, as other text columns there do
    # (主要目标 | 工作内容; 潍坊's 目标); as the only text column it is the text.
    goals = by_role.pop("goal", [])
    texts = [c for ro in TEXT_ROLES for c in by_role.get(ro, [])]
    # A quarter's or stage's plan (工作任务安排/第二季度 beside 重点工作) is kept in the note, as
    # 阶段目标时间 is. Without any other text column, one that names work is the task's text.
    for c in by_role.pop("stage", []):
        if texts or not _stage_text(labels[c], "stage"):
            cols.extras.append((c, labels[c]))
        else:
            by_role.setdefault("task", []).append(c)
    for c in goals:
        if texts and c > min(texts):
            cols.extras.append((c, labels[c]))
        else:
            by_role.setdefault("task" if texts else "content", []).append(c)
            by_role["task" if texts else "content"].sort()
    # A header spanning two columns (具体工作内容 over the name and the content).
    contents = by_role.get("content", [])
    if len(contents) >= 2 and "name" not in by_role and labels[contents[0]] == labels[contents[1]]:
        by_role["name"], by_role["content"] = [contents[0]], contents[1:]
    # Several text columns (潍坊 2017: 目标 | 任务 | 主要内容; or 主要目标 | 工作内容): the last is
    # the task's text, and those before it are its headings (merged down over their rows) or
    # its name, as task columns beside a 具体内容 column are. Only the first was read before:
    # the headings became the text and the text was lost without a word said. Not "the merged
    # ones are headings": a text repeated in two rows (按季度报送进展情况。) reads as merged.
    contents = by_role.get("content", [])
    if len(contents) >= 2 and "name" not in by_role:
        by_role["content"] = contents[-1:]
        by_role["task"] = sorted(by_role.get("task", []) + contents[:-1])
    tasks = by_role.pop("task", [])
    if tasks and "content" not in by_role:
        by_role["content"] = [tasks.pop()]  # the only text column is the task's text
    # 重点工作 | 攻坚目标任务 | 工作任务安排 (泗洲头镇 2024): a task column after the text, merged
    # nowhere, is a further word on each task (its step), kept in the note. As the last unmerged
    # one it was taken for the name, and the task's own name became a heading over its one row.
    text_at = by_role.get("content", [-1])[0]
    after = [c for c in tasks if c > text_at and not _merged(grid, start, c)]
    if after and "name" not in by_role and any(c < text_at for c in tasks):
        cols.extras.extend((c, labels[c]) for c in after)
        tasks = [c for c in tasks if c not in after]
    levels = [c for c in tasks if _merged(grid, start, c) or "name" in by_role]
    names = [c for c in tasks if c not in levels]
    if names and "name" not in by_role:
        by_role["name"] = [names.pop()]
    levels = sorted(levels + names)
    for role in ("level1", "level2"):
        if role not in by_role and levels:
            by_role[role] = [levels.pop(0)]
    # 时间节点 over 一季度 | … | 四季度: the first quarter's milestone was taken as the deadline
    # (启动调研, unreadable). Each column keeps its sub-label (the row above the data).
    deadlines = by_role.get("deadline", [])
    if len(deadlines) >= 2 and start > 0 and len({labels[c] for c in deadlines}) == 1:
        subs = [grid.rows[start - 1][c] for c in deadlines]
        if all(subs) and len(set(subs)) == len(subs) and labels[deadlines[0]] not in subs:
            cols.milestones = list(zip(deadlines, subs))
    elif len(deadlines) >= 2 and len({labels[c] for c in deadlines}) > 1:
        # 阶段目标时间 | 完成时限, 开始时限 | 完成时限: the task is due when it is to be done; the
        # first such column was taken as its deadline. The others are kept in the note.
        due = _completion(deadlines, labels)
        cols.extras.extend((c, labels[c]) for c in deadlines if c != due)
        by_role["deadline"] = [due]
    cols.extras.extend((c, labels[c]) for c in by_role.pop("start", []))
    cols.extras.sort()
    for role, cs in by_role.items():
        if hasattr(cols, role) and role != "labels" and cs:
            setattr(cols, role, cs[0])
            cols.labels[role] = labels[cs[0]]
    return cols


_STAGE = re.compile(r"阶段|开始|启动|起始|节点|进度|安排|计划")
_DONE = re.compile(r"完成|截止|办结|最终|期限|时限")


def _completion(deadlines: list[int], labels: list[str]) -> int:
    """The column of several with the day a task is done by: a 完成时限 that is no stage's
    (阶段性目标完成时间) before one that names no stage, the last of equals (2025年完成时限 after
    2024年完成时限)."""
    for fits in (lambda k: _DONE.search(k) and not _STAGE.search(k), lambda k: not _STAGE.search(k)):
        found = [c for c in deadlines if fits(key(labels[c]))]
        if found:
            return found[-1]
    return deadlines[-1]
