"""Months written in words (QA131): clerks write 东城街道七月份工作进展.xlsx, 十二月进展,
二〇二二年七月, 一至七月累计 and 截至7月31日, and duban read months from Arabic digits only.

The demo's 东莞 plan, June issued 28 June, July issued 20 July (due 5 August). 东城街道 mails
June's form, its progress overwritten with July's, as 东城街道七月份工作进展.xlsx with the subject
七月份进展情况: as 东城街道7月进展 (QA129) it is July's progress on the wrong form, refused for
July (退回待改, the town told to use July's form); read as June's it was a June 补报 and July named
the town 未报送 with nobody told. The same for a 填报期 cell typed over as 二〇二二年七月, a name
截至7月31日 (as of July's last day: July's, not a day to drop), 一至七月累计.

Precision first (see `_NOT_ITS_MONTH`): a month read where none is refuses an honest June 补报
as July's, June 未报送 and July 退回待改 in public. So 七一 (建党节), 一月一次/一月一报 (once a
month), 统一月报, 上一月, 第七月, 三个月, 七月五日 (a day) and 截至7月15日 name no month, and
六月进展（七月补报）stays June's 补报 as 6月进展（7月补报）does.

A unit exempt for July (销号, `skip_done_units`: every task 已完成 in June, no July form) that
mails its June form named 7月进展 meant July as much as 东城街道 did: taken as a June 重报 it
replaced the June return the 通报 published with July's words. Now it is filed under July and
refused as the others (July stays 本期免报 in public: a volunteered file changes nothing there),
its June return stands, and the office is told no 重报 is owed.
"""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from conftest import drop, issued_path, set_clock, workspace_copy
from test_evidence import mail
from test_qa96_done_units_exempt import CANLIAN, _june_template, skip_done  # noqa: F401
from test_qa129_last_months_form import DC, DK, JULY_WORK, JUNE_WORK, NC, SL, _filled, _mail, june_issued

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.evidence import later_month_named, mail_period, meant_later, months_named, period_in
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.report import Report
from toolkit.vocab import Outcome, UnitState

JUNE, JULY = Period(2022, 6), Period(2022, 7)
AUG3 = dt.datetime(2022, 8, 3, 10)


@pytest.mark.parametrize("texts, expected", [
    (["东城街道七月份工作进展"], JULY),
    (["东城街道七月进展", "七月份进展情况"], JULY),
    (["东城街道2022年七月进展"], JULY),
    (["二〇二二年七月_东城街道_进展填报表"], JULY),
    (["二零二二年七月东城街道进展"], JULY),
    (["东城街道一至七月累计进展"], JULY),              # July's cumulative progress, as 1-7月
    (["东城街道1-7月累计进展"], JULY),
    (["东城街道截至7月底工作进展"], JULY),
    (["东城街道截至7月工作进展"], JULY),
    (["东城街道截止到7月31日工作进展"], JULY),         # as of July's last day: July's
    (["截至二〇二二年七月三十一日东城街道进展"], JULY),
    (["东城街道截至7月15日进展"], None),               # a day: June's progress sent mid-July?
    (["东城街道进展（截止7月31日前报送）"], None),       # a deadline, not the month reported (QA141)
    (["东城街道七月五日报送"], None),                  # a day
    (["东城街道六、七月份进展"], None),                # names June: June's, as 6、7月
    (["东城街道六至七月进展"], None),
    (["东城街道截至6月30日进展", "七月份进展情况"], None),  # June's as of its last day
    (["东城街道庆祝七一建党节活动进展"], None),
    (["东城街道第七月进展"], None),
    (["东城街道第7月进展"], None),
    (["东城街道近三个月进展"], None),
])
def test_a_month_in_words_names_it_as_in_digits(texts, expected):
    assert later_month_named(JUNE, months_named(texts, AUG3)) == expected


@pytest.mark.parametrize("form, text, expected", [
    (Period(2022, 10), "东城街道十一月份工作进展", Period(2022, 11)),   # not 十 (October) in 十一
    (Period(2022, 10), "东城街道十二月进展", Period(2022, 12)),
    (Period(2022, 11), "东城街道十月进展", None),
    (Period(2022, 11), "东城街道十一月进展（十二月补报）", None),
])
def test_ten_is_not_read_in_eleven(form, text, expected):
    assert later_month_named(form, months_named([text], dt.datetime(2022, 12, 3))) == expected


@pytest.mark.parametrize("text", [
    "关于落实一月一报制度的通知", "东城街道一月一次调度进展", "统一月报格式", "东城街道上一月进展",
    "东城街道同一月份两次报送", "东城街道七一建党节", "东城街道月度进展", "东城街道500元月租补贴",
])
def test_words_that_are_no_month(text):
    assert months_named([text], AUG3) == [], text


def test_months_in_words_are_read_as_digits():
    from toolkit.evidence import month_digits

    assert month_digits("东城街道元月份进展") == "东城街道1月份进展"
    assert month_digits("二〇二二年十二月三十一日") == "2022年12月31日"
    assert month_digits("截至2022年2月28日") == "截至2022年2月底"
    assert month_digits("截至2024年2月28日") == "截至2024年2月28日"  # a leap year's February


@pytest.mark.parametrize("name, expected", [
    ("2022年七月_石龙镇_进展填报表", JULY),
    ("二〇二二年七月_石龙镇_进展填报表", JULY),
    ("石龙镇截至2022年7月31日进展", JULY),
    ("中堂镇二〇二二年七月四日报送", None),  # a date, as 中堂镇2022.7.4报送: June's sent on 4 July
])
def test_period_in_a_name_without_meta(name, expected):
    assert period_in([name]) == expected


def test_a_link_mail_saying_its_month_in_words():
    linked = SimpleNamespace(name="东城街道进展.xlsx", words="附件为我街道七月份工作进展，请查收")
    assert mail_period(["东城街道进展", "东城街道报送进展"], [linked], AUG3) == JULY


@pytest.mark.parametrize("hints, refused", [
    (["东城街道七月份工作进展", "", "七月份进展情况"], True),
    (["东城街道七月补报", "", ""], False),                  # June's 补报, sent in July
    (["东城街道", "", "六月份进展（七月补报）"], False),
    (["东城街道", "", "关于报送七月份以前工作进展的函"], False),
    (["东城街道", "", "七月十日报送进展"], False),           # a day
    (["东城街道", "", "落实一月一报制度进展"], False),
])
def test_meant_later_reads_months_in_words(hints, refused):
    rep = Report("x.xlsx", unit="东城街道", period=JUNE, period_by="_meta")
    said = meant_later(rep, "x.xlsx", hints, dt.datetime(2022, 7, 21, 9), lambda unit, period, by: True)
    assert bool(said) == refused and rep.period == (JULY if refused else JUNE), said


def _receipt(ws, name):
    with Ledger(ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.name == name)
        return rec, {i.code for i in ledger.issues_of(rec.id)}


def _state(ws, unit, period):
    return next(u.state for u in consolidate(ws, period).units if u.unit == unit)


@pytest.fixture(scope="module")
def played(tmp_path_factory, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path_factory.mktemp("qa131"))
        set_clock(mp, dt.date(2022, 7, 20))
        issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))
        # July's progress on June's forms, the month written in words
        _mail(ws, DC, "东城街道七月份工作进展.xlsx", _filled(ws, DC, JULY_WORK), "七月份进展情况",
              "Wed, 03 Aug 2022 10:00:00 +0800")
        _mail(ws, NC, "南城街道工作进展.xlsx", _filled(ws, NC, JULY_WORK, "二〇二二年七月"), "南城街道进展情况",
              "Wed, 03 Aug 2022 11:00:00 +0800")
        _mail(ws, SL, "石龙镇截至7月31日工作进展.xlsx", _filled(ws, SL, JULY_WORK), "石龙镇进展情况",
              "Wed, 03 Aug 2022 15:00:00 +0800")
        # an honest June 补报 sent in July, its months in words
        _mail(ws, DK, "东坑镇六月份工作进展（七月补报）.xlsx", _filled(ws, DK, JUNE_WORK), "东坑镇七月补报六月份进展",
              "Wed, 27 Jul 2022 09:00:00 +0800")
        set_clock(mp, dt.date(2022, 8, 4))
        result = collect(ws)
    return ws, result


@pytest.mark.slow
@pytest.mark.parametrize("unit, name, said", [
    (DC, "东城街道七月份工作进展.xlsx", "文件名、邮件主题写的是2022年7月"),
    (NC, "南城街道工作进展.xlsx", "填报期写的是2022年7月"),
    (SL, "石龙镇截至7月31日工作进展.xlsx", "文件名写的是2022年7月"),
])
def test_junes_form_named_july_in_words_is_refused_for_july(played, unit, name, said):
    ws, result = played
    rec, codes = _receipt(ws, name)
    assert (rec.period, rec.outcome) == (JULY, Outcome.RETURNED) and "E202" in codes, (rec.period, codes)
    assert _state(ws, unit, JULY) == UnitState.TO_FIX
    assert any(f == name and f"{unit}用2022年6月的填报表报送，{said}：已按2022年7月退回" in line
               for f, line in result.disputed), result.disputed


@pytest.mark.slow
def test_a_june_late_return_in_words_stays_junes(played):
    ws, _ = played
    rec, codes = _receipt(ws, "东坑镇六月份工作进展（七月补报）.xlsx")
    assert (rec.period, rec.outcome) == (JUNE, Outcome.ACCEPTED) and "E202" not in codes, (rec.period, codes)
    assert _state(ws, DK, JULY) == UnitState.NOT_REPORTED


@pytest.mark.slow
def test_a_unit_exempt_for_july_keeps_its_june_return(tmp_path, _june_template):  # noqa: F811
    """市残联 reported every task 已完成 in June and got no July form (本期免报). On 3 August it
    mails its June file again, overwritten with July's words, as 市残联7月进展 (七月份进展情况).
    Taken as June's it was a 重报 that replaced the June return the 通报 published; it is
    July's by every word on it, filed under July and refused, June untouched, nothing owed (no reply draft asks it to re-send by July's deadline)."""
    ws = workspace_copy(_june_template, tmp_path / "ws")
    with pytest.MonkeyPatch.context() as mp:
        set_clock(mp, dt.date(2022, 7, 20))
        issue_returns(skip_done(ws), JULY)
        july = Answer(status="已完成", progress=100, work="7月：已完成，继续做好日常维护。", evidence="东残〔2022〕15号")
        data = fill_return(issued_path(ws, CANLIAN, JUNE), Filling(default=july))
        drop(ws, "市残联_0803.eml", mail([("市残联7月进展.xlsx", data)], sender="cl@dg.example.cn",
                                         subject="七月份进展情况", date="Wed, 03 Aug 2022 10:00:00 +0800"))
        set_clock(mp, dt.date(2022, 8, 4))
        result = collect(ws)
    with Ledger(ws.ledger_path) as ledger:
        june = ledger.accepted(JUNE)[CANLIAN]
    assert june.name == f"{JUNE.label}_{CANLIAN}.xlsx", june.name
    rec, codes = _receipt(ws, "市残联7月进展.xlsx")
    assert (rec.period, rec.outcome) == (JULY, Outcome.RETURNED) and "E202" in codes, (rec.period, codes)
    assert _state(ws, CANLIAN, JULY) == UnitState.EXEMPT
    assert _state(ws, CANLIAN, JUNE) == UnitState.ON_TIME
    assert ("市残联7月进展.xlsx", "市残联用2022年6月的填报表报送，文件名、邮件主题写的是2022年7月：已记入2022年7月"
            "（期次不符，不采纳），未登记为2022年6月的报送；该单位2022年7月本期免报，无需重报，不发反馈邮件，"
            "其2022年6月的报送不变。") \
        in result.disputed, result.disputed
    # and no reply asking it to re-send on a July form it was never issued by 5 August
    assert not (ws.root / "反馈" / JULY.label).exists()
