"""The ledger (收件登记): every file received, what became of it, its rows and issues.

SQLite in ``.duban/ledger.sqlite3``. Each inbox input is committed in one transaction
with all its children (attachments, zip entries), so a crash leaves either all of it or
none of it; `collect` re-runs what is missing. Periods are `Period` objects everywhere
else; this module alone turns them into text (``2022-06``) and back.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..master.model import Master, Task, plain_task
from ..period import Period
from ..record import record
from ..report import Issue, Previous, Report, Row, make_issue
from ..vocab import Outcome, TimeSource
from .answers import DISOWNED, answered_now, disowned_files
from .connect import migrate, open_readonly, open_writable
from .issued import IssuedRecords, plan_order

if TYPE_CHECKING:  # made where drafts are read (`draft` says why)
    from .draft import Draft

ACCEPTED, SUPERSEDED = Outcome.ACCEPTED, Outcome.SUPERSEDED

#: Of a unit's files received at the same moment (one mail: the form and a scanned PDF of
#: it), the one that says where the unit stands: a form read and accepted, then one read and
#: sent back, then one that could not be read (the PDF beside an accepted form is no refusal).
_STANDING = {ACCEPTED: 2, SUPERSEDED: 2, Outcome.RETURNED: 1}


@functools.total_ordering
class ReturnOrder:
    """Where a unit's file stands among its returns (``max`` is the latest). `returns_of`, and
    through it `owed.answered` (every reply: this run's, a stopped run's, owed ones), go by it,
    so a reply is always about the return the unit's state comes from.

    By the day received; on one day by the time, unless either time is a day the office
    stated (``collect --received``: midnight, not a time of day); then files of one mail or
    archive by `_STANDING`, any others by the order collected. Not `_STANDING` across
    collections: a correction collected later with the same stated day is the later file.
    """

    __slots__ = ("day", "id", "parent", "standing", "stated", "time")

    def __init__(self, received_at: str, how: str, parent_id: int | None, outcome: str, receipt_id: int | None):
        self.day, self.time = (received_at or "")[:10], (received_at or "")[:19]
        self.stated, self.parent = how == TimeSource.STATED, parent_id
        self.standing, self.id = _STANDING.get(outcome, 0), receipt_id or 0

    @classmethod
    def of(cls, rec: Receipt) -> ReturnOrder:
        return cls(rec.received_at, rec.received_how, rec.parent_id, rec.outcome, rec.id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReturnOrder) and not self < other and not other < self

    def __hash__(self) -> int:
        return hash(self.id)

    def __lt__(self, other: ReturnOrder) -> bool:
        if self.day != other.day:
            return self.day < other.day
        if not (self.stated or other.stated) and self.time != other.time:
            return self.time < other.time
        if self.parent is not None and self.parent == other.parent and self.standing != other.standing:
            return self.standing < other.standing
        return self.id < other.id


def now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


DRAFT_KINDS = ("issue", "feedback", "remind")


@record(eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class Receipt:
    """One ledger row: a file received, its provenance and outcome."""

    id: int
    parent_id: int | None
    sha256: str
    name: str
    kind: str
    source: str
    received_at: str
    collected_at: str
    archive_path: str
    size: int
    period: Period | None
    unit: str | None
    outcome: str
    errors: int
    warnings: int
    identified_by: str
    contact: dict[str, str]
    superseded_by: int | None
    note: str
    inbox_path: str | None = None
    received_how: str = ""          # a `TimeSource`: where received_at came from
    run_id: int | None = None       # the collect that recorded it: the runs order replies
    office: str = ""                # the office's own file or automatic mail back (`office_copies.COPY` …)
    bounced: str = ""               # a bounce's JSON (`office_copies.record_office`), '' none

    def __init__(self, id: int, parent_id: int | None, sha256: str, name: str, kind: str, source: str, received_at: str,
                 collected_at: str, archive_path: str, size: int, period: Period | None, unit: str | None, outcome: str,
                 errors: int, warnings: int, identified_by: str, contact: dict[str, str], superseded_by: int | None,
                 note: str, inbox_path: str | None = None, received_how: str = "", run_id: int | None = None,
                 office: str = "", bounced: str = "") -> None:
        self.id = id
        self.parent_id = parent_id
        self.sha256 = sha256
        self.name = name
        self.kind = kind
        self.source = source
        self.received_at = received_at
        self.collected_at = collected_at
        self.archive_path = archive_path
        self.size = size
        self.period = period
        self.unit = unit
        self.outcome = outcome
        self.errors = errors
        self.warnings = warnings
        self.identified_by = identified_by
        self.contact = contact
        self.superseded_by = superseded_by
        self.note = note
        self.inbox_path = inbox_path
        self.received_how = received_how
        self.run_id = run_id
        self.office = office
        self.bounced = bounced

    @property
    def received(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.received_at)


_RECEIPT_COLUMNS = ("id", "parent_id", "sha256", "name", "kind", "source", "received_at",
                    "collected_at", "archive_path", "size", "period", "unit", "outcome", "errors",
                    "warnings", "identified_by", "contact", "superseded_by", "note", "inbox_path",
                    "received_how", "run_id", "office", "bounced")


def _issue(row: sqlite3.Row) -> Issue:
    """An issue as the ledger keeps it (its file is its receipt's)."""
    return Issue(row["code"], row["severity"], row["message"], "", row["sheet"], row["cell"], row["task"])


def _receipt(row: sqlite3.Row) -> Receipt:
    # one pass, not 22 `sqlite3.Row` look-ups by name: 2.1 M of status's 517 M instructions (callgrind)
    d = dict(zip(row.keys(), row))
    d = {k: d[k] for k in _RECEIPT_COLUMNS}
    d["contact"] = json.loads(d["contact"] or "{}")
    d["period"] = Period.parse(d["period"]) if d["period"] else None
    return Receipt(**d)


def _latest(row: sqlite3.Row) -> tuple[str, int]:
    """The order `resolve_superseded` keeps a unit's returns by: received, then recorded."""
    return row["received_at"], row["id"]


def _standing(rows: list[sqlite3.Row], gone: frozenset[int],
              order: Callable[[sqlite3.Row], Any] = lambda row: row["id"]) -> Receipt | None:
    """Of one unit's accepted and superseded returns of a month (``rows``), the one that stands:
    its accepted one (the last by ``order``), unless the office said it was not the unit's
    (``gone``: `answers.DISOWNED`); then the latest of the unit's own that it had superseded,
    accepted again (collect's W205 on it stays: the ledger is not rewritten by an answer)."""
    own = [r for r in rows if r["id"] not in gone]
    if accepted := [r for r in own if r["outcome"] == ACCEPTED]:
        return _receipt(max(accepted, key=order))
    back = [r for r in own if r["superseded_by"] in gone]
    if not back:
        return None
    rec = _receipt(max(back, key=_latest))
    # its W205, counted among its warnings when the file superseded it, is no longer so: 报送情况's
    # 警告数 said one more than 校验问题 lists (QA360's note)
    rec.outcome, rec.superseded_by, rec.warnings = ACCEPTED, None, max(0, rec.warnings - 1)
    return rec


def _text(period: Period | None) -> str | None:
    return str(period) if period is not None else None


class Ledger(IssuedRecords):
    """Connection to the ledger database; use as a context manager."""

    def __init__(self, path: Path, readonly: bool = False):
        """Open (and create or upgrade) the ledger; ``readonly`` never writes to the disk.

        A read-only ledger on an old schema is upgraded in memory, so reading commands
        work on a write-protected workspace.
        """
        self.path = Path(path)
        self.readonly = readonly
        if readonly:
            self.conn = open_readonly(self.path)
        else:
            self.conn = open_writable(self.path)
        self.conn.row_factory = sqlite3.Row
        migrate(self.conn, None if readonly else self.path)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # ---- transactions ----
    def transaction(self):
        return _Transaction(self.conn)

    # ---- runs ----
    def start_run(self, command: str) -> int:
        cur = self.conn.execute("INSERT INTO runs(command, started_at) VALUES (?, ?)", (command, now()))
        return int(cur.lastrowid)

    def unfinished_runs(self, command: str, before: int) -> list[int]:
        """Ids of earlier runs of ``command`` that never finished (killed, power cut)."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM runs WHERE finished_at IS NULL AND id < ? AND command LIKE ? ORDER BY id",
            (before, command + "%"))]

    def receipts_of_run(self, run_id: int) -> list[Receipt]:
        return [_receipt(r) for r in self.conn.execute(
            "SELECT * FROM receipts WHERE run_id=? ORDER BY id", (run_id,))]

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        self.conn.execute("UPDATE runs SET finished_at=?, summary=? WHERE id=?",
                          (now(), json.dumps(summary, ensure_ascii=False), run_id))

    # ---- receipts ----
    def insert(self, *, sha256: str, name: str, kind: str, source: str, received_at: str,
               archive_path: str, size: int, outcome: str, report: Report | None = None,
               parent_id: int | None = None, inbox_path: str | None = None,
               run_id: int | None = None, note: str = "", issues: list[Issue] | None = None,
               received_how: str = "", unit: str | None = None, period: Period | None = None,
               identified_by: str = "") -> int:
        """Insert one receipt with its rows and issues (inside the caller's transaction).

        ``unit``, ``period`` and ``identified_by`` attribute a file that has no report (a
        refused, duplicate or unreadable file); a report's own attribution wins."""
        issues = list(issues if issues is not None else (report.issues if report else []))
        errors = sum(i.is_error for i in issues)
        if report:
            unit, period, identified_by = report.unit, report.period, report.identified_by
        cur = self.conn.execute(
            "INSERT INTO receipts(parent_id, sha256, name, kind, source, inbox_path, received_at,"
            " collected_at, run_id, archive_path, size, period, unit, outcome, errors, warnings,"
            " identified_by, fingerprint, contact, note, received_how)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (parent_id, sha256, name, kind, source, inbox_path, received_at, now(), run_id,
             archive_path, size, _text(period), unit,
             outcome, errors, len(issues) - errors, identified_by,
             report.fingerprint if report else "",
             json.dumps(report.contact if report else {}, ensure_ascii=False), note, received_how))
        rid = int(cur.lastrowid)
        if report:
            self.conn.executemany(
                "INSERT INTO rows VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(rid, r.task, r.role, r.status, r.progress, r.work, r.problems, r.next_plan,
                  r.eta.isoformat() if r.eta else None, r.evidence, r.row) for r in report.rows])
        self.add_issues(rid, issues)
        return rid

    def add_issues(self, receipt_id: int, issues: list[Issue]) -> None:
        self.conn.executemany(
            "INSERT INTO issues VALUES (?,?,?,?,?,?,?)",
            [(receipt_id, i.code, i.severity, i.sheet, i.cell, i.task, i.message) for i in issues])

    def find_sha(self, sha256: str) -> list[Receipt]:
        return [_receipt(r) for r in self.conn.execute(
            "SELECT * FROM receipts WHERE sha256=? ORDER BY id", (sha256,))]

    def sizes(self) -> set[int]:
        """The byte sizes of every receipt: a file of another size has no receipt's content."""
        return {size for size, in self.conn.execute("SELECT DISTINCT size FROM receipts")}

    def uncleared(self, inbox_path: str, sha256: str) -> Receipt | None:
        """A receipt committed for this inbox file whose removal from the inbox never happened."""
        row = self.conn.execute(
            "SELECT * FROM receipts WHERE inbox_path=? AND sha256=? AND cleared=0 AND parent_id IS NULL"
            " ORDER BY id DESC LIMIT 1", (inbox_path, sha256)).fetchone()
        return _receipt(row) if row else None

    def uncleared_all(self) -> list[Receipt]:
        """Inbox files recorded but not yet noted as removed from the inbox."""
        return [_receipt(r) for r in self.conn.execute(
            "SELECT * FROM receipts WHERE cleared=0 AND parent_id IS NULL AND inbox_path IS NOT NULL"
            " ORDER BY id")]

    def mark_cleared(self, *receipt_ids: int) -> None:
        """Note that these inbox files are gone from the inbox (one transaction)."""
        if not receipt_ids:
            return
        with self.transaction():
            self.conn.executemany("UPDATE receipts SET cleared=1 WHERE id=?", [(i,) for i in receipt_ids])

    def receipts(self, period: Period | None = None, top_level: bool | None = None, office: str = "") -> list[Receipt]:
        """The receipts (of ``period``: its files and the mails that carried them), in order; ``office``:
        only the office's own mail back of that kind (``receipts.office``, `office_copies.record_office`)."""
        sql = "SELECT * FROM receipts"
        where, args = (["office=?"], [office]) if office else ([], [])
        if period is not None:
            where.append("(period=? OR id IN (SELECT parent_id FROM receipts WHERE period=?))")
            args += [str(period), str(period)]
        if top_level is not None:
            where.append("parent_id IS NULL" if top_level else "parent_id IS NOT NULL")
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_receipt(r) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def get(self, receipt_id: int) -> Receipt | None:
        row = self.conn.execute("SELECT * FROM receipts WHERE id=?", (receipt_id,)).fetchone()
        return _receipt(row) if row else None

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM receipts").fetchone()[0])

    def rows_of(self, receipt_id: int) -> list[Row]:
        return [Row(r["task"], r["role"], r["status"], r["progress"], r["work"], r["problems"],
                    r["next_plan"], dt.date.fromisoformat(r["eta"]) if r["eta"] else None,
                    r["evidence"], r["row"])
                for r in self.conn.execute("SELECT * FROM rows WHERE receipt_id=? ORDER BY rowid",
                                           (receipt_id,))]

    def rows_of_many(self, receipt_ids: list[int], texts: bool = True) -> dict[int, list[Row]]:
        """Each receipt's rows. ``texts`` False leaves the four free texts (work, problems,
        next_plan, evidence) empty, unread: what a unit's state needs is its rows' task, role,
        status and progress, and reading the texts was 3.7 M of `duban status`'s 352 M
        instructions (callgrind, W1: 788 rows)."""
        out: dict[int, list[Row]] = {i: [] for i in receipt_ids}
        said = "work, problems, next_plan, eta, evidence" if texts else "'', '', '', eta, ''"
        for chunk in _chunks(receipt_ids, 500):
            marks = ",".join("?" * len(chunk))
            cursor = self.conn.execute(
                f"SELECT receipt_id, task, role, status, progress, {said}, row"
                f" FROM rows WHERE receipt_id IN ({marks}) ORDER BY receipt_id, rowid", chunk)
            cursor.row_factory = None  # tuples: by name, 8.1 M of status's 525 M instructions (callgrind)
            for receipt, task, role, status, progress, work, problems, next_plan, eta, evidence, row in cursor:
                out[receipt].append(Row(task, role, status, progress, work, problems, next_plan,
                                        dt.date.fromisoformat(eta) if eta else None, evidence, row))
        return out

    def issues_of(self, receipt_id: int) -> list[Issue]:
        return [_issue(r) for r in self.conn.execute("SELECT * FROM issues WHERE receipt_id=? ORDER BY rowid",
                                           (receipt_id,))]

    def issues_of_many(self, receipt_ids: list[int]) -> dict[int, list[Issue]]:
        out: dict[int, list[Issue]] = {i: [] for i in receipt_ids}
        for chunk in _chunks(receipt_ids, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                    f"SELECT * FROM issues WHERE receipt_id IN ({marks}) ORDER BY receipt_id, rowid", chunk):
                out[r["receipt_id"]].append(_issue(r))
        return out

    def with_issue(self, code: str) -> list[tuple[Receipt, Issue]]:
        """Every receipt carrying an issue of ``code``, with that issue, oldest first."""
        return [(_receipt(r), _issue(r)) for r in self.conn.execute(
                    "SELECT receipts.*, issues.code, issues.severity, issues.message, issues.sheet, issues.cell,"
                    " issues.task FROM issues JOIN receipts ON receipts.id = issues.receipt_id"
                    " WHERE issues.code=? ORDER BY receipts.id", (code,))]

    def has_mail_too_big(self) -> bool:
        """Whether `fetch` recorded a mail too big to download (`too_big.too_big_rows` reads them)."""
        try:  # `ledger.mail_records.TOO_BIG`, not imported: status reads no mail record (QA171)
            return self.conn.execute("SELECT 1 FROM mail_fetched WHERE state='too_big' LIMIT 1").fetchone() is not None
        except sqlite3.OperationalError:  # a ledger without the mailbox's tables: no mailbox
            return False

    def periods(self) -> list[Period]:
        return [Period.parse(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT period FROM receipts WHERE period IS NOT NULL ORDER BY period")]

    def accepted(self, period: Period) -> dict[str, Receipt]:
        """The one accepted (latest) return per unit for ``period``; of a unit whose accepted one
        the office said was not its own (`answers.DISOWNED`), its own latest one before (`_standing`)."""
        gone = disowned_files(self.conn)
        if gone:
            by_unit: dict[str, list[sqlite3.Row]] = {}
            for r in self.conn.execute("SELECT * FROM receipts WHERE period=? AND outcome IN (?,?) AND unit IS NOT"
                                       " NULL ORDER BY id", (str(period), ACCEPTED, SUPERSEDED)):
                by_unit.setdefault(r["unit"], []).append(r)
            return {u: rec for u, rows in by_unit.items() if (rec := _standing(rows, gone)) is not None}
        out: dict[str, Receipt] = {}
        for r in self.conn.execute(
                "SELECT * FROM receipts WHERE period=? AND outcome=? AND unit IS NOT NULL ORDER BY id",
                (str(period), ACCEPTED)):
            out[r["unit"]] = _receipt(r)
        return out

    def reported(self, names: tuple[str, ...] | list[str], period: Period) -> bool:
        """Whether a unit, under any of its ``names``, has an accepted return of ``period`` (the
        one merged, or one a later return superseded): a month it reported."""
        marks = ",".join("?" * len(names))
        return self.conn.execute(
            f"SELECT 1 FROM receipts WHERE unit IN ({marks}) AND period=? AND outcome IN (?,?)"
            f" AND id NOT IN ({DISOWNED}) LIMIT 1", (*names, str(period), ACCEPTED, SUPERSEDED)).fetchone() is not None

    def last_accepted_before(self, unit: str, period: Period, aliases: tuple[str, ...] = ()
                             ) -> Receipt | None:
        """The unit's latest accepted return of a period before ``period``; ``aliases``: the
        names the unit had before a rename (its 单位名录 aliases), under which it may be kept."""
        names = (unit, *aliases)
        marks = ",".join("?" * len(names))
        if gone := disowned_files(self.conn):  # a month whose accepted one was not the unit's: its own before
            by_month: dict[str, list[sqlite3.Row]] = {}
            for r in self.conn.execute(f"SELECT * FROM receipts WHERE unit IN ({marks}) AND period<? AND outcome"
                                       " IN (?,?) ORDER BY id", (*names, str(period), ACCEPTED, SUPERSEDED)):
                by_month.setdefault(r["period"], []).append(r)
            return next((rec for p in sorted(by_month, reverse=True)
                         if (rec := _standing(by_month[p], gone, _latest)) is not None), None)
        row = self.conn.execute(
            f"SELECT * FROM receipts WHERE unit IN ({marks}) AND period<? AND outcome=?"
            " ORDER BY period DESC, received_at DESC, id DESC LIMIT 1", (*names, str(period), ACCEPTED)).fetchone()
        return _receipt(row) if row else None

    def previous_progress(self, unit: str, period: Period, aliases: tuple[str, ...] = (),
                          ids: Callable[[Period], dict[str, str]] | None = None) -> dict[str, Previous]:
        """Each task as reported in the unit's latest accepted return of an earlier period
        (progress for W606, texts for W608); ``ids``: that period's task ids → the ids the
        same tasks have in ``period`` (a revised plan renumbers: `master.model.renumbered`)."""
        before = self.last_accepted_before(unit, period, aliases)
        if before is None:
            return {}
        label = before.period.label if before.period else ""
        rows = {r.task: Previous(r.progress, label, r.status, r.work, r.next_plan) for r in self.rows_of(before.id)}
        if ids is None or before.period is None:
            return rows
        carried = ids(before.period)
        return {carried[tid]: then for tid, then in rows.items() if tid in carried}

    def resolve_superseded(self, unit: str, period: Period) -> list[int]:
        """Keep only the latest received accepted return of a unit and period.

        Earlier ones become 已被替代 and get W205. Returns ids newly superseded. A file the office
        said was not the unit's (`answers.DISOWNED`) is never the one kept while the unit has its
        own: its own return sent before and fetched after the answer was said 已被替代 by it (QA360).
        """
        rows = self.conn.execute(
            "SELECT * FROM receipts WHERE unit=? AND period=? AND outcome IN (?, ?)"
            " ORDER BY received_at, id", (unit, str(period), ACCEPTED, SUPERSEDED)).fetchall()
        if not rows:
            return []
        gone = disowned_files(self.conn)
        latest = next((r for r in reversed(rows) if r["id"] not in gone), rows[-1])
        changed = []
        for r in rows:
            if r["id"] != latest["id"] and (r["outcome"] == ACCEPTED or r["superseded_by"] != latest["id"]):
                when = latest["received_at"][:16]
                self.conn.execute(
                    "UPDATE receipts SET outcome=?, superseded_by=?, warnings=warnings+? WHERE id=?",
                    (SUPERSEDED, latest["id"], 1 if r["outcome"] == ACCEPTED else 0, r["id"]))
                if r["outcome"] == ACCEPTED:
                    self.add_issues(r["id"], [make_issue("W205", file=r["name"], when=when)])
                changed.append(r["id"])
        if latest["outcome"] != ACCEPTED:  # taken again: its W205 (已被替代) is no longer so
            dropped = self.conn.execute("DELETE FROM issues WHERE receipt_id=? AND code='W205'",
                                        (latest["id"],)).rowcount
            self.conn.execute("UPDATE receipts SET outcome=?, superseded_by=NULL, warnings=max(warnings-?, 0)"
                              " WHERE id=?", (ACCEPTED, dropped, latest["id"]))
        return changed

    def units_received(self, period: Period) -> dict[str, list[Receipt]]:
        out: dict[str, list[Receipt]] = {}
        for r in self.conn.execute(
                "SELECT * FROM receipts WHERE period=? AND unit IS NOT NULL ORDER BY received_at, id",
                (str(period),)):
            out.setdefault(r["unit"], []).append(_receipt(r))
        return out

    # ---- what was issued ----
    def record_issued(self, period: Period, unit: str, fingerprint: str, tasks: list[str],
                      due: dt.date | None = None, roles: dict[str, str] | None = None,
                      exempt: bool = False, named: bool = False, project: str | None = None) -> None:
        """Remember the tasks in the unit's form, the master it was made from, the deadline
        printed on it and the unit's role on each task (``roles``: task id → 牵头/配合), so a
        month merged again after 责任分工 changed names the leads its forms named. ``exempt``:
        no form went out, the unit's tasks all being done (`exempt_units`); what it would have
        carried is kept all the same, so the month keeps the unit on its tasks.

        A form printed again from the same master with an earlier ``due`` keeps the later date
        recorded: the unit was told it, and `issued_dues` is what it is judged by (`issue` prints
        that later date on the new form too: `actions.issue.issue_returns`; this is the guard).
        It keeps when that form first went out too (`issued_at`, `issued_first_of`): issued
        again, the form was not first asked for then; and when the unit was last given it anew
        (``changed_at``, `drafts.Superseded`): printed again the same, unasked by name (``named``:
        ``issue --dept``), as when every form is issued again to fill in one unit's 邮箱, it
        was given nothing new and the 催报 written before it stands (QA364). ``project``: the
        name printed on it, the month's name (`issued_project`) whatever duban.toml says later."""
        given = self.conn.execute("SELECT due, COALESCE(first_issued_at, issued_at), exempt, tasks, roles,"
                                  " COALESCE(changed_at, issued_at) FROM issued WHERE period=? AND unit=?"
                                  " AND fingerprint=?", (str(period), unit, fingerprint)).fetchone()
        # a date only a record of the unit exempt carried was told to nobody (`issued_dues`)
        if given and given[0] and not given[2] and (due is None or dt.date.fromisoformat(given[0]) > due):
            due = dt.date.fromisoformat(given[0])
        at = now()
        # a unit exempt until now (no form went out) is first asked by this form; the earlier
        # of the two otherwise, whatever the machine's clock said at either
        first = min(given[1], at) if given and (exempt or not given[2]) else at
        tasks_text = json.dumps(tasks, ensure_ascii=False)
        roles_text = None if roles is None else json.dumps({t: str(r) for t, r in roles.items()}, ensure_ascii=False)
        same = (given is not None and not named and given[:3:2] == (due.isoformat() if due else None, int(exempt))
                and given[3:5] == (tasks_text, roles_text))
        self.conn.execute(
            "INSERT OR REPLACE INTO issued (period, unit, fingerprint, tasks, issued_at, first_issued_at, due, roles,"
            " exempt, changed_at, project) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (str(period), unit, fingerprint, tasks_text, at, first, due.isoformat() if due else None, roles_text,
             int(exempt), min(given[5], at) if same else at, project))

    def record_issued_texts(self, period: Period, tasks: Iterable[Task], kept: Iterable[str] = (),
                            plan: Master | None = None) -> None:
        """Remember the tasks as ``period``'s forms printed them (the latest issue's where two
        differ): a task deleted from 任务清单 afterwards is still its month's, and a month merged
        again shows it as its forms did (`issued_month.as_issued`). A task in ``kept`` keeps
        the texts already recorded, if any: forms not issued again still print them. ``plan``:
        the master they were made from, whose order of tasks and of each task's units the month
        keeps (`issued_order_of`)."""
        self.__dict__.pop("_texts_of", None)  # `issued_texts_of` reads them again
        kept = set(kept)
        seq, units = plan_order(plan)
        rows = [(t.id in kept, (str(period), t.id, json.dumps(plain_task(t), ensure_ascii=False), seq.get(t.id),
                                json.dumps(units[t.id], ensure_ascii=False) if t.id in units else None)) for t in tasks]
        for verb, keep in (("REPLACE", False), ("IGNORE", True)):
            self.conn.executemany(f"INSERT OR {verb} INTO issued_texts (period, task, texts, seq, units)"
                                  " VALUES (?,?,?,?,?)", [row for k, row in rows if k == keep])

    # ---- mail drafts ----
    def record_draft(self, *, kind: str, period: Period, unit: str, path: str, sha256: str,
                     message_id: str, receipt_id: int | None = None, replaces: bool = True,
                     recipients: list[str] | None = None) -> int:
        """Record a draft just written (``recipients``: the addresses it was written to);
        earlier live drafts of the same kind, period and unit become obsolete ("replaced")
        when ``replaces``."""
        assert kind in DRAFT_KINDS, kind
        with self.transaction():
            if replaces:
                self.conn.execute(
                    "UPDATE drafts SET obsolete_at=?, obsolete_reason=? WHERE kind=? AND period=? AND unit=?"
                    " AND obsolete_at IS NULL AND path<>?", (now(), "已被新的草稿替代", kind, str(period), unit, path))
                self.conn.execute(
                    "UPDATE drafts SET obsolete_at=?, obsolete_reason=? WHERE path=? AND obsolete_at IS NULL",
                    (now(), "同名草稿已重新生成", path))
            return self._insert_draft(kind, period, unit, path, sha256, message_id, receipt_id, recipients)

    def renumber_drafts(self, new: list[tuple[Draft, str, str, list[str]]], reason: str) -> list[Draft]:
        """Each (draft, Message-ID, sha256, recipients) recorded as the draft under that
        Message-ID, the old record obsolete, in one transaction: a `mail send --resend`
        stopped at any time leaves every draft it names renumbered, or none."""
        with self.transaction():
            self.conn.executemany("UPDATE drafts SET obsolete_at=?, obsolete_reason=? WHERE id=?",
                                  [(now(), reason, d.id) for d, *_ in new])
            ids = [self._insert_draft(d.kind, d.period, d.unit, d.path, sha, mid, d.receipt_id, to)
                   for d, mid, sha, to in new]
        from .draft import from_row  # deferred: `draft` says why

        return [from_row(self.conn.execute("SELECT * FROM drafts WHERE id=?", (i,)).fetchone()) for i in ids]

    def _insert_draft(self, kind: str, period: Period, unit: str, path: str, sha256: str, message_id: str,
                      receipt_id: int | None, recipients: list[str] | None) -> int:
        return int(self.conn.execute(
            "INSERT INTO drafts(kind, period, unit, path, sha256, message_id, receipt_id, created_at, recipients)"
            " VALUES (?,?,?,?,?,?,?,?,?)", (kind, str(period), unit, path, sha256, message_id, receipt_id, now(),
                                             None if recipients is None else json.dumps(recipients))).lastrowid)

    def drafts(self, kind: str, period: Period, live_only: bool = True) -> list[Draft]:
        """Drafts of a kind for a period, oldest first; by default only those not obsolete."""
        sql = "SELECT * FROM drafts WHERE kind=? AND period=?" + (" AND obsolete_at IS NULL" if live_only else "")
        rows = self.conn.execute(sql + " ORDER BY id", (kind, str(period))).fetchall()
        if not rows:  # status asks for the month's replies (`on_time.replied_on`), most months none
            return []
        from .draft import from_row  # deferred: `draft` says why

        return [from_row(r) for r in rows]

    def obsolete_drafts(self, ids: list[int], reason: str) -> None:
        """Mark drafts obsolete (a later return answered them, or the unit has reported)."""
        if ids:
            with self.transaction():
                self.conn.executemany("UPDATE drafts SET obsolete_at=?, obsolete_reason=? WHERE id=?"
                                      " AND obsolete_at IS NULL", [(now(), reason, i) for i in ids])

    # ---- work owed ----
    def owe(self, kind: str, receipt_id: int, reason: str) -> None:
        """Note that ``kind`` work (feedback) for a receipt could not be done; a later run
        does it. One open entry per receipt and kind: a second failure updates the reason."""
        with self.transaction():
            cur = self.conn.execute("UPDATE owed SET reason=? WHERE kind=? AND receipt_id=? AND done_at IS NULL",
                                    (reason, kind, receipt_id))
            if cur.rowcount == 0:
                self.conn.execute("INSERT INTO owed(kind, receipt_id, reason, created_at) VALUES (?,?,?,?)",
                                  (kind, receipt_id, reason, now()))

    def owed(self, kind: str) -> list[tuple[int, str]]:
        """(receipt id, reason) of the ``kind`` work still owed, oldest first."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT receipt_id, reason FROM owed WHERE kind=? AND done_at IS NULL ORDER BY id", (kind,))]

    def settle(self, kind: str, *receipt_ids: int) -> None:
        """The owed ``kind`` work for these receipts is done (or no longer wanted)."""
        if receipt_ids:
            with self.transaction():
                self.conn.executemany("UPDATE owed SET done_at=? WHERE kind=? AND receipt_id=? AND done_at IS NULL",
                                      [(now(), kind, i) for i in receipt_ids])

    # ---- the office's answers about a sender (`senders`) ----
    def check_sender(self, receipt_id: int, theirs: bool | None) -> None:
        """Record whether the return ``receipt_id``, from an address no unit has, was its
        unit's (``theirs``); None takes the answer back."""
        with self.transaction():
            if theirs is None:
                self.conn.execute("DELETE FROM sender_checks WHERE receipt_id=?", (receipt_id,))
            else:
                self.conn.execute("INSERT OR REPLACE INTO sender_checks(receipt_id, theirs, checked_at)"
                                  " VALUES (?,?,?)", (receipt_id, int(theirs), answered_now()))

    def sender_checks(self, period: Period) -> list[tuple[Receipt, bool, str]]:
        """(receipt, its unit's own?, when answered) of each answer about a return of ``period``."""
        return [(_receipt(r), bool(r["theirs"]), r["checked_at"]) for r in self.conn.execute(
            "SELECT receipts.*, theirs, checked_at FROM sender_checks JOIN receipts ON receipts.id=receipt_id"
            " WHERE period=? ORDER BY receipt_id", (str(period),))]

    def returns_of(self, unit: str, period: Period, aliases: tuple[str, ...] = ()) -> list[Receipt]:
        """The unit's returns for ``period``, the latest last by `ReturnOrder` (a file collected
        late but sent earlier is not the latest), whatever their outcome, but not a file sent
        again (重复: not checked again, no reply of its own, so the reply about its first copy,
        or the one owed, stays the one that answers the unit), nor a mail or archive (已拆包).
        ``aliases``: the unit's other names, under which its earlier files may be recorded."""
        names = (unit, *aliases)
        rows = self.conn.execute(f"SELECT * FROM receipts WHERE unit IN ({','.join('?' * len(names))})"
                                 f" AND period=? AND outcome NOT IN (?,?) AND id NOT IN ({DISOWNED})",
                                 (*names, str(period), Outcome.DUPLICATE, Outcome.CONTAINER)).fetchall()
        return sorted((_receipt(r) for r in rows), key=ReturnOrder.of)

    def latest_return_id(self, unit: str, period: Period, aliases: tuple[str, ...] = ()) -> int | None:
        """Id of the unit's last recorded return for ``period`` (`returns_of`)."""
        returns = self.returns_of(unit, period, aliases)
        return returns[-1].id if returns else None


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, *rest) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def _chunks(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]
