"""西平县's 督查室 runs July and August 2020 through its mailbox, day by day (QA155).

The plan and 单位名录 are those of test_qa135_xiping_month (西政办〔2020〕20号). Everything goes
through the real servers of tests/mailservers.py: the forms are sent over SMTP to each unit's
mailbox (`mail send issue`), the departments' replies land in the office's INBOX on the day and
hour they were sent, and the office fetches them (`mail fetch`) with the clock set to the day.

July (due 5 August): 县司法局 on 1 August, 县发改委 the same day from its clerk's 163.com address;
on 3 August 县政府办公室 forwards 县信访局's form (all 已完成), 出山镇 mails a zip Windows made
(GBK names), 县人社局 types 已完成 into 完成进度 (退回) and corrects it on 4 August, 权寨镇's
mailbox sends 人和乡's form; the rest on 4 August, 县财政局 on 6 August (逾期); 柏城街道 never.
August (due 5 September, 县信访局 本期免报): 县财政局 is given until 10 September
(`issue --dept 县财政局 --due`); its form first comes from an address of the city's 财政局 on
8 September, then from its own on 11 September (请核实, answered with `duban sender`).

What the office was not told, or told wrongly: on 6 August it fetched, and before collecting looked at
`duban status` and made the 通报: both named the units whose mails sat in 收件箱 未报送, exit 0,
without a word (`Consolidation.inbox_notes`). And `duban run` (一键月报), which read 收件箱
only, told a mailbox office to put files in 收件箱, or that nothing new had come, while the
day's mail sat in the mailbox unfetched (since QA184 it fetches first; `run --no-fetch` says the
mailbox was not looked at: `actions.run.FETCH_HINT`). `mail send feedback` after
a collect that took every file sent the office back to `duban collect`. `duban remind` listed
县财政局, three days before its extended deadline, as 未报送 where status says 未报送（尚未截止）.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import shutil

import mailservers
import pytest
from click.testing import CliRunner
from conftest import set_clock, zip_bytes
from test_evidence import mail
from test_mail_fetch import DUBAN, mail_ws
from test_qa135_xiping_month import DIRECTORY, EMAIL, TITLE, _master

from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return
from toolkit.workspace import find_workspace

pytestmark = pytest.mark.slow

CST = dt.timezone(dt.timedelta(hours=8))
JUL, AUG = "2020年7月", "2020年8月"
ZFB, SFJ, FGW, CZJ = "西平县人民政府办公室", "西平县司法局", "西平县发展和改革委员会", "西平县财政局"
SCJ, ZRZY, RSJ, GAJ, XFJ = ("西平县市场监督管理局", "西平县自然资源局", "西平县人力资源和社会保障局", "西平县公安局",
                            "西平县信访局")
CLERK = "=?utf-8?b?546L5Lya6K6h?= <wang.clerk@163.com>"  # 王会计, as her client writes it
CITY = "zhangli@zmdcz.gov.cn"  # 驻马店市财政局: no unit of the county's 名录 has it


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    base = tmp_path_factory.mktemp("qa155")
    servers, mp = county_servers(base, "duban-pw-155")
    root, runner, said = base / "ws", CliRunner(), {}

    def run(day: dt.date, *args: str, key: str | None = None):
        set_clock(mp, day)
        result = runner.invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        said[key or f"{day.isoformat()} {' '.join(args)}"] = result
        return result

    def form(label: str, unit: str):
        (found,) = (root / "下发" / label).glob(f"*_{unit}_进展填报表.xlsx")
        return found

    def filled(label: str, unit: str, **answer) -> bytes:
        default = Answer(**({"status": "序时推进", "progress": 40, "work": "按计划推进。"} | answer))
        return fill_return(form(label, unit), Filling(default=default))

    def reply(sender: str, subject: str, when: str, files: list[tuple[str, bytes]]) -> None:
        moment = dt.datetime.fromisoformat(when).replace(tzinfo=CST)
        raw = mail(files, sender=sender, subject=subject, date=email.utils.format_datetime(moment))
        servers.deliver(DUBAN, raw.replace(b"duban@example.cn", DUBAN.encode()), internaldate=moment)

    def own(label: str, unit: str, when: str, subject: str = "", **answer) -> None:
        reply(EMAIL[unit], subject or f"{unit}{label[5:]}进展", when, [(form(label, unit).name, filled(label, unit, **answer))])

    d = dt.date
    try:
        init_county(mp, runner, base, root, servers)
        # July
        run(d(2020, 7, 25), "issue", "--period", "2020-07", "--emails")
        run(d(2020, 7, 25), "mail", "send", "issue", "-y")
        said["forms reached"] = {unit: len(servers.mailbox(address)) for unit, address in EMAIL.items()}
        run(d(2020, 8, 1), "run", key="run before any fetch")
        own(JUL, SFJ, "2020-08-01 10:00")
        reply(CLERK, "发改委7月进展填报", "2020-08-01 11:00", [(form(JUL, FGW).name, filled(JUL, FGW))])
        run(d(2020, 8, 1), "mail", "fetch")
        run(d(2020, 8, 1), "collect")
        run(d(2020, 8, 1), "mail", "send", "feedback", "-y", key="nothing to reply")
        reply(EMAIL[ZFB], "转发：信访局7月进展", "2020-08-03 09:00", [(form(JUL, XFJ).name, filled(
            JUL, XFJ, status="已完成", progress=100, work="积案已全部化解。", evidence="西信〔2020〕3号"))])
        reply(EMAIL["出山镇"], "出山镇7月进展", "2020-08-03 09:30", [("出山镇7月进展.zip", zip_bytes(
            {f"出山镇7月报送/{form(JUL, '出山镇').name}": filled(JUL, "出山镇")}, gbk=True))])
        own(JUL, RSJ, "2020-08-03 15:00", progress="已完成")
        reply(EMAIL["权寨镇"], "人和乡7月进展（代报）", "2020-08-03 16:00", [(form(JUL, "人和乡").name, filled(JUL, "人和乡"))])
        run(d(2020, 8, 3), "mail", "fetch")
        run(d(2020, 8, 3), "collect")
        # the office phones: the forward and the 代报 are 县信访局's and 人和乡's own returns; asked
        # until answered since QA356, whoever else reported (a unit's text on another's form is not its return)
        for unit in (XFJ, "人和乡"):
            run(d(2020, 8, 3), "sender", "--period", "2020-07", "--dept", unit, "--theirs")
        run(d(2020, 8, 3), "mail", "send", "feedback", "-y")
        own(JUL, RSJ, "2020-08-04 10:00", "回复：人社局7月进展（已修改）")
        for unit in (ZFB, SCJ, ZRZY, GAJ, "权寨镇"):
            own(JUL, unit, "2020-08-04 11:00")
        run(d(2020, 8, 4), "mail", "fetch")
        run(d(2020, 8, 4), "run")
        own(JUL, CZJ, "2020-08-06 09:00", "财政局7月进展（迟报）")
        run(d(2020, 8, 6), "run", "--no-fetch", key="run with mail unfetched")
        run(d(2020, 8, 6), "mail", "fetch")
        run(d(2020, 8, 6), "status", key="status before collect")
        run(d(2020, 8, 6), "status", "--format", "json", key="json before collect")
        run(d(2020, 8, 6), "memo", "--format", "md", key="memo before collect")
        run(d(2020, 8, 6), "run", key="july run")
        run(d(2020, 8, 6), "status", "--format", "json", key="july")
        run(d(2020, 8, 6), "remind")
        run(d(2020, 8, 6), "mail", "send", "remind", "-y")
        said["reminded"] = len(servers.mailbox(EMAIL["柏城街道"]))
        # August: 县信访局 reported its one task 已完成 (本期免报); 县财政局 given until 10 September
        toml = root / "duban.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("skip_done_units = false", "skip_done_units = true"),
                        encoding="utf-8")
        run(d(2020, 8, 25), "issue", "--period", "2020-08", "--emails")
        run(d(2020, 8, 25), "mail", "send", "issue", "-y")
        run(d(2020, 8, 26), "issue", "--period", "2020-08", "--dept", "县财政局", "--due", "2020-09-10", "--emails")
        run(d(2020, 8, 26), "mail", "send", "issue", "-y", key="extension mailed")
        for unit in (SFJ, FGW, ZFB, SCJ, ZRZY, RSJ, GAJ, "出山镇", "权寨镇", "人和乡"):
            own(AUG, unit, "2020-09-03 10:00")
        run(d(2020, 9, 7), "mail", "fetch")
        run(d(2020, 9, 7), "collect")
        run(d(2020, 9, 7), "status", key="7 September")
        run(d(2020, 9, 7), "status", "--format", "json", key="7 September json")
        run(d(2020, 9, 7), "remind", key="7 September remind")
        reply(CITY, "财政局8月进展", "2020-09-08 10:00", [(form(AUG, CZJ).name, filled(AUG, CZJ))])
        own(AUG, CZJ, "2020-09-11 10:00", "财政局8月进展（正式）", work="8月：预决算公开（正式稿）。")
        run(d(2020, 9, 11), "mail", "fetch")
        run(d(2020, 9, 11), "run", key="august run")
        run(d(2020, 9, 11), "status", "--format", "json", key="asked")
        run(d(2020, 9, 11), "sender", "--dept", "西平财政局", "--theirs", key="theirs")
        run(d(2020, 9, 11), "status", "--format", "json", key="answered")
        run(d(2020, 9, 11), "memo", "--format", "md", key="august memo")
        yield said, root
    finally:
        mp.undo()
        servers.stop()
        shutil.rmtree(root, ignore_errors=True)


def county_servers(base, password: str) -> tuple:
    """The mail servers with the office's and every unit's mailbox, and a MonkeyPatch holding the
    office's password (QA343 plays the county too)."""
    users = {DUBAN: password, **{address: "unit-pw" for address in EMAIL.values()}}
    servers = mailservers.start_mail_servers(base / "mail", users)
    mp = pytest.MonkeyPatch()
    mp.setenv("DUBAN_MAIL_PASSWORD", password)
    return servers, mp


def init_county(mp, runner, base, root, servers) -> None:
    """西平县's workspace at ``root`` on 20 July 2020, its [mail] set to ``servers`` (QA343 plays it too)."""
    set_clock(mp, dt.date(2020, 7, 20))
    (base / "名录.csv").write_text(DIRECTORY, encoding="utf-8")
    made = runner.invoke(cli, ["init", str(root), "--master", str(_master(base / f"{TITLE}.xlsx")),
                               "--period", "2020-07", "--organiser", ZFB, "--directory", str(base / "名录.csv")],
                         catch_exceptions=False)
    assert made.exit_code == 0, made.output
    mail_ws(find_workspace(root, explicit=True), servers)


def units(result) -> dict[str, str]:
    return {u["单位"]: u["报送状态"] for u in json.loads(result.output)["units"]}


def test_status_and_the_memo_say_mail_fetched_but_not_collected(county):
    said, _ = county
    table, js, memo = said["status before collect"], said["json before collect"], said["memo before collect"]
    # 县财政局's mail is in 收件箱: not yet counted, and the office must hear it before naming it
    assert units(js)[CZJ] == "未报送"
    for result in (table, js, memo):
        assert result.exit_code == 1, result.output
    line = next(x for x in table.output.splitlines() if "收件箱中还有" in x)
    assert line.startswith("请核实：收件箱中还有 1 个文件尚未收取登记（") and "财政局7月进展（迟报）" in line
    assert "duban collect" in line
    assert json.loads(js.output)["notes"] == [line]
    assert line in memo.output
    # collected, the line goes
    july = said["july"]
    assert july.exit_code == 0 and json.loads(july.output)["notes"] == []


def test_one_click_run_fetches_the_mailbox_and_without_fetching_says_so(county):
    said, _ = county
    first = said["run before any fetch"]
    assert first.exit_code == 1
    assert first.stderr == (f"提示：收件箱是空的，2020年7月还没有收到任何报送。收取邮箱 {DUBAN}（2020年7月1日 以后收到的邮件）："
                            "没有新的报送邮件。\n")
    unfetched = said["run with mail unfetched"]
    assert ("收件箱没有新文件，按已收取的报送重新汇总。本次没有收取邮箱（--no-fetch）：邮箱中新到的报送，"
            "去掉 --no-fetch 再运行 duban run 即可收取。") in unfetched.output


def test_every_form_went_out_by_mail_and_the_reminder_to_the_unit_that_never_replied(county):
    said, _ = county
    assert said["forms reached"] == dict.fromkeys(EMAIL, 1)
    assert "已发送2020年8月下发邮件 1 封" in said["extension mailed"].output
    assert said["reminded"] == 2  # July's form and July's reminder
    assert "未报送 柏城街道" in said["2020-08-06 remind"].output


def test_no_feedback_after_a_collect_that_took_everything_is_not_sent_back_to_collect(county):
    said, _ = county
    # 1 August: both forms taken, nothing to reply; "请先运行 duban collect" alone sent the
    # office round to collect again
    assert said["nothing to reply"].output == (
        "2020年7月 没有反馈邮件草稿。反馈邮件只写给报送被退回或无法读取的单位；还没有收取的，请先运行 duban collect（或双击“2-收取并汇总”）。\n")


def test_julys_verdicts(county):
    said, _ = county
    assert units(said["july"]) == {
        ZFB: "按时报送", SFJ: "按时报送", FGW: "按时报送", CZJ: "逾期报送", SCJ: "按时报送", ZRZY: "按时报送",
        RSJ: "按时报送", GAJ: "按时报送", XFJ: "按时报送", "出山镇": "按时报送", "权寨镇": "按时报送",
        "人和乡": "按时报送", "柏城街道": "未报送"}
    sent_back = said["2020-08-03 collect"]
    assert sent_back.exit_code == 1 and "E504" in sent_back.output and RSJ in sent_back.output
    # the colleague's forward and the neighbour's mailbox are each said once, at collect
    assert sum("请核实" in x for x in sent_back.output.splitlines()) == 2
    assert "已发送2020年7月反馈邮件 1 封" in said["2020-08-03 mail send feedback -y"].output


def test_august_before_and_after_the_extended_deadline(county):
    said, _ = county
    table = said["7 September"].output
    assert table.splitlines()[0].startswith("2020年8月报送情况（截止 2020-09-05；西平县财政局 2020-09-10）：应报 12，")
    assert "未报送（已截止） 1，未报送（尚未截止） 1" in table and "本期免报 1" in table
    assert json.loads(said["7 September json"].output)["not_yet_due"] == {CZJ: "2020-09-10"}
    assert units(said["7 September json"])[XFJ] == "本期免报"
    # the reminders name each unit as status does: 县财政局 still has three days
    reminded = said["7 September remind"].output.splitlines()
    assert reminded[1:] == ["  未报送（尚未截止） 西平县财政局", "  未报送 柏城街道",
                            # which is asked by its date, which chased (QA354)
                            "其中提醒 1 个单位：报送尚未截止，草稿请其于2020年9月10日前报送（【提醒】），不催其尽快报送。",
                            "催报 1 个单位：已过截止日期或退回待改（【催报】）。"]


def test_the_city_address_is_asked_about_once_and_answered_with_the_countys_own_name(county):
    said, root = county
    asked = said["asked"]
    assert asked.exit_code == 1
    (note,) = json.loads(asked.output)["notes"]
    assert note.startswith(f"请核实：{CZJ} 在{AUG}计为按时报送") and CITY in note
    assert "duban sender --period 2020-08 --dept 西平县财政局 --theirs" in note
    assert said["theirs"].exit_code == 0 and "计为按时报送（报送时间 2020-09-08 10:00）" in said["theirs"].output
    answered = said["answered"]
    assert answered.exit_code == 0 and json.loads(answered.output)["notes"] == []
    assert units(answered)[CZJ] == "按时报送"
    (md,) = (root / "通报" / AUG).glob("*.md")
    text = md.read_text(encoding="utf-8")
    assert "（一）未报送的单位（1个）：柏城街道。" in text and "另有1个单位（西平县信访局）" in text
