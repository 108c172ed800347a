"""What an import of a master list found beyond its tasks and assignments (`ImportReport`).

Apart from `master.model`, which every command loads: only `master import` (and `init
--master`) makes one, and creating its dataclass at import (Python 3.11 compiles each generated
method) was 2.0 M instructions of a W1 `duban status`'s 403.6 M (callgrind; QA347, issue 19).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(eq=False)  # never compared: start-up (docs/design.md)
class ImportReport:
    """What an import found beyond tasks and assignments; the 导入报告 shows it.

    Only an import fills it: a master read back from its workbook has none.
    """

    layout: str = ""  #: how the tasks were read: Word 表格, Excel 表格, 正文编号段落
    directory: str = ""  #: which 单位名录 named and grouped the units
    organiser_source: str = ""  #: where the organiser came from: 命令行, 标题, 单位名录, or ''
    has_deadline_column: bool = True
    #: Each task's units as the table names them: (name or group phrase, role).
    named: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: Group phrase -> the units it expanded to ([] when the directory has none of its kind).
    groups: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
