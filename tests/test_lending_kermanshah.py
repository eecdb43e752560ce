from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LibraryCase

SUNDAY = date(2026, 11, 22)

# Kermanshah, table 1: (category, max volumes, due date for a loan on Sunday 22 Nov 2026)
KERMANSHAH_LIMITS = [
    ("faculty", 15, date(2026, 12, 12)),       # 20 days
    ("student_grad", 10, date(2026, 12, 7)),   # 15 days
    ("student_ug", 5, date(2026, 12, 7)),      # 15 days
    ("employee", 5, date(2026, 12, 7)),        # staff: 15 days
    ("expert_nonedu", 5, date(2026, 12, 7)),
]


@tagged("post_install", "-at_install")
class TestKermanshahLending(LibraryCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.library_policy_id = cls.kermanshah

    def test_limits_and_periods_per_group(self):
        for category, limit, due in KERMANSHAH_LIMITS:
            with self.subTest(category=category):
                member = self._member(category, name=f"Kermanshah {category}")
                title = self._title(f"Shelf {category}", copies=limit + 1)
                loans = self.env["library.loan"]
                for copy in title.copy_ids[:limit]:
                    loans |= self.checkout(member, copy, day=SUNDAY)
                self.assertEqual(set(loans.mapped("due_date")), {due})
                with self.assertRaisesRegex(UserError, f"already has {limit} item\\(s\\) on loan; the limit for "
                                                       f".* is {limit}\\."):
                    self.checkout(member, title.copy_ids[limit], day=SUNDAY)

    def test_two_renewals_then_refused(self):
        member = self._member("student_ug")
        loan = self.checkout(member, self._title("Renewable", copies=1).copy_ids, day=SUNDAY)
        loan.action_renew(date(2026, 12, 6))   # + 15 = 21 Dec
        self.assertEqual(loan.due_date, date(2026, 12, 21))
        loan.action_renew(date(2026, 12, 20))  # + 15 = 4 Jan
        self.assertEqual((loan.renewal_count, loan.due_date), (2, date(2027, 1, 4)))
        with self.assertRaises(UserError) as error:
            loan.action_renew(date(2027, 1, 3))
        self.assertEqual(str(error.exception), f"{loan.copy_id.display_name} has been renewed 2 time(s), the most "
                                               "Kermanshah University of Medical Sciences allows.")
        self.assertEqual((loan.renewal_count, loan.due_date), (2, date(2027, 1, 4)))

    def test_holds_do_not_forbid_renewal(self):
        member, other = self._member("student_ug", name="Holder"), self._member("student_grad", name="Waiter")
        title = self._title("Shared", copies=1)
        loan = self.checkout(member, title.copy_ids, day=SUNDAY)
        self.env["library.hold"]._place(other, title)
        loan.action_renew(date(2026, 12, 1))
        self.assertEqual(loan.renewal_count, 1)

    def test_outside_visitors_are_not_lent_to(self):
        visitor = self._member("visitor", name="Guest")
        with self.assertRaisesRegex(UserError, "The rulebook Kermanshah University of Medical Sciences has no loan "
                                               "rule for Outside visitor borrowing Book."):
            self.checkout(visitor, self._title("Closed stack", copies=1).copy_ids, day=SUNDAY)

    def test_periodicals_theses_reference_never_lent(self):
        member = self._member("faculty")
        for code in ("periodical", "thesis", "reference"):
            copy = self._title(f"K {code}", copies=1, material=code).copy_ids
            with self.assertRaisesRegex(UserError, "in-library use only"):
                self.checkout(member, copy, day=SUNDAY)
