import secrets

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

LEAVING_REASONS = [
    ("transfer", "Transfer"),
    ("retirement", "Retirement"),
    ("end_of_service", "End of service or contract"),
    ("mission", "Mission of more than three months"),
    ("end_of_studies", "End of studies"),
    ("change_of_status", "Change of status (transfer, withdrawal)"),
]
INQUIRY_REASONS = [
    ("promotion", "Faculty promotion review"),
    ("registration", "Course registration"),
    ("evaluation", "Staff yearly evaluation"),
]


class LibraryMember(models.Model):
    _inherit = "library.member"

    clearance_ids = fields.One2many("library.clearance", "member_id", string="Clearances")

    def _clearance_blockers(self, deposits=True):
        """What the member still owes the library, in words; empty when the member is clear.

        ``deposits=False`` leaves out a deposit still held (refunded when a visitor leaves).
        """
        self.ensure_one()
        blockers = []
        loans = self.env["library.loan"].sudo().search([("member_id", "=", self.id),
                                                        ("state", "in", ("open", "overdue"))])
        if loans:
            blockers.append(_("%(count)s item(s) on loan: %(titles)s", count=len(loans),
                              titles=", ".join(loans.mapped("title_id.name")[:5])))
        unpaid = self._unpaid_total()
        if not self.currency_id.is_zero(unpaid) and unpaid > 0:
            blockers.append(_("unpaid charges of %(amount)s", amount=self._format_amount(unpaid)))
        cases = self.env["library.lost.item"].sudo().search([("member_id", "=", self.id), ("state", "=", "open")])
        for case in cases:
            blockers.append(_("lost item %(title)s not settled (%(what)s)", title=case.title_id.name,
                              what=case._resolution_label()))
        held = deposits and self.env["library.deposit"].sudo().search([("member_id", "=", self.id), ("state", "=", "held")])
        if held:
            blockers.append(_("deposit of %(amount)s to refund", amount=self._format_amount(sum(held.mapped("amount")))))
        return blockers

    def _clearance_blockers_batch(self):
        """{member id: blockers} for many members at once: four grouped queries (and one for the currencies
        of those owing money), whatever their number."""
        ids = self.ids
        result = {member_id: [] for member_id in ids}
        if not ids:
            return result
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("""SELECT member_id, count(*) FROM library_loan
                       WHERE member_id = ANY(%s) AND state IN ('open', 'overdue') GROUP BY member_id""", [ids])
        for member_id, count in cr.fetchall():
            result[member_id].append(_("%(count)s item(s) on loan", count=count))
        cr.execute("""SELECT m.id, SUM(am.amount_residual_signed)
                        FROM library_member m
                        JOIN res_company c ON c.id = m.company_id
                        JOIN account_move am ON am.partner_id = m.partner_id AND am.journal_id = c.library_journal_id
                       WHERE m.id = ANY(%s) AND am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                       GROUP BY m.id HAVING SUM(am.amount_residual_signed) > 0""", [ids])
        for member_id, amount in self._clearance_amounts(cr.fetchall()):
            result[member_id].append(_("unpaid charges of %(amount)s", amount=amount))
        cr.execute("""SELECT member_id, count(*) FROM library_lost_item
                       WHERE member_id = ANY(%s) AND state = 'open' GROUP BY member_id""", [ids])
        for member_id, count in cr.fetchall():
            result[member_id].append(_("%(count)s lost item(s) not settled", count=count))
        cr.execute("""SELECT member_id, SUM(amount) FROM library_deposit
                       WHERE member_id = ANY(%s) AND state = 'held' GROUP BY member_id""", [ids])
        for member_id, amount in self._clearance_amounts(cr.fetchall()):
            result[member_id].append(_("deposit of %(amount)s to refund", amount=amount))
        return result

    def _clearance_amounts(self, rows):
        """[(member id, formatted amount)] for rows of (member id, amount), each in its member's currency.

        The currencies are read in one query: browsing the members one by one read each of them in
        its own query (6,600 queries for 10,000 members of whom two thirds owed something).
        """
        if not rows:
            return []
        self.env.cr.execute("""SELECT m.id, c.currency_id FROM library_member m
                                 JOIN res_company c ON c.id = m.company_id
                                WHERE m.id = ANY(%s)""", [[member_id for member_id, _amount in rows]])
        currency_of = dict(self.env.cr.fetchall())
        currencies = self.env["res.currency"].browse(set(currency_of.values()))
        currency_by_id = {currency.id: currency for currency in currencies}
        return [(member_id, formatLang(self.env, float(amount), currency_obj=currency_by_id[currency_of[member_id]]))
                for member_id, amount in rows]


class LibraryClearance(models.Model):
    """Library clearance: leaving the university, or an office asking whether the member owes anything."""
    _name = "library.clearance"
    _description = "Library Clearance"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default="/")
    member_id = fields.Many2one("library.member", required=True, index=True, check_company=True)
    company_id = fields.Many2one(related="member_id.company_id", store=True)
    kind = fields.Selection([("leaving", "Leaving the university"), ("inquiry", "Inquiry")],
                            required=True, default="leaving")
    reason = fields.Selection(LEAVING_REASONS + INQUIRY_REASONS, required=True)
    state = fields.Selection([("draft", "To Check"), ("refused", "Not Cleared"), ("granted", "Cleared")],
                             default="draft", required=True, readonly=True, tracking=True)
    blockers = fields.Text(compute="_compute_blockers", string="Still Owed")
    date_granted = fields.Date(readonly=True)
    verification_code = fields.Char(readonly=True, copy=False, index=True)
    granted_by_id = fields.Many2one("res.users", readonly=True)

    _sql_constraints = [("code_uniq", "unique(verification_code)", "Verification codes are unique.")]

    @api.depends("member_id")
    def _compute_blockers(self):
        for clearance in self:
            clearance.blockers = "\n".join(clearance.member_id._clearance_blockers()) if clearance.member_id else ""

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("library.clearance") or "/"
        return super().create(vals_list)

    def action_check(self, day=None):
        """Grant the clearance when nothing is owed (refunding a visitor's deposit when leaving)."""
        day = day or fields.Date.context_today(self)
        for clearance in self:
            member = clearance.member_id
            if clearance.kind == "leaving":
                held = self.env["library.deposit"].search([("member_id", "=", member.id), ("state", "=", "held")])
                if held and not member._clearance_blockers(deposits=False):
                    held.action_refund(day)
            blockers = member._clearance_blockers()
            if blockers:
                clearance.state = "refused"
                clearance.message_post(body=_("Not cleared: %(what)s", what="; ".join(blockers)))
                continue
            clearance.write({"state": "granted", "date_granted": day, "granted_by_id": self.env.uid,
                             "verification_code": secrets.token_hex(6).upper()})
            if clearance.kind == "leaving":
                member.write({"state": "left"})
        return True

    @api.model
    def _verify(self, code):
        """Public check of a certificate: the member's name and the date, or nothing."""
        clearance = self.sudo().search([("verification_code", "=", (code or "").strip().upper()),
                                        ("state", "=", "granted")], limit=1)
        return clearance
