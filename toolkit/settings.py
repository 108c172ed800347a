"""duban.toml, read and checked: every setting with its type and range, and the limits.

A coordinator edits duban.toml in Notepad. Whatever goes wrong there (a GBK save,
``due_day = "五"``, a port of 99999) is one Chinese line naming the key, the line and the
allowed values, before any command does anything. A key this duban does not know (a newer
duban's setting, or a misspelling) is ignored with a warning (`Settings.warnings`). Every reader of untrusted
input takes its bounds from one frozen `Limits`; nothing else in the code spells a limit.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from dataclasses import field, fields
from pathlib import Path
from typing import Any

# difflib: imported in the functions that use them. Most commands never do, and
# without these (and calendar) `duban status` starts about 10 ms sooner (measured).
# tomllib too: `_parsed` (its four modules were 1.5 ms of each status).
from .errors import BadConfig, DubanError
from .files import STATE_DIR, atomic_write
from .period import Period
from .record import FACTORY, record

_set = object.__setattr__  # a frozen record's own fields, as dataclass's __init__ sets them

@record(frozen=True)
class Limits:
    """Bounds on what one received input may make duban read, unpack or keep."""

    max_file_mb: int = 20            # one received file
    max_unpacked_mb: int = 200       # everything inside one inbox file, archives in archives included
    max_ratio: int = 200             # uncompressed / compressed, per archive entry
    max_rows: int = 5000             # rows read from a return sheet
    max_cells: int = 2_000_000       # cells in one sheet's used range (one far cell makes a huge grid);
                                     # .ods/.xls: all sheets together (calamine builds each at open)
    max_text_chars: int = 2000       # characters kept per text cell (W507 beyond)
    max_zip_depth: int = 3           # archive inside archive inside archive
    max_mail_parts: int = 200        # MIME parts in one mail
    max_entries: int = 1000          # files in one archive, parts in one spreadsheet package
    max_nesting: int = 10            # mails and archives inside each other, whatever the mix

    def __init__(self, max_file_mb: int = 20, max_unpacked_mb: int = 200, max_ratio: int = 200, max_rows: int = 5000,
                 max_cells: int = 2_000_000, max_text_chars: int = 2000, max_zip_depth: int = 3,
                 max_mail_parts: int = 200, max_entries: int = 1000, max_nesting: int = 10) -> None:
        _set(self, "max_file_mb", max_file_mb)
        _set(self, "max_unpacked_mb", max_unpacked_mb)
        _set(self, "max_ratio", max_ratio)
        _set(self, "max_rows", max_rows)
        _set(self, "max_cells", max_cells)
        _set(self, "max_text_chars", max_text_chars)
        _set(self, "max_zip_depth", max_zip_depth)
        _set(self, "max_mail_parts", max_mail_parts)
        _set(self, "max_entries", max_entries)
        _set(self, "max_nesting", max_nesting)

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_unpacked_mb * 1024 * 1024

    @classmethod
    def from_table(cls, table: dict[str, object] | None) -> Limits:
        """Limits from duban.toml's ``[limits]`` (already validated by `parse_settings`)."""
        given = table or {}
        return cls(**{f.name: int(given[f.name]) for f in fields(cls) if f.name in given})  # type: ignore[arg-type]


#: The defaults, for callers with no workspace (``duban check`` outside one).
DEFAULT_LIMITS = Limits()


SECURITY_CHOICES = ("ssl", "starttls", "plain")


# Settings and MailSettings are never compared, hashed nor shown (a quick loop run with their
# generated __eq__, __hash__ and __repr__ recording each call recorded none): none is generated,
# 4.9 M instructions of `duban status`'s 450 M (callgrind, demo workspace). `Limits`, public, keeps them.
@record(frozen=True, eq=False, repr=False)
class MailSettings:
    """``[mail]``: the office mailbox duban fetches returns from and sends drafts through."""

    sender: str = ""             # From: of the .eml drafts (and of sent mail when `from_` is empty)
    imap_host: str = ""
    imap_port: int = 0           # 0: 993 for ssl, 143 for starttls/plain
    smtp_host: str = ""
    smtp_port: int = 0           # 0: 465 for ssl, 587 for starttls, 25 for plain
    security: str = "ssl"        # ssl | starttls | plain (plain only with allow_plain)
    allow_plain: bool = False
    user: str = ""
    from_: str = ""              # the ``from`` key: sender address of mail sent by duban
    folder: str = "INBOX"
    after_fetch: str = "keep"    # keep | seen | move:<folder>
    send_per_minute: int = 20
    ca_file: str = ""            # an office CA (PEM) to trust besides the system's

    def __init__(self, sender: str = "", imap_host: str = "", imap_port: int = 0, smtp_host: str = "",
                 smtp_port: int = 0, security: str = "ssl", allow_plain: bool = False, user: str = "", from_: str = "",
                 folder: str = "INBOX", after_fetch: str = "keep", send_per_minute: int = 20,
                 ca_file: str = "") -> None:
        _set(self, "sender", sender)
        _set(self, "imap_host", imap_host)
        _set(self, "imap_port", imap_port)
        _set(self, "smtp_host", smtp_host)
        _set(self, "smtp_port", smtp_port)
        _set(self, "security", security)
        _set(self, "allow_plain", allow_plain)
        _set(self, "user", user)
        _set(self, "from_", from_)
        _set(self, "folder", folder)
        _set(self, "after_fetch", after_fetch)
        _set(self, "send_per_minute", send_per_minute)
        _set(self, "ca_file", ca_file)

    @property
    def configured(self) -> bool:
        """True when a mailbox is set up (an IMAP or SMTP host is given)."""
        return bool(self.imap_host or self.smtp_host)

    @property
    def from_address(self) -> str:
        return self.from_ or self.sender or self.user

    @property
    def account(self) -> str:
        """The mailbox as the ledger names it: the account on its IMAP host (`mailbox.account_key`)."""
        return f"{self.user.strip().lower()} @ {self.imap_host.strip().lower()}"

    @property
    def addresses(self) -> frozenset[str]:
        """The office's own mailbox addresses, lower-cased: the account duban fetches from (a
        login that is an address), the From of its drafts and of the mail it sends. A forwarded
        message sent to one of them was sent to the office (`mail.addressed_to_office`); empty
        when [mail] is not set up."""
        return frozenset(a.strip().lower() for a in (self.user, self.sender, self.from_)
                         if "@" in a and not any(c.isspace() for c in a.strip()))


@record(frozen=True, eq=False, repr=False)  # see MailSettings
class Settings:
    """Everything duban.toml says, checked."""

    name: str = ""
    organiser: str = ""
    period: Period | None = None
    due_day: int = 5
    contact: str = ""
    timezone: str = "Asia/Shanghai"
    master: str = "任务分工表.xlsx"
    templates: str = "模板"
    resubmit_working_days: int = 3
    reply_to_warnings: bool = False
    list_unchanged: bool = False  # [memo]: the 通报 names units whose text repeats last month (W608)
    # [memo]: a list of 报送情况 (未报送, 逾期 …) longer than this goes to a 附件 after the 通报: 60
    # names are about two thirds of a page (东莞's 54 units stay in the text); a county's 200 村 by
    # 类别 filled about six
    appendix_over: int = 60
    #: [issue]: no form for a unit whose latest return gave every task 已完成 (销号); off, it is asked
    skip_done_units: bool = False
    mail: MailSettings = field(default_factory=MailSettings)
    limits: Limits = field(default_factory=Limits)
    encoding: str = "utf-8"
    #: one Chinese line per key of a known section this duban does not know, which it ignored:
    #: a newer duban's setting (list_unchanged, appendix_over and skip_done_units each made an
    #: older one refuse the whole workspace) or a typo
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def __init__(self, name: str = "", organiser: str = "", period: Period | None = None, due_day: int = 5,
                 contact: str = "", timezone: str = "Asia/Shanghai", master: str = "任务分工表.xlsx",
                 templates: str = "模板",
                 resubmit_working_days: int = 3, reply_to_warnings: bool = False, list_unchanged: bool = False,
                 appendix_over: int = 60, skip_done_units: bool = False, mail: MailSettings = FACTORY,
                 limits: Limits = FACTORY, encoding: str = "utf-8", warnings: tuple[str, ...] = ()) -> None:
        _set(self, "name", name)
        _set(self, "organiser", organiser)
        _set(self, "period", period)
        _set(self, "due_day", due_day)
        _set(self, "contact", contact)
        _set(self, "timezone", timezone)
        _set(self, "master", master)
        _set(self, "templates", templates)
        _set(self, "resubmit_working_days", resubmit_working_days)
        _set(self, "reply_to_warnings", reply_to_warnings)
        _set(self, "list_unchanged", list_unchanged)
        _set(self, "appendix_over", appendix_over)
        _set(self, "skip_done_units", skip_done_units)
        _set(self, "mail", MailSettings() if mail is FACTORY else mail)
        _set(self, "limits", Limits() if limits is FACTORY else limits)
        _set(self, "encoding", encoding)
        _set(self, "warnings", warnings)


# ---------------------------------------------------------------------------
# the schema: section -> key -> (kind, range or choices, what it means)

_POSITIVE = (1, 10**9)
SCHEMA: dict[str, dict[str, tuple[str, Any, str]]] = {
    "project": {
        "name": ("text", None, "专项行动名称"),
        "organiser": ("text", None, "督办单位（通报落款）"),
        "period": ("period", None, "当前期次，如 2022-06"),
        "due_day": ("int", (1, 31), "每期报送截止日，次月的几号"),
        "contact": ("text", None, "咨询联系人及电话"),
        "timezone": ("timezone", None, "时区，如 Asia/Shanghai"),
    },
    "paths": {
        "master": ("text", None, "任务清单工作簿"),
        "templates": ("text", None, "模板文件夹"),
    },
    "feedback": {
        "resubmit_working_days": ("int", (1, 30), "督办部门发出反馈后，给单位修改重报的工作日数"),
        "reply_to_warnings": ("bool", None, "只有警告、已采纳的报送是否也生成回复邮件草稿"),
    },
    "memo": {
        "list_unchanged": ("bool", None, "通报是否列出工作进展或下一步计划与上期完全相同的单位"),
        "appendix_over": ("int", _POSITIVE, "通报报送情况中一类单位超过多少个时，名单改列附件"),
    },
    "issue": {
        "skip_done_units": ("bool", None, "上次报送的任务均为“已完成”的单位是否免报（不再下发填报表）"),
    },
    "mail": {
        "sender": ("text", None, "邮件草稿的发件人"),
        "imap_host": ("text", None, "收信服务器（IMAP）地址"),
        "imap_port": ("int", (1, 65535), "收信服务器端口"),
        "smtp_host": ("text", None, "发信服务器（SMTP）地址"),
        "smtp_port": ("int", (1, 65535), "发信服务器端口"),
        "security": ("choice", SECURITY_CHOICES, "加密方式"),
        "allow_plain": ("bool", None, "是否允许不加密连接"),
        "user": ("text", None, "邮箱账号"),
        "from": ("text", None, "发信地址"),
        "folder": ("text", None, "收取报送的邮件文件夹"),
        "after_fetch": ("after_fetch", None, "收取后如何处理邮件：keep、seen 或 move:文件夹名"),
        "send_per_minute": ("int", (1, 600), "每分钟最多发送的邮件数"),
        "ca_file": ("text", None, "单位自己的根证书文件（PEM）"),
    },
    "limits": {f.name: ("int", _POSITIVE, "安全限制") for f in fields(Limits)},
}


def read_settings(path: Path) -> Settings:
    """Read and check duban.toml; raises `BadConfig` with one line that says what to fix."""
    raw = Path(path).read_bytes()
    text, encoding = decode_config(raw, path)
    return settings_from(_parsed(text, Path(path)), text, path, encoding)


#: duban.toml as tomllib parsed it, kept in the workspace's ``.duban/`` with the very text it
#: was parsed from (`_parsed`)
PARSED_NAME = "settings_cache.json"


def _parsed(text: str, path: Path) -> dict[str, Any]:
    """duban.toml's ``text`` parsed, as ``tomllib.loads`` gives it.

    Every command reads duban.toml, and importing tomllib (four modules, its patterns compiled)
    was 1.5 ms of each `duban status` (per-module import time, min of 8 runs, 2-core EPYC,
    Python 3.11; QA339, issue 19). What it parsed is kept in ``.duban/`` beside the master's
    cache, with the whole text and the Python that parsed it: taken only when both are the
    same, never by a file's size or time, so an edit is always read. Only tables of text,
    whole numbers, true/false and lists are kept (JSON gives them back exactly); a cache that
    cannot be read or written is only that: the text is parsed."""
    cache = path.parent / STATE_DIR / PARSED_NAME
    with contextlib.suppress(Exception):  # none yet, damaged, another duban's: parsed below
        kept = json.loads(cache.read_bytes())
        if kept["python"] == sys.version and kept["text"] == text and isinstance(kept["data"], dict):
            return kept["data"]
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadConfig(f"配置文件 {path} 格式有误（{_toml_reason(exc)}）。请用记事本检查这一行的引号和等号，"
                        "文字要写在英文双引号里，如 name = \"某某专项行动\"。") from exc
    if cache.parent.is_dir() and _plain(data):
        body = json.dumps({"python": sys.version, "text": text, "data": data}, ensure_ascii=False).encode("utf-8")
        with contextlib.suppress(OSError, DubanError):  # a read-only workspace, a full disk
            atomic_write(cache, lambda tmp: tmp.write_bytes(body))
    return data


def _plain(value: Any) -> bool:
    """Whether JSON gives ``value`` back exactly: no dates, times or decimals (floats)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, (str, int))  # bool is an int


def decode_config(raw: bytes, path: Path) -> tuple[str, str]:
    """duban.toml as text: UTF-8 (with or without BOM), or GBK as an old Notepad saves it."""
    try:  # the BOM dropped as the "utf-8-sig" codec drops it, without loading that codec (0.7 M
        # instructions of every command, callgrind)
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise BadConfig(f"配置文件 {path} 的编码无法识别。请用记事本打开，“另存为”时编码选 UTF-8。") from exc


def settings_from(data: dict[str, Any], text: str = "", path: Path | str = "duban.toml",
                  encoding: str = "utf-8") -> Settings:
    """Check a parsed duban.toml against `SCHEMA` and build `Settings`."""
    values: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    for section, table in data.items():
        keys = SCHEMA.get(section)
        if keys is None and not isinstance(table, dict):  # foo = 1 above every [section]
            line = _line_of(text, None, section)
            where = f"配置文件 {path}" + (f" 第 {line} 行" if line else "")
            warnings.append(f"{where}：“{section}”写在所有节之前，不属于任何一节，已忽略"
                            f"（每一项都应写在它的节之下，如 [project] 之下）。")
            continue
        if keys is None:
            # ignored like an unknown key: [memo] and [issue] were each new once
            known = "、".join(f"[{s}]" for s in SCHEMA)
            warnings.append(f"配置文件 {path} 中的“[{section}]”这一节不认识，已忽略（可能是较新版本 duban 的设置，"
                            f"或是写错了{_suggest(section, SCHEMA)}）。可用的节：{known}。")
            continue
        if not isinstance(table, dict):
            raise BadConfig(f"配置文件 {path} 中的“{section}”应当是一节（[{section}]），不是单独的一项。")
        for key, value in table.items():
            spec = keys.get(key)
            if spec is None:
                # ignored, not refused: a setting a newer duban wrote must not lock an older
                # one out of the workspace; a bad value of a key it knows still is refused
                line = _line_of(text, section, key)
                where = f"配置文件 {path}" + (f" 第 {line} 行" if line else "")
                warnings.append(f"{where}：[{section}] 中的“{key}”这一项不认识，已忽略"
                                f"（可能是较新版本 duban 的设置，或是写错了{_suggest(key, keys)}）。")
                continue
            values.setdefault(section, {})[key] = _check(value, spec, _Place(text, path, section, key))
    project, paths, fb = values.get("project", {}), values.get("paths", {}), values.get("feedback", {})
    memo = values.get("memo", {})
    mail = dict(values.get("mail", {}))
    if "from" in mail:
        mail["from_"] = mail.pop("from")
    mail_settings = MailSettings(**mail)
    if mail_settings.security == "plain" and not mail_settings.allow_plain and mail_settings.configured:
        raise BadConfig(f"配置文件 {path}：[mail] 的 security = \"plain\" 会明文传送密码和邮件。"
                        "请改用 ssl 或 starttls；确需明文时再加一行 allow_plain = true。")
    return Settings(
        name=project.get("name", ""), organiser=project.get("organiser", ""), period=project.get("period"),
        due_day=project.get("due_day", 5), contact=project.get("contact", ""),
        timezone=project.get("timezone", "Asia/Shanghai"),
        master=paths.get("master", "任务分工表.xlsx"), templates=paths.get("templates", "模板"),
        resubmit_working_days=fb.get("resubmit_working_days", 3),
        reply_to_warnings=fb.get("reply_to_warnings", False),
        list_unchanged=memo.get("list_unchanged", False),
        appendix_over=memo.get("appendix_over", Settings.appendix_over),
        skip_done_units=values.get("issue", {}).get("skip_done_units", False),
        mail=mail_settings, limits=Limits.from_table(values.get("limits")), encoding=encoding,
        warnings=tuple(warnings))


class _Place:
    """Where a key sits in duban.toml, as messages name it; its line is looked up only when a
    message is made (looking it up for every key cost `duban status` about 3 ms, measured)."""

    __slots__ = ("key", "path", "section", "text")

    def __init__(self, text: str, path: Path | str, section: str, key: str) -> None:
        self.text, self.path, self.section, self.key = text, path, section, key

    def __str__(self) -> str:
        line = _line_of(self.text, self.section, self.key)
        return f"配置文件 {self.path}" + (f" 第 {line} 行" if line else "") + f"：[{self.section}] 的 {self.key}"


def _check(value: Any, spec: tuple[str, Any, str], where: _Place | str) -> Any:
    kind, bound, meaning = spec
    if kind == "text":
        if not isinstance(value, str):
            raise BadConfig(f"{where} 应为文字（{meaning}），请写在英文双引号里，如 \"{value}\"。")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadConfig(f"{where} = {_shown(value)} 不对：应为 {bound[0]}—{bound[1]} 的整数（{meaning}），"
                            "不加引号。")
        if not bound[0] <= value <= bound[1]:
            raise BadConfig(f"{where} = {value} 超出范围：应为 {bound[0]}—{bound[1]} 的整数（{meaning}）。")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise BadConfig(f"{where} = {_shown(value)} 不对：应为 true 或 false（{meaning}），不加引号。")
        return value
    if kind == "choice":
        if value not in bound:
            raise BadConfig(f"{where} = {_shown(value)} 不对：可选 {'、'.join(bound)}（{meaning}）。")
        return value
    if kind == "period":
        try:
            return Period.parse(str(value))
        except Exception as exc:
            raise BadConfig(f"{where} = {_shown(value)} 不对：期次应写成 \"2022-06\" 这样的年-月。") from exc
    if kind == "timezone":
        _check_timezone(value, where)
        return value
    if kind == "after_fetch":
        if not isinstance(value, str) or not (value in ("keep", "seen") or
                                              (value.startswith("move:") and value[5:].strip())):
            raise BadConfig(f"{where} = {_shown(value)} 不对：可选 keep（保留）、seen（标为已读）"
                            "或 move:文件夹名（移到该文件夹）。")
        return value
    raise AssertionError(kind)  # pragma: no cover - the schema names only the kinds above


def _check_timezone(value: Any, where: _Place | str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadConfig(f"{where} = {_shown(value)} 不是已知的时区，请写 \"Asia/Shanghai\"。") from exc


def _shown(value: Any) -> str:
    return f"\"{value}\"" if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def _suggest(word: str, choices) -> str:
    import difflib
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"，是否是“{close[0]}”" if close else ""


def _line_of(text: str, section: str | None, key: str) -> int | None:
    """Line number of ``key`` inside ``[section]`` (None: above every section), for messages;
    None when not found."""
    current = None
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        head = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", stripped)
        if head:
            current = head.group(1)
            continue
        if current == section and re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", line):
            return n
    return None


def _toml_reason(exc: Exception) -> str:
    """tomllib's English reason, in Chinese: "Expected '=' after a key (at line 3, column 5)"."""
    text = str(exc)
    m = re.search(r"at line (\d+), column (\d+)", text)
    where = f"第 {m.group(1)} 行第 {m.group(2)} 列" if m else "某一行"
    for english, chinese in (("Expected '=' after a key", "键名后面缺少等号"),
                             ("Unterminated string", "引号没有配对"),
                             ("Invalid value", "值的写法不对"),
                             ("Cannot overwrite a value", "同一项写了两次"),
                             ("Cannot declare", "同一节写了两次"),
                             ("Invalid statement", "这一行无法识别"),
                             ("Illegal character", "有不允许的字符"),
                             ("Expected ']'", "方括号没有配对")):
        if english in text:
            return f"{where}：{chinese}"
    return f"{where}有误"


def set_config_value(path: Path, section: str, key: str, value: str) -> None:
    """Write ``key = "value"`` into ``[section]`` of duban.toml, keeping every comment.

    An old Notepad's GBK file is rewritten as UTF-8 with a BOM, which every Notepad reads.
    """
    raw = Path(path).read_bytes()
    text, encoding = decode_config(raw, path)
    lines = text.splitlines(keepends=True)
    new = f'{key} = "{value}"\n'
    current, placed, last_in_section = None, False, None
    for i, line in enumerate(lines):
        head = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", line.strip())
        if head:
            current = head.group(1)
            continue
        if current == section:
            last_in_section = i
            if re.match(rf"^\s*{re.escape(key)}\s*=", line):
                lines[i] = new
                placed = True
                break
    if not placed:
        if last_in_section is None:
            lines += ([] if not lines or lines[-1].endswith("\n") else ["\n"]) + [f"\n[{section}]\n", new]
        else:
            lines.insert(last_in_section + 1, new)
    out = "".join(lines)
    data = out.encode("utf-8-sig" if encoding != "utf-8" or raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))
