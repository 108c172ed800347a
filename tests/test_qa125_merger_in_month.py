"""A unit merged into another in the month the office is on (机构改革, QA125, after QA121).

The demo's 东莞 plan: June's forms go to 市林业局 and 市自然资源局 on 28 June; on 30 June the
coordinator records the merger in the master (`reorganise`: 市林业局's 责任分工 rows deleted,
its name an alias of 市自然资源局); on 2 July, June still the office's month (no July form
out), each sends June's return on its own June form.

QA121 kept a merged unit's forms apart only once a later month was issued: here both returns
were read as 市自然资源局's. Its own return was refused (E404 for 市林业局's tasks its form never
had, a reply asking for them), 市林业局's was taken as 市自然资源局's, and June's 汇总表 and
通报 lost a unit's rows. Now June keeps each form its own (`issued_month.kept_apart`,
`merged_forms`): both accepted, each under the name its form went to, 按时报送 each, every
other unit judged by today's 责任分工 as before. July goes to 市自然资源局 only, one unit, its
form prefilled from its own June return; `issue --dept 市林业局` is refused in Chinese.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from conftest import invoke_cli, issued_path
from openpyxl import load_workbook
from test_qa96_done_units_exempt import at, on_day
from test_qa119_reorganised_quarter import (
    DONE,
    FOREST,
    JULY,
    JUNE,
    NR,
    ONGOING,
    june_issued,
    memo_text,
    reorganise,
    send,
    state,
)

from toolkit.consolidate import consolidate
from toolkit.filling import Filling
from toolkit.issued_month import kept_apart
from toolkit.ledger import Ledger
from toolkit.vocab import UnitState

# a month played through issue, collect, merge, memo and the next issue: several seconds
pytestmark = pytest.mark.slow


@dataclass
class Month:
    ws: object
    collect: object    # `duban collect` on 2 July
    refused: object    # `duban issue --period 2022-07 --dept 市林业局` on 20 July
    july: object       # `duban issue --period 2022-07 --prefill` after it


def sheet_rows(ws, period, name):
    book = load_workbook(ws.root / "汇总" / period.label / f"{period.label}_进展汇总表.xlsx")
    return list(book[name].iter_rows(values_only=True))


@pytest.fixture(scope="module")
def merged_in_june(tmp_path_factory, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path_factory.mktemp("qa125"))
        on_day(mp, dt.date(2022, 6, 30))
        reorganise(ws)
        on_day(mp, dt.date(2022, 7, 2))
        send(ws, JUNE, NR, Filling(default=ONGOING), at(2022, 7, 2, 9))
        send(ws, JUNE, FOREST, Filling(default=DONE), at(2022, 7, 2, 10))
        collected = invoke_cli(["collect"], ws.root)
        on_day(mp, dt.date(2022, 7, 6))
        invoke_cli(["merge", "--period", "2022-06"], ws.root)
        invoke_cli(["memo", "--period", "2022-06"], ws.root)
        on_day(mp, dt.date(2022, 7, 20))
        refused = invoke_cli(["issue", "--period", "2022-07", "--dept", FOREST], ws.root)
        july = invoke_cli(["issue", "--period", "2022-07", "--prefill"], ws.root)
    return Month(ws, collected, refused, july)


def test_both_june_returns_are_taken_each_on_its_own_form(merged_in_june):
    assert "采纳 2，退回 0" in merged_in_june.collect.output, merged_in_june.collect.output
    with Ledger(merged_in_june.ws.ledger_path) as ledger:
        recs = {r.name: r for r in ledger.receipts()}
        codes = {r.unit: {i.code for i in ledger.issues_of(r.id)} for r in recs.values()}
        drafts = [d.unit for d in ledger.drafts("feedback", JUNE, live_only=False)]
    for unit in (NR, FOREST):
        rec = recs[f"{JUNE.label}_{unit}_进展填报表.xlsx"]
        assert (rec.unit, rec.outcome) == (unit, "采纳"), rec
        assert not codes[unit] & {"E404", "E402", "W206", "W210", "W205"}, (unit, codes)
    assert not drafts, drafts


def test_june_gives_each_forms_state_and_rows(merged_in_june):
    ws = merged_in_june.ws
    june = consolidate(ws, JUNE)
    units = {u.unit: u for u in june.units}
    assert units[NR].state == units[FOREST].state == UnitState.ON_TIME
    assert units[FOREST].tasks == 6 and units[NR].tasks == 8  # 11.1 and 13.1 were 市自然资源局's only
    details = {(d["unit"], d["task"]): d for d in june.details}
    assert details[(NR, "2.1")]["status"] == "序时推进" and details[(FOREST, "2.1")]["status"] == "已完成"
    assert (FOREST, "11.1") not in details and (NR, "11.1") in details
    # the 汇总表: 报送情况 lists the merged unit's form after the unit it is now part of
    rows = {r[0]: r for r in sheet_rows(ws, JUNE, "报送情况")}
    names = [r[0] for r in sheet_rows(ws, JUNE, "报送情况")]
    assert names.index(FOREST) == names.index(NR) + 1
    assert rows[NR][3] == rows[FOREST][3] == "按时报送"
    owed = {r[0]: r[-1] or "" for r in sheet_rows(ws, JUNE, "任务汇总")[1:]}
    assert not any(u in owed[t] for t in ("2.1", "3.2", "11.1", "14.1") for u in (NR, FOREST)), owed
    detail = {(r[4], r[0]): r for r in sheet_rows(ws, JUNE, "单位明细")}
    assert detail[(FOREST, "2.1")][6] == "已完成" and detail[(FOREST, "2.1")][13] == f"{JUNE.label}_{FOREST}_进展填报表.xlsx"
    assert detail[(NR, "2.1")][6] == "序时推进" and (FOREST, "11.1") not in detail


def test_junes_memo_names_neither_unreported(merged_in_june):
    june = memo_text(merged_in_june.ws, JUNE)
    assert "已报送2个（报送率3.7%），均按时报送" in june, june
    unreported = june.split("未报送的单位")[1]
    assert FOREST not in unreported and NR not in unreported


def test_july_is_one_unit_with_its_own_june_prefilled(merged_in_june):
    ws = merged_in_june.ws
    assert merged_in_june.july.exit_code == 0, merged_in_june.july.output
    assert state(ws, NR, JULY) == UnitState.NOT_REPORTED and state(ws, FOREST, JULY) is None
    assert not issued_path(ws, FOREST, JULY).exists()
    with Ledger(ws.ledger_path) as ledger:
        assert FOREST not in ledger.issued_units(JULY) and kept_apart(ledger, JULY, ws.load_master()) == frozenset()
    # 市自然资源局's own June return, not 市林业局's (received an hour later, every task 已完成)
    sheet = load_workbook(issued_path(ws, NR, JULY))["进展填报"]
    row = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "2.1")
    assert row[7].value == "序时推进" and row[8].value == 60


def test_issuing_to_the_merged_unit_is_refused_in_chinese(merged_in_june):
    refused = merged_in_june.refused
    assert refused.exit_code == 2, refused.output
    assert f"“{FOREST}”已不是单独的单位" in refused.output and f"duban issue --dept {NR}" in refused.output
    # nothing written for it: July's first issue is the one after
    assert "已生成 2022年7月进展填报表 53 份" in merged_in_june.july.output, merged_in_june.july.output
