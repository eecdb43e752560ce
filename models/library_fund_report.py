from odoo import api, fields, models
from odoo.tools import SQL


class LibraryFundReport(models.TransientModel):
    """The book-purchase fund, read from the ledger: collected, committed, spent, available."""
    _name = "library.fund.report"
    _description = "Book-purchase Fund"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(help="Empty: since the beginning.")
    date_to = fields.Date(help="Empty: up to today.")
    collected = fields.Monetary(compute="_compute_figures", help="Fines and compensation paid, earmarked for books.")
    committed = fields.Monetary(compute="_compute_figures", help="Confirmed book purchase orders not yet billed.")
    spent = fields.Monetary(compute="_compute_figures", help="Posted vendor bills charged to the fund.")
    available = fields.Monetary(compute="_compute_figures")

    @api.depends("company_id", "date_from", "date_to")
    def _compute_figures(self):
        for report in self:
            figures = report._figures()
            report.update(figures)
            report.available = figures["collected"] - figures["committed"] - figures["spent"]

    def _figures(self):
        self.ensure_one()
        company = self.company_id._origin or self.env.company  # a new (unsaved) report holds a proxy
        fund = company.library_fund_analytic_id
        if not fund:
            return {"collected": 0.0, "committed": 0.0, "spent": 0.0}
        key = str(fund.id)
        self.env.flush_all()
        cr = self.env.cr
        period = lambda column: SQL(  # noqa: E731
            "%s AND %s",
            SQL("%s >= %s", column, self.date_from) if self.date_from else SQL("TRUE"),
            SQL("%s <= %s", column, self.date_to) if self.date_to else SQL("TRUE"))
        # Collected: money (payments, bank lines, withholdings: not credit notes) reconciled with the
        # receivable of invoices whose lines carry the fund, in proportion to the fund's share.
        cr.execute(SQL("""
            SELECT COALESCE(SUM(p.amount * share.ratio), 0)
              FROM account_partial_reconcile p
              JOIN account_move_line debit ON debit.id = p.debit_move_id
              JOIN account_move_line credit ON credit.id = p.credit_move_id
              JOIN account_move credit_move ON credit_move.id = credit.move_id
              JOIN (SELECT l.move_id,
                           SUM(l.price_subtotal * (l.analytic_distribution->>%(key)s)::numeric / 100)
                             / NULLIF(SUM(l.price_subtotal), 0) AS ratio
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                     WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND m.company_id = %(company)s
                       AND l.display_type = 'product'
                     GROUP BY l.move_id
                    HAVING SUM(CASE WHEN l.analytic_distribution ? %(key)s THEN 1 ELSE 0 END) > 0) share
                ON share.move_id = debit.move_id
             WHERE credit_move.move_type = 'entry' AND %(period)s
        """, key=key, company=company.id, period=period(SQL("p.max_date"))))
        collected = float(cr.fetchone()[0] or 0)
        # Committed: confirmed purchase order lines carrying the fund, the part not yet billed.
        cr.execute(SQL("""
            SELECT COALESCE(SUM((pol.product_qty - pol.qty_invoiced) * pol.price_unit
                                * (pol.analytic_distribution->>%(key)s)::numeric / 100), 0)
              FROM purchase_order_line pol
              JOIN purchase_order po ON po.id = pol.order_id
             WHERE po.state IN ('purchase', 'done') AND po.company_id = %(company)s
               AND pol.analytic_distribution ? %(key)s AND pol.product_qty > pol.qty_invoiced
               AND %(period)s
        """, key=key, company=company.id, period=period(SQL("po.date_approve::date"))))
        committed = float(cr.fetchone()[0] or 0)
        # Spent: posted vendor bills (and their refunds) charged to the fund.
        cr.execute(SQL("""
            SELECT COALESCE(SUM(l.balance * (l.analytic_distribution->>%(key)s)::numeric / 100), 0)
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
             WHERE m.move_type IN ('in_invoice', 'in_refund') AND m.state = 'posted'
               AND m.company_id = %(company)s AND l.analytic_distribution ? %(key)s
               AND l.display_type = 'product' AND %(period)s
        """, key=key, company=company.id, period=period(SQL("l.date"))))
        spent = float(cr.fetchone()[0] or 0)
        return {"collected": collected, "committed": committed, "spent": spent}
