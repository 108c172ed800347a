"""QA367: 完成时限 read by a judgement call are said at import (M117), for the office to confirm.

A wrong 逾期 in the 通报 names a unit publicly: where a deadline reads two ways the later day
is taken; several days make the last the deadline; a day that only starts the work is no day
it is done by. Each text is a real one, its source named.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import sheet_table

from toolkit.dates import deadline_steps, parse_deadline, starts_only
from toolkit.master import import_master, read_master_workbook, write_master_workbook
from toolkit.master.deadlines import deadline_doubt

D = dt.date
CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"


def _said(master, code: str) -> dict[str, str]:
    return {i.task: i.message for i in master.issues if i.code == code}


@pytest.fixture(scope="module")
def guangdong():
    # 广东省卫生健康委员会 2021年政务公开工作重点任务台账 (tests/corpus/masters, stored on
    # https://m.hqtbz.com/wsjkw/zwgk_bmwj/content/post_3974223.html)
    return import_master(CORPUS / "guangdong_wsjkw_zwgk_2021.xlsx")


@pytest.fixture(scope="module")
def dazhu():
    # 大竹县 2016 民生实事 (tests/corpus/masters, http://www.dazhu.gov.cn/xxgk-show-947.html)
    return import_master(CORPUS / "dazhu_mssx_2016.docx")


# ------------------------------------------------------------------ 8月前: the later reading, said


def test_a_month_before_is_its_end_and_said_both_ways(guangdong):
    """广东 item 3, 2021年8月前: before August begins, or by August? The later (31 August), so a
    department done in August is never named 逾期; said, so the office can put 31 July."""
    assert guangdong.task("3").deadline == D(2021, 8, 31)
    assert _said(guangdong, "M117")["3"] == (
        "任务 3 的完成时限“2021年8月前”中的“8月前”既可理解为8月1日前，也可理解为8月底前，"
        "已按较晚的“8月底前”计算，截止日期为 2021年8月31日，以免误判逾期。"
        "请核实；如不对，请在“任务清单”表的“截止日期”列中改正。")


@pytest.mark.parametrize("text", ["2021年8月底前", "8月10日前", "2021年8月"])
def test_a_month_that_says_its_day_is_no_doubt(tmp_path, text):
    # 8月底前 and 8月10日前 say their day; 2021年8月 (广东 item 6's steps write it) is within August
    m = import_master(sheet_table(tmp_path / "t.xlsx", [
        ["2021年政务公开工作重点任务台账"], ["序号", "工作任务", "责任处室", "完成时限"],
        [1, "提高新冠肺炎疫情信息发布规范化水平", "宣传处", text]]))
    assert m.task("1").deadline is not None and not _said(m, "M117") and not _said(m, "M103")


# ------------------------------------------------------------------ several days: the last, said


def test_two_dated_steps_are_due_on_the_last_and_said(guangdong):
    """广东 item 6 (部门预算、决算公开): 2021年2月公布预算信息,2021年8月公布上年度决算信息 was
    unread (M103), never judged; due on the last step now, the first a milestone, said."""
    assert guangdong.task("6").deadline == D(2021, 8, 31)
    assert not _said(guangdong, "M103")
    message = _said(guangdong, "M117")["6"]
    assert "写有 2 个时间，已按最晚的 2021年8月31日 作为截止日期判断逾期" in message
    assert "其余的 2021年2月28日 作为阶段节点，不单独判断逾期" in message


def test_days_listed_with_a_comma_of_enumeration_are_read(tmp_path):
    """福建省人民政府办公厅 2015 (tests/corpus/masters/fujian_zwgk_2015: its letter asks for the
    工作要点 and its 落实情况 "分别于5月29日、12月10日前报送"): no date was read at all."""
    assert parse_deadline("2015年5月29日、12月10日前") == (D(2015, 12, 10), False)
    assert parse_deadline("5月29日、12月10日前", 2015) == (D(2015, 12, 10), False)
    assert deadline_steps("5月29日、12月10日前", D(2015, 12, 10), 2015) == [D(2015, 5, 29), D(2015, 12, 10)]
    m = import_master(sheet_table(tmp_path / "t.xlsx", [
        ["2015年政府信息公开工作主要任务分解表"], ["序号", "工作任务", "责任单位", "完成时限"],
        [1, "制定本地区本部门政府信息公开工作要点，报送落实情况", "省直各部门", "5月29日、12月10日前"]]))
    assert m.task("1").deadline == D(2015, 12, 10)
    assert "其余的 2015年5月29日 作为阶段节点" in _said(m, "M117")["1"]
    assert not _said(m, "M103")


def test_a_step_without_a_day_still_leaves_it_unread():
    # as test_master_deadlines_people pins it: 另行通知 gives no day, the whole stays unread (M103)
    assert parse_deadline("2024年6月底前完成，另行通知", 2024) == (None, False)
    assert deadline_steps("2024年6月底前完成，另行通知", D(2024, 6, 30), 2024) == []


# ------------------------------------------------------------------ a start is no end


def test_a_deadline_to_start_work_is_no_date_and_said_as_such(dazhu):
    """大竹 items 4 (建成县残疾人综合服务中心) and 5 (开工建设县老年养护楼), 5月底前动工: judged
    by it, a centre still being built was 逾期 from June. No date, and said as a start (M117),
    not as a text duban could not read (M103)."""
    assert dazhu.task("4").deadline is None and dazhu.task("5").deadline is None
    assert not _said(dazhu, "M103")
    assert _said(dazhu, "M117")["4"] == (
        "任务 4 的完成时限“5月底前动工”写的是开工（启动）时间，不是完成时间，已按无时限导入，不判断逾期。"
        "如该任务本身就是开工、要按这一时间判断逾期，请在“任务清单”表的“截止日期”列中填写该日期。")
    assert dazhu.task("5-2").deadline == D(2016, 12, 31)  # 开工建设老年大学, 12月底前: its own


def test_put_to_use_is_done():
    # 大竹 item 2 (新建2座人行天桥), 9月投入使用: a day the bridges are in use, unread before
    assert parse_deadline("9月投入使用", 2016) == (D(2016, 9, 30), False)


@pytest.mark.parametrize("text, start, due", [
    ("5月底前动工", True, None),  # 大竹 2016
    ("6月底前启动", True, None),  # read as due 30 June before, the work only begun then
    ("2024年6月底前启动，2025年底前完成", False, D(2025, 12, 31)),  # a start, then the end
    ("6月底前启动试点，12月底前全面推开", False, D(2024, 12, 31)),
    ("2024年底前完成设计，2025年3月开工", True, None),  # the last day a start
])
def test_only_a_last_day_that_starts_the_work_is_a_start(text, start, due):
    assert starts_only(text) is start
    assert parse_deadline(text, 2024) == (due, False)


# ------------------------------------------------------------------ the office's answer holds


def test_the_days_read_and_left_out_survive_the_master_workbook(guangdong, dazhu, tmp_path):
    back = read_master_workbook(write_master_workbook(guangdong, tmp_path / "g.xlsx"))
    assert back.task("3").deadline == D(2021, 8, 31) and back.task("6").deadline == D(2021, 8, 31)
    back = read_master_workbook(write_master_workbook(dazhu, tmp_path / "d.xlsx"))
    assert back.task("4").deadline is None and back.task("2").deadline == D(2016, 9, 30)


@pytest.mark.parametrize("text, later", [
    # shapes of the same doubt (not from a published table): each read by its later day
    ("2021年三季度前", "三季度末前"), ("2021年8月中旬前", "8月中旬结束前"),
])
def test_a_quarter_or_ten_days_before_reads_two_ways_too(text, later):
    day, ongoing = parse_deadline(text)
    why, _ask = deadline_doubt(text, day, ongoing, None)
    assert f"已按较晚的“{later}”计算" in why


# ------------------------------------------------------------------ the corpus, text by text

# Every 完成时限 of the real tables in tests/corpus/masters (those with a deadline column), as
# read with the plan's year and said: (date, ongoing, the code said). Changed by QA367: 大竹's
# 9月投入使用 (None, M103 -> 30 September), 5月底前动工 (M103 -> M117), 广东's two steps
# (None, M103 -> 31 August, M117) and 2021年8月前 (now said, M117).
READ = {
    "chizhou_zwgk_tasks.docx": {"年底前": (None, False, "M103"), "持续推进": (None, True, "")},
    "dazhu_mssx_2016.docx": {"12月底前": (D(2016, 12, 31), False, ""), "9月投入使用": (D(2016, 9, 30), False, ""),
                             "5月底前动工": (None, False, "M117")},
    "guangdong_wsjkw_zwgk_2021.xlsx": {"长期推进": (None, True, ""), "2021年8月前": (D(2021, 8, 31), False, "M117"),
                                       "2021年2月公布预算信息,2021年8月公布上年度决算信息": (D(2021, 8, 31), False, "M117")},
    "huoshan_kfq_2025.xlsx": {"全年": (D(2025, 12, 31), False, "")},
    "jingzhou_zwgk_2022.docx": {"持续推进": (None, True, "")},
}


@pytest.mark.parametrize("name", sorted(READ))
def test_every_deadline_of_the_corpus_reads_as_pinned(name):
    m = import_master(CORPUS / name)
    said = {i.task: i.code for i in m.issues if i.code in ("M103", "M117")}
    assert {t.deadline_text: (t.deadline, t.ongoing, said.get(t.id, "")) for t in m.tasks} == READ[name]
