"""Calendar arithmetic the rules need: ages, whole months, "within N months of" a date."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's end.

    Jan 31 + 1 month is Feb 28 (or 29): a deadline never lands in the month after.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end`: a person's age on `end` when `start` is the birth date."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (negative when `end` is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if months > 0 and add_months(start, months) > end:
        months -= 1
    elif months < 0 and add_months(start, months) < end:
        months += 1
    return months


def in_period(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether `day` lies in the period from `start` to `end`, both inclusive; a missing end
    is open (a row without `valid_from` has always been in force)."""
    return (start is None or start <= day) and (end is None or day <= end)


def periods_overlap(
    first: tuple[dt.date | None, dt.date | None], second: tuple[dt.date | None, dt.date | None]
) -> bool:
    """Whether two periods (start, end), both inclusive and open where missing, share a day."""
    (first_start, first_end), (second_start, second_end) = first, second
    return (first_end is None or second_start is None or second_start <= first_end) and (
        second_end is None or first_start is None or first_start <= second_end
    )


def period_boundaries(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, ...]:
    """The days on which a period's state changes: its start, and the day after its end."""
    days = [] if start is None else [start]
    if end is not None and end < dt.date.max:
        days.append(end + dt.timedelta(days=1))
    return tuple(days)
