"""An office living a plan over several months (QA helper 79): the 任务分工表 edited between
issue and return (a 机构改革 renames a unit and moves one of its tasks at once), forms for
the wrong month, the plan's own year on deadlines the office types without one."""
from __future__ import annotations

from conftest import PERIOD, drop, on_time
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Filling
from toolkit.ledger import Ledger
from toolkit.vocab import UnitState

OLD, NEW = "市政务服务数据管理局", "市政务服务和数据管理局"


def _restructure(ws, old: str, new: str, task: str, to: str) -> None:
    """机构改革 after the forms went out: ``old`` becomes ``new`` (old name kept as an
    alias, as README says) and ``task`` goes from it to ``to``, in the same edit."""
    wb = load_workbook(ws.master_path)
    for row in wb["责任分工"].iter_rows(min_row=2):
        if row[1].value == old:
            row[1].value = to if str(row[0].value) == task else new
    for row in wb["单位名录"].iter_rows(min_row=2):
        if row[0].value == old:
            row[0].value, row[1].value = new, "、".join(filter(None, [old, row[1].value]))
            break
    wb.save(ws.master_path)


def test_a_unit_renamed_and_relieved_of_a_task_after_issue_is_not_sent_back(issued_ws, make_return):
    """Its form, issued under the old name, still carries the moved task: that row is the
    office's change (W210, not merged), never the department's error (E402 → 退回待改, named
    in the 通报 as 报送有误已退回修改)."""
    master = issued_ws.load_master()
    moved = next(a.task for a in master.assignments if a.unit == OLD)
    other = next(u for u in master.directory.names if u != OLD)
    data = make_return(OLD, Filling())
    _restructure(issued_ws, OLD, NEW, moved, other)
    drop(issued_ws, f"2022年6月_{OLD}_进展填报表.xlsx", data, on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        [rec] = ledger.receipts()
        codes = [i.code for i in ledger.issues_of(rec.id)]
    assert rec.outcome == "采纳" and "E402" not in codes and "W210" in codes, (rec.outcome, codes)
    unit = next(u for u in consolidate(issued_ws, PERIOD).units if u.unit == NEW)
    assert unit.state == UnitState.ON_TIME


def _undate_a_task(wb) -> str:
    """The first dated row of 任务清单 given 完成时限 “12月底前” and no 截止日期; its task id."""
    sheet = wb["任务清单"]
    head = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[head.index("截止日期")].value)
    row[head.index("完成时限")].value, row[head.index("截止日期")].value = "12月底前", None
    return row[0].value


def test_a_deadline_typed_without_a_year_into_the_task_list_is_named_at_issue(issued_ws, run):
    """The office adds a row to 任务清单 in December with 完成时限 “12月底前” and no 截止日期,
    in a plan whose title gives no year: read as no date, the task is never 超期 in January's
    通报 and never 下月到期. Issue says so."""
    r = run(["issue", "--period", "2022-07"], cwd=issued_ws.root)
    assert r.exit_code == 0 and "完成时限无法识别" not in r.stdout, r.stdout
    wb = load_workbook(issued_ws.master_path)
    for meta in wb["_meta"].iter_rows():
        if meta[0].value == "project":
            meta[1].value = "政务服务全域标准化专项行动"
    tid = _undate_a_task(wb)
    wb.save(issued_ws.master_path)
    r = run(["issue", "--period", "2022-07"], cwd=issued_ws.root)
    assert r.exit_code == 0, r.stdout
    assert f"请核实：任务 {tid}“12月底前” 的完成时限无法识别为日期" in r.stdout, r.stdout
    assert "“截止日期”列填写日期" in r.stdout


def test_a_deadline_typed_without_a_year_is_dated_by_the_plans_title(issued_ws):
    """The same row in a plan whose title gives its year (东莞市2022年…): read as the import
    reads the table's own rows, “12月底前” is 31 December 2022, judged 超期 like any other."""
    import datetime as dt

    from toolkit.master import read_master_workbook

    wb = load_workbook(issued_ws.master_path)
    tid = _undate_a_task(wb)
    wb.save(issued_ws.master_path)
    master = read_master_workbook(issued_ws.master_path)
    assert "2022" in master.title
    assert master.task(str(tid)).deadline == dt.date(2022, 12, 31)
