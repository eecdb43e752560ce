from odoo import fields, models


class LibraryHoldPlace(models.TransientModel):
    _name = "library.hold.place"
    _description = "Place a Hold"

    title_id = fields.Many2one("library.title", required=True)
    member_id = fields.Many2one("library.member", required=True, domain="[('state', '=', 'active')]")

    def action_place(self):
        self.ensure_one()
        self.env["library.hold"]._place(self.member_id, self.title_id)
        return {"type": "ir.actions.act_window_close"}
