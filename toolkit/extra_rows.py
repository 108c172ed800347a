"""Rows of a return's table that are no task's: a second line of a task's text, a 合计 row, a note.

A unit unprotects the sheet and inserts a row under a task to go on writing its 工作进展 (a cell
of Excel's holds one line for someone who does not know Alt+Enter), adds a 合计 row under the
table, or types a remark a few rows below it. Each was E401 “任务编号“（空白）”不在任务清单中” and
refused the whole return, and the reply, rebuilt from the task list, dropped what the unit had
written there without a word (QA372). Now, before the rows are judged (`sort_extra_rows`, by
`checks` and by `feedback`, so the reply holds what the check read):

- a row without a task id right under a task's row (or under such a row), holding text only
  (工作进展, 存在问题, 下一步计划, 佐证材料), is that task's text going on: joined to the same
  cells of the task above, on a line of its own, and said (W407) with the text taken, so the
  office sees it before it reaches the 汇总表 and the unit sees it in a reply;
- a 合计/小计/平均 row, and a row of text apart from the table (a blank row between), are
  nobody's report: left out and said (W408) with the row and what it held;
- a row without a task id that holds a 完成状态, 完成进度 or 预计完成时间 cannot be joined (two
  figures for one task): E406 names the row and the cells, and the reply keeps it, marked
  (`feedback`), so nothing the unit wrote is lost.

Lines with nothing where a task is reported (填表说明、签字、a 备注 in column A) are notes, as
`merged_rows.is_note` says, and stay so; rows under a merge are `merged_rows`' to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .merged_rows import is_note
from .report import Issue, make_issue
from .returns import EDITABLE, HEADER_OF, TEXT_FIELDS, RawReturn, RawRow, task_id_text
from .typed_values import cell_text, quoted, says_nothing

#: what heads a totals row, in any of its cells (合计：, 总 计)
_TOTAL = re.compile(r"(合计|小计|总计|共计|汇总|平均|平均值|均值)[:：]?")
#: what opens a form's sign-off or a remark typed under the table, in whatever column: a 填报人 line,
#: 以上情况属实, 审核人：李四 under the last task were joined into its 工作进展 and 佐证材料 (QA375)
_SIGN_OFF = re.compile(r"(填报人|填表人|联系人|联系电话|电话|审核人|审核|签字|签发|签名|负责人|分管领导|主要领导"
                       r"|填报日期)[:：]|^以上.{0,8}(属实|真实|无误)|^此页无正文")
#: a task id as `merged_rows.is_note` tells one: a task's row, never a note or a total
_ID = re.compile(r"[\d.]+")
#: the codes of this module: their messages name a row of the unit's file (`feedback` says so)
EXTRA_ROW_CODES = ("E406", "W407", "W408")
#: the cells a row reports figures in: two of them cannot be one task's
_FIGURES = tuple(f for f in EDITABLE if f not in TEXT_FIELDS)


@dataclass(frozen=True)
class Extra:
    """One row taken out of the table: ``kind`` joined (W407, into ``into``), left out (W408) or
    refused (E406: `feedback` puts it back in the reply)."""

    kind: str
    row: RawRow
    issue: Issue
    into: RawRow | None = None


def is_total(values: dict[str, Any]) -> bool:
    """A 合计 row: one of its cells says so and nothing else."""
    return any(_TOTAL.fullmatch("".join(cell_text(v).split())) for v in values.values() if isinstance(v, str))


def _filled(rr: RawRow, fields: tuple[str, ...]) -> list[str]:
    # a "/" or 同上 in a row of its own adds nothing to a task, and is no figure to refuse
    return [f for f in fields if (text := cell_text(rr.values.get(f))) and not says_nothing(text)]


def _names(fields: list[str], heads: dict[str, str]) -> str:
    return "".join(f"“{heads.get(f, f)}”" for f in fields)


def sort_extra_rows(raw: RawReturn, heads: dict[str, str] = HEADER_OF, at: dict[str, str] | None = None
                    ) -> list[Extra]:
    """Take the rows that are no task's out of ``raw.rows``, a task's second line joined into its
    row's values, and say each (`Extra.issue`). ``heads``: the form's headers, for the messages."""
    at = at or {"file": raw.file, "sheet": raw.sheet}
    merged = {rr.row for m in raw.merges for rr in m.rows}
    extras: list[Extra] = []
    kept: list[RawRow] = []
    owner: RawRow | None = None  # the task row the row above belongs to, if any
    previous = 0
    for rr in raw.rows:
        tid = task_id_text(rr.values.get("task"))
        touching, previous = rr.row == previous + 1, rr.row
        numbered = _ID.fullmatch(tid) is not None
        if numbered or rr.row in merged or is_note(tid, rr.values, EDITABLE):
            # a task's row (the rows of a merge are `merged_rows`' to judge) or a note
            owner = rr if numbered or (rr.row in merged and tid) else None
            kept.append(rr)
            continue
        if is_total(rr.values):
            shown = "、".join(quoted(cell_text(v), 20) for v in rr.values.values() if cell_text(v))
            extras.append(Extra("left", rr, make_issue("W408", cell=rr.cell("task") or f"A{rr.row}", row=rr.row,
                                                       what="是合计行，不是任务行", text=shown, **at)))
            owner = None
            continue
        if tid:
            owner = rr
            kept.append(rr)
            continue
        texts, figures = _filled(rr, TEXT_FIELDS), _filled(rr, _FIGURES)
        typed = [f for f in EDITABLE if cell_text(rr.values.get(f))]
        first = rr.cell((figures or texts or typed)[0])
        if figures:
            advice = (f"请把内容写进任务 {task_id_text(owner.values.get('task'))} 的同一格" if owner and touching
                      else "如是某项任务的内容，请写进该任务的同一格")
            extras.append(Extra("refused", rr, make_issue(
                "E406", cell=first, row=rr.row, fields=_names(figures + texts, heads), advice=advice, **at)))
            owner = None
            continue
        signed = any(_SIGN_OFF.search("".join(cell_text(rr.values.get(f)).split())) for f in texts)
        if owner is None or not touching or not texts or signed:
            what = ("没有任务编号，只写了“/”“无”一类内容" if not texts else
                    "没有任务编号，与上面的任务行之间隔有空行" if not touching else
                    "没有任务编号，上面也不是任务行" if owner is None else "像是落款或说明，不是任务内容")
            shown = "；".join(f"{rr.cell(f)}“{quoted(cell_text(rr.values[f]), 40)}”" for f in texts or typed)
            extras.append(Extra("left", rr, make_issue("W408", cell=first, row=rr.row, what=what, text=shown, **at)))
            owner = None
            continue
        shown = "；".join(f"{heads.get(f, f)}“{quoted(cell_text(rr.values[f]), 40)}”" for f in texts)
        for f in texts:
            before = cell_text(owner.values.get(f))
            owner.values[f] = f"{before}\n{cell_text(rr.values[f])}" if before else rr.values[f]
        task = task_id_text(owner.values.get("task"))
        extras.append(Extra("joined", rr, make_issue("W407", cell=first, row=rr.row, text=shown,
                                                     **dict(at, task=task)), owner))
    raw.rows[:] = kept
    return extras


def row_number(ref: str) -> int:
    """The row of an A1 reference, 0 for none (``第 6 行`` and "" name no cell)."""
    digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() and digits != ref else 0
