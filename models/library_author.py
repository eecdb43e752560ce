from odoo import fields, models


class LibraryAuthor(models.Model):
    _name = "library.author"
    _description = "Author"
    _order = "name"

    name = fields.Char(required=True, index="trigram")
    title_ids = fields.Many2many("library.title", string="Titles")
