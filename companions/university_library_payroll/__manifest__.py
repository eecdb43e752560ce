{
    "name": "University Library: OCA Payroll",
    "summary": "Library fines approved for salary deduction become a payslip input and a deduction rule",
    "version": "18.0.1.0.0",
    "category": "Payroll",
    "author": "university_library contributors",
    "license": "LGPL-3",
    "depends": ["university_library", "payroll"],
    "data": ["data/hr_salary_rule_data.xml"],
    "auto_install": True,
    "installable": True,
}
