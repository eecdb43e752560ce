from psycopg2 import errors as pg_errors
from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.modules import module as odoo_module
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..rules import fines, lending

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

    # Late fine: brought up to date each night while the item is out, final and billed on return
    currency_id = fields.Many2one(related="company_id.currency_id")
    fine_amount = fields.Monetary(string="Late Fine", readonly=True, copy=False)
    fine_days = fields.Integer(string="Days of Delay", readonly=True, copy=False)
    fine_date = fields.Date(string="Fine Computed On", readonly=True, copy=False)
    invoice_id = fields.Many2one("account.move", string="Fine Invoice", readonly=True, copy=False)
    payment_state = fields.Selection(related="invoice_id.payment_state", string="Fine Payment")
    reminder_date = fields.Date(string="Reminder Letter Sent", readonly=True, copy=False)
    escalation_date = fields.Date(string="Escalated On", readonly=True, copy=False,
                                  help="The member's manager or dean was told.")
    offence = fields.Selection([
        ("warning", "Warning"),
        ("suspension", "Suspension"),
    ], readonly=True, copy=False, tracking=True,
        help="A return later than the rulebook's offence limit: a warning the first time(s), then a suspension.")

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
        late = self.filtered(lambda loan: loan.due_date < day)
        late._settle_fine(day)
        late._record_offence(day)
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

    def action_export_overdue_list(self):
        """The overdue list (XLSX) of the chosen loans, or of every overdue loan when none is chosen."""
        return self.env.ref("university_library.action_report_overdue_xlsx").report_action(self, config=False)

    # ------------------------------------------------------------------
    # Fines
    # ------------------------------------------------------------------
    def _fine_terms(self):
        """(table, cap, predicate of opening days or None) for this loan under the active rulebook."""
        self.ensure_one()
        policy = self.company_id._library_policy()
        table = policy._get_fine_table(self.category_id or self.member_id.category_id, self.material_type_id)
        if not table:
            return None
        is_open = None if policy.charge_closed_days else self.copy_id.branch_id._open_day_predicate()
        return table, table._cap(self.copy_id.price), is_open

    def _compute_fine_until(self, day):
        """(amount, days of delay) if the item comes back on ``day``."""
        self.ensure_one()
        terms = self._fine_terms()
        if not terms or not self.due_date or day <= self.due_date:
            return 0.0, 0
        table, cap, is_open = terms
        policy = self.company_id.library_policy_id
        return fines.late_fine(self.due_date, day, table._rate_table(), table.mode, table.grace_days, cap,
                               is_open, policy.charge_closed_days)

    def _settle_fine(self, day):
        """Make the fine final on return and bill it (a posted customer invoice)."""
        for loan in self:
            amount, days = loan._compute_fine_until(day)
            loan.write({"fine_amount": amount, "fine_days": days, "fine_date": day})
            if amount and not loan.invoice_id:
                loan.invoice_id = loan._bill(
                    "product_library_fine", amount, day,
                    _("Late return of %(title)s (%(barcode)s): %(days)s day(s)",
                      title=loan.title_id.name, barcode=loan.copy_id.barcode, days=days))

    def _bill(self, product_xmlid, amount, day, label, quantity=1):
        """A posted customer invoice in the library journal, its income earmarked for the book fund."""
        self.ensure_one()
        return self.member_id._bill_charge(product_xmlid, amount, day, label, origin=self.name, quantity=quantity)

    def _record_offence(self, day):
        """Ilam: over the offence limit, a warning first, then a suspension to the end of the term."""
        for loan in self:
            policy = loan.company_id._library_policy()
            if not policy.offence_days or loan.fine_days <= policy.offence_days:
                continue
            member = loan.member_id
            previous = self.search_count([("member_id", "=", member.id), ("offence", "!=", False),
                                          ("id", "!=", loan.id)])
            if previous < policy.offence_warnings:
                loan.offence = "warning"
                member.message_post(body=_(
                    "Warning: %(title)s came back %(days)s days late (more than %(limit)s). The next time the "
                    "membership is suspended until the end of the term.",
                    title=loan.title_id.name, days=loan.fine_days, limit=policy.offence_days))
                continue
            loan.offence = "suspension"
            term = self.env["library.term"]._covering(day, loan.company_id)
            if term:
                member._suspend(term.date_end, _("%(title)s returned %(days)s days late, offence number %(n)s",
                                                 title=loan.title_id.name, days=loan.fine_days, n=previous + 1))
            else:
                member.activity_schedule(
                    "mail.mail_activity_data_todo", summary=_("Suspend until the end of the term"),
                    note=_("No academic term covers %(date)s: set the suspension by hand.",
                           date=format_date(self.env, day)))

    def _format_receipt_date(self, day):
        """A date as the member reads it (the receipts are printed for the member)."""
        return self.member_id._format_receipt_date(day)

    def _receipt_date(self):
        self.ensure_one()
        payments = self.invoice_id._get_reconciled_payments() if self.invoice_id else False
        return self._format_receipt_date(payments[:1].date if payments else self.date_returned)

    @api.model
    def _cron_staff_letters(self, day=None):
        """Reminder letters at the due date, escalation to the manager after grace + the rulebook's delay.

        Each letter is sent once: the loan keeps the date it was sent.
        """
        day = day or fields.Date.context_today(self)
        for company in self.env["res.company"].search([("library_policy_id", "!=", False)]):
            policy = company.library_policy_id
            if not policy.reminder_category_ids:
                continue
            scope = [("company_id", "=", company.id), ("category_id", "in", policy.reminder_category_ids.ids)]
            due = self.search(scope + [("state", "in", ("open", "overdue")), ("due_date", "<=", day),
                                       ("reminder_date", "=", False)])
            for loan in due:
                loan._send_letter("university_library.action_report_reminder_letter", loan.member_id.partner_id,
                                  _("Reminder: %(title)s was due on %(date)s", title=loan.title_id.name,
                                    date=format_date(self.env, loan.due_date)))
            due.write({"reminder_date": day})
            candidates = self.search(scope + [("reminder_date", "!=", False), ("escalation_date", "=", False),
                                              "|", ("state", "in", ("open", "overdue")),
                                              "&", ("state", "=", "returned"),
                                              ("invoice_id.payment_state", "in", ("not_paid", "partial"))])
            for loan in candidates:
                terms = loan._fine_terms()
                grace = terms[0].grace_days if terms else 0
                if (day - loan.due_date).days < grace + policy.escalation_days:
                    continue
                loan._escalate(day)
        return True

    def _send_letter(self, report_xmlid, partner, subject):
        self.ensure_one()
        report = self.env.ref(report_xmlid)
        pdf, _format = self.env["ir.actions.report"].sudo()._render_qweb_pdf(report, self.ids)
        attachment = self.env["ir.attachment"].create({
            "name": f"{subject}.pdf", "raw": pdf, "res_model": "library.member", "res_id": self.member_id.id})
        self.member_id.message_post(body=subject, subject=subject, partner_ids=partner.ids,
                                    attachment_ids=attachment.ids, message_type="comment",
                                    subtype_xmlid="mail.mt_comment")

    def _escalate(self, day):
        """Tell the member's manager (or department head): an activity and a letter."""
        self.ensure_one()
        employee = self.member_id.sudo().employee_id
        manager = employee.department_id.manager_id or employee.parent_id
        user = manager.user_id or self.env.ref("base.user_admin")
        subject = _("%(member)s has not returned or paid for %(title)s (due %(date)s)",
                    member=self.member_id.name, title=self.title_id.name, date=format_date(self.env, self.due_date))
        self.member_id.activity_schedule("mail.mail_activity_data_todo", summary=_("Library escalation"),
                                         note=subject, user_id=user.id)
        if manager.work_contact_id:
            self._send_letter("university_library.action_report_escalation_letter", manager.work_contact_id, subject)
        self.escalation_date = day

    @api.model
    def _cron_accrue_fines(self, day=None, batch_size=5000, max_batches=None):
        """Bring the running fine of every overdue loan up to date for ``day``.

        Each loan's fine is recomputed from its due date (never added to), so running the job
        twice, or again after a crash halfway, gives the result of one clean run. Loans are read
        and written in batches with plain SQL; identical (table, due date, cap) cases are
        computed once.
        """
        day = day or fields.Date.context_today(self)
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("""SELECT count(*) FROM library_loan WHERE state IN ('open', 'overdue') AND due_date < %s""",
                   [day])
        remaining = cr.fetchone()[0]
        memo, tables, policies, branches = {}, {}, {}, {}
        last_id, done, batches = 0, 0, 0
        while True:
            cr.execute("""
                SELECT l.id, l.due_date, COALESCE(l.category_id, m.category_id), c.material_type_id, c.price,
                       l.company_id, c.branch_id
                  FROM library_loan l
                  JOIN library_copy c ON c.id = l.copy_id
                  JOIN library_member m ON m.id = l.member_id
                 WHERE l.state IN ('open', 'overdue') AND l.due_date < %s AND l.id > %s
                 ORDER BY l.id LIMIT %s""", [day, last_id, batch_size])
            rows = cr.fetchall()
            if not rows:
                break
            values = []
            for loan_id, due_date, category_id, material_type_id, price, company_id, branch_id in rows:
                if company_id not in policies:
                    policies[company_id] = self.env["res.company"].browse(company_id).library_policy_id
                policy = policies[company_id]
                amount, days = 0.0, 0
                if policy:
                    table_key = (policy.id, category_id, material_type_id)
                    if table_key not in tables:
                        table = policy._get_fine_table(self.env["library.member.category"].browse(category_id),
                                                       self.env["library.material.type"].browse(material_type_id))
                        tables[table_key] = table and (table, table._rate_table())
                    if tables[table_key]:
                        table, rate_table = tables[table_key]
                        cap = table._cap(price)
                        closed_key = None if policy.charge_closed_days else branch_id
                        key = (table.id, due_date, cap, closed_key)
                        if key not in memo:
                            is_open = None
                            if closed_key:
                                if branch_id not in branches:
                                    branches[branch_id] = self.env["library.branch"].browse(
                                        branch_id)._open_day_predicate()
                                is_open = branches[branch_id]
                            memo[key] = fines.late_fine(due_date, day, rate_table, table.mode, table.grace_days,
                                                        cap, is_open, policy.charge_closed_days)
                        amount, days = memo[key]
                values.append((loan_id, amount, days))
            execute_values(cr._obj, """
                UPDATE library_loan AS l
                   SET fine_amount = v.amount, fine_days = v.days, fine_date = v.day, state = 'overdue',
                       write_date = now() at time zone 'UTC'
                  FROM (VALUES %s) AS v(id, amount, days, day)
                 WHERE l.id = v.id
                   AND (l.fine_amount IS DISTINCT FROM v.amount OR l.fine_days IS DISTINCT FROM v.days
                        OR l.fine_date IS DISTINCT FROM v.day OR l.state != 'overdue')
            """, [(loan_id, amount, days, day) for loan_id, amount, days in values],
                template="(%s, %s::numeric, %s, %s::date)", page_size=1000)
            last_id = rows[-1][0]
            done += len(rows)
            batches += 1
            self.env["ir.cron"]._notify_progress(done=done, remaining=max(remaining - done, 0))
            if not odoo_module.current_test and self.env.context.get("ir_cron_progress_id"):
                cr.commit()
            if max_batches and batches >= max_batches:
                break
        self.invalidate_model(["fine_amount", "fine_days", "fine_date", "state"])
        return done
