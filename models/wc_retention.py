"""Personal data is not kept forever: what the sync stored to do its work is purged after a retention period.

Store payloads carry names, addresses, emails and phones. Once they have
served, they are evidence for a while and then nothing but a liability, so a
daily scheduled action (``data/wc_cron.xml``) empties, after
:data:`RETENTION_PARAM` days (30 unless set in *Settings › WooCommerce*):

- the payloads of **resolved** sync-log entries (failed ones keep theirs:
  they are the evidence someone still has to act on);
- the **processed** webhook deliveries (their rows, the replay guard of old
  deliveries, and any body left on them; pending ones wait for their job);
- the arguments of this addon's **done** queue jobs (a delivery job's
  arguments are the delivered body), on the ``root.woocommerce`` channels
  only — other addons' jobs are theirs.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

#: The ``ir.config_parameter`` holding the retention in days.
RETENTION_PARAM = "woocommerce_connector.retention_days"
DEFAULT_RETENTION_DAYS = 30


class WcRetention(models.AbstractModel):
    _name = "wc.retention"
    _description = "WooCommerce personal data retention"

    @api.model
    def _wc_retention_days(self):
        """The retention in days (at least 1; the default when unset or not a number)."""
        value = self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM, DEFAULT_RETENTION_DAYS)
        try:
            return max(1, int(value))
        except (TypeError, ValueError):
            return DEFAULT_RETENTION_DAYS

    @api.model
    def _cron_purge_personal_data(self):
        """Scheduled action: purge what is older than the retention; return the counts purged."""
        limit = fields.Datetime.now() - timedelta(days=self._wc_retention_days())
        logs = self.env["wc.sync.log"].sudo().search(
            [("state", "=", "done"), ("payload", "!=", False), ("write_date", "<", limit)]
        )
        logs.write({"payload": False})
        deliveries = self.env["wc.webhook.delivery"].sudo().search([("state", "=", "done"), ("received", "<", limit)])
        deliveries.unlink()
        # One UPDATE: the ORM cannot compare JSON arguments, and the jobs are queue_job's rows, not read here.
        Job = self.env["queue.job"].sudo()
        Job.flush_model(["state", "date_done", "channel", "args", "kwargs"])
        self.env.cr.execute(
            """UPDATE queue_job SET args = '[]'::jsonb, kwargs = '{}'::jsonb
                WHERE state = 'done' AND date_done < %s AND channel LIKE 'root.woocommerce.%%'
                  AND (args <> '[]'::jsonb OR kwargs <> '{}'::jsonb)""",
            (limit,),
        )
        jobs = self.env.cr.rowcount
        Job.invalidate_model(["args", "kwargs"])
        counts = {"sync_log_payloads": len(logs), "webhook_deliveries": len(deliveries), "job_arguments": jobs}
        if any(counts.values()):
            _logger.info("Purged personal data older than %s: %s", limit, counts)
        return counts
