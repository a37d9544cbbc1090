"""Table rows from a spreadsheet, as staff type them in Excel or WPS, checked whole first.

Staff export a table's rows (the template), edit them and import the file. Excel types what it
can: 1500 arrives as the number 1500 (or 1500.0), a date as a datetime, level 5 as the number
5; a cell formatted as text arrives as text, and a CSV file is all text. `read_sheet` reads
every cell into what the catalogue holds and checks every row against its table and against
the rows the file leaves in place, so that the import writes the whole file or, if any row is
wrong, nothing. Problems name the sheet's own row number (the headings are row 1, as Excel
shows) and the column's heading, in the staff member's language.

The headings are part of the file format, so they are the same whatever language the admin is
shown in: the Chinese the export writes (the admin's own field names), or the English field
names, which are accepted too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import tablib
from django.utils.translation import gettext as _

from benefits import models
from benefits.validation import overlap_errors
from rules.expressions import table_key
from rules.facts import normalise_date_text, normalise_number_text
from rules.schema import json_number

# field → the heading the export writes; then other headings accepted for it on import
HEADINGS: dict[str, tuple[str, ...]] = {
    "table": ("标准表", "表", "table"),
    "no": ("序号", "行号", "no"),
    "keys": ("键", "keys"),
    "value": ("取值", "数额", "值", "value"),
    "label_zh": ("名称（中文）", "标签（中文）", "label_zh"),
    "label_en": ("名称（英文）", "标签（英文）", "label_en"),
    "extra": ("其他列", "extra"),
    "valid_from": ("生效日期", "valid_from"),
    "valid_to": ("失效日期", "valid_to"),
}
HEADING = {name: headings[0] for name, headings in HEADINGS.items()}
REQUIRED = ("table", "no", "keys")
IGNORED = ("id",)  # the database id earlier exports carried: rows are found by table and number
HEADER_ROW = 1  # Excel's number of the headings' row; the first row of data is row 2
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


class CellError(ValueError):
    """A cell that cannot be read; the message is for the staff member."""


@dataclass(frozen=True)
class SheetProblem:
    """One thing wrong with the file: the sheet's row number, the column's heading, what."""

    row: int | None  # None: the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return _("The file could not be imported: %(message)s") % {"message": self.message}
        if self.column:
            return _("Row %(row)d, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class SheetRow:
    """One row of data as read: its place in the sheet and its cells by field."""

    sheet_row: int
    cells: dict[str, Any]
    existing: models.TableRow | None = None

    @property
    def no(self) -> int:
        return int(self.cells["no"])

    @property
    def keys(self) -> list[str]:
        return list(self.cells["keys"])

    @property
    def valid_from(self) -> dt.date | None:
        return self._date("valid_from")

    @property
    def valid_to(self) -> dt.date | None:
        return self._date("valid_to")

    def _date(self, name: str) -> dt.date | None:
        if name in self.cells:  # a column left out of the file keeps the row's date
            return self.cells[name]
        return getattr(self.existing, name, None)


@dataclass
class Sheet:
    """The file's rows under the export's headings, ready to import, or what is wrong."""

    dataset: tablib.Dataset
    sheet_rows: list[int] = field(default_factory=list)  # Excel row of each dataset row
    problems: list[SheetProblem] = field(default_factory=list)


# --- cells -----------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: a number typed in Excel as it is printed (5, not 5.0), a date as ISO."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return table_key(value)
    return str(value).strip()


def _table(value: Any, tables: dict[str, models.AmountTable]) -> models.AmountTable:
    slug = cell_text(value)
    if not slug:
        raise CellError(_("Enter the slug of a standard table."))
    if slug not in tables:
        raise CellError(_("There is no standard table “%(slug)s”.") % {"slug": slug})
    return tables[slug]


def _number(value: Any) -> Decimal | None:
    """A number typed (int, float, Decimal) or written as text ("1,500", "1500元"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        text = normalise_number_text(value)
        if _NUMBER.fullmatch(text):
            try:
                return Decimal(text)
            except InvalidOperation:
                return None
    return None


def _no(value: Any) -> int:
    number = _number(value)
    if number is None or number != number.to_integral_value() or number < 1:
        message = _("Enter a whole number of 1 or more, not “%(value)s”.")
        raise CellError(message % {"value": cell_text(value)})
    return int(number)


def table_keys(value: Any) -> list[str]:
    """Keys as in the export ("B, 5"), a JSON list ('["B", "5"]'), or one typed number (5)."""
    if isinstance(value, list):
        keys = [table_key(key) for key in value]
    elif isinstance(value, str) and value.strip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, list):
            raise CellError(_("Separate the keys with commas, for example: B, 5."))
        keys = [table_key(key) for key in parsed]
    else:
        keys = [key.strip() for key in re.split(r"[,，]", cell_text(value))]
    if not keys or any(not key for key in keys):
        raise CellError(_("Enter the keys, separated by commas, for example: B, 5."))
    return keys


def _value(value: Any) -> int | float | str | None:
    """A figure (1500.0 is 1500), a text such as a tier ("A"), or nothing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date):
        message = _(
            "Enter a number or a text, not the date %(value)s (Excel may have read what was "
            "typed as a date: format the cell as text)."
        )
        raise CellError(message % {"value": cell_text(value)})
    number = _number(value)
    if number is not None and number.is_finite():
        return json_number(number)
    return cell_text(value)


def _date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(normalise_date_text(value))
        except ValueError:
            pass
    message = _("Enter a date such as 2027-01-01, not “%(value)s”.")
    raise CellError(message % {"value": cell_text(value)})


def _extra(value: Any) -> dict[str, Any]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(str(value))
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        message = _('Enter the other columns as JSON, for example {"duration": "20分钟"}.')
        raise CellError(message)
    return parsed


_READERS: dict[str, Callable[[Any], Any]] = {
    "no": _no,
    "keys": table_keys,
    "value": _value,
    "label_zh": cell_text,
    "label_en": cell_text,
    "extra": _extra,
    "valid_from": _date,
    "valid_to": _date,
}


# --- the sheet -------------------------------------------------------------------------------


def _heading_key(text: Any) -> str:
    """Headings compare without case, spaces or the width of brackets ("名称(中文)")."""
    return unicodedata.normalize("NFKC", cell_text(text)).replace(" ", "").casefold()


_FIELD_BY_HEADING = {
    _heading_key(heading): name for name, headings in HEADINGS.items() for heading in headings
}


def _columns(headers: Iterable[Any]) -> tuple[dict[str, int], list[SheetProblem]]:
    """The column of each field, and the headings that name no field or name one twice."""
    columns: dict[str, int] = {}
    problems = []
    for index, heading in enumerate(headers):
        key = _heading_key(heading)
        name = _FIELD_BY_HEADING.get(key)
        if name is None and key and key not in IGNORED:
            message = _("Unknown column. The columns are: %(columns)s.")
            params = {"columns": "、".join(HEADING.values())}
            problems.append(SheetProblem(HEADER_ROW, cell_text(heading), message % params))
        elif name in columns:
            message = _("This column appears twice.")
            problems.append(SheetProblem(HEADER_ROW, cell_text(heading), message))
        elif name is not None:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            message = _("The column “%(column)s” is missing.") % {"column": HEADING[name]}
            problems.append(SheetProblem(HEADER_ROW, "", message))
    return columns, problems


def read_sheet(dataset: tablib.Dataset) -> Sheet:
    """The rows of `dataset` read and checked; `problems` lists everything wrong at once."""
    columns, problems = _columns(dataset.headers or [])
    if problems:
        return Sheet(tablib.Dataset(), problems=problems)
    tables = {table.slug: table for table in models.AmountTable.objects.all()}
    amount_tables = {
        amount.table_id
        for amount in models.Amount.objects.filter(kind=models.Amount.Kind.TABLE)
        if amount.table_id is not None
    }
    rows = []
    for index, values in enumerate(dataset, HEADER_ROW + 1):
        if all(cell_text(value) == "" for value in values):
            continue  # an empty line: nothing typed, nothing to import
        row, row_problems = _read_row(index, values, columns, tables, amount_tables)
        problems += row_problems
        if row is not None:
            rows.append(row)
    duplicates = _duplicate_numbers(rows)
    repeated = {problem.row for problem in duplicates}  # checked again once renumbered
    problems += duplicates + _overlaps([row for row in rows if row.sheet_row not in repeated])
    if problems:
        return Sheet(tablib.Dataset(), problems=sorted(problems, key=lambda p: p.row or 0))
    names = list(columns)
    result = tablib.Dataset(headers=[HEADING[name] for name in names])
    for row in rows:
        result.append([row.cells[name] for name in names])
    return Sheet(result, sheet_rows=[row.sheet_row for row in rows])


def _read_row(
    sheet_row: int,
    values: Iterable[Any],
    columns: dict[str, int],
    tables: dict[str, models.AmountTable],
    amount_tables: set[int],
) -> tuple[SheetRow | None, list[SheetProblem]]:
    """One row's cells read, then checked against its table; None when any cell is wrong."""
    cells_in_order = list(values)
    cells: dict[str, Any] = {}
    problems = []
    for name, index in columns.items():
        value = cells_in_order[index] if index < len(cells_in_order) else None
        try:
            cells[name] = _table(value, tables) if name == "table" else _READERS[name](value)
        except CellError as error:
            problems.append(SheetProblem(sheet_row, HEADING[name], str(error)))
    if problems:
        return None, problems
    table = cells["table"]
    problems = [
        SheetProblem(sheet_row, HEADING[name], message)
        for name, message in _row_problems(cells, table, table.pk in amount_tables)
    ]
    if problems:
        return None, problems
    existing = table.rows.filter(no=cells["no"]).first()
    return SheetRow(sheet_row, cells, existing), []


def _row_problems(
    cells: dict[str, Any], table: models.AmountTable, figures_needed: bool
) -> list[tuple[str, str]]:
    """What is wrong with a row whose cells could be read: (field, message)."""
    problems = []
    expected = list(table.keys or [])
    if len(cells["keys"]) != len(expected):
        message = _(
            "Table %(table)s has %(expected)d key column(s) (%(columns)s), but this row gives "
            "%(given)d: separate keys with commas."
        )
        params = {
            "table": table.slug,
            "expected": len(expected),
            "columns": ", ".join(expected),
            "given": len(cells["keys"]),
        }
        problems.append(("keys", message % params))
    if figures_needed and isinstance(cells.get("value"), str):
        message = _("Enter a number: amounts are looked up in table %(table)s, not “%(value)s”.")
        problems.append(("value", message % {"table": table.slug, "value": cells["value"]}))
    start, end = cells.get("valid_from"), cells.get("valid_to")
    if start and end and end < start:
        problems.append(("valid_to", _("The row ends before it starts.")))
    return problems


def _duplicate_numbers(rows: list[SheetRow]) -> list[SheetProblem]:
    """A row number given twice for one table: the second would silently replace the first."""
    seen: dict[tuple[int, int], int] = {}
    problems = []
    for row in rows:
        key = (row.cells["table"].pk, row.no)
        if key in seen:
            message = _("Row number %(no)d of table %(table)s is already on row %(row)d.")
            params = {"no": row.no, "table": row.cells["table"].slug, "row": seen[key]}
            problems.append(SheetProblem(row.sheet_row, HEADING["no"], message % params))
        else:
            seen[key] = row.sheet_row
    return problems


def _overlaps(rows: list[SheetRow]) -> list[SheetProblem]:
    """Rows in force together with the same keys, in each table as the import would leave it:
    the file's rows and the table's other rows, which the file does not change."""
    by_table: dict[int, list[SheetRow]] = {}
    for row in rows:
        by_table.setdefault(row.cells["table"].pk, []).append(row)
    problems = []
    for table_id, file_rows in by_table.items():
        numbers = {row.no for row in file_rows}
        kept = models.TableRow.objects.filter(table_id=table_id).exclude(no__in=numbers)
        together: list[Any] = [*kept, *file_rows]  # the file's rows last: they are reported
        problems += [
            SheetProblem(later.sheet_row, "", message)
            for later, message in overlap_errors(together)
            if isinstance(later, SheetRow)
        ]
    return problems


def problems_after_import(result: Any, sheet: Sheet) -> list[SheetProblem]:
    """What the import itself refused (rare: the model's own checks, the database), under the
    sheet's row numbers; import-export numbers rows from 1 without the headings or blank lines."""

    def row(number: int) -> int | None:
        return sheet.sheet_rows[number - 1] if 0 < number <= len(sheet.sheet_rows) else None

    problems = [SheetProblem(None, "", str(error.error)) for error in result.base_errors]
    for invalid in result.invalid_rows:
        problems += [
            SheetProblem(row(invalid.number), HEADING.get(name, ""), message)
            for name, messages in invalid.error_dict.items()
            for message in messages
        ]
    for failed in result.error_rows:
        message = _("This row could not be saved: %(error)s")
        problems += [
            SheetProblem(row(failed.number), "", message % {"error": error.error})
            for error in failed.errors
        ]
    return problems
