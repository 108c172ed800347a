"""Peer: pandas reading with calamine and writing with xlsxwriter, the fast pandas route.

    python pandas_calamine.py INBOX OUT.xlsx
"""

import sys
from pathlib import Path

import pandas as pd

files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
frames = [pd.read_excel(p, sheet_name="进展填报", header=3, engine="calamine") for p in files]
pd.concat(frames, ignore_index=True).to_excel(sys.argv[2], index=False, engine="xlsxwriter")
print(len(files))
