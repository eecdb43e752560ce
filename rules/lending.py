"""Lending rules: which rulebook line applies, when a loan falls due, whether it may renew."""
from datetime import timedelta

PERIOD_DAYS = "days"
PERIOD_TERM_END = "term_end"

# How far ahead to look for an opening day before calling the calendar broken.
OPEN_DAY_HORIZON = 366


class RuleError(ValueError):
    """A rulebook or calendar that cannot answer the question (the caller words it for people)."""

    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


def rule_specificity(category_id, material_type_id, rule_category_id, rule_material_type_id):
    """How well a rulebook line matches a (category, material type) pair; None when it does not.

    A line names a member category and/or a material type; an empty side matches anything.
    The most specific line wins: category and type (3) > type only (2) > category only (1)
    > neither (0). The material type weighs more because its lines are the exceptions
    (a reserve-shelf item lends for a day whoever borrows it).
    """
    if rule_category_id and rule_category_id != category_id:
        return None
    if rule_material_type_id and rule_material_type_id != material_type_id:
        return None
    return (1 if rule_category_id else 0) + (2 if rule_material_type_id else 0)


def select_rule(rules, category_id, material_type_id):
    """The most specific of ``rules`` for the pair, or None.

    ``rules`` is an iterable of (key, rule_category_id, rule_material_type_id); the key of the
    winning line is returned. Among equally specific lines the first one wins (callers pass
    them in sequence order).
    """
    best_key, best_score = None, -1
    for key, rule_category_id, rule_material_type_id in rules:
        score = rule_specificity(category_id, material_type_id, rule_category_id, rule_material_type_id)
        if score is not None and score > best_score:
            best_key, best_score = key, score
    return best_key


def select_rule_sets(rules, category_id, material_type_id):
    """Like select_rule, for lines naming sets of categories and material types (empty: any)."""
    best_key, best_score = None, -1
    for key, category_ids, material_type_ids in rules:
        if category_ids and category_id not in category_ids:
            continue
        if material_type_ids and material_type_id not in material_type_ids:
            continue
        score = (1 if category_ids else 0) + (2 if material_type_ids else 0)
        if score > best_score:
            best_key, best_score = key, score
    return best_key


def next_open_day(day, is_open, horizon=OPEN_DAY_HORIZON):
    """``day`` itself when the library opens that day, otherwise the next day it opens."""
    for offset in range(horizon):
        candidate = day + timedelta(days=offset)
        if is_open(candidate):
            return candidate
    raise RuleError("no_open_day", day=day, horizon=horizon)


def due_date(start, period, days=0, term_end=None, shortened_days=0, is_open=None):
    """The date a loan made on ``start`` falls due.

    period          PERIOD_DAYS: ``days`` after ``start``; PERIOD_TERM_END: the end of the term
                    (``term_end``, the last day of the term that covers ``start``).
    shortened_days  a shorter period for high-demand titles (0: none); it only ever shortens.
    is_open         predicate on a date; a due date on a closed day moves to the next opening day.
    """
    if period == PERIOD_DAYS:
        if days <= 0:
            raise RuleError("no_period")
        due = start + timedelta(days=days)
    elif period == PERIOD_TERM_END:
        if term_end is None or term_end < start:
            raise RuleError("no_term", day=start)
        due = term_end
    else:
        raise RuleError("unknown_period", period=period)
    if shortened_days and shortened_days > 0:
        due = min(due, start + timedelta(days=shortened_days))
    if is_open is not None:
        due = next_open_day(due, is_open)
    return due


def renewal_refusal(renewal_count, max_renewals, unlimited, blocked_by_hold, others_waiting):
    """Why a loan may not be renewed (a code), or None when it may.

    max_renewals    renewals allowed when not ``unlimited``
    blocked_by_hold the rulebook forbids renewing a title someone else has asked for
    others_waiting  other members are waiting for the title
    """
    if blocked_by_hold and others_waiting:
        return "hold"
    if not unlimited and renewal_count >= max_renewals:
        return "max_renewals"
    return None
