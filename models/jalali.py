"""Jalali dates for the models: the pure helpers of ``rules.jalali`` plus the wording of their
errors for people (a ``ValidationError`` in the user's language).

Reuse from any model::

    from .jalali import jalali_month_day, parse_jalali_input, to_jalali_str
"""
import jdatetime

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tools import format_date, format_datetime

from ..rules.jalali import JalaliDateError, jalali_month_day, parse_jalali, to_jalali_str  # noqa: F401


def jalali_error_message(env, error, label):
    """The sentence for a :class:`JalaliDateError` raised while reading the field ``label``."""
    values = dict(error.values, field=label, value=error.values.get("text") or "")
    if error.code == "month":
        return env._(
            "%(field)s: “%(value)s” has no month %(month)s; Jalali months run from 1 (Farvardin) "
            "to 12 (Esfand).", **values)
    if error.code == "day":
        return env._(
            "%(field)s: “%(value)s” is not a real day: month %(month)s of %(year)s has %(days)s days.",
            **values)
    return env._(
        "%(field)s: “%(value)s” is not a Jalali date. Write year/month/day, for example 1405/06/31.",
        **values)


def parse_jalali_input(env, text, label):
    """The Gregorian date of the Jalali ``text`` typed into the field ``label``.

    Raises a ValidationError in the user's words when ``text`` is not a real Jalali date.
    """
    try:
        return parse_jalali(text)
    except JalaliDateError as error:
        raise ValidationError(jalali_error_message(env, error, label)) from None


def is_jalali_lang(lang):
    """Persian readers read dates in the Jalali calendar."""
    return bool(lang) and lang.startswith("fa")


def format_user_date(env, day, lang=None):
    """``day`` as the reader of ``lang`` (default: the user's language) reads it: 1405/09/01 in Persian."""
    if not day:
        return ""
    lang = lang or env.lang
    if is_jalali_lang(lang):
        return to_jalali_str(day)
    return format_date(env, day, lang_code=lang or False)


def format_user_datetime(env, moment, lang=None, tz=None):
    """A UTC datetime in the reader's time zone and calendar."""
    if not moment:
        return ""
    lang = lang or env.lang
    tz = tz or env.user.tz or "UTC"
    if is_jalali_lang(lang):
        local = fields.Datetime.context_timestamp(env["res.users"].with_context(tz=tz), moment)
        return jdatetime.datetime.fromgregorian(datetime=local).strftime("%Y/%m/%d %H:%M")
    return format_datetime(env, moment, tz=tz, lang_code=lang or False)
