"""A merged unit's leftovers (机构改革, QA133, after QA119-QA127).

The demo's 东莞 plan with 3.2 led by 市林业局 alone: June's forms go to 市林业局 and
市自然资源局 on 28 June; 市自然资源局 reports June on 4 July (2.1 at 80%), 市林业局 on 5 July
(2.1 at 30%, 3.2 at 30%); on 10 July 市林业局 is merged into 市自然资源局 (its name an alias,
its 责任分工 rows deleted, 3.2 handed to 市自然资源局); July is issued to 市自然资源局 alone on
20 July, June merged again after it. On 1 August 市自然资源局 reports July: 2.1 at 60% with
the text 市林业局 wrote for 2.1 in June, 3.2 at 10% with 市林业局's June text for 3.2.

- W606/W608 read 市林业局's June return (the later one) as 市自然资源局's history: 2.1's fall
  from its own 80% went unsaid (weighed against 市林业局's 30%), and copying another unit's
  text was called 照抄上期. Now a unit's history is its own returns (`EarlierMonths.previous`);
  3.2, 市林业局's alone, moved with the merger, is weighed against 市林业局's figure and the
  warning says whose it was.
- June's 任务汇总 listed 市林业局 after 14.1's groups (市各有关部门、各镇街（园区）、市林业局):
  now inside 市各有关部门, where its June form had it.
- June merged again said 请核实 …现行任务分工表已取消或调整这些分工 of 市林业局: now 已并入市自然资源局.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from conftest import invoke_cli, issued_path
from openpyxl import load_workbook
from test_qa96_done_units_exempt import at, on_day
from test_qa119_reorganised_quarter import FOREST, JULY, JUNE, NR, june_issued, send

from toolkit.actions.check import check_paths
from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.filling import Answer, Filling, fill_return
from toolkit.issued_month import Basis
from toolkit.ledger import Ledger

NR_21 = "完成自然资源审批事项梳理，压减材料12项。"
FOREST_21 = "林木采伐许可事项梳理中，已压减材料3项。"
FOREST_32 = "林地审批“一网通办”上线试运行。"
ONGOING = Answer(progress=60, work="按计划推进。")
JULY_DEFAULT = Answer(progress=70, work="7月持续推进，完成阶段任务。")


def forest_alone_on_32(ws):
    """3.2 led by 市林业局 alone (the demo gives it to both)."""
    wb = load_workbook(ws.master_path)
    duty = wb["责任分工"]
    duty.delete_rows(next(r[0].row for r in duty.iter_rows(min_row=2) if (r[0].value, r[1].value) == ("3.2", NR)))
    wb.save(ws.master_path)


def merge_forest(ws):
    """机构改革 as the coordinator types it: 市林业局's rows deleted where 市自然资源局 has the
    task already, handed to it where not (3.2); its name an alias of 市自然资源局."""
    wb = load_workbook(ws.master_path)
    duty, directory = wb["责任分工"], wb["单位名录"]
    has = {r[0].value for r in duty.iter_rows(min_row=2) if r[1].value == NR}
    for row in reversed(list(duty.iter_rows(min_row=2))):
        if row[1].value == FOREST:
            if row[0].value in has:
                duty.delete_rows(row[0].row)
            else:
                row[1].value = NR
    directory.delete_rows(next(r[0].row for r in directory.iter_rows(min_row=2) if r[0].value == FOREST))
    for row in directory.iter_rows(min_row=2):
        if row[0].value == NR:
            row[1].value = "、".join(filter(None, [row[1].value, FOREST]))
    wb.save(ws.master_path)


@dataclass
class Quarter:
    ws: object
    june_again: object  # `duban merge --period 2022-06` after July's forms went out


@pytest.fixture(scope="module")
def moved(tmp_path_factory, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path_factory.mktemp("qa133"), forest_alone_on_32)
        on_day(mp, dt.date(2022, 7, 5))
        send(ws, JUNE, NR, Filling(answers={"2.1": Answer(progress=80, work=NR_21)}, default=ONGOING),
             at(2022, 7, 4, 9))
        send(ws, JUNE, FOREST, Filling(answers={"2.1": Answer(progress=30, work=FOREST_21),
                                                "3.2": Answer(progress=30, work=FOREST_32)}, default=ONGOING),
             at(2022, 7, 5, 9))
        collect(ws, JUNE)
        merge(ws, JUNE)
        on_day(mp, dt.date(2022, 7, 10))
        merge_forest(ws)
        on_day(mp, dt.date(2022, 7, 20))
        issue_returns(ws, JULY, due=dt.date(2022, 8, 5))
        june_again = invoke_cli(["merge", "--period", "2022-06"], ws.root)
        on_day(mp, dt.date(2022, 8, 1))
        send(ws, JULY, NR, Filling(answers={"2.1": Answer(progress=60, work=FOREST_21),
                                            "3.2": Answer(progress=10, work=FOREST_32)}, default=JULY_DEFAULT),
             at(2022, 8, 1, 9))
        collect(ws, JULY)
    return Quarter(ws, june_again)


def history(issues, task):
    return {i.code: i.message for i in issues if i.task == task and i.code in ("W606", "W608")}


def july_issues(ws):
    with Ledger(ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.unit == NR and r.period == JULY)
        return ledger.issues_of(rec.id)


@pytest.mark.slow  # a quarter played through issue, collect and merge
def test_a_shared_task_is_weighed_against_the_units_own_june(moved):
    said = history(july_issues(moved.ws), "2.1")
    assert "W606" in said and "低于上次采纳的 80%（2022年6月）" in said["W606"], said
    assert "W608" not in said, said  # 市林业局's text, not its own June's


@pytest.mark.slow  # a quarter played through issue, collect and merge
def test_a_task_moved_with_the_merger_is_weighed_against_the_merged_units_june(moved):
    said = history(july_issues(moved.ws), "3.2")
    assert "低于上次采纳的 30%（2022年6月，原市林业局报送）" in said.get("W606", ""), said
    assert "上期（2022年6月，原市林业局报送）" in said.get("W608", ""), said


@pytest.mark.slow  # a quarter played through issue, collect and merge
def test_check_says_what_collect_says(moved):
    ws = moved.ws
    form = fill_return(issued_path(ws, NR, JULY), Filling(answers={"2.1": Answer(progress=60, work=FOREST_21)},
                                                         default=JULY_DEFAULT))
    path = ws.root / "check.xlsx"
    path.write_bytes(form)
    (report,) = check_paths([path], ws, JULY)
    said = history(report.issues, "2.1")
    assert "W606" in said and "80%" in said["W606"] and "W608" not in said, said



@pytest.mark.slow  # a quarter played through issue, collect and merge
def test_junes_task_sheet_keeps_the_merged_unit_inside_its_group(moved):
    book = load_workbook(moved.ws.root / "汇总" / JUNE.label / f"{JUNE.label}_进展汇总表.xlsx")
    rows = list(book["任务汇总"].iter_rows(values_only=True))
    header = rows[2]
    lead, coop = header.index("牵头单位"), header.index("配合单位")
    by_task = {r[0]: r for r in rows[3:]}
    assert by_task["2.1"][lead] == "市府办、市政务服务数据管理局、市各有关部门", by_task["2.1"]
    assert by_task["14.1"][coop] == "市各有关部门、各镇街（园区）", by_task["14.1"]
    # by name, in the place the plan its June form was made from gave it (migration 25's order, QA389)
    assert by_task["3.2"][lead] == f"市司法局、市交通运输局、市公安局、{FOREST}、市市场监管局、市卫生健康局"


@pytest.mark.slow  # a quarter played through issue, collect and merge
def test_june_merged_again_says_the_unit_was_merged(moved):
    out = moved.june_again.output
    line = next(x for x in out.splitlines() if x.startswith(f"说明：{FOREST}（"))
    assert line.startswith(f"说明：{FOREST}（2.1 牵头，序时推进；") and f"14.1 配合，序时推进）已并入{NR}，" in line, line
    assert "已取消或调整" not in out, out


def test_a_cancelled_assignment_keeps_its_question():
    basis = Basis(JUNE, JULY, [(FOREST, "2.1", "牵头", "序时推进"), ("市残联", "7.1", "牵头", "未报送")],
                  merged={FOREST: NR})
    notes = basis.notes()
    assert f"说明：{FOREST}（2.1 牵头，序时推进）已并入{NR}，现行任务分工表不再单列；2022年6月仍按当月的填报表，以原单位名称计入。" in notes
    assert ("请核实：市残联（7.1 牵头，未报送）在2022年6月的填报表上，现行任务分工表已取消或调整这些分工；"
            "2022年6月仍按当月的填报表计入。如属当月分工有误、不应点名，请在2022年6月的通报中更正后再印发。") in notes
