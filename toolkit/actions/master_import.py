"""`duban master import`: a published task-division table into the master workbook."""

from __future__ import annotations

from pathlib import Path

from .. import errors
from ..master import Master, import_master, rank_issues, read_master_workbook, write_master_workbook
from ..master.workbook import directory_address_issues
from ..units import Directory


def workspace_directory(target: Path) -> Directory | None:
    """The 单位名录 of the master workbook being replaced (with the coordinator's contacts),
    or None when there is none yet. If it is still the bundled Dongguan one, the importer
    uses it only for a Dongguan table."""
    if not target.exists():
        return None
    try:
        directory = read_master_workbook(target).directory
    except errors.DubanError:
        return None  # not a master workbook (yet): nothing to inherit
    return directory if directory.units else None


def import_master_file(source: Path, target: Path, directory_csv: Path | None = None, *,
                       organiser: str | None = None) -> Master:
    """Import ``source`` (.docx/.doc/.xlsx) and write the master workbook to ``target``.

    Groups expand against ``directory_csv`` if given, else against the 单位名录 of the
    workspace's current master workbook; see `import_master` for the bundled directory.
    """
    if target.resolve() == Path(source).resolve():
        raise errors.UsageError("输出文件不能与输入文件相同，请用 --out 指定另一个文件名。")
    # A directory named on the command line is the coordinator asking for it, bundled or not.
    directory = Directory.from_csv(directory_csv) if directory_csv else workspace_directory(target)
    master = import_master(source, directory, organiser=organiser,
                           use_bundled_directory=True if directory_csv else None)
    # Bad addresses are located where the coordinator will fix them: the new 单位名录 sheet.
    master.issues = rank_issues(master.issues + directory_address_issues(master.directory.to_rows(), target.name))
    write_master_workbook(master, target)
    return master
