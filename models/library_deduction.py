import io
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class LibraryDeductionBatch(models.Model):
    """Staff fines deducted from salary: HR opens a batch per payroll period, finance approves it,
    HR (or the payroll module) marks it deducted, which settles the fines in accounting."""
    _name = "library.deduction.batch"
    _description = "Payroll Deduction Batch"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, default="/", copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Period From", required=True)
    date_to = fields.Date(string="Period To", required=True)
    state = fields.Selection([
        ("draft", "Draft"), ("approved", "Approved by Finance"), ("deducted", "Deducted"), ("cancelled", "Cancelled"),
    ], default="draft", required=True, readonly=True, tracking=True)
    line_ids = fields.One2many("library.deduction.line", "batch_id", string="Employees")
    total = fields.Monetary(compute="_compute_total")

    @api.depends("line_ids.amount", "line_ids.state")
    def _compute_total(self):
        for batch in self:
            batch.total = sum(batch.line_ids.filtered(lambda l: l.state != "dropped").mapped("amount"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("library.deduction.batch") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    def _eligible_invoices(self):
        """Unpaid library fines of staff: sent to payroll by HR, or escalated long enough ago."""
        self.ensure_one()
        company = self.company_id._library_accounting()
        policy = company._library_policy()
        in_other = self.search([("id", "!=", self.id), ("state", "in", ("draft", "approved"))]).line_ids.invoice_ids
        Move = self.env["account.move"].sudo()
        base = [("journal_id", "=", company.library_journal_id.id), ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"), ("payment_state", "in", ("not_paid", "partial")),
                ("id", "not in", in_other.ids)]
        requested = Move.search(base + [("library_payroll_requested", "=", True)])
        limit = self.date_to - timedelta(days=policy.deduction_after_days)
        escalated_loans = self.env["library.loan"].sudo().search([
            ("escalation_date", "!=", False), ("escalation_date", "<=", limit), ("invoice_id", "!=", False)])
        escalated = Move.search(base + [("id", "in", escalated_loans.invoice_id.ids)])
        return requested | escalated

    def action_compute(self):
        for batch in self:
            if batch.state != "draft":
                raise UserError(_("Only a draft batch can be recomputed."))
            by_member = {}
            members = self.env["library.member"].sudo().search([("employee_id", "!=", False),
                                                                ("company_id", "=", batch.company_id.id)])
            partner_member = {member.partner_id: member for member in members}
            for invoice in batch._eligible_invoices():
                member = partner_member.get(invoice.partner_id)
                if member:
                    by_member.setdefault(member, self.env["account.move"])
                    by_member[member] |= invoice
            batch.line_ids = [Command.clear()] + [Command.create({
                "member_id": member.id, "employee_id": member.sudo().employee_id.id,
                "invoice_ids": [Command.set(invoices.ids)],
            }) for member, invoices in by_member.items()]
        return True

    def action_approve(self):
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(_("Finance approves payroll deduction batches."))
        for batch in self:
            if batch.state != "draft":
                raise UserError(_("Only a draft batch can be approved."))
            batch.line_ids._refresh()
            batch.state = "approved"
        return True

    def action_mark_deducted(self):
        """Payroll has run: settle every line's fines against the salary-withholding account."""
        for batch in self:
            if batch.state != "approved":
                raise UserError(_("Batch %(batch)s is %(state)s: only an approved batch can be marked deducted.",
                                  batch=batch.name, state=dict(batch._fields["state"]._description_selection(
                                      self.env))[batch.state]))
            batch.line_ids.filtered(lambda l: l.state == "to_deduct")._post_deduction()
            batch.state = "deducted"
        return True

    def action_cancel(self):
        for batch in self:
            if batch.state == "deducted":
                raise UserError(_("A deducted batch cannot be cancelled: reverse its withholding entries."))
            batch.state = "cancelled"
        return True

    def action_export_xlsx(self):
        """The batch for any payroll system: employee id, name, amount, detail."""
        self.ensure_one()
        import xlsxwriter
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = book.add_worksheet(self.name.replace("/", "-"))
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": "#,##0"})
        for col, header in enumerate([_("Employee ID"), _("Name"), _("Amount"), _("Detail")]):
            sheet.write(0, col, header, bold)
        row = 0
        for row, line in enumerate(self.line_ids.filtered(lambda l: l.state != "dropped"), start=1):
            sheet.write(row, 0, line.sudo().employee_id.barcode or line.sudo().employee_id.id)
            sheet.write(row, 1, line.member_id.name)
            sheet.write_number(row, 2, line.amount, money)
            sheet.write(row, 3, line.detail or "")
        sheet.write(row + 1, 1, _("Total"), bold)
        sheet.write_number(row + 1, 2, self.total, money)
        sheet.set_column(0, 3, 24)
        book.close()
        return self.env["library.member"]._xlsx_download(f"{self.name.replace('/', '-')}.xlsx",
                                                         output.getvalue(), self)

    # ------------------------------------------------------------------
    # The hook payroll modules call
    # ------------------------------------------------------------------
    @api.model
    def get_deductions_for_employee(self, employee, date_from, date_to):
        """Approved library deductions of ``employee`` for the payroll period: (amount, lines)."""
        lines = self.env["library.deduction.line"].sudo().search([
            ("employee_id", "=", employee.id), ("state", "=", "to_deduct"), ("batch_id.state", "=", "approved"),
            ("batch_id.date_from", "<=", date_to), ("batch_id.date_to", ">=", date_from),
        ])
        lines._refresh()
        lines = lines.filtered(lambda l: l.state == "to_deduct")
        return sum(lines.mapped("amount")), lines

    @api.model
    def confirm_deducted(self, employee, date_from, date_to, reference=None):
        """Payroll deducted them: settle the fines (each line once, whatever calls it twice)."""
        _amount, lines = self.get_deductions_for_employee(employee, date_from, date_to)
        lines._post_deduction(reference)
        for batch in lines.batch_id:
            if all(line.state != "to_deduct" for line in batch.line_ids):
                batch.state = "deducted"
        return lines


class LibraryDeductionLine(models.Model):
    _name = "library.deduction.line"
    _description = "Payroll Deduction Line"

    batch_id = fields.Many2one("library.deduction.batch", required=True, ondelete="cascade", index=True)
    member_id = fields.Many2one("library.member", required=True)
    employee_id = fields.Many2one("hr.employee", index=True)
    currency_id = fields.Many2one(related="batch_id.currency_id")
    invoice_ids = fields.Many2many("account.move", string="Fines Covered")
    amount = fields.Monetary(compute="_compute_amount", store=True)
    detail = fields.Char(compute="_compute_amount", store=True)
    state = fields.Selection([("to_deduct", "To Deduct"), ("deducted", "Deducted"), ("dropped", "Paid Meanwhile")],
                             default="to_deduct", required=True, readonly=True)
    move_id = fields.Many2one("account.move", string="Withholding Entry", readonly=True)

    @api.depends("invoice_ids.amount_residual")
    def _compute_amount(self):
        for line in self:
            invoices = line.invoice_ids.sudo()
            line.amount = sum(invoices.mapped("amount_residual"))
            line.detail = ", ".join(f"{inv.name} ({inv.invoice_origin or ''})" for inv in invoices)

    def _refresh(self):
        """A fine paid at the desk meanwhile drops out; a line with nothing left is dropped."""
        for line in self.filtered(lambda l: l.state == "to_deduct"):
            paid = line.invoice_ids.sudo().filtered(lambda inv: inv.payment_state not in ("not_paid", "partial"))
            if paid:
                line.invoice_ids = [Command.unlink(inv.id) for inv in paid]
            if not line.invoice_ids or line.currency_id.is_zero(line.amount):
                line.state = "dropped"

    def _post_deduction(self, reference=None):
        """One entry per line in the payroll-withholding journal, reconciled with the fines."""
        self._refresh()
        for line in self.filtered(lambda l: l.state == "to_deduct"):
            company = line.batch_id.company_id._library_accounting()
            invoices = line.invoice_ids.sudo()
            receivables = invoices.line_ids.filtered(
                lambda l: l.account_id.account_type == "asset_receivable" and not l.reconciled)
            partner = line.member_id.partner_id
            move = self.env["account.move"].sudo().with_company(company).create({
                "move_type": "entry",
                "journal_id": company.library_withholding_journal_id.id,
                "date": line.batch_id.date_to,
                "ref": reference or _("Library fines deducted from salary (%(batch)s)", batch=line.batch_id.name),
                "line_ids": [
                    Command.create({"account_id": company.library_withholding_account_id.id, "partner_id": partner.id,
                                    "debit": line.amount, "credit": 0.0, "name": line.member_id.name}),
                    Command.create({"account_id": receivables[:1].account_id.id, "partner_id": partner.id,
                                    "debit": 0.0, "credit": line.amount, "name": line.detail}),
                ],
            })
            move.action_post()
            (move.line_ids.filtered(lambda l: l.account_id == receivables[:1].account_id) | receivables).reconcile()
            line.write({"state": "deducted", "move_id": move.id})
