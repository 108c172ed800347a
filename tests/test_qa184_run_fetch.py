"""QA184: the one double-click fetches the mailbox (real Dovecot and SMTP, tests/mailservers.py).

东莞's office has `[mail]` set up. 东城街道's clerk handed over his June return on a USB stick (put
in 收件箱 by hand); 石龙镇 mailed its return on 4 July, and it sits in the office's mailbox. On
8 July the office double-clicks 一键月报. Until QA184 `duban run` read 收件箱 only: it merged
东城街道 and wrote a 通报 naming 石龙镇 among the 未报送 units, its return unfetched in the
mailbox (only an empty 收件箱 got the hint to run `duban mail fetch` first).

Now `duban run` fetches first, exactly as `duban mail fetch` does (the default since-date, each
message once, the mailbox's receive time as the return's), and says so in one line;
`--no-fetch` leaves the mailbox alone. A fetch that fails stops the run before anything is
merged: one line, exit 2 (as `mail fetch`), 汇总 and 通报 untouched. 2-收取并汇总 calls
`duban collect --fetch`, which does the same before collecting.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import keyring
import mailservers
import pytest
from conftest import drop, on_time
from keyring.backends import fail
from test_mail_fetch import DUBAN, fetched_rows, inbox_files, july, mail_ws, return_mail

from toolkit.actions import mail as mail_action
from toolkit.ledger import Ledger
from toolkit.mailbox import Imap, MailboxError

mail_servers = mailservers.mail_servers  # the fixture (see mailservers.py on ruff's F811)
# a real Dovecot and months fetched, collected and merged again and again: in CI, out of the quick loop
pytestmark = pytest.mark.slow

MEMO_DIR = Path("通报") / "2022年6月"
SUMMARY_DIR = Path("汇总") / "2022年6月"


@pytest.fixture
def office(issued_ws, make_return, mail_servers, monkeypatch, collecting_on):
    """8 July 2022: 东城街道's return in 收件箱 (by hand), 石龙镇's in the mailbox since 4 July
    10:00 (its mail's Date 09:30), a meeting notice beside it."""
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])
    collecting_on(dt.date(2022, 7, 8))
    ws = mail_ws(issued_ws, mail_servers)
    drop(ws, "东城街道6月进展.xlsx", make_return("东城街道"), on_time())
    mail_servers.deliver(DUBAN, return_mail("石龙镇", make_return("石龙镇"), sender="石龙镇 <sl@dg.gov.cn>",
                                            when=july(4)), internaldate=july(4, 10, 0))
    return ws


def duban(run, ws, *args: str):
    return run(["-w", str(ws.root), *args])


def missing_line(result) -> str:
    return next(x for x in result.stdout.splitlines() if x.startswith("  未报送："))


def memo_text(ws) -> str:
    (memo,) = (ws.root / MEMO_DIR).glob("*.docx")
    return "\n".join(p.text for p in docx.Document(str(memo)).paragraphs)


def outputs(ws) -> dict[str, tuple[bytes, int]]:
    """Every file under 汇总 and 通报 with its bytes and modification time."""
    return {str(p.relative_to(ws.root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for folder in ("汇总", "通报") for p in sorted((ws.root / folder).rglob("*")) if p.is_file()}


def receipts(ws) -> list[tuple[str, str]]:
    with Ledger(ws.ledger_path) as ledger:
        return [(r["name"], r["outcome"]) for r in ledger.conn.execute("SELECT name, outcome FROM receipts ORDER BY id")]


def test_run_fetches_the_mailbox_and_the_memo_counts_the_fetched_return(office, run, mail_servers):
    result = duban(run, office, "run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "2022年6月月报完成",
        f"  收取邮箱 {DUBAN}（2022年6月1日 以后收到的邮件）：新的报送邮件 1 封，已存入收件箱。",
        "  本次收到 2 个文件：采纳 2，退回 0，无法读取 0，重复 0",
        "  报送：按时报送 2，逾期报送 0，未报送 52，退回待改 0",
    ]
    assert "石龙镇" not in missing_line(result) and "石碣镇" in missing_line(result)
    # the 通报: 石龙镇 is not among the units it names 未报送
    text = memo_text(office)
    named = next(p for p in text.splitlines() if "石碣镇" in p)
    assert "石龙镇" not in named and "东城街道" not in named
    # as `mail fetch` takes it: the mailbox's receive time (10:00), not the mail's Date (09:30);
    # the mailbox itself untouched (after_fetch = keep)
    status = duban(run, office, "status", "--format", "json", "--all")
    (shilong,) = [u for u in json.loads(status.stdout)["units"] if u["单位"] == "石龙镇"]
    assert shilong["报送状态"] == "按时报送" and "2022-07-04 10:00" in json.dumps(shilong, ensure_ascii=False)
    assert [r["state"] for r in fetched_rows(office)] == ["fetched"]
    assert all("\\Seen" not in m["flags"] for m in mail_servers.mailbox(DUBAN))
    assert inbox_files(office) == {}


def test_a_second_run_does_not_fetch_twice(office, run):
    first = duban(run, office, "run")
    assert first.exit_code == 0, first.output
    taken = receipts(office)
    again = duban(run, office, "run")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[:4] == [
        "2022年6月月报完成",
        f"  收取邮箱 {DUBAN}（2022年6月1日 以后收到的邮件）：没有新的报送邮件（以前已收取过的 1 封不再重复收取）。",
        "  收件箱没有新文件，按已收取的报送重新汇总。",
        "  报送：按时报送 2，逾期报送 0，未报送 52，退回待改 0",
    ]
    assert [r["state"] for r in fetched_rows(office)] == ["fetched"] and receipts(office) == taken
    assert inbox_files(office) == {}


def test_run_no_fetch_leaves_the_mailbox_alone(office, run, mail_servers):
    ws = mail_ws(office, mail_servers, after_fetch="move:已收报送")  # a fetch would move it
    result = duban(run, ws, "run", "--no-fetch")
    assert result.exit_code == 1, result.output  # the mailbox not read is said on every such run (QA188)
    assert result.stdout.splitlines()[:4] == [
        "2022年6月月报完成",
        "  本次收到 1 个文件：采纳 1，退回 0，无法读取 0，重复 0",
        "  本次没有收取邮箱（--no-fetch）：邮箱中新到的报送，去掉 --no-fetch 再运行 duban run 即可收取。"
        "未收取的报送没有计入，其单位可能被误列为未报送。",
        "  报送：按时报送 1，逾期报送 0，未报送 53，退回待改 0",
    ]
    assert "石龙镇" in missing_line(result)  # what the office asked for: 收件箱 alone
    assert fetched_rows(ws) == [] and inbox_files(ws) == {}
    assert len(mail_servers.mailbox(DUBAN)) == 1 and "已收报送" not in mail_servers.folders(DUBAN)
    # nothing new in 收件箱: said that the mailbox was not looked at
    again = duban(run, ws, "run", "--no-fetch")
    assert again.stdout.splitlines()[1] == (
        "  收件箱没有新文件，按已收取的报送重新汇总。本次没有收取邮箱（--no-fetch）：邮箱中新到的报送，"
        "去掉 --no-fetch 再运行 duban run 即可收取。未收取的报送没有计入，其单位可能被误列为未报送。")
    # and the next run without it fetches (and moves) the mail
    fetched = duban(run, ws, "run")
    assert fetched.stdout.splitlines()[1] == (
        f"  收取邮箱 {DUBAN}（2022年6月1日 以后收到的邮件）：新的报送邮件 1 封，已存入收件箱。"
        "已把 1 封移到邮箱的文件夹“已收报送”。")
    assert "石龙镇" not in missing_line(fetched) and mail_servers.mailbox(DUBAN) == []


def test_an_empty_inbox_and_an_empty_mailbox(issued_ws, mail_servers, monkeypatch, collecting_on, run):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])
    collecting_on(dt.date(2022, 7, 1))
    ws = mail_ws(issued_ws, mail_servers)
    result = duban(run, ws, "run")
    assert result.exit_code == 1
    assert result.stderr == (f"提示：收件箱是空的，2022年6月还没有收到任何报送。收取邮箱 {DUBAN}（2022年6月1日 以后收到的邮件）："
                             "没有新的报送邮件。\n")
    unfetched = duban(run, ws, "run", "--no-fetch")
    assert unfetched.stderr == ("提示：收件箱是空的，2022年6月还没有收到任何报送。本次没有收取邮箱（--no-fetch）：邮箱中新到的报送，"
                                "去掉 --no-fetch 再运行 duban run 即可收取。\n")


REFUSED = "连接被拒绝"


@pytest.mark.parametrize("fault", ["server down", "password refused", "no password"])
def test_a_mailbox_that_cannot_be_fetched_stops_the_run_before_the_memo(office, run, mail_servers, monkeypatch,
                                                                         make_return, fault):
    # June was made once (from 收件箱 alone); a new return is handed in, and the mailbox fails
    assert duban(run, office, "run", "--no-fetch").exit_code == 1  # 1: the mailbox was not read
    before, taken = outputs(office), receipts(office)
    drop(office, "莞城街道6月进展.xlsx", make_return("莞城街道"), on_time())
    port, previous = mail_servers.imaps_port, keyring.get_keyring()
    if fault == "server down":
        mail_servers.stop()
        why = (f"无法连接收信服务器 127.0.0.1:{port}（连接被拒绝）。请检查 duban.toml [mail] 中的 imap_host 和 imap_port，"
               "以及这台电脑能否访问该服务器（内网、VPN 或防火墙）。")
    elif fault == "password refused":
        monkeypatch.setenv("DUBAN_MAIL_PASSWORD", "旧的授权码")
        why = (f"收信服务器 127.0.0.1:{port} 拒绝登录（账号 {DUBAN}）：密码或授权码不对（密码取自环境变量 DUBAN_MAIL_PASSWORD）。"
               "政务邮箱一般要在网页邮箱的“设置—客户端设置”中开启 IMAP/SMTP 并生成客户端专用密码（授权码），"
               "再运行 duban mail login 保存。")
    else:  # a scheduled task: no keyring, no variable, no console to ask
        monkeypatch.delenv("DUBAN_MAIL_PASSWORD")
        keyring.set_keyring(fail.Keyring())
        why = f"还没有保存邮箱 {DUBAN} 的密码。请先运行 duban mail login（只需一次），或设置环境变量 DUBAN_MAIL_PASSWORD。"
    try:
        result = duban(run, office, "run")
    finally:
        keyring.set_keyring(previous)
    assert result.exit_code == 2  # as `duban mail fetch` on the same fault
    assert result.stdout == ""
    assert result.stderr == (
        f"错误：收取邮箱失败，没有汇总，也没有生成通报（邮箱中的报送还没有收到，会被当作未报送）：{why}"
        "处理好后重新运行；只用收件箱中已有的文件，请运行 duban run --no-fetch。\n")
    # nothing merged, nothing written, nothing collected: 莞城街道's file waits in 收件箱
    assert outputs(office) == before and receipts(office) == taken
    assert list(inbox_files(office)) == ["莞城街道6月进展.xlsx"]
    # `mail fetch` on the same fault: the same line and exit code, without the run's words
    fetch = duban(run, office, "mail", "fetch")
    assert fetch.exit_code == 2 and fetch.stderr == f"错误：{why}\n"


def test_a_fetch_cut_off_midway_stops_the_run_and_keeps_what_it_stored(office, run, mail_servers, make_return,
                                                                        monkeypatch):
    mail_servers.deliver(DUBAN, return_mail("虎门镇", make_return("虎门镇"), sender="hm@dg.gov.cn", when=july(5)),
                         internaldate=july(5, 11, 0))
    real, calls = Imap.body, []

    def body(self, uid):  # the line drops while the second message downloads
        calls.append(uid)
        if len(calls) == 2:
            raise MailboxError(f"下载邮件时与收信服务器 127.0.0.1:{mail_servers.imaps_port} 的连接中断。"
                               "请稍后重新运行（已完成的部分不会重复）。")
        return real(self, uid)

    monkeypatch.setattr(Imap, "body", body)
    result = duban(run, office, "run")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "错误：收取邮箱失败，没有汇总，也没有生成通报（邮箱中的报送还没有收到，会被当作未报送）："
        f"下载邮件时与收信服务器 127.0.0.1:{mail_servers.imaps_port} 的连接中断。请稍后重新运行（已完成的部分不会重复）。"
        "已存入收件箱的 1 封不受影响。只用收件箱中已有的文件，请运行 duban run --no-fetch。\n")
    assert not (office.root / SUMMARY_DIR).exists() and not (office.root / MEMO_DIR).exists()
    assert len(inbox_files(office)) == 2  # 东城街道's and the one mail stored
    monkeypatch.setattr(Imap, "body", real)
    again = duban(run, office, "run")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[1:4] == [
        f"  收取邮箱 {DUBAN}（2022年6月1日 以后收到的邮件）：新的报送邮件 1 封，已存入收件箱（以前已收取过的 1 封不再重复收取）。",
        "  本次收到 3 个文件：采纳 3，退回 0，无法读取 0，重复 0",
        "  报送：按时报送 3，逾期报送 0，未报送 51，退回待改 0",
    ]


# ---------------------------------------------------------------------------
# 2-收取并汇总: duban collect --fetch


def test_collect_fetch_fetches_then_collects(office, run, mail_servers):
    result = duban(run, office, "collect", "--fetch")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        f"收取邮箱 {DUBAN}（2022年6月1日 以后收到的邮件）：新的报送邮件 1 封，已存入收件箱。",
        "收件箱 2 个文件，登记 3 条（含邮件附件和压缩包内文件；看不出期次的按当前期次2022年6月）",
        "  采纳 2，退回 0，无法读取 0，重复 0，已被替代 0",
    ]
    merged = duban(run, office, "merge")
    assert "未报送 52" in merged.stdout
    # nothing new: the mailbox is where returns come, not a folder to put them in by hand (QA371)
    again = duban(run, office, "collect", "--fetch")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[1] == (f"收件箱是空的：{office.inbox}，没有新的报送可收取。"
                                            "报送邮件到达邮箱后再运行即可收取。")
    # down: nothing collected, the script does not merge (exit 2)
    drop(office, "莞城街道6月进展.xlsx", b"PK", on_time())
    taken = receipts(office)
    mail_servers.stop()
    down = duban(run, office, "collect", "--fetch")
    assert down.exit_code == 2 and down.stdout == ""
    assert down.stderr.startswith("错误：收取邮箱失败，收件箱中的文件也没有收取（邮箱中的报送还没有收到，会被当作未报送）："
                                  f"无法连接收信服务器 127.0.0.1:{mail_servers.imaps_port}（连接被拒绝）。")
    assert down.stderr.endswith("处理好后重新运行；只用收件箱中已有的文件，请运行 duban collect（不加 --fetch）。\n")
    assert receipts(office) == taken and list(inbox_files(office)) == ["莞城街道6月进展.xlsx"]


def test_collect_fetch_without_a_mailbox_is_collect(issued_ws, make_return, run):
    drop(issued_ws, "东城街道6月进展.xlsx", make_return("东城街道"), on_time())
    result = duban(run, issued_ws, "collect", "--fetch")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("收件箱 1 个文件，登记 1 条")


def test_fetch_first_is_none_without_a_mailbox(issued_ws):
    assert mail_action.fetch_first(issued_ws, "没有汇总", "duban run --no-fetch") is None
