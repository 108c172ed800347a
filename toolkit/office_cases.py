"""What status asks the office about, as records made only when there is something to ask.

A unit 逾期 on a file's modification time or a weak mail time (`FileTime`, `file_time`), a return
registered under one unit that other evidence named another's (`Disputed`, `disputed`), a unit
按时 by a copy from an address no unit has (`Asked`, `senders`). Most months have none of them,
and creating their three frozen dataclasses at import (Python 3.11 compiles each generated
method) was 8.0 M instructions of a W1 `duban status`'s 396.4 M (callgrind; QA347, issue 19).
Their modules import this one where a record is made, and still name each
(`file_time.FileTime`, `disputed.Disputed`, `senders.Asked`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .ledger import Receipt
from .vocab import TimeSource


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class FileTime:
    """A return of ``unit`` timed by its file's modification time (or a weak mail time: ``how``)
    that the office is asked or has answered about; ``receipt`` as the ledger keeps it (its time
    is the file's, or the mail's)."""

    unit: str
    receipt: Receipt
    #: the unit's deadline while it stands 逾期 on this file's time; None: it does not
    due: dt.date | None = None
    #: the day the office said it got the file (``--on``); '': not said
    stated_on: str = ""
    #: when the office answered (``--on`` or ``--confirm``); '': not answered
    answered_at: str = ""
    #: while ``receipt`` is a refused file whose time alone denied the correction its grace
    #: (`on_time.denied_grace`), the return the unit stands 逾期 on; None: ``receipt`` is that return
    late_return: Receipt | None = None
    #: what ``receipt``'s time is (文件修改时间, 转发邮件的发送时间, 邮箱收到时间: `weak_how`; 收取时间（原时间
    #:存疑）of a unit 按时 on a doubtful time collected after its deadline: `file_time.doubtful_on_time`)
    how: str = str(TimeSource.MTIME)
    #: why a weak mail time may not be when the department sent it ('' for a file's time: `weak_words`);
    #: of a doubtful time, why collect doubted it (W207's reason)
    but: str = ""
    #: when the forward reached the office, of a unit 按时 on a forwarded message's own Date whose
    #: recipient is not known to be the office (`TimeSource.FORWARDED`, `file_time.forwarded_on_time`)
    forward_at: str = ""


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class Disputed:
    """A file of the month registered under ``unit`` that other evidence said was ``other``'s."""

    unit: str
    other: str  # as the month counts it (`issued_month.month_name`)
    file: str
    message: str  # the W206 line collect said
    receipt: Receipt | None = None
    #: when the office answered about the file (`ledger.answers.check_disputed`); "": not answered
    checked_at: str = ""
    #: the answer: the file is ``unit``'s; False: it is not (`ledger.answers.DISOWNED`; `misfiled`:
    #: ``other``'s refused return)
    theirs: bool = True


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class Asked:
    """A unit 按时 by ``sent``, a return from an address no unit has, whose own return from its
    单位名录 address came after its deadline; ``text``: the 请核实 line."""

    unit: str
    sent: Receipt
    text: str
    #: what ``text`` says happened, without what to run (`actions.verify` asks it)
    facts: str
