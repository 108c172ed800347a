"""`master.model.renumbered` (QA143): a task of an earlier month to its number in a revised
东莞 plan, by its texts."""

from __future__ import annotations

from toolkit.master.model import Task, renumbered


def task(tid: str, name: str, content: str = "") -> Task:
    return Task(tid, "一、加强政务服务体系建设标准化", "", name, content, "2022年12月")


JULY = [task("1.1", "加快出台系列规范性文件", "出台《东莞市公共数据管理办法》。"),
        task("1.2", "对标对表提升整改", "各级政务服务大厅对标对表优化提升。"),
        task("2.1", "实行行政许可事项清单管理工作", "编制市级行政许可事项清单。"),
        task("2.2", "全流程动态管理事项", "持续开展事项动态化管理。"),
        task("2.5", "简化事项办理流程", "实现不少于1000项事项全市通办，新增和优化联办事项。"),
        task("2.6", "开展“跨域通办”", "拓宽“跨域通办”业务范围。")]


def test_the_usual_month_keeps_every_number():
    assert renumbered(JULY, list(JULY)) == {t.id: t.id for t in JULY}


def test_a_revised_plan_is_followed_by_texts():
    august = [JULY[0], task("2.1", JULY[1].name, JULY[1].content), task("2.2", JULY[2].name, JULY[2].content),
              task("2.5", "简化事项办理流程", "实现不少于1000项事项全市通办。"),
              task("2.6", "新增和优化联办事项", "新增和优化社保和商保联办。"),
              task("2.7", JULY[5].name, JULY[5].content),
              task("4.4", "推行“午间不打烊”服务", "推行午间延时服务。")]
    assert renumbered(JULY, august) == {
        "1.1": "1.1",  # kept
        "1.2": "2.1", "2.1": "2.2", "2.6": "2.7",  # moved with the same texts
        "2.5": "2.5",  # edited in place (split): the part that kept the number keeps its history
    }  # 2.2 dropped: its number is the old 2.1's; 2.6 and 4.4 new


def test_two_tasks_with_the_same_texts_keep_their_own_numbers():
    same = [task("5.1", "党群服务中心政务服务窗口建设", "各镇街负责。"), task("5.2", "党群服务中心政务服务窗口建设", "各镇街负责。")]
    assert renumbered(same, list(same)) == {"5.1": "5.1", "5.2": "5.2"}
    # renumbered together, which is which is not known: neither takes the other's history
    assert renumbered(same, [task("6.1", same[0].name, same[0].content), task("6.2", same[0].name, same[0].content)]) == {}
