import io
from datetime import date, datetime, timedelta

import jdatetime
import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SATURDAY, LibraryMoneyCase

HEADER_ROW = 4  # title, subtitle, a blank row, then the header; data starts below it


@tagged("post_install", "-at_install")
class TestReports(LibraryMoneyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.librarian = new_test_user(cls.env, "reports_desk", company_id=cls.company.id,
                                      groups="base.group_user,university_library.group_librarian")
        cls.accountant = new_test_user(cls.env, "reports_finance", company_id=cls.company.id,
                                       groups="base.group_user,account.group_account_invoice")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _late_return(self, name, days):
        member = self._member("student_ug", name=name)
        loan = self.checkout(member, self._title(f"Book of {name}", copies=1).copy_ids)
        loan.action_return(loan.due_date + timedelta(days=days))
        return loan

    def _charges(self):
        """A fine partly paid, a fine waived, a fine unpaid, a compensation paid in full."""
        partly = self._late_return("Partly Paid", 10)        # 5,300
        returned = partly.date_returned
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=partly.invoice_id.ids,
        ).create({"amount": 2000, "payment_date": returned + timedelta(days=1)})._create_payments()
        waived = self._late_return("Waived Reader", 10)      # 5,300
        self.env["library.charge.waive"].create({
            "invoice_id": waived.invoice_id.id, "amount": 5300, "reason": "Hospitalised",
        }).action_waive(day=returned + timedelta(days=1))
        unpaid = self._late_return("Unpaid Reader", 3)       # 900
        member = self._member("student_grad", name="Lost Reader")
        title = self._title("Lost Persian Book", copies=2, language_id=self.env.ref("base.lang_fa_IR").id)
        lost = self.env["library.lost.item"]._declare(self.checkout(member, title.copy_ids[0]), "lost",
                                                       date(2026, 11, 28))
        with freeze_time("2026-12-02"):
            lost.resolution = "compensation"
            lost.action_bill_compensation()
        self.take_payment(member, day=date(2026, 12, 3))
        return partly, waived, unpaid, lost

    def _render(self, report, ids, data=None, user=None):
        Report = self.env["ir.actions.report"].with_user(user) if user else self.env["ir.actions.report"]
        content, kind = Report._render_xlsx(report, ids, data or {})
        self.assertEqual(kind, "xlsx")
        # The formulas as written, and the values a spreadsheet shows (cached by the writer).
        return (openpyxl.load_workbook(io.BytesIO(content)),
                openpyxl.load_workbook(io.BytesIO(content), data_only=True))

    def _rows(self, sheet):
        return [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]

    def _headers(self, sheet):
        return [cell.value for cell in sheet[HEADER_ROW]]

    def _assert_layout(self, sheet, money_columns=()):
        self.assertEqual(sheet.freeze_panes, f"A{HEADER_ROW + 1}")
        self.assertTrue(all(cell.font.b for cell in sheet[HEADER_ROW] if cell.value))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
            for col in money_columns:
                if isinstance(row[col].value, (int, float)):
                    self.assertEqual(row[col].number_format, "#,##0", "the rial has no decimals")

    # ------------------------------------------------------------------
    # Analysis views
    # ------------------------------------------------------------------
    def test_fine_analysis_reads_billed_paid_waived_outstanding_from_the_ledger(self):
        partly, waived, unpaid, lost = self._charges()
        Analysis = self.env["library.fine.analysis"]
        rows = {row.invoice_id: row for row in Analysis.search([("company_id", "=", self.company.id)])}
        self.assertEqual(set(rows), {partly.invoice_id, waived.invoice_id, unpaid.invoice_id, lost.invoice_id})
        self.assertRecordValues(rows[partly.invoice_id], [{
            "kind": "fine", "amount_billed": 5300, "amount_paid": 2000, "amount_waived": 0,
            "amount_outstanding": 3300, "category_id": self.cat["student_ug"].id, "branch_id": self.branch.id,
            "title_id": partly.title_id.id, "date": partly.date_returned, "partner_id": partly.partner_id.id}])
        self.assertRecordValues(rows[waived.invoice_id], [{
            "amount_billed": 5300, "amount_paid": 0, "amount_waived": 5300, "amount_outstanding": 0}])
        self.assertRecordValues(rows[unpaid.invoice_id], [{
            "amount_billed": 900, "amount_paid": 0, "amount_waived": 0, "amount_outstanding": 900}])
        compensation = lost.amount
        self.assertEqual(compensation, 10 * lost.price, "a Persian book: ten times its price")
        self.assertRecordValues(rows[lost.invoice_id], [{
            "kind": "compensation", "amount_billed": compensation, "amount_paid": compensation,
            "amount_waived": 0, "amount_outstanding": 0, "category_id": self.cat["student_grad"].id,
            "date": date(2026, 12, 2)}])
        for invoice, row in rows.items():
            self.assertEqual(row.amount_outstanding, invoice.amount_residual, "the ledger is the truth")
        # The pivot's totals, as finance staff read them.
        [(billed, paid, waived_total, outstanding)] = Analysis.with_user(self.accountant)._read_group(
            [("company_id", "=", self.company.id)], [],
            ["amount_billed:sum", "amount_paid:sum", "amount_waived:sum", "amount_outstanding:sum"])
        self.assertEqual((billed, paid, waived_total, outstanding),
                         (11_500 + compensation, 2000 + compensation, 5300, 4200))
        by_kind = dict(Analysis._read_group([("company_id", "=", self.company.id)], ["kind"],
                                            ["amount_billed:sum"]))
        self.assertEqual(by_kind, {"fine": 11_500, "compensation": compensation})
        with self.assertRaises(AccessError):
            Analysis.with_user(self.librarian).search([])

    def test_fund_analysis_agrees_with_the_fund_report(self):
        partly, _waived, _unpaid, lost = self._charges()
        Fund = self.env["library.fund.analysis"].with_user(self.accountant)
        [(money_in, spent, net)] = Fund._read_group([("company_id", "=", self.company.id)], [],
                                                    ["amount_in:sum", "amount_spent:sum", "balance:sum"])
        self.assertEqual((money_in, spent, net), (2000 + lost.amount, 0, 2000 + lost.amount),
                         "payments count, the waiver does not")
        report = self.env["library.fund.report"].create({})
        self.assertEqual(money_in, report.collected)
        by_month = dict(Fund._read_group([("company_id", "=", self.company.id)], ["date:month"],
                                         ["amount_in:sum"]))
        paid_on = partly.date_returned + timedelta(days=1)
        expected = {date(2026, 12, 1): lost.amount}
        month = paid_on.replace(day=1)
        expected[month] = expected.get(month, 0) + 2000
        self.assertEqual(by_month, expected)

    def test_report_views_and_top_titles(self):
        for action in ("library_loan_analysis_action", "library_loan_overdue_action", "library_loan_titles_action",
                       "library_hold_analysis_action", "library_member_analysis_action",
                       "library_fine_analysis_action", "library_fund_analysis_action"):
            act = self.env.ref(f"university_library.{action}")
            views = self.env[act.res_model].get_views(act.views)["views"]
            self.assertTrue({"pivot", "graph", "list"} <= set(views), action)
        # Top titles: the most lent first.
        popular = self._title("Popular", copies=3)
        for index, copy in enumerate(popular.copy_ids):
            self.checkout(self._member("student_ug", name=f"Busy Reader {index}"), copy)
        self.checkout(self._member("student_grad", name="Other Reader"), self._title("Niche", copies=1).copy_ids)
        counts = self.env["library.loan"]._read_group([("company_id", "=", self.company.id)], ["title_id"],
                                                      ["__count"], order="__count desc")
        self.assertEqual(counts[0], (popular, 3))

    # ------------------------------------------------------------------
    # XLSX exports
    # ------------------------------------------------------------------
    def test_overdue_list_with_contact_details_and_total(self):
        first = self._member("student_ug", name="Aaron Late", phone="+98 84 3322 1100")
        first.partner_id.mobile = "0918 000 0001"
        second = self._member("student_ug", name="Bahar Late")
        first_loan = self.checkout(first, self._title("Late Title One", copies=1).copy_ids)
        second_loan = self.checkout(second, self._title("Late Title Two", copies=1).copy_ids)
        day = first_loan.due_date + timedelta(days=10)
        third = self._member("student_ug", name="Carla Soon")
        not_yet = self.checkout(third, self._title("Not Late", copies=1).copy_ids, day - timedelta(days=2))
        self.assertGreater(not_yet.due_date, day)
        loans = first_loan | second_loan | not_yet
        formulas, values = self._render("university_library.overdue_list_xlsx", loans.ids,
                                        {"date": day.isoformat()})
        sheet = values.active
        self.assertEqual(self._headers(sheet), [
            "Member", "Card", "Member Category", "Phone", "Mobile", "Email", "Title", "Copy", "Library",
            "Lent On", "Due Date", "Days Late", "Fine to Date (IRR)"])
        self._assert_layout(sheet, money_columns=(12,))
        rows = self._rows(sheet)
        self.assertEqual(len(rows), 3, "two overdue items and the total")
        self.assertEqual(rows[0], [
            "Aaron Late", first.code, "Undergraduate / associate student", "+98 84 3322 1100", "0918 000 0001",
            "student_ug@example.com", "Late Title One", first_loan.copy_id.barcode, "Test Library",
            datetime.combine(SATURDAY, datetime.min.time()),
            datetime.combine(first_loan.due_date, datetime.min.time()), 10, 5300])
        self.assertEqual(rows[1][0], "Bahar Late")
        self.assertEqual(rows[1][11:], [10, 5300])
        self.assertEqual(rows[1][3:5], [None, None], "no phone: an empty cell")
        self.assertEqual(sheet.cell(HEADER_ROW + 1, 10).number_format, "yyyy-mm-dd")
        self.assertEqual(rows[2][0], "Total: 2 items")
        self.assertEqual(rows[2][11:], [None, 10600])
        self.assertEqual(formulas.active.cell(HEADER_ROW + 3, 13).value, "=SUM(M5:M6)")

        # A Persian reader gets Jalali dates (text that sorts), the same amounts and total.
        content, _kind = self.env["ir.actions.report"].with_context(lang="fa_IR")._render_xlsx(
            "university_library.overdue_list_xlsx", loans.ids, {"date": day.isoformat()})
        persian = openpyxl.load_workbook(io.BytesIO(content), data_only=True).active
        persian_rows = self._rows(persian)
        self.assertEqual(persian_rows[0][9:13], ["1405/08/30", jdatetime.date.fromgregorian(
            date=first_loan.due_date).strftime("%Y/%m/%d"), 10, 5300])
        self.assertEqual(persian_rows[2][11:], [None, 10600])
        heading = " ".join(str(cell.value) for row in persian.iter_rows(max_row=HEADER_ROW - 1) for cell in row
                           if cell.value)
        self.assertIn(jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d"), heading)

        # Nothing chosen: every overdue item of the company on that day.
        _formulas, values = self._render("university_library.overdue_list_xlsx", [], {"date": day.isoformat()})
        names = [row[0] for row in self._rows(values.active)]
        self.assertIn("Aaron Late", names)
        self.assertIn("Bahar Late", names)
        self.assertNotIn("Not Late", [row[6] for row in self._rows(values.active)])
        # The list button and the print menu lead to the same export.
        action = loans.with_user(self.librarian).action_export_overdue_list()
        self.assertEqual((action["report_type"], action["report_name"]),
                         ("xlsx", "university_library.overdue_list_xlsx"))

    def test_fines_ledger_for_a_period(self):
        partly, waived, unpaid, lost = self._charges()
        with self.assertRaisesRegex(ValidationError, "starts after it ends"):
            self.env["library.fines.ledger"].create({"date_from": date(2026, 12, 31), "date_to": date(2026, 12, 1)})
        with self.assertRaises(AccessError):
            self.env["library.fines.ledger"].with_user(self.librarian).create({})
        ledger = self.env["library.fines.ledger"].with_user(self.accountant).create({
            "date_from": date(2026, 11, 1), "date_to": date(2027, 3, 31)})
        action = ledger.action_print()
        self.assertEqual(action["report_name"], "university_library.fines_ledger_xlsx")
        formulas, values = self._render("university_library.fines_ledger_xlsx", ledger.ids, user=self.accountant)
        sheet = values.active
        self.assertEqual(self._headers(sheet), [
            "Billed On", "Invoice", "Member", "Card", "Member Category", "Charge", "Title",
            "Billed", "Paid", "Waived", "Outstanding"])
        self._assert_layout(sheet, money_columns=(7, 8, 9, 10))
        self.assertIn("amounts in IRR", sheet.cell(2, 1).value)
        rows = self._rows(sheet)
        self.assertEqual(len(rows), 5, "four charges and the total")
        by_invoice = {row[1]: row for row in rows[:4]}
        self.assertEqual(by_invoice[partly.invoice_id.name], [
            datetime.combine(partly.date_returned, datetime.min.time()), partly.invoice_id.name, "Partly Paid",
            partly.member_id.code, "Undergraduate / associate student", "Late Fine", partly.title_id.name,
            5300, 2000, 0, 3300])
        self.assertEqual(by_invoice[waived.invoice_id.name][7:], [5300, 0, 5300, 0])
        self.assertEqual(by_invoice[unpaid.invoice_id.name][7:], [900, 0, 0, 900])
        self.assertEqual(by_invoice[lost.invoice_id.name][5:], [
            "Lost Item Compensation", "Lost Persian Book", lost.amount, lost.amount, 0, 0])
        self.assertEqual(rows[4][0], "Total")
        self.assertEqual(rows[4][7:], [11_500 + lost.amount, 2000 + lost.amount, 5300, 4200])
        self.assertEqual([formulas.active.cell(HEADER_ROW + 5, col).value for col in range(8, 12)],
                         ["=SUM(H5:H8)", "=SUM(I5:I8)", "=SUM(J5:J8)", "=SUM(K5:K8)"])

        # A period ending the day the fines were billed: the later payment and waiver are not in it yet.
        day = partly.date_returned
        early = self.env["library.fines.ledger"].create({"date_from": day, "date_to": day})
        _formulas, values = self._render("university_library.fines_ledger_xlsx", early.ids)
        rows = self._rows(values.active)
        billed_that_day = {row[1]: row[7:] for row in rows[:-1]}
        self.assertEqual(billed_that_day[partly.invoice_id.name], [5300, 0, 0, 5300])
        self.assertEqual(billed_that_day[waived.invoice_id.name], [5300, 0, 0, 5300])
        self.assertNotIn(lost.invoice_id.name, billed_that_day)

    def test_yearly_activity_export(self):
        self._late_return("Yearly Reader", 10)
        self.checkout(self._member("student_grad", name="Yearly Grad"), self._title("Yearly second").copy_ids)
        report = self.env["library.activity.report"].create({"year": "2026"})
        figures = report._figures()
        action = report.action_export_xlsx()
        self.assertEqual(action["report_name"], "university_library.activity_xlsx")
        formulas, values = self._render("university_library.activity_xlsx", report.ids)
        self.assertEqual(values.sheetnames, ["Summary", "Loans by Month", "Loans by Category", "Top Titles"])
        summary = dict((row[0], row[1]) for row in self._rows(values["Summary"]))
        self.assertEqual(summary["Loans"], 2)
        self.assertEqual(summary["Returns"], 1)
        self.assertEqual(summary["Active borrowers"], 2)
        self.assertEqual(summary["Late fines billed (IRR)"], 5300)
        self.assertEqual(len(summary), len(figures["totals"]))
        months = self._rows(values["Loans by Month"])
        self.assertEqual(months, [[datetime(2026, 11, 1), 2], ["Total", 2]])
        self.assertEqual(values["Loans by Month"].cell(HEADER_ROW + 1, 1).number_format, "yyyy-mm")
        self.assertEqual(formulas["Loans by Month"].cell(HEADER_ROW + 2, 2).value, "=SUM(B5:B5)")
        categories = self._rows(values["Loans by Category"])
        self.assertEqual(sorted(categories[:-1]), [["Graduate student", 1],
                                                   ["Undergraduate / associate student", 1]])
        self.assertEqual(categories[-1], ["Total", 2])
        self.assertEqual(sorted(row[0] for row in self._rows(values["Top Titles"])),
                         ["Book of Yearly Reader", "Yearly second"])
