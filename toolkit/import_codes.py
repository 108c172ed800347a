"""The codes of problems found when importing a published task-division table (M1xx).

Kept apart from the return-check codes so the master importer owns its wording; `report`
merges both into the one `CODES` table. `IMPORT_RANK` orders them by what they break: a task
nobody leads gets no return at all, while a unit missing from the directory only needs a
look.
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
    ("M106", ERROR, "任务没有牵头单位",
     "任务 {task}（{name}）没有牵头单位（{why}），不会有单位为它填报。请在“责任分工”表中为它填写牵头单位。"),
    ("M107", ERROR, "标题行被当作任务",
     "任务 {task} 的文字“{text}”像是标题，却写有责任单位或完成时限，已按任务导入。"
     "若它是标题，请在“任务清单”和“责任分工”表中删去这一项。"),
    ("M108", WARNING, "单位集合未展开",
     "“{group}”（任务 {tasks}）是一组单位，但单位名录中没有这类单位，未展开，也未当作单位。"
     "请在单位名录中补齐这些单位（类别如“{kind}”）后重新导入，或在“责任分工”表中逐个填写。"),
    ("M109", WARNING, "没有完成时限列",
     "分工表中没有完成时限，{count} 项任务{each}按“无时限”导入，不判断超期。"
     "请在任务清单工作簿“任务清单”表的“完成时限”列补填。"),
    ("M110", WARNING, "没有单位名录",
     "导入时没有使用单位名录：{count} 个单位按表中写法建立，单位集合不展开。"
     "请用 --directory 指定本地的单位名录（CSV）后重新导入。"),
    ("M111", WARNING, "督办单位未确定",
     "分工表的标题和通知的落款都没有写发文机关，督办单位（通报落款）未确定。"
     "请用 --organiser 指定，或在 duban.toml 的 organiser 中填写。"),
    ("M112", WARNING, "邮箱地址无效",
     "单位名录第 {row} 行“{unit}”的邮箱“{value}”不是有效的邮件地址，发给该单位的邮件无法送达。"
     "请在“单位名录”表中改正，写成 dc@dg.gov.cn 的形式；多个地址用分号隔开，可带名称，如 东城 <dc@dg.gov.cn>。"),
    ("M113", WARNING, "单位名录名称重复",
     "单位名录第 {row} 行“{unit}”{what}与第 {other_row} 行“{other_unit}”{other_what}"
     "视为同一名称（不计全角半角、空格和大小写），报送只会记到其中一个单位。请合并这两行，或改正其中一个名称。"),
    ("M114", WARNING, "一项任务含多个编号事项",
     "任务 {task} 的内容中有 {count} 个编号事项（{numbers}），共用一组责任单位，已按一项任务导入，"
     "各单位每期只为它填报一次进展。若需分别督办，请在“任务清单”和“责任分工”表中拆成多项任务。"),
    ("M115", WARNING, "表格列未导入",
     "{column}“{label}”没有导入：督办只读取任务、责任单位、完成时限等列，该列 {count} 项任务填写的内容"
     "（如任务 {task} 的“{sample}”）不在任务清单中。如该列是任务内容或责任单位，"
     "请把列标题改为“任务内容”或“责任单位”后重新导入。"),
    ("M116", WARNING, "单位名称用字相同",
     "“{unit}”（任务 {tasks}）与“{other}”（任务 {other_tasks}）用字相同、只是顺序不同，已按两个单位导入，"
     "各下发一份填报表，未报送的会分别点名。若是同一单位的笔误，请在“责任分工”表中改成同一名称。"),
    ("M117", WARNING, "完成时限需核实",
     "任务 {task} 的完成时限“{value}”{why}。{ask}"),
)

#: Codes in the order the import report lists them: what breaks the monthly cycle first.
IMPORT_RANK: tuple[str, ...] = ("M106", "M107", "M108", "M104", "M116", "M114", "M101", "M115", "M105", "M117", "M103",
                                "M109", "M111", "M110", "M113", "M112", "M102")
