"""Three months of the 东莞 plan played as an office would (QA315): what stood out.

June 2022 closed on 8 July (merged, 通报 generated); 市交通运输局 had reported on time on 4 July.
On 15 July, before July's forms were issued (20 July), it mailed its July progress early on the
only form it had, June's, saved as 2022年7月_市交通运输局_进展填报表.xlsx. Collect took it as a
June 重报 without a word (采纳 1, nothing else on screen): the next `merge --period 2022-06`
put July's words (“7月：推进中。”, 70%) into June's 单位明细 and moved task 3.1's average in the
June 通报 from 50% to 53.3%, replacing the June return the 通报 had published.

After July's issue the same file is refused as July's (E202, `evidence.meant_later`). Before it,
`meant_later` let it through (July's form had not gone to the unit) and W209 is only for a month
before the current one. It is still filed as June's (the unit could have meant a June correction)
but now asked about; a unit that owes June sending the same is its 补报, as before.
"""
from __future__ import annotations

import datetime as dt

from conftest import drop, issued_path, set_clock
from test_evidence import mail, set_email, state

from toolkit.actions.collect import collect
from toolkit.actions.merge import merge
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.vocab import UnitState

UNIT, ADDR = "市交通运输局", "jt@dg.example.cn"
EARLY = "2022年7月_市交通运输局_进展填报表.xlsx"


def _june_closed_then_july_early(ws, monkeypatch, reported_june: bool) -> None:
    set_email(ws, **{UNIT: ADDR})
    june = issued_path(ws, UNIT)
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    if reported_june:
        drop(ws, "jt1.eml", mail([(june.name, fill_return(june, Filling()))], sender=ADDR,
                                 subject="市交通运输局6月进展", date="Mon, 04 Jul 2022 10:00:00 +0800"))
        collect(ws)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    merge(ws, Period(2022, 6))
    set_clock(monkeypatch, dt.date(2022, 7, 15))
    early = fill_return(june, Filling(default=Answer(progress=70, work="7月：推进中。")))
    drop(ws, "jt2.eml", mail([(EARLY, early)], sender=ADDR, subject="市交通运输局7月进展",
                             date="Fri, 15 Jul 2022 10:00:00 +0800"))


def test_july_progress_on_junes_form_before_julys_issue_is_asked_about(issued_ws, run, monkeypatch):
    _june_closed_then_july_early(issued_ws, monkeypatch, reported_june=True)
    result = run(["collect"], cwd=issued_ws.root)
    assert (f"  请核实：{EARLY}：市交通运输局用2022年6月的填报表报送，文件名、邮件主题写的是2022年7月，"
            "该单位尚未收到2022年7月的填报表：已登记为2022年6月的报送，重新汇总2022年6月时替代此前采纳的一份；"
            "如果填的是2022年7月的进展，请该单位重新报送2022年6月的进展，2022年7月的进展用2022年7月下发的填报表报送。"
            ) in result.stdout.splitlines(), result.stdout
    assert state(issued_ws, UNIT) == UnitState.ON_TIME  # filed as June's, as before: its first return was on time


def test_a_unit_that_owes_june_sending_it_named_july_is_its_june_return_unasked(issued_ws, run, monkeypatch):
    """东城街道7月进展 mailed on 8 July is June's 补报 (`EarlierMonths.was_asked`): nothing to ask."""
    _june_closed_then_july_early(issued_ws, monkeypatch, reported_june=False)
    result = run(["collect"], cwd=issued_ws.root)
    assert "请核实" not in result.stdout, result.stdout
    assert state(issued_ws, UNIT) == UnitState.LATE
