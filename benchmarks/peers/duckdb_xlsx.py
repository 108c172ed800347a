"""Peer: DuckDB's excel extension, read_xlsx of every return into one table, COPY ... (FORMAT xlsx).

    python duckdb_xlsx.py INBOX OUT.xlsx

The extension comes from the duckdb-ext-excel wheel (no download at run time). read_xlsx
reads one file at a time (a glob reads the first file only), and a UNION ALL of a thousand
reads passes DuckDB's expression depth limit: the returns are appended one by one.
"""

import sys
from pathlib import Path

import duckdb
import duckdb_ext


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
con = duckdb.connect()
con.execute(f"SET extension_directory = {quoted(str(Path(duckdb_ext.__path__[0]) / 'extensions'))}")
con.execute("LOAD excel")
for i, p in enumerate(files):
    read = (f"SELECT * FROM read_xlsx({quoted(str(p))}, sheet = '进展填报', range = 'A4:N100000', header = true, "
            "all_varchar = true, stop_at_empty = true)")
    con.execute(f"CREATE TABLE returns AS {read}" if i == 0 else f"INSERT INTO returns BY NAME {read}")
con.execute(f"COPY returns TO {quoted(sys.argv[2])} (FORMAT xlsx, HEADER true)")
print(len(files))
