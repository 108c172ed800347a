"""大竹县's 2016年民生实事 (tests/corpus/masters) played from December 2016 into January 2017
through the CLI (QA137; see test_qa137_year_turn.py): January's 通报 and 汇总表 say the 2016
deadline a task missed with its year, and the 通报 is titled after the plan, then the month."""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import collect_merge_memo, set_clock
from openpyxl import load_workbook
from test_evidence import mail

from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return
from toolkit.returns import SHEET

pytestmark = pytest.mark.slow

DAZHU = Path(__file__).parent / "corpus" / "masters" / "dazhu_mssx_2016.docx"
UNITS = ("县水务局", "县住建局", "县民政局", "县商务局")
DEC, JAN = "2016年12月", "2017年1月"


def december(mp: pytest.MonkeyPatch, root: Path):
    """大竹's workspace made on 26 December 2016, December's forms issued, filled by the four
    units, mailed on 4 January and collected on 6 January 2017: ``run`` (the CLI's words) and
    ``send`` (a unit's form of a month mailed back: ``filling``, then ``edit`` on its sheet,
    as a department typing into a locked cell) to play January with (QA153 too)."""
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        return result

    def send(label: str, unit: str, when: str, filling: Filling | None = None, edit=None) -> None:
        (form,) = (root / "下发" / label).glob(f"*_{unit}_进展填报表.xlsx")
        data = fill_return(form, filling or Filling(default=Answer(status="序时推进", progress=80, work="按计划推进。")))
        if edit:  # openpyxl ignores the sheet's protection, as a department's unprotecting does
            wb = load_workbook(io.BytesIO(data))
            edit(wb[SHEET])
            out = io.BytesIO()
            wb.save(out)
            data = out.getvalue()
        sent = email.utils.format_datetime(dt.datetime.fromisoformat(when).replace(
            tzinfo=dt.timezone(dt.timedelta(hours=8))))
        (root / "收件箱").mkdir(exist_ok=True)
        (root / "收件箱" / f"{label}{unit}.eml").write_bytes(mail([(form.name, data)], subject=f"{unit}进展", date=sent))

    set_clock(mp, dt.date(2016, 12, 26))
    result = runner.invoke(cli, ["init", str(root), "--master", str(DAZHU), "--period", "2016-12",
                                 "--organiser", "大竹县人民政府办公室"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    run("issue", "--period", "2016-12")
    for unit in UNITS:
        send(DEC, unit, "2017-01-04 10:00")
    set_clock(mp, dt.date(2017, 1, 6))
    run("collect")
    return run, send


@pytest.fixture(scope="module")
def dazhu(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("dazhu") / "ws"
    try:
        run, send = december(mp, root)
        set_clock(mp, dt.date(2017, 1, 20))
        run("issue", "--period", "2017-01", "--prefill")
        for unit in UNITS[:2]:
            send(JAN, unit, "2017-02-03 10:00")
        send(JAN, "县民政局", "2017-02-06 09:00")  # the Monday after the Sunday printed
        collect_merge_memo(mp, run, dt.date(2017, 2, 7))
        yield root
    finally:
        mp.undo()
        shutil.rmtree(root.parent, ignore_errors=True)


def test_januarys_memo_is_titled_after_the_plan_then_the_month(dazhu):
    (md,) = (dazhu / "通报" / JAN).glob("*.md")
    assert md.name == "关于2016年民生实事2017年1月进展情况的通报.md"
    assert md.read_text(encoding="utf-8").startswith("# 关于2016年民生实事2017年1月进展情况的通报\n")


def test_a_2016_deadline_says_its_year_in_january(dazhu):
    (md,) = (dazhu / "通报" / JAN).glob("*.md")
    text = md.read_text(encoding="utf-8")
    assert "牵头单位：县商务局；完成时限：2016年12月底前；进展情况：" in text
    assert "完成时限：12月底前" not in text
    (book,) = (dazhu / "汇总" / JAN).glob("*_进展汇总表.xlsx")
    wb = load_workbook(book, read_only=True)
    for sheet, column in (("任务汇总", "完成时限"), ("滞后超期", "完成时限"), ("单位明细", "完成时限")):
        rows = list(wb[sheet].iter_rows(min_row=3, values_only=True))
        said = {row[rows[0].index(column)] for row in rows[1:] if row[0] == "10"}
        assert said == {"2016年12月底前"}, (sheet, said)


def test_the_monday_after_a_sunday_deadline_is_late_as_printed(dazhu):
    (book,) = (dazhu / "汇总" / JAN).glob("*_进展汇总表.xlsx")
    rows = {r[0]: r[3] for r in load_workbook(book, read_only=True)["报送情况"].iter_rows(min_row=4, values_only=True)}
    assert (rows["县水务局"], rows["县民政局"], rows["县商务局"]) == ("按时报送", "逾期报送", "未报送")
