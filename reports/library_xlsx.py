from datetime import date

from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import _, fields, models

from ..models.jalali import format_user_date, is_jalali_lang, to_jalali_str


class LibraryReportXlsx(models.AbstractModel):
    """What the library's spreadsheets share: a title, a bold frozen header, typed columns, a totals row."""
    _name = "library.report.xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Library Spreadsheet"

    def _formats(self, workbook, currency):
        digits = currency.decimal_places
        money = "#,##0" + ("." + "0" * digits if digits else "")
        border = {"top": 1}
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "subtitle": workbook.add_format({"italic": True}),
            "header": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "text_wrap": True,
                                           "valign": "top"}),
            "text": workbook.add_format({}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd", "align": "left"}),
            "month": workbook.add_format({"num_format": "yyyy-mm", "align": "left"}),
            "integer": workbook.add_format({"num_format": "#,##0"}),
            "days": workbook.add_format({"num_format": "#,##0"}),
            "money": workbook.add_format({"num_format": money}),
            "total_text": workbook.add_format(dict(border, bold=True)),
            "total_integer": workbook.add_format(dict(border, bold=True, num_format="#,##0")),
            "total_money": workbook.add_format(dict(border, bold=True, num_format=money)),
        }

    def _write_sheet(self, workbook, formats, name, title, subtitle, columns, rows, total_label=None):
        """One sheet: ``columns`` are (header, kind, width) with kind text/date/month/days/integer/money;
        integer and money columns get a SUM in the totals row when ``total_label`` is given (days do
        not add up). A cell given as (value, kind) is written as that kind."""
        sheet = workbook.add_worksheet(name)
        sheet.write(0, 0, title, formats["title"])
        if subtitle:
            sheet.write(1, 0, subtitle, formats["subtitle"])
        header_row = 3
        for col, (header, _kind, width) in enumerate(columns):
            sheet.write(header_row, col, header, formats["header"])
            sheet.set_column(col, col, width)
        sheet.freeze_panes(header_row + 1, 0)
        sheet.repeat_rows(header_row)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        first = header_row + 1
        persian = is_jalali_lang(self.env.lang)
        for offset, values in enumerate(rows):
            for col, ((_header, kind, _width), value) in enumerate(zip(columns, values)):
                row = first + offset
                if isinstance(value, tuple):  # (value, kind): a cell typed unlike its column
                    value, kind = value
                if value is None or value is False or value == "":
                    sheet.write_blank(row, col, None, formats[kind])
                elif kind == "date" and persian:
                    # Persian readers get the Jalali date, as text that still sorts (1405/09/01).
                    sheet.write_string(row, col, to_jalali_str(value), formats[kind])
                elif kind in ("date", "month"):
                    sheet.write_datetime(row, col, value, formats[kind])
                elif kind in ("days", "integer", "money"):
                    sheet.write_number(row, col, value, formats[kind])
                else:
                    sheet.write_string(row, col, str(value), formats[kind])
        last = first + len(rows) - 1
        if rows:
            sheet.autofilter(header_row, 0, last, len(columns) - 1)
        if total_label is not None:
            total_row = last + 1
            sheet.write(total_row, 0, total_label, formats["total_text"])
            for col, (_header, kind, _width) in enumerate(columns[1:], start=1):
                if kind not in ("integer", "money"):
                    sheet.write_blank(total_row, col, None, formats["total_text"])
                    continue
                total = sum(values[col] or 0 for values in rows)
                if rows:
                    formula = f"=SUM({xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)})"
                    sheet.write_formula(total_row, col, formula, formats[f"total_{kind}"], total)
                else:
                    sheet.write_number(total_row, col, 0, formats[f"total_{kind}"])
        return sheet


class ReportOverdueList(models.AbstractModel):
    """Overdue items with the member's contact details, for the desk to call or write."""
    _name = "report.university_library.overdue_list_xlsx"
    _inherit = "library.report.xlsx"
    _description = "Overdue List (XLSX)"

    def _overdue_loans(self, loans, day):
        domain = [("state", "in", ("open", "overdue")), ("due_date", "<", day)]
        if loans:
            loans = loans.filtered_domain(domain)
        else:
            loans = self.env["library.loan"].search(domain + [("company_id", "in", self.env.companies.ids)])
        return loans.sorted(lambda loan: (loan.member_id.name or "", loan.due_date, loan.id))

    def generate_xlsx_report(self, workbook, data, loans):
        day = fields.Date.to_date((data or {}).get("date")) or fields.Date.context_today(self)
        loans = self._overdue_loans(loans, day)
        company = loans.company_id[:1] or self.env.company
        formats = self._formats(workbook, company.currency_id)
        rows = []
        for loan in loans:
            member, partner = loan.member_id, loan.member_id.partner_id
            fine = loan._compute_fine_until(day)[0] if loan.company_id.library_policy_id else loan.fine_amount
            rows.append([member.name, member.code, (loan.category_id or member.category_id).name,
                         partner.phone, partner.mobile, partner.email, loan.title_id.name, loan.copy_id.barcode,
                         loan.branch_id.name, loan.date_checkout, loan.due_date, (day - loan.due_date).days, fine])
        columns = [
            (_("Member"), "text", 28), (_("Card"), "text", 14), (_("Member Category"), "text", 24),
            (_("Phone"), "text", 16), (_("Mobile"), "text", 16), (_("Email"), "text", 28),
            (_("Title"), "text", 40), (_("Copy"), "text", 14), (_("Library"), "text", 20),
            (_("Lent On"), "date", 12), (_("Due Date"), "date", 12), (_("Days Late"), "days", 10),
            (_("Fine to Date (%(currency)s)", currency=company.currency_id.name), "money", 16),
        ]
        self._write_sheet(
            workbook, formats, _("Overdue"), _("Overdue items on %(date)s", date=format_user_date(self.env, day)),
            company.name, columns, rows, total_label=_("Total: %(count)s items", count=len(rows)))


class ReportFinesLedger(models.AbstractModel):
    """Every fine and compensation billed in a period: billed, paid, waived, outstanding, from the ledger."""
    _name = "report.university_library.fines_ledger_xlsx"
    _inherit = "library.report.xlsx"
    _description = "Fines Ledger (XLSX)"

    def generate_xlsx_report(self, workbook, data, ledgers):
        ledger = ledgers[:1]
        company = ledger.company_id
        currency = company.currency_id
        formats = self._formats(workbook, currency)
        charges = ledger._rows()
        # Names of members, categories and titles for finance staff who do not work the desk.
        env = self.sudo().env
        kinds = dict(env["library.fine.analysis"]._fields["kind"]._description_selection(self.env))
        # One query per model for all rows (records taken from one recordset share its prefetch).
        records = {}
        for model, column in (("account.move", "invoice_id"), ("library.member", "member_id"),
                              ("library.member.category", "category_id"), ("library.title", "title_id")):
            ids = {charge[column] for charge in charges if charge[column]}
            records[column] = {record.id: record for record in env[model].browse(ids)}
            records[column][None] = records[column][False] = env[model]
        rows = []
        for charge in charges:
            invoice = records["invoice_id"][charge["invoice_id"]]
            member = records["member_id"][charge["member_id"]]
            rows.append([charge["date"], invoice.name, invoice.partner_id.name, member.code,
                         records["category_id"][charge["category_id"]].name,
                         kinds.get(charge["kind"]), records["title_id"][charge["title_id"]].name,
                         float(charge["amount_billed"]), float(charge["amount_paid"]),
                         float(charge["amount_waived"]), float(charge["amount_outstanding"])])
        columns = [
            (_("Billed On"), "date", 12), (_("Invoice"), "text", 18), (_("Member"), "text", 28),
            (_("Card"), "text", 14), (_("Member Category"), "text", 24), (_("Charge"), "text", 22),
            (_("Title"), "text", 40),
            (_("Billed"), "money", 14), (_("Paid"), "money", 14), (_("Waived"), "money", 14),
            (_("Outstanding"), "money", 14),
        ]
        subtitle = _("%(company)s — billed %(date_from)s to %(date_to)s; paid, waived and outstanding as at "
                     "%(date_to)s; amounts in %(currency)s",
                     company=company.name, date_from=format_user_date(self.env, ledger.date_from),
                     date_to=format_user_date(self.env, ledger.date_to), currency=currency.name)
        self._write_sheet(workbook, formats, _("Fines Ledger"), _("Library fines and compensation ledger"),
                          subtitle, columns, rows, total_label=_("Total"))


class ReportYearlyActivity(models.AbstractModel):
    """The yearly activity report for the university: the figures of the on-screen report, one sheet each."""
    _name = "report.university_library.activity_xlsx"
    _inherit = "library.report.xlsx"
    _description = "Yearly Activity (XLSX)"

    def generate_xlsx_report(self, workbook, data, reports):
        report = reports[:1]
        company = report.company_id
        formats = self._formats(workbook, company.currency_id)
        figures = report._figures()
        title = _("Library activity %(year)s", year=report.year)
        money_label = _("Late fines billed")
        summary = []
        for label, value in figures["totals"].items():
            if label == money_label:
                summary.append([_("%(label)s (%(currency)s)", label=label, currency=company.currency_id.name),
                                (value, "money")])
            else:
                summary.append([label, value])
        self._write_sheet(workbook, formats, _("Summary"), title, company.name,
                          [(_("Figure"), "text", 32), (_("Value"), "integer", 16)], summary)
        months = []
        for month, count in figures["loans_by_month"]:
            year, number = month.split("-")
            months.append([date(int(year), int(number), 1), count])
        self._write_sheet(workbook, formats, _("Loans by Month"), title, company.name,
                          [(_("Month"), "month", 12), (_("Loans"), "integer", 12)], months, total_label=_("Total"))
        self._write_sheet(workbook, formats, _("Loans by Category"), title, company.name,
                          [(_("Member Category"), "text", 36), (_("Loans"), "integer", 12)],
                          [list(row) for row in figures["loans_by_category"]], total_label=_("Total"))
        self._write_sheet(workbook, formats, _("Top Titles"), title, company.name,
                          [(_("Title"), "text", 48), (_("Loans"), "integer", 12)],
                          [list(row) for row in figures["top_titles"]])
