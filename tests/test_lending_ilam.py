from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SATURDAY, LibraryCase

# Ilam rulebook, article 2: (category, max items, due date for a loan on Saturday 21 Nov 2026)
ILAM_LIMITS = [
    ("student_ug", 3, date(2026, 12, 1)),      # 10 days
    ("student_grad", 5, date(2026, 12, 6)),    # 15 days
    ("faculty", 10, date(2027, 1, 20)),        # one semester: end of term
    ("expert_edu", 6, date(2027, 1, 20)),
    ("expert_nonedu", 4, date(2027, 1, 20)),
    ("employee", 3, date(2026, 12, 6)),        # 15 days
    ("visitor", 3, date(2026, 12, 1)),         # 10 days
]


@tagged("post_install", "-at_install")
class TestIlamLending(LibraryCase):

    def test_limits_and_periods_per_group(self):
        for category, limit, due in ILAM_LIMITS:
            with self.subTest(category=category):
                member = self._member(category, name=f"Ilam {category}")
                title = self._title(f"Stack for {category}", copies=limit + 1)
                for copy in title.copy_ids[:limit]:
                    loan = self.checkout(member, copy)
                    self.assertEqual(loan.due_date, due)
                    self.assertEqual(loan.state, "open")
                extra = title.copy_ids[limit]
                with self.assertRaises(UserError) as error:
                    self.checkout(member, extra)
                self.assertEqual(
                    str(error.exception),
                    f"Ilam {category} already has {limit} item(s) on loan; the limit for "
                    f"{self.cat[category].name} is {limit}.")
                self.assertEqual(extra.state, "available")
                self.assertEqual(member.open_loan_count, limit)

    def test_due_date_on_friday_moves_to_saturday(self):
        member = self._member("student_ug")
        copy = self._title("Friday", copies=1).copy_ids
        loan = self.checkout(member, copy, day=date(2026, 11, 17))  # + 10 days = Friday 27 Nov
        self.assertEqual(loan.due_date, date(2026, 11, 28))

    def test_due_date_skips_public_holiday_then_friday(self):
        # 28 Nov 2026 declared closed (calendar time off, Tehran time): Friday 27 -> Saturday 28 -> Sunday 29
        self.env["resource.calendar.leaves"].create({
            "name": "Closure", "calendar_id": self.calendar.id,
            "date_from": datetime(2026, 11, 27, 20, 30), "date_to": datetime(2026, 11, 28, 20, 29, 59)})
        member = self._member("student_ug")
        loan = self.checkout(member, self._title("Holiday", copies=1).copy_ids, day=date(2026, 11, 17))
        self.assertEqual(loan.due_date, date(2026, 11, 29))

    def test_term_loan_without_term_refused(self):
        member = self._member("faculty")
        copy = self._title("No term", copies=1).copy_ids
        with self.assertRaisesRegex(UserError, "No academic term covers 03/01/2027"):
            self.checkout(member, copy, day=date(2027, 3, 1))
        self.assertFalse(copy.current_loan_id)
        self.assertEqual(copy.state, "available")

    def test_never_leaves_the_library(self):
        member = self._member("faculty")
        for code in ("reference", "rare", "manuscript", "periodical", "thesis", "report", "nonprint"):
            with self.subTest(material=code):
                copy = self._title(f"In-library {code}", copies=1, material=code).copy_ids
                with self.assertRaises(UserError) as error:
                    self.checkout(member, copy)
                self.assertEqual(str(error.exception),
                                 f"{copy.display_name} is {self.mat[code].name}: in-library use only.")
                self.assertEqual(copy.state, "available")
        self.assertEqual(member.open_loan_count, 0)

    def test_reserve_shelf_short_loan(self):
        member = self._member("student_grad", name="Reserve Reader")
        title = self._title("Textbook on reserve", copies=2, material="reserve")
        loan = self.checkout(member, title.copy_ids[0])
        self.assertEqual(loan.due_date, date(2026, 11, 22))  # one day
        with self.assertRaisesRegex(UserError, "already has 1 Reserve shelf item\\(s\\) on loan; the limit for "
                                               "Graduate student is 1"):
            self.checkout(member, title.copy_ids[1])
        with self.assertRaisesRegex(UserError, "renewed 0 time\\(s\\), the most Ilam University allows"):
            loan.action_renew(SATURDAY)

    def test_high_demand_title_shortened(self):
        rule = self.ilam.rule_ids.filtered(lambda r: r.category_id == self.cat["student_ug"])
        rule.high_demand_loan_days = 3
        member = self._member("student_ug")
        loan = self.checkout(member, self._title("Popular", copies=1, high_demand=True).copy_ids)
        self.assertEqual(loan.due_date, date(2026, 11, 24))
        normal = self.checkout(member, self._title("Quiet", copies=1).copy_ids)
        self.assertEqual(normal.due_date, date(2026, 12, 1))

    def test_renewal_refused_when_someone_else_asked(self):
        reader, other = self._member("student_ug", name="Reader"), self._member("student_grad", name="Other")
        title = self._title("Wanted", copies=1)
        loan = self.checkout(reader, title.copy_ids)
        # Ilam sets no number of renewals: three in a row are fine while nobody waits
        for day in (date(2026, 11, 25), date(2026, 11, 30), date(2026, 12, 6)):
            loan.action_renew(day)
        self.assertEqual(loan.renewal_count, 3)
        self.assertEqual(loan.due_date, date(2026, 12, 16))
        self.env["library.hold"]._place(other, title)
        with self.assertRaises(UserError) as error:
            loan.action_renew(date(2026, 12, 10))
        self.assertEqual(str(error.exception),
                         f"{title.copy_ids.display_name} cannot be renewed: another member is waiting for it.")
        self.assertEqual(loan.renewal_count, 3)
        self.assertEqual(loan.due_date, date(2026, 12, 16))

    def test_refusals_for_member_state(self):
        copy = self._title("Any", copies=1).copy_ids
        cases = [
            (self._member("student_ug", name="Draft D", state="draft"), "The membership of Draft D is not active yet."),
            (self._member("student_ug", name="Expired E", date_end=date(2026, 11, 1)),
             "The membership of Expired E expired on 11/01/2026."),
            (self._member("student_ug", name="Suspended S", state="suspended", suspended_until=date(2027, 1, 20),
                          suspension_reason="late twice"), "Suspended S is suspended until 01/20/2027: late twice"),
            (self._member("student_ug", name="Left L", state="left"), "Left L has left the university library."),
        ]
        for member, message in cases:
            with self.subTest(member=member.name), self.assertRaises(UserError) as error:
                self.checkout(member, copy)
            self.assertEqual(str(error.exception), message)
        self.assertEqual(copy.state, "available")
        self.assertFalse(self.env["library.loan"].search([("copy_id", "=", copy.id)]))

    def test_copy_not_available(self):
        first, second = self._member("student_ug", name="First"), self._member("student_ug", name="Second")
        title = self._title("Busy", copies=2)
        self.checkout(first, title.copy_ids[0])
        with self.assertRaisesRegex(UserError, r"is already on loan \(due 12/01/2026\)"):
            self.checkout(second, title.copy_ids[0])
        title.copy_ids[1].action_mark_damaged()
        with self.assertRaisesRegex(UserError, "cannot be lent: it is damaged"):
            self.checkout(second, title.copy_ids[1])
        self.assertEqual(second.open_loan_count, 0)

    def test_return_and_return_twice(self):
        member = self._member("student_ug")
        copy = self._title("Back", copies=1).copy_ids
        loan = self.checkout(member, copy)
        loan.action_return(date(2026, 11, 25))
        self.assertEqual((loan.state, loan.date_returned, copy.state), ("returned", date(2026, 11, 25), "available"))
        self.assertFalse(copy.current_loan_id)
        with self.assertRaisesRegex(UserError, "is not on loan"):
            loan.action_return(date(2026, 11, 26))
        self.assertEqual(loan.date_returned, date(2026, 11, 25))

    def test_overdue_job_is_idempotent(self):
        member = self._member("student_ug")
        loan = self.checkout(member, self._title("Late", copies=1).copy_ids)
        self.env["library.loan"]._cron_mark_overdue(date(2026, 12, 1))
        self.assertEqual(loan.state, "open", "due today is not overdue")
        for _run in range(2):
            self.env["library.loan"]._cron_mark_overdue(date(2026, 12, 2))
            self.assertEqual(loan.state, "overdue")
        loan.action_return(date(2026, 12, 5))
        self.assertEqual((loan.state, loan.days_overdue), ("returned", 4))

    def test_no_active_rulebook(self):
        self.company.library_policy_id = False
        member = self._member("student_ug")
        with self.assertRaisesRegex(UserError, "No rulebook is active"):
            self.checkout(member, self._title("Unruled", copies=1).copy_ids)
