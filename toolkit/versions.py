"""Two versions of one unit's return carried together (one archive, one mail): which is meant.

Carried together they share the carrier's time, and `Ledger.resolve_superseded` keeps, of
returns received at one time, the one recorded last: the order of the archive, which says
nothing. 石龙镇.zip listed 石龙镇6月报表(修改).xlsx before 石龙镇6月报表.xlsx, and the
unrevised one went into the 汇总表 with nobody asked (QA263). The rule stays that one; only the
order the versions are recorded in is chosen: the one its name says is final or revised, else
the newer by the archive's own entry date (no evidence of when a file was sent, `TimeSource.CARRIER`,
but it orders two saves of one return), else the last, and the office is asked.

The question is a W212 on the return kept, in the ledger: said on collect's screen, and again
by status, merge, memo and run (`version_notes`, `Consolidation.office_notes`; exit 1) while that
return is its unit's accepted one for the month. A return the unit sends since supersedes it
and answers the question (QA269: said once on collect's screen, it was lost with the window).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .ledger import Ledger, Receipt
from .report import Issue, make_issue
from .sniff import ARCHIVE_KINDS
from .text import LazyPattern
from .vocab import Outcome

if TYPE_CHECKING:  # `consolidate` imports `kept_versions`: status must not load unpack (zipfile, hashlib)
    from .unpack import Item

#: what a department writes in a file's name to say it replaces another: 石龙镇6月报表(修改),
#: …-最终版, …（定稿）, …_修订; compiled on first use (`LazyPattern`): status never uses it
_MARKED = LazyPattern(r"修改|修订|更正|最终|终稿|终版|定稿|最新|新版|正式版|改后|调整后")


def _meant(versions: list[Item]) -> Item | None:
    """The version its name marks (the only one so marked), else the one of the newest entry
    date (the only one so dated); None when neither tells."""
    marked = [v for v in versions if _MARKED.search(Path(v.name).stem)]
    if len(marked) == 1:
        return marked[0]
    times = [v.entry_time for v in versions]
    if all(times):
        newest = max(t for t in times if t)
        if times.count(newest) == 1:
            return versions[times.index(newest)]
    return None


def order_versions(tops: Iterable[Item]) -> list[tuple[str, str]]:
    """Record last, of a unit's accepted returns for one period carried together at one time,
    the one meant (`_meant`): children are recorded in order. The questions (file name,
    message) where nothing tells which is meant: the last in the carrier stays. A version the
    unit sent again on its own in this same run, after the carrier, tells (`_sent_alone`)."""
    tops = list(tops)
    asked = []
    for top in tops:
        for box in top.walk():
            if box.outcome != Outcome.CONTAINER:
                continue
            groups: dict[tuple, list[Item]] = {}
            for c in box.children:
                rep = c.report
                if rep is not None and c.outcome == Outcome.ACCEPTED and rep.unit and rep.period:
                    groups.setdefault((rep.unit, rep.period, c.received_at), []).append(c)
            for (unit, period, _), versions in groups.items():
                if len(versions) < 2:
                    continue
                meant = _meant(versions) or _sent_alone(tops, box, versions)
                if meant is not None:
                    box.children.remove(meant)
                    box.children.append(meant)
                    continue
                archive = box.kind in ("zip", *ARCHIVE_KINDS)
                kept = versions[-1]
                issue = make_issue(
                    "W212", file=kept.name, unit=unit, period=period.label, count=len(versions), kept=kept.name,
                    where=f"压缩包“{box.name}”" if archive else f"邮件“{box.subject or '（无主题）'}”",
                    how="文件名和压缩包内的时间都" if archive else "文件名",
                    names="".join(f"“{v.name}”" for v in versions))
                kept.issues.append(issue)  # on the one kept: asked while it stands (`kept_versions`)
                asked.append((kept.name, issue.message))
    return asked


def _sent_alone(tops: list[Item], box: Item, versions: list[Item]) -> Item | None:
    """Of ``versions`` (carried together in ``box``), the one whose very bytes came again on
    their own in this run after it (in ``tops``: 重复 of the copy read first, whichever that
    was), as `unless_answer` takes the same re-send a later run collects: the unit's answer. Not
    a copy inside ``box``, nor in an input carrying another version too (re-zipped), nor in a
    mail or archive around ``box`` sent again (its bytes, a mail's Message-ID). None when no
    version, or more than one at the latest time, came so."""
    shas = {v.sha256: v for v in versions}
    box_top = next(t for t in tops if t is box or _carriers(t, box))
    around = [*_carriers(box_top, box), box]  # the two versions' mail or archive and whatever carried it
    from .mail import message_id  # collect's only: status loads this module, and needs no mail

    ids = {message_id(c.data) for c in around if c.kind == "eml" and c.data} - {""}
    boxed = {c.sha256 for c in around}
    at = versions[0].received_at
    alone: list[Item] = []
    for top in tops:
        for d in top.walk():
            if d.sha256 not in shas or d.received_at <= at or any(d is c for c in box.children):
                continue
            if any(x.sha256 in shas and x.sha256 != d.sha256 for x in top.walk()):
                continue  # the input carries another version too: the pair sent again
            carriers = _carriers(top, d)
            if any(c.sha256 in boxed or (ids and c.kind == "eml" and c.data and message_id(c.data) in ids)
                   for c in carriers):
                continue  # inside the same archive or mail, taken twice
            alone.append(d)
    latest = max((d.received_at for d in alone), default=None)
    meant = {shas[d.sha256].sha256 for d in alone if d.received_at == latest}
    return shas[meant.pop()] if len(meant) == 1 else None


def kept_versions(accepted: dict[str, Receipt], issues: dict[int, list[Issue]]) -> list[tuple[Receipt, str]]:
    """The W212 questions on the returns of ``accepted`` (unit → its accepted return of the
    month; ``issues``: theirs, by receipt): each receipt with its message. One superseded since
    (the unit sent the one meant) is not among them."""
    return [(rec, i.message) for rec in accepted.values() for i in issues[rec.id] if i.code == "W212"]


def version_notes(cons) -> list[str]:
    """A 请核实 line per question of ``cons.versions`` (`Consolidation`), as collect said it."""
    return [f"请核实：{rec.name}：{message}" for rec, message in cons.versions]


def unless_answer(ledger: Ledger, root: Path, top: Item, it: Item, earlier: list[Receipt]) -> list[Receipt]:
    """The ledger copies that make ``it`` (in ``top``, an input of this run) a duplicate (W204):
    none when they are a version set aside in a W212 choice (`order_versions`) whose kept one
    still stands, and ``it`` came on its own: ``top`` does not carry the kept one too, and no mail
    or archive around ``it`` is one that carried the two versions, by its bytes or, a mail, by
    its Message-ID. Checked as a new file, it is the unit's latest return: kept, and the
    question answered (module doc)."""
    if not earlier or any(r.outcome not in (Outcome.SUPERSEDED, Outcome.DUPLICATE) for r in earlier):
        return earlier
    kept = {r.parent_id: k for r in earlier if r.outcome == Outcome.SUPERSEDED
            and (k := _asked_between(ledger, r)) is not None}
    standing = {k.sha256 for k in kept.values()}
    if not kept or any(d.sha256 in standing for d in top.walk()):
        return earlier  # the two versions sent together again (re-zipped) tell no more than before
    from .mail import message_id  # collect's only: status loads this module, and needs no mail

    around = _carriers(top, it)
    shas = {c.sha256 for c in around}
    ids = {message_id(c.data) for c in around if c.kind == "eml" and c.data} - {""}
    for box in kept:
        rec = ledger.get(box) if box is not None else None
        while rec is not None:  # the W212 archive or mail and whatever carried it
            if rec.sha256 in shas or (ids and rec.kind == "eml" and message_id(_archived(root, rec)) in ids):
                return earlier
            rec = ledger.get(rec.parent_id) if rec.parent_id is not None else None
    return []


def _asked_between(ledger: Ledger, set_aside: Receipt) -> Receipt | None:
    """The return that kept ``set_aside`` (已被替代) out in a W212 choice and still stands for its
    unit and month: one of its own carrier, accepted, asked about; else None. Once the unit sent
    another return since, that one supersedes both and the old bytes are old."""
    kept = ledger.get(set_aside.superseded_by) if set_aside.superseded_by is not None else None
    if (kept is not None and set_aside.parent_id is not None and kept.parent_id == set_aside.parent_id
            and kept.outcome == Outcome.ACCEPTED and (kept.unit, kept.period) == (set_aside.unit, set_aside.period)
            and any(i.code == "W212" for i in ledger.issues_of(kept.id))):
        return kept
    return None


def _carriers(top: Item, it: Item) -> list[Item]:
    """The mails and archives around ``it`` in ``top``, outermost first ([] for ``top`` itself)."""
    def path(node: Item) -> list[Item] | None:
        if node is it:
            return []
        for child in node.children:
            found = path(child)
            if found is not None:
                return [node, *found]
        return None

    return path(top) or []


def _archived(root: Path, rec: Receipt) -> bytes:
    """The head of a recorded mail's archived bytes (b"" when it cannot be read)."""
    try:
        with open(root / rec.archive_path, "rb") as f:
            return f.read(1 << 16)
    except OSError:
        return b""
