import base64
import csv
import io
from datetime import datetime

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.library_clearance import INQUIRY_REASONS, LEAVING_REASONS


class HrDepartureWizard(models.TransientModel):
    _inherit = "hr.departure.wizard"

    library_member_ids = fields.Many2many("library.member", compute="_compute_library_status")
    library_cleared = fields.Boolean(compute="_compute_library_status")
    library_blockers = fields.Text(compute="_compute_library_status", string="Library")
    library_send_to_payroll = fields.Boolean(
        string="Deduct What Is Owed From the Final Pay",
        help="HR manager only: register the departure although the library has not cleared the employee; "
             "the unpaid library charges go to the final payroll deduction.")

    @api.depends("employee_id")
    def _compute_library_status(self):
        for wizard in self:
            members = wizard.employee_id.sudo().library_member_ids.filtered(lambda m: m.state != "left")
            blockers = []
            for member in members:
                blockers += member._clearance_blockers()
            wizard.library_member_ids = members
            wizard.library_cleared = not blockers
            wizard.library_blockers = "\n".join(blockers) or _("Cleared")

    def action_register_departure(self):
        for wizard in self:
            if wizard.library_cleared:
                continue
            if not wizard.library_send_to_payroll:
                raise UserError(_("%(employee)s is not cleared by the library: %(what)s",
                                  employee=wizard.employee_id.name, what=wizard.library_blockers.replace("\n", "; ")))
            if not self.env.user.has_group("hr.group_hr_manager"):
                raise UserError(_("Only an HR manager can send library debts to the final payroll deduction."))
            for member in wizard.library_member_ids:
                invoices = member._open_charges()
                invoices.sudo().write({"library_payroll_requested": True})
                member.message_post(body=_(
                    "Departure registered by %(user)s without library clearance; %(amount)s sent to the final "
                    "payroll deduction. Still owed: %(what)s", user=self.env.user.name,
                    amount=member._format_amount(sum(invoices.mapped("amount_residual"))),
                    what=wizard.library_blockers.replace("\n", "; ")))
        return super().action_register_departure()


class LibraryClearanceInquiry(models.TransientModel):
    """The offices' question each term or year: who on this list owes the library anything?"""
    _name = "library.clearance.inquiry"
    _description = "Bulk Clearance Inquiry"

    reason = fields.Selection(INQUIRY_REASONS + LEAVING_REASONS, required=True, default="registration")
    member_ids = fields.Many2many("library.member", string="Members")
    employee_ids = fields.Many2many("hr.employee", string="Employees")
    file = fields.Binary(help="A CSV or text file with one card number, student number or employee name a line.")
    line_ids = fields.One2many("library.clearance.inquiry.line", "inquiry_id", readonly=True)

    def _members(self):
        members = self.member_ids | self.employee_ids.sudo().library_member_ids
        if self.file:
            text = base64.b64decode(self.file).decode("utf-8-sig")
            keys = [row[0].strip() for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
            Member = self.env["library.member"]
            for key in keys:
                found = Member.search(["|", ("code", "=", key), ("student_number", "=", key)], limit=1)
                members |= found
        return members

    def action_inquire(self):
        self.ensure_one()
        members = self._members()
        if not members:
            raise UserError(_("Give members, employees or a file of card or student numbers."))
        lines = []
        blockers_by_member = members._clearance_blockers_batch()
        for member in members:
            blockers = blockers_by_member[member.id]
            lines.append(Command.create({"member_id": member.id, "cleared": not blockers,
                                         "reasons": "; ".join(blockers) or False}))
        self.line_ids = [Command.clear()] + lines
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new"}

    def action_export_xlsx(self):
        self.ensure_one()
        import xlsxwriter
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = book.add_worksheet(_("Clearance"))
        bold = book.add_format({"bold": True})
        headers = [_("Card"), _("Student number"), _("Name"), _("Category"), _("Cleared"), _("Reasons")]
        for col, header in enumerate(headers):
            sheet.write(0, col, header, bold)
        for row, line in enumerate(self.line_ids, start=1):
            member = line.member_id
            sheet.write_row(row, 0, [member.code, member.student_number or "", member.name, member.category_id.name,
                                     _("Yes") if line.cleared else _("No"), line.reasons or ""])
        sheet.set_column(0, 5, 22)
        book.close()
        return self.env["library.member"]._xlsx_download(f"clearance-{datetime.now():%Y%m%d-%H%M}.xlsx",
                                                         output.getvalue(), self)


class LibraryClearanceInquiryLine(models.TransientModel):
    _name = "library.clearance.inquiry.line"
    _description = "Bulk Clearance Inquiry Line"

    inquiry_id = fields.Many2one("library.clearance.inquiry", required=True, ondelete="cascade")
    member_id = fields.Many2one("library.member", required=True)
    cleared = fields.Boolean()
    reasons = fields.Text()


DEGREE_CATEGORIES = {
    "associate": "university_library.category_student_ug",
    "bachelor": "university_library.category_student_ug",
    "master": "university_library.category_student_grad",
    "doctorate": "university_library.category_student_grad",
}
STUDENT_COLUMNS = ["student_number", "name", "degree_level", "faculty", "expected_end"]


class LibraryStudentImport(models.TransientModel):
    """Students from the education office: CSV or XLSX with student number, name, degree level,
    faculty and expected end of studies. A file with errors imports nothing unless asked."""
    _name = "library.student.import"
    _description = "Import Students"

    file = fields.Binary(required=True)
    filename = fields.Char()
    import_valid_rows = fields.Boolean(string="Import the Valid Rows Anyway")
    error_text = fields.Text(readonly=True, string="Errors")
    imported_count = fields.Integer(readonly=True)

    def _rows(self):
        raw = base64.b64decode(self.file)
        if (self.filename or "").lower().endswith(".xlsx"):
            import openpyxl
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            rows = [["" if cell is None else cell for cell in row] for row in book.active.iter_rows(values_only=True)]
        else:
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        if not rows:
            raise UserError(_("The file is empty."))
        header = [str(cell).strip().lower() for cell in rows[0]]
        missing = [column for column in STUDENT_COLUMNS if column not in header]
        if missing:
            raise UserError(_("The file lacks the column(s): %(columns)s. Expected: %(expected)s.",
                              columns=", ".join(missing), expected=", ".join(STUDENT_COLUMNS)))
        index = {column: header.index(column) for column in STUDENT_COLUMNS}
        return [(number, {column: row[index[column]] if index[column] < len(row) else "" for column in STUDENT_COLUMNS})
                for number, row in enumerate(rows[1:], start=2) if any(str(cell).strip() for cell in row)]

    @api.model
    def _parse_date(self, value):
        if isinstance(value, datetime):
            return value.date()
        if hasattr(value, "year") and hasattr(value, "month"):
            return value
        try:
            return datetime.strptime(str(value).strip(), "%Y-%m-%d").date()
        except ValueError:
            return None

    def _validate(self):
        valid, errors, seen = [], [], set()
        for line, row in self._rows():
            number = str(row["student_number"]).strip()
            name = str(row["name"]).strip()
            degree = str(row["degree_level"]).strip().lower()
            end = self._parse_date(row["expected_end"])
            problems = []
            if not number:
                problems.append(_("no student number"))
            elif number in seen:
                problems.append(_("student number %(number)s appears twice", number=number))
            if not name:
                problems.append(_("no name"))
            if degree not in DEGREE_CATEGORIES:
                problems.append(_("degree level '%(degree)s' is not one of %(levels)s", degree=degree,
                                  levels=", ".join(DEGREE_CATEGORIES)))
            if end is None:
                problems.append(_("expected end '%(value)s' is not a date (YYYY-MM-DD)", value=row["expected_end"]))
            seen.add(number)
            if problems:
                errors.append(_("Row %(line)s: %(problems)s", line=line, problems="; ".join(problems)))
            else:
                valid.append({"student_number": number, "name": name, "degree_level": degree,
                              "faculty_name": str(row["faculty"]).strip(), "date_end": end})
        return valid, errors

    def action_import(self):
        self.ensure_one()
        valid, errors = self._validate()
        if errors and not self.import_valid_rows:
            self.error_text = "\n".join(errors)
            raise UserError(_("Nothing was imported: the file has errors.\n%(errors)s", errors="\n".join(errors)))
        Member = self.env["library.member"]
        for vals in valid:
            category = self.env.ref(DEGREE_CATEGORIES[vals["degree_level"]])
            member = Member.search([("student_number", "=", vals["student_number"])], limit=1)
            member_vals = {"category_id": category.id, "degree_level": vals["degree_level"],
                           "faculty_name": vals["faculty_name"], "date_end": vals["date_end"]}
            if member:
                member.partner_id.name = vals["name"]
                member.write(member_vals)
            else:
                partner = self.env["res.partner"].create({"name": vals["name"]})
                Member.create(dict(member_vals, partner_id=partner.id, student_number=vals["student_number"],
                                   state="active"))
        self.write({"imported_count": len(valid), "error_text": "\n".join(errors) or False})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new"}
