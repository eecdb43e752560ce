from odoo import _, fields, models
from odoo.exceptions import UserError

# Categories for employees whose job names none, by Odoo's employee type.
EMPLOYEE_TYPE_CATEGORY = {
    "employee": "university_library.category_employee",
    "worker": "university_library.category_employee",
    "contractor": "university_library.category_employee_retired",
    "freelance": "university_library.category_employee_retired",
    "student": "university_library.category_student_grad",
    "trainee": "university_library.category_student_grad",
}


class HrJob(models.Model):
    _inherit = "hr.job"

    library_category_id = fields.Many2one(
        "library.member.category", string="Library Member Category",
        help="Employees in this job join the library in this category (e.g. professors: faculty).")


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    library_member_ids = fields.One2many("library.member", "employee_id", string="Library Memberships",
                                         groups="hr.group_hr_user")

    def _library_category(self):
        self.ensure_one()
        if self.job_id.library_category_id:
            return self.job_id.library_category_id
        return self.env.ref(EMPLOYEE_TYPE_CATEGORY.get(self.employee_type, "university_library.category_employee"))

    def action_sync_library_member(self):
        """Create or update each employee's library membership (category from job or type)."""
        members = self.env["library.member"]
        for employee in self:
            partner = employee.work_contact_id
            if not partner:
                raise UserError(_("%(employee)s has no work contact to link a library membership to.",
                                  employee=employee.name))
            member = employee.sudo().library_member_ids.filtered(lambda m: m.state != "left")[:1]
            vals = {
                "partner_id": partner.id,
                "category_id": employee._library_category().id,
                "employee_id": employee.id,
                "company_id": employee.company_id.id,
                "date_end": employee.sudo().departure_date or False,
            }
            if member:
                member.sudo().write(vals)
            else:
                member = self.env["library.member"].sudo().create(dict(vals, state="active"))
            members |= member
        return members

    def write(self, vals):
        res = super().write(vals)
        if vals.get("active") is False:
            self._library_flag_departure()
        return res

    def _library_flag_departure(self):
        """An employee who leaves: membership ends, or is flagged while items are still out."""
        for member in self.sudo().library_member_ids.filtered(lambda m: m.state not in ("left",)):
            blockers = member._clearance_blockers()
            if blockers:
                member.message_post(body=_("%(employee)s left the university while the library still "
                                           "waits for: %(what)s", employee=member.name, what="; ".join(blockers)))
                member.activity_schedule("mail.mail_activity_data_todo", summary=_("Left with items or debts"),
                                         note="; ".join(blockers))
                member.state = "expired"
            else:
                member.state = "left"
