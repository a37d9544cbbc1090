"""Staff import a table's rows from the spreadsheet they typed in Excel: typed numbers and dates
and the export's Chinese headings are read; a file with any wrong row imports nothing and says,
in Chinese, which row of the sheet (as Excel numbers it) and which column is wrong."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.forms import inlineformset_factory

from benefits.admin import TableRowFormSet
from benefits.models import AmountTable, TableRow

pytestmark = pytest.mark.django_db

LEVELS = (
    "skills-level-standard"  # 京人社能发〔2026〕2号 二: (tier, level) → yuan, used by an amount
)
RATES = "hpf-2021-monthly-contribution-cap"  # one key: the contribution rate in percent
HEADINGS = ["标准表", "序号", "键", "取值", "名称（中文）", "名称（英文）", "生效日期", "失效日期"]
XLSX, CSV = "1", "0"  # the import form's format choices
# Tier B level 5 (1000 yuan until the end of 2026) and next year's standard (1100 yuan).
B5_ENDS = [
    LEVELS,
    1,
    "B, 5",
    1000.0,
    "B档 初级工（五级）",
    "Tier B, level 5",
    None,
    dt.datetime(2026, 12, 31),
]
B5_NEXT = [
    LEVELS,
    11,
    "B, 5",
    1100,
    "B档 初级工（五级）",
    "Tier B, level 5",
    dt.datetime(2027, 1, 1),
    None,
]


@pytest.fixture
def editor(client):
    call_command("create_staff_roles", verbosity=0)
    user = User.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="catalogue editors"))
    client.force_login(user)
    return client


def xlsx(*rows, headings=HEADINGS):
    book = openpyxl.Workbook()
    for row in [headings, *rows]:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def preview(client, content, name="rows.xlsx", file_format=XLSX):
    upload = SimpleUploadedFile(name, content)
    data = {"import_file": upload, "format": file_format, "resource": "0"}
    return client.post("/admin/benefits/tablerow/import/", data)


def confirm(client, previewed, name="rows.xlsx", file_format=XLSX):
    stored = re.search(r'name="import_file_name" value="([^"]+)"', previewed.content.decode())
    assert stored, "no confirm button: the preview found problems"
    data = {"import_file_name": stored[1], "original_file_name": name, "format": file_format}
    return client.post("/admin/benefits/tablerow/process_import/", {**data, "resource": "0"})


def problems(response):
    return re.findall(r"<li>(.*?)</li>", response.content.decode().split('id="sheet-problems"')[1])


def levels():
    rows = TableRow.objects.filter(table__slug=LEVELS, keys=["B", "5"]).order_by("no")
    return [(r.no, r.value, r.valid_from, r.valid_to) for r in rows]


def test_a_sheet_typed_in_excel_imports_its_rows(editor):
    """1000.0 is 1000, dates are dates, the rate typed as the number 12 is the key "12"."""
    rate = [RATES, 1, 12, 6800, "缴存比例12%", "12% rate", None, None]
    response = confirm(editor, preview(editor, xlsx(B5_ENDS, B5_NEXT, [], rate)))
    assert response.status_code == 302
    assert levels() == [
        (1, 1000, None, dt.date(2026, 12, 31)),
        (11, 1100, dt.date(2027, 1, 1), None),
    ]
    row = TableRow.objects.get(table__slug=RATES, no=1)
    assert (row.keys, row.value, row.extra) == (
        ["12"],
        6800,
        {"employee_cap": 3387, "employer_cap": 3387},
    )
    page = editor.get(response["Location"])
    assert "导入成功，新增1条记录，更新2条记录" in page.content.decode()


def test_the_preview_shows_the_rows_under_the_chinese_headings_and_writes_nothing(editor):
    response = preview(editor, xlsx(B5_ENDS, B5_NEXT))
    html = response.content.decode()
    assert "<th>生效日期</th>" in html and "2027-01-01" in html
    assert levels() == [(1, 1000, None, None)]


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            ["no-such-table", 12, "B, 5", 1100, "", "", None, None],
            "第 3 行“标准表”列：没有代号为“no-such-table”的标准表。",
        ),
        (
            [LEVELS, 12, "B, 5", "一千一", "", "", None, None],
            "第 3 行“取值”列：请填写数字：金额按标准表 skills-level-standard 查取，"
            "不能填“一千一”。",
        ),
        (
            [LEVELS, 12, 5, 1100, "", "", None, None],
            "第 3 行“键”列：标准表 skills-level-standard 有 2 个键列（tier, level），"
            "这一行填了 1 个：多个键请用逗号分隔。",
        ),
        (
            [LEVELS, 12, "B, 5", 1100, "", "", dt.datetime(2026, 7, 1), None],
            "第 3 行：序号 1 和序号 12 两行的键相同（B, 5），在 2026-07-01 同时有效："
            "前一行的失效日期须早于后一行的生效日期。",
        ),
        (
            [LEVELS, 12, "B, 5", 1100, "", "", "2027年13月1日", None],
            "第 3 行“生效日期”列：请填写日期，例如 2027-01-01，而不是“2027年13月1日”。",
        ),
    ],
    ids=["unknown table", "not a number", "wrong number of keys", "overlapping", "bad date"],
)
def test_one_bad_row_and_nothing_is_written(editor, bad_row, message):
    b5_at_999 = [LEVELS, 1, "B, 5", 999, "B档 初级工（五级）", "Tier B, level 5", None, None]
    response = preview(editor, xlsx(b5_at_999, bad_row))  # row 2 is good, but not written
    assert problems(response) == [message]
    assert "confirm" not in response.content.decode()  # no "Confirm import" button
    assert levels() == [(1, 1000, None, None)]
    assert not TableRow.objects.filter(table__slug=LEVELS, no=12).exists()


def test_every_problem_is_listed_at_once_with_the_sheet_row_numbers(editor):
    """Blank lines count as Excel counts them; the headings are row 1."""
    rows = [
        B5_NEXT,  # row 2: fine alone, but row 1 of the table has no end
        [],  # row 3: blank
        [LEVELS, "x", "B, 4", 1500, "", "", None, None],  # row 4
        [LEVELS, 13, "B, 4", 1500, "", "", dt.datetime(2027, 2, 1), dt.datetime(2027, 1, 1)],
        [LEVELS, 11, "A, 5", 1200, "", "", None, None],  # row 6: 11 is already on row 2
    ]
    found = problems(preview(editor, xlsx(*rows)))
    assert [re.match(r"第 (\d+) 行", text)[1] for text in found] == ["2", "4", "5", "6"]
    assert found[1] == "第 4 行“序号”列：请填写不小于 1 的整数，而不是“x”。"
    assert found[2] == "第 5 行“失效日期”列：失效日期早于生效日期。"
    assert found[3] == "第 6 行“序号”列：标准表 skills-level-standard 的序号 11 已在第 2 行出现。"
    assert levels() == [(1, 1000, None, None)]


def test_a_row_refused_when_confirming_rolls_back_the_whole_file(editor):
    """The table changed between the preview and "Confirm import": nothing is written, and the
    staff member is told why instead of "import finished"."""
    previewed = preview(editor, xlsx(B5_ENDS, B5_NEXT))
    TableRow.objects.filter(table__slug=LEVELS, no=1).update(valid_to=None)  # someone else
    TableRow.objects.create(
        table=AmountTable.objects.get(slug=LEVELS), no=20, keys=["B", "5"], value=999
    )
    response = confirm(editor, previewed)
    assert response.status_code == 200
    assert any("序号 20" in text for text in problems(response))
    assert not TableRow.objects.filter(table__slug=LEVELS, no=11).exists()
    assert TableRow.objects.get(table__slug=LEVELS, no=1).valid_to is None


def test_the_headings_are_checked_before_any_row(editor):
    headings = ["表", "行号", "数额", "备注"]  # old words are accepted; 键 is missing
    found = problems(preview(editor, xlsx([LEVELS, 1, 1000, "x"], headings=headings)))
    assert found == [
        "第 1 行“备注”列：无法识别的列。可用的列：标准表、序号、键、取值、名称（中文）、"
        "名称（英文）、其他列、生效日期、失效日期。",
        "第 1 行：缺少“键”列。",
    ]


def test_an_earlier_export_in_english_with_json_keys_still_imports(editor):
    """CSV cells are all text; the id column of earlier exports is ignored."""
    row = TableRow.objects.get(table__slug=LEVELS, no=1)
    text = io.StringIO()
    csv.writer(text).writerows(
        [
            ["id", "table", "no", "keys", "value", "label_zh", "label_en", "extra"],
            [row.pk, LEVELS, "1", '["B", "5"]', "1050", row.label_zh, row.label_en, "{}"],
        ]
    )
    previewed = preview(editor, text.getvalue().encode(), "rows.csv", CSV)
    response = confirm(editor, previewed, "rows.csv", CSV)
    assert response.status_code == 302
    assert levels() == [(1, 1050, None, None)]


def test_the_export_is_the_import_template(editor):
    """Exported with Chinese headings, typed numbers and dates; imported back, nothing changes."""
    TableRow.objects.filter(table__slug=LEVELS, no=1).update(valid_to=dt.date(2026, 12, 31))
    fields = [
        "table",
        "no",
        "keys",
        "value",
        "label_zh",
        "label_en",
        "extra",
        "valid_from",
        "valid_to",
    ]
    data = {"format": XLSX, "resource": "0", **{f"tablerowresource_{f}": "on" for f in fields}}
    exported = editor.post("/admin/benefits/tablerow/export/", data).content
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADINGS[:6], "其他列", *HEADINGS[6:]]
    b5 = next(row for row in rows if row[0] == LEVELS and row[1] == 1)
    assert b5[2:5] == ("B, 5", 1000, "B档 初级工（五级）")
    assert b5[8] == dt.datetime(2026, 12, 31)
    before = list(TableRow.objects.order_by("pk").values())
    response = confirm(editor, preview(editor, exported))
    assert response.status_code == 302
    assert list(TableRow.objects.order_by("pk").values()) == before


def test_the_import_page_heading_reads_correctly_in_chinese(editor):
    html = preview(editor, xlsx(["no-such-table", 1, "B, 5", 1, "", "", None, None])).content
    assert "部分行未通过检查" in html.decode()
    assert "某些行验数据证失败" not in html.decode()  # the package's garbled translation
    assert "未导入任何内容：共 1 处问题" in html.decode()


def test_a_file_that_is_not_in_the_chosen_format_is_refused_in_chinese(editor):
    response = preview(editor, "标准表,序号\n".encode(), "rows.xlsx", XLSX)
    assert "无法读取文件：请确认所选的格式与文件一致" in response.content.decode()
    assert "encountered while trying to read file" not in response.content.decode()


def test_staff_who_may_only_view_rows_cannot_import(client):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_tablerow"))
    client.force_login(viewer)
    assert client.get("/admin/benefits/tablerow/import/").status_code == 403
    assert preview(client, xlsx(B5_NEXT)).status_code == 403
    assert levels() == [(1, 1000, None, None)]


# --- the admin's own forms ---------------------------------------------------------------------


def add_row(client, **fields):
    data = {
        "table": AmountTable.objects.get(slug=LEVELS).pk,
        "no": 11,
        "keys": '["B", "5"]',
        "value": "1100",
        "label_zh": "B档 初级工（五级）",
        "label_en": "Tier B, level 5",
        "extra": "{}",
        "valid_from": "",
        "valid_to": "",
        **fields,
    }
    return client.post("/admin/benefits/tablerow/add/", data)


def test_a_row_overlapping_another_is_refused_in_the_admin(editor):
    response = add_row(editor, valid_from="2027-01-01")
    assert response.status_code == 200
    assert (
        "序号 1 和序号 11 两行的键相同（B, 5），在 2027-01-01 同时有效：前一行的失效日期须早于"
        "后一行的生效日期。" in response.content.decode()
    )
    assert not TableRow.objects.filter(table__slug=LEVELS, no=11).exists()
    undated = add_row(editor)
    assert "且都没有填写日期" in undated.content.decode()


def test_next_years_row_is_accepted_once_this_years_ends(editor):
    TableRow.objects.filter(table__slug=LEVELS, no=1).update(valid_to=dt.date(2026, 12, 31))
    assert add_row(editor, valid_from="2027-01-01").status_code == 302
    assert levels()[1] == (11, 1100, dt.date(2027, 1, 1), None)


def test_a_row_that_ends_before_it_starts_is_refused(editor):
    response = add_row(editor, valid_from="2027-01-01", valid_to="2026-01-01")
    assert "失效日期早于生效日期。" in response.content.decode()


def test_rows_edited_together_on_the_tables_page_are_checked_together():
    """Ending this year's row and adding next year's in one save passes; two rows in force
    together are refused on the later one."""
    table = AmountTable.objects.get(slug=LEVELS)
    formset_class = inlineformset_factory(
        AmountTable,
        TableRow,
        formset=TableRowFormSet,
        fields=["no", "keys", "value", "valid_from", "valid_to"],
        extra=1,
    )
    existing = list(table.rows.order_by("no"))

    def post(first_row_ends, new_row_starts):
        data = {"rows-TOTAL_FORMS": len(existing) + 1, "rows-INITIAL_FORMS": len(existing)}
        for index, row in enumerate([*existing, None]):
            values = {
                "id": row.pk if row else "",
                "no": row.no if row else 11,
                "keys": f'["{row.keys[0]}", "{row.keys[1]}"]' if row else '["B", "5"]',
                "value": str(row.value) if row else "1100",
                "valid_from": new_row_starts if row is None else "",
                "valid_to": first_row_ends if row is not None and row.no == 1 else "",
            }
            data |= {f"rows-{index}-{name}": value for name, value in values.items()}
        return formset_class(data, instance=table, prefix="rows")

    good = post("2026-12-31", "2027-01-01")
    assert good.is_valid(), good.errors
    bad = post("", "2027-01-01")
    assert not bad.is_valid()
    assert bad.forms[-1].non_field_errors() == [
        "序号 1 和序号 11 两行的键相同（B, 5），在 2027-01-01 同时有效：前一行的失效日期须早于"
        "后一行的生效日期。"
    ]
    assert Decimal(1000) == TableRow.objects.get(table=table, no=1).value
