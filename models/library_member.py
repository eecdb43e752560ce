from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang

from .jalali import format_user_date


class LibraryMember(models.Model):
    _name = "library.member"
    _description = "Library Member"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"
    _check_company_auto = True
    _rec_names_search = ["name", "code"]

    # Identity
    partner_id = fields.Many2one("res.partner", string="Contact", required=True, ondelete="restrict",
                                 tracking=True, index=True)
    name = fields.Char(related="partner_id.name", store=True, readonly=False)
    email = fields.Char(related="partner_id.email", readonly=False)
    phone = fields.Char(related="partner_id.phone", readonly=False)
    mobile = fields.Char(related="partner_id.mobile", readonly=False)
    lang = fields.Selection(related="partner_id.lang", readonly=False, string="Language",
                            help="Notices, receipts and letters are written in this language.")
    code = fields.Char(string="Card Number", readonly=True, copy=False, index=True, default="/",
                       help="Member code, printed as the card barcode.")
    category_id = fields.Many2one("library.member.category", required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    # University records (HR, student office)
    employee_id = fields.Many2one("hr.employee", string="Employee", index=True, copy=False,
                                  groups="hr.group_hr_user", help="Staff members come from HR.")
    is_staff = fields.Boolean(compute="_compute_is_staff", store=True, string="University Staff")
    student_number = fields.Char(index=True, copy=False)
    degree_level = fields.Selection([
        ("associate", "Associate"), ("bachelor", "Bachelor"), ("master", "Master"), ("doctorate", "Doctorate"),
    ])
    faculty_name = fields.Char(string="Faculty")

    # Joining
    guarantor_id = fields.Many2one(
        "library.member", string="Guarantor", tracking=True, check_company=True,
        domain="[('id', '!=', id), ('state', '=', 'active')]",
        help="The official member who signed the guarantee for returning books.")
    document_ids = fields.Many2many(
        "ir.attachment", "library_member_document_rel", "member_id", "attachment_id",
        string="Joining Documents", help="Introduction letter, signed guarantee, forms.")
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, tracking=True, copy=False)
    requires_guarantor = fields.Boolean(related="category_id.requires_guarantor")
    requires_director_approval = fields.Boolean(related="category_id.requires_director_approval")
    requires_introduction_letter = fields.Boolean(related="category_id.requires_introduction_letter")

    # Membership
    state = fields.Selection([
        ("draft", "Draft"),
        ("active", "Active"),
        ("suspended", "Suspended"),
        ("expired", "Expired"),
        ("left", "Left"),
    ], default="draft", required=True, tracking=True, copy=False, index=True)
    date_start = fields.Date(string="Member Since", default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(string="Member Until", tracking=True,
                           help="End of employment, contract, studies, term or agreement.")
    suspended_until = fields.Date(tracking=True, copy=False)
    suspension_reason = fields.Char(tracking=True, copy=False)

    # Circulation
    loan_ids = fields.One2many("library.loan", "member_id", string="Loans")
    hold_ids = fields.One2many("library.hold", "member_id", string="Holds")
    open_loan_count = fields.Integer(compute="_compute_loan_counts", string="On Loan")
    overdue_loan_count = fields.Integer(compute="_compute_loan_counts", string="Overdue")
    active_hold_count = fields.Integer(compute="_compute_active_hold_count", string="Active Holds")

    # Notices
    notice_channel = fields.Selection([("email", "Email"), ("sms", "SMS")], string="Preferred Channel",
                                      default="email", required=True,
                                      help="Notices go out on this channel; when it fails or is missing, on the other.")
    notice_opt_out = fields.Boolean(
        string="Required Notices Only",
        help="No courtesy notices (due soon, hold about to expire). Overdue notices, holds ready, "
             "suspensions, bills and campaign messages are always sent.")
    notice_ids = fields.One2many("library.notice", "member_id", string="Notices")
    notice_count = fields.Integer(compute="_compute_notice_count", string="Notices Sent")

    # Money
    currency_id = fields.Many2one(related="company_id.currency_id")
    charge_ids = fields.Many2many("account.move", compute="_compute_charges", string="Library Charges")
    unpaid_amount = fields.Monetary(compute="_compute_charges", string="Unpaid Charges")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "Each member needs their own card number."),
        ("student_number_company_uniq", "unique(student_number, company_id)",
         "Each student number belongs to one member."),
    ]

    @api.depends("employee_id")
    def _compute_is_staff(self):
        for member in self:
            member.is_staff = bool(member.sudo().employee_id)

    @api.depends("loan_ids.state", "loan_ids.due_date")
    def _compute_loan_counts(self):
        today = fields.Date.context_today(self)
        groups = self.env["library.loan"]._read_group(
            [("member_id", "in", self.ids), ("state", "in", ("open", "overdue"))],
            ["member_id"], ["__count", "due_date:min"])
        open_counts = {member: count for member, count, _due in groups}
        overdue = dict(self.env["library.loan"]._read_group(
            [("member_id", "in", self.ids), ("state", "in", ("open", "overdue")), ("due_date", "<", today)],
            ["member_id"], ["__count"]))
        for member in self:
            member.open_loan_count = open_counts.get(member, 0)
            member.overdue_loan_count = overdue.get(member, 0)

    @api.depends("hold_ids.state")
    def _compute_active_hold_count(self):
        counts = dict(self.env["library.hold"]._read_group(
            [("member_id", "in", self.ids), ("state", "in", ("waiting", "ready"))], ["member_id"], ["__count"]))
        for member in self:
            member.active_hold_count = counts.get(member, 0)

    def _compute_notice_count(self):
        counts = dict(self.env["library.notice"]._read_group(
            [("member_id", "in", self.ids)], ["member_id"], ["__count"]))
        for member in self:
            member.notice_count = counts.get(member, 0)

    def action_view_notices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Notices: %(member)s", member=self.name),
            "res_model": "library.notice",
            "view_mode": "list,form",
            "domain": [("member_id", "=", self.id)],
            "context": {"create": False},
        }

    def _charges_domain(self):
        self.ensure_one()
        return [("partner_id", "=", self.partner_id.id), ("journal_id", "=", self.company_id.library_journal_id.id),
                ("move_type", "in", ("out_invoice", "out_refund")), ("state", "=", "posted")]

    def _compute_charges(self):
        for member in self:
            if not member.company_id.library_journal_id or not member.partner_id:
                member.charge_ids = False
                member.unpaid_amount = 0.0
                continue
            member.charge_ids = self.env["account.move"].sudo().search(member._charges_domain())
            member.unpaid_amount = member._unpaid_total()

    def _unpaid_total(self):
        """What the member owes the library now (read from the ledger, never cached)."""
        self.ensure_one()
        if not self.company_id.library_journal_id:
            return 0.0
        self.env.flush_all()
        groups = self.env["account.move"].sudo()._read_group(self._charges_domain(), [], ["amount_residual_signed:sum"])
        return groups[0][0] or 0.0

    def _open_charges(self):
        """Posted library invoices of this member with something left to pay."""
        self.ensure_one()
        if not self.company_id.library_journal_id:
            return self.env["account.move"]
        return self.env["account.move"].sudo().search(
            self._charges_domain() + [("move_type", "=", "out_invoice"), ("payment_state", "in", ("not_paid", "partial"))])

    def _bill_charge(self, product_xmlid, amount, day, label, origin=False, quantity=1):
        """A posted customer invoice for a library charge; its income is earmarked for the book fund."""
        self.ensure_one()
        company = self.company_id._library_accounting()
        product = self.env.ref(f"university_library.{product_xmlid}")
        move = self.env["account.move"].sudo().with_company(company).create({
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "journal_id": company.library_journal_id.id,
            "invoice_date": day,
            "invoice_origin": origin or self.code,
            "invoice_line_ids": [Command.create({
                "product_id": product.id,
                "name": label,
                "quantity": quantity,
                "price_unit": amount / quantity if quantity else amount,
                "tax_ids": [Command.clear()],
                "analytic_distribution": {str(company.library_fund_analytic_id.id): 100},
            })],
        })
        move.action_post()
        if product_xmlid != "product_library_membership":
            self.env["library.notice"]._emit("charge", self, f"charge:{move.id}", move_id=move.id,
                                             date_event=day, items_text=label[:250])
        return move

    def action_take_payment(self):
        """Take a payment on the bank POS terminal for the member's open charges."""
        self.ensure_one()
        if not self._open_charges():
            raise UserError(_("%(member)s has nothing to pay.", member=self.name))
        return {
            "type": "ir.actions.act_window",
            "name": _("Take payment: %(member)s", member=self.name),
            "res_model": "library.take.payment",
            "view_mode": "form",
            "target": "new",
            "context": {"default_member_id": self.id},
        }

    def action_view_charges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", self.charge_ids.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    @api.constrains("guarantor_id")
    def _check_guarantor(self):
        for member in self:
            if member.guarantor_id == member:
                raise ValidationError(_("A member cannot be their own guarantor."))

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for member in self:
            if member.date_start and member.date_end and member.date_end < member.date_start:
                raise ValidationError(_("Membership of %(member)s ends before it starts.", member=member.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["code"] = self.env["ir.sequence"].with_company(company).next_by_code("library.member") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Borrowing blocks
    # ------------------------------------------------------------------
    def _get_borrowing_blocks(self, day, unpaid=None):
        """Every reason this member may not borrow on ``day``, in the librarian's words.

        ``unpaid``: what the member owes, when the caller has already read it from the ledger.
        """
        self.ensure_one()
        blocks = []
        if self.state == "draft":
            blocks.append(_("The membership of %(member)s is not active yet.", member=self.name))
        elif self.state == "left":
            blocks.append(_("%(member)s has left the university library.", member=self.name))
        elif self.state == "expired" or (self.date_end and self.date_end < day):
            blocks.append(_("The membership of %(member)s expired on %(date)s.",
                            member=self.name, date=format_date(self.env, self.date_end)))
        blocks.extend(self._money_blocks(unpaid))
        if self.state == "suspended" and (not self.suspended_until or self.suspended_until >= day):
            if self.suspended_until:
                blocks.append(_("%(member)s is suspended until %(date)s: %(reason)s",
                                member=self.name, date=format_date(self.env, self.suspended_until),
                                reason=self.suspension_reason or _("no reason given")))
            else:
                blocks.append(_("%(member)s is suspended: %(reason)s", member=self.name,
                                reason=self.suspension_reason or _("no reason given")))
        return blocks

    def _money_blocks(self, unpaid=None):
        """Unpaid charges above the rulebook's limit, and lost items not yet settled."""
        self.ensure_one()
        blocks = []
        policy = self.company_id.library_policy_id
        unpaid = self._unpaid_total() if unpaid is None else unpaid
        if policy and unpaid > (policy.unpaid_limit or 0.0) and not self.currency_id.is_zero(unpaid):
            blocks.append(_("%(member)s owes %(amount)s in library charges (the limit is %(limit)s).",
                            member=self.name, amount=self._format_amount(unpaid),
                            limit=self._format_amount(policy.unpaid_limit or 0.0)))
        for case in self.env["library.lost.item"].search([("member_id", "=", self.id), ("state", "=", "open")]):
            blocks.append(_("%(member)s must settle the lost item %(title)s (%(resolution)s) first.",
                            member=self.name, title=case.title_id.name, resolution=case._resolution_label()))
        return blocks

    def _format_receipt_date(self, day):
        """A date as the member reads it: the Jalali calendar (1405/09/01) for Persian readers."""
        if not self.partner_id.lang:
            return format_date(self.env, day) if day else ""
        return format_user_date(self.env, day, lang=self.partner_id.lang)

    def _amount_in_words(self, amount):
        """The amount in words in the member's language (Persian words need num2words 0.5.13 or later)."""
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang or "en_US"
        currency = self.currency_id.with_context(lang=lang)
        text = currency.amount_to_text(amount)
        # Odoo's own Persian catalogue leaves the rial's unit name in English ("Rial").
        english = self.currency_id.with_context(lang="en_US").currency_unit_label
        if english == "Rial" and currency.currency_unit_label == english:
            text = text.replace(english, self.with_context(lang=lang).env._("Rial"))
        return text

    @api.model
    def _xlsx_download(self, filename, content, record):
        """An attachment of ``record`` and the action that downloads it."""
        attachment = self.env["ir.attachment"].create({
            "name": filename, "raw": content, "res_model": record._name, "res_id": record.id})
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true",
                "target": "self"}

    def _format_amount(self, amount):
        return formatLang(self.env, amount, currency_obj=self.currency_id)

    def _check_can_borrow(self, day):
        blocks = self._get_borrowing_blocks(day)
        if blocks:
            raise UserError("\n".join(blocks))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _missing_joining_requirements(self):
        self.ensure_one()
        missing = []
        category = self.category_id
        if category.requires_introduction_letter and not self.document_ids:
            missing.append(_("attach the introduction letter"))
        if category.requires_guarantor and not self.guarantor_id:
            missing.append(_("name the official member who guarantees the loans"))
        if category.requires_director_approval and not self.approved_by_id:
            missing.append(_("get the library director's approval"))
        if category.membership_validity in ("agreement", "studies_end") and not self.date_end:
            missing.append(_("enter the date the membership ends"))
        return missing

    def action_activate(self):
        today = fields.Date.context_today(self)
        for member in self:
            if member.state not in ("draft", "expired"):
                raise UserError(_("%(member)s is %(state)s; only draft or expired memberships can be activated.",
                                  member=member.name, state=member._state_label()))
            missing = member._missing_joining_requirements()
            if missing:
                raise UserError(_("Before activating %(member)s (%(category)s): %(missing)s.",
                                  member=member.name, category=member.category_id.name,
                                  missing="; ".join(missing)))
            vals = {"state": "active"}
            if member.category_id.membership_validity == "term_end":
                term = self.env["library.term"]._covering(today, member.company_id)
                if not term:
                    raise UserError(_("No academic term covers %(date)s: add the term before activating "
                                      "members whose membership lasts until the end of the term.",
                                      date=format_date(self.env, today)))
                vals["date_end"] = term.date_end
            elif member.date_end and member.date_end < today:
                raise UserError(_("The membership of %(member)s ended on %(date)s: enter the new end date first.",
                                  member=member.name, date=format_date(self.env, member.date_end)))
            member.write(vals)
            fee = member.category_id.joining_fee
            if fee:
                member._bill_charge("product_library_membership", fee, today,
                                    _("Membership fee: %(category)s", category=member.category_id.name))
        return True

    def action_approve(self):
        if not self.env.user.has_group("university_library.group_library_manager"):
            raise UserError(_("Only the library director (Library Manager) can approve memberships."))
        self.write({"approved_by_id": self.env.user.id})
        return True

    def action_suspend(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Suspend %(member)s", member=self.name),
            "res_model": "library.member.suspend",
            "view_mode": "form",
            "target": "new",
            "context": {"default_member_id": self.id},
        }

    def _suspend(self, until, reason):
        for member in self:
            if member.state not in ("active", "suspended"):
                raise UserError(_("Only active members can be suspended; %(member)s is %(state)s.",
                                  member=member.name, state=member._state_label()))
        self.write({"state": "suspended", "suspended_until": until, "suspension_reason": reason})
        today = fields.Date.context_today(self)
        for member in self:
            self.env["library.notice"]._emit("suspension", member, f"suspension:{member.id}:{today}:{until}",
                                             date_event=until, items_text=(reason or "")[:250])

    def action_lift_suspension(self):
        self.filtered(lambda m: m.state == "suspended").write(
            {"state": "active", "suspended_until": False, "suspension_reason": False})
        return True

    def action_mark_left(self):
        for member in self:
            if member.open_loan_count:
                raise UserError(_("%(member)s still has %(count)s item(s) on loan.",
                                  member=member.name, count=member.open_loan_count))
        self.hold_ids.filtered(lambda h: h.state in ("waiting", "ready")).action_cancel()
        self.write({"state": "left"})
        return True

    def action_view_loans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("university_library.library_loan_action")
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"default_member_id": self.id, "search_default_filter_current": 1}
        return action

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_states(self, day=None):
        """Expire memberships past their end date and lift suspensions that have ended."""
        day = day or fields.Date.context_today(self)
        self.search([("state", "in", ("active", "suspended")), ("date_end", "<", day)]).write({"state": "expired"})
        self.search([("state", "=", "suspended"), ("suspended_until", "<", day)]).action_lift_suspension()
