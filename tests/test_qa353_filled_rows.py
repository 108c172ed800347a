"""QA353 E: a form filled by `filling.fill_return` (the demo's departments, the tests') printed a
long 工作进展 cut off in LibreOffice: openpyxl reads every row's height back as set by hand and
writes it so, and LibreOffice kept the issued form's height (2.1's 75 points for three lines of
prefilled text, seven typed). The rows are fitted again to what is in them, not set by hand, as
Excel leaves a row a department typed in; a deleted row's height no longer moves to the next."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from conftest import issued_path

from toolkit.filling import Answer, Filling, fill_return
from toolkit.returns import FIRST_ROW, HEADER_ROW, SHEET
from toolkit.xlsx import row_height

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
UNIT = "市司法局"
WORK = "围绕政务服务标准化建设，本期完成事项清单梳理，编制办事指南一百二十项，推动“一网通办”覆盖率提升至百分之九十五。" * 3


def _rows(data: bytes) -> dict[int, dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    return {int(r.get("r")): dict(r.attrib) for r in root.iterfind("m:sheetData/m:row", NS)}


def test_a_long_answer_grows_its_row_and_leaves_it_to_the_office_suite(issued_ws):
    data = fill_return(issued_path(issued_ws, UNIT), Filling(answers={"2.3": Answer(work=WORK)}))
    rows = _rows(data)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data))[SHEET]
    r = next(c.row for c in sheet["A"] if c.value == "2.3")
    assert float(rows[r]["ht"]) >= row_height([(WORK, sheet.column_dimensions["J"].width)], 10)
    task_rows = [n for n in rows if n >= FIRST_ROW]
    assert task_rows and not any(rows[n].get("customHeight") in ("1", "true") for n in task_rows)
    assert all(rows[n].get("customHeight") in ("1", "true") for n in range(1, HEADER_ROW + 1))


def test_a_deleted_row_takes_its_height_with_it(issued_ws):
    filling = Filling(answers={"2.3": Answer(work=WORK)})
    tall = _rows(fill_return(issued_path(issued_ws, UNIT), filling))
    filling.delete_tasks = ("2.3",)
    rows = _rows(fill_return(issued_path(issued_ws, UNIT), filling))
    r = FIRST_ROW + 1  # 2.3's row: the next task's now, as tall as that task's was
    assert float(tall[r]["ht"]) > float(tall[r + 1]["ht"])
    assert rows[r]["ht"] == tall[r + 1]["ht"]
