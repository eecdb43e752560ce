from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..rules import lending

OPEN_STATES = ("open", "overdue")


class LibraryLoan(models.Model):
    _name = "library.loan"
    _description = "Loan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_checkout desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    member_id = fields.Many2one("library.member", required=True, readonly=True, index=True, check_company=True)
    partner_id = fields.Many2one(related="member_id.partner_id")
    category_id = fields.Many2one("library.member.category", string="Member Category", readonly=True,
                                  help="The member's category when the item was lent.")
    copy_id = fields.Many2one("library.copy", required=True, readonly=True, index=True, check_company=True)
    title_id = fields.Many2one(related="copy_id.title_id", store=True, index=True)
    material_type_id = fields.Many2one(related="copy_id.material_type_id", store=True)
    branch_id = fields.Many2one("library.branch", string="Library", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    rule_id = fields.Many2one("library.policy.rule", string="Loan Rule", readonly=True,
                              help="The rulebook line that set the period, the limit and the renewals.")
    state = fields.Selection([
        ("open", "On Loan"),
        ("overdue", "Overdue"),
        ("returned", "Returned"),
        ("lost", "Lost"),
    ], default="open", required=True, readonly=True, tracking=True, index=True)
    date_checkout = fields.Date(string="Lent On", required=True, readonly=True, index=True)
    due_date = fields.Date(required=True, readonly=True, tracking=True, index=True)
    date_returned = fields.Date(string="Returned On", readonly=True, tracking=True)
    renewal_count = fields.Integer(string="Renewals", readonly=True)
    days_overdue = fields.Integer(compute="_compute_days_overdue")
    checkout_user_id = fields.Many2one("res.users", string="Lent By", readonly=True)
    return_user_id = fields.Many2one("res.users", string="Received By", readonly=True)

    def init(self):
        # The last line of defence against lending a copy twice (the desk also locks the copy row).
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS library_loan_copy_open_uniq
                ON library_loan (copy_id) WHERE state IN ('open', 'overdue')
        """)
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS library_loan_member_open_idx
                ON library_loan (member_id) WHERE state IN ('open', 'overdue')
        """)

    @api.depends("due_date", "date_returned", "state")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for loan in self:
            end = loan.date_returned or today
            late = (end - loan.due_date).days if loan.due_date and loan.state != "lost" else 0
            loan.days_overdue = max(late, 0)

    @api.depends("title_id", "name")
    def _compute_display_name(self):
        for loan in self:
            loan.display_name = f"{loan.name} {loan.title_id.name or ''}".strip()

    # ------------------------------------------------------------------
    # Checkout
    # ------------------------------------------------------------------
    @api.model
    def _lock_for_checkout(self, member, copy):
        """Lock the copy (and the member) so two desks cannot lend the same copy, or exceed a limit."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("SELECT id FROM library_copy WHERE id = %s FOR UPDATE NOWAIT", [copy.id])
        except pg_errors.LockNotAvailable:
            raise UserError(_("%(copy)s is being lent or returned at another desk right now.",
                              copy=copy.display_name)) from None
        self.env.cr.execute("SELECT id FROM library_member WHERE id = %s FOR UPDATE", [member.id])
        member.invalidate_recordset()
        copy.invalidate_recordset()

    @api.model
    def _checkout(self, member, copy, day=None):
        """Lend ``copy`` to ``member`` on ``day`` under the active rulebook; refuse with the reason."""
        member.ensure_one()
        copy.ensure_one()
        day = day or fields.Date.context_today(self)
        self._lock_for_checkout(member, copy)
        member._check_can_borrow(day)
        copy._check_can_leave_with(member)
        policy = member.company_id._library_policy()
        rule = policy._get_rule(member.category_id, copy.material_type_id)
        self._check_limits(member, copy, policy, rule)
        due_date = rule._due_date(day, copy)
        hold = copy.hold_id if copy.state == "hold_shelf" else member.hold_ids.filtered(
            lambda h: h.state == "waiting" and h.title_id == copy.title_id)[:1]
        loan = self.create({
            "member_id": member.id,
            "copy_id": copy.id,
            "category_id": member.category_id.id,
            "branch_id": copy.branch_id.id,
            "company_id": copy.company_id.id,
            "rule_id": rule.id,
            "date_checkout": day,
            "due_date": due_date,
            "checkout_user_id": self.env.uid,
        })
        copy.write({"state": "on_loan", "current_loan_id": loan.id, "hold_id": False})
        if hold:
            hold.write({"state": "fulfilled", "loan_id": loan.id})
        return loan

    @api.model
    def _check_limits(self, member, copy, policy, rule):
        checks = [rule]
        general = policy._get_general_rule(member.category_id)
        if general and general != rule:
            checks.append(general)
        for limit_rule in checks:
            domain = [("member_id", "=", member.id), ("state", "in", OPEN_STATES)]
            if limit_rule.material_type_id:
                domain.append(("material_type_id", "=", limit_rule.material_type_id.id))
            count = self.search_count(domain)
            if count >= limit_rule.max_items:
                if limit_rule.material_type_id:
                    raise UserError(_(
                        "%(member)s already has %(count)s %(type)s item(s) on loan; the limit for %(category)s "
                        "is %(limit)s.", member=member.name, count=count, type=limit_rule.material_type_id.name,
                        category=member.category_id.name, limit=limit_rule.max_items))
                raise UserError(_(
                    "%(member)s already has %(count)s item(s) on loan; the limit for %(category)s is %(limit)s.",
                    member=member.name, count=count, category=member.category_id.name, limit=limit_rule.max_items))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("library.loan") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Return and renewal
    # ------------------------------------------------------------------
    def _check_open(self):
        for loan in self:
            if loan.state not in OPEN_STATES:
                raise UserError(_("%(copy)s is not on loan (loan %(loan)s is %(state)s).",
                                  copy=loan.copy_id.display_name, loan=loan.name,
                                  state=dict(self._fields["state"]._description_selection(self.env))[loan.state]))

    def action_return(self, day=None):
        """Take the items back on ``day``; each copy goes to the next hold or back on the shelf."""
        day = day or fields.Date.context_today(self)
        self._check_open()
        for loan in self:
            if day < loan.date_checkout:
                raise UserError(_("%(copy)s cannot be returned on %(date)s, before it was lent.",
                                  copy=loan.copy_id.display_name, date=format_date(self.env, day)))
            self.env["library.loan"]._lock_for_checkout(loan.member_id, loan.copy_id)
        self.write({"state": "returned", "date_returned": day, "return_user_id": self.env.uid})
        self.copy_id.write({"current_loan_id": False})
        self.copy_id._route_after_return()
        return True

    def action_renew(self, day=None):
        """Extend the loans from ``day`` by the rulebook's period, within its renewal rules."""
        day = day or fields.Date.context_today(self)
        self._check_open()
        for loan in self:
            member = loan.member_id
            member._check_can_borrow(day)
            policy = loan.company_id._library_policy()
            rule = policy._get_rule(loan.category_id or member.category_id, loan.material_type_id)
            waiting = loan.title_id._first_waiting_hold(exclude_member=member)
            refusal = lending.renewal_refusal(
                loan.renewal_count, rule.max_renewals, rule.unlimited_renewals,
                policy.renewal_blocked_by_hold, bool(waiting))
            if refusal == "hold":
                raise UserError(_("%(copy)s cannot be renewed: another member is waiting for it.",
                                  copy=loan.copy_id.display_name))
            if refusal == "max_renewals":
                raise UserError(_("%(copy)s has been renewed %(count)s time(s), the most %(policy)s allows.",
                                  copy=loan.copy_id.display_name, count=loan.renewal_count, policy=policy.name))
            due_date = max(rule._due_date(day, loan.copy_id), loan.due_date)
            loan.write({"due_date": due_date, "renewal_count": loan.renewal_count + 1, "state": "open"})
        return True

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------
    @api.model
    def _cron_mark_overdue(self, day=None):
        """Flag loans past their due date (one UPDATE; rerunning it changes nothing)."""
        day = day or fields.Date.context_today(self)
        self.env.cr.execute("""
            UPDATE library_loan SET state = 'overdue', write_date = now() at time zone 'UTC', write_uid = %s
             WHERE state = 'open' AND due_date < %s
        """, [self.env.uid, day])
        self.invalidate_model(["state"])
