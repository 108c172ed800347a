"""QA 55: a county coordinator follows the README with a table of their own (池州's, no title,
a 各科室 group) and a 单位名录 CSV made in Excel, issues, collects two returns, merges, memos."""

from __future__ import annotations

import shutil

from conftest import ROOT

from toolkit.workspace import find_workspace

CHIZHOU = ROOT / "tests" / "corpus" / "masters" / "chizhou_zwgk_tasks_sheet.xlsx"
DIRECTORY = ("单位,简称/别名,类别,联系人,电话,邮箱\n"
             "办公室,局办公室,科室,张明,0566-2000001,bgs@xfj.example.gov.cn\n"
             "督查科,信访督查科,科室,李华,0566-2000002,dck@xfj.example.gov.cn\n"
             "接访科,,科室,王芳,0566-2000003,jfk@xfj.example.gov.cn\n"
             "办信科,网上信访科,科室,赵强,0566-2000004,bxk@xfj.example.gov.cn\n")


def _init(run, tmp_path, csv_bytes: bytes, *extra: str):
    shutil.copy(CHIZHOU, tmp_path / "任务分工表.xlsx")  # the name the README's example gives it
    (tmp_path / "单位名录.csv").write_bytes(csv_bytes)
    return run(["init", "我的专项行动", "--master", "任务分工表.xlsx", "--period", "2022-06",
                "--directory", "单位名录.csv", *extra], cwd=tmp_path)


def test_a_directory_saved_by_excel_as_csv_in_gbk_is_read(run, tmp_path):
    """Excel on a Chinese Windows saves “CSV（逗号分隔）” in GBK: it was an internal error (exit 3)."""
    result = _init(run, tmp_path, DIRECTORY.encode("gbk"))
    assert result.exit_code == 0, result.output
    assert "各科室 → 4 个单位：办公室、督查科、接访科、办信科" in result.stdout
    assert "单位名录：指定的单位名录“单位名录.csv”（4 个单位）" in result.stdout


def test_a_directory_whose_header_says_单位名称_does_not_make_the_header_a_unit(run, tmp_path):
    header = "单位名称,简称,类别,联系人,联系电话,电子邮箱\n"
    result = _init(run, tmp_path, (header + DIRECTORY.split("\n", 1)[1]).encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert "单位名录：指定的单位名录“单位名录.csv”（4 个单位）" in result.stdout


def test_a_project_named_after_the_file_is_pointed_out(run, tmp_path):
    """A table without a title is named for its file: 任务分工表, on every form and the memo."""
    result = _init(run, tmp_path, DIRECTORY.encode("utf-8"), "--organiser", "池州市信访局")
    assert result.exit_code == 0, result.output
    assert "专项行动：任务分工表" in result.stdout
    assert "名称取自文件名“任务分工表”" in result.stdout and "duban.toml 的 name" in result.stdout


def test_a_project_ending_in_工作_is_not_said_twice(run, tmp_path):
    """2024年《政府工作报告》重点工作 (the importer's own name for such a table) gave
    “根据…重点工作工作安排” in the issue mail and the memo."""
    _init(run, tmp_path, DIRECTORY.encode("utf-8"), "--organiser", "池州市信访局")
    ws = find_workspace(tmp_path / "我的专项行动")
    toml = ws.root / "duban.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('name = "任务分工表"', 'name = "政务公开重点工作"'),
                    encoding="utf-8")
    issued = run(["issue", "--emails"], cwd=ws.root)
    assert issued.exit_code == 0, issued.output
    import email
    from email import policy

    mail = email.message_from_bytes((ws.root / "下发" / "2022年6月" / "2022年6月_办公室_进展填报表.eml").read_bytes(),
                                    policy=policy.default)
    body = mail.get_body(("plain",)).get_content()
    assert "根据政务公开重点工作安排，" in body and "工作工作" not in body

    from toolkit.memo.context import arrangement

    assert arrangement("政务公开重点工作") == "根据政务公开重点工作安排"
    assert arrangement("东莞市2022年政务服务全域标准化专项行动") == "根据东莞市2022年政务服务全域标准化专项行动工作安排"


def test_issue_says_what_to_do_next(run, issued_ws):
    result = run(["issue", "--period", "2022-06", "--dept", "石龙镇"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "下一步：把填报表发给各单位（加 --emails 生成邮件草稿）；收到的回件放进“收件箱”文件夹，"
        "运行 duban collect（或双击“2-收取并汇总”）。")
    emailed = run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--emails"], cwd=issued_ws.root)
    assert emailed.stdout.splitlines()[-1] == (
        "下一步：检查邮件草稿的收件人后发出；收到的回件放进“收件箱”文件夹，"
        "运行 duban collect（或双击“2-收取并汇总”）。")


def test_mail_send_takes_the_words_its_usage_line_shows(run, ws):
    """The usage line said 下发|反馈|催报, and 催报 was refused as “不是可选的值”."""
    usage = run(["mail", "send", "--help"]).stdout
    assert "mail send [选项] issue|feedback|remind" in usage
    for word in ("催报", "remind"):
        result = run(["mail", "send", word, "--dry-run"], cwd=ws.root)
        # a dry run lists without [mail]'s sending settings, then says what a send lacks (QA354)
        assert result.exit_code == 1, result.output
        assert result.stdout.splitlines()[-1].startswith("duban.toml 的 [mail] 中没有设置 smtp_host"), result.stdout
        assert run(["mail", "send", word], cwd=ws.root).stderr.startswith(
            "错误：duban.toml 的 [mail] 中没有设置 smtp_host")


def test_run_says_how_many_returns_the_files_held(run, issued_ws, make_return):
    """`duban demo` said “本次收到 49 个文件：采纳 47，退回 5”: 52 of 49, the mails and zips unpacked."""
    import io
    import zipfile

    from conftest import drop, on_time

    from toolkit.filling import Filling

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as z:
        z.writestr("石龙镇.xlsx", make_return("石龙镇", Filling()))
        z.writestr("虎门镇.xlsx", make_return("虎门镇", Filling()))
    drop(issued_ws, "两个镇.zip", packed.getvalue(), on_time())
    result = run(["run"], cwd=issued_ws.root)
    assert result.stdout.splitlines()[1] == "  本次收到 1 个文件（拆开邮件和压缩包后共 2 份）：采纳 2，退回 0，无法读取 0，重复 0"


def test_the_readme_says_how_to_write_the_directory_csv():
    """The README told a new user to pass --directory 名录.csv and nothing about what goes in it."""
    from toolkit.units import DIRECTORY_HEADERS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### 新建自己的专项行动"):readme.index("## 命令参考")]
    assert "--directory 单位名录.csv" in section
    assert f"`{','.join(DIRECTORY_HEADERS)}`" in section
    assert "类别写“科室”的单位才算“各科室”" in section
