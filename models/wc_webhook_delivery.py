"""The webhook deliveries a store has sent us: the replay guard and the inbox of the delivery jobs.

One row per (store, ``X-WC-Webhook-Delivery-ID``) and per (store, SHA-256 of
the body), each made unique by the database, so a delivery that arrives twice
(the store resends it, or someone replays a captured request) is acknowledged
without being processed twice — even when both copies arrive at the same
moment. The body hash matters because the delivery id is an unsigned header:
a replay under a new (or an empty) delivery id still has the signed body it
was captured with. Two deliveries with the same body carry the same state,
so the second has nothing to add.

The row also keeps the delivered payload until a job has applied it. The
delivery job of a resource reads *every* pending row of that resource, not
only the payload it was queued with: while one job for order 42 waits in the
queue, a later ``order.updated`` (or ``order.deleted``) for order 42 is not
queued again (same identity key), but its row is there, so the waiting job
applies the newest state. Applied rows lose their payload; the autovacuum
drops them after :data:`KEEP_DAYS`.
"""

import json
import logging
from datetime import timedelta

from odoo import api, fields, models

from .compat import Constraint

_logger = logging.getLogger(__name__)

#: How long a processed delivery id is remembered (the store never resends an old delivery later than that).
KEEP_DAYS = 7


class WcWebhookDelivery(models.Model):
    _name = "wc.webhook.delivery"
    _description = "WooCommerce Webhook Delivery"
    _order = "id"
    _rec_name = "delivery_id"
    _log_access = False

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    delivery_id = fields.Char(string="Delivery ID", readonly=True)
    body_hash = fields.Char(string="Body SHA-256", readonly=True)
    topic = fields.Char(required=True, readonly=True)
    resource = fields.Char(required=True, readonly=True)
    resource_id = fields.Integer(string="Store ID", readonly=True)
    payload = fields.Text(readonly=True, help="The delivered body (JSON) until a job has applied it.")
    state = fields.Selection([("pending", "Pending"), ("done", "Done")], default="pending", required=True, readonly=True)
    received = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)

    _store_delivery_unique = Constraint("UNIQUE(store_id, delivery_id)", "A delivery is received once per store.")
    _store_body_unique = Constraint("UNIQUE(store_id, body_hash)", "A delivered body is received once per store.")

    def init(self):
        # The delivery jobs look up the pending rows of one resource.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS wc_webhook_delivery_pending_idx ON wc_webhook_delivery "
            "(store_id, resource, resource_id) WHERE state = 'pending'"
        )

    @api.model
    def _wc_receive(self, store, delivery):
        """Record a verified delivery; ``True`` if it is new, ``False`` if its delivery id or body was seen before.

        ``INSERT … ON CONFLICT DO NOTHING`` (on either unique constraint): of
        two copies of one delivery arriving together, the second waits for the
        first and is told it is a replay — no Python check-then-insert race,
        no failed transaction.
        """
        self.env.cr.execute(
            """
            INSERT INTO wc_webhook_delivery (store_id, company_id, delivery_id, body_hash, topic, resource,
                                             resource_id, payload, state, received)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'pending', now() at time zone 'UTC')
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            (
                store.id,
                store.company_id.id,
                delivery.delivery_id or None,  # no id: only the body hash tells a replay
                delivery.body_hash or None,
                delivery.topic,
                delivery.resource,
                _resource_id(delivery.payload),
                json.dumps(delivery.payload, ensure_ascii=False),
            ),
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _wc_take_pending(self, store, resource, resource_id):
        """The pending deliveries of one store resource, oldest first, locked for this transaction.

        ``FOR UPDATE``: a second job for the same resource waits until the
        first has applied (and marked) them, then finds nothing left.
        Returns ``[(topic, payload)]`` and marks the rows done (payload
        dropped); if the job fails, the transaction rolls back and they are
        pending again.
        """
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT id, topic, payload FROM wc_webhook_delivery
             WHERE store_id = %s AND resource = %s AND resource_id = %s AND state = 'pending'
             ORDER BY id
               FOR UPDATE
            """,
            (store.id, resource, resource_id),
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return []
        self.env.cr.execute(
            "UPDATE wc_webhook_delivery SET state = 'done', payload = NULL WHERE id = ANY(%s)",
            ([row_id for row_id, _topic, _payload in rows],),
        )
        self.invalidate_model(["state", "payload"])
        return [(topic, json.loads(payload) if payload else {"id": resource_id}) for _id, topic, payload in rows]

    @api.autovacuum
    def _gc_processed_deliveries(self):
        """Forget processed deliveries after :data:`KEEP_DAYS` days (pending ones wait for their job)."""
        limit = fields.Datetime.now() - timedelta(days=KEEP_DAYS)
        self.env.cr.execute(
            "DELETE FROM wc_webhook_delivery WHERE state = 'done' AND received < %s",
            (limit,),
        )
        if self.env.cr.rowcount:
            _logger.info("Forgot %s processed webhook deliveries", self.env.cr.rowcount)


def _resource_id(payload):
    value = payload.get("id") if isinstance(payload, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
