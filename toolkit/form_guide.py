"""The return form's 填报说明 sheet, and the row heights both its sheets are given.

Moved out of `returns` (at its 700 lines) when a 整改清单's form came to say its own words
(`rectification`, QA322): the 填报说明 of a plan's form reads as before.
"""

from __future__ import annotations

from .dates import cn_date
from .rectification import PLAN, RECTIFICATION
from .text import LazyPattern, key
from .xlsx import fit_a4, row_height, set_height, set_text

GUIDE_SHEET = "填报说明"
#: Row 2's due legend on a form with no task due by the period's end (its 填报说明 says so too).
NOTHING_DUE = PLAN.nothing_due


def write_guide(wb, unit, period, due, project, organiser, contact, st, tasks, prefilled=False,
                heads: dict[str, str] | None = None, rectify: bool = False) -> None:
    """The 填报说明 sheet; ``heads`` the form's headers by field (`returns.HEADER_OF`, or a
    整改清单's), ``rectify`` whether the form is a 整改清单's (its lines speak of 整改)."""
    from openpyxl.styles import Alignment, Font

    heads = heads or {}
    work, problems = heads.get("work", "工作进展"), heads.get("problems", "存在问题")
    limit = heads.get("deadline", "完成时限")
    ws = wb.create_sheet(GUIDE_SHEET)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90
    due_now = [t.id for t, _ in tasks if t.due_by(period.end)]
    # A unit whose tasks give no 完成时限 (苍南's 民生实事, a prose 分工意见) is told nothing of
    # one: 滞后 is behind its plan, and no 本期到期 line, as row 2 of its form shows no legend
    behind = "整改到位" if rectify else "完成"
    lagging = (f"滞后：进度落后于{limit}，必须在“{problems}”写明原因和困难。已超过{limit}仍未{behind}的，应选“滞后”。"
               if any(t.deadline_text for t, _ in tasks) else
               f"滞后：进度落后于{'整改' if rectify else '工作'}计划，必须在“{problems}”写明原因和困难。")
    locked = "问题和整改措施" if rectify else "任务内容"
    dated = any(t.dated for t, _ in tasks)
    lines = [
        ("title", f"{project}进展填报说明"),
        ("填报单位", unit),
        ("填报期", f"{period.label}（反映截至 {cn_date(period.end)} 的{'整改' if rectify else '工作'}进展）"),
        ("报送截止", f"{cn_date(due)}前，将本表以 Excel 文件（.xlsx）通过电子邮件报送。"),
        ("怎么填", f"只填写白色单元格：完成状态、完成进度(%)、{work}、{problems}、下一步计划、预计完成时间、佐证材料，"
                 f"以及表头的填报人、联系电话、审核人、填报日期。灰色的{locked}不能修改。"),
        ("完成状态", "已完成：问题已整改到位，完成进度填 100，并在“佐证材料”写明文号或链接。" if rectify else
                 "已完成：任务全部完成，完成进度填 100，并在“佐证材料”写明文号或链接。"),
        ("", "序时推进：按整改时限正常推进、尚未整改到位。" if rectify else "序时推进：按计划正常推进、尚未完成。"),
        ("", lagging),
        ("", "未启动：尚未开始整改，完成进度填 0。" if rectify else "未启动：尚未开始，完成进度填 0。"),
        ("完成进度(%)", "填 0—100 的整数，如完成八成填 80；不要写“八成”“过半”“基本完成”等文字。"),
        (work, ("必填。写本期采取了哪些整改措施、成效如何，可列数量、文号；" if rectify else
                "必填。写本期做了什么、成效如何，可列数量、文号；") + "不要只写“无”“同上”，确无进展的请写明原因。"),
        ("本期到期", ("、".join(due_now) + f" 的{limit}在本期或之前（表中橙色标注），请重点说明"
                                       f"{'整改' if rectify else ''}完成情况。")
         if due_now else (RECTIFICATION if rectify else PLAN).nothing_due + "。") if dated else None,
        # rows a unit inserts are read (a text row joins the task above it, W407; a 合计 row is left
        # out, W408: `extra_rows`), so no 请勿增删行; a deleted task row is refused (E404), and the
        # sheet's protection keeps rows from being inserted: the cell's own line break is the way
        ("注意", f"请勿删除任务行、增删列，请勿改动任务编号和灰色的{'问题、整改措施' if rectify else '任务内容'}；"
               "一项任务写不下时，请在该格内换行（Alt+回车）接着写，不必插入行。文件名可以修改。"
               "请保存为 .xlsx（WPS 用户请选择“Excel 工作簿”），不要转成 PDF 或 Word 格式。"),
        ("咨询", ask_whom(organiser, contact)),
    ]
    lines = [line for line in lines if line]
    if prefilled:
        lines.insert(-2, ("上月预填", "黄色单元格照录了本单位上月采纳的报送内容，只作起草参考，请逐项改写为本期情况。"
                                   f"{work}、下一步计划与上月完全相同的，校验时会提示“照抄上期”。"))
    for r, (label, text) in enumerate(lines, start=1):
        if label == "title":
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            set_text(ws.cell(r, 1), text)
            ws.cell(r, 1).font = Font(name=st["title_font"], size=st["title_size"] - 2, bold=True)
            ws.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center")
            ws.row_dimensions[r].height = 32
            continue
        set_text(ws.cell(r, 1), label)
        ws.cell(r, 1).font = Font(name=st["header_font"], size=st["size"] + 1, bold=True)
        ws.cell(r, 1).alignment = Alignment(vertical="top")
        set_text(ws.cell(r, 2), text)
        ws.cell(r, 2).font = Font(name=st["font"], size=st["size"] + 1)
        ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
    fit_rows(ws, 2, len(lines), st["size"] + 1)
    fit_a4(ws, landscape=False)
    ws.protection.sheet = True


# The office's own 科/处/室 opening a contact ("督查科 陈晓明 0769-…") goes on from the
# organiser's name as a person writes it (东莞市政务服务数据管理局督查科); "、" between them
# read as two bodies to ask. One naming its own body (县政府督查室) stands apart, after a space.
# compiled on first use (0.16 ms at import): only a contact written under the organiser reads it
_SECTION = LazyPattern(r"[^\s省市县区镇乡局委府厅]{2,}(?:科|处|室|股|办|中心)(?=\s|$)")


def ask_whom(organiser: str, contact: str) -> str:
    """The 填报说明's 咨询 line: the organiser and the contact (duban.toml) as one."""
    if not (organiser and contact) or key(organiser) in key(contact):
        return contact or organiser or "督办部门"
    return f"{organiser}{'' if _SECTION.match(contact) else ' '}{contact}"


def fit_rows(ws, first: int, last: int, size: float, custom: bool = True) -> None:
    """Give rows ``first..last`` heights that show their wrapped text (see xlsx.row_height),
    marked custom or not (see xlsx.set_height)."""
    from openpyxl.utils import get_column_letter

    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 9
              for c in range(1, ws.max_column + 1)}
    for r in range(first, last + 1):
        cells = [(ws.cell(r, c).value, w) for c, w in widths.items()]
        set_height(ws, r, row_height(cells, size), custom)
