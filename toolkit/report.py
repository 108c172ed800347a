"""Problems as data: `Issue`, the table of stable codes (`codes`), and the `Report` on one return.

Like frictionless-py, every problem has a stable code, a location and a message built
from a template, and a check returns a `Report` (never raises for what is in the file).
`CODES` is the single source of the Chinese wording; docs/design.md and the README's code
list are checked against it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, field
from typing import Any, NamedTuple

from .period import Period
from .record import FACTORY, record
from .vocab import Outcome, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING
#: Codes that mean the file could not be read as a return at all.
UNREADABLE_CODES = ("E101", "E102", "E103", "E104", "E105")

_set = object.__setattr__  # a frozen record's own fields, as dataclass's __init__ sets them


def __getattr__(name: str) -> Any:
    """`CODES` and its `Code`, from `codes` when first asked for (`make_issue` and a few readers)."""
    if name in ("CODES", "Code"):
        from . import codes  # deferred: `codes` says what its import costs a status

        return getattr(codes, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@record(frozen=True)
class Issue:
    """One problem found in the data, with where it is and what to do about it."""

    code: str
    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    task: str = ""

    def __init__(self, code: str, severity: str, message: str, file: str = "", sheet: str = "", cell: str = "",
                 task: str = "") -> None:
        _set(self, "code", code)
        _set(self, "severity", severity)
        _set(self, "message", message)
        _set(self, "file", file)
        _set(self, "sheet", sheet)
        _set(self, "cell", cell)
        _set(self, "task", task)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def location(self) -> str:
        """Human location such as ``进展填报!H12``."""
        if self.sheet and self.cell:
            sep = " " if self.cell.startswith("第") else "!"
            return f"{self.sheet}{sep}{self.cell}"
        return self.sheet or self.cell

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_issue(code: str, *, file: str = "", sheet: str = "", cell: str = "",
               task: str = "", **params: Any) -> Issue:
    """Build an Issue from the code table; ``params`` fill the message template."""
    from .codes import CODES  # `codes` says why it is apart

    spec = CODES[code]
    if "task" in spec.template and "task" not in params:
        params["task"] = task
    return Issue(code, spec.severity, spec.template.format(**params), file, sheet, cell, task)


def count(issues: list[Issue]) -> tuple[int, int]:
    """(errors, warnings) in a list of issues."""
    errors = sum(1 for i in issues if i.is_error)
    return errors, len(issues) - errors


class Previous(NamedTuple):
    """One task as the unit last reported it in an accepted return of an earlier period."""

    progress: int | None
    period: str  # label such as 2022年5月, for messages
    status: str = ""
    work: str = ""
    next_plan: str = ""
    #: the unit that reported it, when not the return's own: a unit merged into it, the task
    #: having moved with the merger (`EarlierMonths.previous`)
    by: str = ""


@record(eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class Row:
    """One task's reported values, normalised."""

    task: str
    role: str
    status: str
    progress: int | None
    work: str
    problems: str
    next_plan: str
    eta: dt.date | None
    evidence: str
    row: int = 0
    progress_cell: str = field(default="", compare=False)

    def __init__(self, task: str, role: str, status: str, progress: int | None, work: str, problems: str,
                 next_plan: str, eta: dt.date | None, evidence: str, row: int = 0, progress_cell: str = "") -> None:
        self.task = task
        self.role = role
        self.status = status
        self.progress = progress
        self.work = work
        self.problems = problems
        self.next_plan = next_plan
        self.eta = eta
        self.evidence = evidence
        self.row = row
        self.progress_cell = progress_cell

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["eta"] = self.eta.isoformat() if self.eta else None
        d.pop("progress_cell")
        return d


@record(eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class Report:
    """Everything known about one received return after checking it."""

    file: str
    kind: str = ""
    unit: str | None = None
    period: Period | None = None
    identified_by: str = ""
    fingerprint: str = ""
    #: where the period was read (_meta, 填报期, 文件名); '' when the file says none
    period_by: str = ""
    #: the month the 填报期 cell says, whatever decided ``period`` (typed over on last month's form)
    label_period: Period | None = None
    contact: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sheet: str = ""

    def __init__(self, file: str, kind: str = "", unit: str | None = None, period: Period | None = None,
                 identified_by: str = "", fingerprint: str = "", period_by: str = "",
                 label_period: Period | None = None, contact: dict[str, str] = FACTORY, rows: list[Row] = FACTORY,
                 issues: list[Issue] = FACTORY, sheet: str = "") -> None:
        self.file = file
        self.kind = kind
        self.unit = unit
        self.period = period
        self.identified_by = identified_by
        self.fingerprint = fingerprint
        self.period_by = period_by
        self.label_period = label_period
        self.contact = {} if contact is FACTORY else contact
        self.rows = [] if rows is FACTORY else rows
        self.issues = [] if issues is FACTORY else issues
        self.sheet = sheet

    @property
    def errors(self) -> int:
        return count(self.issues)[0]

    @property
    def warnings(self) -> int:
        return count(self.issues)[1]

    @property
    def valid(self) -> bool:
        return self.errors == 0

    @property
    def outcome(self) -> Outcome:
        if any(i.code in UNREADABLE_CODES for i in self.issues):
            return Outcome.UNREADABLE
        return Outcome.ACCEPTED if self.valid else Outcome.RETURNED

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "kind": self.kind, "unit": self.unit,
            "period": str(self.period) if self.period else None,
            "identified_by": self.identified_by, "outcome": str(self.outcome), "valid": self.valid,
            "errors": self.errors, "warnings": self.warnings, "contact": self.contact,
            "issues": [i.to_dict() for i in self.issues],
            "rows": [r.to_dict() for r in self.rows],
        }
