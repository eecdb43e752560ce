from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LibraryMoneyCase

DAY = date(2026, 12, 11)


@tagged("post_install", "-at_install")
class TestFinance(LibraryMoneyCase):

    def _fined_and_paid(self, name, days=10, pay=True):
        member = self._member("student_ug", name=name)
        loan = self.checkout(member, self._title(f"Book of {name}", copies=1).copy_ids)
        loan.action_return(date.fromordinal(loan.due_date.toordinal() + days))
        if pay:
            self.take_payment(member, day=DAY)
        return loan

    def test_terminal_day_closed_and_matched_with_the_bank(self):
        self._fined_and_paid("Payer One")            # 5,300
        self._fined_and_paid("Payer Two", days=3)    # 900
        batch = self.env["library.pos.batch"]._for_day(DAY, self.company)
        self.assertEqual((batch.payment_count, batch.total), (2, 6200))
        with self.assertRaisesRegex(UserError, "Enter the total of the terminal's settlement slip"):
            batch.action_close()
        batch.slip_amount = 6100
        self.assertEqual(batch.difference, -100)
        batch.action_close()
        self.assertTrue(batch.message_ids.filtered(lambda m: "differs" in (m.body or "")))
        statement_line = self.env["account.bank.statement.line"].create({
            "journal_id": self.company.library_bank_journal_id.id, "date": DAY, "amount": 6200,
            "payment_ref": "POS settlement 11/12",
        })
        wrong = self.env["account.bank.statement.line"].create({
            "journal_id": self.company.library_bank_journal_id.id, "date": DAY, "amount": 6100,
            "payment_ref": "Something else",
        })
        with self.assertRaisesRegex(UserError, "does not equal the payments of the day"):
            batch._match(wrong)
        self.env["library.pos.batch.match"].create({"batch_id": batch.id,
                                                    "statement_line_id": statement_line.id}).action_match()
        self.assertEqual(batch.state, "matched")
        self.assertTrue(statement_line.is_reconciled)
        for payment in batch.payment_ids:
            self.assertTrue(payment.is_matched)
        outstanding = self.env["account.move.line"].search([
            ("account_id", "=", self.company.library_pos_account_id.id), ("parent_state", "=", "posted")])
        self.assertEqual(sum(outstanding.mapped("balance")), 0)
        self.assertTrue(all(outstanding.mapped("reconciled")))
        self.assertNotIn(batch, self.env["library.pos.batch"].search([("state", "!=", "matched")]))

    def test_book_fund_collected_committed_spent_available(self):
        report = self.env["library.fund.report"].create({})
        self.assertEqual((report.collected, report.committed, report.spent, report.available), (0, 0, 0, 0))
        self._fined_and_paid("Fund Payer")                  # 5,300 collected
        unpaid = self._fined_and_paid("Fund Debtor", pay=False)  # billed, not collected
        waived = self._fined_and_paid("Fund Waived", pay=False)
        self.env["library.charge.waive"].create({"invoice_id": waived.invoice_id.id, "amount": 5300,
                                                 "reason": "Hardship"}).action_waive()
        self.assertEqual(unpaid.payment_state, "not_paid")
        report.invalidate_recordset()
        self.assertEqual(report.collected, 5300)

        book = self.env["product.product"].create({
            "name": "Textbook purchase", "type": "consu", "purchase_method": "purchase",
            "categ_id": self.env.ref("university_library.product_category_books").id, "standard_price": 100_000,
        })
        order = self.env["purchase.order"].create({
            "partner_id": self.partner_a.id,
            "order_line": [Command.create({"product_id": book.id, "product_qty": 2, "price_unit": 100_000,
                                           "taxes_id": [Command.clear()]})],
        })
        self.assertEqual(order.order_line.analytic_distribution, {str(self.fund.id): 100},
                         "book purchases carry the fund by default")
        order.button_confirm()
        report.invalidate_recordset()
        self.assertEqual((report.committed, report.spent), (200_000, 0))

        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.partner_a.id, "invoice_date": DAY,
            "invoice_line_ids": [Command.create({
                "product_id": book.id, "quantity": 1, "price_unit": 100_000, "tax_ids": [Command.clear()],
                "purchase_line_id": order.order_line.id, "analytic_distribution": {str(self.fund.id): 100},
            })],
        })
        bill.action_post()
        report.invalidate_recordset()
        self.assertEqual((report.collected, report.committed, report.spent), (5300, 100_000, 100_000))
        self.assertEqual(report.available, 5300 - 100_000 - 100_000)

        # per period: nothing was collected before the day of the payments
        before = self.env["library.fund.report"].create({"date_to": date(2026, 12, 10)})
        self.assertEqual(before.collected, 0)
        during = self.env["library.fund.report"].create({"date_from": DAY, "date_to": DAY})
        self.assertEqual(during.collected, 5300)

    def test_yearly_activity_figures(self):
        loan = self._fined_and_paid("Yearly Reader")
        other = self._member("student_grad", name="Yearly Grad")
        self.checkout(other, self._title("Yearly second", copies=1).copy_ids)
        report = self.env["library.activity.report"].create({"year": "2026"})
        figures = report._figures()
        self.assertEqual(figures["totals"]["Loans"], 2)
        self.assertEqual(figures["totals"]["Returns"], 1)
        self.assertEqual(figures["totals"]["Active borrowers"], 2)
        self.assertEqual(figures["totals"]["Late fines billed"], 5300)
        self.assertEqual(figures["loans_by_month"], [("2026-11", 2)])
        self.assertEqual(sorted(figures["loans_by_category"]), [("Graduate student", 1),
                                                                ("Undergraduate / associate student", 1)])
        self.assertIn(loan.title_id.name, dict(figures["top_titles"]))
        self.assertIn("Loans by month", report.summary_html)
        self.assertEqual(self.env["library.activity.report"].create({"year": "2025"})._figures()["totals"]["Loans"], 0)
