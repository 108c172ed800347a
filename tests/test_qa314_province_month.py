"""QA314: June 2022 played on 安徽's 2022 省政府重点工作 (a province's plan, numbered ``1﹒``, 17 units:
省直 departments and central bodies in the province), as the 省政府办公厅 would: on time, one
late (7-08), one with 完成进度 typed "80%", one renamed (海关报送.xlsx), the rest not sent. Every
unit is named as the plan names it, the slip 省农村农业厅 included (said at import, M116)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from conftest import played_month, set_clock, shanghai

from toolkit.filling import Answer, Filling, fill_return

pytestmark = pytest.mark.slow  # a whole month played: run in CI, out of the quick loop

ANHUI = Path(__file__).parent / "corpus" / "masters" / "prose_anhui_zdgz_2022.docx"


@pytest.fixture(scope="module")
def anhui(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("anhui")
    root = tmp / "ws"
    mp, log, run = played_month(root, dt.date(2022, 6, 25), "--master", str(ANHUI), "--period", "2022-06",
                                "--organiser", "安徽省人民政府办公厅")
    toml = root / "duban.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('name = "prose_anhui_zdgz_2022"',
                                                             'name = "2022年省政府重点工作"'), encoding="utf-8")
    run("issue", "--period", "2022-06")
    forms = {f.stem.split("_")[1]: f for f in (root / "下发" / "2022年6月").glob("*.xlsx")}
    sent = {
        "省发展改革委": (Answer("序时推进", 50, "上半年按计划推进。"), 4, None),
        "省商务厅": (Answer("序时推进", 45, "上半年按计划推进。"), 8, None),
        "省财政厅": (Answer("序时推进", "80%", "上半年按计划推进。"), 5, None),
        "合肥海关": (Answer("序时推进", 60, "上半年按计划推进。"), 3, "海关报送.xlsx"),
    }
    inbox = root / "收件箱"
    inbox.mkdir(exist_ok=True)
    for unit, (answer, day, name) in sent.items():
        path = inbox / (name or forms[unit].name)
        path.write_bytes(fill_return(forms[unit], Filling(default=answer)))
        stamp = shanghai(dt.datetime(2022, 7, day, 10, 0))
        os.utime(path, (stamp, stamp))
    set_clock(mp, dt.date(2022, 7, 10))
    run("collect")
    run("merge")
    run("memo", "--format", "md")
    yield root, log
    mp.undo()
    shutil.rmtree(tmp, ignore_errors=True)


def test_the_plan_is_imported_as_five_tasks_and_the_slip_is_said(anhui):
    _root, log = anhui
    assert "任务 5 项\n" in log["init"], log["init"]
    assert "“省农村农业厅”（任务 3）与“省农业农村厅”（任务 2）用字相同" in log["init"]


def test_the_memo_names_every_unit_as_the_plan_does(anhui):
    root, _log = anhui
    text = next((root / "通报" / "2022年6月").glob("*.md")).read_text(encoding="utf-8")
    assert ("本期应报送单位17个，已报送4个（报送率23.5%），其中按时报送3个、逾期报送1个；13个单位未报送。") in text
    assert "（一）逾期报送的单位（1个）：省商务厅。" in text
    assert ("（二）未报送的单位（13个）：省经济和信息化厅、省自然资源厅、省住房城乡建设厅、省交通运输厅、省农业农村厅、"
            "省水利厅、省林业局、省农村农业厅、省文化和旅游厅、省市场监管局、省税务局、省外汇管理局、人行合肥中心支行。") in text
    assert "2022年省政府重点工作共5项任务。" in text
    for word in ("东莞", "镇街", "市直", "各镇"):
        assert word not in text
