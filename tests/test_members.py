from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SATURDAY, LibraryCase


@tagged("post_install", "-at_install")
class TestMembers(LibraryCase):

    def _draft(self, category, **vals):
        return self._member(category, state="draft", **vals)

    def test_card_number_from_sequence(self):
        first, second = self._draft("student_ug"), self._draft("student_ug")
        self.assertTrue(first.code.startswith("M"))
        self.assertNotEqual(first.code, second.code)

    def test_visitor_needs_letter_deposit_approval_and_agreement_date(self):
        visitor = self._draft("visitor", name="Dr. Visitor")
        self.assertTrue(self.cat["visitor"].requires_deposit)
        with self.assertRaises(UserError) as error:
            visitor.action_activate()
        message = str(error.exception)
        self.assertIn("attach the introduction letter", message)
        self.assertIn("library director's approval", message)
        self.assertIn("date the membership ends", message)
        self.assertEqual(visitor.state, "draft")
        visitor.document_ids = [(0, 0, {"name": "letter.pdf", "raw": b"letter"})]
        visitor.action_approve()
        visitor.date_end = date(2027, 6, 30)
        visitor.action_activate()
        self.assertEqual(visitor.state, "active")
        self.assertEqual(visitor.approved_by_id, self.env.user)

    def test_adjunct_needs_guarantor_and_lasts_until_end_of_term(self):
        official = self._member("faculty", name="Official")
        adjunct = self._draft("adjunct", name="Adjunct")
        with self.assertRaisesRegex(UserError, "official member who guarantees"):
            adjunct.action_activate()
        adjunct.guarantor_id = official
        with freeze_time("2026-11-21"):
            adjunct.action_activate()
        self.assertEqual(adjunct.date_end, self.term.date_end)
        with self.assertRaisesRegex(ValidationError, "own guarantor"):
            adjunct.guarantor_id = adjunct

    def test_term_membership_without_term_is_refused(self):
        adjunct = self._draft("adjunct", guarantor_id=self._member("faculty").id)
        with freeze_time("2027-03-01"), self.assertRaisesRegex(UserError, "No academic term covers"):
            adjunct.action_activate()
        self.assertEqual(adjunct.state, "draft")

    def test_only_manager_approves(self):
        visitor = self._draft("visitor")
        librarian = self.env["res.users"].create({
            "name": "Desk", "login": "desk_approve",
            "groups_id": [(6, 0, [self.env.ref("university_library.group_librarian").id,
                                  self.env.ref("base.group_user").id])]})
        with self.assertRaisesRegex(UserError, "Only the library director"):
            visitor.with_user(librarian).action_approve()
        self.assertFalse(visitor.approved_by_id)

    def test_suspend_until_end_of_term_with_wizard(self):
        member = self._member("student_ug")
        with freeze_time("2026-11-21"):
            wizard = Form(self.env["library.member.suspend"].with_context(default_member_id=member.id))
            wizard.reason = "Second delay over 15 days"
            self.assertEqual(wizard.date_until, date(2027, 1, 20))
            wizard.save().action_confirm()
        self.assertEqual(member.state, "suspended")
        self.assertEqual(member.suspended_until, date(2027, 1, 20))
        blocks = member._get_borrowing_blocks(SATURDAY)
        self.assertEqual(len(blocks), 1)
        self.assertIn("is suspended until 01/20/2027: Second delay over 15 days", blocks[0])
        # the nightly job lifts it the day after it ends
        self.env["library.member"]._cron_update_states(date(2027, 1, 20))
        self.assertEqual(member.state, "suspended")
        self.env["library.member"]._cron_update_states(date(2027, 1, 21))
        self.assertEqual(member.state, "active")
        self.assertFalse(member.suspended_until)

    def test_membership_expires(self):
        member = self._member("student_grad", date_end=date(2026, 11, 30))
        self.assertEqual(member._get_borrowing_blocks(SATURDAY), [])
        self.assertIn("expired on 11/30/2026",
                      member._get_borrowing_blocks(date(2026, 12, 1))[0])
        self.env["library.member"]._cron_update_states(date(2026, 12, 1))
        self.assertEqual(member.state, "expired")

    def test_leaving_with_loans_refused(self):
        member = self._member("student_ug")
        title = self._title("Kept", copies=1)
        self.checkout(member, title.copy_ids)
        with self.assertRaisesRegex(UserError, "still has 1 item"):
            member.action_mark_left()
        self.assertEqual(member.state, "active")

    def test_state_changes_are_tracked(self):
        member = self._draft("faculty")
        member.document_ids = [(0, 0, {"name": "hr-letter.pdf", "raw": b"letter"})]
        self.cr.flush()  # the creation is its own transaction at the desk
        member.action_activate()
        self.env.flush_all()
        self.cr.flush()
        member.invalidate_recordset(["message_ids"])
        tracked = member.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(tracked[:1].new_value_char, "Active")
