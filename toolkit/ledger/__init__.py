"""The ledger (收件登记): SQLite in ``.duban/ledger.sqlite3``, with numbered migrations."""

from .migrations import LATEST, MIGRATIONS
from .store import Ledger, Receipt, migrate, schema_version

__all__ = ["LATEST", "MIGRATIONS", "Ledger", "Receipt", "migrate", "schema_version"]
