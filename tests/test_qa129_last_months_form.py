"""A department reports this month on last month's form (QA129): the demo's 东莞 plan, June
issued 28 June and merged 5 July, July issued 20 July (due 5 August).

The clerk opens June's file from their own folder, overwrites the progress, saves it as
东城街道7月进展.xlsx and mails it as 7月份进展情况. The form's hidden `_meta` says June; the file
name and the subject say July. Before QA129 the form was June's by `_meta` and nothing else
counted: 东城街道's July progress became a June 补报 (W209: "请运行 duban merge --period 2022-06
更新"), July's 汇总表 named it 未报送 and nobody told the town. 石龙镇, which had sent June on
time, sent July's progress the same way: a June 重报 that superseded its published June return,
and the office was told to merge June again with July's progress in it.

Now a form whose file name, archive path, mail subject or 填报期 cell names a later month its
unit was issued a form for, and never the form's own month, is E202 for that month (as with
``collect --period``): refused and filed under July, so July says 退回待改 (not 未报送) and the
town's reply says to use July's form; June's published return is untouched. A June form with
nothing saying July but the mail's date stays a June 补报 with the 请核实 line (case 3).

The 填报期 cell is locked by the sheet's protection (no password by default): the clerk who
typed 2022年7月 into it first chose 撤销工作表保护 (case 2).
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import io

import pytest
from conftest import drop, invoke_cli, issued_path, set_clock, shanghai, workspace_copy
from openpyxl import load_workbook
from test_evidence import mail, set_email

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.form_layout import label_value_cells
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.returns import SHEET
from toolkit.vocab import Outcome, UnitState

JUNE, JULY = Period(2022, 6), Period(2022, 7)
DC, NC, DK, SL = "东城街道", "南城街道", "东坑镇", "石龙镇"
ADDRESS = {DC: "dc@dg.example.cn", NC: "nc@dg.example.cn", DK: "dk@dg.example.cn", SL: "sl@dg.example.cn"}
JUNE_WORK = Answer(status="序时推进", progress=40, work="6月：已完成窗口人员培训。")
JULY_WORK = Answer(status="序时推进", progress=70, work="7月：已完成窗口改造，正在试运行。")


def _filled(ws, unit: str, answer: Answer, label: str | None = None) -> bytes:
    data = fill_return(issued_path(ws, unit, JUNE), Filling(default=answer))
    if label is None:
        return data
    wb = load_workbook(io.BytesIO(data))
    sheet = wb[SHEET]
    assert sheet.protection.sheet and not sheet.protection.password
    cell = label_value_cells(sheet, ("填报期",))["填报期"]
    assert cell.protection.locked  # the clerk had to unprotect the sheet to type here
    cell.value = label
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _mail(ws, unit: str, name: str, data: bytes, subject: str, date: str) -> None:
    """``unit`` mails ``name`` from its 单位名录 address (one .eml a unit and minute)."""
    drop(ws, f"{unit}_{date[5:16]}.eml", mail([(name, data)], sender=ADDRESS[unit], subject=subject, date=date))


def june_issued(mp, session_workspace, folder):
    """The demo workspace, the towns' addresses in 单位名录, June's forms issued on 28 June."""
    ws = workspace_copy(session_workspace, folder / "ws")
    set_email(ws, **ADDRESS)
    set_clock(mp, dt.date(2022, 6, 28))
    issue_returns(ws, "2022-06")
    return ws


@pytest.fixture(scope="module")
def played(tmp_path_factory, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path_factory.mktemp("qa129"))
        set_clock(mp, dt.date(2022, 7, 5))
        _mail(ws, SL, "2022年6月_石龙镇_进展填报表.xlsx", _filled(ws, SL, JUNE_WORK), "石龙镇6月进展",
              "Mon, 04 Jul 2022 10:00:00 +0800")
        drop(ws, "市司法局.xlsx", fill_return(issued_path(ws, "市司法局", JUNE), Filling()),
             shanghai(dt.datetime(2022, 7, 4, 9)))
        collect(ws)
        merge(ws, JUNE)
        set_clock(mp, dt.date(2022, 7, 20))
        issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))
        # 1. 东城街道: June's form, named and mailed as July's
        _mail(ws, DC, "东城街道7月进展.xlsx", _filled(ws, DC, JULY_WORK), "7月份进展情况",
              "Wed, 03 Aug 2022 10:00:00 +0800")
        # 2. 南城街道: the same, 填报期 typed over
        _mail(ws, NC, "南城街道7月进展.xlsx", _filled(ws, NC, JULY_WORK, "2022年7月"), "南城街道7月份进展情况",
              "Wed, 03 Aug 2022 11:00:00 +0800")
        # 3. 东坑镇: June's form as issued, mailed after July's deadline, nothing saying 7月
        _mail(ws, DK, "2022年6月_东坑镇_进展填报表.xlsx", _filled(ws, DK, JULY_WORK), "东坑镇进展情况",
              "Wed, 10 Aug 2022 09:00:00 +0800")
        # 4. 石龙镇: reported June on time; its June file edited with July's progress
        _mail(ws, SL, "石龙镇7月进展.xlsx", _filled(ws, SL, JULY_WORK), "7月份进展情况",
              "Wed, 03 Aug 2022 15:00:00 +0800")
        set_clock(mp, dt.date(2022, 8, 10))
        collected = invoke_cli(["collect"], ws.root)
        merged = invoke_cli(["merge"], ws.root)
    return ws, collected, merged


def _state(ws, unit, period):
    return next(u.state for u in consolidate(ws, period).units if u.unit == unit)


def _receipt(ws, name):
    with Ledger(ws.ledger_path) as ledger:
        return next(r for r in ledger.receipts() if r.name == name)


def _reply(ws, unit, period):
    found = sorted((ws.root / "反馈" / period.label).glob(f"*/{unit}_校验反馈.eml"))
    if not found:
        return ""
    msg = email.message_from_bytes(found[-1].read_bytes(), policy=email.policy.default)
    return msg.get_body(("plain",)).get_content()


def _codes(ws, name):
    with Ledger(ws.ledger_path) as ledger:
        return [i.code for i in ledger.issues_of(_receipt(ws, name).id)]


@pytest.mark.parametrize("unit, name, said", [
    (DC, "东城街道7月进展.xlsx", "文件名、邮件主题写的是2022年7月"),
    (NC, "南城街道7月进展.xlsx", "文件名、邮件主题、填报期写的是2022年7月"),
])
def test_junes_form_named_july_is_refused_for_july_and_the_town_told(played, unit, name, said):
    ws, collected, _ = played
    rec = _receipt(ws, name)
    assert (str(rec.period), rec.outcome) == ("2022-07", Outcome.RETURNED), rec
    assert "E202" in _codes(ws, name)
    # July: 退回待改, not 未报送; June: not a 补报 of July's progress
    assert _state(ws, unit, JULY) == UnitState.TO_FIX
    assert _state(ws, unit, JUNE) == UnitState.NOT_REPORTED
    assert f"补报：{unit}" not in collected.output, collected.output
    assert f"请核实：{name}：{unit}用2022年6月的填报表报送，{said}：已按2022年7月退回（期次不符），" \
           f"未登记为2022年6月的报送；请发出反馈邮件，请该单位用2022年7月下发的填报表重报" in collected.output
    assert "这是2022年6月的填报表，不是本期（2022年7月）的。请使用本期下发的填报表。" in _reply(ws, unit, JULY)
    assert _reply(ws, unit, JUNE) == ""


def test_the_reply_is_julys_form_and_sent_back_it_is_taken_for_july(played, tmp_path):
    """The 校验反馈 workbook is July's form with the town's answers: its _meta must say July
    (June's kept there would be refused again, or taken as June's)."""
    ws = workspace_copy(played[0].root, tmp_path / "ws")
    [book] = sorted((ws.root / "反馈" / JULY.label).glob(f"*/{NC}_校验反馈.xlsx"))
    wb = load_workbook(book)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True) if r and r[0]}
    assert (meta["period"], meta["department"]) == ("2022-07", NC)
    sheet = wb[SHEET]
    assert label_value_cells(sheet, ("填报期",))["填报期"].value == JULY.label
    fixed = fill_return(book, Filling(default=Answer(status="滞后", progress=70, work="7月：已完成窗口改造。",
                                                     problems="设备到货延迟。")))
    _mail(ws, NC, "南城街道7月进展（修改）.xlsx", fixed, "南城街道7月份进展情况", "Thu, 11 Aug 2022 09:00:00 +0800")
    with pytest.MonkeyPatch.context() as mp:
        set_clock(mp, dt.date(2022, 8, 11))
        collect(ws)
    rec = _receipt(ws, "南城街道7月进展（修改）.xlsx")
    assert (str(rec.period), rec.outcome) == ("2022-07", Outcome.ACCEPTED), _codes(ws, rec.name)
    # its July progress came on 3 August, before the deadline, on the wrong form: corrected
    # within the reply's time, as any refused return, it is 按时报送
    assert _state(ws, NC, JULY) == UnitState.ON_TIME


def test_a_unit_that_reported_june_keeps_its_june_return(played):
    """石龙镇's July progress on its June file: no 重报 superseding the published June return."""
    ws, collected, _ = played
    assert _receipt(ws, "2022年6月_石龙镇_进展填报表.xlsx").outcome == Outcome.ACCEPTED
    rec = _receipt(ws, "石龙镇7月进展.xlsx")
    assert (str(rec.period), rec.outcome) == ("2022-07", Outcome.RETURNED)
    assert f"重报：{SL}" not in collected.output, collected.output
    june = next(u for u in consolidate(ws, JUNE).units if u.unit == SL)
    assert june.state == UnitState.ON_TIME
    assert _state(ws, SL, JULY) == UnitState.TO_FIX
    assert "请使用本期下发的填报表" in _reply(ws, SL, JULY)


def test_junes_form_with_nothing_saying_july_stays_a_june_late_return(played):
    """东坑镇: June's form as issued, mailed 10 August as 东坑镇进展情况: June's by every
    evidence but the date, so a June 补报, and the office is asked to check."""
    ws, collected, _ = played
    rec = _receipt(ws, "2022年6月_东坑镇_进展填报表.xlsx")
    assert (str(rec.period), rec.outcome) == ("2022-06", Outcome.ACCEPTED)
    assert f"补报：{DK} 报送了2022年6月的填报表" in collected.output
    assert f"请核实：2022年6月_东坑镇_进展填报表.xlsx（{DK}）是2022年6月的填报表" in collected.output
    assert _state(ws, DK, JULY) == UnitState.NOT_REPORTED
    assert _reply(ws, DK, JULY) == ""


def test_july_summary_counts_the_refused_towns(played):
    merged = played[2]
    assert "退回待改 3" in merged.output, merged.output


@pytest.mark.parametrize("texts, expected", [
    (["东城街道7月进展", "7月份进展情况"], JULY),
    (["2022年7月_东城街道进展"], JULY),
    (["东城街道6月进展（7月补报）"], None),        # names June too: a late June return
    (["中堂镇2022.7.4报送"], None),                # a date, not a month
    (["东城街道进展情况"], None),
    (["请于8月5日前报送", "东城街道6月进展"], None),
])
def test_later_month_named(texts, expected):
    from toolkit.evidence import later_month_named, months_named

    assert later_month_named(JUNE, months_named(texts, dt.datetime(2022, 8, 3))) == expected


# months played through issue, collect and merge: several seconds, run by CI, not the quick loop
pytestmark = pytest.mark.slow
