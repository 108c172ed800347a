"""The reply to the unit a W206 file named, once the office said the file was not its registered
unit's (``sender --not-theirs``): the file is that unit's refused return (`misfiled`, QA405), and
a refused return with a unit gets a reply (DESIGN.md's attribution rule). 石排镇, whose text came
on 石碣镇's form, stood 未报送 and then 逾期 with nothing ever sent to it.

The reply is the ordinary 校验反馈 (`feedback.write_feedback`): 石排镇's own form rebuilt with what
its rows of the same tasks said, and one error naming the file and what to do, asked back by the
correction date consolidate judges it by (three working days from the answer's day, never before
the due date). It is recorded against the file (``drafts.receipt_id``), so `mail send feedback`
sends it (it holds back only a reply to the registered unit about the file), and taking the answer
back (``--undo``, ``--theirs``) retires it. A later good return of 石排镇 retires it as any reply.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import owed
from .drafts import retire_drafts, write_draft
from .ledger import Draft, Ledger
from .misfiled import misfiled, refusal
from .report import Report
from .vocab import UnitState

if TYPE_CHECKING:
    from .consolidate import Consolidation
    from .master import Master
    from .office_cases import Disputed
    from .workspace import Workspace

def write_reply(ws: Workspace, ledger: Ledger, master: Master, d: Disputed) -> Path | None:
    """Write and record the reply to ``d.other`` about ``d``'s file; the .eml written, or None
    when the archived file is not there to rebuild from (the verdict stands; `feedback` says why
    in the log)."""
    # deferred: the reply's workbook and mail (openpyxl, email) only when an answer needs one
    from .feedback import write_feedback

    rec = d.receipt
    if rec is None or not rec.archive_path or rec.period is None:
        return None
    try:
        data = (ws.root / rec.archive_path).read_bytes()
    except OSError:
        return None
    # its one error, as 校验问题 lists it: the W206 warning collect said is the registered unit's word
    report = Report(rec.name, rec.kind, d.other, rec.period, rec.identified_by, issues=[refusal(d)])
    sender = _to(owed.sender_of(ws, ledger, rec, *owed.mailboxes(ws, master)), master, d.other)
    paths = write_feedback(ws, master, report, data, rec.name, sender)
    eml = next(p for p in paths if p.suffix == ".eml")
    names = master.directory.names_of(d.other) or (d.other,)
    rel = eml.relative_to(ws.root).as_posix()
    _retire(ws, ledger, d, lambda x: x.path != rel, "已被新的回复替代")  # one written on an earlier day
    write_draft(ws, ledger, kind="feedback", period=rec.period, unit=d.other, path=eml, eml=eml.read_bytes(),
                receipt_id=rec.id, names=names)
    return eml


def _to(sender: str, master: Master, unit: str) -> str:
    """The mail's sender to write the reply to, or '' (the reply then goes to ``unit``'s 单位名录
    address): not an address 单位名录 gives another unit. A file registered by its name or _meta
    as 石碣镇's may have come from 石碣镇's own mailbox; "石排镇：贵单位…" went To 石碣镇 (QA410)."""
    from .evidence import address_index, unit_of_address  # deferred: as `write_reply`'s, for an answer alone

    owner = unit_of_address(sender, address_index(master.directory)) if sender else None
    return sender if owner in (None, unit) else ""


def retire_reply(ws: Workspace, ledger: Ledger, d: Disputed) -> None:
    """Retire the reply `write_reply` wrote about ``d``'s file (none other of its unit): the answer
    that made it was taken back."""
    _retire(ws, ledger, d, lambda _: True, "督办部门已撤销“不是其报送”的核实结果")


def standing_reply(ws: Workspace, ledger: Ledger, cons: Consolidation, unit: str) -> Path | None:
    """Write again the reply to ``unit`` about the file of `misfiled` it still stands 退回待改 on
    (``cons``: the month after an answer was taken back) when no live reply about that file is left;
    the .eml written, else None. Two files named 石排镇: the second answer's reply replaced the first's
    (`drafts.write_draft`), and taking that answer back retired it: 石排镇 stood 退回待改 on the first
    with no reply to send, nothing that would write one (QA409)."""
    d = unreplied(ledger, cons, unit)
    return write_reply(ws, ledger, cons.master, d) if d is not None else None


def unreplied(ledger: Ledger, cons: Consolidation, unit: str) -> Disputed | None:
    """The file of `misfiled` ``unit`` stands 退回待改 on in ``cons`` with no live reply about it, else
    None: its reply taken back with another answer (`standing_reply`), or never written (the answer's
    write failed: disk full, no permission), for `reply_renew.renew` to write."""
    u = next((u for u in cons.units if u.unit == unit), None)
    if u is None or u.state != UnitState.TO_FIX:
        return None
    d = next((d for d in misfiled(cons.disputed, [unit]).values()
              if d.other == unit and d.receipt is not None and d.receipt.name == u.file), None)
    if d is None or d.receipt is None or d.receipt.period is None:
        return None
    if any(x.receipt_id == d.receipt.id and x.unit == unit for x in ledger.drafts("feedback", d.receipt.period)):
        return None  # its reply stands
    return d


def _retire(ws: Workspace, ledger: Ledger, d: Disputed, which: Callable[[Draft], bool], reason: str) -> None:
    """Retire the live replies to ``d.other`` about ``d``'s file that ``which`` picks, their workbooks removed."""
    if d.receipt is None or d.receipt.period is None:
        return
    mine = [x for x in ledger.drafts("feedback", d.receipt.period)
            if x.receipt_id == d.receipt.id and x.unit == d.other and which(x)]
    for x in mine:
        with contextlib.suppress(OSError):
            (ws.root / x.path).with_suffix(".xlsx").unlink()
    retire_drafts(ws, ledger, mine, reason)


def named_reply(cons, draft: Draft) -> Disputed | None:
    """The W206 answer ``draft`` (a 反馈) is the `write_reply` of, in ``cons`` (`consolidate`), or None:
    `reply_renew` writes it again by `write_reply`, not as a reply to the file's registered unit."""
    return next((d for d in cons.disputed if d.receipt is not None and d.receipt.id == draft.receipt_id
                 and not d.theirs and d.other == draft.unit != d.unit), None)
