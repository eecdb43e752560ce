from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class LibraryFinesLedger(models.TransientModel):
    """The fines and compensation billed in a period, with what was paid, waived and is left (XLSX)."""
    _name = "library.fines.ledger"
    _description = "Fines Ledger"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company,
                                 domain=lambda self: [("id", "in", self.env.companies.ids)])
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True,
                            default=lambda self: fields.Date.context_today(self).replace(day=1))
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today,
                          help="Payments and waivers are counted up to this date.")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for ledger in self:
            if ledger.date_from > ledger.date_to:
                raise ValidationError(_("The period starts after it ends: put the earlier date in From."))

    def _rows(self):
        """The charges billed in the period, oldest first, settlements counted up to the end of the period."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(SQL(
            "SELECT * FROM (%s) charges WHERE company_id = %s AND date BETWEEN %s AND %s ORDER BY date, invoice_id",
            self.env["library.fine.analysis"]._charges_query(as_at=self.date_to),
            self.company_id.id, self.date_from, self.date_to))
        return self.env.cr.dictfetchall()

    def action_print(self):
        self.ensure_one()
        return self.env.ref("university_library.action_report_fines_ledger_xlsx").report_action(self, config=False)
