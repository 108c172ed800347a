"""duban (督办): monthly progress returns for a multi-department action plan.

The public library face. Everything below may be imported from ``toolkit`` directly; the
rest of the package is internal and may change. Each ``duban`` command wraps one action:

    from toolkit import find_workspace, collect, merge, write_memo
    ws = find_workspace("督办2022")
    collect(ws)
    merge(ws)

Names load on first use (PEP 562), so ``import toolkit`` stays cheap: a command must not
pay for openpyxl or docx it does not use. ``tests/test_public_api.py`` keeps ``__all__``,
this table and docs/design.md in agreement.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# The library logs to "duban" through `logs`, whose handler keeps a record from Python's
# last-resort handler (printed a second time) and hands it to the run's 日志/duban.log.

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # actions, one per command
    "init_workspace": "actions.init",
    "import_master_file": "actions.master_import",
    "issue_returns": "actions.issue",
    "collect": "actions.collect",
    "check_paths": "actions.check",
    "merge": "actions.merge",
    "status": "actions.status",
    "write_reminders": "actions.remind",
    "write_memo": "actions.memo",
    "run_cycle": "actions.run",
    "run_demo": "actions.demo",
    # results of the actions
    "IssueResult": "actions.issue",
    "CollectResult": "actions.collect",
    "MergeResult": "actions.merge",
    "RemindResult": "actions.remind",
    "MemoResult": "actions.memo",
    "RunResult": "actions.run",
    # the model
    "Workspace": "workspace",
    "find_workspace": "workspace",
    "Period": "period",
    "Limits": "settings",
    "Master": "master.model",
    "Task": "master.model",
    "Assignment": "master.model",
    "import_master": "master.importer",
    "read_master_workbook": "master.workbook",
    "write_master_workbook": "master.workbook",
    "Directory": "units",
    "Unit": "units",
    "Issue": "report",
    "Report": "report",
    "Row": "report",
    "CODES": "report",
    "check_return": "checks",
    "CheckContext": "checks",
    "Ledger": "ledger.store",
    "Receipt": "ledger.store",
    # the consolidation; the function computing it is `toolkit.consolidate.consolidate`: as
    # `toolkit.consolidate` it would be shadowed by its own submodule once anything imports it
    "Consolidation": "consolidate",
    "MemoContext": "memo.context",
    "build_context": "memo.context",
    "check_template": "memo.template_check",
    # the vocabulary
    "Status": "vocab",
    "UnitState": "vocab",
    "Outcome": "vocab",
    "Role": "vocab",
    "Severity": "vocab",
    "Kind": "vocab",
    # errors
    "errors": "errors",
    "DubanError": "errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    mod = importlib.import_module(f".{module}", __name__)
    value = mod if name == module else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
