"""东莞's 2022 plan replaced in August by a revised 任务分工表 (QA143): 1.2 moved to 2.1 with
the same text, the old 2.2 dropped (its number given to the old 2.1), 2.5 split, 2.6 moved to
2.7, a task added. A task is its texts, not its number: August's prefill, W606 and 历次进展
follow each task to its new number (`master.model.renumbered`)."""

from __future__ import annotations

import datetime as dt
import email.utils
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner
from conftest import set_clock
from docx import Document
from openpyxl import load_workbook
from test_evidence import mail

from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return

pytestmark = pytest.mark.slow

DONGGUAN = Path(__file__).parents[1] / "workbooks" / "任务分工表.docx"
UNITS = ("市政务服务数据管理局", "市发展改革局")
JUN, JUL, AUG = "2022年6月", "2022年7月", "2022年8月"


def _revised_plan(master: Path, out: Path, renumbered_only: bool = False) -> None:
    """The revised table as the city would publish it, from the June master's own rows;
    ``renumbered_only``: 1.2 moved to 2.1 and the rest of 2.x renumbered after it, nothing
    else (QA144: a past month then has nothing to ask the office)."""
    rows = {r[0]: r for r in load_workbook(master)["任务清单"].iter_rows(min_row=2, values_only=True)}

    def row(tid, **kw):
        r = rows[tid]
        return {"level2": r[2], "name": r[3], "content": r[4], "deadline": r[5], "units": r[11], **kw} | {
            "level1": r[1]}

    plan = [row("1.1"), row("1.2", level2=rows["2.1"][2]), row("2.1"), row("2.3"), row("2.4"),
            row("2.5", content="实现不少于1000项政务服务事项线下窗口全市通办。"),
            row("2.5", name="新增和优化联办事项", content="新增和优化社保和商保联办、企业开办、农民安居房申报等联办事项。"),
            row("2.6")]
    if renumbered_only:
        plan = [row("1.1"), row("1.2", level2=rows["2.1"][2])] + [row(t) for t in rows if t[:2] == "2."]
    plan += [row(t) for t in rows if t[:2] not in ("1.", "2.") and t != "16.1"]
    doc = Document()
    doc.add_paragraph("东莞市2022年政务服务全域标准化专项行动主要任务分工表（修订）")
    table = doc.add_table(rows=1, cols=6)
    for cell, text in zip(table.rows[0].cells, ("一级任务", "二级任务", "工作任务", "具体工作内容", "完成时限", "责任部门")):
        cell.text = text
    for r in plan:
        for cell, k in zip(table.add_row().cells, ("level1", "level2", "name", "content", "deadline", "units")):
            cell.text = r[k] or ""
    doc.save(out)


class Played(NamedTuple):
    """The workspace after September's collect and merge, August's prefilled forms (unit →
    task id → 状态, 进度, 工作进展) and what each command said (its args joined by spaces →
    the CliRunner result; QA144 reads the import's)."""

    root: Path
    prefilled: dict[str, dict[str, tuple]]
    said: dict[str, object]


@pytest.fixture(scope="module")
def revised(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("qa143") / "ws"
    runner = CliRunner()
    said: dict[str, object] = {}

    def run(*args: str):
        result = runner.invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        said[" ".join(args)] = result
        return result

    def send(label: str, unit: str, when: str, month: str, progress: int, done=()) -> None:
        (form,) = (root / "下发" / label).glob(f"*_{unit}_进展填报表.xlsx")
        names = {r[0]: r[3] for r in load_workbook(root / "任务分工表.xlsx")["任务清单"].iter_rows(
            min_row=2, values_only=True)}
        answers = {tid: Answer(status="已完成", progress=100, work=f"{name}：{month}已完成。", evidence="东府办〔2022〕1号")
                   if tid in done else Answer(status="序时推进", progress=progress, work=f"{name}：{month}推进。",
                                              next_plan=f"{name}：{month}后继续。")
                   for tid, name in names.items()}
        data = fill_return(form, Filling(answers=answers))
        sent = email.utils.format_datetime(dt.datetime.fromisoformat(when).replace(
            tzinfo=dt.timezone(dt.timedelta(hours=8))))
        (root / "收件箱").mkdir(exist_ok=True)
        (root / "收件箱" / f"{label}{unit}.eml").write_bytes(mail([(form.name, data)], subject=f"{unit}进展", date=sent))

    try:
        set_clock(mp, dt.date(2022, 6, 25))
        result = runner.invoke(cli, ["init", str(root), "--master", str(DONGGUAN), "--period", "2022-06"],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        run("issue", "--period", "2022-06")
        for unit in UNITS:
            send(JUN, unit, "2022-07-04 10:00", "6月", 40, done=("1.1",))
        set_clock(mp, dt.date(2022, 7, 6))
        run("collect")
        set_clock(mp, dt.date(2022, 7, 20))
        run("issue", "--period", "2022-07", "--prefill")
        for unit in UNITS:  # the old 2.2 (全流程动态管理事项) done in July
            send(JUL, unit, "2022-08-04 10:00", "7月", 60, done=("1.1", "1.2", "2.2"))
        set_clock(mp, dt.date(2022, 8, 8))
        run("collect")
        run("merge")
        set_clock(mp, dt.date(2022, 8, 15))
        _revised_plan(root / "任务分工表.xlsx", root.parent / "修订分工表.docx")
        run("master", "import", str(root.parent / "修订分工表.docx"))
        set_clock(mp, dt.date(2022, 8, 20))
        run("issue", "--period", "2022-08", "--prefill")
        prefilled = {}
        for unit in UNITS:
            (form,) = (root / "下发" / AUG).glob(f"*_{unit}_进展填报表.xlsx")
            prefilled[unit] = {r[0]: r[7:10] for r in load_workbook(form).worksheets[0].iter_rows(values_only=True)
                               if r[0]}
        send(AUG, "市政务服务数据管理局", "2022-09-02 10:00", "8月", 70, done=("1.1",))
        set_clock(mp, dt.date(2022, 9, 6))
        run("collect")
        run("merge")
        yield Played(root, prefilled, said)
    finally:
        mp.undo()
        shutil.rmtree(root.parent, ignore_errors=True)


def test_prefill_follows_each_task_to_its_new_number(revised):
    prefilled = revised.prefilled
    zsj = prefilled["市政务服务数据管理局"]
    # 2.2 is now the old 2.1 (行政许可事项清单): its own July row, not the dropped task's 已完成
    assert zsj["2.2"] == ("序时推进", 60, "实行行政许可事项清单管理工作：7月推进。")
    assert zsj["2.1"] == ("已完成", 100, "对标对表提升整改：7月已完成。")  # the old 1.2
    assert zsj["2.7"] == ("序时推进", 60, "开展“跨域通办”：7月推进。")  # the old 2.6
    assert zsj["2.6"] == (None, None, None)  # split off 2.5: new, nothing to start from
    assert zsj["2.5"] == ("序时推进", 60, "简化事项办理流程：7月推进。")  # edited in place
    # the old 2.1 (各有关部门) is 2.2 for 市发展改革局 too
    assert prefilled["市发展改革局"]["2.2"] == ("序时推进", 60, "实行行政许可事项清单管理工作：7月推进。")


def test_history_checks_weigh_a_renumbered_task_against_itself(revised):
    import sqlite3

    root = revised.root
    with sqlite3.connect(root / ".duban" / "ledger.sqlite3") as conn:
        said = conn.execute("SELECT i.task, i.message FROM issues i JOIN receipts r ON r.id=i.receipt_id"
                            " WHERE r.period='2022-08' AND i.code='W606'").fetchall()
    # 2.2 at 70% was weighed against the dropped task's 100% (全流程动态管理事项, July)
    assert "2.2" not in {t for t, _ in said}
    # 2.1 (the old 1.2, 已完成 in July) at 70% did fall back
    assert [t for t, _ in said] == ["2.1"]


def test_history_sheet_shows_each_tasks_own_months(revised):
    root = revised.root
    (book,) = (root / "汇总" / AUG).glob("*_进展汇总表.xlsx")
    rows = {r[0]: r for r in load_workbook(book, read_only=True)["历次进展"].iter_rows(min_row=4, values_only=True)}
    assert rows["2.2"][1] == "实行行政许可事项清单管理工作"
    assert rows["2.2"][4:6] == ("序时推进", 60)  # its own July, not the dropped task's 已完成
    assert rows["2.7"][4:6] == ("序时推进", 60)  # 跨域通办's July, under its new number
    assert rows["2.6"][4:6] == (None, None)  # new in August
