"""Reminders that name their tasks, old forms found by `remind --attach`, and quotes of
either shape in a return's file name (a QA helper's scenario).

* A master from another city often has no 工作任务 column (the task is written whole in
  重点工作 or 具体任务): the 催报 draft names each task as the 汇总表 and the 通报 do
  (`text.task_title`), not by its number alone.
* A form issued before unit names went through `text.name_part` kept the name as typed
  (市委宣传部/市新闻办 made a subfolder): `remind --attach` still attaches it, and never a
  file that is another unit's form.
* 县“两新”工委 in a file name names the unit listed as 县"两新"工委, and the reverse, as
  （） and () already did; two units listed under both spellings are never taken for one.
"""
from __future__ import annotations

import email
import shutil
from email import policy

import pytest
from conftest import PERIOD, drop, on_time
from openpyxl import load_workbook
from test_evidence import mail, receipts
from test_qa54_unit_names import rename_units

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.remind import write_reminders
from toolkit.evidence import unit_in_names
from toolkit.returns import return_filename
from toolkit.text import key, name_part, safe_filename, task_title
from toolkit.units import Directory, Unit

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def reminder(result, unit: str) -> email.message.EmailMessage:
    path = next(p for p, (u, _) in zip(result.files, result.units) if u == unit)
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content()


# ---------------------------------------------------------------------------
# 1. the reminder names each task


def test_a_reminder_names_tasks_that_have_no_工作任务_by_their_content(ws):
    wb = load_workbook(ws.master_path)
    sheet = wb["任务清单"]
    col = next(c.column for c in sheet[1] if c.value == "工作任务")
    content = {}
    for row in sheet.iter_rows(min_row=2):
        content[str(row[0].value)] = row[col].value  # 具体工作内容, the column after
        row[col - 1].value = None
    wb.save(ws.master_path)
    issue_returns(ws, PERIOD, units=["石龙镇"])
    body = text_of(reminder(write_reminders(ws, PERIOD), "石龙镇"))
    title = task_title("", content["1.2"])
    assert title and f"1.2（牵头）{title}，完成时限：" in body, body


def test_a_task_without_a_deadline_is_said_to_have_none(ws):
    wb = load_workbook(ws.master_path)
    sheet = wb["任务清单"]
    col = next(c.column for c in sheet[1] if c.value == "完成时限")
    for row in sheet.iter_rows(min_row=2):
        if str(row[0].value) == "1.2":
            row[col - 1].value = None
    wb.save(ws.master_path)
    issue_returns(ws, PERIOD, units=["石龙镇"])
    body = text_of(reminder(write_reminders(ws, PERIOD), "石龙镇"))
    line = next(x for x in body.splitlines() if x.startswith("1.2（牵头）"))
    assert line.endswith("，完成时限：未明确"), line


def test_a_reminder_still_names_a_task_by_its_工作任务(ws):
    issue_returns(ws, PERIOD, units=["石龙镇"])
    task = next(t for t in ws.load_master().tasks if t.id == "1.2")
    body = text_of(reminder(write_reminders(ws, PERIOD), "石龙镇"))
    assert task.name and f"1.2（牵头）{task.name}，完成时限：" in body


# ---------------------------------------------------------------------------
# 2. forms issued under the name as typed


ODD = {"市府办": "市委宣传部/市新闻办", "市民政局": "A:B", "市司法局": '县"两新"工委'}


def issue_the_old_way(ws, units) -> dict[str, bytes]:
    """What versions before `name_part` left in 下发/<期>/: <期>_<单位>_进展填报表.xlsx as typed."""
    folder = ws.root / "下发" / PERIOD.label
    issue_returns(ws, PERIOD, units=units)
    forms = {}
    for unit in units:
        old = folder / f"{PERIOD.label}_{unit}_进展填报表.xlsx"
        old.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(folder / return_filename(PERIOD, unit), old)
        forms[unit] = old.read_bytes()
    return forms


def test_remind_attach_finds_a_form_issued_under_the_name_as_typed(ws):
    rename_units(ws, ODD)
    forms = issue_the_old_way(ws, list(ODD.values()))
    assert (ws.root / "下发" / PERIOD.label / f"{PERIOD.label}_市委宣传部").is_dir()  # the old subfolder
    result = write_reminders(ws, PERIOD, attach=True)
    for unit, data in forms.items():
        msg = reminder(result, unit)
        # attached under today's name: the subfolder's file is called 市新闻办_进展填报表.xlsx
        assert [(a.get_filename(), a.get_content()) for a in msg.iter_attachments()] == [
            (return_filename(PERIOD, unit), data)], unit
        assert "空白填报表见附件" in text_of(msg)


def test_remind_attach_never_attaches_another_units_form_found_under_the_old_name(ws):
    unit, other = ODD["市府办"], "市民政局"
    rename_units(ws, {"市府办": unit})
    issue_returns(ws, PERIOD, units=[unit, other])
    folder = ws.root / "下发" / PERIOD.label
    (folder / return_filename(PERIOD, unit)).unlink()
    # another unit's form where the old spelling of this unit's would be
    stray = folder / f"{PERIOD.label}_{unit}_进展填报表.xlsx"
    stray.parent.mkdir(parents=True)
    shutil.copy(folder / return_filename(PERIOD, other), stray)
    result = write_reminders(ws, PERIOD, attach=True)
    msg = reminder(result, unit)
    assert list(msg.iter_attachments()) == [] and "见附件" not in text_of(msg)
    assert [a.get_filename() for a in reminder(result, other).iter_attachments()] == [
        return_filename(PERIOD, other)]


# ---------------------------------------------------------------------------
# 3. quotes and brackets of either shape in a file name


@pytest.mark.parametrize("listed, named", [
    ('县"两新"工委', "县“两新”工委"), ("县“两新”工委", '县"两新"工委'), ("县“两新”工委", "县＂两新＂工委"),
    ("县'三农'办", "县‘三农’办"), ("县‘三农’办", "县'三农'办"),
    ("市委（市政府）办公室", "市委(市政府)办公室"), ("市委(市政府)办公室", "市委（市政府）办公室"),
])
def test_a_file_name_names_its_unit_whatever_the_shape_of_its_quotes(listed, named):
    directory = Directory([Unit(listed), Unit("工委"), Unit("市公安局")])
    for name in (f"2022年6月_{named}_进展填报表", f"2022年6月_{listed}_进展填报表"):
        assert unit_in_names([name], directory) == listed
        assert unit_in_names([safe_filename(name + ".xlsx")[:-5]], directory) == listed  # as collect sees it
    # an alias too
    directory = Directory([Unit("市委组织部", aliases=(listed,)), Unit("工委")])
    assert unit_in_names([f"{named}.xlsx"], directory) == "市委组织部"


def test_two_units_listed_with_either_quote_are_never_taken_for_one():
    curly, straight = "县“两新”工委", '县"两新"工委'
    directory = Directory([Unit(curly), Unit(straight)])
    assert unit_in_names([f"{curly}报送"], directory) == curly
    assert unit_in_names([f"{straight}报送"], directory) == straight
    assert unit_in_names([safe_filename(f"{straight}报送")], directory) == straight
    # a third shape names neither of the two, and never a third unit (second review)
    assert unit_in_names(["县「两新」工委.xlsx"], Directory([Unit(curly), Unit(straight), Unit("县两新办")])) is None
    # single quotes and corner brackets are quotes too: never the unit 两新 inside the name (review)
    for named in ("县‘两新’工委", "县「两新」工委", "县『两新』工委"):
        assert unit_in_names([f"{named}.xlsx"], Directory([Unit(curly), Unit("两新")])) == curly


def test_key_keeps_curly_quotes_apart_from_straight_ones():
    """`key` hashes task texts into every issued form's _meta (text_hash, the master's
    fingerprint): folding “” there would make every form with “放管服” W405 after an update."""
    assert key("“放管服”") != key('"放管服"')


@pytest.mark.parametrize("listed, named, by_mail", [
    ('县"两新"工委', '县"两新"工委', True),   # the very name: its " used to become _
    ('县"两新"工委', "县“两新”工委", False),
    ("县“两新”工委", '县"两新"工委', True),
    ("A:B", "A:B", True),
])
def test_collect_takes_the_unit_from_a_file_name_with_quotes_of_either_shape(ws, listed, named, by_mail):
    rename_units(ws, {"市司法局": listed})
    issue_returns(ws, PERIOD, units=[listed])
    name = f"2022年6月_{named}_进展填报表.pdf"
    if by_mail:  # a name with " or : arrives as a mail's attachment (Windows takes no such file)
        drop(ws, "来信.eml", mail([(name, PDF)], sender="someone@qq.example", subject="报送"))
    else:
        drop(ws, name, PDF, on_time())
    collect(ws)
    [rec] = [r for r in receipts(ws) if r.name.endswith(".pdf")]
    assert (rec.unit, rec.identified_by) == (listed, "文件名"), rec.name
    assert rec.name == safe_filename(name) and key(rec.name) == key(name_part(name))


def test_a_mail_attachment_named_with_a_slash_is_one_name_not_a_path(ws):
    """A sender on Linux can name an attachment 2022年6月_市委宣传部/市新闻办_进展填报表.pdf: it
    named 市新闻办 (another unit) once its "folder" was cut off (review)."""
    rename_units(ws, {"市司法局": "市委宣传部/市新闻办", "市民政局": "市新闻办"})
    name = "2022年6月_市委宣传部/市新闻办_进展填报表.pdf"
    drop(ws, "来信.eml", mail([(name, PDF)], sender="someone@qq.example", subject="报送"))
    collect(ws)
    [rec] = [r for r in receipts(ws) if r.name.endswith(".pdf")]
    assert (rec.unit, rec.identified_by) == ("市委宣传部/市新闻办", "文件名"), rec.name
    assert rec.name == "2022年6月_市委宣传部／市新闻办_进展填报表.pdf"


def test_a_mail_attachment_sent_as_a_whole_path_keeps_its_last_part(ws):
    """Some clients send the sender's whole path: its folders name no unit (second review)."""
    rename_units(ws, {"市民政局": "市政务服务数据管理局下发"})
    name = "C:\\Users\\admin\\Desktop\\市政务服务数据管理局下发\\2022年6月_东城街道_进展填报表.pdf"
    drop(ws, "来信.eml", mail([(name, PDF)], sender="someone@qq.example", subject="报送"))
    collect(ws)
    [rec] = [r for r in receipts(ws) if r.name.endswith(".pdf")]
    assert (rec.unit, rec.name) == ("东城街道", "2022年6月_东城街道_进展填报表.pdf")
