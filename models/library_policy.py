from odoo import _, fields, models
from odoo.exceptions import UserError

from ..rules import compensation, lending


class LibraryPolicy(models.Model):
    _name = "library.policy"
    _description = "Rulebook"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: available to every company.")
    description = fields.Html(translate=True, help="Where the rules come from (approval, date).")
    rule_ids = fields.One2many("library.policy.rule", "policy_id", string="Loan Rules", copy=True)
    hold_pickup_hours = fields.Integer(
        string="Hold Kept (hours)", default=48,
        help="How long a copy waits on the hold shelf before it passes to the next member.")
    renewal_blocked_by_hold = fields.Boolean(
        string="A Hold Forbids Renewal",
        help="A loan cannot be renewed while another member is waiting for the title.")

    # Fines
    fine_table_ids = fields.One2many("library.fine.table", "policy_id", string="Late Fines", copy=True)
    charge_closed_days = fields.Boolean(
        string="Charge Closed Days", default=True,
        help="Unticked: days the library is closed are not days of delay (neither charged nor counted).")
    offence_days = fields.Integer(
        string="Offence After (days late)", default=0,
        help="A return more than this many days late is an offence (0: no offences).")
    offence_warnings = fields.Integer(
        string="Warnings Before Suspension", default=1,
        help="How many offences only earn a warning; the next ones suspend the member to the end of the term.")
    unpaid_limit = fields.Float(
        string="Unpaid Charges Block Above", digits=(16, 2),
        help="A member owing more than this cannot borrow (0: any unpaid charge blocks).")

    # Staff: reminder letters, escalation, payroll deduction
    reminder_category_ids = fields.Many2many(
        "library.member.category", "library_policy_reminder_category_rel", string="Reminder Letters For",
        help="Members of these categories get a reminder letter at the due date (Ilam: groups 1, 2 and 4).")
    escalation_days = fields.Integer(
        default=14, help="Days after the grace period ends, without return or payment, before the member's "
                         "manager or dean is told.")
    deduction_after_days = fields.Integer(
        default=30, help="Days after escalation before unpaid fines of staff go to the payroll deduction.")

    # Notices to members
    notice_due_soon_days = fields.Integer(
        string="Due-Soon Notice (days before)", default=2,
        help="A courtesy notice this many days before the due date (0: none).")
    notice_step_ids = fields.One2many("library.notice.step", "policy_id", string="Overdue Notices", copy=True,
                                      help="Each step goes out once, the given number of days after the due date.")
    notice_hold_expiring_hours = fields.Integer(
        string="Hold Expiry Reminder (hours before)", default=24,
        help="A courtesy notice this many hours before a held copy goes back (0: none).")
    campaign_date_ids = fields.One2many(
        "library.notice.campaign.date", "policy_id", string="Overdue Campaign Days", copy=True,
        help="Persian-calendar days on which every member with an overdue item is told (Kermanshah: "
             "1 Shahrivar and 1 Esfand).")
    campaign_channel = fields.Selection([("sms", "SMS"), ("email", "Email")], default="sms", required=True,
                                        help="Channel of the campaign messages (the other one is the fallback).")

    # Lost and damaged items
    compensation_method = fields.Selection([
        (compensation.MULTIPLIER, "A multiple of the current price"),
        (compensation.QUOTE, "The current price from a publisher's written quote"),
    ], required=True, default=compensation.MULTIPLIER)
    local_language_ids = fields.Many2many(
        "res.lang", string="Local Languages", context={"active_test": False},
        help="Books in these languages are compensated at the local multiplier; others are foreign.")
    local_multiplier = fields.Float(default=10, help="Ilam: Persian books 10 times the current price.")
    special_multiplier_min = fields.Float(string="Special Items From", default=3)
    special_multiplier_max = fields.Float(string="Special Items Up To", default=6,
                                          help="Foreign-language, single-copy and non-print items: the director "
                                               "chooses a multiple in this range.")
    replacement_days = fields.Integer(default=30, help="Days the member has to bring a replacement copy.")
    print_rate_ids = fields.One2many("library.print.rate", "policy_id", string="Printing Rates", copy=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each rulebook needs its own code."),
        ("pickup_positive", "CHECK(hold_pickup_hours > 0)", "A hold must be kept for at least one hour."),
    ]

    def _get_rule(self, category, material_type):
        """The loan rule for a member category and material type (most specific line wins)."""
        self.ensure_one()
        key = lending.select_rule(
            ((rule, rule.category_id.id, rule.material_type_id.id) for rule in self.rule_ids),
            category.id, material_type.id)
        if not key:
            raise UserError(_("The rulebook %(policy)s has no loan rule for %(category)s borrowing %(type)s.",
                              policy=self.name, category=category.name, type=material_type.name))
        return key

    def _get_general_rule(self, category):
        """The line for the category whatever the material (no material type): its limit counts every item."""
        self.ensure_one()
        key = lending.select_rule(
            ((rule, rule.category_id.id, rule.material_type_id.id) for rule in self.rule_ids
             if not rule.material_type_id), category.id, False)
        return key or self.env["library.policy.rule"]

    def _get_fine_table(self, category, material_type):
        """The late-fine table for a member category and material type (False: no fines)."""
        self.ensure_one()
        return lending.select_rule_sets(
            ((table, set(table.category_ids.ids), set(table.material_type_ids.ids)) for table in self.fine_table_ids),
            category.id, material_type.id) or self.env["library.fine.table"]

    def _get_print_rate(self, category):
        self.ensure_one()
        return lending.select_rule_sets(
            ((rate, set(rate.category_ids.ids), set()) for rate in self.print_rate_ids), category.id, False
        ) or self.env["library.print.rate"]


class LibraryPrintRate(models.Model):
    _name = "library.print.rate"
    _description = "Article Printing Rate"

    policy_id = fields.Many2one("library.policy", required=True, ondelete="cascade")
    category_ids = fields.Many2many("library.member.category", string="Member Categories")
    rate = fields.Float(string="Per Page", digits=(16, 2), required=True)
