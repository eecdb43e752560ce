from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SATURDAY, LibraryMoneyCase


@tagged("post_install", "-at_install")
class TestLostItems(LibraryMoneyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.persian = cls.env.ref("base.lang_fa_IR")
        cls.english = cls.env.ref("base.lang_en")

    def _declare(self, title_vals=None, copies=2, price=250_000, material="book", kind="lost", day=None,
                 name="Loser"):
        member = self._member("student_grad", name=name)
        title = self._title(f"Lost {name}", copies=copies, material=material, **(title_vals or {}))
        title.copy_ids.write({"price": price})
        loan = self.checkout(member, title.copy_ids[0])
        return self.env["library.lost.item"]._declare(loan, kind, day or date(2026, 11, 28))

    def test_persian_book_ten_times_and_block_until_paid(self):
        case = self._declare({"language_id": self.persian.id}, name="Persian Loser")
        member = case.member_id
        self.assertEqual((case.loan_id.state, case.copy_id.state), ("lost", "lost"))
        self.assertEqual(case.replacement_deadline, date(2026, 12, 28))  # one month
        blocks = member._get_borrowing_blocks(date(2026, 11, 29))
        self.assertEqual(len(blocks), 1)
        self.assertIn("must settle the lost item", blocks[0])
        case.resolution = "compensation"
        case.action_bill_compensation()
        self.assertEqual((case.amount, case.state), (2_500_000, "billed"))
        self.assertRecordValues(case.invoice_id.invoice_line_ids, [{
            "product_id": self.env.ref("university_library.product_library_compensation").id,
            "account_id": self.company.library_compensation_account_id.id, "price_subtotal": 2_500_000,
            "analytic_distribution": {str(self.fund.id): 100}}])
        with self.assertRaisesRegex(UserError, "owes"):
            self.checkout(member, self._title("After loss", copies=1).copy_ids, date(2026, 11, 29))
        self.take_payment(member, day=date(2026, 11, 29))
        self.assertEqual(case.payment_state, "paid")
        self.assertEqual(member._get_borrowing_blocks(date(2026, 11, 29)), [])

    def test_foreign_single_copy_and_media_three_to_six_times(self):
        cases = [
            ({"language_id": self.english.id}, 2, "book", "Foreign"),
            ({"language_id": self.persian.id}, 1, "book", "Single"),
            ({"language_id": self.persian.id}, 2, "audio", "Media"),
        ]
        # a lendable non-print item (the shipped non-print media never leave the library)
        self.mat["audio"] = self.env["library.material.type"].create(
            {"name": "Audiobook CD", "code": "AUDIO", "may_leave": True, "is_non_print": True})
        self.ilam.rule_ids = [(0, 0, {"material_type_id": self.mat["audio"].id, "max_items": 2,
                                       "loan_period": "days", "loan_days": 7})]
        for title_vals, copies, material, name in cases:
            with self.subTest(name=name):
                case = self._declare(title_vals, copies=copies, material=material, price=400_000, name=name)
                case.resolution = "compensation"
                for outside in (0, 2, 7):
                    case.multiplier = outside
                    with self.assertRaisesRegex(UserError, "between 3.0 and 6.0"):
                        case.action_bill_compensation()
                self.assertEqual(case.state, "open")
                self.assertFalse(case.invoice_id)
                case.multiplier = 4
                librarian = self.env["res.users"].create({
                    "name": f"Desk {name}", "login": f"desk_{name.lower()}", "company_id": self.company.id,
                    "company_ids": [(6, 0, self.company.ids)],
                    "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                          self.env.ref("university_library.group_librarian").id])]})
                with self.assertRaisesRegex(UserError, "The library director .* chooses the multiple"):
                    case.with_user(librarian).action_bill_compensation()
                case.action_bill_compensation()
                self.assertEqual(case.amount, 1_600_000)

    def test_volume_of_a_set_that_cannot_be_bought_alone(self):
        whole = self.env["library.title"].create({"name": "Shahnameh (complete set)", "set_price": 2_000_000})
        case = self._declare({"language_id": self.persian.id, "set_id": whole.id, "sold_separately": False},
                             price=300_000, name="Volume Loser")
        case.resolution = "compensation"
        case.action_bill_compensation()
        self.assertEqual(case.amount, 20_000_000)  # ten times the price of the whole set

    def test_replacement_accepted_enters_catalogue_without_money(self):
        case = self._declare({"language_id": self.persian.id}, name="Replacer")
        with self.assertRaisesRegex(UserError, "A photocopy is never accepted"):
            case._accept_replacement("NEW-1", True, True)
        with self.assertRaisesRegex(UserError, "latest printing"):
            case._accept_replacement("NEW-1", False, False)
        self.assertFalse(self.env["library.copy"].search([("barcode", "=", "NEW-1")]))
        new_copy = case._accept_replacement("NEW-1", True, False)
        self.assertEqual((new_copy.title_id, new_copy.state, new_copy.price), (case.title_id, "available", 250_000))
        self.assertEqual((case.state, case.copy_id.state), ("replaced", "withdrawn"))
        self.assertFalse(case.invoice_id)
        self.assertEqual(case.member_id._get_borrowing_blocks(date(2026, 11, 29)), [])
        html = self.env["ir.actions.report"]._render_qweb_html(
            "university_library.action_report_lost_receipt", case.ids)[0].decode()
        self.assertIn("delivered the same book titled", html)
        self.assertIn("NEW-1", html)

    def test_title_not_on_the_market_director_chooses_another(self):
        self.company.library_policy_id = self.kermanshah
        case = self._declare(name="Out of print", day=date(2026, 11, 29))
        other = self._title("Newer textbook", copies=0)
        librarian = self.env["res.users"].create({
            "name": "Desk OOP", "login": "desk_oop", "company_id": self.company.id,
            "company_ids": [(6, 0, self.company.ids)],
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("university_library.group_librarian").id])]})
        with self.assertRaisesRegex(UserError, "Only the library director chooses another title"):
            case.with_user(librarian)._accept_replacement("OOP-1", False, False, other_title=other)
        new_copy = case._accept_replacement("OOP-1", False, False, other_title=other)
        self.assertEqual((new_copy.title_id, case.state), (other, "replaced"))

    def test_kermanshah_publisher_quote(self):
        self.company.library_policy_id = self.kermanshah
        case = self._declare(name="Quoted", day=date(2026, 11, 29))
        case.resolution = "compensation"
        with self.assertRaisesRegex(UserError, "Attach the publisher's written quote"):
            case.action_bill_compensation()
        case.quote_attachment_ids = [(0, 0, {"name": "pro-forma.pdf", "raw": b"%PDF quote"})]
        with self.assertRaisesRegex(UserError, "Enter the price from the publisher's written quote"):
            case.action_bill_compensation()
        case.quoted_price = 480_000
        case.action_bill_compensation()
        self.assertEqual((case.amount, case.invoice_id.amount_total), (480_000, 480_000))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "university_library.action_report_lost_receipt", case.ids)[0].decode()
        self.assertIn("Four Hundred And Eighty Thousand Rial", html)

    def test_overdue_item_declared_lost_bills_the_fine_too(self):
        member = self._member("student_ug", name="Late Loser")
        loan = self.checkout(member, self._title("Late and lost", copies=2).copy_ids[0], SATURDAY)
        case = self.env["library.lost.item"]._declare(loan, "damaged", date(2026, 12, 11))
        self.assertEqual((loan.fine_amount, loan.invoice_id.amount_total), (5300, 5300))
        self.assertEqual(case.copy_id.state, "damaged")
        with self.assertRaisesRegex(UserError, "is not on loan"):
            self.env["library.lost.item"]._declare(loan, "lost")
