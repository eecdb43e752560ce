from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import fines


class LibraryFineTable(models.Model):
    _name = "library.fine.table"
    _description = "Late Fine Table"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("library.policy", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    category_ids = fields.Many2many("library.member.category", string="Member Categories",
                                    help="Empty: every category.")
    material_type_ids = fields.Many2many("library.material.type", string="Material Types",
                                         help="Empty: every material type. A table for a material type wins "
                                              "over a table for a category.")
    mode = fields.Selection([
        (fines.EACH_DAY, "Each day at its own bracket"),
        (fines.REACHED, "The bracket reached applies to every day"),
    ], required=True, default=fines.EACH_DAY, string="Brackets")
    grace_days = fields.Integer(help="Days of delay never charged (e.g. one week after a reminder letter).")
    cap_type = fields.Selection([
        ("none", "No cap"),
        ("fixed", "A fixed amount"),
        ("price", "The item's current price"),
    ], required=True, default="none", string="Cap")
    cap_amount = fields.Float(string="Cap Amount", digits=(16, 2))
    rate_ids = fields.One2many("library.fine.rate", "table_id", string="Rates", copy=True)

    @api.constrains("grace_days", "cap_type", "cap_amount")
    def _check_numbers(self):
        for table in self:
            if table.grace_days < 0 or (table.cap_type == "fixed" and table.cap_amount <= 0):
                raise ValidationError(_("Grace days cannot be negative and a fixed cap must be positive (%(table)s).",
                                        table=table.name))

    def _rate_table(self):
        """The pure rate table (versions by effective date) of this record."""
        self.ensure_one()
        versions = {}
        for rate in self.rate_ids:
            versions.setdefault(rate.date_from, []).append((rate.from_day, rate.rate))
        if not versions:
            raise ValidationError(_("The fine table %(table)s has no rates.", table=self.name))
        return fines.RateTable(versions.items())

    def _cap(self, price):
        self.ensure_one()
        if self.cap_type == "fixed":
            return self.cap_amount
        if self.cap_type == "price":
            return price or 0.0
        return None


class LibraryFineRate(models.Model):
    _name = "library.fine.rate"
    _description = "Late Fine Rate"
    _order = "table_id, date_from desc, from_day"

    table_id = fields.Many2one("library.fine.table", required=True, ondelete="cascade", index=True)
    date_from = fields.Date(string="In Force From", required=True,
                            help="Rates change by board decision: each day of a delay is charged at the rate "
                                 "in force that day.")
    from_day = fields.Integer(string="From Day of Delay", required=True, default=1)
    rate = fields.Float(string="Daily Rate", required=True, digits=(16, 2))

    _sql_constraints = [
        ("bracket_uniq", "unique(table_id, date_from, from_day)", "A version has one rate per bracket."),
        ("positive", "CHECK(from_day >= 1 AND rate >= 0)", "Brackets start on day 1 or later; rates are not negative."),
    ]

    @api.constrains("date_from", "from_day", "table_id")
    def _check_first_bracket(self):
        for rate in self:
            firsts = rate.table_id.rate_ids.filtered(lambda r: r.date_from == rate.date_from).mapped("from_day")
            if firsts and min(firsts) != 1:
                raise ValidationError(_("The rates in force from %(date)s must start with day 1 of the delay.",
                                        date=rate.date_from))
