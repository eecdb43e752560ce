from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SATURDAY, LibraryMoneyCase

SUNDAY = date(2026, 11, 22)


@tagged("post_install", "-at_install")
class TestLateFines(LibraryMoneyCase):

    def _late(self, category, days_after_due, material="book", day=SATURDAY, **member_vals):
        member = self._member(category, **member_vals)
        copy = self._title(f"Late {category} {days_after_due}", copies=1, material=material).copy_ids
        loan = self.checkout(member, copy, day)
        loan.action_return(date.fromordinal(loan.due_date.toordinal() + days_after_due))
        return loan

    def test_ten_days_each_day_at_its_bracket_is_invoiced(self):
        loan = self._late("student_ug", 10)
        self.assertEqual((loan.due_date, loan.date_returned), (date(2026, 12, 1), date(2026, 12, 11)))
        self.assertEqual((loan.fine_amount, loan.fine_days), (5300, 10))  # 3x300 + 4x500 + 3x800
        invoice = loan.invoice_id
        self.assertRecordValues(invoice, [{
            "move_type": "out_invoice", "state": "posted", "partner_id": loan.member_id.partner_id.id,
            "journal_id": self.journal.id, "amount_total": 5300, "payment_state": "not_paid",
            "currency_id": self.env.ref("base.IRR").id,
        }])
        self.assertRecordValues(invoice.invoice_line_ids, [{
            "product_id": self.env.ref("university_library.product_library_fine").id,
            "account_id": self.company.library_fine_account_id.id, "price_subtotal": 5300,
            "analytic_distribution": {str(self.fund.id): 100}, "tax_ids": [],
        }])
        receivable = invoice.line_ids.filtered(lambda l: l.account_id.account_type == "asset_receivable")
        self.assertEqual((receivable.debit, receivable.credit), (5300, 0))
        self.assertEqual(loan.payment_state, "not_paid")

    def test_ten_days_bracket_reached(self):
        self.env.ref("university_library.fine_ilam_default").mode = "reached"
        self.assertEqual(self._late("student_ug", 10).fine_amount, 8000)  # 10 x 800

    def test_brackets_three_seven_fifteen_and_beyond(self):
        for days, amount in ((3, 900), (7, 2900), (15, 9300), (20, 14300)):
            with self.subTest(days=days):
                self.assertEqual(self._late("student_grad", days).fine_amount, amount)

    def test_staff_grace_week(self):
        on_grace = self._late("employee", 7)
        self.assertEqual((on_grace.fine_amount, on_grace.fine_days, on_grace.invoice_id.id), (0, 7, False))
        after = self._late("employee", 10)
        self.assertEqual(after.fine_amount, 3000)  # days 8, 9, 10 at 1,000
        faculty = self._late("faculty", 9)         # due at the end of the term
        self.assertEqual((faculty.due_date, faculty.fine_amount), (date(2027, 1, 20), 2000))

    def test_reserve_shelf_rate(self):
        loan = self._late("student_grad", 3, material="reserve")
        self.assertEqual(loan.fine_amount, 3000)

    def test_delay_across_a_rate_change(self):
        table = self.env.ref("university_library.fine_ilam_default")
        for start, rate in ((1, 600), (4, 1000), (8, 1600), (16, 2000)):
            self.env["library.fine.rate"].create({"table_id": table.id, "date_from": date(2026, 12, 6),
                                                  "from_day": start, "rate": rate})
        loan = self._late("student_ug", 10)
        # 2-4 Dec 3x300, 5 Dec 500 (old rates); 6-8 Dec 3x1000, 9-11 Dec 3x1600 (new)
        self.assertEqual(loan.fine_amount, 900 + 500 + 3000 + 4800)

    def test_kermanshah_flat_rates_and_cap_at_price(self):
        self.company.library_policy_id = self.kermanshah
        for category, rate in (("faculty", 1500), ("student_grad", 500), ("employee", 1000)):
            with self.subTest(category=category):
                self.assertEqual(self._late(category, 10, day=SUNDAY).fine_amount, 10 * rate)
        member = self._member("faculty", name="Very late")
        copy = self._title("Cheap", copies=1).copy_ids
        copy.price = 60_000
        loan = self.checkout(member, copy, SUNDAY)
        loan.action_return(date(2027, 3, 12))
        self.assertEqual((loan.fine_days, loan.fine_amount), (90, 60_000))

    def test_closed_days_not_charged_when_the_rulebook_says_so(self):
        self.ilam.charge_closed_days = False
        loan = self._late("student_ug", 10)   # 2-11 Dec holds two Fridays (4 and 11 Dec)
        self.assertEqual((loan.fine_days, loan.fine_amount), (8, 3 * 300 + 4 * 500 + 800))

    def test_offences_warning_then_suspension_to_end_of_term(self):
        member = self._member("student_ug", name="Repeat Offender")
        title = self._title("Often late", copies=2)
        first = self.checkout(member, title.copy_ids[0])
        first.action_return(date(2026, 12, 17))  # 16 days late
        self.assertEqual(first.offence, "warning")
        self.assertEqual(member.state, "active")
        self.assertTrue(member.message_ids.filtered(lambda m: "Warning" in (m.body or "")))
        self.take_payment(member, day=date(2026, 12, 17))
        second = self.checkout(member, title.copy_ids[1], date(2026, 12, 19))
        self.assertEqual(second.due_date, date(2026, 12, 29))
        second.action_return(date(2027, 1, 14))   # 16 days late again
        self.assertEqual(second.offence, "suspension")
        self.assertEqual((member.state, member.suspended_until), ("suspended", date(2027, 1, 20)))
        fifteen = self._late("student_ug", 15, name="Just in time")
        self.assertFalse(fifteen.offence)

    def test_unpaid_fine_blocks_new_loans_until_paid(self):
        loan = self._late("student_ug", 10, name="Debtor")
        member = loan.member_id
        copy = self._title("Next book", copies=1).copy_ids
        with self.assertRaises(UserError) as error:
            self.checkout(member, copy, date(2026, 12, 12))
        self.assertIn("Debtor owes", str(error.exception))
        self.assertIn("5,300", str(error.exception))
        payment = self.take_payment(member, day=date(2026, 12, 12))
        self.assertEqual(payment.payment_method_line_id, self.pos_line)
        self.assertEqual(loan.payment_state, "paid")
        self.assertEqual(member._unpaid_total(), 0)
        self.assertEqual(self.checkout(member, copy, date(2026, 12, 12)).state, "open")

    def test_rulebook_limit_on_unpaid(self):
        self.ilam.unpaid_limit = 10_000
        loan = self._late("student_ug", 10)
        self.assertEqual(loan.member_id._get_borrowing_blocks(date(2026, 12, 12)), [])

    def test_invoice_paid_any_way_settles_the_fine(self):
        loan = self._late("student_ug", 10)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=loan.invoice_id.ids).create({})._create_payments()
        self.assertEqual(loan.payment_state, "paid")


@tagged("post_install", "-at_install")
class TestNightlyFineJob(LibraryMoneyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loans = cls.env["library.loan"]
        for index, category in enumerate(("student_ug", "student_grad", "employee", "student_ug")):
            member = cls._member(category, name=f"Overdue {index}")
            cls.loans |= cls.env["library.loan"]._checkout(member, cls._title(f"Out {index}", copies=1).copy_ids,
                                                           SATURDAY)
        cls.on_time = cls.env["library.loan"]._checkout(
            cls._member("faculty", name="On time"), cls._title("Term loan", copies=1).copy_ids, SATURDAY)

    def _snapshot(self):
        self.env.invalidate_all()
        return [(loan.fine_amount, loan.fine_days, loan.state) for loan in self.loans | self.on_time]

    def test_accrual_idempotent_and_resumable(self):
        day = date(2026, 12, 11)
        self.env["library.loan"]._cron_accrue_fines(day)
        clean = self._snapshot()
        # ug: 10 days 5,300; grad (due 6 Dec): 5 days 1,900; employee (due 6 Dec): 5 days, grace -> 0
        self.assertEqual(clean, [(5300, 10, "overdue"), (1900, 5, "overdue"), (0, 5, "overdue"),
                                 (5300, 10, "overdue"), (0, 0, "open")])
        self.env["library.loan"]._cron_accrue_fines(day)
        self.assertEqual(self._snapshot(), clean, "a second run the same day changes nothing")
        # a crash after the first batch, then a full rerun
        self.loans.write({"fine_amount": 0, "fine_days": 0, "fine_date": False, "state": "open"})
        # (other overdue loans of the database come first: stop right after our first one)
        before = self.env["library.loan"].sudo().search_count([("state", "in", ("open", "overdue")),
                                                        ("due_date", "<", day), ("id", "<=", self.loans[0].id)])
        self.env["library.loan"]._cron_accrue_fines(day, batch_size=1, max_batches=before)
        self.assertEqual(self._snapshot()[0], clean[0])
        self.assertEqual(self._snapshot()[1], (0, 0, "open"))
        self.env["library.loan"]._cron_accrue_fines(day, batch_size=2)
        self.assertEqual(self._snapshot(), clean)
        # the next day the running fines grow; nothing is billed before the return
        self.env["library.loan"]._cron_accrue_fines(date(2026, 12, 12))
        self.assertEqual(self.loans[0].fine_amount, 6100)
        self.assertFalse(self.loans.invoice_id)
        self.assertEqual(self.loans[0].fine_date, date(2026, 12, 12))

    def test_return_bills_what_the_job_showed(self):
        self.env["library.loan"]._cron_accrue_fines(date(2026, 12, 11))
        running = self.loans[0].fine_amount
        self.loans[0].action_return(date(2026, 12, 11))
        self.assertEqual(self.loans[0].invoice_id.amount_total, running)
