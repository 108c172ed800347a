"""Files that are no return, from a unit whose return of the month was taken: 无需处理.

A unit's return is accepted; beside it, or days later on their own, it mails its 佐证材料: the
stamped PDF, a scan, photos (zipped or not), a Word 说明. None of them is a return and none asks
anything of the office: refused in red with "请直接报送下发的 Excel 填报表…不要转成 PDF", `collect`
and `run` exited 1 and 校验问题 listed them as errors under a unit standing 按时 (QA345). So is
a refused file sent in one mail or archive with the unit's accepted return (the blank form an
Outlook reply carries back, QA209): the accepted one is what the unit meant.

Such a file is still archived and recorded (收件登记, its outcome in the ledger unchanged); it is
said in plain words instead of as a refusal, is no 校验问题, and asks no reply (`owed.answered`
already answers the unit about its form). Not set aside: anything from a unit with no accepted
return of the month (a PDF alone still makes it 退回待改, with a reply asking for the form), and
any spreadsheet sent on its own, a form or not (E105): it may be a correction, and is judged as
one (a town typing its progress into its own table meant it as its return).

The office's own files coming back (`office_copies`: a form as issued, the files of its own mail
an automatic reply or a bounce returns) are 重复 in the ledger, no unit's return: 收件登记 says
不计入 and why, and the mail that brought them 自动回复 or 退信 (QA373).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .office_copies import AUTO, AUTO_REPLY, BOUNCE, BOUNCED, COPY
from .sniff import DOCUMENT_EXTS
from .vocab import Outcome

if TYPE_CHECKING:
    from .ledger import Receipt
    from .period import Period
    from .report import Issue

REFUSED = (Outcome.RETURNED, Outcome.UNREADABLE)
TAKEN = (Outcome.ACCEPTED, Outcome.SUPERSEDED)  # a return of the month taken (a later one may replace it)

#: 收件登记 结果 of a file set aside (the ledger keeps its outcome: 无法读取, 退回)
NOTHING_TO_DO = "无需处理"
#: 收件登记 and 校验问题 结果 of a W206 file the office said was not its unit's (`disputed`,
#: ``sender --not-theirs``): no unit's return; the ledger keeps 采纳, which stood beside its unit's
#: 未报送 and put that unit in the 通报's list of units that copied last month's text (QA360)
NOT_COUNTED = "不计入"

#: why, by kind: the screen's words (after the file and its unit) and 收件登记's (after its 来源)
CARRIED, DOCUMENT = "carried", "document"
#: the office's own file back (`office_copies`), the automatic reply and the bounce that carry it:
#: `office_copies.COPY`, `AUTO`, `BOUNCED`, as ``receipts.office`` records them
#: 收件登记 结果 by kind
WORDS = {CARRIED: NOTHING_TO_DO, DOCUMENT: NOTHING_TO_DO, COPY: NOT_COUNTED, AUTO: AUTO_REPLY, BOUNCED: BOUNCE}
SAID = {
    CARRIED: "与本单位已采纳的填报表同在一封邮件或压缩包中报来（如盖章扫描件、未填写的原表），已登记",
    DOCUMENT: "不是填报表（如佐证材料、盖章扫描件、照片、Word 说明），本单位本期已报送并采纳，已登记",
}
NOTES = {
    CARRIED: "与本单位已采纳的填报表同在一封邮件或压缩包中报来，单位本期已报送并采纳，无需处理",
    DOCUMENT: "佐证材料/非填报表，单位本期已报送并采纳，无需处理",
}


def is_document(name: str, outcome: str, issues: Iterable[Issue]) -> bool:
    """A document that could not be read (a stamped PDF, a scan, a photo, a Word 说明), not a
    spreadsheet: a copy of the unit's form or a note beside it, no return of its own. A
    spreadsheet the office cannot read (an .et with no readable workbook, a broken .xlsx, a
    table not the form: E105) is a return that failed."""
    return document_named(name, outcome) and {i.code for i in issues if i.is_error} == {"E103"}


def document_named(name: str, outcome: str) -> bool:
    """`is_document` before its issues are read (the ledger reads them one query a file)."""
    return outcome == Outcome.UNREADABLE and Path(name).suffix.lower() in DOCUMENT_EXTS


def of_run(tops, reported: Callable[[str, Period], bool], period: Period) -> dict[int, str]:
    """Of a collect's inputs (``tops``, `unpack.Item` trees, recorded and with the outcomes the
    ledger gives them now), the receipt id of each file set aside and why (`CARRIED`,
    `DOCUMENT`). ``reported(unit, period)``: whether the unit, by any of its names, has a return
    of the period taken, in the ledger (this run's included); ``period``: the run's, for a file
    of no period."""
    out: dict[int, str] = {}
    for top in tops:
        taken = {(d.report.unit, d.report.period) for d in top.walk() if d.outcome in TAKEN
                 and d.report is not None and d.report.unit}
        for it in top.walk():
            unit = it.report.unit if it.report else it.unit
            if it.outcome not in REFUSED or not unit or it.receipt_id is None:
                continue
            filed = (it.report.period if it.report else it.period) or period
            issues = [*(it.report.issues if it.report else []), *it.issues]
            if (unit, filed) in taken:
                out[it.receipt_id] = CARRIED
            elif is_document(it.name, it.outcome, issues) and reported(unit, filed):
                out[it.receipt_id] = DOCUMENT
    return out


def of_month(received: dict[str, list[Receipt]], receipts: list[Receipt],
             issues_by: dict[int, list[Issue]]) -> dict[int, str]:
    """`of_run` as the ledger tells it for a month's 汇总表: ``received`` each unit's
    receipts of the month (under its name in the month), ``receipts`` the month's with the
    mails and archives that carried them, ``issues_by`` their issues. Whatever order they came
    in: a PDF that came before the form asks nothing once the form is taken."""
    parent = {r.id: r.parent_id for r in receipts}

    def root(rid: int) -> int:
        while parent.get(rid) is not None:
            rid = parent[rid]
        return rid

    out: dict[int, str] = {r.id: kind for r in receipts if (kind := office_kind(r))}
    for recs in received.values():
        roots = {root(r.id) for r in recs if r.outcome in TAKEN}
        if not roots:
            continue
        for r in recs:
            if r.outcome not in REFUSED or r.id in out:
                continue
            if root(r.id) in roots:
                out[r.id] = CARRIED
            elif is_document(r.name, r.outcome, issues_by.get(r.id, ())):
                out[r.id] = DOCUMENT
    return out


def office_kind(rec: Receipt) -> str:
    """`COPY`, `AUTO` or `BOUNCED` for a receipt `office_copies` marked (``receipts.office``), else ''."""
    if rec.office == COPY and rec.outcome == Outcome.DUPLICATE:
        return COPY
    return rec.office if rec.office in (AUTO, BOUNCED) and rec.outcome == Outcome.CONTAINER else ""


def _why(rec: Receipt, kind: str) -> str:
    """What 收件登记 adds after a set-aside receipt's 来源."""
    if kind in NOTES:
        return NOTES[kind]
    if kind == COPY:
        return rec.note
    return rec.note[rec.note.rfind("；" + WORDS[kind]) + 1:]  # the last: a unit's subject comes first


def issue_rows(receipts: list[Receipt], issues_by: dict[int, list[Issue]], aside: dict[int, str],
               merged: frozenset[int] = frozenset(), gone: frozenset[int] = frozenset()) -> list[dict]:
    """校验问题's rows: each issue of the month's receipts, but none of a file set aside (``aside``,
    `of_month`): no problem of a unit that did all it was asked (its row said 错误 and 无法读取
    under a unit standing 按时). A return ``merged`` is 采纳 whatever the ledger's outcome, and keeps
    no W205: the file that superseded it was said not its unit's (`Ledger.accepted`), and its row said
    已被替代 beside 收件登记's 采纳 (QA356's note). A file ``gone`` (said not its unit's) is `NOT_COUNTED`."""
    def outcome(rec: Receipt) -> str:
        return Outcome.ACCEPTED if rec.id in merged else NOT_COUNTED if rec.id in gone else rec.outcome

    return [{"unit": rec.unit or "", "file": rec.name, "sheet": i.sheet, "cell": i.cell, "code": i.code,
             "severity": i.severity, "message": i.message, "outcome": outcome(rec), "task": i.task}
            for rec in receipts if rec.id not in aside for i in issues_by.get(rec.id, [])
            if not (rec.id in merged and i.code == "W205")]


def register_marked(receipts: list[Receipt], aside: dict[int, str]) -> list[Receipt]:
    """``receipts`` as 收件登记 shows them: a file set aside reads 无需处理 (the office's own file
    back 不计入, the mail that brought it 自动回复 or 退信), and why after its 来源."""
    import dataclasses

    return [dataclasses.replace(r, outcome=WORDS[aside[r.id]], source=f"{r.source}；{_why(r, aside[r.id])}")
            if r.id in aside else r for r in receipts]
