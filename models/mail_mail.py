import logging

from odoo import fields, models

_logger = logging.getLogger(__name__)


class MailMail(models.Model):
    _inherit = "mail.mail"

    library_notice_id = fields.Many2one("library.notice", index="btree_not_null", ondelete="set null")

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        # Read the notices first: a sent mail with auto-delete is gone after super().
        outcome = [(mail.library_notice_id.sudo(), mail.state, mail.failure_reason)
                   for mail in self if mail.library_notice_id]
        result = super()._postprocess_sent_message(success_pids, failure_reason=failure_reason,
                                                   failure_type=failure_type)
        for notice, state, reason in outcome:
            # The email is already sent (or not): whatever happens to the notice must not change that.
            try:
                with self.env.cr.savepoint():
                    if failure_type or state == "exception":
                        notice._delivery_failed("email", failure_reason or reason or failure_type)
                    else:
                        notice._delivered("email")
            except Exception:  # noqa: BLE001
                _logger.exception("Library notice %s: could not record the email's outcome", notice.key)
        return result
