"""The master list: its model, its import from a published table, and its workbook."""

from .grammar import ParsedDepartments, expand_assignments, parse_departments
from .importer import import_master, project_name
from .model import Assignment, Master, Task, task_sort_key, text_hash
from .summary import summary_lines
from .workbook import read_master_workbook, summarize, write_master_workbook

__all__ = [
    "Assignment", "Master", "ParsedDepartments", "Task", "expand_assignments", "import_master",
    "parse_departments", "project_name", "read_master_workbook", "summarize", "summary_lines", "task_sort_key",
    "text_hash", "write_master_workbook",
]
