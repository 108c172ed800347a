"""QA377: what a 补发 month's 汇总表 and 通报 say in public, and the 通报's words for a
完成时限 it did not judge.

大竹's October forms went to 县民政局 alone (`issue --period 2026-10 --dept 县民政局`, a
补发): October's own 汇总表, 通报 and merge screen counted the 9 tasks whose leads were
never sent an October form 未报送 ("未报送 9", "合计：…未报送9项"), though 报送情况 rightly
left those units out of 应报. Now 本期未下发 everywhere, as November's 历次进展 says it (QA368).
The 通报's section 一 said 5月底前动工 "未能识别出日期": software's words, and untrue of a
start read as no day to be done by on purpose (M117).

大竹县 2016 民生实事 (corpus: tests/corpus/masters/dazhu_mssx_2016.docx, its source in that
folder's README.md).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from conftest import invoke_cli, set_clock

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.filling import Filling, fill_return
from toolkit.period import Period

DAZHU = Path(__file__).resolve().parent / "corpus" / "masters" / "dazhu_mssx_2016.docx"
OCTOBER, NOVEMBER = Period(2026, 10), Period(2026, 11)


@pytest.fixture(scope="module")
def october(tmp_path_factory):
    """October issued to 县民政局 alone while the office is on November; its return
    collected; October merged and its 通报 made: (workspace root, merge's and memo's output)."""
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("qa377") / "大竹"
    try:
        set_clock(mp, dt.date(2026, 11, 1))
        ws, _ = init_workspace(root, DAZHU, period=str(NOVEMBER))
        issue_returns(ws, OCTOBER, units=["县民政局"])
        set_clock(mp, dt.date(2026, 11, 3))
        ws.inbox.mkdir(exist_ok=True)
        form = next((root / "下发" / OCTOBER.label).glob("*.xlsx"))
        path = ws.inbox / "县民政局10月.xlsx"
        path.write_bytes(fill_return(form, Filling()))
        t = dt.datetime(2026, 11, 3, 10).timestamp()
        os.utime(path, (t, t))
        collect(ws, OCTOBER, received=dt.date(2026, 11, 3))
        merged = invoke_cli(["-w", str(root), "merge", "--period", "2026-10"])
        memo = invoke_cli(["-w", str(root), "memo", "--period", "2026-10", "--format", "md"])
        assert merged.exit_code in (0, 1) and memo.exit_code in (0, 1), merged.output + memo.output
        yield root, merged.output, memo.output
    finally:
        mp.undo()


def _rows(book: Path, sheet: str) -> list[list]:
    from openpyxl import load_workbook

    return [[v for v in row if v is not None] for row in load_workbook(book)[sheet].iter_rows(values_only=True)]


def _memo(root: Path) -> str:
    return next((root / "通报" / OCTOBER.label).glob("*.md")).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_month_issued_to_one_unit_counts_no_other_unit_s_task_as_not_reported(october):
    root, merged, _ = october
    # the screen: 未报送 9 before
    assert "任务 11 项，已完成 0，序时推进 1，滞后 1，未启动 0，未报送 0，本期未下发 9；" in merged
    assert "报送：应报 1 个单位，按时 1，逾期 0，未报送 0，退回待改 0" in merged
    book = next((root / "汇总" / OCTOBER.label).glob("*.xlsx"))
    overview = _rows(book, "总览")
    assert ["未报送", 0, 0] in overview and ["本期未下发", 9, pytest.approx(9 / 11, abs=1e-3)] in overview
    assert ["全部任务", 0, 1, 1, 0, 0, 9, 11] in overview  # 三: 未报送 0, 本期未下发 9, 合计 11
    assert ["应报单位", 1, 1] in overview and ["尚未报送", 0, 0] in overview
    states = [r[4] for r in _rows(book, "任务汇总")[3:]]
    assert states.count("本期未下发") == 9 and "未报送" not in states, states
    memo = _memo(root)
    assert "本期未向牵头单位下发填报表的9项（占81.8%）" in memo and "未报送进展" not in memo
    assert "- 合计：11项，已完成0项（0%），序时推进1项，滞后1项，本期未下发9项" in memo
    assert "本期应报送单位1个，已按时报送。" in memo


@pytest.mark.slow
def test_the_memo_says_a_start_only_deadline_as_an_office_would(october):
    memo = _memo(october[0])
    assert "未能识别出日期" not in memo
    assert "另有2项任务的完成时限（如“5月底前动工”）仅明确开工时间，未判断是否超期。" in memo
    assert "另有2项任务的完成时限（如“5月底前动工”）仅明确开工时间，未判断是否到期。" in memo


@pytest.mark.parametrize("none", ["无", "暂无。", "没有", "/"])
def test_a_lagging_task_whose_problem_says_there_is_none_is_sent_back(issued_ws, make_return, none):
    # E603 asks a 滞后 task why; "无" answered nothing, passed, and the 通报 then gave no reason
    # (says_no_problem leaves it out of what units 反映)
    from toolkit.checks import CheckContext, check_return
    from toolkit.filling import Answer

    data = make_return("石龙镇", **{"4_3": Answer(status="滞后", progress=30, work="推进中", problems=none)})
    ctx = CheckContext(issued_ws.load_master(), issued_ws.limits, period=Period(2022, 6))
    found = [i for i in check_return(data, "石龙镇.xlsx", ctx).issues if i.code == "E603"]
    assert [(i.cell, i.task) for i in found] == [("K6", "4.3")]
    assert found[0].message == f"任务 4.3 状态为“滞后”，但存在问题只填写了“{none}”。请说明滞后原因和困难。"


def test_a_lagging_task_with_a_reason_passes(issued_ws, make_return):
    from toolkit.checks import CheckContext, check_return
    from toolkit.filling import Answer

    data = make_return("石龙镇", **{"4_3": Answer(status="滞后", progress=30, work="推进中", problems="无资金到位")})
    ctx = CheckContext(issued_ws.load_master(), issued_ws.limits, period=Period(2022, 6))
    assert "E603" not in {i.code for i in check_return(data, "石龙镇.xlsx", ctx).issues}


@pytest.mark.slow
def test_a_unit_s_own_later_deadline_is_named_beside_the_month_s(tmp_path, monkeypatch):
    # two units issued, one given its own later deadline: the 汇总表 stated 报送截止 2026年12月20日
    # (the later of two dates carried once each) and named 县住建局, whose form said the 5th, as
    # the one with a deadline of its own
    from toolkit.consolidate import consolidate
    from toolkit.memo.context import build_context
    from toolkit.workspace import find_workspace

    root = tmp_path / "大竹"
    set_clock(monkeypatch, dt.date(2026, 11, 28))
    assert invoke_cli(["init", str(root), "--master", str(DAZHU), "--period", "2026-11"]).exit_code == 0
    for args in (["issue", "--dept", "县民政局", "--dept", "县住建局"],
                 ["issue", "--dept", "县民政局", "--due", "2026-12-20"]):
        assert invoke_cli(["-w", str(root), *args]).exit_code == 0
    set_clock(monkeypatch, dt.date(2026, 12, 21))
    assert invoke_cli(["-w", str(root), "merge"]).exit_code in (0, 1)
    book = next((root / "汇总" / NOVEMBER.label).glob("*.xlsx"))
    assert _rows(book, "总览")[1] == [
        "数据截至 （尚无报送）；报送截止 2026年12月5日（县民政局 2026年12月20日，按其填报表上的截止日期）"]
    status = invoke_cli(["-w", str(root), "status"]).output
    assert "2026年11月报送情况（截止 2026-12-05；县民政局 2026-12-20）：应报 2，" in status, status
    ctx = build_context(consolidate(find_workspace(root), NOVEMBER))
    assert ctx.due_date_text == "2026年12月5日"
    assert ctx.due_text == "本期报送截止日为2026年12月5日，其中县民政局为2026年12月20日。"


@pytest.mark.slow
def test_issue_says_ten_units_sharing_a_date_in_a_word_and_gives_an_example_of_its_own_year(tmp_path, monkeypatch):
    # 大竹's ten units, every form printing one date: the note named all ten to say so (QA368);
    # its 请核实 of 5月底前动工 gave the example （如 2022-12-31） in a 2026 workspace (QA375)
    root = tmp_path / "大竹"
    set_clock(monkeypatch, dt.date(2026, 11, 26))
    assert invoke_cli(["init", str(root), "--master", str(DAZHU), "--period", "2026-11"]).exit_code == 0
    out = invoke_cli(["-w", str(root), "issue", "--due", "2026-11-20"]).output
    assert ("提醒：填报表印的报送截止（本次下发的 10 个单位均为2026年11月20日）早于 duban.toml 的 due_day 给出的"
            "2026年12月5日：是否逾期按较晚的2026年12月5日判断。") in out
    assert "“截止日期”列填写日期（如 2026-12-31）。" in out and "2022-12-31" not in out


def test_the_memo_s_note_on_unjudged_deadlines_gives_an_example_of_the_month_s_year():
    from types import SimpleNamespace

    from toolkit.master import Task
    from toolkit.memo.sentences import unread_note

    start = Task("4", "", "", "建成县残疾人综合服务中心", "", "5月底前动工", complete=False)
    dated = Task("5", "", "", "新建2座人行天桥", "", "2027年9月", deadline=dt.date(2027, 9, 30))
    note = unread_note([SimpleNamespace(task=t, status="序时推进") for t in (start, dated)], year=2027)
    assert note and "（如 2027-12-31）" in note[0], note
