"""Review qa230 of `duban verify` / 5-逐条核实 (714782b), as an office that works by double-click
would use it.

Mended here, and pinned: a walk that skipped a unit's unknown-sender question and answered its
W206 question recorded the copy from the unknown address as the unit's (``check_sender --theirs``
answers the sender question first); a question answered by a colleague meanwhile was put again
and again ("无需再次运行"); a workspace busy at one answer ended the walk with exit 4, which the
double-click script says as 【未运行】 while answers were recorded and the 汇总表 not merged; a
re-merge that failed (the 汇总表 open in Excel) did not say that the answers were kept and that
another walk merges nothing; the lines listed at the end and the exit code were those before the
answers (a 收件箱 file the walk itself collected was still listed, exit 1).

Strict xfail: wrong behaviour left for a decision.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, late, set_clock
from test_evidence import clean
from test_qa190_double_click import CST
from test_qa200_mail_leftovers import _zhang
from test_qa213_review import _zt_both
from test_qa216_weak_times import SAVED, _saved_late

from toolkit import errors
from toolkit.actions import verify
from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.ledger.mail_records import TOO_BIG, MailRecords
from toolkit.vocab import UnitState
from toolkit.workspace import Workspace

VERIFY = ["verify", "--period", "2022-06"]
GONE = "此项已不需要核实（前面的回答或其他同事已办理），跳过。"


def _state(ws, unit: str) -> tuple[str, str]:
    return next((u.state, u.received_at) for u in consolidate(ws, PERIOD, tasks=False).units if u.unit == unit)


def test_the_w206_answer_never_answers_the_skipped_unknown_sender_question(issued_ws, make_return, collecting_on,
                                                                            run):
    """中堂镇: a village's copy from an unknown address (question 1) and its own form sent as
    石排镇6月.xlsx (W206, question 2). Enter at 1, then 1 at 2: the W206 file is recorded as
    中堂镇's, and the village copy stays asked about (it was recorded as 中堂镇's own)."""
    _zt_both(issued_ws, make_return, collecting_on, run)
    done = run(VERIFY, cwd=issued_ws.root, input="\n1\n\n")
    lines = done.output.splitlines()
    assert "已记录：中堂镇 2022年6月的“石排镇6月.xlsx”（2022-07-04 10:00）是中堂镇的报送，不是石排镇的；" \
           "汇总、查看报送情况和生成通报时不再提示。" in lines, done.output
    assert not [x for x in lines if "由其报送或委托报送" in x]
    (left,) = verify.open_questions(issued_ws, PERIOD).asked
    assert (left.kind, left.unit) == (verify.Kind.SENDER, "中堂镇")
    assert done.exit_code == 1


def test_a_question_a_colleague_answered_meanwhile_is_said_and_passed_not_put_again(
        issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    real = verify.open_questions

    def answered_meanwhile(ws, period):
        asked = real(ws, period)
        run(["received", "--period", "2022-06", "--dept", "石龙镇", "--confirm"], cwd=ws.root)
        return asked

    monkeypatch.setattr(verify, "open_questions", answered_meanwhile)
    done = run(VERIFY, cwd=issued_ws.root, input="2\n\n")
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    # the colleague's answer is listed, to be taken back here if it was wrong
    assert lines[lines.index("请输入编号（直接回车跳过）：2") + 1:] == [
        GONE, "", "2022年6月已记录的核实结果：", *lines[-4:-3],
        "如需撤销某项已记录的核实结果，请输入其编号（直接回车结束）：", "", "已记录 0 项。"]
    assert lines[-4].startswith("  1. 已核实：石龙镇 2022年6月的“石龙镇.xlsx”按文件修改时间")


def test_a_workspace_busy_at_an_answer_is_said_and_the_question_put_again(issued_ws, make_return, monkeypatch,
                                                                          run):
    """A colleague's collect holds the lock for a moment: the walk goes on, nothing is lost."""
    _saved_late(issued_ws, make_return, monkeypatch, run)
    real, calls = Workspace.lock, []

    def lock(self):
        calls.append(1)
        if len(calls) == 1:
            raise errors.WorkspaceBusy("另一个督办程序正在处理这个工作区（进程 7，办公室电脑，2022-07-08 10:00:00 开始），"
                                       "请等它结束后再运行。")
        return real(self)

    monkeypatch.setattr(Workspace, "lock", lock)
    done = run(VERIFY, cwd=issued_ws.root, input="2\n2\n\n")
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[lines.index("请输入编号（直接回车跳过）：2") + 1] == (
        "另一个督办程序正在处理这个工作区（进程 7，办公室电脑，2022-07-08 10:00:00 开始），此项没有记录："
        "请稍候再输入编号，或直接回车跳过。")
    assert "汇总表已按核实结果重新生成：" in done.output
    assert _state(issued_ws, "石龙镇")[0] == UnitState.LATE and not verify.open_questions(issued_ws, PERIOD).asked


def test_a_re_merge_that_fails_says_the_answers_are_kept_and_what_merges_them(issued_ws, make_return, monkeypatch,
                                                                              run):
    """The 汇总表 open in Excel at the re-merge: exit 2 with its error, after a line saying the
    answer is kept and that 2-收取并汇总, or another walk (QA244: it merges answers no 汇总表 says), merges it."""
    _saved_late(issued_ws, make_return, monkeypatch, run)
    from toolkit.actions import merge

    def locked(ws, period):
        raise errors.OutputLocked("汇总表“2022年6月_进展汇总表.xlsx”正在被其他程序打开，请关闭后重试。")

    monkeypatch.setattr(merge, "merge", locked)
    done = run(VERIFY, cwd=issued_ws.root, input="2\n\n")
    assert done.exit_code == 2
    lines = done.output.splitlines()
    assert lines[-2:] == [
        "已记录的 1 项核实结果已保存，但汇总表没有重新生成。请按下面的提示处理后，双击“2-收取并汇总”（或运行 duban merge）"
        "更新汇总表；再次逐条核实时也会重新生成。",
        "错误：汇总表“2022年6月_进展汇总表.xlsx”正在被其他程序打开，请关闭后重试。"], done.output
    assert not verify.open_questions(issued_ws, PERIOD).asked  # the answer stays


def test_what_is_left_is_what_the_answers_left_not_what_was_asked(issued_ws, make_return, monkeypatch, run):
    """The form from 张伟's mail too big, downloaded into 收件箱: before the walk a 请核实 says a
    file there is not collected; choice 2 collects it. Nothing is left: exit 0, nothing listed."""
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), SAVED)
    assert verify.open_questions(issued_ws, PERIOD).others  # 收件箱中还有 1 个文件尚未收取登记
    done = run(VERIFY, cwd=issued_ws.root, input="2\n1\n\n")
    assert done.exit_code == 0, done.output
    assert "以下事项需要另行办理" not in done.output and "尚未收取" not in done.output
    assert _state(issued_ws, "石龙镇") == (UnitState.ON_TIME, "2022-07-04 00:00")


def test_choice_2_of_a_mail_too_big_collects_only_files_the_office_confirms(issued_ws, make_return, monkeypatch,
                                                                            run):
    """Choice 2 collects every file of 收件箱 as received on the mail's day (collect --received):
    another unit's late return lying there would be backdated, 按时 with no question. The files
    are listed and collected only once the office confirms them; Enter takes it back."""
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    drop(issued_ws, "莞城街道.xlsx", make_return("莞城街道", clean()), late())
    done = run(VERIFY, cwd=issued_ws.root, input="2\n\n\n\n")
    assert ("收件箱中有 1 个文件，将全部按 2022-07-04 收到收取：莞城街道.xlsx。收件箱中只应有从这封邮件下载的文件，"
            "其他文件请先移出（或先双击“2-收取并汇总”收取）。") in done.output.splitlines()
    assert _state(issued_ws, "莞城街道")[0] == UnitState.NOT_REPORTED
    assert (issued_ws.inbox / "莞城街道.xlsx").exists()
    # the library refuses files the office did not confirm, or 收件箱 changed since
    (q,) = verify.open_questions(issued_ws, PERIOD).asked
    for files in (None, ["石龙镇.xlsx"]):
        with pytest.raises(errors.UsageError, match="与确认的不同"):
            verify.answer(issued_ws, q, 2, files=files)
    assert _state(issued_ws, "莞城街道")[0] == UnitState.NOT_REPORTED


def _big(ws, uid: int, sender: str, subject: str) -> None:
    with Ledger(ws.ledger_path) as ledger:
        MailRecords(ledger.conn).record_fetch(
            account="duban@dg.gov.cn", folder="INBOX", uidvalidity=1, uid=uid, message_id=f"<big-{uid}@dg.gov.cn>",
            internaldate=dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST), size=1_887_436, sender=sender,
            subject=subject, state=TOO_BIG, fetched_at="2022-07-06T18:00:00+08:00", after_fetch="keep")


def test_two_mails_too_big_of_one_minute_are_each_shown_before_either_is_checked(issued_ws, monkeypatch, run):
    _big(issued_ws, 7, "zhang.wei@163.com", "6月进展填报表")
    _big(issued_ws, 8, "石龙镇 <sl@dg.gov.cn>", "石龙镇2022年6月进展填报")
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    done = run(VERIFY, cwd=issued_ws.root, input="1\n\n\n")
    shown = [x for x in done.output.splitlines() if x.startswith("【")]
    checked = [x for x in done.output.splitlines() if x.startswith("已记录：邮件")]
    assert len(checked) <= sum("zhang.wei@163.com" in x or "sl@dg.gov.cn" in x for x in shown)
    # each shown, the first answered, the second skipped: it stays asked about
    assert len(shown) == 2 and len(checked) == 1, done.output
    (left,) = verify.open_questions(issued_ws, PERIOD).asked
    assert left.mail is not None and left.mail.row != 0 and not left.mail.checked_at
