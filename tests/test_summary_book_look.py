"""Issue 16: the consolidated workbook as people see it, read from the xlsx itself (fast).

One colour per status, from 样式.toml, in cells and charts alike; every sheet prints A4
landscape fitted to width with its header row repeated. The rendered pictures are checked
in test_summary_book_pixels.py.
"""

from __future__ import annotations

import copy
import re
import zipfile
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook
from summary_demo import STATUS_COLUMNS, build, chart_xml, rgb, status_colours

from toolkit.consolidate import consolidate
from toolkit.style import load_style
from toolkit.summary_book import write_workbook
from toolkit.vocab import TASK_STATUSES
from toolkit.workspace import find_workspace

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build(tmp_path_factory.mktemp("look"))


def _cell_values(sheet, ref: str) -> list:
    """Values of an absolute range such as '总览'!$A$7:$A$11."""
    rng = ref.split("!")[1].replace("$", "")
    if ":" not in rng:
        return [sheet[rng].value]
    return [c.value for row in sheet[rng] for c in row]


def _fill(el) -> str | None:
    found = el.find(f"{C}spPr/{A}solidFill/{A}srgbClr")
    return found.get("val").upper() if found is not None else None


def chart_colours(book) -> dict[str, dict[str, str]]:
    """Chart title -> {category or series name: fill colour} for the 总览 charts."""
    overview = load_workbook(book)["总览"]
    out = {}
    for xml in chart_xml(book):
        root = ET.fromstring(xml)
        title = "".join(t.text or "" for t in root.find(f"{C}chart/{C}title").iter(f"{A}t"))
        colours = {}
        for ser in root.iter(f"{C}ser"):
            points = ser.findall(f"{C}dPt")
            if points:  # pie: one colour per data point, categories from the sheet
                cats = _cell_values(overview, ser.find(f"{C}cat//{C}f").text)
                for dpt in points:
                    colours[cats[int(dpt.find(f"{C}idx").get("val"))]] = _fill(dpt)
            else:
                name_ref = ser.find(f"{C}tx//{C}f")
                name = _cell_values(overview, name_ref.text)[0] if name_ref is not None else ""
                colours[name] = _fill(ser)
        out[title] = colours
    return out


def test_status_colours_are_the_ones_people_expect(ws):
    """The shipped table itself: green done, blue on track, red lagging, grey, orange. Read
    from a fresh workspace's 样式.toml, the one the demo month's book is styled by, so the
    quick loop checks it without playing that month."""
    c = {k: rgb(v) for k, v in status_colours(load_style(ws.template("样式.toml"))).items()}
    r, g, b = c["已完成"]
    assert g > r and g > b
    r, g, b = c["序时推进"]
    assert b > r and b > g
    r, g, b = c["滞后"]
    assert r > g + 60 and r > b + 60
    r, g, b = c["未启动"]
    assert max(r, g, b) - min(r, g, b) < 10
    r, g, b = c["未报送"]
    assert r > g > b and r - b > 60
    unit_states = [c[k] for k in ("按时报送", "逾期报送", "未报送", "退回待改")]
    assert len(set(unit_states)) == 4 and len({c[k] for k in TASK_STATUSES}) == 5


def test_chart_series_take_the_status_colours(demo):
    book, style = demo
    colours = status_colours(style)
    charts = chart_colours(book)
    # the per-unit chart is one a printed page of 四, the later ones 续 (QA392)
    assert set(charts) == {"任务综合状态占比", "各一级任务进展", "各单位平均完成进度(%)", "各单位平均完成进度(%)（续）"}
    assert charts["各单位平均完成进度(%)（续）"] == charts["各单位平均完成进度(%)"]
    assert charts["任务综合状态占比"] == {s: colours[s] for s in TASK_STATUSES}
    assert charts["各一级任务进展"] == {s: colours[s] for s in TASK_STATUSES}
    progress = set(charts["各单位平均完成进度(%)"].values())
    assert progress == {style["summary"]["progress_fill"].upper()}
    assert not progress & {colours[s] for s in TASK_STATUSES}  # progress is not a status


def test_restyled_colour_reaches_cells_and_charts_alike(demo, tmp_path):
    """Defined once: an office that changes 序时推进 in 样式.toml gets it everywhere."""
    book, style = demo
    ws = find_workspace(book.parents[2], explicit=True)
    mine = copy.deepcopy(style)
    mine["summary"]["status_fills"]["序时推进"] = "123456"
    path = write_workbook(consolidate(ws), tmp_path / "mine.xlsx", mine)
    charts = chart_colours(path)
    assert charts["任务综合状态占比"]["序时推进"] == "123456"
    assert charts["各一级任务进展"]["序时推进"] == "123456"
    sheet = load_workbook(path)["任务汇总"]
    col = [c.value for c in sheet[3]].index("综合状态")
    fills = {row[col].fill.fgColor.rgb[-6:] for row in sheet.iter_rows(min_row=4) if row[col].value == "序时推进"}
    assert fills == {"123456"}


def test_status_cells_are_filled_with_their_colour(demo):
    book, style = demo
    colours = status_colours(style)
    wb = load_workbook(book)
    checked = 0
    for name, headers in STATUS_COLUMNS.items():
        sheet = wb[name]
        header = [c.value for c in sheet[3]]
        for h in headers:
            col = header.index(h)
            for row in sheet.iter_rows(min_row=4):
                value = row[col].value
                if value in colours:
                    assert row[col].fill.fgColor.rgb[-6:] == colours[value], (name, row[col].coordinate)
                    checked += 1
    history = wb["历次进展"]
    for row in history.iter_rows(min_row=4):
        if row[2].value in colours:
            assert row[2].fill.fgColor.rgb[-6:] == colours[row[2].value]
            checked += 1
    overview = wb["总览"]
    labels = {row[0].value: row[0] for row in overview.iter_rows() if row[0].value in TASK_STATUSES}
    assert {k: c.fill.fgColor.rgb[-6:] for k, c in labels.items()} == {s: colours[s] for s in TASK_STATUSES}
    assert checked > 300


@pytest.mark.slow  # plays the demo month (about 5 s): run in CI, out of the quick loop
def test_every_sheet_prints_a4_landscape_fitted_to_width_with_titles(demo):
    book, _ = demo
    with zipfile.ZipFile(book) as z:
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target").lstrip("/").removeprefix("xl/") for r in rels}
        sheets = workbook.findall(f"{MAIN}sheets/{MAIN}sheet")
        titles = {int(d.get("localSheetId")): d.text for d in workbook.iter(f"{MAIN}definedName")
                  if d.get("name") == "_xlnm.Print_Titles"}
        assert len(sheets) == 8
        for i, sheet in enumerate(sheets):
            name = sheet.get("name")
            rid = sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            xml = ET.fromstring(z.read("xl/" + target[rid]))
            setup = xml.find(f"{MAIN}pageSetup")
            assert setup.get("orientation") == "landscape", name
            assert setup.get("paperSize") == "9", name
            assert setup.get("fitToWidth") == "1" and setup.get("fitToHeight") == "0", name
            assert xml.find(f"{MAIN}sheetPr/{MAIN}pageSetUpPr").get("fitToPage") == "1", name
            margins = xml.find(f"{MAIN}pageMargins")
            # the footer (page numbers) needs room between its line and the body
            assert float(margins.get("bottom")) - float(margins.get("footer")) >= 0.35, name
            assert re.fullmatch(rf"'?{name}'?!\$(\d+):\$\1", titles[i]), (name, titles.get(i))
            if name != "总览":
                assert titles[i].endswith("$3:$3")


def test_unit_chart_names_every_unit_on_a_0_to_100_axis(demo):
    book, _ = demo
    overview = load_workbook(book)["总览"]
    units = []
    for part in chart_xml(book)[2:]:  # one a printed page of 四 (QA392)
        xml = ET.fromstring(part)
        cat_ax, val_ax = xml.find(f"{C}chart/{C}plotArea/{C}catAx"), xml.find(f"{C}chart/{C}plotArea/{C}valAx")
        assert cat_ax.find(f"{C}tickLblSkip").get("val") == "1"
        assert cat_ax.find(f"{C}delete").get("val") == "0" and val_ax.find(f"{C}delete").get("val") == "0"
        assert cat_ax.find(f"{C}scaling/{C}orientation").get("val") == "maxMin"  # table order, top down
        assert val_ax.find(f"{C}scaling/{C}min").get("val") == "0"
        assert val_ax.find(f"{C}scaling/{C}max").get("val") == "100"
        units += _cell_values(overview, xml.find(f".//{C}cat//{C}f").text)
    assert units == [r[0] for r in load_workbook(book)["报送情况"].iter_rows(min_row=4, values_only=True)]


def test_titles_get_rows_tall_enough_for_their_lines(demo):
    """A narrow sheet's long title wraps; its row must hold every line (历次进展 was cut)."""
    book, style = demo
    wb = load_workbook(book)
    size = style["summary"]["title_size"]
    history = wb["历次进展"]
    assert history.row_dimensions[1].height >= 2 * size * 1.3
    assert wb["任务汇总"].row_dimensions[1].height >= size * 1.3


def test_a_text_taller_than_excels_highest_row_says_so_first(demo):
    """Excel cuts a row at 409 pt, on screen and on paper: the demo's tasks for every town
    (9.1 has 30 units' progress) lost their last units without a word. Such a cell now says
    first where the whole text is; shorter cells are left as they were."""
    from toolkit.summary_book import SEE_DETAILS
    from toolkit.xlsx import MAX_ROW_HEIGHT

    book, _ = demo
    tasks = load_workbook(book)["任务汇总"]
    header = [c.value for c in tasks[3]]
    progress, problems = header.index("各单位进展") + 1, header.index("存在问题") + 1
    capped = noted = 0
    for r in range(4, tasks.max_row + 1):
        text = tasks.cell(r, progress).value or ""
        full = tasks.row_dimensions[r].height >= MAX_ROW_HEIGHT
        capped += full
        noted += text.startswith(SEE_DETAILS + "\n")
        # a note only where the row is full; every unit's text is still there after it
        assert not text.startswith(SEE_DETAILS) or full
        assert SEE_DETAILS not in (tasks.cell(r, problems).value or "") or full
    assert noted and noted == capped
    row = next(r for r in range(4, tasks.max_row + 1) if tasks.cell(r, 1).value == "9.1")
    text = tasks.cell(row, progress).value
    assert text.startswith(SEE_DETAILS) and text.count("【") == 31 and "【大朗镇】" in text


def test_the_note_goes_only_where_the_estimate_overflows():
    from toolkit.xlsx import cell_lines, most_lines, noting

    note = "【见别处】"
    get = noting(lambda t: t, 60, 10, note, 1.05)
    assert most_lines(10, 1.05) == 27  # 27 lines of 10 pt: 383 pt, 402 pt with the slack
    short, lines = "短句。" * 3, "\n".join(["一行字"] * 27)
    assert get(short) == short and get(lines) == lines and get(None) is None and get(7) == 7
    longer = lines + "\n再一行"
    assert cell_lines(longer, 60, 10) == 28 and get(longer) == f"{note}\n{longer}"
    wide = "很" * 873  # 27 lines of a 60-wide column at 10 pt hold 27 × 58.8 × 11/10 / 2 = 873.2 wide characters
    assert cell_lines(wide, 60, 10) == 27 and get(wide) == wide and get(wide + "很") == f"{note}\n{wide}很"
