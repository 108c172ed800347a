"""Real mail servers on 127.0.0.1 for the tests of `duban mail fetch` / `duban mail send`.

Not a test module: test modules import it by name (tests/ is on sys.path under pytest's default
rootdir-based "prepend" import mode, since tests/ has a conftest.py and no __init__.py)::

    from mailservers import mail_servers  # noqa: F401  (the fixture)
    # (ruff then calls each test's `mail_servers` parameter a redefinition, F811; the
    #  lint-clean spelling is `import mailservers; mail_servers = mailservers.mail_servers`)

    def test_something(mail_servers):
        s = mail_servers
        s.deliver("duban@example.org", raw_bytes, internaldate=datetime(..., tzinfo=...))
        ... run duban against s.imap_host / s.imaps_port / s.ca_file ...
        assert s.mailbox("duban@example.org", "已处理")[0]["flags"] == {"\\Seen"}

What runs (everything under a pytest tmp dir, nothing under /etc or /var, no privileged port):

* Dovecot 2.3 (``dovecot -F -c <tmp>/dovecot/dovecot.conf``) with IMAP on a STARTTLS-capable
  plain port and an implicit-TLS port, LMTP on a unix socket in its base_dir, passdb/userdb
  ``passwd-file`` in the tmp dir, maildir storage, the quota plugin (``count`` backend; per-user
  limits come from the passwd-file's extra fields, see :meth:`MailServers.set_quota`).
  ``ssl = required``. Dovecot counts a connection whose remote IP equals its local IP as
  secured and would allow LOGIN before STARTTLS from 127.0.0.1; so on Linux ``imap_port`` is a
  small relay that connects to Dovecot from 127.0.0.2, and the plain port behaves like a remote
  server's: LOGINDISABLED until STARTTLS (``MailServers.imap_plaintext_refused``).
* Two aiosmtpd controllers: submission with STARTTLS (required before AUTH/MAIL) and SMTPS
  (implicit TLS). AUTH PLAIN/LOGIN is required and checked against ``users``; RCPT to an address
  not in ``users`` is refused with 550; every accepted message is delivered to each recipient's
  Dovecot INBOX through LMTP (so Dovecot adds Return-Path/Delivered-To/Received like a real MX).
* One self-signed CA per start; ``ca_file`` is what a client must trust. The server certificate
  is for ``127.0.0.1`` and ``localhost``.

Run as an ordinary user, every Dovecot process runs as that user (``default_internal_user``,
``default_login_user``, ``default_internal_group``, and the mail uid/gid are the current
user's). Run as root (CI here), Dovecot refuses both root login processes ("must not be run as
root") and mail uid 0, so: internal processes run as root, login processes as ``dovenull``
(``nobody`` if absent) inside their default chroot in base_dir, and mail is stored as
``nobody`` in a 0711 directory ``/tmp/duban-mail-*`` outside pytest's 0700 tmp tree (removed by
:meth:`MailServers.stop`).

Missing dovecot / dovecot's lmtp / openssl / aiosmtpd -> ``pytest.skip`` with the reason
(or ``pytest.fail`` when the environment variable ``DUBAN_REQUIRE_MAIL_SERVERS=1``).
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import ctypes
import imaplib
import logging
import os
import re
import secrets
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "DEFAULT_USERS",
    "DeliveryError",
    "MailServers",
    "free_port",
    "imap_utf7_decode",
    "imap_utf7_encode",
    "mail_servers",
    "mail_servers_missing",
    "start_mail_servers",
    "untrusted_ca_file",
]

#: Users of the ``mail_servers`` fixture (address -> password). bob's password has the
#: characters that break naive passwd-file / IMAP quoting on purpose.
DEFAULT_USERS: dict[str, str] = {
    "duban@example.org": "duban-Secret-1",
    "alice@example.org": "alice-Secret-2",
    'bob@example.net': 'b:o"b \\ pass 3',
}

START_TIMEOUT = 20.0  # seconds for Dovecot to accept connections
_SBIN = ("/usr/sbin", "/usr/local/sbin", "/sbin", "/opt/homebrew/sbin")


class DeliveryError(RuntimeError):
    """The server refused a delivery (e.g. ``[OVERQUOTA]`` on APPEND, 552 from LMTP)."""


# --------------------------------------------------------------------------- prerequisites


def _find_dovecot() -> str | None:
    path = os.environ.get("PATH", "") + os.pathsep + os.pathsep.join(_SBIN)
    return shutil.which("dovecot", path=path)


def _find_lmtp(dovecot: str) -> str | None:
    """Dovecot's lmtp service binary (Debian: package dovecot-lmtpd), next to its imap."""
    prefix = Path(dovecot).resolve().parent.parent  # /usr/sbin/dovecot -> /usr
    for d in (prefix / "lib" / "dovecot", prefix / "libexec" / "dovecot",
              Path("/usr/lib/dovecot"), Path("/usr/libexec/dovecot")):
        if (d / "lmtp").exists() and (d / "imap").exists():
            return str(d / "lmtp")
    return None


def mail_servers_missing() -> str | None:
    """Why the real mail servers can't run here (None if they can)."""
    missing = []
    dovecot = _find_dovecot()
    if dovecot is None:
        missing.append("dovecot (Debian: apt-get install dovecot-imapd dovecot-lmtpd)")
    elif _find_lmtp(dovecot) is None:
        missing.append("dovecot's imap/lmtp services (Debian: apt-get install dovecot-imapd "
                       "dovecot-lmtpd)")
    if shutil.which("openssl") is None:
        missing.append("openssl (Debian: apt-get install openssl)")
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        missing.append("aiosmtpd (pip install aiosmtpd)")
    if not missing:
        return None
    return "real mail servers unavailable, missing: " + "; ".join(missing)


def _skip_or_fail(reason: str) -> None:
    print(f"\n[mailservers] {reason}", file=sys.stderr)
    if os.environ.get("DUBAN_REQUIRE_MAIL_SERVERS") == "1":
        pytest.fail(reason + " (DUBAN_REQUIRE_MAIL_SERVERS=1)", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- small helpers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_OPENSSL_CNF = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
"""


def _openssl(*args: str, cwd: Path) -> None:
    r = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed:\n{r.stderr}")


def _make_ca(d: Path, name: str) -> tuple[Path, Path]:
    """A self-signed CA (EC P-256, valid 3 days, strict-X.509 friendly) -> (cert, key)."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "openssl.cnf").write_text(_OPENSSL_CNF)
    cert, key = d / f"{name}.pem", d / f"{name}.key"
    _openssl("req", "-config", "openssl.cnf", "-x509", "-new", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.name,
             "-out", cert.name, "-days", "3", "-sha256", "-extensions", "v3_ca",
             "-subj", f"/O=duban tests/CN=duban test CA {name} {secrets.token_hex(4)}",
             "-set_serial", str(secrets.randbits(63)), cwd=d)
    key.chmod(0o600)
    return cert, key


def _make_tls(d: Path) -> tuple[Path, Path, Path]:
    """(ca.pem, server chain pem, server key) for 127.0.0.1/localhost."""
    ca, ca_key = _make_ca(d, "ca")
    _openssl("req", "-config", "openssl.cnf", "-new", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key",
             "-out", "server.csr", "-subj", "/O=duban tests/CN=localhost", cwd=d)
    _openssl("x509", "-req", "-in", "server.csr", "-CA", ca.name, "-CAkey", ca_key.name,
             "-set_serial", str(secrets.randbits(63)), "-days", "2", "-sha256",
             "-extfile", "openssl.cnf", "-extensions", "v3_leaf", "-out", "server.crt", cwd=d)
    chain = d / "server-chain.pem"
    chain.write_text((d / "server.crt").read_text() + ca.read_text())
    (d / "server.key").chmod(0o600)
    return ca, chain, d / "server.key"


def untrusted_ca_file(tmp_path: Path) -> Path:
    """PEM of a fresh self-signed CA that did NOT sign the servers' certificate."""
    cert, _key = _make_ca(Path(tmp_path) / f"untrusted-ca-{secrets.token_hex(3)}", "untrusted")
    return cert


def imap_utf7_encode(name: str) -> str:
    """Mailbox name -> IMAP modified UTF-7 (RFC 3501 5.1.3), e.g. '已处理' -> '&XfJZBHQG-'."""
    out, buf = [], []

    def flush() -> None:
        if buf:
            b = base64.b64encode("".join(buf).encode("utf-16-be")).decode().rstrip("=")
            out.append("&" + b.replace("/", ",") + "-")
            buf.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            buf.append(ch)
    flush()
    return "".join(out)


def imap_utf7_decode(name: str) -> str:
    def dec(m: re.Match) -> str:
        s = m.group(1)
        if not s:
            return "&"
        s = s.replace(",", "/")
        return base64.b64decode(s + "=" * (-len(s) % 4)).decode("utf-16-be")

    return re.sub(r"&([A-Za-z0-9+,]*)-", dec, name)


def _quote_mailbox(name: str) -> str:
    enc = imap_utf7_encode(name)
    return '"' + enc.replace("\\", "\\\\").replace('"', '\\"') + '"'


_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}


def _parse_internaldate(s: str) -> datetime:
    """'17-Jul-1996 02:44:25 -0700' -> aware datetime (locale independent)."""
    m = re.fullmatch(r"\s*(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)", s)
    if not m:
        raise ValueError(f"bad INTERNALDATE {s!r}")
    d, mon, y, hh, mm, ss, sign, oh, om = m.groups()
    off = timedelta(hours=int(oh), minutes=int(om)) * (-1 if sign == "-" else 1)
    return datetime(int(y), _MONTHS[mon], int(d), int(hh), int(mm), int(ss),
                    tzinfo=timezone(off))


def _internaldate_arg(dt: datetime) -> str:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("internaldate must be timezone-aware (IMAP INTERNALDATE has a zone)")
    if dt.microsecond:
        raise ValueError("internaldate must have whole seconds (IMAP INTERNALDATE precision)")
    off = dt.utcoffset()
    total = int(off.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    total = abs(total)
    mon = list(_MONTHS)[dt.month - 1]
    return (f'"{dt.day:02d}-{mon}-{dt.year:04d} {dt.hour:02d}:{dt.minute:02d}:{dt.second:02d} '
            f'{sign}{total // 60:02d}{total % 60:02d}"')


def _set_pdeathsig() -> None:  # pragma: no cover - runs in the child
    """Linux: the Dovecot master gets SIGTERM if the process that started it dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


# --------------------------------------------------------------------------- Dovecot


_DOVECOT_CONF = """\
# Generated by tests/mailservers.py -- a throwaway Dovecot for duban's tests.
protocols = imap lmtp
listen = 127.0.0.1
base_dir = {base_dir}
state_dir = {state_dir}
instance_name = duban-test-{tag}
log_path = {log}
info_log_path = {log}
debug_log_path = {log}
syslog_facility = local7
mail_debug = no
auth_verbose = no

default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {mail_uid}
last_valid_uid = 0
first_valid_gid = {mail_gid}
last_valid_gid = 0

ssl = required
ssl_cert = <{ssl_cert}
ssl_key = <{ssl_key}
{ssl_dh}
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain login
disable_plaintext_auth = yes
login_greeting = duban test IMAP ready.
auth_failure_delay = 0
auth_cache_size = 0

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu {passwd}
}}
userdb {{
  driver = passwd-file
  args = username_format=%Lu {passwd}
  default_fields = uid={mail_uid} gid={mail_gid} home={mail_root}/%Lu
}}

mail_location = maildir:~/Maildir
mail_plugins = $mail_plugins quota
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Drafts {{
    special_use = \\Drafts
  }}
  mailbox Sent {{
    special_use = \\Sent
  }}
  mailbox Trash {{
    special_use = \\Trash
  }}
}}
protocol imap {{
  mail_plugins = $mail_plugins imap_quota
  mail_max_userip_connections = 200
}}
protocol lmtp {{
  mail_plugins = $mail_plugins
}}
recipient_delimiter = +
lmtp_save_to_detail_mailbox = yes
lda_mailbox_autocreate = yes
lda_mailbox_autosubscribe = yes
postmaster_address = postmaster@example.org
hostname = mail.duban.test

plugin {{
  quota = count:User quota
  quota_vsizes = yes
  quota_grace = 0
  quota_exceeded_message = Quota exceeded (mailbox for user is full)
}}

service imap-login {{
{login_chroot}
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0600
    user = {client_user}
  }}
}}
service anvil {{
{anvil_chroot}
  # no growing per-IP delay after failed logins (every test client is 127.0.0.1)
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service auth {{
  unix_listener auth-userdb {{
    mode = 0600
    user = {client_user}
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
    user = {client_user}
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def _name_of_uid(uid: int) -> str:
    import pwd

    return pwd.getpwuid(uid).pw_name


def _name_of_gid(gid: int) -> str:
    import grp

    return grp.getgrgid(gid).gr_name


def _unprivileged(name_candidates: tuple[str, ...]) -> tuple[str, int, int]:
    import pwd

    for name in name_candidates:
        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            continue
        return name, pw.pw_uid, pw.pw_gid
    raise RuntimeError(f"none of the users {name_candidates} exists")


def _mail_root_parent() -> str | None:
    return "/tmp" if os.path.isdir("/tmp") else None


def _sweep_stale_mail_roots() -> None:
    """Remove /tmp/duban-mail-* left by a test process that was killed (root mode only)."""
    for d in Path(_mail_root_parent() or tempfile.gettempdir()).glob("duban-mail-*"):
        try:
            pid = int((d / "owner.pid").read_text())
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except (OSError, ValueError):
            continue


class _Dovecot:
    def __init__(self, root: Path, users: dict[str, str], tls: tuple[Path, Path, Path]):
        self.root = root
        self.dir = root / "dovecot"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.conf = self.dir / "dovecot.conf"
        self.log = self.dir / "dovecot.log"
        self.stderr = self.dir / "dovecot.stderr"
        self.passwd = self.dir / "passwd"
        self.users = users
        self.quota: dict[str, int] = {}
        self._passwd_gen = 0
        self.proc: subprocess.Popen | None = None
        self._owned_mail_root: Path | None = None
        self.ca, self.cert, self.key = tls
        self.dovecot = _find_dovecot()
        assert self.dovecot

        base_dir = self.dir / "run"
        # unix socket paths are limited to 107 bytes; Dovecot's longest name in base_dir is
        # about 30 more ("login/imap-urlauth", "replication-notify-fifo", ...).
        if len(os.fsencode(base_dir)) > 70:
            base_dir = Path(tempfile.mkdtemp(prefix="duban-dv-"))
            self._short_base_dir = base_dir
        else:
            self._short_base_dir = None
            base_dir.mkdir()
        self.base_dir = base_dir
        self.state_dir = self.dir / "state"
        self.state_dir.mkdir(exist_ok=True)

        self.root_mode = os.geteuid() == 0
        if self.root_mode:
            # Dovecot refuses uid 0 for mail processes and login processes: mail belongs to
            # nobody, in a directory nobody can reach (pytest's tmp tree is 0700 root).
            _n, self.mail_uid, self.mail_gid = _unprivileged(("nobody",))
            login_user, _u, _g = _unprivileged(("dovenull", "nobody"))
            _sweep_stale_mail_roots()
            holder = Path(tempfile.mkdtemp(prefix="duban-mail-", dir=_mail_root_parent()))
            holder.chmod(0o711)
            (holder / "owner.pid").write_text(str(os.getpid()))
            self._owned_mail_root = holder
            self.mail_root = holder / "mail"
            self.mail_root.mkdir()
            os.chown(self.mail_root, self.mail_uid, self.mail_gid)
            self.mail_root.chmod(0o700)
            self.internal_user, self.internal_group = "root", _name_of_gid(0)
            self.login_user = login_user
        else:
            self.mail_uid, self.mail_gid = os.getuid(), os.getgid()
            self.mail_root = root / "mail"
            self.mail_root.mkdir(exist_ok=True)
            self.internal_user = _name_of_uid(self.mail_uid)
            self.internal_group = _name_of_gid(self.mail_gid)
            self.login_user = self.internal_user
        self.client_user = _name_of_uid(os.geteuid())
        self.write_passwd()

    @property
    def lmtp_socket(self) -> Path:
        return self.base_dir / "lmtp"

    # -- passwd-file ------------------------------------------------------------------------

    def write_passwd(self) -> None:
        lines = []
        for user, password in self.users.items():
            user = user.lower()
            if ":" in user or "\n" in user:
                raise ValueError(f"unsupported user name {user!r}")
            pw = base64.b64encode(password.encode()).decode()
            extra = ""
            if user in self.quota:
                extra = f"userdb_quota_rule=*:storage={self.quota[user]}B"
            # user:password:uid:gid:gecos:home:shell:extra_fields (uid/gid/home: default_fields)
            lines.append(f"{user}:{{PLAIN.b64}}{pw}::::::{extra}\n")
        tmp = self.passwd.with_suffix(".tmp")
        tmp.write_text("".join(lines))
        tmp.chmod(0o600)
        # Dovecot re-reads a passwd-file when its mtime or size changes: make sure it does.
        self._passwd_gen += 1
        stamp = int(time.time()) + self._passwd_gen
        os.utime(tmp, (stamp, stamp))
        os.replace(tmp, self.passwd)
        if self.proc is not None:
            # ... but it stats the file at most once per second of its clock (passwd-file.c:
            # last_sync_time == ioloop_time), so a lookup in the same second as the last one
            # would still see the old file. Wait for the next second.
            now = time.time()
            time.sleep(int(now) + 1 - now + 0.005)

    # -- process ----------------------------------------------------------------------------

    def write_conf(self, imap_port: int, imaps_port: int) -> None:
        dh = Path("/usr/share/dovecot/dh.pem")
        self.conf.write_text(_DOVECOT_CONF.format(
            base_dir=self.base_dir, state_dir=self.state_dir, log=self.log,
            tag=secrets.token_hex(3),
            internal_user=self.internal_user, internal_group=self.internal_group,
            login_user=self.login_user, client_user=self.client_user,
            mail_uid=self.mail_uid, mail_gid=self.mail_gid, mail_root=self.mail_root,
            ssl_cert=self.cert, ssl_key=self.key,
            ssl_dh=f"ssl_dh = <{dh}" if dh.is_file() else "",
            passwd=self.passwd, imap_port=imap_port, imaps_port=imaps_port,
            # As root, keep the default chroots (login processes run as dovenull and could
            # not reach base_dir through pytest's 0700 tmp tree otherwise); as a user,
            # chroot is impossible.
            login_chroot="" if self.root_mode else "  chroot =",
            anvil_chroot="" if self.root_mode else "  chroot =",
        ))

    def start(self, imap_port: int, imaps_port: int) -> None:
        self.write_conf(imap_port, imaps_port)
        self.log.write_text("")
        with open(self.stderr, "wb") as err:
            self.proc = subprocess.Popen(
                [self.dovecot, "-F", "-c", str(self.conf)],
                stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                preexec_fn=_set_pdeathsig if sys.platform.startswith("linux") else None,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        pending = {"imap": ("127.0.0.1", imap_port), "imaps": ("127.0.0.1", imaps_port),
                   "lmtp": str(self.lmtp_socket)}
        while pending:
            if self.proc.poll() is not None:
                self.stop_process()
                raise RuntimeError("dovecot exited with status "
                                   f"{self.proc.returncode}\n{self.diagnostics()}")
            if time.monotonic() > deadline:
                self.stop_process()
                raise RuntimeError(f"dovecot did not accept connections on {sorted(pending)} "
                                   f"within {START_TIMEOUT:.0f}s\n{self.diagnostics()}")
            for name, addr in list(pending.items()):
                fam = socket.AF_UNIX if isinstance(addr, str) else socket.AF_INET
                with socket.socket(fam, socket.SOCK_STREAM) as s:
                    s.settimeout(1)
                    try:
                        s.connect(addr)
                        if name != "lmtp":
                            s.settimeout(5)
                            if name == "imaps":
                                ctx = ssl.create_default_context(cafile=str(self.ca))
                                with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
                                    greeting = t.recv(200)
                            else:
                                greeting = s.recv(200)
                            if not greeting.startswith(b"* OK"):
                                continue
                        else:
                            if not s.recv(200).startswith(b"220"):
                                continue
                    except (OSError, ssl.SSLError):
                        continue
                    del pending[name]
            if pending:
                time.sleep(0.02)

    def diagnostics(self) -> str:
        parts = []
        for p in (self.stderr, self.log):
            try:
                text = p.read_text(errors="replace")
            except OSError:
                continue
            if text.strip():
                parts.append(f"--- {p} ---\n{text[-6000:]}")
        return "\n".join(parts) or "(Dovecot wrote no log)"

    def errors(self) -> list[str]:
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return []
        return [ln for ln in lines if re.search(r": (Error|Fatal|Panic):", ln)]

    def stop(self) -> None:
        self.stop_process()
        if self._owned_mail_root is not None:
            shutil.rmtree(self._owned_mail_root, ignore_errors=True)
            self._owned_mail_root = None
        if self._short_base_dir is not None:
            shutil.rmtree(self._short_base_dir, ignore_errors=True)
            self._short_base_dir = None

    def stop_process(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        # SIGTERM to the whole process group (master, log, auth, imap, lmtp, ...): the master
        # alone takes a second to shut its children down.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        deadline = time.monotonic() + 3
        while _group_alive(proc.pid):  # children that outlived the master
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.01)


def _group_alive(pgid: int) -> bool:
    """Does process group ``pgid`` still have a running (non-zombie) member? Orphaned
    zombies wait for whoever reaps them (pid 1 or a subreaper), which may take a while."""
    if os.path.isdir("/proc/self"):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in (b"Z", b"X"):
                return True
        return False
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


class _Relay:
    """A TCP relay 127.0.0.1:<port> -> Dovecot's plain IMAP port, connecting from 127.0.0.2.

    Dovecot takes a connection whose remote IP equals its local IP for a "secured" (local) one
    and then allows plaintext LOGIN without STARTTLS, even with ssl=required. A real provider
    doesn't; through the relay, Dovecot advertises LOGINDISABLED and refuses LOGIN until
    STARTTLS, as it would for a remote client. STARTTLS passes through (bytes are relayed).
    Needs 127.0.0.2 to be a local address (Linux: all of 127/8 is); elsewhere there is none.
    """

    SOURCE = "127.0.0.2"

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="imap-relay",
                                       daemon=True)
        self.server: asyncio.AbstractServer | None = None
        self.port = 0
        self._tasks: set[asyncio.Task] = set()

    @classmethod
    def available(cls) -> bool:
        with socket.socket() as s:
            try:
                s.bind((cls.SOURCE, 0))
            except OSError:
                return False
        return True

    def start(self) -> int:
        self.thread.start()

        async def serve() -> asyncio.AbstractServer:
            return await asyncio.start_server(self._client, "127.0.0.1", 0)

        self.server = asyncio.run_coroutine_threadsafe(serve(), self.loop).result(10)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)
        try:
            try:
                up_r, up_w = await asyncio.open_connection(
                    "127.0.0.1", self.target_port, local_addr=(self.SOURCE, 0))
            except OSError:
                writer.close()
                return

            async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
                try:
                    while data := await src.read(65536):
                        dst.write(data)
                        await dst.drain()
                except (OSError, asyncio.IncompleteReadError):
                    pass
                finally:
                    with contextlib.suppress(Exception):
                        dst.close()

            await asyncio.gather(pipe(reader, up_w), pipe(up_r, writer))
        finally:
            self._tasks.discard(task)

    def stop(self) -> None:
        if not self.thread.is_alive():
            return

        async def shutdown() -> None:
            if self.server is not None:
                self.server.close()
            for t in list(self._tasks):
                t.cancel()
            await asyncio.sleep(0)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        with contextlib.suppress(Exception):
            self.loop.close()


# --------------------------------------------------------------------------- SMTP


class _SmtpHandler:
    """aiosmtpd handler: AUTH against users, 550 for unknown recipients, LMTP delivery."""

    def __init__(self, servers: MailServers):
        self.s = servers

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        users = {u.lower(): p for u, p in self.s.users.items()}
        ok = users.get(login.lower()) == password
        self.s.smtp_auth_log.append((login, mechanism, ok))
        # handled=False: aiosmtpd sends the 235 / 535 reply itself
        return AuthResult(success=ok, handled=False)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        s = self.s
        with s._lock:
            drop = s._smtp_fail_at is not None and s._smtp_accepted >= s._smtp_fail_at
            if drop:
                s.smtp_dropped += 1
        if drop:
            server.transport.abort()  # drop the connection: the client sees no reply
            return "421 4.4.2 connection dropped by the test (smtp_fail_after)"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        users = {u.lower() for u in self.s.users}
        if address.lower() not in users:
            self.s.smtp_rejected.append(address)
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        s = self.s
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        loop = asyncio.get_running_loop()
        failures: list[tuple[str, str]] = []
        delivered = 0
        for rcpt in envelope.rcpt_tos:
            try:
                await loop.run_in_executor(
                    None, s._lmtp_deliver, envelope.mail_from or "", rcpt, data)
                delivered += 1
            except DeliveryError as e:
                failures.append((rcpt, str(e)))
        s.smtp_delivery_errors.extend(failures)
        if not delivered and failures:
            text = failures[0][1]
            m = re.match(r"\((\d{3}), (.*)\)$", text)
            return f"{m.group(1)} {m.group(2)}" if m else f"451 4.3.0 {text}"
        with s._lock:
            s._smtp_accepted += 1
            s.smtp_log.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(data)))
            s.smtp_rate_log.append(time.monotonic())
        return "250 2.0.0 OK: queued"


class _QuietLoginDataWarning(logging.Filter):
    """aiosmtpd 1.4 logs a deprecation warning about its own use of Session.login_data."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "login_data is deprecated" not in record.getMessage()


def _start_smtp(servers: MailServers, server_ctx: ssl.SSLContext, data_size_limit: int,
                smtputf8: bool):
    from aiosmtpd.controller import Controller

    log = logging.getLogger("mail.log")
    if not any(isinstance(f, _QuietLoginDataWarning) for f in log.filters):
        log.addFilter(_QuietLoginDataWarning())

    class _ImplicitTLSController(Controller):
        def factory(self):
            smtp = super().factory()
            # The whole connection is TLS, but aiosmtpd's auth_require_tls only counts
            # STARTTLS (and auth_require_tls=False warns on every connection).
            smtp._auth_require_tls = False
            return smtp

    handler = _SmtpHandler(servers)
    common = dict(
        hostname="127.0.0.1", server_hostname="mail.duban.test", ident="duban test ESMTP",
        authenticator=handler.authenticate, auth_required=True, auth_require_tls=True,
        data_size_limit=data_size_limit, enable_SMTPUTF8=smtputf8, ready_timeout=10,
    )
    controllers = []
    for attempt in range(5):
        try:
            starttls = Controller(handler, port=free_port(), tls_context=server_ctx,
                                  require_starttls=True, **common)
            starttls.start()
            controllers.append(starttls)
            smtps = _ImplicitTLSController(handler, port=free_port(), ssl_context=server_ctx,
                                           **common)
            smtps.start()
            controllers.append(smtps)
            return starttls, smtps
        except Exception:
            for c in controllers:
                with contextlib.suppress(Exception):
                    c.stop()
            controllers.clear()
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- public API


@dataclass
class MailServers:
    """Running Dovecot (IMAP/IMAPS/LMTP) + aiosmtpd (submission/SMTPS) on 127.0.0.1."""

    imap_host: str
    imap_port: int          # plain IMAP, STARTTLS required before LOGIN
    imaps_port: int         # IMAP over implicit TLS
    smtp_host: str
    smtp_port: int          # submission, STARTTLS required before AUTH
    smtps_port: int         # SMTP over implicit TLS
    ca_file: Path           # PEM of the self-signed CA clients must trust
    users: dict[str, str]   # address -> password (IMAP and SMTP AUTH)
    root: Path = field(repr=False, default=Path("."))
    #: every accepted SMTP transaction: (mail_from, accepted rcpt_tos, raw data bytes)
    smtp_log: list[tuple[str, list[str], bytes]] = field(default_factory=list, repr=False)
    #: time.monotonic() of each accepted SMTP message
    smtp_rate_log: list[float] = field(default_factory=list, repr=False)
    #: RCPT addresses refused with 550
    smtp_rejected: list[str] = field(default_factory=list, repr=False)
    #: (login, mechanism, success) of each SMTP AUTH attempt
    smtp_auth_log: list[tuple[str, str, bool]] = field(default_factory=list, repr=False)
    #: (recipient, error) of accepted recipients whose LMTP delivery failed (e.g. quota)
    smtp_delivery_errors: list[tuple[str, str]] = field(default_factory=list, repr=False)
    #: connections dropped because of smtp_fail_after
    smtp_dropped: int = field(default=0, repr=False)
    #: seconds start_mail_servers took (certificates, Dovecot, SMTP)
    startup_seconds: float = field(default=0.0, repr=False)
    #: True when imap_port refuses LOGIN before STARTTLS (LOGINDISABLED), as a remote server
    #: does; False where 127.0.0.2 isn't local (not Linux) and Dovecot sees a local client.
    imap_plaintext_refused: bool = field(default=False, repr=False)

    _dovecot: Any = field(default=None, repr=False)
    _controllers: tuple = field(default=(), repr=False)
    _relay: Any = field(default=None, repr=False)
    _lock: Any = field(default_factory=threading.Lock, repr=False)
    _smtp_accepted: int = field(default=0, repr=False)
    _smtp_fail_at: int | None = field(default=None, repr=False)

    # -- SMTP failure injection -------------------------------------------------------------

    @property
    def smtp_fail_after(self) -> int | None:
        """Accept this many more messages, then drop the connection (no reply) at the next
        MAIL FROM -- on this and every later connection -- until set back to None.
        smtplib then raises SMTPServerDisconnected."""
        if self._smtp_fail_at is None:
            return None
        return max(0, self._smtp_fail_at - self._smtp_accepted)

    @smtp_fail_after.setter
    def smtp_fail_after(self, n: int | None) -> None:
        with self._lock:
            self._smtp_fail_at = None if n is None else self._smtp_accepted + int(n)

    # -- clients ----------------------------------------------------------------------------

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts exactly ``ca_file``."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def _password(self, user: str) -> str:
        for u, p in self.users.items():
            if u.lower() == user.lower():
                return p
        raise KeyError(f"unknown mail user {user!r}; known: {sorted(self.users)}")

    @contextlib.contextmanager
    def imap(self, user: str) -> Iterator[imaplib.IMAP4_SSL]:
        """A logged-in IMAP4_SSL client for ``user`` (logged out afterwards)."""
        m = imaplib.IMAP4_SSL(self.imap_host, self.imaps_port,
                              ssl_context=self.ssl_context(), timeout=15)
        try:
            m.login(user, self._password(user))
            yield m
        finally:
            with contextlib.suppress(Exception):
                m.logout()

    # -- mailbox manipulation ---------------------------------------------------------------

    def deliver(self, to: str, message: bytes, internaldate: datetime | None = None,
                folder: str = "INBOX", *, flags: str = "", via: str = "imap") -> int | None:
        """Put a raw RFC 822 message into ``to``'s ``folder``.

        via="imap" (default): IMAP APPEND as the user, byte-exact; INTERNALDATE is
        ``internaldate`` (aware, whole seconds) or now; the folder is created if missing;
        returns the new UID. via="lmtp": delivery through Dovecot's LMTP socket like a real MX
        (Dovecot prepends Return-Path/Delivered-To/Received; INTERNALDATE is now; the folder is
        chosen with user+folder@domain and auto-created); returns None.
        Raises DeliveryError when the server refuses (e.g. quota exceeded)."""
        if isinstance(message, str):
            message = message.encode()
        if via == "lmtp":
            if internaldate is not None or flags:
                raise ValueError("via='lmtp' can't set INTERNALDATE or flags; use via='imap'")
            rcpt = to
            if folder.upper() != "INBOX":
                # Dovecot's LMTP has no SMTPUTF8, and takes the +detail as a UTF-8 name
                if not folder.isascii() or any(c in folder for c in " @<>\"\\"):
                    raise ValueError(f"via='lmtp' needs a plain ASCII folder name, not "
                                     f"{folder!r}; use via='imap'")
                local, _, domain = to.rpartition("@")
                rcpt = f"{local}+{folder}@{domain}" if local else f"{to}+{folder}"
            self._lmtp_deliver("sender@example.com", rcpt, message)
            return None
        if via != "imap":
            raise ValueError(f"via must be 'imap' or 'lmtp', not {via!r}")
        date = _internaldate_arg(internaldate or datetime.now(timezone.utc).replace(
            microsecond=0))
        flag_arg = f"({flags})" if flags else None
        with self.imap(to) as m:
            typ, data = m.append(_quote_mailbox(folder), flag_arg, date, message)
            if typ == "NO" and b"TRYCREATE" in b" ".join(x for x in data if x):
                m.create(_quote_mailbox(folder))
                m.subscribe(_quote_mailbox(folder))
                typ, data = m.append(_quote_mailbox(folder), flag_arg, date, message)
            if typ != "OK":
                raise DeliveryError(f"APPEND to {to}/{folder}: {typ} {data!r}")
            for line in data:  # b'[APPENDUID <uidvalidity> <uid>] Append completed.'
                mm = re.search(rb"\[APPENDUID \d+ (\d+)\]", line or b"")
                if mm:
                    return int(mm.group(1))
        return None

    def _lmtp_deliver(self, mail_from: str, rcpt: str, data: bytes) -> None:
        lmtp = smtplib.LMTP(str(self._dovecot.lmtp_socket), timeout=30)
        try:
            lmtp.sendmail(mail_from, [rcpt], data)
        except smtplib.SMTPRecipientsRefused as e:
            code, msg = e.recipients[rcpt]
            raise DeliveryError(f"({code}, {msg.decode(errors='replace')})") from None
        except smtplib.SMTPResponseException as e:
            raise DeliveryError(f"({e.smtp_code}, "
                                f"{e.smtp_error.decode(errors='replace')})") from None
        finally:
            with contextlib.suppress(Exception):
                lmtp.quit()

    def mailbox(self, user: str, folder: str = "INBOX") -> list[dict]:
        """What ``user``'s ``folder`` holds, read with EXAMINE (flags untouched), by UID:
        [{"uid": int, "flags": set[str], "internaldate": aware datetime, "size": int,
          "raw": bytes}, ...]."""
        with self.imap(user) as m:
            typ, data = m.select(_quote_mailbox(folder), readonly=True)
            if typ != "OK":
                raise KeyError(f"{user}: no folder {folder!r}: {data!r}")
            if int(data[0] or 0) == 0:
                return []
            typ, data = m.uid("FETCH", "1:*",
                              "(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])")
            if typ != "OK":
                raise RuntimeError(f"FETCH failed: {data!r}")
        out = []
        cur: dict | None = None
        for item in data:
            if isinstance(item, tuple):
                meta, literal = item
                cur = {"raw": literal}
                out.append(cur)
                text = meta
            elif item is None:
                continue
            else:
                text = item
                if cur is None or text.startswith(b"* ") or re.match(rb"\d+ FETCH", text):
                    cur = {"raw": b""}
                    out.append(cur)
            t = text.decode("utf-8", "replace")
            if mm := re.search(r"\bUID (\d+)", t):
                cur["uid"] = int(mm.group(1))
            if mm := re.search(r"\bFLAGS \(([^)]*)\)", t):
                cur["flags"] = set(mm.group(1).split())
            if mm := re.search(r'\bINTERNALDATE "([^"]+)"', t):
                cur["internaldate"] = _parse_internaldate(mm.group(1))
            if mm := re.search(r"\bRFC822\.SIZE (\d+)", t):
                cur["size"] = int(mm.group(1))
        out = [d for d in out if "uid" in d]
        return sorted(out, key=lambda d: d["uid"])

    def folders(self, user: str) -> list[str]:
        """The user's folder names (decoded from modified UTF-7)."""
        with self.imap(user) as m:
            _typ, data = m.list()
        names = []
        for line in data:
            if isinstance(line, tuple):  # the name came as a literal
                names.append(imap_utf7_decode(line[1].decode()))
                continue
            mm = re.match(rb'\((?P<f>[^)]*)\) (?:"[^"]*"|NIL) (?P<n>.*)$', line or b"")
            if mm:
                n = mm.group("n").decode()
                if n.startswith('"'):
                    n = re.sub(r'\\(.)', r"\1", n[1:-1])
                names.append(imap_utf7_decode(n))
        return names

    def status(self, user: str, folder: str = "INBOX") -> dict[str, int]:
        """STATUS (MESSAGES UIDNEXT UIDVALIDITY UNSEEN) of a folder."""
        with self.imap(user) as m:
            typ, data = m.status(_quote_mailbox(folder), "(MESSAGES UIDNEXT UIDVALIDITY UNSEEN)")
        if typ != "OK":
            raise KeyError(f"{user}: no folder {folder!r}: {data!r}")
        inner = re.search(rb"\(([^()]*)\)\s*$", data[0]).group(1).split()
        return {inner[i].decode(): int(inner[i + 1]) for i in range(0, len(inner), 2)}

    def create_folder(self, user: str, name: str) -> None:
        """CREATE (and SUBSCRIBE) a folder; name may be non-ASCII ('已处理') or nested ('a/b')."""
        with self.imap(user) as m:
            typ, data = m.create(_quote_mailbox(name))
            if typ != "OK" and b"ALREADYEXISTS" not in b" ".join(x for x in data if x):
                raise RuntimeError(f"CREATE {name!r} for {user}: {typ} {data!r}")
            m.subscribe(_quote_mailbox(name))

    def set_quota(self, user: str, limit_bytes: int | None) -> None:
        """Per-user storage quota in bytes (None: unlimited) for new IMAP sessions and LMTP
        deliveries (passwd-file extra field ``userdb_quota_rule=*:storage=<n>B``; Dovecot
        re-reads the file on the next lookup). Over the limit, APPEND answers
        ``NO [OVERQUOTA] Quota exceeded (mailbox for user is full)`` and LMTP (thus our SMTP
        DATA) answers ``552 5.2.2``. quota_grace is 0, so the limit is exact."""
        key = user.lower()
        if key not in {u.lower() for u in self.users}:
            raise KeyError(user)
        if limit_bytes is None:
            self._dovecot.quota.pop(key, None)
        else:
            self._dovecot.quota[key] = int(limit_bytes)
        self._dovecot.write_passwd()

    def add_user(self, user: str, password: str) -> None:
        """A new account, usable at once by IMAP and SMTP."""
        self.users[user] = password
        self._dovecot.write_passwd()

    # -- diagnostics / lifecycle ------------------------------------------------------------

    @property
    def dovecot_log(self) -> Path:
        return self._dovecot.log

    def dovecot_errors(self) -> list[str]:
        """Error/Fatal/Panic lines of Dovecot's log so far."""
        return self._dovecot.errors()

    def reset_smtp(self) -> None:
        """Forget the SMTP logs and the failure injection."""
        self.smtp_log.clear()
        self.smtp_rate_log.clear()
        self.smtp_rejected.clear()
        self.smtp_auth_log.clear()
        self.smtp_delivery_errors.clear()
        self.smtp_dropped = 0
        self._smtp_fail_at = None

    def stop(self) -> None:
        """Stop both SMTP controllers and Dovecot (idempotent)."""
        controllers, self._controllers = self._controllers, ()
        for c in controllers:
            with contextlib.suppress(Exception):
                c.stop()
        relay, self._relay = self._relay, None
        if relay is not None:
            relay.stop()
        if self._dovecot is not None:
            self._dovecot.stop()
        _RUNNING[:] = [x for x in _RUNNING if x is not self]

    def __enter__(self) -> MailServers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


_RUNNING: list[MailServers] = []  # stopped at exit if a caller forgot


def _stop_all() -> None:
    for s in list(_RUNNING):
        s.stop()


atexit.register(_stop_all)


def start_mail_servers(tmp_path: Path, users: dict[str, str] | None = None, *,
                       data_size_limit: int = 32 * 1024 * 1024,
                       smtputf8: bool = False) -> MailServers:
    """Start Dovecot + the two SMTP controllers with files under ``tmp_path``; skip the test
    (pytest.skip) when a prerequisite is missing. Call ``.stop()`` (or use ``with``).

    users: address -> password (default DEFAULT_USERS). data_size_limit: the SMTP SIZE limit
    (a bigger DATA gets 552). smtputf8: advertise SMTPUTF8 (off, like QQ/163/Exchange)."""
    reason = mail_servers_missing()
    if reason:
        _skip_or_fail(reason)
    users = dict(DEFAULT_USERS if users is None else users)
    root = Path(tmp_path)
    root.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    ca, chain, key = _make_tls(root / "tls")
    dovecot = _Dovecot(root, users, (ca, chain, key))
    servers: MailServers | None = None
    try:
        for attempt in range(3):
            imap_port, imaps_port = free_port(), free_port()
            try:
                dovecot.start(imap_port, imaps_port)
                break
            except RuntimeError as e:
                dovecot.stop_process()
                if "Address already in use" in str(e) and attempt < 2:
                    continue
                raise
        server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_ctx.load_cert_chain(str(chain), str(key))
        servers = MailServers(
            imap_host="127.0.0.1", imap_port=imap_port, imaps_port=imaps_port,
            smtp_host="127.0.0.1", smtp_port=0, smtps_port=0, ca_file=ca, users=users,
            root=root, _dovecot=dovecot)
        starttls, smtps = _start_smtp(servers, server_ctx, data_size_limit, smtputf8)
        servers._controllers = (starttls, smtps)
        servers.smtp_port, servers.smtps_port = starttls.port, smtps.port
        if _Relay.available():
            servers._relay = _Relay(imap_port)
            servers.imap_port = servers._relay.start()
            servers.imap_plaintext_refused = True
    except BaseException:
        if servers is not None:
            servers.stop()
        else:
            dovecot.stop()
        raise
    _RUNNING.append(servers)
    servers.startup_seconds = time.monotonic() - t0
    return servers


@pytest.fixture
def mail_servers(tmp_path_factory) -> Iterator[MailServers]:
    """Fresh servers for one test (about 0.25 s to start, 0.02 s to stop), DEFAULT_USERS.
    For other users: ``with start_mail_servers(tmp_path, {...}) as s: ...``."""
    servers = start_mail_servers(tmp_path_factory.mktemp("mail"), DEFAULT_USERS)
    try:
        yield servers
    finally:
        servers.stop()

