import smtplib
import threading
from datetime import date, datetime, time, timedelta
from http.server import ThreadingHTTPServer
from unittest.mock import patch

import psycopg2

import jdatetime

from odoo.addons.base.models.ir_mail_server import IrMailServer
from odoo.addons.sms.tools.sms_api import SmsApi
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SATURDAY, LibraryCase, LibraryMoneyCase
from .test_sms_gateway import Gateway


def at(day, hour=9):
    return datetime.combine(day, time(hour, 0))


class NoticeSetup:
    """A real HTTP SMS gateway on 127.0.0.1 and helpers to read what was queued."""

    @classmethod
    def _setup_gateway(cls):
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.shutdown)
        cls.gateway = f"http://127.0.0.1:{cls.server.server_port}"
        cls.env.company.write({
            "library_sms_provider": "http", "library_sms_method": "POST", "library_sms_url": cls.gateway + "/ok",
            "library_sms_body": '{"to": "{number}", "text": "{text}"}', "library_sms_auth_header": False,
            "library_sms_success": "queued", "library_sms_timeout": 5,
        })

    def notices(self, member, kind=None):
        domain = [("member_id", "=", member.id)] + ([("kind", "=", kind)] if kind else [])
        return self.env["library.notice"].search(domain, order="id")

    def run_notices(self, day, hour=9):
        self.env["library.notice"]._cron_send_notices(now=at(day, hour))


@tagged("post_install", "-at_install")
class TestNotices(NoticeSetup, LibraryCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_gateway()
        cls.title = cls._title("The Masnavi", copies=2)
        cls.member = cls._member("student_ug", name="Sara Ahmadi")

    def setUp(self):
        super().setUp()
        Gateway.received.clear()

    def test_due_soon_once_at_the_right_day(self):
        loan = self.checkout(self.member, self.title.copy_ids[0])
        self.assertEqual(self.env.ref("university_library.policy_ilam").notice_due_soon_days, 2)
        self.run_notices(loan.due_date - timedelta(days=3))
        self.assertFalse(self.notices(self.member), "three days before the due date is too early")

        self.run_notices(loan.due_date - timedelta(days=2))
        notice = self.notices(self.member)
        self.assertEqual((notice.kind, notice.channel, notice.state, notice.loan_id), ("due_soon", "email", "queued", loan))
        self.assertEqual(notice.mail_id.subject, f"Due on {notice.date_text}: The Masnavi")
        self.assertEqual(notice.mail_id.recipient_ids, self.member.partner_id)
        # the job runs again the same hour, the next day, and on the due date: nothing more
        self.run_notices(loan.due_date - timedelta(days=2), hour=10)
        self.run_notices(loan.due_date - timedelta(days=1))
        self.run_notices(loan.due_date)
        self.assertEqual(self.notices(self.member, "due_soon"), notice)
        self.assertEqual(self.env["mail.mail"].search_count([("library_notice_id.member_id", "=", self.member.id)]), 1)

        # a renewal gives a new due date, and a new reminder before it
        loan.due_date = loan.due_date + timedelta(days=14)
        self.run_notices(loan.due_date - timedelta(days=1))
        self.assertEqual(len(self.notices(self.member, "due_soon")), 2)

    def test_overdue_ladder_each_step_once(self):
        loan = self.checkout(self.member, self.title.copy_ids[0])
        steps = self.env.ref("university_library.policy_ilam").notice_step_ids.sorted("days")
        self.assertEqual(steps.mapped("days"), [1, 7, 15])
        self.run_notices(loan.due_date)
        self.assertFalse(self.notices(self.member, "overdue"), "not late yet on the due date")
        for late, expected in ((1, 1), (2, 1), (6, 1), (7, 2), (7, 2), (14, 2), (15, 3), (40, 3)):
            self.run_notices(loan.due_date + timedelta(days=late))
            self.assertEqual(len(self.notices(self.member, "overdue")), expected, f"{late} days late")
        sent = self.notices(self.member, "overdue")
        self.assertEqual(sent.step_id, steps)
        self.assertEqual(sent.mail_id.mapped("subject"), [
            f"Overdue: The Masnavi (due {sent[0].date_text})",
            "Second notice: The Masnavi is overdue",
            "Final notice: The Masnavi is overdue"])

        # a returned item gets nothing more
        loan.action_return(day=loan.due_date + timedelta(days=41))
        self.run_notices(loan.due_date + timedelta(days=60))
        self.assertEqual(len(self.notices(self.member, "overdue")), 3)

    def test_a_job_that_crashes_half_way_sends_nothing_twice(self):
        other = self._member("student_ug", name="Second Reader")
        first = self.checkout(self.member, self.title.copy_ids[0])
        second = self.checkout(other, self.title.copy_ids[1], day=SATURDAY + timedelta(days=3))
        self.assertLess((second.due_date - first.due_date).days, 6, "the first reader stays on the first step")
        readers = [("member_id", "in", (self.member | other).ids)]
        # An earlier run (its batch committed) told the first reader.
        self.run_notices(first.due_date + timedelta(days=1))
        self.assertEqual(self.env["library.notice"].search(readers).member_id, self.member)

        day = second.due_date + timedelta(days=1)
        queue = type(self.env["library.notice"])._queue
        calls = []

        def crash(notice, channel):
            if notice.member_id not in self.member | other:  # the demo library's readers, in another company
                return queue(notice, channel)
            calls.append(notice.member_id)
            raise psycopg2.OperationalError("server closed the connection unexpectedly")

        with patch.object(type(self.env["library.notice"]), "_queue", crash), \
                self.assertRaises(psycopg2.OperationalError), self.env.cr.savepoint():
            # the job dies while it writes the second reader's notice (the first one has it already)
            self.run_notices(day)
        self.env.invalidate_all()
        self.assertEqual(calls, [other], "the first reader's notice was not considered again")
        self.assertEqual(len(self.env["library.notice"].search(readers)), 1, "the crash undid its notices")
        # the job resumes, then runs once more
        self.run_notices(day)
        self.run_notices(day)
        notices = self.env["library.notice"].search(readers)
        self.assertEqual(sorted(notices.member_id.ids), sorted((self.member | other).ids))
        self.assertEqual(len(notices), 2)
        self.assertEqual(self.env["mail.mail"].search_count([("library_notice_id", "in", notices.ids)]), 2)

    def test_a_broken_template_fails_the_notice_not_the_desk(self):
        template = self.env.ref("university_library.mail_template_notice_hold_ready")
        template.body_html = '<p t-out="object.no_such_field"/>'
        title = self._title("Shahnameh")
        hold = self.env["library.hold"]._place(self.member, title, now=at(SATURDAY))
        self.assertEqual(hold.state, "ready", "the hold is on the shelf whatever became of the notice")
        notice = self.notices(self.member, "hold_ready")
        self.assertEqual(notice.state, "failed")
        self.assertIn("no_such_field", notice.failure)

    def test_a_landline_gets_no_sms(self):
        self.member.write({"notice_channel": "sms", "mobile": False, "phone": "+98 84 3322 1100"})
        self.member._suspend(date(2027, 1, 20), "Late")
        notice = self.notices(self.member, "suspension")
        self.assertEqual((notice.channel, notice.fallback), ("email", True))

    def test_the_library_day_not_the_server_day(self):
        # Ilam is UTC+3:30: 21:00 UTC is already the next day at the library.
        loan = self.checkout(self.member, self.title.copy_ids[0])
        eve = loan.due_date - timedelta(days=3)
        self.env["library.notice"]._cron_send_notices(now=datetime.combine(eve, time(20, 0)))  # 23:30 in Ilam
        self.assertFalse(self.notices(self.member, "due_soon"))
        self.env["library.notice"]._cron_send_notices(now=datetime.combine(eve, time(21, 0)))  # 00:30 next day
        self.assertEqual(len(self.notices(self.member, "due_soon")), 1)

    def test_iap_answers_are_heard_too(self):
        self.env.company.library_sms_provider = "iap"
        self.member.write({"notice_channel": "sms", "mobile": "+989181112233"})
        self.member._suspend(date(2027, 1, 20), "Late")
        notice = self.notices(self.member, "suspension")
        sms = notice.sms_id

        def no_credit(api, messages, delivery_reports_url=False):
            return [{"uuid": number["uuid"], "state": "insufficient_credit"}
                    for message in messages for number in message["numbers"]]

        with patch.object(SmsApi, "_send_sms_batch", no_credit):
            sms._send(unlink_failed=False)
        self.assertEqual((notice.channel, notice.fallback, notice.state), ("email", True, "queued"))
        self.assertIn("sms_credit", notice.failure)
        self.assertEqual(sms.state, "canceled", "the failed SMS cannot be resent from the queue as well")

    def test_each_company_sends_through_its_own_gateway(self):
        other = self.env["res.company"].create({
            "name": "Razi Library", "library_sms_provider": "http", "library_sms_url": self.gateway + "/ok-razi",
            "library_sms_body": '{"to": "{number}", "text": "{text}"}', "library_sms_success": "queued"})
        self.env.company.library_sms_url = self.gateway + "/fail"
        partner = self.env["res.partner"].create({"name": "Razi Reader", "mobile": "+989181114455"})
        member = self.env["library.member"].create({
            "partner_id": partner.id, "category_id": self.cat["student_ug"].id, "company_id": other.id,
            "state": "active", "notice_channel": "sms"})
        member._suspend(date(2027, 1, 20), "Late")
        notice = self.notices(member, "suspension")
        notice.sms_id._send(unlink_sent=False)
        self.assertEqual([request["path"] for request in Gateway.received], ["/ok-razi"])
        self.assertEqual(notice.state, "sent")

    def test_a_late_first_run_sends_only_the_step_reached(self):
        loan = self.checkout(self.member, self.title.copy_ids[0])
        self.run_notices(loan.due_date + timedelta(days=16))
        notice = self.notices(self.member, "overdue")
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.step_id.days, 15)

    def test_opt_out_stops_courtesy_notices_only(self):
        self.member.notice_opt_out = True
        loan = self.checkout(self.member, self.title.copy_ids[0])
        self.run_notices(loan.due_date - timedelta(days=1))
        due_soon = self.notices(self.member, "due_soon")
        self.assertEqual((due_soon.state, due_soon.mail_id, due_soon.sms_id), ("skipped", self.env["mail.mail"],
                                                                              self.env["sms.sms"]))
        self.run_notices(loan.due_date + timedelta(days=1))
        overdue = self.notices(self.member, "overdue")
        self.assertEqual((overdue.mandatory, overdue.state, overdue.channel), (True, "queued", "email"))
        self.assertTrue(overdue.mail_id)

    def test_sms_without_mobile_falls_back_to_email(self):
        self.member.write({"notice_channel": "sms", "mobile": False, "phone": False})
        loan = self.checkout(self.member, self.title.copy_ids[0])
        self.run_notices(loan.due_date + timedelta(days=1))
        notice = self.notices(self.member, "overdue")
        self.assertEqual((notice.channel, notice.fallback, notice.state), ("email", True, "queued"))
        self.assertFalse(self.env["sms.sms"].search([("library_notice_id", "=", notice.id)]))

    def test_email_without_address_falls_back_to_sms(self):
        self.member.write({"notice_channel": "email", "email": False, "mobile": "+989181112233"})
        loan = self.checkout(self.member, self.title.copy_ids[0])
        self.run_notices(loan.due_date + timedelta(days=1))
        notice = self.notices(self.member, "overdue")
        self.assertEqual((notice.channel, notice.fallback, notice.recipient), ("sms", True, "+989181112233"))
        self.assertIn("The Masnavi was due on", notice.sms_id.body)
        notice.sms_id._send(unlink_sent=False)
        self.assertEqual(notice.state, "sent")
        self.assertEqual([r["body"]["to"] for r in Gateway.received], ["+989181112233"])

    def test_sms_gateway_error_falls_back_to_email(self):
        self.env.company.library_sms_url = self.gateway + "/fail"
        self.member.write({"notice_channel": "sms", "mobile": "+989181112233"})
        loan = self.checkout(self.member, self.title.copy_ids[0])
        self.run_notices(loan.due_date + timedelta(days=1))
        notice = self.notices(self.member, "overdue")
        self.assertEqual((notice.channel, notice.fallback), ("sms", False))
        sms = notice.sms_id
        sms._send(unlink_failed=False)
        self.assertEqual(sms.state, "canceled", "failed, then cancelled once the email took over")
        self.assertEqual(len(Gateway.received), 1)
        self.assertEqual((notice.channel, notice.fallback, notice.state), ("email", True, "queued"))
        self.assertIn("SMS failed: HTTP 500", notice.failure)
        self.assertIn("The Masnavi", notice.mail_id.subject)
        # the email goes out; the notice is delivered, once
        notice.mail_id.send()
        self.assertEqual(notice.state, "sent")
        self.run_notices(loan.due_date + timedelta(days=2))
        self.assertEqual(self.notices(self.member, "overdue"), notice)

    def test_refused_email_falls_back_to_sms(self):
        self.member.write({"notice_channel": "email", "mobile": "+989181112233"})
        loan = self.checkout(self.member, self.title.copy_ids[0])
        self.run_notices(loan.due_date + timedelta(days=1))
        notice = self.notices(self.member, "overdue")
        mail = notice.mail_id
        refused = smtplib.SMTPRecipientsRefused({"student_ug@example.com": (550, b"5.1.1 mailbox unavailable")})
        with patch.object(IrMailServer, "send_email", side_effect=refused), \
                self.assertLogs("odoo.addons.mail.models.mail_mail", level="ERROR"):
            mail.send()
        self.assertEqual((notice.channel, notice.fallback, notice.state), ("sms", True, "queued"))
        self.assertIn("mailbox unavailable", notice.failure)
        notice.sms_id._send(unlink_sent=False)
        self.assertEqual(notice.state, "sent")
        self.assertEqual(len(Gateway.received), 1)

    def test_both_channels_missing_is_a_failed_notice(self):
        self.member.write({"email": False, "mobile": False, "phone": False})
        loan = self.checkout(self.member, self.title.copy_ids[0])
        self.run_notices(loan.due_date + timedelta(days=1))
        notice = self.notices(self.member, "overdue")
        self.assertEqual(notice.state, "failed")
        self.assertEqual(notice.failure, "no email address; no mobile number")

    def test_hold_ready_and_about_to_expire(self):
        title = self._title("Shahnameh")
        hold = self.env["library.hold"]._place(self.member, title, now=at(SATURDAY))
        self.assertEqual(hold.state, "ready", "a copy on the shelf goes to the hold shelf at once")
        ready = self.notices(self.member, "hold_ready")
        self.assertEqual(len(ready), 1)
        self.assertIn("Shahnameh is waiting for you on the hold shelf", ready.mail_id.body_html)

        # Ilam keeps a hold 48 hours; the reminder goes 24 hours before the end, once
        self.run_notices(SATURDAY, hour=20)
        self.assertFalse(self.notices(self.member, "hold_expiring"))
        self.env["library.notice"]._cron_send_notices(now=hold.date_expiry - timedelta(hours=23))
        self.env["library.notice"]._cron_send_notices(now=hold.date_expiry - timedelta(hours=2))
        expiring = self.notices(self.member, "hold_expiring")
        self.assertEqual(len(expiring), 1)
        self.assertEqual(expiring.mail_id.subject, "Last chance to pick up Shahnameh")

    def test_suspension_notice(self):
        self.member.notice_channel = "sms"
        self.member.mobile = "+989181112233"
        self.member._suspend(date(2027, 1, 20), "Book returned 20 days late")
        notice = self.notices(self.member, "suspension")
        self.assertEqual((notice.channel, notice.date_event), ("sms", date(2027, 1, 20)))
        self.assertIn("suspended until", notice.sms_id.body)
        self.assertIn("Book returned 20 days late", notice.sms_id.body)

    def test_persian_member_reads_jalali_dates(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(["university_library"], ["fa_IR"], overwrite=True)
        self.member.write({"lang": "fa_IR", "notice_channel": "sms", "mobile": "+989181112233"})
        loan = self.checkout(self.member, self.title.copy_ids[0])
        self.run_notices(loan.due_date - timedelta(days=1))
        notice = self.notices(self.member, "due_soon")
        jalali = jdatetime.date.fromgregorian(date=loan.due_date).strftime("%Y/%m/%d")
        self.assertEqual(notice.date_text, jalali)
        self.assertEqual(notice.sms_id.body, f"کتابخانه: تاریخ بازگشت The Masnavi، {jalali} است. "
                                             "لطفاً به‌موقع آن را بازگردانید یا تمدید کنید.")
        self.assertNotIn(str(loan.due_date.year), notice.sms_id.body)
        self.assertEqual(notice.text_direction, "rtl")
        self.member.notice_channel = "email"
        notice.sms_id._send(unlink_sent=False)  # the SMS is delivered; an email now, for the direction
        renewed = self.env["library.notice"]._emit("due_soon", self.member, "test:email-direction", loan_id=loan.id,
                                                   date_event=loan.due_date, items_text="The Masnavi")
        self.assertIn('dir="rtl"', renewed.mail_id.body_html)


@tagged("post_install", "-at_install")
class TestCampaign(NoticeSetup, LibraryCase):
    """Kermanshah, section 7: an SMS to every late member on 1 Shahrivar and 1 Esfand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_gateway()
        cls.company.library_policy_id = cls.kermanshah
        cls.kermanshah.notice_step_ids.unlink()  # only the campaign speaks in these tests
        cls.kermanshah.notice_due_soon_days = 0
        cls.late = cls._member("student_ug", name="Late Reader", mobile="+989181112233")
        cls.on_time = cls._member("student_grad", name="Punctual Reader", mobile="+989181112244")
        cls.title = cls._title("Golestan", copies=2)

    def test_campaign_days_are_persian_calendar_dates(self):
        self.assertEqual(self.kermanshah.campaign_date_ids.mapped("display_name"), ["1 Shahrivar", "1 Esfand"])
        # The Gregorian dates move between years; the Persian ones do not.
        days = [date(2026, 8, 23), date(2027, 2, 20), date(2027, 8, 23), date(2028, 2, 20)]
        for day, (year, month) in zip(days, [(1405, 6), (1405, 12), (1406, 6), (1406, 12)]):
            self.assertEqual(jdatetime.date(year, month, 1).togregorian(), day)

        self.checkout(self.late, self.title.copy_ids[0], day=date(2026, 6, 20))
        # on loan but not yet due on 1 Shahrivar 1405: not part of that campaign
        punctual = self.checkout(self.on_time, self.title.copy_ids[1], day=date(2026, 8, 20))
        self.assertGreater(punctual.due_date, days[0])
        campaign = self.env["library.notice"].search([("kind", "=", "campaign")], order="id")
        for day in days:
            if day > punctual.due_date and punctual.state != "returned":
                punctual.action_return(day=punctual.due_date)
            for other in (day - timedelta(days=1), day + timedelta(days=1), day + timedelta(days=30)):
                self.run_notices(other)
            self.assertEqual(len(self.env["library.notice"].search([("kind", "=", "campaign")])), len(campaign),
                             f"no campaign around {day}")
            self.run_notices(day)
            self.run_notices(day, hour=15)  # the job runs again: nothing more
            new = self.env["library.notice"].search([("kind", "=", "campaign")], order="id") - campaign
            self.assertEqual(new.member_id, self.late, f"one SMS on {day}")
            self.assertEqual((new.channel, new.items_text, new.date_event), ("sms", "Golestan", day))
            self.assertIn("you have overdue items (Golestan)", new.sms_id.body)
            campaign |= new
        self.assertEqual(len(campaign), 4)

    def test_campaign_day_list_is_configurable(self):
        self.kermanshah.campaign_date_ids = [(0, 0, {"month": "1", "day": 15})]
        self.checkout(self.late, self.title.copy_ids[0], day=date(2026, 6, 20))
        self.run_notices(date(2027, 4, 4))  # 15 Farvardin 1406
        notice = self.env["library.notice"].search([("kind", "=", "campaign")])
        self.assertEqual(notice.member_id, self.late)
        with self.assertRaisesRegex(ValidationError, "Esfand has days 1 to 29 in every year; 30 is not one of them"):
            self.kermanshah.campaign_date_ids = [(0, 0, {"month": "12", "day": 30})]


@tagged("post_install", "-at_install")
class TestChargeNotice(NoticeSetup, LibraryMoneyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_gateway()
        cls.member = cls._member("student_ug", name="Reza Karimi")
        cls.title = cls._title("Divan of Hafez")

    def test_fine_billed_notice_with_the_amount(self):
        loan = self.checkout(self.member, self.title.copy_ids)
        loan.action_return(day=loan.due_date + timedelta(days=10))
        self.assertTrue(loan.invoice_id)
        notice = self.notices(self.member, "charge")
        self.assertEqual(notice.move_id, loan.invoice_id)
        self.assertEqual(notice.amount_text, self.member._format_amount(loan.invoice_id.amount_total))
        self.assertIn(notice.amount_text, notice.mail_id.subject)
        # paying the membership fee is not a fine: no notice for it
        self.member._bill_charge("product_library_membership", 500_000, SATURDAY, "Membership fee")
        self.assertEqual(len(self.notices(self.member, "charge")), 1)
