from datetime import date, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from ..rules import lending
from .common import LibraryMoneyCase

RTL_FONT = "Noto Naskh Arabic"


@tagged("post_install", "-at_install")
class TestJalali(LibraryMoneyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")

    def _persian(self, member):
        member.partner_id.lang = "fa_IR"
        return member

    def _html(self, report, records):
        return self.env["ir.actions.report"]._render_qweb_html(report, records.ids)[0].decode()

    # Terms in the Jalali calendar

    def test_term_shows_and_takes_jalali_dates(self):
        # Fall 1405: 23 September 2026 to 20 January 2027
        self.assertEqual((self.term.date_start_jalali, self.term.date_end_jalali), ("1405/07/01", "1405/10/30"))
        self.term.date_end_jalali = "۱۴۰۵/۱۰/۲۹"          # Persian digits
        self.assertEqual(self.term.date_end, date(2027, 1, 19))
        self.assertEqual(self.term.date_end_jalali, "1405/10/29")
        spring = self.env["library.term"].create({
            "name": "Spring 1405", "date_start_jalali": "١٤٠٥/١١/١٥",  # Arabic-Indic digits
            "date_end_jalali": "1406/03/31"})
        self.assertEqual((spring.date_start, spring.date_end), (date(2027, 2, 4), date(2027, 6, 21)))
        self.assertEqual(self.env["library.term"]._covering(date(2027, 3, 1)), spring)

    def test_invalid_jalali_date_is_refused_in_words(self):
        with self.assertRaises(ValidationError) as error:
            self.term.date_start_jalali = "1405/13/01"
        self.assertEqual(str(error.exception), "Start (Jalali): “1405/13/01” has no month 13; Jalali months "
                                               "run from 1 (Farvardin) to 12 (Esfand).")
        with self.assertRaises(ValidationError) as error:
            self.term.date_end_jalali = "1405/12/31"
        self.assertEqual(str(error.exception),
                         "End (Jalali): “1405/12/31” is not a real day: month 12 of 1405 has 29 days.")
        with self.assertRaisesRegex(ValidationError, "month 12 of 1404 has 29 days"):
            self.term.date_end_jalali = "1404/12/30"    # 1404 is not a leap year
        with self.assertRaisesRegex(ValidationError, "is not a Jalali date. Write year/month/day"):
            self.env["library.term"].create({"name": "Typo", "date_start_jalali": "1405/7", "date_end_jalali": "1405/10/30"})
        self.assertEqual((self.term.date_start, self.term.date_end), (date(2026, 9, 23), date(2027, 1, 20)))

    def test_term_form_converts_while_typing(self):
        with Form(self.env["library.term"]) as form:
            form.name = "Summer 1406"
            form.date_start_jalali = "1406/04/01"
            self.assertEqual(form.date_start, date(2027, 6, 22))
            form.date_end = date(2027, 8, 22)
            self.assertEqual(form.date_end_jalali, "1406/05/31")
        term = self.env["library.term"].search([("name", "=", "Summer 1406")])
        self.assertEqual((term.date_start, term.date_end), (date(2027, 6, 22), date(2027, 8, 22)))

    # Week and calendar

    def test_persian_week_starts_on_saturday(self):
        persian = self.env.ref("base.lang_fa_IR")
        self.assertTrue(persian.active)
        self.assertEqual(persian.week_start, "6")
        self.assertEqual(self.env["res.lang"]._get_data(code="fa_IR").week_start, "6")
        self.assertEqual(self.env.ref("base.lang_en").week_start, "7")

    def test_ilam_calendar_closes_on_friday(self):
        central = self.env.ref("university_library.branch_central").sudo()
        self.assertEqual(central.calendar_id, self.calendar)
        is_open = self.branch._open_day_predicate()     # a library on the shipped Ilam calendar
        week = [date(2026, 11, 21) + timedelta(days=n) for n in range(7)]   # Saturday to Friday
        self.assertEqual([day for day in week if not is_open(day)], [date(2026, 11, 27)])
        self.assertEqual(lending.next_open_day(date(2026, 11, 27), is_open), date(2026, 11, 28))
        # a 10-day loan from Tuesday 17 November would fall due on Friday 27: it is due on Saturday 28
        loan = self.checkout(self._member("student_ug"), self._title("Due on Friday").copy_ids, day=date(2026, 11, 17))
        self.assertEqual(loan.due_date, date(2026, 11, 28))

    # Right-to-left documents

    def _fined_loan(self, name):
        member = self._member("student_ug", name=name)
        loan = self.checkout(member, self._title(f"Book of {name}").copy_ids)   # due Tuesday 1 December 2026
        loan.action_return(date(2026, 12, 11))
        return loan

    def test_receipt_right_to_left_for_a_persian_reader(self):
        loan = self._fined_loan("Persian Reader")
        self._persian(loan.member_id)
        self.take_payment(loan.member_id, day=date(2026, 12, 11))
        html = self._html("university_library.action_report_fine_receipt", loan)
        self.assertIn('dir="rtl"', html)
        self.assertIn(RTL_FONT, html)
        self.assertIn("text-align: right", html)
        self.assertIn('data-oe-lang="fa_IR"', html, "the PDF page takes the reader's direction")
        self.assertIn("1405/09/10", html, "due on 1 December 2026, in the Jalali calendar")

        english = self._fined_loan("English Reader")
        html = self._html("university_library.action_report_fine_receipt", english)
        self.assertNotIn('dir="rtl"', html)
        self.assertNotIn(RTL_FONT, html)
        self.assertIn('class="page o_library_receipt" dir="ltr"', html)
        self.assertIn("12/01/2026", html)

    def test_letters_and_certificate_right_to_left_for_a_persian_reader(self):
        loan = self.checkout(self._persian(self._member("employee", name="Persian Employee")),
                             self._title("Late book").copy_ids)
        for report in ("university_library.action_report_reminder_letter",
                       "university_library.action_report_escalation_letter"):
            html = self._html(report, loan)
            self.assertIn('class="page o_library_letter" dir="rtl"', html)
            self.assertIn(RTL_FONT, html)
            self.assertIn("1405/09/15", html, "due on 6 December 2026")
        member = self._persian(self._member("student_ug", name="Leaving Student"))
        clearance = self.env["library.clearance"].create({
            "member_id": member.id, "kind": "leaving", "reason": "end_of_studies"})
        clearance.action_check(day=date(2026, 12, 10))
        self.assertEqual(clearance.state, "granted")
        html = self._html("university_library.action_report_clearance", clearance)
        self.assertIn('class="page o_library_clearance" dir="rtl"', html)
        self.assertIn(RTL_FONT, html)
        self.assertIn("1405/09/19", html, "granted on 10 December 2026")

        english = self.checkout(self._member("employee", name="English Employee"), self._title("Other book").copy_ids)
        html = self._html("university_library.action_report_reminder_letter", english)
        self.assertIn('class="page o_library_letter" dir="ltr"', html)
        self.assertNotIn('dir="rtl"', html)
