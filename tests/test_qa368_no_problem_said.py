"""A 存在问题 that only says there is none ("无", "暂无问题") is no problem to name (QA368).

The 大竹 review's 通报 printed "县住建局反映：无" under a 滞后 task, and 任务汇总 and 滞后超期
carried "【县住建局】无". The unit's own row (单位明细) keeps what it wrote. Played on 广州's
2012 plan (corpus, as tests/test_qa128_coop_lagging.py does): 市发展改革委 leads task 2.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from docx import Document

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.typed_values import says_no_problem

GUANGZHOU = Path(__file__).resolve().parent / "corpus" / "masters" / "prose_guangzhou_rencai_2012.docx"
SEPTEMBER = Period(2012, 9)
RECEIVED = dt.date(2012, 10, 8)
LEAD = "市发展改革委"


@pytest.mark.parametrize("text", ["无", "无。", " 暂无 ", "暂无问题", "无问题。", "/", "——", "没有", "０"])
def test_placeholders_say_no_problem(text):
    assert says_no_problem(text)


@pytest.mark.parametrize("text", ["", "无法按期开工", "暂无资金来源", "资金未到位", "同上", "无专项资金，需市财政支持"])
def test_a_stated_problem_is_one(text):
    assert not says_no_problem(text)


@pytest.mark.slow
def test_a_lagging_lead_writing_none_is_sent_back_not_said_to_report_none(tmp_path):
    ws, _ = init_workspace(tmp_path / "人才集聚", GUANGZHOU, period=str(SEPTEMBER), organiser="广州市人民政府办公厅")
    issue_returns(ws, SEPTEMBER)
    ws.inbox.mkdir(exist_ok=True)
    lag = Answer("滞后", 30, "已完成需求摸底。", "无。", "10月底前完成方案。", dt.date(2012, 12, 31))
    for form in sorted((ws.root / "下发" / SEPTEMBER.label).glob("*.xlsx")):
        unit = form.name.split("_")[1]
        path = ws.inbox / f"{unit}.xlsx"
        path.write_bytes(fill_return(form, Filling(answers={"2": lag} if unit == LEAD else {})))
        t = dt.datetime.combine(RECEIVED, dt.time(10)).timestamp()
        os.utime(path, (t, t))
    collect(ws, SEPTEMBER, received=RECEIVED)
    cons = consolidate(ws, SEPTEMBER)
    # since QA377 "无。" states no reason for a 滞后 either: E603, the return sent back to say why
    assert next(u for u in cons.units if u.unit == LEAD).state == "退回待改"
    assert any(i["code"] == "E603" and i["unit"] == LEAD for i in cons.issues)
    memo = write_memo(ws, SEPTEMBER, issue_date=dt.date(2012, 10, 10))
    texts = [p.text for p in Document(str(memo.path)).paragraphs]
    assert not any("反映：无" in t for t in texts)
    md = write_memo(ws, SEPTEMBER, fmt="md", issue_date=dt.date(2012, 10, 10)).path.read_text(encoding="utf-8")
    assert "反映：无" not in md
