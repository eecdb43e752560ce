"""What a member pays for a lost or unusable item."""
from .lending import RuleError

MULTIPLIER = "multiplier"   # Ilam: a multiple of the current price
QUOTE = "quote"             # Kermanshah: the current price from a publisher's written quote


def compensation(price, method, *, local_language=True, single_copy=False, non_print=False,
                 multiplier=None, local_multiplier=10, special_min=3, special_max=6,
                 quoted_price=None, set_price=None, sold_separately=True):
    """Compensation for one lost item.

    price            current price of the item
    set_price        current price of the whole set, for a volume that cannot be bought alone
    MULTIPLIER       books in the library's own language: ``local_multiplier`` x price (Ilam: 10);
                     foreign-language, single-copy and non-print items: ``multiplier`` chosen by the
                     director between ``special_min`` and ``special_max`` (Ilam: 3 to 6)
    QUOTE            the quoted price, which must be given (for a set: the quote for the set)
    """
    basis = set_price if (not sold_separately and set_price) else price
    if method == QUOTE:
        if not quoted_price or quoted_price <= 0:
            raise RuleError("quote_missing")
        return quoted_price
    if method != MULTIPLIER:
        raise RuleError("unknown_method", method=method)
    if basis is None or basis <= 0:
        raise RuleError("no_price")
    special = (not local_language) or single_copy or non_print
    if not special:
        return basis * local_multiplier
    if multiplier is None or not special_min <= multiplier <= special_max:
        raise RuleError("multiplier_range", minimum=special_min, maximum=special_max, multiplier=multiplier)
    return basis * multiplier
