"""The charts of the 汇总表's 总览 sheet, coloured by status from 样式.toml.

Excel and LibreOffice colour series and pie slices from their theme unless told otherwise,
which painted 序时推进 red and 滞后 green next to cells filled the other way round. Every
status series and slice here gets its colour explicitly, from the same table as the cells.
"""

from __future__ import annotations

from collections.abc import Callable

#: Height (cm) per category in the per-unit chart. LibreOffice drops every second label
#: when labels crowd at the printed scale: 7 pt in 0.44 cm keeps all of a city's 54 units,
#: and the chart (plus title and axis) still fits one fitted-to-width page.
UNIT_SLOT_CM = 0.44
UNIT_LABEL_PT = 7
CHART_FONT_SIZE = 9
#: Height (cm) per 一级任务 in the level chart, over title, axis and legend: the 7 cm that fits
#: a city's 5 showed only every second name of a plan's 8 (QA, 300 units).
LEVEL_SLOT_CM = 0.6
LEVEL_FRAME_CM = 4.0


def _text(size: float, font: str, bold: bool = False):
    """Text properties for chart labels (size in points)."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties

    props = CharacterProperties(sz=int(size * 100), b=bold, latin=Font(typeface=font), ea=Font(typeface=font))
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _title(text: str, font: str):
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties, RegularTextRun

    props = CharacterProperties(sz=1200, b=True, latin=Font(typeface=font), ea=Font(typeface=font))
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _fill(props, rgb: str, outline: str | None = None) -> None:
    props.solidFill = rgb
    props.line.solidFill = outline or rgb


def _axes(chart, font: str) -> None:
    # openpyxl ≥ 3.1 leaves <c:delete> unset, which Excel reads as "axis hidden".
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = _text(CHART_FONT_SIZE, font)


def nice_step(top: float) -> float:
    """A round major unit giving about five to eight gridlines up to ``top``; 1 at least."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 8:
            return step
    return 10000


def status_pie(ws, data_ref, cats_ref, statuses: tuple[str, ...], colours: dict[str, str], font: str):
    """Pie of task statuses, one explicitly coloured slice per status."""
    from openpyxl.chart import PieChart
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.marker import DataPoint

    pie = PieChart()
    pie.title = _title("任务综合状态占比", font)
    pie.add_data(data_ref, titles_from_data=False)
    pie.set_categories(cats_ref)
    series = pie.series[0]
    for i, status in enumerate(statuses):
        point = DataPoint(idx=i)
        _fill(point.graphicalProperties, colours.get(status, "FFFFFF"), "FFFFFF")
        series.dPt.append(point)
    labels = DataLabelList()
    labels.showPercent = True
    for flag in ("showVal", "showCatName", "showSerName", "showLegendKey"):
        setattr(labels, flag, False)
    labels.showLeaderLines = True
    labels.txPr = _text(CHART_FONT_SIZE, font)
    series.dLbls = labels
    pie.legend.position = "r"
    pie.legend.txPr = _text(CHART_FONT_SIZE, font)
    return pie


def level_bars(ws, data_ref, cats_ref, statuses: tuple[str, ...], colours: dict[str, str], font: str,
               top: int, title: str = "各一级任务进展"):
    """Stacked bars of task counts per 一级任务, one series per status in its colour."""
    from openpyxl.chart import BarChart

    bar = BarChart()
    bar.type = "bar"
    bar.grouping = "stacked"
    bar.overlap = 100
    bar.gapWidth = 60
    bar.title = _title(title, font)
    bar.add_data(data_ref, titles_from_data=True)
    bar.set_categories(cats_ref)
    for series, status in zip(bar.series, statuses):
        _fill(series.graphicalProperties, colours.get(status, "FFFFFF"))
    _axes(bar, font)
    bar.x_axis.tickLblSkip = 1  # every 一级任务 named (level_chart_height leaves them room)
    # Categories top to bottom in table order; the value axis then belongs at the bottom.
    bar.x_axis.scaling.orientation = "maxMin"
    bar.y_axis.crosses = "max"
    bar.y_axis.title = "任务数"
    bar.y_axis.scaling.min = 0
    bar.y_axis.majorUnit = nice_step(top)
    bar.y_axis.number_format = "0"
    bar.legend.position = "b"
    bar.legend.txPr = _text(CHART_FONT_SIZE, font)
    return bar


def unit_bars(ws, data_ref, cats_ref, units: int, rgb: str, font: str, say: Callable[[str], str] = str):
    """Average progress per unit: every unit's name shown, 0–100 %; ``say`` words its title
    (各科室 in a bureau's own plan: `units.say_sections`)."""
    from openpyxl.chart import BarChart

    bar = BarChart()
    bar.type = "bar"
    bar.gapWidth = 40
    bar.title = _title(say("各单位平均完成进度(%)"), font)
    bar.add_data(data_ref, titles_from_data=True)
    bar.set_categories(cats_ref)
    _fill(bar.series[0].graphicalProperties, rgb)
    _axes(bar, font)
    bar.x_axis.txPr = _text(UNIT_LABEL_PT, font)
    bar.x_axis.tickLblSkip = 1  # otherwise every second unit's name is dropped
    bar.x_axis.tickMarkSkip = 1
    bar.x_axis.scaling.orientation = "maxMin"
    bar.y_axis.crosses = "max"
    bar.y_axis.scaling.min = 0
    bar.y_axis.scaling.max = 100
    bar.y_axis.majorUnit = 20
    bar.y_axis.number_format = "0"
    bar.legend = None
    return bar


def level_chart_height(levels: int) -> float:
    """Chart height (cm) for ``levels`` 一级任务: 7 cm up to a city's five."""
    return max(7.0, LEVEL_SLOT_CM * levels + LEVEL_FRAME_CM)


def unit_chart_height(units: int) -> float:
    """Chart height (cm) for ``units`` categories plus title and axis."""
    return max(9.0, UNIT_SLOT_CM * units + 2.5)


def anchor(ws, chart, col: int, row: int, width_cm: float, height_cm: float) -> None:
    """Place ``chart`` at 0-based (col, row), 1 mm down: a chart flush with a page break
    is otherwise also drawn, clipped to nothing, on the page before (its text leaks into
    that page's PDF text)."""
    from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
    from openpyxl.drawing.xdr import XDRPositiveSize2D
    from openpyxl.utils.units import cm_to_EMU

    chart.width, chart.height = width_cm, height_cm
    chart.anchor = OneCellAnchor(_from=AnchorMarker(col=col, row=row, rowOff=cm_to_EMU(0.1)),
                                 ext=XDRPositiveSize2D(cm_to_EMU(width_cm), cm_to_EMU(height_cm)))
    ws.add_chart(chart)

