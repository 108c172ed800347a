"""A file sent beside a unit's accepted return in one mail or archive — the scan with its seal,
the blank form an Outlook reply carries back — asks nothing of the office: collect says so in
plain words, not in red with "请直接报送下发的 Excel 填报表" (QA209: the office read 虎门镇 and
东城街道 as refused, though both stood 按时报送)."""

from __future__ import annotations

import datetime as dt

from conftest import drop, issued_path, on_time, set_clock, zip_bytes

FORM = "2022年6月_东城街道_进展填报表"


def test_the_blank_form_beside_the_filled_one(issued_ws, make_return, monkeypatch, run):
    blank = issued_path(issued_ws, "东城街道").read_bytes()
    drop(issued_ws, "东城街道.zip", zip_bytes({f"{FORM}.xlsx": blank, f"{FORM}(1).xlsx": make_return("东城街道")}),
         on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    out = run(["collect"], cwd=issued_ws.root).output
    # the form as issued, byte for byte: no return at all, 重复 (收件登记: 不计入, QA373)
    assert "  采纳 1，退回 0，无法读取 0，重复 1，已被替代 0" in out.splitlines()
    assert "E501" not in out


def test_a_scan_beside_the_return(issued_ws, make_return, monkeypatch, run):
    drop(issued_ws, "虎门镇.zip", zip_bytes({"虎门镇6月进展.xlsx": make_return("虎门镇"),
                                             "虎门镇6月进展（盖章）.pdf": b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"}),
         on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    out = run(["collect"], cwd=issued_ws.root).output
    assert "  无需处理：虎门镇6月进展（盖章）.pdf（虎门镇）与本单位已采纳的填报表同在" in out
    assert "不要转成 PDF" not in out


def test_a_file_of_another_unit_in_the_archive_is_still_said(issued_ws, make_return, monkeypatch, run):
    drop(issued_ws, "片区.zip", zip_bytes({"虎门镇6月进展.xlsx": make_return("虎门镇"),
                                           "长安镇6月进展.pdf": b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"}),
         on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    out = run(["collect"], cwd=issued_ws.root).output
    assert "  无法读取：长安镇6月进展.pdf（长安镇） E103" in out
