"""Issue 12: every file accounted for — the right unit, the right time, the right version.

Each test plants one situation a coordinator meets in a real month and asserts what the
coordinator sees: 报送状态 (consolidate / `duban status`), the 收件登记 rows, the 校验问题
codes and the reply draft written for the right unit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.header
import email.policy
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from conftest import PERIOD, drop, edit, encrypted, on_time, shanghai
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.checks import CheckContext, check_return
from toolkit.consolidate import consolidate
from toolkit.dates import cn_date, resubmit_by
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.vocab import TimeSource, UnitState

FOREIGN = Path(__file__).parent / "corpus" / "foreign"
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
JUNE = "2022年6月"
ZT_NAME = "2022年6月_中堂镇_进展填报表"
TOWNS = ("石龙镇", "中堂镇", "石排镇", "虎门镇")


#: Product names and file extensions a Chinese user sees anyway; any other ASCII word of four
#: letters or more in a message is a library's English leaking through.
ALLOWED_WORDS = {"excel", "numbers", "office", "libreoffice", "calc", "duban", "apple", "google", "sheets",
                 "microsoft", "html", "xlsx", "xlsm", "xlsb", "docx", "json", "toml"}


def english(message: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{4,}", message) if w.lower() not in ALLOWED_WORDS}


def clean() -> Filling:
    """Answers that raise no issue for a town (its only task due by June is 1.2)."""
    return Filling(answers={"1.2": DONE})




def refused(kind: str, make_return) -> bytes:
    """What departments really send that cannot be read as a return."""
    good = make_return("中堂镇", clean())
    return {
        "encrypted": encrypted(good),
        "damaged": good[: len(good) // 2],
        "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        "et": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\0" * 600,
    }[kind]


def receipts(ws) -> list:
    with Ledger(ws.ledger_path) as ledger:
        return ledger.receipts()


def issue_codes(ws, receipt_id: int) -> list[str]:
    with Ledger(ws.ledger_path) as ledger:
        return [i.code for i in ledger.issues_of(receipt_id)]


def state(ws, unit: str, period: str = "2022-06") -> str:
    return next(u.state for u in consolidate(ws, Period.parse(period)).units if u.unit == unit)


def reply_path(ws, unit: str, period: Period = PERIOD) -> Path:
    """The unit's live reply draft (反馈/<期>/<收取日期>/<单位>_校验反馈.eml)."""
    found = sorted((ws.root / "反馈" / period.label).glob(f"*/{unit}_校验反馈.eml"))
    return found[-1] if found else ws.root / "反馈" / period.label / ws.now().date().isoformat() / f"{unit}_校验反馈.eml"


def reply(ws, unit: str, period: Period = PERIOD) -> email.message.EmailMessage:
    return email.message_from_bytes(reply_path(ws, unit, period).read_bytes(), policy=email.policy.default)


def body(msg) -> str:
    return msg.get_body(("plain",)).get_content()


#: Masters with addresses written in, by (sha256 of the master before, the addresses): the
#: tests write the same few into the same master, and openpyxl takes about 0.15 s a time.
_WITH_EMAILS: dict[tuple[bytes, tuple], bytes] = {}


def set_email(ws, **emails: str) -> None:
    """Write addresses into 单位名录 (column 邮箱), as the coordinator does in Excel."""
    before = ws.master_path.read_bytes()
    key = (hashlib.sha256(before).digest(), tuple(sorted(emails.items())))
    if key not in _WITH_EMAILS:
        wb = load_workbook(io.BytesIO(before))
        for row in wb["单位名录"].iter_rows(min_row=2):
            if row[0].value in emails:
                row[5].value = emails[row[0].value]
        out = io.BytesIO()
        wb.save(out)
        _WITH_EMAILS[key] = out.getvalue()
    ws.master_path.write_bytes(_WITH_EMAILS[key])  # saved in place, as Excel and openpyxl do


def mail(attachments: list[tuple[str, bytes]], *, sender: str = "sl@example.cn", subject: str = "报送",
         date: str = "Mon, 04 Jul 2022 16:20:00 +0800") -> bytes:
    msg = MIMEMultipart()
    msg["From"] = sender
    msg["To"] = "duban@example.cn"
    msg["Subject"] = str(email.header.Header(subject, "utf-8"))
    msg["Date"] = date
    msg.attach(MIMEText("请查收。", "plain", "utf-8"))
    for name, data in attachments:
        part = MIMEApplication(data, "octet-stream")
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        msg.attach(part)
    return msg.as_bytes()


# ---------------------------------------------------------------------------
# attribution of every input, whatever its fate


@pytest.mark.parametrize("kind, ext, code", [
    ("encrypted", "xlsx", "E102"), ("damaged", "xlsx", "E101"), ("pdf", "pdf", "E103"), ("et", "et", "E103"),
])
def test_refused_file_named_after_a_unit_is_that_units_and_gets_a_reply(issued_ws, make_return, kind, ext, code):
    drop(issued_ws, f"{ZT_NAME}.{ext}", refused(kind, make_return), on_time())
    result = collect(issued_ws)
    [rec] = receipts(issued_ws)
    assert (rec.unit, str(rec.period), rec.identified_by, rec.outcome) == ("中堂镇", "2022-06", "文件名", "无法读取")
    assert rec.archive_path.startswith(f"归档/{JUNE}/")
    assert issue_codes(issued_ws, rec.id) == [code]
    cons = consolidate(issued_ws, PERIOD)
    assert next(u for u in cons.units if u.unit == "中堂镇").state == UnitState.TO_FIX  # not 未报送
    assert [(r.name, r.unit, r.received_how) for r in cons.receipts] == [
        (f"{ZT_NAME}.{ext}", "中堂镇", TimeSource.MTIME)]
    assert [(i["unit"], i["code"]) for i in cons.issues] == [("中堂镇", code)]
    assert reply_path(issued_ws, "中堂镇") in result.feedback
    msg = reply(issued_ws, "中堂镇")
    assert "请修改后重新报送" in msg["Subject"] and "中堂镇" in msg["Subject"]
    assert f"{ZT_NAME}.{ext}" in body(msg)
    assert not english(cons.issues[0]["message"])


def test_duban_status_shows_a_unit_that_sent_an_unreadable_file_as_to_fix(run, issued_ws, make_return):
    drop(issued_ws, f"{ZT_NAME}.xlsx", refused("encrypted", make_return), on_time())
    run(["collect"], cwd=issued_ws.root)
    result = run(["status", "--format", "json"], cwd=issued_ws.root)
    row = next(u for u in json.loads(result.stdout)["units"] if u["单位"] == "中堂镇")
    assert (row["报送状态"], row["报送文件"], row["错误数"]) == ("退回待改", f"{ZT_NAME}.xlsx", 1)
    table = run(["status"], cwd=issued_ws.root).stdout
    assert "退回待改 1" in table.splitlines()[0]
    assert re.search(r"退回待改\s+中堂镇\s+2022-07-04 10:00\s+错误 1", table)


def test_a_refused_files_exact_duplicate_keeps_its_unit(issued_ws, make_return):
    data = refused("encrypted", make_return)
    drop(issued_ws, f"{ZT_NAME}.xlsx", data, on_time())
    collect(issued_ws)
    drop(issued_ws, "新建文件夹/报表（再发一次）.xlsx", data, on_time() + 60)
    collect(issued_ws)
    first, again = receipts(issued_ws)
    assert again.outcome == "重复" and issue_codes(issued_ws, again.id) == ["W204"]
    assert (again.unit, str(again.period)) == ("中堂镇", "2022-06")
    assert again.archive_path.startswith(f"归档/{JUNE}/")
    assert [r.name for r in consolidate(issued_ws, PERIOD).receipts] == [first.name, again.name]


@pytest.mark.parametrize("args", [[], ["--period", "2022-06"]])
def test_a_refused_file_with_no_evidence_is_filed_under_the_run_period(run, issued_ws, args):
    drop(issued_ws, "扫描件.pdf", b"%PDF-1.4\n%%EOF\n", on_time())
    result = run(["collect", *args], cwd=issued_ws.root)
    assert result.exit_code == 1
    [rec] = receipts(issued_ws)
    assert rec.unit is None and str(rec.period) == "2022-06"
    assert rec.archive_path.startswith(f"归档/{JUNE}/")
    assert not (issued_ws.root / "归档" / "未分期").exists()
    assert [r.name for r in consolidate(issued_ws, PERIOD).receipts] == ["扫描件.pdf"]


def test_period_in_the_file_name_files_a_refused_file_with_that_period(run, issued_ws, make_return):
    drop(issued_ws, "2022年5月_中堂镇_进展填报表.xlsx", refused("encrypted", make_return), on_time())
    run(["collect"], cwd=issued_ws.root)
    [rec] = receipts(issued_ws)
    assert (rec.unit, str(rec.period)) == ("中堂镇", "2022-05")
    assert rec.archive_path.startswith("归档/2022年5月/")


@pytest.mark.parametrize("text, period", [
    ("2022年6月_中堂镇_进展填报表", "2022-06"), ("2022-06_中堂镇", "2022-06"), ("石龙镇2022.6进展(1)", "2022-06"),
    ("２０２２年６月份", "2022-06"), ("中堂镇2022.7.4报送", None), ("中堂镇_2022-07-04", None),
    ("2022年7月4日中堂镇", None), ("20220704中堂镇", None), ("2022年13月", None),
])
def test_period_in_a_name_is_a_month_never_a_sending_date(text, period):
    from toolkit.evidence import period_in

    found = period_in([text])
    assert (str(found) if found else None) == period


def test_a_june_return_named_with_its_july_sending_date_stays_in_june(issued_ws, make_return):
    drop(issued_ws, "中堂镇2022.7.4报送.pdf", b"%PDF-1.4\n%%EOF\n", on_time())
    collect(issued_ws)
    [rec] = receipts(issued_ws)
    assert (rec.unit, str(rec.period)) == ("中堂镇", "2022-06")
    assert state(issued_ws, "中堂镇") == UnitState.TO_FIX


def test_sender_address_names_the_unit_when_nothing_else_does(issued_ws, make_return):
    set_email(issued_ws, 石龙镇="sl@example.cn; office@shilong.example.cn")
    data = mail([("进展表.xlsx", encrypted(make_return("石龙镇", clean())))],
                sender="=?utf-8?b?55+z6b6Z?= <SL@example.cn>", subject="请查收")
    drop(issued_ws, "来信.eml", data)
    collect(issued_ws)
    attachment = next(r for r in receipts(issued_ws) if r.parent_id)
    assert (attachment.unit, attachment.identified_by, attachment.outcome) == ("石龙镇", "发件人地址", "无法读取")
    assert (attachment.received_at, attachment.received_how) == ("2022-07-04 16:20:00", TimeSource.MAIL)
    assert state(issued_ws, "石龙镇") == UnitState.TO_FIX
    msg = reply(issued_ws, "石龙镇")
    assert msg["To"].addresses[0].addr_spec.lower() == "sl@example.cn"  # whoever sent it
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["office@shilong.example.cn"]  # the directory


@pytest.mark.parametrize("how", ["stopped", "failed"])
def test_a_reply_written_by_a_later_run_still_goes_to_the_sender(issued_ws, make_return, monkeypatch, how):
    """A reply the run could not write (it stopped before its replies, or writing failed) is
    written by the next run to whoever sent the return, the 单位名录 address in Cc, as an
    uninterrupted run's reply is: the sender is read back from the archived mail, inside the
    forwarded zip too."""
    from conftest import zip_bytes

    import toolkit.replies as replies

    set_email(issued_ws, 石龙镇="office@shilong.example.cn")
    data = mail([("进展.zip", zip_bytes({"石龙镇.xlsx": encrypted(make_return("石龙镇", clean()))}))],
                sender="=?utf-8?b?55+z6b6Z?= <SL@example.cn>", subject="石龙镇报送")
    drop(issued_ws, "来信.eml", data)

    class Stopped(Exception):
        pass

    def stopped(*_args, **_kw):
        raise Stopped

    def disk_full(*_args, **_kw):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        if how == "stopped":  # recorded and cleared, then the power goes
            m.setattr(replies, "choose", stopped)
            with pytest.raises(Stopped):
                collect(issued_ws)
        else:
            m.setattr(replies, "write_feedback", disk_full)
            assert [o.name for o in collect(issued_ws).owed] == ["石龙镇.xlsx"]
    assert not reply_path(issued_ws, "石龙镇").exists()
    result = collect(issued_ws)
    assert [p.name for p in result.feedback] == ["石龙镇_校验反馈.xlsx", "石龙镇_校验反馈.eml"] and not result.owed
    msg = reply(issued_ws, "石龙镇")
    assert msg["To"].addresses[0].addr_spec.lower() == "sl@example.cn"  # whoever sent it
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["office@shilong.example.cn"]  # the directory


def test_reply_to_a_loose_file_goes_to_the_directory_address(issued_ws, make_return):
    set_email(issued_ws, 中堂镇="zt@example.cn")
    drop(issued_ws, f"{ZT_NAME}.xlsx", refused("damaged", make_return), on_time())
    collect(issued_ws)
    msg = reply(issued_ws, "中堂镇")
    assert [a.addr_spec for a in msg["To"].addresses] == ["zt@example.cn"] and msg["Cc"] is None
    assert msg["X-Unsent"] == "1"  # a draft: the coordinator sends it


def test_subject_names_the_unit_of_an_anonymous_attachment(issued_ws, make_return):
    data = mail([("附件1.pdf", b"%PDF-1.4\n%%EOF\n")], sender="someone@qq.example", subject="中堂镇6月进展报送")
    drop(issued_ws, "来信.eml", data)
    collect(issued_ws)
    attachment = next(r for r in receipts(issued_ws) if r.parent_id)
    assert (attachment.unit, attachment.identified_by) == ("中堂镇", "文件名")
    assert state(issued_ws, "中堂镇") == UnitState.TO_FIX
    assert reply(issued_ws, "中堂镇")["To"].addresses[0].addr_spec == "someone@qq.example"


def test_zip_path_names_the_unit(issued_ws):
    from conftest import zip_bytes

    drop(issued_ws, "镇街报送.zip", zip_bytes({"中堂镇/扫描件.pdf": b"%PDF-1.4\n%%EOF\n"}), on_time())
    collect(issued_ws)
    entry = next(r for r in receipts(issued_ws) if r.parent_id)
    assert (entry.unit, entry.outcome) == ("中堂镇", "无法读取")
    assert state(issued_ws, "中堂镇") == UnitState.TO_FIX


# ---------------------------------------------------------------------------
# when evidence disagrees, say so


def test_a_town_filling_anothers_form_is_w206_on_screen_and_in_issues(run, issued_ws, make_return):
    shilong = make_return("石龙镇", clean(), **{"4_3": Answer(progress=40)})
    drop(issued_ws, "2022年6月_石龙镇_进展填报表.xlsx", shilong, on_time())
    collect(issued_ws)
    wrong = make_return("石龙镇", clean(), **{"4_3": Answer(progress=90)})  # 石排镇 typed into 石龙镇's form
    drop(issued_ws, "2022年6月_石排镇_进展填报表.xlsx", wrong, on_time() + 3600)
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert "请核实：2022年6月_石排镇_进展填报表.xlsx" in result.stdout and "W206" not in result.stdout.split("请核实")[0]
    line = next(x for x in result.stdout.splitlines() if "请核实" in x)
    assert "石龙镇" in line and "石排镇" in line
    rec = receipts(issued_ws)[-1]
    assert rec.unit == "石龙镇" and "W206" in issue_codes(issued_ws, rec.id)
    cons = consolidate(issued_ws, PERIOD)
    assert ("石龙镇", "2022年6月_石排镇_进展填报表.xlsx", "W206") in [(i["unit"], i["file"], i["code"])
                                                                     for i in cons.issues]
    assert next(u for u in cons.units if u.unit == "石排镇").state == UnitState.NOT_REPORTED
    # 石龙镇's row in 报送情况 now rests on the disputed file, and says it carries a warning
    shilong_row = next(u for u in cons.units if u.unit == "石龙镇")
    assert (shilong_row.file, shilong_row.warnings) == ("2022年6月_石排镇_进展填报表.xlsx", 1)


def test_a_form_sent_from_another_units_address_is_w206(issued_ws, make_return):
    set_email(issued_ws, 石排镇="sp@example.cn", 石龙镇="sl@example.cn")
    drop(issued_ws, "来信.eml", mail([("进展表.xlsx", make_return("石龙镇", clean()))], sender="sp@example.cn"))
    result = collect(issued_ws)
    attachment = next(r for r in receipts(issued_ws) if r.parent_id)
    assert attachment.unit == "石龙镇" and "W206" in issue_codes(issued_ws, attachment.id)
    assert [name for name, _ in result.disputed] == ["进展表.xlsx"]
    assert "sp@example.cn" in result.disputed[0][1] and "石排镇" in result.disputed[0][1]


def test_a_refused_file_named_after_one_unit_from_anothers_address_says_so(issued_ws, make_return):
    set_email(issued_ws, 石龙镇="sl@example.cn")
    drop(issued_ws, "来信.eml", mail([(f"{ZT_NAME}.pdf", b"%PDF-1.4\n%%EOF\n")], sender="sl@example.cn"))
    result = collect(issued_ws)
    attachment = next(r for r in receipts(issued_ws) if r.parent_id)
    assert attachment.unit == "石龙镇"  # the address is the stronger evidence ...
    assert "W206" in issue_codes(issued_ws, attachment.id) and result.disputed  # ... but the name disagrees


def test_agreeing_evidence_is_quiet(issued_ws, make_return):
    set_email(issued_ws, 石龙镇="sl@example.cn")
    drop(issued_ws, "来信.eml", mail([(f"{JUNE}_石龙镇_进展填报表.xlsx", make_return("石龙镇", clean()))]))
    result = collect(issued_ws)
    assert result.disputed == [] and result.accepted == 1


# ---------------------------------------------------------------------------
# received time from evidence, with its source


def test_mail_date_is_taken_in_the_workspace_zone(issued_ws, make_return):
    # 17:00 UTC on the due date is 01:00 the next day in Dongguan: late.
    drop(issued_ws, "来信.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))],
                                     date="Tue, 05 Jul 2022 17:00:00 +0000"))
    collect(issued_ws)
    attachment = next(r for r in receipts(issued_ws) if r.parent_id)
    assert (attachment.received_at, attachment.received_how) == ("2022-07-06 01:00:00", TimeSource.MAIL)
    assert state(issued_ws, "石龙镇") == UnitState.LATE


def test_a_loose_file_is_timed_by_its_modification_time_and_says_so(issued_ws, make_return):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), shanghai(dt.datetime(2022, 7, 6, 0, 30)))
    collect(issued_ws)
    [rec] = receipts(issued_ws)
    assert (rec.received_at, rec.received_how) == ("2022-07-06 00:30:00", TimeSource.MTIME)
    assert state(issued_ws, "石龙镇") == UnitState.LATE


@pytest.mark.parametrize("when", [dt.datetime(2030, 1, 1, 8, 0), dt.datetime(1970, 1, 2, 8, 0)])
def test_an_impossible_file_time_is_w207_and_decides_no_lateness(issued_ws, make_return, when):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), shanghai(when))
    collect(issued_ws)
    [rec] = receipts(issued_ws)
    assert rec.outcome == "采纳" and issue_codes(issued_ws, rec.id) == ["W207"]
    assert rec.received_how == TimeSource.DOUBTFUL
    cons = consolidate(issued_ws, PERIOD)
    assert next(u for u in cons.units if u.unit == "石龙镇").state == UnitState.ON_TIME  # not 逾期
    w207 = next(i for i in cons.issues if i.get("code") == "W207")
    assert str(when.year) in w207["message"] and "--received" in w207["message"]


@pytest.mark.parametrize("same_run", [True, False])
def test_a_correction_unzipped_by_hand_with_a_1980_date_wins(issued_ws, make_return, same_run):
    first = make_return("石龙镇", clean(), **{"4_3": Answer(progress=40)})
    fixed = make_return("石龙镇", clean(), **{"4_3": Answer(progress=60)})
    drop(issued_ws, "石龙镇.xlsx", first, on_time())
    if not same_run:
        collect(issued_ws)
    drop(issued_ws, "石龙镇（更正）.xlsx", fixed, shanghai(dt.datetime(1980, 1, 1)))
    collect(issued_ws)
    outcomes = {r.name: r.outcome for r in receipts(issued_ws)}
    assert outcomes == {"石龙镇.xlsx": "已被替代", "石龙镇（更正）.xlsx": "采纳"}
    with Ledger(issued_ws.ledger_path) as ledger:
        accepted = ledger.accepted(PERIOD)["石龙镇"]
        assert {r.task: r.progress for r in ledger.rows_of(accepted.id)}["4.3"] == 60
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_collect_received_states_the_date_for_loose_files(run, issued_ws, make_return):
    from conftest import late

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), late())
    drop(issued_ws, "来信.eml", mail([("虎门镇.xlsx", make_return("虎门镇", clean()))],
                                     date="Fri, 08 Jul 2022 09:00:00 +0800"))
    result = run(["collect", "--received", "2022-07-04"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    recs = {r.name: r for r in receipts(issued_ws)}
    assert (recs["石龙镇.xlsx"].received_at, recs["石龙镇.xlsx"].received_how) == (
        "2022-07-04 00:00:00", TimeSource.STATED)
    # a mail's own Date is stronger evidence than the stated date
    assert (recs["虎门镇.xlsx"].received_at, recs["虎门镇.xlsx"].received_how) == (
        "2022-07-08 09:00:00", TimeSource.MAIL)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME and state(issued_ws, "虎门镇") == UnitState.LATE
    bad = run(["collect", "--received", "7月4日"], cwd=issued_ws.root)
    assert bad.exit_code == 2 and "不是日期" in bad.stderr


def _tz_inputs(ws, make_return) -> None:
    # a loose file saved at 00:30 on 6 July in Dongguan (16:30 UTC on the due date)
    drop(ws, "石龙镇.xlsx", make_return("石龙镇", clean()), shanghai(dt.datetime(2022, 7, 6, 0, 30)))
    drop(ws, "来信.eml", mail([("虎门镇.xlsx", make_return("虎门镇", clean()))],
                             date="Tue, 05 Jul 2022 23:10:00 +0800"))
    drop(ws, "2022年6月_中堂镇_进展填报表.xlsx", encrypted(make_return("中堂镇", clean())),
         shanghai(dt.datetime(2022, 7, 5, 23, 50)))


def _sheet(path: Path, name: str) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    return [r for r in wb[name].iter_rows(min_row=3, values_only=True)]


@pytest.mark.slow
def test_changing_tz_changes_no_output(issued_ws, make_return, tmp_path):
    _tz_inputs(issued_ws, make_return)  # the very same bytes and file times for both runs
    outputs = {}
    for tz in ("UTC", "Asia/Shanghai"):
        root = tmp_path / tz.replace("/", "_")
        shutil.copytree(issued_ws.root, root)
        env = {**os.environ, "TZ": tz}
        for args in (["collect"], ["merge"]):
            done = subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=root, env=env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode in (0, 1), done.stderr
        status = subprocess.run([sys.executable, "-m", "toolkit", "status", "--format", "json"], cwd=root,
                                env=env, capture_output=True, text=True, timeout=60)
        with Ledger(root / ".duban" / "ledger.sqlite3") as ledger:
            times = [(r.name, r.received_at, r.received_how) for r in ledger.receipts()]
        [book] = (root / "汇总" / JUNE).glob("*汇总表*.xlsx")
        outputs[tz] = (times, json.loads(status.stdout), _sheet(book, "收件登记"), _sheet(book, "报送情况"),
                       _sheet(book, "校验问题"))
    assert outputs["UTC"] == outputs["Asia/Shanghai"]
    times, status, register, reporting, problems = outputs["UTC"]
    # what the coordinator reads in the 汇总表: one 收件登记 row per file received, with its time's source
    head = register[0]
    assert [(r[head.index("原文件名")], r[head.index("报送时间")], r[head.index("时间依据")], r[head.index("单位")],
             r[head.index("结果")]) for r in register[1:]] == [
        ("2022年6月_中堂镇_进展填报表.xlsx", "2022-07-05 23:50", "文件修改时间", "中堂镇", "无法读取"),
        ("来信.eml", "2022-07-05 23:10", "邮件发送时间", None, "已拆包"),
        ("虎门镇.xlsx", "2022-07-05 23:10", "邮件发送时间", "虎门镇", "采纳"),
        ("石龙镇.xlsx", "2022-07-06 00:30", "文件修改时间", "石龙镇", "采纳")]
    head = reporting[0]
    sheet_states = {r[0]: r[head.index("报送状态")] for r in reporting[1:]}
    assert (sheet_states["石龙镇"], sheet_states["虎门镇"], sheet_states["中堂镇"]) == ("逾期报送", "按时报送", "退回待改")
    head = problems[0]
    assert [(r[head.index("单位")], r[head.index("代码")]) for r in problems[1:]] == [("中堂镇", "E102")]
    assert ("石龙镇.xlsx", "2022-07-06 00:30:00", TimeSource.MTIME) in times
    assert ("虎门镇.xlsx", "2022-07-05 23:10:00", TimeSource.MAIL) in times
    states = {u["单位"]: u["报送状态"] for u in status["units"]}
    assert (states["石龙镇"], states["虎门镇"], states["中堂镇"]) == (
        UnitState.LATE, UnitState.ON_TIME, UnitState.TO_FIX)


#: Two machine zones 26 hours apart: their calendar dates differ at every moment.
FAR_EAST, FAR_WEST = "Etc/GMT-14", "Etc/GMT+12"




@pytest.mark.skipif(not hasattr(time, "tzset"), reason="tzset is POSIX only")
def test_reply_dates_follow_the_workspace_zone_not_the_machines(issued_ws, make_return, machine_tz, tmp_path):
    from toolkit.workspace import find_workspace

    data = make_return("石龙镇", **LATE_NO_REASON)
    twin = find_workspace(shutil.copytree(issued_ws.root, tmp_path / "twin"))
    texts = []
    for zone, ws in ((FAR_EAST, issued_ws), (FAR_WEST, twin)):
        machine_tz(zone)
        drop(ws, "石龙镇.xlsx", data, on_time())
        collect(ws)
        texts.append(body(reply(ws, "石龙镇")))
    assert texts[0] == texts[1]


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="tzset is POSIX only")
def test_w209_names_the_merge_time_in_the_workspace_zone(issued_ws, make_return, machine_tz):
    from toolkit.actions.merge import merge

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    merge(issued_ws, PERIOD)
    issued_ws = _move_period(issued_ws, "2022-08")
    machine_tz(FAR_WEST)
    merged_on(issued_ws, dt.datetime(2022, 7, 10, 9, 0))  # the record as this machine's clock said it
    drop(issued_ws, "石龙镇补.xlsx", make_return("石龙镇", clean(), **{"4_3": Answer(progress=9)}),
         shanghai(dt.datetime(2022, 8, 2, 9, 0)))
    result = collect(issued_ws)
    w209 = next(i for i in result.items[0].report.issues if i.code == "W209")
    assert "已于 2022-07-10 09:00 汇总" in w209.message


# ---------------------------------------------------------------------------
# "latest" means latest sent; 补报


def merged_on(ws, moment: dt.datetime) -> None:
    """Every 汇总表 of ``ws`` as merged at ``moment`` (wall time in the workspace's zone, as
    `shanghai`): its file's time and duban's record of writing it (`ledger.outputs`, on the
    machine's clock as of now), which `merge_time.merged_at` takes the later of: a month played
    as merged in the past sets both."""
    stamp = shanghai(moment)
    for book in (ws.root / "汇总").rglob("*_进展汇总表.xlsx"):
        os.utime(book, (stamp, stamp))
    with Ledger(ws.ledger_path) as ledger:
        ledger.conn.execute("UPDATE outputs SET written_at=? WHERE path LIKE '汇总/%'",
                            (dt.datetime.fromtimestamp(stamp).isoformat(sep=" ", timespec="microseconds"),))


def _move_period(ws, period: str):
    """The coordinator moves on to a later month (duban.toml period); the workspace reread."""
    from toolkit.workspace import find_workspace

    toml = ws.root / "duban.toml"
    toml.write_text(re.sub(r'^period = ".*"$', f'period = "{period}"', toml.read_text("utf-8"), flags=re.M),
                    "utf-8")
    return find_workspace(ws.root)


def test_a_first_june_return_in_august_exits_1_until_june_is_merged_again(run, issued_ws, make_return):
    """Plain 补报 (a unit that never reported June): June's 汇总表 and 通报 are out of date
    until merged again, so the double-click script must not say 成功 (it exited 0). The
    coordinator is also asked whether it is August's progress on June's form (qa94), as for
    a unit that had reported June already; nothing else is to check."""
    from toolkit.actions.merge import merge

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    merge(issued_ws, PERIOD)
    _move_period(issued_ws, "2022-08")
    drop(issued_ws, "中堂镇6月.xlsx", make_return("中堂镇", clean()), shanghai(dt.datetime(2022, 8, 3, 9, 0)))
    result = run(["collect", "--received", "2022-08-03"], cwd=issued_ws.root)  # nothing else to check
    assert "补报：中堂镇 报送了2022年6月的填报表" in result.stdout, result.stdout
    assert [line.strip() for line in result.stdout.splitlines() if "请核实" in line] == [
        "请核实：中堂镇6月.xlsx（中堂镇）是2022年6月的填报表，已登记为2022年6月的报送；"
        "如果填的是2022年8月的进展，请该单位用2022年8月下发的填报表重报。"], result.stdout
    assert result.exit_code == 1


def test_a_june_return_resent_in_august_is_w209_named_on_screen(run, issued_ws, make_return):
    from toolkit.actions.merge import merge

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean(), **{"4_3": Answer(progress=40)}), on_time())
    collect(issued_ws)
    merge(issued_ws, PERIOD)
    _move_period(issued_ws, "2022-08")
    resent = make_return("石龙镇", clean(), **{"4_3": Answer(progress=70)})
    drop(issued_ws, "石龙镇6月（补）.xlsx", resent, shanghai(dt.datetime(2022, 8, 3, 9, 0)))
    result = run(["collect"], cwd=issued_ws.root)
    # 石龙镇 had reported June: it sends it again (qa99), not late for the first time
    assert "重报：石龙镇 重新报送了2022年6月的填报表（此前已报送并采纳），该期已汇总" in result.stdout
    assert "duban merge --period 2022-06" in result.stdout
    rec = receipts(issued_ws)[-1]
    assert str(rec.period) == "2022-06" and "W209" in issue_codes(issued_ws, rec.id)
    cons = consolidate(issued_ws, PERIOD)
    assert ("石龙镇", "石龙镇6月（补）.xlsx", "W209") in [(i["unit"], i["file"], i["code"]) for i in cons.issues]
    # the correction is what is merged; the return of 4 July met the deadline of 5 July, so
    # the unit is not named 逾期 for correcting it (tests/test_verdicts.py)
    shilong = next(u for u in cons.units if u.unit == "石龙镇")
    assert (shilong.state, shilong.received_at, shilong.file) == (
        UnitState.ON_TIME, "2022-07-04 10:00", "石龙镇6月（补）.xlsx")


def test_a_current_period_return_is_not_w209(issued_ws, make_return):
    from toolkit.actions.merge import merge

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    merge(issued_ws, PERIOD)
    drop(issued_ws, "石龙镇2.xlsx", make_return("石龙镇", clean(), **{"4_3": Answer(progress=5)}), on_time() + 60)
    result = collect(issued_ws)
    assert result.late == [] and "W209" not in issue_codes(issued_ws, receipts(issued_ws)[-1].id)


# ---------------------------------------------------------------------------
# feedback describes the unit's current state


LATE_NO_REASON = {"1_2": Answer(status="滞后", progress=30, work="推进中", problems="")}  # E603


def test_two_versions_in_one_run_refused_then_accepted_get_no_reply(issued_ws, make_return):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", **LATE_NO_REASON), on_time())
    drop(issued_ws, "石龙镇（改）.xlsx", make_return("石龙镇", clean()), on_time() + 600)
    result = collect(issued_ws)
    assert {r.name: r.outcome for r in receipts(issued_ws)} == {"石龙镇.xlsx": "退回", "石龙镇（改）.xlsx": "采纳"}
    assert not reply_path(issued_ws, "石龙镇").exists() and result.feedback == []
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_later_refusal_replaces_the_reply_and_an_acceptance_retires_it(issued_ws, make_return):
    drop(issued_ws, "石龙镇v1.xlsx", make_return("石龙镇", **LATE_NO_REASON), on_time())
    collect(issued_ws)
    assert "石龙镇v1.xlsx" in body(reply(issued_ws, "石龙镇"))
    v2 = make_return("石龙镇", clean(), **{"4_3": Answer(progress="八成")})  # E504
    drop(issued_ws, "石龙镇v2.xlsx", v2, on_time() + 600)
    collect(issued_ws)
    text = body(reply(issued_ws, "石龙镇"))
    assert "石龙镇v2.xlsx" in text and "石龙镇v1.xlsx" not in text and "八成" in text
    assert state(issued_ws, "石龙镇") == UnitState.TO_FIX
    drop(issued_ws, "石龙镇v3.xlsx", make_return("石龙镇", clean()), on_time() + 1200)
    collect(issued_ws)
    assert not reply_path(issued_ws, "石龙镇").exists()
    with Ledger(issued_ws.ledger_path) as ledger:  # removed from disk, kept in the ledger as 已作废
        drafts = [d for d in ledger.drafts("feedback", PERIOD, live_only=False) if d.unit == "石龙镇"]
    # the same day's second reply took the first one's name; the acceptance retired the last
    assert [d.obsolete_reason for d in drafts] == ["同名草稿已重新生成", "该单位的报送已采纳"]
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_reply_reads_the_offices_day_once(issued_ws, make_return, monkeypatch):
    """Its folder, its date and the date it asks for agree when the office's midnight passes
    while it is written (the day is read once, before the folder is chosen)."""
    import toolkit.feedback as feedback

    data = make_return("石龙镇", **{"1_2": Answer(status="滞后", progress=30, work="推进中", problems="")})  # E603
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    clock = [dt.datetime(2022, 7, 20, 23, 59, 59, tzinfo=issued_ws.tz)]
    monkeypatch.setattr(type(issued_ws), "now", lambda self: clock[0])
    choose = feedback.feedback_paths

    def midnight_passes(*args, **kwargs):
        chosen = choose(*args, **kwargs)
        clock[0] += dt.timedelta(seconds=2)
        return chosen

    monkeypatch.setattr(feedback, "feedback_paths", midnight_passes)
    collect(issued_ws)
    path, text = reply_path(issued_ws, "石龙镇"), body(reply(issued_ws, "石龙镇"))
    due = resubmit_by(issued_ws.due(PERIOD), dt.date(2022, 7, 20), issued_ws.settings.resubmit_working_days)
    assert path.parent.name == "2022-07-20" and cn_date(dt.date(2022, 7, 21)) not in text
    assert f"于{cn_date(due)}前" in text and cn_date(dt.date(2022, 7, 20)) in text


def test_reply_lists_errors_before_warnings_and_never_asks_for_today(issued_ws, make_return):
    data = make_return("石龙镇", **{"4_3": Answer(status="进行中"), "5_1": Answer(status="正常推进"),  # W503 W503
                                   "1_2": Answer(status="滞后", progress=30, work="推进中", problems="")})  # E603
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    collect(issued_ws)
    text = body(reply(issued_ws, "石龙镇"))
    listed = [line for line in text.splitlines() if re.match(r"\d+\. ", line)]
    assert len(listed) == 3 and "滞后" in listed[0] and "存在问题" in listed[0]
    # the office's day the reply was written on (its folder), not the machine's, nor a later one
    today = dt.date.fromisoformat(reply_path(issued_ws, "石龙镇").parent.name)
    due = resubmit_by(issued_ws.due(PERIOD), today, issued_ws.settings.resubmit_working_days)
    assert due > today and f"于{cn_date(due)}前" in text
    assert f"于{cn_date(today)}前" not in text


def test_many_refused_versions_get_one_reply_about_the_latest_sent(issued_ws, make_return):
    # dropped so that name order, arrival order and sending order all differ
    for name, progress, minutes in (("c.xlsx", "七成", 10), ("a.xlsx", "八成", 30), ("b.xlsx", "九成", 20)):
        drop(issued_ws, name, make_return("石龙镇", clean(), **{"4_3": Answer(progress=progress)}),
             on_time() + 60 * minutes)
    result = collect(issued_ws)
    assert [p.name for p in result.feedback] == ["石龙镇_校验反馈.xlsx", "石龙镇_校验反馈.eml"]
    text = body(reply(issued_ws, "石龙镇"))
    assert "（a.xlsx）" in text and "八成" in text and "七成" not in text and "九成" not in text
    sheet = load_workbook(reply_path(issued_ws, "石龙镇").with_suffix(".xlsx"))["进展填报"]
    assert "八成" in [c.value for row in sheet.iter_rows(min_row=5) for c in row]


def test_resubmit_by_rule():
    friday = dt.date(2022, 7, 8)
    assert resubmit_by(dt.date(2022, 7, 15), friday, 3) == dt.date(2022, 7, 15)  # due still ahead
    assert resubmit_by(dt.date(2022, 7, 5), friday, 3) == dt.date(2022, 7, 13)  # Mon, Tue, Wed
    assert resubmit_by(friday, friday, 1) == dt.date(2022, 7, 11)  # due today: never "today"


# ---------------------------------------------------------------------------
# check against what was issued


def test_a_task_added_after_issue_is_w208_not_e404(issued_ws, make_return):
    data = make_return("石龙镇", clean())
    wb = load_workbook(issued_ws.master_path)
    wb["责任分工"].append(["2.1", "石龙镇", "牵头", "明确"])  # the coordinator adds a task after issue
    wb.save(issued_ws.master_path)
    assert "2.1" in [t.id for t, _ in issued_ws.load_master().tasks_of("石龙镇")]
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    collect(issued_ws)
    [rec] = receipts(issued_ws)
    codes = issue_codes(issued_ws, rec.id)
    assert rec.outcome == "采纳" and "E404" not in codes and "W208" in codes
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME
    w208 = next(i for i in consolidate(issued_ws, PERIOD).issues if i["code"] == "W208")
    assert w208["unit"] == "石龙镇" and "2.1" in w208["message"]
    assert not reply_path(issued_ws, "石龙镇").exists()  # nothing the department must fix


def test_a_task_added_after_issue_never_names_its_unit_unreported(issued_ws, make_return):
    """石龙镇 reported on time on the form it was sent; 2.1 was given to it afterwards. No
    sheet and no 通报 sentence may list it as 未报送 for 2.1: it says 本期未下发."""
    from toolkit.actions.merge import merge
    from toolkit.memo.context import _task_item

    wb = load_workbook(issued_ws.master_path)
    wb["责任分工"].append(["2.1", "石龙镇", "牵头", "明确"])
    wb.save(issued_ws.master_path)
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    result = merge(issued_ws, PERIOD)
    cons = result.consolidation
    task = next(t for t in cons.tasks if t.task.id == "2.1")
    assert "石龙镇" not in task.missing and task.not_asked == ["石龙镇"]
    assert task.lead_states["石龙镇"] == "本期未下发" and task.missing  # the others sent nothing
    book = load_workbook(result.path)
    row = next(r for r in book["任务汇总"].iter_rows(min_row=4, values_only=True) if r[0] == "2.1")
    assert row[12].endswith("；本期未下发：石龙镇") and "石龙镇" not in row[12].split("；")[0]
    detail = [r for r in book["单位明细"].iter_rows(min_row=4, values_only=True) if r[0] == "2.1" and r[4] == "石龙镇"]
    assert [r[6] for r in detail] == ["本期未下发"]
    item = _task_item(task, cons, [])
    assert "石龙镇" not in item.missing_units and "1个牵头单位的本期填报表未含此任务" in item.summary
    # the unit's other tasks are its own as before
    assert next(u for u in cons.units if u.unit == "石龙镇").state == UnitState.ON_TIME


def test_a_task_missing_from_a_form_issued_with_it_is_still_e404(issued_ws, make_return):
    def drop_row(wb):
        sheet = wb["进展填报"]
        sheet.protection.sheet = False
        for row in sheet.iter_rows(min_row=5):
            if row[0].value == "4.3":
                sheet.delete_rows(row[0].row)
                return
    drop(issued_ws, "石龙镇.xlsx", edit(make_return("石龙镇", clean()), drop_row), on_time())
    collect(issued_ws)
    [rec] = receipts(issued_ws)
    assert "E404" in issue_codes(issued_ws, rec.id) and rec.outcome == "退回"


MOVED_WORK = "石龙镇已完成导办台改造。"  # only the moved row says this


def _edit_master(ws, *, unassign: tuple[str, str] | None = None, delete: str | None = None) -> None:
    """The coordinator edits 任务分工表.xlsx after issue: drops one unit's assignment, or a task."""
    wb = load_workbook(ws.master_path)
    division, tasks = wb["责任分工"], wb["任务清单"]
    for r in range(division.max_row, 1, -1):  # bottom up: deleting shifts the rows below
        tid, unit = division.cell(r, 1).value, division.cell(r, 2).value
        if (unassign and (tid, unit) == unassign) or (delete and tid == delete):
            division.delete_rows(r)
    if delete:
        for r in range(tasks.max_row, 1, -1):
            if tasks.cell(r, 1).value == delete:
                tasks.delete_rows(r)
    wb.save(ws.master_path)


def _add_row(task: str):
    """A department copies its last row and makes it another task (as if adding a task)."""
    def change(wb):
        sheet = wb["进展填报"]
        sheet.protection.sheet = False
        last = max(c.row for c in sheet["A"] if c.value)
        for c in sheet[last]:
            sheet.cell(last + 1, c.column).value = c.value
        sheet.cell(last + 1, 1).value = task
    return change


def _moved_return(make_return) -> bytes:
    return make_return("石龙镇", clean(), **{"4_3": Answer(status="序时推进", progress=90, work=MOVED_WORK)})


def _collected_after(issued_ws, make_return, **change):
    """石龙镇's form as issued, collected after the coordinator changed the master."""
    data = _moved_return(make_return)
    _edit_master(issued_ws, **change)
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    collect(issued_ws)
    [rec] = receipts(issued_ws)
    return rec, issue_codes(issued_ws, rec.id)


def test_a_task_moved_away_after_issue_is_w210_not_e402(issued_ws, make_return):
    rec, codes = _collected_after(issued_ws, make_return, unassign=("4.3", "石龙镇"))
    assert "4.3" not in [t.id for t, _ in issued_ws.load_master().tasks_of("石龙镇")]  # no longer 石龙镇's
    assert rec.outcome == "采纳" and "E402" not in codes and codes.count("W210") == 1
    with Ledger(issued_ws.ledger_path) as ledger:
        rows = ledger.rows_of(rec.id)
    # the row is not the unit's progress on a task that is no longer its own
    assert "4.3" not in [r.task for r in rows] and MOVED_WORK not in [r.work for r in rows]
    merged = consolidate(issued_ws, PERIOD)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME
    assert MOVED_WORK not in next(t for t in merged.tasks if t.task.id == "4.3").progress_text
    w210 = next(i for i in merged.issues if i["code"] == "W210")
    assert w210["unit"] == "石龙镇" and w210["task"] == "4.3" and "不再由本单位负责" in w210["message"]
    assert not reply_path(issued_ws, "石龙镇").exists()  # nothing the department must fix


def test_a_task_deleted_after_issue_is_w210_not_e401(issued_ws, make_return):
    rec, codes = _collected_after(issued_ws, make_return, delete="4.3")
    assert issued_ws.load_master().task("4.3") is None  # gone from 任务清单 and 责任分工
    assert rec.outcome == "采纳" and "E401" not in codes and codes.count("W210") == 1
    with Ledger(issued_ws.ledger_path) as ledger:
        assert "4.3" not in [r.task for r in ledger.rows_of(rec.id)]
        [w210] = [i for i in ledger.issues_of(rec.id) if i.code == "W210"]
    assert w210.task == "4.3" and "已从任务清单删除" in w210.message and "{" not in w210.message
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_another_units_task_not_in_the_issued_form_is_still_e402(issued_ws, make_return):
    """Only the rows the form was issued with are excused: a department that adds another
    unit's task (1.1), or an unknown one, is still refused, even in a form that qualifies."""
    data = edit(edit(_moved_return(make_return), _add_row("1.1")), _add_row("99.9"))
    _edit_master(issued_ws, unassign=("4.3", "石龙镇"))
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    collect(issued_ws)
    [rec] = receipts(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        found = {(i.code, i.task) for i in ledger.issues_of(rec.id)}
    assert {("E402", "1.1"), ("E401", "99.9"), ("W210", "4.3")} <= found and rec.outcome == "退回"
    assert ("W210", "1.1") not in found and ("W210", "99.9") not in found


def test_without_an_issued_record_a_moved_task_is_still_e402(issued_ws, make_return):
    """No `issued` record (a workspace issued before duban kept one): nothing is relaxed, and
    the form's own _meta task list is not taken as proof instead."""
    data = _moved_return(make_return)
    _edit_master(issued_ws, unassign=("4.3", "石龙镇"))
    with Ledger(issued_ws.ledger_path) as ledger, ledger.transaction():
        ledger.conn.execute("DELETE FROM issued")
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    collect(issued_ws)
    [rec] = receipts(issued_ws)
    codes = issue_codes(issued_ws, rec.id)
    assert "E402" in codes and "W210" not in codes and rec.outcome == "退回"


def test_w210_only_for_the_forms_own_issued_record(issued_ws, make_return):
    """check_return with and without the issued form's record; a record for another unit
    or another master version excuses nothing."""
    data = _moved_return(make_return)
    _edit_master(issued_ws, unassign=("4.3", "石龙镇"))
    master = issued_ws.load_master()
    with Ledger(issued_ws.ledger_path) as ledger:
        issued = ledger.issued_tasks()
    [(fingerprint, _)] = [k for k in issued if k[1] == "石龙镇"]

    def codes(records):
        ctx = CheckContext(master, issued_ws.limits, period=PERIOD, issued=records)
        report = check_return(data, "石龙镇.xlsx", ctx)
        return [i.code for i in report.issues], [r.task for r in report.rows]

    found, rows = codes(issued)
    assert "W210" in found and "E402" not in found and "4.3" not in rows and "1.2" in rows
    for records in ({}, {(fingerprint, "中堂镇"): {"4.3"}}, {("0" * 16, "石龙镇"): {"4.3"}}):
        found, rows = codes(records)
        assert "E402" in found and "W210" not in found, records


# ---------------------------------------------------------------------------
# the inbox is never trusted blindly


@pytest.mark.slow
def test_a_return_saved_again_during_collect_never_loses_a_version(issued_ws, make_return):
    """A colleague keeps saving 石龙镇.xlsx in 收件箱 (Excel: temp file, then replace) while
    `collect` runs again and again. A version the colleague's own next save overwrote is the
    colleague's doing; every other version must end up archived (its sha256 in the ledger)
    or still be in the inbox."""
    versions = [make_return("石龙镇", clean(), **{"4_3": Answer(progress=p)}) for p in range(0, 100, 3)]
    shas = [hashlib.sha256(v).hexdigest() for v in versions]
    assert len(set(shas)) == len(shas)
    target = issued_ws.inbox / "石龙镇.xlsx"
    target.parent.mkdir(exist_ok=True)
    overwritten: set[str] = set()  # versions the colleague's next save replaced
    done = threading.Event()

    def excel_saves() -> None:
        for n, data in enumerate(versions):
            tmp = target.with_name(f"~WRL{n:04d}.tmp")
            tmp.write_bytes(data)
            os.utime(tmp, (on_time() + n, on_time() + n))
            with contextlib.suppress(FileNotFoundError):  # gone: collect took it, so it must be archived
                overwritten.add(hashlib.sha256(target.read_bytes()).hexdigest())
            os.replace(tmp, target)
            time.sleep(0.005 * (n % 7))
        done.set()

    writer = threading.Thread(target=excel_saves)
    writer.start()
    runs = 0
    try:
        while not done.is_set() or runs < 3:
            collect(issued_ws, feedback=False)
            runs += 1
    finally:
        writer.join()

    def inbox_shas() -> set[str]:
        return {hashlib.sha256(p.read_bytes()).hexdigest() for p in issued_ws.inbox.rglob("*") if p.is_file()}

    archived = {r.sha256 for r in receipts(issued_ws)}
    must_keep = set(shas) - overwritten
    assert shas[-1] in must_keep
    assert must_keep <= archived | inbox_shas(), f"lost {len(must_keep - archived - inbox_shas())} versions"
    assert len(archived & set(shas)) > 1  # collect really ran during the saves
    for r in receipts(issued_ws):
        assert hashlib.sha256((issued_ws.root / r.archive_path).read_bytes()).hexdigest() == r.sha256
    collect(issued_ws, feedback=False)  # what was put back is collected next time
    assert must_keep <= {r.sha256 for r in receipts(issued_ws)}
    assert not [p for p in issued_ws.inbox.rglob("*") if p.is_file()]
    with Ledger(issued_ws.ledger_path) as ledger:  # the last save is the one that counts
        assert ledger.accepted(PERIOD)["石龙镇"].sha256 == shas[-1]


def test_a_file_changed_between_archive_and_removal_stays_in_the_inbox(issued_ws, make_return, monkeypatch):
    import toolkit.actions.collect as intake

    first = make_return("石龙镇", clean(), **{"4_3": Answer(progress=40)})
    second = make_return("石龙镇", clean(), **{"4_3": Answer(progress=60)})
    path = drop(issued_ws, "石龙镇.xlsx", first, on_time())
    real = intake.remove_from_inbox

    def colleague_saves_then_remove(ws, p, *args, **kwargs):
        tmp = p.with_name("~WRL0001.tmp")
        tmp.write_bytes(second)
        os.replace(tmp, p)
        return real(ws, p, *args, **kwargs)

    monkeypatch.setattr(intake, "remove_from_inbox", colleague_saves_then_remove)
    collect(issued_ws)
    assert path.read_bytes() == second  # kept for the next run
    monkeypatch.undo()
    collect(issued_ws)
    assert {hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest()} <= {
        r.sha256 for r in receipts(issued_ws)}
    assert not path.exists()


def test_hidden_and_unreadable_files_are_named_office_temp_files_ignored(run, issued_ws, make_return, monkeypatch):
    drop(issued_ws, ".石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    locked = drop(issued_ws, "虎门镇.xlsx", make_return("虎门镇", clean()), on_time())
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: let access() honour the mode bits as for a user
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: bool(os.stat(p).st_mode & 0o444)
                            if Path(p) == locked else real_access(p, mode, **kw))
    for junk in ("~$石龙镇.xlsx", "~WRL0001.tmp", ".~lock.石龙镇.xlsx#"):
        drop(issued_ws, junk, b"\0" * 165, on_time())
    drop(issued_ws, "中堂镇.xlsx", make_return("中堂镇", clean()), on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert "未读取：收件箱/.石龙镇.xlsx：隐藏文件" in result.stdout
    assert "未读取：收件箱/虎门镇.xlsx：没有读取权限" in result.stdout
    for junk in ("~$", "~WRL", ".~lock"):
        assert junk not in result.output
    assert [r.name for r in receipts(issued_ws)] == ["中堂镇.xlsx"]
    assert locked.exists() and (issued_ws.inbox / ".石龙镇.xlsx").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_in_the_inbox_is_named_not_skipped_silently(run, issued_ws, make_return):
    drop(issued_ws, "中堂镇.xlsx", make_return("中堂镇", clean()), on_time())
    os.mkfifo(issued_ws.inbox / "石龙镇.xlsx")
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert "未读取：收件箱/石龙镇.xlsx：" in result.stdout
    assert [r.name for r in receipts(issued_ws)] == ["中堂镇.xlsx"]


def test_office_temp_files_alone_leave_the_inbox_looking_empty(run, issued_ws):
    for junk in ("~$石龙镇.xlsx", "~WRL0001.tmp", ".~lock.石龙镇.xlsx#"):
        drop(issued_ws, junk, b"\0" * 165, on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 0 and result.stdout.startswith("收件箱是空的")
    assert receipts(issued_ws) == []


def test_an_odd_path_workbook_is_one_file_never_unpacked(issued_ws):
    drop(issued_ws, "2022年6月_中堂镇_进展填报表.xlsx",
         (FOREIGN / "excel365_backslash-zip-paths_cjk.xlsx").read_bytes(), on_time())
    result = collect(issued_ws)
    [rec] = receipts(issued_ws)
    assert rec.outcome == "无法读取" and issue_codes(issued_ws, rec.id) == ["E101"]
    assert result.receipts == 1 and rec.unit == "中堂镇"
    with Ledger(issued_ws.ledger_path) as ledger:
        assert "另存" in ledger.issues_of(rec.id)[0].message  # re-save advice
    assert state(issued_ws, "中堂镇") == UnitState.TO_FIX


# ---------------------------------------------------------------------------
# messages


@pytest.mark.parametrize("name", ["encrypted-xor_excel2002.xls", "encrypted-rc4-cryptoapi_excel2002.xls",
                                  "encrypted-velvetsweatshop_excel-mac.xls", "encrypted_libreoffice-7.5.ods",
                                  "encrypted-agile_excel-mac.xlsx", "encrypted-standard_libreoffice.xlsx"])
def test_every_encrypted_workbook_is_e102(issued_ws, name):
    ctx = CheckContext(issued_ws.load_master(), issued_ws.limits, period=PERIOD)
    report = check_return((FOREIGN / name).read_bytes(), name, ctx)
    assert [i.code for i in report.issues] == ["E102"]


@pytest.mark.parametrize("name", sorted(p.name for p in FOREIGN.iterdir()
                                        if p.suffix not in (".md", ".json")))
def test_no_english_library_text_for_foreign_files(run, issued_ws, name, tmp_path):
    path = tmp_path / name
    shutil.copyfile(FOREIGN / name, path)
    result = run(["check", str(path), "--format", "json"], cwd=issued_ws.root)
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["issues"], name  # none of these is a return
    for issue in report["issues"]:
        assert not english(issue["message"]), (issue["code"], issue["message"])


def test_a_refused_correction_after_an_accepted_return_gets_its_reply(issued_ws, make_return):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    drop(issued_ws, "石龙镇（更正）.xlsx", encrypted(make_return("石龙镇", clean())), on_time() + 600)
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME  # the accepted return stays in force
    text = body(reply(issued_ws, "石龙镇"))
    assert "石龙镇（更正）.xlsx" in text and "密码" in text


def test_two_processes_opening_a_new_ledger_at_once_both_succeed(tmp_path):
    """Each migration runs once even when two runs create the ledger together (the
    version is read again under the write lock)."""
    import subprocess
    import sys

    path = tmp_path / "ledger.sqlite3"
    code = ("import sys; from pathlib import Path; from toolkit.ledger import Ledger\n"
            "with Ledger(Path(sys.argv[1])) as l: pass\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors


def test_run_names_what_collect_could_not_read_and_exits_1(run, issued_ws, make_return):
    """The one-click month says the same as collect: nothing found in 收件箱 goes unmentioned."""
    drop(issued_ws, ".石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    drop(issued_ws, "中堂镇.xlsx", make_return("中堂镇", clean()), on_time())
    result = run(["run"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert "未读取：收件箱/.石龙镇.xlsx：隐藏文件" in result.stdout


def test_a_reply_owed_by_a_stopped_run_follows_the_same_rule(issued_ws, make_return, monkeypatch):
    """Killed before its replies: the next run writes the reply the stopped run owed, by the
    rule of an uninterrupted run (a refused correction after an accepted return gets one)."""
    import toolkit.replies as replies

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)

    class Killed(Exception):
        pass

    def killed(*_args, **_kw):
        raise Killed

    drop(issued_ws, "石龙镇（更正）.xlsx", encrypted(make_return("石龙镇", clean())), on_time() + 600)
    with monkeypatch.context() as m:
        m.setattr(replies, "choose", killed)  # recorded and cleared, then the power goes
        with pytest.raises(Killed):
            collect(issued_ws)
    assert not reply_path(issued_ws, "石龙镇").exists()
    collect(issued_ws)
    assert "石龙镇（更正）.xlsx" in body(reply(issued_ws, "石龙镇"))
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


# ---------------------------------------------------------------------------
# which of a unit's files a reply is about


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def live_replies(ws, unit: str = "石龙镇") -> list:
    with Ledger(ws.ledger_path) as ledger:
        return [d for d in ledger.drafts("feedback", PERIOD) if d.unit == unit]


@pytest.mark.parametrize("pdf_first", [False, True])
def test_a_scanned_pdf_beside_an_accepted_form_in_one_mail_brings_no_refusal(issued_ws, make_return, pdf_first):
    """A department sends its form and the stamped scan of it in one mail: it has reported,
    and gets no "有错误，未采纳" reply about the PDF (the PDF's receipt came after the form's
    and was taken for the unit's latest return)."""
    files = [("石龙镇.xlsx", make_return("石龙镇", clean())), ("石龙镇（盖章扫描件）.pdf", PDF)]
    drop(issued_ws, "来信.eml", mail(files[::-1] if pdf_first else files))
    collect(issued_ws)
    outcomes = sorted((r.name, r.outcome) for r in receipts(issued_ws) if r.name != "来信.eml")
    assert outcomes == [("石龙镇.xlsx", "采纳"), ("石龙镇（盖章扫描件）.pdf", "无法读取")]
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME
    assert live_replies(issued_ws) == []


def test_a_refused_form_with_a_pdf_beside_it_gets_the_reply_about_the_forms_errors(issued_ws, make_return):
    drop(issued_ws, "来信.eml", mail([("石龙镇.xlsx", make_return("石龙镇", **LATE_NO_REASON)),
                                      ("石龙镇（盖章扫描件）.pdf", PDF)]))
    collect(issued_ws)
    [reply] = live_replies(issued_ws)
    body = email.message_from_bytes((issued_ws.root / reply.path).read_bytes(), policy=email.policy.default)
    text = body.get_body(("plain",)).get_content()
    assert "（石龙镇.xlsx）" in text and "暂未采纳" in text
    # named once, as received beside the form, not as the file the reply is about (QA312)
    assert "另收到的“石龙镇（盖章扫描件）.pdf”不是填报表" in text and text.count("扫描件") == 1
    with Ledger(issued_ws.ledger_path) as ledger:
        assert ledger.get(reply.receipt_id).name == "石龙镇.xlsx"


def test_a_file_sent_before_one_already_collected_gets_no_reply_over_the_newer_ones(issued_ws, make_return):
    """A mail fetched late: its file was sent on 3 July, the one collected on the 4th was
    sent then. The reply about the newer file stays the live one; the older file, sent
    before it, gets none (the department has moved on from it)."""
    drop(issued_ws, "石龙镇-第二版.xlsx", make_return("石龙镇", **LATE_NO_REASON), on_time())
    collect(issued_ws)
    [first] = live_replies(issued_ws)
    drop(issued_ws, "迟到的来信.eml", mail([("石龙镇-第一版.xlsx", make_return("石龙镇", **LATE_NO_REASON))],
                                          date="Sun, 03 Jul 2022 09:00:00 +0800"))
    collect(issued_ws)
    assert [(d.path, d.receipt_id) for d in live_replies(issued_ws)] == [(first.path, first.receipt_id)]
    reply = email.message_from_bytes((issued_ws.root / first.path).read_bytes(), policy=email.policy.default)
    assert "（石龙镇-第二版.xlsx）" in reply.get_body(("plain",)).get_content()
    assert (issued_ws.root / first.path).with_suffix(".xlsx").is_file()


def test_a_correction_accepted_by_a_stopped_run_retires_the_earlier_reply(issued_ws, make_return, monkeypatch):
    """Refused, replied to; the accepted correction's run stops after its receipts were
    committed, before its replies: the next run retires the reply about the refused file
    (mail send feedback would send '未采纳' to a unit that has reported)."""
    import toolkit.replies as replies

    class Stopped(Exception):
        pass

    def stopped(*_args, **_kw):
        raise Stopped

    drop(issued_ws, "石龙镇v1.xlsx", make_return("石龙镇", **LATE_NO_REASON), on_time())
    collect(issued_ws)
    assert len(live_replies(issued_ws)) == 1
    drop(issued_ws, "石龙镇v2.xlsx", make_return("石龙镇", clean()), on_time() + 600)
    with monkeypatch.context() as m:
        m.setattr(replies, "choose", stopped)
        with pytest.raises(Stopped):
            collect(issued_ws)
    collect(issued_ws)
    assert live_replies(issued_ws) == [] and state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_correction_collected_with_a_stated_day_is_the_later_file_that_day(issued_ws, make_return):
    """`collect --received 2022-07-04` states a day, not a time (midnight): against a file of
    10:00 that day, the correction collected after it is the later one (final review). An
    accepted correction retires the refusal's reply; a refused one gets its own."""
    drop(issued_ws, "石龙镇v1.xlsx", make_return("石龙镇", **LATE_NO_REASON), on_time())
    collect(issued_ws)
    assert len(live_replies(issued_ws)) == 1
    drop(issued_ws, "石龙镇v2.xlsx", make_return("石龙镇", clean()))
    collect(issued_ws, received=dt.date(2022, 7, 4))
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME and live_replies(issued_ws) == []
    # an accepted return then a refused correction, both on a stated day: the correction gets its reply
    again = {"1_2": Answer(status="滞后", progress=40, work="第三版", problems="")}
    drop(issued_ws, "石龙镇v3.xlsx", make_return("石龙镇", **again))
    collect(issued_ws, received=dt.date(2022, 7, 4))
    [reply] = live_replies(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        assert ledger.get(reply.receipt_id).name == "石龙镇v3.xlsx"
