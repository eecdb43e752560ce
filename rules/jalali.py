"""Jalali (Persian solar hijri) dates: formatting and parsing, through jdatetime.

The conversion itself is jdatetime's; this module only fixes the house format (``1405/06/31``)
and reads what people type: Persian (۱۴۰۵) or Arabic-Indic (١٤٠٥) digits, and ``/``, ``-`` or
``.`` between year, month and day.
"""
import re

import jdatetime

# Persian (U+06F0..U+06F9) and Arabic-Indic (U+0660..U+0669) digits to ASCII digits.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_PATTERN = re.compile(r"^(\d{3,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")


class JalaliDateError(ValueError):
    """Text that is not a Jalali date; ``code`` says why (the caller words it for people).

    Codes: ``format`` (not year/month/day), ``month`` (not 1 to 12), ``day`` (beyond the
    month's length, ``values['days']``).
    """

    def __init__(self, code, **values):
        super().__init__(f"{code}: {values}")
        self.code = code
        self.values = values


def normalize_digits(text):
    """``text`` with Persian and Arabic-Indic digits replaced by ASCII digits."""
    return (text or "").translate(_DIGITS)


def days_in_month(year, month):
    """How many days the Jalali ``month`` of ``year`` has (Esfand has 30 in leap years)."""
    if month == 12:
        return 30 if jdatetime.date(year, 1, 1).isleap() else 29
    return jdatetime.j_days_in_month[month - 1]


def to_jalali_str(day):
    """A Gregorian ``datetime.date`` as a Jalali date, ``1405/06/01``; ``""`` for no date."""
    if not day:
        return ""
    return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")


def parse_jalali(text):
    """The Gregorian ``datetime.date`` of a Jalali date written ``1405/06/31``.

    Persian and Arabic-Indic digits are accepted. Raises :class:`JalaliDateError` (a
    ``ValueError``) for anything that is not a real Jalali date.
    """
    cleaned = normalize_digits(text).strip()
    match = _PATTERN.match(cleaned)
    if not match:
        raise JalaliDateError("format", text=text)
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise JalaliDateError("month", text=text, month=month)
    days = days_in_month(year, month)
    if not 1 <= day <= days:
        raise JalaliDateError("day", text=text, year=year, month=month, day=day, days=days)
    return jdatetime.date(year, month, day).togregorian()


def jalali_month_day(day):
    """The Jalali ``(month, day)`` of a Gregorian ``datetime.date``, e.g. ``(9, 1)``."""
    jday = jdatetime.date.fromgregorian(date=day)
    return jday.month, jday.day
