"""The 通报 of a month regenerated after a return of it came in, its 汇总表 not merged again (a QA
helper's month: June merged and its 通报 made; July's forms out; 市公安局's June return arrives
on 12 July, collect says 补报 and asks for ``duban merge --period 2022-06``; the office double-
clicks 3-生成通报 for June instead). The 通报 is made from the ledger and names 市公安局 逾期报送;
the 汇总表 beside it still says 未报送. The two go out together: `duban memo` says the 汇总表 is
behind, and stops saying it once the month is merged again."""
from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from conftest import drop, issued_path, on_time, shanghai

from toolkit.filling import Filling, fill_return

pytestmark = pytest.mark.slow  # plays a month through the CLI: run in CI, out of the quick loop

BEHIND = ("汇总表不是最新的：2022年6月的汇总表生成之后，又收到本期的报送 1 份（市公安局），通报已按全部报送生成，"
          "汇总表中还没有。请运行 duban merge --period 2022-06（或双击“2-收取并汇总”，期次输入 2022-06）"
          "更新汇总表，再与通报一同发出。")


def _book(ws):
    return ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"


def _book_state(ws, unit: str) -> str:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(_book(ws))).get_sheet_by_name("报送情况").to_python()
    return next(r[3] for r in rows if r and r[0] == unit)


@pytest.fixture
def june_behind(issued_ws, run, collecting_on):
    """June merged with 市民政局's return, its 通报 made; July issued; then 市公安局's June
    return collected after the 汇总表 was written (two days later, as the office's clock says)."""
    ws = issued_ws
    drop(ws, "民政.xlsx", fill_return(issued_path(ws, "市民政局"), Filling()), on_time())
    assert run(["collect", "--merge"], cwd=ws.root).exit_code in (0, 1)
    assert run(["memo"], cwd=ws.root).exit_code in (0, 1)
    assert run(["issue", "--period", "2022-07"], cwd=ws.root).exit_code in (0, 1)
    late = shanghai(dt.datetime(2022, 7, 12, 10, 0))
    drop(ws, "公安.xlsx", fill_return(issued_path(ws, "市公安局"), Filling()), late)
    collecting_on(dt.date.today() + dt.timedelta(days=2))  # after the 汇总表, by the machine's clock too
    assert run(["collect"], cwd=ws.root).exit_code == 1  # 补报: asks for the merge
    return ws


def test_memo_of_a_month_with_a_return_its_summary_lacks_says_to_merge_first(june_behind, run):
    ws = june_behind
    memo = run(["memo", "--period", "2022-06"], cwd=ws.root)
    status = json.loads(run(["status", "--period", "2022-06", "--format", "json"], cwd=ws.root).stdout)
    said = {u["单位"]: u["报送状态"] for u in status["units"]}
    # what the three say of 市公安局 before the merge: the 汇总表 is the one behind
    assert said["市公安局"] == "逾期报送" and _book_state(ws, "市公安局") == "未报送"
    assert memo.exit_code == 1
    assert BEHIND in memo.stderr.splitlines()


def test_memo_after_the_month_is_merged_again_says_nothing_of_the_summary(june_behind, run):
    ws = june_behind
    assert run(["merge", "--period", "2022-06"], cwd=ws.root).exit_code in (0, 1)
    # written after the collect, on the clock the collect ran by (the test moved the ledger's
    # clock two days on; the file system's is the machine's own)
    later = (dt.datetime.now() + dt.timedelta(days=3)).timestamp()
    os.utime(_book(ws), (later, later))
    memo = run(["memo", "--period", "2022-06"], cwd=ws.root)
    assert _book_state(ws, "市公安局") == "逾期报送"
    assert not [line for line in memo.stderr.splitlines() if line.startswith("汇总表不是最新的")]


def test_markdown_memo_says_the_summary_is_behind_too(june_behind, run):
    memo = run(["memo", "--period", "2022-06", "--format", "md"], cwd=june_behind.root)
    assert BEHIND in memo.stderr.splitlines()
