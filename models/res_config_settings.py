from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    library_policy_id = fields.Many2one(
        related="company_id.library_policy_id", readonly=False,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]")
    library_sms_provider = fields.Selection(related="company_id.library_sms_provider", readonly=False)
    library_sms_url = fields.Char(related="company_id.library_sms_url", readonly=False)
    library_sms_method = fields.Selection(related="company_id.library_sms_method", readonly=False)
    library_sms_body = fields.Text(related="company_id.library_sms_body", readonly=False)
    library_sms_auth_header = fields.Char(related="company_id.library_sms_auth_header", readonly=False)
    library_sms_success = fields.Char(related="company_id.library_sms_success", readonly=False)
    library_sms_timeout = fields.Integer(related="company_id.library_sms_timeout", readonly=False)
