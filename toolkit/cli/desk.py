"""The coordinator's desk: demo, open, excel-console, period, sender, received, verify, kit and the mailbox."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import click

from .. import errors
from ..dates import parse_date
from ..period import Period
from ..text import key
from .base import (
    DATE,
    State,
    _action,
    _issued,
    _parse_date_option,
    cli,
    echo,
    echo_kept,
    pass_state,
    period_option,
)
from .month import _echo_run


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False), default="督办演示", metavar="[文件夹]")
@click.option("--pdf", is_flag=True, help="通报同时转成 PDF（需要 LibreOffice）")
@pass_state
def demo(state: State, folder: str, pdf: bool) -> None:
    """演示：用自带的东莞市任务分工表，完整走一遍 2022年6月 的月度流程。

    创建工作区，下发 54 份填报表，模拟各单位填报（按时、逾期、未报、出错退回、
    重报、压缩包、邮件转发），然后收取、校验、汇总、生成通报。

    \b
    示例：
      duban demo
      duban demo 我的演示 --pdf
    """
    result = _action("demo").run_demo(folder, pdf, state.progress)
    echo(state, f"演示工作区：{result.root}")
    _echo_run(state, result.run)
    if result.run.merged.consolidation.office_notes():
        # the demo's own questions (its units 逾期 on a file's time) are what it shows, not a
        # failure of it: said as such, and the demo still succeeds (exit 0)
        echo(state, "“请核实”是正式发出通报前要向单位核实的事项，演示中可不必理会；"
                    "也可在演示工作区中运行 duban verify（或双击“5-逐条核实”）逐条回答。")
        state.exit_code = 0
    echo(state, f"下一步：打开汇总表和通报看看；或在 {result.root} 中运行 duban status 查看报送情况。")


@cli.command("open")
@click.argument("what", default="文件夹", metavar="[对象]")
@period_option()
@pass_state
def open_cmd(state: State, what: str, period: str | None) -> None:
    """用系统默认程序打开最新的汇总表、通报或文件夹。

    对象可以是：文件夹（默认）、汇总、通报、收件箱、反馈、下发。

    \b
    示例：
      duban open 汇总
      duban open 通报
    """
    opener = _action("open")
    path = opener.find_output(state.workspace(), what, period)
    if opener.open_path(path):
        echo(state, f"已打开：{path}")
    else:
        # said even with -q: the double-click scripts run `open … -q` right after their
        # "正在打开……" line, and a silent failure leaves the office waiting for a window
        click.echo(f"无法自动打开，请手动打开：{path}")


@cli.command("excel-console")
@pass_state
def excel_console(state: State) -> None:
    """生成 Excel 控制台（控制台.xlsm）：在 Excel 中点按钮下发、收取汇总、生成通报。

    需要 Windows 或 macOS 上的 Microsoft Excel 和 xlwings（pip install "duban[excel]"）；
    WPS 不支持 xlwings。

    \b
    示例：
      duban excel-console
    """
    path = _action("excel_console").create_console(state.workspace())
    echo(state, f"已生成：{path}")
    echo(state, "用 Excel 打开，启用宏后，在 B3 填写期次，点按钮即可。")


@cli.command("period")
@click.option("--label", is_flag=True, help="写成“2022年6月”而不是“2022-06”")
@click.option("--for-issue", "for_issue", is_flag=True,
              help="下发用：当前期次已开始收到报送、且该月已过完时，给出下一期（1-下发填报表直接回车的期次）")
@click.option("--for-returns", "--for-chase", "for_returns", is_flag=True,
              help="收取、汇总、核实、通报、反馈、催报用：当前期次的月份还没过完、上一期已下发时，给出上一期"
                   "（其报送正在收取；2-收取并汇总、3-生成通报、5-逐条核实、一键月报和 4-发送邮件选 2、3 "
                   "直接回车的期次）")
@click.option("--why", is_flag=True, help="给出的期次不是当前期次时，另起一行说明原因（写到标准错误，双击脚本用）")
@pass_state
def period_cmd(state: State, label: bool, for_issue: bool, for_returns: bool, why: bool) -> None:
    """显示当前期次（duban.toml 中的 period）：双击脚本用它作默认期次。

    \b
    示例：
      duban period
      duban period --label
      duban period --for-issue
      duban period --for-returns --why
    """
    ws = state.workspace()
    offer = _action("period_offer", package=True)
    current = ws.period()
    # 8 December, December's forms out on the 6th: the returns collected and chased are November's
    offered = offer.period_to_issue(ws) if for_issue else offer.period_of_returns(ws) if for_returns else current
    click.echo(offered.label if label else str(offered))
    if why and not state.quiet and (said := offer.why_offered(current, offered)):
        click.echo(said, err=True)  # stdout stays the period alone: the scripts read it


@cli.command("sender")
@period_option()
@click.option("--dept", "unit", required=True, metavar="单位", help="“请核实”提示中的单位")
@click.option("--theirs", "answer", flag_value="theirs", help="核实是该单位报送或委托报送：按时报送不变")
@click.option("--not-theirs", "answer", flag_value="not",
              help="核实不是该单位报送：不再据此计算其报送时间；文件名等写另一单位的那一份（W206）计为另一单位的退回报送")
@click.option("--undo", "answer", flag_value="undo", help="撤销已记录的核实")
@pass_state
def sender_cmd(state: State, period: str | None, unit: str, answer: str | None) -> None:
    """核实发件人：回答“请核实”中从单位名录以外的邮箱报来的那一份是否为该单位报送。

    记录在收件登记中，此后汇总、通报不再提示；不是该单位报送的，不再据此计算其报送时间。

    也回答按某单位登记、但文件名、填报单位或发件人写的是另一单位的那一份（如按石碣镇登记的
    “石排镇6月.xlsx”）：--dept 写登记的单位，--theirs 表示核实确是该单位的报送；--not-theirs
    表示不是（另一单位填在了该单位的填报表上）：这份不再计为该单位的报送，该单位按其自己的
    报送计；这份计为另一单位被退回的报送（退回待改，生成反馈邮件草稿），请其按期用本单位的
    填报表重报。

    \b
    示例：
      duban sender --period 2022-06 --dept 中堂镇 --theirs
      duban sender --period 2022-06 --dept 中堂镇 --not-theirs
      duban sender --period 2022-06 --dept 中堂镇 --undo
      duban sender --period 2022-06 --dept 石碣镇 --theirs
      duban sender --period 2022-06 --dept 石碣镇 --not-theirs
    """
    if answer is None:
        raise click.UsageError("请写明核实结果：--theirs（是其报送）、--not-theirs（不是其报送）或 --undo（撤销）。")
    with state.locked() as ws:
        done = _action("sender").check_sender(ws, _issued(ws, period, False), unit,
                                              {"theirs": True, "not": False, "undo": None}[answer])
    echo(state, done.line())
    _merge_again(state, done.changed)


def _merge_again(state: State, changed: bool) -> None:
    """A verdict an answer changed is in no 汇总表 or 通报 yet: said."""
    if changed:
        echo(state, "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。", fg="yellow")


@cli.command("received")
@period_option()
@click.option("--dept", "unit", required=True, metavar="单位", help="“请核实”提示中的单位")
@click.option("--on", "on", type=DATE, metavar="YYYY-MM-DD", help="实际收到这份报送的日期：按这一天计报送时间")
@click.option("--confirm", is_flag=True, help="核实文件修改时间（或邮件的时间）就是收到时间：逾期报送不变")
@click.option("--undo", is_flag=True, help="撤销已记录的收到日期或核实")
@pass_state
def received_cmd(state: State, period: str | None, unit: str, on, confirm: bool, undo: bool) -> None:
    """核实收到日期：回答“请核实”中按文件修改时间（或转发邮件、邮箱收到时间）计为逾期报送的那一份是哪天收到的。

    直接放进收件箱的文件，报送时间取文件修改时间，那往往是另存进收件箱的时间，晚于实际
    收到的时间；转发的邮件、邮箱收到的时间也可能晚于单位实际报送的时间。按邮件、登记簿等
    核实后：实际按时收到的，用 --on 写收到日期，按这一天计报送时间（同 duban collect
    --received，不必把文件从归档中找回来）；该时间无误的，用 --confirm 记录，仍计为逾期
    报送。记录后汇总、查看报送情况和生成通报时不再提示“请核实”，改为列出一行“已核实：…”。

    \b
    示例：
      duban received --period 2022-06 --dept 市司法局 --on 2022-07-04
      duban received --period 2022-06 --dept 市司法局 --confirm
      duban received --period 2022-06 --dept 市司法局 --undo
    """
    if (on is not None) + confirm + undo != 1:
        raise click.UsageError("请写明且只写一个核实结果：--on 收到日期（实际收到的日期）、"
                               "--confirm（该时间无误）或 --undo（撤销）。")
    with state.locked() as ws:
        done = _action("received").answer_received(ws, _issued(ws, period, False), unit, on, undo)
    echo(state, done.line())
    _merge_again(state, done.changed)


@cli.command("verify")
@period_option()
@click.option("--check", "check_only", is_flag=True,
              help="只查看有没有需要逐条回答的事项，不提问：有则退出码为 1，没有为 0（双击脚本使用）")
@pass_state
def verify_cmd(state: State, period: str | None, check_only: bool) -> None:
    """逐条核实：把本期“请核实”中可以当场回答的事项逐条列出，按编号选择回答。

    回答与 duban received、duban sender、duban mail checked 相同，记录在收件台账中，
    此后汇总、查看报送情况和生成通报时不再提示；有回答时接着重新生成汇总表。
    直接回车跳过一项，以后再答。需要另行办理的事项（如收件箱中尚未收取的文件）
    列在最后。双击“5-逐条核实”运行的就是这个命令。

    上次核实中途停止（或汇总没有完成）、回答尚未写入汇总表的，这次也会重新生成汇总表。

    最后列出本期已记录的核实结果（包括刚才的回答），输入编号可撤销其中一项（与 --undo
    相同），撤销的事项以后重新提问；直接回车结束。

    \b
    示例：
      duban verify
      duban verify --period 2022-06
      duban verify --check
    """
    ws = state.workspace()
    p = _issued(ws, period, False)
    action = _action("verify")
    questions = action.open_questions(ws, p)
    asked, walk = questions.asked, _Walk()
    if check_only:  # the scripts' exit-1 line names 5-逐条核实 only when it has something to ask
        # answers recorded are not: taking one back is the office's choice, never a question left open
        if asked:
            echo(state, f"{p.label}有 {len(asked)} 项需要逐条核实：请运行 duban verify（或双击“5-逐条核实”）逐条回答。")
            state.exit_code = 1
        else:
            echo(state, f"{p.label}没有需要逐条回答的“请核实”事项。")
        # not asked here, yet open: said, so that none reads the month as settled (QA370); a 提醒 asks nothing
        if held := [line for line in questions.others if line.startswith("请核实")]:
            echo(state, f"另有 {len(held)} 项“请核实”需要另行办理，不能逐条回答：运行 duban status 查看。")
        return
    if asked:
        echo(state, f"{p.label}有 {len(asked)} 项需要核实。请按编号选择回答；直接回车跳过，以后再答。")
    try:
        for number, question in enumerate(asked, 1):
            echo(state, "")
            # an answer before it (or a colleague's meanwhile) may have settled it or changed its choices
            question = (action.current(ws, question) or action.file_now(ws, question)) if number > 1 else question
            if question is None:
                echo(state, f"【{number}/{len(asked)}】{_GONE}")
                walk.gone += 1
                continue
            echo(state, f"【{number}/{len(asked)}】{question.facts}")
            done = _ask(state, ws, action, question)
            if done is _GONE:
                walk.gone += 1
                continue
            if done is None:
                walk.skipped.append(question)
            walk.recorded += done is not None
            walk.changed = walk.changed or bool(done and done.changed)
        _take_back(state, ws, action, p, walk)  # a wrong answer, this walk's or an earlier one's
    except click.Abort:  # Ctrl-C or the end of the input at a prompt: what was recorded stays
        # not merged here: a second Ctrl-C would cut the merge short; the next walk merges
        # (`Questions.unmerged`), whatever stopped this one
        echo(state, "")
        echo(state, f"已停止核实：已记录 {walk.recorded} 项" + (f"，撤销 {walk.undone} 项" if walk.undone else "")
                    + "，其余以后再答。" + (_UNDONE if walk.undone else _UNMERGED if walk.recorded or questions.unmerged
                                        else ""),
             fg="yellow")
        state.exit_code = 130
        return
    except KeyboardInterrupt as stop:  # not at a prompt: while an answer (or an undo) was being recorded
        _cancelled(stop, ws, action, p, walk)
        raise
    except Exception:  # an answer's own collect failed (a full disk), the ledger refused (SQLite's
        # "database is locked" is no OSError): what was kept, then the error
        _kept(state, walk)
        raise
    merged, now = None, questions
    if walk.recorded or walk.undone or questions.unmerged:  # this walk's, or an earlier one's no 汇总表 says yet
        try:
            with state.locked():
                merged = _action("merge").merge(ws, p)
        except KeyboardInterrupt as stop:
            _cancelled(stop, ws, action, p, walk)
            raise
        except Exception:  # busy, the 汇总表 open in Excel, a full disk, the ledger's disk: said, then the error
            _kept(state, walk)
            raise
        now = action.questions_of(merged.consolidation)  # what the answers left open, not what was asked
    elif walk.gone:  # settled by a colleague meanwhile: what is open now
        now = action.open_questions(ws, p)
    # a question skipped, then settled by an answer after it (a form collected from a mail too big)
    skipped = sum(action.still_open(q, now) for q in walk.skipped)
    settled = len(walk.skipped) - skipped
    if now.others:
        echo(state, "")
        echo(state, "以下事项需要另行办理，不能在这里回答：")
        for line in now.others:
            echo(state, "  " + line, fg="yellow")
    echo(state, "")
    undone = f"撤销 {walk.undone} 项" if walk.undone else ""
    if not asked:
        echo(state, f"已{undone}。" if undone else f"{p.label}没有需要逐条回答的“请核实”事项。")
    else:
        echo(state, f"已记录 {walk.recorded} 项" + (f"，跳过 {skipped} 项" if skipped else "")
                    + (f"，跳过的 {settled} 项因其后的回答已不需要核实" if settled else "")
                    + (f"，{undone}" if undone else "") + "。")
    if merged is not None and not walk.recorded and not walk.undone:
        echo(state, f"此前记录的 {questions.unmerged} 项核实结果尚未写入汇总表（上次核实中途停止，或汇总没有完成），"
                    f"汇总表已按核实结果重新生成：{merged.path}")
        echo_kept(state, merged.kept)
        echo(state, "如已生成通报，请重新生成（双击“3-生成通报”或运行 duban memo），使通报与核实结果一致。",
             fg="yellow")
    elif merged is not None:
        echo(state, f"汇总表已按核实结果重新生成：{merged.path}")
        echo_kept(state, merged.kept)
        if walk.changed:
            echo(state, "有单位的报送状态因核实而改变。如已生成通报，请重新生成（双击“3-生成通报”或运行 duban memo），"
                        "使通报与核实结果一致。", fg="yellow")
        # the questions an undo opened again are its own line's (ASKED_AGAIN), not new ones
        if (new := len(now.asked) - skipped - walk.undone) > 0:
            echo(state, f"核实结果使 {new} 项新的事项需要核实，请再次逐条核实（双击“5-逐条核实”或运行 duban verify）。",
                 fg="yellow")
        if walk.undone and now.asked:
            echo(state, "撤销的事项已重新列为“请核实”，请再次逐条核实（双击“5-逐条核实”或运行 duban verify）重新回答。",
                 fg="yellow")
    if now.asked or now.others:
        state.exit_code = 1


@dataclass(eq=False)  # never compared: start-up (docs/design.md; every command loads this module)
class _Walk:
    """What a walk did so far: said when it ends, or when Ctrl-C or an error stops it."""

    recorded: int = 0  # answers recorded
    gone: int = 0  # questions settled before their turn (an answer before them, a colleague)
    undone: int = 0  # answers taken back
    changed: bool = False  # a unit's verdict changed by an answer or an undo
    skipped: list = field(default_factory=list)  # the questions skipped (Enter)


def _take_back(state: State, ws, action, p: Period, walk: _Walk) -> None:
    """List the month's answers recorded (`actions.verify.recorded_answers`), this walk's with
    them, and take back those whose number the office types, until it presses Enter: an office
    that works by double-click has no ``--undo`` to type when it answered wrong. Numbered as
    first listed; one taken back meanwhile (or by a colleague) is refused, and said."""
    listed = action.recorded_answers(ws, p)
    if not listed:
        return
    echo(state, "")
    echo(state, f"{p.label}已记录的核实结果：")
    for number, recorded in enumerate(listed, 1):
        echo(state, f"  {number}. {recorded.text}")
    while True:
        try:
            typed = key(click.prompt("如需撤销某项已记录的核实结果，请输入其编号（直接回车结束）", default="",
                                     show_default=False, prompt_suffix="："))
        except click.Abort:
            # an optional list, not a question: Ctrl-C or the input's end here ends it as Enter
            # does, and the answers given (and any taken back) are merged, not left for a later
            # walk with 【已取消】 (a script with its input closed stopped every walk at 130)
            echo(state, "")
            return
        if not typed:
            return
        if not typed.isdigit() or not 1 <= int(typed) <= len(listed):
            echo(state, f"请输入 1 到 {len(listed)} 之间的编号，或直接回车结束。", fg="red")
            continue
        try:
            with state.locked():  # per undo, as per answer
                done = action.take_back(ws, listed[int(typed) - 1])
        except errors.WorkspaceBusy as exc:
            echo(state, f"{exc.message.removesuffix('请等它结束后再运行。')}此项没有撤销：请稍候再输入编号，"
                        "或直接回车结束。", fg="red")
            continue
        except errors.UsageError as exc:  # taken back already, in this walk or by a colleague
            echo(state, exc.message, fg="red")
            continue
        for line in done.lines:
            echo(state, line)
        walk.undone += 1
        walk.changed = walk.changed or done.changed


def _kept(state: State, walk: _Walk) -> None:
    """Before the error that stopped the walk or its merge: the answers recorded stay, the
    汇总表 does not say them yet, and walking again would not merge (nothing left to ask)."""
    if walk.recorded or walk.undone:
        done = "、".join(x for x in (f"已记录的 {walk.recorded} 项核实结果" if walk.recorded else "",
                                     f"撤销的 {walk.undone} 项" if walk.undone else "") if x)
        echo(state, "")
        echo(state, f"{done}已保存，但汇总表没有重新生成。请按下面的提示处理后，"
                    "双击“2-收取并汇总”（或运行 duban merge）更新汇总表"
                    + ("。" if walk.undone else "；再次逐条核实时也会重新生成。"), fg="yellow")


def _cancelled(stop: KeyboardInterrupt, ws, action, p: Period, walk: _Walk) -> None:
    """Ctrl-C (or the console closed) outside a prompt: while an answer was being recorded or
    the 汇总表 regenerated. `DubanGroup` says the line set here in place of its bare 已取消。,
    which an office reads as "nothing was done": the answers the ledger kept that no 汇总表
    says yet. Counted from the ledger (`Questions.unmerged`): the answer being recorded when
    the stop came may be in it, uncounted by the walk; an undo leaves no time to count by."""
    _action("interrupts", package=True).ignore()  # a second Ctrl-C must not cut the line short
    stale = walk.recorded
    with contextlib.suppress(Exception):
        stale = action.open_questions(ws, p).unmerged
    kept = [x for x in ("已记录的核实结果已保存" if stale else "", "撤销已生效" if walk.undone else "") if x]
    if kept:
        stop.cancelled_line = f"已取消：{'，'.join(kept)}，{_UNDONE if walk.undone else _UNMERGED}"


#: said when a walk stops with answers no 汇总表 says yet: the next walk merges them
_UNMERGED = "汇总表尚未按核实结果重新生成：请双击“2-收取并汇总”（或运行 duban merge），再次逐条核实时也会重新生成。"
#: said instead when it took an answer back: an undo leaves no answer's time by which the next
#: walk would know to merge (`Questions.unmerged`), so only a merge says it
_UNDONE = "汇总表尚未按核实结果重新生成：请双击“2-收取并汇总”（或运行 duban merge）。"
#: said of a question no longer open when its turn comes (or when its answer is refused)
_GONE = "此项已不需要核实（前面的回答或其他同事已办理），跳过。"


def _ask(state: State, ws, action, question):
    """Put ``question`` to the office until it answers or skips (Enter): the recorded answer
    (`actions.verify.Answered`), None, or `_GONE` when the answer was refused because the
    question is no longer open. Any other refused answer (a day in the future, an empty 收件箱),
    or the workspace busy with a colleague's run, is said and the question put again; one about
    a file the unit no longer stands 逾期 on (a colleague's collect meanwhile) is put again about
    the file it stands 逾期 on now."""
    _choices(state, question)
    while True:
        typed = click.prompt("请输入编号（直接回车跳过）", default="", show_default=False, prompt_suffix="：")
        typed = key(typed)  # full-width digits and spaces, as a Chinese input method types them
        if not typed:
            return None
        if not typed.isdigit() or not 1 <= int(typed) <= len(question.choices):
            some = f"1 到 {len(question.choices)} 之间的编号" if len(question.choices) > 1 else "1"
            echo(state, f"请输入 {some}，或直接回车跳过。", fg="red")
            continue
        choice, day, files = int(typed), None, None
        if choice == question.wants_day:
            day = _ask_day(state, ws, action, question, question.period.due(ws.due_day) - dt.timedelta(days=1))
            if day is None:
                return None
        if question.mail is not None and choice == 2:
            files = _confirm_inbox(state, ws, action, question.mail)
            if files is None:
                continue
        try:
            with state.locked():  # per answer: a colleague's double-click waits a moment, not the whole walk
                done = action.answer(ws, question, choice, day, files)
        except errors.WorkspaceBusy as exc:
            echo(state, f"{exc.message.removesuffix('请等它结束后再运行。')}此项没有记录：请稍候再输入编号，"
                        "或直接回车跳过。", fg="red")
            continue
        except errors.FileChanged as exc:
            now = action.file_now(ws, question)
            if now is None:
                echo(state, exc.message, fg="red")
                echo(state, _GONE, fg="yellow")
                return _GONE
            echo(state, f"{exc.message}请按现在的文件回答：", fg="red")
            question = now
            echo(state, question.facts)
            _choices(state, question)
            continue
        except errors.UsageError as exc:
            if action.current(ws, question) is None:
                echo(state, _GONE, fg="yellow")
                return _GONE
            echo(state, exc.message, fg="red")
            continue
        for line in done.lines:
            echo(state, line)
        return done


def _choices(state: State, question) -> None:
    for number, choice in enumerate(question.choices, 1):
        echo(state, f"  {number}. {choice}")


def _confirm_inbox(state: State, ws, action, mail) -> list[str] | None:
    """The files of 收件箱 the office confirms are the mail's, all to be collected as received
    on its day; None: 收件箱 is empty, or the office did not confirm (the choices again)."""
    files = action.inbox_files(ws)
    if not files:
        echo(state, action.EMPTY_INBOX, fg="red")
        return None
    echo(state, f"收件箱中有 {len(files)} 个文件，将全部按 {mail.received:%Y-%m-%d} 收到收取：{'、'.join(files)}。"
                "收件箱中只应有从这封邮件下载的文件，其他文件请先移出（或先双击“2-收取并汇总”收取）。")
    typed = click.prompt("确认收取请输入 1（直接回车不收取）", default="", show_default=False, prompt_suffix="：")
    if key(typed) == "1":
        return files
    # back at the question's prompt: say so, or the office takes the silence for a collect
    echo(state, "没有收取，收件箱中的文件原样保留：请重新输入编号，或直接回车跳过。", fg="yellow")
    return None


def _ask_day(state: State, ws, action, question, example: dt.date):
    """The day the office says it received a file: a date, or None when it presses Enter.
    ``example``: a day of the month asked about (not a fixed 2022 date in a 2026 workspace).
    A day after the unit's deadline leaves it 逾期 though the answer chosen said 按时: said,
    and taken only when the office confirms it (a 7 typed for a 4 named the unit 逾期); a day
    after today is refused by the answer itself, never confirmed."""
    while True:
        typed = click.prompt(f"实际收到的日期，如 {example.isoformat()}（直接回车跳过）", default="",
                             show_default=False, prompt_suffix="：").strip()
        if not typed:
            return None
        day = action.day_typed(typed, example)
        if day is not None and question.due and question.due < day <= ws.now().date():
            echo(state, f"收到日期 {day.isoformat()} 晚于截止日期 {question.due.isoformat()}，不是按时收到："
                        f"按该日期{question.unit}计为逾期报送。", fg="yellow")
            if key(click.prompt("确认按该日期记录请输入 1（直接回车重新输入日期）", default="",
                                show_default=False, prompt_suffix="：")) != "1":
                continue
        if day is not None:
            return day
        if parse_date(typed) is not None:  # a month alone: not its last day (a 按时 nobody said)
            echo(state, f"日期“{typed}”没有写哪一天，请写实际收到的那一天，如 {example.isoformat()}。", fg="red")
            continue
        echo(state, f"日期“{typed}”无法识别，请写成 {example.isoformat()}。", fg="red")



@cli.command("kit")
@click.option("--out", "-o", type=click.Path(file_okay=False), help="输出文件夹，默认 ./督办离线安装包")
@click.option("--platform", "platforms", multiple=True, metavar="平台",
              help="win_amd64、manylinux_x86_64、manylinux_aarch64，可重复；默认三者都要")
@click.option("--python", "pythons", multiple=True, metavar="版本",
              help="3.10、3.11、3.12、3.13、3.14，可重复；默认全部")
@click.option("--wheel", type=click.Path(dir_okay=False),
              help="已构建好的 duban 安装文件（.whl），默认从源码构建")
@click.option("--no-zip", is_flag=True, help="只生成文件夹，不再打包成 .zip")
@pass_state
def kit_cmd(state: State, out: str | None, platforms: tuple[str, ...], pythons: tuple[str, ...],
            wheel: str | None, no_zip: bool) -> None:
    """离线安装包：把督办和它需要的全部组件放进一个文件夹（和 .zip），拷到没有网络的电脑上安装。

    生成时需要访问一次软件包仓库；安装时完全不需要网络。

    \b
    示例：
      duban kit
      duban kit --out D:\\督办安装包 --platform win_amd64 --python 3.11
    """
    result = _action("kit").build_kit(Path(out) if out else None, list(platforms) or None, list(pythons) or None,
                                      wheel=Path(wheel) if wheel else None, make_zip=not no_zip,
                                      progress=state.progress)
    for line in result.lines():
        echo(state, line)


@cli.group("mail")
def mail_group() -> None:
    """邮箱：从单位邮箱收取报送，把下发、反馈、催报邮件草稿发出去（在 duban.toml 的 [mail] 中设置）。"""


@mail_group.command("login")
@pass_state
def mail_login(state: State) -> None:
    """保存邮箱密码到系统的凭据管理器（Windows 凭据管理器、macOS 钥匙串），只需一次。

    \b
    示例：
      duban mail login
    """
    ws = state.workspace()
    password = click.prompt("邮箱密码（输入时不显示）", hide_input=True, prompt_suffix="：")
    for line in _action("mail").login(ws, password).lines():
        echo(state, line)


@mail_group.command("fetch")
@click.option("--since", metavar="YYYY-MM-DD", help="只收这一天及以后收到的邮件")
@pass_state
def mail_fetch(state: State, since: str | None) -> None:
    """收取邮件：把带报送附件的邮件整封存进收件箱（不会重复收取），然后运行 duban collect。

    \b
    示例：
      duban mail fetch
      duban mail fetch --since 2022-07-01
    """
    with state.locked() as ws:
        result = _action("mail").fetch(ws, _parse_date_option(since, "起始日期"), state.progress)
    for line in result.lines():
        echo(state, line)
    if result.problems:
        state.exit_code = 1


@mail_group.command("checked")
@click.argument("which", metavar="邮件")
@click.option("--undo", is_flag=True, help="撤销已记录的核实")
@pass_state
def mail_checked(state: State, which: str, undo: bool) -> None:
    """核实过大的邮件：记录已在邮箱中打开“请核实”提到的那封过大、没有下载的邮件，并已办理。

    不是报送的（如外单位发来的照片），无需办理；是报送的，把填报表下载后放进收件箱、
    运行 duban collect --received 收到日期 之后再记录。记录后汇总、查看报送情况和生成
    通报时不再提示这封邮件。邮件写收到时间（“请核实”中的“2022-07-04 10:00 收到”），
    或发件地址。

    \b
    示例：
      duban mail checked "2022-07-04 10:00"
      duban mail checked zhang.wei@163.com
      duban mail checked "2022-07-04 10:00" --undo
    """
    with state.locked() as ws:
        done = _action("sender").check_mail(ws, which, not undo)
    for line in done.lines():
        echo(state, line)


@mail_group.command("send")
@click.argument("kind", type=click.Choice(["issue", "feedback", "remind", "下发", "反馈", "催报"]),
                metavar="issue|feedback|remind")
@period_option()
@click.option("--yes", "-y", is_flag=True, help="不再询问，直接发送")
@click.option("--dry-run", is_flag=True,
              help="演练：列出将发送的邮件，不发送；设置了发信服务器时连接并登录，检验设置和密码")
@click.option("--resend", "resend", multiple=True, metavar="单位",
              help="再次发送该单位的邮件（已发送或可能已发送过的也发，可重复；写“全部”则所有单位）")
@click.option("--renew", is_flag=True, help="反馈：要求重新报送的日期已过的草稿，按今天重新生成后发送")
@click.option("--renewable", is_flag=True,
              help="反馈：只检查有没有 --renew 会重新生成的草稿（有则列出，退出码 1），不生成、不发送（双击脚本用）")
@pass_state
def mail_send(state: State, kind: str, period: Period | None, yes: bool, dry_run: bool,
              resend: tuple[str, ...], renew: bool, renewable: bool) -> None:
    """发送邮件草稿：下发（issue）、反馈（feedback）或催报（remind），已发过的不会再发。

    先列出将发送的邮件（多少封、发给谁、附件和大小），确认后再发。收件人按任务分工表
    “单位名录”中现在的邮箱（草稿是回复报送人的除外），补填、改正邮箱后再运行即可。
    也可以写中文：duban mail send 催报。

    \b
    示例：
      duban mail send issue
      duban mail send feedback --period 2022-06
      duban mail send remind --dry-run
      duban mail send issue --resend 市民政局
    """
    kind = {"下发": "issue", "反馈": "feedback", "催报": "remind"}.get(kind, kind)
    mail = _action("mail")
    if renewable:  # 4-发送邮件's question after a send held replies back: would --renew write them?
        with state.locked() as ws:
            plan = mail.plan_send(ws, kind, period, dry_run=True, renew=True)
        for line in plan.renew_lines(asked=True):
            echo(state, line)
        state.exit_code = 1 if plan.would_renew else 0
        return
    with state.locked() as ws:
        plan = mail.plan_send(ws, kind, period, resend, dry_run=dry_run, renew=renew)
        for line in plan.lines():
            echo(state, line)
        # drafts left unsent: the line says to write them again; 催报 going while a unit may have
        # reported (its 请核实, the mailbox not fetched today): sent or not, the warning stands, and
        # 4-发送邮件 ends on it, not 【成功】 (QA371)
        if plan.held or (plan.notes and plan.drafts):
            state.exit_code = 1
        if plan.unset:  # a dry run without [mail]'s sending settings: listed, nothing to log in to
            state.exit_code = 1
            return
        if not plan.drafts:
            return
        if not dry_run and not yes and not click.confirm("确认发送以上邮件？", default=False, err=True):
            echo(state, "已取消，没有发送任何邮件。")
            return
        try:
            result = mail.send(ws, plan, dry_run=dry_run, progress=state.progress)
        except KeyboardInterrupt as stop:
            if not dry_run:  # said by `DubanGroup` in place of its bare 已取消。
                _action("interrupts", package=True).ignore()  # a second Ctrl-C must not cut it short
                with contextlib.suppress(Exception):
                    stop.cancelled_line = mail.cancelled_line(ws, plan)
            raise
    for line in result.lines():
        echo(state, line)
    if result.failed:
        state.exit_code = 1
