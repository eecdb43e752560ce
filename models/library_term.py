from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LibraryTerm(models.Model):
    _name = "library.term"
    _description = "Academic Term"
    _order = "date_start desc"

    name = fields.Char(required=True, translate=True)
    date_start = fields.Date(string="Start", required=True)
    date_end = fields.Date(string="End", required=True,
                           help="Loans and memberships 'until the end of the term' end on this day.")
    date_registration = fields.Date(
        string="Course Registration",
        help="Students must clear their loans before this day.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    @api.constrains("date_start", "date_end", "date_registration", "company_id")
    def _check_dates(self):
        for term in self:
            if term.date_end <= term.date_start:
                raise ValidationError(_(
                    "Term %(term)s ends before it starts.", term=term.name))
            overlap = self.search([
                ("id", "!=", term.id), ("company_id", "=", term.company_id.id),
                ("date_start", "<=", term.date_end), ("date_end", ">=", term.date_start),
            ], limit=1)
            if overlap:
                raise ValidationError(_(
                    "Term %(term)s overlaps term %(other)s.", term=term.name, other=overlap.name))

    @api.model
    def _covering(self, day, company=None):
        """The term of ``company`` that includes ``day`` (empty when none does)."""
        company = company or self.env.company
        return self.search([
            ("company_id", "=", company.id), ("date_start", "<=", day), ("date_end", ">=", day),
        ], limit=1)
