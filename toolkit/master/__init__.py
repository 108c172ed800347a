"""The master list: its model, its import from a published table or document, and its workbook.

Names are loaded on first use (PEP 562). Every command reads the master, few import one:
the importer with its grammar, column and prose parsers cost 25 ms of the 47 ms this package
took to import (``python -X importtime``, min of 3 runs, 2-core EPYC, Python 3.11), which
`duban status` paid for nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "ParsedDepartments": "grammar", "expand_assignments": "grammar", "parse_departments": "grammar",
    "split_units": "grammar",
    "import_master": "importer", "issuing_body": "importer", "project_name": "importer", "rank_issues": "importer",
    "ImportReport": "import_report",
    "Assignment": "model", "Master": "model", "Task": "model", "task_sort_key": "model", "text_hash": "model",
    "summarize": "summary", "summary_lines": "summary",
    "read_master_workbook": "workbook", "write_master_workbook": "workbook",
}

__all__ = [
    "Assignment", "ImportReport", "Master", "ParsedDepartments", "Task", "expand_assignments", "import_master",
    "issuing_body", "parse_departments", "project_name", "rank_issues", "read_master_workbook", "split_units",
    "summarize", "summary_lines", "task_sort_key", "text_hash", "write_master_workbook",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


if TYPE_CHECKING:  # for type checkers and editors: the same names, eagerly
    from .grammar import ParsedDepartments, expand_assignments, parse_departments, split_units
    from .import_report import ImportReport
    from .importer import import_master, issuing_body, project_name, rank_issues
    from .model import Assignment, Master, Task, task_sort_key, text_hash
    from .summary import summarize, summary_lines
    from .workbook import read_master_workbook, write_master_workbook
