"""Webhook deliveries applied: one job per store resource, the newest state wins.

A webhook delivery is recorded (``wc.webhook.delivery``: the replay guard and
the inbox) and queued as one job per store resource, with the identity key
``wc:<store>:<resource>:<id>``: while a job for order 42 is waiting, further
deliveries for order 42 queue nothing more — the waiting job applies every
pending delivery of order 42 when it runs, so the newest state wins. The job
hands the payloads to the importers of the store → Odoo sync; it decides
nothing itself. The controller (``controllers/webhooks.py``) verifies a
delivery and calls :meth:`WcStore._wc_enqueue_delivery`.
"""

import logging

from odoo import models

_logger = logging.getLogger(__name__)


class WcStore(models.Model):
    _inherit = "wc.store"


    def _wc_enqueue_delivery(self, delivery):
        """Record a verified :class:`~..wc_connector.webhooks.Delivery` and queue its job; ``False`` for a replay.

        A delivery id seen before is a replay: nothing is recorded or
        queued. Otherwise the delivery joins the pending ones of its resource
        and a job is queued unless one for that resource is already waiting
        (identity key), which will then apply this delivery too.
        """
        self.ensure_one()
        if not self.env["wc.webhook.delivery"].sudo()._wc_receive(self, delivery):
            _logger.info("Store %s: webhook delivery %s was received before; ignored", self.id, delivery.delivery_id)
            return False
        resource_id = delivery.resource_id
        self.with_delay(
            channel=self._wc_channel(),
            identity_key=f"wc:{self.id}:{delivery.resource}:{resource_id}",
            description=self.env._(
                "%(store)s: apply the store's %(resource)s %(id)s", store=self.name, resource=delivery.resource, id=resource_id
            ),
        )._wc_job_process_delivery(delivery.topic, resource_id, delivery.payload)
        return True

    def _wc_job_process_delivery(self, topic, resource_id, payload):
        """Job: apply the pending webhook deliveries of one store resource; return what happened.

        ``topic`` and ``payload`` are the delivery the job was queued for.
        The job applies every delivery of that resource still pending when
        it runs (the queued one and any that arrived while it waited), in
        the order they arrived; if another job already applied them, it
        applies its own payload again, which the importers ignore when it is
        not newer than what Odoo has.
        """
        self.ensure_one()
        resource = topic.partition(".")[0]
        deliveries = self.env["wc.webhook.delivery"].sudo()._wc_take_pending(self, resource, resource_id)
        deliveries = deliveries or [(topic, payload)]
        handler = {
            "order": self._wc_apply_order_deliveries,
            "customer": self._wc_apply_customer_deliveries,
            "product": self._wc_apply_product_deliveries,
        }[resource]
        return handler(resource_id, deliveries)

    def _wc_apply_order_deliveries(self, order_id, deliveries):
        """Import the delivered states of one order; a trailing ``order.deleted`` trashes its sale order."""
        states = [payload for topic, payload in deliveries if not topic.endswith(".deleted")]
        counts = self._wc_import_orders(states) if states else {}
        if deliveries[-1][0] == "order.deleted" and self._wc_mark_order_trashed(order_id):
            counts = dict(counts, trashed=1)
        return self._wc_job_result("order", order_id, counts)

    def _wc_mark_order_trashed(self, order_id):
        """The store moved the order to its trash: say so on the sale order (``True`` if it changed); nothing is deleted."""
        sale = self.env["sale.order"].sudo()._wc_bound(self, [order_id])[:1]
        if not sale or sale.wc_status == "trash":
            return False
        sale.write({"wc_status": "trash"})
        sale.message_post(
            body=self.env._(
                "The order was moved to the trash in %(store)s. Nothing was cancelled or deleted in Odoo; "
                "cancel the order here if the sale is void.",
                store=self.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _wc_apply_customer_deliveries(self, customer_id, deliveries):
        """Import the delivered states of one customer; a trailing ``customer.deleted`` is noted on its partner."""
        states = [payload for topic, payload in deliveries if not topic.endswith(".deleted")]
        counts = self._wc_import_customers(states) if states else {}
        if deliveries[-1][0] == "customer.deleted":
            self._wc_note_customer_deleted(customer_id)
            counts["deleted"] = 1
        return self._wc_job_result("customer", customer_id, counts)

    def _wc_note_customer_deleted(self, customer_id):
        """The store deleted a customer account: note it on the linked partner; the link and partner stay.

        The partner keeps its orders, invoices and payments; the store turns
        that customer's orders into guest orders, which still find the
        partner by the store's identity key.
        """
        link = self.env["wc.customer.link"].sudo()._wc_bound(self, [customer_id])
        if not link:
            return
        link.partner_id.message_post(
            body=self.env._(
                "%(store)s deleted this customer's account (store customer %(id)s). The contact and its "
                "history stay in Odoo; new orders from the same person arrive as guest orders.",
                store=self.name,
                id=customer_id,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _wc_apply_product_deliveries(self, product_id, deliveries):
        """Import the delivered state of one store product or variation through the catalog importer.

        The importer applies it only when products flow from the store, when
        it is newer than what was applied, and when it is not the echo of
        our own write (a stock push or catalog export fires
        ``product.updated`` for every item it touches). Stock is never taken
        from the store: Odoo is the stock master. A deleted product is left
        in Odoo (its sales and stock history stay).
        """
        topic, payload = deliveries[-1]
        if topic == "product.deleted" or not isinstance(payload, dict):
            return self._wc_job_result("product", product_id, {"unchanged": 1})
        counts = self._wc_import_products([payload], with_variations=False)
        return self._wc_job_result("product", product_id, counts)

    def _wc_job_result(self, entity, wc_id, counts):
        """The job's result line (shown on the job): what happened to the record."""
        shown = ", ".join(f"{name} {value}" for name, value in counts.items() if value) or "unchanged"
        _logger.info("Store %s: webhook %s %s: %s", self.id, entity, wc_id, shown)
        return f"{entity} {wc_id}: {shown}"

