"""QA248 (review): a later --due for units whose return is in.

`duban issue --dept U --due <today>` for a unit that had already sent its return warned
`提醒：填报表印的报送截止已过或就是今天…此后报送的都将计为逾期报送…`: its verdict stands by the
return it sent (the first valid one decides), so nothing it sends later is 逾期, and the line
(with the command to give yet another date) misled. It is said of the units that have not sent
only; what the new date changed for one that has is the verdict line (QA243).
"""

from __future__ import annotations

import datetime as dt

from conftest import set_clock
from test_qa243_review import send


def test_a_past_date_is_said_only_of_units_whose_return_is_not_in(run, issued_ws, monkeypatch):
    send(issued_ws, "市司法局", 7)  # 逾期 against the 5th, 按时 against the 8th
    send(issued_ws, "市公安局", 4)  # 按时 either way
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    out = run(["issue", "--period", "2022-06", "--dept", "市司法局", "--dept", "市公安局", "--dept", "虎门镇",
               "--due", "2022-07-08"], cwd=issued_ws.root).stdout
    lines = out.splitlines()
    assert lines[0] == "已生成 2022年6月进展填报表 3 份（报送截止：2022年7月8日）"
    assert lines[2:5] == [
        "提醒：填报表印的报送截止已过或就是今天（虎门镇为2022年7月8日；今天是2022年7月8日）：此后报送的都将计为逾期报送。"
        "如需给其留出报送时间，请在发出前运行 duban issue --period 2022-06 --due 2022-07-13 --dept 市司法局 "
        "--dept 市公安局 --dept 虎门镇 重新生成（截止日期可以延后，不会提前）。",
        "本次下发改变了报送状态：市司法局 由逾期报送（报送时间 2022-07-07 10:00）改计为按时报送"
        "（报送时间 2022-07-07 10:00）。请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。",
        "下一步：把填报表发给各单位（加 --emails 生成邮件草稿）；收到的回件放进“收件箱”文件夹，"
        "运行 duban collect（或双击“2-收取并汇总”）。"]


def test_a_later_due_for_units_that_have_all_sent_says_no_past_date(run, issued_ws, monkeypatch):
    send(issued_ws, "市司法局", 7)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    out = run(["issue", "--period", "2022-06", "--dept", "市司法局", "--due", "2022-07-08"],
              cwd=issued_ws.root).stdout
    assert "提醒：" not in out
    assert ("本次下发改变了报送状态：市司法局 由逾期报送（报送时间 2022-07-07 10:00）改计为按时报送"
            "（报送时间 2022-07-07 10:00）。") in out
