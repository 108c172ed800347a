"""The ledger (收件登记): SQLite in ``.duban/ledger.sqlite3``, with numbered migrations."""

from .issued import common_due
from .migrations import LATEST, MIGRATIONS
from .store import DRAFT_KINDS, Draft, Ledger, Receipt, ReturnOrder, migrate, schema_version

__all__ = ["DRAFT_KINDS", "LATEST", "MIGRATIONS", "Draft", "Ledger", "Receipt", "ReturnOrder", "common_due", "migrate",
           "schema_version"]
