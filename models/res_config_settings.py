from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    library_policy_id = fields.Many2one(
        related="company_id.library_policy_id", readonly=False,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]")
