from odoo import models

INPUT_CODE = "LIBFINE"


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    def get_inputs(self, contracts, date_from, date_to):
        """The LIBFINE input carries the library deductions approved for the employee and period."""
        res = super().get_inputs(contracts, date_from, date_to)
        batches = self.env["library.deduction.batch"]
        for values in res:
            if values.get("code") == INPUT_CODE:
                employee = self.env["hr.contract"].browse(values["contract_id"]).employee_id
                values["amount"], _lines = batches.get_deductions_for_employee(employee, date_from, date_to)
        return res

    def action_payslip_done(self):
        res = super().action_payslip_done()
        batches = self.env["library.deduction.batch"]
        for payslip in self.filtered(lambda slip: not slip.credit_note):
            if any(line.code == INPUT_CODE and line.amount for line in payslip.input_line_ids):
                batches.confirm_deducted(payslip.employee_id, payslip.date_from, payslip.date_to,
                                         reference=payslip.number)
        return res
