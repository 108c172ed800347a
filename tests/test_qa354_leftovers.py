"""QA354: leftovers of earlier reviews, each as the office met it.

A. `duban status -o 报送情况.csv` (and `master import --out`, `issue --out`) said the path as typed,
   relative to the shell's folder: a coordinator who double-clicked could not find it. Said whole.
B. `duban mail send --dry-run` refused without [mail]'s sending settings, though a dry run sends
   nothing: it lists what would go, then says what a real send lacks (exit 1).
C. `duban init --force` whose copy of the old duban.toml / 任务分工表.xlsx cannot be made stopped with
   the import's words (没有导入); now init's own. `--force`'s help says what it keeps.
D. `duban remind` tells the units asked by a date (still on time: 【提醒】) from those chased, and how
   to chase the month before while none of this one is late; 4-发送邮件's 反馈 and 催报 offer that
   month on Enter (`duban period --for-chase`).
E. `duban mail send remind` run alone, days after `remind`, sent "请于7月5日前报送" on the 6th; a 反馈
   left unsent asked for a correction by a day gone by. Such drafts are not sent; the line says how
   to write them again.
"""
from __future__ import annotations

import datetime as dt
import errno

import pytest
from conftest import drop, on_time
from test_mail_send import give_emails
from test_qa266_who_is_chased import WRONG

from toolkit import office_edits
from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.period import Period

SZ, GA, HM = "市政务服务数据管理局", "市公安局", "虎门镇"
SMTP_UNSET = ('duban.toml 的 [mail] 中没有设置 smtp_host、user，无法发送邮件。请用记事本打开 duban.toml，在 [mail] 中'
              '加上发信服务器和邮箱账号（smtp_host = "smtp.xxx.gov.cn"、imap_host = "imap.xxx.gov.cn"、'
              'user = "dbb@xxx.gov.cn"）。')
DRY = "演练：没有连接发信服务器，没有发送任何邮件。"


# A ---------------------------------------------------------------------------------------------

def test_status_out_says_the_whole_path_as_master_import_does(issued_ws, tmp_path, run):
    desk = tmp_path / "桌面"
    desk.mkdir()
    said = run(["-w", str(issued_ws.root), "status", "-o", "报送情况.csv"], cwd=desk)
    assert said.exit_code == 0, said.output
    assert said.output.splitlines()[0] == f"2022年6月报送情况已写入：{desk.resolve() / '报送情况.csv'}"
    assert (desk / "报送情况.csv").is_file()
    imported = run(["master", "import", str(issued_ws.master_path), "--out", "清单.xlsx"], cwd=desk)
    assert imported.exit_code == 0, imported.output
    assert imported.output.splitlines()[-1] == f"已写入：{desk.resolve() / '清单.xlsx'}"


# B ---------------------------------------------------------------------------------------------

def test_a_dry_run_lists_without_the_sending_settings_and_says_what_a_send_lacks(issued_ws, collecting_on, run):
    give_emails(issued_ws, {SZ: "sz@dg.example.cn", GA: "ga@dg.example.cn"})
    collecting_on(dt.date(2022, 7, 6))
    assert run(["-w", str(issued_ws.root), "remind"]).exit_code == 0
    dry = run(["-w", str(issued_ws.root), "mail", "send", "remind", "--dry-run"])
    assert dry.exit_code == 1, dry.output
    lines = dry.output.splitlines()
    # no 发件人, no server: none is set
    assert lines[0].startswith("2022年6月 催报邮件：待发送 2 封（共 ") and lines[0].endswith("KB）。"), lines[0]
    assert lines[1:3] == [f"  {SZ} → sz@dg.example.cn；无附件", f"  {GA} → ga@dg.example.cn；无附件"]
    assert lines[-2:] == [DRY, SMTP_UNSET]
    real = run(["-w", str(issued_ws.root), "mail", "send", "remind"])
    assert real.exit_code == 2 and real.output == f"错误：{SMTP_UNSET}\n"


# C ---------------------------------------------------------------------------------------------

def _full_for(suffix: str):
    """`office_edits._copy` failing (a full disk) for the copies ending in ``suffix``."""
    real = office_edits._copy

    def copy(src, dst):
        if str(dst).endswith(suffix):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    return copy


@pytest.mark.slow  # plays a month (issue, remind) or an init: out of the quick loop
def test_init_force_that_cannot_keep_a_copy_says_so_in_its_own_words(tmp_path, run, monkeypatch):
    root = tmp_path / "ws"
    assert run(["init", str(root), "--period", "2022-06"]).exit_code == 0
    config = root / "duban.toml"
    mine = config.read_text(encoding="utf-8") + '\n# 王明\n'
    config.write_text(mine, encoding="utf-8")
    monkeypatch.setattr(office_edits, "_copy", _full_for(".toml"))
    said = run(["init", str(root), "--period", "2022-06", "--force"])
    assert said.exit_code == 2, said.output
    line = said.output.splitlines()[-1]
    assert line.startswith("错误：“duban.toml”原样保留，没有重建：重建前要先把它另存一份，但"), line
    assert "导入" not in line and config.read_text(encoding="utf-8") == mine
    # the master, written first, was rebuilt and its copy kept: named where duban.toml's fails
    from openpyxl import load_workbook

    wb = load_workbook(root / "任务分工表.xlsx")
    wb["任务清单"]["B2"] = "改过的一级任务"
    wb.save(root / "任务分工表.xlsx")
    said = run(["init", str(root), "--period", "2022-06", "--force"])
    assert said.exit_code == 2, said.output
    [kept] = [p for p in root.iterdir() if office_edits.is_kept_copy(p)]
    assert said.output.splitlines()[-1].startswith(
        f"错误：“duban.toml”原样保留，没有重建（“{kept.name}”已另存，任务分工表已重建）：重建前要先把它另存一份，但")


def test_init_force_help_says_what_it_keeps(run):
    helped = run(["init", "--help"]).output
    assert "原duban.toml、任务分工表.xlsx与新的不同时，先在同一文件夹另存为“（旧版，…保存）”的副本" in "".join(helped.split())


# D ---------------------------------------------------------------------------------------------

@pytest.mark.slow  # plays a month (issue, remind) or an init: out of the quick loop
def test_remind_tells_reminders_from_chasing(issued_ws, collecting_on, make_return, run):
    drop(issued_ws, "虎门镇.xlsx", make_return(HM, WRONG), on_time())
    collecting_on(dt.date(2022, 7, 1))
    collect(issued_ws)
    said = run(["-w", str(issued_ws.root), "remind"])
    assert said.exit_code == 0, said.output
    lines = said.output.splitlines()
    # after the list of units; 虎门镇, sent back, is asked to correct: 【催报】 whatever its date
    assert f"  退回待改 {HM}" in lines[1:55] and lines[55:57] == [
        "其中提醒 53 个单位：报送尚未截止，草稿请其于2022年7月5日前报送（【提醒】），不催其尽快报送。",
        "催报 1 个单位：已过截止日期或退回待改（【催报】）。"]
    collecting_on(dt.date(2022, 7, 6))  # every unit past the deadline: chased, nothing to tell apart
    said = run(["-w", str(issued_ws.root), "remind"])
    assert "提醒" not in said.output and "催报 1 个单位" not in said.output


@pytest.mark.slow  # plays a month (issue, remind) or an init: out of the quick loop
def test_the_month_just_issued_points_to_the_one_chased_and_4_offers_it(issued_ws, collecting_on, run):
    """7 July, July's forms out (due 5 August): July's reminders ask by that date; June's returns,
    due on the 5th, are the ones chased, and 4-发送邮件's 反馈 and 催报 offer June on Enter."""
    collecting_on(dt.date(2022, 7, 7))
    issue_returns(issued_ws, Period.parse("2022-07"))
    root = str(issued_ws.root)
    said = run(["-w", root, "remind"])
    assert said.exit_code == 0, said.output
    lines = said.output.splitlines()
    at = lines.index("  未报送（尚未截止） 松山湖高新区")
    assert lines[at + 1:at + 3] == [
        "其中提醒 54 个单位：报送尚未截止，草稿请其于2022年8月5日前报送（【提醒】），不催其尽快报送。",
        "本期还没有单位过了截止日期。如要催报上一期（2022年6月）尚未报送的单位，请运行 duban remind --period 2022-06"
        "（双击“4-发送邮件”选 3 催报时，直接回车即为上一期）。"]
    assert run(["-w", root, "period", "--for-chase"]).output == "2022-06\n"
    assert run(["-w", root, "period"]).output == "2022-07\n"
    collecting_on(dt.date(2022, 8, 1))  # July has ended: its returns are the ones coming in
    assert run(["-w", root, "period", "--for-chase"]).output == "2022-07\n"


def test_for_chase_is_the_current_month_when_the_one_before_never_went_out(issued_ws, collecting_on, run):
    collecting_on(dt.date(2022, 6, 20))
    assert run(["-w", str(issued_ws.root), "period", "--for-chase"]).output == "2022-06\n"


# E ---------------------------------------------------------------------------------------------

def _passed_on(run, collecting_on, root: str, kind: str, last: dt.date, after: dt.date) -> str:
    """`mail send <kind> --dry-run` lists the drafts on ``last``, the day they ask by, and on
    ``after`` sends none (exit 1): the first line of what it says then."""
    collecting_on(last)
    assert "待发送" in run(["-w", root, "mail", "send", kind, "--dry-run"]).output
    collecting_on(after)
    dry = run(["-w", root, "mail", "send", kind, "--dry-run"])
    assert dry.exit_code == 1 and "待发送" not in dry.output, dry.output
    return dry.output.splitlines()[0]


@pytest.mark.slow  # plays a month (issue, remind) or an init: out of the quick loop
def test_reminders_whose_date_passed_are_not_sent_until_written_again(issued_ws, collecting_on, run):
    give_emails(issued_ws, {SZ: "sz@dg.example.cn", GA: "ga@dg.example.cn"})
    root = str(issued_ws.root)
    collecting_on(dt.date(2022, 7, 4))
    assert run(["-w", root, "remind"]).exit_code == 0  # 【提醒】请于2022年7月5日前报送
    first = _passed_on(run, collecting_on, root, "remind", dt.date(2022, 7, 5), dt.date(2022, 7, 6))  # the 5th: true
    # the 52 units with no 邮箱 are said so first, their date too (QA358); the two with one by their date
    assert first.startswith("没有收件人、不发送的 52 封：市府办、"), first
    assert f"草稿中“请于…前报送”的日期已过、不发送的 2 封：{SZ}（2022年7月5日前）、{GA}（2022年7月5日前）。" in run(
        ["-w", root, "mail", "send", "remind", "--dry-run"]).output
    assert run(["-w", root, "remind"]).exit_code == 0  # written again: 尽快
    again = run(["-w", root, "mail", "send", "remind", "--dry-run"]).output
    assert "待发送 2 封" in again and "日期已过" not in again


def test_a_reply_whose_correction_date_passed_is_not_sent(issued_ws, collecting_on, make_return, run):
    give_emails(issued_ws, {HM: "hm@dg.example.cn"})
    drop(issued_ws, "虎门镇.xlsx", make_return(HM, WRONG), on_time())
    collecting_on(dt.date(2022, 7, 6))  # past the deadline: the reply asks by 3 working days on
    collect(issued_ws)
    root = str(issued_ws.root)
    first = _passed_on(run, collecting_on, root, "feedback", dt.date(2022, 7, 11), dt.date(2022, 7, 12))
    assert first == (
        f"草稿中要求重新报送的日期已过、不发送的 1 封：{HM}（2022年7月11日前）。如这些单位仍未改报，请运行 "
        "duban mail send feedback --renew，按今天重新生成反馈邮件和标出错误的表格（改报日期从今天起算，是否按时改报按新的"
        "日期判断）后发送；或用邮件客户端打开该单位的反馈邮件草稿，改写日期后发出。")  # QA358: remind --attach's was stale
