from odoo import fields, models, tools
from odoo.tools import SQL


class LibraryFundAnalysis(models.Model):
    """The book-purchase fund's money in and money spent, line by line from the ledger.

    Money in: each settlement (POS payment, salary withholding; not a credit note) of a customer
    invoice whose lines carry the fund, in proportion to the fund's share of the invoice. Spent:
    each posted vendor bill or refund line charged to the fund. The same reading as the
    Book-purchase Fund report, so the two always agree.
    """
    _name = "library.fund.analysis"
    _description = "Book-purchase Fund Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection([("in", "Money In"), ("spent", "Spent")], readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    amount = fields.Monetary(readonly=True, help="Money in or spent, as the kind says.")
    amount_in = fields.Monetary(string="Money In", readonly=True)
    amount_spent = fields.Monetary(string="Spent", readonly=True)
    balance = fields.Monetary(string="Net", readonly=True, help="Money in less money spent.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %(view)s AS (
                WITH share AS (
                    SELECT l.move_id, c.id AS company_id,
                           SUM(l.price_subtotal * (l.analytic_distribution->>c.library_fund_analytic_id::text)::numeric
                               / 100) / NULLIF(SUM(l.price_subtotal), 0) AS ratio
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                      JOIN res_company c ON c.id = m.company_id
                     WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND l.display_type = 'product'
                       AND c.library_fund_analytic_id IS NOT NULL
                     GROUP BY l.move_id, c.id
                    HAVING bool_or(l.analytic_distribution ? c.library_fund_analytic_id::text)
                ), money_in AS (
                    SELECT p.id * 2 AS id, p.max_date AS date, share.company_id, 'in' AS kind,
                           credit.move_id, credit.partner_id, p.amount * share.ratio AS amount
                      FROM account_partial_reconcile p
                      JOIN account_move_line debit ON debit.id = p.debit_move_id
                      JOIN account_move_line credit ON credit.id = p.credit_move_id
                      JOIN account_move credit_move ON credit_move.id = credit.move_id
                      JOIN share ON share.move_id = debit.move_id
                     WHERE credit_move.move_type = 'entry'
                ), spent AS (
                    SELECT l.id * 2 + 1 AS id, l.date, m.company_id, 'spent' AS kind, m.id AS move_id, m.partner_id,
                           l.balance * (l.analytic_distribution->>c.library_fund_analytic_id::text)::numeric / 100
                             AS amount
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                      JOIN res_company c ON c.id = m.company_id
                     WHERE m.move_type IN ('in_invoice', 'in_refund') AND m.state = 'posted'
                       AND l.display_type = 'product' AND l.analytic_distribution ? c.library_fund_analytic_id::text
                )
                SELECT id, date, company_id, kind, move_id, partner_id, amount,
                       amount AS amount_in, 0 AS amount_spent, amount AS balance
                  FROM money_in
                 UNION ALL
                SELECT id, date, company_id, kind, move_id, partner_id, amount,
                       0 AS amount_in, amount AS amount_spent, -amount AS balance
                  FROM spent
            )""", view=SQL.identifier(self._table)))
