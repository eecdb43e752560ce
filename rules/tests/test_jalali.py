from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from rules.jalali import (
    JalaliDateError, days_in_month, jalali_month_day, normalize_digits, parse_jalali, to_jalali_str,
)


def test_known_days():
    # Nowruz 1405 is Saturday 21 March 2026; 1 Azar 1405 is 22 November 2026.
    assert to_jalali_str(date(2026, 3, 21)) == "1405/01/01"
    assert to_jalali_str(date(2026, 3, 20)) == "1404/12/29"
    assert to_jalali_str(date(2026, 11, 22)) == "1405/09/01"
    assert to_jalali_str(date(2026, 9, 22)) == "1405/06/31"
    assert to_jalali_str(None) == ""
    assert to_jalali_str(False) == ""


def test_parse_ascii_persian_and_arabic_digits():
    assert parse_jalali("1405/06/31") == date(2026, 9, 22)
    assert parse_jalali("۱۴۰۵/۰۶/۳۱") == date(2026, 9, 22)
    assert parse_jalali("١٤٠٥/٠٦/٣١") == date(2026, 9, 22)
    assert parse_jalali(" 1405-9-1 ") == date(2026, 11, 22)
    assert parse_jalali("1405.09.01") == date(2026, 11, 22)
    assert normalize_digits("۱۲٣") == "123"


def test_month_day():
    assert jalali_month_day(date(2026, 11, 22)) == (9, 1)
    assert jalali_month_day(date(2026, 3, 21)) == (1, 1)


def test_esfand_length_follows_leap_years():
    assert days_in_month(1403, 12) == 30   # 1403 is a leap year
    assert days_in_month(1404, 12) == 29
    assert days_in_month(1405, 1) == 31
    assert days_in_month(1405, 7) == 30
    assert parse_jalali("1403/12/30") == date(2025, 3, 20)


@pytest.mark.parametrize("text, code", [
    ("1405/13/01", "month"),
    ("1405/00/10", "month"),
    ("1405/12/31", "day"),
    ("1404/12/30", "day"),     # Esfand 1404 has 29 days
    ("1405/07/31", "day"),     # Mehr has 30 days
    ("1405/01/00", "day"),
    ("1405/06", "format"),
    ("yesterday", "format"),
    ("", "format"),
    (None, "format"),
])
def test_invalid_dates_raise_value_error_with_a_reason(text, code):
    with pytest.raises(ValueError) as caught:
        parse_jalali(text)
    assert isinstance(caught.value, JalaliDateError)
    assert caught.value.code == code


def test_esfand_error_names_the_month_length():
    with pytest.raises(JalaliDateError) as caught:
        parse_jalali("1404/12/30")
    assert caught.value.values["days"] == 29


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)))
def test_round_trip(day):
    assert parse_jalali(to_jalali_str(day)) == day
    month, mday = jalali_month_day(day)
    assert to_jalali_str(day).endswith(f"/{month:02d}/{mday:02d}")


def test_consecutive_days_stay_consecutive():
    day = date(2025, 3, 15)
    for _ in range(400):
        nxt = day + timedelta(days=1)
        assert parse_jalali(to_jalali_str(nxt)) - parse_jalali(to_jalali_str(day)) == timedelta(days=1)
        day = nxt
