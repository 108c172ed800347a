"""The office mailbox over IMAP and SMTP: connections, TLS, the password, one Chinese line per fault.

Only the standard library speaks the protocols (imaplib, smtplib, ssl); this module wraps
them so that every failure a coordinator can meet -- a wrong host, a closed port, a
certificate the machine does not trust, a refused password, a missing folder, a full
mailbox -- becomes a `MailboxError` with one Chinese line that names the step and says
what to change. The library's English text goes to the log only.

Certificates are always verified: against the system's store, plus ``ca_file`` (PEM or DER)
when the office runs its own CA. The password comes from ``DUBAN_MAIL_PASSWORD`` or the OS
credential store (keyring, service ``duban``, user name = the mail account); it is never
written anywhere else and never logged.

IMAP responses (FETCH items, BODYSTRUCTURE, ENVELOPE, LIST) are parsed in `imap_parse`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path

import keyring

from .errors import BadConfig, DubanError, os_reason
from .imap_parse import (
    MessageInfo,
    internaldate_arg,
    mailbox_arg,
    message_info,
    parse_fetch,
    parse_list,
    response_text,
    search_date,
    text_of,
    uid_set,
)
from .logs import log
from .settings import MailSettings
from .workspace import Workspace

PASSWORD_ENV = "DUBAN_MAIL_PASSWORD"
KEYRING_SERVICE = "duban"
TIMEOUT = 30  # seconds for connecting and for each network read
IMAP_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}
SMTP_PORTS = {"ssl": 465, "starttls": 587, "plain": 25}
#: Names a Sent folder has when the server does not flag it ``\Sent`` (RFC 6154).
SENT_NAMES = ("Sent", "Sent Messages", "Sent Items", "已发送", "已发送邮件", "INBOX/Sent", "INBOX.Sent")


class MailboxError(DubanError):
    """A mailbox step cannot continue: connect, TLS, login, folder, quota, size (exit 2)."""


# ---------------------------------------------------------------------------
# settings, TLS, password


@dataclass(frozen=True)
class Endpoint:
    """One server as the coordinator names it: 收信服务器 imap.x.gov.cn:993."""

    what: str      # 收信服务器 | 发信服务器
    host: str
    port: int
    keys: str      # the duban.toml keys that set it, for messages

    def __str__(self) -> str:
        return f"{self.what} {self.host}:{self.port}"


def imap_endpoint(mail: MailSettings) -> Endpoint:
    return Endpoint("收信服务器", mail.imap_host, mail.imap_port or IMAP_PORTS[mail.security],
                    "imap_host 和 imap_port")


def smtp_endpoint(mail: MailSettings) -> Endpoint:
    return Endpoint("发信服务器", mail.smtp_host, mail.smtp_port or SMTP_PORTS[mail.security],
                    "smtp_host 和 smtp_port")


def require_imap(ws: Workspace) -> MailSettings:
    """[mail] with what fetching needs, else `BadConfig` naming the keys to add."""
    mail = ws.settings.mail
    missing = [k for k, v in (("imap_host", mail.imap_host), ("user", mail.user)) if not v]
    if missing:
        raise BadConfig(f"duban.toml 的 [mail] 中没有设置 {'、'.join(missing)}，无法收取邮件。请用记事本打开 "
                        f"{ws.config_path.name}，在 [mail] 中加上收信服务器和邮箱账号（{_one_line_example()}）。")
    return mail


def require_smtp(ws: Workspace) -> MailSettings:
    """[mail] with what sending needs, else `BadConfig` naming the keys to add."""
    mail = ws.settings.mail
    missing = [k for k, v in (("smtp_host", mail.smtp_host), ("user", mail.user)) if not v]
    if missing:
        raise BadConfig(f"duban.toml 的 [mail] 中没有设置 {'、'.join(missing)}，无法发送邮件。请用记事本打开 "
                        f"{ws.config_path.name}，在 [mail] 中加上发信服务器和邮箱账号（{_one_line_example()}）。")
    return mail


def _one_line_example() -> str:
    return 'smtp_host = "smtp.xxx.gov.cn"、imap_host = "imap.xxx.gov.cn"、user = "dbb@xxx.gov.cn"'


def account_key(mail: MailSettings) -> str:
    """The mailbox as the ledger names it: the account on its IMAP host."""
    return mail.account


def tls_context(ws: Workspace) -> ssl.SSLContext:
    """Verify certificates against the system's store and the office CA in ``ca_file``."""
    ctx = ssl.create_default_context()
    ca = ws.settings.mail.ca_file
    if ca:
        path = Path(ca)
        if not path.is_absolute():
            path = ws.root / path
        try:
            data = path.read_bytes()
        except OSError:
            raise BadConfig(f"duban.toml [mail] 的 ca_file 指向的证书文件“{path}”不存在或无法读取。"
                            "请把单位根证书文件放进工作区，并核对文件名。") from None
        try:
            if b"-----BEGIN" in data:
                ctx.load_verify_locations(cadata=data.decode("ascii", "replace"))
            else:  # a .cer/.crt exported from Windows is often DER
                ctx.load_verify_locations(cadata=data)
        except (ssl.SSLError, ValueError) as exc:
            log.warning("ca_file %s: %s", path, exc)
            raise BadConfig(f"duban.toml [mail] 的 ca_file“{path.name}”不是有效的证书文件。"
                            "请向邮箱管理员索取根证书（.pem 或 .crt 格式）。") from None
    return ctx


@dataclass(frozen=True)
class Password:
    """The password and where it came from (named in messages, never shown)."""

    value: str = field(repr=False)
    source: str   # 环境变量 DUBAN_MAIL_PASSWORD | 系统凭据管理器 | 输入


def get_password(mail: MailSettings) -> Password:
    """From ``DUBAN_MAIL_PASSWORD`` (wins), else the OS credential store; else `MailboxError`."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return Password(env, f"环境变量 {PASSWORD_ENV}")
    try:
        stored = keyring.get_password(KEYRING_SERVICE, mail.user)
    except Exception as exc:  # no backend, a locked or absent Secret Service: same advice
        log.info("keyring: %s: %s", type(exc).__name__, exc)
        stored = None
    if stored:
        return Password(stored, "系统凭据管理器")
    raise MailboxError(f"还没有保存邮箱 {mail.user} 的密码。请先运行 duban mail login（只需一次），"
                       f"或设置环境变量 {PASSWORD_ENV}。")


def save_password(mail: MailSettings, password: str) -> None:
    """Store the password in the OS credential store; `MailboxError` when there is none."""
    try:
        keyring.set_password(KEYRING_SERVICE, mail.user, password)
    except Exception as exc:
        log.warning("keyring: %s: %s", type(exc).__name__, exc)
        if isinstance(exc, OSError) and exc.errno is not None:  # a keyring kept in a file: full disk, no right
            where = f"：“{exc.filename}”" if exc.filename else ""
            raise MailboxError(f"无法把密码保存到系统凭据管理器（{os_reason(exc)}{where}）。请改正后重新运行 "
                               f"duban mail login，或改为设置环境变量 {PASSWORD_ENV}。") from None
        raise MailboxError(f"无法把密码保存到系统凭据管理器（这台电脑上没有可用的凭据管理器）。"
                           f"可改为设置环境变量 {PASSWORD_ENV}。") from None


# ---------------------------------------------------------------------------
# faults -> one Chinese line


def _cert_line(exc: ssl.SSLCertVerificationError, ep: Endpoint, mail: MailSettings) -> str:
    code = getattr(exc, "verify_code", 0)
    if code == 62 or "hostname" in str(exc).lower():
        return (f"{ep} 的证书与服务器地址不符，连接已中止。请把 duban.toml [mail] 中的地址写成证书上的服务器名称"
                "（向邮箱管理员确认，如 imap.xxx.gov.cn）。")
    if code == 10:
        return f"{ep} 的证书已过期，连接已中止。请联系邮箱管理员更新证书，或检查这台电脑的日期和时间。"
    if mail.ca_file:
        return (f"{ep} 的证书不受信任，连接已中止：ca_file“{mail.ca_file}”不能验证它。"
                "请向邮箱管理员索取正确的根证书文件。")
    return (f"{ep} 的证书不受信任，连接已中止。如单位邮箱使用自己的根证书，请向邮箱管理员索取根证书文件"
            "（.pem 或 .crt），放进工作区，并在 duban.toml 的 [mail] 中加一行 ca_file = \"根证书.pem\"。")


def connect_error(exc: BaseException, ep: Endpoint, mail: MailSettings) -> MailboxError:
    """A failure while opening the connection (TCP, TLS, greeting) as one line."""
    log.warning("%s：%s: %s", ep, type(exc).__name__, exc)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailboxError(_cert_line(exc, ep, mail))
    if isinstance(exc, ssl.SSLError):
        return MailboxError(f"无法与{ep} 建立加密连接。请核对 duban.toml [mail] 的 security 与端口是否配套"
                            "（ssl 用 993 收信、465 发信；starttls 用 143 收信、587 发信）。")
    protocol = "IMAP" if ep.what == "收信服务器" else "SMTP"
    # a greeting that is not IMAP's (imaplib: "unexpected response") or not SMTP's 220
    if isinstance(exc, smtplib.SMTPConnectError) or (isinstance(exc, imaplib.IMAP4.error) and (
            not isinstance(exc, imaplib.IMAP4.abort) or "unexpected response" in str(exc))):
        return MailboxError(f"{ep} 的应答不是{ep.what}（{protocol}）的应答。请核对 duban.toml [mail] 中的 "
                            f"{ep.keys}。")
    keys = ep.keys
    if isinstance(exc, socket.gaierror):
        reason = "找不到这个服务器地址"
    elif isinstance(exc, ConnectionRefusedError):
        reason = "连接被拒绝"
    elif isinstance(exc, (TimeoutError, socket.timeout)):
        reason = "连接超时"
        keys += "（以及 security 与端口是否配套）"
    elif isinstance(exc, (ConnectionResetError, ConnectionAbortedError, EOFError, imaplib.IMAP4.abort,
                          smtplib.SMTPServerDisconnected)):
        reason = "连接被服务器断开"
    else:
        reason = "网络不通"
    return MailboxError(f"无法连接{ep}（{reason}）。请检查 duban.toml [mail] 中的 {keys}，"
                        "以及这台电脑能否访问该服务器（内网、VPN 或防火墙）。")


def dropped_error(exc: BaseException, ep: Endpoint, step: str) -> MailboxError:
    """The connection failed after login, during ``step``."""
    log.warning("%s %s：%s: %s", ep, step, type(exc).__name__, exc)
    return MailboxError(f"{step}时与{ep} 的连接中断。请稍后重新运行（已完成的部分不会重复）。")


def login_error(ep: Endpoint, mail: MailSettings, password: Password, detail: str = "") -> MailboxError:
    log.warning("%s 登录被拒绝：%s", ep, detail)
    if "PRIVACYREQUIRED" in detail.upper() or "LOGINDISABLED" in detail.upper():
        return MailboxError(f"{ep} 不允许不加密登录。请把 duban.toml [mail] 的 security 改为 ssl 或 starttls。")
    where = "" if password.source == "系统凭据管理器" else f"（密码取自{password.source}）"
    return MailboxError(f"{ep} 拒绝登录（账号 {mail.user}）：密码或授权码不对{where}。政务邮箱一般要在网页邮箱的"
                        "“设置—客户端设置”中开启 IMAP/SMTP 并生成客户端专用密码（授权码），"
                        "再运行 duban mail login 保存。")


def quota_error(ep: Endpoint, step: str) -> MailboxError:
    return MailboxError(f"{step}失败：邮箱已满（{ep}）。请在网页邮箱中删除不需要的邮件并清空“已删除”后重新运行。")


# ---------------------------------------------------------------------------
# IMAP session


class Imap:
    """A logged-in IMAP session (``with Imap.open(ws, password) as imap: ...``)."""

    def __init__(self, conn: imaplib.IMAP4, ep: Endpoint, mail: MailSettings):
        self.m, self.ep, self.mail = conn, ep, mail
        self.caps: set[str] = set()
        self.folder: str | None = None

    @classmethod
    def open(cls, ws: Workspace, password: Password) -> Imap:
        mail = ws.settings.mail
        ep = imap_endpoint(mail)
        ctx = tls_context(ws)
        try:
            if mail.security == "ssl":
                conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(ep.host, ep.port, ssl_context=ctx, timeout=TIMEOUT)
            else:
                conn = imaplib.IMAP4(ep.host, ep.port, timeout=TIMEOUT)
                if mail.security == "starttls":
                    if "STARTTLS" not in conn.capabilities:
                        with contextlib.suppress(Exception):
                            conn.shutdown()
                        raise MailboxError(f"{ep} 不支持 STARTTLS 加密。请把 duban.toml [mail] 的 security 改为 ssl"
                                           "（端口 993）。")
                    conn.starttls(ssl_context=ctx)
        except MailboxError:
            raise
        except (OSError, EOFError, imaplib.IMAP4.error) as exc:
            raise connect_error(exc, ep, mail) from None
        session = cls(conn, ep, mail)
        try:
            if password.value.isascii():
                conn.login(mail.user, password.value)
            else:  # LOGIN is ASCII only; AUTHENTICATE PLAIN carries UTF-8
                secret = f"\0{mail.user}\0{password.value}".encode()
                conn.authenticate("PLAIN", lambda _challenge: secret)
        except imaplib.IMAP4.abort as exc:
            session.close()
            raise connect_error(exc, ep, mail) from None
        except imaplib.IMAP4.error as exc:
            session.close()
            raise login_error(ep, mail, password, str(exc)) from None
        except OSError as exc:
            session.close()
            raise connect_error(exc, ep, mail) from None
        try:
            typ, data = conn.capability()
            session.caps = set(response_text(data).upper().split()) if typ == "OK" else set()
        except (OSError, imaplib.IMAP4.error) as exc:
            session.close()
            raise dropped_error(exc, ep, "登录后读取服务器能力") from None
        return session

    def __enter__(self) -> Imap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.m.logout()
        with contextlib.suppress(Exception):
            self.m.shutdown()

    def _call(self, step: str, fn, *args) -> tuple[str, list]:
        try:
            return fn(*args)
        except (OSError, EOFError, imaplib.IMAP4.abort) as exc:
            raise dropped_error(exc, self.ep, step) from None
        except imaplib.IMAP4.error as exc:  # BAD, or a command in the wrong state
            log.warning("%s %s：%s", self.ep, step, exc)
            return "BAD", [str(exc).encode()]

    def folders(self) -> list[tuple[set[str], str]]:
        typ, data = self._call("读取文件夹列表", self.m.list)
        return parse_list(data) if typ == "OK" else []

    def select(self, folder: str, readonly: bool) -> int:
        """Open ``folder``; its UIDVALIDITY. A missing folder is one line naming the others."""
        typ, data = self._call(f"打开文件夹“{folder}”", self.m.select, mailbox_arg(folder), readonly)
        if typ != "OK":
            log.warning("SELECT %s: %s", folder, response_text(data))
            names = sorted((n for _f, n in self.folders()), key=lambda n: (n.upper() != "INBOX", n))
            shown = "、".join(names[:12]) + ("等" if len(names) > 12 else "")
            raise MailboxError(f"邮箱 {self.mail.user} 中没有文件夹“{folder}”（{self.ep}）。"
                               f"请核对 duban.toml [mail] 的 folder（收件箱写 INBOX）；现有文件夹：{shown or '无'}。")
        _typ, value = self.m.response("UIDVALIDITY")
        self.folder = folder
        try:
            return int(text_of(value[0]))
        except (TypeError, ValueError, IndexError):
            return 0

    def search(self, since: dt.date | None) -> list[int]:
        if since is None:
            args: tuple[str, ...] = ("ALL",)
        else:
            args = ("SINCE", search_date(since))
        typ, data = self._call("查找邮件", self.m.uid, "SEARCH", *args)
        if typ != "OK":
            raise MailboxError(f"在{self.ep} 上查找邮件失败。请稍后重新运行。")
        return sorted(int(x) for x in response_text(data).split() if x.isdigit())

    def infos(self, uids: list[int], chunk: int = 200) -> list[MessageInfo]:
        """Metadata of ``uids`` (sizes and structure, no body), in UID order."""
        out: dict[int, MessageInfo] = {}
        wanted = set(uids)
        for i in range(0, len(uids), chunk):
            part = uids[i:i + chunk]
            typ, data = self._call("读取邮件信息", self.m.uid, "FETCH", uid_set(part),
                                   "(UID RFC822.SIZE INTERNALDATE FLAGS ENVELOPE BODYSTRUCTURE)")
            if typ != "OK":
                raise MailboxError(f"在{self.ep} 上读取邮件信息失败。请稍后重新运行。")
            for item in parse_fetch(data):
                info = message_info(item)
                if info is not None and info.uid in wanted:
                    out[info.uid] = info
        return [out[u] for u in sorted(out)]

    def body(self, uid: int) -> bytes | None:
        """The whole message exactly as the server holds it; BODY.PEEK leaves \\Seen alone.
        None when the message is gone (moved or deleted meanwhile)."""
        typ, data = self._call("下载邮件", self.m.uid, "FETCH", str(uid), "(UID BODY.PEEK[])")
        if typ != "OK":
            raise MailboxError(f"从{self.ep} 下载邮件失败。请稍后重新运行。")
        for item in parse_fetch(data):
            if text_of(item.get("UID")) == str(uid) and isinstance(item.get("BODY[]"), bytes):
                return item["BODY[]"]
        return None

    def mark_seen(self, uids: list[int]) -> None:
        typ, data = self._call("标为已读", self.m.uid, "STORE", uid_set(uids), "+FLAGS.SILENT", "(\\Seen)")
        if typ != "OK":
            log.warning("STORE: %s", response_text(data))
            raise MailboxError(f"把邮件标为已读失败（{self.ep}）。请稍后重新运行。")

    def ensure_folder(self, name: str) -> None:
        if any(n == name for _f, n in self.folders()):
            return
        typ, data = self._call(f"新建文件夹“{name}”", self.m.create, mailbox_arg(name))
        if typ != "OK" and "ALREADYEXISTS" not in response_text(data).upper():
            log.warning("CREATE %s: %s", name, response_text(data))
            raise MailboxError(f"无法在邮箱中新建文件夹“{name}”（{self.ep}）。请在网页邮箱中手工建好后重新运行。")
        with contextlib.suppress(Exception):
            self.m.subscribe(mailbox_arg(name))

    def move(self, uids: list[int], target: str) -> None:
        """MOVE when the server has it, else COPY + \\Deleted + (UID) EXPUNGE."""
        step = f"把邮件移到文件夹“{target}”"
        self.ensure_folder(target)
        if "MOVE" in self.caps:
            typ, data = self._call(step, self.m.uid, "MOVE", uid_set(uids), mailbox_arg(target))
            self._check_store(typ, data, step)
            return
        typ, data = self._call(step, self.m.uid, "COPY", uid_set(uids), mailbox_arg(target))
        self._check_store(typ, data, step)
        typ, data = self._call(step, self.m.uid, "STORE", uid_set(uids), "+FLAGS.SILENT", "(\\Deleted)")
        self._check_store(typ, data, step)
        if "UIDPLUS" in self.caps:  # only ours: other messages marked deleted stay until the user purges
            self._call(step, self.m.uid, "EXPUNGE", uid_set(uids))
        else:
            self._call(step, self.m.expunge)

    def _check_store(self, typ: str, data: list, step: str) -> None:
        if typ == "OK":
            return
        text = response_text(data)
        log.warning("%s: %s %s", step, typ, text)
        if "OVERQUOTA" in text.upper() or "QUOTA" in text.upper():
            raise quota_error(self.ep, step)
        raise MailboxError(f"{step}失败（{self.ep}）。请稍后重新运行。")

    # ---- the Sent folder ----
    def sent_folder(self, create: bool = True) -> str | None:
        """The folder flagged \\Sent, else one with a usual name, else a new "Sent"
        (``create``), as desktop clients do; None when there is none and none is made."""
        listed = self.folders()
        for flags, name in listed:
            if "\\sent" in flags:
                return name
        names = {n.lower(): n for _f, n in listed}
        for candidate in SENT_NAMES:
            if candidate.lower() in names:
                return names[candidate.lower()]
        if not create:
            return None
        self.ensure_folder("Sent")
        return "Sent"

    def has_message_id(self, message_id: str) -> bool:
        """Does the selected folder hold a message with this Message-ID?"""
        quoted = '"' + message_id.replace("\\", "\\\\").replace('"', '\\"') + '"'
        typ, data = self._call("查找邮件", self.m.uid, "SEARCH", "HEADER", "Message-ID", quoted)
        return typ == "OK" and bool(response_text(data).split())

    def append(self, folder: str, message: bytes, when: dt.datetime, flags: str = "(\\Seen)") -> None:
        step = f"把已发邮件保存到“{folder}”"
        typ, data = self._call(step, self.m.append, mailbox_arg(folder), flags, internaldate_arg(when), message)
        if typ != "OK" and "TRYCREATE" in response_text(data).upper():
            self.ensure_folder(folder)
            typ, data = self._call(step, self.m.append, mailbox_arg(folder), flags, internaldate_arg(when), message)
        self._check_store(typ, data, step)


# ---------------------------------------------------------------------------
# SMTP session


def open_smtp(ws: Workspace, password: Password) -> smtplib.SMTP:
    """A logged-in SMTP session (implicit TLS, STARTTLS, or plain when allowed)."""
    mail = ws.settings.mail
    ep = smtp_endpoint(mail)
    ctx = tls_context(ws)
    try:
        if mail.security == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(ep.host, ep.port, context=ctx, timeout=TIMEOUT)
        else:
            conn = smtplib.SMTP(ep.host, ep.port, timeout=TIMEOUT)
        conn.ehlo_or_helo_if_needed()
        if mail.security == "starttls":
            if not conn.has_extn("starttls"):
                with contextlib.suppress(Exception):
                    conn.close()
                raise MailboxError(f"{ep} 不支持 STARTTLS 加密。请把 duban.toml [mail] 的 security 改为 ssl"
                                   "（端口 465）。")
            conn.starttls(context=ctx)
            conn.ehlo()
    except MailboxError:
        raise
    except (OSError, smtplib.SMTPException) as exc:
        raise connect_error(exc, ep, mail) from None
    try:
        conn.login(mail.user, password.value)
    except smtplib.SMTPAuthenticationError as exc:
        _close_smtp(conn)
        raise login_error(ep, mail, password, str(exc)) from None
    except smtplib.SMTPNotSupportedError:
        _close_smtp(conn)
        hint = "把 security 改为 ssl 或 starttls" if mail.security == "plain" else "核对 smtp_port"
        raise MailboxError(f"{ep} 没有提供登录（AUTH）。请{hint}"
                           "（发信一般用 465 端口 ssl，或 587 端口 starttls）。") from None
    except UnicodeEncodeError:
        _close_smtp(conn)
        raise MailboxError(f"{ep} 只接受英文字母、数字和符号组成的密码。请在网页邮箱中生成客户端专用密码（授权码）后"
                           "运行 duban mail login。") from None
    except (OSError, smtplib.SMTPException) as exc:
        _close_smtp(conn)
        raise connect_error(exc, ep, mail) from None
    return conn


def _close_smtp(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(Exception):
        conn.quit()
    with contextlib.suppress(Exception):
        conn.close()


def close_smtp(conn: smtplib.SMTP | None) -> None:
    if conn is not None:
        _close_smtp(conn)
