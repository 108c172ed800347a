"""Collecting returns: inbox → archive → ledger → check → feedback.

Every file in 收件箱 (and every file inside a mail or zip) is archived byte for byte,
recorded in the ledger with its outcome, and only then removed from the inbox. The order
makes a crash at any point recoverable: before the one commit a re-run redoes everything
(archiving is idempotent), after it a re-run only finishes clearing the inbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import shutil
import stat
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import (
    ACCEPTED,
    CONTAINER,
    DUPLICATE,
    RETURNED,
    SUPERSEDED,
    UNREADABLE,
    CheckContext,
    Report,
    check_return,
    history_issues,
)
from .dates import Period
from .ledger import Ledger
from .progress import Progress, no_progress
from .report import Issue, make_issue
from .sniff import detect
from .text import clean, safe_filename, unescape_name
from .workspace import ARCHIVE, Workspace, period_folder

log = logging.getLogger("duban")

UNFILED = "未分期"
PARALLEL_FROM = 200  # returns to check before a second core pays for its start-up
MAX_NESTING = 10  # mails and zips inside each other, whatever the mix
JUNK_NAMES = (".ds_store", "thumbs.db", "desktop.ini")


@dataclass
class Item:
    """One received input: an inbox file, or a file found inside a mail or zip."""

    name: str
    data: bytes
    source: str
    received_at: dt.datetime
    kind: str = ""
    inbox_path: str | None = None
    depth: int = 0                 # zips around this item (limits["max_zip_depth"])
    level: int = 0                 # containers of any kind around this item (MAX_NESTING)
    size: int = -1                 # bytes; data is empty for an oversized inbox file
    path: Path | None = None       # oversized inbox file, archived by streaming copy
    inbox_file: Path | None = None  # the inbox file itself (inbox_path is its name as text)
    budget: list[int] | None = None  # bytes still allowed to unpack, shared by one input's tree
    children: list[Item] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    report: Report | None = None
    outcome: str = ""
    note: str = ""
    sha256: str = ""
    archive_rel: str = ""
    receipt_id: int | None = None

    def __post_init__(self) -> None:
        if self.size < 0:
            self.size = len(self.data)
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.data).hexdigest()

    def walk(self) -> Iterable[Item]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class CollectResult:
    """What one `collect` did, for the summary line and the tests."""

    inputs: int = 0
    receipts: int = 0
    returns: int = 0
    accepted: int = 0
    returned: int = 0
    unreadable: int = 0
    duplicates: int = 0
    superseded: int = 0
    recovered: int = 0
    periods: list[str] = field(default_factory=list)
    feedback: list[Path] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("items", "feedback")} | {
            "feedback": [str(p) for p in self.feedback]}


# ---------------------------------------------------------------------------
# expanding containers


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Entry name: UTF-8 when flagged, else the GBK that Windows' compressor writes."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def _leaf_name(path_in_container: str) -> str:
    return safe_filename(path_in_container.replace("\\", "/").rstrip("/").split("/")[-1] or "未命名")


def expand(item: Item, limits: dict[str, int]) -> None:
    """Detect what an item is and open mails and zips into child items, recursively."""
    item.kind = detect(item.data, item.name)
    if item.kind in ("zip", "eml", "msg") and item.level >= MAX_NESTING:
        item.outcome = UNREADABLE
        item.issues.append(make_issue("E104", file=item.name, detail=f"邮件和压缩包嵌套超过 {MAX_NESTING} 层"))
        return
    if item.kind == "zip":
        _expand_zip(item, limits)
    elif item.kind == "eml":
        _expand_mail(item, limits)
    elif item.kind == "msg":
        _expand_msg(item, limits)


def _expand_zip(item: Item, limits: dict[str, int]) -> None:
    item.outcome = CONTAINER
    if item.depth >= limits["max_zip_depth"]:
        item.outcome = UNREADABLE
        item.issues.append(make_issue("E104", file=item.name,
                                      detail=f"压缩包嵌套超过 {limits['max_zip_depth']} 层"))
        return
    # One allowance for everything unpacked from one inbox file, zips in zips included.
    if item.budget is None:
        item.budget = [limits["max_unpacked_mb"] * 1024 * 1024]
    budget = item.budget
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(item.data)) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            if len(infos) > 1000:
                raise _Refuse("E104", detail=f"压缩包内有 {len(infos)} 个文件")
            if sum(i.file_size for i in infos) > budget[0]:
                raise _Refuse("E104", detail=f"解压后超过 {limits['max_unpacked_mb']} MB")
            for info in infos:
                entry = _zip_name(info)
                leaf = _leaf_name(entry)
                if entry.startswith("__MACOSX/") or leaf.startswith("._") or leaf.lower() in JUNK_NAMES:
                    continue
                source = f"{item.source} › 压缩包“{item.name}”内的“{entry}”"
                if info.flag_bits & 0x1:
                    child = Item(leaf, b"", source, item.received_at, depth=item.depth + 1,
                                 level=item.level + 1, budget=budget)
                    child.kind, child.outcome = "encrypted", UNREADABLE
                    child.issues.append(make_issue("E102", file=leaf))
                    item.children.append(child)
                    continue
                if (info.compress_size and info.file_size > 1048576
                        and info.file_size / info.compress_size > limits["max_ratio"]):
                    raise _Refuse("E104", detail=f"“{entry}”压缩比 {info.file_size // info.compress_size}:1")
                chunks = []
                with z.open(info) as f:
                    while chunk := f.read(1 << 20):
                        total += len(chunk)
                        budget[0] -= len(chunk)
                        if budget[0] < 0:
                            raise _Refuse("E104", detail=f"解压后超过 {limits['max_unpacked_mb']} MB")
                        chunks.append(chunk)
                child = Item(leaf, b"".join(chunks), source, item.received_at, depth=item.depth + 1,
                             level=item.level + 1, budget=budget)
                item.children.append(child)
    except _Refuse as refusal:
        budget[0] += total  # nothing of it is kept
        item.children.clear()
        item.outcome = UNREADABLE
        item.issues.append(make_issue(refusal.code, file=item.name, **refusal.params))
        return
    except RuntimeError:
        budget[0] += total
        item.outcome = UNREADABLE
        item.children.clear()
        item.issues.append(make_issue("E102", file=item.name))
        return
    except Exception as exc:  # zipfile and zlib raise many kinds for damaged archives
        budget[0] += total
        item.outcome = UNREADABLE
        item.children.clear()
        item.issues.append(make_issue("E101", file=item.name, reason=f"压缩包损坏（{type(exc).__name__}）"))
        return
    for child in item.children:
        if not child.outcome:
            expand(child, limits)


class _Refuse(Exception):
    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code, self.params = code, params


def _expand_mail(item: Item, limits: dict[str, int]) -> None:
    from .mail import parse_mail

    item.outcome = CONTAINER
    try:
        mail = parse_mail(item.data, limits["max_mail_parts"])
    except Exception as exc:  # the stdlib parser is lenient; this is a last resort
        item.outcome = UNREADABLE
        item.issues.append(make_issue("E101", file=item.name, reason=f"邮件格式损坏（{type(exc).__name__}）"))
        return
    _adopt_mail(item, mail, limits)


def _adopt_mail(item: Item, mail, limits: dict[str, int]) -> None:
    if mail.date:
        item.received_at = mail.date
    desc = f"邮件“{mail.subject or '（无主题）'}”"
    if mail.sender:
        desc += f"（发件人 {mail.sender}）"
    item.note = desc
    if mail.skipped_parts:
        item.issues.append(make_issue("E104", file=item.name,
                                      detail=f"邮件部分过多，另有 {mail.skipped_parts} 个部分未处理"))
    for att in mail.attachments:
        source = f"{item.source} › {desc}" + (f" › {att.via}" if att.via else "") + f"的附件“{att.name}”"
        child = Item(safe_filename(att.name), att.data, source, item.received_at, depth=item.depth,
                     level=item.level + 1, budget=item.budget)
        item.children.append(child)
        expand(child, limits)
    if not item.children:
        item.note += "；没有附件"


def _expand_msg(item: Item, limits: dict[str, int]) -> None:
    from .mail import parse_msg

    try:
        mail = parse_msg(item.data)
    except ImportError:
        item.outcome = UNREADABLE
        item.issues.append(make_issue(
            "E103", file=item.name, ext=".msg",
            advice="读取 Outlook .msg 需要安装扩展：pip install \"duban[msg]\"（含 GPL-3.0 组件 extract-msg）；"
                   "或在 Outlook 中把附件另存到收件箱。"))
        return
    except Exception as exc:
        item.outcome = UNREADABLE
        item.issues.append(make_issue("E101", file=item.name, reason=f"Outlook 邮件损坏（{type(exc).__name__}）"))
        return
    item.outcome = CONTAINER
    _adopt_mail(item, mail, limits)


# ---------------------------------------------------------------------------
# checking leaves (optionally on several cores)

_WORKER_CTX: CheckContext | None = None


def _init_worker(ctx: CheckContext) -> None:
    global _WORKER_CTX
    _WORKER_CTX = ctx


def _check_job(job: tuple[bytes, str]) -> Report:
    assert _WORKER_CTX is not None
    return check_return(job[0], job[1], _WORKER_CTX)


def check_many(jobs: list[tuple[bytes, str]], ctx: CheckContext, workers: int | None = None,
               progress: Progress = no_progress) -> list[Report]:
    """Check returns, in parallel when it pays; results are in input order either way."""
    if workers is None:
        # Starting workers costs more than checking a city's month on one core (measured).
        workers = min(os.cpu_count() or 1, 4) if len(jobs) >= PARALLEL_FROM else 1
    if workers <= 1 or len(jobs) < 2:
        return [check_return(d, n, ctx) for d, n in progress(jobs, "校验")]
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                             initializer=_init_worker, initargs=(ctx,)) as pool:
        return list(progress(pool.map(_check_job, jobs, chunksize=8), "校验"))


# ---------------------------------------------------------------------------
# the collect run


def _mtime(path: Path) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except (OverflowError, ValueError, OSError):  # a time stamp no calendar has
        return dt.datetime.now().replace(microsecond=0)


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _read_input(path: Path, rel: str, limits: dict[str, int]) -> Item | None:
    """One inbox file as an Item; an oversized file is hashed, not read into memory."""
    st = path.lstat()
    if not stat.S_ISREG(st.st_mode):
        log.warning("收件箱中的“%s”不是普通文件（快捷方式、管道或设备），未处理，请把文件本身放入收件箱", rel)
        return None
    name, source = safe_filename(unescape_name(path.name)), f"收件箱/{rel}"
    if st.st_size <= limits["max_file_mb"] * 1024 * 1024:
        return Item(name, path.read_bytes(), source, _mtime(path), inbox_path=rel, inbox_file=path)
    with open(path, "rb") as f:
        head = f.read(4096)
    item = Item(name, b"", source, _mtime(path), inbox_path=rel, size=st.st_size, path=path,
                sha256=_file_sha(path), inbox_file=path)
    item.kind, item.outcome = detect(head, name), UNREADABLE
    detail = f"文件 {st.st_size // 1048576} MB，超过 {limits['max_file_mb']} MB"
    item.issues.append(make_issue("E104", file=name, detail=detail))
    return item


def scan_inbox(inbox: Path) -> list[Path]:
    """Files under the inbox, sorted; office lock files and hidden files are not inputs."""
    found = []
    if not inbox.exists():
        return found
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            p = Path(root) / f
            if f.startswith(("~$", ".~lock.", ".")) or f.lower() in JUNK_NAMES:
                continue
            if p.is_symlink():  # never followed: it could point anywhere on the machine
                log.warning("收件箱中的“%s”是快捷方式（符号链接），未读取，请把文件本身放入收件箱", p.name)
                continue
            found.append(p)
    return found


def collect(ws: Workspace, period: str | None = None, progress: Progress = no_progress,
            workers: int | None = None, feedback: bool = True) -> CollectResult:
    """Collect everything in 收件箱: archive, record, check, write feedback. See module doc."""
    from .master import Master

    master: Master = ws.load_master()
    limits = ws.limits
    expected = str(Period.parse(period)) if period else None
    result = CollectResult()
    with Ledger(ws.ledger_path) as ledger:
        run_id = ledger.start_run(f"collect {expected or ''}".strip())
        tops: list[Item] = []
        present: set[tuple[str, str]] = set()
        for path in progress(scan_inbox(ws.inbox), "读取收件箱"):
            rel = unescape_name(path.relative_to(ws.inbox).as_posix())
            try:
                item = _read_input(path, rel, limits)
            except OSError as exc:
                log.warning("无法读取收件箱文件 %s：%s", rel, exc)
                continue
            if item is None:
                continue
            present.add((rel, item.sha256))
            pending = ledger.uncleared(rel, item.sha256)
            if pending is not None:
                _finish_removal(ws, ledger, path, pending.id, pending.archive_path, item.sha256)
                result.recovered += 1
                continue
            if not item.outcome:
                expand(item, limits)
            tops.append(item)
        # A run stopped between removing an inbox file and noting it: note it now.
        for rec in ledger.uncleared_all():
            if (rec.inbox_path, rec.sha256) not in present:
                ledger.mark_cleared(rec.id)
        result.inputs = len(tops)

        # Leaves to check: spreadsheets and anything unknown; duplicates are not re-checked.
        seen: dict[str, tuple[str, str]] = {}
        jobs: list[Item] = []
        for top in tops:
            for it in top.walk():
                if it.outcome:
                    continue
                earlier = ledger.find_sha(it.sha256)
                if earlier or it.sha256 in seen:
                    when, name = ((earlier[0].received_at[:16], earlier[0].name) if earlier
                                  else seen[it.sha256])
                    it.outcome = DUPLICATE
                    it.issues.append(make_issue("W204", file=it.name, when=when, name=name))
                    continue
                seen[it.sha256] = (it.received_at.isoformat(sep=" ")[:16], it.name)
                jobs.append(it)
        ctx = CheckContext(master, limits, period=expected, default_period=expected or str(ws.period()))
        reports = check_many([(it.data, it.name) for it in jobs], ctx, workers, progress)
        for it, rep in zip(jobs, reports):
            if rep.unit and rep.period and rep.outcome != UNREADABLE:
                rep.issues.extend(history_issues(rep, ledger.previous_progress(rep.unit, rep.period)))
            if expected and any(i.code == "E202" for i in rep.issues):
                rep.period = expected  # rejected for this period; filed with it
            it.report, it.outcome = rep, rep.outcome
            it.kind = rep.kind or it.kind

        # Archive every byte first (idempotent), record everything in one transaction, then
        # clear the inbox: a crash anywhere leaves work a re-run finishes exactly once, and
        # one durable commit instead of one per file keeps a month's collect quick.
        for top in progress(tops, "归档"):
            _archive(ws, top, expected)
        touched: set[tuple[str, str]] = set()
        with ledger.transaction():
            for top in tops:
                _insert(ledger, top, None, run_id, touched)
            for unit, period_key in sorted(touched):
                ledger.resolve_superseded(unit, period_key)
        cleared = []
        for top in tops:
            path = top.inbox_file or ws.inbox / (top.inbox_path or "")
            if top.receipt_id is not None and _remove_from_inbox(ws, path, top.archive_rel, top.sha256):
                cleared.append(top.receipt_id)
            for it in top.walk():
                result.receipts += 1
                if it.report is not None:
                    result.returns += 1
                result.duplicates += it.outcome == DUPLICATE
                result.unreadable += it.outcome == UNREADABLE
            result.items.append(top)
        ledger.mark_cleared(*cleared)

        # Outcomes after superseding are in the ledger; count from there.
        for top in tops:
            for it in top.walk():
                if it.report is None:
                    continue
                row = ledger.get(it.receipt_id) if it.receipt_id else None
                outcome = row.outcome if row else it.outcome
                it.outcome = outcome
                result.accepted += outcome == ACCEPTED
                result.returned += outcome == RETURNED
                result.superseded += outcome == SUPERSEDED
        result.periods = sorted({it.report.period for t in tops for it in t.walk()
                                 if it.report and it.report.period})
        if feedback:
            result.feedback = (_resume_feedback(ws, ledger, master, run_id)
                               + _write_feedback(ws, master, tops, progress))
        ledger.finish_run(run_id, result.to_dict())
    log.info("收取完成：输入 %d 个，登记 %d 条，采纳 %d，退回 %d，无法读取 %d，重复 %d",
             result.inputs, result.receipts, result.accepted, result.returned,
             result.unreadable, result.duplicates)
    return result


def _archive_folder(item: Item, fallback: str | None) -> str:
    if item.report and item.report.period:
        return period_folder(Period.parse(item.report.period))
    periods = Counter(c.report.period for c in item.walk() if c.report and c.report.period)
    if periods:
        return period_folder(Period.parse(periods.most_common(1)[0][0]))
    return period_folder(Period.parse(fallback)) if fallback else UNFILED


def _write_archive(ws: Workspace, item: Item, folder: str) -> None:
    from .xlsx import atomic_write

    if item.path is not None:
        _archive_stream(ws, item, folder)
        return
    name = f"{item.sha256[:12]}_{safe_filename(item.name)}"
    target = ws.root / ARCHIVE / folder / name
    item.archive_rel = target.relative_to(ws.root).as_posix()
    if target.exists() and _file_sha(target) == item.sha256:
        return
    atomic_write(target, lambda tmp: tmp.write_bytes(item.data))


def _archive_stream(ws: Workspace, item: Item, folder: str) -> None:
    """Archive an oversized inbox file by copying it, hashing what was copied."""
    assert item.path is not None
    base = ws.root / ARCHIVE / folder
    base.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~duban-", dir=base)
    try:
        h = hashlib.sha256()
        with open(item.path, "rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(1 << 20):
                h.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        item.sha256 = h.hexdigest()  # what was copied, should the file have changed since
        target = base / f"{item.sha256[:12]}_{safe_filename(item.name)}"
        os.replace(tmp, target)
        item.archive_rel = target.relative_to(ws.root).as_posix()
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _archive(ws: Workspace, top: Item, expected: str | None) -> None:
    """Archive every byte of one inbox input and everything found inside it."""
    top_folder = _archive_folder(top, expected)
    for it in top.walk():
        folder = _archive_folder(it, None) if it.report and it.report.period else top_folder
        _write_archive(ws, it, folder)


def _insert(ledger: Ledger, item: Item, parent: int | None, run_id: int,
            touched: set[tuple[str, str]]) -> None:
    issues = list(item.issues) + (item.report.issues if item.report else [])
    outcome = item.outcome or UNREADABLE
    if not item.report and not item.outcome:
        outcome = UNREADABLE
    kind = item.kind or "unknown"
    rid = ledger.insert(sha256=item.sha256, name=item.name, kind=kind, source=_one_line(item.source),
                        received_at=item.received_at.isoformat(sep=" "), archive_path=item.archive_rel,
                        size=item.size, outcome=outcome, report=item.report, parent_id=parent,
                        inbox_path=item.inbox_path if parent is None else None, run_id=run_id,
                        note=_one_line(item.note), issues=issues)
    item.receipt_id = rid
    if item.report and outcome == ACCEPTED and item.report.unit and item.report.period:
        touched.add((item.report.unit, item.report.period))
    for child in item.children:
        _insert(ledger, child, rid, run_id, touched)


def _one_line(text: str) -> str:
    """Provenance for the ledger and the 收件登记 sheet: names from mails and zips arrive
    with bidi overrides, control characters and line breaks; none of them is kept."""
    return " ".join(clean(text).split("\n"))


def _finish_removal(ws: Workspace, ledger: Ledger, path: Path, receipt_id: int,
                    archive_rel: str, sha256: str) -> None:
    """Remove an inbox file that an earlier run recorded but did not get to remove."""
    if _remove_from_inbox(ws, path, archive_rel, sha256, verify=True):
        ledger.mark_cleared(receipt_id)


def _remove_from_inbox(ws: Workspace, path: Path, archive_rel: str, sha256: str, verify: bool = False) -> bool:
    """Remove an inbox file whose bytes are safely archived and recorded; True if gone.

    ``verify`` re-reads the archive first: for files an earlier, interrupted run archived.
    """
    archived = ws.root / archive_rel if archive_rel else None
    if archived is None:
        return False
    if not archived.exists() or (verify and _file_sha(archived) != sha256):
        from .xlsx import atomic_write

        def copy(tmp: Path) -> None:
            shutil.copyfile(path, tmp)
            if _file_sha(tmp) != sha256:
                raise _Changed

        try:
            atomic_write(archived, copy)
        except _Changed:
            log.warning("收件箱文件 %s 在处理期间被改动，暂不移出（下次运行会重新处理）", path)
            return False
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("无法从收件箱移除 %s：%s（下次运行会再次处理，不会重复计数）", path, exc)
        return False
    _remove_empty_dirs(path.parent, ws.inbox)
    return True


class _Changed(Exception):
    """The inbox file no longer has the bytes that were recorded."""


def _remove_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _resume_feedback(ws: Workspace, ledger: Ledger, master, run_id: int) -> list[Path]:
    """Feedback that a stopped run owed: its receipts were committed (and its inbox files
    removed) but it died before writing their feedback. Rebuilt from ledger and archive."""
    from .feedback import write_feedback

    written: list[Path] = []
    for stopped in ledger.unfinished_runs("collect", before=run_id):
        for rec in ledger.receipts_of_run(stopped):
            if rec.outcome not in (ACCEPTED, RETURNED, SUPERSEDED) or not rec.unit or not rec.period:
                continue
            # as the run would have written it: W205 came later, from superseding
            issues = [i for i in ledger.issues_of(rec.id) if i.code != "W205"]
            if not issues or not rec.archive_path:
                continue
            rep = Report(rec.name, rec.kind, rec.unit, rec.period, rec.identified_by, contact=rec.contact,
                         rows=ledger.rows_of(rec.id), issues=issues)
            try:
                written.extend(write_feedback(ws, master, rep, (ws.root / rec.archive_path).read_bytes(), rec.name))
            except Exception as exc:  # feedback is a courtesy; the receipt is already safe
                log.warning("无法为 %s 补写反馈表：%s", rec.name, exc)
        ledger.finish_run(stopped, {"interrupted": True, "feedback_resumed_by": run_id})
    return written


_FEEDBACK_CTX: tuple | None = None


def _feedback_job(job: tuple) -> list[Path]:
    from .feedback import write_feedback

    assert _FEEDBACK_CTX is not None
    ws, master = _FEEDBACK_CTX
    rep, data, name = job
    try:
        return write_feedback(ws, master, rep, data, name)
    except Exception as exc:  # feedback is a courtesy; the receipt is already safe
        log.warning("无法为 %s 生成反馈表：%s", name, exc)
        return []


def _write_feedback(ws: Workspace, master, tops: list[Item], progress: Progress = no_progress) -> list[Path]:
    """Feedback for every checked return with issues; on several cores when there are many."""
    global _FEEDBACK_CTX

    jobs = [(it.report, it.data, it.name) for top in tops for it in top.walk()
            if it.report is not None and it.report.issues and it.report.outcome != UNREADABLE
            and it.report.unit and it.report.period]
    import multiprocessing

    _FEEDBACK_CTX = (ws, master)
    workers = min(os.cpu_count() or 1, 4)
    # Only with fork: spawning fresh interpreters (Windows) costs more than it saves.
    if len(jobs) < 16 or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [p for job in progress(jobs, "反馈表") for p in _feedback_job(job)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return [p for paths in progress(pool.map(_feedback_job, jobs), "反馈表") for p in paths]

