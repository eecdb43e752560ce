"""Notices to members by email and SMS.

Every notice is a row of ``library.notice`` with a unique key naming the event it is about
(a loan due on a date, a step of the overdue ladder, a hold made ready, a bill, a campaign day).
The row and the queued email or SMS are written in the same transaction, so a job that runs
twice, or resumes after a crash, finds the key and sends nothing again. The email and SMS
queues of Odoo deliver the message; when delivery fails, the notice falls back to the other
channel once.
"""
import logging
from datetime import timedelta

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.modules import module as odoo_module

from .jalali import format_user_datetime, jalali_month_day, to_jalali_str

_logger = logging.getLogger(__name__)

KINDS = [
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("hold_ready", "Hold Ready"),
    ("hold_expiring", "Hold About to Expire"),
    ("suspension", "Suspension"),
    ("charge", "Charge Billed"),
    ("campaign", "Overdue Campaign"),
]
# Courtesy notices a member may turn off; the others carry rights and duties and always go.
OPTIONAL_KINDS = ("due_soon", "hold_expiring")
CHANNELS = [("email", "Email"), ("sms", "SMS")]
JALALI_MONTHS = [
    ("1", "Farvardin"), ("2", "Ordibehesht"), ("3", "Khordad"), ("4", "Tir"), ("5", "Mordad"),
    ("6", "Shahrivar"), ("7", "Mehr"), ("8", "Aban"), ("9", "Azar"), ("10", "Dey"), ("11", "Bahman"),
    ("12", "Esfand"),
]


class LibraryNotice(models.Model):
    _name = "library.notice"
    _description = "Notice to a Member"
    _order = "id desc"
    _check_company_auto = True
    _rec_name = "key"

    key = fields.Char(required=True, readonly=True, index=True, copy=False,
                      help="The event this notice is about; one notice per event.")
    kind = fields.Selection(KINDS, required=True, readonly=True, index=True)
    mandatory = fields.Boolean(readonly=True, help="Sent even to members who turned optional notices off.")
    member_id = fields.Many2one("library.member", required=True, readonly=True, index=True, ondelete="cascade",
                                check_company=True)
    partner_id = fields.Many2one(related="member_id.partner_id")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    loan_id = fields.Many2one("library.loan", readonly=True, ondelete="set null", check_company=True)
    hold_id = fields.Many2one("library.hold", readonly=True, ondelete="set null")
    move_id = fields.Many2one("account.move", string="Bill", readonly=True, ondelete="set null")
    step_id = fields.Many2one("library.notice.step", string="Overdue Step", readonly=True, ondelete="set null")
    date_event = fields.Date(string="Event Date", readonly=True,
                             help="The due date, the end of the suspension or the day of the campaign.")
    items_text = fields.Char(string="Items", readonly=True)
    state = fields.Selection([
        ("queued", "Queued"),
        ("sent", "Sent"),
        ("failed", "Failed"),
        ("skipped", "Not Sent (opted out)"),
    ], default="queued", required=True, readonly=True, index=True)
    channel = fields.Selection(CHANNELS, readonly=True, help="The channel the notice went out on.")
    fallback = fields.Boolean(string="Fell Back", readonly=True,
                              help="The preferred channel failed or was missing; the other one was used.")
    recipient = fields.Char(readonly=True, help="Email address or mobile number.")
    failure = fields.Char(string="Why It Failed", readonly=True)
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    message = fields.Text(readonly=True, help="What was sent: the SMS text or the email's subject.")
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null")
    sms_id = fields.Many2one("sms.sms", readonly=True, ondelete="set null")
    date_text = fields.Char(compute="_compute_texts", help="The event date as the member reads it.")
    amount_text = fields.Char(compute="_compute_texts")
    hold_expiry_text = fields.Char(compute="_compute_texts", help="When a held copy must be picked up.")
    text_direction = fields.Char(compute="_compute_texts", help="ltr or rtl: how the member's language is written.")

    _sql_constraints = [("key_uniq", "unique(key)", "A notice for this event already exists.")]

    @api.depends("date_event", "move_id", "hold_id.date_expiry", "member_id.partner_id.lang")
    def _compute_texts(self):
        for notice in self:
            notice.date_text = notice.member_id._format_receipt_date(notice.date_event)
            notice.amount_text = (notice.member_id._format_amount(notice.move_id.amount_total)
                                  if notice.move_id else "")
            notice.hold_expiry_text = notice._hold_expiry_text()
            lang = notice.member_id.partner_id.lang
            notice.text_direction = (lang and self.env["res.lang"]._get_data(code=lang).direction) or "ltr"

    def _hold_expiry_text(self):
        """When the held copy must be picked up, in the member's calendar and time zone."""
        if not self.hold_id:
            return ""
        partner = self.member_id.partner_id
        return format_user_datetime(self.env, self.hold_id.date_expiry, lang=partner.lang or "en_US",
                                    tz=partner.tz or self._library_tz(self.company_id))

    # ------------------------------------------------------------------
    # Creating notices: one per event, ever
    # ------------------------------------------------------------------
    @api.model
    def _emit(self, kind, member, key, channel=None, wake=True, **values):
        """The notice for event ``key``, created and handed to the email or SMS queue.

        Returns an empty recordset when a notice for that event exists already. A notice that
        cannot be written (a broken template, say) is recorded as failed: it never stops the
        return, the bill or the suspension that caused it.
        """
        if self.sudo().search_count([("key", "=", key)]):
            return self.browse()
        vals = dict(values, kind=kind, key=key, member_id=member.id, company_id=member.company_id.id,
                    mandatory=kind not in OPTIONAL_KINDS)
        try:
            with self.env.cr.savepoint():
                notice = self.sudo().create(vals)
        except pg_errors.UniqueViolation:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                notice._send(channel)
        except (psycopg2.Error, MemoryError):
            raise  # the database or the worker is in trouble: the whole job stops and runs again later
        except Exception as error:  # noqa: BLE001 - a template or queue error becomes the notice's failure
            _logger.warning("Library notice %s could not be queued: %s", key, error)
            notice.write({"state": "failed", "failure": str(error)[:250]})
        if wake:
            self._wake_queues()
        return notice

    @api.model
    def _wake_queues(self):
        """Ask the email and SMS queues to run now rather than at their next hour."""
        for xmlid in ("mail.ir_cron_mail_scheduler_action", "sms.ir_cron_sms_scheduler_action"):
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()

    def _templates(self):
        """The email and SMS templates of this notice's event."""
        self.ensure_one()
        if self.step_id:
            return self.step_id.mail_template_id, self.step_id.sms_template_id
        ref = self.env.ref
        # An overdue notice whose step was deleted since speaks with the first step's words.
        name = "overdue_1" if self.kind == "overdue" else self.kind
        return (ref(f"university_library.mail_template_notice_{name}", raise_if_not_found=False),
                ref(f"university_library.sms_template_notice_{name}", raise_if_not_found=False))

    def _send(self, channel=None):
        for notice in self:
            member = notice.member_id
            if not notice.mandatory and member.notice_opt_out:
                notice.write({"state": "skipped"})
                continue
            first = channel or member.notice_channel or "email"
            second = "sms" if first == "email" else "email"
            reasons = []
            for attempt in (first, second):
                reason = notice._queue(attempt)
                if not reason:
                    notice.fallback = attempt != first
                    break
                reasons.append(reason)
            else:
                notice.write({"state": "failed", "failure": "; ".join(reasons)})

    def _mobile_number(self):
        """The member's mobile number in international form, or False (a landline gets no SMS)."""
        partner = self.member_id.partner_id
        if not partner.mobile:
            return False
        return partner._phone_format(number=partner.mobile, force_format="E164") or False

    def _queue(self, channel):
        """Queue the message on ``channel``; returns why it could not be queued, or None."""
        self.ensure_one()
        mail_template, sms_template = self._templates()
        partner = self.member_id.partner_id
        if channel == "sms":
            if not partner.mobile:
                return _("no mobile number")
            number = self._mobile_number()
            if not number:
                return _("the mobile number %(number)s is not valid", number=partner.mobile)
            if not sms_template:
                return _("no SMS template")
            body = sms_template._render_field("body", self.ids, compute_lang=True)[self.id]
            sms = self.env["sms.sms"].sudo().create({
                "number": number, "body": body, "partner_id": partner.id, "library_notice_id": self.id})
            self.write({"channel": "sms", "sms_id": sms.id, "recipient": number, "state": "queued",
                        "message": body})
        else:
            if not partner.email_normalized:
                return _("no email address")
            if not mail_template:
                return _("no email template")
            mail_id = mail_template.sudo().send_mail(self.id, email_values={"library_notice_id": self.id})
            mail = self.env["mail.mail"].sudo().browse(mail_id)
            self.write({"channel": "email", "mail_id": mail.id, "recipient": partner.email_normalized,
                        "state": "queued", "message": mail.subject})
        # One line in the member's history (a log, not a message: nobody is notified of it).
        self.member_id.sudo()._message_log(body=_(
            "Notice (%(kind)s) queued by %(channel)s to %(recipient)s: %(summary)s", kind=self._kind_label(),
            channel=dict(self._fields["channel"]._description_selection(self.env))[self.channel],
            recipient=self.recipient, summary=self.message))
        return None

    def _kind_label(self):
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    # ------------------------------------------------------------------
    # What the email and SMS queues report back
    # ------------------------------------------------------------------
    def _delivered(self, channel):
        self.filtered(lambda n: n.channel == channel and n.state == "queued").write(
            {"state": "sent", "date_sent": fields.Datetime.now()})

    def _delivery_failed(self, channel, reason):
        """The message on ``channel`` was not delivered: try the other channel once."""
        for notice in self.filtered(lambda n: n.channel == channel and n.state == "queued"):
            failure = _("%(channel)s failed: %(reason)s", channel=channel.upper() if channel == "sms" else _("email"),
                        reason=reason or _("unknown error"))
            other = "email" if channel == "sms" else "sms"
            if notice.fallback:
                notice.write({"state": "failed", "failure": failure})
                continue
            failed_mail, failed_sms = notice.mail_id, notice.sms_id
            why_not = notice._queue(other)
            if why_not:
                notice.write({"state": "failed", "failure": f"{failure}; {why_not}"})
                continue
            notice.write({"fallback": True, "failure": failure})
            # The failed message must not go out later as well (a retry from the queue's screens).
            if channel == "email" and failed_mail.exists() and failed_mail.state == "exception":
                failed_mail.write({"state": "cancel"})
            elif channel == "sms" and failed_sms.exists() and failed_sms.state == "error":
                failed_sms.write({"state": "canceled"})
            self._wake_queues()

    # ------------------------------------------------------------------
    # The notice job
    # ------------------------------------------------------------------
    @api.model
    def _library_tz(self, company):
        """The time zone the library lives in: its opening-hours calendar's, else the company's."""
        branch = self.env["library.branch"].sudo().search([("company_id", "=", company.id)], limit=1)
        return branch.calendar_id.tz or company.partner_id.tz or self.env.user.tz or "UTC"

    @api.model
    def _cron_send_notices(self, now=None):
        """Due soon, the overdue ladder, holds about to expire and campaign days; safe to run any number of times."""
        now = now or fields.Datetime.now()
        for company in self.env["res.company"].search([("library_policy_id", "!=", False)]):
            policy = company.library_policy_id
            # The library's day, not the server's: a notice "on 1 Shahrivar" goes on that day in Iran.
            day = fields.Date.context_today(self.with_context(tz=self._library_tz(company)), now)
            self._notify_due_soon(company, policy, day)
            self._notify_overdue(company, policy, day)
            self._notify_holds_expiring(company, policy, now)
            self._notify_campaign(company, policy, day)
        return True

    def _batched(self, records, emit, lock_sql=None):
        """Emit notices in batches, committing each batch when run by the scheduler.

        Before each batch its rows are read again and locked (``lock_sql`` keeps those still in
        the state the notice is about; rows being changed at the desk right now are skipped and
        seen by the next run), so a loan returned or renewed while the job runs gets nothing stale.
        """
        done = 0
        for start in range(0, len(records), 200):
            batch = records[start:start + 200]
            if lock_sql:
                self.env.flush_all()
                self.env.cr.execute(lock_sql, [batch.ids])
                batch = batch.browse([row[0] for row in self.env.cr.fetchall()])
                batch.invalidate_recordset()
            for record in batch:
                emit(record)
            done += len(records[start:start + 200])
            self._wake_queues()
            if not odoo_module.current_test and self.env.context.get("ir_cron_progress_id"):
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(records) - done)
                self.env.cr.commit()

    def _existing_keys(self, keys):
        keys = list(keys)
        if not keys:
            return set()
        self.env.flush_all()
        self.env.cr.execute("SELECT key FROM library_notice WHERE key = ANY(%s)", [keys])
        return {row[0] for row in self.env.cr.fetchall()}

    LOCK_OPEN_LOANS = """SELECT id FROM library_loan WHERE id = ANY(%s) AND state IN ('open', 'overdue')
                         FOR NO KEY UPDATE SKIP LOCKED"""
    LOCK_READY_HOLDS = """SELECT id FROM library_hold WHERE id = ANY(%s) AND state = 'ready'
                          FOR NO KEY UPDATE SKIP LOCKED"""

    def _notify_due_soon(self, company, policy, day):
        days = policy.notice_due_soon_days
        if days <= 0:
            return
        loans = self.env["library.loan"].search([
            ("company_id", "=", company.id), ("state", "=", "open"),
            ("due_date", ">", day), ("due_date", "<=", day + timedelta(days=days))])

        def key(loan):
            return f"due_soon:{loan.id}:{loan.due_date}"

        def emit(loan):
            # A loan shorter than the notice period (the reserve shelf's day) gets no reminder.
            if day < loan.due_date <= day + timedelta(days=days) and loan.date_checkout < loan.due_date - timedelta(days=days):
                self._emit("due_soon", loan.member_id, key(loan), wake=False, loan_id=loan.id,
                           date_event=loan.due_date, items_text=loan.title_id.name)

        sent = self._existing_keys(key(loan) for loan in loans)
        self._batched(loans.filtered(lambda loan: key(loan) not in sent), emit, self.LOCK_OPEN_LOANS)

    def _notify_overdue(self, company, policy, day):
        steps = policy.notice_step_ids.sorted("days")
        if not steps:
            return
        loans = self.env["library.loan"].search([
            ("company_id", "=", company.id), ("state", "in", ("open", "overdue")),
            ("due_date", "<=", day - timedelta(days=steps[0].days))])
        step_days = steps.mapped("days")

        def step_of(loan):
            # Only the furthest step reached: a member is not sent the missed earlier steps as well.
            late = (day - loan.due_date).days
            reached = [days for days in step_days if days <= late]
            return reached[-1] if reached else None

        def key(loan, days):
            # Keyed by the step's day, not its record: recreating the steps sends nothing again.
            return f"overdue:{loan.id}:{loan.due_date}:{days}"

        def emit(loan):
            days = step_of(loan)
            if days is not None:
                step = steps.filtered(lambda s: s.days == days)[:1]
                self._emit("overdue", loan.member_id, key(loan, days), wake=False, loan_id=loan.id,
                           step_id=step.id, date_event=loan.due_date, items_text=loan.title_id.name)

        plan = {loan: key(loan, step_of(loan)) for loan in loans if step_of(loan) is not None}
        sent = self._existing_keys(plan.values())
        todo = self.env["library.loan"].concat(*[loan for loan, loan_key in plan.items() if loan_key not in sent])
        self._batched(todo, emit, self.LOCK_OPEN_LOANS)

    def _notify_holds_expiring(self, company, policy, now):
        hours = policy.notice_hold_expiring_hours
        if hours <= 0:
            return
        holds = self.env["library.hold"].search([
            ("company_id", "=", company.id), ("state", "=", "ready"), ("date_expiry", ">", now),
            ("date_expiry", "<=", now + timedelta(hours=hours))])
        tz = self._library_tz(company)

        def key(hold):
            return f"hold_expiring:{hold.id}:{hold.date_ready}"

        def emit(hold):
            # Not when the copy went on the shelf inside the reminder window: the "ready" notice said it all.
            if now < hold.date_expiry <= now + timedelta(hours=hours) and hold.date_ready < hold.date_expiry - timedelta(hours=hours):
                local_day = fields.Date.context_today(self.with_context(tz=tz), hold.date_expiry)
                self._emit("hold_expiring", hold.member_id, key(hold), wake=False, hold_id=hold.id,
                           date_event=local_day, items_text=hold.title_id.name)

        sent = self._existing_keys(key(hold) for hold in holds)
        self._batched(holds.filtered(lambda hold: key(hold) not in sent), emit, self.LOCK_READY_HOLDS)

    def _notify_campaign(self, company, policy, day):
        """Kermanshah: on the listed Persian-calendar days, every member with an overdue item gets an SMS."""
        month, mday = jalali_month_day(day)
        if not policy.campaign_date_ids.filtered(lambda d: int(d.month) == month and d.day == mday):
            return
        groups = self.env["library.loan"]._read_group(
            [("company_id", "=", company.id), ("state", "in", ("open", "overdue")), ("due_date", "<", day)],
            ["member_id"], ["title_id:recordset"])
        stamp = to_jalali_str(day).replace("/", "-")
        titles = dict(groups)

        def key(member):
            return f"campaign:{stamp}:{member.id}"

        def emit(member):
            names = list(dict.fromkeys(titles[member].mapped("name")))
            self._emit("campaign", member, key(member), channel=policy.campaign_channel, wake=False,
                       date_event=day, items_text=", ".join(names)[:250])

        sent = self._existing_keys(key(member) for member in titles)
        todo = self.env["library.member"].concat(*[member for member in titles if key(member) not in sent])
        self._batched(todo, emit)


class LibraryNoticeStep(models.Model):
    _name = "library.notice.step"
    _description = "Overdue Notice Step"
    _order = "policy_id, days, id"

    policy_id = fields.Many2one("library.policy", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(string="Days After Due Date", required=True, default=1)
    mail_template_id = fields.Many2one("mail.template", string="Email Template", required=True,
                                       domain=[("model", "=", "library.notice")])
    sms_template_id = fields.Many2one("sms.template", string="SMS Template", required=True,
                                      domain=[("model", "=", "library.notice")])

    _sql_constraints = [
        ("days_positive", "CHECK(days > 0)", "An overdue notice goes out at least one day after the due date."),
        ("days_uniq", "unique(policy_id, days)", "Two overdue steps of a rulebook cannot fall on the same day."),
    ]


class LibraryCampaignDate(models.Model):
    _name = "library.notice.campaign.date"
    _description = "Overdue Campaign Day (Persian Calendar)"
    _order = "policy_id, month_number, day"

    policy_id = fields.Many2one("library.policy", required=True, ondelete="cascade", index=True)
    month = fields.Selection(JALALI_MONTHS, string="Persian Month", required=True)
    month_number = fields.Integer(compute="_compute_month_number", store=True)
    day = fields.Integer(string="Day of Month", required=True, default=1)

    @api.depends("month")
    def _compute_month_number(self):
        for date in self:
            date.month_number = int(date.month or 0)

    @api.depends("month", "day")
    def _compute_display_name(self):
        months = dict(self._fields["month"]._description_selection(self.env))
        for date in self:
            date.display_name = f"{date.day} {months.get(date.month, '')}"

    @api.constrains("month", "day")
    def _check_day(self):
        for date in self:
            longest = 31 if int(date.month) <= 6 else 30 if int(date.month) <= 11 else 29
            if not 1 <= date.day <= longest:
                raise ValidationError(_("%(month)s has days 1 to %(days)s in every year; %(day)s is not one of them.",
                                        month=dict(self._fields["month"]._description_selection(self.env))[date.month],
                                        days=longest, day=date.day))
