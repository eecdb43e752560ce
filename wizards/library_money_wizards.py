from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class LibraryLostDeclare(models.TransientModel):
    _name = "library.lost.declare"
    _description = "Declare a Copy Lost or Damaged"

    loan_id = fields.Many2one("library.loan", required=True)
    kind = fields.Selection([("lost", "Lost"), ("damaged", "Damaged (cut pages, unusable)")],
                            required=True, default="lost")
    resolution = fields.Selection([
        ("replacement", "The member brings a replacement"),
        ("compensation", "The member pays compensation"),
    ], required=True, default="replacement")

    def action_declare(self):
        self.ensure_one()
        case = self.env["library.lost.item"]._declare(self.loan_id, self.kind)
        case.resolution = self.resolution
        return {"type": "ir.actions.act_window", "res_model": "library.lost.item", "res_id": case.id,
                "view_mode": "form"}


class LibraryReplacementAccept(models.TransientModel):
    _name = "library.replacement.accept"
    _description = "Accept a Replacement Copy"

    lost_item_id = fields.Many2one("library.lost.item", required=True)
    barcode = fields.Char(string="Barcode of the New Copy", required=True)
    latest_printing = fields.Boolean(string="Same Title, Latest Printing")
    is_photocopy = fields.Boolean(string="It Is a Photocopy")
    other_title_id = fields.Many2one(
        "library.title", string="Another Title (Not on the Market)",
        help="When the lost title cannot be bought, the library director may accept another title instead.")

    def action_accept(self):
        self.ensure_one()
        self.lost_item_id._accept_replacement(self.barcode.strip(), self.latest_printing, self.is_photocopy,
                                              other_title=self.other_title_id)
        return {"type": "ir.actions.act_window_close"}


class LibraryChargeWaive(models.TransientModel):
    """Waive or reduce a library charge: a credit note with the reason, never a deletion."""
    _name = "library.charge.waive"
    _description = "Waive a Library Charge"

    invoice_id = fields.Many2one("account.move", required=True, domain="[('move_type', '=', 'out_invoice')]")
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    residual = fields.Monetary(related="invoice_id.amount_residual", string="Left to Pay")
    amount = fields.Monetary(string="Amount Waived", required=True)
    reason = fields.Text(required=True)

    @api.onchange("invoice_id")
    def _onchange_invoice_id(self):
        self.amount = self.invoice_id.amount_residual

    def action_waive(self, day=None):
        self.ensure_one()
        if not self.env.user.has_group("university_library.group_library_manager"):
            raise UserError(_("Only the library head (Library Manager) can waive or reduce a charge."))
        invoice = self.invoice_id.sudo()
        if invoice.state != "posted" or invoice.payment_state not in ("not_paid", "partial"):
            raise UserError(_("%(invoice)s has nothing left to waive.", invoice=invoice.name))
        if not self.reason or not self.reason.strip():
            raise UserError(_("Give the reason for the waiver."))
        if self.amount <= 0 or invoice.currency_id.compare_amounts(self.amount, invoice.amount_residual) > 0:
            raise UserError(_("The amount waived must be more than zero and at most %(residual)s.",
                              residual=invoice.amount_residual))
        day = day or fields.Date.context_today(self)
        refund = invoice._reverse_moves([{
            "ref": _("Waiver: %(reason)s", reason=self.reason), "invoice_date": day, "date": day,
        }])
        if invoice.currency_id.compare_amounts(self.amount, invoice.amount_total) != 0:
            line = refund.invoice_line_ids[:1]
            refund.write({"invoice_line_ids": [Command.update(line.id, {"quantity": 1, "price_unit": self.amount})]
                          + [Command.delete(other.id) for other in refund.invoice_line_ids[1:]]})
        refund.action_post()
        (invoice.line_ids | refund.line_ids).filtered(
            lambda l: l.account_id.account_type == "asset_receivable" and not l.reconciled).reconcile()
        body = _("%(amount)s waived by %(user)s: %(reason)s", amount=self.amount, user=self.env.user.name,
                 reason=self.reason)
        invoice.message_post(body=body)
        refund.message_post(body=body)
        return refund


class LibraryPrintCharge(models.TransientModel):
    _name = "library.print.charge"
    _description = "Bill Article Printing"

    member_id = fields.Many2one("library.member", required=True)
    pages = fields.Integer(required=True, default=1)

    def action_bill(self, day=None):
        self.ensure_one()
        if self.pages <= 0:
            raise UserError(_("Give the number of pages printed."))
        policy = self.member_id.company_id._library_policy()
        rate = policy._get_print_rate(self.member_id.category_id)
        if not rate:
            raise UserError(_("The rulebook %(policy)s has no printing rate for %(category)s.",
                              policy=policy.name, category=self.member_id.category_id.name))
        return self.member_id._bill_charge(
            "product_library_printing", rate.rate * self.pages, day or fields.Date.context_today(self),
            _("Article printing: %(pages)s page(s)", pages=self.pages), quantity=self.pages)


class LibraryTakePayment(models.TransientModel):
    """Take a payment on the library's bank POS terminal for all or some of a member's charges."""
    _name = "library.take.payment"
    _description = "Take Payment on the POS Terminal"

    member_id = fields.Many2one("library.member", required=True)
    invoice_ids = fields.Many2many("account.move", string="Charges to Pay",
                                   domain="[('id', 'in', available_invoice_ids)]")
    available_invoice_ids = fields.Many2many("account.move", "library_take_payment_available_rel",
                                             compute="_compute_available_invoice_ids")
    currency_id = fields.Many2one(related="member_id.currency_id")
    amount = fields.Monetary(compute="_compute_amount", string="Amount to Take")
    terminal_reference = fields.Char(help="The reference printed by the terminal (trace number).")

    @api.depends("member_id")
    def _compute_available_invoice_ids(self):
        for wizard in self:
            wizard.available_invoice_ids = wizard.member_id._open_charges()

    @api.depends("invoice_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.invoice_ids.sudo().mapped("amount_residual"))

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if values.get("member_id") and "invoice_ids" in fields_list:
            member = self.env["library.member"].browse(values["member_id"])
            values["invoice_ids"] = [Command.set(member._open_charges().ids)]
        return values

    def action_take(self, day=None):
        """Register one payment (POS terminal method) reconciled with the chosen charges."""
        self.ensure_one()
        invoices = self.invoice_ids.sudo()
        open_charges = self.member_id._open_charges()
        if not invoices:
            raise UserError(_("Choose at least one charge to pay."))
        if invoices - open_charges:
            raise UserError(_("%(invoices)s are not open charges of %(member)s.",
                              invoices=", ".join((invoices - open_charges).mapped("name")),
                              member=self.member_id.name))
        company = self.member_id.company_id._library_accounting()
        register = self.env["account.payment.register"].sudo().with_company(company).with_context(
            active_model="account.move", active_ids=invoices.ids).create({
                "journal_id": company.library_bank_journal_id.id,
                "payment_method_line_id": company.library_pos_method_line_id.id,
                "payment_date": day or fields.Date.context_today(self),
                "group_payment": True,
                "communication": self.terminal_reference or ", ".join(invoices.mapped("name")),
            })
        payments = register._create_payments()
        self.env["library.pos.batch"].sudo()._for_day(payments[:1].date, company)
        return payments
