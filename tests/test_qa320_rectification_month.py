"""QA320: a month played on a 巡察反馈问题整改清单. Its 问题类别, merged over each category's problems
(一、…方面), was read by nothing (M115) and the 通报 had no table by category; the issue said
立行立改 was "无法识别为日期（如没有写年份）" and the 通报 that it "未能识别出日期", where the import
had said it has no date by design."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import sheet_table

from toolkit.actions.issue import IssueResult
from toolkit.issue_notes import issue_notes
from toolkit.master import import_master
from toolkit.master.columns import role_of
from toolkit.memo.sentences import unread_text
from toolkit.period import Period


@pytest.mark.parametrize("label", ["问题类别", "问题分类", "问题类型", "问题方面"])
def test_a_problems_category_is_the_first_level(label):
    assert role_of(label) == "level1"


def test_the_category_merged_over_its_problems_heads_them(tmp_path):
    master = import_master(sheet_table(tmp_path / "t.xlsx", [
        ["序号", "问题类别", "存在问题", "整改措施", "责任单位", "整改时限"],
        ["1", "一、全面从严治党方面", "干部作风不实，督促检查不到位。", "开展作风专项整治。", "机关党委", "立行立改"],
        ["2", None, "公务用车管理不规范。", "修订公务用车管理办法。", "局办公室", "长期坚持"],
        ["3", "二、基层党组织建设方面", "“三会一课”落实不严格。", "建立支部工作纪实台账。", "机关党委",
         "2024年6月底前"]], ("B2:B3",)))
    assert [(t.id, t.level1, t.name) for t in master.tasks] == [
        ("1", "一、全面从严治党方面", "干部作风不实，督促检查不到位。"),
        ("2", "一、全面从严治党方面", "公务用车管理不规范。"),
        ("3", "二、基层党组织建设方面", "“三会一课”落实不严格。")]
    assert not [i for i in master.issues if i.code == "M115"]


def _summary(tid, text):
    return SimpleNamespace(task=SimpleNamespace(id=tid, deadline_text=text))


def test_the_memo_says_at_once_has_no_date_not_that_it_was_misread():
    assert unread_text([_summary("8", "立行立改")], "超期") == "1项任务（任务8）的完成时限“立行立改”未写明具体日期，未判断是否超期。"
    assert unread_text([_summary("8", "立行立改"), _summary("9", "完成后")], "超期") == (
        "2项任务的完成时限（如“立行立改”）未明确到日期，未判断是否超期。")


def test_the_issue_says_at_once_has_no_date_not_that_it_lacks_a_year():
    result = IssueResult(Period.parse("2024-06"), dt.date(2024, 7, 5), Path("x"),
                         undated=[("4", "立行立改"), ("8", "立行立改"), ("9", "年底前")])
    texts = [n.text for n in issue_notes(result) if n.text.startswith("请核实")]
    tail = "，不判断是否超期，也不列入下月到期任务。如需判断，请在任务分工表.xlsx“任务清单”的“截止日期”列填写日期（如 2024-12-31）。"
    assert texts == ["请核实：任务 9“年底前” 的完成时限无法识别为日期（如没有写年份）" + tail,
                     "请核实：任务 4“立行立改”、任务 8“立行立改” 的完成时限没有写具体日期" + tail]
