"""QA252: verdicts from what departments send (archives, renamed and re-saved forms, mails)."""

from __future__ import annotations

import datetime as dt

from conftest import drop, on_time, set_clock, zip_bytes
from test_evidence import clean, mail, receipts, set_email, state

from toolkit.vocab import UnitState


def _asked(result) -> list[str]:
    return [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("请核实")]


def test_a_zip_named_after_one_town_holding_anothers_form_is_asked(run, issued_ws, make_return, monkeypatch):
    """石龙镇 zipped a form and sent it as 2022年6月_石龙镇_进展填报表.zip; inside was 石排镇's
    (a neighbour's form lying on the clerk's PC). It went in as 石排镇's, quietly: 石龙镇 stood
    未报送 in the 通报 with nobody asked, though its name was on what came in."""
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    drop(issued_ws, "2022年6月_石龙镇_进展填报表.zip",
         zip_bytes({"附件.xlsx": make_return("石排镇", clean())}, gbk=True), on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert _asked(result) == [
        "请核实：附件.xlsx：填报表内置的单位信息是石排镇，但压缩包“2022年6月_石龙镇_进展填报表.zip”指向石龙镇。"
        "已按石排镇登记；如实际是石龙镇报送的，请石龙镇用本单位的填报表重报。"]
    assert (state(issued_ws, "石排镇"), state(issued_ws, "石龙镇")) == (UnitState.ON_TIME, UnitState.NOT_REPORTED)


def test_a_scan_in_a_zip_named_after_its_town_is_that_towns(issued_ws, run):
    """A stamped scan alone in 石龙镇.zip: the zip's name is the only evidence of its unit."""
    drop(issued_ws, "石龙镇.zip", zip_bytes({"扫描件.pdf": b"%PDF-1.4\n%%EOF\n"}), on_time())
    run(["collect"], cwd=issued_ws.root)
    entry = next(r for r in receipts(issued_ws) if r.parent_id)
    assert (entry.unit, entry.identified_by) == ("石龙镇", "文件名")


def test_the_question_names_the_subject_or_the_zip_path_that_named_the_other_unit(run, issued_ws, make_return,
                                                                                   monkeypatch):
    """中堂镇's form from a colleague's own mailbox under the subject 虎门镇6月进展填报, and
    长安镇's form in a zip at 厚街镇/进展填报表.xlsx: the office was told the file name
    “进展填报表.xlsx” named 虎门镇 (and 厚街镇), which it plainly does not."""
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    drop(issued_ws, "p.eml", mail([("进展填报表.xlsx", make_return("中堂镇", clean()))],
                                  sender="zhangsan@qq.example", subject="虎门镇6月进展填报"))
    drop(issued_ws, "q.zip", zip_bytes({"厚街镇/进展填报表.xlsx": make_return("长安镇", clean())}), on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert _asked(result) == [
        "请核实：进展填报表.xlsx：填报表内置的单位信息是中堂镇，但邮件主题“虎门镇6月进展填报”指向虎门镇。"
        "已按中堂镇登记；如实际是虎门镇报送的，请虎门镇用本单位的填报表重报。",
        "请核实：进展填报表.xlsx：填报表内置的单位信息是长安镇，但压缩包内路径“厚街镇/进展填报表.xlsx”指向厚街镇。"
        "已按长安镇登记；如实际是厚街镇报送的，请厚街镇用本单位的填报表重报。"]


def test_the_same_pdf_from_two_towns_is_each_towns_own(run, issued_ws, monkeypatch):
    """石龙镇 and 石排镇 each mailed the same PDF from their own addresses in 单位名录. 石排镇's
    went in as a 重复 of 石龙镇's file: 石排镇 stood 未报送 with no reply asking for its form,
    and the office was told sp@example.cn was 石龙镇's address."""
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    set_email(issued_ws, 石排镇="sp@example.cn", 石龙镇="sl@example.cn")
    pdf = b"%PDF-1.4\n% joint letter\n%%EOF\n"
    drop(issued_ws, "a.eml", mail([("6月进展情况.pdf", pdf)], sender="sl@example.cn", subject="石龙镇6月进展"))
    drop(issued_ws, "b.eml", mail([("6月进展情况.pdf", pdf)], sender="sp@example.cn", subject="石排镇6月进展",
                                  date="Mon, 04 Jul 2022 17:20:00 +0800"))
    result = run(["collect"], cwd=issued_ws.root)
    assert _asked(result) == []
    assert "需回复的单位 2 个：石排镇、石龙镇" in result.stdout
    files = [(r.unit, r.outcome, r.identified_by) for r in receipts(issued_ws) if r.parent_id]
    assert files == [("石龙镇", "无法读取", "发件人地址"), ("石排镇", "无法读取", "发件人地址")]
    assert (state(issued_ws, "石龙镇"), state(issued_ws, "石排镇")) == (UnitState.TO_FIX, UnitState.TO_FIX)
