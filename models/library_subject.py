from odoo import fields, models


class LibrarySubject(models.Model):
    _name = "library.subject"
    _description = "Subject"
    _order = "name"

    name = fields.Char(required=True, translate=True)
