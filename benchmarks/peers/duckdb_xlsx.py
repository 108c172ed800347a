"""Peer: DuckDB's excel extension, read_xlsx of every return, COPY ... (FORMAT xlsx).

    python duckdb_xlsx.py INBOX OUT.xlsx

The extension comes from the duckdb-ext-excel wheel (no download at run time).
"""

import sys
from pathlib import Path

import duckdb
import duckdb_ext

files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
con = duckdb.connect()
con.execute(f"SET extension_directory = '{Path(duckdb_ext.__path__[0]) / 'extensions'}'")
con.execute("LOAD excel")
parts = [f"SELECT * FROM read_xlsx('{str(p).replace(chr(39), chr(39) * 2)}', sheet = '进展填报', range = 'A4:N100000', "
         "header = true, all_varchar = true, stop_at_empty = true)" for p in files]
out = sys.argv[2].replace("'", "''")
con.execute(f"COPY ({' UNION ALL BY NAME '.join(parts)}) TO '{out}' (FORMAT xlsx, HEADER true)")
print(len(files))
