"""A 通报 naming every unit 未报送 past the deadline is asked about before it goes out.

The office that clicks 3-生成通报 before 2-收取并汇总 (the returns still in its mail client)
got a 通报 naming all 54 units 未报送 and 【成功】 (found by QA304's review of the scripts).
"""

from __future__ import annotations

import datetime as dt

from conftest import set_clock

from toolkit.actions.memo import write_memo

NOTE = ("请核实：通报把2022年6月应报送的 54 个单位全部列为未报送，本期没有收取登记任何单位的报送。"
        "如已收到报送（邮件或收件箱中），请先收取登记（duban collect，或双击“2-收取并汇总”），再重新生成通报；"
        "确实无人报送的，可照常印发。")


def test_a_memo_past_the_deadline_with_nothing_collected_asks_first(issued_ws, monkeypatch):
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    result = write_memo(issued_ws, fmt="md")
    assert result.path.exists()  # made all the same: a month nobody reported is one to 通报
    assert NOTE in result.warnings, result.warnings


def test_one_return_collected_and_the_note_is_not_said(issued_ws, make_return, monkeypatch):
    from conftest import drop, on_time

    from toolkit.actions.collect import collect

    set_clock(monkeypatch, dt.date(2022, 7, 8))
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇"), on_time())
    collect(issued_ws)
    warnings = write_memo(issued_ws, fmt="md").warnings
    assert not any("全部列为未报送" in w for w in warnings), warnings
