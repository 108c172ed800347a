"""QA382: a 催报 naming a deadline that is not the unit's now is held (QA381's review, 2).

The deadline extended in duban.toml (``due_day = 20``) after `remind` wrote "【提醒】请于2022年7月5日前报送",
no form issued again: `mail send remind` sent it, since `drafts.passed_date` compared today with the
unit's deadline now (20 July), never the date the draft names. Held as after a re-issue, until `remind`
writes it again.
"""
from __future__ import annotations

import datetime as dt

import pytest
from test_qa358_drafts import GA, HM, SZ, _dry, _reminded_on_the_4th

from toolkit.drafts import named_dates

HELD = "草稿中的报送截止日期已不是该单位现在的截止日期"


def test_the_dates_a_reminder_names():
    eml = ("Subject: =?utf-8?b?" + __import__("base64").b64encode(
        "【提醒】请于2022年7月5日前报送东莞市2022年专项行动6月进展填报表（虎门镇）".encode()).decode() + "?=\n"
           "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
           "贵单位6月进展填报表的报送截止时间为2022年7月5日，截至2022年7月4日尚未收到。\n"
           "1.1（牵头）于2022年6月30日前完成平台建设\n").encode()
    assert named_dates(eml) == ({dt.date(2022, 7, 5)}, {dt.date(2022, 7, 5)})
    late = "Subject: x\nContent-Type: text/plain; charset=utf-8\n\n（报送截止：2022年7月5日）\n".encode()
    assert named_dates(late) == (set(), {dt.date(2022, 7, 5)})


def _extend(ws) -> None:
    toml = ws.root / "duban.toml"
    text = toml.read_text(encoding="utf-8")
    assert "due_day = 5" in text
    toml.write_text(text.replace("due_day = 5", "due_day = 20"), encoding="utf-8")


@pytest.mark.slow  # a month reminded twice and sent dry: out of the quick loop
def test_a_reminder_naming_the_deadline_before_it_was_extended_is_held(issued_ws, collecting_on, run):
    root = _reminded_on_the_4th(issued_ws, collecting_on, run, {SZ: "sz@dg.example.cn", HM: "hm@dg.example.cn"})
    _extend(issued_ws)
    collecting_on(dt.date(2022, 7, 6))
    lines = _dry(run, root, "remind")
    held = [x for x in lines if x.startswith(HELD)]
    assert held and f"54 封：{SZ}" in held[0] and "duban remind" in held[0], lines  # every draft named 7月5日
    assert not [x for x in lines if x.startswith(f"  {SZ} →")], lines
    assert run(["-w", root, "remind"]).exit_code == 0  # written again: 请于2022年7月20日前
    lines = _dry(run, root, "remind")
    assert f"  {SZ} → sz@dg.example.cn；无附件" in lines and not any(x.startswith(HELD) for x in lines), lines


@pytest.mark.slow  # as above
def test_a_reminder_naming_the_deadline_that_stands_goes(issued_ws, collecting_on, run):
    root = _reminded_on_the_4th(issued_ws, collecting_on, run, {GA: "ga@dg.example.cn"})
    collecting_on(dt.date(2022, 7, 5))  # its day: still on time by it
    lines = _dry(run, root, "remind")
    assert f"  {GA} → ga@dg.example.cn；无附件" in lines and not any(x.startswith(HELD) for x in lines), lines
