from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LibraryPosBatch(models.Model):
    """One day of payments on the library's bank POS terminal, checked against its settlement."""
    _name = "library.pos.batch"
    _description = "POS Terminal Daily Batch"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    date = fields.Date(required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    method_line_id = fields.Many2one("account.payment.method.line", string="Terminal", required=True)
    payment_ids = fields.Many2many("account.payment", compute="_compute_payments", string="Payments")
    payment_count = fields.Integer(compute="_compute_payments")
    total = fields.Monetary(compute="_compute_payments", string="Payments Taken")
    slip_amount = fields.Monetary(string="Settlement Slip", tracking=True,
                                  help="The total printed on the terminal's settlement slip at closing.")
    difference = fields.Monetary(compute="_compute_payments")
    state = fields.Selection([("open", "Open"), ("closed", "Closed"), ("matched", "Matched with Bank")],
                             default="open", required=True, readonly=True, tracking=True, index=True)
    statement_line_id = fields.Many2one("account.bank.statement.line", string="Bank Statement Line", readonly=True)

    _sql_constraints = [("day_uniq", "unique(date, method_line_id)", "One batch per terminal and day.")]

    @api.depends("date", "method_line_id", "slip_amount")
    def _compute_payments(self):
        for batch in self:
            payments = batch._payments()
            batch.payment_ids = payments
            batch.payment_count = len(payments)
            batch.total = sum(payments.mapped("amount"))
            batch.difference = batch.slip_amount - batch.total if batch.slip_amount else 0.0

    @api.depends("date", "method_line_id")
    def _compute_display_name(self):
        for batch in self:
            batch.display_name = f"{batch.method_line_id.name or ''} {batch.date or ''}"

    def _payments(self):
        self.ensure_one()
        if not self.method_line_id or not self.date:
            return self.env["account.payment"]
        return self.env["account.payment"].sudo().search([
            ("payment_method_line_id", "=", self.method_line_id.id), ("date", "=", self.date),
            ("payment_type", "=", "inbound"), ("state", "in", ("in_process", "paid")),
        ])

    @api.model
    def _for_day(self, day, company=None):
        company = (company or self.env.company)._library_accounting()
        batch = self.search([("date", "=", day), ("method_line_id", "=", company.library_pos_method_line_id.id)])
        return batch or self.create({"date": day, "company_id": company.id,
                                     "method_line_id": company.library_pos_method_line_id.id})

    def action_close(self):
        for batch in self:
            if not batch.slip_amount:
                raise UserError(_("Enter the total of the terminal's settlement slip before closing the day."))
            if not batch.currency_id.is_zero(batch.difference):
                batch.message_post(body=_("The settlement slip differs from the payments taken by %(diff)s.",
                                          diff=batch.difference))
            batch.state = "closed"
        return True

    def _match(self, statement_line):
        """Reconcile the bank's settlement line with the day's payments (their outstanding receipts)."""
        self.ensure_one()
        if self.state != "closed":
            raise UserError(_("Close the day (enter the settlement slip) before matching it with the bank."))
        if self.currency_id.compare_amounts(statement_line.amount, self.total) != 0:
            raise UserError(_("The bank line (%(line)s) does not equal the payments of the day (%(total)s).",
                              line=statement_line.amount, total=self.total))
        account = self.method_line_id.payment_account_id
        payment_lines = self.payment_ids.move_id.line_ids.filtered(
            lambda l: l.account_id == account and not l.reconciled)
        _liquidity, suspense, _other = statement_line.with_context(
            skip_account_move_synchronization=True)._seek_for_lines()
        suspense.with_context(skip_account_move_synchronization=True).account_id = account
        (suspense + payment_lines).reconcile()
        self.write({"statement_line_id": statement_line.id, "state": "matched"})
        return True


class LibraryPosBatchMatch(models.TransientModel):
    _name = "library.pos.batch.match"
    _description = "Match a POS Batch with the Bank"

    batch_id = fields.Many2one("library.pos.batch", required=True)
    statement_line_id = fields.Many2one(
        "account.bank.statement.line", required=True,
        domain="[('is_reconciled', '=', False), ('amount', '>', 0)]")

    def action_match(self):
        self.batch_id._match(self.statement_line_id)
        return {"type": "ir.actions.act_window_close"}
