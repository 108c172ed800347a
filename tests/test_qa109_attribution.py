"""QA helper 109: three attributions that changed who the 通报 says reported which month.

1. 石龙镇 never sent June, sent July's form on 3 August (accepted for July) and, on 4 August,
   before August's forms went out, a stamped PDF of no readable month in a mail of its own. The
   PDF went to June, the month still owed: June's 未报送 became 退回待改, and sent in the same
   mail as the form it would have gone to July. A refused file sent after the unit's latest
   accepted return (received since that month's forms went out) is that return's companion.
2. 市委落实宣传部署情况.pdf held 市委宣传部's characters in order with 落实 between: it went to
   市委宣传部. Neither a gap holding a word of work prose (落实, 部署, 情况 …) nor a name whose
   last character the text carries on into such a word (宣传部署 is no 宣传部) writes a name.
3. A town's short name that is an ordinary place word: 虎门大桥维修进展 went to 虎门镇, 石龙坑 to
   石龙镇. A short name carried on into a place or a structure (桥, 坑, 港, 路, 街, 村, 山, 湖,
   公园 …, after one qualifier: 大桥, 二桥) is not the town.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, issued_path, shanghai
from test_evidence import clean, mail, set_email, state
from test_qa81_attribution import PDF, SQUAD, _form, _named_template, _receipt, collected_file, named_ws  # noqa: F401 (fixtures)

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.evidence import unit_in_names
from toolkit.filling import fill_return
from toolkit.period import Period
from toolkit.units import Directory, Unit, default_directory, spells
from toolkit.vocab import UnitState

# a month played in the module's fixture (1-2 s): CI's full run, not the quick loop
pytestmark = pytest.mark.slow

JULY, AUGUST = Period(2022, 7), Period(2022, 8)
SL = "石龙镇"


@pytest.fixture
def named(request):
    """qa81's workspace (`named_ws`): the seed's units with 市公安局交警支队, 市委 and 市委宣传部,
    each with a mailbox, June issued."""
    return request.getfixturevalue("named_ws")


# ---------------------------------------------------------------------------
# 1. a refused file after the unit's accepted return of a later month than it owes


@pytest.fixture
def august_out(named, collecting_on):
    """July's forms out on 8 July, August's on 8 August; 石龙镇 (sl@example.cn) sent no June."""
    collecting_on(dt.date(2022, 7, 8))
    issue_returns(named, "2022-07")
    collecting_on(dt.date(2022, 8, 8))
    issue_returns(named, "2022-08")
    set_email(named, 石龙镇="sl@example.cn")
    collecting_on(dt.date(2022, 8, 10))
    return named


def _july_form(ws) -> bytes:
    return fill_return(issued_path(ws, SL, JULY), clean())


def _stamped_pdf_is_julys(ws, name: str) -> None:
    rec = _receipt(ws, name)
    assert (rec.unit, rec.period) == (SL, JULY)
    assert state(ws, SL, "2022-06") == UnitState.NOT_REPORTED  # never sent: said so, not 退回待改
    assert state(ws, SL, "2022-07") in (UnitState.ON_TIME, UnitState.LATE)  # the accepted form stands
    assert state(ws, SL, "2022-08") == UnitState.NOT_REPORTED


@pytest.mark.parametrize("runs", [1, 2])
def test_a_stamped_pdf_mailed_after_julys_form_is_julys_not_the_owed_june(august_out, runs):
    name = "石龙镇进展情况（盖章版）.pdf"
    drop(august_out, "七月.eml", mail([("2022年7月_石龙镇_进展填报表.xlsx", _july_form(august_out))],
                                     date="Wed, 03 Aug 2022 09:00:00 +0800"))
    if runs == 2:
        collect(august_out)
    drop(august_out, "盖章版.eml", mail([(name, PDF)], date="Thu, 04 Aug 2022 10:00:00 +0800"))
    collect(august_out)
    _stamped_pdf_is_julys(august_out, name)


def test_a_refusal_before_the_owed_months_return_is_still_the_owed_months(august_out):
    """No accepted return before it: the PDF sent on 2 August, July's form on 3 August, goes
    to the month owed then, as before (the owed-month rule is kept)."""
    drop(august_out, "石龙镇进展.pdf", PDF, shanghai(dt.datetime(2022, 8, 2, 10, 0)))
    drop(august_out, "2022年7月_石龙镇_进展填报表.xlsx", _july_form(august_out), shanghai(dt.datetime(2022, 8, 3, 9, 0)))
    collect(august_out)
    assert _receipt(august_out, "石龙镇进展.pdf").period == PERIOD
    assert state(august_out, SL, "2022-07") in (UnitState.ON_TIME, UnitState.LATE)


# ---------------------------------------------------------------------------
# 2. 市委落实宣传部署 is no 市委宣传部


def _party() -> Directory:
    return Directory([Unit("市委"), Unit("市委宣传部"), Unit("市公安局"), Unit(SQUAD), Unit("市金融工作局", aliases=("市金融局",))])


@pytest.mark.parametrize("text", ["市委落实宣传部署情况", "市委贯彻宣传部署", "市委情况宣传部", "市委宣传部署"])
def test_work_prose_between_or_after_the_characters_writes_no_name(text):
    assert not spells("市委宣传部", text)


def test_names_written_long_are_still_spelled():
    assert spells("市委宣传部", "中共东莞市委员会宣传部")
    assert spells("交警支队", "东莞市公安局交通警察支队")
    assert spells(SQUAD, "东莞市公安局交通治安警察支队")
    assert spells("市金融局", "东莞市金融工作局")  # 工作 is in names: no word of prose
    assert spells("市委宣传部", "中共东莞市委员会宣传部6月进展情况")  # prose after the name is not in it


@pytest.mark.parametrize("text, unit", [("市委落实宣传部署情况", "市委"), ("市委贯彻落实宣传部署", "市委"),
                                        ("中共东莞市委员会宣传部6月进展", "市委宣传部"),
                                        ("东莞市公安局交通警察支队6月进展", SQUAD)])
def test_find_in_reads_the_party_committee_about_publicity_as_its_own(text, unit):
    assert _party().find_in(text) == unit


def test_the_party_committees_pdf_about_carrying_out_publicity_is_its_own(named):
    name = "市委落实宣传部署情况.pdf"
    assert collected_file(named, name)[0].unit == "市委"
    assert state(named, "市委") == UnitState.TO_FIX
    assert state(named, "市委宣传部") == UnitState.NOT_REPORTED


# ---------------------------------------------------------------------------
# 3. 虎门大桥 is no 虎门镇


@pytest.mark.parametrize("text", ["虎门大桥维修进展", "虎门二桥通车情况", "虎门港建设进展", "石龙坑整治进展",
                                  "东城路改造进展", "虎门公园提升工程", "石龙山体修复", "虎门街改造"])
def test_a_towns_short_name_carried_on_into_a_place_is_not_the_town(text):
    assert default_directory().find_in(text) is None
    assert unit_in_names([text], default_directory()) is None


@pytest.mark.parametrize("text, unit", [("虎门6月进展", "虎门镇"), ("虎门镇大桥维修进展", "虎门镇"),
                                        ("石龙镇6月进展", SL), ("石龙_进展填报表", SL), ("东城街道6月进展", "东城街道"),
                                        ("2022年6月_虎门_进展填报表", "虎门镇"), ("虎门村级工业园改造进展", "虎门镇")])
def test_a_towns_short_name_alone_is_still_the_town(text, unit):
    assert default_directory().find_in(text) == unit


def test_a_transport_bureaus_form_about_the_humen_bridge_is_the_bureaus(issued_ws):
    """市交通运输局's form saved without _meta, named for the bridge it reports on."""
    name = "虎门大桥维修进展.xlsx"
    rec, result = collected_file(issued_ws, name, _form(issued_ws, "市交通运输局"))
    assert (rec.unit, rec.outcome) == ("市交通运输局", "采纳")
    assert result.disputed == []
    assert state(issued_ws, "虎门镇") == UnitState.NOT_REPORTED


def test_an_unreadable_file_about_a_creek_is_no_towns(issued_ws):
    name = "石龙坑整治进展.pdf"
    assert collected_file(issued_ws, name)[0].unit is None
    assert state(issued_ws, SL) == UnitState.NOT_REPORTED
