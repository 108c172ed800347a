"""`duban merge`: the consolidated workbook (汇总表) of a period, from the ledger."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..consolidate import Consolidation, consolidate
from ..office_edits import Kept, write_output
from ..period import Period
from ..style import load_style
from ..summary_book import build_summary_workbook
from ..workspace import MERGED, Workspace, refuse_if_nothing_received

log = logging.getLogger("duban")


def merged_path(ws: Workspace, period: Period) -> Path:
    return ws.stage_dir(MERGED, period) / f"{period.label}_进展汇总表.xlsx"


@dataclass
class MergeResult:
    """What `merge` wrote and the figures it found."""

    path: Path
    consolidation: Consolidation
    #: the office's edited 汇总表, kept beside the new one before it was written (`office_edits`)
    kept: Kept | None = None


def merge(ws: Workspace, period: Period | None = None, consolidation: Consolidation | None = None
          ) -> MergeResult:
    """Write 汇总/<期>/<期>_进展汇总表.xlsx from the ledger's accepted returns.

    ``consolidation`` reuses one already computed for the same period (`duban run`).
    """
    if consolidation is None:
        refuse_if_nothing_received(ws, period, "merge")
    cons = consolidation or consolidate(ws, period)
    path = merged_path(ws, cons.period)
    kept = write_output(ws, path, build_summary_workbook(cons, load_style(ws.template("样式.toml"))).save, "汇总表")
    log.info("汇总完成：%s，任务 %d 项，单位 %d 个", path, len(cons.tasks), len(cons.units))
    return MergeResult(path, cons, kept)
