"""The 通报 regenerated after the office answered a 请核实, its 汇总表 not merged again (QA342's
month: 区水利局's and 花戏楼街道's returns counted 逾期 on a weak time; the office ran
``duban received --on`` for one, which says "请重新运行 duban merge 和 duban memo", then
double-clicked 3-生成通报 only). The 通报 is made from the ledger and counts the unit 按时报送;
the 汇总表 beside it still says 逾期报送, and the two go out together. `duban memo` says the
汇总表 is behind, as it does for a return collected after the merge (QA262), until the month is
merged again."""
from __future__ import annotations

import json

import pytest
from conftest import drop, issued_path, late

from toolkit.filling import Filling, fill_return

pytestmark = pytest.mark.slow  # plays a month through the CLI: run in CI, out of the quick loop

BEHIND = ("汇总表不是最新的：2022年6月的汇总表生成之后，又记录了核实结果 1 项（市民政局），通报已按核实结果生成，"
          "汇总表中还没有。请运行 duban merge --period 2022-06（或双击“2-收取并汇总”，期次输入 2022-06）"
          "更新汇总表，再与通报一同发出。")


def _book_state(ws, unit: str) -> str:
    from python_calamine import CalamineWorkbook

    book = ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("报送情况").to_python()
    return next(r[3] for r in rows if r and r[0] == unit)


@pytest.fixture
def answered_after_merge(issued_ws, run):
    """市民政局's return dropped with a modification time after the deadline (逾期 on the file's
    time alone), collected and merged; then the office states it came on 4 July."""
    ws = issued_ws
    drop(ws, "民政.xlsx", fill_return(issued_path(ws, "市民政局"), Filling()), late())
    assert run(["collect", "--merge"], cwd=ws.root).exit_code == 1  # 请核实: late on the file's time
    assert _book_state(ws, "市民政局") == "逾期报送"
    said = run(["received", "--period", "2022-06", "--dept", "市民政局", "--on", "2022-07-04"], cwd=ws.root)
    assert said.exit_code == 0, said.output
    return ws


def test_memo_after_an_answer_the_summary_lacks_says_to_merge_first(answered_after_merge, run):
    ws = answered_after_merge
    memo = run(["memo", "--period", "2022-06"], cwd=ws.root)
    assert (memo.exit_code, BEHIND in memo.stderr.splitlines()) == (1, True), memo.output
    # the 通报 and status count the answer; the 汇总表 sent with the 通报 does not yet
    units = json.loads(run(["status", "--period", "2022-06", "--format", "json"], cwd=ws.root).stdout)["units"]
    assert [u["报送状态"] for u in units if u["单位"] == "市民政局"] == ["按时报送"]
    assert _book_state(ws, "市民政局") == "逾期报送"


def test_memo_after_the_answer_is_merged_says_nothing_of_the_summary(answered_after_merge, run):
    ws = answered_after_merge
    assert run(["merge", "--period", "2022-06"], cwd=ws.root).exit_code in (0, 1)
    memo = run(["memo", "--period", "2022-06"], cwd=ws.root)
    assert _book_state(ws, "市民政局") == "按时报送"
    assert not [line for line in memo.stderr.splitlines() if line.startswith("汇总表不是最新的")]
