from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    library_payroll_requested = fields.Boolean(
        string="Send to Payroll Deduction", copy=False,
        help="A library charge HR sent to the (final) payroll deduction.")
