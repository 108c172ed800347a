"""QA406 F1 (金乡县): after March's forms went out and April's too, the office added 县统计局 as
配合 on task 1. Every later status, merge and memo of March exited 1 asking for a March form
(请核实 … duban issue --period 2025-03 --dept 县统计局), and following that advice named it
未报送 for March, a month it had no task in. A unit the plan gained after the month's forms went
out is one of the month's differences from today's plan, said (exit 0), never asked to be issued;
a unit the plan had then whose form the office never made is still asked about (`joined_since`)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import drop, issued_path, played_month, set_clock, shanghai, sheet_table
from openpyxl import load_workbook

from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.workspace import find_workspace

MARCH = Period(2025, 3)
WATER, HOUSING, STATS, AUDIT = "县水务局", "县住建局", "县统计局", "县审计局"
PLAN = [["金乡县2025年政府重要工作事项责任分工"], ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
        [1, "城区供水", "新建水厂一座。", WATER, None, "2025年12月底前"],
        [2, "老旧小区改造", "改造小区10个。", HOUSING, None, "2025年12月底前"]]


def add_unit(ws, unit: str, task: str) -> None:
    """The office adds ``unit`` in Excel as 配合 on ``task`` (责任分工, 单位名录), as 金乡县 did."""
    wb = load_workbook(ws.master_path)
    wb["责任分工"].append([task, unit, "配合", "明确"])
    wb["单位名录"].append([unit, None, "县直部门"])
    wb.save(ws.master_path)


def play(tmp_path, plan, *march_units: str):
    """March issued on 3 March (to ``march_units`` alone, if given), both leads report on time,
    April issued on 28 April; the clock on 13 May."""
    root = tmp_path / "ws"
    mp, _, run = played_month(root, dt.date(2025, 3, 3), "--master", str(sheet_table(tmp_path / "分工表.xlsx", plan)),
                              "--period", "2025-03")
    run("issue", "--period", "2025-03", "--due", "2025-04-07", *(w for u in march_units for w in ("--dept", u)))
    ws = find_workspace(root)
    toml = ws.root / "duban.toml"  # the 通报's 落款
    toml.write_text(re.sub(r'(?m)^organiser = ".*"$', 'organiser = "金乡县人民政府办公室"', toml.read_text("utf-8")), "utf-8")
    said = Filling(answers={t: Answer("序时推进", 30, "按计划推进。") for t in "12"})
    for unit in (WATER, HOUSING):
        drop(ws, f"{unit}.xlsx", fill_return(issued_path(ws, unit, MARCH).read_bytes(), said),
             shanghai(dt.datetime(2025, 4, 3, 10)))
    set_clock(mp, dt.date(2025, 4, 3))
    run("collect", "--merge")
    set_clock(mp, dt.date(2025, 4, 28))
    run("issue", "--period", "2025-04")
    set_clock(mp, dt.date(2025, 5, 13))
    return mp, run, ws


@pytest.mark.slow  # plays two months' issue and a collect
def test_a_unit_added_since_a_past_months_forms_is_said_not_asked_for(tmp_path):
    mp, run, ws = play(tmp_path, PLAN)
    try:
        add_unit(ws, STATS, "1")
        status = run("status", "--period", "2025-03", "--all")
        assert status.exit_code == 0, status.output
        assert status.output.splitlines() == [
            "2025年3月报送情况（截止 2025-04-07）：应报 2，按时报送 2，逾期报送 0，未报送 0，退回待改 0",
            f"  按时报送 {WATER}{' ' * 14}2025-04-03 10:00",
            f"  按时报送 {HOUSING}{' ' * 14}2025-04-03 10:00",
            "说明：2025年3月按当月下发的填报表核定（2025年4月的填报表已下发）：其后任务分工表的修改（删除任务、调整分工、"
            "修改任务内容或完成时限）不改变该期的应报任务及其内容和完成时限、分工和报送情况。与现行任务分工表不同之处如下。",
            f"说明：{STATS}（1 配合）是2025年3月的填报表下发后才列入任务分工表的，2025年3月没有向其下发填报表："
            "该期不计入应报单位，通报也不列为未报送，无需补发该期的填报表。"]
        for args in (("merge", "--period", "2025-03"), ("memo", "--period", "2025-03", "--format", "md")):
            out = run(*args)
            assert out.exit_code == 0, out.output
            assert f"说明：{STATS}（1 配合）是2025年3月的填报表下发后才列入任务分工表的" in out.output, out.output
            assert "请核实" not in out.output and "duban issue" not in out.output, out.output
        march = consolidate(ws, MARCH)
        assert STATS not in {u.unit for u in march.units} and not march.not_issued
        memo = (ws.root / "通报" / "2025年3月").glob("*.md")
        assert not any(STATS in p.read_text(encoding="utf-8") for p in memo)
        # April, whose forms were made from the plan before the edit too, is the office's month:
        # 县统计局 is still to be issued April's form
        april = run("status")
        assert f"请核实：{STATS} 在任务清单中有任务，但没有下发过2025年4月的填报表" in april.output, april.output
    finally:
        mp.undo()


@pytest.mark.slow  # plays two months' issue and a collect
def test_a_unit_the_plan_had_when_the_forms_went_out_is_still_asked_for(tmp_path):
    """县统计局 was on task 1 when March went out, to the two leads alone (the office forgot it);
    县审计局, added after April went out, is said. Only the forgotten one is asked for."""
    plan = [*PLAN[:2], [*PLAN[2][:4], STATS, PLAN[2][5]], PLAN[3]]
    mp, run, ws = play(tmp_path, plan, WATER, HOUSING)
    try:
        add_unit(ws, AUDIT, "2")
        status = run("status", "--period", "2025-03")
        assert status.exit_code == 1, status.output
        assert status.output.splitlines()[1:] == [
            f"请核实：{STATS} 在任务清单中有任务，但没有下发过2025年3月的填报表，本期不计入应报单位，通报也不列为未报送。"
            f"如需本期报送，请运行 duban issue --period 2025-03 --dept {STATS}",
            "说明：2025年3月按当月下发的填报表核定（2025年4月的填报表已下发）：其后任务分工表的修改（删除任务、调整分工、"
            "修改任务内容或完成时限）不改变该期的应报任务及其内容和完成时限、分工和报送情况。与现行任务分工表不同之处如下。",
            f"说明：{AUDIT}（2 配合）是2025年3月的填报表下发后才列入任务分工表的，2025年3月没有向其下发填报表："
            "该期不计入应报单位，通报也不列为未报送，无需补发该期的填报表。"]
    finally:
        mp.undo()


@pytest.mark.slow  # plays two months' issue and a collect
def test_a_past_form_issued_again_from_todays_plan_makes_no_other_joined_unit_owed(tmp_path):
    """QA409: 县统计局 and 县审计局 were added before April went out (April made from the new plan);
    the office then issues March to 县统计局 alone. 县审计局 stays one the plan gained since: said,
    not asked to be issued (today's plan knows every unit April went to)."""
    mp, run, ws = play(tmp_path, PLAN)
    try:
        add_unit(ws, STATS, "1")
        add_unit(ws, AUDIT, "2")
        set_clock(mp, dt.date(2025, 4, 28))
        run("issue", "--period", "2025-04")
        set_clock(mp, dt.date(2025, 5, 13))
        issued = run("issue", "--period", "2025-03", "--dept", STATS)
        assert issued.exit_code in (0, 1), issued.output
        status = run("status", "--period", "2025-03")
        assert f"请核实：{AUDIT}" not in status.output and f"--dept {AUDIT}" not in status.output, status.output
        assert (f"说明：{AUDIT}（2 配合）是2025年3月的填报表下发后才列入任务分工表的，2025年3月没有向其下发填报表："
                "该期不计入应报单位，通报也不列为未报送，无需补发该期的填报表。") in status.output.splitlines()
        march = consolidate(ws, MARCH)
        assert STATS in {u.unit for u in march.units} and AUDIT not in {u.unit for u in march.units}
    finally:
        mp.undo()


@pytest.mark.slow  # plays two months' issue and a collect
def test_a_unit_renamed_without_an_alias_is_not_said_to_have_joined(tmp_path):
    """QA409: 县水务局 renamed 县水利局 after March with no alias kept: the new name is not a unit the
    plan gained since (it would be told 无需补发); the month is asked about as before."""
    mp, run, ws = play(tmp_path, PLAN)
    try:
        wb = load_workbook(ws.master_path)
        for sheet in ("责任分工", "单位名录"):
            for row in wb[sheet].iter_rows(min_row=2):
                for cell in row:
                    if cell.value == WATER:
                        cell.value = "县水利局"
        wb.save(ws.master_path)
        status = run("status", "--period", "2025-03")
        assert "县水利局（" not in status.output and "下发后才列入任务分工表" not in status.output, status.output
        assert status.exit_code == 1, status.output
    finally:
        mp.undo()
