"""A 整改清单 (序号 | 存在问题 | 整改措施 | 责任单位 | 整改时限) and the words its forms, 汇总表 and
通报 say where a plan's speak of tasks (QA322).

Whether a master is one is decided once, at import, from its columns (a problem column beside
a 整改 measures column: `master.columns.rectification`) and kept with it (`Master.kind`, the
master workbook's ``_meta`` ``kind``; a form's ``_meta`` too). Every ordinary plan's output is
as it was: these words replace a plan's only where ``kind`` says 整改清单. Before, a 整改清单's
problem stood under 工作任务 and its measures under 具体工作内容, and the 通报 counted a problem
put right among its 已完成任务.

The words are chosen once (`words_of`: `PLAN` or `RECTIFICATION`, a `Words`) and handed to
whatever makes a sentence, a header or a screen line; nothing is made in a plan's words and
rewritten afterwards (QA334).
"""

from __future__ import annotations

from dataclasses import dataclass
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


def is_rectification(master: Any) -> bool:
    """Whether ``master`` (a `Master`, or anything with a ``kind``) is a 整改清单."""
    return getattr(master, "kind", "") == KIND


#: The 通报's section headings (the shipped template's and the Markdown's) a 整改清单's says instead.
MEMO_HEADINGS = {"二、本期完成的任务": "二、本期完成整改情况", "三、滞后及超期任务": "三、整改滞后及超期情况",
                 "五、下月到期任务": "五、下月到期整改任务"}
#: The header cells of the shipped template's table a 整改清单's says instead, as its 汇总表's 总览 does;
#: broken after 整改 as 序时推进 beside it is: the narrow column broke 整改任/务数
MEMO_CELLS = {"任务数": "整改\n任务数"}


@dataclass(frozen=True)
class Words:
    """The words a plan's outputs (通报, 汇总表, screens) say of its tasks, chosen once from
    `Master.kind` (`words_of`) and handed to whatever makes a sentence: a 整改清单's sentences are
    made with 整改任务 and 整改时限, never a plan's rewritten afterwards (QA334). `PLAN` is every
    other plan's, word for word what its outputs said before."""

    task: str  #: the count noun: 共6项任务 / 共6项整改任务
    deadline: str  #: the form's deadline column: 完成时限 / 整改时限
    work: str  #: the form's progress column: 工作进展 / 整改进展
    problems: str  #: the form's column of what holds a task up: 存在问题 / 存在困难
    level1: str  #: the first level's header: 一级任务 / 问题类别
    done: str  #: a count done: 已完成2项 / 已完成整改2项
    finished: str  #: what a task due must be: 确保按期完成 / 确保按期整改到位
    finished_well: str  #: …压实责任，确保按时保质完成 / 确保按时整改到位
    reported: str  #: what the units report monthly (the 通报's opening): 任务进展 / 整改进展
    period_progress: str  #: 现将2024年6月进展情况 / 现将2024年6月整改进展情况
    newly_done: str  #: 本期新完成任务2项 / 本期新完成整改2项
    so_far_done: str  #: 截至本期已完成任务2项 / 截至本期已完成整改2项
    none_done: str  #: 本期没有新完成的任务 / 本期没有新完成整改的问题
    lagging_title: str  #: 六's point on the lagging: 加快推进滞后任务 / 加快推进滞后整改
    #: what a lead does about one lagging: a problem has its 整改措施 already, what holds it up is 存在困难 (QA328)
    remedy: str
    aim: str  #: what a plan without deadlines is pursued by: 对照任务目标 / 对照整改措施
    by_level1: str  #: the 通报's table caption by 一级: 各项一级任务进展情况 / 各类问题整改进展情况
    ungrouped: str  #: … without groups: 任务进展情况 / 问题整改进展情况
    summary_by_level1: str  #: the 汇总表 总览's section 三 by 一级: 各一级任务进展 / 各类问题整改进展
    summary_ungrouped: str  #: … without groups: 任务进展 / 问题整改进展
    nothing_due: str  #: a form's row 2 and 填报说明 with none due: 本期没有到期的任务 / 本期没有到期的整改任务
    due_legend: str  #: the 样式.toml key of a form's due legend (`returns.build_return`)

    @property
    def overdue_waiting(self) -> str:
        """A task past its deadline whose leads may still report on time (`vocab.OVERDUE_WAITING`)."""
        return f"{self.deadline}已过、报送尚未截止"

    @property
    def overdue(self) -> str:
        """总览's row of tasks past their deadline and not done."""
        return f"超期未完成（{self.deadline}已过）"

    @property
    def overdue_early(self) -> str:
        """A task counted 超期 at the month's end whose deadline has not passed (`vocab.OVERDUE_EARLY`)."""
        return f"按期末计超期、{self.deadline}未过"


PLAN = Words(
    task="任务", deadline="完成时限", work="工作进展", problems="存在问题", level1="一级任务", done="已完成",
    finished="完成", finished_well="保质完成", reported="任务进展", period_progress="进展",
    newly_done="新完成任务", so_far_done="已完成任务", none_done="本期没有新完成的任务",
    lagging_title="加快推进滞后任务", remedy="针对存在问题制定整改措施", aim="任务目标",
    by_level1="各项一级任务进展情况", ungrouped="任务进展情况", summary_by_level1="各一级任务进展",
    summary_ungrouped="任务进展", nothing_due="本期没有到期的任务", due_legend="due_legend")
RECTIFICATION = Words(
    task="整改任务", deadline=FORM_HEADERS["deadline"], work=FORM_HEADERS["work"],
    problems=FORM_HEADERS["problems"], level1=FORM_HEADERS["level1"], done="已完成整改",
    finished="整改到位", finished_well="整改到位", reported="整改进展", period_progress="整改进展",
    newly_done="新完成整改", so_far_done="已完成整改", none_done="本期没有新完成整改的问题",
    lagging_title="加快推进滞后整改", remedy="针对存在困难加大整改力度", aim="整改措施",
    by_level1="各类问题整改进展情况", ungrouped="问题整改进展情况", summary_by_level1="各类问题整改进展",
    summary_ungrouped="问题整改进展", nothing_due=NOTHING_DUE, due_legend="rectification_due_legend")


def words_of(master: Any) -> Words:
    """The words ``master``'s outputs say (`Words`): a 整改清单's, else every plan's."""
    return RECTIFICATION if is_rectification(master) else PLAN


# What a 整改清单's name ends with that names the list, not the work: 巡察反馈问题整改清单,
# 审计发现问题整改台账, 整改任务清单, 整改方案. Its 通报 is of the 整改's progress.
# compiled on first use: `duban status` imports this module (cli.month) and never names a project
_LIST = LazyPattern(r"(整改)?(任务|工作)?(清单|台账|明细表?|方案|事项表|一览表)$")


def memo_project(project: str) -> str:
    """The project as a 整改清单's 通报 title names it before 进展情况的通报: …问题整改 (关于2024年
    6月巡察反馈问题整改进展情况的通报, not …问题整改清单进展情况的通报)."""
    stem = _LIST.sub("", project)
    return stem if "整改" in stem else f"{stem}整改"


def arrangement(project: str) -> str:
    """根据X工作安排, without saying 工作 twice for an action named …重点工作, nor after one
    named …重点任务 or …工作任务 (根据…政务公开工作任务工作安排, QA), nor after one that is itself
    an arrangement (西平县2020年度法治政府建设工作安排: 根据…工作安排工作安排, QA135). A plan named as
    a document of work (…工作要点, …实施方案, …工作计划, …责任清单) is arranged by itself:
    根据兴义市2021年政务公开工作要点安排, not …工作要点工作安排 (QA149)."""
    if project.endswith("安排"):
        return f"根据{project}"
    if project.endswith(("工作", "任务", "要点", "方案", "计划", "清单", "分工")):
        return f"根据{project}安排"
    return f"根据{project}工作安排"


def mail_arrangement(project: str, rectification: bool = False) -> str:
    """The 下发 mail's 根据…安排 (`arrangement`, the 通报's words); a 整改清单's is the plan's own
    安排 (根据巡察反馈问题整改安排), never its 工作安排. The mail wrote 工作 after any name not
    ending in 工作 or 任务: 根据西平县2020年度法治政府建设工作安排工作安排 went to every unit (QA343)."""
    if rectification and not project.endswith("安排"):
        return f"根据{project}安排"
    return arrangement(project)
