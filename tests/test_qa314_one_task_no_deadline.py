"""QA314: 广州 2023's card is one task with no 完成时限, led by one unit. Section 五 said
"各项任务均未明确完成时限，请各责任单位…" of it: 各项…均 of one task reads wrong, as 均 of one unit did
(QA265)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from toolkit.memo.sentences import due_next_text


def _task():
    return SimpleNamespace(task=SimpleNamespace(deadline_text="", deadline=None, dated=False, ongoing=False))


@pytest.mark.parametrize("tasks, units, said", [
    (1, 1, "该项任务未明确完成时限，请责任单位对照任务目标持续推进，按月如实报送工作进展。"),
    (1, 3, "该项任务未明确完成时限，请各责任单位对照任务目标持续推进，按月如实报送工作进展。"),
    (5, 17, "各项任务均未明确完成时限，请各责任单位对照任务目标持续推进，按月如实报送工作进展。"),
])
def test_a_plan_without_deadlines_says_so_of_one_task_as_of_one(tasks, units, said):
    context = SimpleNamespace(unit_total=units)
    assert due_next_text(context, [_task() for _ in range(tasks)]) == said
