from odoo import _, fields, models
from odoo.exceptions import UserError

from ..rules import lending


class LibraryPolicy(models.Model):
    _name = "library.policy"
    _description = "Rulebook"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: available to every company.")
    description = fields.Html(translate=True, help="Where the rules come from (approval, date).")
    rule_ids = fields.One2many("library.policy.rule", "policy_id", string="Loan Rules", copy=True)
    hold_pickup_hours = fields.Integer(
        string="Hold Kept (hours)", default=48,
        help="How long a copy waits on the hold shelf before it passes to the next member.")
    renewal_blocked_by_hold = fields.Boolean(
        string="A Hold Forbids Renewal",
        help="A loan cannot be renewed while another member is waiting for the title.")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each rulebook needs its own code."),
        ("pickup_positive", "CHECK(hold_pickup_hours > 0)", "A hold must be kept for at least one hour."),
    ]

    def _get_rule(self, category, material_type):
        """The loan rule for a member category and material type (most specific line wins)."""
        self.ensure_one()
        key = lending.select_rule(
            ((rule, rule.category_id.id, rule.material_type_id.id) for rule in self.rule_ids),
            category.id, material_type.id)
        if not key:
            raise UserError(_("The rulebook %(policy)s has no loan rule for %(category)s borrowing %(type)s.",
                              policy=self.name, category=category.name, type=material_type.name))
        return key

    def _get_general_rule(self, category):
        """The line for the category whatever the material (no material type): its limit counts every item."""
        self.ensure_one()
        key = lending.select_rule(
            ((rule, rule.category_id.id, rule.material_type_id.id) for rule in self.rule_ids
             if not rule.material_type_id), category.id, False)
        return key or self.env["library.policy.rule"]
