"""``duban init --force`` over a workspace (to mend a broken duban.toml, or start again) wrote a
new duban.toml and 任务分工表.xlsx over the office's: its [mail] settings, contact and organiser,
and its edits of 任务清单, went with no copy anywhere. Now each is kept beside the new one when it
differs, named as every copy duban keeps (``（旧版，…保存）``), and said on screen."""
from __future__ import annotations

from openpyxl import load_workbook

from toolkit import office_edits


def test_init_force_keeps_the_offices_settings_and_master(tmp_path, run):
    root = tmp_path / "ws"
    assert run(["init", str(root), "--period", "2022-06"]).exit_code == 0
    config = root / "duban.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\ncontact = "县政府督查室 王明 0818-6239325"\n',
                      encoding="utf-8")
    master = root / "任务分工表.xlsx"
    wb = load_workbook(master)
    wb["任务清单"]["B2"] = "改过的一级任务"
    wb.save(master)
    mine = config.read_bytes()

    said = run(["init", str(root), "--period", "2022-06", "--force"])
    assert said.exit_code == 0, said.output
    kept = sorted(p for p in root.iterdir() if office_edits.is_kept_copy(p))
    assert [p.suffix for p in kept] == [".toml", ".xlsx"], kept
    toml, xlsx = kept
    assert toml.read_bytes() == mine and "王明" not in config.read_text(encoding="utf-8")
    assert load_workbook(xlsx)["任务清单"]["B2"].value == "改过的一级任务"
    lines = said.output.splitlines()
    assert f"原配置文件已另存为“{toml.name}”（同一文件夹）：其中的设置（督办单位、联系人、邮箱等）没有带入新文件，如有请对照补回。" in lines
    assert (f"原任务分工表已另存为“{xlsx.name}”（同一文件夹）：在其中做过的修改（补填的截止日期、责任分工中增删的单位等）"
            "没有带入新文件，如有请对照补回。") in lines


def test_init_force_over_the_same_files_keeps_nothing(tmp_path, run):
    root = tmp_path / "ws"
    assert run(["init", str(root), "--period", "2022-06"]).exit_code == 0
    said = run(["init", str(root), "--period", "2022-06", "--force"])
    assert said.exit_code == 0, said.output
    assert not [p for p in root.iterdir() if office_edits.is_kept_copy(p)]
    assert "另存为" not in said.output
