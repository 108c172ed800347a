"""西平县 plays August 2020 end to end (QA135), its clerks replying as clerks do.

The plan is a slice of 西平县2020年度法治政府建设工作安排 (西平县人民政府办公室, 西政办〔2020〕20号,
http://xiping.gov.cn/portal/zwgk/zfwj/xzb/xzbelel/webinfo/2020/09/1606553978297842.htm): its
headings, its first tasks' text and its 责任单位 line "县政府办公室、县司法局……乡镇人民政府按职责
分工分别负责" laid out as a 任务分工表 with 牵头单位 and 责任单位 columns; later rows are in its style.
July is issued and answered in full (县信访局 reports its one task 已完成), then August goes out
with skip_done_units (县信访局 本期免报), due 5 September:

* 县政府办公室, 县司法局, 县发改委 mail their forms on 3 September;
* 县自然资源局 on 3 September, and a correction on 9 September (still 按时: the first decides);
* 县财政局 on 8 September (逾期);
* 县市场监管局 a renamed file (市场监管局8月法治政府建设进展(1).xlsx) on 4 September;
* 县人社局 types 80% and 已完成 into 完成进度 on 4 September (退回), the office collects on 7
  September and its correction comes on 9 September (按时: within the days its reply gave);
* 县公安局 refills July's form on 2 September (退回待改: E202);
* 出山镇 a zip made by Windows' 压缩 (GBK names);
* 权寨镇's clerk mails 权寨镇's and 人和乡's forms in one mail at 17:55 on 5 September;
* 柏城街道 sends nothing (未报送).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import collect_merge_memo, numbered_table, set_clock, zip_bytes
from openpyxl import load_workbook
from test_evidence import mail

from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return

pytestmark = pytest.mark.slow

TITLE = "西平县2020年度法治政府建设工作安排任务分工表"
TOWNS = "出山镇、权寨镇、人和乡、柏城街道"
ROWS = [
    ("一、依法全面履行政府职能",),
    ("为推动经济高质量发展提供法治保障", "坚持稳中快进工作总基调，加强规范性文件备案审查、执法、法律服务相关工作，"
     "为深化重点领域改革、全面完成脱贫攻坚任务、坚决推进污染防治攻坚、强化风险防范化解等提供强有力的法治保障。",
     "县政府办公室", f"县司法局、{TOWNS}", "2020年12月底前"),
    ("全面提高依法防控依法治理能力", "始终把人民群众生命安全和身体健康放在第一位，从规范性文件备案审查、执法、"
     "守法各环节发力，坚持依法科学有序防控。", "县司法局", "县公安局、县市场监管局", "2020年12月底前"),
    ("深化“放管服”改革", "持续推进“一网通办”，压减审批事项和时限。", "县发改委", "县市场监管局、县自然资源局",
     "2020年12月底前"),
    ("优化法治化营商环境", "全面落实《优化营商环境条例》，清理不符合条例的规范性文件。", "县发改委",
     "县司法局、县市场监管局", "2020年10月底前"),
    ("二、完善依法行政制度体系",),
    ("加强行政规范性文件备案审查", "开展行政规范性文件清理，向社会公布现行有效目录。", "县司法局", "县政府办公室",
     "2020年8月底前"),
    ("推进重大行政决策科学化民主化法治化", "落实重大行政决策程序暂行条例，公布年度重大行政决策事项目录。",
     "县政府办公室", "县司法局、县财政局", "2020年11月底前"),
    ("三、坚持严格规范公正文明执法",),
    ("全面推行行政执法“三项制度”", "行政执法公示、执法全过程记录、重大执法决定法制审核制度全覆盖。", "县司法局",
     "县市场监管局、县自然资源局、县人社局", "2020年12月底前"),
    ("根治拖欠农民工工资", "依法查处拒不支付劳动报酬案件。", "县人社局", "县公安局、出山镇、权寨镇", "2020年12月底前"),
    ("四、强化对行政权力的制约和监督",),
    ("加强财政预决算公开", "按规定公开部门预决算和“三公”经费。", "县财政局", "", "2020年9月底前"),
    ("五、依法有效化解社会矛盾纠纷",),
    ("推进信访工作法治化", "依法分类处理信访诉求，完成积案化解。", "县信访局", "", "2020年7月底前"),
    ("加强乡镇法治建设", "乡镇综合行政执法改革，建立合法性审核机制。", TOWNS, "县司法局", "2020年12月底前"),
]
DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
西平县人民政府办公室,县政府办公室,部门,,,zfb@xiping.example.cn
西平县司法局,县司法局,部门,,,sfj@xiping.example.cn
西平县发展和改革委员会,县发改委,部门,,,fgw@xiping.example.cn
西平县财政局,县财政局,部门,,,czj@xiping.example.cn
西平县市场监督管理局,县市场监管局,部门,,,scj@xiping.example.cn
西平县自然资源局,县自然资源局,部门,,,zrzy@xiping.example.cn
西平县人力资源和社会保障局,县人社局,部门,,,rsj@xiping.example.cn
西平县公安局,县公安局,部门,,,gaj@xiping.example.cn
西平县信访局,县信访局,部门,,,xfj@xiping.example.cn
出山镇,,镇,,,csz@xiping.example.cn
权寨镇,,镇,,,qzz@xiping.example.cn
人和乡,,乡,,,rhx@xiping.example.cn
柏城街道,,街道,,,bcjd@xiping.example.cn
"""
EMAIL = {row.split(",")[0]: row.split(",")[5] for row in DIRECTORY.splitlines()[1:]}
JUL, AUG = "2020年7月", "2020年8月"
CZJ, SCJ, ZRZY, RSJ, GAJ = "西平县财政局", "西平县市场监督管理局", "西平县自然资源局", "西平县人力资源和社会保障局", "西平县公安局"


def _master(path: Path) -> Path:
    return numbered_table(path, TITLE, ["序号", "工作任务", "具体内容", "牵头单位", "责任单位", "完成时限"], ROWS)


def _sent(when: str) -> str:
    return email.utils.format_datetime(dt.datetime.fromisoformat(when).replace(tzinfo=dt.timezone(dt.timedelta(hours=8))))


@pytest.fixture(scope="module")
def xiping(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("xiping") / "ws"
    directory = root.parent / "名录.csv"
    directory.write_text(DIRECTORY, encoding="utf-8")
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        return result

    def form(label: str, unit: str) -> Path:
        (found,) = (root / "下发" / label).glob(f"*_{unit}_进展填报表.xlsx")
        return found

    def post(name: str, unit: str, files: list[tuple[str, bytes]], when: str, subject: str = "8月进展") -> None:
        (root / "收件箱").mkdir(exist_ok=True)
        (root / "收件箱" / name).write_bytes(mail(files, sender=EMAIL[unit], subject=subject, date=_sent(when)))

    def august(unit: str, default: Answer | None = None, **answers: Answer) -> bytes:
        return fill_return(form(AUG, unit), Filling(
            default=default or Answer(status="序时推进", progress=70, work="8月：完成阶段工作。"), answers=answers))

    try:
        set_clock(mp, dt.date(2020, 7, 20))
        result = runner.invoke(cli, ["init", str(root), "--master", str(_master(root.parent / f"{TITLE}.xlsx")),
                                     "--period", "2020-07", "--organiser", "西平县人民政府办公室",
                                     "--directory", str(directory)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        run("issue", "--period", "2020-07")
        for unit in EMAIL:
            answer = (Answer(status="已完成", progress=100, work="积案已全部化解。") if unit == "西平县信访局"
                      else Answer(status="序时推进", progress=40, work="7月：按计划推进。"))
            post(f"{unit}.eml", unit, [(form(JUL, unit).name, fill_return(form(JUL, unit), Filling(default=answer)))],
                 "2020-08-03 10:00", "7月进展")
        set_clock(mp, dt.date(2020, 8, 6))
        run("collect")
        run("merge")

        toml = root / "duban.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("skip_done_units = false", "skip_done_units = true"),
                        encoding="utf-8")
        set_clock(mp, dt.date(2020, 8, 25))
        run("issue", "--period", "2020-08")
        for unit in ("西平县人民政府办公室", "西平县司法局", "西平县发展和改革委员会", ZRZY):
            post(f"{unit}.eml", unit, [(form(AUG, unit).name, august(unit))], "2020-09-03 09:30")
        post("czj.eml", CZJ, [(form(AUG, CZJ).name, august(CZJ))], "2020-09-08 16:40", "财政局8月份进展（迟报）")
        post("scj.eml", SCJ, [("市场监管局8月法治政府建设进展(1).xlsx", august(SCJ))], "2020-09-04 11:05", "回复：8月填报表")
        typed = august(RSJ, Answer(status="序时推进", progress="80%", work="8月：立案查处欠薪案件3起。"),
                       **{"7": Answer(status="已完成", progress="已完成", work="配合完成执法公示。")})
        post("rsj.eml", RSJ, [(form(AUG, RSJ).name, typed)], "2020-09-04 17:20")
        last_months = fill_return(form(JUL, GAJ), Filling(default=Answer(progress=70, work="8月：联合执法。")))
        post("gaj.eml", GAJ, [("公安局8月进展.xlsx", last_months)], "2020-09-02 15:00", "公安局8月份法治政府建设进展")
        post("csz.eml", "出山镇", [("出山镇8月进展.zip", zip_bytes(
            {f"出山镇8月报送/{form(AUG, '出山镇').name}": august("出山镇")}, gbk=True))], "2020-09-04 08:50")
        post("qzz.eml", "权寨镇", [(form(AUG, "权寨镇").name, august("权寨镇")),
                                 (form(AUG, "人和乡").name, august("人和乡"))], "2020-09-05 17:55", "权寨镇、人和乡8月进展")
        set_clock(mp, dt.date(2020, 9, 7))
        run("collect")
        fixed = august(RSJ, Answer(status="序时推进", progress=80, work="8月：立案查处欠薪案件3起。"),
                       **{"7": Answer(status="已完成", progress=100, work="配合完成执法公示。", evidence="西司〔2020〕8号")})
        post("rsj2.eml", RSJ, [(form(AUG, RSJ).name, fixed)], "2020-09-09 10:10", "回复：人社局8月进展（已修改）")
        post("zrzy2.eml", ZRZY, [(form(AUG, ZRZY).name, august(ZRZY, Answer(progress=75, work="8月：更正。")))],
             "2020-09-09 11:00", "自然资源局8月进展（更正）")
        collect_merge_memo(mp, run, dt.date(2020, 9, 10))
        yield root
    finally:
        mp.undo()
        shutil.rmtree(root.parent, ignore_errors=True)


EXPECTED = {
    "西平县人民政府办公室": "按时报送", "西平县司法局": "按时报送", "西平县发展和改革委员会": "按时报送",
    CZJ: "逾期报送", SCJ: "按时报送", ZRZY: "按时报送", RSJ: "按时报送", GAJ: "退回待改",
    "西平县信访局": "本期免报", "出山镇": "按时报送", "权寨镇": "按时报送", "人和乡": "按时报送", "柏城街道": "未报送",
}


def test_every_unit_has_the_verdict_of_what_it_did(xiping):
    (book,) = (xiping / "汇总" / AUG).glob("*_进展汇总表.xlsx")
    rows = list(load_workbook(book)["报送情况"].iter_rows(min_row=4, values_only=True))
    assert {r[0]: r[3] for r in rows if r[0] in EXPECTED} == EXPECTED
    by_unit = {r[0]: r for r in rows}
    assert by_unit[ZRZY][4] == "2020-09-03 09:30"  # the first return's time, not the correction's
    assert by_unit[SCJ][5] == "市场监管局8月法治政府建设进展(1).xlsx"


def test_the_memo_names_whom_it_should_and_is_sent_to_the_towns(xiping):
    (md,) = (xiping / "通报" / AUG).glob("*.md")
    text = md.read_text(encoding="utf-8")
    assert "\n各乡镇街道，县直各有关单位：\n" in text
    assert "根据西平县2020年度法治政府建设工作安排，各责任单位按月报送" in text
    assert "（一）逾期报送的单位（1个）：西平县财政局。" in text
    assert "（二）退回修改的单位（1个）：西平县公安局。" in text
    assert "（三）未报送的单位（1个）：柏城街道。" in text
    assert "另有1个单位（西平县信访局）负责的任务此前均已报告完成，本期免于报送。" in text
    for unit in (RSJ, ZRZY, SCJ, "人和乡", "权寨镇", "出山镇"):
        assert unit not in text.split("## 四、报送情况")[1].split("## 五")[0]
