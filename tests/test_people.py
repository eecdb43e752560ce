import base64
import io
from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import SATURDAY, LibraryMoneyCase


@tagged("post_install", "-at_install")
class TestPeople(LibraryMoneyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("hr.group_hr_manager")
        cls.professor_job = cls.env["hr.job"].create({"name": "Professor",
                                                      "library_category_id": cls.cat["faculty"].id})
        cls.dean = cls.env["hr.employee"].create({"name": "Dean Dehghan", "company_id": cls.company.id,
                                                  "user_id": cls.env.user.id})
        cls.professor = cls.env["hr.employee"].create({
            "name": "Prof. Parvin", "job_id": cls.professor_job.id, "parent_id": cls.dean.id,
            "company_id": cls.company.id})
        cls.clerk = cls.env["hr.employee"].create({"name": "Clerk Karimi", "employee_type": "employee",
                                                   "company_id": cls.company.id, "parent_id": cls.dean.id})
        cls.librarian = new_test_user(cls.env, "people_desk", company_id=cls.company.id,
                                      groups="base.group_user,university_library.group_librarian")
        cls.hr_officer = new_test_user(cls.env, "people_hr", company_id=cls.company.id,
                                       groups="base.group_user,hr.group_hr_user")
        cls.finance = new_test_user(cls.env, "people_finance", company_id=cls.company.id,
                                    groups="base.group_user,account.group_account_invoice")

    # ---- HR link -----------------------------------------------------------
    def test_employee_becomes_member_with_category_from_job_or_type(self):
        members = (self.professor | self.clerk).action_sync_library_member()
        professor, clerk = members
        self.assertEqual(professor.partner_id, self.professor.work_contact_id)
        self.assertEqual(professor.category_id, self.cat["faculty"])
        self.assertEqual(clerk.category_id, self.cat["employee"])
        self.assertEqual((professor.state, professor.is_staff), ("active", True))
        # syncing again updates, never duplicates
        self.professor.departure_date = date(2027, 6, 30)
        self.assertEqual(self.professor.action_sync_library_member(), professor)
        self.assertEqual(professor.date_end, date(2027, 6, 30))
        self.assertEqual(len(self.professor.library_member_ids), 1)

    def test_librarian_cannot_read_private_hr_data(self):
        member = self.professor.action_sync_library_member()
        as_librarian = member.with_user(self.librarian)
        self.assertEqual(as_librarian.name, "Prof. Parvin")
        self.assertTrue(as_librarian.is_staff)
        with self.assertRaises(AccessError):
            as_librarian.employee_id
        with self.assertRaises(AccessError):
            self.env["hr.employee"].with_user(self.librarian).browse(self.professor.id).private_phone
        self.assertEqual(member.with_user(self.hr_officer).employee_id, self.professor)

    def test_employee_leaving_flags_membership(self):
        member = self.clerk.action_sync_library_member()
        self.checkout(member, self._title("Still out at departure", copies=1).copy_ids)
        self.clerk.active = False
        self.assertEqual(member.state, "expired")
        self.assertTrue(member.activity_ids)
        clean = self.professor.action_sync_library_member()
        self.professor.active = False
        self.assertEqual(clean.state, "left")

    # ---- Students ----------------------------------------------------------
    def _import(self, content, filename="students.csv", valid_rows=False):
        wizard = self.env["library.student.import"].with_user(self.librarian).create({
            "file": base64.b64encode(content), "filename": filename, "import_valid_rows": valid_rows})
        return wizard

    def test_student_import_refuses_a_file_with_errors_then_imports_valid_rows_on_request(self):
        content = ("student_number,name,degree_level,faculty,expected_end\n"
                   "S1001,Sara Sadeghi,bachelor,Engineering,2028-07-01\n"
                   ",No Number,master,Science,2028-07-01\n"
                   "S1003,Reza Rahimi,postdoc,Science,2028-07-01\n"
                   "S1004,Mina Moradi,master,Medicine,July 2028\n"
                   "S1001,Twice Sara,bachelor,Engineering,2028-07-01\n"
                   "S1006,Hamid Heidari,doctorate,Medicine,2029-01-31\n").encode()
        count = self.env["library.member"].search_count([])
        with self.assertRaises(UserError) as error:
            self._import(content).action_import()
        message = str(error.exception)
        self.assertIn("Nothing was imported", message)
        self.assertIn("Row 3: no student number", message)
        self.assertIn("Row 4: degree level 'postdoc' is not one of", message)
        self.assertIn("Row 5: expected end 'July 2028' is not a date", message)
        self.assertIn("Row 6: student number S1001 appears twice", message)
        self.assertEqual(self.env["library.member"].search_count([]), count)
        wizard = self._import(content, valid_rows=True)
        wizard.action_import()
        self.assertEqual(wizard.imported_count, 2)
        sara = self.env["library.member"].search([("student_number", "=", "S1001")])
        hamid = self.env["library.member"].search([("student_number", "=", "S1006")])
        self.assertEqual((sara.name, sara.category_id, sara.date_end), ("Sara Sadeghi", self.cat["student_ug"],
                                                                         date(2028, 7, 1)))
        self.assertEqual((hamid.category_id, hamid.degree_level, hamid.faculty_name),
                         (self.cat["student_grad"], "doctorate", "Medicine"))

    def test_student_import_xlsx_and_missing_columns(self):
        import openpyxl
        book = openpyxl.Workbook()
        book.active.append(["student_number", "name", "degree_level", "faculty", "expected_end"])
        book.active.append(["S2001", "Ali Azizi", "associate", "Arts", "2027-09-30"])
        buffer = io.BytesIO()
        book.save(buffer)
        self._import(buffer.getvalue(), "students.xlsx").action_import()
        self.assertEqual(self.env["library.member"].search([("student_number", "=", "S2001")]).category_id,
                         self.cat["student_ug"])
        with self.assertRaisesRegex(UserError, "lacks the column\\(s\\): expected_end"):
            self._import(b"student_number,name,degree_level,faculty\nS1,A,bachelor,X\n").action_import()

    # ---- Letters and escalation -------------------------------------------
    def test_reminder_at_due_date_escalation_after_grace_and_delay_once(self):
        member = self.clerk.action_sync_library_member()        # employee: 15 days, grace 7, escalation 14
        loan = self.checkout(member, self._title("Letter book", copies=1).copy_ids)
        self.assertEqual(loan.due_date, date(2026, 12, 6))
        Loan = self.env["library.loan"]
        Loan._cron_staff_letters(date(2026, 12, 5))
        self.assertFalse(loan.reminder_date)
        Loan._cron_staff_letters(date(2026, 12, 6))
        self.assertEqual(loan.reminder_date, date(2026, 12, 6))
        letters = member.message_ids.filtered(lambda m: (m.subject or "").startswith("Reminder"))
        self.assertEqual(len(letters), 1)
        self.assertEqual(letters.attachment_ids.mimetype, "application/pdf")
        Loan._cron_staff_letters(date(2026, 12, 7))
        self.assertEqual(len(member.message_ids.filtered(lambda m: (m.subject or "").startswith("Reminder"))), 1)
        Loan._cron_staff_letters(date(2026, 12, 26))  # 20 days: grace 7 + 14 not reached
        self.assertFalse(loan.escalation_date)
        Loan._cron_staff_letters(date(2026, 12, 27))  # 21 days
        self.assertEqual(loan.escalation_date, date(2026, 12, 27))
        activity = member.activity_ids.filtered(lambda a: a.summary == "Library escalation")
        self.assertEqual(activity.user_id, self.dean.user_id)
        Loan._cron_staff_letters(date(2026, 12, 28))
        self.assertEqual(len(member.activity_ids.filtered(lambda a: a.summary == "Library escalation")), 1)
        student = self._member("student_ug", name="No letters")
        other = self.checkout(student, self._title("Student book", copies=1).copy_ids)
        Loan._cron_staff_letters(date(2027, 1, 30))
        self.assertFalse(other.reminder_date)

    # ---- Payroll deductions -------------------------------------------------
    def _staff_fine(self, employee, days_late=10):
        member = employee.action_sync_library_member()
        loan = self.checkout(member, self._title(f"Fine of {employee.name}", copies=1).copy_ids)
        loan.action_return(loan.due_date + timedelta(days=days_late))
        loan.escalation_date = loan.due_date + timedelta(days=21)
        return member, loan

    def test_full_deduction_cycle_with_journal_items(self):
        member, loan = self._staff_fine(self.clerk)              # 3 days after grace: 3,000
        _member2, loan2 = self._staff_fine(self.professor, 40)   # faculty due at term end
        batch = self.env["library.deduction.batch"].with_user(self.hr_officer).create({
            "date_from": date(2027, 2, 1), "date_to": date(2027, 2, 28)})
        batch.action_compute()
        self.assertEqual(batch.line_ids.member_id, member, "the professor's escalation is not old enough")
        self.assertEqual((batch.line_ids.amount, batch.total), (3000, 3000))
        self.assertEqual(batch.line_ids.employee_id, self.clerk)
        with self.assertRaisesRegex(UserError, "Finance approves"):
            batch.with_user(self.hr_officer).action_approve()
        batch.with_user(self.finance).action_approve()
        # the export any payroll system can read
        url = batch.action_export_xlsx()["url"]
        attachment = self.env["ir.attachment"].browse(int(url.split("/")[3].split("?")[0]))
        import openpyxl
        rows = list(openpyxl.load_workbook(io.BytesIO(attachment.raw)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("Employee ID", "Name", "Amount", "Detail"))
        self.assertEqual(rows[1][1:3], ("Clerk Karimi", 3000))
        self.assertEqual(rows[-1][1:3], ("Total", 3000))
        batch.with_user(self.hr_officer).action_mark_deducted()
        self.assertEqual((batch.state, loan.invoice_id.payment_state), ("deducted", "paid"))
        move = batch.line_ids.move_id
        self.assertEqual(move.journal_id, self.company.library_withholding_journal_id)
        self.assertRecordValues(move.line_ids.sorted("debit"), [
            {"account_id": loan.invoice_id.line_ids.filtered(
                lambda l: l.account_id.account_type == "asset_receivable").account_id.id,
             "credit": 3000, "debit": 0, "partner_id": member.partner_id.id, "reconciled": True},
            {"account_id": self.company.library_withholding_account_id.id, "credit": 0, "debit": 3000,
             "partner_id": member.partner_id.id, "reconciled": False},
        ])
        with self.assertRaisesRegex(UserError, "only an approved batch can be marked deducted"):
            batch.action_mark_deducted()
        self.assertEqual(len(self.env["account.move"].search([("journal_id", "=",
                                                               self.company.library_withholding_journal_id.id)])), 1)
        self.assertEqual(loan2.invoice_id.payment_state, "not_paid")

    def test_fine_paid_at_the_desk_drops_out_and_is_never_deducted_twice(self):
        member, loan = self._staff_fine(self.clerk)
        batch = self.env["library.deduction.batch"].create({"date_from": date(2027, 3, 1),
                                                            "date_to": date(2027, 3, 31)})
        batch.action_compute()
        second = self.env["library.deduction.batch"].create({"date_from": date(2027, 3, 1),
                                                             "date_to": date(2027, 3, 31)})
        second.action_compute()
        self.assertFalse(second.line_ids, "a fine already in an open batch is not taken twice")
        self.take_payment(member, day=date(2027, 3, 10))
        batch.action_approve()
        self.assertEqual((batch.line_ids.state, batch.total), ("dropped", 0))
        batch.action_mark_deducted()
        self.assertFalse(batch.line_ids.move_id)
        amount, lines = self.env["library.deduction.batch"].get_deductions_for_employee(
            self.clerk, date(2027, 3, 1), date(2027, 3, 31))
        self.assertEqual((amount, lines), (0, self.env["library.deduction.line"]))

    def test_python_hook_confirms_once(self):
        _member, loan = self._staff_fine(self.clerk)
        batch = self.env["library.deduction.batch"].create({"date_from": date(2027, 3, 1),
                                                            "date_to": date(2027, 3, 31)})
        batch.action_compute()
        batch.action_approve()
        Batch = self.env["library.deduction.batch"]
        amount, lines = Batch.get_deductions_for_employee(self.clerk, date(2027, 3, 1), date(2027, 3, 31))
        self.assertEqual(amount, 3000)
        Batch.confirm_deducted(self.clerk, date(2027, 3, 1), date(2027, 3, 31), reference="SLIP/001")
        Batch.confirm_deducted(self.clerk, date(2027, 3, 1), date(2027, 3, 31), reference="SLIP/001")
        self.assertEqual(lines.move_id.ref, "SLIP/001")
        self.assertEqual(len(lines.move_id), 1)
        self.assertEqual((batch.state, loan.invoice_id.payment_state), ("deducted", "paid"))

    # ---- Clearance ---------------------------------------------------------
    def test_clearance_refused_then_granted_with_verifiable_certificate(self):
        member = self._member("student_grad", name="Graduating Student")
        loan = self.checkout(member, self._title("Thesis sources", copies=1).copy_ids)
        loan.action_return(date(2026, 12, 9))   # 3 days late: 900
        clearance = self.env["library.clearance"].with_user(self.librarian).create({
            "member_id": member.id, "kind": "leaving", "reason": "end_of_studies"})
        clearance.action_check(day=date(2026, 12, 10))
        self.assertEqual(clearance.state, "refused")
        self.assertIn("unpaid charges of", clearance.blockers)
        self.assertFalse(clearance.verification_code)
        self.take_payment(member, day=date(2026, 12, 10))
        clearance.action_check(day=date(2026, 12, 10))
        self.assertEqual((clearance.state, member.state), ("granted", "left"))
        code = clearance.verification_code
        self.assertEqual(len(code), 12)
        self.assertEqual(self.env["library.clearance"]._verify(code.lower()), clearance)
        self.assertFalse(self.env["library.clearance"]._verify("NOT-A-CODE"))
        html = self.env["ir.actions.report"]._render_qweb_html("university_library.action_report_clearance",
                                                               clearance.ids)[0].decode()
        self.assertIn("Library Clearance Certificate", html)
        self.assertIn(code, html)
        self.assertIn("/library/clearance/verify/" + code, html)

    def test_visitor_deposit_refunded_on_clearance(self):
        visitor = self._member("visitor", name="Visiting Researcher", date_end=date(2027, 6, 30))
        deposit = self.env["library.deposit"].create({"member_id": visitor.id, "amount": 3_000_000})
        deposit.action_receive(day=SATURDAY)
        clearance = self.env["library.clearance"].create({"member_id": visitor.id, "kind": "leaving",
                                                          "reason": "end_of_service"})
        clearance.action_check(day=date(2027, 6, 30))
        self.assertEqual((clearance.state, deposit.state), ("granted", "refunded"))
        inquiry_member = self._member("visitor", name="Still deposited", date_end=date(2027, 6, 30))
        self.env["library.deposit"].create({"member_id": inquiry_member.id, "amount": 1_000}).action_receive(SATURDAY)
        inquiry = self.env["library.clearance"].create({"member_id": inquiry_member.id, "kind": "inquiry",
                                                        "reason": "evaluation"})
        inquiry.action_check()
        self.assertEqual(inquiry.state, "refused")
        self.assertIn("deposit of", inquiry.blockers)

    def test_bulk_clearance_words_amounts_as_one_member_does(self):
        owing = self._member("student_grad", name="Owing Graduate")
        loan = self.checkout(owing, self._title("Late thesis sources", copies=1).copy_ids)
        loan.action_return(date(2026, 12, 9))   # 3 days late: 900
        visitor = self._member("visitor", name="Deposited Visitor", date_end=date(2027, 6, 30))
        self.env["library.deposit"].create({"member_id": visitor.id, "amount": 1_500_000}).action_receive(SATURDAY)
        clear = self._member("student_ug", name="Clear Undergraduate")
        batch = (owing | visitor | clear)._clearance_blockers_batch()
        self.assertEqual(batch[clear.id], [])
        self.assertEqual(batch[owing.id], owing._clearance_blockers())
        self.assertIn("unpaid charges of", batch[owing.id][0])
        self.assertEqual(batch[visitor.id], visitor._clearance_blockers())
        self.assertEqual(batch[visitor.id], [f"deposit of {visitor._format_amount(1_500_000)} to refund"])

    def test_departure_wizard_blocks_then_hr_manager_sends_debt_to_payroll(self):
        member, loan = self._staff_fine(self.clerk)
        wizard = Form(self.env["hr.departure.wizard"].with_context(
            active_id=self.clerk.id, default_employee_id=self.clerk.id))
        record = wizard.save()
        self.assertFalse(record.library_cleared)
        self.assertIn("unpaid charges of", record.library_blockers)
        with self.assertRaisesRegex(UserError, "Clerk Karimi is not cleared by the library"):
            record.action_register_departure()
        record.library_send_to_payroll = True
        with self.assertRaisesRegex(UserError, "Only an HR manager"):
            record.with_user(self.hr_officer).action_register_departure()
        record.action_register_departure()
        self.assertTrue(loan.invoice_id.library_payroll_requested)
        self.assertTrue(member.message_ids.filtered(lambda m: "final payroll deduction" in (m.body or "")))
        self.assertEqual(self.clerk.departure_date, record.departure_date)

    def test_bulk_inquiry_list_and_xlsx(self):
        clear = self._member("student_ug", name="Clear Student", student_number="S9001")
        owing = self._member("student_ug", name="Owing Student", student_number="S9002")
        self.checkout(owing, self._title("Unreturned", copies=1).copy_ids)
        inquiry = self.env["library.clearance.inquiry"].with_user(self.librarian).create({
            "reason": "registration", "file": base64.b64encode(b"S9001\nS9002\n")})
        inquiry.action_inquire()
        results = {line.member_id: (line.cleared, line.reasons) for line in inquiry.line_ids}
        self.assertEqual(results[clear], (True, False))  # nothing owed, no reasons
        self.assertFalse(results[owing][0])
        self.assertEqual(results[owing][1], "1 item(s) on loan")
        # the batch answer agrees with the one-member answer
        self.assertEqual(bool(owing._clearance_blockers()), bool(owing._clearance_blockers_batch()[owing.id]))
        url = inquiry.action_export_xlsx()["url"]
        attachment = self.env["ir.attachment"].browse(int(url.split("/")[3].split("?")[0]))
        import openpyxl
        rows = list(openpyxl.load_workbook(io.BytesIO(attachment.raw)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0][:5], ("Card", "Student number", "Name", "Category", "Cleared"))
        self.assertEqual({row[2]: row[4] for row in rows[1:]}, {"Clear Student": "Yes", "Owing Student": "No"})

    def test_access_rights_hr_finance_librarian(self):
        batch = self.env["library.deduction.batch"].create({"date_from": date(2027, 2, 1),
                                                            "date_to": date(2027, 2, 28)})
        with self.assertRaises(AccessError):
            self.env["library.deduction.batch"].with_user(self.librarian).search([])
        with self.assertRaises(AccessError):
            self.env["library.deduction.batch"].with_user(self.finance).create(
                {"date_from": date(2027, 2, 1), "date_to": date(2027, 2, 28)})
        self.assertEqual(self.env["library.deduction.batch"].with_user(self.finance).search(
            [("id", "=", batch.id)]), batch)
        with self.assertRaises(AccessError):
            self.env["library.member"].with_user(self.hr_officer).create(
                {"partner_id": self.professor.work_contact_id.id, "category_id": self.cat["faculty"].id})
        with self.assertRaises(AccessError):
            self.env["library.loan"].with_user(self.hr_officer).search([])
        self.env["library.clearance"].with_user(self.hr_officer).create(
            {"member_id": self.professor.action_sync_library_member().id, "kind": "inquiry", "reason": "promotion"})
