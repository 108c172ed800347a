"""A unit merged into another after a month's forms went out (机构改革, QA121): each of that
month's forms stays its own.

The demo's 东莞 plan, as QA119 plays it (`reorganised`): June's forms go to 市林业局 and
市自然资源局; 市自然资源局 reports June on time (4 July); on 10 July 市林业局 is merged into
市自然资源局 (its 责任分工 rows deleted, its name an alias of 市自然资源局); July is issued;
on 22 July 市林业局 mails June's 补报 on the form June issued to it.

Read under today's names, June's two forms were one task list: 市林业局's form lacked
市自然资源局's tasks (E404, a reply asking for a row its form never had), and had it been
taken, the later return would have replaced 市自然资源局's on-time one and its rows (按时 →
逾期). June's units are whom its forms went to (`issued_month.kept_apart`): the 补报 is
市林业局's, checked against its own form, 逾期报送 under its own name beside
市自然资源局's 按时报送, in June's 汇总表 and reprinted 通报. July, one unit, is unchanged.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD
from openpyxl import load_workbook
from test_qa119_reorganised_quarter import (
    FOREST,
    JULY,
    JUNE,
    NR,
    memo_text,
    reorganise,
    reorganised,  # noqa: F401  (the fixture)
    state,
)

from toolkit.consolidate import consolidate
from toolkit.issued_month import kept_apart
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.vocab import UnitState

FIN, FIN_NOW = "市金融工作局", "市地方金融监督管理局"


def sheet_rows(ws, period, name):
    book = load_workbook(ws.root / "汇总" / period.label / f"{period.label}_进展汇总表.xlsx")
    return list(book[name].iter_rows(values_only=True))


@pytest.mark.slow
def test_the_merged_units_june_return_is_taken_on_its_own_form_and_answered_by_no_reply(reorganised):  # noqa: F811
    out = reorganised.collect.output
    assert "采纳 2，退回 0" in out, out
    assert f"补报：{FOREST} 报送了2022年6月的填报表" in out, out
    # neither 重报 (市自然资源局's June return is not 市林业局's) nor a W206 (its file name is its own)
    assert f"重报：{FOREST}" not in out and "指向市自然资源局" not in out, out
    with Ledger(reorganised.ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.name == f"{JUNE.label}_{FOREST}_进展填报表.xlsx")
        codes = {i.code for i in ledger.issues_of(rec.id)}
        drafts = [d.unit for d in ledger.drafts("feedback", JUNE, live_only=False)]
    assert (rec.unit, rec.outcome) == (FOREST, "采纳") and not codes & {"E404", "E402", "W206", "W210"}, codes
    assert not drafts, drafts


@pytest.mark.slow
def test_the_absorbing_units_on_time_june_return_and_rows_are_kept(reorganised):  # noqa: F811
    ws = reorganised.ws
    june = consolidate(ws, JUNE)
    units = {u.unit: u for u in june.units}
    assert units[NR].state == UnitState.ON_TIME and units[NR].file == f"{JUNE.label}_{NR}_进展填报表.xlsx"
    assert units[FOREST].state == UnitState.LATE and units[FOREST].file == f"{JUNE.label}_{FOREST}_进展填报表.xlsx"
    # each its own form's tasks: 11.1 was 市自然资源局's only
    assert units[FOREST].tasks == 6 and units[NR].tasks == 8
    details = {(d["unit"], d["task"]): d for d in june.details}
    assert details[(NR, "2.1")]["status"] == "序时推进" and details[(FOREST, "2.1")]["status"] == "已完成"
    assert (FOREST, "11.1") not in details
    # the 汇总表 lists the merged unit's form beside the unit it is now part of
    names = [r[0] for r in sheet_rows(ws, JUNE, "报送情况")]
    assert names.index(FOREST) == names.index(NR) + 1


@pytest.mark.slow
def test_june_reprinted_tells_each_forms_state(reorganised):  # noqa: F811
    ws = reorganised.ws
    rows = {r[0]: r for r in sheet_rows(ws, JUNE, "报送情况")}
    assert rows[NR][3] == "按时报送" and rows[FOREST][3] == "逾期报送"
    owed = {r[0]: r[-1] or "" for r in sheet_rows(ws, JUNE, "任务汇总")[1:]}
    assert not any(u in owed[t] for t in ("2.1", "3.2", "11.1", "14.1") for u in (NR, FOREST)), owed
    # June's first 通报 named 市林业局 未报送; the reprint says it reported late, 市自然资源局 on time
    assert "（一）未报送的单位" in reorganised.june_memo and FOREST in reorganised.june_memo
    june = memo_text(ws, JUNE)
    assert f"逾期报送的单位（2个）：{FOREST}、{FIN_NOW}" in june, june
    unreported = june.split("未报送的单位")[1]
    assert FOREST not in unreported and NR not in unreported


@pytest.mark.slow
def test_july_is_one_unit_with_one_form(reorganised):  # noqa: F811
    ws = reorganised.ws
    assert state(ws, NR, JULY) == UnitState.NOT_REPORTED and state(ws, FOREST, JULY) is None
    assert FOREST not in [r[0] for r in sheet_rows(ws, JULY, "报送情况")]
    assert FOREST not in memo_text(ws, JULY)


def test_only_units_of_one_master_are_kept_apart(ws):
    """Two names on forms made from one master were two units: kept apart, in the month the
    office is on too (QA125). A renamed unit issued again under its new name (another
    master) is one unit."""
    reorganise(ws)
    master = ws.load_master()
    with Ledger(ws.ledger_path) as ledger:
        for unit, fingerprint in ((FOREST, "june"), (NR, "june"), (FIN, "june"), (FIN_NOW, "renamed")):
            ledger.record_issued(PERIOD, unit, fingerprint, ["2.1"], due=dt.date(2022, 7, 5))
        assert kept_apart(ledger, PERIOD, master) == {FOREST, NR}  # June the office's month (QA125)
        ledger.record_issued(Period(2022, 7), NR, "july", ["2.1"], due=dt.date(2022, 8, 5))
        assert kept_apart(ledger, PERIOD, master) == {FOREST, NR}
        assert kept_apart(ledger, Period(2022, 7), master) == frozenset()
