"""QA299: four leftovers of stop 46's closing note.

1. `duban status --format csv|json` gave 0 for figures a unit without an accepted return does
   not have (a 未报送 unit's 已完成数 0, read as "reported, none done"); the 汇总表 leaves them
   blank since QA292. The csv leaves them empty and the json null, by the same rule.
2. A reminder on a later day is a new reminder (`drafts.same_mail`): `duban remind`'s list
   did not say the unit had been chased before. It names the earlier days a reminder of the
   month went to it, from the ledger's sent mail; who is reminded does not change.
"""

from __future__ import annotations

import datetime as dt
import json

from test_merge import month  # noqa: F401  (fixture)

from toolkit import file_time
from toolkit.ledger import Ledger
from toolkit.ledger.mail_records import MailRecords
from toolkit.period import Period


def test_status_csv_and_json_leave_out_figures_a_unit_without_an_accepted_return_has_none_of(
        run, month):  # noqa: F811
    lines = {line.split(",")[0]: line for line in
             run(["status", "--format", "csv"], cwd=month.root).stdout.splitlines()}
    # 单位,类别,应报任务数,报送状态,报送时间,报送文件,错误数,警告数,已完成数,滞后数
    assert lines["莞城街道"] == "莞城街道,镇街,18,未报送,,,,,,"
    assert lines["虎门镇"] == "虎门镇,镇街,18,退回待改,2022-07-04 10:00,虎门.xlsx,1,0,,"
    assert lines["市公安局"] == "市公安局,市直部门,9,逾期报送,2022-07-08 09:30,公安.xlsx,0,3,0,0"  # real 0s
    units = {u["单位"]: u for u in json.loads(run(["status", "--format", "json"], cwd=month.root).stdout)["units"]}
    figures = ("错误数", "警告数", "已完成数", "滞后数")
    assert [units["莞城街道"][f] for f in figures] == [None, None, None, None]
    assert [units["虎门镇"][f] for f in figures] == [1, 0, None, None]
    assert [units["市公安局"][f] for f in figures] == [0, 3, 0, 0]  # reported, none done


def _reminded(ws, unit: str, at: str, n: int, state: str = "sent") -> None:
    """A 催报 of June to ``unit`` handed to the server at ``at`` (office time), as `mail send` records it."""
    with Ledger(ws.ledger_path) as ledger:
        records = MailRecords(ledger.conn)
        mid = f"<remind-{n}@test>"
        records.begin_sending(message_id=mid, draft_id=None, kind="remind", period="2022-06", unit=unit,
                              recipients=[f"u{n}@dg.example.cn"], started_at=at)
        if state == "sent":
            records.mark_sent(mid, at)
        ledger.conn.commit()


def test_remind_on_a_later_day_says_which_units_were_reminded_before(issued_ws, collecting_on, run):
    _reminded(issued_ws, "市公安局", "2022-07-06T10:00:00+08:00", 1)
    _reminded(issued_ws, "市公安局", "2022-07-07T09:30:00+08:00", 2)
    _reminded(issued_ws, "虎门镇", "2022-07-07T09:31:00+08:00", 3)
    _reminded(issued_ws, "中堂镇", "2022-07-08T08:00:00+08:00", 4)  # today's: the same mail, not an earlier one
    _reminded(issued_ws, "石龙镇", "2022-07-07T09:32:00+08:00", 5, state="sending")  # in doubt: not said
    collecting_on(dt.date(2022, 7, 8))
    result = run(["remind"], cwd=issued_ws.root)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2022年6月：已为 54 个单位写好催报邮件草稿：")
    assert "  未报送 市公安局（已于7月6日、7月7日催报）" in lines
    assert "  未报送 虎门镇（已于7月7日催报）" in lines
    assert "  未报送 中堂镇" in lines and "  未报送 石龙镇" in lines
    assert len([x for x in lines if x.startswith("  未报送 ")]) == 54  # who is reminded is unchanged
    assert lines[-1] == ("其中 1 个单位今天已发过催报邮件：中堂镇。重新生成的草稿不会再次发送；"
                         "如需再发，请运行 duban mail send remind --resend 中堂镇。")


JUNE, DUE = Period(2022, 6), dt.date(2022, 7, 5)


def test_a_question_5_verify_asks_names_the_script():
    assert file_time.late_on_file_time("市司法局", "2022-07-06 10:52", DUE, JUNE) == (
        "市司法局按文件修改时间（2022-07-06 10:52）计为逾期报送（截止 2022-07-05）。如实际按时收到，请运行 "
        "duban received --period 2022-06 --dept 市司法局 --on 收到日期，按收到日期计报送时间；如文件修改时间就是"
        "收到时间，请运行 duban received --period 2022-06 --dept 市司法局 --confirm，此提示即不再出现。"
        "也可双击“5-逐条核实”逐条回答。")
    assert file_time.late_on_weak_time("东坑镇", "转发邮件的发送时间", "2022-07-06 10:52", "，原邮件是转发的，其发送时间不详",
                                       DUE, JUNE).endswith("--confirm，此提示即不再出现。也可双击“5-逐条核实”逐条回答。")
