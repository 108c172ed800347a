"""The ledger (收件登记): SQLite in ``.duban/ledger.sqlite3``, with numbered migrations."""

from .migrations import LATEST, MIGRATIONS
from .store import DRAFT_KINDS, Draft, Ledger, Receipt, common_due, migrate, return_order, schema_version

__all__ = ["DRAFT_KINDS", "LATEST", "MIGRATIONS", "Draft", "Ledger", "Receipt", "common_due", "migrate", "return_order",
           "schema_version"]
