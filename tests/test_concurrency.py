from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTwoDesks(BaseCase):
    """Two desks lend the last copy at the same moment: exactly one loan.

    Each desk is a real database transaction of its own, so the records they share are
    committed first and removed at the end.
    """

    def setUp(self):
        super().setUp()
        from odoo.modules.registry import Registry
        from odoo.tests.common import get_db_name
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env.company.library_policy_id = env.ref("university_library.policy_ilam")
            category = env.ref("university_library.category_student_ug")
            partners = env["res.partner"].create([{"name": "Desk One Reader"}, {"name": "Desk Two Reader"}])
            members = env["library.member"].create([
                {"partner_id": p.id, "category_id": category.id, "state": "active"} for p in partners])
            title = env["library.title"].create({"name": "The Last Copy"})
            copy = env["library.copy"].create({
                "title_id": title.id, "barcode": "LAST-COPY-1",
                "branch_id": env.ref("university_library.branch_central").id,
                "material_type_id": env.ref("university_library.material_book").id})
            self.ids = {"members": members.ids, "partners": partners.ids, "title": title.id, "copy": copy.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["library.loan"].search([("copy_id", "=", self.ids["copy"])]).unlink()
            env["library.copy"].browse(self.ids["copy"]).unlink()
            env["library.title"].browse(self.ids["title"]).unlink()
            env["library.member"].browse(self.ids["members"]).unlink()
            env["res.partner"].browse(self.ids["partners"]).unlink()

    def _desk(self, cr, member_index):
        env = api.Environment(cr, SUPERUSER_ID, {})
        member = env["library.member"].browse(self.ids["members"][member_index])
        copy = env["library.copy"].browse(self.ids["copy"])
        return env["library.loan"]._checkout(member, copy, date(2026, 11, 21))

    def test_last_copy_lent_once(self):
        desk_1 = self.registry.cursor()
        desk_2 = self.registry.cursor()
        try:
            loan = self._desk(desk_1, 0)           # desk 1 holds the copy, not committed yet
            self.assertTrue(loan)
            with self.assertRaisesRegex(UserError, "is being lent or returned at another desk"), \
                    mute_logger("odoo.sql_db"):
                self._desk(desk_2, 1)
            desk_2.rollback()
            desk_1.commit()
            with self.assertRaisesRegex(UserError, "is already on loan"):
                self._desk(desk_2, 1)
            desk_2.rollback()
        finally:
            desk_1.close()
            desk_2.close()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            loans = env["library.loan"].search([("copy_id", "=", self.ids["copy"])])
            self.assertEqual(len(loans), 1)
            self.assertEqual(loans.member_id.id, self.ids["members"][0])
            self.assertEqual(env["library.copy"].browse(self.ids["copy"]).state, "on_loan")
