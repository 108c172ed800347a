"""东莞's revised 任务分工表 published on 28 July, while July's returns were still coming in on
July's forms (QA146): 1.2 moved to 2.1, the old 2.1 to 2.2, 2.6 to 2.7, the old 2.2 dropped,
2.5 split (QA143's `_revised_plan`). The office imports it at once and merges July, and writes
its 通报, before August's forms go out.

July is then its forms' month, as a month a later issue closed is (`revised.renumbered_since`):
read by the new numbers, 市发展改革局's row for the old 2.1 was refused as a task taken off it
(W210) and the new 2.2 called added since (W208), and July's 汇总表 and 通报 showed the dropped
task's 已完成 under the new 2.2, 跨域通办's rows under the split-off 2.6."""

from __future__ import annotations

import datetime as dt
import email.utils
import shutil
import sqlite3
from pathlib import Path
from typing import NamedTuple

import pytest
import test_qa143_revised_plan as qa143
from click.testing import CliRunner
from conftest import set_clock
from docx import Document
from openpyxl import load_workbook
from test_evidence import mail

from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return

pytestmark = pytest.mark.slow

ZSJ, FGJ = qa143.UNITS  # 市政务服务数据管理局 (sent on 26 July), 市发展改革局 (on 3 August)


class Played(NamedTuple):
    root: Path
    said: dict[str, str]  # command → its output


@pytest.fixture(scope="module")
def july(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("qa146") / "ws"
    runner = CliRunner()
    said: dict[str, str] = {}

    def run(*args: str) -> None:
        result = runner.invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        said[args[0] if args[0] != "master" else "import"] = result.output

    def send(label: str, unit: str, when: str, month: str, plan: Path) -> None:
        (form,) = (root / "下发" / label).glob(f"*_{unit}_进展填报表.xlsx")
        names = {r[0]: r[3] for r in load_workbook(plan)["任务清单"].iter_rows(min_row=2, values_only=True)}
        done = ("1.1", "1.2", "2.2") if month == "7月" else ("1.1",)  # the old 2.2 done in July
        answers = {tid: Answer(status="已完成", progress=100, work=f"{name}：{month}已完成。", evidence="东府办〔2022〕1号")
                   if tid in done else Answer(status="序时推进", progress=60, work=f"{name}：{month}推进。",
                                              next_plan=f"{name}：{month}后继续。")
                   for tid, name in names.items()}
        sent = email.utils.format_datetime(dt.datetime.fromisoformat(when).replace(
            tzinfo=dt.timezone(dt.timedelta(hours=8))))
        (root / "收件箱").mkdir(exist_ok=True)
        data = fill_return(form, Filling(answers=answers))
        (root / "收件箱" / f"{label}{unit}.eml").write_bytes(mail([(form.name, data)], subject=f"{unit}进展", date=sent))

    try:
        set_clock(mp, dt.date(2022, 6, 25))
        result = runner.invoke(cli, ["init", str(root), "--master", str(qa143.DONGGUAN), "--period", "2022-06"],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        old_plan = root.parent / "原任务分工表.xlsx"
        shutil.copy(root / "任务分工表.xlsx", old_plan)
        run("issue", "--period", "2022-06")
        for unit in qa143.UNITS:
            send(qa143.JUN, unit, "2022-07-04 10:00", "6月", old_plan)
        set_clock(mp, dt.date(2022, 7, 6))
        run("collect")
        set_clock(mp, dt.date(2022, 7, 20))
        run("issue", "--period", "2022-07", "--prefill")
        send(qa143.JUL, ZSJ, "2022-07-26 10:00", "7月", old_plan)
        set_clock(mp, dt.date(2022, 7, 27))
        run("collect")
        set_clock(mp, dt.date(2022, 7, 28))  # the city publishes the revision
        qa143._revised_plan(root / "任务分工表.xlsx", root.parent / "修订分工表.docx")
        run("master", "import", str(root.parent / "修订分工表.docx"))
        send(qa143.JUL, FGJ, "2022-08-03 10:00", "7月", old_plan)  # on July's form
        set_clock(mp, dt.date(2022, 8, 6))
        run("collect")
        run("merge", "--period", "2022-07")
        run("memo", "--period", "2022-07")
        yield Played(root, said)
    finally:
        mp.undo()
        shutil.rmtree(root.parent, ignore_errors=True)


def test_a_return_on_julys_form_is_checked_against_it(july):
    with sqlite3.connect(july.root / ".duban" / "ledger.sqlite3") as conn:
        said = conn.execute("SELECT r.unit, r.outcome, i.code, i.task FROM receipts r JOIN issues i ON"
                            " i.receipt_id=r.id WHERE r.period='2022-07' AND r.unit=?", (FGJ,)).fetchall()
    # its row for the old 2.1 (行政许可事项清单) is no task taken off it (W210), the new 2.2
    # no task added since (W208), its form no old one (W203): it is July's own form
    assert {code for *_, code, _ in said} <= {"W604"}, said
    assert all(outcome == "采纳" for _, outcome, *_ in said)


def test_julys_summary_counts_each_row_under_its_own_task(july):
    (book,) = (july.root / "汇总" / qa143.JUL).glob("*_进展汇总表.xlsx")
    rows = {r[0]: r for r in load_workbook(book, read_only=True)["任务汇总"].iter_rows(min_row=4, values_only=True)}
    # July's numbers and texts, each with its own rows
    assert rows["1.2"][3:8] == ("对标对表提升整改", "2022年6月", "市政务服务数据管理局、各镇街（园区）", None, "滞后")
    assert rows["2.1"][3] == "实行行政许可事项清单管理工作" and rows["2.1"][5] == "市府办、市政务服务数据管理局、市各有关部门"
    assert rows["2.1"][7:9] == ("序时推进", 60)
    assert f"【{FGJ}】实行行政许可事项清单管理工作：7月推进。" in rows["2.1"][10]
    # the dropped task's 已完成 is its own, not the new 2.2's (which the old 2.1 became)
    assert rows["2.2"][3] == "全流程动态管理事项" and rows["2.2"][7] == "已完成"
    assert rows["2.6"][3] == "开展“跨域通办”" and rows["2.6"][7:9] == ("序时推进", 60)
    assert "新增和优化联办事项" not in {r[3] for r in rows.values() if len(r) > 3}  # no form carried it


def test_julys_memo_says_what_its_forms_asked(july):
    (memo,) = (july.root / "通报" / qa143.JUL).glob("*.docx")
    text = "\n".join(p.text for p in Document(memo).paragraphs)
    assert "1．对标对表提升整改（任务1.2）\n牵头单位：市政务服务数据管理局、各镇街（园区）；完成时限：2022年6月" in text
    assert "1．全流程动态管理事项（任务2.2，牵头单位：市政务服务数据管理局）" in text  # July's 新完成, under the number its forms gave it
    assert "实行行政许可事项清单管理工作（任务2.2" not in text


def test_the_office_is_told_july_stands_as_issued(july):
    assert "已下发填报表的2022年6月、2022年7月不受影响：仍按当月下发的填报表核定" in july.said["import"]
    assert "注意：2022年7月的填报表按原任务分工表下发" not in july.said["import"]
    assert ("说明：2022年7月按当月下发的填报表核定（任务分工表在该期填报表下发后修订）"
            in july.said["merge"]), july.said["merge"]
    assert "原1.2现为2.1、原2.1现为2.2、原2.6现为2.7（工作任务和具体工作内容未变）" in july.said["merge"]
