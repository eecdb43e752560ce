from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDeskTour(HttpCase):

    def test_desk_tour(self):
        env = self.env
        policy = env["library.policy"].create({
            "name": "Tour rulebook", "code": "TOUR",
            "rule_ids": [(0, 0, {"max_items": 2, "loan_period": "days", "loan_days": 10})],
        })
        env.company.library_policy_id = policy
        new_test_user(env, "tour_librarian", groups="base.group_user,university_library.group_librarian")
        partner = env["res.partner"].create({"name": "Tour Reader"})
        member = env["library.member"].create({
            "partner_id": partner.id, "code": "TOURCARD",
            "category_id": env.ref("university_library.category_student_ug").id, "state": "active"})
        title = env["library.title"].create({"name": "Tour Stack"})
        env["library.copy"].create([{
            "title_id": title.id, "barcode": f"TOUR-{n}",
            "branch_id": env.ref("university_library.branch_central").id,
            "material_type_id": env.ref("university_library.material_book").id,
        } for n in (1, 2, 3)])

        self.start_tour("/odoo/action-university_library.library_desk_action", "university_library_desk_tour",
                        login="tour_librarian")

        loans = env["library.loan"].search([("member_id", "=", member.id)])
        self.assertEqual(sorted(loans.mapped("copy_id.barcode")), ["TOUR-1", "TOUR-2"])
        self.assertEqual(loans.filtered(lambda l: l.copy_id.barcode == "TOUR-1").state, "returned")
        self.assertEqual(loans.filtered(lambda l: l.copy_id.barcode == "TOUR-2").state, "open")
        self.assertEqual(env["library.copy"].search([("barcode", "=", "TOUR-3")]).state, "available")
