"""Calendar arithmetic: ages on birthdays, month ends, whole months."""

import datetime as dt

from rules.dates import add_months, months_between, years_between


def test_add_months_clamps_to_the_last_day_of_the_month():
    assert add_months(dt.date(2026, 3, 1), 12) == dt.date(2027, 3, 1)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 1, 31), -2) == dt.date(2025, 11, 30)


def test_age_changes_on_the_birthday():
    assert years_between(dt.date(1966, 6, 2), dt.date(2026, 6, 1)) == 59
    assert years_between(dt.date(1966, 6, 2), dt.date(2026, 6, 2)) == 60
    assert years_between(dt.date(2000, 2, 29), dt.date(2026, 2, 28)) == 25


def test_whole_months_between_dates():
    assert months_between(dt.date(2025, 7, 1), dt.date(2027, 7, 1)) == 24
    assert months_between(dt.date(2025, 7, 2), dt.date(2027, 7, 1)) == 23
    assert months_between(dt.date(2027, 7, 1), dt.date(2025, 7, 1)) == -24
    assert months_between(dt.date(2027, 7, 1), dt.date(2025, 7, 2)) == -23
    assert months_between(dt.date(2026, 3, 31), dt.date(2026, 2, 28)) == -1
