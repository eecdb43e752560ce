from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestClearanceVerificationPage(HttpCase):

    def test_anyone_checks_a_certificate(self):
        partner = self.env["res.partner"].create({"name": "Cleared Graduate"})
        member = self.env["library.member"].create({
            "partner_id": partner.id, "state": "active", "date_end": "2028-01-01",
            "category_id": self.env.ref("university_library.category_student_grad").id})
        clearance = self.env["library.clearance"].create({"member_id": member.id, "kind": "leaving",
                                                          "reason": "end_of_studies"})
        clearance.action_check()
        self.assertEqual(clearance.state, "granted")
        page = self.url_open(f"/library/clearance/verify/{clearance.verification_code}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Valid:", page.text)
        self.assertIn("Cleared Graduate", page.text)
        page = self.url_open("/library/clearance/verify/FORGED123")
        self.assertIn("No clearance has the code FORGED123", page.text)
        self.assertNotIn("Cleared Graduate", page.text)


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
