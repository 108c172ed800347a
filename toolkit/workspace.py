"""The work folder (工作区): duban.toml, the master workbook, one folder per stage, the lock.

Every command finds its workspace from the current folder upward (like git), or from
``-w DIR``. Folder names are Chinese because the coordinator browses them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
from dataclasses import field, replace
from pathlib import Path

# shutil, signal and socket: imported in the functions that use them. Most commands never do, and
# without these (and calendar) `duban status` starts about 10 ms sooner (measured). hashlib too:
# it loads OpenSSL, 3.1 ms of status's start-up (see master.cache).
from . import errors, files
from .master import Master, read_master_workbook
from .period import Period
from .record import FACTORY, record
from .report import Issue
from .resources import resource, resource_dir
from .settings import Limits, Settings, read_settings, set_config_value
from .shipped_templates import SUPERSEDED_TEMPLATES as SUPERSEDED_TEMPLATES
from .shipped_templates import superseded as _superseded
from .text import LazyPattern

CONFIG_NAME = "duban.toml"
INBOX = "收件箱"
ISSUED = "下发"
ARCHIVE = "归档"
FEEDBACK = "反馈"
MERGED = "汇总"
MEMOS = "通报"
LOGS = "日志"
STATE = ".duban"
STAGE_FOLDERS = (INBOX, ISSUED, ARCHIVE, FEEDBACK, MERGED, MEMOS, LOGS)
# Files a coordinator may edit; `init` copies them into 模板/ of the new workspace.
EDITABLE_TEMPLATES = ("月度通报.docx", "样式.toml", "下发邮件.txt", "反馈邮件.txt", "催报邮件.txt",
                      "fonts.conf", "README.md")
SCRIPTS = ("0-首次安装", "1-下发填报表", "2-收取并汇总", "3-生成通报", "4-发送邮件", "5-逐条核实", "一键月报")
SCRIPT_COMMON = "_公共.sh"  # sourced by the .sh/.command twins

CONFIG_TEMPLATE = """\
# 督办（duban）工作区配置文件
# 用记事本打开即可修改，保存时请选择 UTF-8 编码。以 # 开头的行是说明，不影响运行。

[project]
# 专项行动名称：用于填报表标题、汇总表和通报
name = "{name}"
# 督办单位：通报落款
organiser = "{organiser}"
# 当前期次（年-月）。duban issue 会改成刚下发的那一期；命令不写 --period 时都用它，双击脚本直接回车也用它。
period = "{period}"
# 报送截止日：每期次月的几号
due_day = 5
# 咨询联系人及电话：写进填报说明和邮件
contact = ""

[paths]
# 任务清单工作簿（由 duban master import 生成，可在 Excel 中修改“责任分工”“单位名录”）
master = "任务分工表.xlsx"
# 本工作区的模板文件夹。文件夹里没有的模板，使用软件自带的版本。
templates = "{templates}"

[memo]
# 通报“报送情况”中是否列出工作进展或下一步计划与上期完全相同（照抄上月）的单位：true 列出，false 不列
list_unchanged = false
# 通报“报送情况”中未报送、逾期报送等某一类单位超过这个数时，正文只写个数，名单列入文末附件
appendix_over = 60

[issue]
# 销号：上次报送的任务全部为“已完成”的单位，本期是否免报。false：仍下发填报表，请其确认（未报送照常点名）；
# true：不下发，汇总表写“本期免报”，不计入应报单位，通报不点名。下发时加 --skip-done 或 --no-skip-done 只改这一次。
skip_done_units = false

[mail]
# 邮件草稿的发件人，可留空，在邮件客户端中选择
sender = ""

[limits]
# 安全限制，超过即拒收并登记原因（单位见各行说明）
max_file_mb = 20          # 单个文件最大（MB）
max_unpacked_mb = 200     # 解压后总大小上限（MB），防压缩炸弹
max_ratio = 200           # 压缩比上限
max_rows = 5000           # 每张表最多读取行数
max_cells = 2000000       # 每张表使用范围最多单元格数（防止“远处的一个单元格”撑爆内存）
max_text_chars = 2000     # 每个文本单元格最多保留字数，超出截断并提示
max_zip_depth = 3         # 压缩包嵌套层数上限
max_mail_parts = 200      # 一封邮件最多处理的附件及正文部分
"""


def period_folder(period: Period) -> str:
    """Folder name for a period: ``2022年6月``."""
    return period.label


@record(eq=False)  # never compared: start-up (docs/design.md)
class Workspace:
    """An opened work folder and its checked settings."""

    root: Path
    settings: Settings = field(default_factory=Settings)
    #: Problems found in the master workbook by the last `load_master` (bad 单位名录 addresses).
    master_issues: list[Issue] = field(default_factory=list, repr=False, compare=False)
    #: A fixed office clock (`now`): the demo's day, which plays a month of 2022 whatever the
    #: machine's; None, the wall clock, for every real workspace.
    fixed_now: dt.datetime | None = field(default=None, repr=False, compare=False)

    def __init__(self, root: Path, settings: Settings = FACTORY, master_issues: list[Issue] = FACTORY,
                 fixed_now: dt.datetime | None = None) -> None:
        self.root = root
        self.settings = Settings() if settings is FACTORY else settings
        self.master_issues = [] if master_issues is FACTORY else master_issues
        self.fixed_now = fixed_now

    # ---- settings ----
    @property
    def project(self) -> str:
        return self.settings.name

    @property
    def organiser(self) -> str:
        return self.settings.organiser

    @property
    def due_day(self) -> int:
        return self.settings.due_day

    @property
    def contact(self) -> str:
        return self.settings.contact

    @property
    def sender(self) -> str:
        return self.settings.mail.sender

    @property
    def limits(self) -> Limits:
        return self.settings.limits

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    def period(self, given: Period | None = None) -> Period:
        """The period to work on: the one given, else duban.toml's, else last month."""
        if given:
            return Period.parse(given)
        return self.settings.period or Period.previous_month(self.now().date())  # the office's month

    @property
    def tz(self):
        """The office's time zone (duban.toml ``timezone``): every received time, date and
        "today" is taken in it, never in the machine's zone."""
        from zoneinfo import ZoneInfo  # 3.5 ms, and no command that only reads needs it

        return ZoneInfo(self.settings.timezone)

    def now(self) -> dt.datetime:
        """The office's wall clock, aware (see `tz`)."""
        return dt.datetime.now(self.tz) if self.fixed_now is None else self.fixed_now.astimezone(self.tz)

    def due(self, period: Period, issued: dt.date | None = None) -> dt.date:
        """The period's deadline: duban.toml's ``due_day`` of the next month, or the later
        date printed on the forms (``issued``, `Ledger.issued_due`: ``duban issue --due``).
        The later of the two, so that no unit is named 逾期 that met a deadline the office
        gave it, whether printed on the form or extended in duban.toml afterwards."""
        default = period.due(self.due_day)
        return max(default, issued) if issued else default

    # ---- paths ----
    @property
    def master_path(self) -> Path:
        return self.root / self.settings.master

    @property
    def inbox(self) -> Path:
        return self.root / INBOX

    @property
    def state_dir(self) -> Path:
        return self.root / STATE

    @property
    def ledger_path(self) -> Path:
        return self.state_dir / "ledger.sqlite3"

    @property
    def log_path(self) -> Path:
        return self.root / LOGS / "duban.log"

    def stage_dir(self, stage: str, period: Period | None = None) -> Path:
        base = self.root / stage
        return base / period_folder(period) if period else base

    @property
    def templates_dir(self) -> Path:
        return self.root / self.settings.templates

    def template(self, name: str) -> Path:
        """A template file: the workspace's own copy if it has one (and it is not an earlier
        version's, never edited), else the shipped one."""
        own = self.templates_dir / name
        return own if own.exists() and not _superseded(own, name) else resource("templates", name)

    def ensure_folders(self) -> None:
        """Create any missing stage folder (a fresh clone has no empty 收件箱)."""
        for stage in STAGE_FOLDERS:
            with contextlib.suppress(OSError):  # a read-only share still lets commands read
                (self.root / stage).mkdir(exist_ok=True)

    def check_ledger(self) -> None:
        """Refuse to go on when the ledger is missing or empty (zero bytes) while 归档 holds
        received files: the folder was copied without ``.duban``, or the ledger was emptied,
        and every command would take the month for unreported (status and the 通报 naming
        every unit 未报送). A zero-byte file alone is what an interrupted first run leaves."""
        try:
            if self.ledger_path.exists() and self.ledger_path.stat().st_size > 0:
                return
            archived = next((p for p in (self.root / ARCHIVE).rglob("*") if p.is_file()), None)
        except OSError:
            return  # an unreadable folder is reported where it is read
        if archived is not None:
            raise errors.LedgerMissing(
                f"收件台账“{STATE}/ledger.sqlite3”不见了或是空的，但“{ARCHIVE}”中已有收到的文件"
                f"（如“{archived.relative_to(self.root).as_posix()}”）。继续运行会把已报送的单位当作未报送。"
                f"请从备份恢复整个“{STATE}”文件夹（复制工作区时要连同这个文件夹）；"
                f"确要从头开始的，请先把“{ARCHIVE}”中的文件移走。")

    def load_master(self) -> Master:
        master = read_master_workbook(self.master_path)
        if not master.directory.place:  # a master signed by no one: duban.toml's organiser names the place
            master.directory.locate(self.organiser)
        # Kept so the CLI can show them after whichever command read the master (M112).
        self.master_issues = list(master.issues)
        return master

    def lock(self) -> RunLock:
        """The run lock; taking it also clears temp files a killed run left behind."""
        return RunLock(self.state_dir / "run.lock", on_acquire=self.remove_stale_temp_files, now=self.now)

    def remove_stale_temp_files(self) -> int:
        """Delete what killed runs left: ``.duban/tmp/`` entries of dead processes, and the
        ``.~duban-*`` files older versions wrote beside outputs. Only safe while holding
        the run lock."""
        removed = files.clear_temp(self.root)
        for stage in (ISSUED, ARCHIVE, FEEDBACK, MERGED, MEMOS):
            for path in (self.root / stage).rglob(".~duban-*"):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        # tempfile's own names, left in 汇总/<期>/ by versions that wrote the 汇总表 there
        for path in (self.root / MERGED).rglob("tmp*.xlsx"):
            if _TEMPFILE_NAME.fullmatch(path.name):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        for path in self.master_path.parent.glob(".~duban-*"):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        return removed


# compiled on first use (`LazyPattern`), as _HOLDER: status, like most commands, uses neither (these
# two and three more in xlsx, mail_notes and disputed: 1.3 M of its 539 M instructions, callgrind)
_TEMPFILE_NAME = LazyPattern(r"tmp[a-z0-9_]{8}\.xlsx")


def find_workspace(start: str | Path | None = None, explicit: bool = False) -> Workspace:
    """Open the workspace at ``start`` or the nearest folder above it holding duban.toml."""
    here = Path(start or os.getcwd()).resolve()
    candidates = [here] if explicit else [here, *here.parents]
    for folder in candidates:
        cfg = folder / CONFIG_NAME
        if cfg.is_file():
            return Workspace(folder, read_settings(cfg))
    where = here if explicit else f"{here} 及其上级文件夹"
    raise errors.WorkspaceNotFound(
        f"在 {where} 中找不到工作区（{CONFIG_NAME}）。请在工作区文件夹中运行，或先运行 duban init 创建。")


def copy_scripts(root: Path) -> list[Path]:
    """Copy the double-click scripts (.bat/.command/.sh) into a workspace."""
    import shutil
    copied = []
    src_dir = resource_dir("workbooks")
    if (src_dir / SCRIPT_COMMON).exists():
        shutil.copy2(src_dir / SCRIPT_COMMON, root / SCRIPT_COMMON)
        copied.append(root / SCRIPT_COMMON)
    for stem in SCRIPTS:
        for ext in (".bat", ".command", ".sh"):
            src = src_dir / (stem + ext)
            if src.exists():
                dst = root / src.name
                shutil.copy2(src, dst)
                if ext != ".bat":
                    dst.chmod(0o755)
                copied.append(dst)
    return copied


_HELD: set[int] = set()  # lock fds of this process, closed in forked children


class RunLock:
    """One run at a time per workspace, via an OS file lock held by the main process.

    The OS drops the lock when its process dies, so a lock left by a killed run is taken
    over without any guessing about process ids. Forked children (worker processes) would
    share the lock and keep it after the main process died; they close it right after the
    fork (`_forget_locks_in_child`), and a lock whose recorded owner is dead while some
    orphan still holds it is stale: the orphans are ended and the lock taken.
    On a read-only workspace there is nothing another run could change: the lock is taken
    if the file allows it, and otherwise skipped.
    """

    def __init__(self, path: Path, on_acquire=None, now=dt.datetime.now):
        self.path = path
        self.fd: int | None = None
        self.previous = ""
        self.on_acquire = on_acquire
        self.now = now  # the office's clock: the time a second colleague is told the run began

    def __enter__(self) -> RunLock:
        import socket
        fd = self._open()
        if fd is None:
            return self
        try:
            _lock(fd)
        except OSError:
            holder = _read_holder(fd)
            if not _end_orphans(self.path, holder):
                os.close(fd)
                raise errors.WorkspaceBusy(
                    f"另一个督办程序正在处理这个工作区（{holder}），请等它结束后再运行。") from None
            try:
                _lock(fd)
            except OSError:
                os.close(fd)
                raise errors.WorkspaceBusy(
                    f"另一个督办程序正在处理这个工作区（{holder}），请等它结束后再运行。") from None
        self.previous = _read_holder(fd)
        info = f"进程 {os.getpid()}，{socket.gethostname()}，{self.now():%Y-%m-%d %H:%M:%S} 开始"
        with contextlib.suppress(OSError):  # a full disk or a read-only file: the lock still holds
            os.lseek(fd, 1, os.SEEK_SET)
            os.truncate(fd, 1)
            os.write(fd, info.encode("utf-8"))
        self.fd = fd
        _HELD.add(fd)
        if self.on_acquire is not None:
            with contextlib.suppress(OSError):
                self.on_acquire()
        return self

    def _open(self) -> int | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            try:
                return os.open(self.path, os.O_RDONLY)
            except FileNotFoundError:
                fault = errors.os_fault(exc, self.path.parent, op="write")
                if isinstance(fault, errors.NoPermission):
                    return None  # read-only workspace: nobody can change it, so no lock needed
                raise (fault or exc) from exc
            except OSError:
                raise (errors.os_fault(exc, self.path.parent, op="write") or exc) from exc

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            try:
                with contextlib.suppress(OSError):
                    os.lseek(self.fd, 1, os.SEEK_SET)
                    os.truncate(self.fd, 1)
            finally:
                _HELD.discard(self.fd)
                _unlock(self.fd)
                os.close(self.fd)
                self.fd = None


def _forget_locks_in_child() -> None:
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)  # flock belongs to the parent's open file: closing a copy keeps it
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)

_HOLDER = LazyPattern(r"进程 (\d+)，([^，]*)，")


def _end_orphans(path: Path, holder: str) -> bool:
    """True when the lock's owner is dead and the processes still holding it were ended.

    Only on Linux, where /proc shows who holds the file; only processes on this machine
    that have this very lock file open are ended: orphaned workers of the dead run.
    """
    import signal
    import socket
    found = _HOLDER.search(holder)
    if not found or found.group(2) != socket.gethostname() or not sys.platform.startswith("linux"):
        return False
    if files.pid_alive(int(found.group(1))):
        return False
    target = os.path.realpath(path)
    holders = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if any(os.path.realpath(fd) == target for fd in (entry / "fd").iterdir()):
                holders.append(int(entry.name))
    for pid in holders:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while any(files.pid_alive(p) and not _zombie(p) for p in holders) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        return os.read(fd, 500).decode("utf-8", "replace").strip() or "未知进程"
    except OSError:
        return "未知进程"


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    # fcntl imported by the commands that lock: `status` reads without the lock (0.1 ms of it)
    def _lock(fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def set_current_period(ws: Workspace, period: Period) -> bool:
    """Make ``period`` the workspace's current period in duban.toml (comments kept).

    `issue` calls it: from then on every command without ``--period`` works on the month
    just issued, and says so. True when duban.toml changed."""
    if ws.settings.period == period:
        return False
    try:
        set_config_value(ws.config_path, "project", "period", str(period))
    except FileNotFoundError:
        return False
    ws.settings = replace(ws.settings, period=period)
    return True


def ever_collected(ws: Workspace) -> bool:
    """Whether any file was ever received (the ledger also exists once returns are issued)."""
    if not ws.ledger_path.exists():
        return False
    from .ledger import Ledger  # sqlite3 only when a command asks (as issued_periods says)

    try:
        with Ledger(ws.ledger_path, readonly=True) as ledger:
            return ledger.count() > 0
    except Exception:  # an unreadable ledger: let the command that needs it say why
        return True


def last_due(ws: Workspace, period: Period) -> dt.date | None:
    """The latest deadline any unit was given for ``period`` (its forms' dates, `Workspace.due`),
    or None when no form of ``period`` was issued."""
    if not ws.ledger_path.exists():
        return None
    from .ledger import Ledger  # sqlite3 only when a command asks (as ever_collected says)

    with Ledger(ws.ledger_path, readonly=True) as ledger:
        if ledger.issued_at(period) is None:
            return None
        return ws.due(period, max(ledger.issued_dues(period).values(), default=None))


def earlier_due(ws: Workspace, target: Period, made: str, rerun: str) -> str:
    """The month before ``target`` whose forms went out, whose returns came in and whose deadline
    has passed, as the one to make ``made`` of (``rerun``: how, ``{period}`` the month to type);
    '' when there is none. ``target`` became the current period when its forms were issued before
    that month's deadline (July's on 3 July, June due on the 5th): on the 6th 一键月报 pressed with
    Enter found nothing of July (QA270), 3-生成通报 made July's 通报, all 尚未截止 (QA271), and
    neither said a word of June, whose 通报 was the one due. A month whose 通报 was made already
    is not due: a 通报 of July previewed on 8 July must not send the office back to June's."""
    if not ws.ledger_path.exists():
        return ""
    from .ledger import Ledger  # sqlite3 only when a command asks (as ever_collected says)

    with Ledger(ws.ledger_path, readonly=True) as ledger:
        earlier = max((p for p in ledger.issued_periods() if p < target), default=None)
        if earlier is None or not any(r.unit for r in ledger.receipts(earlier)):
            return ""
    due = last_due(ws, earlier)
    if due is None or ws.now().date() <= due or _memo_made(ws, earlier):
        return ""
    return (f"{earlier.label}的报送截止日（{due.month}月{due.day}日）已过，已收到其报送：要生成{earlier.label}的"
            f"{made}，{rerun.format(period=earlier)}")


def _memo_made(ws: Workspace, period: Period) -> bool:
    """Whether a 通报 of ``period`` was written (a .docx or .md in its 通报 folder)."""
    folder = ws.stage_dir(MEMOS, period)
    try:
        return any(p.suffix.lower() in (".docx", ".md") for p in folder.iterdir())
    except OSError:
        return False


def refuse_if_nothing_received(ws: Workspace, period: Period | None, command: str) -> None:
    """Refuse `duban merge` or `duban memo` (``command``) in a workspace that has never
    received a file, unless every deadline of the month's forms has passed.

    Before the deadline there is nothing to report yet. After it, a month in which no unit
    sent anything is one whose 通报 says 均未报送, as a later month's with nothing received
    does; refusing left the office of a new plan with no 通报 to issue. A month whose forms
    were never issued has no deadline and stays refused.
    """
    if ever_collected(ws):
        return
    due = last_due(ws, ws.period(period))
    if due is not None and ws.now().date() > due:
        return
    made = {"merge": "汇总表", "memo": "通报"}[command]
    click = {"merge": "（或双击“2-收取并汇总”）", "memo": "（或双击“3-生成通报”）"}[command]
    after = (f"报送截止日为{due.month}月{due.day}日；截止后仍无人报送，可再运行 duban {command}{click}，"
             f"生成各单位均未报送的{made}。" if due else "")
    # the month asked about named, and that nothing was written: `merge --period 2022-09
    # --force` said 错误 with the workspace's words only (QA161)
    empty = {"merge": "没有可汇总的内容", "memo": "没有可写进通报的进展"}[command]
    month = ws.period(period)
    # no record of the month's forms (no deadline): issue is the first step, unless the office
    # sent them some other way, which duban cannot know (QA172, QA176)
    first = (f"请先把报送文件放进“{ws.inbox.name}”文件夹，运行 duban collect（或双击“2-收取并汇总”）。" if due else
             f"本工作区没有{month.label}下发填报表的记录：如尚未下发，请先运行 duban issue --period {month}"
             f"（或双击“1-下发填报表”，期次输入 {month}）；"
             f"收到报送后运行 duban collect（或双击“2-收取并汇总”）。")
    raise errors.NothingToDo(f"{month.label}还没有收取到任何报送（本工作区还没有收取过报送），"
                             f"{empty}，{made}未生成。{first}{after}")


def issued_periods(ws: Workspace) -> list[Period]:
    """Periods returns were issued for: the ledger's record, or a 下发/<期> folder with
    returns in it (a workspace issued before the ledger kept that record)."""
    found: set[Period] = set()
    with contextlib.suppress(OSError):
        for folder in (ws.root / ISSUED).iterdir():
            if folder.is_dir() and any(folder.glob("*.xlsx")):
                with contextlib.suppress(errors.BadPeriod):
                    found.add(Period.parse(folder.name))
    return sorted(found | _recorded_issued(ws))


def _recorded_issued(ws: Workspace) -> set[Period]:
    """`issued_periods` as the ledger records them."""
    if not ws.ledger_path.exists():
        return set()
    from .ledger import Ledger  # sqlite3 only when a command asks about periods

    with contextlib.suppress(Exception), Ledger(ws.ledger_path, readonly=True) as ledger:
        return set(ledger.issued_periods())
    return set()


def require_issued(ws: Workspace, period: Period | None, force: bool = False) -> Period:
    """The period to work on; refused (NotIssued) when no return was issued for it.

    Without this check a typo in --period, or a duban.toml period never issued, gives a
    汇总表 and a 通报 naming every department 未报送, with exit 0."""
    chosen = ws.period(period)
    # the ledger's record first: it answers nearly every run. Listing 下发/ and reading its folders'
    # names (2022年6月: status's one period not written 2022-06, `Period.parse`'s pattern compiled
    # for it) was 1.7 M instructions of `duban status`'s 451 M (callgrind, demo workspace)
    if force or chosen in _recorded_issued(ws):
        return chosen
    issued = issued_periods(ws)
    if chosen not in issued:
        listed = "、".join(str(p) for p in issued) if issued else "（还没有）"
        raise errors.NotIssued(f"{chosen} 没有下发过填报表；已下发：{listed}。"
                               f"请先运行 duban issue --period {chosen}（或双击“1-下发填报表”，期次输入 {chosen}），"
                               "或加 --force 照常处理。")
    return chosen
