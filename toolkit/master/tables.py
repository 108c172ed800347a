"""Reading a published table (Word or Excel) into a plain grid of cell texts.

Both formats become a `Grid` with merges filled in and continuation cells marked, so one
parser (`master.importer`) reads tasks from either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import errors
from ..sniff import WPS_SHEET_EXTS, is_encrypted_ole
from ..text import clean, squash
from .cells import cell_text
from .raw import DOTS


@dataclass
class Grid:
    """Cell texts of a table with merges filled in; ``cont`` marks merge continuations."""

    rows: list[list[str]]
    cont: list[list[bool]]
    sheet: str
    file: str
    docx: bool = False
    #: A card turned into a row (`card_as_row`): its columns are the printed table's rows.
    card: bool = False

    def where(self, r: int) -> tuple[str, str]:
        """(sheet, cell) location of grid row ``r`` for an Issue (a card's task is all its table)."""
        if self.card:
            return self.sheet, ""
        return self.sheet, (f"第{r + 1}行" if self.docx else f"A{r + 1}")


_LABEL = re.compile(r"^(?P<label>[\u4e00-\u9fff、 ]{2,24})\s*[:：]$")


def card_as_row(grid: Grid) -> Grid | None:
    """A table that is one task's card, a field a row (``重点工作: | 135.…`` / ``牵头单位: | X``),
    as a header row of its labels over one row of their values; None for any other table.
    广州 publishes each 2023 重点工作 so and was refused, its last row taken for the header."""
    labels, values = [], []
    for row in grid.rows:
        cells = list(dict.fromkeys(c for c in row if clean(c)))  # merges are filled in
        m = _LABEL.match(squash(cells[0])) if len(cells) == 2 else None
        if m is None:
            return None
        labels.append(m.group("label").replace(" ", ""))
        values.append(cells[1])
    if len(labels) < 3 or len(set(labels)) < len(labels):
        return None
    return Grid([labels, values], [[False] * len(labels)] * 2, grid.sheet, grid.file, grid.docx, card=True)


def check_openable(path: Path, suffixes: tuple[str, ...]) -> bytes:
    if not path.exists():
        raise errors.FileMissing(f"找不到文件：{path}")
    if not path.is_file():
        raise errors.FileMissing(f"不是文件：{path}")
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0") and is_encrypted_ole(path.read_bytes()):
            raise errors.EncryptedFile(f"“{path.name}”设置了打开密码，请先取消密码后另存，再导入。")
    if path.suffix.lower() not in suffixes:
        raise unsupported(path)
    return head


def unsupported(path: Path) -> errors.UnsupportedFile:
    """The refusal of a file of a format not imported (or a WPS .et that holds no workbook)."""
    return errors.UnsupportedFile(
        f"不支持“{path.suffix or path.name}”格式的任务分工表，请使用 Word(.docx) 或 Excel(.xlsx)。"
        + _SAVE_AS.get(path.suffix.lower(), ""))


#: how to get a .docx or .xlsx from what government sites publish besides them: WPS's own
#: formats (an .et holding a workbook is read as one), and PDF, whose table cannot be read back
_SAVE_AS = {
    ".wps": "这是 WPS 文字文件，请用 WPS 打开后另存为 .docx 再导入。",
    ".et": "这是 WPS 表格文件，请用 WPS 打开后另存为 .xlsx 再导入。",
    ".ett": "这是 WPS 表格模板文件，请用 WPS 打开后另存为 .xlsx 再导入。",
    ".pdf": "PDF 中的表格不能直接导入：请向发文单位索取 Word 或 Excel 原件，或用 WPS、Word 把 PDF 转为 .docx，"
            "核对表格无误后再导入。",
}


@dataclass
class Paragraph:
    """A paragraph of a Word document, in reading order with its tables."""

    text: str
    index: int  # position among the document's paragraphs, for Issue locations


@dataclass
class WordDocument:
    """A Word document's body: paragraphs and tables (as grids) in reading order."""

    blocks: list[Paragraph | Grid]
    title: str

    @property
    def grids(self) -> list[Grid]:
        return [b for b in self.blocks if isinstance(b, Grid)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


# Lines above a document's title: 附件 marks, a red header (XX人民政府文件), a document number.
_TITLE_SKIP = re.compile(r"^(附件\d*|附表\d*|.{2,30}文件|.{0,12}[〔\[]\d{4}[〕\]]\s*\d+号"
                         r"|[（(]此件[^）)]*[）)])$")


def read_docx(path: Path) -> WordDocument:
    """Paragraphs and tables of a .docx in reading order; merged cells filled in."""
    import io

    import docx
    from docx.oxml.ns import qn

    try:  # read here: python-docx took a file it could not open for a broken one (QA276)
        data = path.read_bytes()
    except OSError as exc:
        raise (errors.os_fault(exc, path, op="read") or exc) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise errors.NotAMasterList(f"“{path.name}”无法作为 Word 文档打开（{type(exc).__name__}）。"
                                    "请用 Word 或 WPS 打开后另存为 .docx 再导入。") from exc
    blocks: list[Paragraph | Grid] = []
    n_par = n_tbl = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(Paragraph(_paragraph_text(child, qn), n_par))
            n_par += 1
        elif child.tag == qn("w:tbl"):
            n_tbl += 1
            blocks.append(_table_grid(child, qn, f"表格{n_tbl}", path.name))
    before_table = []
    for b in blocks:
        if isinstance(b, Grid):
            break
        before_table.append(squash(b.text))
    return WordDocument(blocks, find_title(before_table))


_NUMBERED = re.compile(rf"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[{DOTS}、])")
_DOC_TYPE = re.compile(r"(方案|通知|意见|清单|分工表|分解表|任务表|计划|要点|办法|决定|责任分解|分工)$")


def find_title(lines: list[str]) -> str:
    """The document's title: the first short lines before the body starts (skipping 附件 marks,
    a red header, the document number; a title printed over two lines is joined); else a
    later line naming a document type (the title of an attachment after the cover letter)."""
    title = ""
    for t in lines:
        if title and (not t or _TITLE_SKIP.match(t) or t.endswith((":", "：", "。")) or len(title + t) > 100
                      or _NUMBERED.match(t)):
            return title
        if not t or _TITLE_SKIP.match(t):
            continue
        if t.endswith((":", "：", "。")) or len(t) > 80:
            break  # the addressee or the body: no title above it
        title += t
    if title:
        return title
    for t in lines:
        if t and len(t) <= 80 and _DOC_TYPE.search(t) and not _TITLE_SKIP.match(t):
            return t
    return ""


def _paragraph_text(p, qn) -> str:
    parts = []
    for el in p.iter():
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif el.tag == qn("w:tab"):
            parts.append(" ")
    return clean("".join(parts))


def _table_grid(tbl, qn, sheet: str, file: str) -> Grid:
    rows: list[list[str]] = []
    cont: list[list[bool]] = []
    for tr in tbl.iterchildren(qn("w:tr")):
        texts: list[str] = []
        flags: list[bool] = []
        trpr = tr.find(qn("w:trPr"))
        before = 0
        if trpr is not None:
            gb = trpr.find(qn("w:gridBefore"))
            if gb is not None:
                before = int(gb.get(qn("w:val"), "0") or 0)
        texts.extend([""] * before)
        flags.extend([False] * before)
        for tc in tr.iterchildren(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = int(gs.get(qn("w:val"), "1") or 1)
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val"), "continue")
            col = len(texts)
            continued = vmerge is not None and vmerge != "restart"
            if continued and rows and col < len(rows[-1]):
                text = rows[-1][col]
            else:
                continued = False
                text = "\n".join(_paragraph_text(p, qn) for p in tc.iterchildren(qn("w:p")))
            for _ in range(span):
                texts.append(clean(text))
                flags.append(continued)
        rows.append(texts)
        cont.append(flags)
    width = max((len(r) for r in rows), default=0)
    for r, c in zip(rows, cont):
        r.extend([""] * (width - len(r)))
        c.extend([False] * (width - len(c)))
    return Grid(rows, cont, sheet, file, docx=True)


_SHEET_TITLE = re.compile(r"分工|任务|专项|清单|方案|计划|要点|责任|重点工作|分解|进展情况")


def xlsx_grids(path: Path) -> tuple[list[Grid], str]:
    from python_calamine import CalamineError, load_workbook

    try:
        wb = load_workbook(str(path))  # by content: a WPS .et is the .xls it holds
    except (CalamineError, OSError, ValueError) as exc:
        if isinstance(exc, OSError) and (fault := errors.os_fault(exc, path, op="read")):
            raise fault from exc  # held by Excel or WPS, no right to it: not a broken workbook
        if path.suffix.lower() in WPS_SHEET_EXTS:  # WPS's own encryption or a private format
            raise unsupported(path) from exc
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
            # 市政府2020年重点工作(预下达)一季度进展情况表 (绍兴 2020): a progress sheet's title
            # names 重点工作 and 进展情况, no 任务 or 清单
            for r in rows[:5]:
                texts = [t for t in r if t]
                if len(set(texts)) == 1 and re.search(_SHEET_TITLE, texts[0]):
                    title = squash(texts[0])
                    break
    return grids, title
