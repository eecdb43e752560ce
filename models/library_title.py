from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError as StdnumError

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LibraryTitle(models.Model):
    _name = "library.title"
    _description = "Title"
    _order = "name, id"
    _rec_names_search = ["name", "isbn"]

    name = fields.Char(string="Title", required=True, index="trigram")
    isbn = fields.Char(string="ISBN", index=True, help="ISBN-10 or ISBN-13; checked when saved.")
    author_ids = fields.Many2many("library.author", string="Authors")
    publisher_id = fields.Many2one("res.partner", string="Publisher")
    edition = fields.Char()
    year = fields.Integer(string="Year Published")
    language_id = fields.Many2one(
        "res.lang", string="Language", context={"active_test": False},
        help="Whether a title is in Persian or a foreign language changes the compensation for a lost copy.")
    subject_ids = fields.Many2many("library.subject", string="Subjects")
    call_number = fields.Char()
    material_type_id = fields.Many2one(
        "library.material.type", string="Default Material Type",
        default=lambda self: self.env.ref("university_library.material_book", raise_if_not_found=False))
    company_id = fields.Many2one("res.company", help="Empty: shared by all libraries (union catalogue).")
    active = fields.Boolean(default=True)

    # Multi-volume sets
    set_id = fields.Many2one("library.title", string="Volume of Set", index=True, ondelete="restrict",
                             domain="[('id', '!=', id)]")
    volume_ids = fields.One2many("library.title", "set_id", string="Volumes")
    volume_number = fields.Integer()
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    set_price = fields.Monetary(string="Price of the Whole Set",
                                help="Current price of the complete set, for volumes that cannot be bought alone.")
    sold_separately = fields.Boolean(
        default=True, help="Unticked: a lost volume cannot be bought alone and costs the whole set.")

    # Circulation
    high_demand = fields.Boolean(
        help="High-demand or textbook title: the rulebook's shortened loan period applies.")
    copy_ids = fields.One2many("library.copy", "title_id", string="Copies")
    copy_count = fields.Integer(compute="_compute_copy_stats", store=True)
    is_single_copy = fields.Boolean(compute="_compute_copy_stats", store=True, string="Single Copy")
    available_count = fields.Integer(compute="_compute_available_count", string="Available")
    hold_ids = fields.One2many("library.hold", "title_id", string="Holds")
    waiting_hold_count = fields.Integer(compute="_compute_waiting_hold_count", string="Waiting Holds")

    @api.depends("copy_ids", "copy_ids.state")
    def _compute_copy_stats(self):
        counts = dict(self.env["library.copy"]._read_group(
            [("title_id", "in", self.ids), ("state", "!=", "withdrawn")], ["title_id"], ["__count"]))
        for title in self:
            title.copy_count = counts.get(title, 0)
            title.is_single_copy = title.copy_count == 1

    def _compute_available_count(self):
        counts = dict(self.env["library.copy"]._read_group(
            [("title_id", "in", self.ids), ("state", "=", "available")], ["title_id"], ["__count"]))
        for title in self:
            title.available_count = counts.get(title, 0)

    def _compute_waiting_hold_count(self):
        counts = dict(self.env["library.hold"]._read_group(
            [("title_id", "in", self.ids), ("state", "=", "waiting")], ["title_id"], ["__count"]))
        for title in self:
            title.waiting_hold_count = counts.get(title, 0)

    @api.constrains("isbn")
    def _check_isbn(self):
        for title in self.filtered("isbn"):
            try:
                stdnum_isbn.validate(title.isbn)
            except StdnumError:
                raise ValidationError(_("%(isbn)s is not a valid ISBN (title: %(title)s).",
                                        isbn=title.isbn, title=title.name))

    @api.constrains("set_id")
    def _check_set(self):
        if self._has_cycle("set_id"):
            raise ValidationError(_("A set cannot be a volume of itself."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("isbn"):
                vals["isbn"] = self._normalize_isbn(vals["isbn"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("isbn"):
            vals["isbn"] = self._normalize_isbn(vals["isbn"])
        return super().write(vals)

    @api.model
    def _normalize_isbn(self, value):
        """Hyphenated form of a valid ISBN; an invalid one is kept as typed for the constraint to refuse."""
        try:
            return stdnum_isbn.format(stdnum_isbn.validate(value))
        except StdnumError:
            return value

    def _first_waiting_hold(self, exclude_member=None):
        self.ensure_one()
        domain = [("title_id", "=", self.id), ("state", "=", "waiting")]
        if exclude_member:
            domain.append(("member_id", "!=", exclude_member.id))
        return self.env["library.hold"].search(domain, order="date_placed, id", limit=1)
