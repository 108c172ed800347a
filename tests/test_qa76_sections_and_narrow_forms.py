"""QA round 76: a bureau's plan among its own 科室 and what its 汇总表 and mails call them.

The 通报 of such a plan (江门's) said 各科室, 应报送科室 (test_memo), but its 汇总表 still said
四、各单位完成情况, 应报单位, 牵头单位 and its mails 贵单位 to each 科室.
"""

from __future__ import annotations

import email
import email.policy
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.actions.remind import write_reminders
from toolkit.filling import Answer, Filling, fill_return
from toolkit.mail import render_mail_template
from toolkit.units import of_sections, say_sections

CORPUS = Path(__file__).parent / "corpus" / "masters"
SECTIONS = ("办公室", "财务科", "储备科", "用人单位服务科")


def _body(path: Path) -> tuple[str, str]:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return str(msg["subject"]), msg.get_body(("plain",)).get_content()


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    """江门's plan among a 土地储备中心's 科室, issued with mails; 办公室 reports, 用人单位服务科
    sends a return with errors (a reply), 财务科 and 储备科 send nothing (reminders)."""
    root = tmp_path_factory.mktemp("bureau")
    directory = root / "名录.csv"
    directory.write_text("单位,简称/别名,类别,联系人,电话,邮箱\n" + "".join(
        f"{name},,科室,,,s{i}@example.cn\n" for i, name in enumerate(SECTIONS)), encoding="utf-8")
    ws, _ = init_workspace(root / "ws", CORPUS / "jiangmen_tdcb_zwgk_tasks.xlsx", period="2020-06",
                           organiser="江门市土地储备中心", directory_csv=directory)
    issue_returns(ws, "2020-06", emails=True)
    issued = ws.root / "下发" / "2020年6月"
    for unit, filling in (("办公室", Filling()), ("用人单位服务科", Filling(default=Answer(status="完成了吗")))):
        (ws.inbox / f"{unit}.xlsx").write_bytes(fill_return(issued / f"2020年6月_{unit}_进展填报表.xlsx", filling))
    collect(ws)
    merge(ws)
    write_reminders(ws)
    return ws


def test_a_bureaus_plan_is_told_from_its_units_kinds():
    assert of_sections(["科室", "科室"]) and not of_sections([]) and not of_sections(["科室", "市直部门"])
    assert say_sections("四、各单位完成情况") == "四、各科室完成情况"
    assert say_sections("应报单位") == "应报科室" and say_sections("单位数") == "科室数"
    assert say_sections("单位") == "科室" and say_sections("贵单位本期应报任务") == "贵科室本期应报任务"
    # a name keeps its 单位, and so does a sheet's own name
    assert say_sections("用人单位服务科") == "用人单位服务科" and say_sections("单位明细") == "单位明细"


def test_the_summary_book_of_a_bureaus_plan_says_科室(bureau):
    book = load_workbook(next((bureau.root / "汇总" / "2020年6月").glob("*.xlsx")))
    overview = [c for row in book["总览"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "四、各科室完成情况" in overview and "应报科室" in overview and "科室数" in overview
    assert "四、各单位完成情况" not in overview and "应报单位" not in overview
    assert "用人单位服务科" in overview  # the 科室's own name is kept
    headers = {ws.title: [c.value for c in ws[3]] for ws in book.worksheets if ws.title != "总览"}
    # by name: 江门's table has no 二级任务, which its 任务汇总 leaves out (QA 83)
    at = headers["任务汇总"].index("牵头科室")
    assert headers["任务汇总"][at:at + 2] == ["牵头科室", "配合科室"]
    assert "各科室进展" in headers["任务汇总"] and headers["任务汇总"][-1] == "未报送科室"
    # by name too: 江门's table has no 完成时限, which 滞后超期 leaves out as well (QA177)
    at = headers["滞后超期"].index("牵头科室")
    assert headers["报送情况"][0] == "科室" and headers["滞后超期"][at:at + 2] == ["牵头科室", "牵头科室状态"]
    # the sheets keep their names: 单位明细 is what every other text calls that sheet
    assert "单位明细" in book.sheetnames
    assert not any("单位" in h for hs in headers.values() for h in hs if h not in ("单位依据",)), headers


def test_the_mails_of_a_bureaus_plan_say_贵科室(bureau):
    mails = sorted(bureau.root.rglob("*.eml"))
    kinds = {p.parts[-3] if "催报邮件" in p.parts else p.relative_to(bureau.root).parts[0] for p in mails}
    assert {"下发", "反馈", "2020年6月"} <= kinds, mails  # issue, reply and reminder drafts
    for path in mails:
        _, body = _body(path)
        assert "贵科室" in body and "贵单位" not in body, (path.name, body)
    _, body = _body(next(p for p in mails if "用人单位服务科" in p.name and "反馈" in p.parts))
    assert "用人单位服务科" in body  # the name filled in is kept


def test_a_template_says_科室_in_its_own_words_only(tmp_path):
    template = tmp_path / "t.txt"
    template.write_text("主题：{{ unit }}\n{{ unit }}：\n贵单位请报送。{{ note }}\n", encoding="utf-8")
    context = {"unit": "用人单位服务科", "note": "督促各单位落实。"}
    assert render_mail_template(template, context, sections=True) == \
        ("用人单位服务科", "用人单位服务科：\n贵科室请报送。督促各单位落实。\n")
    assert render_mail_template(template, context) == ("用人单位服务科", "用人单位服务科：\n贵单位请报送。督促各单位落实。\n")


def test_a_government_plans_mails_keep_贵单位(issued_ws, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(issued_ws.root, root)
    from toolkit.workspace import find_workspace

    ws = find_workspace(root)
    issue_returns(ws, "2022-06", units=["石龙镇"], emails=True, out=tmp_path / "out")
    _, body = _body(next((tmp_path / "out").glob("*.eml")))
    assert "贵单位" in body and "贵科室" not in body


# ---------------------------------------------------------------------------- a table without 一级/二级/工作任务

DAZHU = CORPUS / "dazhu_mssx_2016.docx"


def _form(master, unit: str, monkeypatch=None, **kwargs) -> bytes:
    import datetime as dt
    import io

    from toolkit.period import Period
    from toolkit.resources import resource
    from toolkit.returns import build_return
    from toolkit.style import load_style

    wb = build_return(master, unit, Period(2016, 6), dt.date(2016, 7, 5), "2016年民生实事",
                      load_style(resource("templates", "样式.toml")), generated_at=dt.datetime(2016, 7, 1), **kwargs)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _check(master, data: bytes):
    from toolkit.checks import CheckContext, check_return
    from toolkit.period import Period
    from toolkit.settings import Limits

    return check_return(data, "县住建局.xlsx", CheckContext(master, Limits(), period=Period(2016, 6)))


DONE = Answer(status="已完成", progress=100, work="已全面完成。", evidence="竹住建〔2016〕8号")


def test_a_table_without_task_names_gets_a_form_without_their_empty_columns():
    """大竹's table has no 一级任务, 二级任务 nor 工作任务: its forms printed three empty columns."""
    import io

    from toolkit.master.importer import import_master
    from toolkit.returns import HEADERS, SHEET

    master = import_master(DAZHU)
    data = _form(master, "县住建局")
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    assert [sheet.column_dimensions[c].hidden for c in "BCDE"] == [True, True, True, False]
    # the contract's header row, every column in its place: read as every form is
    assert tuple(c.value for c in sheet[4]) == HEADERS
    # 填报单位 and the other labels stand in the columns left to see, each value the first
    # column to see right of it (laid out by `form_layout.lay_out` since QA 83)
    assert (sheet["A2"].value, sheet["E2"].value, sheet["F2"].value, sheet["I2"].value) == \
        ("填报单位", "县住建局", "填报期", "报送截止")
    assert [sheet[c].value for c in ("A3", "F3", "I3", "K3")] == ["填报人", "联系电话", "审核人", "填报日期"]
    assert not any(sheet[f"{c}{r}"].value for c in "BCD" for r in (2, 3))
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.orientation == "landscape"
    report = _check(master, fill_return(data, Filling(default=DONE)))
    assert report.outcome == "采纳" and report.unit == "县住建局" and report.issues == [], report.issues
    # a table with task names keeps its form as it was
    seed = import_master(Path(__file__).parent.parent / "workbooks" / "任务分工表.docx")
    sheet = load_workbook(io.BytesIO(_form(seed, "市公安局")))[SHEET]
    assert not any(sheet.column_dimensions[c].hidden for c in "BCD") and sheet["B2"].value == "市公安局"


def test_a_form_issued_before_the_narrow_one_is_still_read(monkeypatch):
    """A 大竹 form issued with the three empty columns and 填报单位 in B2 is read as before."""
    from toolkit import returns
    from toolkit.master.importer import import_master

    master = import_master(DAZHU)
    with monkeypatch.context() as m:
        m.setattr(returns, "unused_columns", lambda master: ())  # the layout of every form before
        old = _form(master, "县住建局")
    report = _check(master, fill_return(old, Filling(default=DONE)))
    assert report.outcome == "采纳" and report.unit == "县住建局" and report.issues == [], report.issues


def test_the_reply_to_a_narrow_form_keeps_its_contact_cells(tmp_path):
    from toolkit.feedback import build_feedback
    from toolkit.master.importer import import_master
    from toolkit.resources import resource
    from toolkit.returns import SHEET
    from toolkit.settings import Limits
    from toolkit.style import load_style

    master = import_master(DAZHU)
    filling = Filling(default=Answer(status="完成了吗"))
    data = fill_return(_form(master, "县住建局"), filling)
    report = _check(master, data)
    wb, located = build_feedback(master, report, data, "县住建局.xlsx", project="2016年民生实事",
                                 due=report.period.end, style=load_style(resource("templates", "样式.toml")),
                                 limits=Limits())
    sheet = wb[SHEET]
    assert (sheet["E3"].value, sheet["G3"].value, sheet["J3"].value) == ("张敏", "0769-22830000", "李强")
    assert located and all(ref for _, ref in located)
