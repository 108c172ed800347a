"""`duban memo`: the monthly 通报 (.docx, optionally .pdf or a Markdown summary)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .. import errors, office
from ..consolidate import Consolidation, consolidate
from ..dates import cn_date
from ..files import lock_files, replace, temp_folder
from ..ledger import Ledger
from ..ledger.answers import office_time
from ..ledger.outputs import written_at
from ..memo.context import MemoContext, build_context, render_markdown
from ..memo.joint import MAX_REASONS
from ..memo.naming import memo_filename
from ..memo.render import for_libreoffice, render_docx
from ..memo.sentences import unread_note
from ..memo.template_check import has_appendices, has_problems_note, says_one_due, scan_key
from ..merge_time import merged_at
from ..office_edits import Kept, package_parts, set_aside, write_output
from ..other_forms import asked_units
from ..period import Period
from ..rectification import words_of
from ..text import first_of
from ..vocab import Outcome, UnitState
from ..workspace import MEMOS, Workspace, earlier_due, refuse_if_nothing_received
from .merge import answered_after

TEMPLATE_NAME = "月度通报.docx"
#: how a 通报 of a month not yet due says to make the earlier one due (`earlier_notes`)
REMAKE = "请重新双击“3-生成通报”，询问期次时输入 {period}（或运行 duban memo --period {period}）。"


@dataclass
class MemoResult:
    """What `write_memo` wrote."""

    path: Path  # the .docx (or .md)
    pdf: Path | None  # the PDF, when asked for and LibreOffice made it
    pdf_error: str  # why no PDF was made, in Chinese; "" otherwise
    context: MemoContext = field(repr=False)
    #: what the office reads before the memo goes out (`Consolidation.office_notes`): units
    #: it names 未报送 whose return waits behind a link, a past month judged by its forms
    notes: list[str] = field(default_factory=list)
    #: what the office is told that asks nothing of it (`Consolidation.told`): said, no warning
    told: list[str] = field(default_factory=list)
    #: the office's edited 通报, kept beside the new one before it was written (`office_edits`)
    kept: Kept | None = None
    #: what became of the renderings beside a .docx written again (`_renderings`) that asks the
    #: office something: the .md re-made kept the office's edits of it aside (`Kept.line`)
    rendered: list[str] = field(default_factory=list)
    #: the PDF beside, made from the .docx before, moved to a kept copy's name by this write,
    #: and the line saying so: a PDF made after it (`add_pdf`) takes its place, and removes it
    aside: tuple[Path, str] | None = None
    #: the line saying the PDF beside, made from the .docx before, could not be set aside (open in
    #: a reader on Windows): not to be sent; "" once a PDF made after (`add_pdf`) replaced it
    unmoved: str = ""
    #: how many of the month's questions `duban verify` asks (`verify.questions_of`), counted
    #: where a 请核实 line is said: the memo points there only when it has one (QA349)
    to_verify: int = 0

    @property
    def warnings(self) -> list[str]:
        """What the coordinator must put right before the memo goes out, in Chinese: first, its
        edits kept aside (the new 通报 lacks them: not fit to go out until copied in), and the
        renderings beside it that said what the 通报 said before."""
        kept = ([self.kept.line] if self.kept else []) + self.rendered + ([self.aside[1]] if self.aside else [])
        kept += [self.unmoved] if self.unmoved else []
        if self.context.organiser:
            return kept + self.notes
        return [*kept, "通报没有落款：没有设置督办单位。请在 duban.toml 的 organiser 中填写"
                "（如 organiser = \"某某县人民政府办公室\"），再重新生成通报。", *self.notes]


def write_memo(ws: Workspace, period: Period | None = None, template: Path | None = None,
               pdf: bool = False, fmt: str = "docx", issue_date: dt.date | None = None,
               consolidation: Consolidation | None = None) -> MemoResult:
    """Write 通报/<期>/关于<期><专项行动>进展情况的通报.docx (or .md), optionally a PDF beside it.

    ``consolidation`` reuses one already computed for the same period (`duban run`).
    """
    if fmt not in ("docx", "md"):
        raise errors.UsageError(f"不支持的通报格式“{fmt}”，请用 docx 或 md。")
    if consolidation is None:
        refuse_if_nothing_received(ws, period, "memo")
    cons = consolidation or consolidate(ws, period)
    if fmt == "docx":
        template = Path(template) if template else ws.template(TEMPLATE_NAME)
        if not template.exists():
            raise errors.FileMissing(f"找不到通报模板“{template}”。")
    # a long list goes to a 附件 only where the template prints one (an office's own, made
    # before 附件 came, keeps every name in the text)
    appendix = fmt == "md" or has_appendices(template)
    # a task prints a few 反映 only where the template says where the others are (`joint.reasons`)
    noted = fmt == "md" or has_problems_note(template)
    # dated by the office's day (Workspace.now), as replies are, whatever the machine's zone
    day = issue_date or ws.now().date()
    ctx = build_context(cons, day, list_unchanged=ws.settings.list_unchanged,
                        appendix_over=ws.settings.appendix_over if appendix else None,
                        reasons_over=MAX_REASONS if noted else None)
    folder = ws.stage_dir(MEMOS, cons.period)
    name = memo_filename(cons)
    if fmt == "md":
        text = render_markdown(ctx)
        path = folder / (Path(name).stem + ".md")
        kept = write_output(ws, path, lambda tmp: tmp.write_text(text, encoding="utf-8"), "通报")
        notes = cons.office_notes() + _memo_notes(ws, cons)
        return MemoResult(path, None, "", ctx, notes, cons.told(), kept, rendered=_stale_beside(ws, cons, path),
                          to_verify=_to_verify(cons, notes))

    try:
        key = scan_key(template.read_bytes())
    except OSError as exc:  # a template nobody may read, or a folder by that name
        raise (errors.os_fault(exc, template, op="read")
               or errors.BadTemplate(f"无法读取通报模板“{template}”。")) from exc
    scanned = _last_clean_scan(ws) == key
    path = folder / name
    # the 通报 it replaces, read only where a PDF made from it lies beside (`_pdf_aside`)
    before = package_parts(path) if os.path.lexists(path.with_suffix(".pdf")) else None
    kept = write_output(ws, path, lambda tmp: render_docx(ctx, template, tmp, scanned=scanned), "通报")
    if not scanned:
        _remember_clean_scan(ws, key)
    notes = cons.office_notes() + _one_due_note(ctx, template) + _memo_notes(ws, cons)
    result = MemoResult(path, None, "", ctx, notes, cons.told(), kept, to_verify=_to_verify(cons, notes))
    result = _renderings(ws, result, cons, day, appendix and noted)
    # the earlier PDF set aside before a new one is made (`add_pdf` removes it then): a stop while
    # LibreOffice converts left it under its name beside the new 通报, unsaid (`interrupts._written`)
    result = _pdf_aside(ws, result, before, cons)
    return add_pdf(result) if pdf else result


def _to_verify(cons: Consolidation, notes: list[str]) -> int:
    """How many questions `duban verify` asks of the month, where a note asks the office to check
    (`MemoResult.to_verify`); 0 where none does."""
    if not any(n.startswith("请核实") for n in notes):
        return 0
    from .verify import questions_of  # deferred: its actions (collect) load only for a month that asks

    return len(questions_of(cons).asked)


def _renderings(ws: Workspace, result: MemoResult, cons: Consolidation, day: dt.date, appendix: bool) -> MemoResult:
    """The Markdown summary made before (`--format md`) beside the .docx written now, made again
    when it says otherwise: a late unit's return collected, it named the unit 未报送 while the
    new 通报 did not, and nothing was said (QA349). Made again, not moved aside: it costs nothing,
    and the office that made one wants one; its own edits of it are kept as the 通报's are
    (`write_output`), and said. (The PDF: `_pdf_aside`, before `add_pdf`.)"""
    md = result.path.with_suffix(".md")
    if not os.path.lexists(md):
        return result
    # the 通报's own context where it was built with the appendix and the 反映 as the .md is (`write_memo`)
    ctx = result.context if appendix else build_context(cons, day, list_unchanged=ws.settings.list_unchanged,
                                                        appendix_over=ws.settings.appendix_over)
    text = render_markdown(ctx)
    with contextlib.suppress(OSError, ValueError):  # unreadable: made again all the same
        if md.read_text(encoding="utf-8") == text:
            return result
    kept = write_output(ws, md, lambda tmp: tmp.write_text(text, encoding="utf-8"), "通报摘要")
    if kept is not None:
        return dataclasses.replace(result, rendered=[*result.rendered, kept.line])
    return dataclasses.replace(result, told=[*result.told, f"通报摘要已一并按最新数据重新生成：{md}"])


def _pdf_aside(ws: Workspace, result: MemoResult, before: dict | None, cons: Consolidation) -> MemoResult:
    """The PDF beside a .docx written now that says otherwise (``before``, the parts of the one
    it replaced, differ; or there was none), or that was made before the month's data last changed
    (`_since`: made from an earlier .docx, one written since with the new data having left it, and
    the same data written again now, QA353): moved to a kept copy's name (`office_edits.set_aside`)
    and said. Under its own name it still named 未报送 a unit whose late return the new 通报 counts,
    and the office sent it (QA349). A PDF made after (`add_pdf`: ``--pdf``, `run --pdf`, or the
    CLI's `remake_pdf`) takes its place."""
    pdf = result.path.with_suffix(".pdf")
    if not os.path.lexists(pdf):
        return result
    if before is not None and before == package_parts(result.path):
        made = _made_at(ws, pdf)
        if made is None or not _since(ws, cons, made)[0]:
            return result
    try:
        copy = set_aside(ws, pdf)
    except errors.DubanError as exc:
        return dataclasses.replace(result, unmoved=(
            f"通报已按最新数据重新生成，但原有的通报 PDF“{pdf.name}”是按此前的数据生成的，"
            f"与新通报不一致，请勿发出；无法将它改名为旧版：{exc.message}需要 PDF 请运行 duban memo --pdf。"))
    return dataclasses.replace(result, aside=(copy, (
        f"通报已按最新数据重新生成；原有的通报 PDF 是按此前的数据生成的，与新通报不一致，已改名为“{copy.name}”，"
        "请勿发出。需要 PDF 请运行 duban memo --pdf，或在 Word/WPS 中把新通报另存为 PDF。")))


def remake_pdf(result: MemoResult) -> MemoResult:
    """The PDF made again where this write set the earlier one aside (`MemoResult.aside`) and
    LibreOffice can make it (`duban memo` and `duban run` without ``--pdf``, 3-生成通报): the
    office that made one has a current one. Else ``result`` as it was, its line saying how."""
    if result.aside is None or office.soffice() is None:
        return result
    return add_pdf(result)


def _memo_notes(ws: Workspace, cons: Consolidation) -> list[str]:
    """What memo alone says after the month's notes, of either format: units not yet due, a
    汇总表 behind the ledger, an earlier month whose 通报 is the one due."""
    today = ws.now().date()
    return (none_reported_notes(cons, today) + not_yet_due_notes(cons, today) + not_yet_overdue_notes(cons, today)
            + behind_notes(ws, cons) + earlier_notes(ws, cons)
            + unread_note(cons.tasks, words_of(cons.master), cons.period.year))


def none_reported_notes(cons: Consolidation, today: dt.date) -> list[str]:
    """A 通报 past the deadline that names every unit it counts 未报送: an office that made it
    before collecting (the returns still in its mail client) named all 54 in public, and the
    memo said 成功 (QA304's reviewer). Made all the same: a month nobody reported is one to
    通报; before the deadline `not_yet_due_notes` says why. A unit 本期免报 (`skip_done_units`)
    owes nothing and is counted in no 应报: it neither hides the rest nor counts among them.
    Nor does one given a later deadline of its own (`issue --dept … --due`) not yet passed: the
    others past theirs are named 未报送 all the same; they are the ones counted, beside
    `not_yet_due_notes`'s line for it (QA312)."""
    units = [u for u in cons.units if u.state != UnitState.EXEMPT]
    if any(u.state != UnitState.NOT_REPORTED for u in units):
        return []
    waiting = frozenset(cons.not_yet_due(today))
    past = [u for u in units if u.unit not in waiting]
    if not past:
        return []
    whom = "应报送的" if len(past) == len(units) else "已过报送截止日期的"
    # a unit's file on another month's form is a return registered, not this month's: said so (QA370)
    other = asked_units(cons)
    none = (f"本期没有收取登记任何单位用{cons.period.label}填报表的报送（{first_of(other, 5, '个单位')}"
            "报来的是其他期次的填报表，见上）。" if other else "本期没有收取登记任何单位的报送。")
    return [f"请核实：通报把{cons.period.label}{whom} {len(past)} 个单位{'全部' if len(past) > 1 else ''}列为未报送，"
            + none +
            "如已收到报送（邮件或收件箱中），请先收取登记（duban collect，或双击“2-收取并汇总”），再重新生成通报；"
            "确实无人报送的，可照常印发。"]


def not_yet_due_notes(cons: Consolidation, today: dt.date) -> list[str]:
    """The units the 通报 names 未报送 whose deadline has not passed on ``today`` (the month's, a
    memo made early to see where things stand; or a unit's own extension, `issue --dept … --due`):
    they may still report on time, and a 通报 printed now would name them in public for it; so
    would it the tasks 未报送 only for them (`TaskSummary.not_yet_due`: the 汇总表's 未报送（尚未截止）),
    or for a lead sent back that may still correct on time (`Consolidation.awaited`: by its deadline, or
    the later date its reply asked the correction by), named too, with that date."""
    waiting = [(unit, cons.due_of(unit)) for unit in cons.not_yet_due(today)]
    units = frozenset(unit for unit, _ in waiting)
    awaited = frozenset(cons.not_yet_due(today, sent_back=True))
    tasks = [t for t in cons.tasks if t.not_yet_due(awaited)]
    if not waiting and not tasks:
        return []
    # the sent back leads the tasks wait on, in the units' order
    back = [u.unit for u in cons.units if u.unit in awaited - units and any(u.unit in t.silent for t in tasks)]
    # the month's deadline said once; a unit with its own (an extension) by name
    by_day: dict[dt.date, list[str]] = {}
    for unit, day in waiting:
        if unit in cons.unit_dues:
            by_day.setdefault(day, []).append(unit)
    named = [f"本期截止{cn_date(cons.due)}"] if len(waiting) > sum(map(len, by_day.values())) else []
    named += [f"{first_of(units, 5, '个单位')}截止{cn_date(day)}" for day, units in sorted(by_day.items())]
    parts = [f"通报列为未报送的 {len(waiting)} 个单位，今天（{cn_date(today)}）尚未过其报送截止日期，"
             f"仍可按时报送（{'；'.join(named)}）"] if waiting else []
    # 退回修改 is what happened; what the task waits on is said: its deadline, or past it the
    # date its reply asked the correction by (`Consolidation.awaited_by`), by which it is 按时报送
    due_back = [u for u in back if cons.due_of(u) >= today]
    if due_back:
        parts.append(f"通报列为退回修改的{'、'.join(due_back)}{'' if waiting else f'今天（{cn_date(today)}）'}"
                     "尚未过报送截止日期，仍可按时改报")
    by_reply = [f"{u}（退回意见要求于{cn_date(cons.awaited_by(u))}前改报）" for u in back if u not in due_back]
    if by_reply:
        parts.append(f"通报列为退回修改的{'、'.join(by_reply)}已过报送截止日期，但在退回意见要求的日期前改报仍计为按时报送")
    # the tasks by number, as the 通报 names them (任务1.1): "任务1.1、2.2、3.3、7.3、8.3等12项"
    ids = first_of([t.task.id for t in tasks], 5, "项")
    if tasks:
        parts.append(f"通报列为未报送的任务{ids}，其未报送{'或退回修改' if back else ''}的牵头单位均在其中")
    return [f"请核实：{'；'.join(parts)}。正式印发的通报，请在截止日期过后重新收取、生成；"
            f"如需现在印发，请先删去或注明这些单位{'和任务' if tasks else ''}。"]


def not_yet_overdue_notes(cons: Consolidation, today: dt.date) -> list[str]:
    """The tasks the 通报 calls 已超过完成时限仍未完成 whose deadline has not passed on ``today``:
    the month is judged at its end (`consolidate`: due by the period's end and not done), as the
    通报 is normally made after its 报送截止. Made before (a return filed on 7 December for a task
    due the 31st), it said in public what was not yet so, and nothing asked (QA352). Said as past
    the deadline, not 仍未完成: of a task whose leads may still report the 通报 writes
    `Words.overdue_waiting` (QA360)."""
    early = cons.overdue_early(today)
    if not early:
        return []
    words = words_of(cons.master)
    first = min(t.task.deadline for t in early)
    return [f"请核实：本期按期末（{cn_date(cons.period.end)}）的情况判断，通报写作{words.deadline}已过的"
            f"{words.task}{first_of([t.task.id for t in early], 5, '项')}，今天（{cn_date(today)}）{words.deadline}"
            f"还没有过（最早为{cn_date(first)}）。正式印发的通报，请在{words.deadline}过后重新收取、生成；"
            "如需现在印发，请先删去或改写这些任务的超期说法。"]


def earlier_notes(ws: Workspace, cons: Consolidation) -> list[str]:
    """A 通报 of a month whose deadline has not passed (every unit it names 未报送 尚未截止), made
    while the month before's is due (`earlier_due`): July's forms issued on 3 July made July the
    current period, and 3-生成通报 pressed with Enter on the 6th made July's, saying nothing of
    June's (QA271)."""
    if ws.now().date() > cons.due:
        return []
    hint = earlier_due(ws, cons.period, "通报", REMAKE)
    # 还没过, not 还没到: said on the deadline's own day too (QA360)
    return [f"提醒：本通报是{cons.period.label}的，其报送截止日还没过；{hint}"] if hint else []


def behind_notes(ws: Workspace, cons: Consolidation) -> list[str]:
    """The period's 汇总表 written before a return of the period was collected (a 补报 after the
    month was merged, collected without ``--merge``): the 通报, made from the ledger, names the
    unit 逾期报送 or 退回修改 where the 汇总表 that goes out with it still says 未报送; or an answer
    of the office recorded since (`merge.answered_after`) moved a unit. Said until
    the month is merged again; nothing when it never was (no 汇总表 to disagree)."""
    merged = merged_at(ws, cons.period)  # the 汇总表 `merge` writes, on the office's clock: so is each time compared
    came, by = _since(ws, cons, merged) if merged is not None else ("", "")
    if not came:
        return []
    p = cons.period
    return [f"汇总表不是最新的：{p.label}的汇总表生成之后，又{came}，通报已按{by}生成，汇总表中还没有。"
            f"请运行 duban merge --period {p}（或双击“2-收取并汇总”，期次输入 {p}）更新汇总表，再与通报一同发出。"]


def _since(ws: Workspace, cons: Consolidation, made: dt.datetime) -> tuple[str, str]:
    """What changed the month's data after ``made`` (the office's clock, naive: `merge_time.merged_at`'s)
    in words, and what a 通报 made now is made by: ("收到本期的报送 1 份（市公安局）", "全部报送"); ("", "")
    when nothing did. A return of the period collected since (not a copy of one, nor a zip's shell),
    or an answer of the office recorded since: what a file made at ``made`` from the month's data no
    longer shows, the 汇总表 (`behind_notes`), the 通报 and its PDF (`_stale_beside`, `_pdf_aside`)."""
    after = [r for r in cons.receipts if r.period == cons.period
             and r.outcome not in (Outcome.DUPLICATE, Outcome.CONTAINER)
             and office_time(r.collected_at, ws.tz) > made]
    # the office's answers since (`duban received`, `sender`) change a unit's state too (QA342)
    answers = [] if after else answered_after(cons, made, ws.tz)
    if not after and not answers:
        return "", ""
    units = list(dict.fromkeys(unit for unit in [r.unit for r in after] + answers if unit))
    named = f"（{'、'.join(units[:5])}{'等' if len(units) > 5 else ''}）" if units else ""
    return ((f"收到本期的报送 {len(after)} 份{named}", "全部报送") if after
            else (f"记录了核实结果 {len(answers)} 项{named}", "核实结果"))


def _made_at(ws: Workspace, path: Path, recorded: bool = False) -> dt.datetime | None:
    """When ``path`` was made, on the office's clock (naive, as `_since` compares it): duban's record
    of writing it (`ledger.outputs`, ``recorded``: the 通报, which the office may save later in Word
    with the data it had) where there is one, else its modification time; None: no such file."""
    if recorded:
        where = path.relative_to(ws.root).as_posix() if path.is_relative_to(ws.root) else str(path)
        with contextlib.suppress(sqlite3.Error, OSError, ValueError, OverflowError, errors.DubanError):
            with Ledger(ws.ledger_path, readonly=True) as ledger:
                stamp = written_at(ledger.conn, where)
            if stamp:
                return office_time(stamp, ws.tz)
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, ws.tz).replace(tzinfo=None)
    except (OSError, ValueError, OverflowError):
        return None


def _stale_beside(ws: Workspace, cons: Consolidation, md: Path) -> list[str]:
    """The 通报 and its PDF beside a Markdown summary written alone (``memo --format md``) made
    before the month's data last changed (`_since`): the summary said the late return, the .docx and
    PDF beside it did not, nothing was said, and the office sent the .docx. Said, not moved aside:
    the office asked for a summary, the .docx may hold its edits and is the file 3-生成通报 writes
    (a 旧版 name would leave the folder with no 通报); one `duban memo` puts both right (the .docx
    made again, the office's edits kept; the PDF made again or set aside: `_pdf_aside`)."""
    docx, pdf = md.with_suffix(".docx"), md.with_suffix(".pdf")
    stale = {}
    for path, what in ((docx, f"通报“{docx.name}”"), (pdf, f"通报 PDF“{pdf.name}”")):
        made = _made_at(ws, path, recorded=path is docx) if os.path.lexists(path) else None
        came = _since(ws, cons, made)[0] if made is not None else ""
        if came:
            stale[what] = came
    if not stale:
        return []
    files, why = "和".join(stale), next(iter(stale.values()))
    return [f"通报摘要已按最新数据生成；同一文件夹中的{files}生成之后，又{why}，仍是此前的数据，与摘要不一致，"
            "请勿发出。请运行 duban memo（或双击“3-生成通报”）按最新数据重新生成通报。"]


def _one_due_note(ctx: MemoContext, template: Path) -> list[str]:
    """An office's own template that states the deadline by ``due_date_text`` alone, in a month
    where some units had their own (`MemoContext.own_dues`): the 通报 gives them the wrong date."""
    if not ctx.own_dues or not says_one_due(template):
        return []
    own = "、".join(f"{d.name}为{d.due_date_text}" for d in ctx.own_dues[:5]) + ("等" if len(ctx.own_dues) > 5 else "")
    return [f"请核实：通报模板“{template.name}”用 due_date_text 写本期报送截止日（{ctx.due_date_text}），"
            f"但有 {len(ctx.own_dues)} 个单位另有截止日（{own}），通报对它们说的截止日不对。"
            "请把模板中写截止日的句子换成 {{ due_text }}（一整句，写明各单位的截止日，见 模板/README.md），"
            "再重新生成通报。"]


def add_pdf(result: MemoResult) -> MemoResult:
    """The memo's PDF beside its .docx, made by LibreOffice; or why not, in ``pdf_error``."""
    if office.soffice() is None:
        return dataclasses.replace(
            result, pdf_error="未安装 LibreOffice，无法转换 PDF（Word 通报已生成，可在 Word 或 WPS 中“另存为 PDF”）。")
    try:
        made = _write_pdf(result.path)
    except errors.DubanError as exc:
        return dataclasses.replace(result, pdf_error=exc.message)
    if result.aside is None:
        return dataclasses.replace(result, pdf=made, pdf_error="", unmoved="")
    copy = result.aside[0]
    if result.kept is None:  # the earlier PDF this write set aside, of duban's own 通报: the new one is in its place
        with contextlib.suppress(OSError):
            copy.unlink()
        return dataclasses.replace(result, pdf=made, pdf_error="", aside=None)
    # beside a 通报 the office had edited (kept as 修改稿): the PDF may be the office's own, of
    # its edits; kept under the copy's name, never removed, and said once
    return dataclasses.replace(result, pdf=made, pdf_error="", aside=None, rendered=[
        *result.rendered,
        f"原有的通报 PDF 可能是按修改过的通报生成的，已改名为“{copy.name}”保留；新的通报 PDF 已按最新数据生成。"])


# The template scan (variables, tags) is 35 ms of every memo (W1, cProfile 48 ms of 128 ms),
# and the template changes a few times a year: the key of the last template that rendered
# clean is kept, and a template with that key is not scanned again. A cache only: unreadable
# or unwritable, the template is simply scanned.
_SCAN_MARK = "memo_template_scan.txt"


def _last_clean_scan(ws: Workspace) -> str:
    try:
        return (ws.state_dir / _SCAN_MARK).read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return ""


def _remember_clean_scan(ws: Workspace, key: str) -> None:
    with contextlib.suppress(OSError):
        (ws.state_dir / _SCAN_MARK).write_text(key, encoding="ascii")


def _write_pdf(docx: Path) -> Path:
    """Convert into ``.duban/tmp`` and put the PDF beside the .docx in one step; a PDF that
    cannot be replaced (open in a reader, which locks it on Windows) is reported, never
    passed off as freshly written."""
    target = docx.with_suffix(".pdf")
    busy = errors.OutputLocked(f"通报 PDF 正被其他程序打开，未更新：{target}")
    if lock_files(target):
        raise busy
    with temp_folder(docx, "memo") as tmp:
        made = office.convert(for_libreoffice(docx, tmp / docx.name), "pdf", tmp / "out")
        try:
            replace(made, target)
        except PermissionError as exc:
            if target.exists():
                raise busy from exc
            raise (errors.os_fault(exc, target.parent, op="write") or busy) from exc
        except OSError as exc:
            raise (errors.os_fault(exc, target, op="write") or busy) from exc
    return target
