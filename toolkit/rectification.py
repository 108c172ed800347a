"""A 整改清单 (序号 | 存在问题 | 整改措施 | 责任单位 | 整改时限) and the words its forms, 汇总表 and
通报 say where a plan's speak of tasks (QA322).

Whether a master is one is decided once, at import, from its columns (a problem column beside
a 整改 measures column: `master.columns.rectification`) and kept with it (`Master.kind`, the
master workbook's ``_meta`` ``kind``; a form's ``_meta`` too). Every ordinary plan's output is
as it was: these words replace a plan's only where ``kind`` says 整改清单. Before, a 整改清单's
problem stood under 工作任务 and its measures under 具体工作内容, and the 通报 counted a problem
put right among its 已完成任务.
"""

from __future__ import annotations

from typing import Any

from .text import LazyPattern

#: `Master.kind` of a 整改清单; '' for every other plan (and a workspace made before QA322).
KIND = "整改清单"

#: The return form's headers a 整改清单 prints (field -> header; `returns.form_headers`, and the
#: 汇总表's in their places). The task's name is the
#: problem (存在问题), so the form's own column of difficulties is 存在困难, already read as it.
FORM_HEADERS = {"level1": "问题类别", "level2": "问题子类", "name": "存在问题", "content": "整改措施",
                "deadline": "整改时限", "work": "整改进展", "problems": "存在困难"}

#: Column widths (characters) a 整改清单's form gives instead of 样式.toml's: its 存在问题 is a
#: sentence or two (巡察发现，部分党支部…等问题。), where a plan's 工作任务 is a short name.
FORM_WIDTHS = {"name": 24}

#: Row 2's legend and the 填报说明's 本期到期 of a form with no problem due (`form_guide.NOTHING_DUE`).
NOTHING_DUE = "本期没有到期的整改任务"

def overdue_said(master: Any, label: str) -> str:
    """An overdue count's ``label`` (`Consolidation.overdue_counts`) as ``master`` says it: a
    整改清单's 汇总表 and screen say 整改时限已过、报送尚未截止, as its 通报 does (QA328)."""
    return label.replace("完成时限", "整改时限") if is_rectification(master) else label


def is_rectification(master: Any) -> bool:
    """Whether ``master`` (a `Master`, or anything with a ``kind``) is a 整改清单."""
    return getattr(master, "kind", "") == KIND


#: The 通报's section headings (the shipped template's and the Markdown's) a 整改清单's says instead.
MEMO_HEADINGS = {"二、本期完成的任务": "二、本期完成整改情况", "三、滞后及超期任务": "三、整改滞后及超期情况",
                 "五、下月到期任务": "五、下月到期整改任务"}


# What a 整改清单's name ends with that names the list, not the work: 巡察反馈问题整改清单,
# 审计发现问题整改台账, 整改任务清单, 整改方案. Its 通报 is of the 整改's progress.
# compiled on first use: `duban status` imports this module (cli.month) and never names a project
_LIST = LazyPattern(r"(整改)?(任务|工作)?(清单|台账|明细表?|方案|事项表|一览表)$")


def memo_project(project: str) -> str:
    """The project as a 整改清单's 通报 title names it before 进展情况的通报: …问题整改 (关于2024年
    6月巡察反馈问题整改进展情况的通报, not …问题整改清单进展情况的通报)."""
    stem = _LIST.sub("", project)
    return stem if "整改" in stem else f"{stem}整改"
