import random
from datetime import date, datetime, time, timedelta

from stdnum import ean

from odoo import api, fields, models

WORDS_FA = ["تاریخ", "ادبیات", "فیزیک", "شیمی", "ریاضیات", "پزشکی", "حقوق", "اقتصاد", "فلسفه", "جغرافیا",
            "زیست‌شناسی", "روان‌شناسی", "مدیریت", "کشاورزی", "معماری"]
FORMS_FA = ["مبانی {}", "درآمدی بر {}", "اصول {}", "{} پیشرفته", "فرهنگ {}", "تاریخچه {}"]
WORDS_EN = ["Algebra", "Anatomy", "Thermodynamics", "Microeconomics", "Organic Chemistry", "Linguistics",
            "Epidemiology", "Statistics", "Hydrology", "Pharmacology", "Botany", "Optics", "Logic", "Ethics"]
FORMS_EN = ["Principles of {}", "Introduction to {}", "{}: A Handbook", "Advanced {}", "Essentials of {}",
            "{} in Practice"]
FIRST = ["Ali", "Zahra", "Reza", "Maryam", "Hossein", "Fatemeh", "Mehdi", "Sara", "Amir", "Leila", "Nguyen",
         "Linh", "Hamid", "Narges", "Karim", "Parisa"]
LAST = ["Ahmadi", "Karimi", "Rahimi", "Moradi", "Hosseini", "Jafari", "Rostami", "Tran", "Pham", "Sadeghi",
        "Kazemi", "Heidari", "Azizi", "Bagheri"]


class LibraryDemo(models.AbstractModel):
    """Demo data for a working library: terms, titles, copies, members and their circulation."""
    _name = "library.demo"
    _description = "Library Demo Data"

    @api.model
    def _isbn13(self, number):
        body = "978600" + f"{number:06d}"
        return body + ean.calc_check_digit(body)

    @api.model
    def _academic_terms(self, today):
        """Fall (1 Sep - 31 Jan) and spring (1 Feb - 31 Aug) terms around ``today``."""
        terms = []
        for year in (today.year - 2, today.year - 1, today.year):
            terms.append({"name": f"Fall {year}", "date_start": date(year, 9, 1),
                          "date_end": date(year + 1, 1, 31), "date_registration": date(year, 8, 25)})
            terms.append({"name": f"Spring {year + 1}", "date_start": date(year + 1, 2, 1),
                          "date_end": date(year + 1, 8, 31), "date_registration": date(year + 1, 1, 25)})
        return terms

    @api.model
    def _generate(self, titles=300, seed=1405):
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        ref = self.env.ref
        # A university in Iran: its own company, money in rial, a chart of accounts for the receivables.
        company = self.env["res.company"].create({
            "name": "Ilam University", "currency_id": ref("base.IRR").id, "country_id": ref("base.ir").id,
            "library_bank_account_number": "0101-4001-0930-02",
            "library_policy_id": ref("university_library.policy_ilam").id,
        })
        self.env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        company.currency_id = ref("base.IRR")  # the chart template sets its own currency
        for user in (ref("base.user_admin"), ref("university_library.user_librarian")):
            user.write({"company_ids": [(4, company.id)], "company_id": company.id})
        self = self.with_company(company).with_context(allowed_company_ids=[company.id])
        ref = self.env.ref
        company._library_accounting()
        self.env["library.term"].create(self._academic_terms(today))

        branches = self.env["library.branch"].create([{
            "name": name, "code": code, "calendar_id": ref("university_library.calendar_ilam_central").id,
        } for name, code in (("Central Library", "CENTRAL"), ("Faculty of Medicine Library", "MED"))])
        authors = self.env["library.author"].create([
            {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}"} for _ in range(60)])
        subjects = self.env["library.subject"].create([{"name": w} for w in WORDS_EN])
        publishers = self.env["res.partner"].create([
            {"name": name, "is_company": True} for name in (
                "Samt Publications", "Nashr-e Ney", "Amir Kabir", "Elsevier", "Springer", "Wiley",
                "University of Ilam Press", "Nhà xuất bản Giáo dục")])
        lang_fa = self.env["res.lang"].with_context(active_test=False).search([("code", "=", "fa_IR")], limit=1)
        lang_en = self.env["res.lang"].with_context(active_test=False).search([("code", "=", "en_US")], limit=1)
        types = {code: ref(f"university_library.material_{code}") for code in (
            "book", "reserve", "reference", "periodical", "thesis", "nonprint", "rare")}
        weighted_types = ["book"] * 14 + ["reserve", "reference", "periodical", "thesis", "nonprint", "rare"]

        title_vals = []
        for number in range(titles):
            persian = rng.random() < 0.55
            name = (rng.choice(FORMS_FA).format(rng.choice(WORDS_FA)) if persian
                    else rng.choice(FORMS_EN).format(rng.choice(WORDS_EN)))
            title_vals.append({
                "name": f"{name} ({number + 1})",
                "isbn": self._isbn13(number + 1),
                "author_ids": [(6, 0, rng.sample(authors.ids, rng.randint(1, 2)))],
                "publisher_id": rng.choice(publishers.ids),
                "edition": str(rng.randint(1, 6)),
                "year": rng.randint(1985, today.year),
                "language_id": (lang_fa if persian else lang_en).id,
                "subject_ids": [(6, 0, rng.sample(subjects.ids, 2))],
                "material_type_id": types[rng.choice(weighted_types)].id,
                "high_demand": rng.random() < 0.05,
            })
        titles_rec = self.env["library.title"].create(title_vals)
        copy_vals = []
        for title in titles_rec:
            for _n in range(rng.choice([1, 1, 2, 2, 2, 3])):
                copy_vals.append({
                    "title_id": title.id,
                    "barcode": f"B{len(copy_vals) + 100001}",
                    "branch_id": rng.choice(branches.ids),
                    "shelf_location": f"{rng.choice('ABCDEFGH')}-{rng.randint(1, 40):02d}",
                    "material_type_id": title.material_type_id.id,
                    "price": rng.randrange(500_000, 6_000_000, 50_000),
                })
        copies = self.env["library.copy"].create(copy_vals)

        # Members: five of every category
        members = self.env["library.member"]
        categories = self.env["library.member.category"].search([])
        officials = self.env["library.member"]
        for category in categories:
            for index in range(5):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                partner = self.env["res.partner"].create({
                    "name": f"{first} {last}",
                    "email": f"{first.lower()}.{last.lower()}.{category.code.lower()}{index}@university.example",
                    "phone": f"+98 918 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    "mobile": f"+98 912 {rng.randint(100, 999)} {rng.randint(1000, 9999)}" if index % 2 else False,
                })
                vals = {"partner_id": partner.id, "category_id": category.id, "date_start": today - timedelta(days=400),
                        "notice_channel": "sms" if index % 2 else "email"}
                if category.membership_validity in ("studies_end", "agreement"):
                    vals["date_end"] = today + timedelta(days=rng.randint(200, 900))
                if category.requires_guarantor and officials:
                    vals["guarantor_id"] = rng.choice(officials.ids)
                if category.requires_director_approval:
                    vals["approved_by_id"] = self.env.ref("base.user_admin").id
                member = self.env["library.member"].create(vals)
                if category.requires_introduction_letter:
                    member.document_ids = [(0, 0, {
                        "name": f"introduction-letter-{member.code}.txt", "raw": b"Introduction letter",
                        "res_model": "library.member", "res_id": member.id})]
                if index < 4:
                    member.action_activate()
                    if category.code == "FAC":
                        officials |= member
                members |= member

        # Circulation: history, current loans, overdue loans, holds
        active = members.filtered(lambda m: m.state == "active")
        lendable = copies.filtered(lambda c: c.material_type_id.may_leave and not c.material_type_id.is_reserve)
        pool = list(lendable)
        rng.shuffle(pool)
        loan_model = self.env["library.loan"]
        for _n in range(160):  # history: lent and returned, some late (fined, mostly paid on the terminal)
            member, copy = rng.choice(active), pool[rng.randrange(len(pool))]
            day = today - timedelta(days=rng.randint(60, 380))
            if copy.state != "available" or member._get_borrowing_blocks(day):
                continue
            loan = loan_model._checkout(member, copy, day)
            returned = min(day + timedelta(days=rng.randint(2, 25)), today)
            loan.action_return(returned)
            if loan.invoice_id and rng.random() < 0.85:
                self.env["library.take.payment"].create({
                    "member_id": member.id, "invoice_ids": [(6, 0, loan.invoice_id.ids)],
                }).action_take(day=returned)
        current = pool[:120]
        for index, copy in enumerate(current):
            member = active[index % len(active)]
            limit_rule = self.env.company.library_policy_id._get_general_rule(member.category_id)
            if (member.open_loan_count >= limit_rule.max_items - 1 or copy.state != "available"
                    or member._get_borrowing_blocks(today)):
                continue
            day = today - timedelta(days=rng.choice([1, 3, 5, 8, 20, 35]))
            loan_model._checkout(member, copy, day)
        loan_model._cron_accrue_fines(today)
        self.env["library.notice"]._cron_send_notices()
        overdue = loan_model.search([("state", "=", "overdue"), ("company_id", "=", company.id)], limit=2)
        if overdue:
            self.env["library.lost.item"]._declare(overdue[0], "lost", today)
        if len(overdue) > 1:
            case = self.env["library.lost.item"]._declare(overdue[1], "damaged", today)
            case.write({"resolution": "compensation", "multiplier": 4})
            case.action_bill_compensation()
        # Book purchases carry the fund: one order confirmed, half of it billed
        books = self.env["product.product"].create({
            "name": "Books for the central library", "type": "consu", "purchase_method": "purchase",
            "categ_id": ref("university_library.product_category_books").id})
        order = self.env["purchase.order"].create({
            "partner_id": publishers[0].id,
            "order_line": [(0, 0, {"product_id": books.id, "product_qty": 4, "price_unit": 15_000,
                                   "taxes_id": [(5, 0, 0)]})]})
        order.button_confirm()
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": publishers[0].id, "invoice_date": today,
            "invoice_line_ids": [(0, 0, {"product_id": books.id, "quantity": 2, "price_unit": 15_000,
                                         "tax_ids": [(5, 0, 0)], "purchase_line_id": order.order_line.id,
                                         "analytic_distribution": order.order_line.analytic_distribution})]})
        bill.action_post()
        # Staff from HR, one of them owing a fine sent to this month's payroll deduction
        dean = self.env["hr.employee"].create({"name": "Dr. Dehghan (Dean of Science)"})
        professor_job = self.env["hr.job"].create({"name": "Professor", "library_category_id": ref(
            "university_library.category_faculty").id})
        staff = self.env["hr.employee"].create([
            {"name": "Prof. Parvin Pakzad", "job_id": professor_job.id, "parent_id": dean.id},
            {"name": "Kamran Karimi", "employee_type": "employee", "parent_id": dean.id},
        ])
        professor, clerk = staff.action_sync_library_member()
        clerk_loan = loan_model._checkout(clerk, next(c for c in pool if c.state == "available"),
                                          today - timedelta(days=40))
        clerk_loan.action_return(today - timedelta(days=10))
        if clerk_loan.invoice_id:
            clerk_loan.invoice_id.library_payroll_requested = True
            batch = self.env["library.deduction.batch"].create({
                "date_from": today.replace(day=1), "date_to": today})
            batch.action_compute()
        graduate = active.filtered(lambda m: m.category_id.code == "SGR" and not m.open_loan_count
                                   and not m._clearance_blockers())[:1]
        if graduate:
            self.env["library.clearance"].create({"member_id": graduate.id, "kind": "leaving",
                                                  "reason": "end_of_studies"}).action_check(today)
        visitor = active.filtered(lambda m: m.category_id.requires_deposit)[:1]
        if visitor:
            self.env["library.deposit"].create({"member_id": visitor.id, "amount": 5_000_000}).action_receive(today)

        # Holds of past months: picked up, or left on the hold shelf until they expired
        hold_model = self.env["library.hold"]
        shelf_titles = titles_rec.filtered(lambda t: any(c.state == "available" and c.may_leave for c in t.copy_ids))
        for index, title in enumerate(shelf_titles[:12]):
            member = active[(index * 7) % len(active)]
            when = datetime.combine(today - timedelta(days=12 + 9 * index), time(10, 0))
            if member._get_borrowing_blocks(when.date()) or title in member.loan_ids.filtered(
                    lambda loan: loan.state in ("open", "overdue")).title_id:
                continue
            hold = hold_model._place(member, title, now=when)
            if hold.state != "ready":
                continue
            if index % 3 == 2:
                hold_model._cron_expire(now=hold.date_expiry + timedelta(hours=1))
            else:
                loan = loan_model._checkout(member, hold.copy_id, when.date())
                loan.action_return(when.date() + timedelta(days=7))

        # Holds on titles whose copies are all out, and one ready on the hold shelf
        out_titles = titles_rec.filtered(lambda t: t.copy_ids and all(c.state == "on_loan" for c in t.copy_ids))
        for title in out_titles[:12]:
            for member in rng.sample(list(active), 2):
                if (member.open_loan_count and title in member.loan_ids.title_id) or member._get_borrowing_blocks(today):
                    continue
                hold_model._place(member, title)
        for hold in hold_model.search([("state", "=", "waiting")], limit=2):
            loan = hold.title_id.copy_ids.current_loan_id[:1]
            if loan:
                loan.action_return(today)
        return True
