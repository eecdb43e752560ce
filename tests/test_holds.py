from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SATURDAY, LibraryCase

NOW = datetime(2026, 11, 21, 9, 0)


@tagged("post_install", "-at_install")
class TestHolds(LibraryCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.title = cls._title("Only One", copies=1)
        cls.copy = cls.title.copy_ids
        cls.borrower = cls._member("student_grad", name="Borrower")
        cls.first = cls._member("student_ug", name="First In Line")
        cls.second = cls._member("student_ug", name="Second In Line")

    def test_queue_hold_shelf_and_48_hour_expiry(self):
        loan = self.checkout(self.borrower, self.copy)
        holds = self.env["library.hold"]
        with freeze_time(NOW):
            hold_1 = holds._place(self.first, self.title)
        with freeze_time(NOW + timedelta(minutes=5)):
            hold_2 = holds._place(self.second, self.title)
        self.assertEqual((hold_1.state, hold_1.queue_position), ("waiting", 1))
        self.assertEqual((hold_2.state, hold_2.queue_position), ("waiting", 2))
        self.assertEqual(self.title.waiting_hold_count, 2)

        returned_at = datetime(2026, 11, 23, 10, 0)
        with freeze_time(returned_at):
            loan.action_return()
        self.assertEqual(self.copy.state, "hold_shelf")
        self.assertEqual(self.copy.hold_id, hold_1)
        self.assertEqual(hold_1.state, "ready")
        self.assertEqual(hold_1.date_expiry, returned_at + timedelta(hours=48))
        notice = self.env["library.notice"].search([("hold_id", "=", hold_1.id), ("kind", "=", "hold_ready")])
        self.assertEqual(len(notice), 1)
        self.assertEqual((notice.channel, notice.state, notice.recipient), ("email", "queued", "student_ug@example.com"))
        self.assertIn("waiting for you on the hold shelf", notice.mail_id.body_html)

        # somebody else cannot take it from the hold shelf
        with self.assertRaisesRegex(UserError, "on the hold shelf for another member"):
            self.checkout(self.second, self.copy, day=returned_at.date())

        # 47 hours later it still waits; after 48 it passes to the next in line
        self.env["library.hold"]._cron_expire(returned_at + timedelta(hours=47))
        self.assertEqual(hold_1.state, "ready")
        self.env["library.hold"]._cron_expire(returned_at + timedelta(hours=48, minutes=1))
        self.assertEqual(hold_1.state, "expired")
        self.assertEqual((hold_2.state, self.copy.hold_id), ("ready", hold_2))
        self.assertEqual(hold_2.date_expiry, returned_at + timedelta(hours=96, minutes=1))

        loan_2 = self.checkout(self.second, self.copy, day=(returned_at + timedelta(days=2)).date())
        self.assertEqual((hold_2.state, hold_2.loan_id), ("fulfilled", loan_2))
        self.assertEqual(self.copy.state, "on_loan")

    def test_cancel_ready_hold_releases_copy(self):
        loan = self.checkout(self.borrower, self.copy)
        hold_1 = self.env["library.hold"]._place(self.first, self.title)
        loan.action_return(SATURDAY)
        self.assertEqual(hold_1.state, "ready")
        hold_1.action_cancel()
        self.assertEqual((hold_1.state, self.copy.state, self.copy.hold_id.id), ("cancelled", "available", False))
        with self.assertRaisesRegex(UserError, "already closed"):
            hold_1.action_cancel()

    def test_hold_on_available_copy_is_ready_at_once(self):
        hold = self.env["library.hold"]._place(self.first, self.title)
        self.assertEqual((hold.state, self.copy.state), ("ready", "hold_shelf"))

    def test_hold_refusals(self):
        self.env["library.hold"]._place(self.first, self.title)
        with self.assertRaisesRegex(UserError, "First In Line already has a hold on Only One"):
            self.env["library.hold"]._place(self.first, self.title)
        reference = self._title("Dictionary", copies=1, material="reference")
        with self.assertRaisesRegex(UserError, "has no copy that may leave the library"):
            self.env["library.hold"]._place(self.second, reference)
        self.second.write({"state": "suspended", "suspension_reason": "late"})
        with self.assertRaisesRegex(UserError, "Second In Line is suspended"):
            self.env["library.hold"]._place(self.second, self.title)
