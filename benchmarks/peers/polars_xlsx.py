"""Peer: polars (fastexcel, that is calamine, to read; xlsxwriter to write).

    python polars_xlsx.py INBOX OUT.xlsx
"""

import sys
from pathlib import Path

import polars as pl

files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
# Text columns a department left blank come back as nulls of another type: read as text.
frames = [pl.read_excel(p, sheet_name="进展填报", read_options={"header_row": 3}, infer_schema_length=0)
          for p in files]
pl.concat(frames, how="diagonal_relaxed").write_excel(sys.argv[2])
print(len(files))
