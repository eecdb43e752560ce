from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .jalali import format_user_date, format_user_datetime


class LibraryDesk(models.AbstractModel):
    """The circulation desk: what the desk screen calls when a card or a copy is scanned.

    Every method returns the member's whole picture (state, blocks, loans, holds) so the
    screen redraws from one answer; a refusal is a UserError whose message the screen shows.
    """
    _name = "library.desk"
    _description = "Circulation Desk"

    @api.model
    def desk_scan_member(self, code):
        code = (code or "").strip()
        member = self.env["library.member"].search([("code", "=", code)], limit=1, order="id") if code else False
        if not member:
            raise UserError(_("No member has the card number %(code)s.", code=code or _("(empty)")))
        return self._desk_payload(member)

    @api.model
    def desk_checkout(self, member_id, barcode):
        member = self.env["library.member"].browse(member_id)
        copy = self.env["library.copy"]._find_by_barcode(barcode)
        loan = self.env["library.loan"]._checkout(member, copy)
        return self._desk_payload(member, _("Lent %(copy)s, due %(date)s.", copy=copy.display_name,
                                            date=format_user_date(self.env, loan.due_date)))

    @api.model
    def desk_return(self, barcode, member_id=False):
        copy = self.env["library.copy"]._find_by_barcode(barcode)
        loan = copy.current_loan_id
        if not loan:
            raise UserError(_("%(copy)s is not on loan: it is %(state)s.",
                              copy=copy.display_name, state=copy._state_label().lower()))
        loan.action_return()
        message = _("Returned %(copy)s.", copy=copy.display_name)
        if copy.state == "hold_shelf":
            message += " " + _("Put it on the hold shelf for %(member)s.", member=copy.hold_id.member_id.name)
        return self._desk_payload(loan.member_id, message)

    @api.model
    def desk_renew(self, member_id, barcode):
        member = self.env["library.member"].browse(member_id)
        copy = self.env["library.copy"]._find_by_barcode(barcode)
        loan = copy.current_loan_id
        if not loan or loan.member_id != member:
            raise UserError(_("%(copy)s is not on loan to %(member)s.", copy=copy.display_name, member=member.name))
        loan.action_renew()
        return self._desk_payload(member, _("Renewed %(copy)s, now due %(date)s.", copy=copy.display_name,
                                            date=format_user_date(self.env, loan.due_date)))

    @api.model
    def _desk_payload(self, member, message=None):
        today = fields.Date.context_today(self)
        unpaid = member._unpaid_total()
        loans = self.env["library.loan"].search(
            [("member_id", "=", member.id), ("state", "in", ("open", "overdue"))], order="due_date, id")
        holds = self.env["library.hold"].search(
            [("member_id", "=", member.id), ("state", "in", ("waiting", "ready"))])
        limit = False
        policy = member.company_id.library_policy_id
        if policy:
            limit = policy._get_general_rule(member.category_id).max_items or False
        return {
            "message": message or False,
            "member": {
                "id": member.id,
                "name": member.name,
                "code": member.code,
                "category": member.category_id.name,
                "state": member.state,
                "state_label": member._state_label(),
                "date_end": member.date_end and format_user_date(self.env, member.date_end) or False,
                "blocks": member._get_borrowing_blocks(today, unpaid),
                "loan_count": len(loans),
                "limit": limit,
                "unpaid": unpaid,
                "unpaid_label": member._format_amount(unpaid),
            },
            "loans": [{
                "id": loan.id,
                "barcode": loan.copy_id.barcode,
                "title": loan.title_id.name,
                "date_checkout": format_user_date(self.env, loan.date_checkout),
                "due_date": format_user_date(self.env, loan.due_date),
                "overdue": loan.due_date < today,
                "renewals": loan.renewal_count,
                "fine": loan.fine_amount and member._format_amount(loan.fine_amount) or False,
            } for loan in loans],
            "holds": [{
                "id": hold.id,
                "title": hold.title_id.name,
                "state": hold.state,
                "state_label": dict(hold._fields["state"]._description_selection(self.env))[hold.state],
                "position": hold.queue_position,
                "expiry": hold.date_expiry and format_user_datetime(self.env, hold.date_expiry) or False,
                "barcode": hold.copy_id.barcode or False,
            } for hold in holds],
        }
