"""嘉鱼's departments filling their form in LibreOffice (QA helper qa305).

A county plan (嘉鱼 2021, 5 tasks, 县政府办督查室 as contact) issued, filled, re-saved by
LibreOffice as .xlsx, .xls and .ods, and collected: 80% typed into 完成进度 is read as 80, a date
typed into a text column as the date, an empty 工作进展 is refused at its cell, and a reply's
form, fixed and re-saved, is taken.

1. 县科经局 typed 已完成 into 完成进度 (meaning all done). The reply (page 2 of
   fb_县科经局.pdf) said “请填写数字，如 80 表示 80%。”, while “八成” was told “如指 80%，请只填数字
   80。”: the word for done means 100, and the reply now says so.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.typed_values import progress_meant

CORPUS = Path(__file__).parent / "corpus" / "masters"
AUGUST = Period(2021, 8)
CONTACT = {"填报人": "王芳", "联系电话": "0715-6322000", "审核人": "陈刚", "填报日期": dt.date(2021, 9, 3)}


@pytest.mark.parametrize("typed", ["已完成", "完成", "全部完成", "已全部完成", "已完成。", " 已 完 成 "])
def test_the_word_for_done_typed_as_a_progress_means_100(typed):
    assert progress_meant(typed) == 100


@pytest.mark.parametrize("typed", ["基本完成", "大部分完成", "未完成", "完成过半", "即将完成"])
def test_a_word_for_not_quite_done_offers_no_number(typed):
    assert progress_meant(typed) is None


@pytest.fixture(scope="module")
def jiayu(tmp_path_factory):
    root = tmp_path_factory.mktemp("jiayu") / "ws"
    ws, _ = init_workspace(root, CORPUS / "prose_jiayu_2021.docx", period="2021-08",
                           organiser="嘉鱼县人民政府办公室")
    issue_returns(ws, AUGUST)
    return ws


def _filled(ws, unit: str, change) -> bytes:
    form = ws.root / "下发" / "2021年8月" / f"2021年8月_{unit}_进展填报表.xlsx"
    data = fill_return(form, Filling(answers={}, contact=CONTACT, default=Answer(
        status="序时推进", progress=60, work="各项指标稳步增长。", next_plan="继续抓好项目建设。")))
    wb = load_workbook(io.BytesIO(data))
    change(wb["进展填报"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _resaved(lo, tmp_path: Path, data: bytes, target: str) -> tuple[bytes, str]:
    src = tmp_path / "填报表.xlsx"
    src.write_bytes(data)
    saved = lo(src, target, tmp_path / "lo")
    return saved.read_bytes(), saved.name


def _check(ws, data: bytes, name: str):
    return check_return(data, name, CheckContext(ws.load_master(), ws.limits, period=AUGUST))


@pytest.mark.libreoffice
@pytest.mark.slow  # three LibreOffice conversions: run in CI, out of the quick loop
@pytest.mark.parametrize("target", ["xlsx:Calc MS Excel 2007 XML", "xls:MS Excel 97", "ods"])
def test_done_typed_into_the_progress_of_a_form_resaved_by_libreoffice(jiayu, lo, tmp_path, target):
    def done_as_words(sheet):
        sheet["H5"].value = "已完成"
        sheet["I5"].value = "已完成"
        sheet["N5"].value = "嘉政办发〔2021〕8号"

    report = _check(jiayu, *_resaved(lo, tmp_path, _filled(jiayu, "县科经局", done_as_words), target))
    assert [(i.code, i.cell, i.message) for i in report.issues if i.is_error] == [
        ("E504", "I5", "任务 3 的完成进度“已完成”不是 0—100 的整数。如指 100%，请只填数字 100。")]


@pytest.mark.libreoffice
@pytest.mark.slow  # three LibreOffice conversions: run in CI, out of the quick loop
@pytest.mark.parametrize("target", ["xlsx:Calc MS Excel 2007 XML", "xls:MS Excel 97", "ods"])
def test_what_a_department_types_in_libreoffice_is_read_as_it_meant(jiayu, lo, tmp_path, target):
    def typed(sheet):
        sheet["I5"].value = 0.8  # 80% typed: a percent-formatted 0.8
        sheet["I5"].number_format = "0%"
        sheet["L5"].value = dt.datetime(2021, 9, 30)  # a date typed into 下一步计划
        sheet["L5"].number_format = "yyyy-mm-dd"
        sheet["M5"].value = "9月底"  # 预计完成时间 in words
        sheet["J6"].value = None  # 工作进展 left empty

    report = _check(jiayu, *_resaved(lo, tmp_path, _filled(jiayu, "县发改局(粮食局)", typed), target))
    assert [(i.code, i.cell, i.message) for i in report.issues] == [
        ("E506", "J6", "任务 4 未填写工作进展。请简述本期工作进展。")]
    first = report.rows[0]
    assert (first.task, first.progress, first.next_plan, first.eta) == ("1", 80, "2021-09-30", dt.date(2021, 9, 30))
