"""QA helper 88: review of the city-plan / attribution / cloud-attachment changes.

A file the office drops into 收件箱 takes the time of a mail whose 超大附件 it was downloaded
from (`downloads.downloaded_from_links`). It is known only by its name, and departments name
their files alike (6月进展填报表.xlsx): another unit's file of that name, handed over on a
USB stick after the deadline, took 东坑镇's mail's time and was 按时报送 in the 通报.
"""

from __future__ import annotations

import datetime as dt

from conftest import drop, late
from test_evidence import receipts, set_email, state
from test_mail_fetch import DONE, july
from test_qa87_cloud_attachments import cloud_mail, qq_html, qq_text

from toolkit.actions.collect import collect
from toolkit.vocab import UnitState

GENERIC = "6月进展填报表.xlsx"  # the name many towns give their form


def _linked(ws, collecting_on):
    collecting_on(dt.date(2022, 7, 6))
    set_email(ws, 东坑镇="dk@dg.gov.cn")
    drop(ws, "东坑镇6月进展.eml", cloud_mail("东坑镇党政办 <dk@dg.gov.cn>", "东坑镇2022年6月工作进展报送", july(4),
                                         qq_html(GENERIC), qq_text(GENERIC)))
    collect(ws)


def test_another_units_file_of_the_linked_name_keeps_its_own_time(issued_ws, make_return, collecting_on):
    ws = issued_ws
    _linked(ws, collecting_on)
    drop(ws, GENERIC, make_return("石龙镇", **{"1_2": DONE}), mtime=late())
    collect(ws)
    rec = next(r for r in receipts(ws) if r.name == GENERIC)
    assert rec.unit == "石龙镇"
    assert rec.received_how != "邮件发送时间" and rec.received_at.startswith("2022-07-08"), rec
    assert "超大附件链接下载" not in rec.note
    assert state(ws, "石龙镇") != UnitState.ON_TIME
    assert state(ws, "东坑镇") == UnitState.NOT_REPORTED  # its own file is still behind the link


def test_the_linked_units_own_file_downloaded_into_a_folder_takes_the_mails_time(
        issued_ws, make_return, collecting_on):
    ws = issued_ws
    _linked(ws, collecting_on)
    drop(ws, f"东坑镇/{GENERIC.replace('.xlsx', '(1).xlsx')}", make_return("东坑镇", **{"1_2": DONE}),
         mtime=late())
    collect(ws)
    rec = next(r for r in receipts(ws) if r.name.endswith("(1).xlsx"))
    assert (rec.unit, rec.received_at[:16], rec.received_how) == ("东坑镇", "2022-07-04 09:30", "邮件发送时间")
    assert state(ws, "东坑镇") == UnitState.ON_TIME
