from datetime import date

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import TransactionCase

# Saturday 21 November 2026 (30 Aban 1405): the library is open.
SATURDAY = date(2026, 11, 21)


class LibrarySetup:
    """A company on the Ilam rulebook, a library on the Ilam calendar, one academic term."""

    @classmethod
    def _setup_library(cls):
        ref = cls.env.ref
        cls.company = cls.env.company
        cls.ilam = ref("university_library.policy_ilam")
        cls.kermanshah = ref("university_library.policy_kermanshah")
        cls.company.library_policy_id = cls.ilam
        cls.calendar = ref("university_library.calendar_ilam_central")
        cls.branch = cls.env["library.branch"].create({
            "name": "Test Library", "code": "TEST", "calendar_id": cls.calendar.id})
        # Terms are explicit here, whatever the demo data holds.
        cls.env["library.term"].search([("company_id", "=", cls.company.id)]).unlink()
        cls.term = cls.env["library.term"].create({
            "name": "Fall 1405", "date_start": date(2026, 9, 23), "date_end": date(2027, 1, 20),
            "date_registration": date(2026, 9, 15)})
        cls.cat = {code: ref(f"university_library.category_{code}") for code in (
            "faculty", "adjunct", "expert_edu", "expert_nonedu", "student_ug", "student_grad", "employee",
            "employee_retired", "visitor")}
        cls.mat = {code: ref(f"university_library.material_{code}") for code in (
            "book", "reserve", "reference", "rare", "manuscript", "periodical", "thesis", "report", "nonprint")}
        cls._barcode_seq = 0

    @classmethod
    def _member(cls, category, name=None, **vals):
        partner = cls.env["res.partner"].create({"name": name or f"Member {category}",
                                                 "email": f"{category}@example.com"})
        values = {"partner_id": partner.id, "category_id": cls.cat[category].id, "state": "active",
                  "date_start": date(2026, 1, 1)}
        values.update(vals)
        return cls.env["library.member"].create(values)

    @classmethod
    def _title(cls, name="A Title", copies=1, material="book", **vals):
        title = cls.env["library.title"].create(dict({"name": name, "material_type_id": cls.mat[material].id}, **vals))
        cls._copies(title, copies, material)
        return title

    @classmethod
    def _copies(cls, title, count, material="book"):
        vals = []
        for _n in range(count):
            cls._barcode_seq += 1
            vals.append({"title_id": title.id, "barcode": f"T{cls._barcode_seq:05d}", "branch_id": cls.branch.id,
                         "material_type_id": cls.mat[material].id, "price": 1_000_000})
        return cls.env["library.copy"].create(vals)

    def checkout(self, member, copy, day=SATURDAY):
        return self.env["library.loan"]._checkout(member, copy, day)


class LibraryCase(LibrarySetup, TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_library()


class LibraryMoneyCase(LibrarySetup, AccountTestInvoicingCommon):
    """The library on a company with a chart of accounts, a bank journal and the POS terminal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("university_library.group_library_manager")
        # All money is in rial, with no decimals.
        cls.company.currency_id = cls.env.ref("base.IRR")
        cls._setup_library()
        cls.company.library_bank_account_number = "0101-4001-0930"
        cls.company._library_accounting()
        cls.journal = cls.company.library_journal_id
        cls.fund = cls.company.library_fund_analytic_id
        cls.pos_line = cls.company.library_pos_method_line_id

    def take_payment(self, member, invoices=None, day=None):
        invoices = member._open_charges() if invoices is None else invoices
        wizard = self.env["library.take.payment"].create({"member_id": member.id, "invoice_ids": invoices.ids})
        return wizard.action_take(day=day)
