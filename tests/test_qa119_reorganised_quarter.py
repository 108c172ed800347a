"""A quarter of the demo's 东莞 plan (June to August 2022) played by an office whose plan
changes under it (QA119): what each month's 汇总表 and 通报 say of whom.

机构改革 on 10 July, after June's forms went out and before July's: 市金融工作局 becomes
市地方金融监督管理局 (its old name kept as an alias in 单位名录, its mailbox unchanged), and
市林业局 is merged into 市自然资源局 (its rows in 责任分工 deleted, its name an alias of
市自然资源局). On 22 July, after July's forms went out, each old unit mails June's 补报 on the
form June issued to it, under its old name.

- 市金融工作局's June 补报 credits 市地方金融监督管理局 with June, 逾期报送, and not July: July's
  form under the new name is still owed (未报送). Right already: kept as a regression test.
- 市林业局's June 补报 was refused (E404 缺少本单位任务 11.1) and 市自然资源局 written a reply
  asking it to add a row that 市林业局's form never had: June's forms were read under current
  names, so the merged unit's two June forms were one. Fixed (QA121, `issued_month.kept_apart`):
  June's units are whom its forms went to, 市林业局 逾期报送 under its own name beside
  市自然资源局's on-time return, which it does not replace (tests/test_qa121_merged_units_month.py).

Later, on the plan's side: July is issued with skip_done_units (东莞市税务局, every task 已完成
in June, 本期免报), then the office extends 3.2's 完成时限 from 2022年6月 to 2022年9月 and adds
市城市管理综合执法局 (市城管局) to 3.2 as 配合. 东莞市税务局 sends a corrected June form on 25 July.

- The correction is checked by June's forms: it is June's (按时报送, no W203/W604), and July
  keeps 东莞市税务局 本期免报, not 未报送 and not credited with a July return.
- June's 通报 reprinted (`memo --period 2022-06`) keeps 3.2 due June: 超期; July's uses 9月.
- 市城管局, added in July, is in neither month's 应报 list: neither names it 未报送 (June, a past
  month, is not asked to issue it a form: QA406).
All right already: regression tests.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from conftest import drop, invoke_cli, issued_path, workspace_copy
from docx import Document
from openpyxl import load_workbook
from test_evidence import mail, set_email
from test_qa96_done_units_exempt import at, on_day, skip_done

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.actions.merge import merge
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.vocab import UnitState

JUNE, JULY = Period(2022, 6), Period(2022, 7)
FIN, FIN_NOW, FIN_MAIL = "市金融工作局", "市地方金融监督管理局", "jrj@dg.gov.cn"
FOREST, NR = "市林业局", "市自然资源局"
TAX, TRANSPORT, CITY = "东莞市税务局", "市交通运输局", "市城市管理综合执法局"
ONGOING = Answer(status="序时推进", progress=60, work="已梳理事项清单，按计划推进。")
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东林〔2022〕3号")


def send(ws, period, unit, filling, when, name=None):
    drop(ws, name or f"{period.label}_{unit}_进展填报表.xlsx", fill_return(issued_path(ws, unit, period), filling), when)


def reorganise(ws):
    """机构改革 as the coordinator types it into the master in Excel."""
    wb = load_workbook(ws.master_path)
    duty, directory = wb["责任分工"], wb["单位名录"]
    for row in reversed(list(duty.iter_rows(min_row=2))):
        if row[1].value == FOREST:  # 市自然资源局 already has every task 市林业局 had
            duty.delete_rows(row[0].row)
        elif row[1].value == FIN:
            row[1].value = FIN_NOW
    directory.delete_rows(next(r[0].row for r in directory.iter_rows(min_row=2) if r[0].value == FOREST))
    for row in directory.iter_rows(min_row=2):
        if row[0].value == NR:
            row[1].value = "、".join(filter(None, [row[1].value, FOREST]))
        elif row[0].value == FIN:
            row[0].value, row[1].value = FIN_NOW, "、".join(filter(None, [FIN, row[1].value]))
    wb.save(ws.master_path)


def replan(ws):
    """After July's forms went out: 3.2 extended to September, 市城管局 added to it."""
    wb = load_workbook(ws.master_path)
    for row in wb["任务清单"].iter_rows(min_row=2):
        if row[0].value == "3.2":
            row[5].value, row[6].value = "2022年9月", dt.datetime(2022, 9, 30)
    wb["责任分工"].append(["3.2", CITY, "配合", "明确"])
    wb["单位名录"].append([CITY, "市城管局", "市直部门", None, None, None])
    wb.save(ws.master_path)


@dataclass
class Quarter:
    ws: object
    collect: object   # `duban collect` on the day of the late June files
    merge: object     # `duban merge --period 2022-06` after it
    memo: object      # `duban memo --period 2022-06`
    june_memo: str    # June's 通报 as first written (4 July)


def memo_text(ws, period):
    found = next((ws.root / "通报" / period.label).glob("*.docx"))
    return "\n".join(p.text for p in Document(found).paragraphs)


def state(ws, unit, period):
    return next((u.state for u in consolidate(ws, period).units if u.unit == unit), None)


def june_issued(mp, session_workspace, folder, prepare=None):
    """A copy of the session's demo workspace (``prepare`` run on it) with June's forms
    issued on 28 June, as each quarter here starts."""
    ws = workspace_copy(session_workspace, folder / "ws", prepare)
    on_day(mp, dt.date(2022, 6, 28))
    issue_returns(ws, JUNE)
    return ws


def collect_and_reprint_june(ws) -> tuple[object, object, object]:
    """`duban collect`, then June merged and its 通报 written again, as the office does."""
    return (invoke_cli(["collect"], ws.root), invoke_cli(["merge", "--period", "2022-06"], ws.root),
            invoke_cli(["memo", "--period", "2022-06"], ws.root))


def close_july(ws, mp) -> None:
    """July merged and its 通报 written on 8 August."""
    on_day(mp, dt.date(2022, 8, 8))
    invoke_cli(["merge", "--period", "2022-07"], ws.root)
    invoke_cli(["memo", "--period", "2022-07"], ws.root)


@pytest.fixture(scope="module")
def reorganised(tmp_path_factory, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path_factory.mktemp("qa119r"),
                         lambda w: set_email(w, **{FIN: FIN_MAIL}))
        on_day(mp, dt.date(2022, 7, 4))
        send(ws, JUNE, NR, Filling(default=ONGOING), at(2022, 7, 4, 9))
        collect(ws, JUNE)
        merge(ws, JUNE)
        write_memo(ws, JUNE)
        june_memo = memo_text(ws, JUNE)
        on_day(mp, dt.date(2022, 7, 10))
        reorganise(ws)
        on_day(mp, dt.date(2022, 7, 20))
        issue_returns(ws, JULY, due=dt.date(2022, 8, 5))
        on_day(mp, dt.date(2022, 7, 22))
        send(ws, JUNE, FOREST, Filling(default=DONE), at(2022, 7, 22, 9))
        form = fill_return(issued_path(ws, FIN, JUNE), Filling(default=ONGOING))
        drop(ws, "金融补报.eml", mail([(f"2022年6月_{FIN}_进展填报表.xlsx", form)], sender=FIN_MAIL,
                                      subject="市金融工作局6月进展补报", date="Fri, 22 Jul 2022 10:00:00 +0800"))
        june_again = collect_and_reprint_june(ws)
        close_july(ws, mp)
    return Quarter(ws, *june_again, june_memo)


def test_a_renamed_units_june_late_return_is_junes_under_its_new_name(reorganised):
    ws = reorganised.ws
    assert f"补报：{FIN_NOW} 报送了2022年6月的填报表" in reorganised.collect.output, reorganised.collect.output
    assert state(ws, FIN_NOW, JUNE) == UnitState.LATE
    assert state(ws, FIN, JUNE) is None  # one unit, under its current name
    # June's form does not answer July's: the new name owes July
    assert state(ws, FIN_NOW, JULY) == UnitState.NOT_REPORTED
    june, july = memo_text(ws, JUNE), memo_text(ws, JULY)
    assert FIN not in june.replace(FIN_NOW, "") and FIN not in july.replace(FIN_NOW, "")
    # the first 通报 named the old name 未报送; June's reprint no longer owes it (it reported late)
    assert FIN in reorganised.june_memo


def test_the_absorbing_unit_keeps_its_on_time_june(reorganised):
    ws = reorganised.ws
    assert state(ws, NR, JUNE) == UnitState.ON_TIME
    assert state(ws, FOREST, JUNE) == UnitState.LATE  # its own form's return (QA121)
    assert state(ws, FOREST, JULY) is None
    assert state(ws, NR, JULY) == UnitState.NOT_REPORTED
    june = consolidate(ws, JUNE)
    rows = next(t for t in june.tasks if t.task.id == "11.1")
    assert NR not in rows.missing


def test_a_merged_units_june_return_on_its_own_form_is_not_sent_back(reorganised):
    with Ledger(reorganised.ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.name == f"{JUNE.label}_{FOREST}_进展填报表.xlsx")
        codes = {i.code for i in ledger.issues_of(rec.id)}
    assert "E404" not in codes and rec.outcome == "采纳", (rec.outcome, codes)


@pytest.fixture(scope="module")
def replanned(tmp_path_factory, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path_factory.mktemp("qa119p"))
        on_day(mp, dt.date(2022, 7, 4))
        send(ws, JUNE, TAX, Filling(default=DONE), at(2022, 7, 4, 9))
        send(ws, JUNE, TRANSPORT, Filling(default=ONGOING), at(2022, 7, 4, 9, 30))
        collect(ws, JUNE)
        merge(ws, JUNE)
        write_memo(ws, JUNE)
        june_memo = memo_text(ws, JUNE)
        on_day(mp, dt.date(2022, 7, 20))
        ws = skip_done(ws)
        issue_returns(ws, JULY, due=dt.date(2022, 8, 5))
        replan(ws)
        on_day(mp, dt.date(2022, 7, 25))
        send(ws, JUNE, TAX, Filling(answers={"2.1": ONGOING}, default=DONE), at(2022, 7, 25, 9),
             name=f"{JUNE.label}_{TAX}_进展填报表（修改）.xlsx")
        june_again = collect_and_reprint_june(ws)
        on_day(mp, dt.date(2022, 8, 4))
        send(ws, JULY, TRANSPORT, Filling(default=ONGOING), at(2022, 8, 4, 9))
        collect(ws, JULY)
        close_july(ws, mp)
    return Quarter(ws, *june_again, june_memo)


def test_an_exempt_units_june_correction_is_junes_and_july_stays_exempt(replanned):
    ws = replanned.ws
    assert "采纳 1，退回 0" in replanned.collect.output, replanned.collect.output
    with Ledger(ws.ledger_path) as ledger:
        rec = max((r for r in ledger.receipts() if r.unit == TAX), key=lambda r: r.id)
        codes = {i.code for i in ledger.issues_of(rec.id)}
    assert rec.period == JUNE and rec.outcome == "采纳"
    assert not codes & {"W203", "W604", "E404", "W208", "W210"}, codes
    assert state(ws, TAX, JUNE) == UnitState.ON_TIME
    assert state(ws, TAX, JULY) == UnitState.EXEMPT
    june = consolidate(ws, JUNE)
    assert next(t for t in june.tasks if t.task.id == "2.1").status == "序时推进"


def test_june_reprinted_keeps_its_deadline_july_uses_the_new_one(replanned):
    ws = replanned.ws
    assert "任务 3.2 的完成时限已由2022年6月改为2022年9月；2022年6月仍按下发时的2022年6月核定" in replanned.memo.output
    june = next(t for t in consolidate(ws, JUNE).tasks if t.task.id == "3.2")
    july = next(t for t in consolidate(ws, JULY).tasks if t.task.id == "3.2")
    assert (june.task.deadline_text, june.overdue) == ("2022年6月", True)
    assert (july.task.deadline_text, july.overdue) == ("2022年9月", False)
    # the reprint counts what the first 通报 counted
    overdue = "已超过完成时限仍未完成的有6项"
    assert overdue in memo_text(ws, JUNE)
    # as the first did on 4 July, before the deadline, counting apart those whose leads were still due (QA203)
    first = re.search(r"已超过完成时限仍未完成的有(\d+)项，另有(\d+)项已过完成时限", replanned.june_memo)
    assert first and sum(map(int, first.groups())) == 6, replanned.june_memo
    assert overdue not in memo_text(ws, JULY)


def test_a_unit_added_in_july_is_owed_by_neither_month(replanned):
    ws = replanned.ws
    for period in (JUNE, JULY):
        cons = consolidate(ws, period)
        # July, the office's month, asks whether to issue it July's form; June, whose forms went out
        # before the plan had it, says so and never asks for a June form of it (QA406)
        assert state(ws, CITY, period) is None and (CITY in cons.not_issued) == (period == JULY), \
            (period, cons.not_issued)
        assert period == JULY or (CITY, "3.2", "配合") in cons.basis.joined
        assert CITY not in memo_text(ws, period)
        t32 = next(t for t in cons.tasks if t.task.id == "3.2")
        assert CITY not in t32.missing


# quarters played through collect, merge and issue: several seconds a module, run by CI, not the quick loop
pytestmark = pytest.mark.slow
