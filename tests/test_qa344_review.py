"""QA344: review of the changes landed on 6 December (QA339-QA342)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from conftest import sheet_table

from toolkit.master import import_master
from toolkit.period import Period
from toolkit.style import load_style
from toolkit.summary_book import Column, fitted

ROWS = [["序号", "问题类别", "存在问题", "整改措施", "责任单位", "整改时限"],
        ["1", "一、全面从严治党方面", "干部作风不实。", "开展作风专项整治。", "机关党委", "2024年7月底前"]]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return import_master(sheet_table(tmp_path_factory.mktemp("p") / "巡察反馈问题整改清单.xlsx", ROWS))


@pytest.mark.parametrize("fit", ['"完成时限" = "16"', '"完成时限" = "宽"', '"完成时限" = -3'])
def test_an_offices_fit_width_written_as_text_neither_crashes_the_summary_nor_the_form(plan, tmp_path, fit):
    from toolkit.returns import build_return

    own = tmp_path / "样式.toml"
    own.write_text(f"[return.fit_widths]\n{fit}\n[summary.fit_widths]\n{fit}\n", encoding="utf-8")
    style = load_style(own)
    s = SimpleNamespace(st=style["summary"])
    cons = SimpleNamespace(master=plan, period=Period(2024, 6))
    widths = [c.width for c in fitted([Column("完成时限", 10, lambda t: t.deadline_text)], cons, s)]
    assert widths[0] >= 10
    build_return(plan, "机关党委", Period(2024, 6), dt.date(2024, 7, 5), plan.title, style,
                 generated_at=dt.datetime(2024, 7, 1))


def test_an_offices_fit_widths_not_a_table_is_ignored(plan, tmp_path):
    from toolkit.returns import build_return

    own = tmp_path / "样式.toml"
    own.write_text("[return]\nfit_widths = 0\n[summary]\nfit_widths = 0\n", encoding="utf-8")
    style = load_style(own)
    cons = SimpleNamespace(master=plan, period=Period(2024, 6))
    assert fitted([Column("完成时限", 10, lambda t: "")], cons, SimpleNamespace(st=style["summary"]))[0].width == 10
    build_return(plan, "机关党委", Period(2024, 6), dt.date(2024, 7, 5), plan.title, style,
                 generated_at=dt.datetime(2024, 7, 1))


# ---- memo's "汇总表不是最新的" after an answer (QA342), on a file server or a USB stick ----

@pytest.mark.slow
@pytest.mark.parametrize("lag", [2, 60])
def test_memo_after_merging_the_answer_on_a_server_clock_behind_says_nothing(issued_ws, run, lag):
    """The office answers (``received --on``) and merges: the 汇总表 holds the answer. Its
    modification time is the file system's: a USB stick's FAT32 keeps it to 2 s, rounded down,
    and a file server stamps it on its own clock, which may run behind the machine's that
    recorded the answer (answered_now). memo said the 汇总表 behind the answer it holds."""
    import os

    from conftest import drop, issued_path, late

    from toolkit.filling import Filling, fill_return

    ws = issued_ws
    drop(ws, "民政.xlsx", fill_return(issued_path(ws, "市民政局"), Filling()), late())
    assert run(["collect", "--merge"], cwd=ws.root).exit_code == 1
    said = run(["received", "--period", "2022-06", "--dept", "市民政局", "--on", "2022-07-04"], cwd=ws.root)
    assert said.exit_code == 0, said.output
    assert run(["merge", "--period", "2022-06"], cwd=ws.root).exit_code in (0, 1)
    book = ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"
    stamp = book.stat().st_mtime - lag
    os.utime(book, (stamp, stamp))  # as the server (or FAT32) gave it
    memo = run(["memo", "--period", "2022-06"], cwd=ws.root)
    assert not [line for line in memo.stderr.splitlines() if line.startswith("汇总表不是最新的")], memo.output
