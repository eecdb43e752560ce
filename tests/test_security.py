from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SATURDAY, LibraryCase


@tagged("post_install", "-at_install")
class TestAccessRights(LibraryCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = new_test_user(cls.env, "lib_reader", groups="base.group_user,university_library.group_library_user")
        cls.librarian = new_test_user(cls.env, "lib_desk", groups="base.group_user,university_library.group_librarian")
        cls.manager = new_test_user(cls.env, "lib_head", groups="base.group_user,university_library.group_library_manager")
        cls.outsider = new_test_user(cls.env, "lib_none", groups="base.group_user")
        cls.title = cls._title("Guarded", copies=2)
        cls.member = cls._member("student_ug", name="Guarded Member")

    def test_library_user_reads_catalogue_only(self):
        env = self.env(user=self.reader)
        self.assertEqual(env["library.title"].browse(self.title.id).name, "Guarded")
        self.assertEqual(len(env["library.copy"].search([("title_id", "=", self.title.id)])), 2)
        with self.assertRaises(AccessError):
            env["library.title"].create({"name": "Not allowed"})
        with self.assertRaises(AccessError):
            env["library.member"].search([])
        with self.assertRaises(AccessError):
            env["library.loan"].search([])

    def test_librarian_works_the_desk_but_not_the_rulebook(self):
        env = self.env(user=self.librarian)
        member = env["library.member"].browse(self.member.id)
        copy = env["library.copy"].browse(self.title.copy_ids[0].id)
        loan = env["library.loan"]._checkout(member, copy, SATURDAY)
        self.assertEqual(loan.create_uid, self.librarian)
        self.assertEqual(loan.checkout_user_id, self.librarian)
        loan.action_renew(SATURDAY)
        loan.action_return(SATURDAY)
        env["library.title"].create({"name": "Catalogued by the desk"})
        with self.assertRaises(AccessError):
            env["library.policy"].browse(self.ilam.id).hold_pickup_hours = 1
        with self.assertRaises(AccessError):
            env["library.policy.rule"].browse(self.ilam.rule_ids[0].id).max_items = 99
        with self.assertRaises(AccessError):
            env["library.title"].browse(self.title.id).unlink()
        with self.assertRaises(AccessError):
            loan.unlink()
        self.assertEqual(self.ilam.hold_pickup_hours, 48)

    def test_manager_edits_rulebooks(self):
        env = self.env(user=self.manager)
        env["library.policy"].browse(self.ilam.id).hold_pickup_hours = 72
        self.assertEqual(self.ilam.hold_pickup_hours, 72)
        env["library.member.category"].create({"name": "Alumni", "code": "ALU"})

    def test_no_library_group_no_access(self):
        env = self.env(user=self.outsider)
        for model in ("library.title", "library.copy", "library.member", "library.loan", "library.hold"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                env[model].search([])

    def test_other_company_records_are_invisible(self):
        other = self.env["res.company"].create({"name": "Kermanshah University"})
        self.manager.write({"company_ids": [(4, other.id)]})
        self.librarian.write({"company_ids": [(6, 0, [self.company.id])], "company_id": self.company.id})
        partner = self.env["res.partner"].create({"name": "Other Campus Reader"})
        foreign = self.env["library.member"].with_company(other).create({
            "partner_id": partner.id, "category_id": self.cat["student_ug"].id, "company_id": other.id})
        self.assertFalse(self.env(user=self.librarian)["library.member"].search([("id", "=", foreign.id)]))
        self.assertTrue(self.env(user=self.manager, context={"allowed_company_ids": [other.id]})[
            "library.member"].search([("id", "=", foreign.id)]))
