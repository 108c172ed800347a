"""Unit names that Windows cannot put in a file name (a QA helper's scenario).

Offices name units as they are written: 市委宣传部/市新闻办, 县"两新"工委, A:B, names of
forty characters and more. duban writes a file per unit (下发, 反馈, 催报): each must stay in
its folder with a name Windows accepts, still name its unit, and keep its reply recorded
under the unit (so `mail send feedback` and `remind --attach` find it). A unit listed twice
on one task (an exact copy of a 责任分工 row, or its name typed with half-width brackets)
gets the task once on its form, else its own correct return is refused (E403).
"""
from __future__ import annotations

import email
import re
from email import policy

from conftest import PERIOD, drop, on_time
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.remind import write_reminders
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.returns import return_filename

ODD = {  # seed unit -> the name an office might give it
    "市府办": "市委宣传部/市新闻办",
    "市民政局": "A:B",
    "市司法局": '县"两新"工委',
    "市林业局": "*",
    "市残联": "?",
    "市医保局": "市医保局.",
    "东莞市税务局": "CON",
    "南城街道": "南城街道🏛",
    "东城街道": "东城街道\\二区",
    "市市场监管局": "市场监管局<知识产权局>|",
}
LONG = "东莞市投资促进局暨东莞市对外经济合作服务中心和东莞市外商投资企业服务中心联合办公室（东莞市招商引资工作领导小组办公室）"
LONG2 = LONG.replace("（东莞市招商引资", "（东莞市重大项目")  # same first 60 characters
WRONG = Filling(default=Answer(status="乱填"))
_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])")


def windows_trouble(name: str) -> str | None:
    """Why Windows (or a 255-byte file system) would refuse ``name`` as one path component."""
    if re.search(r'[<>:"/\\|?*\x00-\x1f]', name):
        return "forbidden character"
    if name.endswith((".", " ")):
        return "ends with a dot or space"
    if _RESERVED.fullmatch(name.split(".")[0].rstrip(" ")):
        return "reserved device name"
    if len(name.encode("utf-16-le")) // 2 > 255 or len(name.encode()) > 255:
        return "too long for one name"
    return None


def rename_units(ws, names: dict[str, str]) -> None:
    """What a coordinator does in Excel: the new names in 责任分工 and 单位名录."""
    wb = load_workbook(ws.master_path)
    for row in wb["责任分工"].iter_rows(min_row=2):
        if row[1].value in names:
            row[1].value = names[row[1].value]
    for i, row in enumerate(wb["单位名录"].iter_rows(min_row=2)):
        if row[0].value in names:
            row[0].value, row[1].value = names[row[0].value], None
        row[5].value = f"unit{i}@dg.example.cn"
    wb.save(ws.master_path)


def files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_issued_forms_and_drafts_have_names_windows_accepts_and_stay_in_their_folder(ws):
    rename_units(ws, {**ODD, "市投资促进局": LONG, "市金融工作局": LONG2})
    units = [*ODD.values(), LONG, LONG2]
    result = issue_returns(ws, PERIOD, units=units, emails=True)
    folder = ws.root / "下发" / PERIOD.label
    written = files_under(folder)
    assert len(written) == 2 * len(units), [str(p.relative_to(folder)) for p in written]
    for path in written:
        assert path.parent == folder, f"{path.relative_to(folder)} left its folder"
        assert windows_trouble(path.name) is None, (path.name, windows_trouble(path.name))
    # each unit's own form is where return_filename says, and its mail attaches it by that name
    for unit in units:
        form = folder / return_filename(PERIOD, unit)
        assert form in result.files, unit
        meta = {r[0]: r[1] for r in load_workbook(form)["_meta"].iter_rows(values_only=True)}
        assert meta["department"] == unit
        mail = email.message_from_bytes(form.with_suffix(".eml").read_bytes(), policy=policy.default)
        assert [a.get_filename() for a in mail.iter_attachments()] == [form.name]


def test_long_names_sharing_a_beginning_get_two_files_within_windows_max_path(ws):
    rename_units(ws, {"市投资促进局": LONG, "市金融工作局": LONG2})
    issue_returns(ws, PERIOD, units=[LONG, LONG2])
    a, b = return_filename(PERIOD, LONG), return_filename(PERIOD, LONG2)
    assert a != b
    # a workspace at a typical depth: C:\Users\张三\Desktop\2024年督办\… (60 characters)
    workspace = "C:\\Users\\张三\\Desktop\\2024年督办\\" + "东莞市政务服务全域标准化专项行动工作区" + "x" * 12
    workspace = workspace[:60]
    for name in (a, b):
        for rel in (f"下发\\{PERIOD.label}\\{name}", f"反馈\\{PERIOD.label}\\2022-07-06\\{name}"):
            assert len(f"{workspace}\\{rel}".encode("utf-16-le")) // 2 < 260, rel


def test_reply_to_a_unit_named_with_a_slash_is_recorded_under_it_and_reminded_with_it(ws):
    unit, quoted = "市委宣传部/市新闻办", '县"两新"工委'
    rename_units(ws, ODD)
    issue_returns(ws, PERIOD, units=[unit, quoted])
    folder = ws.root / "下发" / PERIOD.label
    drop(ws, "宣传部.xlsx", fill_return(folder / return_filename(PERIOD, unit), WRONG), on_time())
    drop(ws, "两新.xlsx", fill_return(folder / return_filename(PERIOD, quoted), WRONG), on_time())
    result = collect(ws)
    assert result.returned == 2
    replies = ws.root / "反馈" / PERIOD.label
    for path in files_under(replies):
        assert path.parent.parent == replies, f"{path.relative_to(replies)} left its day's folder"
        assert windows_trouble(path.name) is None, path.name
    with Ledger(ws.ledger_path) as ledger:
        recorded = {d.unit for d in ledger.drafts("feedback", PERIOD)}
    assert recorded == {unit, quoted}  # `mail send feedback` sends what is recorded
    reminded = write_reminders(ws, PERIOD, attach=True)
    mine = {u: p for p, (u, _) in zip(reminded.files, reminded.units)}
    for name in (unit, quoted):
        path = mine[name]
        assert path.parent == reminded.folder and windows_trouble(path.name) is None, path
        mail = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        # the unit asked to fix its return gets its own file with the errors marked
        assert next(a.get_filename() for a in mail.iter_attachments()).endswith("_校验反馈.xlsx"), name


def test_a_unit_listed_twice_on_a_task_gets_it_once_and_its_return_is_taken(ws):
    wb = load_workbook(ws.master_path)
    rows = wb["责任分工"]
    rows.append(["2.1", "市公安局", "牵头", "明确"])  # a row pasted twice in Excel
    rows.append(["1.1", "市政数局", "配合", "明确"])  # the lead again, under its short name
    for row in wb["单位名录"].iter_rows(min_row=2):  # the same name with half-width brackets
        if row[0].value == "市公共资源交易中心":
            row[0].value = "市住房公积金管理中心(分中心)"
        if row[0].value == "市住房公积金管理中心":
            row[0].value = "市住房公积金管理中心（分中心）"
    for row in rows.iter_rows(min_row=2):
        if row[1].value == "市公共资源交易中心":
            row[1].value = "市住房公积金管理中心(分中心)"
        if row[1].value == "市住房公积金管理中心":
            row[1].value = "市住房公积金管理中心（分中心）"
    wb.save(ws.master_path)
    twin = "市住房公积金管理中心（分中心）"
    units = ["市公安局", "市政务服务数据管理局", twin]
    issue_returns(ws, PERIOD, units=units)
    master = ws.load_master()
    units = [master.directory.resolve(u) for u in units]  # the twins are one unit
    folder = ws.root / "下发" / PERIOD.label
    for unit in units:
        ids = [t.id for t, _ in master.tasks_of(unit)]
        assert len(ids) == len(set(ids)), (unit, ids)
        form = load_workbook(folder / return_filename(PERIOD, unit))["进展填报"]
        listed = [r[0] for r in form.iter_rows(min_row=5, values_only=True) if r[0]]
        assert len(listed) == len(set(listed)), (unit, listed)
        drop(ws, f"{unit}.xlsx", fill_return(folder / return_filename(PERIOD, unit), Filling()), on_time())
    assert {t.id: r for t, r in master.tasks_of("市政务服务数据管理局")}["1.1"] == "牵头"
    result = collect(ws)
    assert (result.accepted, result.returned) == (3, 0), [
        (it.name, [(i.code, i.message) for i in it.report.issues]) for it in result.items if it.report]
