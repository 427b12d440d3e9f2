"""Which message steps each store order has had: one row per (sale order, step), sent or skipped.

``UNIQUE(sale_order_id, step)`` makes "never twice for the same order and
step" the database's promise, not Python's: :meth:`WcMessageSent._wc_claim`
inserts the rows with ``ON CONFLICT DO NOTHING`` *before* anything is sent and
sends only for the rows it inserted, so two jobs re-syncing the same order at
the same moment cannot both send (the second waits on the first's row, then
inserts nothing).
"""

from odoo import fields, models

from ..wc_connector.rules import messages as rules
from .compat import Constraint
from .wc_message_step import STEP_LABELS

SKIP_LABELS = [
    (rules.HISTORY, "History import"),
    (rules.BEFORE_GO_LIVE, "Placed before the messages' start"),
    (rules.SWITCHED_OFF, "Step switched off"),
    (rules.STORE_SENDS, "The store e-mails it"),
    (rules.SUPERSEDED, "Superseded by a later step"),
]


class WcMessageSent(models.Model):
    _name = "wc.message.sent"
    _description = "WooCommerce Message Sent"
    _order = "id desc"

    sale_order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True, readonly=True)
    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    step = fields.Selection(STEP_LABELS, required=True, readonly=True)
    state = fields.Selection([("sent", "Sent"), ("skipped", "Skipped")], required=True, readonly=True)
    skip_reason = fields.Selection(SKIP_LABELS, readonly=True)
    message_id = fields.Many2one("mail.message", string="Message", readonly=True, ondelete="set null")
    date = fields.Datetime(default=fields.Datetime.now, readonly=True)

    _order_step_unique = Constraint("UNIQUE(sale_order_id, step)", "Each step is announced at most once per order.")

    def _wc_claim(self, rows):
        """Insert ``rows`` ``[(sale order, store, step, state, skip reason)]`` (records and strings); return the
        inserted ones as ``[(row id, sale order id, step, state)]``.

        A row that exists already (another transaction dealt with that order
        and step) is not inserted and not returned: only the caller that
        inserted a "sent" row sends its message.
        """
        if not rows:
            return []
        self.env.flush_all()
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, now() at time zone 'UTC', "
                                  "now() at time zone 'UTC', now() at time zone 'UTC')"] * len(rows))
        params = []
        for sale, store, step, state, reason in rows:
            params += [sale.id, store.id, store.company_id.id, step, state, reason or None, self.env.uid, self.env.uid]
        self.env.cr.execute(
            f"""INSERT INTO wc_message_sent (sale_order_id, store_id, company_id, step, state, skip_reason,
                                             create_uid, write_uid, date, create_date, write_date)
                VALUES {placeholders}
                ON CONFLICT (sale_order_id, step) DO NOTHING
                RETURNING id, sale_order_id, step, state""",
            params,
        )
        claimed = self.env.cr.fetchall()
        self.invalidate_model()
        return claimed
