from odoo import api, fields, models, tools
from odoo.tools import SQL


class LibraryFineAnalysis(models.Model):
    """One row per fine or compensation billed, with what was paid, waived and is left, read from the ledger.

    A charge is a posted customer invoice with a line on the company's library fines or lost item
    compensation account. Paid is what money (POS payments, salary withholdings) settled on its
    receivable, waived is what credit notes settled; outstanding is the rest.
    """
    _name = "library.fine.analysis"
    _description = "Fines Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "invoice_id"

    invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    date = fields.Date(string="Billed On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    member_id = fields.Many2one("library.member", readonly=True, groups="university_library.group_librarian")
    category_id = fields.Many2one("library.member.category", string="Member Category", readonly=True)
    branch_id = fields.Many2one("library.branch", string="Library", readonly=True)
    title_id = fields.Many2one("library.title", string="Title", readonly=True)
    material_type_id = fields.Many2one("library.material.type", readonly=True)
    kind = fields.Selection([("fine", "Late Fine"), ("compensation", "Lost Item Compensation")],
                            string="Charge", readonly=True)
    amount_billed = fields.Monetary(string="Billed", readonly=True)
    amount_paid = fields.Monetary(string="Paid", readonly=True)
    amount_waived = fields.Monetary(string="Waived", readonly=True)
    amount_outstanding = fields.Monetary(string="Outstanding", readonly=True)

    @api.model
    def _charges_query(self, as_at=None):
        """The charges with their amounts in company currency; settlements up to ``as_at`` only if given."""
        until = SQL("p.max_date <= %s", as_at) if as_at else SQL("TRUE")
        return SQL("""
            WITH charge AS (
                SELECT m.id AS invoice_id, m.company_id, m.partner_id, m.invoice_date AS date,
                       m.amount_total_signed AS billed,
                       CASE WHEN bool_or(l.account_id = c.library_compensation_account_id)
                            THEN 'compensation' ELSE 'fine' END AS kind
                  FROM account_move m
                  JOIN res_company c ON c.id = m.company_id
                  JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND l.account_id IN (c.library_fine_account_id, c.library_compensation_account_id)
                 GROUP BY m.id
            ), settled AS (
                SELECT receivable.move_id AS invoice_id,
                       SUM(p.amount) FILTER (WHERE counterpart_move.move_type = 'out_refund') AS waived,
                       SUM(p.amount) FILTER (WHERE counterpart_move.move_type != 'out_refund') AS paid
                  FROM account_partial_reconcile p
                  JOIN account_move_line receivable ON receivable.id = p.debit_move_id
                  JOIN account_move_line counterpart ON counterpart.id = p.credit_move_id
                  JOIN account_move counterpart_move ON counterpart_move.id = counterpart.move_id
                 WHERE receivable.move_id IN (SELECT invoice_id FROM charge) AND %(until)s
                 GROUP BY receivable.move_id
            ), origin AS (
                SELECT invoice_id, id AS loan_id FROM library_loan WHERE invoice_id IS NOT NULL
                 UNION ALL
                SELECT invoice_id, loan_id FROM library_lost_item WHERE invoice_id IS NOT NULL
            )
            SELECT charge.invoice_id AS id, charge.invoice_id, charge.date, charge.company_id, charge.partner_id,
                   COALESCE(loan.member_id, member.id) AS member_id,
                   COALESCE(loan.category_id, member_of_loan.category_id, member.category_id) AS category_id,
                   loan.branch_id, loan.title_id, loan.material_type_id, charge.kind,
                   charge.billed AS amount_billed,
                   COALESCE(settled.paid, 0) AS amount_paid,
                   COALESCE(settled.waived, 0) AS amount_waived,
                   charge.billed - COALESCE(settled.paid, 0) - COALESCE(settled.waived, 0) AS amount_outstanding
              FROM charge
              LEFT JOIN settled ON settled.invoice_id = charge.invoice_id
              LEFT JOIN LATERAL (SELECT loan_id FROM origin WHERE origin.invoice_id = charge.invoice_id
                                  ORDER BY loan_id LIMIT 1) source ON TRUE
              LEFT JOIN library_loan loan ON loan.id = source.loan_id
              LEFT JOIN library_member member_of_loan ON member_of_loan.id = loan.member_id
              LEFT JOIN LATERAL (SELECT id, category_id FROM library_member
                                  WHERE partner_id = charge.partner_id AND loan.id IS NULL
                                  ORDER BY id LIMIT 1) member ON TRUE
        """, until=until)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table),
                                self._charges_query()))
