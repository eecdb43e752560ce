from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LibraryHold(models.Model):
    _name = "library.hold"
    _description = "Hold"
    _inherit = ["mail.thread"]
    _order = "date_placed, id"
    _check_company_auto = True

    title_id = fields.Many2one("library.title", required=True, readonly=True, index=True)
    member_id = fields.Many2one("library.member", required=True, readonly=True, index=True, check_company=True)
    company_id = fields.Many2one(related="member_id.company_id", store=True, index=True)
    state = fields.Selection([
        ("waiting", "Waiting"),
        ("ready", "On the Hold Shelf"),
        ("fulfilled", "Fulfilled"),
        ("expired", "Expired"),
        ("cancelled", "Cancelled"),
    ], default="waiting", required=True, readonly=True, tracking=True, index=True)
    date_placed = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    copy_id = fields.Many2one("library.copy", string="Copy Held", readonly=True)
    date_ready = fields.Datetime(string="On Shelf Since", readonly=True)
    date_expiry = fields.Datetime(string="Pick Up Before", readonly=True)
    loan_id = fields.Many2one("library.loan", readonly=True)
    queue_position = fields.Integer(compute="_compute_queue_position", string="Position")

    @api.depends("state", "date_placed", "title_id")
    def _compute_queue_position(self):
        for hold in self:
            if hold.state != "waiting" or not hold.id:
                hold.queue_position = 0
                continue
            hold.queue_position = self.search_count([
                ("title_id", "=", hold.title_id.id), ("state", "=", "waiting"),
                "|", ("date_placed", "<", hold.date_placed),
                "&", ("date_placed", "=", hold.date_placed), ("id", "<=", hold.id),
            ])

    @api.depends("title_id", "member_id")
    def _compute_display_name(self):
        for hold in self:
            hold.display_name = f"{hold.title_id.name or ''} — {hold.member_id.name or ''}"

    @api.model
    def _place(self, member, title, now=None):
        """Put ``member`` in the queue for ``title``; a copy on the shelf goes to the hold shelf at once."""
        now = now or fields.Datetime.now()
        member._check_can_borrow(now.date())
        if not title.copy_ids.filtered(lambda c: c.may_leave and c.state not in ("lost", "withdrawn")):
            raise UserError(_("%(title)s has no copy that may leave the library.", title=title.name))
        if self.search_count([("member_id", "=", member.id), ("title_id", "=", title.id),
                              ("state", "in", ("waiting", "ready"))]):
            raise UserError(_("%(member)s already has a hold on %(title)s.", member=member.name, title=title.name))
        if self.env["library.loan"].search_count([("member_id", "=", member.id), ("title_id", "=", title.id),
                                                  ("state", "in", ("open", "overdue"))]):
            raise UserError(_("%(member)s already has %(title)s on loan.", member=member.name, title=title.name))
        hold = self.create({"member_id": member.id, "title_id": title.id, "date_placed": now})
        shelf_copy = title.copy_ids.filtered(lambda c: c.state == "available" and c.may_leave)[:1]
        if shelf_copy and not title._first_waiting_hold(exclude_member=member):
            hold._make_ready(shelf_copy, now)
        return hold

    def _make_ready(self, copy, now=None):
        """Put ``copy`` on the hold shelf for this hold and tell the member."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        hours = self.member_id.company_id._library_policy().hold_pickup_hours
        self.write({
            "state": "ready", "copy_id": copy.id, "date_ready": now,
            "date_expiry": now + timedelta(hours=hours),
        })
        copy.write({"state": "hold_shelf", "hold_id": self.id})
        self._notify_ready()

    def _notify_ready(self):
        for hold in self:
            self.env["library.notice"]._emit(
                "hold_ready", hold.member_id, f"hold_ready:{hold.id}:{hold.date_ready}", hold_id=hold.id,
                date_event=hold.date_expiry.date(), items_text=hold.title_id.name)

    def action_cancel(self):
        for hold in self:
            if hold.state not in ("waiting", "ready"):
                raise UserError(_("The hold of %(member)s on %(title)s is already closed.",
                                  member=hold.member_id.name, title=hold.title_id.name))
        released = self.filtered(lambda h: h.state == "ready").copy_id
        self.write({"state": "cancelled"})
        released.write({"hold_id": False})
        released._route_after_return()
        return True

    @api.model
    def _cron_expire(self, now=None):
        """Holds not picked up in time expire; their copies pass to the next member in line."""
        now = now or fields.Datetime.now()
        expired = self.search([("state", "=", "ready"), ("date_expiry", "<", now)])
        copies = expired.copy_id
        expired.write({"state": "expired"})
        copies.write({"hold_id": False})
        for copy in copies:
            copy._route_after_return(now)
        return expired
