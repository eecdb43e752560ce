from datetime import date

from odoo.addons.university_library.tests.common import LibraryMoneyCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPayrollBridge(LibraryMoneyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= (cls.env.ref("payroll.group_payroll_manager") | cls.env.ref("hr.group_hr_manager")
                                   | cls.env.ref("hr_contract.group_hr_contract_manager"))
        cls.employee = cls.env["hr.employee"].create({"name": "Payroll Reader", "company_id": cls.company.id})
        cls.member = cls.employee.action_sync_library_member()
        rule_net = cls.env["hr.salary.rule"].create({
            "name": "Net", "code": "NET", "sequence": 200,
            "category_id": cls.env["hr.salary.rule.category"].create({"name": "Net", "code": "NET"}).id,
            "condition_select": "none", "amount_select": "code",
            "amount_python_compute": "result = contract.wage + categories.LIBDED"})
        basic = cls.env["hr.salary.rule"].create({
            "name": "Basic", "code": "BASIC", "sequence": 1,
            "category_id": cls.env["hr.salary.rule.category"].create({"name": "Basic", "code": "BASIC"}).id,
            "condition_select": "none", "amount_select": "code", "amount_python_compute": "result = contract.wage"})
        cls.structure = cls.env["hr.payroll.structure"].create({
            "name": "University staff", "code": "UNI", "company_id": cls.company.id,
            "rule_ids": [(4, basic.id), (4, cls.env.ref("university_library_payroll.salary_rule_library_fine").id),
                         (4, rule_net.id)]})
        cls.contract = cls.env["hr.contract"].create({
            "name": "Contract", "employee_id": cls.employee.id, "wage": 40_000_000, "date_start": date(2026, 1, 1),
            "struct_id": cls.structure.id, "state": "open", "company_id": cls.company.id})

    def test_deduction_on_the_payslip_and_settled_when_done(self):
        loan = self.checkout(self.member, self._title("Payroll book", copies=1).copy_ids)
        loan.action_return(date(2026, 12, 16))  # employee: 15 days, due 6 Dec; 10 days late, 3 after grace
        invoice = loan.invoice_id
        self.assertEqual(invoice.amount_total, 3000)
        invoice.library_payroll_requested = True
        batch = self.env["library.deduction.batch"].create({"date_from": date(2026, 12, 1),
                                                            "date_to": date(2026, 12, 31)})
        batch.action_compute()
        batch.action_approve()
        payslip = self.env["hr.payslip"].create({
            "employee_id": self.employee.id, "contract_id": self.contract.id, "struct_id": self.structure.id,
            "date_from": date(2026, 12, 1), "date_to": date(2026, 12, 31)})
        payslip.onchange_employee()
        payslip.onchange_struct_id()
        libfine = payslip.input_line_ids.filtered(lambda l: l.code == "LIBFINE")
        self.assertEqual(libfine.amount, 3000)
        payslip.compute_sheet()
        line = payslip.line_ids.filtered(lambda l: l.code == "LIBFINE")
        self.assertEqual(line.total, -3000)
        self.assertEqual(payslip.line_ids.filtered(lambda l: l.code == "NET").total, 40_000_000 - 3000)
        payslip.action_payslip_done()
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual((batch.line_ids.state, batch.state), ("deducted", "deducted"))
        self.assertEqual(batch.line_ids.move_id.journal_id, self.company.library_withholding_journal_id)
        # a second payslip for the same period finds nothing left to deduct
        again = self.env["hr.payslip"].create({
            "employee_id": self.employee.id, "contract_id": self.contract.id, "struct_id": self.structure.id,
            "date_from": date(2026, 12, 1), "date_to": date(2026, 12, 31)})
        again.onchange_employee()
        again.onchange_struct_id()
        self.assertEqual(again.input_line_ids.filtered(lambda l: l.code == "LIBFINE").amount, 0)
