from odoo import Command, _, fields, models
from odoo.exceptions import UserError

# Accounts the library adds to the company's chart: (field, code, name, type, reconcile)
LIBRARY_ACCOUNTS = [
    ("library_fine_account_id", "400710", "Library fines", "income", False),
    ("library_compensation_account_id", "400720", "Lost item compensation", "income", False),
    ("library_service_account_id", "400730", "Library services (printing, membership)", "income", False),
    ("library_pos_account_id", "101470", "Bank POS terminal: outstanding receipts", "asset_current", True),
    ("library_deposit_account_id", "201470", "Library deposits held", "liability_current", False),
    ("library_withholding_account_id", "201480", "Salary withholding clearing (library fines)",
     "liability_current", False),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    library_policy_id = fields.Many2one(
        "library.policy", string="Active Rulebook",
        help="The circulation rulebook the desk applies for this company.")
    library_journal_id = fields.Many2one("account.journal", string="Library Sales Journal")
    library_bank_journal_id = fields.Many2one("account.journal", string="University Bank Journal",
                                              help="The bank journal the library's POS terminal pays into.")
    library_pos_method_line_id = fields.Many2one("account.payment.method.line", string="POS Terminal Method")
    library_fund_analytic_id = fields.Many2one("account.analytic.account", string="Book-purchase Fund")
    library_fine_account_id = fields.Many2one("account.account")
    library_compensation_account_id = fields.Many2one("account.account")
    library_service_account_id = fields.Many2one("account.account")
    library_pos_account_id = fields.Many2one("account.account")
    library_deposit_account_id = fields.Many2one("account.account")
    library_withholding_account_id = fields.Many2one("account.account")
    library_withholding_journal_id = fields.Many2one("account.journal", string="Payroll Withholding Journal")
    library_bank_account_number = fields.Char(
        string="University Account Number", help="The university's legal account, printed on receipts.")

    def _library_policy(self):
        """The active rulebook, or a refusal the librarian can act on."""
        self.ensure_one()
        if not self.library_policy_id:
            raise UserError(_("No rulebook is active for %(company)s: choose one in Settings › Library.",
                              company=self.name))
        return self.library_policy_id

    def _library_accounting(self):
        """The library's journal, accounts, fund and POS method for this company, created on first use."""
        self.ensure_one()
        company = self.sudo()
        if (company.library_journal_id and company.library_pos_method_line_id
                and company.library_withholding_journal_id):
            return company
        if not company.chart_template and not self.env["account.account"].sudo().search_count(
                [("company_ids", "in", company.id)], limit=1):
            raise UserError(_("%(company)s has no chart of accounts yet: install one in Accounting settings "
                              "before the library bills anything.", company=company.name))
        env = company.with_company(company).env
        Account = env["account.account"]
        vals = {}
        for field, code, name, account_type, reconcile in LIBRARY_ACCOUNTS:
            if company[field]:
                continue
            account = Account.search([("code", "=", code), ("company_ids", "in", company.id)], limit=1)
            vals[field] = (account or Account.create({
                "code": code, "name": name, "account_type": account_type, "reconcile": reconcile,
                "company_ids": [Command.link(company.id)],
            })).id
        company.write(vals)
        if not company.library_journal_id:
            company.library_journal_id = env["account.journal"].create({
                "name": _("Library"), "code": "LIB", "type": "sale", "company_id": company.id,
                "default_account_id": company.library_fine_account_id.id,
            })
        if not company.library_withholding_journal_id:
            company.library_withholding_journal_id = env["account.journal"].create({
                "name": _("Payroll withholding"), "code": "PAYW", "type": "general", "company_id": company.id,
            })
        if not company.library_fund_analytic_id:
            plan = env["account.analytic.plan"].search([("name", "=", "Library funds")], limit=1) \
                or env["account.analytic.plan"].create({"name": "Library funds"})
            company.library_fund_analytic_id = env["account.analytic.account"].create({
                "name": _("Book-purchase fund"), "code": "BOOKFUND", "plan_id": plan.id, "company_id": company.id,
            })
            books = env.ref("university_library.product_category_books", raise_if_not_found=False)
            if books:
                env["account.analytic.distribution.model"].create({
                    "product_categ_id": books.id, "company_id": company.id,
                    "analytic_distribution": {str(company.library_fund_analytic_id.id): 100},
                })
        for xmlid, field in (("product_library_fine", "library_fine_account_id"),
                             ("product_library_compensation", "library_compensation_account_id"),
                             ("product_library_printing", "library_service_account_id"),
                             ("product_library_membership", "library_service_account_id")):
            product = env.ref(f"university_library.{xmlid}").with_company(company)
            if not product.property_account_income_id:
                product.property_account_income_id = company[field]
        if not company.library_pos_method_line_id:
            bank = company.library_bank_journal_id or env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
            if not bank:
                raise UserError(_("%(company)s has no bank journal for the library's POS terminal.",
                                  company=company.name))
            method = env.ref("university_library.payment_method_library_pos")
            line = bank.inbound_payment_method_line_ids.filtered(lambda l: l.payment_method_id == method)[:1]
            if not line:
                line = env["account.payment.method.line"].create({
                    "name": method.name, "payment_method_id": method.id, "journal_id": bank.id})
            line.payment_account_id = company.library_pos_account_id
            company.write({"library_bank_journal_id": bank.id, "library_pos_method_line_id": line.id})
        return company
