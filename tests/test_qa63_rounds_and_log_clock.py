"""A QA helper's findings: a collect that writes no reply left an empty dated folder in
反馈/<期>/ (the last reply of a round retired, or a reply whose workbook could not be
written), and 日志/duban.log was stamped on the machine's clock while everything else duban
dates is on the workspace's (duban.toml ``timezone``)."""

from __future__ import annotations

import datetime as dt
import errno
import re
from zoneinfo import ZoneInfo

import pytest
from conftest import drop, on_time

from toolkit import files
from toolkit.actions.collect import collect
from toolkit.filling import Answer, Filling

NO_REASON = {"1_2": Answer(status="滞后", progress=30, work="推进中", problems="")}  # E603: refused


def rounds(ws) -> dict[str, list[str]]:
    """反馈/2022年6月/'s dated folders and what each holds."""
    base = ws.root / "反馈" / "2022年6月"
    if not base.exists():
        return {}
    return {d.name: sorted(p.name for p in d.iterdir()) for d in base.iterdir()}


def test_a_round_whose_last_reply_is_retired_leaves_no_empty_folder(issued_ws, make_return):
    drop(issued_ws, "石龙镇v1.xlsx", make_return("石龙镇", **NO_REASON), on_time())
    first = collect(issued_ws)
    day = first.feedback[0].parent.name
    assert rounds(issued_ws) == {day: ["石龙镇_校验反馈.eml", "石龙镇_校验反馈.xlsx"]}
    # the correction is accepted: the reply is retired, the run writes none
    drop(issued_ws, "石龙镇v2.xlsx", make_return("石龙镇", Filling()), on_time() + 600)
    second = collect(issued_ws)
    assert second.accepted == 1 and second.feedback == []
    assert rounds(issued_ws) == {}, "the emptied dated folder is removed"


def test_a_folder_holding_anything_is_never_removed(issued_ws, make_return):
    drop(issued_ws, "石龙镇v1.xlsx", make_return("石龙镇", **NO_REASON), on_time())
    day = collect(issued_ws).feedback[0].parent
    (day / "说明.txt").write_text("督办人员自己放的文件", encoding="utf-8")
    kept_empty = day.parent / "2022-07-01" / "留着"  # a dated folder holding only a folder
    kept_empty.mkdir(parents=True)
    own = issued_ws.root / "反馈" / "我的备注" / "2021-01-01"  # the office's own folder, not a period's
    own.mkdir(parents=True)
    drop(issued_ws, "石龙镇v2.xlsx", make_return("石龙镇", Filling()), on_time() + 600)
    collect(issued_ws)
    assert rounds(issued_ws) == {day.name: ["说明.txt"], "2022-07-01": ["留着"]}
    assert own.is_dir()


def test_a_reply_that_could_not_be_written_leaves_no_empty_folder(issued_ws, make_return, monkeypatch):
    """A full disk while the reply's workbook is saved: the reply is owed (a later run writes
    it), and the dated folder made for it is not left behind empty."""
    import toolkit.feedback as feedback

    def disk_full(wb, path):
        def write(tmp):
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp))
        return files.atomic_write(path, write)

    monkeypatch.setattr(feedback, "atomic_save", disk_full)
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", **NO_REASON), on_time())
    result = collect(issued_ws)
    assert result.feedback == [] and [m.name for m in result.owed] == ["石龙镇.xlsx"]
    assert rounds(issued_ws) == {}
    monkeypatch.undo()
    settled = collect(issued_ws)  # the next run writes what is owed, in today's folder
    assert {p.name for p in settled.feedback} == {"石龙镇_校验反馈.xlsx", "石龙镇_校验反馈.eml"}
    assert list(rounds(issued_ws).values()) == [["石龙镇_校验反馈.eml", "石龙镇_校验反馈.xlsx"]]


# ---------------------------------------------------------------------------
# 日志/duban.log's clock

STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d) INFO 运行：duban ", re.M)




@pytest.mark.parametrize("zone", [None, "Asia/Urumqi"])
def test_log_times_are_on_the_workspaces_clock_with_its_offset(issued_ws, run, machine_tz, zone):
    """A PC left on New York time: the log says the office's time (Asia/Shanghai by default,
    or duban.toml's ``timezone``), with the offset that makes it one moment anywhere."""
    if zone:
        text = issued_ws.config_path.read_text(encoding="utf-8")
        issued_ws.config_path.write_text(text.replace("[project]\n", f'[project]\ntimezone = "{zone}"\n', 1),
                                  encoding="utf-8")
    office = ZoneInfo(zone or "Asia/Shanghai")
    machine_tz("America/New_York")
    before = dt.datetime.now(dt.timezone.utc)
    assert run(["status"], cwd=issued_ws.root).exit_code in (0, 1)
    after = dt.datetime.now(dt.timezone.utc)
    log = (issued_ws.root / "日志" / "duban.log").read_text(encoding="utf-8")
    [stamp] = STAMP.findall(log)
    moment = dt.datetime.fromisoformat(stamp)
    assert moment.utcoffset() == dt.datetime.now(office).utcoffset()  # +08:00, +06:00: never New York's
    assert before - dt.timedelta(seconds=1) <= moment <= after + dt.timedelta(seconds=1)
