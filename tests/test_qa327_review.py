"""QA327, a review of the day's work: a unit cell's note that took this task's own units with
it (QA326), a date's slashes read as unit separators (QA326), a Ctrl-C held while the 通报's
record waits on the ledger that a second press could not cut short (QA323), a raw GBK RFC 2231
name that made a whole mail 邮件格式损坏 (QA324), and a 整改清单's W604/W608 naming a plan's
columns (QA322)."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal

import pytest
from conftest import sheet_table

from toolkit import interrupts
from toolkit.checks import CheckContext, check_return, history_issues
from toolkit.filling import Answer, Filling, fill_return
from toolkit.mail import parse_mail
from toolkit.master import import_master
from toolkit.master.grammar import parse_departments
from toolkit.period import Period
from toolkit.report import Previous
from toolkit.resources import resource
from toolkit.returns import build_return
from toolkit.settings import Limits
from toolkit.style import load_style
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP


@pytest.mark.parametrize(("text", "entries", "note"), [
    # units given a role before the note are this task's: the note is the closing clause only
    ("市发改委牵头；各县区政府负责落实，以下不再重复", [("市发改委", LEAD), ("各县区政府", LEAD)], "以下不再重复"),
    ("市发改委牵头。各县市区政府负责，以下任务不再重复", [("市发改委", LEAD), ("各县市区政府", LEAD)], "以下任务不再重复"),
    ("市发改委牵头；县市区政府配合，以下不再列出", [("市发改委", LEAD), ("县市区政府", COOP)], "以下不再列出"),
    ("市发改委。各区政府按职责分工落实，不再赘述", [("市发改委", LEAD), ("各区政府", LEAD)], "不再赘述"),
    ("市教育局牵头，市财政局配合。各县区政府负责落实，下同，不再重复",
     [("市教育局", LEAD), ("市财政局", COOP), ("各县区政府", LEAD)], "下同，不再重复"),
    # 四川 2022: a sentence giving nobody a role is the note whole (QA326), as before
    ("市发改委牵头。具体任务均涉及相关市(州)人民政府,不再做分工,下同", [("市发改委", LEAD)],
     "具体任务均涉及相关市(州)人民政府,不再做分工,下同"),
])
def test_a_note_closing_a_sentence_of_units_with_a_role_keeps_the_units(text, entries, note):
    parsed = parse_departments(text)
    assert parsed.entries == entries
    assert parsed.problems == [f"中的“{note}”是对其后任务的说明，不是单位，未导入；"
                               "其后任务不会自动加上这些单位，如需要请在“责任分工”表中逐项补填"]


def test_a_date_s_slashes_separate_no_units():
    assert parse_departments("市发改委 2024/6/30").entries == [("市发改委", LEAD), ("2024/6/30", LEAD)]
    assert parse_departments("市发改委负责，2024/12/31前完成").entries == [
        ("市发改委", LEAD), ("2024/12/31前完成", COOP)]
    # units joined by a slash are units each (QA326), digits in their names or not
    assert parse_departments("市发改委/市财政局、12345热线/市政务服务中心").entries == [
        ("市发改委", LEAD), ("市财政局", LEAD), ("12345热线", LEAD), ("市政务服务中心", LEAD)]


def test_a_second_stop_is_not_held():
    """The held block may wait on the ledger (30 s): Ctrl-C pressed again stops at once, and
    the handler before is back."""
    before = signal.getsignal(signal.SIGINT)
    done = []
    with pytest.raises(KeyboardInterrupt), interrupts.held_stops():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("first held")
        os.kill(os.getpid(), signal.SIGINT)
        done.append("second held")
    assert done == ["first held"]
    assert signal.getsignal(signal.SIGINT) is before


def test_held_stops_put_the_handler_back_after_an_error():
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(OSError), interrupts.held_stops():
        raise OSError("disk full")
    assert signal.getsignal(signal.SIGINT) is before


def _mail(disposition: str, encoding: str) -> bytes:
    return ("Content-Type: multipart/mixed; boundary=XX\r\nSubject: t\r\nFrom: a@b.c\r\n\r\n--XX\r\n"
            "Content-Type: application/octet-stream\r\nContent-Disposition: " + disposition + "\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--XX--\r\n").encode(encoding)


@pytest.mark.parametrize(("disposition", "encoding", "name"), [
    # RFC 2231's form with its GBK bytes unescaped (an OA system's): the whole mail was 邮件格式损坏
    # (UnicodeEncodeError) since QA324, its return with it; before, its name was U+FFFD
    ("attachment; filename*=gb2312''王喆报表.xlsx", "gbk", "王喆报表.xlsx"),
    ("attachment; filename*=gb2312''%CD%F5.xlsx", "ascii", "王.xlsx"),
    ("attachment; filename=\"O'Brien's 报表.xlsx\"", "gbk", "O'Brien's 报表.xlsx"),
])
def test_a_raw_gbk_rfc_2231_name_is_read(disposition, encoding, name):
    assert [a.name for a in parse_mail(_mail(disposition, encoding)).attachments] == [name]


ROWS = [["序号", "问题类别", "存在问题", "整改措施", "责任单位", "整改时限"],
        ["1", "一、全面从严治党方面", "公务用车管理不规范。", "修订公务用车管理办法。", "局办公室", "2024年6月底前"]]


def test_a_rectification_list_s_checks_name_its_own_columns_all(tmp_path):
    """QA322 named 整改进展 and 存在困难 in E506/W510/E603, but W604 still sent the department to a
    完成时限 its form does not have (整改时限), and W608 to a 工作进展 (整改进展)."""
    master = import_master(sheet_table(tmp_path / "巡察反馈问题整改清单.xlsx", ROWS))
    june = Period(2024, 6)
    wb = build_return(master, "局办公室", june, dt.date(2024, 7, 5), master.title,
                      load_style(resource("templates", "样式.toml")), generated_at=dt.datetime(2024, 7, 1))
    out = io.BytesIO()
    wb.save(out)
    data = fill_return(out.getvalue(), Filling(default=Answer("序时推进", 50, "已起草管理办法。")))
    report = check_return(data, "局办公室.xlsx", CheckContext(master, Limits(), period=june))
    assert [i.message for i in report.issues if i.code == "W604"] == [
        "任务 1 整改时限为 2024年6月30日（即本期末），状态为“序时推进”。本期汇总按期末情况判断，期末仍未完成的计为超期。"
        "请核实是否按期完成：期末前完成的，请改选“已完成”（报送时尚未完成的，可在完成后再报送）；不能按期完成的，请改选“滞后”并说明原因。"]
    copied = history_issues(report, {"1": Previous(40, "2024年5月", "序时推进", "已起草管理办法。")}, master)
    assert [i.message for i in copied if i.code == "W608"] == [
        "任务 1 的“整改进展”与上期（2024年5月）采纳的报送完全相同。请填写本期的新进展和计划；确无变化的，请写明原因。"]


def test_a_unit_the_directory_names_with_a_slash_stays_one(tmp_path):
    """市委宣传部/市新闻办 is one unit of the workspace's 单位名录 (QA54 names units so): the cell
    that names it was cut in two new units, given the task and named 未报送 (QA326's slash)."""
    from toolkit.units import Directory, Unit

    directory = Directory([Unit("市委宣传部/市新闻办", "市直部门"), Unit("市发改委", "市直部门"),
                           Unit("市财政局", "市直部门"), Unit("市委网信办/市互联网信息办/市网安办", "市直部门")], "")
    rows = [["序号", "工作任务", "责任单位", "完成时限"],
            ["1", "做好政策宣传。", "市委宣传部/市新闻办牵头，市财政局配合", "2024年底前"],
            ["2", "落实资金。", "市发改委/市财政局", "2024年底前"],
            ["3", "做好网络安全。", "市委网信办／市互联网信息办／市网安办", "2024年底前"]]
    master = import_master(sheet_table(tmp_path / "t.xlsx", rows), directory)
    assert sorted((a.task, a.unit, a.role.value) for a in master.assignments) == [
        ("1", "市委宣传部/市新闻办", "牵头"), ("1", "市财政局", "配合"),
        ("2", "市发改委", "牵头"), ("2", "市财政局", "牵头"), ("3", "市委网信办/市互联网信息办/市网安办", "牵头")]
    assert sorted(u.name for u in master.directory.units) == sorted(u.name for u in directory.units)
