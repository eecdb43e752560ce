from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..rules import lending


class LibraryPolicyRule(models.Model):
    _name = "library.policy.rule"
    _description = "Loan Rule"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("library.policy", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    category_id = fields.Many2one("library.member.category", string="Member Category",
                                  help="Empty: every category.")
    material_type_id = fields.Many2one("library.material.type", string="Material Type",
                                       help="Empty: every material type.")
    max_items = fields.Integer(string="Maximum Items", required=True,
                               help="Items on loan at once; a line for a material type counts that type only.")
    loan_period = fields.Selection([
        (lending.PERIOD_DAYS, "Days"),
        (lending.PERIOD_TERM_END, "Until the end of the term"),
    ], required=True, default=lending.PERIOD_DAYS)
    loan_days = fields.Integer(string="Loan Days")
    high_demand_loan_days = fields.Integer(
        string="High-demand Loan Days", help="Shorter period for titles marked high-demand (0: not shortened).")
    max_renewals = fields.Integer(string="Renewals Allowed")
    unlimited_renewals = fields.Boolean(string="No Renewal Limit")

    _sql_constraints = [
        ("scope_uniq", "unique(policy_id, category_id, material_type_id)",
         "A rulebook has one line per member category and material type."),
        ("numbers_not_negative",
         "CHECK(max_items >= 0 AND loan_days >= 0 AND high_demand_loan_days >= 0 AND max_renewals >= 0)",
         "Limits, days and renewals cannot be negative."),
    ]

    @api.depends("category_id", "material_type_id", "policy_id")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = " / ".join([
                rule.policy_id.name or "",
                rule.category_id.name or _("Any category"),
                rule.material_type_id.name or _("Any material"),
            ])

    @api.constrains("loan_period", "loan_days")
    def _check_period(self):
        for rule in self:
            if rule.loan_period == lending.PERIOD_DAYS and rule.loan_days <= 0:
                raise ValidationError(_("A loan period in days needs a number of days (%(rule)s).",
                                        rule=rule.display_name))

    def _due_date(self, day, copy):
        """When a loan of ``copy`` under this rule, made on ``day``, falls due."""
        self.ensure_one()
        term_end = None
        if self.loan_period == lending.PERIOD_TERM_END:
            term_end = self.env["library.term"]._covering(day, copy.company_id).date_end or None
        shortened = self.high_demand_loan_days if copy.title_id.high_demand else 0
        try:
            return lending.due_date(day, self.loan_period, days=self.loan_days, term_end=term_end,
                                    shortened_days=shortened, is_open=copy.branch_id._open_day_predicate())
        except lending.RuleError as error:
            if error.code == "no_term":
                raise UserError(_("No academic term covers %(date)s: add it under Library › Configuration › "
                                  "Academic Terms to lend until the end of the term.",
                                  date=format_date(self.env, day)))
            if error.code == "no_open_day":
                raise UserError(_("The calendar of %(library)s has no opening day in the year after %(date)s.",
                                  library=copy.branch_id.name, date=format_date(self.env, day)))
            raise
