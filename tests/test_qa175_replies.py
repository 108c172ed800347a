"""What duban writes to departments, read as the department and the office would (QA175).

東莞's 单位名录 ships with no 邮箱 filled in, and offices fill it a few units at a time. A
催报 (`remind`) or a reply to a refused file (`collect`) for a unit with no usable address was
written as a draft with no To at all, and neither command said so: the coordinator saw
"已为 4 个单位写好催报邮件草稿", double-clicked nothing, and the town was never reminded; only
`mail send` counted "没有收件人、不发送的" drafts, a step offices sending from their own mail
client never run. `issue --emails` already said it. Each command now says which drafts have no
recipient, by the draft itself (`drafts.addressed`): a 邮箱 of 无 or a telephone number gives
none either.
"""
from __future__ import annotations

import email
from email import policy

from conftest import PERIOD, drop, issued_path
from test_evidence import mail, set_email

from toolkit.actions.collect import collect
from toolkit.actions.remind import write_reminders
from toolkit.filling import Answer, Filling, fill_return

UNITS = ["石龙镇", "中堂镇", "市民政局"]
#: 1.2 滞后 with no 存在问题: refused (E603)
REFUSED = Filling(answers={"1.2": Answer(status="滞后", progress=30, problems="")})


def _to(path) -> str:
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    return str(msg["To"] or "")


def test_remind_names_the_drafts_that_have_no_recipient(issued_ws, collecting_on):
    import datetime as dt

    set_email(issued_ws, 石龙镇="sl@dg.example.cn", 中堂镇="无")  # 无: typed where none is known
    collecting_on(dt.date(2022, 7, 6))
    result = write_reminders(issued_ws, PERIOD)
    assert set(UNITS) <= {u for u, _ in result.units}
    assert "中堂镇" in result.no_email and "市民政局" in result.no_email and "石龙镇" not in result.no_email
    by_unit = {u: p for p, (u, _) in zip(result.files, result.units)}
    assert _to(by_unit["石龙镇"]) == "sl@dg.example.cn"
    assert all(not _to(by_unit[u]) for u in result.no_email)


def test_duban_remind_says_which_reminders_go_nowhere(issued_ws, run):
    set_email(issued_ws, 石龙镇="sl@dg.example.cn", 中堂镇="zt@dg.example.cn")
    out = run(["remind", "--period", "2022-06"], cwd=issued_ws.root).output
    line = next((x for x in out.splitlines() if "没有收件人" in x), "")
    assert "市民政局" in line and "石龙镇" not in line and "中堂镇" not in line, out
    assert "补充邮箱" in line


def test_every_reminder_addressed_says_nothing_of_recipients(issued_ws, run):
    from openpyxl import load_workbook

    wb = load_workbook(issued_ws.master_path)
    for i, row in enumerate(wb["单位名录"].iter_rows(min_row=2)):
        row[5].value = f"unit{i}@dg.example.cn"
    wb.save(issued_ws.master_path)
    out = run(["remind", "--period", "2022-06"], cwd=issued_ws.root).output
    assert "草稿" in out and "没有收件人" not in out, out


def test_a_reply_to_a_loose_file_of_a_unit_with_no_address_is_said(issued_ws, run):
    """中堂镇's refused form saved into 收件箱 by hand (no mail, no sender): its reply goes to
    the 名录's address, and there is none."""
    set_email(issued_ws, 石龙镇="sl@dg.example.cn")
    drop(issued_ws, "中堂镇6月进展.xlsx", fill_return(issued_path(issued_ws, "中堂镇"), REFUSED))
    drop(issued_ws, "石龙镇6月进展.xlsx", fill_return(issued_path(issued_ws, "石龙镇"), REFUSED))
    out = run(["collect", "--period", "2022-06"], cwd=issued_ws.root).output
    line = next((x for x in out.splitlines() if "没有收件人" in x), "")
    assert "中堂镇" in line and "石龙镇" not in line, out


def test_a_reply_to_the_sender_of_a_mail_needs_no_directory_address(issued_ws):
    """A refused form mailed in: the reply goes back to its sender, whatever the 名录 lacks."""
    drop(issued_ws, "zt.eml", mail([("中堂镇6月进展.xlsx", fill_return(issued_path(issued_ws, "中堂镇"), REFUSED))],
                                   sender="zt@dg.example.cn"))
    result = collect(issued_ws, PERIOD)
    assert result.returned == 1 and result.no_email == []
    eml = next(p for p in result.feedback if p.suffix == ".eml")
    assert _to(eml) == "zt@dg.example.cn"


def test_addressed_reads_to_and_cc():
    from toolkit.drafts import addressed
    from toolkit.mail import build_draft

    def draft(to="", cc=""):
        return build_draft(to=to, cc=cc, subject="催报", body="请报送。", attachments=[])

    assert addressed(draft(to="sl@dg.example.cn"))
    assert addressed(draft(cc="sl@dg.example.cn"))
    assert not addressed(draft())
    assert not addressed(draft(to="0769-22830000"))
