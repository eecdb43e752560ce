from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import SATURDAY, LibraryMoneyCase

SUNDAY = date(2026, 11, 22)


@tagged("post_install", "-at_install")
class TestChargesAndPayments(LibraryMoneyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.librarian = new_test_user(cls.env, "money_desk", company_id=cls.company.id,
                                      groups="base.group_user,university_library.group_librarian")
        cls.head = new_test_user(cls.env, "money_head", company_id=cls.company.id,
                                 groups="base.group_user,university_library.group_library_manager")
        cls.accountant = new_test_user(cls.env, "money_finance", company_id=cls.company.id,
                                       groups="base.group_user,account.group_account_invoice")

    def _fined(self, days=10, name="Fined Reader"):
        member = self._member("student_ug", name=name)
        loan = self.checkout(member, self._title(f"Fined {name}", copies=1).copy_ids)
        loan.action_return(date.fromordinal(loan.due_date.toordinal() + days))
        return loan

    def test_rial_has_no_decimals_and_right_names(self):
        irr = self.env.ref("base.IRR")
        self.assertEqual((irr.active, irr.rounding, irr.decimal_places), (True, 1.0, 0))
        self.assertEqual(irr.currency_unit_label, "Rial")
        self.assertEqual(irr.with_context(lang="en_US").amount_to_text(5300), "Five Thousand, Three Hundred Rial")

    def test_librarian_takes_payment_on_the_terminal_for_chosen_charges(self):
        first = self._fined(10, "Two Fines")
        member = first.member_id
        printing = self.env["library.print.charge"].create({"member_id": member.id, "pages": 2})
        self.company.library_policy_id = self.kermanshah
        printed = printing.action_bill(day=date(2026, 12, 11))
        self.assertEqual(printed.amount_total, 4000)  # students: 2 pages x 2,000
        self.assertEqual(member._unpaid_total(), 5300 + 4000)
        wizard = self.env["library.take.payment"].with_user(self.librarian).create({"member_id": member.id})
        self.assertEqual(set(wizard.available_invoice_ids.ids), {first.invoice_id.id, printed.id})
        wizard.invoice_ids = first.invoice_id
        self.assertEqual(wizard.amount, 5300)
        payment = wizard.action_take(day=date(2026, 12, 11))
        self.assertRecordValues(payment, [{
            "amount": 5300, "payment_method_line_id": self.pos_line.id, "journal_id": self.company.library_bank_journal_id.id,
            "partner_id": member.partner_id.id, "state": "paid",
        }])
        self.assertEqual(first.invoice_id.payment_state, "paid")
        self.assertEqual(printed.payment_state, "not_paid")
        self.assertEqual(member._unpaid_total(), 4000)
        outstanding = payment.move_id.line_ids.filtered(lambda l: l.account_id == self.company.library_pos_account_id)
        self.assertEqual((outstanding.debit, outstanding.account_id.code), (5300, "101470"))
        self.assertEqual(self.pos_line.payment_account_id, self.company.library_pos_account_id)

    def test_printing_rates_per_group(self):
        self.company.library_policy_id = self.kermanshah
        for category, rate in (("student_grad", 2000), ("employee", 2500), ("faculty", 3000)):
            member = self._member(category, name=f"Printer {category}")
            invoice = self.env["library.print.charge"].create({"member_id": member.id, "pages": 3}).action_bill()
            self.assertEqual(invoice.amount_total, 3 * rate)
            self.assertEqual(invoice.invoice_line_ids.quantity, 3)
        with self.assertRaisesRegex(UserError, "no printing rate for Outside visitor"):
            self.env["library.print.charge"].create({"member_id": self._member("visitor").id, "pages": 1}).action_bill()

    def test_partial_waiver_is_a_credit_note_with_reason(self):
        loan = self._fined(10)
        invoice = loan.invoice_id
        with self.assertRaises(AccessError):
            self.env["library.charge.waive"].with_user(self.librarian).create(
                {"invoice_id": invoice.id, "amount": 1000, "reason": "Hospitalised"}).action_waive()
        waive = self.env["library.charge.waive"].with_user(self.head)
        with self.assertRaisesRegex(UserError, "at most 5,300|at most 5300"):
            waive.create({"invoice_id": invoice.id, "amount": 6000, "reason": "Too much"}).action_waive()
        refund = waive.create({"invoice_id": invoice.id, "amount": 2000, "reason": "Hospitalised"}).action_waive()
        self.assertRecordValues(refund, [{"move_type": "out_refund", "state": "posted", "amount_total": 2000,
                                          "reversed_entry_id": invoice.id}])
        self.assertEqual(refund.invoice_line_ids.analytic_distribution, {str(self.fund.id): 100})
        self.assertEqual((invoice.state, invoice.amount_residual, invoice.payment_state), ("posted", 3300, "partial"))
        self.assertTrue(invoice.message_ids.filtered(lambda m: "Hospitalised" in (m.body or "")))
        self.assertEqual(loan.member_id._unpaid_total(), 3300)

    def test_full_waiver(self):
        loan = self._fined(3)
        form = Form(self.env["library.charge.waive"].with_user(self.head).with_context(
            default_invoice_id=loan.invoice_id.id))
        self.assertEqual(form.amount, 900)
        form.reason = "Library closed unexpectedly"
        form.save().action_waive()
        self.assertEqual(loan.invoice_id.payment_state, "reversed")
        self.assertEqual(loan.member_id._unpaid_total(), 0)
        self.assertEqual(loan.member_id._get_borrowing_blocks(date(2026, 12, 5)), [])

    def test_visitor_deposit_held_in_liability_and_refunded(self):
        visitor = self._member("visitor", name="Researcher", date_end=date(2027, 6, 30))
        deposit = self.env["library.deposit"].with_user(self.librarian).create({"member_id": visitor.id,
                                                                                 "amount": 5_000_000})
        deposit.action_receive(day=SATURDAY)
        account = self.company.library_deposit_account_id
        balance = lambda: sum(self.env["account.move.line"].search([("account_id", "=", account.id),  # noqa: E731
                                                                   ("parent_state", "=", "posted")]).mapped("balance"))
        self.assertEqual(deposit.state, "held")
        self.assertEqual(balance(), -5_000_000)
        self.assertEqual(deposit.payment_id.payment_method_line_id, self.pos_line)
        deposit.action_refund(day=date(2027, 6, 30))
        self.assertEqual((deposit.state, balance()), ("refunded", 0))
        with self.assertRaisesRegex(UserError, "Only a deposit held"):
            deposit.action_refund()

    def test_joining_fee_billed_only_when_the_category_says_so(self):
        free = self._member("student_ug", state="draft", name="Free Joiner", date_end=date(2028, 1, 1))
        free.action_activate()
        self.assertEqual(free._unpaid_total(), 0)
        self.cat["student_grad"].joining_fee = 150_000
        paying = self._member("student_grad", state="draft", name="Paying Joiner", date_end=date(2028, 1, 1))
        paying.action_activate()
        self.assertEqual(paying._unpaid_total(), 150_000)
        paying.invalidate_recordset(["charge_ids"])
        self.assertEqual(paying.charge_ids.invoice_line_ids.product_id,
                         self.env.ref("university_library.product_library_membership"))

    def test_who_sees_finance(self):
        with self.assertRaises(AccessError):
            self.env["library.fund.report"].with_user(self.librarian).create({}).collected
        with self.assertRaises(AccessError):
            self.env["library.charge.waive"].with_user(self.accountant).create({"invoice_id": self._fined().invoice_id.id,
                                                                                 "amount": 1, "reason": "x"})
        self.assertEqual(self.env["library.fund.report"].with_user(self.accountant).create({}).collected, 0)
        self.env["library.pos.batch"].with_user(self.accountant).search([])

    def test_form_1_receipt_in_persian_and_in_english(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        loan = self._fined(10, "Persian Reader")
        loan.member_id.partner_id.lang = "fa_IR"
        self.take_payment(loan.member_id, day=date(2026, 12, 11))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "university_library.action_report_fine_receipt", loan.ids)[0].decode()
        self.assertIn("پنج هزار و سیصد ریال", html, "the amount in words, with the rial named in Persian")
        self.assertIn("1405/09/20", html, "paid on 11 December 2026, printed in the Jalali calendar")
        self.assertIn("1405/09/10", html, "due on 1 December 2026")
        self.assertIn("0101-4001-0930", html)
        self.assertIn("Fined Persian Reader", html)
        english = self._fined(10, "English Reader")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "university_library.action_report_fine_receipt", english.ids)[0].decode()
        self.assertIn("Five Thousand, Three Hundred Rial", html)
        self.assertIn("12/11/2026", html)
        self.assertNotIn("1405/", html)
        self.assertIn("10</strong> day(s) of late return", html)
        self.assertIn("Signature of the payer", html)

    def test_desk_shows_what_is_owed_and_the_running_fine(self):
        loan = self._fined(10, "Desk Debtor")
        member = loan.member_id
        data = self.env["library.desk"].with_user(self.librarian).desk_scan_member(member.code)
        self.assertEqual(data["member"]["unpaid"], 5300)
        self.assertIn("5,300", data["member"]["unpaid_label"])
        self.assertIn("Desk Debtor owes", data["member"]["blocks"][0])
        # a loan still out shows its running fine (the nightly job's figure)
        out = self._member("student_ug", name="Still Out")
        out_loan = self.checkout(out, self._title("Still out", copies=1).copy_ids)
        self.env["library.loan"]._cron_accrue_fines(date(2026, 12, 4))
        data = self.env["library.desk"].desk_scan_member(out.code)
        self.assertEqual(out_loan.fine_amount, 900)
        self.assertIn("900", data["loans"][0]["fine"])
