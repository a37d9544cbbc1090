"""A citation links to the line its clause starts on, and a clause staff type must be in the
text: both through one scheme of anchors."""

import pytest

from rules.clauses import (
    anchors,
    chinese_number,
    clause_anchor,
    places,
    split_citation,
    text_lines,
    unresolved_parts,
)

NOTICE = """关于做好某项工作的通知
京测试发〔2026〕1号
各区：
一、补贴对象
（一）本市户籍居民。
(二)在本市参保的居民。
1. 已登记失业的。
2. 毕业两年内的。
### **二、补贴标准**
每人每月800元。
附件 1
"""

MEASURES = """若干措施
一、加强药品配备
1. 查找配备不足药品。
2. 做好药品库存规划。
二、完善诊疗服务
3. 调整药品包装规格。
"""

RULES = """实施细则
第八条 补助标准
第十三条 申请材料
10. 申请表。
"""


@pytest.mark.parametrize(
    ("text", "number"), [("十三", 13), ("二十四", 24), ("一百零五", 105), ("七", 7), ("12", 12)]
)
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


def test_each_clause_heading_gets_its_anchor():
    found = {line.text: line.anchor for line in text_lines(NOTICE)}
    assert found["一、补贴对象"] == "c-一"
    assert found["（一）本市户籍居民。"] == "c-一(一)"
    assert found["(二)在本市参保的居民。"] == "c-一(二)"
    assert found["1. 已登记失业的。"] == "c-一(二)1"
    assert found["### **二、补贴标准**"] == "c-二"  # markdown around the heading
    assert found["附件 1"] == "c-附件1"
    assert found["每人每月800元。"] == ""


def test_articles_are_one_anchor_however_the_number_is_written():
    assert "c-第8条" in anchors(RULES) and "c-第13条10" in anchors(RULES)
    for written in ("第八条", "第8条", "第 8 条"):
        assert clause_anchor(written) == "c-第8条"
    assert unresolved_parts("第十三条10", RULES) == []


def test_items_numbered_through_a_document_are_also_its_articles():
    lines = {line.text: line for line in text_lines(MEASURES)}
    assert lines["3. 调整药品包装规格。"].anchor == "c-二3"
    assert lines["3. 调整药品包装规格。"].aliases == ("c-第3条",)
    assert unresolved_parts("第3条", MEASURES) == []
    assert unresolved_parts("第4条", MEASURES) == ["第4条"]
    # Items that start again at 1 under each heading are not articles.
    assert "c-第1条" not in anchors(NOTICE + "三、其他\n1. 其他。\n")


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("一、五", ["一", "五"]),
        ("二(五)、(六)", ["二(五)", "二(六)"]),
        ("二(一)(二)(三)", ["二(一)", "二(二)", "二(三)"]),
        ("一（一）", ["一(一)"]),
        ("序言；《社会救助暂行办法》第九条", ["序言"]),
        ("附件5 三", ["附件5三"]),
    ],
)
def test_a_reference_names_its_places(clause, expected):
    assert places(clause) == expected


def test_unresolved_parts_name_what_the_text_lacks():
    assert unresolved_parts("一(二)1、二", NOTICE) == []
    assert unresolved_parts("一(三)、二", NOTICE) == ["一(三)"]
    assert unresolved_parts("十", NOTICE) == ["十"]
    assert unresolved_parts("序言、落款、附件1", NOTICE) == []
    assert unresolved_parts("附表", NOTICE) == ["附表"]
    assert unresolved_parts("一；《社会救助暂行办法》第九条", NOTICE) == []
    assert unresolved_parts("十", "") == []  # nothing to check against


def test_a_citation_links_to_its_first_numbered_place():
    assert clause_anchor("序言、一") == "c-一"
    assert clause_anchor("通知落款") == ""
    assert clause_anchor("附件1") == "c-附件1"
    assert split_citation("京民社救发〔2023〕240号 一、三") == ("京民社救发〔2023〕240号", "一、三")
    assert split_citation("二(六)1") == ("", "二(六)1")
