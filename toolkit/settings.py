"""Settings read from duban.toml: the safety limits, in one frozen object.

Every reader of untrusted input (inbox, zip, mail, spreadsheet guards, checks) takes its
bounds from one `Limits`; nothing else in the code spells a limit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """Bounds on what one received input may make duban read, unpack or keep."""

    max_file_mb: int = 20            # one received file
    max_unpacked_mb: int = 200       # everything inside one inbox file, zips in zips included
    max_ratio: int = 200             # uncompressed / compressed, per archive entry
    max_rows: int = 5000             # rows read from a return sheet
    max_cells: int = 2_000_000       # cells in one sheet's used range (one far cell makes a huge grid)
    max_text_chars: int = 2000       # characters kept per text cell (W507 beyond)
    max_zip_depth: int = 3           # archive inside archive inside archive
    max_mail_parts: int = 200        # MIME parts in one mail
    max_entries: int = 1000          # files in one archive, parts in one spreadsheet package
    max_nesting: int = 10            # mails and archives inside each other, whatever the mix

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_unpacked_mb * 1024 * 1024

    @classmethod
    def from_table(cls, table: dict[str, object] | None) -> Limits:
        """Limits from duban.toml's ``[limits]``; absent or unusable values keep the default
        (settings validation reports them)."""
        given = table or {}
        values = {}
        for f in fields(cls):
            v = given.get(f.name)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
                values[f.name] = int(v)
        return cls(**values)


#: The defaults, for callers with no workspace (``duban check`` outside one).
DEFAULT_LIMITS = Limits()
