"""QA334: a 整改清单's words are chosen where each sentence is made, not put in afterwards. Its 通报's
sentences were written with 任务 and 完成时限 and then rewritten (`context._rectification_words`
replaced 完成时限 and 任务 phrases in the finished text), its form's due legend was 样式.toml's with
words replaced, and the screens of `duban init`, `duban issue` and `duban merge`, the 汇总表's 总览
and its charts still counted 任务. One vocabulary (`rectification.Words`) is chosen from
`Master.kind` and handed to whatever makes a sentence; every other plan's words are `PLAN`, as
they were."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import sheet_table
from openpyxl import load_workbook
from test_qa322_rectification_words import ROWS

from toolkit.actions.issue import IssueResult
from toolkit.issue_notes import issue_notes
from toolkit.master import import_master
from toolkit.master.summary import summary_lines
from toolkit.memo import context, sentences
from toolkit.period import Period
from toolkit.rectification import PLAN, RECTIFICATION, words_of
from toolkit.resources import resource
from toolkit.returns import SHEET, build_return
from toolkit.style import load_style

JUNE = Period(2024, 6)


@pytest.fixture(scope="module")
def masters(tmp_path_factory):
    """QA322's 整改清单 (立行立改, one problem due in June), and a plan of the same rows."""
    tmp = tmp_path_factory.mktemp("m")
    plan = [["序号", "一级任务", "工作任务", "具体内容", "责任单位", "完成时限"], *ROWS[1:]]
    return tuple(import_master(sheet_table(tmp / name, rows, ("B2:B3",)))
                 for name, rows in (("巡察反馈问题整改清单.xlsx", ROWS), ("行动方案.xlsx", plan)))


def test_the_words_are_chosen_from_the_kind(masters):
    assert words_of(masters[0]) is RECTIFICATION and words_of(masters[1]) is PLAN
    assert (RECTIFICATION.task, RECTIFICATION.deadline, RECTIFICATION.work, RECTIFICATION.problems) == (
        "整改任务", "整改时限", "整改进展", "存在困难")


def test_the_memo_rewrites_no_finished_text():
    """No sentence of the 通报 is made with a plan's words and replaced: the modules that make them
    replace no 完成时限 nor 任务 in text (a unit's text is its own; `_of_sections` says 科室)."""
    assert not hasattr(context, "_rectification_words")
    for module in (context, sentences):
        source = inspect.getsource(module)
        assert not re.search(r"\.replace\(\s*\"[^\"]*(完成时限|任务)", source), module.__name__


# A vocabulary no sentence knows of: each must say what it is given, and nothing else
OTHER = dataclasses.replace(RECTIFICATION, task="问题", deadline="整改期限", finished="销号", finished_well="销号",
                            work="整改情况", problems="困难")


def _c(**kw):
    base = dict(task_total=3, task_done=1, task_done_pct="33.3%", task_on_track=0, task_on_track_pct="0%",
                task_lagging=1, task_lagging_pct="33.3%", task_not_started=0, task_not_started_pct="0%",
                task_not_reported=1, task_not_reported_waiting=0, task_not_reported_sent_back=0,
                task_not_reported_no_lead=0, task_not_reported_not_issued=0, task_overdue=1,
                task_overdue_waiting=0, avg_progress_text="40%", project="某某问题整改清单", period_label="2024年6月",
                period="2024-06", next_period_label="2024年7月", attention=[SimpleNamespace(status="滞后", overdue=True)],
                coop_lagging=[], completed=[1], due_next=[1], unit_total=2, unit_missing=0, unit_returned=0,
                coordination="需县级层面协调解决的", next_due_text="2024年7月进展请各单位于2024年8月5日前报送",
                organiser="")
    return SimpleNamespace(**{**base, **kw})


def _task(deadline=dt.date(2024, 7, 31), text="2024年7月底前", status="滞后"):
    return SimpleNamespace(task=SimpleNamespace(id="2", dated=deadline is not None, ongoing=False, deadline=deadline,
                                                deadline_text=text), status=status)


def test_the_sentences_are_made_with_the_words_given():
    c, tasks = _c(), [_task(), _task(None, "立行立改")]
    said = [sentences.overview_text(c, 2, True, tasks, OTHER), sentences.completed_text(c, True, OTHER),
            sentences.attention_text(c, True, False, OTHER), sentences.due_next_text(c, tasks, OTHER),
            *(p.title + p.text for p in sentences.requirements(c, True, True, OTHER))]
    assert said[0] == ("某某问题整改清单共3项问题。截至2024年6月底，已完成整改1项（占33.3%），进展滞后1项（占33.3%），"
                       "牵头单位未报送进展的1项（占33.3%）。上述问题中，已超过整改期限仍未完成的有1项。"
                       "另有1项问题（任务2）的整改期限“立行立改”未写明具体日期，未判断是否超期。已报送问题的平均进度为40%。")
    assert said[2] == "本期进展滞后且已超过整改期限的问题共1项，具体如下："
    assert said[3] == ("1项问题（任务2）的整改期限“立行立改”未写明具体日期，未判断是否到期。"
                       "以下1项问题的整改期限为2024年7月，请牵头单位倒排工期，确保按时销号：")
    assert said[4].startswith("加快推进滞后整改。进展滞后和超过整改期限的问题，")
    assert said[6] == "确保按期销号。2024年7月到期的1项问题，牵头单位要倒排工期、压实责任，确保按时销号。"
    assert "如实报送整改情况和困难" in said[7]
    for text in said:
        assert not re.search("完成时限|整改时限|任务(?!\\d|清单)", text), text


def test_a_plans_sentences_are_as_before():
    c, tasks = _c(), [_task()]
    assert sentences.due_next_text(c, tasks) == sentences.due_next_text(c, tasks, PLAN) == (
        "以下1项任务的完成时限为2024年7月，请牵头单位倒排工期，确保按时完成：")
    assert [p.title for p in sentences.requirements(c)] == ["加快推进滞后任务。", "按时报送进展。", "确保按期完成。",
                                                           "加强统筹协调。"]
    assert sentences.completed_text(c, True) == "本期新完成任务1项："


def test_the_import_report_counts_problems_to_put_right(masters):
    lines = summary_lines(masters[0])
    assert lines[1] == "整改任务 3 项" and "各整改任务牵头单位：" in lines
    assert ("1 项整改任务的整改时限为“立行立改”（没有写日期），按无时限导入，不判逾期：任务 1。"
            "如要到期未完成即判逾期，请在“任务清单”表中填写该任务的“截止日期”。") in lines
    plan = summary_lines(masters[1])
    assert plan[1] == "任务 3 项" and "各任务牵头单位：" in plan
    assert ("1 项任务的完成时限为“立行立改”（没有写日期），按无时限导入，不判逾期：任务 1。"
            "如要到期未完成即判逾期，请在“任务清单”表中填写该任务的“截止日期”。") in plan


@pytest.mark.parametrize("words, task, deadline", [(RECTIFICATION, "整改任务", "整改时限"), (PLAN, "任务", "完成时限")])
def test_the_issue_notes_say_the_lists_words(words, task, deadline):
    result = IssueResult(JUNE, dt.date(2024, 7, 5), Path("x"),
                         undated=[("1", "立行立改")], all_done=["局办公室"], words=words)
    texts = [n.text for n in issue_notes(result)]
    assert (f"请核实：任务 1“立行立改” 的{deadline}没有写具体日期，不判断是否超期，也不列入下月到期{task}。"
            "如需判断，请在任务分工表.xlsx“任务清单”的“截止日期”列填写日期（如 2024-12-31）。") in texts
    assert any(t.startswith(f"请注意：局办公室上次报送的{task}均为“已完成”") for t in texts)


def _legend(master, style=None) -> str:
    wb = build_return(master, "局办公室", JUNE, dt.date(2024, 7, 5), master.title,
                      style or load_style(resource("templates", "样式.toml")), generated_at=dt.datetime(2024, 7, 1))
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue()))[SHEET]
    return next(c.value for row in ws.iter_rows(min_row=2, max_row=2) for c in row if c.value and "底纹" in str(c.value))


def test_the_forms_due_legend_is_its_own(masters, tmp_path):
    assert _legend(masters[0]) == "橙色底纹：整改时限在本期或之前的问题，请重点填报"
    assert _legend(masters[1]) == "橙色底纹：完成时限在本期或之前的任务，请重点填报"
    # an office's own 样式.toml words a 整改清单's legend in its own key; without it, the shipped one
    own = tmp_path / "样式.toml"
    own.write_text('[return]\ndue_legend = "红色底纹：本月到期"\nrectification_due_legend = "红色底纹：本月到期的问题"\n',
                   encoding="utf-8")
    assert _legend(masters[0], load_style(own)) == "红色底纹：本月到期的问题"
    assert _legend(masters[1], load_style(own)) == "红色底纹：本月到期"
