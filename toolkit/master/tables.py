"""Reading a published table (Word or Excel) into a plain grid of cell texts.

Both formats become a `Grid` with merges filled in and continuation cells marked, so one
parser (`master.importer`) reads tasks from either.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .. import errors
from ..sniff import is_encrypted_ole
from ..text import clean, squash


@dataclass
class Grid:
    """Cell texts of a table with merges filled in; ``cont`` marks merge continuations."""

    rows: list[list[str]]
    cont: list[list[bool]]
    sheet: str
    file: str
    docx: bool = False

    def where(self, r: int) -> tuple[str, str]:
        """(sheet, cell) location of grid row ``r`` for an Issue."""
        return self.sheet, (f"第{r + 1}行" if self.docx else f"A{r + 1}")


def check_openable(path: Path, suffixes: tuple[str, ...]) -> bytes:
    if not path.exists():
        raise errors.FileMissing(f"找不到文件：{path}")
    if not path.is_file():
        raise errors.FileMissing(f"不是文件：{path}")
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0") and is_encrypted_ole(path.read_bytes()):
            raise errors.EncryptedFile(f"“{path.name}”设置了打开密码，请先取消密码后另存，再导入。")
    if path.suffix.lower() not in suffixes:
        raise errors.UnsupportedFile(
            f"不支持“{path.suffix or path.name}”格式的任务分工表，请使用 Word(.docx) 或 Excel(.xlsx)。")
    return head


def docx_grids(path: Path) -> tuple[list[Grid], str]:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise errors.NotAMasterList(f"“{path.name}”无法作为 Word 文档打开（{type(exc).__name__}）。"
                                    "请用 Word 或 WPS 打开后另存为 .docx 再导入。") from exc
    title = ""
    for p in document.paragraphs:
        t = squash(p.text)
        if t and t != "附件" and not re.fullmatch(r"附件\d*", t):
            title = t
            break
    grids = []
    for n, table in enumerate(document.tables, start=1):
        rows: list[list[str]] = []
        cont: list[list[bool]] = []
        for tr in table._tbl.tr_lst:
            texts: list[str] = []
            flags: list[bool] = []
            trpr = tr.trPr
            before = 0
            if trpr is not None:
                gb = trpr.find(qn("w:gridBefore"))
                if gb is not None:
                    before = int(gb.get(qn("w:val"), "0") or 0)
            texts.extend([""] * before)
            flags.extend([False] * before)
            for tc in tr.tc_lst:
                span = tc.grid_span
                vmerge = tc.vMerge
                col = len(texts)
                continued = vmerge == "continue" or (vmerge is not None and vmerge != "restart")
                if continued and rows and col < len(rows[-1]):
                    text = rows[-1][col]
                else:
                    continued = False
                    text = "\n".join(
                        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
                for _ in range(span):
                    texts.append(clean(text))
                    flags.append(continued)
            rows.append(texts)
            cont.append(flags)
        width = max((len(r) for r in rows), default=0)
        for r, c in zip(rows, cont):
            r.extend([""] * (width - len(r)))
            c.extend([False] * (width - len(c)))
        grids.append(Grid(rows, cont, f"表格{n}", path.name, docx=True))
    return grids, title


def xlsx_grids(path: Path) -> tuple[list[Grid], str]:
    from python_calamine import CalamineError, load_workbook

    try:
        wb = load_workbook(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise errors.NotAMasterList(f"“{path.name}”无法作为 Excel 工作簿打开（{exc}）。"
                                    "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。") from exc
    grids = []
    title = ""
    for meta in wb.sheets_metadata:
        if str(meta.visible) != str(type(meta.visible).Visible):
            continue
        sheet = wb.get_sheet_by_name(meta.name)
        data = sheet.to_python(skip_empty_area=False)
        width = max((len(r) for r in data), default=0)
        rows = [[cell_text(v) for v in r] + [""] * (width - len(r)) for r in data]
        cont = [[False] * width for _ in rows]
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
            if r0 >= len(rows):
                continue
            value = rows[r0][c0] if c0 < width else ""
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                for c in range(c0, min(c1, width - 1) + 1):
                    rows[r][c] = value
                    cont[r][c] = r > r0
        grids.append(Grid(rows, cont, meta.name, path.name))
        if not title:
            for r in rows[:5]:
                texts = [t for t in r if t]
                if len(set(texts)) == 1 and re.search(r"分工|任务|专项", texts[0]):
                    title = squash(texts[0])
                    break
    return grids, title


def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return f"{v.year}年{v.month}月" if v.day == 1 else f"{v.year}年{v.month}月{v.day}日"
    if isinstance(v, dt.date):
        return f"{v.year}年{v.month}月{v.day}日"
    return clean(v)
