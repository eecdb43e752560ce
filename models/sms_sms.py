import json
import logging
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

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Send through the company's HTTP gateway when it is the chosen provider."""
        company = self.env.company
        if company.library_sms_provider != "http":
            return super()._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent,
                                 raise_exception=raise_exception)
        for sms in self:
            error = sms._library_gateway_send(company)
            if error:
                _logger.info("SMS %s through the HTTP gateway failed: %s", sms.id, error)
                sms._update_sms_state_and_trackers("error", failure_type="sms_server")
                if unlink_failed:
                    sms.to_delete = True
            else:
                sms._update_sms_state_and_trackers("pending")
                if unlink_sent:
                    sms.to_delete = True
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


class SmsSmsNotice(models.Model):
    _inherit = "sms.sms"

    library_notice_id = fields.Many2one("library.notice", index="btree_not_null", ondelete="set null")

    def _update_sms_state_and_trackers(self, new_state, failure_type=None):
        super()._update_sms_state_and_trackers(new_state, failure_type=failure_type)
        notices = self.library_notice_id.sudo()
        if not notices:
            return
        if new_state == "error":
            notices._delivery_failed("sms", failure_type)
        elif new_state in ("pending", "sent"):
            notices._delivered("sms")
