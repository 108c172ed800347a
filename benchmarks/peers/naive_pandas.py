"""Peer: the script a coordinator writes first. pandas with its default engine (openpyxl).

    python naive_pandas.py INBOX OUT.xlsx
"""

import sys
import warnings
from pathlib import Path

import pandas as pd

warnings.simplefilter("ignore")  # pandas 3 announces its future default engine

files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
frames = [pd.read_excel(p, sheet_name="进展填报", header=3) for p in files]
pd.concat(frames, ignore_index=True).to_excel(sys.argv[2], index=False)
print(len(files))
