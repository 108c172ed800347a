"""Mail addresses as the 单位名录's 邮箱 cells and mail headers write them: one rule for the
directory check (M112), the drafts' recipients and the matching of senders to units."""

from __future__ import annotations

from .text import LazyPattern, clean

# Separators between addresses in one 邮箱 cell or mail header (；，、; and , and line breaks),
# outside double quotes: a display name may be "Wang, Wu".
_ADDRESS_SEPARATORS = LazyPattern(r'[;；,，、\n\r](?=(?:[^"]*"[^"]*")*[^"]*$)')
_ANY_SEPARATOR = LazyPattern(r"[;；,，、\n\r]")
_DOMAIN_LABEL = LazyPattern(r"[^\W_](?:[\w-]*[^\W_])?")
# A plain mail address (dot-atom local part without = and ?, which could start an encoded
# word the stdlib refuses; two or more alphanumeric domain labels), as
# nearly every 邮箱 cell holds it: the stdlib parser accepts each one (tests/test_properties.py),
# so the checks of directory addresses skip it for these. Reading a 1,000-unit directory
# spent 50 ms parsing plain addresses with the stdlib.
PLAIN_ADDRESS = LazyPattern(r"[A-Za-z0-9!#$%&'*+/^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/^_`{|}~-]+)*"
                           r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def address_pieces(text: object) -> list[str]:
    """The addresses of a 邮箱 cell or header as written, one piece each. Quotes protect a
    separator only when they pair up: a stray one must not glue good addresses to a bad one."""
    text = clean(text)
    splitter = _ADDRESS_SEPARATORS if text.count('"') % 2 == 0 else _ANY_SEPARATOR
    return [p.strip() for p in splitter.split(text) if p.strip()]


def parse_address(piece: str) -> tuple[str, str] | None:
    """(display name, address) of one piece (``东城 <dc@dg.gov.cn>``), or None if it is not one
    mail address with a dotted domain. The one rule for the 单位名录 check (M112), the drafts'
    recipients and the sender matching: what the check accepts, mail can use."""
    if PLAIN_ADDRESS.fullmatch(piece):
        return "", piece
    return _parsed_address(piece)


def parse_addresses(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(display name, address) pairs in a 单位名录 cell or a header, and what is not an address.

    Offices write several addresses separated by ；，、; or line breaks, with or without a
    display name (``东城 <dc@dg.gov.cn>``); each is read by `parse_address`, the rule the
    单位名录 check (M112) uses too.
    """
    pairs, bad = [], []
    for piece in address_pieces(text or ""):
        found = parse_address(piece)
        if found is None:
            bad.append(piece)
        else:
            pairs.append(found)
    return pairs, bad


def addresses_in(text: str) -> set[str]:
    """The mail addresses `parse_addresses` finds in ``text``, lower-cased: how a sender and a
    单位名录 cell are compared (`evidence.address_index`, `senders`)."""
    return {addr.lower() for _, addr in parse_addresses(text)[0]} if text else set()


def directory_addresses(units) -> frozenset[str]:
    """Every address 单位名录 gives its units (``units``: a `units.Directory` or its units),
    lower-cased: a forwarded message sent only to these went to a unit, not the office
    (`mail.addressed_to_office`)."""
    return frozenset(a for unit in units for a in addresses_in(unit.email))


def office_mailboxes(office: frozenset[str], directory, organiser: str) -> tuple[frozenset[str], frozenset[str]]:
    """The office's own addresses and its units' (`directory_addresses`), by which a forwarded
    message's Date stands or not (`mail.addressed_to_office`). ``office``: duban.toml [mail]'s
    (`MailSettings.addresses`); without them, the addresses 单位名录 gives the ``organiser``
    (duban.toml's, the body the office sits in: 东莞市政务服务数据管理局, 名录's 市政务服务数据管理局,
    dbb@dg.gov.cn). A mail sent there was sent to the office, not provably to a unit: 石龙镇's
    return to it, forwarded by the clerk to her own mailbox days later, was 逾期 by the forward."""
    units = directory_addresses(directory)
    own = directory.get(organiser) if organiser and not office else None
    return (office or frozenset(addresses_in(own.email) if own is not None else ())), units


def bad_addresses(text: object) -> list[str]:
    """The pieces of a directory 邮箱 cell that are not mail addresses ([] when all are).

    Parsed with the stdlib, as mail drafts are written: several addresses separated by
    ；，、; and display names (东城 <dc@dg.gov.cn>) are fine; ``not-an-email``, a full-width
    ＠ or two addresses separated only by a space are not.
    """
    return [p for p in address_pieces(text) if parse_address(p) is None]


def _parsed_address(piece: str) -> tuple[str, str] | None:
    """`parse_address` by the stdlib parser alone."""
    # Imported here: the email package costs ~3.5 ms of `duban status` start-up (-X importtime),
    # and only reading the master's 单位名录 needs it.
    import email.errors
    from email.headerregistry import Address
    from email.utils import getaddresses

    pairs = getaddresses([piece])
    if len(pairs) != 1 or not pairs[0][1]:
        return None
    try:
        address = Address(addr_spec=pairs[0][1])
    except (ValueError, IndexError, email.errors.MessageError):  # the parser's ways to say "not an address"
        return None
    labels = address.domain.split(".")
    if not (address.username and len(labels) >= 2 and all(_DOMAIN_LABEL.fullmatch(x) for x in labels)):
        return None
    name, addr = pairs[0]
    if address.domain.isascii():
        return name, addr
    # A Chinese domain (bgs@东莞.政务) goes into headers and the envelope in its ASCII form
    # (IDNA, xn--…), as every mail client writes it: formataddr refused the Unicode one and
    # `issue --emails` stopped with an internal error. One the codec refuses (a label over
    # 63 characters) is no address, said by M112 like any other.
    try:
        domain = address.domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return name, f"{addr.rpartition('@')[0]}@{domain}"


def shown_address(address: str) -> str:
    """``address`` as the screen shows it: a Chinese domain in Unicode (bgs@东莞.政务), as the
    单位名录 holds it, while headers and the envelope carry it as IDNA (xn--…, `parse_address`):
    the office checks the addresses before a send by what it wrote, not by bgs@xn--xhq771k…"""
    local, at, domain = address.rpartition("@")
    if not at or "xn--" not in domain.lower():
        return address
    try:
        return f"{local}@{domain.encode('ascii').decode('idna')}"
    except UnicodeError:  # not IDNA after all (a label xn--zz): as it is
        return address


def address_problem(text: object) -> str:
    """Why a 邮箱 cell gives no mail address, in Chinese ('' for an empty cell or one that
    gives one): `mail send` says it beside the unit, where "请填写" misled the office about a
    cell that holds two addresses separated by a space."""
    pieces = address_pieces(text)
    if not pieces or any(parse_address(p) for p in pieces):
        return ""
    piece = next((p for p in pieces if "@" in p or "＠" in p), pieces[0])
    if piece.count("@") > 1 and any(c.isspace() for c in piece):
        return "几个地址之间只有空格，请用分号隔开"
    if "＠" in piece:
        return "“＠”是全角字符，请改为半角的 @"
    if "@" not in piece:
        return "不是邮件地址"
    if not piece.rpartition("@")[0].strip().isascii():
        return "@ 前面只能用英文字母、数字和符号"
    return "不是有效的邮件地址，请写成 dc@dg.gov.cn 的形式"
