"""The office's own files coming back: never a unit's return (QA373).

A unit's mail server answers the issue mail with an automatic reply that attaches it (Exchange,
Coremail: message/rfc822), or the mail system returns it undelivered (a bounce, RFC 3464);
a clerk replies with the blank form attached. Each carries a form byte for byte as duban
issued it. Checked as a return, it was 退回 with an E501 per task, the unit became 退回待改
instead of 未报送, and a reply told it "经校验，发现 18 处错误" (or went to MAILER-DAEMON).

So, in `unpack`, a file is the office's copy (`Item.copy_of`), recorded as 重复 for no
return, under the unit it was issued to, and never checked:

* `OWN`: inside a message whose Message-ID duban wrote or sent (``drafts``, ``mail_sent``),
  at any depth: the office's issue, feedback or remind mail;
* `QUOTED`: inside the message an automatic reply or a delivery report returns (whatever sent
  it: the office's own Outlook too), which was sent to the unit, not by it;
* `BLANK`: byte-identical to a form in 下发/<期>/ (`OfficeCopies.sent_file`): the form
  untouched, whoever sent it back;
* `SENT`: byte-identical to another workbook the office wrote and sent: a reply's
  反馈/<期>/<日期>/<单位>_校验反馈.xlsx, a 催报's attachment (`remind --attach`). Checked as a
  return, the reply workbook a unit sent back unchanged ("收到，正在修改") was 退回 again, a new
  reply went out and its later correction date made a late correction 按时 (QA403).

The automatic mail itself is recorded as ever (已拆包); 收件登记 says 自动回复 or 退信
(`set_aside.register_marked`). A bounce names the unit and address the mail did not reach,
and a unit that sent its blank form alone is said (`notices`): it stays 未报送 (or 退回待改).
"""

from __future__ import annotations

import sqlite3
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .period import Period
from .record import FACTORY, record
from .vocab import Outcome

if TYPE_CHECKING:  # a type only: status imports this module (`set_aside`), collect alone makes one
    from .issued_month import EarlierMonths

OWN, QUOTED, BLANK, SENT = "own", "quoted", "blank", "sent"
#: the end of a copy's note (``receipts.note``): `set_aside` knows it by it
NOT_A_RETURN = "不是单位的报送，不计入"
#: what the container's note says of an automatic mail: `set_aside` knows it by it
AUTO_REPLY, BOUNCE = "自动回复", "退信"
#: what the ledger records of them (``receipts.office``, `record_office`): a copy (重复, no return),
#: the automatic reply and the bounce that carried one; by kind, never by a note's words, which
#: quote a unit's own subject (one holding "；退信：" read as a bounce)
COPY, AUTO, BOUNCED = "copy", "auto", "bounced"
KIND_WORDS = {"issue": "下发", "feedback": "反馈", "remind": "催报"}

_set = object.__setattr__  # a frozen record's own fields, as dataclass's __init__ sets them


#: what `OfficeCopies.sent_file` found a file to be: a form of 下发/, a reply's workbook, a 催报's attachment
FORM, FEEDBACK, REMIND = "form", "feedback", "remind"


@record()
class OfficeCopies:
    """What the office sent, read once a collect (`office_copies`): the Message-IDs of duban's
    mail (→ kind, period, unit), and the workbooks it wrote and sent (``forms``: (path, period,
    unit, `FORM` or `FEEDBACK`), found and hashed when a file's size matches one; ``reminds``:
    the 催报 drafts, whose attachments are read only when one is big enough to hold the file)."""

    root: Path
    sent: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    forms: list[tuple[Path, Period, str, str]] = field(default_factory=list)
    reminds: list[tuple[Path, Period, str]] = field(default_factory=list)
    _by_size: dict[int, list[tuple[Path, Period, str, str]]] | None = None
    _hashes: dict[Path, str] = field(default_factory=dict)

    def __init__(self, root: Path, sent: dict[str, tuple[str, str, str]] = FACTORY,
                 forms: list[tuple[Path, Period, str, str]] = FACTORY,
                 reminds: list[tuple[Path, Period, str]] = FACTORY,
                 _by_size: dict[int, list[tuple[Path, Period, str, str]]] | None = None,
                 _hashes: dict[Path, str] = FACTORY) -> None:
        self.root = root
        self.sent = {} if sent is FACTORY else sent
        self.forms = [] if forms is FACTORY else forms
        self.reminds = [] if reminds is FACTORY else reminds
        self._by_size = _by_size
        self._hashes = {} if _hashes is FACTORY else _hashes

    def own(self, ids) -> tuple[str, str, str] | None:
        """(kind, period, unit) of the innermost of ``ids`` duban wrote or sent, else None."""
        for i in reversed(tuple(ids)):
            if i and i in self.sent:
                return self.sent[i]
        return None

    def sent_file(self, sha256: str, size: int) -> tuple[Path, Period, str, str] | None:
        """The workbook the office wrote and sent with these bytes: (path, period, unit, what:
        `FORM`, `FEEDBACK`, or `REMIND` with the 催报 draft's path); None when none has them."""
        if self._by_size is None:
            self._by_size = {}
            for path, period, unit, what in self.forms:
                try:
                    self._by_size.setdefault(path.stat().st_size, []).append((path, period, unit, what))
                except OSError:  # removed, or never written (issued --dry-run): nothing to match
                    continue
        # deferred: `set_aside` imports this module for every status, which loads no hashlib (OpenSSL)
        import hashlib

        for path, period, unit, what in self._by_size.get(size, ()):
            if path not in self._hashes:
                try:
                    self._hashes[path] = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError:
                    self._hashes[path] = ""
            if self._hashes[path] == sha256:
                return path, period, unit, what
        return self._reminded(sha256, size)

    def _reminded(self, sha256: str, size: int) -> tuple[Path, Period, str, str] | None:
        """A 催报 draft's attachment with these bytes (`sent_file`). Its workbook as of today
        (`remind._as_of_today`) is kept in the draft alone; a draft smaller than ``size`` cannot
        hold it, so a month's returns open few of them, each once."""
        import hashlib  # deferred: as in `sent_file`

        for eml, period, unit in self.reminds:
            if eml in self._hashes:  # read already: its attachments were hashed then
                continue
            try:
                if eml.stat().st_size < size:
                    continue
                data = eml.read_bytes()
            except OSError:
                self._hashes[eml] = ""
                continue
            from .mail import parse_mail  # deferred: collect alone, and only when a 催报 carried files

            self._hashes[eml] = "read"
            for att in parse_mail(data).attachments:
                digest = hashlib.sha256(att.data).hexdigest()
                self._hashes.setdefault(Path(f"{eml}#{att.name}"), digest)
                self._by_size.setdefault(len(att.data), []).append((Path(f"{eml}#{att.name}"), period, unit, REMIND))
                if digest == sha256:
                    return eml, period, unit, REMIND
        return None


def office_copies(root: Path, conn: sqlite3.Connection) -> OfficeCopies:
    """`OfficeCopies` of the workspace at ``root`` from its ledger (``conn``)."""
    # deferred: `set_aside` imports this module for every status and merge, and only collect
    # asks for the forms' names (returns loads the form's whole writer, openpyxl's included)
    from .returns import return_filename
    from .workspace import ISSUED

    sent: dict[str, tuple[str, str, str]] = {}
    for table in ("drafts", "mail_sent"):
        for mid, kind, period, unit in conn.execute(f"SELECT message_id, kind, period, unit FROM {table}"):
            if mid:
                sent[mid] = (kind, period, unit)
    forms, reminds = [], []
    for period_text, unit in conn.execute("SELECT DISTINCT period, unit FROM issued WHERE exempt=0"):
        if period := _period(period_text):
            forms.append((root / ISSUED / period.label / return_filename(period, unit), period, unit, FORM))
    # each reply's workbook beside its draft (`feedback.write_feedback`), and each 催报 draft
    for kind, period_text, unit, path in conn.execute(
            "SELECT kind, period, unit, path FROM drafts WHERE kind IN ('feedback', 'remind')"):
        if period := _period(period_text):
            if kind == "feedback":
                forms.append(((root / path).with_suffix(".xlsx"), period, unit, FEEDBACK))
            else:
                reminds.append((root / path, period, unit))
    return OfficeCopies(root, sent, forms, reminds)


def _period(text: str) -> Period | None:
    try:
        return Period.parse(text)
    except Exception:  # a period the ledger kept that no longer parses: no file to match
        return None


def take_as_copy(child: Any, why: str, note: str, period: Period | str | None = None, unit: str = "") -> None:
    """Record ``child`` (an `unpack.Item`) as the office's copy: 重复, never checked, under the
    unit and period it was sent for (when known)."""
    from .sniff import detect  # deferred: as `office_copies`, for collect alone
    child.kind = child.kind or detect(child.data, child.name)
    child.outcome, child.copy_of = Outcome.DUPLICATE, why
    child.note = f"{note}，{NOT_A_RETURN}"
    if unit:
        child.unit, child.identified_by = unit, "督办部门发出"
    if period:
        child.period = Period.parse(period)


def blank_form(item: Any) -> bool:
    """Take ``item`` as the office's copy when it is a workbook the office wrote and sent, byte for
    byte: a form of 下发/ (`BLANK`), a reply's workbook or a 催报's attachment (`SENT`)."""
    copies = item.copies
    if copies is None or item.outcome or not item.data:
        return False
    found = copies.sent_file(item.sha256, item.size)
    if found is None:
        return False
    path, period, unit, what = found
    rel = path.relative_to(copies.root).as_posix()
    if what == FORM:
        take_as_copy(item, BLANK, f"与下发给{unit}的填报表“{rel}”完全相同（未填写的原表）", period, unit)
    elif what == FEEDBACK:
        take_as_copy(item, SENT, f"与督办部门发给{unit}的校验反馈表“{rel}”完全相同（未作修改）", period, unit)
    else:
        take_as_copy(item, SENT, f"与督办部门发给{unit}的催报邮件“{rel}”所附的校验反馈表完全相同（未作修改）",
                     period, unit)
    return True


def mail_copy(item: Any, mail: Any, att: Any, child: Any) -> bool:
    """Take ``child``, the file ``att`` of ``mail`` (`mail.ParsedMail`) carried by ``item``, as the
    office's copy when it is one (`OWN`, `QUOTED`); the file's own bytes are weighed in `blank_form`."""
    copies = item.copies
    own = copies.own(att.ids) if copies is not None else None
    if own is not None:
        kind, period, unit = own
        take_as_copy(child, OWN, f"督办部门发给{unit}的{KIND_WORDS.get(kind, '')}邮件所附的文件", period, unit)
        return True
    if att.via and mail.quotes:
        what = BOUNCE if mail.report else AUTO_REPLY
        take_as_copy(child, QUOTED, f"{what}中附带的原邮件（发给该单位的邮件）所附的文件")
        return True
    return False


def record_office(conn: sqlite3.Connection, receipt_id: int, item: Any) -> None:
    """Record of the receipt ``receipt_id`` (an `unpack.Item` just inserted) whether it is the office's
    copy or an automatic mail (``receipts.office``), and of a bounce what it says failed
    (``receipts.bounced``): status, merge and memo say it again while it stands (`bounce_notes`)."""
    kind = COPY if item.copy_of else BOUNCED if item.automatic == BOUNCE else AUTO if item.automatic else ""
    if not kind:
        return
    import json

    bounced = json.dumps({"unit": item.bounced_unit, "subject": item.returned_subject or item.subject,
                          "failed": [[b.address, b.why] for b in item.bounced]}, ensure_ascii=False)
    conn.execute("UPDATE receipts SET office=?, bounced=? WHERE id=?",
                 (kind, bounced if item.bounced else "", receipt_id))


def bounce_line(unit: str, subject: str, address: str, why: str) -> str:
    """The 请核实 a bounce asks: the unit never got the office's mail at ``address`` (``subject``: the
    mail's; '' where not known, as of a bounce recorded before version 24, `migrations`)."""
    why = f"（{why}）" if why else ""
    subject = f"“{subject}”" if subject else ""
    return (f"{BOUNCE}：督办部门发给{unit}的邮件{subject}没有送达 {address}{why}，"
            f"{unit}没有收到这封邮件。请向{unit}核实邮箱，在单位名录中改正后重新发送"
            f"（下发的填报表：duban mail send issue --resend {unit}）。")


@record(frozen=True)
class Bounced:
    """One address a bounce of the month says did not take the office's mail, while it stands
    (`standing_bounces`): the unit's still, the unit 未报送."""

    unit: str
    address: str
    why: str
    subject: str
    name: str  # the bounce's receipt name: `run` asks once what collect said (`cli.month`)

    def __init__(self, unit: str, address: str, why: str, subject: str, name: str) -> None:
        _set(self, "unit", unit)
        _set(self, "address", address)
        _set(self, "why", why)
        _set(self, "subject", subject)
        _set(self, "name", name)

    @property
    def line(self) -> str:
        return bounce_line(self.unit, self.subject, self.address, self.why)


def standing_bounces(cons) -> list[Bounced]:
    """The month's bounces (``cons.bounces``, read from the ledger whatever the consolidation: a
    status's and a reminder's, ``tasks`` False, load no receipts) while they stand: the address is
    still the unit's in 单位名录 and the unit is 未报送 (a return shows it got its form another way).
    The unit is the one the returned mail went to (its Message-ID, ``receipts.bounced``'s "unit") where
    known: an address two units share cannot tell whose it is, and one corrected for that unit and left
    to another is not that other's bounce (QA381); else the one unit whose address it is."""
    bounces = [r for r in cons.bounces if r.bounced]
    if not bounces:
        return []
    import json

    # deferred: status imports this module (`set_aside`) and reads no address unless a bounce came
    # (`evidence` on every status: 41 M instructions, 10 %; tests/test_startup.py)
    from .addresses import addresses_in
    from .evidence import address_index, unit_of_address
    from .vocab import UnitState

    missing = {u.unit for u in cons.units if u.state == UnitState.NOT_REPORTED}
    directory = cons.master.directory
    index = address_index(directory)
    out: list[Bounced] = []
    for rec in bounces:
        said = json.loads(rec.bounced)
        sent_to = directory.resolve(said.get("unit") or "") or said.get("unit") or ""
        for address, why in said["failed"]:
            if sent_to:  # still its, whoever else has it; another's only, that unit never was mailed there
                unit = sent_to if sent_to in {u for a in addresses_in(address) for u in index.get(a, ())} else None
            else:  # the mail it returned not known (a 催报 bounced by its headers alone, `migrations` 24)
                unit = unit_of_address(address, index)
            if unit in missing:
                out.append(Bounced(unit, address, why, said.get("subject", ""), rec.name))
    return out


def bounce_notes(cons) -> list[str]:
    """`bounce_line` again for status, merge, memo, run and the reminders (`Consolidation.office_notes`,
    `mail_notes.chase_notes`), of each bounce of the month while it stands (`standing_bounces`)."""
    from .mail_notes import Note  # deferred: `mail_notes` imports this module

    out: dict[str, Note] = {}
    for b in standing_bounces(cons):
        out[b.line] = Note(f"请核实：{b.line}", (*out.get(b.line, Note("")).about, b.name))
    return list(out.values())


def automatic_note(mail: Any) -> str:
    """What a container's note adds for an automatic reply or a delivery report ('' for neither)."""
    if mail.report:
        failed = "、".join(b.address for b in mail.bounced)
        return f"；{BOUNCE}：邮件未送达{failed or '收件人'}，不是报送"
    return f"；{AUTO_REPLY}，不是报送" if mail.auto_reply else ""


def notices(tops: list, addresses: dict[str, set[str]], months: EarlierMonths) -> list[tuple[str, str]]:
    """(file, 请核实 text) for collect's screen: each address a bounce says did not take the
    office's mail (which unit, which address: the unit never got it), and each unit that sent a
    form of 下发/ untouched with no return beside it nor before in the ledger (``months``: under
    any of its names, as `set_aside.of_run` takes it): it stays as it was (`_owing`); or its reply's
    workbook back unchanged (`SENT`): no new return, no new reply, its correction date as the reply
    named it."""
    from .evidence import unit_of_address  # deferred: as in `office_copies`, for collect alone

    out: list[tuple[str, str]] = []
    for top in tops:
        for it in top.walk():
            for b in it.bounced:
                unit = unit_of_address(b.address, addresses) or it.bounced_unit
                if not unit:
                    continue
                out.append((it.name, bounce_line(unit, it.returned_subject or it.subject, b.address, b.why)))
        taken = {d.report.unit for d in top.walk() if d.report is not None and d.report.unit
                 and d.outcome in (Outcome.ACCEPTED, Outcome.RETURNED, Outcome.UNREADABLE)}
        for it in top.walk():
            if it.copy_of not in (BLANK, SENT) or not it.unit or it.unit in taken or top.automatic:
                continue
            if not (owing := _owing(months, it.unit, it.period)):
                continue
            if it.copy_of == BLANK:
                out.append((it.name, f"{it.unit}发来的“{it.name}”是下发的原表，没有填写（与下发的文件完全相同），"
                                     f"不计入报送，{owing}"))
            else:
                out.append((it.name, f"{it.unit}发来的“{it.name}”是督办部门发给该单位的校验反馈表，没有修改"
                                     "（与发出的文件完全相同），不计入报送，不另行反馈，改报日期不变；"
                                     "请提醒该单位按校验反馈修改后重新报送。"))
    return out


def _owing(months: EarlierMonths, unit: str, period: Period) -> str:
    """What ``unit`` still is of ``period``, said after its blank form (`notices`), with what to do;
    '' when it has a return in the ledger. A unit whose earlier file was refused is 退回待改, not
    未报送 (QA407: a blank form sent back while correcting was said to leave it 未报送), and so is one
    whose text came on another unit's form, answered ``sender --not-theirs`` (`misfiled_owed`)."""
    names = months.names_of(unit, period)
    if months.reported(names, period):
        return ""
    # deferred: the W206 answers are read by collect alone, and status imports this module (`set_aside`)
    from .misfiled_owed import returns_of

    # no accepted one: each refused (退回, 无法读取), or a file on another unit's form it named (QA412)
    if returns_of(months.ledger, months.master, period, names):
        return f"{unit}仍为退回待改；请提醒该单位按退回意见修改后重新报送。"
    return f"{unit}仍计为未报送；请提醒该单位填写后重新报送。"
