from odoo import fields, models


class LibraryMemberCategory(models.Model):
    _name = "library.member.category"
    _description = "Member Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code used by imports and the rulebooks.")
    group_label = fields.Char(string="Rulebook Group", help="The group number in the university's rulebook (e.g. 1a).")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    requires_introduction_letter = fields.Boolean(
        string="Introduction Letter", help="An introduction letter (HR, organisation) must be attached before activation.")
    requires_guarantor = fields.Boolean(
        string="Guarantee by an Official Member", help="An official member must sign a guarantee for returning books.")
    requires_deposit = fields.Boolean(
        string="Deposit", help="A cash deposit in proportion to the value of the books is required.")
    requires_director_approval = fields.Boolean(
        string="Director's Approval", help="The library director must approve the membership.")
    membership_validity = fields.Selection([
        ("employment_end", "End of employment or contract"),
        ("term_end", "End of each term"),
        ("studies_end", "End of studies"),
        ("agreement", "Date from an agreement"),
    ], required=True, default="employment_end", string="Membership Lasts Until")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    joining_fee = fields.Monetary(
        help="Joining is free unless this is set (Kermanshah forbids any card fee); billed on activation.")
    member_count = fields.Integer(compute="_compute_member_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each member category needs its own code."),
        ("fee_not_negative", "CHECK(joining_fee >= 0)", "A joining fee cannot be negative."),
    ]

    def _compute_member_count(self):
        counts = dict(self.env["library.member"]._read_group(
            [("category_id", "in", self.ids)], ["category_id"], ["__count"]))
        for category in self:
            category.member_count = counts.get(category, 0)
