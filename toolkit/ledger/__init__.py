"""The ledger (收件登记): SQLite in ``.duban/ledger.sqlite3``, with numbered migrations."""

from .connect import migrate, schema_version
from .issued import common_due
from .migrations import LATEST, MIGRATIONS
from .store import DRAFT_KINDS, Ledger, Receipt, ReturnOrder

__all__ = ["DRAFT_KINDS", "LATEST", "MIGRATIONS", "Draft", "Ledger", "Receipt", "ReturnOrder", "common_due", "migrate",
           "schema_version"]


def __getattr__(name: str):
    """`Draft`, from `draft` (which says why it is apart) when first asked for."""
    if name == "Draft":
        from .draft import Draft  # deferred: `draft` says why

        return Draft
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
