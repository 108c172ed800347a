"""QA341: what a coordinator saw in LibreOffice's print of an ordinary month and a 整改清单's.

1. The 通报's table: 完成率 was a column of three characters, and without the 仿宋 (LibreOffice
   drew the figures in DejaVu Sans) 33.3% broke as "33.3" / "%". 序时推进 and 滞后 need two
   characters: 完成率 takes what they do without, the 一级任务 column keeps its width.
2. The form's 完成时限 (整改时限) was 9 characters wide: 2024年7月底前 went over two or three lines,
   over two in the 汇总表's 10.
3. 问题类别 broke inside a word: 一、全面从严治党方 / 面 (汇总表), 一、全面从严治 / 党方面 (form).

The columns of short texts (一级任务, 二级任务, 完成时限) are now as wide as the plan's texts
need (`form_layout.fitted_width`), up to 样式.toml's ``fit_widths``.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from conftest import sheet_table
from openpyxl import load_workbook

from toolkit.form_layout import fitted_width
from toolkit.master import import_master
from toolkit.memo import gbt9704
from toolkit.period import Period
from toolkit.resources import resource
from toolkit.returns import SHEET, build_return
from toolkit.style import load_style
from toolkit.xlsx import cell_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SHIPPED = load_style(resource("templates", "样式.toml"))
DEFAULT_TEMPLATE = resource("templates", "月度通报.docx")
ROWS = [["序号", "问题类别", "存在问题", "整改措施", "责任单位", "整改时限"],
        ["1", "一、全面从严治党方面", "干部作风不实，督促检查不到位。", "开展作风专项整治。", "机关党委", "立行立改"],
        ["2", None, "公务用车管理不规范。", "修订公务用车管理办法。", "局办公室", "2024年6月底前"],
        ["3", "二、基层党组织建设方面", "“三会一课”落实不严格。", "建立支部工作纪实台账。", "机关党委", "2024年9月底前"],
        ["4", None, "党员发展程序不规范。", "开展党员发展工作专项检查。", "组织人事科", "2024年7月底前"],
        ["5", None, "支部换届不及时。", "按期完成支部换届。", "局办公室", "2024年12月底前"]]
MERGES = ("B2:B3", "B4:B6")


# ---- 1. the 通报's 完成率 ----

def _level1_grid(path: Path) -> tuple[list[str], list[int]]:
    """(header texts, grid widths in twips) of the 通报's first table (by 一级任务)."""
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("word/document.xml"))
    table = next(root.iter(f"{W}tbl"))
    widths = [int(c.get(f"{W}w")) for c in table.find(f"{W}tblGrid")]
    first = table.find(f"{W}tr")
    headers = ["".join("\n" if e.tag == f"{W}br" else (e.text or "") for e in tc.iter()
                       if e.tag in (f"{W}t", f"{W}br"))
               for tc in first.findall(f"{W}tc")]
    return headers, widths


def _holds(width: int, text: str) -> bool:
    """A cell ``width`` twips wide holds ``text`` on one line in the widest font it may get."""
    return width - 2 * gbt9704.CELL_PAD >= gbt9704.figure_twips(text)


def test_the_rate_column_holds_any_share_in_a_fallback_font():
    headers, widths = _level1_grid(DEFAULT_TEMPLATE)
    rate = widths[headers.index("完成率")]
    assert _holds(rate, "100.0%") and _holds(rate, "33.3%")
    assert not _holds(gbt9704.LEVEL1_NUMBER_W, "33.3%")  # the width that broke it
    # every header on its lines, 9999 in every count column, the table across the type area
    for header, width in zip(headers[1:], widths[1:]):
        assert all(_holds(width, line) for line in header.split("\n")), header
        assert _holds(width, "9999"), header
    assert sum(widths) == gbt9704.PAGE_W - gbt9704.MARGIN_LEFT - gbt9704.MARGIN_RIGHT
    # the 一级任务 column as wide as before: 东莞's names of 13 characters still on one line
    assert widths[0] == 2999 and gbt9704.LEVEL1_NAME_CHARS >= 13.5


def test_the_old_template_is_refreshed_on_upgrade():
    from toolkit.shipped_templates import SUPERSEDED_TEMPLATES

    assert "19639bda321cce861adc1bca00ffbf7d472e881be96454c2b7d413caa4a432de" in SUPERSEDED_TEMPLATES["月度通报.docx"]


# ---- 2, 3. the columns of short texts ----

@pytest.mark.parametrize("text", ["2024年7月底前", "2024年12月底前", "立行立改", "2022年12月"])
def test_a_deadline_fits_on_one_line(text):
    width = fitted_width([text, "长期"], 9, 16, 10)
    assert cell_lines(text, width, 10) == 1 and 9 <= width <= 16


@pytest.mark.parametrize("text", ["一、全面从严治党方面", "二、基层党组织建设方面", "（三）意识形态工作方面"])
def test_a_category_fits_on_one_line(text):
    assert cell_lines(text, fitted_width([text], 11, 24, 10), 10) == 1


def test_a_longer_name_goes_over_even_lines_within_the_most():
    name = "三、打造线上线下一体服务，全面推进政务服务标准化规范化便利化"  # 30 characters, 60 cells
    width = fitted_width([name], 11, 24, 10)
    # as few lines as the widest column allowed gives, each no longer than it needs
    assert width < 24 and cell_lines(name, width, 10) == cell_lines(name, 24, 10) == 3
    # no narrower than asked, nor wider when the texts fit
    assert fitted_width(["一、"], 11, 24, 10) == 11 and fitted_width([], 11, 24, 10) == 11
    assert fitted_width(["一、全面从严治党方面"], 30, 24, 10) == 30


@pytest.fixture(scope="module")
def rectification(tmp_path_factory):
    return import_master(sheet_table(tmp_path_factory.mktemp("r") / "巡察反馈问题整改清单.xlsx", ROWS, MERGES))


def _form(master, style=SHIPPED, unit="机关党委"):
    wb = build_return(master, unit, Period(2024, 6), dt.date(2024, 7, 5), master.title, style,
                      generated_at=dt.datetime(2024, 7, 1))
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(io.BytesIO(out.getvalue()))[SHEET]


def test_the_forms_category_and_deadline_fit_on_one_line(rectification):
    ws = _form(rectification)
    size = SHIPPED["return"]["size"]
    assert ws["B4"].value == "问题类别" and ws["F4"].value == "整改时限"
    for row in (5, 6):
        for col in "BF":
            text = ws[f"{col}{row}"].value
            assert cell_lines(text, ws.column_dimensions[col].width, size) == 1, text
    # the labels of rows 2-3 stay in the contract's cells
    assert (ws["A2"].value, ws["E2"].value, ws["H2"].value) == ("填报单位", "填报期", "报送截止")


def test_a_plan_with_short_texts_keeps_its_widths(tmp_path):
    plan = import_master(sheet_table(tmp_path / "t.xlsx", [
        ["序号", "一级任务", "工作任务", "责任单位", "完成时限"],
        ["1", "一、规范", "建成城市书房10家。", "县文广旅体局", "6月"]]))
    ws = _form(plan, unit="县文广旅体局")
    assert (ws.column_dimensions["B"].width, ws.column_dimensions["F"].width) == (11, 9)


def test_an_offices_style_keeps_working(rectification, tmp_path):
    # a 样式.toml copied before fit_widths came: the shipped ones apply
    old = tmp_path / "样式.toml"
    old.write_text('[return]\nsize = 10\n[return.widths]\n"完成时限" = 9\n', encoding="utf-8")
    assert _form(rectification, load_style(old)).column_dimensions["F"].width > 9
    # an office that wants its widths as they are sets 0
    fixed = tmp_path / "固定" / "样式.toml"
    fixed.parent.mkdir()
    fixed.write_text('[return.fit_widths]\n"一级任务" = 0\n"完成时限" = 0\n', encoding="utf-8")
    ws = _form(rectification, load_style(fixed))
    assert (ws.column_dimensions["B"].width, ws.column_dimensions["F"].width) == (11, 9)


# ---- the month as LibreOffice prints it (slow) ----

@pytest.fixture(scope="module")
def played(tmp_path_factory):
    import shutil

    from conftest import drop, played_month, set_clock, shanghai

    from toolkit.filling import Answer, Filling, fill_return

    tmp = tmp_path_factory.mktemp("played")
    table = sheet_table(tmp / "县委第一巡察组反馈问题整改清单.xlsx", ROWS, MERGES)
    root = tmp / "ws"
    mp, _log, run = played_month(root, dt.date(2024, 6, 25), "--master", str(table), "--period", "2024-06",
                                 "--organiser", "中共某县委巡察工作领导小组办公室")
    run("issue", "--period", "2024-06")
    forms = {f.stem.split("_")[1]: f for f in (root / "下发" / "2024年6月").glob("*.xlsx")}
    done = Answer("已完成", 100, "已完成整改。", evidence="党委〔2024〕5号")
    sent = {"机关党委": Filling(default=done),
            "局办公室": Filling(answers={"2": done, "5": Answer("序时推进", 50, "已拟定换届方案。")})}
    stamp = shanghai(dt.datetime(2024, 7, 3, 10, 0))
    for unit, filling in sent.items():  # on time, in the workspace's inbox
        drop(SimpleNamespace(inbox=root / "收件箱"), forms[unit].name, fill_return(forms[unit], filling), stamp)
    set_clock(mp, dt.date(2024, 7, 10))
    for command in (("collect",), ("merge",), ("memo",)):
        run(*command)
    yield root, forms
    mp.undo()
    shutil.rmtree(tmp, ignore_errors=True)


def _lines(lo, src: Path, out: Path, fonts: Path | None = None) -> list[str]:
    """The text lines of ``src`` as LibreOffice prints it (pdftotext -layout)."""
    pdf = lo(src, "pdf", out, fonts=fonts)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    return [" ".join(line.split()) for line in text.decode("utf-8").splitlines()]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_printed_memo_keeps_each_share_on_its_line(played, lo, tmp_path):
    root, _forms = played
    memo = next((root / "通报" / "2024年6月").glob("*.docx"))
    # no fonts.conf: 仿宋 falls back to the sans LibreOffice has, as on a coordinator's PC
    bare = tmp_path / "fonts.conf"
    bare.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>', encoding="utf-8")
    for fonts in (None, bare):
        lines = _lines(lo, memo, tmp_path / ("bare" if fonts else "shipped"), fonts)
        rows = {line.split()[0]: line.split()[1:] for line in lines if line.startswith(("全面", "基层", "合计"))}
        assert rows["全面从严治党方面"][-1] == "100%" and rows["基层党组织建设方面"][-1] == "33.3%", lines
        assert rows["合计"][-1] == "60%"


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_printed_form_and_summary_keep_categories_and_deadlines_whole(played, lo, tmp_path):
    root, forms = played
    form = "\n".join(_lines(lo, forms["组织人事科"], tmp_path / "form"))
    assert "二、基层党组织建设方面" in form and "2024年7月底前" in form
    book = root / "汇总" / "2024年6月" / "2024年6月_进展汇总表.xlsx"
    text = "\n".join(_lines(lo, book, tmp_path / "book"))
    for whole in ("一、全面从严治党方面", "二、基层党组织建设方面", "2024年6月底前", "2024年7月底前", "2024年12月底前"):
        assert text.count(whole) >= 2, whole  # 任务汇总 and 单位明细
    wb = load_workbook(book)
    size = SHIPPED["summary"]["size"]
    for sheet in ("任务汇总", "单位明细"):
        ws = wb[sheet]
        heads = {c.value: c.column_letter for c in ws[3] if c.value}
        for head, texts in (("问题类别", ("二、基层党组织建设方面",)), ("整改时限", ("2024年12月底前",))):
            width = ws.column_dimensions[heads[head]].width
            assert all(cell_lines(t, width, size) == 1 for t in texts), (sheet, head, width)
