"""The monthly commands: collect, check, merge, status, remind, memo, run — one library
action each (docs/design.md, "The pipeline"); issue is `cli.issue`, init and master import `cli.setup`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import errors
from ..period import Period
from ..text import pad, sentence, some_units
from ..vocab import NOT_YET_DUE, Outcome, UnitState, evidence_word
from .base import (
    DATE,
    State,
    _action,
    _issued,
    _parse_date_option,
    cli,
    echo,
    echo_kept,
    force_option,
    pass_state,
    period_option,
)
from .status import _echo_not_issued, _echo_office_notes, _exempt_count, _missing_count


@cli.command()
@period_option("只收本期（如 2022-06）的报送；其他期次的记为 E202 退回（加 --fetch 时，单位尚未报送的较早期次的填报表"
               "记入其期次）")
@click.option("--received", type=DATE, metavar="YYYY-MM-DD",
              help="直接放入收件箱的文件（非邮件）按这一天收到计，代替文件修改时间（不能晚于今天，也不能早于本期开始）")
@click.option("--fetch", "fetch", is_flag=True,
              help="先从 duban.toml [mail] 设置的邮箱收取报送邮件（同 duban mail fetch；没有设置邮箱时不收取）")
@click.option("--merge", "then_merge", is_flag=True,
              help="收取后接着生成本期汇总表（同 duban merge），各项“请核实”只说一次（双击“2-收取并汇总”使用）")
@pass_state
def collect(state: State, period: str | None, received, fetch: bool, then_merge: bool) -> None:
    """收取报送：处理收件箱中的文件、邮件（.eml/.msg）和压缩包（.zip/.7z/.rar）。

    每个文件原样归档到 归档/<期>/，登记到收件台账，逐份校验；退回的单位
    在 反馈/<期>/<日期>/ 得到标好问题的反馈表和回复邮件草稿。同一单位多次
    报送以发送时间最晚的为准；完全相同的文件不重复计数。

    报送时间取邮件的发送时间；直接放入的文件取文件修改时间（收件登记中注明），
    或用 --received 指定。晚于现在、早于本期的时间不作逾期依据（W207）。

    \b
    示例：
      duban collect
      duban collect --period 2022-06
      duban collect --received 2022-07-04
      duban collect --fetch
      duban collect --fetch --merge
    """
    merged = None
    with state.locked() as ws:
        fetched = None
        if received is not None:  # a day refused is refused before the mailbox is read
            _action("collect").refuse_received(ws, period, received)
        if fetch:  # a failed fetch stops before 收件箱: merged next, it would name 未报送 units whose mail waits
            fetched = _action("mail").fetch_first(ws, "收件箱中的文件也没有收取", "duban collect（不加 --fetch）",
                                                  state.progress, ws.period(period) if period else None)
        # --fetch is 2-收取并汇总's: whatever mail came is filed under its own month where its
        # unit owes that month, not refused as the period the office confirmed at the prompt
        result = _action("collect").collect(ws, period, state.progress, received=received, file_owed=fetch)
        if then_merge:
            # 2-收取并汇总 ran collect and merge as two processes, and each 请核实 on a file's time
            # was said twice (collect's line, then merge's): one run, said once, as `run` says it
            try:  # merged even when returns were sent back: the accepted ones still count
                merged = _action("merge").merge(ws, _issued(ws, period, False))
            except BaseException:  # no 汇总表 (open in Excel, a month never issued): collect's lines whole
                _echo_collected(state, ws, fetched, result)
                raise
    notes = merged.consolidation.office_notes() if merged is not None else []
    _echo_collected(state, ws, fetched, result, frozenset(notes),
                    merged.consolidation.period if merged is not None else None)
    if merged is not None:
        _echo_figures(state, merged.consolidation, notes)
        echo(state, f"汇总表：{merged.path}")
        echo_kept(state, merged.kept)


def _echo_collected(state: State, ws, fetched, result, said: frozenset[str] = frozenset(),
                    remerged: Period | None = None) -> None:
    """What `collect` fetched and collected, but the lines ``said`` (the month's notes, which
    ``--merge`` says after them, having merged ``remerged``); exit 1 when something needs attention."""
    _echo_fetched(state, fetched)
    _echo_collect(state, ws, result, said, remerged, fetched is not None)
    if result.attention_after(remerged) or (fetched is not None and fetched.problems):
        state.exit_code = max(state.exit_code, 1)


def _echo_fetched(state: State, fetched, indent: str = "") -> None:
    """What `run` and `collect --fetch` fetched: one line, and any mail it could not take."""
    for line in fetched.brief() if fetched is not None else []:
        echo(state, indent + line)


def _echo_collect(state: State, ws, result, said: frozenset[str] = frozenset(),
                  remerged: Period | None = None, fetched: bool = False) -> None:
    if not result.inputs and not result.recovered and not result.skipped:
        # after a fetch from the mailbox (`--fetch`), putting files in by hand is not the advice (QA371)
        then = ("报送邮件到达邮箱后再运行即可收取。" if fetched
                else "如有报送，请把文件、邮件（.eml）或压缩包放进去后再运行。")
        echo(state, f"收件箱是空的：{ws.inbox}，没有新的报送可收取。{then}")
        if result.feedback:  # owed by an earlier run, written now
            echo(state, f"补写了上次未写出的 {len({p.stem for p in result.feedback})} 个单位的反馈表及邮件草稿："
                        f"{'、'.join(sorted({str(p.parent) for p in result.feedback}))}")
        _echo_unfinished(result)
        return
    period = result.period or ws.period()
    echo(state, f"收件箱 {result.inputs} 个文件，登记 {result.receipts} 条（含邮件附件和压缩包内文件；"
                f"看不出期次的按{'当前期次' if period == ws.period() else '指定的期次'}{period.label}）")
    echo(state, f"  {result.tally()}，已被替代 {result.superseded}")
    if result.recovered:
        echo(state, f"  上次中断时已登记的 {result.recovered} 个文件已移出收件箱")
    asked = {name for name, _ in result.disputed}  # their own 请核实 (`_echo_evidence`) says why
    from ..set_aside import NOTHING_TO_DO, SAID  # deferred: a command that collects nothing loads none of it

    for top in result.items:
        for it in top.walk():
            if it.outcome not in (Outcome.RETURNED, Outcome.UNREADABLE):
                continue
            issues = (it.report.issues if it.report else []) + it.issues
            first = next((i for i in issues if i.is_error), None)
            unit = it.report.unit if it.report else it.unit
            who = unit or "单位未识别"
            filed = it.report.period if it.report else it.period
            if filed and filed != period:  # a refusal of an earlier month (`collect._owed_before`)
                who += f"，计入{filed.label}"
            if it.receipt_id in result.aside:
                # the scan with its seal, the blank form an Outlook reply carries back, photos
                # mailed days after a taken return: said in red with "请直接报送下发的 Excel
                # 填报表", the office read a unit 按时 as refused (QA209, QA345); said as the tally
                # and 收件登记 count it, not "无法读取（无需处理）" beside "无法读取 0" (QA349)
                echo(state, f"  {NOTHING_TO_DO}：{it.name}（{who}）{SAID[result.aside[it.receipt_id]]}")
                continue
            echo(state, f"  {it.outcome}：{it.name}（{who}）" + (f" {first.code} {first.message}" if first else ""),
                 fg="red")
            if not unit and it.name not in asked:  # counted for no unit: only the office can find whose (QA162)
                echo(state, _unattributed(it), fg="yellow")
    _echo_evidence(state, result, said, remerged)
    if result.feedback:
        folders = sorted({str(p.parent) for p in result.feedback})
        units = sorted({p.name.rsplit("_校验反馈", 1)[0] for p in result.feedback})
        echo(state, f"需回复的单位 {len(units)} 个：{'、'.join(units)}")
        echo(state, f"  反馈表及邮件草稿在：{'、'.join(folders)}")
        _echo_no_email(state, result.no_email)
    _echo_unfinished(result)


def _unattributed(it) -> str:
    """The 请核实 line on a refused or unread file counted for no unit (QA162): said of any file, a
    form of no 名录 unit, a PDF, a photo, a 派出所's table (QA163)."""
    return (f"  请核实：{it.name} 看不出是哪个单位报送的（文件中的单位信息、文件名、邮件主题和发件人"
            "都没有指明名录中的单位），未计入任何单位。请向发件人核实；如是名录中某单位的报送，"
            "请该单位用下发的填报表重新报送。")


def _echo_unattributed(state: State, result) -> None:
    """`run`'s line on each file refused or not read that no unit was counted for: its tally
    said "退回 1" and it exited 1 with nothing named, while the 通报 named the sender's unit
    未报送 (QA343: a clerk's own table from her QQ mailbox). `collect` says it among its refusals."""
    asked = {name for name, _ in result.disputed}
    for top in result.items:
        for it in top.walk():
            unit = it.report.unit if it.report else it.unit
            if it.outcome in (Outcome.RETURNED, Outcome.UNREADABLE) and not unit and it.name not in asked:
                echo(state, _unattributed(it), fg="yellow")


def _mail_said(name: str, said: frozenset[str]) -> bool:
    """Whether one of the month's notes (``said``) asks about the mail or file ``name`` already: a mail
    with no file or only a link is asked about by collect (`evidence.bare_mail_message`) and
    by the month's notes (`mail_notes.bare_mail_notes`, `link_notes`) in other words; `run` and
    `collect --merge` said both, two 请核实 on one mail (QA343). By what each note is about
    (`mail_notes.Note.about`; other lines are plain ``str``), not by its words (QA348)."""
    return any(name in getattr(line, "about", ()) for line in said)


def _echo_evidence(state: State, result, said: frozenset[str] = frozenset(), remerged: Period | None = None) -> None:
    """What the coordinator must look at: disputed units (W206), 补报 and 重报 (W209), a return
    from a unit exempt for the month, unread files; but a line the month's notes say (``said``:
    `run`'s, as a 逾期 on a file's time, `file_time`). A month this command merged again
    (``remerged``) is not to be merged by hand (QA273)."""

    def update(given: Period) -> str:
        if given == remerged:
            return "本次已重新汇总"
        return f"请运行 duban merge --period {given}（或双击“2-收取并汇总”，期次输入 {given}）更新"

    for name, message in result.disputed:
        # the month's note on a W206 file says collect's line and goes on (what it makes of each
        # unit, the commands that answer it): `collect --merge` said the two, one item (QA406)
        line = f"请核实：{name}：{message}"
        if not any(note.startswith(line) for note in said) and not _mail_said(name, said):
            echo(state, f"  {line}", fg="yellow")
    for unit, late_period in result.late:
        # a unit that had reported the month sends it again (a correction): 重报, not 补报
        kind = ("重报：{}重新报送了{}的填报表（此前已报送并采纳）" if (unit, late_period) in result.resent
                # sent by its deadline, or a correction by its reply's date, the month merged early (next
                # month's forms went out first): never 补报; 截止前 was untrue of that correction
                else "按时报送：{}报送了{}的填报表（在规定时限内收到）" if (unit, late_period) in result.on_time
                else "补报：{}报送了{}的填报表")
        echo(state, "  " + kind.format(unit + " ", late_period.label) + "，该期已汇总；" + update(late_period) + "。",
             fg="yellow")
    for unit, given in result.volunteered:
        echo(state, f"  免报单位报送：{unit} {given.label}本期免报（任务均已报告完成，未下发填报表），仍报送了填报表，"
                    f"已收到并登记；该期已汇总，{update(given)}。", fg="yellow")
    for unit, period, name in result.elsewhere:
        if _mail_said(name, said):  # the month's note on it (`other_forms`) says it, with what to do
            continue
        meant = result.meant.get((unit, name), result.period)
        echo(state, f"  请核实：{name}（{unit}）是{period.label}的填报表，已登记为{period.label}的报送；"
                    f"如果填的是{meant.label}的进展，请该单位用{meant.label}下发的填报表重报。",
             fg="yellow")
    for given in sorted({p for _, p in result.own_time}):  # by its deadline: that month's, nothing to ask
        units = [u for u, p in result.own_time if p == given and (u, p) not in result.late + result.volunteered]
        if units:
            some = "、".join(units[:5]) + ("等" if len(units) > 5 else "")
            echo(state, f"  另收到{given.label}的填报表 {len(units)} 份（{some}），均在该期报送时限内收到，"
                        f"已登记为{given.label}的报送。")
    for rel, why in result.skipped:
        echo(state, f"  未读取：收件箱/{rel}：{why}", fg="yellow")


def _echo_unfinished(result) -> None:
    """What collect could not finish: always shown (also with -q), the run exits 1."""
    if result.owed:
        reasons = sorted({m.reason for m in result.owed})
        click.secho(f"反馈表未能写出 {len(result.owed)} 份（{'；'.join(reasons)}）。"
                    "已记下，下次运行 duban collect（或双击“2-收取并汇总”）时补写。", fg="red", err=True)
    if result.not_removed:
        click.secho(f"收件箱中 {len(result.not_removed)} 个文件已登记、已归档，但未能移出收件箱："
                    f"{'、'.join(result.not_removed)}。请检查“收件箱”文件夹的权限；"
                    "下次运行会再移出，不会重复登记。", fg="red", err=True)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(), metavar="文件...")
@period_option("应报期次；与文件不符时报 E202")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式")
@pass_state
def check(state: State, files: tuple[str, ...], period: str | None, fmt: str) -> None:
    """检查填报表，不登记、不归档：供单位报送前自查，或督办人员查看单个文件。

    在工作区中运行时按任务清单检查；不在工作区时按填报表自带的任务信息检查。
    有错误时退出码为 1。

    \b
    示例：
      duban check 2022年6月_市公安局_进展填报表.xlsx
      duban check *.xlsx --format json
    """
    ws = None
    try:
        ws = state.workspace()
    except errors.WorkspaceNotFound:
        ws = None
    reports = _action("check").check_paths([Path(f) for f in files], ws, period)
    if fmt == "json":
        data = [r.to_dict() for r in reports]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
    else:
        for n, r in enumerate(reports):
            if n:
                echo(state)
            _echo_report(state, r, standalone=ws is None)
    if any(not r.valid for r in reports):
        state.exit_code = 1


def _echo_report(state: State, r, standalone: bool = False) -> None:
    echo(state, f"文件：{r.file}")
    period = r.period.label if r.period else "未识别"
    how = f"（按{evidence_word(r.identified_by)}识别）" if r.identified_by else ""
    echo(state, f"单位：{r.unit or '未识别'}{how}  期次：{period}  任务行：{len(r.rows)}")
    if standalone:
        echo(state, "（不在工作区中：按填报表自带的任务信息检查）")
    verdict = {Outcome.ACCEPTED: "通过", Outcome.RETURNED: "不通过，需修改后报送",
               Outcome.UNREADABLE: "无法读取"}[r.outcome]
    echo(state, f"结论：{verdict}（错误 {r.errors}，警告 {r.warnings}）",
         fg="green" if r.valid else "red")
    for i in r.issues:
        echo(state, f"  {pad(i.location or '-', 14)} {i.code} {i.severity} {i.message}",
             fg="red" if i.is_error else "yellow")


@cli.command("merge")
@period_option()
@force_option
@pass_state
def merge_cmd(state: State, period: str | None, force: bool) -> None:
    """汇总：把本期已采纳的报送合并成一个汇总表。

    汇总表含 总览（关键数字和图表）、任务汇总、单位明细、报送情况、
    滞后超期、校验问题、历次进展、收件登记 八张表。

    汇总表生成后在 Excel 中改过（或保存过）的，不会被覆盖：重新汇总前，
    改过的文件先另存为“…（修改稿，M月D日HH时MM分保存）.xlsx”，放在原处。

    \b
    示例：
      duban merge
      duban merge --period 2022-06
    """
    with state.locked() as ws:
        result = _action("merge").merge(ws, _issued(ws, period, force))
    _echo_figures(state, result.consolidation)
    echo(state, f"汇总表：{result.path}")
    echo_kept(state, result.kept)


def _echo_figures(state: State, cons, notes: list[str] | None = None) -> None:
    # deferred: merge, memo and run say the figures, `status` never does; `rectification` with its
    # 22-field `Words` cost every status 1.3 ms (per-module import time, min of 8 runs)
    from ..rectification import words_of

    _echo_not_issued(state, cons)
    _echo_office_notes(state, cons, notes=notes)
    f, said = cons.figures(), words_of(cons.master)  # a 整改清单's 整改任务 (`rectification.Words`)
    echo(state, f"{cons.period.label}：{said.task} {f['任务总数']} 项，已完成 {f['任务已完成']}，"
                f"序时推进 {f['任务序时推进']}，滞后 {f['任务滞后']}，未启动 {f['任务未启动']}，"
                f"{_missing_count(cons, tasks=True)}；"
                + "，".join(f"{label} {n}" for label, n in cons.overdue_counts(waiting_label=said.overdue_waiting,
                                                                                early_label=said.overdue_early)))
    echo(state, f"报送：应报 {f['应报单位']} 个单位，按时 {f['按时报送']}，逾期 {f['逾期报送']}，"
                f"{_missing_count(cons)}，退回待改 {f['退回待改']}{_exempt_count(cons)}")
    # an early book's 超期 by the month's end: merge's and 2-收取并汇总's (`collect --merge`) alike (QA360)
    for line in _action("deadline_notes", package=True).overdue_early_told(cons):
        echo(state, line, fg="yellow")


@cli.command()
@period_option()
@click.option("--attach", is_flag=True,
              help="附上填报表：未报送的附空白填报表（下发/<期>/ 中的），退回待改的附其上次报送、已标出错误的表格")
@force_option
@pass_state
def remind(state: State, period: str | None, attach: bool, force: bool) -> None:
    """催报：为未报送和退回待改的单位各写一封邮件草稿。

    草稿写在 汇总/<期>/催报邮件/，列出该单位应报的任务和截止时间。

    \b
    示例：
      duban remind
      duban remind --period 2022-06 --attach
    """
    with state.locked() as ws:
        result = _action("remind").write_reminders(ws, _issued(ws, period, force), attach, state.progress)
    if not result.files:
        echo(state, f"{result.period.label}所有单位都已报送并采纳，无需催报。")
        _echo_chase_notes(state, result.notes)
        return
    echo(state, f"{result.period.label}：已为 {len(result.files)} 个单位写好催报邮件草稿：{result.folder}")
    today, note = ws.now().date(), _action("drafts", package=True).reminded_note
    for unit, state_ in result.units:
        # chased on an earlier day: today's is the next reminder, and the office sees it is (QA299)
        echo(state, f"  {state_} {unit}{note(result.before.get(unit, []), today)}")
    for line in result.apart():  # 提醒 (still on time) against 催报; the month before, when none is late
        echo(state, line)
    _echo_no_email(state, result.no_email)
    if result.kept_sent:
        echo(state, result.kept_line(ws.period()), fg="yellow")
    _echo_chase_notes(state, result.notes, drafted=True)


def _echo_chase_notes(state: State, notes: list[str], drafted: bool = False) -> None:
    """What status asks before any unit is named 未报送 (`mail_notes.chase_notes`), said where the
    reminders are written (exit 1): they went out to units whose return sat in 收件箱."""
    for line in notes:
        echo(state, line, fg="yellow")
    if notes:
        state.exit_code = state.exit_code or 1
    if notes and drafted:
        echo(state, "以上催报邮件草稿中可能有已报送的单位：请先核实，收取登记后再运行 duban remind"
                    "（已报送单位的草稿即撤回），再发送催报邮件。", fg="yellow")


def _echo_no_email(state: State, units: list[str]) -> None:
    """Drafts written with no recipient (no usable 邮箱 in 单位名录): said when written, as
    `issue --emails` says it, not first found by `mail send`."""
    if units:
        echo(state, f"以下单位的邮件草稿没有收件人（单位名录中没有可用的邮箱）：{some_units(units)}。"
                    "请在草稿中填写收件人，或在任务清单的“单位名录”表中补充邮箱。", fg="yellow")


@cli.command()
@period_option()
@click.option("--template", "template", type=click.Path(dir_okay=False),
              help="通报模板（.docx），默认 模板/月度通报.docx")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 转成 PDF")
@click.option("--format", "fmt", type=click.Choice(["docx", "md"]), default="docx", show_default=True,
              help="docx：正式通报；md：可贴进邮件或工作群的文字摘要")
@click.option("--date", "issue_date", metavar="YYYY-MM-DD", help="成文日期，默认今天")
@click.option("--check-template", "check_file", type=click.Path(dir_okay=False),
              help="只检查模板：列出模板用到但不存在的变量，不生成通报")
@force_option
@pass_state
def memo(state: State, period: str | None, template: str | None, pdf: bool, fmt: str,
         issue_date: str | None, check_file: str | None, force: bool) -> None:
    """生成通报：按 GB/T 9704 公文格式，用汇总数据填写月度通报。

    通报模板是 Word 文档（docxtpl），可在 Word 中修改措辞和版式；
    可用的变量见 模板/README.md。

    通报生成后在 Word 中改过的，不会被覆盖：重新生成前，
    改过的文件先另存为“…（修改稿，M月D日HH时MM分保存）.docx”，放在原处。

    重新生成的通报与此前不同时，旁边此前生成的文字摘要（.md）一并重新生成；
    此前的 PDF 在装有 LibreOffice 时一并重新生成，
    否则改名为“…（旧版，M月D日HH时MM分保存）.pdf”，以免发出内容过时的 PDF。

    \b
    示例：
      duban memo
      duban memo --period 2022-06 --pdf
      duban memo --format md
      duban memo --check-template 模板/月度通报.docx
    """
    if check_file:
        missing = _action("memo", package=True).check_template(Path(check_file))
        if missing:
            echo(state, f"模板“{Path(check_file).name}”用到了 {len(missing)} 个不存在的变量：", fg="red")
            for name in missing:
                echo(state, f"  {name}")
            echo(state, "可用的变量见 模板/README.md。")
            state.exit_code = 1
        else:
            echo(state, f"模板“{Path(check_file).name}”检查通过。")
        return
    if pdf and fmt == "md":
        raise click.UsageError("--pdf 只用于 Word 通报；--format md 写的是纯文本，不生成 PDF。")
    action = _action("memo")
    with state.locked() as ws:
        result = action.write_memo(ws, _issued(ws, period, force), Path(template) if template else None,
                                   pdf, fmt, _parse_date_option(issue_date, "成文日期"))
        # the PDF made before from the 通报 it replaced: made again where LibreOffice can (QA349)
        result = action.remake_pdf(result)
    echo(state, f"{result.context.period_label}通报：{result.path}")
    _echo_memo_warnings(state, result)
    _echo_before_sending(state, result)
    if result.pdf:
        echo(state, f"PDF：{result.pdf}")
    elif result.pdf_error:  # asked for (--pdf), or the earlier one's made again
        click.secho(f"PDF 未更新：{result.pdf_error}", fg="red", err=True)
        state.exit_code = 1


def _echo_memo_warnings(state: State, memo, said: frozenset[str] = frozenset()) -> None:
    """The memo's notes (on stderr), but those ``said`` already (`run` says the month's on stdout)."""
    for line in memo.told:  # asks nothing of the office: no exit 1
        if line not in said:
            click.secho(line, err=True)
    for line in memo.warnings:
        if line not in said:
            click.secho(line, fg="yellow", err=True)
        state.exit_code = max(state.exit_code or 0, 1)


def _echo_before_sending(state: State, memo) -> None:
    """One line after the 通报's path while a 请核实 is open: the file is written, but not fit
    to go out, and how to answer without typing a command per line: 5-逐条核实 only where it
    asks something (`MemoResult.to_verify`); it said "没有需要逐条回答的事项" of a month whose one
    请核实 was its deadline not yet past (QA349)."""
    asked = sum(line.startswith("请核实") for line in memo.warnings)
    if asked and memo.to_verify:
        echo(state, f"通报已生成，但还有 {asked} 项“请核实”没有回答：正式发出前请先核实"
                    "（运行 duban verify 或双击“5-逐条核实”逐条回答），再重新生成通报。", fg="yellow")
    elif asked:
        echo(state, f"通报已生成，但还有 {asked} 项“请核实”（见上）：正式发出前请先逐项核实、处理，"
                    "再重新生成通报。", fg="yellow")


@cli.command("run")
@period_option()
@click.option("--pdf", is_flag=True, help="通报同时转成 PDF（需要 LibreOffice）")
@click.option("--open", "open_after", is_flag=True, help="完成后打开汇总文件夹（双击脚本使用）")
@click.option("--no-fetch", "no_fetch", is_flag=True, help="不收取邮箱，只处理收件箱中已有的文件")
@force_option
@pass_state
def run_cmd(state: State, period: str | None, pdf: bool, open_after: bool, no_fetch: bool, force: bool) -> None:
    """一键月报：收取 → 汇总 → 通报，一次完成。

    duban.toml 的 [mail] 设置了收信服务器（imap_host）时，先收取邮箱（同 duban mail fetch），
    收取失败则不汇总、不生成通报；--no-fetch 不收取邮箱，只处理收件箱。
    收到的较早期次的填报表，单位尚未报送该期的，记入该期（补报），不按 --period 退回。
    汇总表、通报生成后改过的，先另存为“…（修改稿，…保存）”，不会被覆盖。

    \b
    示例：
      duban run
      duban run --period 2022-06 --pdf
      duban run --no-fetch
    """
    run = _action("run")
    with state.locked() as ws:
        _issued(ws, period, force)  # refuse a period never issued; collect still takes every period
        try:
            result = run.run_cycle(ws, period, pdf, state.progress, fetch=not no_fetch)
        except run.NothingReceived as stop:
            if stop.collected.inputs:  # files of other months: what was fetched and where each went
                _echo_fetched(state, stop.fetched)
                _echo_collect(state, ws, stop.collected)
            raise
        if result.memo is not None and not pdf:  # the PDF made before, made again (`memo.remake_pdf`)
            result.memo = _action("memo").remake_pdf(result.memo)
    _echo_run(state, result)
    if open_after:
        folder = result.merged.path.parent
        if not _action("open").open_path(folder):
            echo(state, f"请手动打开：{folder}")
    if (result.collected.attention_after(result.period) or result.memo_error or result.fetch_hint
            or (result.fetched and result.fetched.problems)):
        state.exit_code = 1
    if pdf and result.memo is not None and not result.memo.pdf:
        state.exit_code = 1


def _echo_run(state: State, result) -> None:
    c = result.collected
    # not 完成 while the 通报 the double-click opens next is the one made before (QA397)
    echo(state, f"{result.period.label}月报{'完成' if result.memo is not None else '未完成：汇总表已更新，通报未生成'}")
    _echo_fetched(state, result.fetched, "  ")
    if c.inputs or c.recovered:
        # 49 files holding 52 returns (mails and zips unpacked): say so, or 47 + 5 looks like 49
        files = c.accepted + c.returned + c.unreadable + c.duplicates + c.superseded + len(c.aside)
        inside = f"（拆开邮件和压缩包后共 {files} 份）" if files != c.inputs else ""
        echo(state, f"  本次收到 {c.inputs} 个文件{inside}：{c.tally()}")
    else:
        echo(state, f"  收件箱没有新文件，按已收取的报送重新汇总。{result.fetch_hint}")
    if (c.inputs or c.recovered) and result.fetch_hint:  # the 通报 may name 未报送 a unit whose mail waits
        echo(state, f"  {result.fetch_hint}", fg="yellow")
    units = result.merged.consolidation.unit_counts()
    echo(state, f"  报送：按时报送 {units[UnitState.ON_TIME]}，逾期报送 {units[UnitState.LATE]}，"
                f"{_missing_count(result.merged.consolidation)}，退回待改 {units[UnitState.TO_FIX]}"
                f"{_exempt_count(result.merged.consolidation)}")
    _echo_not_issued(state, result.merged.consolidation)
    if result.missing_units:
        echo(state, f"  未报送：{'、'.join(result.missing_units)}", fg="yellow")
    if result.waiting_units:
        echo(state, f"  {NOT_YET_DUE}：{'、'.join(result.waiting_units)}")
    if result.returned_units:
        echo(state, f"  退回待改：{'、'.join(result.returned_units)}", fg="yellow")
    # what the office checks before the 通报 goes out (a mail too big to fetch, a link, 收件箱):
    # beside the units it concerns, not only among the memo's notes on stderr
    cons = result.merged.consolidation
    notes, told = cons.office_notes(), cons.told()  # once: said here and kept from the memo's lines
    _echo_evidence(state, c, frozenset(notes), result.period)
    _echo_unattributed(state, c)
    _echo_office_notes(state, cons, "  ", notes, told)
    echo(state, f"汇总表：{result.merged.path}")
    echo_kept(state, result.merged.kept)
    if result.memo is not None:
        echo(state, f"通报：{result.memo.path}")
        _echo_memo_warnings(state, result.memo, frozenset(notes + told))
        _echo_before_sending(state, result.memo)
        if result.memo.pdf:
            echo(state, f"PDF：{result.memo.pdf}")
        elif result.memo.pdf_error:
            click.secho(f"PDF 未更新：{result.memo.pdf_error}", fg="red", err=True)
    else:
        echo(state, f"通报未生成：{sentence(result.memo_error)}“通报”文件夹中如有通报，是此前生成的，"
             "未按本次数据更新。", fg="red")
    if c.feedback:
        echo(state, f"反馈表：{c.feedback[0].parent}")
    _echo_unfinished(c)
