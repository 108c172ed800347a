"""The codes of problems found when importing a published task-division table (M1xx).

Kept apart from the return-check codes so the master importer owns its wording; `report`
merges both into the one `CODES` table.
"""

from __future__ import annotations

from .vocab import Severity

WARNING = Severity.WARNING
ERROR = Severity.ERROR

#: (code, severity, title, message template), as in `report.CODES`.
IMPORT_CODE_ROWS: tuple[tuple[str, Severity, str, str], ...] = (
    ("M101", WARNING, "任务信息不完整",
     "任务 {task}（{name}）缺少{missing}，已保留。请在任务分工表中补全后重新导入。"),
    ("M102", WARNING, "单位不在名录",
     "“{unit}”不在单位名录中，已按{kind}加入名录。请在“单位名录”表中核对。"),
    ("M103", WARNING, "完成时限无法识别",
     "任务 {task} 的完成时限“{value}”无法识别，将不判断超期。"),
    ("M104", WARNING, "责任部门无法解析",
     "任务 {task} 的责任部门“{value}”{detail}。请在“责任分工”表中核对。"),
    ("M105", WARNING, "任务编号重复",
     "任务编号 {task} 重复出现，后一条已改编为 {new}。请核对。"),
)
