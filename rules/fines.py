"""Late fines: versioned, bracketed daily rates with grace, closed days and caps.

A rate table is a list of versions; a version is (effective date, brackets); a bracket is
(first day of delay it applies from, daily rate). The rate of a day of delay is read from the
version in force on that calendar day, so a delay that spans a board decision is charged each
day at the rate of that day.

Modes
    EACH_DAY  every day of delay at its own bracket: a 10-day Ilam delay costs
              3x300 + 4x500 + 3x800 = 5,300
    REACHED   the bracket the delay has reached applies to every day: 10 x 800 = 8,000
"""
from bisect import bisect_right
from datetime import timedelta

EACH_DAY = "each_day"
REACHED = "reached"


class RateTable:
    """Versions of bracketed daily rates, each in force from its effective date."""

    def __init__(self, versions):
        """versions: iterable of (effective_date, [(from_day, daily_rate), ...])."""
        ordered = sorted((date_from, sorted(brackets)) for date_from, brackets in versions)
        if not ordered:
            raise ValueError("a rate table needs at least one version")
        for _date_from, brackets in ordered:
            if not brackets or brackets[0][0] != 1:
                raise ValueError("the first bracket of a version starts on day 1 of the delay")
        self.dates = [date_from for date_from, _brackets in ordered]
        self.versions = [brackets for _date_from, brackets in ordered]

    def rate(self, day, delay_day):
        """Daily rate on calendar ``day`` for the ``delay_day``-th day of delay (0 before any version)."""
        index = bisect_right(self.dates, day) - 1
        if index < 0:
            return 0
        brackets = self.versions[index]
        starts = [start for start, _rate in brackets]
        return brackets[bisect_right(starts, delay_day) - 1][1]


def late_days(due_date, until, is_open=None, charge_closed_days=True):
    """The calendar days of delay after ``due_date`` up to and including ``until``.

    When closed days are not charged they are not days of delay either (they neither cost
    nor move the delay into a higher bracket).
    """
    days = []
    day = due_date + timedelta(days=1)
    while day <= until:
        if charge_closed_days or is_open is None or is_open(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def late_fine(due_date, until, table, mode=EACH_DAY, grace_days=0, cap=None, is_open=None,
              charge_closed_days=True):
    """The fine for an item due on ``due_date`` and still out (or returned) on ``until``.

    grace_days  days of delay that are never charged (Ilam staff: 7, charged from the 8th)
    cap         the most one item can cost (None: no cap)
    Returns (amount, days of delay).
    """
    days = late_days(due_date, until, is_open, charge_closed_days)
    count = len(days)
    amount = 0
    for number, day in enumerate(days, start=1):
        if number <= grace_days:
            continue
        amount += table.rate(day, count if mode == REACHED else number)
    if cap is not None:
        amount = min(amount, cap)
    return amount, count
