from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from rules import lending
from rules.lending import PERIOD_DAYS, PERIOD_TERM_END, RuleError

FRIDAY = 4  # date.weekday()


def ilam_open(day):
    """Ilam central library: Saturday to Thursday, Friday closed."""
    return day.weekday() != FRIDAY


def test_select_rule_prefers_most_specific_line():
    rules = [
        ("any", None, None),
        ("type", None, 7),
        ("category", 3, None),
        ("both", 3, 7),
    ]
    assert lending.select_rule(rules, 3, 7) == "both"
    assert lending.select_rule(rules, 3, 8) == "category"
    assert lending.select_rule(rules, 4, 7) == "type"
    # a material-type line beats a category line
    assert lending.select_rule(rules[:3], 3, 7) == "type"
    assert lending.select_rule(rules, 4, 8) == "any"
    assert lending.select_rule(rules[2:3], 4, 8) is None


def test_select_rule_first_of_equals_wins():
    assert lending.select_rule([("a", 1, None), ("b", 1, None)], 1, 2) == "a"


def test_due_date_days_ilam_undergraduate_ten_days():
    # Saturday 2026-11-21 + 10 days = Tuesday 2026-12-01 (open)
    assert lending.due_date(date(2026, 11, 21), PERIOD_DAYS, days=10, is_open=ilam_open) == date(2026, 12, 1)


def test_due_date_on_friday_moves_to_saturday():
    # Tuesday 2026-11-17 + 10 days = Friday 2026-11-27 -> Saturday 2026-11-28
    assert date(2026, 11, 27).weekday() == FRIDAY
    assert lending.due_date(date(2026, 11, 17), PERIOD_DAYS, days=10, is_open=ilam_open) == date(2026, 11, 28)


def test_due_date_across_holiday_and_friday():
    holiday = date(2026, 11, 28)

    def is_open(day):
        return ilam_open(day) and day != holiday

    assert lending.due_date(date(2026, 11, 17), PERIOD_DAYS, days=10, is_open=is_open) == date(2026, 11, 29)


def test_due_date_term_end_and_shortened():
    start, term_end = date(2026, 10, 1), date(2027, 1, 20)  # 2027-01-20 is a Wednesday
    assert lending.due_date(start, PERIOD_TERM_END, term_end=term_end, is_open=ilam_open) == term_end
    assert lending.due_date(start, PERIOD_TERM_END, term_end=term_end, shortened_days=7,
                            is_open=ilam_open) == date(2026, 10, 8)
    # shortening never lengthens
    assert lending.due_date(start, PERIOD_DAYS, days=10, shortened_days=30) == date(2026, 10, 11)


def test_due_date_errors():
    with pytest.raises(RuleError) as err:
        lending.due_date(date(2026, 10, 1), PERIOD_TERM_END, term_end=None)
    assert err.value.code == "no_term"
    with pytest.raises(RuleError) as err:
        lending.due_date(date(2026, 10, 1), PERIOD_DAYS, days=0)
    assert err.value.code == "no_period"
    with pytest.raises(RuleError) as err:
        lending.next_open_day(date(2026, 10, 1), lambda d: False, horizon=10)
    assert err.value.code == "no_open_day"


def test_renewal_refusal():
    # Kermanshah: two renewals, holds do not forbid
    assert lending.renewal_refusal(0, 2, False, False, True) is None
    assert lending.renewal_refusal(1, 2, False, False, False) is None
    assert lending.renewal_refusal(2, 2, False, False, False) == "max_renewals"
    # Ilam: no count, but a request by someone else forbids it
    assert lending.renewal_refusal(9, 0, True, True, False) is None
    assert lending.renewal_refusal(0, 0, True, True, True) == "hold"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 400))
def test_due_date_is_open_and_not_before_period(start, days):
    due = lending.due_date(start, PERIOD_DAYS, days=days, is_open=ilam_open)
    assert ilam_open(due)
    assert start + timedelta(days=days) <= due <= start + timedelta(days=days + 1)


def test_select_rule_sets():
    rules = [("default", set(), set()), ("staff", {1, 2}, set()), ("reserve", set(), {9})]
    assert lending.select_rule_sets(rules, 1, 5) == "staff"
    assert lending.select_rule_sets(rules, 3, 5) == "default"
    assert lending.select_rule_sets(rules, 1, 9) == "reserve"
    assert lending.select_rule_sets(rules[1:2], 3, 5) is None
