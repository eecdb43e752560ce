from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, format_datetime


class LibraryCopy(models.Model):
    _name = "library.copy"
    _description = "Copy"
    _inherit = ["mail.thread"]
    _order = "title_id, barcode"
    _check_company_auto = True
    _rec_names_search = ["barcode", "title_id.name"]

    title_id = fields.Many2one("library.title", required=True, ondelete="restrict", index=True, tracking=True)
    barcode = fields.Char(required=True, copy=False, index=True, tracking=True)
    accession_number = fields.Char(copy=False, readonly=True, default="/")
    branch_id = fields.Many2one("library.branch", string="Library", required=True, check_company=True,
                                default=lambda self: self.env["library.branch"]._default_branch())
    company_id = fields.Many2one(related="branch_id.company_id", store=True, index=True)
    shelf_location = fields.Char()
    material_type_id = fields.Many2one("library.material.type", required=True, tracking=True)
    may_leave = fields.Boolean(related="material_type_id.may_leave")
    currency_id = fields.Many2one(related="company_id.currency_id")
    price = fields.Monetary(string="Current Price", tracking=True,
                            help="Today's price of the item, used for caps and compensation.")
    state = fields.Selection([
        ("available", "Available"),
        ("on_loan", "On Loan"),
        ("hold_shelf", "On the Hold Shelf"),
        ("lost", "Lost"),
        ("damaged", "Damaged"),
        ("withdrawn", "Withdrawn"),
    ], default="available", required=True, tracking=True, index=True, copy=False)
    current_loan_id = fields.Many2one("library.loan", readonly=True, copy=False)
    current_member_id = fields.Many2one(related="current_loan_id.member_id", string="Borrower")
    due_date = fields.Date(related="current_loan_id.due_date")
    hold_id = fields.Many2one("library.hold", string="Held For", readonly=True, copy=False,
                              help="The hold this copy waits on the hold shelf for.")
    loan_ids = fields.One2many("library.loan", "copy_id", string="Loans")

    _sql_constraints = [
        ("barcode_company_uniq", "unique(barcode, company_id)", "Another copy already has this barcode."),
    ]

    @api.depends("barcode", "title_id.name")
    def _compute_display_name(self):
        for copy in self:
            copy.display_name = f"[{copy.barcode}] {copy.title_id.name or ''}".strip()

    @api.onchange("title_id")
    def _onchange_title_id(self):
        if self.title_id.material_type_id and not self.material_type_id:
            self.material_type_id = self.title_id.material_type_id

    @api.constrains("price")
    def _check_price(self):
        for copy in self:
            if copy.price < 0:
                raise ValidationError(_("The price of %(copy)s cannot be negative.", copy=copy.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("accession_number", "/") == "/":
                vals["accession_number"] = self.env["ir.sequence"].next_by_code("library.copy.accession") or "/"
            if not vals.get("material_type_id") and vals.get("title_id"):
                title = self.env["library.title"].browse(vals["title_id"])
                vals["material_type_id"] = title.material_type_id.id
        return super().create(vals_list)

    @api.model
    def _find_by_barcode(self, barcode):
        barcode = (barcode or "").strip()
        # order by id: the default order (by title name) would sort a join on a million copies
        copy = self.search([("barcode", "=", barcode)], limit=1, order="id") if barcode else self.browse()
        if not copy:
            raise UserError(_("No copy has the barcode %(barcode)s.", barcode=barcode or _("(empty)")))
        return copy

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_can_leave_with(self, member):
        """Refuse lending this copy to ``member`` when the item or its state forbids it."""
        self.ensure_one()
        if not self.material_type_id.may_leave:
            raise UserError(_("%(copy)s is %(type)s: in-library use only.",
                              copy=self.display_name, type=self.material_type_id.name))
        if self.state == "on_loan":
            raise UserError(_("%(copy)s is already on loan (due %(date)s).",
                              copy=self.display_name, date=format_date(self.env, self.due_date)))
        if self.state == "hold_shelf" and self.hold_id.member_id != member:
            raise UserError(_("%(copy)s is on the hold shelf for another member until %(when)s.",
                              copy=self.display_name, when=format_datetime(self.env, self.hold_id.date_expiry)))
        if self.state in ("lost", "damaged", "withdrawn"):
            raise UserError(_("%(copy)s cannot be lent: it is %(state)s.",
                              copy=self.display_name, state=self._state_label().lower()))

    def _route_after_return(self, now=None):
        """A copy back on the shelf goes to the first member waiting for its title, else is available."""
        for copy in self:
            hold = copy.title_id._first_waiting_hold()
            if hold:
                hold._make_ready(copy, now)
            else:
                copy.write({"state": "available", "hold_id": False})

    def action_mark_damaged(self):
        self._check_state_in(("available",), _("Only a copy on the shelf can be marked damaged."))
        self.write({"state": "damaged"})

    def action_withdraw(self):
        self._check_state_in(("available", "damaged", "lost"), _("A copy on loan or on the hold shelf cannot be "
                                                                  "withdrawn."))
        self.write({"state": "withdrawn"})

    def action_make_available(self):
        self._check_state_in(("damaged", "lost", "withdrawn"), _("Only a damaged, lost or withdrawn copy can be "
                                                                  "put back on the shelf."))
        self._route_after_return()

    def _check_state_in(self, states, message):
        for copy in self:
            if copy.state not in states:
                raise UserError(f"{copy.display_name}: {message}")
