"""`duban issue`: one pre-filled, protected return per unit (下发), plus mail drafts."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import errors
from ..dates import cn_date, resubmit_by
from ..drafts import retire_drafts, same_mail, write_draft
from ..files import check_writable
from ..issued_month import issued_dues, kept_apart, own_aliases
from ..ledger import Ledger, common_due
from ..ledger.mail_records import MailRecords
from ..logs import log
from ..mail import build_draft, render_mail_template
from ..master import Master
from ..master.date_columns import column_notes
from ..master.model import renumbered
from ..period import Period
from ..progress import Progress, no_progress
from ..rectification import PLAN, Words, is_rectification, words_of
from ..returns import Prefill, build_return, return_filename
from ..revised import month_tasks
from ..style import load_style
from ..text import key
from ..vocab import Role, Status, UnitState
from ..workspace import ISSUED, Workspace, last_due, set_current_period
from ..xlsx import atomic_save


@dataclass
class IssueResult:
    """What `issue_returns` wrote."""

    period: Period
    due: dt.date
    folder: Path
    units: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    emails: list[Path] = field(default_factory=list)
    prefilled: list[str] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)
    period_set: bool = False        # duban.toml's current period changed to this one
    kept_period: Period | None = None  # the later current period a partial issue left in place
    # the current period this issue moved off while its deadline was still ahead (June, due 5
    # July, when July's forms went out on the 3rd) and that deadline: Enter gives the new month
    # from then on, for collecting, reminding and the 通报 of the old one too (QA270)
    left_open: tuple[Period, dt.date] | None = None
    # tasks on these forms whose 完成时限 is written but gives no date (12月底前 typed into
    # 任务清单 without a year): never overdue, never 下月到期, so the office is told (id, text)
    undated: list[tuple[str, str]] = field(default_factory=list)
    # the lines `date_columns.column_notes` says of the forms' tasks: 完成时限 and 截止日期 giving
    # two days, which one is judged by; year-less words read in a plan's year long past
    dates: list[str] = field(default_factory=list)
    # units whose latest accepted return (an earlier month's) gave every task on this form as
    # 已完成: asked unless exempt, and named 未报送 if silent, so the office is told before sending
    all_done: list[str] = field(default_factory=list)
    # of those, the units issued no form (skip_done_units, 销号): recorded exempt for the period
    exempt: list[str] = field(default_factory=list)
    # of those, the units not exempted because this month's form was already mailed to them
    # (`duban mail send`): they may reply, and are owed as issued
    mailed: list[str] = field(default_factory=list)
    # duban.toml's skip_done_units is already true (those asked were asked by --no-skip-done): the
    # line naming them does not advise setting it (QA407)
    skip_set: bool = False
    # units whose form of the month already went out by `mail send` (or may have). Issued
    # again with the others (no --dept), the draft keeps that mail's Message-ID
    # (`drafts.same_mail`) and `mail send` does not mail it twice: `issue --emails` run to
    # fill in one unit's address must not send every department its form again. Named with
    # --dept (a later --due for one unit, a form to send again), the new form is a new mail.
    kept_sent: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    # forms printed with another deadline than ``due`` (the one most carry): a form issued
    # again without --due keeps the unit's own later one (延期报送), said beside ``due``
    own_dues: dict[str, dt.date] = field(default_factory=dict)
    # the --due asked, None without one
    asked_due: dt.date | None = None
    # units whose forms print (and are judged by) a later date than ``asked_due``: the one a
    # form of the month issued to them before carried, never brought forward (`Ledger.record_issued`)
    kept_dues: dict[str, dt.date] = field(default_factory=dict)
    # units whose forms print an earlier date than duban.toml's due_day gives (``day_due``),
    # judged by that later one (`Workspace.due`) while due_day stays: unit → the printed date
    below_day: dict[str, dt.date] = field(default_factory=dict)
    day_due: dt.date | None = None
    # forms printing a date already past on the day of issue (``today``): a past month's form
    # sent again, a --due in the past, a month issued late; the office is told before mailing.
    # Not of a unit whose return is in (按时 or 逾期): what it sends later changes no verdict
    past: dict[str, dt.date] = field(default_factory=dict)
    today: dt.date | None = None
    # units whose 报送状态 this issue changed (a later --due for a unit that has sent, a unit
    # exempted): unit → (报送状态, 报送时间) before and after; no 汇总表 or 通报 made before says it
    verdicts: dict[str, tuple[tuple[str, str], tuple[str, str]]] = field(default_factory=dict)
    # the month's 报送状态 could not be read before or after the forms were written
    # (`_read_verdicts`): whether this issue changed one is not known, and the office is told so
    verdicts_unknown: bool = False
    # units first asked after the month's forms went out and their date (``passed_due``)
    # passed: their forms print a later one, from ``today`` (`dates.resubmit_by`)
    fresh: dict[str, dt.date] = field(default_factory=dict)
    passed_due: dt.date | None = None
    # the date a unit asked today is given that long (`fresh`), the --due the office is offered
    later_due: dt.date | None = None
    later_days: int = 0
    # the month's forms issued before to every unit (no --dept: 1-下发填报表 pressed again): the
    # day they first went out and to how many units. Forms and drafts are written again, and a
    # draft sent by hand the first time would go twice (`issue_notes._issued_before`, QA271)
    issued_before: tuple[dt.date, int] | None = None
    # the words the notes say of the tasks: a 整改清单's 整改任务 and 整改时限 (`rectification.Words`)
    words: Words = PLAN


def resolve_units(master: Master, names: Iterable[str], former: Iterable[str] = ()) -> list[str]:
    """Canonical names for ``--dept`` values; an unknown name raises with suggestions, and so
    does a unit that is one no more (``former``: names forms went to, now another unit's
    alias): `issue --dept 市林业局` after 机构改革 merged it into 市自然资源局 would otherwise
    write 市自然资源局's form again, which nobody asked for."""
    out = []
    having = set(master.units_with_tasks())
    gone = {key(f) for f in former if f not in master.directory.names}
    for name in names:
        unit = master.directory.resolve(name) or master.directory.find_in(name)
        if unit is None:
            close = difflib.get_close_matches(name, master.directory.names, n=3, cutoff=0.4)
            hint = f"是否是：{'、'.join(close)}？" if close else "请检查单位名录中的名称或简称。"
            raise errors.UnknownUnit(f"单位名录中没有“{name}”。{hint}")
        if key(name) in gone and key(name) != key(unit):
            raise errors.UnknownUnit(
                f"“{name}”已不是单独的单位：单位名录中它现为“{unit}”的简称/别名（机构改革后已并入或更名），"
                f"不再单独下发填报表。如需向“{unit}”下发，请运行 duban issue --dept {unit}")
        if unit not in having:
            raise errors.UnknownUnit(f"“{unit}”在任务清单中没有任务，无需下发填报表。")
        if unit not in out:
            out.append(unit)
    return out


def last_accepted_values(ledger: Ledger, unit: str, period: Period, aliases: tuple[str, ...] = (),
                         ids: Callable[[Period], dict[str, str]] | None = None) -> dict[str, Prefill]:
    """Rows of the unit's latest accepted return before ``period`` (also under an old name,
    ``aliases``), for --prefill; ``ids``: that return's month's task ids → the ids of the
    master being issued (`prefill_ids`), so a task a revised plan renumbered starts from its
    own row, never from the row of the task that had its number."""
    before = ledger.last_accepted_before(unit, period, aliases)
    if before is None:
        return {}
    carried = ids(before.period) if ids is not None and before.period is not None else None
    return {carried[r.task] if carried is not None else r.task:
            Prefill(r.status, r.progress, r.work, r.problems, r.next_plan, r.eta, r.evidence)
            for r in ledger.rows_of(before.id) if carried is None or r.task in carried}


def prefill_ids(ledger: Ledger, master: Master) -> Callable[[Period], dict[str, str]]:
    """An earlier month's task ids (as its forms printed them) → ``master``'s, once a month
    (`renumbered`)."""
    done: dict[Period, dict[str, str]] = {}

    def ids(then: Period) -> dict[str, str]:
        if then not in done:
            done[then] = renumbered(month_tasks(ledger, then, master), master.tasks)
        return done[then]
    return ids


def all_done(master: Master, unit: str, last: dict[str, Prefill]) -> bool:
    """Whether the unit's latest accepted return (``last``: `last_accepted_values`) gave every
    task of its form 已完成: its own rows, as lead and as 配合 alike. A lead whose task waits
    on a 配合单位 that has not finished is done with its part; the 配合单位 is still asked, and
    a task added to the unit since has no row, so the unit is asked for it."""
    return bool(last) and all(last.get(t.id, Prefill()).status == Status.DONE for t, _ in master.tasks_of(unit))


def issue_returns(ws: Workspace, period: Period | None = None, due: dt.date | None = None,
                  units: Iterable[str] | None = None, out: Path | None = None, emails: bool = False,
                  prefill: bool = False, progress: Progress = no_progress,
                  skip_done: bool | None = None) -> IssueResult:
    """Write one return per unit (all units with tasks, or ``units``) for ``period``.

    ``skip_done`` (None: duban.toml's ``skip_done_units``): a unit whose every task is done
    (`all_done`) gets no form and is recorded exempt for the period (`Ledger.exempt_units`),
    which is what merge, status and the memo go by on any later day, whatever the setting."""
    master = ws.load_master()
    period = ws.period(period)
    check_due(ws, period, due)
    with Ledger(ws.ledger_path) as ledger:
        # the names forms ever went to: a unit merged since is one no more (`resolve_units`)
        former = {u for p in ledger.issued_periods() for u in ledger.issued_units(p)} if units else ()
        chosen = resolve_units(master, units, former) if units else master.units_with_tasks()
        if not chosen:
            raise errors.NoTasks("任务清单的“责任分工”表中没有任何单位，无法下发。")
        # under each unit's name in the month, as the verdicts read them once this issue is
        # recorded (a renamed unit's form under its old name told it that date; a merged unit
        # issued the month again is one unit from then on, `kept_apart`)
        apart = kept_apart(ledger, period, master, {u: [t.id for t, _ in master.tasks_of(u)] for u in chosen})
        # a form recorded with no date (before ledger version 6) printed duban.toml's due_day:
        # that date was given, not none (else one issued again after it was a late unit's new one)
        given, common = issued_dues(ledger, period, master, apart, ws.due(period)), ledger.issued_due(period)
        # the month's date only once most of the plan's units carry it: 麻涌镇's festival
        # extension, issued alone before the month's forms, printed its 10th on all 54 (QA195)
        if common and 2 * sum(d == common for d in given.values()) < len(master.units_with_tasks()):
            common = None
        first = ledger.issued_at(period)
        began = first is not None  # the month's forms went out before
        went = (first.date(), len(ledger.issued_units(period) - ledger.exempt_units(period))) \
            if first is not None and not units else None
        aliases = own_aliases(ledger, master, period)
        ids = prefill_ids(ledger, master)
        last = {u: last_accepted_values(ledger, u, period, aliases(u), ids) for u in chosen}
        sent = MailRecords(ledger.conn).sent_units("issue", str(period))  # (under the names it had)
        collected = period in ledger.periods()
    # a month whose returns came in: a later date for a unit that sent after the first one turns
    # its 逾期报送 into 按时报送, which the 汇总表 and 通报 made before still name (QA243).
    # Read before anything is written; None: could not be read (`_read_verdicts`)
    before = _read_verdicts(ws, period, master) if collected else {}
    today = ws.now().date()  # the office's day
    # A form never prints an earlier date than one its unit was already given for the month:
    # that one stands (`Ledger.record_issued`), and a department holding two forms of one month
    # must read one deadline on both, the one its 逾期 is judged by. Without --due a form carries
    # its unit's own date, never another unit's (the towns' extension, once most forms carry
    # it); a unit given none yet, the period's. But a unit first asked after the month's forms
    # went out and its date passed (exempt until then, added to 任务清单 since) gets the working
    # days a refused return's correction gets (`dates.resubmit_by`): a date already past on
    # its first form could only name it 逾期报送, whatever it did.
    period_due = ws.due(period, common)
    later_due = resubmit_by(today, today, ws.settings.resubmit_working_days)
    # on the deadline day too: asked at 18:00 on the 5th, a date of the 5th left it the evening (QA195)
    fresh = max(period_due, later_due) if began and period_due <= today else period_due
    dues = {u: (max(due, given[u]) if due else ws.due(period, given[u])) if u in given else due or fresh
            for u in chosen}
    folder = Path(out) if out else ws.stage_dir(ISSUED, period)
    done = [u for u in chosen if all_done(master, u, last[u])]
    exempt = set(done) if (ws.settings.skip_done_units if skip_done is None else skip_done) else set()
    # A form mailed this month is out of the office's hands: the unit may fill and send it.
    # Taken back by a later run, its return would come in unasked and its silence go
    # unsaid; so it keeps that form, untouched (a new one would be a second mail), and owes
    # the month as issued. A form only written may still be withdrawn.
    mailed = {u for u in exempt if sent & set(master.directory.names_of(u))}
    exempt -= mailed
    result = IssueResult(period, common_due(dues), folder, [u for u in chosen if u not in exempt | mailed],
                         all_done=done, exempt=[u for u in chosen if u in exempt],
                         mailed=[u for u in chosen if u in mailed], issued_before=went, words=words_of(master),
                         skip_set=ws.settings.skip_done_units)
    on_forms = {t.id for u in chosen for t, _ in master.tasks_of(u)}
    result.undated = [(t.id, t.deadline_text) for t in master.tasks
                      if t.id in on_forms and t.deadline_text and t.deadline is None and not t.ongoing]
    result.dates = column_notes([t for t in master.tasks if t.id in on_forms], period, result.words)
    targets = {u: folder / return_filename(period, u) for u in chosen}
    for path in (targets[u] for u in result.units):  # refuse before writing anything
        check_writable(path)
        if emails:
            check_writable(path.with_suffix(".eml"))
    style = load_style(ws.template("样式.toml"))
    mail_template = ws.template("下发邮件.txt") if emails else None
    told: set[str] = set()  # tasks whose texts this issue recorded
    with Ledger(ws.ledger_path) as ledger:
        # a form sent again to some units (--dept) is of the month its forms went out as: under
        # their name, not one duban.toml took since (a new year's plan's, QA386); issued whole
        # again, the month takes duban.toml's, every form then printing it
        project = (ledger.issued_project(period) if units else None) or ws.project or master.title
        # a task's texts stay those recorded while a form of the month not issued again
        # (another unit's, one kept as mailed) still prints them: `issue --dept` after an
        # edit changes what its own units' forms print, not what every unit's month shows
        again = set(result.units) | exempt
        exempted = ledger.exempt_units(period)
        kept = {tid for u, ids in ledger.issued_tasks_of(period).items()
                if u not in exempted and (master.directory.resolve(u) or u) not in again for tid in ids}
        made = 0  # forms written and recorded: each unit's in a transaction of its own
        try:
            for unit in progress(chosen, "下发"):
                if unit in mailed:
                    continue  # its form, draft and ledger record stand as mailed
                if unit in exempt:
                    # a form this month's earlier issue wrote is not the unit's to get: no draft
                    # `mail send` would send, no form left beside the others to mail by hand
                    retire_drafts(ws, ledger, [d for d in ledger.drafts("issue", period) if d.unit == unit], "本期免报")
                    targets[unit].unlink(missing_ok=True)
                else:
                    _issue_one(ws, ledger, master, unit, period, dues[unit], targets[unit], style, project,
                               last[unit] if prefill else {}, mail_template, result, renew=bool(units))
                # what this unit's form holds (or would have held: an exempt unit stays on its tasks
                # in the month): a task added to the master later is then the coordinator's note
                # (W208), not an error the department cannot fix (E404); and each task's texts,
                # with the first form that carries it, so a task deleted from 任务清单 later still
                # has them when its month is merged again
                with ledger.transaction():
                    tasks = master.tasks_of(unit)
                    ledger.record_issued(period, unit, master.fingerprint, [t.id for t, _ in tasks], dues[unit],
                                         roles={t.id: role for t, role in tasks}, exempt=unit in exempt,
                                         named=bool(units), project=project)
                    ledger.record_issued_texts(period, [t for t, _ in tasks if t.id not in told], kept, master)
                told.update(t.id for t, _ in tasks)
                made += unit in result.units
        except KeyboardInterrupt as stop:
            if not began and not units and made:  # the month stands issued to these alone until issued again
                stop.cancelled_line = (f"已取消：填报表已生成{made}个，共{len(result.units)}个；本期暂只计这{made}个"
                                       "单位，请重新运行 duban issue 生成其余填报表。")
            raise
        if emails:
            # a live draft under a name that is now another unit's alias (renamed, or merged into
            # it) is that unit's old form: `mail send` would read its recipient through the alias
            # and mail the unit it beside the one written now
            names, resolve = set(master.directory.names), master.directory.resolve
            retire_drafts(ws, ledger, [d for d in ledger.drafts("issue", period)
                                       if d.unit not in names and resolve(d.unit) in result.units],
                          "单位已更名或并入其他单位，已被新的草稿替代")
    result.own_dues = {u: dues[u] for u in result.units if dues[u] != result.due}
    result.asked_due, result.day_due = due, ws.due(period)
    result.kept_dues = {u: dues[u] for u in result.units if due and dues[u] > due}
    # duban.toml's due_day is the office's own setting, not a date a department was told: the
    # forms print what --due asks, the later due_day decides until the office lowers it (and
    # merge asks 请核实 where that turns a 逾期 into 按时, `Consolidation.due_notes`)
    result.below_day = {u: dues[u] for u in result.units if dues[u] < result.day_due}
    result.today = today
    result.fresh = {u: dues[u] for u in result.units if not due and u not in given and dues[u] != period_due}
    result.passed_due = period_due if result.fresh else None
    result.past = {u: dues[u] for u in result.units if ws.due(period, dues[u]) <= today}
    result.later_due, result.later_days = later_due, ws.settings.resubmit_working_days
    after = _read_verdicts(ws, period, master) if before else None
    if before and after is not None:
        result.verdicts = {u: (was, now) for u, was in before.items() if (now := after.get(u, was)) != was}
    result.verdicts_unknown = before is None or (bool(before) and after is None)
    # a unit whose return is in stands 按时 or 逾期 by it, whatever it sends later: a past date
    # on its form (a later --due given on the day) names it 逾期 for nothing (QA248). Known
    # before the forms were written too: an issue records forms, never a return
    if states := after if after is not None else before:
        result.past = {u: d for u, d in result.past.items()
                       if u not in states or states[u][0] not in (UnitState.ON_TIME, UnitState.LATE)}
    current = ws.settings.period
    if out is None and units and current and period < current:
        # a form of an earlier month sent again (--dept) leaves the month the office is on:
        # else 一键月报 would merge that month again and rewrite its published 通报
        result.kept_period = current
    elif out is None:
        result.period_set = set_current_period(ws, period)
        if result.period_set and current and current < period:
            open_until = last_due(ws, current)  # None: that month's forms never went out
            if open_until is not None and today <= open_until:
                result.left_open = (current, open_until)
    return result


def _verdicts(ws: Workspace, period: Period, master: Master) -> dict[str, tuple[str, str]]:
    """Each unit's 报送状态 and 报送时间 in ``period``, as status judges them."""
    from ..consolidate import consolidate  # only for a month whose returns came in

    return {u.unit: (u.state, u.received_at) for u in consolidate(ws, period, master, tasks=False).units}


def _read_verdicts(ws: Workspace, period: Period, master: Master) -> dict[str, tuple[str, str]] | None:
    """`_verdicts`, or None when they cannot be read: what an issue says of them is the office's
    reminder, never what fails it. Read after the forms were written and recorded, an error made
    the office see a failed issue for forms that went out, and issue them again (QA253). A fault
    of the system or the ledger is logged as one; anything else is a bug, logged with its
    traceback for 技术支持 (the office is told in either case: `IssueResult.verdicts_unknown`)."""
    try:
        return _verdicts(ws, period, master)
    except Exception as exc:
        import sqlite3

        if isinstance(exc, (errors.DubanError, OSError, sqlite3.Error)):
            fault = exc if isinstance(exc, errors.DubanError) else \
                errors.os_fault(exc, fallback=ws.ledger_path, op="read")
            log.warning("下发时未能读出%s的报送状态：%s", period.label, fault.message if fault else exc)
            log.info("技术信息", exc_info=exc)
        else:
            log.exception("下发时未能读出%s的报送状态（内部错误）", period.label)
        return None


#: a --due more than this after both the period's end and the day of issue is taken for a
#: typo (2023-07-05 for June 2022): a date given is never brought forward, so it is refused
#: before it binds the month
_FAR = dt.timedelta(days=92)


def check_due(ws: Workspace, period: Period, due: dt.date | None) -> None:
    """Refuse a --due that cannot be meant for ``period``: before the month itself begins, or
    more than three months after both its end and today (a year typed wrong). Once a form
    printed it, it stands (`Ledger.record_issued`): corrected the same minute, the unit was
    still never to be 逾期 for the month."""
    if due is None:
        return
    if due < period.start:
        why = f"早于{period.label}本身"
    elif due > max(period.end, ws.now().date()) + _FAR:
        why = f"比{period.label}月底和今天都晚三个月以上"
    else:
        return
    raise errors.UsageError(
        f"报送截止日期 {cn_date(due)}{why}，不像是{period.label}进展的截止日期（年份或月份写错了？），"
        "未生成填报表。已下发的截止日期不会提前，请核对后重新运行。")


def _issue_one(ws: Workspace, ledger: Ledger, master: Master, unit: str, period: Period, due: dt.date,
               target: Path, style: dict, project: str, values: dict[str, Prefill], mail_template: Path | None,
               result: IssueResult, renew: bool = False) -> None:
    today = ws.now().date()  # the office's day, whatever the machine's zone
    if values:  # --prefill: its latest accepted return's rows
        result.prefilled.append(unit)
    wb = build_return(master, unit, period, due, project, style, ws.organiser, ws.contact, values,
                      max_text=ws.limits.max_text_chars)
    path = atomic_save(wb, target)
    result.files.append(path)
    if mail_template is not None:
        tasks = master.tasks_of(unit)
        subject, body = render_mail_template(mail_template, {
            "project": project, "unit": unit, "period": str(period), "period_label": period.label,
            "due_text": cn_date(due), "task_count": len(tasks),
            "lead_count": sum(1 for _, r in tasks if r == Role.LEAD),
            "coop_count": sum(1 for _, r in tasks if r != Role.LEAD),
            "due_tasks": [t.id for t, _ in tasks if t.due_by(period.end)], "plan_has_coop": master.has_coop,
            "rectification": is_rectification(master),
            "organiser": ws.organiser, "contact": ws.contact, "today_text": cn_date(today)},
            sections=master.of_sections)
        entry = master.directory.get(unit)
        to = entry.email if entry else ""
        if not to:
            result.no_email.append(unit)
        eml = build_draft(to=to, subject=subject, body=body,
                          attachments=[(path.name, path.read_bytes())], sender=ws.sender)
        # under its former names too, as ``mailed`` reads them: a unit renamed after its form
        # went out has that form (the former name's draft is retired in `issue_returns`)
        names = master.directory.names_of(unit)
        repeats = same_mail(ws, ledger, "issue", period, unit, names=names)
        if repeats:
            (result.resent if renew else result.kept_sent).append(unit)
        result.emails.append(write_draft(ws, ledger, kind="issue", period=period, unit=unit,
                                         path=path.with_suffix(".eml"), eml=eml, renew=renew, names=names,
                                         repeats=repeats))
