"""The table of stable problem codes, `CODES`: each code's severity, title and message template.

`CODES` is the single source of the Chinese wording; docs/design.md and the README's code
list are checked against it. `report.make_issue` fills its templates; ``report.CODES`` and
``report.Code`` are these. Apart from `report` because a command that reads the ledger but finds
no new problem (`duban status`) builds no `Issue` from a template: the table's eighty frozen
`Code` rows, the class and the master-import codes were 0.9 ms of each status's start-up
(per-module import time, min of 8 runs, 2-core EPYC, Python 3.11; QA339, issue 19).
"""

from __future__ import annotations

from dataclasses import dataclass

from .import_codes import IMPORT_CODE_ROWS
from .vocab import Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True)
class Code:
    """One stable problem code: its severity, a short title and the message template."""

    code: str
    severity: Severity
    title: str
    template: str


def _codes(*rows: tuple[str, str, str, str]) -> dict[str, Code]:
    return {r[0]: Code(*r) for r in rows}


# Return-check codes (docs/design.md), then the master-import codes (M1xx) of `import_codes`.
CODES: dict[str, Code] = _codes(
    ("E101", ERROR, "文件无法读取",
     "文件无法读取（{reason}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再报送。"),
    ("E102", ERROR, "文件已加密",
     "文件设置了打开密码，无法读取。请取消密码后另存为 .xlsx 再报送。"),
    ("E103", ERROR, "格式不支持",
     "不支持的文件格式“{ext}”。{advice}"),
    ("E104", ERROR, "文件过大或压缩炸弹",
     "文件超出安全限制（{detail}），已拒收。请报送原填报表，不要附带其他内容。"),
    ("E105", ERROR, "不是填报表",
     "找不到“进展填报”工作表或表头行（任务编号、完成状态、工作进展……）。请使用下发的填报表填写。"),
    ("W106", WARNING, "含宏文件",
     "文件含宏（{ext}），宏未执行、已忽略。今后请另存为 .xlsx 报送。"),
    ("E201", ERROR, "单位无法识别",
     "无法识别填报单位{found}。请在“填报单位”右侧填写单位全称，或使用下发给本单位的填报表。"),
    ("E202", ERROR, "期次不符",
     "这是{found}的填报表，不是本期（{expected}）的。请使用本期下发的填报表。"),
    ("W203", WARNING, "旧版模板",
     "填报表由旧版任务分工表生成，已按现行任务清单核对。下期请使用新下发的填报表。"),
    ("W204", WARNING, "重复文件",
     "与 {when} 收到的文件（{name}）完全相同，已跳过，不重复计数。"),
    ("W205", WARNING, "已被替代",
     "已被 {when} 收到的同单位同期报送替代，以最新一份为准。"),
    ("W206", WARNING, "单位证据不一致",
     "{said}是{unit}，但{evidence}指向{other}。已按{unit}登记；如实际是{other}报送的，"
     "请{other}用本单位的填报表重报。"),
    ("W207", WARNING, "报送时间存疑",
     "报送时间存疑：{reason}。未据此判定逾期，请督办部门核实（可用 duban collect --received 指定收到日期）。"),
    ("W208", WARNING, "下发后新增任务",
     "任务 {task}{name}是填报表下发后才加入任务分工表的，本单位的表中没有这一行，不算单位漏报。"
     "请督办部门另行通知，或下期下发新表。"),
    ("W209", WARNING, "该期汇总后收到",
     "{what}：{period}已于 {merged} 汇总，这份报送在之后收到。已登记到{period}，"
     "请重新运行 duban merge --period {period_key}（或双击“2-收取并汇总”，期次输入 {period_key}）"
     "更新该期汇总表，需要时再按该期重新生成通报。"),
    ("W210", WARNING, "下发后调整任务",
     "任务 {task} 在填报表下发后{change}。本行不计入本单位的汇总，不算单位填报有误。"
     "请督办部门核实该任务的分工，必要时另行通知相关单位。"),
    ("W211", WARNING, "超大附件待下载",
     "“{name}”没有随邮件附上，邮件中只有{service}的下载链接{expiry}：{link}。duban 不会下载链接中的文件，"
     "请督办部门打开链接下载，放入收件箱后再运行 {again}；"
     "链接已过期的，请该单位以附件重新报送。"),
    ("W212", WARNING, "多个版本待核实",
     "{where}内有{unit} {period}的 {count} 份填报表（{names}），{how}看不出哪份为准，暂以“{kept}”为准；"
     "如应以另一份为准，请{unit}单独重新报送该份。"),
    ("E213", ERROR, "填在其他单位的填报表上",
     "这份报送按{said}登记为{unit}，经核实不是{unit}的报送，已作为本单位的报送退回，"
     "表中内容不计入汇总。请用本单位的填报表（附件，已按原表填入本单位任务的内容）核对填写后重新报送。"),
    ("E301", ERROR, "缺少必填列",
     "缺少必填列“{column}”。请勿删除填报表的列，可从下发的填报表复制该列。"),
    ("W302", WARNING, "列有变动",
     "{change}。"),
    ("E401", ERROR, "任务编号不存在",
     "任务编号“{task}”不在任务清单中。请勿修改或新增任务编号。"),
    ("E402", ERROR, "非本单位任务",
     "任务 {task} 不是本单位的任务。{advice}"),
    ("E403", ERROR, "任务重复",
     "任务 {task} 重复填报（另见第 {other} 行）。{advice}"),
    ("E404", ERROR, "缺少任务",
     "缺少本单位任务 {task}{name}。请补回该行并填报。"),
    ("W405", WARNING, "任务内容被改动",
     "任务 {task} 的“{column}”与任务清单不一致，已以任务清单为准。请勿修改任务内容。"),
    ("E406", ERROR, "无编号行填有进展",
     "第 {row} 行没有任务编号，却填写了{fields}。{advice}（一格内换行请按 Alt+回车），再删除或清空这一行后重新报送。"),
    ("W407", WARNING, "无编号行已并入上方任务",
     "第 {row} 行没有任务编号，其中的{text}已接在上面任务 {task} 同一格原有的内容之后读取。如不是该任务的内容，"
     "请改正后重新报送；今后请在任务的格内换行（Alt+回车），不要插入行。"),
    ("W408", WARNING, "非任务行未读取",
     "第 {row} 行{what}，未读取（{text}）。如是某项任务的内容，请写进该任务的同一格后重新报送。"),
    ("E501", ERROR, "未选完成状态",
     "任务 {task} 未选择完成状态。请在下拉框中选择：已完成、序时推进、滞后、未启动。"),
    ("E502", ERROR, "完成状态无效",
     "任务 {task} 的完成状态“{value}”无法识别。请在下拉框中选择：已完成、序时推进、滞后、未启动。"),
    ("W503", WARNING, "完成状态已规范",
     "任务 {task} 的完成状态“{value}”已按“{normal}”处理。今后请从下拉框选择。"),
    ("E504", ERROR, "完成进度无效",
     "任务 {task} 的完成进度“{value}”不是 0—100 的整数。{advice}"),
    ("E505", ERROR, "预计完成时间无效",
     "任务 {task} 的预计完成时间“{value}”不是日期。请按 {example} 的格式填写。"),
    ("E506", ERROR, "未填工作进展",
     "任务 {task} 未填写{column}。请简述本期{column}。"),
    ("W507", WARNING, "内容过长",
     "任务 {task} 的“{column}”超过 {limit} 字，已截断。请精简后重报。"),
    ("W508", WARNING, "疑似公式",
     "任务 {task} 的“{column}”以“{char}”开头，已按普通文本保存，不会作为公式执行。"),
    ("W509", WARNING, "联系人缺失",
     "未填写{missing}。请在表头填写，便于核实情况。"),
    ("W510", WARNING, "工作进展无内容",
     "任务 {task} 的{column}只写了“{value}”。请简述本期做了什么；确无进展的，请写明原因。"),
    ("W511", WARNING, "合并单元格已逐行读取",
     "{cells} 是合并单元格，其中的{column}已作为{tasks}各自的{column}读取。如各任务情况不同，请取消合并后逐行填写。"),
    ("E512", ERROR, "合并单元格无法逐行读取",
     "{cells} 是合并单元格（{reason}），无法分清{tasks}各自的{columns}。请选中 {cells} 取消合并，逐行填写后重新报送。"),
    ("W513", WARNING, "合并单元格只读首行",
     "{cells} 是合并单元格（{reason}），{read}{others}的{columns}按空白处理。如需填写，请取消合并后逐行填写。"),
    ("E601", ERROR, "已完成但进度不足",
     "任务 {task} 状态为“已完成”，但完成进度为 {value}%。已完成的任务进度应为 100。"),
    ("W602", WARNING, "进度100但未完成",
     "任务 {task} 完成进度为 100%，但状态为“{status}”。如已完成请选择“已完成”。"),
    ("E603", ERROR, "滞后未说明问题",
     "任务 {task} 状态为“滞后”，但{said}。请说明滞后原因和困难。"),
    # true on the day it is read, filed before the deadline or after: no 已超期, which a
    # return filed on 7 December for a task due the 31st is not (QA352); the period's end is
    # what the 汇总表 and 通报 judge by, so that is what the unit is told
    ("W604", WARNING, "到期未标滞后",
     "任务 {task} {column}为 {deadline}{by}，状态为“{status}”。本期汇总按期末情况判断，期末仍未完成的计为超期。"
     "请核实是否按期完成：期末前完成的，请改选“已完成”（报送时尚未完成的，可在完成后再报送）；"
     "不能按期完成的，请改选“滞后”并说明原因。"),
    ("W605", WARNING, "未启动却有进度",
     "任务 {task} 状态为“未启动”，但完成进度为 {value}%。请核实。"),
    ("W606", WARNING, "进度倒退",
     "任务 {task} 完成进度 {value}% 低于上次采纳的 {previous}%（{period}）。请核实。"),
    ("W607", WARNING, "缺佐证材料",
     "任务 {task} 已完成，但未填写佐证材料。请补充文号或链接。"),
    ("W608", WARNING, "照抄上期",
     "任务 {task} 的{columns}与上期（{period}）采纳的报送完全相同。请填写本期的新进展和计划；确无变化的，请写明原因。"),
    *IMPORT_CODE_ROWS,
)
