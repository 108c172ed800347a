"""QA helper 288: three months played as an office would (June, July, August 2022), the next
month's forms issued before this month's deadline.

August was issued on 3 August, July due on the 10th (the office had raised due_day). On the
11th a plain ``duban collect`` (current period August) took every department's July return, sent
on the 8th by July's own deadline, and said for each of the 52 a line of its own: 请核实：2022年7月_
市公安局_进展填报表.xlsx（市公安局）是2022年7月的填报表，已登记为2022年7月的报送；如果填的是2022年8月
的进展，请该单位用2022年8月下发的填报表重报. A form sent by its own month's deadline is that month's
return (as it is never 补报, QA273): August's progress cannot be on it before July's report was
even due. The question stays for one sent after that deadline (last month's file re-used, QA129).
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import clean, mail
from test_qa270_review import _july_issued_on_the_3rd

pytestmark = pytest.mark.slow  # plays issue and collect across two months: run in CI, out of the quick loop

ASK = "如果填的是2022年7月的进展，请该单位用2022年7月下发的填报表重报"


def _june_form_collected_on(run, ws, make_return, monkeypatch, day: int, unit: str = "中堂镇"):
    assert _july_issued_on_the_3rd(run, ws, make_return, monkeypatch).exit_code == 0
    form = f"{PERIOD.label}_{unit}_进展填报表.xlsx"
    drop(ws, "zt.eml", mail([(form, make_return(unit, clean()))], sender="zt@example.cn",
                            date=f"Mon, {day:02d} Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, day))
    return run(["collect"], cwd=ws.root), form


def test_last_months_form_sent_by_its_deadline_after_the_next_month_went_out_is_not_questioned(
        run, issued_ws, make_return, monkeypatch):
    result, _ = _june_form_collected_on(run, issued_ws, make_return, monkeypatch, 4)
    assert ASK not in result.stdout, result.stdout
    assert "按时报送：中堂镇 报送了2022年6月的填报表（在规定时限内收到），该期已汇总" in result.stdout, result.stdout


def test_last_months_form_sent_after_its_deadline_is_still_questioned(run, issued_ws, make_return, monkeypatch):
    result, form = _june_form_collected_on(run, issued_ws, make_return, monkeypatch, 8)
    assert f"  请核实：{form}（中堂镇）是2022年6月的填报表，已登记为2022年6月的报送；{ASK}" in result.stdout, result.stdout


def test_last_months_form_sent_while_the_month_between_is_owed_names_that_month(
        run, issued_ws, make_return, monkeypatch):
    """June's forms, then July's (due 5 August) and August's issued early on 3 August. On the
    4th 茶山镇 mails its June file again, progress overwritten: July's progress, the month it
    still owes, not August's, which had hardly begun. The question named August (the current
    period) and asked for a re-send on August's form, July left 未报送 in its 通报."""
    unit = "茶山镇"
    drop(issued_ws, "cs1.eml", mail([(f"{PERIOD.label}_{unit}_进展填报表.xlsx", make_return(unit, clean()))],
                                    sender="cs@example.cn", date="Mon, 04 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    assert run(["collect", "--merge"], cwd=issued_ws.root).exit_code in (0, 1)
    set_clock(monkeypatch, dt.date(2022, 7, 28))
    assert run(["issue", "--period", "2022-07"], cwd=issued_ws.root).exit_code == 0
    set_clock(monkeypatch, dt.date(2022, 8, 3))
    assert run(["issue", "--period", "2022-08"], cwd=issued_ws.root).exit_code == 0
    form = f"{PERIOD.label}_{unit}_进展填报表(1).xlsx"
    from toolkit.filling import Answer, Filling
    drop(issued_ws, "cs2.eml", mail([(form, make_return(unit, Filling(default=Answer(progress=70, work="7月继续推进。"))))],
                                    sender="cs@example.cn", date="Thu, 04 Aug 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 8, 4))
    result = run(["collect"], cwd=issued_ws.root)
    assert (f"  请核实：{form}（{unit}）是2022年6月的填报表，已登记为2022年6月的报送；"
            "如果填的是2022年7月的进展，请该单位用2022年7月下发的填报表重报") in result.stdout, result.stdout


def test_last_months_forms_by_its_deadline_are_said_by_the_month_when_it_is_not_merged(
        run, issued_ws, make_return, monkeypatch):
    """Not asked about, the on-time forms of the earlier month must not go unsaid either: with
    June not merged (no 该期已汇总 line), a plain collect under July said only 采纳 2, and the
    office, on July, saw nothing of June's two returns."""
    set_clock(monkeypatch, dt.date(2022, 7, 3))
    assert run(["issue", "--period", "2022-07"], cwd=issued_ws.root).exit_code == 0
    for unit, box in (("中堂镇", "zt"), ("石龙镇", "sl")):
        drop(issued_ws, f"{box}.eml", mail([(f"{PERIOD.label}_{unit}_进展填报表.xlsx", make_return(unit, clean()))],
                                           sender=f"{box}@example.cn", date="Mon, 04 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    result = run(["collect"], cwd=issued_ws.root)
    assert "  另收到2022年6月的填报表 2 份（石龙镇、中堂镇），均在该期报送时限内收到，已登记为2022年6月的报送。" \
        in result.stdout.splitlines(), result.stdout
    assert "请核实" not in result.stdout, result.stdout
