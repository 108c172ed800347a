"""大竹县's 民生实事 (tests/corpus/masters) at the year turn (QA386): the public outputs of a month
merged again, or of a month after one whose tasks were done.

* January, the plan kept: 县商务局, task 10's only lead, said 已完成 in December and sent nothing in
  January. The task stays 已完成 (`task_rule.done_before`), but 已报送任务的平均进度 counted its
  100 (93.6 % for 93.0 %), and a task done on an earlier month's word alone was nowhere said so.
* A revised 2017 plan imported, duban.toml renamed to 2017年民生实事 as the import suggests, and
  December merged again for a 补报: its 通报 was re-issued as 关于2017年民生实事2016年12月…, the
  汇总表 as 2017年民生实事进展汇总表（2016年12月）, the old 通报 left beside the new one; and its
  tasks and leads were listed by today's plan's numbers (5-2 after 10) and names sorted
  (县住建局、县护城河指挥部、县水务局).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import email
import email.policy
import email.utils
import shutil
from pathlib import Path

import docx
import pytest
from conftest import collect_merge_memo, invoke_cli, set_clock
from openpyxl import load_workbook
from test_evidence import mail
from test_qa137_year_turn_month import DEC, JAN, december

from toolkit import memo
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.returns import META_SHEET
from toolkit.workspace import find_workspace

#: months played through the CLI: several seconds a module, not the quick loop's (the ledger's own tests are)
slow = pytest.mark.slow

OLD, NEW = "2016年民生实事", "2017年民生实事"
DONE = Answer(status="已完成", progress=100, work="已建成投用。", evidence="竹府办〔2016〕9号")
#: the 2017 plan: December's tasks 7, 3, 8, 9 and 6 under new numbers, two new ones; 1, 2, 4, 5, 5-2, 10 dropped
PLAN_2017 = [("1", "加快推进土地滩水库建设。", "县水务局", "6月底前"),
             ("2", "启动县图书馆新馆建设。", "县文体广新局\n县代建中心", "一季度"),
             ("3", "启动大竹县第十二小学建设,新建中心幼儿园2所。", "县教科局\n县代建中心", "年底前"),
             ("4", "完成棚户区改造2836户。", "县住建局", "6月底前"),
             ("5", "迁建县政务服务中心。", "县政务服务中心\n县代建中心", "长期坚持"),
             ("6", "新建城区公共停车场3处。", "县住建局", "12月底前"),
             ("7", "实施农村饮水安全巩固提升工程。", "县水务局", "每月")]


@pytest.fixture(scope="module")
def played_december(tmp_path_factory):
    """December 2016 collected on 6 January 2017 and merged: 县商务局 finished task 10, 县民政局 5-2
    (each a corrected return, sent on the 5th)."""
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("dazhu386") / "ws"
    try:
        run, send = december(mp, root)
        send(DEC, "县商务局", "2017-01-05 10:00", Filling(default=DONE))
        send(DEC, "县民政局", "2017-01-05 10:00", Filling(answers={"5-2": DONE}, default=Answer(
            status="序时推进", progress=80, work="按计划推进。")))
        collect_merge_memo(mp, run, dt.date(2017, 1, 6))
        yield root
    finally:
        mp.undo()


def _send(root: Path, label: str, unit: str, when: str, filling: Filling | None = None) -> None:
    """``unit``'s form of the month ``label`` filled (``filling``, else 序时推进 80) and mailed at
    ``when`` (Beijing), into 收件箱: test_qa137's ``send`` for a copy of its workspace."""
    (form,) = (root / "下发" / label).glob(f"*_{unit}_进展填报表.xlsx")
    data = fill_return(form, filling or Filling(default=Answer(status="序时推进", progress=80, work="按计划推进。")))
    sent = email.utils.format_datetime(dt.datetime.fromisoformat(when).replace(tzinfo=dt.timezone(dt.timedelta(hours=8))))
    (root / "收件箱" / f"{label}{unit}{when[5:10]}.eml").write_bytes(mail([(form.name, data)], subject=f"{unit}进展",
                                                                        date=sent))


@contextlib.contextmanager
def _after_december(played_december: Path, tmp_path_factory, name: str):
    """A copy of December's workspace, a runner of its commands (exit 0 or 1 expected) and the
    MonkeyPatch its clock is set with, undone afterwards."""
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp(name) / "ws"
    shutil.copytree(played_december, root)

    def run(*args: str):
        result = invoke_cli(["-w", str(root), *args])
        assert result.exit_code in (0, 1), result.output
        return result

    try:
        yield root, run, mp
    finally:
        mp.undo()


def _rename(root: Path, name: str) -> None:
    """What the office does as the import's 注意 suggests: duban.toml's name changed."""
    cfg = root / "duban.toml"
    text = cfg.read_text(encoding="utf-8")
    assert f'name = "{OLD}"' in text
    cfg.write_text(text.replace(f'name = "{OLD}"', f'name = "{name}"'), encoding="utf-8")


def _md(root: Path, label: str) -> tuple[str, str]:
    (md,) = (root / "通报" / label).glob("*.md")
    return md.name, md.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def january_kept(played_december, tmp_path_factory):
    """January 2017 on the same plan: 县水务局 and 县住建局 report, 县商务局 (task 10's only lead)
    does not; then duban.toml renamed and 县商务局 sent its January form again (--dept)."""
    with _after_december(played_december, tmp_path_factory, "january386") as (root, run, mp):
        set_clock(mp, dt.date(2017, 1, 20))
        run("issue", "--period", "2017-01")
        for unit in ("县水务局", "县住建局"):
            _send(root, JAN, unit, "2017-02-03 10:00")
        _rename(root, NEW)
        set_clock(mp, dt.date(2017, 1, 25))
        run("issue", "--period", "2017-01", "--dept", "县商务局")
        collect_merge_memo(mp, run, dt.date(2017, 2, 7))
        yield root


@slow
def test_the_average_of_reported_tasks_leaves_out_a_task_done_last_month_whose_lead_is_silent(january_kept):
    """Tasks 1, 2, 7 and 9 were reported in January, each at 80; the 100 of tasks 10 and 5-2 (县民政局,
    silent too) is December's word."""
    _, text = _md(january_kept, JAN)
    assert "已报送任务的平均进度为80%。" in text, text
    # still counted 已完成, as 总览 and status count it, and said to rest on the earlier word
    assert "已完成2项（占18.2%；牵头单位本期未报送，按此前报告的已完成计）" in text, text
    assert "本期没有新完成的任务。" in text
    cons = consolidate(find_workspace(january_kept), Period(2017, 1))
    assert cons.figures()["任务已完成"] == 2


@slow
def test_a_task_done_on_an_earlier_word_alone_is_not_newly_done(january_kept):
    """Had December's 历次进展 not said task 10 已完成 (a lead since taken off it, a month issued to
    other units only), January's 通报 called it 本期新完成 though nobody reported it in January."""
    cons = consolidate(find_workspace(january_kept), Period(2017, 1))
    history = {**cons.history, Period(2016, 12): {**cons.history[Period(2016, 12)], "10": ("序时推进", 80.0)}}
    ctx = memo.build_context(dataclasses.replace(cons, history=history), dt.date(2017, 2, 7))
    assert [t.id for t in ctx.completed] == []
    assert ctx.completed_text == "本期没有新完成的任务。"


@slow
def test_the_tasks_done_on_an_earlier_word_are_said_among_those_done(january_kept):
    """Beside a task done on this month's word, "其中"; a lead sent back did report: 没有合格的报送."""
    cons = consolidate(find_workspace(january_kept), Period(2017, 1))
    tasks = [dataclasses.replace(t, status="已完成", avg_progress=100.0, lead_states={"县住建局": "已完成"})
             if t.task.id == "2" else t for t in cons.tasks]  # 县住建局 said task 2 已完成 in January
    ctx = memo.build_context(dataclasses.replace(cons, tasks=tasks), dt.date(2017, 2, 7))
    assert "已完成3项（占27.3%；其中2项牵头单位本期未报送，按此前报告的已完成计）" in ctx.overview_text, ctx.overview_text
    back = [dataclasses.replace(t, lead_states={"县商务局": "退回待改"}) if t.task.id == "10" else t for t in tasks]
    ctx = memo.build_context(dataclasses.replace(cons, tasks=back), dt.date(2017, 2, 7))
    assert "其中2项牵头单位本期没有合格的报送，按此前报告的已完成计" in ctx.overview_text, ctx.overview_text


@slow
def test_a_form_issued_again_to_one_unit_after_a_rename_keeps_the_months_name(january_kept):
    (form,) = (january_kept / "下发" / JAN).glob("*_县商务局_进展填报表.xlsx")
    meta = dict(r[:2] for r in load_workbook(form)[META_SHEET].iter_rows(values_only=True))
    assert meta["project"] == OLD
    name, text = _md(january_kept, JAN)
    assert name == f"关于{OLD}2017年1月进展情况的通报.md" and NEW not in text


def _plan_2017(path: Path) -> Path:
    d = docx.Document()
    for line in ("大竹县人民政府办公室关于对2017年民生实事进行重点督办的通知", "竹府办〔2017〕3号",
                 "现将2017年“民生实事”目标任务分解下达。", "附件:2017年民生实事目标任务分解表",
                 "大竹县人民政府办公室", "2017年1月6日", "2017年民生实事目标任务分解表"):
        d.add_paragraph(line)
    table = d.add_table(rows=len(PLAN_2017) + 1, cols=4)
    for i, row in enumerate([("序号", "民生实事", "责任单位", "完成时限"), *PLAN_2017]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    d.save(path)
    return path


@pytest.fixture(scope="module")
def december_again(played_december, tmp_path_factory):
    """The 2017 plan imported on 7 January, duban.toml renamed, January issued; 县护城河指挥部's
    December 补报 and a December return of 县残联 sent back, collected on 10 January; December
    merged again, its 通报 made again."""
    with _after_december(played_december, tmp_path_factory, "december386") as (root, run, mp):
        set_clock(mp, dt.date(2017, 1, 7))
        imported = run("master", "import", str(_plan_2017(root.parent / "2017年民生实事目标任务分解表.docx")))
        (root.parent / "import.out").write_text(imported.output, encoding="utf-8")
        _rename(root, NEW)
        run("issue", "--period", "2017-01")
        _send(root, DEC, "县护城河指挥部", "2017-01-09 10:00", Filling(default=DONE))
        _send(root, DEC, "县残联", "2017-01-09 11:00", Filling(default=Answer(status="滞后", progress=50, work="推进中。")))
        set_clock(mp, dt.date(2017, 1, 10))
        run("collect")
        run("merge", "--period", "2016-12")
        run("memo", "--period", "2016-12", "--format", "md")
        yield root


@slow
def test_the_imports_note_on_the_name_says_what_becomes_of_the_months_issued(december_again):
    said = (december_again.parent / "import.out").read_text(encoding="utf-8")
    assert (f"如要改用“{NEW}”，请修改 duban.toml 中的 name：此后下发的月份用新名称，已下发的月份"
            "（其填报表，以及重新汇总、重新生成的汇总表和通报）仍用下发时的名称。") in said, said


@slow
def test_december_merged_again_after_a_rename_keeps_its_name(december_again):
    (md,) = (december_again / "通报" / DEC).glob("*.md")  # the one made on 6 January, made again
    assert md.name == "关于2016年12月民生实事进展情况的通报.md"
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 关于2016年12月民生实事进展情况的通报\n") and f"根据{OLD}工作安排" in text
    assert NEW not in text
    (book,) = (december_again / "汇总" / DEC).glob("*_进展汇总表.xlsx")
    titles = [ws.cell(1, 1).value for ws in load_workbook(book, read_only=True).worksheets]
    assert titles[0] == f"{OLD}进展汇总表（2016年12月）" and not any(NEW in str(t) for t in titles), titles
    # January, issued after the rename, is 2017年民生实事's
    assert consolidate(find_workspace(december_again), Period(2017, 1)).project == NEW


@slow
def test_a_december_reply_written_after_the_rename_keeps_decembers_name(december_again):
    (eml,) = (december_again / "反馈" / DEC).glob("*/*县残联*.eml")
    (book,) = (december_again / "反馈" / DEC).glob("*/*县残联*.xlsx")
    mail = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    said = str(mail["Subject"]) + mail.get_body(("plain",)).get_content()
    assert OLD in said and NEW not in said, said
    cells = [str(c) for ws in load_workbook(book).worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c]
    assert any(OLD in c for c in cells) and not [c for c in cells if NEW in c]


@slow
def test_december_merged_again_lists_tasks_and_leads_as_its_forms_did(december_again):
    (book,) = (december_again / "汇总" / DEC).glob("*_进展汇总表.xlsx")
    wb = load_workbook(book, read_only=True)
    rows = list(wb["任务汇总"].iter_rows(min_row=3, values_only=True))
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == ["1", "2", "3", "4", "5", "5-2", "6", "7", "8", "9", "10"]
    leads = {r[0]: r[header.index("牵头单位")] for r in body}
    assert leads["1"] == "县水务局、县住建局、县护城河指挥部"
    history = [r[0] for r in wb["历次进展"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert history == ["1", "2", "3", "4", "5", "5-2", "6", "7", "8", "9", "10"], history
    _, text = _md(december_again, DEC)
    done = text.split("## 二、", 1)[1].split("## 三、", 1)[0]
    assert done.index("（任务5-2") < done.index("（任务10"), done
    assert "（任务1）。牵头单位：县水务局、县住建局、县护城河指挥部；" in text, text  # overdue, in 三


def test_a_ledger_of_version_24_gains_the_columns_and_keeps_what_it_had(tmp_path):
    """Migration 25 adds issued.project, issued_texts.seq and .units to a ledger the release before
    left; its forms' records stay, with no name or order: those months are as they were."""
    from conftest import ledger_at

    from toolkit.ledger import LATEST, Ledger, schema_version

    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 24, ("INSERT INTO issued (period, unit, fingerprint, tasks, issued_at) VALUES (?,?,?,?,?)",
                         ("2016-12", "县商务局", "fp", '["10"]', "2016-12-26 18:00:00")),
              ("INSERT INTO issued_texts (period, task, texts) VALUES (?,?,?)", ("2016-12", "10", '{"id": "10"}')))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 25
        assert ledger.issued_tasks_of(Period(2016, 12)) == {"县商务局": {"10"}}
        assert ledger.issued_project(Period(2016, 12)) is None
        assert ledger.issued_order_of(Period(2016, 12)) == ({}, {})
        ledger.record_issued(Period(2017, 1), "县商务局", "fp", ["10"], project=OLD)
        assert ledger.issued_project(Period(2017, 1)) == OLD


def test_the_name_most_forms_of_a_month_printed_is_its_name(tmp_path):
    from toolkit.ledger import Ledger

    jan = Period(2017, 1)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        for unit, name in (("县水务局", OLD), ("县住建局", OLD), ("县商务局", NEW)):
            ledger.record_issued(jan, unit, "fp", ["1"], project=name)
        assert ledger.issued_project(jan) == OLD
        # a unit's latest form is what it holds: issued again under the new name, two to one
        ledger.record_issued(jan, "县住建局", "fp", ["1"], project=NEW)
        assert ledger.issued_project(jan) == NEW
        ledger.record_issued(jan, "县民政局", "fp", ["1"], project=OLD, exempt=True)  # no form went out
        assert ledger.issued_project(jan) == NEW

