"""The charts of the 汇总表's 总览 sheet, coloured by status from 样式.toml.

Excel and LibreOffice colour series and pie slices from their theme unless told otherwise,
which painted 序时推进 red and 滞后 green next to cells filled the other way round. Every
status series and slice here gets its colour explicitly, from the same table as the cells.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .text import column_letter
from .xlsx import escape
from .xlsx_book import Chart, absolute, attr, sheet_ref

#: Least height (cm) per category in the per-unit chart. LibreOffice drops every second label
#: when labels crowd at the printed scale: 7 pt in 0.44 cm keeps every unit named.
UNIT_SLOT_CM = 0.44
#: The per-unit chart's title and value axis (cm) over its bars
UNIT_FRAME_CM = 2.5
UNIT_SHORT_CM = 0.5
#: A4 landscape's printable width and height (points) inside the sheets' margins
#: (`xlsx_book.Sheet.margins`: 0.4 in left and right, 0.5 in top, 0.65 in bottom)
PAGE_WIDTH_PT = (11.69 - 0.8) * 72
PAGE_HEIGHT_PT = (8.27 - 1.15) * 72
UNIT_LABEL_PT = 7
#: Units up to which 四 gets its bar charts: 150 bars are five printed pages, a chart beside the
#: table on each. A thousand (a province's 村 and 社区) made a chart 442 cm tall, past what a page or
#: a screen shows of it, its bars no longer beside their rows (QA177): the table alone then.
UNIT_CHART_MAX = 150
CHART_FONT_SIZE = 9
#: Height (cm) per 一级任务 in the level chart, over title, axis and legend: the 7 cm that fits
#: a city's 5 showed only every second name of a plan's 8 (QA, 300 units).
LEVEL_SLOT_CM = 0.6
LEVEL_FRAME_CM = 4.0


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _run_props(size: float, font: str, bold: bool) -> str:
    return f'sz="{int(size * 100)}" b="{int(bold)}"><a:latin typeface="{attr(font)}"/><a:ea typeface="{attr(font)}"/>'


def _text(size: float, font: str, bold: bool = False) -> str:
    """Text properties for chart labels (size in points)."""
    props = _run_props(size, font, bold)
    return (f"<txPr><a:bodyPr/><a:p><a:pPr><a:defRPr {props}</a:defRPr></a:pPr><a:r><a:t></a:t></a:r>"
            f"<a:endParaRPr {props}</a:endParaRPr></a:p></txPr>")


def _title(text: str, font: str) -> str:
    props = _run_props(12, font, True)
    return (f"<title><tx><rich><a:bodyPr/><a:p><a:pPr><a:defRPr {props}</a:defRPr></a:pPr><a:r><a:rPr {props}"
            f'</a:rPr><a:t>{escape(text)}</a:t></a:r></a:p></rich></tx><overlay val="0"/></title>')


def _fill(rgb: str, outline: str | None = None) -> str:
    return (f'<spPr><a:solidFill><a:srgbClr val="{rgb}"/></a:solidFill><a:ln><a:solidFill>'
            f'<a:srgbClr val="{outline or rgb}"/></a:solidFill><a:prstDash val="solid"/></a:ln></spPr>')


def _chart(plot: str, legend: str = "") -> str:
    return (f'<chartSpace xmlns="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="{_A}">'
            f'<chart>{plot}{legend}<plotVisOnly val="1"/><dispBlanksAs val="gap"/></chart></chartSpace>')


def _legend(position: str, font: str) -> str:
    return f'<legend><legendPos val="{position}"/>{_text(CHART_FONT_SIZE, font)}</legend>'


def _series(i: int, title_ref: str | None, fill: str, cats: str, values: str) -> str:
    title = f"<tx><strRef><f>{escape(title_ref)}</f></strRef></tx>" if title_ref else ""
    return (f'<ser><idx val="{i}"/><order val="{i}"/>{title}{fill}<cat><numRef><f>{escape(cats)}</f></numRef></cat>'
            f"<val><numRef><f>{escape(values)}</f></numRef></val></ser>")


def _axes(font: str, cat_size: float, cat_extra: str, value_scaling: str, value_extra: str, step: float) -> str:
    """A horizontal bar chart's axes: categories top to bottom in table order (so the value
    axis crosses at their end, the bottom), every category named. openpyxl ≥ 3.1 left
    <c:delete> unset, which Excel reads as "axis hidden": it is written here."""
    return ('<catAx><axId val="10"/><scaling><orientation val="maxMin"/></scaling><delete val="0"/>'
            f'<axPos val="l"/><majorTickMark val="none"/><minorTickMark val="none"/>{_text(cat_size, font)}'
            f'<crossAx val="100"/><lblOffset val="100"/><tickLblSkip val="1"/>{cat_extra}</catAx>'
            f'<valAx><axId val="100"/><scaling><orientation val="minMax"/>{value_scaling}</scaling>'
            f'<delete val="0"/><axPos val="l"/><majorGridlines/>{value_extra}<numFmt formatCode="0" sourceLinked="0"/>'
            f'<majorTickMark val="none"/><minorTickMark val="none"/>{_text(CHART_FONT_SIZE, font)}'
            f'<crossAx val="10"/><crosses val="max"/><majorUnit val="{step:g}"/></valAx>')


def nice_step(top: float) -> float:
    """A round major unit giving about five to eight gridlines up to ``top``; 1 at least."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 8:
            return step
    return 10000


def status_pie(sheet: str, first: int, last: int, statuses: tuple[str, ...], colours: dict[str, str],
               font: str, task: str = "任务") -> str:
    """Pie of task statuses (names in column A, counts in B, rows ``first``..``last`` of
    ``sheet``), one explicitly coloured slice per status; ``task``: what the plan counts
    (`rectification.Words.task`: a 整改清单's 整改任务)."""
    points = "".join(f'<dPt><idx val="{i}"/>{_fill(colours.get(status, "FFFFFF"), "FFFFFF")}</dPt>'
                     for i, status in enumerate(statuses))
    labels = (f'<dLbls>{_text(CHART_FONT_SIZE, font)}<showLegendKey val="0"/><showVal val="0"/>'
              '<showCatName val="0"/><showSerName val="0"/><showPercent val="1"/><showLeaderLines val="1"/></dLbls>')
    series = _series(0, None, f'<spPr><a:ln><a:prstDash val="solid"/></a:ln></spPr>{points}{labels}',
                     sheet_ref(sheet, absolute(1, first, last)), sheet_ref(sheet, absolute(2, first, last)))
    plot = f'<plotArea><pieChart><varyColors val="1"/>{series}<firstSliceAng val="0"/></pieChart></plotArea>'
    return _chart(_title(f"{task}综合状态占比", font) + plot, _legend("r", font))


def level_bars(sheet: str, header: int, last: int, statuses: tuple[str, ...], colours: dict[str, str], font: str,
               top: int, title: str = "各一级任务进展", task: str = "任务") -> str:
    """Stacked bars of task counts per 一级任务 (names in column A, a status per column from B
    with its name in row ``header``, rows ``header`` + 1..``last``), one series per status in
    its colour."""
    cats = sheet_ref(sheet, absolute(1, header + 1, last))
    series = "".join(_series(i, sheet_ref(sheet, f"{column_letter(col)}{header}"),
                             _fill(colours.get(status, "FFFFFF")), cats,
                             sheet_ref(sheet, absolute(col, header + 1, last)))
                     for i, (col, status) in enumerate(zip(range(2, 2 + len(statuses)), statuses)))
    axis_title = (f"<title><tx><rich><a:bodyPr/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:t>{task}数</a:t></a:r></a:p>"
                  "</rich></tx></title>")
    plot = ('<plotArea><barChart><barDir val="bar"/><grouping val="stacked"/>'
            f'{series}<gapWidth val="60"/><overlap val="100"/><axId val="10"/><axId val="100"/></barChart>'
            + _axes(font, CHART_FONT_SIZE, "", '<min val="0"/>', axis_title, nice_step(top)) + "</plotArea>")
    return _chart(_title(title, font) + plot, _legend("b", font))


def unit_bars(sheet: str, header: int, first: int, last: int, rgb: str, font: str,
              say: Callable[[str], str] = str) -> str:
    """Average progress per unit (names in column A, progress in E, rows ``first``..``last``
    under the table's ``header``): every unit's name shown, 0–100 %; ``say`` words its title
    (各科室 in a bureau's own plan: `units.say_sections`). A chart of the table's later rows (a
    printed page of its own, `unit_pages`) is titled 续."""
    series = _series(0, sheet_ref(sheet, f"E{header}"), _fill(rgb), sheet_ref(sheet, absolute(1, first, last)),
                     sheet_ref(sheet, absolute(5, first, last)))
    plot = ('<plotArea><barChart><barDir val="bar"/><grouping val="clustered"/>'
            f'{series}<gapWidth val="40"/><axId val="10"/><axId val="100"/></barChart>'
            + _axes(font, UNIT_LABEL_PT, '<tickMarkSkip val="1"/>', '<max val="100"/><min val="0"/>', "", 20)
            + "</plotArea>")
    return _chart(_title(say("各单位平均完成进度(%)") + ("（续）" if first > header + 1 else ""), font) + plot)


def level_chart_height(levels: int) -> float:
    """Chart height (cm) for ``levels`` 一级任务: 7 cm up to a city's five."""
    return max(7.0, LEVEL_SLOT_CM * levels + LEVEL_FRAME_CM)


def unit_chart_height(units: int, row_cm: float, page_rows: int) -> float:
    """Chart height (cm) for ``units`` categories plus title and axis, beside their rows of
    ``row_cm``, never past the ``page_rows`` rows a printed page holds from its first. Half a
    centimetre short of its rows' end: one that ended a millimetre before the page break was
    also drawn, clipped, on the next page (its labels in that page's PDF text)."""
    return min(page_rows * row_cm, max(9.0, UNIT_SLOT_CM * units + UNIT_FRAME_CM, units * row_cm)) - UNIT_SHORT_CM


def page_rows(widths: list[float], gap: int, chart_cm: float, row_pt: float) -> int:
    """Rows of ``row_pt`` a printed A4 landscape page holds of a sheet fitted to its width: the
    columns' ``widths`` (characters), ``gap`` default-width columns, then a chart ``chart_cm``
    wide. The scale is Excel's, whose columns are narrower than LibreOffice's (its pixels: 7 per
    character and 5 of margin, 64 for a default column): its pages hold the fewest rows (总览's
    54 units took 40 rows a page in Excel, 48 in LibreOffice)."""
    px = sum(int(w * 7 + 5) for w in widths) + 64 * gap + chart_cm / 2.54 * 96
    scale = min(1.0, PAGE_WIDTH_PT / (px * 0.75))
    return int(PAGE_HEIGHT_PT / (row_pt * scale))


def unit_pages(units: int, per_page: int) -> list[int]:
    """``units`` rows in pages of at most ``per_page``, as even as can be (63 units: 32 and 31, not
    a page of 37 and one of 26), each page's rows beside a chart of their own: one chart of
    them all past a page was cut by the page break, its last bars and axis printed on the next
    page under the title overprinted there (QA391)."""
    pages = max(1, math.ceil(units / max(per_page, 1)))
    size, extra = divmod(units, pages)
    return [size + (i < extra) for i in range(pages)]


EMU_PER_CM = 360000


def anchor(xml: str, col: int, row: int, width_cm: float, height_cm: float) -> Chart:
    """``xml`` placed at 0-based (col, row), 1 mm down: a chart flush with a page break is
    otherwise also drawn, clipped to nothing, on the page before (its text leaks into that
    page's PDF text)."""
    return Chart(xml, col, row, int(0.1 * EMU_PER_CM), int(width_cm * EMU_PER_CM), int(height_cm * EMU_PER_CM))
