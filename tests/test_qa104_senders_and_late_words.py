"""QA helper 104: who a file sent on another's behalf belongs to, and how a return after a
month's merge is worded.

1. 东城街道 sends 东坑镇's June return for it: 东坑镇6月进展（东城街道代报）.pdf. The longer name
   in the brackets won, the file went to 东城街道 (credited, 退回待改) and 东坑镇 stood 未报送.
   A bracket saying 代报/代交/代送/代发/转报 names the messenger; the file is the unit's named
   outside it, and the messenger's mailbox is no evidence against that.
2. Two June returns of 东坑镇 collected in one August run after June was merged were both
   补报; the later one is sent again (重报).
3. 市残联, exempt for July (本期免报), volunteers a July return after July was merged: it was
   told 补报 (late) for a month it owed nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, on_time, shanghai
from test_evidence import _move_period, clean, issue_codes, mail, receipts, set_email, state
from test_qa81_attribution import PDF, _form, collected_file
from test_qa96_done_units_exempt import (  # noqa: F401 (fixtures)
    CANLIAN,
    JULY,
    _july_template,
    _june_template,
    july,
    volunteer,
)

from toolkit.actions.collect import collect
from toolkit.actions.merge import merge
from toolkit.evidence import sent_for_another, unit_in_names
from toolkit.filling import Answer
from toolkit.ledger import Ledger
from toolkit.units import default_directory
from toolkit.vocab import UnitState

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

DK, DC = "东坑镇", "东城街道"
DC_MAIL, DK_MAIL = "dc@dg.example.cn", "dk@dg.example.cn"


def _rec(ws, name: str):
    return next(r for r in receipts(ws) if r.name == name)


def _w209(ws, name: str) -> str:
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        return next(i.message for i in ledger.issues_of(_rec(ws, name).id) if i.code == "W209")


# ---------------------------------------------------------------------------
# 1. a file sent on another's behalf


@pytest.mark.parametrize("text", [
    "东坑镇6月进展（东城街道代报）", "东坑镇6月进展(东城街道代报)", "2022年6月_东坑镇_进展填报表（东城街道代送）",
    "东坑镇6月进展【东城街道代交】", "东坑镇6月进展〔东城街道转报〕", "东坑镇6月进展（东城街道代发）",
    "东坑镇6月进展（由东城街道代为报送）",
])
def test_the_unit_outside_the_brackets_owns_the_file_not_its_messenger(text):
    d = default_directory()
    assert unit_in_names([text], d) == DK
    assert sent_for_another(DC, [text], d) is None
    assert sent_for_another(DK, [text], d) == DK


def test_a_bracket_that_names_no_messenger_still_counts_and_a_lone_messenger_names_no_one():
    d = default_directory()
    assert unit_in_names(["东坑镇6月进展（东城街道）"], d) == DC  # no 代报: as before, the longer name
    assert unit_in_names(["6月进展（东城街道代报）", "东坑镇进展"], d) == DK  # the subject says whose


def test_a_pdf_sent_for_dongkeng_is_dongkengs(issued_ws):
    name = "东坑镇6月进展（东城街道代报）.pdf"
    rec, _ = collected_file(issued_ws, name)
    assert (rec.unit, rec.identified_by) == (DK, "文件名")
    assert state(issued_ws, DK) == UnitState.TO_FIX
    assert state(issued_ws, DC) == UnitState.NOT_REPORTED


def test_a_form_without_meta_sent_for_dongkeng_is_accepted_as_dongkengs(issued_ws):
    name = "2022年6月_东坑镇_进展填报表（东城街道代报）.xlsx"
    drop(issued_ws, name, _form(issued_ws, DK), on_time())
    result = collect(issued_ws)
    assert (result.accepted, result.disputed) == (1, [])
    assert _rec(issued_ws, name).unit == DK
    assert state(issued_ws, DK) == UnitState.ON_TIME
    assert state(issued_ws, DC) == UnitState.NOT_REPORTED


def test_a_form_without_meta_whose_cell_names_the_messenger_too_is_dongkengs(issued_ws):
    """填报单位 typed 东坑镇（东城街道代报）, the file named for no unit."""
    drop(issued_ws, "进展表.xlsx", _form(issued_ws, DK, "东坑镇（东城街道代报）"), on_time())
    result = collect(issued_ws)
    assert (result.accepted, result.disputed) == (1, [])
    assert (_rec(issued_ws, "进展表.xlsx").unit, _rec(issued_ws, "进展表.xlsx").identified_by) == (DK, "填报单位")
    assert state(issued_ws, DC) == UnitState.NOT_REPORTED


def test_a_pdf_mailed_from_dongchengs_mailbox_for_dongkeng_is_dongkengs(issued_ws):
    """The subject says 东城街道 passes it on: its mailbox is the messenger's, not the owner's."""
    set_email(issued_ws, **{DC: DC_MAIL, DK: DK_MAIL})
    drop(issued_ws, "报送.eml", mail([("进展.pdf", PDF)], sender=DC_MAIL, subject="东坑镇6月进展（东城街道代报）"))
    collect(issued_ws)
    assert _rec(issued_ws, "进展.pdf").unit == DK
    assert state(issued_ws, DK) == UnitState.TO_FIX
    assert state(issued_ws, DC) == UnitState.NOT_REPORTED


def test_a_form_without_meta_mailed_from_dongchengs_mailbox_for_dongkeng_is_dongkengs(issued_ws):
    set_email(issued_ws, **{DC: DC_MAIL, DK: DK_MAIL})
    name = "东坑镇6月进展（东城街道代报）.xlsx"
    drop(issued_ws, "报送.eml", mail([(name, _form(issued_ws, DK))], sender=DC_MAIL, subject="转报东坑镇材料"))
    result = collect(issued_ws)
    assert (result.accepted, result.disputed) == (1, [])
    assert _rec(issued_ws, name).unit == DK
    assert state(issued_ws, DK) == UnitState.ON_TIME
    assert state(issued_ws, DC) == UnitState.NOT_REPORTED


def test_a_form_with_meta_mailed_by_the_messenger_raises_no_dispute(issued_ws, make_return):
    set_email(issued_ws, **{DC: DC_MAIL, DK: DK_MAIL})
    drop(issued_ws, "报送.eml", mail([("东坑镇6月进展（东城街道代报）.xlsx", make_return(DK, clean()))],
                                     sender=DC_MAIL, subject="东坑镇6月进展（东城街道代报）"))
    result = collect(issued_ws)
    assert (result.accepted, result.disputed) == (1, [])
    assert state(issued_ws, DK) == UnitState.ON_TIME


# ---------------------------------------------------------------------------
# 2. two returns of a merged month in one run


def test_the_second_return_of_a_merged_month_in_one_run_is_resent(issued_ws, make_return, run):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    merge(issued_ws, PERIOD)
    ws = _move_period(issued_ws, "2022-08")
    drop(ws, "东坑镇6月.xlsx", make_return(DK, clean()), shanghai(dt.datetime(2022, 8, 2, 9, 0)))
    drop(ws, "东坑镇6月（更正）.xlsx", make_return(DK, clean(), **{"4_3": Answer(progress=30)}),
         shanghai(dt.datetime(2022, 8, 3, 9, 0)))
    result = run(["collect", "--received", "2022-08-03"], cwd=ws.root)
    assert _w209(ws, "东坑镇6月.xlsx").startswith("补报：")
    assert _w209(ws, "东坑镇6月（更正）.xlsx").startswith("重报：")
    # one line for the unit: it reported June late, for the first time, in this run
    assert result.stdout.count("补报：东坑镇 报送了2022年6月的填报表") == 1, result.stdout
    assert "重报：东坑镇" not in result.stdout


def test_the_first_by_arrival_is_the_late_one_whatever_the_order_read(issued_ws, make_return):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    merge(issued_ws, PERIOD)
    ws = _move_period(issued_ws, "2022-08")
    # read in name order (A before B); B arrived first
    drop(ws, "A东坑镇6月.xlsx", make_return(DK, clean(), **{"4_3": Answer(progress=30)}),
         shanghai(dt.datetime(2022, 8, 3, 9, 0)))
    drop(ws, "B东坑镇6月.xlsx", make_return(DK, clean()), shanghai(dt.datetime(2022, 8, 2, 9, 0)))
    result = collect(ws)
    assert _w209(ws, "B东坑镇6月.xlsx").startswith("补报：")
    assert _w209(ws, "A东坑镇6月.xlsx").startswith("重报：")
    assert (result.late, result.resent) == ([(DK, PERIOD)], [])


# ---------------------------------------------------------------------------
# 3. an exempt unit's return after the merge


@pytest.fixture
def exempt(request):
    """qa96's July (`july`): 市残联 and 东莞市税务局 exempt (本期免报), July's returns collected."""
    return request.getfixturevalue("july")


def test_an_exempt_units_return_after_the_merge_is_not_late(exempt, collecting_on):
    """市残联 sends a July form on 12 August, after July was merged and after July's deadline:
    neither 补报 nor 逾期, on screen or in 校验问题 (none was owed)."""
    merge(exempt, JULY)
    ws = _move_period(exempt, "2022-08")
    volunteer(ws, collecting_on, 12)
    result = collect(ws, JULY)
    name = f"{JULY.label}_{CANLIAN}.xlsx"
    message = _w209(ws, name)
    assert message.startswith("本期免报（任务均已报告完成，未下发填报表），仍报送了填报表：2022年7月已于"), message
    assert "补报" not in message and "逾期" not in message
    assert result.late == [] and result.resent == [] and result.volunteered == [(CANLIAN, JULY)]
    assert not [m for n, m in result.disputed if n == name]
    assert result.needs_attention
    assert "W209" in issue_codes(ws, _rec(ws, name).id)


def test_an_exempt_units_return_after_the_merge_has_its_own_line(exempt, collecting_on, run):
    """On screen: one line saying what happened and what to do, neither 补报 nor 请核实; exit 1."""
    merge(exempt, JULY)
    ws = _move_period(exempt, "2022-08")
    volunteer(ws, collecting_on, 12)
    said = run(["collect", "--period", "2022-07"], cwd=ws.root)
    assert said.exit_code == 1, said.output
    assert (f"  免报单位报送：{CANLIAN} 2022年7月本期免报（任务均已报告完成，未下发填报表），仍报送了填报表，"
            "已收到并登记；该期已汇总，请运行 duban merge --period 2022-07（或双击“2-收取并汇总”，期次输入 2022-07）更新") in said.stdout, said.stdout
    assert "补报" not in said.stdout and "逾期" not in said.stdout and "请核实" not in said.stdout
