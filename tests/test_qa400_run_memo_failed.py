"""QA397's F5: a `run` whose 通报 could not be written does not say 月报完成; the 通报 left in
its folder (the double-click script opens it next) is said to be the one made before."""

from __future__ import annotations

from conftest import drop, on_time

from toolkit import errors
from toolkit.filling import Answer, Filling

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")


def test_a_run_whose_memo_was_not_written_does_not_say_done(run, issued_ws, make_return, monkeypatch) -> None:
    import toolkit.actions.run as running

    def refused(*_args, **_kwargs):
        raise errors.OutputLocked("没有写入权限：通报/2022年6月。请检查文件夹权限后重新运行。")

    monkeypatch.setattr(running, "write_memo", refused)
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", Filling(answers={"1.2": DONE})), on_time())
    result = run(["run", "--period", "2022-06"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert result.stdout.startswith("2022年6月月报未完成：汇总表已更新，通报未生成\n"), result.stdout
    assert "月报完成" not in result.output
    assert ("通报未生成：没有写入权限：通报/2022年6月。请检查文件夹权限后重新运行。"
            "“通报”文件夹中如有通报，是此前生成的，未按本次数据更新。") in result.stdout
