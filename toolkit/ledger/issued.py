"""What the ledger says was issued (table ``issued``, ``issued_texts``): the readers `Ledger`
takes from `IssuedRecords`; the writers (`Ledger.record_issued`) stay with the ledger's clock.

``issued_at`` of a row is when its form was last issued (a re-issue replaces the row: the
latest issue decides exemption and roles); ``first_issued_at`` when it first went out (the
time rules that ask whether the month's forms were out go by, `Ledger.issued_at`), NULL for
a form recorded before version 10, whose earlier issues were not kept: its ``issued_at``;
``changed_at`` when the unit was last given it anew (`Ledger.record_issued`: not a form printed
again the same), read by `drafts.Superseded` (version 21; earlier issues each counted anew).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter

from ..master.model import Master, Task, task_of_plain
from ..period import Period


def common_due(dues: dict[str, dt.date], undated: int = 0) -> dt.date | None:
    """The deadline most units' forms carry (``dues``: `Ledger.issued_dues`), the later on a
    tie; None when none was recorded, or when more units' forms recorded none (``undated``:
    `Ledger.undated_units`, forms issued before ledger version 6, which printed duban.toml's
    due_day): one unit's --due given after an upgrade was everyone's deadline (QA243)."""
    counts = Counter(dues.values())
    best = max(counts, key=lambda d: (counts[d], d)) if counts else None
    return None if best is None or undated > counts[best] else best


def plan_order(plan: Master | None) -> tuple[dict[str, int], dict[str, list[str]]]:
    """``plan``'s order, as `Ledger.record_issued_texts` keeps it for a month's forms: each
    task's place, each task's units in the plan's order (empty: no plan given)."""
    units: dict[str, list[str]] = {}
    for a in plan.assignments if plan is not None else ():
        units.setdefault(a.task, []).append(a.unit)
    return ({t.id: i for i, t in enumerate(plan.tasks)} if plan is not None else {}), units


class IssuedRecords:
    """The readers of what each period's forms were: mixed into `Ledger` (``conn``)."""

    conn: sqlite3.Connection

    def issued_due(self, period: Period) -> dt.date | None:
        """The deadline the forms of ``period`` were issued with: the one most units' forms
        carry, the later on a tie (None: none recorded). One unit's form issued again with
        ``--due`` moves that unit's deadline (`issued_dues`), not everyone's."""
        return common_due(self.issued_dues(period), len(self.undated_units(period)))

    def undated_units(self, period: Period) -> set[str]:
        """The units issued a form of ``period`` that recorded no deadline, and none that did
        (a ledger older than version 6: the form printed duban.toml's due_day)."""
        return {r[0] for r in self.conn.execute(
            "SELECT unit FROM issued WHERE period=? AND exempt=0 GROUP BY unit HAVING MAX(due) IS NULL",
            (str(period),))}

    def issued_dues(self, period: Period) -> dict[str, dt.date]:
        """Per unit, the latest deadline a form of ``period`` was issued to it with. Not the
        date a record of the unit exempt carries: no form went out, nobody was told it
        (市残联, exempt, then asked after all with an earlier --due, was held to the later one)."""
        return {r[0]: dt.date.fromisoformat(r[1]) for r in self.conn.execute(
            "SELECT unit, MAX(due) FROM issued WHERE period=? AND due IS NOT NULL AND exempt=0 GROUP BY unit",
            (str(period),))}

    def issued_units(self, period: Period) -> set[str]:
        """The units a form of ``period`` was issued to (empty: none recorded, as in a ledger
        older than version 4)."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT unit FROM issued WHERE period=?",
                                                (str(period),))}

    def issued_units_by_master(self, period: Period) -> dict[str, dict[str, tuple[str, str]]]:
        """Master fingerprint → unit → (issued_at, task ids as JSON, read only for a merger) of
        ``period``'s forms made from it: two names on forms of one master were two units of it
        (`issued_month.kept_apart`, asked for every month a merge shows)."""
        out: dict[str, dict[str, tuple[str, str]]] = {}
        for fp, unit, at, tasks in self.conn.execute(
                "SELECT fingerprint, unit, issued_at, tasks FROM issued WHERE period=?", (str(period),)):
            out.setdefault(fp, {})[unit] = (at, tasks)
        return out

    def exempt_units(self, period: Period) -> set[str]:
        """The units exempt for ``period`` (`UnitState.EXEMPT`): the latest issue of the month
        that dealt with the unit sent it no form. An office that asks it again afterwards
        (``issue --dept … --no-skip-done``) makes it owe the month; one that exempts it after
        a form went out takes the form back."""
        latest = {r[0]: r[1] for r in self.conn.execute(
            "SELECT unit, exempt FROM issued WHERE period=? ORDER BY issued_at, rowid", (str(period),))}
        return {unit for unit, exempt in latest.items() if exempt}

    def issued_periods(self) -> list[Period]:
        return [Period.parse(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT period FROM issued ORDER BY period")]

    def issued_at(self, period: Period) -> dt.datetime | None:
        """When ``period``'s forms first went out (None: none recorded). Not moved by a form
        issued again: a file sent between the first issue and a re-issue was sent when the
        month's forms were out, and a verdict that hung on it would change after the fact."""
        row = self.conn.execute("SELECT MIN(COALESCE(first_issued_at, issued_at)) FROM issued WHERE period=?",
                                (str(period),)).fetchone()
        return dt.datetime.fromisoformat(row[0]) if row and row[0] else None

    def first_return_at(self, period: Period, besides: int) -> str | None:
        """When the earliest return of ``period`` other than receipt ``besides`` was received
        (the ledger's text, machine-local), None with none: a return of the month received
        before its issue was recorded says the forms were out by then (`received.issue_day`)."""
        return self.conn.execute("SELECT MIN(received_at) FROM receipts WHERE period=? AND unit IS NOT NULL"
                                 " AND id<>?", (str(period), besides)).fetchone()[0]

    def issued_first_of(self, period: Period) -> dict[str, dt.datetime]:
        """Per name a form of ``period`` went to, when its first form went out (`issued_at`
        per unit; not a record of the unit exempt, which sent it none): a unit issued the
        month later than the others (``issue --dept``) was asked from then."""
        return {r[0]: dt.datetime.fromisoformat(r[1]) for r in self.conn.execute(
            "SELECT unit, MIN(COALESCE(first_issued_at, issued_at)) FROM issued WHERE period=? AND exempt=0"
            " GROUP BY unit", (str(period),))}

    def issued_fingerprints(self, period: Period) -> set[str]:
        """The fingerprints of the masters ``period``'s forms were made from."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT fingerprint FROM issued WHERE period=?",
                                                (str(period),))}

    def issued_tasks_of(self, period: Period) -> dict[str, set[str]]:
        """Per unit, the task ids in the forms of ``period`` issued to it (all its forms: a
        re-issue from a newer master adds tasks). Empty: none recorded (a ledger older than
        version 4)."""
        out: dict[str, set[str]] = {}
        for r in self.conn.execute("SELECT unit, tasks FROM issued WHERE period=?", (str(period),)):
            out.setdefault(r[0], set()).update(json.loads(r[1]))
        return out

    def issued_roles_of(self, period: Period) -> dict[str, dict[str, str]]:
        """Per unit, its role (牵头/配合) on each task of its forms of ``period``, the latest
        form's where two differ (a form issued again from a newer master is what the unit
        was last told). A unit whose forms recorded no role (issued before version 7) is
        absent: its roles are not known."""
        out: dict[str, dict[str, str]] = {}
        for r in self.conn.execute("SELECT unit, roles FROM issued WHERE period=? AND roles IS NOT NULL"
                                   " ORDER BY issued_at, rowid", (str(period),)):
            out.setdefault(r[0], {}).update(json.loads(r[1]))
        return out

    def issued_texts_of(self, period: Period) -> dict[str, Task]:
        """Task id → the task as ``period``'s forms printed it; empty for forms issued before
        version 8. Kept for the connection until texts are recorded again
        (`Ledger.record_issued_texts`): a merge reads each earlier month's two or three times
        (as_issued, the month's numbering, renumbered_since), ~1 ms of JSON a month (W3)."""
        kept = self.__dict__.setdefault("_texts_of", {})
        if period not in kept:
            kept[period] = {r[0]: task_of_plain(json.loads(r[1])) for r in self.conn.execute(
                "SELECT task, texts FROM issued_texts WHERE period=?", (str(period),))}
        return dict(kept[period])

    def issued_order_of(self, period: Period) -> tuple[dict[str, int], dict[str, list[str]]]:
        """``period``'s forms' plan order (`plan_order`): task id → its place in the plan they
        were made from, and → its units in that plan's order (under the names they had then);
        a task recorded before version 25 is in neither. A month merged again after a revised
        plan lists as its forms did: 5-2 after 5, not after 10 (QA386)."""
        places, units = {}, {}
        for task, seq, names in self.conn.execute(
                "SELECT task, seq, units FROM issued_texts WHERE period=?", (str(period),)):
            if seq is not None:
                places[task] = seq
            if names is not None:
                units[task] = json.loads(names)
        return places, units

    def issued_project(self, period: Period) -> str | None:
        """The project's name ``period``'s forms were made with (duban.toml's then): the one
        most units' latest forms printed, the later issue's on a tie; None when no form
        recorded one, or most recorded none (made before version 25: one `issue --dept` since
        does not name the month, QA394). A month merged again after the office renamed the
        project for a new year's plan keeps the name it was issued under (QA386)."""
        latest = {unit: (project, i) for i, (unit, project) in enumerate(self.conn.execute(
            "SELECT unit, project FROM issued WHERE period=? AND exempt=0 ORDER BY issued_at, rowid",
            (str(period),)))}
        counts = Counter(project for project, _ in latest.values())
        return max(counts, key=lambda p: (counts[p], max(i for q, i in latest.values() if q == p))) if counts else None

    def name_unnamed(self, project: str) -> None:
        """Give the forms recorded before version 25 (no name) ``project``: duban.toml's name
        before a new plan is imported, the one they printed unless the office renamed since."""
        self.conn.execute("UPDATE issued SET project=? WHERE project IS NULL", (project,))

    def issued_tasks(self) -> dict[tuple[str, str], set[str]]:
        """(master fingerprint, unit) → the task ids in the form issued to the unit."""
        out: dict[tuple[str, str], set[str]] = {}
        for r in self.conn.execute("SELECT fingerprint, unit, tasks FROM issued"):
            out.setdefault((r[0], r[1]), set()).update(json.loads(r[2]))
        return out
