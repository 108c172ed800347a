"""`duban master import`: a published task-division table into the master workbook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from .. import errors
from ..issued_month import MOST_NAMED, due_moved, judged_by_forms, task_edited
from ..ledger import Ledger
from ..master import Master, import_master, rank_issues, read_master_workbook, write_master_workbook
from ..master.model import renumbered
from ..master.workbook import directory_address_issues
from ..office_edits import keep_beside
from ..period import Period
from ..units import Directory
from ..vocab import EXPLICIT
from ..workspace import Workspace


def name_issued_months(ws: Workspace, before: Master | None) -> None:
    """Months issued before ledger version 25 recorded no name (`Ledger.issued_project`): given
    the one their forms printed as far as can be known, duban.toml's (else the plan's title)
    before the new plan comes and the import suggests a new name: else a 2026 month merged again
    after the office took the 2027 plan's name printed the 2027 name (QA394)."""
    name = ws.project or (before.title if before else "")
    if name and ws.ledger_path.exists():
        with Ledger(ws.ledger_path) as ledger:
            ledger.name_unnamed(name)


def plan_in(target: Path) -> Master | None:
    """The master workbook an import is about to replace, or None when there is none (yet)."""
    if not target.exists():
        return None
    try:
        return read_master_workbook(target)
    except errors.DubanError:
        return None  # not a master workbook (yet): nothing to inherit or compare


def workspace_directory(target: Path) -> Directory | None:
    """The 单位名录 of the master workbook being replaced (with the coordinator's contacts),
    or None when there is none yet. If it is still the bundled Dongguan one, the importer
    uses it only for a Dongguan table."""
    master = plan_in(target)
    return master.directory if master is not None and master.directory.units else None


def import_master_file(source: Path, target: Path, directory_csv: Path | None = None, *,
                       organiser: str | None = None, signer: str = "") -> Master:
    """Import ``source`` (.docx/.doc/.xlsx) and write the master workbook to ``target``.

    Groups expand against ``directory_csv`` if given, else against the 单位名录 of the
    workspace's current master workbook; see `import_master` for the bundled directory.
    ``signer``: the workspace's organiser (duban.toml), which signs its 通报 whatever the
    revised table's title says; ``organiser`` (--organiser) before it. A file at ``target``
    is replaced; `import_keeping` keeps it first.
    """
    return _imported(source, target, directory_csv, organiser, signer, None)


@dataclass(frozen=True)
class Imported:
    """What `import_keeping` wrote: the master, and the file it replaced, kept beside it."""

    master: Master
    kept: Path | None = None  #: the workbook at the target before the import (`keep_previous`)

    @property
    def kept_line(self) -> str:
        """The one line saying where the replaced workbook went ("" when there was none)."""
        if self.kept is None:
            return ""
        return (f"原任务分工表已另存为“{self.kept.name}”（同一文件夹）：在其中做过的修改"
                f"（补填的截止日期、责任分工中增删的单位等）没有带入新表，如有请对照补回。")


def import_keeping(source: Path, target: Path, directory_csv: Path | None = None, *,
                   organiser: str | None = None, signer: str = "", tz: tzinfo | None = None) -> Imported:
    """`import_master_file`, keeping the file at ``target`` beside it before it is replaced
    (`keep_previous`, its save time read in ``tz``): a re-import rewrites 任务清单 and 责任分工
    from the new table, and an office's corrections made in Excel (a 截止日期, units added)
    were gone with no copy (QA351). Nothing is kept when the import fails."""
    kept: list[Path | None] = []

    def keep(new: Path) -> None:  # the new workbook made: the old one is kept, then replaced
        kept.append(keep_previous(target, new, tz))

    master = _imported(source, target, directory_csv, organiser, signer, keep)
    return Imported(master, kept[0] if kept else None)


def _imported(source: Path, target: Path, directory_csv: Path | None, organiser: str | None, signer: str,
              before: Callable[[Path], None] | None) -> Master:
    if target.resolve() == Path(source).resolve():
        raise errors.UsageError("输出文件不能与输入文件相同，请用 --out 指定另一个文件名。")
    # A directory named on the command line is the coordinator asking for it, bundled or not.
    directory = Directory.from_csv(directory_csv) if directory_csv else workspace_directory(target)
    # named, not "工作区或指定的": an --out file imported over before lends its 单位名录 (QA355)
    named = f"指定的单位名录“{directory_csv.name}”" if directory_csv else f"“{target.name}”中原有的单位名录"
    master = import_master(source, directory, organiser=organiser,
                           use_bundled_directory=True if directory_csv else None, signer=signer, directory_name=named)
    # Bad addresses are located where the coordinator will fix them: the new 单位名录 sheet.
    master.issues = rank_issues(master.issues + directory_address_issues(master.directory.to_rows(), target.name))
    write_master_workbook(master, target, before=before)
    return master


def keep_previous(path: Path, new: Path, tz: tzinfo | None = None,
                  refused: Callable[[str], str] | None = None) -> Path | None:
    """Copy ``path`` beside itself before ``new`` replaces it, named as `office_edits` names a
    file it keeps (`is_kept_copy`: ``任务分工表（旧版，12月7日10时05分保存）.xlsx``, the time it was
    last saved, in ``tz``), so that no command takes it for the master (read at
    `Workspace.master_path` alone); the copy, or None when there is no file or it holds what
    ``new`` holds (the same table imported again: nothing of the office's in it). A copy is
    never overwritten: the same file kept already is not kept twice (an import that then could
    not write). One that cannot be made stops the import, the file untouched (`office_edits.keep_beside`),
    with ``refused(why)``'s words: by default the import's (没有导入), `init --force` its own."""
    return keep_beside(path, new, "旧版", tz, (), refused or (
        lambda why: f"“{path.name}”原样保留，没有导入：导入前要先把它另存一份，但{why}"))


@dataclass
class Revision:
    """How a 任务分工表 imported over a workspace whose forms went out differs from the one it
    replaced, task by task (`renumbered`: a task is its texts, not its number), and where the
    issued months stand: the office reads it before the next issue."""

    kept: list[str] = field(default_factory=list)  #: same number, texts and 完成时限
    moved: dict[str, str] = field(default_factory=dict)  #: old id → new id, texts kept
    edited: list[str] = field(default_factory=list)  #: same number, texts or 完成时限 changed
    added: list[str] = field(default_factory=list)  #: new ids no earlier task became
    deleted: list[str] = field(default_factory=list)  #: old ids no task of the new plan is
    #: (old units, new unit) → the new ids the old units held and a unit new to the plan holds
    #: instead: a unit renamed or merged in an institutional reform (市卫计局 → 市卫生健康局)
    #: unless its old name is made an alias before the returns on its old forms are collected
    handed: dict[tuple[tuple[str, ...], str], list[str]] = field(default_factory=dict)
    #: (old units, new unit) of `handed` → the group phrases (市各有关部门) the old units are still
    #: members of and the new one is not, and the new ids they stand for (`still_grouped`)
    grouped: dict[tuple[tuple[str, ...], str], tuple[list[str], list[str]]] = field(default_factory=dict)
    #: issued months judged by their forms (a later month's went out, or the imported plan
    #: renumbered their tasks: `renumbered_since`): untouched by the import
    past: list[Period] = field(default_factory=list)
    #: issued months still judged by today's sheet: the latest, until the next month's forms go
    #: out (unless the imported plan renumbered its tasks)
    current: list[Period] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.tasks_changed or bool(self.handed)

    @property
    def tasks_changed(self) -> bool:
        """Whether a task was renumbered, edited, added or deleted (the line counting them)."""
        return bool(self.moved or self.edited or self.added or self.deleted)

    def lines(self) -> list[str]:
        """What the import says of the plan it replaced ([] when the tasks are the same)."""
        if not self.changed:
            return []
        out = self._task_lines() if self.tasks_changed else []
        for (olds, new), ids in self.handed.items():
            old = "、".join(olds)
            aliases = "、".join(f"“{o}”" for o in olds)
            out.append(f"注意：{old}原负责的任务 {_listed(ids)} 在新表中改由单位名录中原来没有的“{new}”负责。"
                       f"如系单位更名或合并，请在收取回件之前，在“单位名录”中把{aliases}写进“{new}”的简称/别名"
                       f"并删去原名称的行，保存任务分工表：否则按原名称下发的填报表报送的这些任务不计入汇总，"
                       f"“{new}”也不计入已下发的月份。已收取的回件，改好后把原件放回收件箱重新收取。")
            if (olds, new) in self.grouped:
                phrases, grouped = self.grouped[(olds, new)]
                named = "、".join(f"“{p}”" for p in phrases)
                out.append(f"注意：{old}还作为{named}中的单位负责任务 {_listed(grouped)}，“{new}”不在其中。"
                           f"设了上述别名，这些任务即由“{new}”负责；如“{new}”是新设的单位，请在“单位名录”中"
                           f"核对它的类别后再导入一次本表，它才计入{named}，否则这些任务不向它下发，通报也不列它。")
        return out

    def _task_lines(self) -> list[str]:
        counts = [f"未变 {len(self.kept)} 项"]
        if self.moved:
            counts.append(f"改了编号 {len(self.moved)} 项（{_listed([f'{a}→{b}' for a, b in self.moved.items()])}）")
        for word, ids in (("内容或完成时限有修改", self.edited), ("新增", self.added), ("删除", self.deleted)):
            if ids:
                counts.append(f"{word} {len(ids)} 项（{_listed(ids)}）")
        out = [f"与原任务分工表相比：{'；'.join(counts)}。"]
        if self.past:
            months = "、".join(p.label for p in self.past)
            out.append(f"已下发填报表的{months}不受影响：仍按当月下发的填报表核定，汇总表和通报沿用当月的任务、编号和分工；"
                       "改了编号的任务，预填和历次进展随任务计入新编号。")
        if self.current and (self.moved or self.edited or self.deleted):
            months = "、".join(p.label for p in self.current)
            out.append(f"注意：{months}的填报表按原任务分工表下发，其后的填报表尚未下发：在下发下一期填报表之前，"
                       f"重新收取或汇总{months}将按新的任务分工表核对，改了编号、修改或删除的任务会与填报表不一致；"
                       f"下一期填报表下发后，{months}即按当月下发的填报表核定。")
        return out


def revision_of(ws: Workspace, before: Master | None, after: Master) -> Revision | None:
    """``after`` (just imported) against ``before`` (the master it replaced), when the
    workspace has issued forms: None otherwise (nothing issued, nothing to keep apart)."""
    if before is None or not ws.ledger_path.exists():
        return None
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        issued = ledger.issued_periods()
        past = [p for p in issued if judged_by_forms(ledger, p, ledger.units_received(p), after)]
    if not issued:
        return None
    return compared(before, after, past, [p for p in issued if p not in past])


def compared(before: Master, after: Master, past: list[Period], current: list[Period]) -> Revision:
    """The tasks of ``after`` against ``before``'s (`renumbered`), for `Revision`. A task
    moved to another number whose 完成时限 changed too is said under both: listed as moved
    alone, the import never told the office its deadline moved."""
    ids = renumbered(before.tasks, after.tasks)
    out = Revision(past=past, current=current)
    for t in before.tasks:
        now = after.task(ids.get(t.id, ""))
        if now is None:
            out.deleted.append(t.id)
        elif now.id != t.id:
            out.moved[t.id] = now.id
            if due_moved(t, now):  # its heading is another section's: only the date is news
                out.edited.append(now.id)
        else:
            (out.edited if task_edited(t, now) else out.kept).append(t.id)
    taken = set(ids.values())
    out.added = [t.id for t in after.tasks if t.id not in taken]
    out.handed = handed_over(before, after, ids)
    out.grouped = still_grouped(after, out.handed)
    return out


def handed_over(before: Master, after: Master, ids: dict[str, str]) -> dict[tuple[tuple[str, ...], str], list[str]]:
    """Units of ``before`` taken off tasks that a unit ``before``'s 单位名录 does not know holds
    in ``after`` (``ids``: `renumbered`): (the old units, the new one) → the new ids. What a
    rename or merger in the revised table looks like; the import only adds the new name to
    单位名录, so a return on the old name's form then had those rows set aside (W210) and the
    new name stood 本期未下发 on them, silently (QA302)."""
    moves: dict[str, dict[str, set[str]]] = {}  # new unit → new id → the old units it took it from
    for t in before.tasks:
        now = ids.get(t.id)
        if now is None:
            continue
        then_units = {before.directory.resolve(u) or u for u in before.units_of(t.id)}
        now_units = {after.directory.resolve(u) or u for u in after.units_of(now)}
        # an old unit the new 单位名录 (``--directory``) already makes another's alias went nowhere:
        # the rename is recorded, and asking for it again was a false alarm (QA388)
        gone = {u for u in then_units if (after.directory.resolve(u) or u) not in now_units}
        fresh = [u for u in after.units_of(now) if before.directory.resolve(u) is None and u not in then_units]
        for new in fresh if gone else []:
            moves.setdefault(new, {}).setdefault(now, set()).update(gone)
    # A unit the revised table still names, taken off a task beside one it names no more (东莞市税务局
    # off 6.2 as 市卫生健康局 became 市卫生健康委员会), is no old name of the new unit: made its alias
    # and its row deleted, as the line asks, its other tasks went too (QA307). Named alone, it is
    # said (a rename the drafter missed in some rows).
    named = {after.directory.resolve(a.unit) or a.unit for a in after.assignments if a.source == EXPLICIT}
    order = after.task_order
    out: dict[tuple[tuple[str, ...], str], list[str]] = {}
    for new, by_task in moves.items():
        olds = set().union(*by_task.values())
        olds = (olds - named) or olds
        out[(tuple(sorted(olds)), new)] = sorted((i for i, gone in by_task.items() if gone & olds),
                                                 key=lambda i: order.get(i, len(order)))
    return out


def still_grouped(after: Master, handed: dict[tuple[tuple[str, ...], str], list[str]]
                  ) -> dict[tuple[tuple[str, ...], str], tuple[list[str], list[str]]]:
    """Of each `handed` pair, the group phrases of ``after`` (市各有关部门) whose expansion holds
    the old units and not the new one, and the tasks they stand for. Groups expand against the
    单位名录 as it was before the import (`master.grammar.expand_assignments`), which did not know
    the new unit: unless the old name is made its alias, the new unit owed nothing on them,
    silently, and the old one everything (QA306)."""
    out: dict[tuple[tuple[str, ...], str], tuple[list[str], list[str]]] = {}
    order = after.task_order
    for (olds, new) in handed:
        its = {a.task for a in after.assignments if a.unit == new}
        via = [a for a in after.assignments if a.unit in olds and a.source != EXPLICIT and a.task not in its]
        if via:
            out[(olds, new)] = (list(dict.fromkeys(a.source for a in via)),
                                sorted({a.task for a in via}, key=lambda i: order.get(i, len(order))))
    return out


def _listed(items: list[str]) -> str:
    """Task ids for a line, the first `MOST_NAMED`, then 等."""
    return "、".join(items[:MOST_NAMED]) + ("等" if len(items) > MOST_NAMED else "")
