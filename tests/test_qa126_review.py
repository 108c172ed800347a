"""Second reading of QA118-QA123 (QA126).

A merged unit's forms of a past month are each its own (QA121, `issued_month.kept_apart`):
June's 汇总表 gives 市林业局's form its own state beside 市自然资源局's. The replies must go by
the same names: 单位名录 gives 市林业局 as an alias of 市自然资源局, and reading the two as one
unit, 市自然资源局's accepted June correction retired (or left unwritten) the reply telling
市林业局 that its June 补报 was refused, while June's reprinted 通报 names it 退回待改.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import workspace_copy
from test_qa96_done_units_exempt import at, on_day
from test_qa119_reorganised_quarter import DONE, FOREST, JULY, JUNE, NR, ONGOING, reorganise, send, state

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.vocab import UnitState

REFUSED = Filling(answers={"2.1": Answer(status="")}, default=DONE)  # E501: 2.1 has no 完成状态


def merged_june(tmp_path, session_ws, mp):
    """June issued to both; 市自然资源局 reports on time; 市林业局 merged into it on 10 July;
    July issued on 20 July."""
    ws = workspace_copy(session_ws, tmp_path / "ws")
    on_day(mp, dt.date(2022, 6, 28))
    issue_returns(ws, JUNE)
    on_day(mp, dt.date(2022, 7, 4))
    send(ws, JUNE, NR, Filling(default=ONGOING), at(2022, 7, 4, 9))
    collect(ws, JUNE)
    on_day(mp, dt.date(2022, 7, 10))
    reorganise(ws)
    on_day(mp, dt.date(2022, 7, 20))
    issue_returns(ws, JULY, due=dt.date(2022, 8, 5))
    return ws


def live_replies(ws, unit):
    with Ledger(ws.ledger_path) as ledger:
        return [d for d in ledger.drafts("feedback", JUNE) if d.unit == unit]


def refused_forest_june(tmp_path, session_workspace, mp):
    """June merged and reorganised; on 22 July 市林业局 mails a June 补报 that is refused."""
    ws = merged_june(tmp_path, session_workspace, mp)
    on_day(mp, dt.date(2022, 7, 22))
    send(ws, JUNE, FOREST, REFUSED, at(2022, 7, 22, 9))
    return ws


@pytest.mark.slow
def test_the_absorbing_units_correction_does_not_retire_the_merged_units_reply(tmp_path, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = refused_forest_june(tmp_path, _session_workspace, mp)
        collect(ws)
        assert live_replies(ws, FOREST), "市林业局's refused June 补报 gets its reply"
        on_day(mp, dt.date(2022, 7, 23))
        send(ws, JUNE, NR, Filling(default=DONE), at(2022, 7, 23, 9), name=f"{JUNE.label}_{NR}_进展填报表（更正）.xlsx")
        collect(ws)
    assert state(ws, FOREST, JUNE) == UnitState.TO_FIX
    assert live_replies(ws, FOREST), "市自然资源局's accepted correction is not 市林业局's"


@pytest.mark.slow
def test_both_forms_in_one_run_each_get_their_own_reply(tmp_path, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = refused_forest_june(tmp_path, _session_workspace, mp)
        send(ws, JUNE, NR, Filling(default=DONE), at(2022, 7, 22, 10), name=f"{JUNE.label}_{NR}_进展填报表（更正）.xlsx")
        collect(ws)
    assert state(ws, FOREST, JUNE) == UnitState.TO_FIX and state(ws, NR, JUNE) == UnitState.ON_TIME
    assert live_replies(ws, FOREST), "市林业局's refused June 补报 gets its reply"
