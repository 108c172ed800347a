"""What the mailbox did, in the ledger: messages fetched and drafts sent (`duban mail`).

Its migrations are numbered with the ledger's own (see `migrations`).
"""

from __future__ import annotations

#: (version, purpose, SQL), merged into `migrations.MIGRATIONS`.
MAIL_MIGRATIONS: list[tuple[int, str, str]] = []
