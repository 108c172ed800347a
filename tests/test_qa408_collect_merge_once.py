"""QA406 F3: `collect --merge` (2-收取并汇总) said a W206 请核实 twice, once short in collect's list
and once in full among the month's notes, though README says --merge says each item once
(金乡县: 高端装备产业园's form filled in by 新材料产业园, collected on 7 April). Said once, in full."""

from __future__ import annotations

import datetime as dt

from conftest import drop, on_time, set_clock
from test_qa356_disowned_w206 import FILE, SJ, SP, _text


def test_collect_merge_says_a_disputed_file_once(issued_ws, make_return, monkeypatch, run):
    drop(issued_ws, FILE, make_return(SJ, _text("石排镇本月推进情况。")), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    done = run(["collect", "--merge"], cwd=issued_ws.root)
    assert done.exit_code == 1, done.output
    asked = (f"请核实：{FILE}：填报表内置的单位信息是{SJ}，但文件名“{FILE}”指向{SP}。已按{SJ}登记；"
             f"如实际是{SP}报送的，请{SP}用本单位的填报表重报。")
    lines = done.output.splitlines()
    assert [line for line in lines if FILE in line] == [
        f"{asked}目前{SP}在2022年6月计为未报送；如这份就是{SP}的报送，通报中不应把{SP}列为未报送，也不应把{SJ}计为按时报送："
        f"发出通报前请先与{SP}、{SJ}核实。如核实确是{SJ}的报送（只是文件名、填报单位或发件人写成了{SP}），"
        f"请运行 duban sender --period 2022-06 --dept {SJ} --theirs；如不是{SJ}的报送，请运行 "
        f"duban sender --period 2022-06 --dept {SJ} --not-theirs，这份即不再计为{SJ}的报送。运行后此提示即不再出现。"]
    assert lines[:2] == ["收件箱 1 个文件，登记 1 条（含邮件附件和压缩包内文件；看不出期次的按当前期次2022年6月）",
                         "  采纳 1，退回 0，无法读取 0，重复 0，已被替代 0"], lines
