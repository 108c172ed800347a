"""The master list: its model, its import from a published table or document, and its workbook."""

from .grammar import ParsedDepartments, expand_assignments, parse_departments, split_units
from .importer import import_master, issuing_body, project_name, rank_issues
from .model import Assignment, ImportReport, Master, Task, task_sort_key, text_hash
from .summary import summarize, summary_lines
from .workbook import read_master_workbook, write_master_workbook

__all__ = [
    "Assignment", "ImportReport", "Master", "ParsedDepartments", "Task", "expand_assignments", "import_master",
    "issuing_body", "parse_departments", "project_name", "rank_issues", "read_master_workbook", "split_units",
    "summarize", "summary_lines", "task_sort_key", "text_hash", "write_master_workbook",
]
