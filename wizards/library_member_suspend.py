from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LibraryMemberSuspend(models.TransientModel):
    _name = "library.member.suspend"
    _description = "Suspend a Member"

    member_id = fields.Many2one("library.member", required=True)
    until_term_end = fields.Boolean(string="Until the End of the Term", default=True)
    date_until = fields.Date(string="Suspended Until", compute="_compute_date_until", store=True, readonly=False)
    reason = fields.Char(required=True)

    @api.depends("until_term_end", "member_id")
    def _compute_date_until(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.until_term_end:
                term = self.env["library.term"]._covering(today, wizard.member_id.company_id)
                wizard.date_until = term.date_end
            elif not wizard.date_until:
                wizard.date_until = False

    def action_confirm(self):
        self.ensure_one()
        if not self.date_until:
            raise UserError(_("Give the date the suspension ends (no academic term covers today)."))
        if self.date_until < fields.Date.context_today(self):
            raise UserError(_("A suspension cannot end in the past."))
        self.member_id._suspend(self.date_until, self.reason)
        return {"type": "ir.actions.act_window_close"}
