"""Pure rulebook arithmetic: no Odoo import, every date passed in explicitly.

The models hand these functions plain values (dates, numbers, predicates) read from the
rulebook records; the same functions run under pytest in milliseconds.
"""
from . import compensation, fines, jalali, lending  # noqa: F401
