"""Which units a role word ending a clause gives its role to (``X、Y，Z配合``).

A unit cell is read piece by piece; a role word (牵头, 负责, 配合 …) closes a clause and the units
waiting before it share the role. Only its own clause's units do: the clause marks ，；。 end
a clause too. ``X、Y，Z配合`` in a 责任单位 column names X and Y as the responsible units (the
column's role) and Z as cooperating; read as one clause all three cooperated, nobody led, and
the task had no one to report it (M106).
"""

from __future__ import annotations

#: A unit in a clause before a role word that is not its own: it takes the column's role.
COLUMN = "column"
# Words that say many units share the role (X、Y分别牵头, X、Y（并列牵头）, X、Y按职责分工负责):
# they are every waiting unit's, whatever marks stand between them.
PLURAL_WORDS = ("分别", "各自", "共同", "并列", "按职责")


def shared(entries: list[tuple[str, str]], role: str, clause: int, whole: bool) -> list[tuple[str, str]]:
    """``entries`` (role "" = waiting) after a role word ``role`` closing the clause that starts at
    ``clause``: its waiting units take ``role``, those in clauses before take `COLUMN`.
    ``whole``: every waiting unit takes ``role``: a word for many (`PLURAL_WORDS`), 落实, or a
    cell whose earlier clause had its own word (``X牵头，Y，Z配合``: ， lists Y with Z there)."""
    return [(n, r or (role if whole or i >= clause else COLUMN)) for i, (n, r) in enumerate(entries)]
