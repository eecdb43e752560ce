from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LibraryDeposit(models.Model):
    """Cash deposit of an outside member, held in a liability account until it is refunded."""
    _name = "library.deposit"
    _description = "Library Deposit"
    _inherit = ["mail.thread"]
    _check_company_auto = True

    member_id = fields.Many2one("library.member", required=True, index=True, check_company=True)
    company_id = fields.Many2one(related="member_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True)
    state = fields.Selection([("draft", "To Receive"), ("held", "Held"), ("refunded", "Refunded")],
                             default="draft", required=True, readonly=True, tracking=True)
    payment_id = fields.Many2one("account.payment", string="Received", readonly=True)
    refund_payment_id = fields.Many2one("account.payment", string="Refunded", readonly=True)

    _sql_constraints = [("amount_positive", "CHECK(amount > 0)", "A deposit must be more than zero.")]

    @api.depends("member_id", "amount")
    def _compute_display_name(self):
        for deposit in self:
            deposit.display_name = _("Deposit of %(member)s", member=deposit.member_id.name or "")

    def _payment(self, payment_type, method_line, day):
        company = self.company_id._library_accounting()
        payment = self.env["account.payment"].sudo().with_company(company).create({
            "payment_type": payment_type,
            "partner_type": "customer",
            "partner_id": self.member_id.partner_id.id,
            "amount": self.amount,
            "date": day,
            "journal_id": company.library_bank_journal_id.id,
            "payment_method_line_id": method_line.id,
            "destination_account_id": company.library_deposit_account_id.id,
            "memo": _("Library deposit of %(member)s", member=self.member_id.name),
        })
        payment.action_post()
        return payment

    def action_receive(self, day=None):
        """Received on the POS terminal, into the deposits liability account."""
        for deposit in self:
            if deposit.state != "draft":
                raise UserError(_("This deposit was already received."))
            company = deposit.company_id._library_accounting()
            deposit.write({"payment_id": deposit._payment(
                "inbound", company.library_pos_method_line_id, day or fields.Date.context_today(self)).id,
                "state": "held"})
        return True

    def action_refund(self, day=None):
        """Paid back when the member leaves (part of the clearance)."""
        for deposit in self:
            if deposit.state != "held":
                raise UserError(_("Only a deposit held can be refunded."))
            company = deposit.company_id._library_accounting()
            method_line = company.library_bank_journal_id.outbound_payment_method_line_ids[:1]
            deposit.write({"refund_payment_id": deposit._payment(
                "outbound", method_line, day or fields.Date.context_today(self)).id, "state": "refunded"})
        return True
