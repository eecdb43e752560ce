from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models


class LibraryBranch(models.Model):
    _name = "library.branch"
    _description = "Library"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    calendar_id = fields.Many2one(
        "resource.calendar", string="Opening Hours", required=True, check_company=True,
        default=lambda self: self.env.ref("university_library.calendar_ilam_central", raise_if_not_found=False),
        help="Opening days and hours; closures and public holidays are the calendar's time off. "
             "A loan never falls due on a day the library is closed.")
    copy_count = fields.Integer(compute="_compute_copy_count")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "Each library needs its own code."),
    ]

    def _compute_copy_count(self):
        counts = dict(self.env["library.copy"]._read_group(
            [("branch_id", "in", self.ids)], ["branch_id"], ["__count"]))
        for branch in self:
            branch.copy_count = counts.get(branch, 0)

    def _open_day_predicate(self):
        """A function telling whether the library opens on a date (hours and time off).

        It reads the calendar in windows of 90 days, on demand, so a due-date search costs
        one or two queries.
        """
        self.ensure_one()
        calendar = self.calendar_id
        tz = pytz.timezone(calendar.tz or "UTC")
        cache = {}

        def load(start):
            start_dt = tz.localize(datetime.combine(start, time.min))
            end_dt = tz.localize(datetime.combine(start + timedelta(days=89), time.max))
            intervals = calendar._work_intervals_batch(start_dt, end_dt, tz=tz)[False]
            days = {begin.astimezone(tz).date() for begin, _end, _meta in intervals}
            for offset in range(90):
                day = start + timedelta(days=offset)
                cache[day] = day in days

        def is_open(day):
            if day not in cache:
                load(day)
            return cache[day]

        return is_open

    @api.model
    def _default_branch(self):
        return self.search([("company_id", "=", self.env.company.id)], limit=1)
