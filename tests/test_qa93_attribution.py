"""QA helper 93: which unit, and which month, a received file belongs to.

1. A longer unit name holding a shorter one (市委宣传部 holds 市委) won whenever the text held
   its characters in order anywhere: 市委6月份宣传部署落实情况 "spelled" 市委宣传部, and 市委's own
   form, sent under that name, was refused as 市委宣传部's (市委 未报送, 市委宣传部 退回待改). A
   longer name now wins only where the text writes it as a name: 交通警察支队 for 交警支队,
   中共东莞市委员会宣传部 for 市委宣传部, not a sentence with a date or a joining word between.
2. A refused file of no readable month was filed under the month of the run: the scanned PDF
   sent in one mail with June's form after July's forms went out made the town 退回待改 for
   July and got a July reply; a stray file sent before July's issue did the same when June's
   return had already been accepted; a file named 2022年7月 went to June.
3. 东莞城市更新 holds 莞城, but no one writes 莞城街道 so: the file went to 莞城街道.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, issued_path, on_time, shanghai, zip_bytes
from test_evidence import clean, mail, receipts, reply_path, set_email, state
from test_qa81_attribution import PDF, SQUAD, _form, _named_template, _receipt, collected_file, named_ws  # noqa: F401 (fixtures, used by `named`)

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.filling import fill_return
from toolkit.period import Period
from toolkit.units import Directory, Unit, default_directory, spells
from toolkit.vocab import UnitState

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

JULY = Period(2022, 7)
# 市委's own files, named by what they are about: 宣传部署 (publicity arrangements) is no 宣传部
ABOUT_PUBLICITY = ("市委6月份宣传部署落实情况", "市委本月宣传部署落实情况", "市委关于宣传部署工作的报告",
                   "市委_宣传部署_6月", "市委和宣传部联合报送")


@pytest.fixture
def named(request):
    """qa81's workspace (`named_ws`): the seed's units with 市公安局交警支队, 市委 and 市委宣传部
    (市民政局, 市府办 and 市司法局 renamed), each with a mailbox, June issued."""
    return request.getfixturevalue("named_ws")


def _party_and_police() -> Directory:
    return Directory([Unit("市委"), Unit("市委宣传部"), Unit("市公安局"), Unit(SQUAD), Unit("市府办")])


# ---------------------------------------------------------------------------
# 1. a longer name wins only where the text writes it as a name


@pytest.mark.parametrize("text", ABOUT_PUBLICITY)
def test_a_sentence_holding_the_longer_names_characters_is_the_shorter_units(text):
    assert _party_and_police().find_in(text) == "市委"


@pytest.mark.parametrize("text, unit", [
    ("中共东莞市委员会宣传部", "市委宣传部"), ("中共东莞市委员会宣传部6月进展", "市委宣传部"),
    ("东莞市公安局交通警察支队6月进展", SQUAD), ("2022年6月_东莞市公安局交通警察支队_进展填报表", SQUAD),
    ("东莞市公安局6月交通安全警察支队", "市公安局"),  # a month between: 市公安局 writing about traffic
    ("市公安局关于交通警察支队", "市公安局"),
])
def test_a_full_name_still_goes_to_the_longer_unit(text, unit):
    assert _party_and_police().find_in(text) == unit


def test_spells_is_a_name_written_short_or_long_never_a_sentence():
    assert spells("交警支队", "东莞市公安局交通警察支队")
    assert spells("市委宣传部", "中共东莞市委员会宣传部")
    assert spells("市委宣传部", "市委宣传部")
    assert not spells("市委宣传部", "市委6月份宣传部署")
    assert not spells("市委宣传部", "市委(宣传部署)")
    assert not spells("市委宣传部", "市委的宣传部署")
    assert spells("市公安局交警支队", "东莞市公安局交通治安警察支队")  # a qualifier between
    assert not spells("市公安局交警支队", "市公安局交通安全宣传警示支队")  # five between: a sentence
    assert not spells("", "市委")


def test_an_unreadable_file_of_the_party_committee_about_publicity_is_its_own(named):
    name = "市委6月份宣传部署落实情况.pdf"
    assert collected_file(named, name)[0].unit == "市委"
    assert state(named, "市委") == UnitState.TO_FIX
    assert state(named, "市委宣传部") == UnitState.NOT_REPORTED


def test_the_party_committees_form_named_about_publicity_is_accepted_as_its_own(named):
    """No _meta (saved as a new workbook): the rows are 市委's, and 市委宣传部's form holds them
    all, so the file name decided. Read as 市委宣传部, the form was refused for its missing row
    3.2: 市委 stood 未报送 and 市委宣传部 退回待改, by the file's name alone."""
    name = "市委6月份宣传部署落实情况.xlsx"
    rec, result = collected_file(named, name, _form(named, "市委"))
    assert (rec.unit, rec.outcome) == ("市委", "采纳")
    assert result.disputed == []
    assert state(named, "市委") == UnitState.ON_TIME
    assert state(named, "市委宣传部") == UnitState.NOT_REPORTED


def test_the_party_committees_mailbox_is_not_disputed_by_a_name_about_publicity(named):
    sender = named.load_master().directory.get("市委").email
    drop(named, "来信.eml", mail([("市委本月宣传部署落实情况.pdf", PDF)], sender=sender))
    result = collect(named)
    rec = next(r for r in receipts(named) if r.parent_id)
    assert (rec.unit, rec.identified_by) == ("市委", "发件人地址")
    assert result.disputed == []


def test_a_form_with_its_meta_and_a_name_about_publicity_raises_no_w206(named):
    drop(named, "市委6月份宣传部署落实情况.xlsx", _form(named, "市委", "市委", meta=True), on_time())
    result = collect(named)
    assert (result.accepted, result.disputed) == (1, [])


# ---------------------------------------------------------------------------
# 3. a name across the city's own: 东莞城市 holds 莞城


@pytest.mark.parametrize("text, unit", [("东莞城市更新6月进展", None), ("东莞城管6月进展", None),
                                        ("东莞市莞城街道办事处", "莞城街道"), ("莞城6月进展", "莞城街道"),
                                        ("2022年6月_莞城街道_进展填报表", "莞城街道")])
def test_a_town_is_not_read_across_the_citys_own_name(text, unit):
    assert default_directory().find_in(text) == unit


def test_an_unreadable_file_about_urban_renewal_is_no_towns(named):
    """A department's PDF about 东莞城市更新 made 莞城街道 退回待改 for a file it never sent."""
    name = "东莞城市更新6月进展.pdf"
    assert collected_file(named, name)[0].unit is None
    assert state(named, "莞城街道") == UnitState.NOT_REPORTED


# ---------------------------------------------------------------------------
# 2. a refused file of no readable month


@pytest.fixture
def july_out(named, collecting_on):
    """July's forms went out on 8 July; 石龙镇 has the mailbox sl@example.cn."""
    collecting_on(dt.date(2022, 7, 8))
    issue_returns(named, "2022-07")
    set_email(named, 石龙镇="sl@example.cn")
    return named


def _june_form(ws) -> bytes:
    return fill_return(issued_path(ws, "石龙镇"), clean())


def _june_stays_and_july_is_not_to_fix(ws, pdf: str) -> None:
    rec = _receipt(ws, pdf)
    assert (rec.unit, rec.period, rec.outcome) == ("石龙镇", PERIOD, "无法读取")
    assert state(ws, "石龙镇", "2022-06") in (UnitState.ON_TIME, UnitState.LATE)
    assert state(ws, "石龙镇", "2022-07") == UnitState.NOT_REPORTED
    assert not (ws.root / "反馈" / JULY.label).exists()


@pytest.mark.parametrize("carrier", ["mail", "zip"])
def test_a_scan_sent_with_junes_form_after_julys_issue_is_junes(july_out, collecting_on, carrier):
    """The stamped PDF beside the form, in one mail (or one zip) sent on 9 July: it was filed
    under July, the run's month, and 石龙镇 stood 退回待改 for July with a July reply asking for
    a form it had not been sent a day before."""
    collecting_on(dt.date(2022, 7, 10))
    files = [("2022年6月_石龙镇_进展填报表.xlsx", _june_form(july_out)), ("石龙镇进展（盖章）.pdf", PDF)]
    if carrier == "mail":
        drop(july_out, "来信.eml", mail(files, date="Sat, 09 Jul 2022 16:20:00 +0800"))
    else:
        drop(july_out, "石龙镇报送.zip", zip_bytes(dict(files)), shanghai(dt.datetime(2022, 7, 9, 16, 20)))
    collect(july_out)
    _june_stays_and_july_is_not_to_fix(july_out, "石龙镇进展（盖章）.pdf")


def test_a_refusal_sent_before_julys_issue_after_june_was_accepted_is_junes(july_out, collecting_on):
    """June accepted on 4 July; a PDF sent on 6 July, before July's forms, collected on 10 July:
    it stood in July as 退回待改, a month the town had not been asked for."""
    collecting_on(dt.date(2022, 7, 5))
    drop(july_out, "2022年6月_石龙镇_进展填报表.xlsx", _june_form(july_out), on_time())
    collect(july_out)
    collecting_on(dt.date(2022, 7, 10))
    drop(july_out, "石龙镇进展.pdf", PDF, shanghai(dt.datetime(2022, 7, 6, 10, 0)))
    collect(july_out)
    _june_stays_and_july_is_not_to_fix(july_out, "石龙镇进展.pdf")


def test_a_refusal_and_junes_form_in_one_run_before_julys_issue(july_out, run, collecting_on):
    """Both sent before July's forms, collected together: the PDF is June's, June's accepted
    return stands, July is 未报送. The PDF, a document beside the accepted form, gets no reply
    (QA114: the reply said 暂未采纳…请修改后重新报送 of a month whose form was taken)."""
    collecting_on(dt.date(2022, 7, 10))
    drop(july_out, "2022年6月_石龙镇_进展填报表.xlsx", _june_form(july_out), shanghai(dt.datetime(2022, 7, 6, 9, 0)))
    drop(july_out, "石龙镇进展.pdf", PDF, shanghai(dt.datetime(2022, 7, 6, 10, 0)))
    result = run(["collect"], cwd=july_out.root)
    assert "石龙镇进展.pdf（石龙镇，计入2022年6月）" in result.stdout
    _june_stays_and_july_is_not_to_fix(july_out, "石龙镇进展.pdf")
    assert not reply_path(july_out, "石龙镇").exists()


def test_a_file_named_for_july_stays_in_july(july_out, collecting_on):
    """Its name says 2022年7月: a readable month, whenever it was sent. It was moved to June,
    which then stood 退回待改 and got a reply."""
    collecting_on(dt.date(2022, 7, 10))
    name = "2022年7月_石龙镇_进展填报表.pdf"
    drop(july_out, name, PDF, shanghai(dt.datetime(2022, 7, 6, 10, 0)))
    collect(july_out)
    assert _receipt(july_out, name).period == JULY
    assert state(july_out, "石龙镇", "2022-06") == UnitState.NOT_REPORTED


@pytest.mark.slow  # two more months issued: 15 s of the quick loop
@pytest.mark.parametrize("runs", [1, 2])
def test_a_refusal_goes_to_the_same_month_collected_in_one_run_or_two(july_out, collecting_on, runs):
    """August's forms out on 8 August; 石龙镇 never reported June, sends July's form and an
    unreadable PDF on 5 August. Collected in two runs the PDF went to June, the month still
    owed; in one it went to July, as if July's return, read in the same run, were not there.
    Sent after July's form, it is July's companion (QA109), in one run or two; June stays
    未报送, a month the town never sent anything for."""
    collecting_on(dt.date(2022, 8, 8))
    issue_returns(july_out, "2022-08")
    collecting_on(dt.date(2022, 8, 10))
    drop(july_out, "2022年7月_石龙镇_进展填报表.xlsx", fill_return(issued_path(july_out, "石龙镇", JULY), clean()),
         shanghai(dt.datetime(2022, 8, 5, 9, 0)))
    if runs == 2:
        collect(july_out)
    drop(july_out, "石龙镇进展.pdf", PDF, shanghai(dt.datetime(2022, 8, 5, 10, 0)))
    collect(july_out)
    assert _receipt(july_out, "石龙镇进展.pdf").period == JULY
    assert state(july_out, "石龙镇", "2022-06") == UnitState.NOT_REPORTED
    assert state(july_out, "石龙镇", "2022-07") in (UnitState.ON_TIME, UnitState.LATE)
    assert state(july_out, "石龙镇", "2022-08") == UnitState.NOT_REPORTED
