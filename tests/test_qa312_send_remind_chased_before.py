"""`duban mail send remind` names the days a unit was already chased for the month (QA312).

`duban remind` lists a unit reminded on an earlier day as 未报送 市公安局（已于7月6日、7月7日催报）
(QA299); the list `mail send remind` shows before the office confirms named the same units
without it, and that list is the one 4-发送邮件 → 催报 puts to the office.
"""

from __future__ import annotations

import datetime as dt

from test_mail_send import address, give_emails
from test_qa277_mailbox_fetched_today import with_mail
from test_qa299_leftovers import _reminded

from toolkit.mail_plan import plan_send

UNITS = ["市公安局", "虎门镇", "中堂镇", "石龙镇"]


def test_the_list_to_confirm_says_which_units_were_reminded_before(issued_ws, collecting_on, run):
    give_emails(issued_ws, {u: address(n) for n, u in enumerate(UNITS)})
    ws = with_mail(issued_ws, imap_host="", smtp_host="smtp.dg.gov.cn")
    _reminded(ws, "市公安局", "2022-07-06T10:00:00+08:00", 1)
    _reminded(ws, "市公安局", "2022-07-07T09:30:00+08:00", 2)
    _reminded(ws, "虎门镇", "2022-06-30T09:31:00+08:00", 3)
    _reminded(ws, "石龙镇", "2022-07-07T09:32:00+08:00", 5, state="sending")  # in doubt: not said
    collecting_on(dt.date(2022, 7, 8))
    assert run(["remind"], cwd=ws.root).exit_code == 0
    listed = run(["mail", "send", "remind"], cwd=ws.root, input="n\n")
    lines = listed.output.splitlines()
    assert "  市公安局（已于7月6日、7月7日催报） → u00@dg.example.cn；无附件" in lines, listed.output
    assert "  虎门镇（已于6月30日催报） → u01@dg.example.cn；无附件" in lines
    assert "  中堂镇 → u02@dg.example.cn；无附件" in lines and "  石龙镇 → u03@dg.example.cn；无附件" in lines
    assert lines[-1] == "已取消，没有发送任何邮件。"
    # a year's turn: the day in another year is said whole, as remind says it
    collecting_on(dt.date(2023, 1, 3))
    (line,) = [x for x in plan_send(ws, "remind").lines() if x.startswith("  市公安局")]
    assert line.startswith("  市公安局（已于2022年7月6日、2022年7月7日催报） → ")
