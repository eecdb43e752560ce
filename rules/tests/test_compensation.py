import pytest

from rules.compensation import MULTIPLIER, QUOTE, compensation
from rules.lending import RuleError


def test_ilam_persian_book_ten_times():
    assert compensation(250_000, MULTIPLIER) == 2_500_000


@pytest.mark.parametrize("kind", [{"local_language": False}, {"single_copy": True}, {"non_print": True}])
def test_ilam_special_items_three_to_six_times(kind):
    assert compensation(400_000, MULTIPLIER, multiplier=3, **kind) == 1_200_000
    assert compensation(400_000, MULTIPLIER, multiplier=6, **kind) == 2_400_000
    assert compensation(400_000, MULTIPLIER, multiplier=4.5, **kind) == 1_800_000
    for outside in (2, 7, None):
        with pytest.raises(RuleError) as error:
            compensation(400_000, MULTIPLIER, multiplier=outside, **kind)
        assert error.value.code == "multiplier_range"


def test_multi_volume_set_costs_the_whole_set():
    assert compensation(300_000, MULTIPLIER, set_price=2_000_000, sold_separately=False) == 20_000_000
    assert compensation(300_000, MULTIPLIER, set_price=2_000_000, sold_separately=True) == 3_000_000


def test_kermanshah_quote():
    assert compensation(300_000, QUOTE, quoted_price=480_000) == 480_000
    with pytest.raises(RuleError) as error:
        compensation(300_000, QUOTE)
    assert error.value.code == "quote_missing"
