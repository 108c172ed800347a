"""The 通报 of a plan some of whose 完成时限 duban could not read (QA helper qa111).

A 区 营商环境 task list as sent round in Excel, its title naming no year: some tasks are due
年底前 or 6月底前 (no year anywhere: M103, never dated), others 持续推进 or 长期坚持, and in one
version one task 2024年12月底前. Because some tasks were read (持续推进 is), section 五 said
"2024年10月没有到期的任务。" and section 一 "暂无超过完成时限仍未完成的任务。", although a
年底前 task might be due, or past due: duban never judged it. The 通报 now says in one sentence
how many tasks' 完成时限 it could not read, and keeps its claims to the tasks it did read.
(test_qa106 covers the plan none of whose 完成时限 was read.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_qa106_published_texts import september, undated_list


def mixed_list(path: Path, dated: str | None) -> Path:
    """The 区 list of test_qa106, some of its 完成时限 read: 1.1 and 2.1 年底前, 1.2 6月底前
    (unread), 1.3 持续推进, 2.2 长期坚持, or ``dated`` when given (a 完成时限 with its year)."""
    return undated_list(path, ("年底前", "6月底前", "持续推进", "年底前", dated or "长期坚持"))


@pytest.fixture(scope="module", params=[None, "2024年12月底前"], ids=["undated", "one_dated"])
def memo_text(request, tmp_path_factory):
    """September of the list as test_qa106 plays it, the 通报 written as Markdown (what
    `duban memo --format md` writes)."""
    root = tmp_path_factory.mktemp("mixed") / "营商环境"
    _, master, memo = september(root, mixed_list(root.parent / "营商环境任务清单.xlsx", request.param), fmt="md")
    assert memo.path.suffix == ".md"
    return request.param, master, memo.path.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The paragraphs under ``heading`` (## 一、总体进展情况) up to the next heading."""
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0].strip()


def test_the_plan_is_partly_read(memo_text):
    dated, master, _ = memo_text
    unread = [t.id for t in master.tasks if not t.dated and not t.ongoing]
    assert unread == ["1.1", "1.2", "2.1"], unread
    assert [t.id for t in master.tasks if t.dated] == (["2.2"] if dated else [])


UNREAD = "3项任务的完成时限（如“年底前”）未写明年份"


def test_section_five_does_not_say_nothing_is_due(memo_text):
    dated, _, text = memo_text
    five = section(text, "五、下月到期任务")
    assert "2024年10月没有到期的任务" not in five, five
    # one sentence says how many were not judged, and what the office should do
    assert five.count(UNREAD) == 1, five
    assert "未判断是否到期。" in five, five
    if dated:  # what it says of the task it read is true, and said as such
        assert five.startswith("有明确完成时限的任务中，2024年10月没有到期的；另有" + UNREAD), five


def test_section_one_does_not_say_nothing_is_past_due(memo_text):
    _, _, text = memo_text
    one = section(text, "一、总体进展情况")
    assert "暂无超过完成时限仍未完成的任务" not in one, one
    assert UNREAD in one and "未判断是否超期" in one, one


# ---------------------------------------------------------------- the other cases, sentence by sentence

def _summary(tid: str, deadline_text: str, status: str = "序时推进"):
    from types import SimpleNamespace

    from toolkit.dates import parse_deadline
    from toolkit.master.model import Task

    deadline, ongoing = parse_deadline(deadline_text)
    return SimpleNamespace(task=Task(tid, "", "", f"任务{tid}", "", deadline_text, deadline, ongoing), status=status)


def _ctx(**over):
    from types import SimpleNamespace

    figures = dict(project="优化营商环境", period="2024-09", period_label="2024年9月", next_period_label="2024年10月",
                   task_total=4, task_done=0, task_done_pct="0%", task_on_track=4, task_on_track_pct="100%",
                   task_lagging=0, task_lagging_pct="0%", task_not_started=0, task_not_started_pct="0%",
                   task_not_reported=0, task_not_reported_waiting=0, task_not_reported_sent_back=0,
                   task_not_reported_no_lead=0,
                   task_not_reported_not_issued=0, task_overdue=0, task_overdue_waiting=0, avg_progress_text="",
                   due_next=[])
    return SimpleNamespace(**{**figures, **over})


def test_a_task_due_next_month_is_listed_after_the_unread_are_said():
    from toolkit.memo.sentences import due_next_text

    tasks = [_summary("1", "年底前"), _summary("2", "2024年10月底前"), _summary("3", "年底前", "已完成")]
    text = due_next_text(_ctx(due_next=[tasks[1]]), tasks)
    # a finished task is no question of 到期
    assert text == ("1项任务（任务1）的完成时限“年底前”未写明年份，未判断是否到期。"
                    "以下1项任务的完成时限为2024年10月，请牵头单位倒排工期，确保按时完成："), text


def test_every_read_deadline_past_and_some_unread():
    from toolkit.memo.sentences import due_next_text, overview_text

    tasks = [_summary("1", "2025年—2024年"), _summary("2", "2024年6月"), _summary("3", "持续推进")]
    text = due_next_text(_ctx(), tasks)
    assert text == ("有明确完成时限的任务，时限均已届满（最晚为2024年6月30日），长期开展的任务仍须持续推进；"
                    "另有1项任务（任务1）的完成时限“2025年—2024年”未明确到日期，未判断是否到期。"), text
    one = overview_text(_ctx(task_overdue=1), 0, True, tasks)
    assert one.endswith("上述任务中，已超过完成时限仍未完成的有1项。"
                        "另有1项任务（任务1）的完成时限“2025年—2024年”未明确到日期，未判断是否超期。"), one



def test_section_three_claims_nothing_of_the_unread():
    """Section 三 of a month with nothing lagging said 本期没有进展滞后或超过完成时限的任务, a claim
    about tasks whose 完成时限 was never read."""
    from types import SimpleNamespace

    from toolkit.memo.sentences import attention_text

    quiet = SimpleNamespace(attention=[], coop_lagging=[], task_lagging=0, task_overdue=0, task_not_reported=0,
                            task_total=5)
    assert attention_text(quiet, deadlines=True, unread=True) == "本期没有进展滞后的任务，有明确完成时限的任务均未超过完成时限。"
    assert attention_text(quiet, deadlines=True) == "本期没有进展滞后或超过完成时限的任务。"
    assert attention_text(quiet, deadlines=False) == "本期没有进展滞后的任务。"
