from odoo import _, fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    _inherit = "res.company"

    library_policy_id = fields.Many2one(
        "library.policy", string="Active Rulebook",
        help="The circulation rulebook the desk applies for this company.")

    def _library_policy(self):
        """The active rulebook, or a refusal the librarian can act on."""
        self.ensure_one()
        if not self.library_policy_id:
            raise UserError(_("No rulebook is active for %(company)s: choose one in Settings › Library.",
                              company=self.name))
        return self.library_policy_id
