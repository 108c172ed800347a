"""QA265: a month played on other cities' real tables (tests/corpus/masters), judged by what a
coordinator sees: 广东省卫健委 2021 (a ledger of 处室), 绍兴 2020 (one unit), 霍山 2025, 苍南 2022.

广东's month: its ledger named the work …重点任务台账 on every form, the 汇总表 and the 通报
(根据…台账工作安排); the 总览's column of 未报送（尚未截止） tasks printed its header cut in half
while a lead, sent back after the deadline, still had days to correct and no unit was 未报送
before a deadline. 绍兴's one 市发改委 was said 均已按时报送.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import invoke_cli, played_month, set_clock, shanghai

from toolkit.filling import Answer, Filling, fill_return
from toolkit.master.importer import project_name
from toolkit.memo.sentences import reporting_text
from toolkit.vocab import NOT_YET_DUE
from toolkit.xlsx import cell_lines

MASTERS = Path(__file__).parent / "corpus" / "masters"


@pytest.mark.parametrize("title, project", [
    ("2021 年政务公开工作重点任务台账", "2021年政务公开工作重点任务"),
    ("2023年重点工作台账", "2023年重点工作"),
    ("2023年重点工作任务台账", "2023年重点工作任务"),
    ("问题整改台账", "问题整改"),
    ("台账", "文件名"),
])
def test_a_ledger_is_named_for_its_work_not_for_the_ledger(title, project):
    assert project_name(title, "文件名") == project


def _units(total, on_time=0, late=0, returned=0, missing=0):
    return SimpleNamespace(unit_total=total, unit_on_time=on_time, unit_late=late, unit_returned=returned,
                           unit_missing=missing, unit_reported=on_time + late,
                           report_rate=f"{round((on_time + late) / total * 100, 1):g}%")


@pytest.mark.parametrize("units, said", [
    (_units(1, on_time=1), "本期应报送单位1个，已按时报送。"),
    (_units(1, missing=1), "本期应报送单位1个，未报送。"),
    (_units(2, on_time=1, missing=1), "本期应报送单位2个，已报送1个（报送率50%），为按时报送；1个单位未报送。"),
    (_units(2, late=1, returned=1), "本期应报送单位2个，已报送1个（报送率50%），为逾期报送；1个单位报送内容有误已退回修改。"),
    # more than one: 均, as before
    (_units(3, on_time=3), "本期应报送单位3个，均已按时报送。"),
    (_units(3, missing=3), "本期应报送单位3个，均未报送。"),
    (_units(3, on_time=2, missing=1), "本期应报送单位3个，已报送2个（报送率66.7%），均按时报送；1个单位未报送。"),
])
def test_one_unit_is_never_said_all(units, said):
    assert reporting_text(units) == said


# ---------------------------------------------------------------- 广东省卫健委: a played month


@pytest.fixture(scope="module")
def guangdong(tmp_path_factory):
    """June 2021: 10 处室; on time, late (7-08), one sent back (collected on 7-10, after the
    deadline, with days left to correct), some not sent."""
    tmp = tmp_path_factory.mktemp("guangdong")
    root = tmp / "ws"
    mp, log, run = played_month(root, dt.date(2021, 6, 25), "--master",
                                str(MASTERS / "guangdong_wsjkw_zwgk_2021.xlsx"), "--period", "2021-06")
    run("issue", "--period", "2021-06")
    forms = {f.stem.split("_")[1]: f for f in (root / "下发" / "2021年6月").glob("*.xlsx")}
    answers = {
        "应急处": (Answer("已完成", 100, "已全部完成。"), 3),
        "疾控处": (Answer("序时推进", 60, "按计划推进。"), 3),
        "政法处": (Answer("序时推进", 60, "按计划推进。"), 3),
        "监督处": (Answer("滞后", 20, "进度偏慢。", problems="资金未到位。"), 8),
        "规划信息处(爱卫办)": (Answer("序时推进", "很多", ""), 3),  # sent back: E504
    }
    inbox = root / "收件箱"
    inbox.mkdir(exist_ok=True)
    for unit, (answer, day) in answers.items():
        path = inbox / forms[unit].name
        path.write_bytes(fill_return(forms[unit], Filling(default=answer)))
        stamp = shanghai(dt.datetime(2021, 7, day, 10, 0))
        os.utime(path, (stamp, stamp))
    set_clock(mp, dt.date(2021, 7, 10))
    run("collect")
    run("merge")
    run("memo", "--format", "md")
    status = json.loads(invoke_cli(["-w", str(root), "status", "--format", "json"]).output)
    yield root, log, status
    mp.undo()
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.slow  # the played month: run in CI, out of the quick loop
def test_the_ledger_is_named_for_its_work_everywhere(guangdong):
    root, log, _status = guangdong
    assert "专项行动：2021年政务公开工作重点任务\n" in log["init"]
    (memo,) = (root / "通报" / "2021年6月").glob("*.md")
    assert memo.name == "关于2021年6月政务公开工作重点任务进展情况的通报.md"
    text = memo.read_text(encoding="utf-8")
    assert "根据2021年政务公开工作重点任务安排，各责任单位按月报送任务进展情况。" in text
    assert "台账" not in text
    assert [f.name for f in (root / "下发" / "2021年6月").glob("*_疾控处_*")] == ["2021年6月_疾控处_进展填报表.xlsx"]
    from openpyxl import load_workbook

    form = load_workbook(root / "下发" / "2021年6月" / "2021年6月_疾控处_进展填报表.xlsx")
    assert form.worksheets[0]["A1"].value == "2021年政务公开工作重点任务进展填报表（2021年6月）"


@pytest.mark.slow  # the played month: run in CI, out of the quick loop
def test_the_overviews_not_yet_due_column_holds_its_header_on_one_line(guangdong):
    """No unit is 未报送 before a deadline (7-05 has passed), but 任务4's only lead was sent back
    on 7-10 with days left to correct: 三 has a 未报送（尚未截止） column, whose header a row of
    fixed height cut in half at the width of 11."""
    root, log, status = guangdong
    assert not status["not_yet_due"], status["not_yet_due"]
    assert "未报送（尚未截止） 1" in log["merge"], log["merge"]
    from openpyxl import load_workbook

    sheet = load_workbook(root / "汇总" / "2021年6月" / "2021年6月_进展汇总表.xlsx")["总览"]
    (header,) = [r for r in sheet.iter_rows(values_only=True) if r[0] == "一级任务"]
    column = header.index(NOT_YET_DUE)
    letter = "ABCDEFGH"[column]
    width = sheet.column_dimensions[letter].width
    assert cell_lines(NOT_YET_DUE, width, 10) == 1, width
    # 四's 报送状态 (F) says no unit 未报送（尚未截止）: it keeps its width
    assert sheet.column_dimensions["F"].width == 11


@pytest.mark.slow  # the played month: run in CI, out of the quick loop
def test_the_memos_counts_add_up(guangdong):
    root, _log, _status = guangdong
    text = next((root / "通报" / "2021年6月").glob("*.md")).read_text(encoding="utf-8")
    assert ("本期应报送单位10个，已报送4个（报送率40%），其中按时报送3个、逾期报送1个；"
            "1个单位报送内容有误已退回修改，5个单位未报送。") in text
    assert "（一）逾期报送的单位（1个）：监督处。" in text
    assert "（二）退回修改的单位（1个）：规划信息处(爱卫办)。" in text
    for word in ("东莞", "镇街", "市直", "各镇"):
        assert word not in text
