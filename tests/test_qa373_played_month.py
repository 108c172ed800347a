"""QA373 played through real servers (Dovecot, aiosmtpd): June's forms go out by `mail send
issue`; 人行武汉分行's server answers with an Exchange/Coremail-style 自动回复 attaching the issue
mail (message/rfc822), and 湖北银监局's mail comes back as a multipart/report bounce from
MAILER-DAEMON. `collect --fetch` (2-收取并汇总) takes neither blank form as a return: both units
stay 未报送, no reply is written (so `mail send feedback --dry-run` has none to MAILER-DAEMON), the
bounce is said with the unit and its address. The plan is 湖北's (`test_qa136_hubei_month`)."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import shutil
from email import message_from_bytes
from email.mime.message import MIMEMessage

import mailservers
import pytest
from click.testing import CliRunner
from conftest import numbered_table, set_clock
from test_qa136_hubei_month import DIRECTORY, EMAIL, OFFICE, ROWS, TITLE, at, msg
from test_qa373_office_copies import bounce_of

from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return

pytestmark = pytest.mark.slow

AUTO, BOUNCED, OWN = "中国人民银行武汉分行", "中国银行业监督管理委员会湖北监管局", "湖北省财政厅"


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    tmp, log, mp, runner = tmp_path_factory.mktemp("qa373"), {}, pytest.MonkeyPatch(), CliRunner()
    root, table = tmp / "ws", tmp / f"{TITLE}.xlsx"
    (tmp / "名录.csv").write_text(DIRECTORY, encoding="utf-8")
    numbered_table(table, TITLE, ["序号", "重点工作", "牵头单位", "责任单位", "完成时限"], ROWS)

    def run(*a):  # each command's output by its first words; 0 or 1 (things to look at), never a crash
        done = runner.invoke(cli, ["-w", str(root), *a], catch_exceptions=False)
        assert done.exit_code in (0, 1), done.output
        log[" ".join(a[:3])] = done.output
        return done

    users = {OFFICE: "pw-1", **{addr: "unit-pw" for addr in EMAIL.values()}}
    with mailservers.start_mail_servers(tmp / "mail", users) as s:
        mp.setenv("DUBAN_MAIL_PASSWORD", "pw-1")
        set_clock(mp, dt.date(2018, 6, 25))
        r = runner.invoke(cli, ["init", str(root), "--master", str(table), "--period", "2018-06",
                                "--organiser", "湖北省人民政府办公厅", "--directory", str(tmp / "名录.csv")],
                          catch_exceptions=False)
        assert r.exit_code == 0, r.output
        cfg = root / "duban.toml"
        block = (f'imap_host = "127.0.0.1"\nsmtp_host = "127.0.0.1"\nsecurity = "ssl"\nimap_port = {s.imaps_port}\n'
                 f'smtp_port = {s.smtps_port}\nuser = "{OFFICE}"\nfrom = "{OFFICE}"\nca_file = "{s.ca_file}"\n'
                 "send_per_minute = 600\n")
        cfg.write_text(cfg.read_text(encoding="utf-8").replace("[mail]\n", "[mail]\n" + block, 1), encoding="utf-8")
        run("issue", "--period", "2018-06", "--emails")
        run("mail", "send", "issue", "--yes")

        def issue_mail(unit):
            [m] = [message_from_bytes(x["raw"]) for x in s.mailbox(EMAIL[unit])]
            return m

        reply = message_from_bytes(msg(f"<{EMAIL[AUTO]}>", "自动回复：" + str(email.header.make_header(
            email.header.decode_header(issue_mail(AUTO)["Subject"]))), at(1, 8), body="您好，我已休假。（自动回复）",
            extra_headers={"Auto-Submitted": "auto-replied"}, parts=[MIMEMessage(issue_mail(AUTO))]))
        s.deliver(OFFICE, reply.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), internaldate=at(1, 8))
        s.deliver(OFFICE, bounce_of(issue_mail(BOUNCED), EMAIL[BOUNCED]), internaldate=at(1, 9))
        (form,) = (root / "下发" / "2018年6月").glob(f"*_{OWN}_进展填报表.xlsx")
        filled = fill_return(form, Filling(default=Answer(status="序时推进", progress=50, work="6月：按计划推进。")))
        s.deliver(OFFICE, msg(f"<{EMAIL[OWN]}>", "省财政厅6月进展", at(3), files=[(form.name, filled)]), internaldate=at(3))
        set_clock(mp, dt.date(2018, 7, 10))
        run("collect", "--fetch", "--merge")
        run("mail", "send", "feedback", "--dry-run")
        status = json.loads(run("status", "--format", "json").output)
        yield log, status
    mp.undo()
    shutil.rmtree(tmp, ignore_errors=True)


def test_the_auto_reply_and_the_bounce_leave_their_units_not_reported(played):
    log, status = played
    states = {u["单位"]: u["报送状态"] for u in status["units"]}
    assert states[AUTO] == "未报送" and states[BOUNCED] == "未报送" and states[OWN] == "按时报送"
    out = log["collect --fetch --merge"]
    assert "E501" not in out and "退回：" not in out and "需回复的单位" not in out, out


def test_the_bounce_names_its_unit_and_address(played):
    out = played[0]["collect --fetch --merge"]
    line = next((x for x in out.splitlines() if "退信" in x), "")
    assert BOUNCED in line and EMAIL[BOUNCED] in line and f"--resend {BOUNCED}" in line, out


def test_no_reply_goes_to_a_mail_system(played):
    out = played[0]["mail send feedback"]
    assert "MAILER-DAEMON" not in out and AUTO not in out and BOUNCED not in out, out
