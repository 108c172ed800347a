"""A task's lead changed after a month's forms went out: the month, merged again after a 补报,
names the lead its forms named (ledger ``issued.roles``, version 7), not today's 责任分工.

June: 市政务服务数据管理局 leads 14.1 (市发展改革局 配合) and is 3.3's only lead. In July the
office makes 市发展改革局 the lead of both and the 政数局 配合. The 政数局's June 补报, sent
after July's forms, is checked with today's roles (its rows say 配合); June merged again must
still name the 政数局 牵头 of 14.1 and 3.3 in its 汇总表 and 通报, judge the tasks by its rows,
and never call 3.3 未明确牵头单位. A form issued before version 7 recorded no roles: its month
keeps the inference from rows and today's sheet."""
from __future__ import annotations

import datetime as dt
import sqlite3

from conftest import drop, issued_path, ledger_at, on_time
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.vocab import Role

JUNE, JULY = Period(2022, 6), Period(2022, 7)
SZ, FG = "市政务服务数据管理局", "市发展改革局"
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东发改〔2022〕12号")
LAGGING = Answer(status="滞后", progress=40, work="平台对接已启动。", problems="接口标准尚未统一。")


def send(ws, period, unit, filling=None, mtime=None):
    drop(ws, f"{period}_{unit}.xlsx", fill_return(issued_path(ws, unit, period), filling or Filling()), mtime)


def hand_leads_to_fg(ws):
    """The office's July edit of 责任分工: 市发展改革局 leads 14.1 (it was 配合) and 3.3 (it
    was not on it), the 政数局 becomes 配合 on both."""
    wb = load_workbook(ws.master_path)
    duty = wb["责任分工"]
    for row in duty.iter_rows(min_row=2):
        if row[0].value in ("14.1", "3.3") and row[1].value == SZ:
            row[2].value = "配合"
        elif row[0].value == "14.1" and row[1].value == FG:
            row[2].value = "牵头"
    duty.append(["3.3", FG, "牵头", "明确"])
    wb.save(ws.master_path)


def play(ws, collecting_on, before_the_late_return=lambda: None):
    """June issued and collected (市发展改革局 on time, 14.1 已完成 as 配合), the lead moved,
    July issued, then the 政数局's June 补报 (14.1 滞后, 3.3 已完成) collected. Returns June's
    通报 context as merged before the edit."""
    collecting_on(dt.date(2022, 6, 28))
    issue_returns(ws, "2022-06")
    collecting_on(dt.date(2022, 7, 4))
    send(ws, JUNE, FG, Filling(answers={"14.1": DONE}), mtime=on_time())
    collect(ws, JUNE)
    before = build_context(consolidate(ws, JUNE))
    hand_leads_to_fg(ws)
    collecting_on(dt.date(2022, 7, 20))
    issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))
    before_the_late_return()
    send(ws, JUNE, SZ, Filling(answers={"14.1": LAGGING, "3.3": DONE}))
    collecting_on(dt.date(2022, 7, 25))
    collect(ws, received=dt.date(2022, 7, 25))
    return before


def task_rows(book):
    sheet = book["任务汇总"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "任务编号")
    return {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(values_only=True) if r and r[0] and r[0] != "任务编号"}


def test_june_merged_again_names_the_lead_its_forms_named(ws, collecting_on):
    before = play(ws, collecting_on)
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        roles = ledger.issued_roles_of(JUNE)
        assert roles[SZ]["14.1"] == roles[SZ]["3.3"] == "牵头" and roles[FG]["14.1"] == "配合"
        assert ledger.issued_roles_of(JULY)[SZ]["14.1"] == "配合"
    june = consolidate(ws, JUNE)
    tasks = {t.task.id: t for t in june.tasks}
    assert tasks["14.1"].leads == [SZ] and FG in tasks["14.1"].coops
    assert tasks["14.1"].status == "滞后" and tasks["14.1"].lead_states == {SZ: "滞后"}
    assert tasks["3.3"].leads == [SZ] and tasks["3.3"].has_lead and tasks["3.3"].status == "已完成"
    assert FG not in tasks["3.3"].coops + tasks["3.3"].leads  # June's forms never asked it for 3.3

    rows = task_rows(load_workbook(merge(ws, JUNE).path))
    assert (rows["14.1"]["牵头单位"], rows["14.1"]["综合状态"]) == (SZ, "滞后")
    assert FG in rows["14.1"]["配合单位"]
    assert (rows["3.3"]["牵头单位"], rows["3.3"]["综合状态"]) == (SZ, "已完成")

    ctx = build_context(june)
    lagging = {t.id: t for t in ctx.lagging}
    assert lagging["14.1"].leads_text == SZ and lagging["14.1"].summary.startswith(f"牵头单位：{SZ}；")
    # no task of June without a lead that had one (the seed's 16.1 has none in any month)
    assert ctx.task_not_reported_no_lead == before.task_not_reported_no_lead
    assert "3.3" in [t.id for t in ctx.completed] and next(t for t in ctx.completed if t.id == "3.3").leads_text == SZ

    # July, the month the office is on, reads today's 责任分工
    july = {t.task.id: t for t in consolidate(ws, JULY).tasks}
    assert july["14.1"].leads == [FG] and july["3.3"].leads == [FG] and SZ in july["3.3"].coops


def test_a_form_issued_before_roles_were_recorded_keeps_the_inference(ws, collecting_on):
    """June's forms issued by a ledger older than version 7 (roles NULL): June merged again
    reads roles as before, from the rows and today's sheet. Both rows of 14.1 say 配合 (市发展
    改革局's checked in June, the 政数局's 补报 checked after the edit), so the inference finds
    no lead: the limit the recorded roles remove for forms issued from now on."""
    def no_roles_recorded():  # as a ledger older than version 7 had them when the 补报 came
        with sqlite3.connect(ws.ledger_path) as conn:
            conn.execute("UPDATE issued SET roles=NULL WHERE period='2022-06'")
        conn.close()

    play(ws, collecting_on, no_roles_recorded)
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        assert ledger.issued_roles_of(JUNE) == {}
    tasks = {t.task.id: t for t in consolidate(ws, JUNE).tasks}
    assert tasks["14.1"].leads == [] and {SZ, FG} <= set(tasks["14.1"].coops)


def test_a_ledger_before_roles_is_upgraded_and_keeps_its_forms(tmp_path):
    """A version-6 ledger (forms with a deadline, no roles) upgraded to 7: its issued rows
    stay, read as tasks without roles; a form issued after records them."""
    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 6, ("INSERT INTO issued(period, unit, fingerprint, tasks, issued_at, due) VALUES"
                        " ('2022-06', ?, 'f1', '[\"14.1\", \"3.3\"]', '2022-06-28 09:00:00', '2022-07-05')", (SZ,)))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 7
        assert ledger.issued_tasks_of(JUNE) == {SZ: {"14.1", "3.3"}}
        assert ledger.issued_dues(JUNE) == {SZ: dt.date(2022, 7, 5)}
        assert ledger.issued_roles_of(JUNE) == {}
        ledger.record_issued(JULY, SZ, "f2", ["14.1", "3.3"], dt.date(2022, 8, 5),
                             roles={"14.1": Role.COOP, "3.3": Role.COOP})
        assert ledger.issued_roles_of(JULY) == {SZ: {"14.1": "配合", "3.3": "配合"}}
        # a form of June issued again (issue --dept) from the newer master: its roles are
        # what the unit was last told
        ledger.record_issued(JUNE, SZ, "f2", ["14.1", "3.3"], roles={"14.1": Role.LEAD, "3.3": Role.COOP})
        assert ledger.issued_roles_of(JUNE) == {SZ: {"14.1": "牵头", "3.3": "配合"}}
    assert (tmp_path / "ledger.sqlite3.v6.bak").exists()
