"""A merger within the month, two more ways an office meets it (after QA125, from QA126's review).

- The office issues June again to the merged unit after the merger (`issue --dept 市自然资源局`,
  the way `issue --dept 市林业局` now points it to): the new form carries 市林业局's tasks too,
  and 市自然资源局 returns it whole. 市林业局's old form owes nothing then: it stood 未报送
  beside a return that covered every one of its tasks.
- 市林业局's June form comes back without its hidden `_meta` sheet (copied into a new workbook)
  and its 填报单位 typed as 东莞市林业局: it is still 市林业局's form, not 市自然资源局's, whose
  own return it replaced.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, edit, issued_path
from test_qa96_done_units_exempt import at, on_day
from test_qa119_reorganised_quarter import FOREST, JUNE, NR, ONGOING, june_issued, reorganise, send, state

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.filling import Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.vocab import UnitState


def test_the_merged_unit_issued_again_owes_one_form(tmp_path, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path)
        on_day(mp, dt.date(2022, 6, 30))
        reorganise(ws)
        on_day(mp, dt.date(2022, 7, 1))
        issue_returns(ws, JUNE, units=[NR])
        on_day(mp, dt.date(2022, 7, 2))
        send(ws, JUNE, NR, Filling(default=ONGOING), at(2022, 7, 2, 9))
        result = collect(ws, JUNE)
        assert result.accepted == 1, result
        assert state(ws, NR, JUNE) == UnitState.ON_TIME
        assert state(ws, FOREST, JUNE) is None  # not 未报送: its tasks are on the form returned


def test_a_merged_units_form_without_meta_is_still_its_own(tmp_path, _session_workspace):
    def no_meta(wb):
        del wb["_meta"]
        wb["进展填报"]["B2"] = "东莞市林业局"

    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path)
        on_day(mp, dt.date(2022, 6, 30))
        reorganise(ws)
        on_day(mp, dt.date(2022, 7, 2))
        send(ws, JUNE, NR, Filling(default=ONGOING), at(2022, 7, 2, 9))
        form = edit(fill_return(issued_path(ws, FOREST, JUNE), Filling(default=ONGOING)), no_meta)
        drop(ws, "林业局6月进展.xlsx", form, at(2022, 7, 2, 10))
        collect(ws, JUNE)
        with Ledger(ws.ledger_path) as ledger:
            units = {r.name: r.unit for r in ledger.receipts()}
        assert units["林业局6月进展.xlsx"] == FOREST, units
        assert state(ws, NR, JUNE) == UnitState.ON_TIME
        assert state(ws, FOREST, JUNE) == UnitState.ON_TIME


pytestmark = pytest.mark.slow
