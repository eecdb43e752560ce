from odoo.exceptions import UserError
from odoo.tests import tagged
from freezegun import freeze_time

from .common import LibraryCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-21 09:00:00")
class TestDesk(LibraryCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._member("student_ug", name="Desk Reader", code="CARD-1")
        cls.title = cls._title("Desk Book", copies=2)
        cls.desk = cls.env["library.desk"]

    def test_scan_lend_renew_return(self):
        data = self.desk.desk_scan_member("CARD-1")
        self.assertEqual(data["member"]["name"], "Desk Reader")
        self.assertEqual((data["member"]["loan_count"], data["member"]["limit"]), (0, 3))
        self.assertEqual(data["member"]["blocks"], [])

        barcode = self.title.copy_ids[0].barcode
        data = self.desk.desk_checkout(self.member.id, barcode)
        self.assertEqual(data["message"], f"Lent [{barcode}] Desk Book, due 12/01/2026.")
        self.assertEqual([loan["barcode"] for loan in data["loans"]], [barcode])

        data = self.desk.desk_renew(self.member.id, f"  {barcode} ")
        self.assertEqual(data["message"], f"Renewed [{barcode}] Desk Book, now due 12/01/2026.")
        self.assertEqual(data["loans"][0]["renewals"], 1)

        data = self.desk.desk_return(barcode)
        self.assertEqual(data["message"], f"Returned [{barcode}] Desk Book.")
        self.assertEqual(data["loans"], [])

    def test_scan_errors(self):
        with self.assertRaisesRegex(UserError, "No member has the card number NOPE"):
            self.desk.desk_scan_member("NOPE")
        with self.assertRaisesRegex(UserError, "No copy has the barcode XX-404"):
            self.desk.desk_checkout(self.member.id, "XX-404")
        barcode = self.title.copy_ids[1].barcode
        with self.assertRaisesRegex(UserError, f"\\[{barcode}\\] Desk Book is not on loan: it is available."):
            self.desk.desk_return(barcode)

    def test_blocks_are_shown(self):
        self.member.write({"state": "suspended", "suspension_reason": "late twice"})
        data = self.desk.desk_scan_member("CARD-1")
        self.assertEqual(data["member"]["blocks"], ["Desk Reader is suspended: late twice"])

    def test_return_to_hold_shelf_says_so(self):
        other = self._member("student_grad", name="Waiting Reader")
        copy = self.title.copy_ids[0]
        self.desk.desk_checkout(self.member.id, copy.barcode)
        self.desk.desk_checkout(self.member.id, self.title.copy_ids[1].barcode)
        self.env["library.hold"]._place(other, self.title)
        data = self.desk.desk_return(copy.barcode)
        self.assertEqual(data["message"], f"Returned [{copy.barcode}] Desk Book. Put it on the hold shelf for "
                                          "Waiting Reader.")
        other_data = self.desk.desk_scan_member(other.code)
        self.assertEqual(other_data["holds"][0]["state"], "ready")

    def test_persian_librarian_reads_jalali_dates(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        desk = self.desk.with_context(lang="fa_IR")
        barcode = self.title.copy_ids[0].barcode
        data = desk.desk_checkout(self.member.id, barcode)
        # due 1 December 2026 = 10 Azar 1405
        self.assertEqual(data["loans"][0]["due_date"], "1405/09/10")
        self.assertIn("1405/09/10", data["message"])
        english = self.desk.desk_scan_member("CARD-1")
        self.assertEqual(english["loans"][0]["due_date"], "12/01/2026")
