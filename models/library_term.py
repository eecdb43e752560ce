from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .jalali import parse_jalali_input, to_jalali_str

# Jalali text field -> the Gregorian date field it edits.
JALALI_FIELDS = {"date_start_jalali": "date_start", "date_end_jalali": "date_end"}


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
    date_start_jalali = fields.Char(
        string="Start (Jalali)", compute="_compute_jalali_dates", inverse="_inverse_date_start_jalali",
        help="The start date in the Persian calendar, year/month/day, e.g. 1405/06/31.")
    date_end_jalali = fields.Char(
        string="End (Jalali)", compute="_compute_jalali_dates", inverse="_inverse_date_end_jalali",
        help="The end date in the Persian calendar, year/month/day, e.g. 1405/10/30.")

    @api.depends("date_start", "date_end")
    def _compute_jalali_dates(self):
        for term in self:
            term.date_start_jalali = to_jalali_str(term.date_start)
            term.date_end_jalali = to_jalali_str(term.date_end)

    def _inverse_jalali(self, fname):
        for term in self:
            text = term[fname]
            if not (text or "").strip():
                continue  # an emptied Jalali field leaves the date as it was (the date is required)
            term[JALALI_FIELDS[fname]] = parse_jalali_input(self.env, text, term._jalali_label(fname))

    def _jalali_label(self, fname):
        return self._fields[fname].get_description(self.env)["string"]

    def _inverse_date_start_jalali(self):
        self._inverse_jalali("date_start_jalali")

    def _inverse_date_end_jalali(self):
        self._inverse_jalali("date_end_jalali")

    @api.onchange("date_start_jalali", "date_end_jalali")
    def _onchange_jalali_dates(self):
        """Show the Gregorian date as soon as a Jalali one is typed."""
        for fname, date_fname in JALALI_FIELDS.items():
            text = self[fname]
            if not (text or "").strip() or text == to_jalali_str(self[date_fname]):
                continue
            try:
                self[date_fname] = parse_jalali_input(self.env, text, self._jalali_label(fname))
            except ValidationError as error:
                return {"warning": {"title": _("Invalid Jalali date"), "message": error.args[0]}}

    @api.model_create_multi
    def create(self, vals_list):
        # Jalali dates typed on creation become the (required) Gregorian dates before the insert.
        for vals in vals_list:
            for fname, date_fname in JALALI_FIELDS.items():
                text = vals.pop(fname, None)
                if (text or "").strip():
                    vals[date_fname] = parse_jalali_input(self.env, text, self._jalali_label(fname))
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if JALALI_FIELDS.keys() & vals.keys():
            # read the Jalali dates back as the calendar writes them (1405/06/31, not ۱۴۰۵/۶/۳۱)
            self.invalidate_recordset(list(JALALI_FIELDS))
        return res

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
