import json
import logging
import threading
from urllib.parse import quote

import requests

from odoo import fields, models

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    library_sms_provider = fields.Selection([
        ("iap", "Odoo SMS (IAP)"),
        ("http", "HTTP gateway"),
    ], string="SMS Provider", default="iap", required=True,
        help="Odoo's SMS service is paid and not reachable from every country: an HTTP gateway sends "
             "through any provider with a web API.")
    library_sms_url = fields.Char(string="Gateway URL", help="May contain {number} and {text}.")
    library_sms_method = fields.Selection([("POST", "POST"), ("GET", "GET")], default="POST",
                                          string="Gateway Method")
    library_sms_body = fields.Text(
        string="Gateway Body", default='{"to": "{number}", "text": "{text}"}',
        help="JSON body (POST) with {number} and {text} placeholders.")
    library_sms_auth_header = fields.Char(string="Gateway Authentication Header",
                                          help="e.g. Authorization: Bearer <token>")
    library_sms_success = fields.Char(string="Success When the Answer Contains",
                                      help="Empty: any 2xx answer is a success.")
    library_sms_timeout = fields.Integer(string="Gateway Timeout (s)", default=10)


class SmsSms(models.Model):
    _inherit = "sms.sms"

    library_notice_id = fields.Many2one("library.notice", index="btree_not_null", ondelete="set null")

    def send(self, unlink_failed=False, unlink_sent=True, auto_commit=False, raise_exception=False):
        # Remember whether the queue commits as it goes: the HTTP gateway then commits after each SMS.
        return super(SmsSms, self.with_context(library_sms_auto_commit=auto_commit)).send(
            unlink_failed=unlink_failed, unlink_sent=unlink_sent, auto_commit=auto_commit,
            raise_exception=raise_exception)

    def _library_company(self):
        """The company whose SMS provider sends this SMS: its notice's, else its contact's."""
        self.ensure_one()
        return self.library_notice_id.company_id or self.partner_id.company_id or self.env.company

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Send through each company's HTTP gateway when that is its chosen provider."""
        by_company = self.grouped(lambda sms: sms._library_company())
        iap = self.browse()
        for company, batch in by_company.items():
            if company.library_sms_provider != "http":
                iap |= batch
                continue
            batch._library_gateway_send_all(company, unlink_failed, unlink_sent)
        if iap:
            super(SmsSms, iap)._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent,
                                     raise_exception=raise_exception)

    def _library_gateway_send_all(self, company, unlink_failed, unlink_sent):
        commit = self.env.context.get("library_sms_auto_commit") and not getattr(
            threading.current_thread(), "testing", False)
        for sms in self:
            error = sms._library_gateway_send(company)
            if error:
                _logger.info("SMS %s through the HTTP gateway failed: %s", sms.id, error)
                sms.with_context(library_sms_error=error)._update_sms_state_and_trackers(
                    "error", failure_type="sms_server")
                if unlink_failed:
                    sms.to_delete = True
            else:
                sms._update_sms_state_and_trackers("pending")
                if unlink_sent:
                    sms.to_delete = True
            if commit:
                # An SMS the gateway accepted is never sent again, even if the worker dies next.
                self.env.cr.commit()
        self.mail_message_id._notify_message_notification_update()

    def _library_gateway_send(self, company):
        """One SMS to the gateway; returns an error message, or None when it was accepted."""
        self.ensure_one()
        if not self.number:
            return "no number"
        url = (company.library_sms_url or "").replace("{number}", quote(self.number)).replace(
            "{text}", quote(self.body or ""))
        headers = {}
        if company.library_sms_auth_header and ":" in company.library_sms_auth_header:
            name, value = company.library_sms_auth_header.split(":", 1)
            headers[name.strip()] = value.strip()
        try:
            if company.library_sms_method == "GET":
                response = requests.get(url, headers=headers, timeout=company.library_sms_timeout or 10)
            else:
                body = (company.library_sms_body or "").replace("{number}", json.dumps(self.number)[1:-1]).replace(
                    "{text}", json.dumps(self.body or "")[1:-1])
                headers.setdefault("Content-Type", "application/json")
                response = requests.post(url, data=body.encode(), headers=headers,
                                         timeout=company.library_sms_timeout or 10)
        except requests.RequestException as error:
            return f"{type(error).__name__}: {error}"
        if not 200 <= response.status_code < 300:
            return f"HTTP {response.status_code}: {response.text[:200]}"
        if company.library_sms_success and company.library_sms_success not in response.text:
            return f"answer without '{company.library_sms_success}': {response.text[:200]}"
        return None


    def write(self, vals):
        result = super().write(vals)
        # Every way an SMS ends (IAP answers, the HTTP gateway, delivery reports, a cancel) writes its state.
        state = vals.get("state")
        if state in ("pending", "sent", "error", "canceled") and not self.env.context.get("library_notice_sms_hook"):
            notices = self.library_notice_id.sudo().with_context(library_notice_sms_hook=True)
            if notices:
                if state in ("pending", "sent"):
                    notices._delivered("sms")
                else:
                    reason = self.env.context.get("library_sms_error") or vals.get("failure_type") or state
                    notices._delivery_failed("sms", reason)
        return result
