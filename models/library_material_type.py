from odoo import fields, models


class LibraryMaterialType(models.Model):
    _name = "library.material.type"
    _description = "Material Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    may_leave = fields.Boolean(
        string="May Leave the Library", default=True,
        help="Unticked: in-library use only (reference works, rare books, periodicals, theses, non-print media).")
    is_reserve = fields.Boolean(
        string="Reserve Shelf", help="High-demand, textbook or single-copy items kept on the reserve shelves "
                                     "for short loans.")
    is_non_print = fields.Boolean(string="Non-print Media", help="CDs, films, slides, maps, audio tapes.")

    _sql_constraints = [("code_uniq", "unique(code)", "Each material type needs its own code.")]
