"""The notes of the month the office is on when 任务分工表 changed after its forms went out
(`plan_since.since_forms`, `Basis` with ``current``; QA376). Played through the CLI in
test_qa380_task_added_since."""

from __future__ import annotations

from toolkit.basis import Basis
from toolkit.master.model import Task
from toolkit.period import Period

JULY = Period(2021, 7)
SIX = Task("6", "一、2021年经济社会发展主要目标", "", "", "城镇居民人均可支配收入增长9%。", "2021年12月底前")
FIVE = Task("5", "一、2021年经济社会发展主要目标", "", "", "社会消费品零售总额增长16%。", "2021年12月底前")


def test_a_report_left_out_asks():
    basis = Basis(JULY, None, [("县发改局(粮食局)", "4", "牵头", "序时推进")], [FIVE], current=True,
                  added=[SIX], gained=[("县财政局", "4", "牵头")])
    notes = basis.notes()
    assert basis.asks and notes[0].startswith("请核实：2021年7月的填报表下发后，任务分工表已修改")
    assert "duban issue --period 2021-07 --dept 单位名称" in notes[0]
    assert "请核实：县发改局(粮食局)（4 牵头，序时推进）在2021年7月的填报表上，现行任务分工表已取消或调整这些分工" in notes[1]
    assert notes[2].startswith("请核实：任务 5（社会消费品零售总额增长16%）已从任务清单删除，但2021年7月的填报表上有这项任务")
    assert notes[3].startswith("说明：任务 6（城镇居民人均可支配收入增长9%）是2021年7月的填报表下发后新增的")
    assert notes[4] == "说明：县财政局（4 牵头）是2021年7月的填报表下发后新增的分工，当月的填报表上没有这些任务。"
    assert basis.heading() == "按现行任务分工表核定（与2021年7月下发的填报表不同）"


def test_a_task_added_alone_is_said_not_asked():
    # no report of the month is left out: said (exit 0), as W208 says it of a return
    basis = Basis(JULY, None, current=True, added=[SIX])
    assert not basis.asks
    assert basis.notes()[0].startswith("说明：2021年7月的填报表下发后，任务分工表已修改")
