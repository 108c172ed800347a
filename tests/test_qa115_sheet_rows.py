"""The 汇总表's data rows built column by column, a chunk of rows at a time (issue 19, W2's
merge): the same bytes as cell by cell, across chunks, with the cells remembered per column
cleared, and with the cells measured only when they may be their row's tallest."""

from __future__ import annotations

import datetime as dt
import zipfile

from test_merge import month  # noqa: F401  (fixture)

from toolkit import sheet_rows
from toolkit.consolidate import consolidate
from toolkit.style import load_style
from toolkit.summary_book import write_workbook
from toolkit.xlsx import MAX_ROW_HEIGHT, cell_lines, cell_xml, height_of_lines, one_line_chars

SIZE = 10
WIDTHS = [16, 7, 9, 50, 28, 28]
LETTERS = list("ABCDEF")


def height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT, round(height_of_lines(lines, SIZE, 16) * 1.05, 1))


def style_of(i: int, v) -> int:
    return 7 if v == "滞后" else i + 1


def cell_by_cell(items) -> str:
    """The rows as they were written before: every cell serialised and measured on its own."""
    out = []
    for r, item in enumerate(items, start=4):
        lines = max(cell_lines(v, w, SIZE) if isinstance(v, str) and (len(v) > one_line_chars(w, SIZE) or "\n" in v)
                    else 1 for v, w in zip(item, WIDTHS))
        cells = "".join(cell_xml(f"{letter}{r}", v, style_of(i, v)) for i, (letter, v) in enumerate(zip(LETTERS, item)))
        out.append(f'<row r="{r}" ht="{height(lines)}" customHeight="1">{cells}</row>')
    return "".join(out)


def column_by_column(items) -> str:
    gets = [lambda item, i=i: item[i] for i in range(len(WIDTHS))]
    return "".join(sheet_rows.table_rows(iter(items), gets, LETTERS, WIDTHS, SIZE, style_of, height)())


WORK = ("2022年6月，虎门镇围绕“优化营商环境”印发实施方案，梳理政务服务事项清单126项，"
        "完成镇级政务服务中心窗口改造，推行“一窗通办”，群众办事平均时长缩短三成。")
PROBLEMS = "部分村（社区）便民服务站人员不足，系统对接进度慢于预期。"
PLAN = "7月底前完成全部村（社区）站点改造，组织业务培训两期。"
PER_UNIT = "\n".join(f"【{town}】{WORK}" for town in ("虎门镇", "石龙镇", "东坑镇", "长安镇", "塘厦镇") * 7)


def test_the_rows_are_the_bytes_measured_cell_by_cell(monkeypatch):
    """A 存在问题 under a longer 工作进展 is not measured, but the same text under a short one
    is (石龙镇's row); a text of more paragraphs than a row of 409 pt shows is not measured;
    True is not 1 and False is not 0 (their cells are t="b"), whichever comes first."""
    rows = [
        ("虎门镇", "牵头", "序时推进", WORK, PROBLEMS, PLAN),
        ("石龙镇", "配合", "滞后", "按计划推进。", PROBLEMS, PLAN),  # 存在问题 now the tallest
        ("东坑镇", "牵头", 1, PER_UNIT, "", None),
        ("长安镇", "牵头", True, "", PROBLEMS + "\n" + PLAN, dt.date(2022, 7, 31)),
        ("塘厦镇", "配合", 0, PROBLEMS, "", 68.0),
        ("清溪镇", "配合", False, "第二版", PER_UNIT, 1),
        ("凤岗镇", "牵头", 1.0, PLAN, PROBLEMS, True),
    ]
    items = rows * 3 + [(f"测试{i:04d}镇", "牵头", i % 3, f"{WORK[:20 + i % 40]}", PROBLEMS, PLAN) for i in range(40)]
    expected = cell_by_cell(items)
    assert column_by_column(items) == expected
    # rows in chunks of 4, the cells remembered per column forgotten after 3
    monkeypatch.setattr(sheet_rows, "ROWS_PER_CHUNK", 4)
    monkeypatch.setattr(sheet_rows, "SEEN_PER_COLUMN", 3)
    assert column_by_column(items) == expected
    assert column_by_column([]) == ""


def test_the_workbook_is_the_same_in_small_chunks(month, tmp_path, monkeypatch):  # noqa: F811
    """Every sheet's XML, written in chunks of 3 rows with the cells per column forgotten
    after 5, is the one written in the default chunks (which is openpyxl's: test_merge)."""
    cons = consolidate(month, "2022-06")
    big = write_workbook(cons, tmp_path / "big.xlsx", load_style())
    monkeypatch.setattr(sheet_rows, "ROWS_PER_CHUNK", 3)
    monkeypatch.setattr(sheet_rows, "SEEN_PER_COLUMN", 5)
    small = write_workbook(cons, tmp_path / "small.xlsx", load_style())
    with zipfile.ZipFile(big) as a, zipfile.ZipFile(small) as b:
        sheets = [n for n in a.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 8 and sheets == [n for n in b.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            assert a.read(name) == b.read(name), name
        details = a.read("xl/worksheets/sheet3.xml").decode()
        assert details.count("<row ") > 3 * 5  # several chunks
