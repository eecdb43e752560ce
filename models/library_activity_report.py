from datetime import date

from odoo import _, api, fields, models
from odoo.tools import SQL


class LibraryActivityReport(models.TransientModel):
    """The library's yearly activity for the university: loans, members, holds and money, read in SQL."""
    _name = "library.activity.report"
    _description = "Yearly Activity Report"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    year = fields.Selection(selection="_year_selection", required=True,
                            default=lambda self: str(fields.Date.context_today(self).year))
    summary_html = fields.Html(compute="_compute_summary_html", sanitize=False)

    @api.model
    def _year_selection(self):
        this_year = fields.Date.context_today(self).year
        return [(str(year), str(year)) for year in range(this_year, this_year - 30, -1)]

    @api.depends("company_id", "year")
    def _compute_summary_html(self):
        for report in self:
            figures = report._figures()
            rows = "".join(f"<tr><td>{label}</td><td class='text-end'>{value:,}</td></tr>"
                           for label, value in figures["totals"].items())
            months = "".join(f"<tr><td>{month}</td><td class='text-end'>{count:,}</td></tr>"
                             for month, count in figures["loans_by_month"])
            categories = "".join(f"<tr><td>{name}</td><td class='text-end'>{count:,}</td></tr>"
                                 for name, count in figures["loans_by_category"])
            report.summary_html = (
                f"<table class='table table-sm'><tbody>{rows}</tbody></table>"
                f"<h4>{_('Loans by month')}</h4><table class='table table-sm'><tbody>{months}</tbody></table>"
                f"<h4>{_('Loans by member category')}</h4><table class='table table-sm'><tbody>{categories}</tbody></table>")

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env.ref("university_library.action_report_activity_xlsx").report_action(self, config=False)

    def _figures(self):
        self.ensure_one()
        company = self.company_id._origin or self.env.company
        year = int(self.year)
        start, end = date(year, 1, 1), date(year, 12, 31)
        self.env.flush_all()
        cr = self.env.cr

        def scalar(query):
            cr.execute(query)
            return cr.fetchone()[0] or 0

        totals = {
            _("Loans"): scalar(SQL("SELECT count(*) FROM library_loan WHERE company_id = %s AND date_checkout "
                                   "BETWEEN %s AND %s", company.id, start, end)),
            _("Returns"): scalar(SQL("SELECT count(*) FROM library_loan WHERE company_id = %s AND date_returned "
                                     "BETWEEN %s AND %s AND state = 'returned'", company.id, start, end)),
            _("Renewals"): scalar(SQL("SELECT COALESCE(SUM(renewal_count), 0) FROM library_loan WHERE company_id = %s "
                                      "AND date_checkout BETWEEN %s AND %s", company.id, start, end)),
            _("Active borrowers"): scalar(SQL("SELECT count(DISTINCT member_id) FROM library_loan WHERE company_id = %s "
                                              "AND date_checkout BETWEEN %s AND %s", company.id, start, end)),
            _("New members"): scalar(SQL("SELECT count(*) FROM library_member WHERE company_id = %s AND date_start "
                                         "BETWEEN %s AND %s", company.id, start, end)),
            _("Items lost or damaged"): scalar(SQL("SELECT count(*) FROM library_lost_item li JOIN library_loan l "
                                                   "ON l.id = li.loan_id WHERE l.company_id = %s AND li.date_declared "
                                                   "BETWEEN %s AND %s", company.id, start, end)),
            _("Holds served"): scalar(SQL("SELECT count(*) FROM library_hold WHERE company_id = %s AND state = "
                                          "'fulfilled' AND date_placed BETWEEN %s AND %s", company.id, start, end)),
            _("Holds expired"): scalar(SQL("SELECT count(*) FROM library_hold WHERE company_id = %s AND state = "
                                           "'expired' AND date_placed BETWEEN %s AND %s", company.id, start, end)),
            _("Late fines billed"): int(scalar(SQL("SELECT COALESCE(SUM(fine_amount), 0) FROM library_loan WHERE "
                                                   "company_id = %s AND invoice_id IS NOT NULL AND date_returned "
                                                   "BETWEEN %s AND %s", company.id, start, end))),
        }
        cr.execute(SQL("""SELECT to_char(date_checkout, 'YYYY-MM'), count(*) FROM library_loan
                           WHERE company_id = %s AND date_checkout BETWEEN %s AND %s GROUP BY 1 ORDER BY 1""",
                       company.id, start, end))
        by_month = cr.fetchall()
        cr.execute(SQL("""SELECT COALESCE(c.name->>%s, c.name->>'en_US'), count(*) FROM library_loan l
                            JOIN library_member_category c ON c.id = l.category_id
                           WHERE l.company_id = %s AND l.date_checkout BETWEEN %s AND %s GROUP BY 1 ORDER BY 2 DESC""",
                       self.env.lang or "en_US", company.id, start, end))
        by_category = cr.fetchall()
        cr.execute(SQL("""SELECT t.name, count(*) FROM library_loan l JOIN library_title t ON t.id = l.title_id
                           WHERE l.company_id = %s AND l.date_checkout BETWEEN %s AND %s
                           GROUP BY t.name ORDER BY 2 DESC, 1 LIMIT 10""", company.id, start, end))
        top_titles = cr.fetchall()
        return {"totals": totals, "loans_by_month": by_month, "loans_by_category": by_category,
                "top_titles": top_titles}
