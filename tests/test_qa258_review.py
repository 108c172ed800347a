"""QA258: an archive bundling several units' files (an office colleague's or a town's) names none of them."""

from __future__ import annotations

import datetime as dt

from conftest import drop, on_time, set_clock, zip_bytes
from test_evidence import clean, mail, receipts, set_email, state

from toolkit.vocab import UnitState


def _asked(result) -> list[str]:
    return [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("请核实")]


def test_a_zip_of_several_towns_forms_named_after_one_asks_nothing_of_the_others(run, issued_ws, make_return,
                                                                                   monkeypatch):
    """石龙镇 collected its neighbours' forms into 石龙镇等5镇报送.zip: every other town's form was
    asked 请核实 (压缩包 指向石龙镇), and the scan in it went to 石龙镇 as its refused file."""
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    drop(issued_ws, "石龙镇等5镇报送.zip", zip_bytes({
        "进展填报表.xlsx": make_return("石龙镇", clean()), "进展填报表(1).xlsx": make_return("石排镇", clean()),
        "扫描件.pdf": b"%PDF-1.4\n%%EOF\n"}), on_time())
    drop(issued_ws, "汇总.zip", zip_bytes({
        "石龙镇.zip": zip_bytes({"a.xlsx": make_return("茶山镇", clean()), "b.xlsx": make_return("石龙镇", clean())})}),
        on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert [line for line in _asked(result) if "指向" in line] == []
    scan = next(r for r in receipts(issued_ws) if r.name == "扫描件.pdf")
    assert (scan.unit, scan.outcome) == (None, "无法读取")


def test_a_zip_named_after_one_town_holding_two_others_forms_asks_of_both(run, issued_ws, make_return, monkeypatch):
    """Neither form is 石龙镇's, whose name came in: it stands 未报送, so both are asked about."""
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    drop(issued_ws, "石龙镇.zip", zip_bytes({"a.xlsx": make_return("石排镇", clean()),
                                            "b.xlsx": make_return("茶山镇", clean())}), on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert [line.split("：")[1] for line in _asked(result)] == ["a.xlsx", "b.xlsx"]


def test_a_towns_pdf_forwarded_in_a_group_zip_named_after_another_stays_a_duplicate(run, issued_ws, make_return,
                                                                                    monkeypatch):
    """石龙镇 mailed a scan from its address; a colleague forwarded the same scan in
    石排镇等3镇材料.zip: it went in as 石排镇's refused file, 石排镇 stood 退回待改 and was sent a
    reply for nothing it sent (`_own_copy` read the group zip's name as 石排镇's own)."""
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    set_email(issued_ws, 石排镇="sp@example.cn", 石龙镇="sl@example.cn")
    pdf = b"%PDF-1.4\n% scan\n%%EOF\n"
    drop(issued_ws, "a.eml", mail([("扫描件.pdf", pdf)], sender="sl@example.cn", subject="6月进展"))
    drop(issued_ws, "b.eml", mail([("石排镇等3镇材料.zip", zip_bytes({"扫描件.pdf": pdf}))],
                                  sender="zhangsan@qq.example", subject="转发", date="Mon, 04 Jul 2022 17:20:00 +0800"))
    result = run(["collect"], cwd=issued_ws.root)
    assert "需回复的单位 1 个：石龙镇" in result.stdout
    files = [(r.unit, r.outcome) for r in receipts(issued_ws) if r.name == "扫描件.pdf"]
    assert files == [("石龙镇", "无法读取"), ("石龙镇", "重复")]
    assert state(issued_ws, "石排镇") == UnitState.NOT_REPORTED
