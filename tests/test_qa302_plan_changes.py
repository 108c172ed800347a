"""A unit renamed in an institutional reform, arriving by a revised 任务分工表 (QA302).

The city publishes its revised table mid-June, after June's forms went out: 市卫生健康局 is now
written 市卫生健康委员会 (the same bureau, renamed). `duban master import` added the new name to
单位名录 as a new unit and kept the old one, and said only M102 ("not in 单位名录, added"). The
bureau returned June's form under its old name: collect accepted it but set its rows for the
tasks that now name 市卫生健康委员会 (2.6, 3.1, 3.2, 6.2) aside as W210 (tasks taken off it),
and the new name stood 本期未下发 on them, so the 通报 said 3.1's and 3.2's leads had not reported
though the bureau had. Fixing 单位名录 afterwards (the old name an alias) did not bring the rows
back: the file put back in 收件箱 was skipped as 重复 (W204), the rows lost from the record.

Now the import names the unit the tasks were handed to and asks for the alias before the
returns are collected, and a file whose accepted copy had rows set aside is checked again
once the master was saved after it."""

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

from toolkit.actions.master_import import compared
from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return
from toolkit.master import import_master
from toolkit.period import Period

OLD, NEW = "市卫生健康局", "市卫生健康委员会"
DONGGUAN = Path(__file__).parents[1] / "workbooks" / "任务分工表.docx"
JUN = "2022年6月"
HANDED = (f"注意：{OLD}原负责的任务 2.6、3.1、3.2、6.2 在新表中改由单位名录中原来没有的“{NEW}”负责。"
          f"如系单位更名或合并，请在收取回件之前，在“单位名录”中把“{OLD}”写进“{NEW}”的简称/别名"
          f"并删去原名称的行，保存任务分工表：否则按原名称下发的填报表报送的这些任务不计入汇总，"
          f"“{NEW}”也不计入已下发的月份。已收取的回件，改好后把原件放回收件箱重新收取。")


def renamed_table(master: Path, out: Path, renames: dict[str, str]) -> Path:
    """The revised table as the city publishes it: the master's own rows, units renamed."""
    doc = Document()
    doc.add_paragraph("东莞市2022年政务服务全域标准化专项行动主要任务分工表（修订）")
    table = doc.add_table(rows=1, cols=6)
    for cell, text in zip(table.rows[0].cells, ("一级任务", "二级任务", "工作任务", "具体工作内容", "完成时限", "责任部门")):
        cell.text = text
    for r in load_workbook(master)["任务清单"].iter_rows(min_row=2, values_only=True):
        units = r[11] or ""
        for old, new in renames.items():
            units = units.replace(old, new)
        for cell, text in zip(table.add_row().cells, (*r[1:6], units)):
            cell.text = text or ""
    doc.save(out)
    return out


def make_alias(master: Path, old: str, new: str) -> None:
    """What the import asks the coordinator to do in Excel: the old name an alias of the new
    unit, the old name's own row deleted."""
    wb = load_workbook(master)
    sheet = wb["单位名录"]
    gone = None
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == new:
            row[1].value = old
        elif row[0].value == old:
            gone = row[0].row
    sheet.delete_rows(gone)
    wb.save(master)


def test_the_import_names_the_unit_the_tasks_went_to(ws, tmp_path):
    before = ws.load_master()
    after = import_master(renamed_table(ws.master_path, tmp_path / "修订.docx", {OLD: NEW}), before.directory)
    revision = compared(before, after, [], [Period(2022, 6)])
    assert revision.handed == {((OLD,), NEW): ["2.6", "3.1", "3.2", "6.2"]}
    assert HANDED in revision.lines()


def test_a_merger_names_every_unit_merged(ws, tmp_path):
    """市交通运输局 and 市文化广电旅游体育局 merged into one new bureau: one line, both names."""
    before = ws.load_master()
    merged = "市交通文旅局"
    after = import_master(renamed_table(ws.master_path, tmp_path / "修订.docx",
                                        {"市交通运输局、市文化广电旅游体育局": merged, "市交通运输局": merged,
                                         "市文化广电旅游体育局": merged}), before.directory)
    revision = compared(before, after, [], [Period(2022, 6)])
    [(olds, new)] = revision.handed
    assert new == merged and olds == ("市交通运输局", "市文化广电旅游体育局")
    line = next(x for x in revision.lines() if merged in x)
    assert "把“市交通运输局”、“市文化广电旅游体育局”写进“市交通文旅局”的简称/别名" in line


def test_a_table_the_same_but_for_a_task_says_no_rename(ws, tmp_path):
    before = ws.load_master()
    after = import_master(renamed_table(ws.master_path, tmp_path / "修订.docx", {}), before.directory)
    revision = compared(before, after, [], [Period(2022, 6)])
    assert revision.handed == {}
    assert not any("简称/别名" in x for x in revision.lines())


class Played(NamedTuple):
    root: Path
    said: dict[str, str]


def june_issued(root: Path, mp: pytest.MonkeyPatch, said: dict[str, str]):
    """June's forms issued on 25 June to a new workspace on the 2022 plan: the command runner
    (its output kept in ``said`` by key) and the bureau's return on its old name's June form, as
    a mail of the given day (QA302, QA306)."""
    runner = CliRunner()

    def run(key: str, *args: str) -> None:
        result = runner.invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        said[key] = result.output

    set_clock(mp, dt.date(2022, 6, 25))
    result = runner.invoke(cli, ["init", str(root), "--master", str(DONGGUAN), "--period", "2022-06"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    run("issue", "issue", "--period", "2022-06")
    (form,) = (root / "下发" / JUN).glob(f"*_{OLD}_进展填报表.xlsx")
    ids = [r[1] for r in load_workbook(form)["_meta"].iter_rows(values_only=True) if r[0] == "task"]
    answers = {tid: Answer(status="序时推进", progress=60, work=f"{tid}：6月推进。", next_plan="继续。")
               for tid in ids}

    def send(day: dt.date) -> None:
        sent = email.utils.format_datetime(dt.datetime.combine(day, dt.time(10), tzinfo=dt.timezone(
            dt.timedelta(hours=8))))
        (root / "收件箱" / f"{OLD}.eml").write_bytes(
            mail([(form.name, fill_return(form, Filling(answers=answers)))], subject=f"{OLD}进展", date=sent))

    return run, send


@pytest.fixture(scope="module")
def june(tmp_path_factory):
    """June issued on the 2022 plan; the revision imported on 28 June; the bureau's return on
    June's form collected on 6 July before the office fixed 单位名录; then the alias made and
    the archived mail put back in 收件箱, collected, merged and the 通报 written."""
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("qa302") / "ws"
    said: dict[str, str] = {}
    try:
        run, send = june_issued(root, mp, said)
        set_clock(mp, dt.date(2022, 6, 28))
        run("import", "master", "import", str(renamed_table(root / "任务分工表.xlsx", root.parent / "修订.docx",
                                                            {OLD: NEW})))
        send(dt.date(2022, 7, 4))
        set_clock(mp, dt.date(2022, 7, 6))
        run("collect", "collect")
        set_clock(mp, dt.date(2022, 7, 7))  # the office reads the import's note, fixes 单位名录
        make_alias(root / "任务分工表.xlsx", OLD, NEW)
        for archived in (root / "归档" / JUN).glob("*.eml"):
            shutil.copy(archived, root / "收件箱" / archived.name)
        run("again", "collect")
        run("merge", "merge", "--period", "2022-06")
        run("memo", "memo", "--period", "2022-06")
        yield Played(root, said)
    finally:
        mp.undo()
        shutil.rmtree(root.parent, ignore_errors=True)


@pytest.mark.slow  # plays a month: run in CI, out of the quick loop
def test_the_import_asks_for_the_alias(june):
    assert HANDED in june.said["import"]


@pytest.mark.slow
def test_the_mail_put_back_is_read_again_not_a_duplicate(june):
    assert "采纳 1，退回 0，无法读取 0，重复 0" in june.said["again"], june.said["again"]


@pytest.mark.slow
def test_the_renamed_units_rows_count_under_its_new_name(june):
    (book,) = (june.root / "汇总" / JUN).glob("*_进展汇总表.xlsx")
    wb = load_workbook(book, read_only=True)
    rows = {(r[0], r[4]): r for r in wb["单位明细"].iter_rows(min_row=4, values_only=True) if r and r[0]}
    for tid in ("2.6", "3.1", "3.2", "6.2"):
        assert rows[(tid, NEW)][6:8] == ("序时推进", 60), rows[(tid, NEW)]
    status = {r[0]: r for r in wb["报送情况"].iter_rows(min_row=4, values_only=True) if r and r[0]}
    assert status[NEW][2:4] == (9, "按时报送") and OLD not in status


@pytest.mark.slow
def test_the_memo_does_not_say_the_leads_of_3_1_never_reported(june):
    (memo,) = (june.root / "通报" / JUN).glob("*.docx")
    text = "\n".join(p.text for p in Document(memo).paragraphs)
    line = next(x for x in text.splitlines() if x.startswith("牵头单位：市公安局、市交通运输局") and "完成时限：2022年6月" in x)
    assert "进度60%" in line and "均未报送" not in line, line
