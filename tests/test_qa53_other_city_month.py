"""A month run by coordinators of other cities (QA round 53), with real tables from the corpus.

潍坊's table (目标 | 任务 | 主要内容 | 责任单位) and 南陵's (序号 | 目标与任务 | … | 牵头责任单位 |
责任单位) give every task its text and no 工作任务 name. A task must still be named wherever
the office reads it: the memo's task lists, the 汇总表's task columns, a unit's E404 reply.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.actions.merge import merge
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.text import task_title

CORPUS = Path(__file__).parent / "corpus" / "masters"
JUNE_2024 = Period(2024, 6)


@pytest.fixture(scope="module")
def _nanling_month(tmp_path_factory) -> Path:
    """南陵 2024-06: 县教育局 reports (81 已完成), 县财政局 leaves out task 81 (E404), the
    rest say nothing. Built once; tests read it only."""
    root = tmp_path_factory.mktemp("nanling") / "ws"
    directory = root.parent / "名录.csv"
    directory.write_text("单位,简称/别名,类别\n县教育局,,县直部门\n县财政局,,县直部门\n"
                         "安徽南陵经济开发区管理委员会,,县直部门\n", encoding="utf-8")
    ws, _ = init_workspace(root, CORPUS / "nanling_mbrw_2024.xlsx", period="2024-06",
                           organiser="南陵县人民政府办公室", directory_csv=directory)
    issue_returns(ws, JUNE_2024)
    issued = ws.root / "下发" / "2024年6月"
    answers = {"80": Answer(progress=60, work="新增托位220个。"),
               "81": Answer(status="已完成", progress=100, work="已开学。", evidence="南教〔2024〕35号")}
    ws.inbox.mkdir(exist_ok=True)
    (ws.inbox / "教育局.xlsx").write_bytes(
        fill_return(issued / "2024年6月_县教育局_进展填报表.xlsx", Filling(answers=answers)))
    (ws.inbox / "财政局.xlsx").write_bytes(
        fill_return(issued / "2024年6月_县财政局_进展填报表.xlsx", Filling(delete_tasks=("81",))))
    on_time = dt.datetime(2024, 7, 3, 10, 0).timestamp()
    for f in ws.inbox.iterdir():
        os.utime(f, (on_time, on_time))
    collect(ws, JUNE_2024, received=dt.date(2024, 7, 3))
    merge(ws, JUNE_2024)
    write_memo(ws, JUNE_2024, issue_date=dt.date(2024, 7, 10))
    return root


@pytest.fixture
def nanling(tmp_path, _nanling_month) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(_nanling_month, root)
    return root


def test_task_title_is_the_name_else_the_first_clause_of_the_text():
    assert task_title("全流程动态管理事项", "……") == "全流程动态管理事项"
    assert task_title("", "保障芜职院现代物流智造学院秋季开学,支持芜湖科技工程学校发展。") \
        == "保障芜职院现代物流智造学院秋季开学"
    assert task_title("", "加强财政政策信息公开，按月公开全市财政收支情况。") == "加强财政政策信息公开"
    long = "围绕我市经济社会发展形势、国家宏观经济政策和全市相关经济政策执行落实情况,通过发布会解读。"
    assert task_title("", long) == long[:29] + "…"
    assert task_title("", "") == ""


def _memo_text(root: Path) -> str:
    from docx import Document

    (memo,) = (root / "通报" / "2024年6月").glob("*.docx")
    return "\n".join(p.text for p in Document(str(memo)).paragraphs)


def test_memo_names_a_task_that_has_only_its_text(nanling):
    text = _memo_text(nanling)
    # 本期完成的任务: task 81 by the start of its text, not an empty "1．（任务81…"
    assert "1．保障芜职院现代物流智造学院秋季开学（任务81，牵头单位：县教育局）。" in text
    assert "．（任务" not in text


def _sheet_column(root: Path, sheet: str, header: str) -> list:
    (book,) = (root / "汇总" / "2024年6月").glob("*.xlsx")
    ws = load_workbook(book, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    at = rows[2].index(header)  # title, subtitle, then the header row
    return [r[at] for r in rows[3:] if r[0] is not None]


def test_summary_sheets_name_a_task_that_has_only_its_text(nanling):
    expected = ["极回应群众新期待新要求", "保障芜职院现代物流智造学院秋季开学"]
    assert _sheet_column(nanling, "任务汇总", "工作任务") == expected
    assert _sheet_column(nanling, "历次进展", "工作任务") == expected
    details = _sheet_column(nanling, "单位明细", "工作任务")
    assert details and set(details) == set(expected)


def test_missing_task_reply_names_the_task_without_empty_brackets(nanling):
    (book,) = (nanling / "汇总" / "2024年6月").glob("*.xlsx")
    ws = load_workbook(book, read_only=True)["校验问题"]
    messages = [r[6] for r in ws.iter_rows(min_row=4, values_only=True) if r[4] == "E404"]
    assert messages == ["缺少本单位任务 81（保障芜职院现代物流智造学院秋季开学）。请补回该行并填报。"]


def test_receipt_register_says_how_the_unit_was_found_in_chinese(nanling):
    by = _sheet_column(nanling, "收件登记", "单位依据")
    assert by == ["表内标识", "表内标识"]


def test_check_names_the_evidence_in_chinese(nanling, run):
    data = fill_return(nanling / "下发" / "2024年6月" / "2024年6月_县教育局_进展填报表.xlsx", Filling())
    path = nanling.parent / "自查.xlsx"
    path.write_bytes(data)
    result = run(["-w", str(nanling), "check", str(path)])
    assert "单位：县教育局（按表内标识识别）" in result.output
    assert "_meta" not in result.output


def test_init_says_which_period_it_set_instead_of_asking_to_write_it(tmp_path, run):
    result = run(["init", str(tmp_path / "潍坊"), "--master", str(CORPUS / "weifang_zwgk_2017.docx"),
                  "--period", "2017-06", "--organiser", "潍坊市人民政府办公室"])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last == "下一步：运行 duban issue 下发2017年6月的填报表（当前期次，已写入 duban.toml；其他月份用 --period 指定）。"
    assert 'period = "2017-06"' in (tmp_path / "潍坊" / "duban.toml").read_text(encoding="utf-8")


def test_weifang_e404_names_the_task_by_its_text(tmp_path):
    """潍坊: a unit with one task deletes its row; the reply says which task."""
    from toolkit.actions.check import check_paths

    ws, _ = init_workspace(tmp_path / "ws", CORPUS / "weifang_zwgk_2017.docx", period="2017-06",
                           organiser="潍坊市人民政府办公室")
    issue_returns(ws, Period(2017, 6))
    form = ws.root / "下发" / "2017年6月" / "2017年6月_市财政局_进展填报表.xlsx"
    data = fill_return(form, Filling(delete_tasks=("1.4",)))
    path = tmp_path / "财政局.xlsx"
    path.write_bytes(data)
    (report,) = check_paths([path], ws)
    assert [i.message for i in report.issues if i.code == "E404"] == [
        "缺少本单位任务 1.4（加强财政政策信息公开）。请补回该行并填报。"]


def test_date_examples_are_of_the_returns_own_time(nanling):
    # "如 2022-07-15" on a 2024 form and in its E505 reply looked like a stale template
    from toolkit.checks import CheckContext, check_return
    from toolkit.workspace import find_workspace

    form = nanling / "下发" / "2024年6月" / "2024年6月_县财政局_进展填报表.xlsx"
    wb = load_workbook(form)
    prompts = {dv.promptTitle: dv.prompt for dv in wb["进展填报"].data_validations.dataValidation}
    assert prompts["预计完成时间"] == "日期，如 2024-07-15。"
    assert prompts["填报日期"].startswith("如 2024-07-")
    assert "2022" not in "".join(p or "" for p in prompts.values())
    ws = find_workspace(nanling, explicit=True)
    data = fill_return(form, Filling(answers={"80": Answer(progress=60, work="推进中。", eta="下个月")}))
    report = check_return(data, "财政局.xlsx", CheckContext(ws.load_master(), ws.limits, period=JUNE_2024))
    e505 = [i.message for i in report.issues if i.code == "E505"]
    assert e505 and "请按 2024-07-15 的格式填写" in e505[0], e505



def test_a_forms_name_columns_hide_without_hiding_its_unit(nanling):
    # 南陵's table gives every task its text only. Hiding the empty 一级任务, 二级任务 and
    # 工作任务 columns alone hid 填报单位 and the 填报人 input in B:D with them (seen in
    # LibreOffice): rows 2-3 of such a form stand in the columns left to see (QA 76). It gives
    # no 完成时限 either: that column hides as well.
    form = nanling / "下发" / "2024年6月" / "2024年6月_县财政局_进展填报表.xlsx"
    sheet = load_workbook(form)["进展填报"]
    headers = {c.value: c.column_letter for c in sheet[4]}
    assert [h for h, letter in headers.items() if sheet.column_dimensions[letter].hidden] == \
        ["一级任务", "二级任务", "工作任务", "完成时限"]
    assert (sheet["A2"].value, sheet["E2"].value, sheet["A3"].value) == ("填报单位", "县财政局", "填报人")
    assert sheet.column_dimensions[headers["责任类型"]].width >= 8
