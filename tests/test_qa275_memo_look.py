"""What the 通报 showed a coordinator, read as a PDF (QA275 look pass).

* The demo's overview said 已完成3项（占7%），序时推进36项（占83.7%），进展滞后3项（占7%），
  未明确牵头单位的1项（占2.3%）: 3 of 43 is 6.98%, rounded to one decimal like its neighbours and
  then stripped of its .0, so one sentence gave shares at two precisions, and a reader took 7%
  for exact. A share said to one decimal keeps it (7.0%, 报送率87.0% for 47 of 54); only an
  exact whole share is said whole (50%, 100%, 0%).
"""

from __future__ import annotations

import pytest

from toolkit.memo.sentences import pct


@pytest.mark.parametrize("n, total, said", [
    (3, 43, "7.0%"), (1, 43, "2.3%"), (36, 43, "83.7%"), (47, 54, "87.0%"), (6, 13, "46.2%"),
    (2, 3, "66.7%"), (1, 2, "50%"), (4, 25, "16%"), (43, 43, "100%"), (0, 43, "0%"), (0, 0, "0%"),
    (1, 1000, "0.1%"), (1, 3000, "0.0%"),  # a share under 0.05%: rounded, not said as none
])
def test_a_share_keeps_its_decimal_unless_it_is_exact(n, total, said):
    assert pct(n, total) == said
