"""From a published task-division document to a `Master`: read, assign ids, resolve units.

A document is read as a task table (`master.columns`, `master.tabletasks`) or, when it has
none, as numbered paragraphs (`master.prose`). Units are expanded against the directory in
use: the workspace's, one the coordinator names, or the bundled Dongguan one for a Dongguan
table. Problems are `Issue` records ranked by what they break; only an unusable file raises.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from .. import errors, office
from ..dates import at_once, milestone, parse_deadline, title_year
from ..groups import group_kind, is_group, under_plan
from ..import_codes import IMPORT_RANK
from ..places import plan_level, plan_place
from ..rectification import KIND, PLAN, RECTIFICATION, Words
from ..report import Issue, make_issue
from ..sniff import WPS_SHEET_EXTS
from ..text import SPACES, clean, key, squash
from ..units import (
    CITY_GOVERNMENT,
    COUNTY_GOVERNMENT,
    SECTION,
    TOWN,
    Directory,
    Unit,
    default_directory,
    dept_kind,
    guess_kind,
    is_bundled,
    mentions_dongguan,
    phrase_level,
)
from ..vocab import EXPLICIT, Role
from .columns import Header, find_header, note_row, rectification
from .deadlines import deadline_doubt
from .grammar import (
    FIRST_LEADS,
    ParsedDepartments,
    expand_assignments,
    join_wrapped_brackets,
    pair_body,
    parse_departments,
)
from .import_report import ImportReport
from .jointly import split_jointly
from .levels import place_left_out, restore_bare_places, restore_elided_levels
from .model import Assignment, Master, Task, missing_fields
from .people import glued_people, unglue_people
from .prose import prose_tasks
from .raw import DOTS, LEVEL_JOIN, RawTask, numbering
from .tables import Grid, Paragraph, card_as_row, check_openable, read_docx, xlsx_grids
from .tabletasks import Headings, grid_tasks
from .titles import OWN_PLAN, issuing_body, letter_signer, project_name, signed_in_full, unwrapped
from .workbook import read_own_workbook

LEAD, COOP = Role.LEAD, Role.COOP
SUFFIXES = (".docx", ".doc", ".xlsx", ".xlsm", ".xls", ".ods", *WPS_SHEET_EXTS)
# duban's master workbook as an office suite saves it again: Excel .xlsx/.xlsm/.xls, WPS's own
# .et (the BIFF8 workbook .xls is), LibreOffice's .ods; each keeps the hidden _meta
OWN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", *WPS_SHEET_EXTS)

# Numbered items that open lines of one task's cell (钟楼 2024 prints “(8)…\n(9)…” in one 工作标准
# cell under one lead): imported as one task, which the memo then cannot tell apart (M114).
_NUMBERED_LINE = re.compile(rf"^[ \t\u3000]*([(（]\d{{1,3}}[)）]|\d{{1,3}}[{DOTS}、](?!\d))", re.M)
def _of_sections(names: list[str], plan: str, place: str) -> bool:
    """Whether a plan is a bureau's among its 科室 (人事股, 办公室), so that its 机关党委 and 局办公室 are
    科室 too (`guess_kind`): two 科室 at least, and more of them than units of another kind. One
    办公室 or 信访科 in a county's plan made its 政研室, 督查室 and 机关党委 科室 (QA338). A body named
    after the bureau (局办公室, 局机关党委) is its own: 机关党委, 局办公室 and 组织人事科 are a bureau's three."""
    sections = sum(guess_kind(n, plan, place) == SECTION or n.startswith("局") for n in names)
    return sections >= 2 and sections > sum(guess_kind(n, plan, place, True) != SECTION for n in names)


def import_master(path: str | Path, directory: Directory | None = None, *, organiser: str | None = None,
                  use_bundled_directory: bool | None = None, signer: str = "", directory_name: str = "") -> Master:
    """Read a published task-division document (.docx/.doc or .xlsx/.xls/.ods) into a Master.

    ``directory``: the workspace's 单位名录; groups expand only against it. Without one, the
    bundled Dongguan directory is used when the table is Dongguan's or
    ``use_bundled_directory`` asks for it; otherwise units are taken as the table writes
    them and groups stay unexpanded (and reported). ``directory_name``: where ``directory``
    came from, as the import summary names it (``“任务分工表.xlsx”中原有的单位名录``).
    ``organiser``: the coordinating office as the memo signs it; by default ``signer`` (the
    workspace's, duban.toml's organiser: a revised table imported over it is signed as
    before), else the issuing body named in the title.

    Raises an `InputFileError` when the file cannot be used at all; everything else it finds
    is an Issue in ``master.issues``, ordered by what it breaks.
    """
    path = Path(path)
    check_openable(path, SUFFIXES)
    # duban's own master workbook is taken whole, its 单位名录 with it; a directory named on the
    # command line (``use_bundled_directory``) is the coordinator's choice: imported as a table
    own = read_own_workbook(path) if path.suffix.lower() in OWN_SUFFIXES and not use_bundled_directory else None
    if own is not None:
        own.organiser = organiser or signer or own.organiser
        source = "命令行" if organiser else "工作区设置" if signer else "任务清单工作簿" if own.organiser else ""
        own.report = ImportReport(layout="duban 任务清单工作簿（任务、责任分工和单位名录原样沿用）",
                                  directory=f"取自“{path.name}”的单位名录（含联系人和邮箱）",
                                  organiser_source=source if own.organiser else "")
        return own
    if path.suffix.lower() == ".doc":
        with tempfile.TemporaryDirectory(prefix="duban-doc-") as tmp:
            converted = _convert_doc(path, Path(tmp))
            return _import(converted, path.name, directory, organiser, use_bundled_directory,
                           "Word 表格（由 .doc 转换）", signer, directory_name)
    layout = "Word 表格" if path.suffix.lower() == ".docx" else "Excel 表格"
    return _import(path, path.name, directory, organiser, use_bundled_directory, layout, signer, directory_name)


def _convert_doc(path: Path, outdir: Path) -> Path:
    """A .doc converted to .docx with LibreOffice (the same binary that makes memo PDFs)."""
    if office.soffice() is None:
        raise errors.UnsupportedFile(f"“{path.name}”是旧版 Word（.doc）文件，本机没有 LibreOffice 无法转换。"
                                     "请用 Word 或 WPS 打开后另存为 .docx 再导入。")
    try:
        return office.convert(path, "docx", outdir)
    except errors.UsageError as exc:
        raise errors.NotAMasterList(f"“{path.name}”无法转换为 .docx（{exc.message}）。"
                                    "请用 Word 或 WPS 打开后另存为 .docx 再导入。") from exc


def _import(path: Path, name: str, directory: Directory | None, organiser: str | None,
            use_bundled: bool | None, layout: str, signer: str = "", directory_name: str = "") -> Master:
    if path.suffix.lower() == ".docx":
        doc = read_docx(path)
        blocks: list[Paragraph | Grid] = doc.blocks
        title = doc.title
    else:
        grids, title = xlsx_grids(path)
        blocks = list(grids)
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    raw, header, missing = _table_tasks(blocks)
    if header is None:
        raw = prose_tasks(paragraphs, name)
        layout = "正文编号段落"
        if not raw:
            raise errors.NotAMasterList(_refusal(name, blocks, missing))
    elif not raw:
        raise errors.NotAMasterList(f"“{name}”的任务分工表只有表头，没有任务行。")
    has_deadline = header.columns.deadline is not None if header else any(t.deadline_text for t in raw)

    texts = [title] + [p.text for p in paragraphs] + [t for g in blocks if isinstance(g, Grid) for row in g.rows
                                                       for t in row]
    dongguan = mentions_dongguan(texts)
    bundled_ok = bool(use_bundled) or (use_bundled is None and dongguan)
    notes = []
    if directory is not None and is_bundled(directory) and not bundled_ok:
        # The workspace still has the shipped Dongguan directory: another city's 市直有关部门
        # must not become Dongguan's 21 departments.
        notes.append("工作区的单位名录仍是内置的东莞市单位名录，这份分工表不是东莞市的，未用它展开单位集合。")
        directory = None
    if directory is not None:
        named = directory_name or "工作区或指定的单位名录"
        used, directory_label = directory.copy(), f"{named}（{len(directory)} 个单位）"
    elif bundled_ok:
        used, directory_label = default_directory(), "内置的东莞市单位名录"
    else:
        used, directory_label = Directory([]), "无（单位按表中写法建立，单位集合不展开）"
    report = ImportReport(layout=layout, directory=directory_label, has_deadline_column=has_deadline, notes=notes)
    folded = [t for t in raw if LEVEL_JOIN in t.level2]
    if folded:
        # the model has two levels: say where the third went, or 二级任务 "（一）… / 加强…" reads as a typo
        report.notes.append(f"分工表的标题有三级或以上：一级任务取最外一级，其下各级用“{LEVEL_JOIN.strip()}”"
                            f"连写在二级任务中（{len(folded)} 项任务）。")
    titled, titled_source = issuing_body(title), "分工表标题中的发文机关"
    if titled and (signed := signed_in_full(titled, [p.text for p in paragraphs])):
        titled, titled_source = signed, "分工表的落款（标题中的发文机关未写地名）"
    elif not titled and (signed := letter_signer([p.text for p in paragraphs])):
        titled, titled_source = signed, "分工表通知的落款"
    if organiser is not None:
        org, report.organiser_source = clean(organiser), "命令行 --organiser"
    elif signer:
        # the workspace signs its 通报 with duban.toml's organiser, whoever issued the revision
        org, report.organiser_source = clean(signer), "duban.toml 中的督办单位"
        if titled and key(titled) != key(org):
            report.notes.append(f"分工表的发文机关是“{titled}”，通报仍按 duban.toml 中的督办单位“{org}”落款；"
                                "如要改变落款，请修改 duban.toml 中的 organiser。")
    elif titled:
        org, report.organiser_source = titled, titled_source
    elif used.organiser:
        org, report.organiser_source = used.organiser, "单位名录中标明的督办单位"
    else:
        org = ""
    used.locate(org, title)  # 宜昌市教育局 in a 宜昌市 table is the 名录's 市教育局
    issues: list[Issue] = []
    _assign_ids(raw, name, issues)
    first_leads = _states_first_leads(blocks, table=header is not None)
    stem = path.stem if name == path.name else Path(name).stem
    if not project_name(title, ""):
        report.notes.append(f"分工表没有标题，专项行动名称取自文件名“{stem}”：它会印在填报表、汇总表和通报上，"
                            "请在 duban.toml 的 name 中改成正式名称。")
    rectify = header is not None and rectification(header.columns)
    master = _build(raw, project_name(title, stem), name, used, issues, report, first_leads, org, title,
                    RECTIFICATION if rectify else PLAN)  # its notes say 整改任务, 整改时限 (QA334)
    issues.extend(unread_columns(raw, name))
    if not org and master.of_sections and (own := OWN_PLAN.match(unwrapped(title))):
        org, report.organiser_source = own["body"], "分工表标题中的单位，表中单位都是它的科室"
        master.title = project_name(unwrapped(title)[own.end():], master.title)
    master.organiser = org
    master.kind = KIND if rectify else ""
    if not org:
        issues.append(make_issue("M111", file=name))
    if not has_deadline:
        n = len(master.tasks)
        issues.append(make_issue("M109", file=name, count=n, each="均" if n > 1 else ""))  # 1 项任务均按: QA274
    if directory is None and not bundled_ok:
        issues.append(make_issue("M110", file=name, count=len({a.unit for a in master.assignments})))
    master.issues = rank_issues(issues)
    return master


# A cell that says nothing: 无, 同上, a dash. A column of them lost nothing, nor one of numbers
# (1, 2, 3: the rows counted); 95% or 全国 it did.
_NOTHING = frozenset({"无", "暂无", "同上", "略", "不适用", "无需"})
_SAYS = re.compile(r"[\w%％]")
_COUNTING = re.compile(r"^\d{1,3}[.、]?$")


def unread_columns(raw: list[RawTask], file: str) -> list[Issue]:
    """M115 for each column nothing reads (`Columns.unread`) that holds something in its task
    rows: a coordinator who sees it in the table and not in the master must be told, once. A
    column the importer did not know was dropped without a word (细化分工, the tasks' own text,
    QA251); an empty one, or one of row numbers, dashes or 无 only, lost nothing."""
    found: dict[tuple[str, str], list[tuple[RawTask, str, str]]] = {}
    for t in raw:
        for place, label, text, cell in t.unread:
            if _SAYS.search(text) and key(text) not in _NOTHING:
                found.setdefault((place, label), []).append((t, text, cell))
    found = {k: held for k, held in found.items() if not all(_COUNTING.match(key(x)) for _t, x, _c in held)}
    issues = []
    for (place, label), held in found.items():
        first, text, cell = held[0]
        # one space for each run of spaces: "GDP 178.5" was quoted as "GDP178.5" (QA355)
        sample = SPACES.sub(" ", clean(text))
        sample = sample[:20] + "…" if len(sample) > 20 else sample
        issues.append(make_issue("M115", file=file, sheet=first.sheet, cell=cell, task=first.id, column=place,
                                 label=squash(label), count=len(held), sample=sample))
    return issues


def _states_first_leads(blocks: list[Paragraph | Grid], table: bool) -> bool:
    """Whether the document says 列第一位者为牵头单位 for all its tasks.

    In numbered paragraphs a bracketed statement closes one task's units and holds from there
    on (the grammar applies it). Beside a table it holds for the table wherever it is printed:
    a paragraph, bracketed or not; the table's title or a note row (one text across the row,
    or 注 | 排名第一的为牵头单位); a header (责任单位（排第一位的为牵头单位）). Only paragraphs
    outside brackets were read before, so a table saying it anywhere else had every listed
    unit lead.
    """
    for b in blocks:
        if isinstance(b, Paragraph):
            said = FIRST_LEADS.search(b.text)
            if said and (table or not re.search(r"[（(][^（）()]*$", b.text[:said.start()])):
                return True
            continue
        if not table:
            continue
        found, _ = find_header(b)
        texts = set(found.texts) if found else set()
        for row in b.rows:
            distinct = {t for t in row if t}
            if len(distinct) == 1 or note_row(row):
                texts |= distinct
        if any(FIRST_LEADS.search(t) for t in texts):
            return True
    return False


def rank_issues(issues: list[Issue]) -> list[Issue]:
    """Issues ordered by what they break (`IMPORT_RANK`), in reading order within a code."""
    rank = {code: i for i, code in enumerate(IMPORT_RANK)}
    return sorted(issues, key=lambda i: rank.get(i.code, len(rank)))


def _refusal(name: str, blocks: list[Paragraph | Grid], missing: str) -> str:
    grids = [b for b in blocks if isinstance(b, Grid)]
    if not grids and name.lower().endswith((".docx", ".doc")):
        return (f"“{name}”里没有表格，也没有写明牵头单位或责任单位的编号段落。"
                "请确认这是任务分工表（含工作任务和牵头单位或责任单位）。")
    if missing:
        return f"“{name}”中找不到任务分工表的表头：{missing}。"
    return (f"“{name}”中找不到任务分工表的表头（需要“工作任务”或“具体工作内容”，"
            "以及“牵头单位”“责任单位”或“责任部门”等列）。")


def _table_tasks(blocks: list[Paragraph | Grid]) -> tuple[list[RawTask], Header | None, str]:
    """Tasks of every task table, in order; the header in use; what a near-header lacked."""
    raw: list[RawTask] = []
    header: Header | None = None
    header_texts: set[str] = set()
    levels = Headings()
    missing = ""
    above = ""  # a short numbered paragraph right above a table gives its group
    for block in blocks:
        if isinstance(block, Paragraph):
            t = squash(block.text)
            n = numbering(t) if t else None
            if n and n[0] <= 2 and len(t) <= 40:
                above = t
            elif t:
                above = ""
            continue
        found, why = find_header(block)
        card = card_as_row(block) if found is None else None
        if card is not None and find_header(card)[0] is not None:
            block = card
            found, why = find_header(card)
        if found is None:
            missing = missing or why
            cols = header.columns if header else None
            if cols and block.docx and block.rows and len(block.rows[0]) > max(
                    c for c in (cols.id, cols.level1, cols.level2, cols.name, cols.content, cols.lead, cols.support,
                                cols.deadline) if c is not None):
                # A Word table split in two at a page break: the second part has no header.
                raw.extend(grid_tasks(block, Header(0, 0, cols, set()), header_texts, levels))
            continue
        header = found
        header_texts |= found.texts
        if above:
            levels.reset(above)
        raw.extend(grid_tasks(block, found, header_texts, levels))
    return raw, header, missing


def _assign_ids(raw: list[RawTask], file: str, issues: list[Issue]) -> None:
    """Explicit numbers win; else ``<二级序号>.<条目序号>`` as the Dongguan table numbers them."""
    explicit = [t.explicit_id for t in raw if t.explicit_id]
    if explicit and all(e.isdigit() for e in explicit) and len(set(explicit)) < len(explicit):
        # 1, 2, 3 restarting under each heading: prefix the heading's position.
        order: dict[str, int] = {}
        for t in raw:
            order.setdefault(t.level1, len(order) + 1)
            if t.explicit_id:
                t.explicit_id = f"{order[t.level1]}.{t.explicit_id}"
    counters: Counter[str] = Counter()
    level2_numbers: dict[str, str] = {}
    used: set[str] = set()
    flat = not any(t.level1 or t.level2 for t in raw)
    for n, t in enumerate(raw, start=1):
        if t.explicit_id:
            tid = unicodedata.normalize("NFKC", t.explicit_id)
        elif flat:
            tid = str(n)  # no headings and no numbers: the rows in order
        else:
            n = numbering(unicodedata.normalize("NFKC", t.level2))
            if n and n[0] == 3:
                group = n[1]
            else:
                group = level2_numbers.setdefault(t.level2, str(len(level2_numbers) + 1))
            counters[group] += 1
            tid = f"{group}.{counters[group]}"
        if tid in used:
            new = f"{tid}-{sum(1 for u in used if u.split('-')[0] == tid) + 1}"
            issues.append(make_issue("M105", file=file, sheet=t.sheet, cell=t.cell, task=tid, new=new))
            tid = new
        used.add(tid)
        t.id = tid


def _parse_units(t: RawTask, first_leads: bool) -> ParsedDepartments:
    parts = [parse_departments(text, role, first_leads=first_leads) for text, role in t.units if text]
    if len(parts) == 1:
        return parts[0]
    return ParsedDepartments([e for p in parts for e in p.entries], any(p.open_ended for p in parts),
                             [x for p in parts for x in p.problems], any(p.declares_first_leads for p in parts))


def join_slashed_names(parsed: ParsedDepartments, in_directory: Callable[[str], bool]) -> None:
    """A name the directory lists with a slash in it (市委宣传部/市新闻办: one body, two names) is
    one unit, though a cell's slashes list units (市发改委/市财政局, QA326): cut there, its halves
    were two units the directory lacks, given the task and named 未报送, while the directory's
    unit got no form (QA327). Up to three names so joined."""
    entries: list[tuple[str, str]] = []
    for name, role in parsed.entries:
        for back in (1, 2):
            head = entries[-back:] if len(entries) >= back else []
            joined = "/".join([n for n, _r in head] + [name])
            if head and not any(in_directory(n) for n, _r in head) and in_directory(joined):
                roles = {r for _n, r in head} | {role}
                entries[-back:] = [(joined, Role.LEAD if Role.LEAD in roles else role)]
                break
        else:
            entries.append((name, role))
    parsed.entries = entries


def _build(raw: list[RawTask], title: str, source: str, directory: Directory, issues: list[Issue],
           report: ImportReport, first_leads: bool, organiser: str = "", heading: str = "",
           words: Words = PLAN) -> Master:
    tasks: list[Task] = []
    assignments: list[Assignment] = []
    has_directory = bool(directory.units)
    given = directory.copy()  # groups expand against the directory as given, not the table's own names
    unexpanded: dict[str, list[RawTask]] = {}
    # "12月底前" in a table titled "2016年民生实事…" is the end of 2016: without the title's year
    # every such task would never be judged overdue. A title naming two years (2023—2025年) gives none.
    plan_year = title_year(title)
    dated_by_title: list[str] = []
    kept_up: list[str] = []  # 2024年6月底前完成，长期坚持: ongoing, said
    undated: list[str] = []  # 立行立改 alone: no date, said
    if first_leads:
        report.notes.append("文件说明“列第一位者为牵头单位”：每项任务所列第一个单位为牵头，其余为配合。")
    # Units the table names on their own: 市发改委 there makes 市发改委张三 elsewhere a unit and a name.
    named = {n for t in raw for n, _r in _parse_units(t, False).entries if not glued_people(n)}
    # a unit named without a level (改革办) is the plan's: a county's table makes it a 县直部门.
    # Read as the memo reads it: organiser, the units' names, then the title (``heading``)
    plan = plan_level(organiser, heading, sorted(named))
    place = plan_place(organiser, heading)  # 清远市: another 市's government is a county-level city's
    sections = _of_sections([n for n in named if given.resolve(n) is None and not is_group(n)], plan, place)

    short = place_left_out(given)  # 省财政厅 of a directory listing 黑龙江省财政厅

    def in_directory(name: str) -> bool:
        return given.resolve(name) is not None

    def known(name: str) -> bool:
        return in_directory(name) or key(name) in short or name in named
    for t in raw:
        loc = dict(file=source, sheet=t.sheet, cell=t.cell, task=t.id)
        deadline, ongoing = parse_deadline(t.deadline_text)
        if t.deadline_text and deadline is None and not ongoing and plan_year:
            deadline, _ = parse_deadline(t.deadline_text, plan_year)
            if deadline is not None:
                dated_by_title.append(t.id)
        if ongoing and milestone(t.deadline_text, plan_year):
            kept_up.append(t.id)
        doubt = deadline_doubt(t.deadline_text, deadline, ongoing, plan_year) if t.deadline_text else None
        if doubt:  # 8月前, 5月29日、12月10日前, 5月底前动工: read, and said for the office to confirm
            issues.append(make_issue("M117", value=t.deadline_text, why=doubt[0], ask=doubt[1], **loc))
        elif t.deadline_text and deadline is None and not ongoing:
            if at_once(t.deadline_text):
                undated.append(t.id)
            else:
                issues.append(make_issue("M103", value=t.deadline_text, **loc))
        parsed = _parse_units(t, first_leads)
        join_wrapped_brackets(parsed, in_directory)
        join_slashed_names(parsed, in_directory)
        unglue_people(parsed, known)
        split_jointly(parsed, known, in_directory, t.units_text)  # 宣传处会办公室: 宣传处 leads, 办公室 cooperates
        restore_elided_levels(parsed, known, in_directory)
        restore_bare_places(parsed, known, in_directory)
        parsed.entries = [(n if given.resolve(n) else short.get(key(n), n), r) for n, r in parsed.entries]
        if parsed.declares_first_leads and not first_leads:
            first_leads = True
            report.notes.append(f"文件在任务 {t.id} 处说明“列第一位者为牵头单位”："
                                "此后每项任务所列第一个单位为牵头，其余为配合。")
        text = t.units_text
        for problem in parsed.problems:
            issues.append(make_issue("M104", value=text, detail=problem, **loc))
        found = expand_assignments(t.id, parsed, directory, given, plan)
        report.named[t.id] = [(n, r) for n, r in parsed.entries]
        for phrase, members in found.groups.items():
            report.groups.setdefault(phrase, members)
            if not members:
                unexpanded.setdefault(phrase, []).append(t)
        for unit_name in found.unknown:
            unit = clean(unit_name)
            if directory.resolve(unit) is None:
                kind = guess_kind(pair_body(unit) or unit, plan, place, sections)  # 城关镇党委、政府: a town's
                directory.add(Unit(unit, kind))
                if has_directory:
                    issues.append(make_issue("M102", unit=unit, kind=kind, **loc))
        if text and not parsed.entries:
            issues.append(make_issue("M104", value=text, detail="没有识别出任何单位", **loc))
        label = t.name or t.content[:20] or t.group
        if text and parsed.entries and not any(a.role == LEAD for a in found.assignments):
            why = ("所列单位集合未展开" if any(not found.groups.get(n) for n, _ in parsed.entries if n in found.groups)
                   else "只写了配合单位")
            issues.append(make_issue("M106", name=label, why=why, **loc))
        numbers = _NUMBERED_LINE.findall(t.content)
        if len(numbers) > 1:
            issues.append(make_issue("M114", count=len(numbers), numbers="、".join(numbers), **loc))
        if t.heading_like and (text or t.deadline_text):
            issues.append(make_issue("M107", text=(t.name or t.content)[:30], **loc))
        missing = missing_fields(t.name, t.content, t.deadline_text, report.has_deadline_column, bool(text))
        if missing:
            issues.append(make_issue("M101", name=t.name or t.group, missing="、".join(missing), **loc))
        note = t.note
        if parsed.open_ended:
            extra = "责任单位含“等有关部门”，可能不止所列单位"
            note = f"{note}；{extra}" if note else extra
        tasks.append(Task(t.id, t.level1, t.level2, t.name, t.content, t.deadline_text, deadline, ongoing, note,
                          text, parsed.open_ended, not missing))
        assignments.extend(found.assignments)
    if dated_by_title:
        report.notes.append(f"{len(dated_by_title)} 项{words.task}的{words.deadline}没有写年份（如“12月底前”），"
                            f"按标题中的 {plan_year} 年计算截止日期：任务 {_listed(dated_by_title)}。"
                            "如不对，请在“任务清单”表的“截止日期”列中改正。")
    if kept_up:
        report.notes.append(f"{len(kept_up)} 项{words.task}的{words.deadline}先写一个时间节点、再写长期坚持或持续推进"
                            f"（如“2024年6月底前完成，长期坚持”），按长期任务导入，不判逾期：任务 {_listed(kept_up)}。"
                            "如要到节点未完成即判逾期，请在“任务清单”表中填写该任务的“截止日期”，并把“长期”改为“否”。")
    if undated:
        report.notes.append(f"{len(undated)} 项{words.task}的{words.deadline}为“立行立改”（没有写日期），"
                            f"按无时限导入，不判逾期：任务 {_listed(undated)}。"
                            "如要到期未完成即判逾期，请在“任务清单”表中填写该任务的“截止日期”。")
    own = directory.resolve(organiser) if organiser else None
    via_groups = [a for a in assignments if own and a.unit == own and a.source != EXPLICIT]
    if via_groups:
        # 南陵: 县各有关单位 took in 县政府办, the office coordinating, which then got a form to
        # report to itself. It may well be one of the 有关单位 too (a 政数局 running its own
        # action): said, for the office to decide, instead of dropped.
        report.notes.append(
            f"督办单位“{own}”也在单位集合“{'、'.join(dict.fromkeys(a.source for a in via_groups))}”中，"
            f"已分到任务 {'、'.join(dict.fromkeys(a.task for a in via_groups))}，下发时也会给它一份填报表；"
            "如督办单位自己不报送这些任务，请在“责任分工”表中删去这些行。")
    issues.extend(_same_characters(assignments, given, source))
    for phrase, where in unexpanded.items():
        first = where[0]
        issues.append(make_issue("M108", file=source, sheet=first.sheet, cell=first.cell, task=first.id,
                                 group=phrase, tasks="、".join(w.id for w in where), kind=_kind_hint(phrase, plan)))
    return Master(title, tasks, assignments, directory, issues, source, report=report)


def _same_characters(assignments: list[Assignment], given: Directory, source: str) -> list[Issue]:
    """M116 for two units the table names with the same characters in another order (安徽 2022:
    省农业农村厅 in item 2, 省农村农业厅 in item 3): one department's slip made two units, two
    forms, and a 未报送 for a unit that does not exist. Units of the directory given are its own."""
    tasks: dict[str, list[str]] = {}
    for a in assignments:
        if given.resolve(a.unit) is None and a.task not in tasks.setdefault(a.unit, []):
            tasks[a.unit].append(a.task)
    seen: dict[str, str] = {}
    out = []
    for unit in tasks:
        other = seen.setdefault("".join(sorted(key(unit))), unit)
        # 城东街道、东城街道 in one task's cell are two towns: no slip names one unit twice (QA317)
        if other != unit and not set(tasks[unit]) & set(tasks[other]):
            out.append(make_issue("M116", file=source, task=tasks[unit][0], unit=unit, tasks=_listed(tasks[unit]),
                                  other=other, other_tasks=_listed(tasks[other])))
    return out


def _listed(ids: list[str]) -> str:
    """Task ids for a note: the first ten, then 等."""
    return "、".join(ids[:10]) + ("等" if len(ids) > 10 else "")


def _kind_hint(phrase: str, plan: str = "") -> str:
    """The 类别 a directory would give the members of a group phrase, for the M108 message."""
    below = under_plan(phrase, plan)
    if below is not None:
        # 各地: not a kind "地" but the governments below the plan's, as the importer names them
        return {"city": CITY_GOVERNMENT, "county": COUNTY_GOVERNMENT, "town": TOWN}.get(
            below, f"{CITY_GOVERNMENT}”或“{COUNTY_GOVERNMENT}")
    if group_kind(phrase) == "dept":
        # 各有关单位, 县各有关单位, 省直各有关单位: the kind the importer itself gives such units, of
        # the level the phrase names, else the plan's (县直部门 in a county's plan, not 县各单位)
        return dept_kind(phrase_level(phrase) or plan)
    # 各乡镇人民政府、街道办事处 (谯城 2025, 各 written once): 乡镇、街道, each part without its body
    # (各县（市）党委、政府: 县（市）)
    # 辖区各社区 (a town's plan): 社区
    from_phrase = re.sub(r"^([^各]{1,4}(?=各(行政)?(村|社区|居)))?各(有关|相关)?"
                         r"|(人民)?政府(?=$|、)|管委会(?=$|、)|(?<=街道)办事处(?=$|、)|有关|相关"
                         r"|党(\(工\)|（工）|工)?委(?=$|、)", "", squash(phrase))
    return re.sub("、+$", "", from_phrase) or phrase
