from datetime import date, timedelta

from hypothesis import given, strategies as st

from rules.fines import EACH_DAY, REACHED, RateTable, late_days, late_fine

DUE = date(2026, 11, 1)
ILAM = RateTable([(date(2020, 1, 1), [(1, 300), (4, 500), (8, 800), (16, 1000)])])
ILAM_STAFF = RateTable([(date(2020, 1, 1), [(1, 1000)])])


def test_ilam_ten_days_each_day_at_its_bracket():
    assert late_fine(DUE, DUE + timedelta(days=10), ILAM, EACH_DAY) == (3 * 300 + 4 * 500 + 3 * 800, 10)
    assert late_fine(DUE, DUE + timedelta(days=10), ILAM, EACH_DAY)[0] == 5300


def test_ilam_ten_days_bracket_reached_applies_to_all():
    assert late_fine(DUE, DUE + timedelta(days=10), ILAM, REACHED) == (10 * 800, 10)


def test_ilam_brackets_edges():
    cases = {1: 300, 3: 900, 4: 1400, 7: 2900, 8: 3700, 15: 9300, 16: 10300, 30: 24300}
    for days, amount in cases.items():
        assert late_fine(DUE, DUE + timedelta(days=days), ILAM, EACH_DAY)[0] == amount
    assert late_fine(DUE, DUE + timedelta(days=16), ILAM, REACHED)[0] == 16 * 1000


def test_not_late_costs_nothing():
    assert late_fine(DUE, DUE, ILAM) == (0, 0)
    assert late_fine(DUE, DUE - timedelta(days=3), ILAM) == (0, 0)


def test_staff_grace_week_then_1000_a_day():
    assert late_fine(DUE, DUE + timedelta(days=7), ILAM_STAFF, grace_days=7) == (0, 7)
    assert late_fine(DUE, DUE + timedelta(days=10), ILAM_STAFF, grace_days=7) == (3000, 10)


def test_rate_change_mid_delay():
    table = RateTable([(date(2020, 1, 1), [(1, 500)]), (date(2026, 11, 6), [(1, 700)])])
    # days 2..5 Nov at 500, 6..11 Nov at 700
    assert late_fine(DUE, date(2026, 11, 11), table)[0] == 4 * 500 + 6 * 700


def test_cap_at_price():
    table = RateTable([(date(2020, 1, 1), [(1, 1500)])])
    assert late_fine(DUE, DUE + timedelta(days=100), table, cap=60_000) == (60_000, 100)
    assert late_fine(DUE, DUE + timedelta(days=10), table, cap=60_000) == (15_000, 10)


def test_closed_days_not_charged():
    fridays_closed = lambda day: day.weekday() != 4  # noqa: E731
    # 1 Nov 2026 is a Sunday; 2..11 Nov holds one Friday (6 Nov)
    days = late_days(DUE, date(2026, 11, 11), fridays_closed, charge_closed_days=False)
    assert len(days) == 9 and date(2026, 11, 6) not in days
    assert late_fine(DUE, date(2026, 11, 11), ILAM, is_open=fridays_closed,
                     charge_closed_days=False) == (3 * 300 + 4 * 500 + 2 * 800, 9)
    assert late_fine(DUE, date(2026, 11, 11), ILAM, is_open=fridays_closed)[1] == 10


def test_before_first_version_is_free():
    table = RateTable([(date(2026, 11, 5), [(1, 100)])])
    assert late_fine(DUE, date(2026, 11, 6), table)[0] == 2 * 100


ladders = st.lists(st.integers(1, 5000), min_size=1, max_size=4).map(sorted)


@given(st.integers(0, 120), ladders, st.sampled_from([EACH_DAY, REACHED]), st.integers(0, 10),
       st.one_of(st.none(), st.integers(0, 200_000)))
def test_fine_never_decreases_never_exceeds_cap(days, rates, mode, grace, cap):
    table = RateTable([(date(2000, 1, 1), [(1 + 4 * i, rate) for i, rate in enumerate(rates)])])
    fine = late_fine(DUE, DUE + timedelta(days=days), table, mode, grace, cap)[0]
    more = late_fine(DUE, DUE + timedelta(days=days + 1), table, mode, grace, cap)[0]
    assert 0 <= fine <= more
    if cap is not None:
        assert more <= cap


@given(st.lists(st.integers(0, 60), min_size=1, max_size=6), ladders, st.sampled_from([EACH_DAY, REACHED]))
def test_same_result_however_the_days_are_split_across_runs(stops, rates, mode):
    """A nightly job that charges, each run, what the fine has grown by since the last run
    ends with the fine of one single run."""
    table = RateTable([(date(2000, 1, 1), [(1 + 4 * i, rate) for i, rate in enumerate(rates)])])
    charged = 0
    for stop in sorted(stops):
        charged += late_fine(DUE, DUE + timedelta(days=stop), table, mode)[0] - charged
    assert charged == late_fine(DUE, DUE + timedelta(days=max(stops)), table, mode)[0]
