"""QA366: the 汇总表 merged early in the month (before its end; 超期 judged as at that end).

1. 总览's subtitle is one line (its charts are anchored to rows of known height); the clauses that
   did not fit went on the row under it, one fixed line too: an early book with units' own
   deadlines and units not yet due cut its 超期 clause at the tables' edge. That row now wraps,
   as tall as it needs, the tables and their charts moved down together.
(QA366's second change, judging 综合状态 on the merge day, was not taken: 超期 stays judged
at the month's end, and an early 通报 would have said "序时推进…已超过完成时限" of one task.)
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from conftest import drop, issued_path, played_month, set_clock, shanghai, sheet_table

from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.resources import resource
from toolkit.style import load_style
from toolkit.summary_book import ROW_SLACK, Styles, _rest_row
from toolkit.workspace import find_workspace
from toolkit.xlsx import cell_lines, height_of_lines
from toolkit.xlsx_book import Book

DECEMBER = Period(2025, 12)
AGRI, FIN, WATER, FOREST = "县农业农村局", "县财政局", "县水利局", "县林业局"
PLAN = [["青山县农业农村局2025年重点工作任务分工表"],
        ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
        [1, "党建工作", "开展主题党日活动。", AGRI, FIN, "2025年12月底前"],  # the period's end
        [2, "公文办理", "提高办文质量。", AGRI, "", "2025年12月15日"],  # within the period
        [3, "项目建设", "推进高标准农田建设。", FIN, "", "2025年11月底前"],  # an earlier month
        [4, "干部培训", "组织培训2期。", AGRI, "", "2026年6月底前"],  # not due this period
        [5, "水利建设", "推进灌区改造。", WATER, "", "2025年12月20日"],
        [6, "森林防火", "开展防火巡查。", FOREST, "", "2026年3月底前"]]
ANSWERS = {"1": Answer("序时推进", 60, "已开展2次。"), "2": Answer("序时推进", 50, "推进中。"),
           "4": Answer("序时推进", 30, "推进中。")}
EARLY, LATE = dt.date(2025, 12, 7), dt.date(2026, 1, 13)


def play_early(root, answers: dict[str, Answer] = ANSWERS, days: tuple[dt.date, ...] = (EARLY,)):
    """December 2025, three units' forms issued again with their own deadlines and none of them
    reported; 县农业农村局's return (``answers``) filed on 7 December and merged on each of
    ``days``: the workspace's root and, per day, the merge's output and its 汇总表's bytes."""
    mp, _, run = played_month(root, dt.date(2025, 11, 28), "--master",
                              str(sheet_table(root.parent / "分工表.xlsx", PLAN)), "--period", "2025-12")
    merged = {}
    try:
        run("issue", "--period", "2025-12")
        # units judged by their own deadlines (`Consolidation.own_dues_text`): a long subtitle
        for unit, due in ((FIN, "2026-01-10"), (WATER, "2026-01-08"), (FOREST, "2026-01-12")):
            run("issue", "--period", "2025-12", "--dept", unit, "--due", due)
        ws = find_workspace(root)
        data = fill_return(issued_path(ws, AGRI, DECEMBER).read_bytes(), Filling(answers=answers))
        drop(ws, f"{AGRI}.xlsx", data, shanghai(dt.datetime.combine(EARLY, dt.time(10))))
        set_clock(mp, EARLY)
        run("collect")
        for day in days:
            set_clock(mp, day)
            output = run("merge").output
            merged[day] = output, next((root / "汇总").rglob("*_进展汇总表.xlsx")).read_bytes()
    finally:
        mp.undo()
    return root, merged


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    return play_early(tmp_path_factory.mktemp("qa366") / "ws", days=(EARLY, LATE))[1]


def _rows(data: bytes, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data), read_only=True)[sheet].iter_rows(values_only=True))


def _tasks(data: bytes) -> dict[str, dict]:
    rows = _rows(data, "任务汇总")
    head = next(i for i, r in enumerate(rows) if r and r[0] == "任务编号")
    return {str(r[0]): dict(zip(rows[head], r)) for r in rows[head + 1:] if r and r[0]}


# ---- 2: 综合状态 judged on the day ----

@pytest.mark.slow
def test_the_same_month_merged_after_its_end_is_judged_at_the_end_as_before(month):
    output, data = month[LATE]
    tasks = _tasks(data)
    assert {t: (tasks[t]["综合状态"], tasks[t]["是否超期"]) for t in "12"} == {"1": ("滞后", "是"),
                                                                              "2": ("滞后", "是")}
    assert "按期末计超期" not in output and "超期按期末" not in _rows(data, "总览")[1][0]


# ---- 1: 总览's second subtitle row wraps ----

def _overview_head(data: bytes) -> tuple[list[str], list[float | None]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["总览"]
    return [ws.cell(r, 1).value for r in (2, 3)], [ws.row_dimensions[r].height for r in (2, 3, 4)]


def _chart_rows(data: bytes) -> list[int]:
    """The 0-based rows 总览's charts are anchored to."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        drawing = z.read("xl/drawings/drawing1.xml").decode()
    return [int(r) for r in re.findall(r"<from><col>\d+</col><colOff>\d+</colOff><row>(\d+)</row>", drawing)]


@pytest.mark.slow
def test_the_overview_shows_every_clause_of_a_long_subtitle(month):
    _, data = month[EARLY]
    subtitle = _rows(data, "任务汇总")[1][0]
    (second, third), (h2, h3, h4) = _overview_head(data)
    assert f"{second}；{third}" == subtitle and third.endswith("其中 3 项的完成时限在2025年12月7日尚未过")
    assert h2 == h4 == 16 and h3 > 30  # two lines, the rows under it as before
    cell = openpyxl.load_workbook(io.BytesIO(data))["总览"]["A3"]
    assert cell.alignment.wrap_text
    assert min(_chart_rows(data)) >= 3  # every chart under the subtitle's rows, moving with the tables


@pytest.mark.slow
def test_a_units_own_deadlines_past_the_overview_s_width_wrap_after_the_month_too(month):
    """Merged after every deadline the 总览 is narrower (no 未报送（尚未截止） column): the units'
    own deadlines, a clause longer than its tables are wide, were cut at their edge there too."""
    _, data = month[LATE]
    (second, third), (h2, h3, h4) = _overview_head(data)
    assert f"{second}；{third}" == _rows(data, "任务汇总")[1][0] and third.endswith("按其填报表上的截止日期）")
    assert h2 == h4 == 16 and h3 > 30


def _rest_rows(tmp_path, text: str) -> tuple[float | None, bool | None]:
    book = Book()
    ws = book.sheet("总览")
    ws.widths = [30, 11, 11, 11, 11, 11, 11]
    s = Styles(load_style(resource("templates", "样式.toml")))
    _rest_row(ws, book.style(s.subtitle, align=s.left), book.style(s.subtitle, align=s.wrap), text, 96, 10)
    book.save(tmp_path / "总览.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "总览.xlsx")["总览"]
    return cell.row_dimensions[1].height, cell["A1"].alignment.wrap_text


def test_the_overview_s_rest_row_is_one_fixed_line_when_it_fits_and_as_tall_as_it_needs_when_not(tmp_path):
    assert _rest_rows(tmp_path, "2022年6月仍按下发时的任务清单核定") == (16, None)  # as before: an ordinary book unchanged
    rest = ("报送截止 2026年1月12日（县农业农村局 2026年1月5日、县财政局 2026年1月10日、县水利局 2026年1月8日，"
            "按其填报表上的截止日期）；未报送（尚未截止）按2025年12月7日计；超期按期末（2025年12月31日）计，"
            "其中 3 项的完成时限在2025年12月7日尚未过")
    assert cell_lines(rest, 96, 10) == 3
    assert _rest_rows(tmp_path, rest) == (round(height_of_lines(3, 10, 16) * ROW_SLACK, 1), True)


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_printed_overview_shows_the_whole_subtitle_above_its_tables_and_charts(month, lo, tmp_path):
    """As printed (LibreOffice): the third row's words end within the tables' width (one line, they
    were cut there after 超期) and every table and chart starts under them."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) 未安装")
    book = tmp_path / "汇总表.xlsx"
    book.write_bytes(month[EARLY][1])
    pdf = lo(book, "pdf", tmp_path)
    xml = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    words = [(w, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]
    top = next(w for w in words if w[0] == "报送截止")[2]
    section = next(w for w in words if w[0] == "一、任务进展")
    subtitle = [w for w in words if top <= w[2] < section[2]]
    assert "".join(w[0] for w in subtitle).endswith("其中3项的完成时限在2025年12月7日尚未过")
    edge = next(w for w in words if w[0] == "合计")[3] + 20  # 三's last column, its word centred
    assert max(w[3] for w in subtitle) <= edge
    chart_title = next(w for w in words if w[0] == "任务综合状态占比")
    assert min(section[2], chart_title[2]) >= max(w[4] for w in subtitle)
