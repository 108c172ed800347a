"""Exceptions: only for "cannot continue". Problems found in data are `Issue` records.

Every exception carries a one-line Chinese message for the coordinator; the CLI prints
it in one place and exits with the class's ``exit_code``.

    DubanError                      anything duban cannot continue from
    ├── UsageError                  the command was asked for something impossible (exit 2)
    │   ├── BadPeriod               a period that is not like 2022-06
    │   ├── UnknownUnit             a --dept name not in the directory
    │   ├── BadTemplate             a memo or mail template that cannot be rendered
    │   └── NotIssued               a period no return was ever issued for (without --force)
    ├── InputFileError              an input the user pointed at cannot be used (exit 2)
    │   ├── FileMissing             the file does not exist
    │   ├── UnsupportedFile         not a format this command reads
    │   ├── EncryptedFile           protected by a password
    │   └── NotAMasterList          no task table, or not the expected headers
    ├── WorkspaceError              the work folder is missing or unusable (exit 2)
    │   ├── WorkspaceNotFound       no duban.toml here or above
    │   ├── WorkspaceExists         init over a folder that already has one
    │   ├── BadConfig               duban.toml cannot be parsed
    │   └── NoTasks                 the master workbook lists no task
    ├── OutputLocked                a target file is open in Excel/WPS (exit 2)
    ├── NothingToDo                 e.g. no accepted return yet for the period (exit 1)
    └── WorkspaceBusy               another run holds the lock (exit 4)
"""

from __future__ import annotations


class DubanError(Exception):
    """Base class: a condition under which duban cannot continue."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(DubanError):
    """The command was asked for something it cannot do."""


class BadPeriod(UsageError):
    """A period string that is not a month like 2022-06."""


class UnknownUnit(UsageError):
    """A unit name that the directory does not know."""


class BadTemplate(UsageError):
    """A template that cannot be parsed or rendered."""


class NotIssued(UsageError):
    """A period for which no return was ever issued: its 汇总 would name every unit 未报送."""


class InputFileError(DubanError):
    """An input file named by the user cannot be used."""


class FileMissing(InputFileError):
    """The named file does not exist."""


class UnsupportedFile(InputFileError):
    """The file is not in a format this command reads."""


class EncryptedFile(InputFileError):
    """The file is protected by a password."""


class NotAMasterList(InputFileError):
    """The file holds no recognisable task-division table."""


class WorkspaceError(DubanError):
    """The work folder is missing or unusable."""


class WorkspaceNotFound(WorkspaceError):
    """No duban.toml in the folder or any folder above it."""


class WorkspaceExists(WorkspaceError):
    """`init` was asked to create a workspace where one already exists."""


class BadConfig(WorkspaceError):
    """duban.toml cannot be read."""


class NoTasks(WorkspaceError):
    """The master workbook is missing or lists no task."""


class OutputLocked(DubanError):
    """A file to be written is open (locked) in another program."""


class NothingToDo(DubanError):
    """The command has no input to work on."""

    exit_code = 1


class WorkspaceBusy(DubanError):
    """Another duban run holds the workspace lock."""

    exit_code = 4
