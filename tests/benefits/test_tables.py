"""The gazette's tables are complete and match the printed rows."""

import pytest

from benefits.models import AmountTable, TableRow

pytestmark = pytest.mark.django_db


def rows(slug):
    return list(TableRow.objects.filter(table__slug=slug).order_by("no"))


def test_occupation_catalogue_has_all_91_rows_with_codes_and_tiers():
    """京人社能发〔2026〕2号 附件 (职业技能等级证书): 91 occupations."""
    occupations = rows("skills-occupation-tier")
    assert [r.no for r in occupations] == list(range(1, 92))
    assert len({r.keys[0] for r in occupations}) == 91
    assert {r.value for r in occupations} == {"A", "B"}
    spot = {r.no: (r.label_zh, r.keys[0], r.value) for r in occupations}
    assert spot[1] == ("政务服务办事员", "3-01-01-02", "B")
    assert spot[10] == ("无人机驾驶员", "4-02-04-06", "A")
    assert spot[47] == ("养老护理员", "4-10-01-05", "A")
    assert spot[59] == ("老年人能力评估师", "4-14-02-05", "A")
    assert spot[91] == ("工业机器人系统操作员", "6-31-07-03", "B")
    assert sum(1 for r in occupations if r.value == "A") == 24


def test_special_ability_items_are_all_7():
    """京人社能发〔2026〕2号 附件 (专项职业能力证书): 7 items, 4 in tier A."""
    items = rows("skills-special-ability-tier")
    assert [(r.keys[0], r.value) for r in items] == [
        ("母婴照护", "A"),
        ("婴幼儿照护", "A"),
        ("老年人照护", "A"),
        ("病人照护", "A"),
        ("家庭餐制作", "B"),
        ("家庭清洁", "B"),
        ("家电清洗", "B"),
    ]


def test_skill_level_standard_is_b_rates_and_a_at_120_percent():
    """二: B档 1000/1500/2000（三级及以上）；A档上浮20%."""
    standard = {tuple(r.keys): r.value for r in rows("skills-level-standard")}
    for level, b in {"5": 1000, "4": 1500, "3": 2000, "2": 2000, "1": 2000}.items():
        assert standard[("B", level)] == b
        assert standard[("A", level)] == b * 12 // 10


def test_elderly_care_service_list_has_51_items_with_prices_and_durations():
    """京民发〔2026〕6号 附件1: 51 service items with reference durations and prices."""
    services = rows("elderly-care-service-list")
    assert [r.no for r in services] == list(range(1, 52))
    spot = {r.no: r for r in services}
    assert spot[1].label_zh == "失能等级评估" and spot[1].value == "评估服务费 100 元/次"
    assert spot[1].extra["duration"] == "20-60分钟"
    assert spot[2].value == "依据服务合同确定"
    assert spot[11].label_zh == "助浴·上门洗浴" and spot[11].value == "200-400 元/次"
    assert spot[29].value == "70-100元/小时"
    assert spot[37].label_zh == "康复辅具租赁" and spot[37].value is None  # no price printed
    assert spot[51].label_zh == "拔罐" and spot[51].value == "40-60元/次"
    assert all(r.label_en for r in services)


def test_every_table_names_its_clause():
    assert all(table.clause for table in AmountTable.objects.all())
