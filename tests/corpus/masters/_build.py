"""Builds the real-world 任务分工 corpus in this folder from ``sources/*.json`` (offline, deterministic).

Each source file holds a published document as its stored public copy gives it: paragraphs
(with a style: title, center, bold, right, text) and tables (rows of [text, colspan,
rowspan] cells). Nothing here invents or edits a word; the builder only puts the text into a
Word or Excel container. Rebuilds are byte-identical (fixed timestamps in the zip).

The ``*.expected.json`` files are NOT written here: they are what a careful reader takes from
each source, checked by hand, and `tests/test_master_corpus.py` holds the importer to them.

Run:  python tests/corpus/masters/_build.py
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
FIXED = dt.datetime(2024, 1, 1)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# output file -> (source, format, options)
FILES: dict[str, tuple[str, str, dict]] = {
    "chizhou_zwgk_tasks.docx": ("chizhou_zwgk", "docx", {}),
    "chizhou_zwgk_tasks_sheet.xlsx": ("chizhou_zwgk", "xlsx", {}),
    "jiangmen_tdcb_zwgk_tasks.xlsx": ("jiangmen_tdcb_zwgk", "xlsx", {}),
    "jiangmen_tdcb_zwgk_tasks_word.docx": ("jiangmen_tdcb_zwgk", "docx", {}),
    "guoban_2018_126_tuiguang.docx": ("guoban_2018_126", "docx", {}),
    "guoban_2018_126_tuiguang_sheet.xlsx": ("guoban_2018_126", "xlsx", {"title": "第二批支持创新相关改革举措推广清单"}),
    # Container variant: the same table cut into two Word tables at a page, header repeated.
    "guoban_2018_126_tuiguang_split.docx": ("guoban_2018_126", "docx", {"split_at": 13}),
    "huoshan_kfq_2025.xlsx": ("huoshan_kfq_2025", "xlsx", {"title": "2025年开发区重点工作及责任清单"}),
    "chongchuan_mssx_2023.docx": ("chongchuan_mssx_2023", "docx", {}),
    "dazhu_mssx_2016.docx": ("dazhu_2016", "docx", {}),
    "nanling_mbrw_2024.xlsx": ("nanling_2024", "xlsx", {"title": "2024年《政府工作报告》重点工作目标任务分解表"}),
    "weifang_zwgk_2017.docx": ("weifang_zwgk_2017", "docx", {}),
    "linan_mssx_2022.xlsx": ("linan_mssx_2022", "xlsx", {}),
    "cangnan_mssx_2022.docx": ("cangnan_mssx_2022", "docx", {}),
    "jishui_mssx.docx": ("jishui_mssx", "docx", {}),
    "shaoxing_zdgz_2020.xlsx": ("shaoxing_zdgz_2020", "xlsx", {"title": "市政府2020年重点工作(预下达)一季度进展情况表"}),
    "zhonglou_mbrw_2024.xlsx": ("zhonglou_mbrw_2024", "xlsx", {"title": "2024年《政府工作报告》主要目标任务责任分解表"}),
    "zhonglou_mssx_2021.docx": ("zhonglou_mssx_2021", "docx", {}),
    "shangcheng_mbrw_2019.docx": ("shangcheng_mbrw_2019", "docx", {}),
    "guangdong_wsjkw_zwgk_2021.xlsx": ("guangdong_wsjkw_zwgk_2021", "xlsx", {}),
    "pinghu_zdgz_2023.xlsx": ("pinghu_zdgz_2023", "xlsx", {}),
    "pinghu_zdgz_2025.xlsx": ("pinghu_zdgz_2025", "xlsx", {}),
    "sizhoutou_zdgz_2024.xlsx": ("sizhoutou_zdgz_2024", "xlsx", {"title": "泗洲头镇2024年度重点工作计划二季度执行情况"}),
    "jingzhou_zwgk_2022.docx": ("jingzhou_zwgk_2022", "docx", {}),
    "guangzhou_zdgz_2023.docx": ("guangzhou_zdgz_2023", "docx", {}),
    "qiaocheng_zdgz_2025.xlsx": ("qiaocheng_zdgz_2025", "xlsx", {"title": "谯城区2025年政府工作报告重点工作任务分解表"}),
    "qiaocheng_jyj_2025.docx": ("qiaocheng_jyj_2025", "docx", {}),
    "changsha_mbrw_2012.docx": ("changsha_mbrw_2012", "docx", {}),
    "changsha_mbrw_2012_sheet.xlsx": ("changsha_mbrw_2012", "xlsx", {"title": "长沙市人民政府2012年《政府工作报告》目标任务责任分解表"}),
    "fujian_zwgk_2015.docx": ("fujian_zwgk_2015", "docx", {}),
    "prose_anhui_zdgz_2022.docx": ("anhui_zdgz_2022", "docx", {}),
    "prose_caidian_2023.docx": ("caidian_2023", "docx", {}),
    "prose_jiayu_2021.docx": ("jiayu_2021", "docx", {}),
    "prose_lishan_2023.docx": ("lishan_2023", "docx", {}),
    "prose_gangcheng_2021.docx": ("gangcheng_2021", "docx", {}),
    "prose_xingyi_zwgk_2021.docx": ("xingyi_zwgk_2021", "docx", {}),
    "prose_chuzhou_2020.docx": ("chuzhou_2020", "docx", {}),
    "prose_xuchang_2020.docx": ("xuchang_2020", "docx", {}),
    "prose_yuncheng_2017.docx": ("yuncheng_2017", "docx", {}),
    "prose_lishui_2023.docx": ("lishui_2023", "docx", {}),
    "prose_guandu_wzz_2016.docx": ("guandu_wzz_2016", "docx", {}),
    "prose_weihai_szzf_2023.docx": ("weihai_szzf_2023", "docx", {}),
    "prose_heilongjiang_2013.docx": ("heilongjiang_2013", "docx", {}),
    "prose_qinxian_2025.docx": ("qinxian_2025", "docx", {}),
    "prose_shijingshan_jiedao_2019.docx": ("shijingshan_jiedao_2019", "docx", {}),
    "prose_guangzhou_rencai_2012.docx": ("guangzhou_rencai_2012", "docx", {}),
    "prose_chengdu_2019.docx": ("chengdu_2019", "docx", {}),
    "prose_fuyu_rjhj_dcs.docx": ("fuyu_rjhj_dcs", "docx", {}),
    "prose_sichuan_xdlt_2022.docx": ("sichuan_xdlt_2022", "docx", {}),
    "prose_sanmenxia_2023.docx": ("sanmenxia_2023", "docx", {}),
    "prose_guofa_2018_39.docx": ("guofa_2018_39", "docx", {}),
    "prose_guofa_2018_42.docx": ("guofa_2018_42", "docx", {}),
    "prose_guofa_2019_3.docx": ("guofa_2019_3", "docx", {}),
    "prose_guoban_2018_121.docx": ("guoban_2018_121", "docx", {}),
    "prose_guoban_2018_129.docx": ("guoban_2018_129", "docx", {}),
    "unusable_no_units_guofa_2019_5.docx": ("guofa_2019_5", "docx", {}),
    # Constructed on purpose: the 池州 table with its 责任科室 column removed.
    "unusable_no_unit_column.xlsx": ("chizhou_zwgk", "xlsx", {"drop_column": 3}),
}


def load(slug: str) -> dict:
    return json.loads((SOURCES / f"{slug}.json").read_text(encoding="utf-8"))


def layout(rows: list[list[list]]) -> tuple[int, list[tuple[int, int, int, int, str]]]:
    """Place HTML-like rows of [text, colspan, rowspan] on a grid: (width, [(r, c, rs, cs, text)])."""
    taken: set[tuple[int, int]] = set()
    placed = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, rowspan, colspan, text))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            c += colspan
            width = max(width, c)
    return width, placed


def drop_column(rows: list[list[list]], column: int) -> list[list[list]]:
    """The rows without the grid column ``column`` (cells spanning it shrink)."""
    _width, placed = layout(rows)
    out: list[list[list]] = [[] for _ in rows]
    for r, c, rs, cs, text in sorted(placed):
        if c <= column < c + cs:
            cs -= 1
            if cs == 0:
                continue
        out[r].append([text, cs, rs])
    return out


# ---------------------------------------------------------------------------- Word


def new_document() -> Document:
    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = props.title = ""
    props.revision = 1
    props.created = props.modified = FIXED
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Serif CJK SC"
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    return doc


def add_paragraph(doc, style: str, text: str) -> None:
    p = doc.add_paragraph()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        run.bold = style in ("title", "bold")
        if style == "title":
            run.font.size = Pt(16)
        if i < len(lines) - 1:
            run.add_break()
    if style in ("title", "center"):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif style == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def add_table(doc, rows: list[list[list]]) -> None:
    width, placed = layout(rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, c, rs, cs, text in placed:
        cell = table.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = r == 0


def build_docx(name: str, source: dict, options: dict) -> None:
    doc = new_document()
    for block in source["blocks"]:
        if "paragraphs" in block:
            for style, text in block["paragraphs"]:
                add_paragraph(doc, style, text)
            continue
        rows = block["table"]
        split = options.get("split_at")
        if split:
            add_table(doc, rows[:split])
            doc.add_paragraph()
            add_table(doc, rows[:1] + rows[split:])
        else:
            add_table(doc, rows)
    save(doc, name)


# ---------------------------------------------------------------------------- Excel


def build_xlsx(name: str, source: dict, options: dict) -> None:
    wb = openpyxl.Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = ""
    wb.properties.created = wb.properties.modified = FIXED
    ws = wb.active
    ws.title = "Sheet1"
    rows = next(b["table"] for b in source["blocks"] if "table" in b)
    if "drop_column" in options:
        rows = drop_column(rows, options["drop_column"])
    width, placed = layout(rows)
    top = 1
    if options.get("title"):
        ws.cell(1, 1, options["title"]).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        top = 2
    for r, c, rs, cs, text in placed:
        cell = ws.cell(top + r, 1 + c, text)
        cell.font = Font(bold=r == 0)
        if rs > 1 or cs > 1:
            ws.merge_cells(start_row=top + r, start_column=1 + c, end_row=top + r + rs - 1, end_column=c + cs)
    for row in ws.iter_rows(min_row=top, max_row=ws.max_row, max_col=width):
        for cell in row:
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for c in range(width):
        longest = max((len(t) for _r, cc, _rs, _cs, t in placed if cc == c), default=4)
        ws.column_dimensions[chr(ord("A") + c)].width = min(60, max(6, longest * 1.6))
    save(wb, name)


# ---------------------------------------------------------------------------- output


def save(document, name: str) -> None:
    path = HERE / name
    document.save(str(path))
    normalise_zip(path)


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML zip with fixed timestamps so rebuilds are byte-identical."""
    zin = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps 'modified' with the current time
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2024-01-01T00:00:00Z\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            zout.writestr(entry, data)
    path.write_bytes(out.getvalue())


def main() -> None:
    for name, (slug, fmt, options) in FILES.items():
        source = load(slug)
        (build_docx if fmt == "docx" else build_xlsx)(name, source, options)


if __name__ == "__main__":
    main()
