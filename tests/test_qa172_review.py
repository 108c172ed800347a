"""QA172 review: the other direction of `collect --period`'s own-month rule (b54a0c2).

A department keeps last month's file and types this month's progress into it: the commonest
reuse there is. Collected with ``collect --period 2022-07``, June's form (its ``_meta`` says
June, its file name no month) was refused as July's (E202, July 退回待改, the reply asks for
July's form). Since b54a0c2 it is filed as a June 重报: it supersedes the June return the 通报
already published, and July names the unit 未报送.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import DONE, clean, mail, state

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.vocab import UnitState

JULY = Period.parse("2022-07")


def june_on_time_then_july_issued(ws, make_return, monkeypatch, unit: str) -> None:
    """``unit``'s June return collected on time, then its July form issued on 25 July."""
    set_clock(monkeypatch, dt.date(2022, 6, 20))  # June's forms went out in June
    issue_returns(ws, PERIOD, units=[unit])
    drop(ws, f"{unit}6.eml", mail([(f"{unit}6月进展.xlsx", make_return(unit, clean()))]))
    collect(ws)
    assert state(ws, unit) == UnitState.ON_TIME
    set_clock(monkeypatch, dt.date(2022, 7, 25))
    issue_returns(ws, JULY, units=[unit])


def test_last_months_form_collected_with_the_next_period_is_not_a_resend_of_last_month(
        issued_ws, make_return, monkeypatch):
    june_on_time_then_july_issued(issued_ws, make_return, monkeypatch, "石龙镇")
    set_clock(monkeypatch, dt.date(2022, 8, 2))
    july_words = Filling(answers={"1.2": DONE}, default=Answer(work="7月已完成主体施工。"))
    drop(issued_ws, "石龙镇进展.eml", mail([("石龙镇进展.xlsx", make_return("石龙镇", july_words))],
                                       date="Tue, 02 Aug 2022 10:00:00 +0800"))
    result = collect(issued_ws, JULY)  # the office collecting July
    assert not result.superseded  # now: June's published return replaced by July's words
    assert state(issued_ws, "石龙镇", "2022-07") == UnitState.TO_FIX  # now: 未报送
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_july_form_its_file_and_subject_say_is_junes_stays_junes_under_period_june(
        issued_ws, make_return, monkeypatch):
    """The rule's own direction, with the clerk's word against it: 寮步镇, late with June, fills
    the July form it has at hand, names the file and the mail 6月补报; the office collects June.
    Before b54a0c2: June 退回待改 (reply: use June's form). Now: July 按时报送 with June's words,
    June 未报送, and no reply is drafted: the only trace is a 请核实 line on screen."""
    set_clock(monkeypatch, dt.date(2022, 7, 25))
    issue_returns(issued_ws, JULY, units=["寮步镇"])
    (form,) = (issued_ws.root / "下发" / JULY.label).glob("*_寮步镇_进展填报表.xlsx")
    set_clock(monkeypatch, dt.date(2022, 7, 28))
    drop(issued_ws, "寮步镇.eml", mail([("寮步镇6月进展补报.xlsx", fill_return(form, Filling()))],
                                     subject="寮步镇6月份进展补报", date="Thu, 28 Jul 2022 10:00:00 +0800"))
    collect(issued_ws, PERIOD)
    assert state(issued_ws, "寮步镇", "2022-07") == UnitState.NOT_REPORTED  # now: 按时报送
    assert state(issued_ws, "寮步镇") == UnitState.TO_FIX  # now: 未报送


def test_a_known_unit_keeps_its_task_when_a_bracket_line_follows_it(tmp_path):
    """b169f63 joins a bracket line to the unit before it (高新园\\n(邹区镇)). A 名录 unit so
    joined is no longer found: 市住房城乡建设局\\n（市城市管理综合执法局） was 市住房城乡建设局's
    task (plus a stray unit); now a new unit '市住房城乡建设局（市城市管理综合执法局）' (M102)
    holds it and the bureau's own form lacks it."""
    import openpyxl

    from toolkit.master import import_master
    from toolkit.units import default_directory

    path = tmp_path / "分工表.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "工作任务", "责任单位", "完成时限"])
    wb.active.append([1, "推进老旧小区改造", "市住房城乡建设局\n（市城市管理综合执法局）", "2022年12月底前"])
    wb.active.append([2, "推进交通项目", "市交通运输局\n(2022年底前)", "2022年12月底前"])
    wb.save(path)
    master = import_master(path, default_directory(), use_bundled_directory=True)
    units = {a.unit for a in master.assignments}
    assert {"市住房城乡建设局", "市交通运输局"} <= units, units


def test_master_import_of_a_duban_workbook_says_a_bad_address_once(tmp_path, ws):
    import openpyxl

    from toolkit.actions.master_import import import_master_file

    copy = tmp_path / "同事的任务分工表.xlsx"
    copy.write_bytes(ws.master_path.read_bytes())
    wb = openpyxl.load_workbook(copy)
    next(wb["单位名录"].iter_rows(min_row=2))[5].value = "not-an-address"
    wb.save(copy)
    master = import_master_file(copy, ws.master_path, signer="东莞市政务服务数据管理局")
    assert [i.code for i in master.issues].count("M112") == 1  # now twice, the same line


@pytest.mark.parametrize("name, unit", [
    # an area's word ending in 区 after a mark is no other government (QA168's rule read them so)
    ("市场监管局-辖区.xlsx", "市市场监管局"),
    ("市卫健局-市区.xlsx", "市卫生健康局"),
    ("市交通运输局-港区.xlsx", "市交通运输局"),
    ("市场监管局-中心城区6月进展.xlsx", "市市场监管局"),
    ("市场监管局-广州市.xlsx", None),  # another government's: QA168's case stands
    ("市场监管局-花都区.xlsx", None),
    # what follows a town's 人民政府 or 办事处 is the town's own office, not a body located in it
    ("塘厦镇人民政府规划管理所.xlsx", "塘厦镇"),
    ("塘厦镇政府财政所6月进展.xlsx", "塘厦镇"),
    ("东城街道办事处城管中队.xlsx", "东城街道"),
    ("常平镇人民政府企业服务中心6月.xlsx", "常平镇"),
    ("塘厦公安分局6月进展.xlsx", None),  # QA162's body located in the town stands
])
def test_attribution_after_the_review(directory, name, unit):
    assert directory.find_in(name) == unit


@pytest.fixture(scope="module")
def directory():
    from toolkit.units import default_directory

    d = default_directory()
    d.locate("东莞市政务服务数据管理局", "东莞市2022年政务服务全域标准化专项行动")
    return d


def test_a_stopped_send_of_another_month_names_that_month_in_its_advice(issued_ws):
    """`mail send feedback --period 2022-05` stopped while the workspace is on June: the advice
    ran `duban mail send feedback`, which sends June's (QA172)."""
    from toolkit.mail_send import SendPlan, cancelled_line

    may = SendPlan("feedback", Period(2022, 5), "office@dg.example.cn", "127.0.0.1")
    assert cancelled_line(issued_ws, may).endswith(
        "再次运行 duban mail send feedback --period 2022-05 会接着发送未发出的，已发出的不会重发。")
    june = SendPlan("feedback", PERIOD, "office@dg.example.cn", "127.0.0.1")
    assert "duban mail send feedback 会接着" in cancelled_line(issued_ws, june)
