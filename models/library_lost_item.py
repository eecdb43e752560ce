from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..rules import compensation, lending


class LibraryLostItem(models.Model):
    """A copy declared lost or damaged on a loan, and how the member settles it."""
    _name = "library.lost.item"
    _description = "Lost or Damaged Item"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_declared desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_display_name_field", store=True)
    loan_id = fields.Many2one("library.loan", required=True, readonly=True, index=True, check_company=True)
    member_id = fields.Many2one(related="loan_id.member_id", store=True, index=True)
    copy_id = fields.Many2one(related="loan_id.copy_id", store=True)
    title_id = fields.Many2one(related="loan_id.title_id", store=True)
    company_id = fields.Many2one(related="loan_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection([("lost", "Lost"), ("damaged", "Damaged (cut pages, unusable)")],
                            required=True, default="lost", readonly=True)
    date_declared = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    resolution = fields.Selection([
        ("replacement", "The member brings a replacement"),
        ("compensation", "The member pays compensation"),
    ], required=True, default="replacement", tracking=True)
    replacement_deadline = fields.Date(tracking=True)
    state = fields.Selection([
        ("open", "Outstanding"),
        ("replaced", "Replaced"),
        ("billed", "Compensation Billed"),
    ], default="open", required=True, readonly=True, tracking=True, index=True)
    price = fields.Monetary(string="Current Price", readonly=True)
    multiplier = fields.Float(tracking=True, help="Chosen by the director for foreign-language, single-copy and "
                                                  "non-print items, within the rulebook's range.")
    quoted_price = fields.Monetary(tracking=True, help="From the publisher's written quote (attach it).")
    quote_attachment_ids = fields.Many2many("ir.attachment", string="Publisher's Quote")
    amount = fields.Monetary(string="Compensation", readonly=True, tracking=True)
    invoice_id = fields.Many2one("account.move", readonly=True, copy=False)
    payment_state = fields.Selection(related="invoice_id.payment_state")
    replacement_copy_id = fields.Many2one("library.copy", readonly=True)

    @api.depends("title_id", "member_id")
    def _compute_display_name_field(self):
        for case in self:
            case.name = f"{case.title_id.name or ''} — {case.member_id.name or ''}"

    def _resolution_label(self):
        self.ensure_one()
        if self.resolution == "replacement":
            return _("replacement due %(date)s", date=format_date(self.env, self.replacement_deadline))
        return _("compensation to pay")

    @api.model
    def _declare(self, loan, kind="lost", day=None):
        """Declare the copy of an open loan lost or damaged: the loan ends, the copy leaves the shelf."""
        day = day or fields.Date.context_today(self)
        loan._check_open()
        policy = loan.company_id._library_policy()
        if loan.due_date < day:
            loan._settle_fine(day)  # the delay up to now is a fine of its own
        loan.write({"state": "lost", "date_returned": day, "return_user_id": self.env.uid})
        loan.copy_id.write({"state": "lost" if kind == "lost" else "damaged", "current_loan_id": False})
        return self.create({
            "loan_id": loan.id, "kind": kind, "date_declared": day, "price": loan.copy_id.price,
            "replacement_deadline": day + timedelta(days=policy.replacement_days),
        })

    def _compute_compensation(self):
        self.ensure_one()
        policy = self.company_id._library_policy()
        title, copy = self.title_id, self.copy_id
        local = not policy.local_language_ids or title.language_id in policy.local_language_ids
        set_price = 0.0
        if title.set_id and not title.sold_separately:
            set_price = title.set_id.set_price
            if not set_price:
                raise UserError(_("%(title)s cannot be bought alone: enter the current price of the whole set "
                                  "%(set)s first.", title=title.name, set=title.set_id.name))
        special = not local or title.is_single_copy or copy.material_type_id.is_non_print
        if (policy.compensation_method == compensation.MULTIPLIER and special and self.multiplier
                and not self.env.user.has_group("university_library.group_library_manager")):
            raise UserError(_("The library director (Library Manager) chooses the multiple for %(title)s.",
                              title=title.name))
        try:
            return compensation.compensation(
                copy.price, policy.compensation_method, local_language=local, single_copy=title.is_single_copy,
                non_print=copy.material_type_id.is_non_print, multiplier=self.multiplier or None,
                local_multiplier=policy.local_multiplier, special_min=policy.special_multiplier_min,
                special_max=policy.special_multiplier_max, quoted_price=self.quoted_price or None,
                set_price=set_price, sold_separately=title.sold_separately or not title.set_id)
        except lending.RuleError as error:
            if error.code == "multiplier_range":
                raise UserError(_("For %(title)s the director chooses a multiple of the price between %(min)s "
                                  "and %(max)s (given: %(given)s).", title=title.name,
                                  min=policy.special_multiplier_min, max=policy.special_multiplier_max,
                                  given=self.multiplier or _("none"))) from None
            if error.code == "quote_missing":
                raise UserError(_("Enter the price from the publisher's written quote for %(title)s.",
                                  title=title.name)) from None
            if error.code == "no_price":
                raise UserError(_("%(copy)s has no current price.", copy=copy.display_name)) from None
            raise

    def action_bill_compensation(self):
        """Bill the compensation as a posted invoice; paying it settles the case."""
        for case in self:
            if case.state != "open":
                raise UserError(_("This case is already settled."))
            policy = case.company_id._library_policy()
            if policy.compensation_method == compensation.QUOTE and not case.quote_attachment_ids:
                raise UserError(_("Attach the publisher's written quote before billing."))
            amount = case._compute_compensation()
            invoice = case.member_id._bill_charge(
                "product_library_compensation", amount, fields.Date.context_today(self),
                (_("Compensation for lost item %(title)s (%(barcode)s)", title=case.title_id.name,
                   barcode=case.copy_id.barcode) if case.kind == "lost" else
                 _("Compensation for damaged item %(title)s (%(barcode)s)", title=case.title_id.name,
                   barcode=case.copy_id.barcode)), origin=case.loan_id.name)
            case.write({"resolution": "compensation", "amount": amount, "invoice_id": invoice.id,
                        "state": "billed"})
        return True

    def action_accept_replacement(self):
        self.ensure_one()
        if self.state != "open":
            raise UserError(_("This case is already settled."))
        return {
            "type": "ir.actions.act_window", "name": _("Accept replacement"),
            "res_model": "library.replacement.accept", "view_mode": "form", "target": "new",
            "context": {"default_lost_item_id": self.id},
        }

    def _accept_replacement(self, barcode, edition_ok, is_photocopy, day=None, other_title=None):
        """The member brought the same title, latest printing (or, when it is not on the market, another
        title the director chose): it joins the catalogue, nothing is paid."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        if self.state != "open":
            raise UserError(_("This case is already settled."))
        if is_photocopy:
            raise UserError(_("A photocopy is never accepted as a replacement."))
        if other_title and other_title != self.title_id:
            if not self.env.user.has_group("university_library.group_library_manager"):
                raise UserError(_("Only the library director chooses another title when %(title)s is not on "
                                  "the market.", title=self.title_id.name))
        elif not edition_ok:
            raise UserError(_("A replacement must be the same title in its latest printing."))
        old = self.copy_id
        title = other_title or old.title_id
        new_copy = self.env["library.copy"].create({
            "title_id": title.id, "barcode": barcode, "branch_id": old.branch_id.id,
            "shelf_location": old.shelf_location, "material_type_id": old.material_type_id.id,
            "price": old.price,
        })
        old.write({"state": "withdrawn"})
        self.write({"state": "replaced", "resolution": "replacement", "replacement_copy_id": new_copy.id})
        self.message_post(body=_("Replacement accepted as copy %(barcode)s of %(title)s on %(date)s.",
                                 barcode=barcode, title=title.name, date=format_date(self.env, day)))
        return new_copy

    def _receipt_date(self):
        self.ensure_one()
        payments = self.invoice_id._get_reconciled_payments() if self.invoice_id else False
        return self.member_id._format_receipt_date(payments[:1].date if payments else self.date_declared)

    @api.constrains("multiplier", "quoted_price")
    def _check_numbers(self):
        for case in self:
            if case.multiplier < 0 or case.quoted_price < 0:
                raise ValidationError(_("Multipliers and quoted prices cannot be negative."))
